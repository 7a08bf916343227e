//! The Jobs that move a partner's PostgreSQL data between its old and new binding. Each side
//! gets one Job (`<partner>-<service>-export` on the old cluster, `-import` on the new) whose
//! pod holds a PostgreSQL client with the service's binding — the same `<NAME>_HOST`, `_PORT`,
//! `_DATABASE`, `_USER` and `_PASSWORD` the site reads, the password from its Secret by
//! reference, never a value — as `PG*` variables, and the shell snippets of each step
//! (`BDC_FREEZE`, `BDC_DUMP`, `BDC_RESTORE`, `BDC_COUNT_ROWS`, `BDC_UNFREEZE`). The checklist runs
//! them with `kubectl exec`, piping the dump of one into the restore of the other: the data
//! streams through the engineer's terminal, so neither cluster needs to reach the other. The
//! pods are Pod Security `restricted`; NetworkPolicies let them reach the database (and an
//! in-cluster database admit them). Redis is rebuilt, not moved.

use crate::lower::labels::{labels, INSTANCE, NAME};
use crate::lower::services::{binding_env, mode, proxy_sidecar, ProxyAs};
use crate::lower::{workload, Lowering, Object, Placement};
use crate::model::{images, Engine, Service, ServiceMode};
use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{
    Container, EmptyDirVolumeSource, EnvVar, PodSpec, PodTemplateSpec, Volume, VolumeMount,
};
use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
    NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// How long a move pod waits to be used (six hours), then its Job ends.
pub const HOLD_SECONDS: i64 = 6 * 3600;
/// The user id of the official `postgres` image.
const POSTGRES_USER: i64 = 999;

/// Which end of the move a Job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The old cluster: dump, freeze, count.
    Export,
    /// The new cluster: restore, count.
    Import,
}

impl Side {
    pub fn suffix(self) -> &'static str {
        match self {
            Side::Export => "export",
            Side::Import => "import",
        }
    }
}

/// Whether a service's data moves: PostgreSQL, unless it stays the same external endpoint.
pub fn moves(lw: &Lowering, old: &Placement, new: &Placement, s: &Service) -> bool {
    let same_endpoint = mode(lw, old, s) == ServiceMode::External && mode(lw, new, s) == ServiceMode::External;
    s.engine() == Engine::Postgres && !same_endpoint
}

/// `<partner>-<service>-export` / `-import`.
pub fn job_name(at: &Placement, s: &Service, side: Side) -> String {
    format!("{}-{}", s.object_name(at.partner), side.suffix())
}

/// `db` → `DB` (the prefix of the binding's variables).
fn prefix(s: &Service) -> String {
    s.name.value.to_ascii_uppercase().replace('-', "_")
}

/// The labels of a move pod: the partner's, but not the web pods' selector.
fn pod_labels(lw: &Lowering, at: &Placement, s: &Service) -> BTreeMap<String, String> {
    let mut l = labels(lw, at, "data-move");
    l.insert(NAME.into(), "data-move".into());
    l.insert(INSTANCE.into(), format!("{}-move", s.object_name(at.partner)));
    l
}

fn selector(at: &Placement, s: &Service) -> BTreeMap<String, String> {
    BTreeMap::from([
        (NAME.to_string(), "data-move".to_string()),
        (INSTANCE.to_string(), format!("{}-move", s.object_name(at.partner))),
    ])
}

fn env(name: &str, value: &str) -> EnvVar {
    EnvVar { name: name.into(), value: Some(value.into()), ..Default::default() }
}

/// The shell snippet of each step, run by `sh -c 'eval "$BDC_…"'` in a move pod.
pub const SNIPPETS: [(&str, &str); 5] = [
    (
        "BDC_FREEZE",
        r#"psql -v ON_ERROR_STOP=1 -c "ALTER DATABASE \"$PGDATABASE\" SET default_transaction_read_only = on" -c "SELECT count(pg_terminate_backend(pid)) AS disconnected FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()""#,
    ),
    (
        "BDC_UNFREEZE",
        r#"psql -v ON_ERROR_STOP=1 -c "SET default_transaction_read_only = off" -c "ALTER DATABASE \"$PGDATABASE\" RESET default_transaction_read_only""#,
    ),
    ("BDC_DUMP", "pg_dump --format=custom --no-owner --no-privileges"),
    (
        "BDC_RESTORE",
        r#"pg_restore --no-owner --no-privileges --clean --if-exists --single-transaction --exit-on-error --dbname="$PGDATABASE""#,
    ),
    (
        "BDC_COUNT_ROWS",
        r#"psql -At -c "SELECT format('SELECT %L, count(*) FROM %I.%I;', table_schema || '.' || table_name, table_schema, table_name) FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1" | psql -At -F ' '"#,
    ),
];

