//! Flux: one `Kustomization` (kustomize.toolkit.fluxcd.io/v1) per partner, in the engine's
//! namespace of the partner's cluster. It applies the partner's directory from the
//! `GitRepository` the platform names, prunes what left it (data and the namespace are
//! annotated never to be pruned), waits for the partner's workloads (`healthChecks`), and
//! `dependsOn` the partners of the previous wave on the same cluster, so that a wave starts once
//! the one before it is ready on the new revision. Field names follow the kustomize-controller's
//! CRD (checked against it in the tests).

use super::{Entry, Layout, PARTNER_LABEL, WAVE_LABEL};
use crate::lower::crd::custom_resource;
use crate::lower::Object;
use crate::model::Gitops;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use std::collections::BTreeMap;

custom_resource!(
    Kustomization,
    KustomizationSpec,
    "kustomize.toolkit.fluxcd.io",
    "v1",
    "Kustomization",
    "kustomizations"
);

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KustomizationSpec {
    pub interval: String,
    pub path: String,
    pub prune: bool,
    pub source_ref: SourceRef,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<Dependency>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub health_checks: Vec<HealthCheck>,
    /// How long health checks may take before the reconciliation fails.
    pub timeout: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceRef {
    pub kind: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dependency {
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
}

/// A duration as Go writes it (`10m`, `1h30m`, `45s`), which Flux's fields take.
fn go_duration(ms: u64) -> String {
    let secs = (ms / 1000).max(1);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// The workloads Flux waits for: what runs the release and the in-cluster services.
fn health_checks(objects: &[Object]) -> Vec<HealthCheck> {
    objects
        .iter()
        .filter(|o| matches!(o, Object::Deployment(_) | Object::StatefulSet(_) | Object::Rollout(_)))
        .map(|o| HealthCheck {
            api_version: o.api_version().into(),
            kind: o.kind().into(),
            name: o.name().into(),
            namespace: o.namespace().unwrap_or_default().into(),
        })
        .collect()
}

/// The `Kustomization` of one partner, from its lowered objects.
pub fn kustomization(layout: &Layout, g: &Gitops, entry: &Entry, objects: &[Object]) -> Kustomization {
    let metadata = ObjectMeta {
        name: Some(entry.partner.clone()),
        namespace: Some(g.namespace.clone()),
        labels: Some(BTreeMap::from([
            (super::MANAGED_BY.to_string(), "bdc".to_string()),
            (PARTNER_LABEL.to_string(), entry.partner.clone()),
            (WAVE_LABEL.to_string(), entry.wave_label().to_string()),
        ])),
        ..Default::default()
    };
    let depends_on = layout.previous_wave(entry).into_iter().map(|p| Dependency { name: p.partner.clone() }).collect();
    Kustomization::new(
        metadata,
        KustomizationSpec {
            interval: go_duration(g.interval_ms),
            path: format!("./{}", layout.repo_path(&entry.dir())),
            prune: true,
            source_ref: SourceRef { kind: "GitRepository".into(), name: g.source.clone() },
            depends_on,
            health_checks: health_checks(objects),
            timeout: "10m".into(),
        },
    )
}

/// The `Kustomization` of a cluster's shared cluster-scoped objects: no waves, nothing to wait
/// for.
pub fn shared(layout: &Layout, g: &Gitops, cluster: &str) -> Kustomization {
    let metadata = ObjectMeta {
        name: Some(super::shared_name(cluster)),
        namespace: Some(g.namespace.clone()),
        labels: Some(BTreeMap::from([
            (super::MANAGED_BY.to_string(), "bdc".to_string()),
            (WAVE_LABEL.to_string(), super::NO_WAVE.to_string()),
        ])),
        ..Default::default()
    };
    Kustomization::new(
        metadata,
        KustomizationSpec {
            interval: go_duration(g.interval_ms),
            path: format!("./{}", layout.repo_path(&format!("clusters/{cluster}/{}", super::SHARED_DIR))),
            prune: true,
            source_ref: SourceRef { kind: "GitRepository".into(), name: g.source.clone() },
            depends_on: Vec::new(),
            health_checks: Vec::new(),
            timeout: "10m".into(),
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_are_written_as_go_writes_them() {
        assert_eq!(super::go_duration(600_000), "10m");
        assert_eq!(super::go_duration(5_400_000), "1h30m");
        assert_eq!(super::go_duration(45_000), "45s");
        assert_eq!(super::go_duration(10), "1s");
    }
}
