//! Argo CD: one `ApplicationSet` for the whole fleet. A list generator names every partner
//! (its cluster, namespace, directory and wave); the template makes one `Application` per
//! partner that syncs its directory to its cluster with server-side apply and leaves the
//! replicas the autoscaler owns alone; a `RollingSync` strategy moves the fleet wave by wave
//! (one step per wave, matched on the wave label). Field names follow Argo CD's
//! `manifests/crds/applicationset-crd.yaml` (checked against it in the tests).

use super::{Layout, WAVE_LABEL};
use crate::lower::crd::custom_resource;
use crate::model::Gitops;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use std::collections::BTreeMap;

custom_resource!(ApplicationSet, ApplicationSetSpec, "argoproj.io", "v1alpha1", "ApplicationSet", "applicationsets");

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSetSpec {
    pub go_template: bool,
    pub go_template_options: Vec<String>,
    pub generators: Vec<Generator>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    pub sync_policy: SetSyncPolicy,
    pub template: Template,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Generator {
    pub list: ListGenerator,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListGenerator {
    /// One element per partner: the parameters the template reads.
    pub elements: Vec<BTreeMap<String, String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Strategy {
    #[serde(rename = "type")]
    pub type_: String,
    pub rolling_sync: RollingSync,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RollingSync {
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub match_expressions: Vec<MatchExpression>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatchExpression {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetSyncPolicy {
    /// Deleting an Application (a partner left the tree) leaves its objects on the cluster.
    pub preserve_resources_on_deletion: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Template {
    pub metadata: TemplateMeta,
    pub spec: ApplicationSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TemplateMeta {
    pub name: String,
    pub labels: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSpec {
    pub project: String,
    pub source: Source,
    pub destination: Destination,
    pub sync_policy: SyncPolicy,
    pub ignore_differences: Vec<IgnoreDifference>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    #[serde(rename = "repoURL")]
    pub repo_url: String,
    pub target_revision: String,
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Destination {
    pub name: String,
    pub namespace: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncPolicy {
    pub automated: Automated,
    pub sync_options: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Automated {
    pub prune: bool,
    pub self_heal: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IgnoreDifference {
    pub group: String,
    pub kind: String,
    pub json_pointers: Vec<String>,
}

/// The fleet's `ApplicationSet`: one Application per partner, and one per cluster for the
/// cluster-scoped objects its partners share.
pub fn application_set(layout: &Layout, g: &Gitops) -> ApplicationSet {
    let element = |app: String, partner: &str, cluster: &str, namespace: &str, path: String, wave: &str| {
        BTreeMap::from([
            ("app".to_string(), app),
            ("partner".to_string(), partner.to_string()),
            ("cluster".to_string(), cluster.to_string()),
            ("namespace".to_string(), namespace.to_string()),
            ("path".to_string(), path),
            ("wave".to_string(), wave.to_string()),
        ])
    };
    // The clusters' shared objects first (they are in no wave), then every partner.
    let mut clusters: Vec<&str> = layout.entries.iter().map(|e| e.cluster.as_str()).collect();
    clusters.sort_unstable();
    clusters.dedup();
    let shared = clusters.into_iter().filter(|c| layout.shared_of(c).is_some()).map(|c| {
        let path = layout.repo_path(&format!("clusters/{c}/{}", super::SHARED_DIR));
        element(super::shared_name(c), "", c, "", path, super::NO_WAVE)
    });
    let partners = layout.entries.iter().map(|e| {
        element(e.partner.clone(), &e.partner, &e.cluster, &e.namespace, layout.repo_path(&e.dir()), e.wave_label())
    });
    let elements = shared.chain(partners).collect();
    // One step per wave in train order, then the partners no wave takes.
    let steps: Vec<Step> = layout
        .step_labels()
        .into_iter()
        .map(|w| Step {
            match_expressions: vec![MatchExpression { key: WAVE_LABEL.into(), operator: "In".into(), values: vec![w] }],
        })
        .collect();
    let strategy =
        (steps.len() > 1).then(|| Strategy { type_: "RollingSync".into(), rolling_sync: RollingSync { steps } });
    let replicas = |group: &str, kind: &str| IgnoreDifference {
        group: group.into(),
        kind: kind.into(),
        json_pointers: vec!["/spec/replicas".into()],
    };
    let metadata = ObjectMeta {
        name: Some(format!("{}-fleet", layout.platform)),
        namespace: Some(g.namespace.clone()),
        labels: Some(BTreeMap::from([(super::MANAGED_BY.to_string(), "bdc".to_string())])),
        ..Default::default()
    };
    ApplicationSet::new(
        metadata,
        ApplicationSetSpec {
            go_template: true,
            go_template_options: vec!["missingkey=error".into()],
            generators: vec![Generator { list: ListGenerator { elements } }],
            strategy,
            sync_policy: SetSyncPolicy { preserve_resources_on_deletion: true },
            template: Template {
                metadata: TemplateMeta {
                    name: "{{.app}}".into(),
                    labels: BTreeMap::from([
                        (WAVE_LABEL.to_string(), "{{.wave}}".to_string()),
                        (super::PARTNER_LABEL.to_string(), "{{.partner}}".to_string()),
                    ]),
                },
                spec: ApplicationSpec {
                    project: g.project.clone(),
                    source: Source {
                        repo_url: g.repo.clone().unwrap_or_default(),
                        target_revision: g.revision.clone(),
                        path: "{{.path}}".into(),
                    },
                    destination: Destination { name: "{{.cluster}}".into(), namespace: "{{.namespace}}".into() },
                    sync_policy: SyncPolicy {
                        automated: Automated { prune: true, self_heal: true },
                        sync_options: vec![
                            "ServerSideApply=true".into(),
                            "RespectIgnoreDifferences=true".into(),
                            "PruneLast=true".into(),
                        ],
                    },
                    // The autoscaler owns the web workload's replicas.
                    ignore_differences: vec![replicas("apps", "Deployment"), replicas("argoproj.io", "Rollout")],
                },
            },
        },
    )
}
