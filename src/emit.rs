//! Emission: placed partners → bytes, deterministically. A stream for stdout (apply order:
//! cluster-scoped objects, then every Namespace, then each partner's objects) or a tree of
//! files (`<partner>/<nn>-<kind>-<name>.yaml` plus a `kustomization.yaml`), produced one
//! partner at a time so memory stays flat however large the fleet.
//!
//! This module only produces bytes; the CLI writes them (atomically for trees).

use crate::lower::{Lowering, Object, Placement};
use std::io::{self, Write};

/// Output format of manifests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
        }
    }
}

/// Appends one object as a YAML document (without the `---` separator).
pub fn yaml(object: &Object, out: &mut Vec<u8>) {
    // Serialising k8s-openapi types to YAML cannot fail: no non-string keys, no NaN.
    if let Err(e) = serde_yaml::to_writer(&mut *out, object) {
        out.extend_from_slice(format!("# serialisation error: {e}\n").as_bytes());
    }
}

fn json(object: &Object, out: &mut Vec<u8>) {
    if let Err(e) = serde_json::to_writer(&mut *out, object) {
        out.extend_from_slice(format!("\"serialisation error: {e}\"").as_bytes());
    }
}

/// Writes the whole stream. Each partner is lowered twice (namespace pass, then the rest)
/// rather than kept in memory.
pub fn stream(lw: &Lowering, placements: &[Placement], format: Format, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut first = true;
    let mut put = |o: &Object, buf: &mut Vec<u8>, out: &mut dyn Write| -> io::Result<()> {
        match format {
            Format::Yaml => {
                buf.extend_from_slice(b"---\n");
                yaml(o, buf);
            }
            Format::Json => {
                buf.extend_from_slice(if first { b"\n" } else { b",\n" });
                json(o, buf);
            }
        }
        first = false;
        if buf.len() >= 60 * 1024 {
            out.write_all(buf)?;
            buf.clear();
        }
        Ok(())
    };
    if format == Format::Json {
        buf.extend_from_slice(br#"{"apiVersion":"v1","kind":"List","items":["#);
    }
    for o in lw.cluster_objects(placements) {
        put(&o, &mut buf, out)?;
    }
    for at in placements {
        put(&crate::lower::namespace_of(lw, at), &mut buf, out)?;
    }
    for at in placements {
        for o in lw.partner_objects(at).iter().filter(|o| !matches!(o, Object::Namespace(_))) {
            put(o, &mut buf, out)?;
        }
    }
    if format == Format::Json {
        buf.extend_from_slice(b"\n]}\n");
    }
    out.write_all(&buf)
}

/// One file of a tree: a path relative to the output directory and its bytes.
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The files of one partner's bundle: its objects (cluster-scoped ones it needs included, so
/// the bundle is self-contained), a `kustomization.yaml`, and a portability report when there
/// is one.
pub fn partner_files(lw: &Lowering, at: &Placement, format: Format, report: Option<String>) -> Vec<File> {
    let dir = &at.partner.name.value;
    let mut objects = lw.cluster_objects(std::slice::from_ref(at));
    objects.extend(lw.partner_objects(at));
    let mut files = Vec::with_capacity(objects.len() + 2);
    let mut resources = Vec::with_capacity(objects.len());
    for o in &objects {
        let name = format!("{}.{}", o.file_stem(), format.extension());
        let mut bytes = Vec::new();
        match format {
            Format::Yaml => yaml(o, &mut bytes),
            Format::Json => {
                json(o, &mut bytes);
                bytes.push(b'\n');
            }
        }
        resources.push(name.clone());
        files.push(File { path: format!("{dir}/{name}"), bytes });
    }
    let mut kustomization = String::from("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
    for r in resources {
        kustomization.push_str(&format!("- {r}\n"));
    }
    files.push(File { path: format!("{dir}/kustomization.yaml"), bytes: kustomization.into_bytes() });
    if let Some(report) = report {
        files.push(File { path: format!("{dir}/PORTABILITY.md"), bytes: report.into_bytes() });
    }
    files
}
