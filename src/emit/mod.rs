//! Emission: placed partners → bytes, deterministically. A stream for stdout (apply order:
//! cluster-scoped objects, then every Namespace, then each partner's objects) or a tree of
//! files (`<partner>/<nn>-<kind>-<name>.yaml` plus a `kustomization.yaml`), produced one
//! partner at a time so memory stays flat however large the fleet.
//!
//! This module only produces bytes; the CLI writes them (atomically for trees).

pub mod yaml;

use crate::lower::{verify, Lowering, Object, Placement};
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
    // Serialising our object types cannot fail: every key is a string.
    if let Err(e) = yaml::write(object, out) {
        out.extend_from_slice(format!("# serialisation error: {e}\n").as_bytes());
    }
}

fn json(object: &Object, out: &mut Vec<u8>) {
    if let Err(e) = serde_json::to_writer(&mut *out, object) {
        out.extend_from_slice(format!("\"serialisation error: {e}\"").as_bytes());
    }
}

/// A structural check failed: a bug in bdc, reported instead of writing the object.
#[derive(Debug)]
pub struct Broken {
    pub partner: String,
    pub violation: verify::Violation,
}

/// Why a stream stopped.
#[derive(Debug)]
pub enum StreamError {
    Io(io::Error),
    Broken(Broken),
}

impl From<io::Error> for StreamError {
    fn from(e: io::Error) -> Self {
        StreamError::Io(e)
    }
}

/// Partners lowered and serialised per piece of work.
const CHUNK: usize = 64;

/// Namespaces serialised per piece of work.
const NAMESPACES: usize = 1024;

/// Lowers, checks and serialises a run of partners into `buf` (all but Namespaces).
fn chunk(lw: &Lowering, placements: &[Placement], format: Format, buf: &mut Vec<u8>) -> Result<(), Broken> {
    for at in placements {
        let objects = lw.partner_objects(at);
        if let Some(violation) = verify::objects(&objects).into_iter().next() {
            return Err(Broken { partner: at.partner.name.value.clone(), violation });
        }
        for o in objects.iter().filter(|o| !matches!(o, Object::Namespace(_))) {
            document(o, format, false, buf);
        }
    }
    Ok(())
}

/// One object as a stream document: `---` and YAML, or a list item of JSON.
fn document(o: &Object, format: Format, first: bool, buf: &mut Vec<u8>) {
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
}

/// Writes the whole stream: cluster-scoped objects, every Namespace, then each partner's
/// objects. Namespaces and partners are lowered, checked and serialised on worker threads, in
/// pieces, and written in order as they are ready, so memory stays flat however large the
/// fleet. Every partner's objects pass the structural checks before they are written.
pub fn stream(lw: &Lowering, placements: &[Placement], format: Format, out: &mut dyn Write) -> Result<(), StreamError> {
    let mut head = Vec::new();
    if format == Format::Json {
        head.extend_from_slice(br#"{"apiVersion":"v1","kind":"List","items":["#);
    }
    let mut first = true;
    for o in lw.cluster_objects(placements) {
        document(&o, format, std::mem::take(&mut first), &mut head);
    }
    out.write_all(&head)?;
    let namespaces = placements.len().div_ceil(NAMESPACES);
    let partners = placements.len().div_ceil(CHUNK);
    crate::parallel::ordered(
        namespaces + partners,
        |i, buf| {
            if i < namespaces {
                let run = &placements[i * NAMESPACES..placements.len().min((i + 1) * NAMESPACES)];
                for (j, at) in run.iter().enumerate() {
                    document(&crate::lower::namespace_of(lw, at), format, first && i == 0 && j == 0, buf);
                }
                Ok(())
            } else {
                let i = i - namespaces;
                let run = &placements[i * CHUNK..placements.len().min((i + 1) * CHUNK)];
                chunk(lw, run, format, buf).map_err(StreamError::Broken)
            }
        },
        |buf| Ok(out.write_all(buf)?),
    )?;
    if format == Format::Json {
        out.write_all(b"\n]}\n")?;
    }
    Ok(())
}

/// One file of a tree: a path relative to the output directory and its bytes.
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The files of one partner's bundle: its objects (cluster-scoped ones it needs included, so
/// the bundle is self-contained), a `kustomization.yaml`, and a portability report when there
/// is one.
pub fn partner_files(
    lw: &Lowering,
    at: &Placement,
    format: Format,
    report: Option<String>,
) -> Result<Vec<File>, Broken> {
    let objects = bundle_objects(lw, at)?;
    Ok(bundle(&at.partner.name.value, &objects, format, report))
}

/// A partner's objects for its bundle (cluster-scoped ones it needs first), checked.
pub fn bundle_objects(lw: &Lowering, at: &Placement) -> Result<Vec<Object>, Broken> {
    let mut objects = lw.cluster_objects(std::slice::from_ref(at));
    objects.extend(lw.partner_objects(at));
    if let Some(violation) = verify::objects(&objects).into_iter().next() {
        return Err(Broken { partner: at.partner.name.value.clone(), violation });
    }
    Ok(objects)
}

/// The files of a bundle in directory `dir`: one per object, a `kustomization.yaml` listing
/// them, and the portability report when there is one.
pub fn bundle(dir: &str, objects: &[Object], format: Format, report: Option<String>) -> Vec<File> {
    let mut files = Vec::with_capacity(objects.len() + 2);
    let mut resources = Vec::with_capacity(objects.len());
    for o in objects {
        let name = format!("{}.{}", o.file_stem(), format.extension());
        let mut bytes = Vec::new();
        match format {
            Format::Yaml => yaml(o, &mut bytes),
            Format::Json => {
                json(o, &mut bytes);
                bytes.push(b'\n');
            }
        }
        files.push(File { path: format!("{dir}/{name}"), bytes });
        resources.push(name);
    }
    files.push(File { path: format!("{dir}/kustomization.yaml"), bytes: kustomization(&resources) });
    if let Some(report) = report {
        files.push(File { path: format!("{dir}/PORTABILITY.md"), bytes: report.into_bytes() });
    }
    files
}

/// A `kustomization.yaml` (kustomize's own configuration, not an API object) listing
/// `resources`: files or directories relative to it.
pub fn kustomization(resources: &[String]) -> Vec<u8> {
    let mut k = String::from("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
    for r in resources {
        k.push_str(&format!("- {r}\n"));
    }
    k.into_bytes()
}
