//! Managed services on GKE, through Config Connector: PostgreSQL as a Cloud SQL instance with
//! its database and user, reached by the site through a Cloud SQL Auth Proxy sidecar at
//! `127.0.0.1`; Redis as a Memorystore instance (its address is not exported: validation says
//! so). Resources carry the project from the platform's `managed` settings.

use super::binding::{database_name, user_name};
use super::{account, gib, meta, password, sizes};
use crate::lower::operators::*;
use crate::lower::workload::{requirements, restricted_container};
use crate::lower::{Lowering, Object, Placement};
use crate::model::{defaults, Service, ServiceKind};
use k8s_openapi::api::core::v1::Container;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

/// How the pod carries the Cloud SQL Auth Proxy ([`proxy_sidecar`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyAs {
    /// An init container with `restartPolicy: Always` (Deployments).
    NativeSidecar,
    /// An ordinary container beside the site (Argo Rollouts pod templates).
    Container,
}

/// The Config Connector resources of one managed service.
pub(super) fn objects(lw: &Lowering, at: &Placement, s: &Service) -> Vec<Object> {
    let Some(m) = account(lw, at) else { return Vec::new() };
    let name = s.object_name(at.partner);
    let meta = |n: String| -> ObjectMeta {
        let mut meta = meta(lw, at, s, n);
        if let Some(project) = &m.project {
            meta.annotations =
                Some(BTreeMap::from([("cnrm.cloud.google.com/project-id".to_string(), project.clone())]));
        }
        meta
    };
    let region = m.region.clone().unwrap_or_default();
    match &s.kind {
        ServiceKind::Postgres { version, size, plan, .. } => vec![
            SqlInstance::new(
                meta(name.clone()),
                SqlInstanceSpec {
                    database_version: format!("POSTGRES_{}", version.value),
                    region,
                    settings: SqlSettings {
                        tier: sizes::database(*plan).cloud_sql.into(),
                        disk_size: gib(size.value).max(10),
                        disk_autoresize: true,
                        deletion_protection_enabled: true,
                        backup_configuration: SqlBackup { enabled: true, point_in_time_recovery_enabled: true },
                    },
                },
            )
            .into(),
            SqlDatabase::new(
                meta(name.clone()),
                SqlDatabaseSpec {
                    instance_ref: NameRef { name: name.clone() },
                    resource_id: database_name(lw, at, s).unwrap_or_default(),
                    deletion_policy: "ABANDON".into(),
                },
            )
            .into(),
            SqlUser::new(
                meta(name.clone()),
                SqlUserSpec {
                    instance_ref: NameRef { name: name.clone() },
                    resource_id: user_name(lw, at, s).unwrap_or_default(),
                    password: SqlPassword { value_from: SqlPasswordSource { secret_key_ref: password(at, s) } },
                },
            )
            .into(),
        ],
        ServiceKind::Redis { memory, version } => vec![RedisInstance::new(
            meta(name),
            RedisInstanceSpec {
                memory_size_gb: gib(memory.value).max(1),
                region,
                tier: "BASIC".into(),
                redis_version: format!("REDIS_{version}_0"),
                auth_enabled: true,
            },
        )
        .into()],
    }
}

/// The Cloud SQL connection name (`project:region:instance`) the Auth Proxy sidecar serves.
fn cloud_sql_connection(lw: &Lowering, at: &Placement, s: &Service) -> Option<String> {
    let m = account(lw, at)?;
    Some(format!("{}:{}:{}", m.project.as_deref()?, m.region.as_deref()?, s.object_name(at.partner)))
}

/// The Cloud SQL connections of the partner's proxied PostgreSQL services
/// ([`crate::model::capacity::proxied`]).
fn proxied(lw: &Lowering, at: &Placement) -> Vec<String> {
    crate::model::capacity::proxied(at.partner, at.target, lw.platform)
        .into_iter()
        .filter_map(|s| cloud_sql_connection(lw, at, s))
        .collect()
}

/// The Cloud SQL Auth Proxy sidecar: the site reaches its managed PostgreSQL on GKE at
/// `127.0.0.1`, authenticated by its workload identity. `None` when the partner has no such
/// service here.
///
/// With the `native` backend it is a native sidecar (an init container with
/// `restartPolicy: Always`): it starts before the site and stops after it. An Argo Rollouts
/// pod template cannot carry one: the Rollout CRD's container schema (v1.6, `tests/data/
/// argo-rollouts`) has no `restartPolicy`, so the API server prunes it and the proxy becomes an
/// init container that never ends, and the pod never starts. Under Argo the proxy is therefore
/// an ordinary container beside the site ([`ProxyAs::Container`]), which every Argo Rollouts
/// version runs; `--max-sigterm-delay` keeps it serving the site's open connections while the
/// pod shuts down (it leaves as soon as they are closed, within the pod's grace period).
pub fn proxy_sidecar(lw: &Lowering, at: &Placement, how: ProxyAs) -> Option<Container> {
    let connections = proxied(lw, at);
    if connections.is_empty() {
        return None;
    }
    let mut args = vec!["--structured-logs".to_string(), format!("--port={}", defaults::POSTGRES_PORT)];
    if how == ProxyAs::Container {
        args.push(format!("--max-sigterm-delay={}s", crate::lower::workload::GRACE_SECONDS));
    }
    args.extend(connections);
    Some(Container {
        name: "cloud-sql-proxy".into(),
        image: Some(crate::model::images::image(lw.platform, crate::model::images::PROXY).0),
        args: Some(args),
        restart_policy: (how == ProxyAs::NativeSidecar).then(|| "Always".into()),
        resources: Some(requirements(crate::model::capacity::PROXY_RESOURCES)),
        security_context: Some(restricted_container()),
        ..Default::default()
    })
}
