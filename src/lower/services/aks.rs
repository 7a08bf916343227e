//! Managed services on AKS, through Azure Service Operator (ASO): PostgreSQL as a flexible
//! server and its database, Redis as Azure Cache for Redis. ASO exports the server's host (and
//! the cache's host, port and generated access key) into `<partner>-<service>-endpoint`, which
//! the binding reads. The resource group and region come from the platform's `managed`
//! settings.

use super::binding::{database_name, user_name};
use super::{account, endpoint_name, gib, meta, password, sizes};
use crate::lower::operators::*;
use crate::lower::{Lowering, Object, Placement};
use crate::model::{Service, ServiceKind};
use std::collections::BTreeMap;

/// The PostgreSQL major versions the FlexibleServer CRD bdc emits (`v1api20240801`) takes.
pub const POSTGRES_VERSIONS: std::ops::RangeInclusive<i64> = 11..=16;

/// The ASO resources of one managed service.
pub(super) fn objects(lw: &Lowering, at: &Placement, s: &Service) -> Vec<Object> {
    let Some(m) = account(lw, at) else { return Vec::new() };
    let name = s.object_name(at.partner);
    let owner = NameRef { name: m.resource_group.clone().unwrap_or_default() };
    let location = m.region.clone().unwrap_or_default();
    let key = |k: &str| KeyRef { name: endpoint_name(at, s), key: k.into() };
    match &s.kind {
        ServiceKind::Postgres { version, size, plan, .. } => {
            let (sku, tier) = sizes::database(*plan).azure;
            vec![
                FlexibleServer::new(
                    meta(lw, at, s, name.clone()),
                    FlexibleServerSpec {
                        owner,
                        location,
                        version: version.value.to_string(),
                        sku: AzureSku { name: sku.into(), tier: tier.into() },
                        storage: FlexibleStorage { storage_size_gb: gib(size.value).max(32) },
                        administrator_login: user_name(lw, at, s).unwrap_or_default(),
                        administrator_login_password: password(at, s),
                        operator_spec: FlexibleOperatorSpec {
                            config_maps: BTreeMap::from([("fullyQualifiedDomainName".to_string(), key("host"))]),
                        },
                    },
                )
                .into(),
                FlexibleServersDatabase::new(
                    meta(lw, at, s, name.clone()),
                    FlexibleServersDatabaseSpec {
                        owner: NameRef { name },
                        azure_name: database_name(lw, at, s).unwrap_or_default(),
                        charset: "utf8".into(),
                    },
                )
                .into(),
            ]
        }
        ServiceKind::Redis { memory, .. } => vec![AzureRedis::new(
            meta(lw, at, s, name),
            AzureRedisSpec {
                owner,
                location,
                sku: AzureRedisSku {
                    name: "Basic".into(),
                    family: "C".into(),
                    capacity: sizes::cache(sizes::AZURE_CACHE_CAPACITIES, memory.value),
                },
                redis_version: "6".into(),
                enable_non_ssl_port: false,
                minimum_tls_version: "1.2".into(),
                operator_spec: AzureRedisOperatorSpec {
                    secrets: BTreeMap::from([
                        ("hostName".to_string(), key("host")),
                        ("sslPort".to_string(), key("port")),
                        ("primaryKey".to_string(), key("password")),
                    ]),
                },
            },
        )
        .into()],
    }
}
