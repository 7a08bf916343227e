//! A partner's backing services, by how they are provisioned:
//!
//! - `in_cluster`: a StatefulSet with a volume claim (the target's storage class), a headless
//!   Service, NetworkPolicies that admit only the partner's own web pods, a disruption budget,
//!   restricted security settings;
//! - `external`: nothing is provisioned, only the binding;
//! - `managed`: the cloud's operator resources (not lowered yet: the binding is emitted and
//!   the portability report says what to provision).
//!
//! Every mode has the same binding: a ConfigMap `<partner>-<service>` (host, port, database,
//! user) and the password in a Secret named by `credentials`, created outside bdc. The web
//! container reads them as `<NAME>_HOST`, `_PORT`, `_DATABASE`, `_USER`, `_PASSWORD`.

use super::labels::labels;
use super::workload::{requirements, restricted_container, restricted_pod};
use super::{Lowering, Object, Placement};
use crate::check::units::format_bytes;
use crate::model::capacity::{service_pod, service_volume};
use crate::model::{service_mode, Service, ServiceKind};
use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetSpec};
use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapKeySelector, Container, ContainerPort, EmptyDirVolumeSource, EnvVar, EnvVarSource, ExecAction,
    PersistentVolumeClaim, PersistentVolumeClaimSpec, PodSpec, PodTemplateSpec, Probe, SecretKeySelector,
    Service as KubeService, ServicePort, ServiceSpec, TCPSocketAction, Volume, VolumeMount, VolumeResourceRequirements,
};
use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
    NetworkPolicySpec,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// The user id of the official `postgres` and `redis` images.
const ENGINE_USER: i64 = 999;

/// `<partner>-<service>`: the name of every object of a service.
pub fn object_name(at: &Placement, s: &Service) -> String {
    format!("{}-{}", at.partner.name.value, s.name.value)
}

/// `db` → `DB`, `page-cache` → `PAGE_CACHE`.
pub fn env_prefix(s: &Service) -> String {
    s.name.value.to_ascii_uppercase().replace('-', "_")
}

/// The Secret holding a service's password (key `password`).
pub fn credentials(at: &Placement, s: &Service) -> String {
    s.credentials.clone().unwrap_or_else(|| format!("{}-credentials", object_name(at, s)))
}

fn selector(at: &Placement, s: &Service) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("app.kubernetes.io/name".to_string(), s.engine().to_string()),
        ("app.kubernetes.io/instance".to_string(), object_name(at, s)),
    ])
}

fn meta(lw: &Lowering, at: &Placement, s: &Service, name: String) -> ObjectMeta {
    let mut l = labels(lw, at, s.engine());
    l.extend(selector(at, s));
    ObjectMeta { name: Some(name), namespace: Some(at.namespace.clone()), labels: Some(l), ..Default::default() }
}

/// How a service is provisioned on this placement: its mode, except that a managed service
/// exported to a plain Kubernetes cluster runs in it.
pub fn mode<'a>(lw: &'a Lowering, at: &'a Placement, s: &'a Service) -> &'a str {
    match service_mode(s, at.target, lw.platform) {
        "managed" if at.target.provider == "k8s" => "in_cluster",
        m => m,
    }
}

/// Everything a partner's services need besides the web container's variables.
pub fn objects(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let mut out = Vec::new();
    for s in &at.partner.services {
        out.push(binding(lw, at, s).into());
        match mode(lw, at, s) {
            "in_cluster" => out.extend(in_cluster(lw, at, s)),
            "managed" => {
                if at.target.provider == "eks" {
                    // ACK's FieldExport writes into a ConfigMap that must exist first.
                    let endpoint = ConfigMap {
                        metadata: meta(lw, at, s, format!("{}-endpoint", object_name(at, s))),
                        ..Default::default()
                    };
                    out.push(endpoint.into());
                }
                out.extend(managed(lw, at, s));
            }
            _ => {}
        }
    }
    out
}

