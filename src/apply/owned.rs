//! What bdc's field manager owns on a live object, and whether an apply changed it. A server
//! moves an object's resourceVersion for reasons of its own (a controller writing status, a
//! claim's first update, a timestamp in the managed fields), so "changed" is decided from the
//! fields bdc owns: the set of fields (`managedFields[].fieldsV1` of manager `bdc`, operation
//! `Apply`) and their values before and after the apply. An object whose live copy carries
//! the digest of the configuration bdc would send, and whose fields no other writer took
//! over, is not sent at all (`unchanged`). Pure: it reads JSON.

use serde_json::{Map, Value};

/// The field set bdc's apply owns on a live object (`None`: bdc owns nothing there).
pub fn fieldset<'v>(live: &'v Value, manager: &str) -> Option<&'v Value> {
    live.pointer("/metadata/managedFields")?.as_array()?.iter().find_map(|m| {
        let mine = m.get("manager").and_then(Value::as_str) == Some(manager)
            && m.get("operation").and_then(Value::as_str) == Some("Apply")
            && m.get("subresource").and_then(Value::as_str).unwrap_or("").is_empty();
        mine.then(|| m.get("fieldsV1")).flatten()
    })
}

/// The part of `value` that `set` (a fieldsV1 tree) names, keyed as the field set is, so two
/// projections are equal exactly when the owned values are.
pub fn project(value: &Value, set: &Value) -> Value {
    let Some(entries) = set.as_object() else { return Value::Null };
    // A leaf (`{}`, or only `.`) owns the whole value.
    if entries.keys().all(|k| k == ".") {
        return value.clone();
    }
    let mut out = Map::new();
    for (key, sub) in entries {
        if key == "." {
            continue;
        }
        let found = if let Some(field) = key.strip_prefix("f:") {
            value.get(field).map(|v| project(v, sub))
        } else if let Some(keys) = key.strip_prefix("k:") {
            keyed_item(value, keys).map(|v| project(v, sub))
        } else if let Some(item) = key.strip_prefix("v:") {
            let item: Value = serde_json::from_str(item).unwrap_or(Value::Null);
            Some(Value::Bool(value.as_array().is_some_and(|a| a.contains(&item))))
        } else if let Some(index) = key.strip_prefix("i:") {
            index.parse::<usize>().ok().and_then(|i| value.get(i)).map(|v| project(v, sub))
        } else {
            None
        };
        out.insert(key.clone(), found.unwrap_or(Value::Null));
    }
    Value::Object(out)
}

/// The list item whose fields match the associative keys `keys` (a JSON object).
fn keyed_item<'v>(list: &'v Value, keys: &str) -> Option<&'v Value> {
    let keys: Map<String, Value> = serde_json::from_str(keys).ok()?;
    list.as_array()?.iter().find(|item| keys.iter().all(|(k, v)| item.get(k) == Some(v)))
}

/// Whether an apply by `manager` changed what it owns: the owned field set moved, or a value
/// in it did.
pub fn changed(before: &Value, after: &Value, manager: &str) -> bool {
    let (Some(old), Some(new)) = (fieldset(before, manager), fieldset(after, manager)) else {
        // bdc took ownership now (or lost it): that is a change.
        return fieldset(before, manager) != fieldset(after, manager);
    };
    old != new || project(before, new) != project(after, new)
}

/// The annotation carrying the digest of the configuration bdc applied to an object.
pub const APPLIED: &str = "bluedot.io/applied-digest";

/// The object as bdc sends it: its JSON with the digest of that JSON (sha256, first 16 bytes
/// in hex) in the `APPLIED` annotation. Returns (stamped object, digest).
pub fn stamp(object: &Value) -> (Value, String) {
    use sha2::{Digest, Sha256};
    let digest: String =
        Sha256::digest(object.to_string().as_bytes())[..16].iter().map(|b| format!("{b:02x}")).collect();
    let mut stamped = object.clone();
    if let Some(meta) = stamped.get_mut("metadata").and_then(Value::as_object_mut) {
        let annotations = meta.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
        if let Some(a) = annotations.as_object_mut() {
            a.insert(APPLIED.into(), Value::String(digest.clone()));
        }
    }
    (stamped, digest)
}

/// Whether any field `set` (a fieldsV1 tree) names is set in `value`.
pub fn overlaps(value: &Value, set: &Value) -> bool {
    let Some(entries) = set.as_object() else { return false };
    if entries.keys().all(|k| k == ".") {
        return !value.is_null();
    }
    entries.iter().filter(|(k, _)| *k != ".").any(|(key, sub)| {
        if let Some(field) = key.strip_prefix("f:") {
            value.get(field).is_some_and(|v| overlaps(v, sub))
        } else if let Some(keys) = key.strip_prefix("k:") {
            keyed_item(value, keys).is_some_and(|v| overlaps(v, sub))
        } else if let Some(item) = key.strip_prefix("v:") {
            let item: Value = serde_json::from_str(item).unwrap_or(Value::Null);
            value.as_array().is_some_and(|a| a.contains(&item))
        } else if let Some(index) = key.strip_prefix("i:") {
            index.parse::<usize>().ok().and_then(|i| value.get(i)).is_some_and(|v| overlaps(v, sub))
        } else {
            false
        }
    })
}

