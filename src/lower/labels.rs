//! Labels and metadata: the Kubernetes recommended labels on everything, selectors that use
//! only the labels that never change for a partner. Only what runs a release (the web
//! Deployments or Rollout and their pods) carries its `app.kubernetes.io/version`: a new release
//! changes nothing else, so it never restarts a database or rewrites an unrelated object.

use super::{Lowering, Placement};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use std::collections::BTreeMap;

pub const NAME: &str = "app.kubernetes.io/name";
pub const INSTANCE: &str = "app.kubernetes.io/instance";
pub const VERSION: &str = "app.kubernetes.io/version";
pub const COMPONENT: &str = "app.kubernetes.io/component";
pub const PART_OF: &str = "app.kubernetes.io/part-of";
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";

/// The application every partner runs.
pub const APP: &str = "web";

/// Labels that select a partner's web pods; stable across releases.
pub fn selector(at: &Placement) -> BTreeMap<String, String> {
    BTreeMap::from([(NAME.to_string(), APP.to_string()), (INSTANCE.to_string(), at.partner.name.value.clone())])
}

pub fn label_selector(at: &Placement) -> LabelSelector {
    LabelSelector { match_labels: Some(selector(at)), ..Default::default() }
}

/// The label set of an object of `component` that does not run the release: recommended
/// labels but the version, then the platform's and the partner's own labels (which cannot
/// override the recommended ones).
pub fn labels(lw: &Lowering, at: &Placement, component: &str) -> BTreeMap<String, String> {
    let mut l: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in lw.platform.labels.iter().chain(&at.partner.labels) {
        l.insert(k.clone(), v.value.clone());
    }
    l.extend(selector(at));
    l.remove(VERSION);
    l.insert(COMPONENT.into(), component.into());
    l.insert(PART_OF.into(), lw.platform.name.value.clone());
    l.insert(MANAGED_BY.into(), "bdc".into());
    l
}

/// The labels of what runs the placement's release (a web Deployment or Rollout, and its pod
/// template): [`labels`] and the release's version.
pub fn release_labels(lw: &Lowering, at: &Placement, component: &str) -> BTreeMap<String, String> {
    let mut l = labels(lw, at, component);
    l.insert(VERSION.into(), at.release.version.value.clone());
    l
}

/// Metadata of a workload that runs the placement's release.
pub fn release_meta(lw: &Lowering, at: &Placement, name: &str, component: &str) -> ObjectMeta {
    ObjectMeta { labels: Some(release_labels(lw, at, component)), ..meta(lw, at, name, component) }
}

/// Metadata of a namespaced object of the partner that does not run the release.
pub fn meta(lw: &Lowering, at: &Placement, name: &str, component: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: Some(at.namespace.clone()),
        labels: Some(labels(lw, at, component)),
        ..Default::default()
    }
}

pub fn with_annotations(mut meta: ObjectMeta, annotations: BTreeMap<String, String>) -> ObjectMeta {
    if !annotations.is_empty() {
        meta.annotations = Some(annotations);
    }
    meta
}
