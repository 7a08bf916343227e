//! The web workload of a partner: settings, deployment (restricted security context, probes,
//! resources, zone spread), service, autoscaler, disruption budget, and its volume.

use super::labels::{label_selector, meta, release_labels, release_meta, selector, with_annotations, MANAGED_BY};
use super::services::{proxy_sidecar, ProxyAs};
use super::{Lowering, Object, Placement};
use crate::check::units::{format_bytes, format_cpu};
use crate::model::{Backend, EnvValue, Provider, StrategyKind, Surge};
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment};
use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, MetricSpec, MetricTarget,
    ResourceMetricSource,
};
use k8s_openapi::api::core::v1::{
    Capabilities, ConfigMap, ConfigMapEnvSource, Container, ContainerPort, EmptyDirVolumeSource, EnvFromSource,
    HTTPGetAction, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeClaimVolumeSource,
    PodSecurityContext, PodSpec, PodTemplateSpec, Probe, ResourceRequirements, SeccompProfile, SecretEnvSource,
    SecurityContext, Service, ServicePort, ServiceSpec, TopologySpreadConstraint, Volume, VolumeMount,
    VolumeResourceRequirements,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// User and group the web container runs as (non-root).
const RUN_AS: i64 = 10001;
/// The port the Service exposes.
pub const SERVICE_PORT: i32 = 80;
pub const PORT_NAME: &str = "http";

fn config_name(at: &Placement) -> String {
    super::names::derive(&at.partner.name.value, super::names::CONFIG)
}

fn data_name(at: &Placement) -> String {
    super::names::derive(&at.partner.name.value, super::names::DATA)
}

pub fn objects(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let mut out = Vec::new();
    if !at.partner.env.is_empty() {
        out.push(config_map(lw, at));
    }
    if let Some(size) = &at.partner.storage {
        out.push(volume_claim(lw, at, size.value));
    }
    out.extend(super::rollout::workloads(lw, at));
    out.push(disruption_budget(lw, at));
    out
}

fn config_map(lw: &Lowering, at: &Placement) -> Object {
    ConfigMap { metadata: meta(lw, at, &config_name(at), "web"), data: Some(config_data(at)), ..Default::default() }
        .into()
}

/// The pod template annotation that changes whenever the partner's configuration does, so
/// that a changed ConfigMap (read through `envFrom`, only at start) rolls the pods.
pub const CONFIG_CHECKSUM: &str = "bluedot.io/config-checksum";

/// The partner's environment, as its ConfigMap holds it.
fn config_data(at: &Placement) -> BTreeMap<String, String> {
    at.partner
        .env
        .iter()
        .map(|(k, v)| {
            let text = match &v.value {
                EnvValue::Str(s) => s.clone(),
                EnvValue::Int(i) => i.to_string(),
                EnvValue::Bool(b) => b.to_string(),
            };
            (k.clone(), text)
        })
        .collect()
}

/// `sha256:<hex>` of the partner's configuration (`None`: it has none).
fn config_checksum(at: &Placement) -> Option<String> {
    use sha2::{Digest, Sha256};
    if at.partner.env.is_empty() {
        return None;
    }
    let text = serde_json::to_string(&config_data(at)).unwrap_or_default();
    let hex: String = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("sha256:{hex}"))
}

