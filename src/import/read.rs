//! Reading Kubernetes YAML: multi-document files (`---`), `kind: List` dumps (`kubectl get -o
//! yaml`), documents without a namespace. Each document is parsed on its own so one broken
//! document does not hide the others; every object keeps the span of its document for the
//! report and for diagnostics (E0470 not YAML, E0471 not an object, W0425 a kind import does
//! not know, W0426 a Secret with values, which are never read).

use super::object::Obj;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, SourceMap, Span};
use serde_json::Value;

/// Kinds import reads or knows bdc replaces; anything else is reported (W0425) and skipped.
pub const KNOWN: &[&str] = &[
    "Deployment",
    "Rollout",
    "StatefulSet",
    "Service",
    "Ingress",
    "HTTPRoute",
    "ManagedCertificate",
    "Certificate",
    "HorizontalPodAutoscaler",
    "ConfigMap",
    "Secret",
    "Namespace",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "ResourceQuota",
    "LimitRange",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "PersistentVolumeClaim",
    "ReferenceGrant",
    "StorageClass",
];

/// Whether import reads the kind or knows bdc makes its own (every kind bdc emits).
pub fn known(kind: &str) -> bool {
    KNOWN.contains(&kind) || crate::lower::kind_info(kind).is_some()
}

/// The byte ranges of a file's YAML documents (split at `---` lines).
fn documents(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let marker = bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t");
        if marker {
            out.push((start, offset));
            start = offset + 3;
        }
        offset += line.len();
    }
    out.push((start, text.len()));
    out
}

/// The span of the line `key: …` at the top of a document (else the document's first line).
pub fn key_span(file: FileId, text: &str, (start, end): (usize, usize), key: &str) -> Span {
    let doc = &text[start..end];
    let mut offset = start;
    let mut first = None;
    for line in doc.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if first.is_none() && !bare.trim().is_empty() && !bare.trim_start().starts_with('#') {
            first = Some((offset, offset + bare.len()));
        }
        if bare.strip_prefix(key).is_some_and(|rest| rest.starts_with(':')) {
            return Span::new(file, offset as u32, (offset + bare.len()) as u32);
        }
        offset += line.len();
    }
    let (s, e) = first.unwrap_or((start, start));
    Span::new(file, s as u32, e as u32)
}

/// Reads one file's objects, reporting what cannot be read.
pub fn file(sources: &SourceMap, file: FileId, diagnostics: &mut Diagnostics) -> Vec<Obj> {
    let source = sources.get(file);
    let text = source.text.as_str();
    let name = source.name.clone();
    let mut out = Vec::new();
    for range in documents(text) {
        let doc = &text[range.0..range.1];
        let value: Value = match serde_yaml::from_str::<Option<Value>>(doc) {
            Ok(Some(v)) => v,
            Ok(None) => continue,
            Err(e) => {
                let at = e.location().map_or(range.0, |l| range.0 + l.index()).min(text.len());
                let at = crate::source::floor_char_boundary(text, at);
                let end = text[at..].find('\n').map_or(text.len(), |n| at + n).max(at);
                let message = e.to_string();
                let message = message.split(" at line").next().unwrap_or(&message).to_string();
                diagnostics.push(
                    Diagnostic::new(
                        Code::ImportNotYaml,
                        Span::new(file, at as u32, end as u32),
                        format!("`{name}` is not YAML: {message}"),
                        "the YAML reader stops here",
                    )
                    .help("import reads Kubernetes YAML (`kubectl get -o yaml`, `helm template`, `kustomize build`); fix or remove this document, the others are read"),
                );
                continue;
            }
        };
        let line = source.line_col(key_span(file, text, range, "kind").start).line;
        let items = match (value.get("kind").and_then(Value::as_str), value.get("items")) {
            (Some(k), Some(Value::Array(items))) if k.ends_with("List") => items.clone(),
            _ => vec![value],
        };
        for item in items {
            if let Some(o) = object(item, file, text, range, &name, line, diagnostics) {
                out.push(o);
            }
        }
    }
    out
}

fn object(
    value: Value,
    file: FileId,
    text: &str,
    range: (usize, usize),
    name: &str,
    line: u32,
    diagnostics: &mut Diagnostics,
) -> Option<Obj> {
    let span = key_span(file, text, range, "kind");
    let origin = format!("{name}:{line}");
    let not_object = |what: String, help: &str| {
        Diagnostic::new(Code::ImportNotObject, span, format!("{what} ({origin})"), "not a Kubernetes object")
            .help(help.to_string())
    };
    if !value.is_object() {
        diagnostics.push(not_object(
            format!("a document of `{name}` is not a mapping"),
            "each YAML document must be one Kubernetes object with `apiVersion`, `kind` and `metadata.name`",
        ));
        return None;
    }
    let kind = value.get("kind").and_then(Value::as_str).unwrap_or_default().to_string();
    let api_version = value.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string();
    let meta = value.get("metadata");
    let object_name = meta.and_then(|m| m.get("name")).and_then(Value::as_str).unwrap_or_default().to_string();
    if kind.is_empty() || api_version.is_empty() {
        let missing = if kind.is_empty() { "kind" } else { "apiVersion" };
        diagnostics.push(not_object(
            format!("an object in `{name}` has no `{missing}`"),
            "write the object's `apiVersion` and `kind` (as `kubectl get -o yaml` prints them)",
        ));
        return None;
    }
    if object_name.is_empty() {
        let span = key_span(file, text, range, "metadata");
        diagnostics.push(
            Diagnostic::new(
                Code::ImportNotObject,
                span,
                format!("the {kind} in `{name}` has no `metadata.name` ({origin})"),
                "no name",
            )
            .help(format!("give the {kind} a `metadata.name` (objects with only `generateName` are made by controllers, not kept in a fleet)")),
        );
        return None;
    }
    let namespace = meta.and_then(|m| m.get("namespace")).and_then(Value::as_str).map(str::to_string);
    if !known(&kind) {
        diagnostics.push(
            Diagnostic::new(
                Code::ImportUnknownKind,
                span,
                format!("{kind} `{object_name}` is not imported: bdc has no equivalent for this kind"),
                "kind skipped",
            )
            .help(format!(
                "the import report lists it as not representable; keep the {kind} next to the bdc output (apply it with kubectl) or drop it"
            )),
        );
    }
    let secret_values = kind == "Secret"
        && ["data", "stringData"]
            .iter()
            .any(|k| value.get(*k).and_then(Value::as_object).is_some_and(|m| !m.is_empty()));
    if secret_values {
        let at = ["data", "stringData"]
            .iter()
            .map(|k| key_span(file, text, range, k))
            .find(|s| !s.is_empty())
            .unwrap_or(span);
        diagnostics.push(
            Diagnostic::new(
                Code::ImportSecretValues,
                at,
                format!("the values of Secret `{object_name}` are not imported, only its name"),
                "values skipped",
            )
            .help(format!("bdc specs name secrets and never hold their values: keep Secret `{object_name}` in your secret store (or apply it as it is) and remove it from the files given to import")),
        );
    }
    Some(Obj { kind, api_version, name: object_name, namespace, body: value, span, origin })
}

#[cfg(test)]
mod tests {
    use super::documents;

    #[test]
    fn documents_split_at_markers_only() {
        let text = "a: 1\n---\nb: 2\n--- # c\nc: '---'\n";
        let docs: Vec<&str> = documents(text).into_iter().map(|(s, e)| &text[s..e]).collect();
        assert_eq!(docs, vec!["a: 1\n", "\nb: 2\n", " # c\nc: '---'\n"]);
    }
}
