//! In-cluster backing services: the `postgres` and `redis` images (the platform's pins, else the
//! official ones, see `model::images`) in a StatefulSet
//! of one pod with a volume claim (the target's storage class), a headless Service, a
//! disruption budget, NetworkPolicies that admit only the partner's own web pods, and the
//! restricted security settings. Requests and limits come from `model::capacity`.

use super::binding::password_env;
use super::{meta, selector};
use crate::check::units::format_bytes;
use crate::lower::labels::{label_selector, labels};
use crate::lower::workload::{requirements, restricted_container, restricted_pod};
use crate::lower::{Lowering, Object, Placement};
use crate::model::capacity::{service_pod, service_volume};
use crate::model::{defaults, images, Service, ServiceKind};
use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetSpec};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, EmptyDirVolumeSource, EnvVar, ExecAction, PersistentVolumeClaim,
    PersistentVolumeClaimSpec, PodSpec, PodTemplateSpec, Probe, Service as KubeService, ServicePort, ServiceSpec,
    TCPSocketAction, Volume, VolumeMount, VolumeResourceRequirements,
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

fn plain_env(name: &str, value: String) -> EnvVar {
    EnvVar { name: name.into(), value: Some(value), ..Default::default() }
}

pub(super) fn objects(lw: &Lowering, at: &Placement, s: &Service) -> Vec<Object> {
    let name = s.object_name(at.partner);
    let port = i32::from(s.default_port());
    let web = label_selector(at);
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
        metadata: meta(lw, at, s, crate::lower::names::derive(&name, crate::lower::names::CLIENT)),
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
                name: Some(s.engine().as_str().into()),
                port,
                target_port: Some(IntOrString::String(s.engine().as_str().into())),
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
    let name = s.object_name(at.partner);
    let r = service_pod(s);
    let scratch =
        |volume: &str, path: &str| VolumeMount { name: volume.into(), mount_path: path.into(), ..Default::default() };
    let (image, args, env, mounts, probe, data_path) = match &s.kind {
        ServiceKind::Postgres { .. } => (
            images::image(lw.platform, &images::key(s)).0,
            None,
            vec![
                plain_env("POSTGRES_DB", s.database().unwrap_or_default()),
                plain_env("POSTGRES_USER", s.user(at.partner).unwrap_or_default()),
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
                        defaults::POSTGRES_PORT.to_string(),
                    ]),
                }),
                period_seconds: Some(10),
                ..Default::default()
            },
            "/var/lib/postgresql/data",
        ),
        ServiceKind::Redis { memory, .. } => (
            images::image(lw.platform, &images::key(s)).0,
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
                tcp_socket: Some(TCPSocketAction { port: IntOrString::String(s.engine().as_str().into()), host: None }),
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
        name: s.engine().as_str().into(),
        image: Some(image),
        image_pull_policy: Some("IfNotPresent".into()),
        args,
        env: Some(env),
        ports: Some(vec![ContainerPort {
            name: Some(s.engine().as_str().into()),
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
    let mut pod_labels = labels(lw, at, s.engine().as_str());
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
