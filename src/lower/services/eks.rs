//! Managed services on EKS, through AWS Controllers for Kubernetes (ACK): PostgreSQL as an RDS
//! `DBInstance`, Redis as an ElastiCache `ReplicationGroup`, each with `FieldExport`s that write
//! the address the cloud gives it into the ConfigMap `<partner>-<service>-endpoint`, which the
//! binding reads. Subnet and security groups come from the platform's `managed` settings.

use super::binding::{database_name, user_name};
use super::{account, endpoint_name, gib, meta, password, sizes};
use crate::lower::operators::*;
use crate::lower::{Lowering, Object, Placement};
use crate::model::{Engine, Service, ServiceKind};
use k8s_openapi::api::core::v1::ConfigMap;

/// The endpoint ConfigMap and the ACK resources of one managed service.
pub(super) fn objects(lw: &Lowering, at: &Placement, s: &Service) -> Vec<Object> {
    // ACK's FieldExport writes into a ConfigMap that must exist first.
    let endpoint = ConfigMap { metadata: meta(lw, at, s, endpoint_name(at, s)), ..Default::default() };
    let mut out = vec![endpoint.into()];
    let Some(m) = account(lw, at) else { return out };
    let name = s.object_name(at.partner);
    let [host, port] = crate::lower::names::EXPORTED;
    let export = |field: &str, path: &str, group: &str, kind: &str| -> Object {
        FieldExport::new(
            meta(lw, at, s, format!("{name}-{field}")),
            FieldExportSpec {
                from: ExportFrom {
                    path: path.into(),
                    resource: ExportResource { group: group.into(), kind: kind.into(), name: name.clone() },
                },
                to: ExportTo { kind: "configmap".into(), name: endpoint_name(at, s), key: field.into() },
            },
        )
        .into()
    };
    match &s.kind {
        ServiceKind::Postgres { version, size, plan, .. } => out.extend([
            DbInstance::new(
                meta(lw, at, s, name.clone()),
                DbInstanceSpec {
                    db_instance_identifier: name.clone(),
                    db_instance_class: sizes::database(*plan).rds.into(),
                    engine: Engine::Postgres.as_str().into(),
                    engine_version: version.value.to_string(),
                    allocated_storage: gib(size.value).max(20),
                    storage_type: "gp3".into(),
                    storage_encrypted: true,
                    db_name: database_name(lw, at, s).unwrap_or_default(),
                    master_username: user_name(lw, at, s).unwrap_or_default(),
                    master_user_password: password(at, s),
                    db_subnet_group_name: m.db_subnet_group.clone().unwrap_or_default(),
                    vpc_security_group_ids: m.security_groups.clone(),
                    publicly_accessible: false,
                    backup_retention_period: 7,
                    deletion_protection: true,
                },
            )
            .into(),
            export(host, ".status.endpoint.address", "rds.services.k8s.aws", "DBInstance"),
            export(port, ".status.endpoint.port", "rds.services.k8s.aws", "DBInstance"),
        ]),
        ServiceKind::Redis { memory, version } => out.extend([
            ReplicationGroup::new(
                meta(lw, at, s, name.clone()),
                ReplicationGroupSpec {
                    replication_group_id: name.clone(),
                    description: format!("cache `{}` of partner {}", s.name.value, at.partner.name.value),
                    engine: Engine::Redis.as_str().into(),
                    engine_version: format!("{version}.1"),
                    cache_node_type: sizes::cache(sizes::ELASTICACHE_NODES, memory.value).into(),
                    num_node_groups: 1,
                    replicas_per_node_group: 0,
                    cache_subnet_group_name: m.cache_subnet_group.clone().unwrap_or_default(),
                    security_group_ids: m.security_groups.clone(),
                    transit_encryption_enabled: true,
                    at_rest_encryption_enabled: true,
                    auth_token: password(at, s),
                },
            )
            .into(),
            export(
                host,
                ".status.nodeGroups[0].primaryEndpoint.address",
                "elasticache.services.k8s.aws",
                "ReplicationGroup",
            ),
            export(
                port,
                ".status.nodeGroups[0].primaryEndpoint.port",
                "elasticache.services.k8s.aws",
                "ReplicationGroup",
            ),
        ]),
    }
    out
}
