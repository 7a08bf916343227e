//! A partner's backing services, by how they are provisioned ([`mode`]):
//!
//! - `in_cluster` ([`in_cluster`]): a StatefulSet with a volume claim (the target's storage
//!   class), a headless Service, NetworkPolicies that admit only the partner's own web pods, a
//!   disruption budget, restricted security settings;
//! - `managed`: the cloud's operator resources, one module per cloud — [`gke`] (Config
//!   Connector: Cloud SQL behind an Auth Proxy sidecar, Memorystore), [`eks`] (ACK: RDS,
//!   ElastiCache, endpoints exported by `FieldExport`), [`aks`] (Azure Service Operator:
//!   PostgreSQL flexible server, Azure Cache for Redis); instance sizes come from [`sizes`];
//! - `external`: nothing is provisioned, only the binding.
//!
//! Every mode has the same [`binding`]: the web container reads `<NAME>_HOST`, `_PORT`,
//! `_DATABASE`, `_USER`, `_PASSWORD` from a ConfigMap `<partner>-<service>`, the operator's
//! export, and the password Secret named by `credentials` (created outside bdc).

mod aks;
mod binding;
mod eks;
mod gke;
mod in_cluster;
pub mod sizes;

pub use aks::POSTGRES_VERSIONS as AKS_POSTGRES_VERSIONS;
pub use binding::{binding_env, cloud_spelling, database_name, user_name};
pub use gke::{proxy_sidecar, ProxyAs};

use super::labels::labels;
use super::operators::KeyRef;
use super::{Lowering, Object, Placement};
use crate::model::{Managed, Provider, Service, ServiceMode};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

/// How a service is provisioned on this placement: its mode, except that a managed service
/// exported to a plain Kubernetes cluster runs in it.
pub fn mode(lw: &Lowering, at: &Placement, s: &Service) -> ServiceMode {
    crate::model::provisioned_mode(s, at.target, lw.platform)
}

/// Everything a partner's services need besides the web container's variables.
pub fn objects(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let mut out = Vec::new();
    for s in &at.partner.services {
        out.push(binding::config_map(lw, at, s).into());
        match mode(lw, at, s) {
            ServiceMode::InCluster => out.extend(in_cluster::objects(lw, at, s)),
            ServiceMode::Managed => out.extend(match at.target.provider {
                Provider::Gke => gke::objects(lw, at, s),
                Provider::Eks => eks::objects(lw, at, s),
                Provider::Aks => aks::objects(lw, at, s),
                // `mode` runs a managed service in a plain cluster.
                Provider::K8s => Vec::new(),
            }),
            ServiceMode::External => {}
        }
    }
    out
}

/// The labels that select a service's pods.
fn selector(at: &Placement, s: &Service) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("app.kubernetes.io/name".to_string(), s.engine().to_string()),
        ("app.kubernetes.io/instance".to_string(), s.object_name(at.partner)),
    ])
}

fn meta(lw: &Lowering, at: &Placement, s: &Service, name: String) -> ObjectMeta {
    let mut l = labels(lw, at, s.engine().as_str());
    l.extend(selector(at, s));
    ObjectMeta { name: Some(name), namespace: Some(at.namespace.clone()), labels: Some(l), ..Default::default() }
}

/// The cloud account of the placement's target, when the platform gives one.
fn account<'a>(lw: &'a Lowering, at: &Placement) -> Option<&'a Managed> {
    lw.platform.managed.get(&at.target.name.value)
}

/// The service's password Secret, as the operators refer to it.
fn password(at: &Placement, s: &Service) -> KeyRef {
    KeyRef { name: s.credentials(at.partner), key: "password".into() }
}

/// `<partner>-<service>-endpoint`: where an operator exports the address it was given.
fn endpoint_name(at: &Placement, s: &Service) -> String {
    crate::lower::names::derive(&s.object_name(at.partner), crate::lower::names::ENDPOINT)
}

/// Whole GiB, rounded up.
fn gib(bytes: u64) -> i64 {
    bytes.div_ceil(1 << 30) as i64
}