fn volume_claim(lw: &Lowering, at: &Placement, bytes: u64) -> Object {
    PersistentVolumeClaim {
        metadata: meta(lw, at, &data_name(at), "web"),
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(vec!["ReadWriteOnce".into()]),
            storage_class_name: at.target.storage_class.clone(),
            resources: Some(VolumeResourceRequirements {
                requests: Some(BTreeMap::from([("storage".to_string(), Quantity(format_bytes(bytes)))])),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
    .into()
}

fn surge(s: &Surge) -> IntOrString {
    match s {
        Surge::Count(n) => IntOrString::Int(*n as i32),
        Surge::Percent(p) => IntOrString::String(crate::check::units::format_percent(*p)),
    }
}

/// The Deployment's own update strategy, and its minimum ready seconds.
pub fn strategy(at: &Placement) -> (DeploymentStrategy, i32) {
    let (max_surge, max_unavailable, min_ready_ms) = match &at.partner.strategy.kind {
        StrategyKind::Rolling { max_surge, max_unavailable, min_ready_ms } => {
            (surge(max_surge), surge(max_unavailable), *min_ready_ms)
        }
        // Blue/green and canary are carried out on top of the deployment; its own updates
        // never drop below the desired count.
        StrategyKind::BlueGreen { .. } | StrategyKind::Canary { .. } => {
            (IntOrString::String("25%".into()), IntOrString::Int(0), 0)
        }
    };
    let s = DeploymentStrategy {
        type_: Some("RollingUpdate".into()),
        rolling_update: Some(RollingUpdateDeployment {
            max_surge: Some(max_surge),
            max_unavailable: Some(max_unavailable),
        }),
    };
    (s, (min_ready_ms / 1000) as i32)
}

fn probe(lw: &Lowering, period: i32, failures: i32) -> Probe {
    Probe {
        http_get: Some(HTTPGetAction {
            path: Some(lw.platform.health_path.clone()),
            port: IntOrString::String(PORT_NAME.into()),
            ..Default::default()
        }),
        period_seconds: Some(period),
        failure_threshold: Some(failures),
        timeout_seconds: Some(2),
        ..Default::default()
    }
}

/// Requests and limits of one container.
pub fn requirements(t: crate::model::capacity::Totals) -> ResourceRequirements {
    let amounts = |cpu: u64, memory: u64| {
        BTreeMap::from([
            ("cpu".to_string(), Quantity(format_cpu(cpu))),
            ("memory".to_string(), Quantity(format_bytes(memory))),
        ])
    };
    ResourceRequirements {
        requests: Some(amounts(t.cpu, t.memory)),
        limits: Some(amounts(t.cpu_limit, t.memory_limit)),
        ..Default::default()
    }
}

/// The container security settings of Pod Security `restricted`, with a read-only root.
pub fn restricted_container() -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        privileged: Some(false),
        read_only_root_filesystem: Some(true),
        run_as_non_root: Some(true),
        capabilities: Some(Capabilities { drop: Some(vec!["ALL".into()]), add: None }),
        seccomp_profile: Some(SeccompProfile { type_: "RuntimeDefault".into(), localhost_profile: None }),
        ..Default::default()
    }
}

/// The pod security settings of Pod Security `restricted`, running as `uid` (user, group and
/// volume group).
pub fn restricted_pod(uid: i64) -> PodSecurityContext {
    PodSecurityContext {
        run_as_non_root: Some(true),
        run_as_user: Some(uid),
        run_as_group: Some(uid),
        fs_group: Some(uid),
        seccomp_profile: Some(SeccompProfile { type_: "RuntimeDefault".into(), localhost_profile: None }),
        ..Default::default()
    }
}

fn container(lw: &Lowering, at: &Placement) -> Container {
    let res = at.partner.resources.as_ref();
    let mut env_from = Vec::new();
    if !at.partner.env.is_empty() {
        env_from.push(EnvFromSource {
            config_map_ref: Some(ConfigMapEnvSource { name: config_name(at), optional: None }),
            ..Default::default()
        });
    }
    for secret in &at.partner.secrets {
        env_from.push(EnvFromSource {
            secret_ref: Some(SecretEnvSource { name: secret.value.clone(), optional: None }),
            ..Default::default()
        });
    }
    let mut mounts = vec![VolumeMount { name: "tmp".into(), mount_path: "/tmp".into(), ..Default::default() }];
    if at.partner.storage.is_some() {
        mounts.push(VolumeMount { name: "data".into(), mount_path: "/data".into(), ..Default::default() });
    }
    Container {
        name: super::labels::APP.into(),
        image: Some(at.image.clone()),
        image_pull_policy: Some("IfNotPresent".into()),
        args: (!at.release.args.is_empty()).then(|| at.release.args.iter().map(|a| a.value.clone()).collect()),
        ports: Some(vec![ContainerPort {
            name: Some(PORT_NAME.into()),
            container_port: i32::from(lw.platform.port),
            protocol: Some("TCP".into()),
            ..Default::default()
        }]),
        env_from: (!env_from.is_empty()).then_some(env_from),
        env: Some(super::services::binding_env(lw, at)).filter(|e| !e.is_empty()),
        resources: res.map(|r| {
            requirements(crate::model::capacity::Totals {
                cpu: r.cpu.value,
                memory: r.memory.value,
                cpu_limit: r.cpu_limit.value,
                memory_limit: r.memory_limit.value,
            })
        }),
        readiness_probe: Some(probe(lw, 5, 3)),
        liveness_probe: Some(probe(lw, 10, 6)),
        startup_probe: Some(probe(lw, 5, 60)),
        security_context: Some(restricted_container()),
        volume_mounts: Some(mounts),
        ..Default::default()
    }
}

/// Seconds a web pod has to finish its requests once asked to stop.
pub const GRACE_SECONDS: i64 = 30;

/// The web pod; `extra` labels mark a blue/green slot or a canary track.
pub fn pod_template(lw: &Lowering, at: &Placement, extra: &[(&str, &str)]) -> PodTemplateSpec {
    let mut pod_labels = release_labels(lw, at, "web");
    for (k, v) in extra {
        pod_labels.insert(k.to_string(), v.to_string());
    }
    if at.target.provider == Provider::Aks
        && matches!(
            super::identity::of(lw, at),
            super::identity::Identity::Own(_) | super::identity::Identity::Created { .. }
        )
    {
        pod_labels.insert("azure.workload.identity/use".into(), "true".into());
    }
    let mut volumes = vec![Volume {
        name: "tmp".into(),
        empty_dir: Some(EmptyDirVolumeSource { size_limit: Some(Quantity("256Mi".into())), medium: None }),
        ..Default::default()
    }];
    if at.partner.storage.is_some() {
        volumes.push(Volume {
            name: "data".into(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: data_name(at),
                read_only: None,
            }),
            ..Default::default()
        });
    }
    let spread = |key: &str| TopologySpreadConstraint {
        topology_key: key.into(),
        max_skew: 1,
        when_unsatisfiable: "ScheduleAnyway".into(),
        label_selector: Some(label_selector(at)),
        ..Default::default()
    };
    // The Cloud SQL Auth Proxy: a native sidecar in a Deployment, an ordinary container in an
    // Argo Rollout (whose CRD has no init container `restartPolicy`: see `proxy_sidecar`).
    let (init, sidecar) = match at.backend {
        Backend::Native => (proxy_sidecar(lw, at, ProxyAs::NativeSidecar).map(|c| vec![c]), None),
        Backend::Argo => (None, proxy_sidecar(lw, at, ProxyAs::Container)),
    };
    PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(pod_labels),
            annotations: config_checksum(at).map(|sum| BTreeMap::from([(CONFIG_CHECKSUM.to_string(), sum)])),
            ..Default::default()
        }),
        spec: Some(PodSpec {
            service_account_name: Some(at.partner.name.value.clone()),
            automount_service_account_token: Some(false),
            security_context: Some(restricted_pod(RUN_AS)),
            containers: std::iter::once(container(lw, at)).chain(sidecar).collect(),
            init_containers: init,
            volumes: Some(volumes),
            topology_spread_constraints: Some(vec![
                spread("topology.kubernetes.io/zone"),
                spread("kubernetes.io/hostname"),
            ]),
            termination_grace_period_seconds: Some(GRACE_SECONDS),
            ..Default::default()
        }),
    }
}

