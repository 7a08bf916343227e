//! `bdc import`: an existing fleet's Kubernetes YAML (or what runs in a cluster) → a bdc spec
//! that checks clean, with a report of what each source object and field became, and the
//! verification that re-emits the spec and compares it with the source.
//!
//! ```text
//! files ─▶ read    YAML documents → objects (E0470, E0471, W0425, W0426)
//!       ─▶ group   objects → partners (namespace, instance labels, names, references)
//!       ─▶ facts   a partner's objects → facts in bdc's terms + report entries (`around` too)
//!       ─▶ infer   all facts → platform, plans, releases and channels, strategies, drift
//!       ─▶ write   → platform.bdot, releases.bdot, partners.bdot through `bdc fmt`'s printer
//!       ─▶ verify  compile, lower, read back, compare field by field (score per partner)
//! ```
//!
//! Like the compiler stages, it reads the text it is given and writes nothing: the front end
//! (`cli::import`) reads files or a cluster and writes the output tree.

mod around;
mod facts;
mod group;
mod infer;
mod object;
mod read;
mod report;
mod verify;
mod write;

pub use object::Obj;
pub use report::{Compared, Report, Status};

use crate::diagnostic::Diagnostics;
use crate::source::{FileId, SourceMap};
use std::collections::BTreeSet;

/// The result of an import: the spec's files (name, formatted text) and the report.
pub struct Imported {
    pub files: Vec<(String, String)>,
    pub report: Report,
    /// The imported spec compiled (its diagnostics are those `bdc check` gives the output).
    pub compilation: crate::Compilation,
}

/// Reads the objects of the given source files, reporting what cannot be read.
pub fn read_objects(sources: &SourceMap, files: &[FileId], diagnostics: &mut Diagnostics) -> Vec<Obj> {
    files.iter().flat_map(|&f| read::file(sources, f, diagnostics)).collect()
}

/// Objects read from a cluster (already stripped of the server's bookkeeping); `origin` names
/// the cluster in the report (there is no file to point at).
pub fn cluster_objects(values: Vec<serde_json::Value>, origin: &str) -> Vec<Obj> {
    let s = |v: &serde_json::Value, path: &[&str]| object::str_at(v, path).map(str::to_string);
    values
        .into_iter()
        .filter_map(|body| {
            let kind = s(&body, &["kind"])?;
            let api_version = s(&body, &["apiVersion"])?;
            let name = s(&body, &["metadata", "name"])?;
            let namespace = s(&body, &["metadata", "namespace"]);
            Some(Obj { kind, api_version, name, namespace, body, span: Default::default(), origin: origin.to_string() })
        })
        .collect()
}

/// Imports objects (from files or a cluster). `sources` names them in the spec's header.
pub fn import(objects: &[Obj], sources: &[String]) -> Result<Imported, String> {
    let grouping = group::group(objects);
    if grouping.partners.is_empty() {
        return Err("no Deployment or Argo Rollout of a web site found in the input; nothing to import".into());
    }
    let facts: Vec<facts::Facts> = grouping.partners.iter().map(|g| facts::read(g, objects)).collect();
    let entries: Vec<(String, Option<String>, Vec<report::Entry>)> =
        facts.iter().map(|f| (f.name.clone(), f.namespace.clone(), f.entries.clone())).collect();
    let source_facts = facts.clone();
    let spec = infer::infer(facts, grouping.prefix.clone());
    let files = write::files(&spec, sources)?;
    let emitted = verify::emit(&files)?;
    let back = verify::facts_of(&emitted.objects);
    let mut report = Report { sources: sources.to_vec(), drift: spec.drift.clone(), ..Report::default() };
    report.summary.objects = objects.len();
    for ((name, namespace, entries), f) in entries.into_iter().zip(&source_facts) {
        let g = grouping.partners.iter().find(|g| g.name == name).expect("facts come from groups");
        let had: BTreeSet<&str> = g.objects.iter().map(|&i| objects[i].kind.as_str()).collect();
        let ns = format!("{}{name}", spec.prefix);
        let mut added: Vec<String> = Vec::new();
        for o in emitted.objects.iter().filter(|o| o.namespace.as_deref() == Some(&ns)) {
            if !had.contains(o.kind.as_str()) && !added.contains(&o.kind) {
                added.push(o.kind.clone());
            }
        }
        added.sort();
        let verify = verify::compare(f, back.iter().find(|b| b.name == name));
        report.partners.push(report::PartnerReport { name, namespace, entries, added_by_bdc: added, verify });
    }
    for &i in &grouping.fleet {
        let o = &objects[i];
        let (status, detail) = match o.kind.as_str() {
            "Namespace" => (Status::Replaced, "a namespace with no site: bdc makes each partner's own"),
            "StorageClass" => (Status::Replaced, "bdc makes the storage class its target needs"),
            k if read::KNOWN.contains(&k) => (Status::NotRepresentable, "belongs to no partner found (no web workload shares its namespace, labels or name): apply it beside bdc's output or drop it"),
            _ => (Status::NotRepresentable, "bdc has no equivalent for this kind: keep applying it beside bdc's output"),
        };
        report.fleet.push(facts::entry(o, "*", status, detail));
    }
    report.finish();
    Ok(Imported { files, report, compilation: emitted.compilation })
}