/// The binding ConfigMap: where the service is (when bdc knows it) and who connects — never
/// the password.
fn binding(lw: &Lowering, at: &Placement, s: &Service) -> ConfigMap {
    let host = match mode(lw, at, s) {
        "in_cluster" => Some(format!("{}.{}.svc", object_name(at, s), at.namespace)),
        "external" => s.host.clone(),
        // The Cloud SQL Auth Proxy sidecar listens in the pod.
        "managed" if at.target.provider == "gke" && matches!(s.kind, ServiceKind::Postgres { .. }) => {
            Some("127.0.0.1".into())
        }
        _ => None,
    };
    let mut data = BTreeMap::new();
    if let Some(host) = host {
        data.insert("host".to_string(), host);
        data.insert("port".to_string(), s.port.unwrap_or(s.default_port()).to_string());
    }
    if let ServiceKind::Postgres { database, user, .. } = &s.kind {
        let managed_name = |n: String| {
            if mode(lw, at, s) == "managed" && at.target.provider != "gke" {
                n.replace('-', "_")
            } else {
                n
            }
        };
        data.insert("database".into(), managed_name(database.clone().unwrap_or_else(|| s.name.value.clone())));
        data.insert("user".into(), managed_name(user.clone().unwrap_or_else(|| at.partner.name.value.clone())));
    }
    ConfigMap { metadata: meta(lw, at, s, object_name(at, s)), data: Some(data), ..Default::default() }
}

/// The variables the web container reads, the same on every target and in every mode; only
/// where they are read from changes (bdc's binding, or what the cloud's operator exports).
pub fn binding_env(lw: &Lowering, at: &Placement) -> Vec<EnvVar> {
    let mut out = Vec::new();
    for s in &at.partner.services {
        let prefix = env_prefix(s);
        let exported = if mode(lw, at, s) == "managed" { managed_endpoint(at, s) } else { None };
        let from = |var: &str, source: &str, key: &str, secret: bool| EnvVar {
            name: format!("{prefix}_{var}"),
            value_from: Some(if secret {
                EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector { name: source.into(), key: key.into(), optional: None }),
                    ..Default::default()
                }
            } else {
                EnvVarSource {
                    config_map_key_ref: Some(ConfigMapKeySelector {
                        name: source.into(),
                        key: key.into(),
                        optional: None,
                    }),
                    ..Default::default()
                }
            }),
            ..Default::default()
        };
        let (endpoint, secret) = exported.clone().unwrap_or((object_name(at, s), false));
        out.push(from("HOST", &endpoint, "host", secret));
        if exported.is_some() && matches!(s.kind, ServiceKind::Postgres { .. }) {
            // ASO and ACK export the host; the port of PostgreSQL is fixed.
            if at.target.provider == "aks" {
                out.push(EnvVar { name: format!("{prefix}_PORT"), value: Some("5432".into()), ..Default::default() });
            } else {
                out.push(from("PORT", &endpoint, "port", secret));
            }
        } else {
            out.push(from("PORT", &endpoint, "port", secret));
        }
        if matches!(s.kind, ServiceKind::Postgres { .. }) {
            out.push(from("DATABASE", &object_name(at, s), "database", false));
            out.push(from("USER", &object_name(at, s), "user", false));
        }
        match exported {
            // Azure Cache for Redis generates its access key; ASO exports it.
            Some((endpoint, true)) => out.push(from("PASSWORD", &endpoint, "password", true)),
            _ => out.push(password_env(&format!("{prefix}_PASSWORD"), at, s)),
        }
    }
    out
}