/// A Deployment of the web pod named `name`; `extra` labels join its selector.
pub fn deployment(lw: &Lowering, at: &Placement, name: &str, extra: &[(&str, &str)], replicas: Option<i32>) -> Object {
    let (strategy, min_ready) = strategy(at);
    let mut selector = label_selector(at);
    if let Some(m) = selector.match_labels.as_mut() {
        m.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    }
    Deployment {
        metadata: release_meta(lw, at, name, "web"),
        spec: Some(DeploymentSpec {
            replicas,
            selector,
            strategy: Some(strategy),
            min_ready_seconds: (min_ready > 0).then_some(min_ready),
            progress_deadline_seconds: Some(600),
            revision_history_limit: Some(5),
            template: pod_template(lw, at, extra),
            ..Default::default()
        }),
        ..Default::default()
    }
    .into()
}

/// A Service named `name` over the web pods; `extra` labels narrow its selector to a slot or
/// a track. The one the Ingress routes to carries GKE's container-native annotation.
pub fn service(lw: &Lowering, at: &Placement, name: &str, extra: &[(&str, &str)]) -> Object {
    let mut annotations = BTreeMap::new();
    if at.target.provider == Provider::Gke && name == at.partner.name.value {
        // Container-native load balancing: the GKE load balancer targets pods directly.
        annotations.insert("cloud.google.com/neg".to_string(), r#"{"ingress": true}"#.to_string());
    }
    let mut sel = selector(at);
    sel.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Service {
        metadata: with_annotations(meta(lw, at, name, "web"), annotations),
        spec: Some(ServiceSpec {
            type_: Some("ClusterIP".into()),
            selector: Some(sel),
            ports: Some(vec![ServicePort {
                name: Some(PORT_NAME.into()),
                port: SERVICE_PORT,
                target_port: Some(IntOrString::String(PORT_NAME.into())),
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    }
    .into()
}

/// An autoscaler for the workload `(api_version, kind, name)`.
pub fn autoscaler(lw: &Lowering, at: &Placement, target: (&str, &str, &str), min: i64, max: i64) -> Object {
    let (api_version, kind, name) = target;
    HorizontalPodAutoscaler {
        metadata: meta(lw, at, &at.partner.name.value, "web"),
        spec: Some(HorizontalPodAutoscalerSpec {
            scale_target_ref: CrossVersionObjectReference {
                api_version: Some(api_version.into()),
                kind: kind.into(),
                name: name.into(),
            },
            min_replicas: Some(min as i32),
            max_replicas: max as i32,
            metrics: Some(vec![MetricSpec {
                type_: "Resource".into(),
                resource: Some(ResourceMetricSource {
                    name: "cpu".into(),
                    target: MetricTarget {
                        type_: "Utilization".into(),
                        average_utilization: Some(70),
                        ..Default::default()
                    },
                }),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    }
    .into()
}

fn disruption_budget(lw: &Lowering, at: &Placement) -> Object {
    PodDisruptionBudget {
        metadata: meta(lw, at, &at.partner.name.value, "web"),
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(label_selector(at)),
            unhealthy_pod_eviction_policy: Some("AlwaysAllow".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
    .into()
}

/// EKS has no default storage class: emit the gp3 class that partners' volumes name.
pub fn storage_classes(placements: &[Placement]) -> Vec<Object> {
    let needs_gp3 = placements.iter().any(|p| {
        p.partner.storage.is_some()
            && p.target.provider == Provider::Eks
            && p.target.storage_class.as_deref() == Some("gp3")
    });
    if !needs_gp3 {
        return Vec::new();
    }
    vec![StorageClass {
        metadata: ObjectMeta {
            name: Some("gp3".into()),
            labels: Some(BTreeMap::from([(MANAGED_BY.to_string(), "bdc".to_string())])),
            ..Default::default()
        },
        provisioner: "ebs.csi.aws.com".into(),
        parameters: Some(BTreeMap::from([
            ("type".to_string(), "gp3".to_string()),
            ("encrypted".to_string(), "true".to_string()),
        ])),
        reclaim_policy: Some("Retain".into()),
        volume_binding_mode: Some("WaitForFirstConsumer".into()),
        allow_volume_expansion: Some(true),
        ..Default::default()
    }
    .into()]
}
