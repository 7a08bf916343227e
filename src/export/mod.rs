//! `bdc export`: everything a partner's own engineer needs to move the partner to another
//! target, as one directory —
//!
//! - `<partner>/`: the partner's bundle for the new target (what `bdc emit --out` writes), its
//!   routes holding their DNS names until the cut-over (with `dns_hold`), and the portability
//!   report as `PORTABILITY.md` and `PORTABILITY.json`;
//! - `data/old/`, `data/new/`: the Jobs that move each PostgreSQL database ([`data`]), for the
//!   old and the new cluster;
//! - `CHECKLIST.md`: the steps in order with their commands ([`checklist`]).

pub mod checklist;
pub mod data;

use crate::emit::{self, File, Format};
use crate::lower::{verify, Lowering, Object, Placement};
use crate::model::Partner;
use crate::portability;

/// An export: its files, and what the report leaves to a person.
pub struct Export {
    pub files: Vec<File>,
    pub manual: Vec<String>,
}

/// The move of `partner` from its own target to `target`.
pub fn export(lw: &Lowering, partner: &Partner, target: &str, dns_hold: bool) -> Result<Export, String> {
    let old = lw.place(partner, None)?;
    let mut new = lw.place(partner, Some(target))?;
    if old.target.name.value == new.target.name.value {
        return Err(format!(
            "partner `{}` already runs on target `{target}`; name another target to export it to",
            partner.name.value
        ));
    }
    new.dns_hold = dns_hold;
    let notes = portability::report(lw, &new);
    let manual: Vec<String> = portability::manual(&notes).into_iter().map(str::to_string).collect();
    let broken = |b: emit::Broken| {
        format!(
            "internal error: {} of partner `{}` fails a structural check: {} (please report this)",
            b.violation.object, b.partner, b.violation.problem
        )
    };
    let mut files =
        emit::partner_files(lw, &new, Format::Yaml, Some(portability::markdown(&new, &notes))).map_err(broken)?;
    let json = serde_json::to_string_pretty(&portability::json(&new, &notes)).unwrap_or_default() + "\n";
    files.push(File { path: format!("{}/PORTABILITY.json", partner.name.value), bytes: json.into_bytes() });
    for (dir, at, side) in [("data/old", &old, data::Side::Export), ("data/new", &new, data::Side::Import)] {
        files.extend(data_files(lw, &old, &new, at, side, dir)?);
    }
    let manual_refs: Vec<&str> = manual.iter().map(String::as_str).collect();
    let steps = checklist::steps(lw, &old, &new, &manual_refs);
    let context = lw.fleet.cluster_of(partner).map(|c| c.context.as_str());
    files.push(File {
        path: "CHECKLIST.md".into(),
        bytes: checklist::markdown(&old, &new, context, &steps).into_bytes(),
    });
    Ok(Export { files, manual })
}

/// The move Jobs of one side, checked like every emitted object, with a `kustomization.yaml`.
fn data_files(
    lw: &Lowering,
    old: &Placement,
    new: &Placement,
    at: &Placement,
    side: data::Side,
    dir: &str,
) -> Result<Vec<File>, String> {
    let mut objects: Vec<Object> = Vec::new();
    for s in old.partner.services.iter().filter(|s| data::moves(lw, old, new, s)) {
        objects.extend(data::objects(lw, at, s, side));
    }
    if objects.is_empty() {
        return Ok(Vec::new());
    }
    objects.sort_by_key(Object::rank);
    if let Some(v) = verify::objects(&objects).into_iter().next() {
        return Err(format!(
            "internal error: {} fails a structural check: {} (please report this)",
            v.object, v.problem
        ));
    }
    let mut files = Vec::new();
    let mut kustomization =
        String::from("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
    for o in &objects {
        let name = format!("{}.yaml", o.file_stem());
        let mut bytes = Vec::new();
        emit::yaml(o, &mut bytes);
        kustomization.push_str(&format!("- {name}\n"));
        files.push(File { path: format!("{dir}/{name}"), bytes });
    }
    files.push(File { path: format!("{dir}/kustomization.yaml"), bytes: kustomization.into_bytes() });
    Ok(files)
}

/// The data-move objects of both sides of an export, for tests and tools: `(old, new)`.
pub fn data_objects(lw: &Lowering, partner: &Partner, target: &str) -> Result<(Vec<Object>, Vec<Object>), String> {
    let old = lw.place(partner, None)?;
    let new = lw.place(partner, Some(target))?;
    let mut sides = (Vec::new(), Vec::new());
    for s in partner.services.iter().filter(|s| data::moves(lw, &old, &new, s)) {
        sides.0.extend(data::objects(lw, &old, s, data::Side::Export));
        sides.1.extend(data::objects(lw, &new, s, data::Side::Import));
    }
    Ok(sides)
}