fn password_env(name: &str, at: &Placement, s: &Service) -> EnvVar {
    EnvVar {
        name: name.into(),
        value_from: Some(EnvVarSource {
            secret_key_ref: Some(SecretKeySelector {
                name: credentials(at, s),
                key: "password".into(),
                optional: None,
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn plain_env(name: &str, value: String) -> EnvVar {
    EnvVar { name: name.into(), value: Some(value), ..Default::default() }
}

fn in_cluster(lw: &Lowering, at: &Placement, s: &Service) -> Vec<Object> {
    let name = object_name(at, s);
    let port = i32::from(s.default_port());
    let web = super::labels::label_selector(at);
    let mine = LabelSelector { match_labels: Some(selector(at, s)), ..Default::default() };
    let tcp =
        |p: i32| NetworkPolicyPort { protocol: Some("TCP".into()), port: Some(IntOrString::Int(p)), end_port: None };
    let admit = NetworkPolicy {
        metadata: meta(lw, at, s, name.clone()),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(mine.clone()),
            policy_types: Some(vec!["Ingress".into()]),
            ingress: Some(vec![NetworkPolicyIngressRule {
                from: Some(vec![NetworkPolicyPeer { pod_selector: Some(web.clone()), ..Default::default() }]),
                ports: Some(vec![tcp(port)]),
            }]),
            ..Default::default()
        }),
    };
    let reach = NetworkPolicy {
        metadata: meta(lw, at, s, format!("{name}-client")),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(web),
            policy_types: Some(vec!["Egress".into()]),
            egress: Some(vec![NetworkPolicyEgressRule {
                to: Some(vec![NetworkPolicyPeer { pod_selector: Some(mine.clone()), ..Default::default() }]),
                ports: Some(vec![tcp(port)]),
            }]),
            ..Default::default()
        }),
    };
    let headless = KubeService {
        metadata: meta(lw, at, s, name.clone()),
        spec: Some(ServiceSpec {
            cluster_ip: Some("None".into()),
            selector: Some(selector(at, s)),
            ports: Some(vec![ServicePort {
                name: Some(s.engine().into()),
                port,
                target_port: Some(IntOrString::String(s.engine().into())),
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    };
    // A single instance: a voluntary eviction (a node drain) waits for someone to move it.
    let budget = PodDisruptionBudget {
        metadata: meta(lw, at, s, name.clone()),
        spec: Some(PodDisruptionBudgetSpec {
            min_available: Some(IntOrString::Int(1)),
            selector: Some(mine.clone()),
            ..Default::default()
        }),
        ..Default::default()
    };
    vec![admit.into(), reach.into(), headless.into(), statefulset(lw, at, s, mine).into(), budget.into()]
}

fn statefulset(lw: &Lowering, at: &Placement, s: &Service, selector_labels: LabelSelector) -> StatefulSet {
    let name = object_name(at, s);
    let r = service_pod(s);
    let scratch =
        |volume: &str, path: &str| VolumeMount { name: volume.into(), mount_path: path.into(), ..Default::default() };
    let (image, args, env, mounts, probe, data_path) = match &s.kind {
        ServiceKind::Postgres { version, database, user, .. } => (
            format!("docker.io/library/postgres:{}", version.value),
            None,
            vec![
                plain_env("POSTGRES_DB", database.clone().unwrap_or_else(|| s.name.value.clone())),
                plain_env("POSTGRES_USER", user.clone().unwrap_or_else(|| at.partner.name.value.clone())),
                password_env("POSTGRES_PASSWORD", at, s),
                plain_env("PGDATA", "/var/lib/postgresql/data/pgdata".into()),
            ],
            vec![scratch("run", "/var/run/postgresql"), scratch("tmp", "/tmp")],
            Probe {
                exec: Some(ExecAction {
                    command: Some(vec![
                        "pg_isready".into(),
                        "-h".into(),
                        "127.0.0.1".into(),
                        "-p".into(),
                        "5432".into(),
                    ]),
                }),
                period_seconds: Some(10),
                ..Default::default()
            },
            "/var/lib/postgresql/data",
        ),
        ServiceKind::Redis { memory, version } => (
            format!("docker.io/library/redis:{version}"),
            Some(vec![
                "--requirepass".into(),
                "$(REDIS_PASSWORD)".into(),
                "--maxmemory".into(),
                (u128::from(memory.value) * 4 / 5).to_string(),
                "--maxmemory-policy".into(),
                "allkeys-lru".into(),
                "--dir".into(),
                "/data".into(),
            ]),
            vec![password_env("REDIS_PASSWORD", at, s)],
            vec![scratch("tmp", "/tmp")],
            Probe {
                tcp_socket: Some(TCPSocketAction { port: IntOrString::String(s.engine().into()), host: None }),
                period_seconds: Some(10),
                ..Default::default()
            },
            "/data",
        ),
    };
    let mut volume_mounts =
        vec![VolumeMount { name: "data".into(), mount_path: data_path.into(), ..Default::default() }];
    volume_mounts.extend(mounts.iter().cloned());
    let volumes: Vec<Volume> = mounts
        .iter()
        .map(|m| Volume {
            name: m.name.clone(),
            empty_dir: Some(EmptyDirVolumeSource { size_limit: Some(Quantity("64Mi".into())), medium: None }),
            ..Default::default()
        })
        .collect();
    let container = Container {
        name: s.engine().into(),
        image: Some(image),
        image_pull_policy: Some("IfNotPresent".into()),
        args,
        env: Some(env),
        ports: Some(vec![ContainerPort {
            name: Some(s.engine().into()),
            container_port: i32::from(s.default_port()),
            protocol: Some("TCP".into()),
            ..Default::default()
        }]),
        resources: Some(requirements(r)),
        readiness_probe: Some(probe.clone()),
        liveness_probe: Some(Probe { failure_threshold: Some(6), ..probe }),
        security_context: Some(restricted_container()),
        volume_mounts: Some(volume_mounts),
        ..Default::default()
    };
    let mut pod_labels = labels(lw, at, s.engine());
    pod_labels.extend(selector(at, s));
    let claim = PersistentVolumeClaim {
        metadata: ObjectMeta { name: Some("data".into()), ..Default::default() },
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(vec!["ReadWriteOnce".into()]),
            storage_class_name: at.target.storage_class.clone(),
            resources: Some(VolumeResourceRequirements {
                requests: Some(BTreeMap::from([("storage".to_string(), Quantity(format_bytes(service_volume(s))))])),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    StatefulSet {
        metadata: meta(lw, at, s, name.clone()),
        spec: Some(StatefulSetSpec {
            replicas: Some(1),
            service_name: Some(name),
            selector: selector_labels,
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta { labels: Some(pod_labels), ..Default::default() }),
                spec: Some(PodSpec {
                    automount_service_account_token: Some(false),
                    security_context: Some(restricted_pod(ENGINE_USER)),
                    containers: vec![container],
                    volumes: Some(volumes),
                    termination_grace_period_seconds: Some(60),
                    ..Default::default()
                }),
            },
            volume_claim_templates: Some(vec![claim]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Where a managed service's binding reads host and port (and, for Azure Cache for Redis,
/// the password ASO exports): `(ConfigMap or Secret name, is a Secret)`.
fn managed_endpoint(at: &Placement, s: &Service) -> Option<(String, bool)> {
    match (at.target.provider.as_str(), &s.kind) {
        ("eks", _) | ("aks", ServiceKind::Postgres { .. }) => Some((format!("{}-endpoint", object_name(at, s)), false)),
        ("aks", ServiceKind::Redis { .. }) => Some((format!("{}-endpoint", object_name(at, s)), true)),
        _ => None,
    }
}

/// Whether a service is provisioned by the cloud's operator on this placement (a managed
/// service exported to a plain cluster runs in it instead).
pub fn is_managed(lw: &Lowering, at: &Placement, s: &Service) -> bool {
    service_mode(s, at.target, lw.platform) == "managed" && at.target.provider != "k8s"
}

/// The Cloud SQL connection name (`project:region:instance`) the Auth Proxy sidecar serves.
pub fn cloud_sql_connection(lw: &Lowering, at: &Placement, s: &Service) -> Option<String> {
    let m = lw.platform.managed.get(&at.target.name.value)?;
    Some(format!("{}:{}:{}", m.project.as_deref()?, m.region.as_deref()?, object_name(at, s)))
}

/// GKE's managed PostgreSQL services, reached through a Cloud SQL Auth Proxy sidecar.
pub fn proxied(lw: &Lowering, at: &Placement) -> Vec<String> {
    if at.target.provider != "gke" {
        return Vec::new();
    }
    at.partner
        .services
        .iter()
        .filter(|s| is_managed(lw, at, s) && matches!(s.kind, ServiceKind::Postgres { .. }))
        .filter_map(|s| cloud_sql_connection(lw, at, s))
        .collect()
}

fn gib(bytes: u64) -> i64 {
    bytes.div_ceil(1 << 30) as i64
}

/// The operator's resources for a managed service.
fn managed(lw: &Lowering, at: &Placement, s: &Service) -> Vec<Object> {
    use super::operators::*;
    let Some(m) = lw.platform.managed.get(&at.target.name.value) else { return Vec::new() };
    let name = object_name(at, s);
    let meta = |n: String| {
        let mut meta = meta(lw, at, s, n);
        if at.target.provider == "gke" {
            if let Some(project) = &m.project {
                meta.annotations =
                    Some(BTreeMap::from([("cnrm.cloud.google.com/project-id".to_string(), project.clone())]));
            }
        }
        meta
    };
    let password = KeyRef { name: credentials(at, s), key: "password".into() };
    let region = m.region.clone().unwrap_or_default();
    let export = |field: &str, path: &str, group: &str, kind: &str| -> Object {
        FieldExport::new(
            meta(format!("{name}-{field}")),
            FieldExportSpec {
                from: ExportFrom {
                    path: path.into(),
                    resource: ExportResource { group: group.into(), kind: kind.into(), name: name.clone() },
                },
                to: ExportTo { kind: "configmap".into(), name: format!("{name}-endpoint"), key: field.into() },
            },
        )
        .into()
    };
    match (at.target.provider.as_str(), &s.kind) {
        ("gke", ServiceKind::Postgres { version, size, plan, database, user }) => {
            let tier = match plan.as_str() {
                "large" => "db-custom-4-15360",
                "medium" => "db-custom-2-7680",
                _ => "db-custom-1-3840",
            };
            vec![
                SqlInstance::new(
                    meta(name.clone()),
                    SqlInstanceSpec {
                        database_version: format!("POSTGRES_{}", version.value),
                        region,
                        settings: SqlSettings {
                            tier: tier.into(),
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
                        resource_id: database.clone().unwrap_or_else(|| s.name.value.clone()),
                        deletion_policy: "ABANDON".into(),
                    },
                )
                .into(),
                SqlUser::new(
                    meta(name.clone()),
                    SqlUserSpec {
                        instance_ref: NameRef { name: name.clone() },
                        resource_id: user.clone().unwrap_or_else(|| at.partner.name.value.clone()),
                        password: SqlPassword { value_from: SqlPasswordSource { secret_key_ref: password } },
                    },
                )
                .into(),
            ]
        }
        ("gke", ServiceKind::Redis { memory, version }) => vec![RedisInstance::new(
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
        ("eks", ServiceKind::Postgres { version, size, plan, database, user }) => {
            let class = match plan.as_str() {
                "large" => "db.m6g.xlarge",
                "medium" => "db.m6g.large",
                _ => "db.t4g.small",
            };
            vec![
                DbInstance::new(
                    meta(name.clone()),
                    DbInstanceSpec {
                        db_instance_identifier: name.clone(),
                        db_instance_class: class.into(),
                        engine: "postgres".into(),
                        engine_version: version.value.to_string(),
                        allocated_storage: gib(size.value).max(20),
                        storage_type: "gp3".into(),
                        storage_encrypted: true,
                        db_name: database.clone().unwrap_or_else(|| s.name.value.clone()).replace('-', "_"),
                        master_username: user
                            .clone()
                            .unwrap_or_else(|| at.partner.name.value.clone())
                            .replace('-', "_"),
                        master_user_password: password,
                        db_subnet_group_name: m.db_subnet_group.clone().unwrap_or_default(),
                        vpc_security_group_ids: m.security_groups.clone(),
                        publicly_accessible: false,
                        backup_retention_period: 7,
                        deletion_protection: true,
                    },
                )
                .into(),
                export("host", ".status.endpoint.address", "rds.services.k8s.aws", "DBInstance"),
                export("port", ".status.endpoint.port", "rds.services.k8s.aws", "DBInstance"),
            ]
        }
        ("eks", ServiceKind::Redis { memory, version }) => {
            let node = match memory.value {
                m if m <= 512 << 20 => "cache.t4g.micro",
                m if m <= 1400 << 20 => "cache.t4g.small",
                m if m <= 3 << 30 => "cache.t4g.medium",
                _ => "cache.r7g.large",
            };
            vec![
                ReplicationGroup::new(
                    meta(name.clone()),
                    ReplicationGroupSpec {
                        replication_group_id: name.clone(),
                        description: format!("cache `{}` of partner {}", s.name.value, at.partner.name.value),
                        engine: "redis".into(),
                        engine_version: format!("{version}.1"),
                        cache_node_type: node.into(),
                        num_node_groups: 1,
                        replicas_per_node_group: 0,
                        cache_subnet_group_name: m.cache_subnet_group.clone().unwrap_or_default(),
                        security_group_ids: m.security_groups.clone(),
                        transit_encryption_enabled: true,
                        at_rest_encryption_enabled: true,
                        auth_token: password,
                    },
                )
                .into(),
                export(
                    "host",
                    ".status.nodeGroups[0].primaryEndpoint.address",
                    "elasticache.services.k8s.aws",
                    "ReplicationGroup",
                ),
                export(
                    "port",
                    ".status.nodeGroups[0].primaryEndpoint.port",
                    "elasticache.services.k8s.aws",
                    "ReplicationGroup",
                ),
            ]
        }
        ("aks", ServiceKind::Postgres { version, size, plan, database, user }) => {
            let (sku, tier) = match plan.as_str() {
                "large" => ("Standard_D4ds_v4", "GeneralPurpose"),
                "medium" => ("Standard_D2ds_v4", "GeneralPurpose"),
                _ => ("Standard_B1ms", "Burstable"),
            };
            let owner = NameRef { name: m.resource_group.clone().unwrap_or_default() };
            vec![
                FlexibleServer::new(
                    meta(name.clone()),
                    FlexibleServerSpec {
                        owner,
                        location: region,
                        version: version.value.to_string(),
                        sku: AzureSku { name: sku.into(), tier: tier.into() },
                        storage: FlexibleStorage { storage_size_gb: gib(size.value).max(32) },
                        administrator_login: user
                            .clone()
                            .unwrap_or_else(|| at.partner.name.value.clone())
                            .replace('-', "_"),
                        administrator_login_password: password,
                        operator_spec: FlexibleOperatorSpec {
                            config_maps: BTreeMap::from([(
                                "fullyQualifiedDomainName".to_string(),
                                KeyRef { name: format!("{name}-endpoint"), key: "host".into() },
                            )]),
                        },
                    },
                )
                .into(),
                FlexibleServersDatabase::new(
                    meta(name.clone()),
                    FlexibleServersDatabaseSpec {
                        owner: NameRef { name: name.clone() },
                        azure_name: database.clone().unwrap_or_else(|| s.name.value.clone()).replace('-', "_"),
                        charset: "utf8".into(),
                    },
                )
                .into(),
            ]
        }
        ("aks", ServiceKind::Redis { memory, .. }) => {
            // Basic C-family sizes: C0 250 MB, C1 1 GB, C2 2.5 GB, C3 6 GB, C4 13 GB.
            let capacity = match memory.value {
                m if m <= 250 << 20 => 0,
                m if m <= 1 << 30 => 1,
                m if m <= 2560 << 20 => 2,
                m if m <= 6 << 30 => 3,
                _ => 4,
            };
            let endpoint = format!("{name}-endpoint");
            let key = |k: &str| KeyRef { name: endpoint.clone(), key: k.into() };
            vec![AzureRedis::new(
                meta(name),
                AzureRedisSpec {
                    owner: NameRef { name: m.resource_group.clone().unwrap_or_default() },
                    location: region,
                    sku: AzureRedisSku { name: "Basic".into(), family: "C".into(), capacity },
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
            .into()]
        }
        _ => Vec::new(),
    }
}

/// Requests and limits of the Cloud SQL Auth Proxy sidecar in each web pod.
pub const PROXY_RESOURCES: crate::model::capacity::Totals =
    crate::model::capacity::Totals { cpu: 50, memory: 64 << 20, cpu_limit: 250, memory_limit: 128 << 20 };

/// The Cloud SQL Auth Proxy as a native sidecar (an init container that keeps running): the
/// site reaches its managed PostgreSQL on GKE at `127.0.0.1`, authenticated by its workload
/// identity. `None` when the partner has no such service here.
pub fn proxy_sidecar(lw: &Lowering, at: &Placement) -> Option<Container> {
    let connections = proxied(lw, at);
    if connections.is_empty() {
        return None;
    }
    let mut args = vec!["--structured-logs".to_string(), "--port=5432".to_string()];
    args.extend(connections);
    let r = PROXY_RESOURCES;
    Some(Container {
        name: "cloud-sql-proxy".into(),
        image: Some("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1".into()),
        args: Some(args),
        restart_policy: Some("Always".into()),
        resources: Some(requirements(r)),
        security_context: Some(restricted_container()),
        ..Default::default()
    })
}
