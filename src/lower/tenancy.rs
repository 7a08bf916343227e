//! The tenancy envelope of a partner: namespace (Pod Security "restricted"), service account
//! with its cloud identity (and the operator objects that create or bind it, from
//! [`super::identity`]), RBAC for the partner's team, quota and default limits.

use super::labels::{meta, with_annotations};
use super::{Lowering, Object, Placement};
use crate::check::units::{format_bytes, format_cpu};
use crate::model::capacity::{peak_pods, web_pod, Totals};
use crate::model::{Provider, ServiceMode};
use k8s_openapi::api::core::v1::{
    LimitRange, LimitRangeItem, LimitRangeSpec, Namespace, ResourceQuota, ResourceQuotaSpec, ServiceAccount,
};
use k8s_openapi::api::rbac::v1::{PolicyRule, Role, RoleBinding, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

pub fn namespace(lw: &Lowering, at: &Placement) -> Object {
    let mut labels = super::labels::labels(lw, at, "tenancy");
    for mode in ["enforce", "audit", "warn"] {
        labels.insert(format!("pod-security.kubernetes.io/{mode}"), "restricted".into());
        labels.insert(format!("pod-security.kubernetes.io/{mode}-version"), "latest".into());
    }
    Namespace {
        metadata: ObjectMeta { name: Some(at.namespace.clone()), labels: Some(labels), ..Default::default() },
        ..Default::default()
    }
    .into()
}

/// Whether an identity string has the shape the provider's workload identity expects.
pub fn identity_fits(provider: Provider, identity: &str) -> bool {
    match provider {
        Provider::Gke => identity.ends_with(".iam.gserviceaccount.com") && identity.contains('@'),
        Provider::Eks => identity.starts_with("arn:aws:iam::") && identity.contains(":role/"),
        Provider::Aks => {
            let parts: Vec<&str> = identity.split('-').collect();
            parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
                && identity.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        }
        Provider::K8s => false,
    }
}

/// Service account (no automounted token), and a Role and RoleBinding for the partner's team.
pub fn identity(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let name = &at.partner.name.value;
    let annotations: BTreeMap<String, String> = super::identity::annotation(lw, at).into_iter().collect();
    let mut out: Vec<Object> = vec![ServiceAccount {
        metadata: with_annotations(meta(lw, at, name, "web"), annotations),
        automount_service_account_token: Some(false),
        ..Default::default()
    }
    .into()];
    out.extend(super::identity::objects(lw, at));
    let Some(team) = &at.partner.team else { return out };
    let rule = |groups: &[&str], resources: &[&str], verbs: &[&str]| PolicyRule {
        api_groups: Some(groups.iter().map(|s| s.to_string()).collect()),
        resources: Some(resources.iter().map(|s| s.to_string()).collect()),
        verbs: verbs.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let role_name = super::names::derive(name, super::names::TEAM);
    out.push(
        Role {
            metadata: meta(lw, at, &role_name, "tenancy"),
            rules: Some(vec![
                rule(
                    &[""],
                    &["pods", "pods/log", "services", "endpoints", "configmaps", "events", "persistentvolumeclaims"],
                    &["get", "list", "watch"],
                ),
                rule(&[""], &["pods"], &["delete"]),
                rule(&[""], &["secrets"], &["create", "update", "patch"]),
                rule(&["apps"], &["deployments", "replicasets"], &["get", "list", "watch"]),
                rule(&["apps"], &["deployments"], &["patch"]),
                rule(&["autoscaling"], &["horizontalpodautoscalers"], &["get", "list", "watch"]),
            ]),
        }
        .into(),
    );
    out.push(
        RoleBinding {
            metadata: meta(lw, at, &role_name, "tenancy"),
            role_ref: RoleRef {
                api_group: "rbac.authorization.k8s.io".into(),
                kind: "Role".into(),
                name: role_name.clone(),
            },
            subjects: Some(vec![Subject {
                api_group: Some("rbac.authorization.k8s.io".into()),
                kind: "Group".into(),
                name: team.clone(),
                namespace: None,
            }]),
        }
        .into(),
    );
    out
}

fn q(s: String) -> Quantity {
    Quantity(s)
}

/// A quota that holds the rollout peak (or the one the spec gives, which the checker has
/// verified), and default container limits from the plan.
pub fn limits(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let Some(res) = &at.partner.resources else { return Vec::new() };
    // Checked sums; a spec that checked clean stays far inside 64 bits (the checker's maxima and
    // the quota rule refuse the rest), so the saturated fallback only ever overstates.
    let web_pods = peak_pods(at.partner).unwrap_or(u64::MAX);
    let web = web_pod(res, at.partner, at.target, lw.platform).and_then(|pod| pod.times(web_pods));
    let (svc, svc_pods, svc_claims, svc_storage) = crate::model::capacity::in_cluster_services(
        at.partner,
        at.target,
        lw.platform,
    )
    .unwrap_or((Totals::ZERO, 0, 0, u64::MAX));
    let pods = web_pods.saturating_add(svc_pods);
    let (cpu, memory, cpu_limit, memory_limit) = match &at.partner.quota {
        Some(qt) => (qt.value.cpu.value, qt.value.memory.value, qt.value.cpu_limit.value, qt.value.memory_limit.value),
        None => {
            let all = web.and_then(|w| w.plus(svc)).unwrap_or(Totals::MAX);
            (all.cpu, all.memory, all.cpu_limit, all.memory_limit)
        }
    };
    let mut hard = BTreeMap::from([
        ("requests.cpu".to_string(), q(format_cpu(cpu))),
        ("requests.memory".to_string(), q(format_bytes(memory))),
        ("limits.cpu".to_string(), q(format_cpu(cpu_limit))),
        ("limits.memory".to_string(), q(format_bytes(memory_limit))),
        ("pods".to_string(), q(pods.to_string())),
        ("services.loadbalancers".to_string(), q("0".into())),
        ("services.nodeports".to_string(), q("0".into())),
    ]);
    let claims = u64::from(at.partner.storage.is_some()).saturating_add(svc_claims);
    hard.insert("persistentvolumeclaims".into(), q(claims.to_string()));
    let storage = at.partner.storage.as_ref().map_or(0, |s| s.value).saturating_add(svc_storage);
    hard.insert("requests.storage".into(), q(if storage == 0 { "0".into() } else { format_bytes(storage) }));
    let quota = ResourceQuota {
        metadata: meta(lw, at, "quota", "tenancy"),
        spec: Some(ResourceQuotaSpec { hard: Some(hard), ..Default::default() }),
        ..Default::default()
    };
    let per_pod = |c: u64, m: u64| {
        BTreeMap::from([("cpu".to_string(), q(format_cpu(c))), ("memory".to_string(), q(format_bytes(m)))])
    };
    // The largest container: the web pod's, or an in-cluster database or cache's.
    let (mut max_cpu, mut max_memory) = (res.cpu_limit.value, res.memory_limit.value);
    for s in at.partner.services.iter().filter(|s| super::services::mode(lw, at, s) == ServiceMode::InCluster) {
        let r = crate::model::capacity::service_pod(s);
        max_cpu = max_cpu.max(r.cpu_limit);
        max_memory = max_memory.max(r.memory_limit);
    }
    let limit_range = LimitRange {
        metadata: meta(lw, at, "limits", "tenancy"),
        spec: Some(LimitRangeSpec {
            limits: vec![LimitRangeItem {
                type_: "Container".into(),
                default: Some(per_pod(res.cpu_limit.value, res.memory_limit.value)),
                default_request: Some(per_pod(res.cpu.value, res.memory.value)),
                max: Some(per_pod(max_cpu, max_memory)),
                ..Default::default()
            }],
        }),
    };
    vec![quota.into(), limit_range.into()]
}

#[cfg(test)]
mod tests {
    use super::{identity_fits, Provider};

    #[test]
    fn identities_by_provider() {
        assert!(identity_fits(Provider::Gke, "site@proj.iam.gserviceaccount.com"));
        assert!(identity_fits(Provider::Eks, "arn:aws:iam::123456789012:role/site"));
        assert!(identity_fits(Provider::Aks, "0f9b2c1e-8d3a-4b5c-9e7f-1a2b3c4d5e6f"));
        assert!(!identity_fits(Provider::Eks, "site@proj.iam.gserviceaccount.com"));
        assert!(!identity_fits(Provider::K8s, "anything"));
    }
}