/// The move Job of one PostgreSQL service on one side, with its NetworkPolicies.
pub fn objects(lw: &Lowering, at: &Placement, s: &Service, side: Side) -> Vec<Object> {
    let name = job_name(at, s, side);
    let p = prefix(s);
    let mut vars: Vec<EnvVar> =
        binding_env(lw, at).into_iter().filter(|v| v.name.starts_with(&format!("{p}_"))).collect();
    for (pg, var) in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGDATABASE", "DATABASE"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ] {
        vars.push(env(pg, &format!("$({p}_{var})")));
    }
    vars.push(env("HOME", "/tmp"));
    vars.extend(SNIPPETS.iter().map(|(k, v)| env(k, v)));
    let container = Container {
        name: "postgres".into(),
        image: Some(images::image(lw.platform, &images::key(s)).0),
        command: Some(vec!["sleep".into(), HOLD_SECONDS.to_string()]),
        env: Some(vars),
        security_context: Some(workload::restricted_container()),
        volume_mounts: Some(vec![VolumeMount { name: "tmp".into(), mount_path: "/tmp".into(), ..Default::default() }]),
        ..Default::default()
    };
    // Cloud SQL is reached through its Auth Proxy, as the site reaches it.
    let proxy =
        (mode(lw, at, s) == ServiceMode::Managed).then(|| proxy_sidecar(lw, at, ProxyAs::NativeSidecar)).flatten();
    let meta = |name: &str, labels: BTreeMap<String, String>| ObjectMeta {
        name: Some(name.to_string()),
        namespace: Some(at.namespace.clone()),
        labels: Some(labels),
        ..Default::default()
    };
    let job = Job {
        metadata: meta(&name, pod_labels(lw, at, s)),
        spec: Some(JobSpec {
            backoff_limit: Some(0),
            active_deadline_seconds: Some(HOLD_SECONDS + 600),
            ttl_seconds_after_finished: Some(3600),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta { labels: Some(pod_labels(lw, at, s)), ..Default::default() }),
                spec: Some(PodSpec {
                    restart_policy: Some("Never".into()),
                    service_account_name: Some(at.partner.name.value.clone()),
                    automount_service_account_token: Some(false),
                    init_containers: proxy.map(|c| vec![c]),
                    containers: vec![container],
                    volumes: Some(vec![Volume {
                        name: "tmp".into(),
                        empty_dir: Some(EmptyDirVolumeSource {
                            size_limit: Some(Quantity("256Mi".into())),
                            medium: None,
                        }),
                        ..Default::default()
                    }]),
                    security_context: Some(workload::restricted_pod(POSTGRES_USER)),
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    };
    let tcp =
        |n: i32| NetworkPolicyPort { protocol: Some("TCP".into()), port: Some(IntOrString::Int(n)), end_port: None };
    let udp = NetworkPolicyPort { protocol: Some("UDP".into()), port: Some(IntOrString::Int(53)), end_port: None };
    let port = i32::from(s.port.unwrap_or(s.default_port()));
    let own = LabelSelector { match_labels: Some(selector(at, s)), ..Default::default() };
    // DNS, the database wherever it is, and the Cloud SQL proxy's own connections.
    let mut ports = vec![tcp(port)];
    if proxy_needed(lw, at, s) {
        ports.extend([tcp(3307), tcp(443)]);
    }
    let egress = NetworkPolicy {
        metadata: meta(&format!("{}-move", s.object_name(at.partner)), labels(lw, at, "data-move")),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(own.clone()),
            policy_types: Some(vec!["Egress".into()]),
            egress: Some(vec![
                NetworkPolicyEgressRule { ports: Some(vec![udp, tcp(53)]), to: None },
                NetworkPolicyEgressRule { ports: Some(ports), to: None },
            ]),
            ..Default::default()
        }),
    };
    let mut out: Vec<Object> = vec![egress.into()];
    if mode(lw, at, s) == ServiceMode::InCluster {
        let db = BTreeMap::from([
            (NAME.to_string(), s.engine().to_string()),
            (INSTANCE.to_string(), s.object_name(at.partner)),
        ]);
        out.push(
            NetworkPolicy {
                metadata: meta(&format!("{}-move-in", s.object_name(at.partner)), labels(lw, at, "data-move")),
                spec: Some(NetworkPolicySpec {
                    pod_selector: Some(LabelSelector { match_labels: Some(db), ..Default::default() }),
                    policy_types: Some(vec!["Ingress".into()]),
                    ingress: Some(vec![NetworkPolicyIngressRule {
                        from: Some(vec![NetworkPolicyPeer { pod_selector: Some(own), ..Default::default() }]),
                        ports: Some(vec![tcp(port)]),
                    }]),
                    ..Default::default()
                }),
            }
            .into(),
        );
    }
    out.push(job.into());
    out
}

fn proxy_needed(lw: &Lowering, at: &Placement, s: &Service) -> bool {
    mode(lw, at, s) == ServiceMode::Managed && proxy_sidecar(lw, at, ProxyAs::NativeSidecar).is_some()
}
