//! ApplySet (KEP-3659) identity and labels for one partner's objects.

use crate::lower::Object;
use base64::Engine;
use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

pub const ID_LABEL: &str = "applyset.kubernetes.io/id";
pub const PART_OF_LABEL: &str = "applyset.kubernetes.io/part-of";
pub const TOOLING: &str = "applyset.kubernetes.io/tooling";
pub const CONTAINS: &str = "applyset.kubernetes.io/contains-group-kinds";
/// Name of the parent object in each partner namespace.
pub const PARENT_NAME: &str = "bdc-applyset";

/// `applyset-<base64url(sha256("<name>.<namespace>.<kind>.<group>"))>-v1`, as the KEP defines
/// it (the parent is a core ConfigMap, so the group is empty).
pub fn id(parent_name: &str, namespace: &str) -> String {
    let digest = Sha256::digest(format!("{parent_name}.{namespace}.ConfigMap.").as_bytes());
    format!("applyset-{}-v1", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest))
}

/// `Kind.group` (just `Kind` for the core group), as the contains-group-kinds annotation
/// lists them.
pub fn group_kind(o: &Object) -> String {
    match o.api_version().rsplit_once('/') {
        Some((group, _)) => format!("{}.{group}", o.kind()),
        None => o.kind().to_string(),
    }
}

/// The applyset of one partner namespace: its id, the parent ConfigMap, and the objects with
/// their part-of label set.
pub struct ApplySet {
    pub id: String,
    pub parent: ConfigMap,
    pub objects: Vec<Object>,
}

/// Marks `objects` (one partner's, in apply order) as members of the namespace's applyset.
pub fn build(namespace: &str, mut objects: Vec<Object>) -> ApplySet {
    let id = id(PARENT_NAME, namespace);
    let mut kinds = BTreeSet::new();
    for o in &mut objects {
        kinds.insert(group_kind(o));
        set_label(o, PART_OF_LABEL, &id);
    }
    let parent = ConfigMap {
        metadata: ObjectMeta {
            name: Some(PARENT_NAME.into()),
            namespace: Some(namespace.into()),
            labels: Some(BTreeMap::from([
                (ID_LABEL.to_string(), id.clone()),
                ("app.kubernetes.io/managed-by".to_string(), "bdc".to_string()),
            ])),
            annotations: Some(BTreeMap::from([
                (TOOLING.to_string(), format!("bdc/{}", env!("CARGO_PKG_VERSION"))),
                (CONTAINS.to_string(), kinds.into_iter().collect::<Vec<_>>().join(",")),
            ])),
            ..Default::default()
        },
        ..Default::default()
    };
    ApplySet { id, parent, objects }
}

fn set_label(o: &mut Object, key: &str, value: &str) {
    let meta = o.metadata_mut();
    meta.labels.get_or_insert_with(BTreeMap::new).insert(key.to_string(), value.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_kep() {
        // Computed independently (Python: hashlib.sha256, base64.urlsafe_b64encode, '=' stripped).
        let id = id("bdc-applyset", "bd-news");
        assert_eq!(id, "applyset-Q7svPgL73klyCeIGvoRagLMYlQ5h2fXbnGossZCk4lQ-v1");
        assert_ne!(id, super::id("bdc-applyset", "bd-other"));
        assert!(!id.contains('=') && !id.contains('+') && !id.contains('/'));
    }
}
