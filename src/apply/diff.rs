//! How `bdc diff` shows a change: the live object and the server's dry-run of ours, both
//! without the fields the server manages (status, managed fields, resource versions …), as
//! a unified diff of YAML.

use serde_json::Value;

/// Metadata fields the server owns.
const SERVER_METADATA: &[&str] =
    &["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink", "deletionTimestamp"];
/// Annotations that are bookkeeping, not intent.
const NOISY_ANNOTATIONS: &[&str] =
    &["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision"];

/// Removes what the server manages, so only intent is compared.
pub fn clean(v: &mut Value) {
    let Some(obj) = v.as_object_mut() else { return };
    obj.remove("status");
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        for f in SERVER_METADATA {
            meta.remove(*f);
        }
        if let Some(ann) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            for a in NOISY_ANNOTATIONS {
                ann.remove(*a);
            }
            if ann.is_empty() {
                meta.remove("annotations");
            }
        }
    }
}

fn yaml(v: &Value) -> String {
    let mut out = Vec::new();
    if crate::emit::yaml::write(v, &mut out).is_err() {
        return v.to_string();
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A unified diff from `live` (absent: the object is new) to `want`, or `None` when they are
/// the same once cleaned. `title` names the object (`Deployment bd-a/web`).
pub fn render(title: &str, live: Option<&Value>, want: &Value) -> Option<String> {
    let mut want = want.clone();
    clean(&mut want);
    let before = live.map(|l| {
        let mut l = l.clone();
        clean(&mut l);
        l
    });
    if before.as_ref() == Some(&want) {
        return None;
    }
    let (old, new) = (before.as_ref().map(yaml).unwrap_or_default(), yaml(&want));
    let diff = similar::TextDiff::from_lines(&old, &new);
    let header = if live.is_some() { format!("live {title}") } else { "(absent)".to_string() };
    Some(diff.unified_diff().context_radius(3).header(&header, &format!("bdc {title}")).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn server_noise_is_not_a_change() {
        let want = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}});
        let live = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "uid": "1", "resourceVersion": "9", "managedFields": [{}], "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
            "spec": {"ports": [{"port": 80}]}, "status": {"loadBalancer": {}}});
        assert_eq!(render("Service bd-a/web", Some(&live), &want), None);
    }

    #[test]
    fn an_edited_field_shows_as_one_change() {
        let want = json!({"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 3, "paused": false}});
        let live = json!({"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 2, "paused": false}});
        let d = render("Deployment bd-a/web", Some(&live), &want).expect("a change");
        assert!(d.contains("-  replicas: 2\n") && d.contains("+  replicas: 3\n"), "{d}");
        assert_eq!(d.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).count(), 1, "{d}");
        let new = render("Deployment bd-a/web", None, &want).expect("new");
        assert!(new.starts_with("--- (absent)"), "{new}");
    }
}
