//! What `bdc apply --prune` deletes: objects of a partner's applyset that the spec no longer
//! produces — never an object outside the set, and never data, a namespace, or an object
//! marked to be kept unless the matching flag says so.

use super::applyset::PART_OF_LABEL;
use std::collections::{BTreeMap, HashSet};

/// An object as listed from the cluster.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Live {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

impl Live {
    fn key(&self) -> (String, Option<String>, String) {
        (self.kind.clone(), self.namespace.clone(), self.name.clone())
    }
}

/// Whether deleting an object of `kind` deletes data (a volume claim, a managed database or
/// cache), as the one list of kinds (`lower::KINDS`) says.
pub fn holds_data(kind: &str) -> bool {
    crate::lower::kind_info(kind).is_some_and(|(_, k)| k.holds_data)
}

/// Why an object that left the spec is kept.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Kept {
    /// A PersistentVolumeClaim or a managed database or cache: data is deleted only with
    /// `--prune-data`.
    Data,
    /// A Namespace: deleted only with `--prune-namespaces`.
    Namespace,
    /// Marked by an annotation bdc honours (`helm.sh/resource-policy: keep`, Argo CD's
    /// `Prune=false`, Flux's `prune: disabled`).
    Annotated(String),
}

impl Kept {
    pub fn describe(&self) -> String {
        match self {
            Kept::Data => "holds data: delete with --prune-data".into(),
            Kept::Namespace => "a namespace: delete with --prune-namespaces".into(),
            Kept::Annotated(a) => format!("annotated `{a}`"),
        }
    }
}

/// Flags that widen what prune may delete.
#[derive(Clone, Copy, Debug, Default)]
pub struct Allow {
    pub data: bool,
    pub namespaces: bool,
}

#[derive(Debug, Default, PartialEq, serde::Serialize)]
pub struct Plan {
    /// In deletion order (reverse apply order).
    pub delete: Vec<Live>,
    pub kept: Vec<(Live, Kept)>,
}

fn keep_annotation(annotations: &BTreeMap<String, String>) -> Option<String> {
    let is = |k: &str, f: &dyn Fn(&str) -> bool| annotations.get(k).is_some_and(|v| f(v));
    if is("helm.sh/resource-policy", &|v| v == "keep") {
        return Some("helm.sh/resource-policy: keep".into());
    }
    if is("argocd.argoproj.io/sync-options", &|v| v.split(',').any(|o| o.trim() == "Prune=false")) {
        return Some("argocd.argoproj.io/sync-options: Prune=false".into());
    }
    if is("kustomize.toolkit.fluxcd.io/prune", &|v| v == "disabled") {
        return Some("kustomize.toolkit.fluxcd.io/prune: disabled".into());
    }
    None
}

/// Apply order of kinds (as `lower::KINDS` lists them); deletion runs in reverse.
fn rank(kind: &str) -> usize {
    crate::lower::kind_info(kind).map_or(crate::lower::KINDS.len(), |(i, _)| i)
}

/// Plans the prune of applyset `id`: `desired` are `(kind, namespace, name)` of what the spec
/// produces now, `live` what the cluster has.
pub fn plan(id: &str, desired: &[(String, Option<String>, String)], live: &[Live], allow: Allow) -> Plan {
    let wanted: HashSet<&(String, Option<String>, String)> = desired.iter().collect();
    let mut out = Plan::default();
    for o in live {
        if o.labels.get(PART_OF_LABEL).map(String::as_str) != Some(id) || wanted.contains(&o.key()) {
            continue;
        }
        let kept = if let Some(a) = keep_annotation(&o.annotations) {
            Some(Kept::Annotated(a))
        } else if holds_data(&o.kind) && !allow.data {
            Some(Kept::Data)
        } else if o.kind == "Namespace" && !allow.namespaces {
            Some(Kept::Namespace)
        } else {
            None
        };
        match kept {
            Some(k) => out.kept.push((o.clone(), k)),
            None => out.delete.push(o.clone()),
        }
    }
    out.delete.sort_by(|a, b| rank(&b.kind).cmp(&rank(&a.kind)).then_with(|| a.name.cmp(&b.name)));
    out.kept.sort_by_key(|k| k.0.key());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(kind: &str, name: &str, set: &str, annotations: &[(&str, &str)]) -> Live {
        Live {
            api_version: "v1".into(),
            kind: kind.into(),
            namespace: (kind != "Namespace").then(|| "bd-a".into()),
            name: name.into(),
            labels: BTreeMap::from([(PART_OF_LABEL.to_string(), set.to_string())]),
            annotations: annotations.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    #[test]
    fn prunes_only_what_left_the_spec_and_protects_data() {
        let cluster = vec![
            live("Deployment", "web", "set-1", &[]),
            live("Service", "web", "set-1", &[]),
            live("Service", "old", "set-1", &[]),
            live("HorizontalPodAutoscaler", "old", "set-1", &[]),
            live("PersistentVolumeClaim", "data", "set-1", &[]),
            live("Namespace", "bd-a", "set-1", &[]),
            live("ConfigMap", "keep-me", "set-1", &[("helm.sh/resource-policy", "keep")]),
            live("ConfigMap", "argo", "set-1", &[("argocd.argoproj.io/sync-options", "Validate=false, Prune=false")]),
            live("Service", "someone-elses", "set-2", &[]),
        ];
        let desired = vec![
            ("Deployment".into(), Some("bd-a".into()), "web".into()),
            ("Service".into(), Some("bd-a".into()), "web".into()),
        ];
        let p = plan("set-1", &desired, &cluster, Allow::default());
        let deleted: Vec<&str> = p.delete.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(deleted, ["old", "old"]);
        assert_eq!(p.delete[0].kind, "HorizontalPodAutoscaler", "reverse apply order");
        let kept: Vec<(&str, &Kept)> = p.kept.iter().map(|(o, k)| (o.name.as_str(), k)).collect();
        assert_eq!(kept.len(), 4);
        assert!(kept.contains(&("data", &Kept::Data)));
        assert!(kept.contains(&("bd-a", &Kept::Namespace)));
        for kind in ["SQLInstance", "DBInstance", "FlexibleServer", "Redis"] {
            let p = plan("set-1", &[], &[live(kind, "db", "set-1", &[])], Allow::default());
            assert!(p.delete.is_empty() && p.kept[0].1 == Kept::Data, "{kind} holds data");
            let p = plan("set-1", &[], &[live(kind, "db", "set-1", &[])], Allow { data: true, namespaces: false });
            assert_eq!(p.delete.len(), 1, "{kind} with --prune-data");
        }
        let wide = plan("set-1", &desired, &cluster, Allow { data: true, namespaces: true });
        assert_eq!(wide.delete.len(), 4);
        assert_eq!(wide.kept.len(), 2, "annotations always win");
        assert!(!wide.delete.iter().any(|o| o.name == "someone-elses"));
    }
}