/// Whether sending `desired` (stamped with `digest`) can be skipped: the live object carries
/// the same digest, `manager` still applies fields there, it is not being deleted, and no
/// other writer of the object itself (not of its status or scale) has set a field `desired`
/// sets — such a writer took the field over, and the apply must take it back.
pub fn unchanged(live: &Value, desired: &Value, digest: &str, manager: &str) -> bool {
    let stamped = live.pointer("/metadata/annotations").and_then(|a| a.get(APPLIED)).and_then(Value::as_str);
    if stamped != Some(digest)
        || fieldset(live, manager).is_none()
        || live.pointer("/metadata/deletionTimestamp").is_some()
    {
        return false;
    }
    let entries = live.pointer("/metadata/managedFields").and_then(Value::as_array).cloned().unwrap_or_default();
    !entries.iter().any(|m| {
        let own = m.get("manager").and_then(Value::as_str) == Some(manager)
            && m.get("operation").and_then(Value::as_str) == Some("Apply");
        let subresource = !m.get("subresource").and_then(Value::as_str).unwrap_or("").is_empty();
        !own && !subresource && m.get("fieldsV1").is_some_and(|f| overlaps(desired, f))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(rv: &str, replicas: i64, annotation: &str, fields: Value) -> Value {
        json!({
            "metadata": {
                "resourceVersion": rv,
                "annotations": {"theirs": annotation},
                "managedFields": [
                    {"manager": "bdc", "operation": "Apply", "fieldsV1": fields, "time": rv},
                    {"manager": "kube-controller-manager", "operation": "Update", "subresource": "status", "fieldsV1": {}}
                ]
            },
            "spec": {"replicas": replicas, "containers": [{"name": "web", "image": "a"}]},
            "status": {"ready": rv}
        })
    }

    fn fields() -> Value {
        json!({"f:spec": {"f:replicas": {}, "f:containers": {"k:{\"name\":\"web\"}": {".": {}, "f:image": {}}}}})
    }

    #[test]
    fn a_moved_resource_version_or_foreign_field_is_no_change() {
        let before = object("1", 2, "x", fields());
        let after = object("7", 2, "y", fields());
        assert!(!changed(&before, &after, "bdc"));
    }

    #[test]
    fn an_owned_value_or_owned_set_that_moved_is_a_change() {
        let before = object("1", 2, "x", fields());
        assert!(changed(&before, &object("2", 3, "x", fields()), "bdc"));
        let mut image = object("2", 2, "x", fields());
        image["spec"]["containers"][0]["image"] = json!("b");
        assert!(changed(&before, &image, "bdc"));
        let fewer = json!({"f:spec": {"f:replicas": {}}});
        assert!(changed(&before, &object("2", 2, "x", fewer), "bdc"));
    }

    #[test]
    fn an_object_with_the_same_digest_and_no_takeover_is_skipped() {
        let desired = json!({"metadata": {"name": "web", "annotations": {"a": "1"}}, "spec": {"replicas": 2}});
        let (stamped, digest) = stamp(&desired);
        let mut live = object("1", 2, "x", fields());
        live["metadata"]["annotations"] = stamped["metadata"]["annotations"].clone();
        assert!(unchanged(&live, &desired, &digest, "bdc"));
        assert!(!unchanged(&live, &desired, "other-digest", "bdc"), "another configuration");
        // The controller's revision annotation and status writes do not count.
        let controller = json!({"manager": "kube-controller-manager", "operation": "Update",
            "fieldsV1": {"f:metadata": {"f:annotations": {".": {}, "f:deployment.kubernetes.io/revision": {}}}}});
        live["metadata"]["managedFields"].as_array_mut().expect("list").push(controller);
        assert!(unchanged(&live, &desired, &digest, "bdc"));
        // Someone scaled it by editing the object: the replicas must be taken back.
        let edit =
            json!({"manager": "kubectl-edit", "operation": "Update", "fieldsV1": {"f:spec": {"f:replicas": {}}}});
        live["metadata"]["managedFields"].as_array_mut().expect("list").push(edit);
        assert!(!unchanged(&live, &desired, &digest, "bdc"));
    }

    #[test]
    fn taking_ownership_is_a_change() {
        let mut before = object("1", 2, "x", fields());
        before["metadata"]["managedFields"] = json!([]);
        assert!(changed(&before, &object("2", 2, "x", fields()), "bdc"));
    }
}
