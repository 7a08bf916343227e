//! Structural checks of emitted objects, independent of how they were built: selectors match
//! pod labels, every referenced port, service and workload exists, labels are valid, and no
//! API version is one Kubernetes has removed. A violation is a bug in bdc (the checker should
//! have refused the spec), so `emit` refuses to write output that fails them.

use super::workload::SERVICE_PORT;
use super::Object;
use crate::check::shapes;
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// API versions Kubernetes has removed (as of 1.33); nothing bdc emits may use them.
pub const REMOVED_API_VERSIONS: &[&str] = &[
    "extensions/v1beta1",
    "apps/v1beta1",
    "apps/v1beta2",
    "networking.k8s.io/v1beta1",
    "policy/v1beta1",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1beta1",
    "rbac.authorization.k8s.io/v1beta1",
    "storage.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
];

/// One problem: which object, what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub object: String,
    pub problem: String,
}

fn subset(selector: &BTreeMap<String, String>, labels: Option<&BTreeMap<String, String>>) -> bool {
    let empty = BTreeMap::new();
    let labels = labels.unwrap_or(&empty);
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn template_labels(t: &PodTemplateSpec) -> Option<&BTreeMap<String, String>> {
    t.metadata.as_ref().and_then(|m| m.labels.as_ref())
}

/// Named and numbered ports of the containers of a pod template.
fn ports(t: &PodTemplateSpec) -> Vec<(Option<String>, i32)> {
    let spec = t.spec.iter().flat_map(|s| s.containers.iter());
    spec.flat_map(|c| c.ports.iter().flatten().map(|p| (p.name.clone(), p.container_port))).collect()
}

fn port_exists(ports: &[(Option<String>, i32)], port: &IntOrString) -> bool {
    match port {
        IntOrString::Int(n) => ports.iter().any(|(_, p)| p == n),
        IntOrString::String(name) => ports.iter().any(|(n, _)| n.as_deref() == Some(name.as_str())),
    }
}

/// Checks the objects of one partner (plus any cluster-scoped ones).
pub fn objects(objects: &[Object]) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut bad =
        |o: &Object, problem: String| out.push(Violation { object: format!("{}/{}", o.kind(), o.name()), problem });
    let templates: Vec<(&str, &str, &PodTemplateSpec)> = objects
        .iter()
        .filter_map(|o| match o {
            Object::Deployment(d) => d.spec.as_ref().map(|s| (o.kind(), o.name(), &s.template)),
            Object::Rollout(r) => Some((o.kind(), o.name(), &r.spec.template)),
            Object::StatefulSet(s) => s.spec.as_ref().map(|s| (o.kind(), o.name(), &s.template)),
            _ => None,
        })
        .collect();
    let services: Vec<(&str, Vec<i32>)> = objects
        .iter()
        .filter_map(|o| match o {
            Object::Service(s) => {
                Some((o.name(), s.spec.iter().flat_map(|s| s.ports.iter().flatten().map(|p| p.port)).collect()))
            }
            _ => None,
        })
        .collect();
    let mut checked_labels: Vec<(&String, &String)> = Vec::new();
    let service_has = |name: &str, port: i32| services.iter().any(|(n, ps)| *n == name && ps.contains(&port));
    for o in objects {
        if REMOVED_API_VERSIONS.contains(&o.api_version()) {
            bad(o, format!("uses removed API version {}", o.api_version()));
        }
        if let Err(e) = shapes::dns_subdomain(o.name()) {
            bad(o, format!("name `{}` {e}", o.name()));
        }
        for (k, v) in o.metadata().labels.iter().flatten() {
            // A partner's objects share most labels: check each distinct one once.
            if !checked_labels.contains(&(k, v)) {
                if let Err(e) = shapes::label_key(k).and_then(|()| shapes::label_value(v)) {
                    bad(o, format!("label `{k}: {v}` is invalid: {e}"));
                }
                checked_labels.push((k, v));
            }
        }
        match o {
            Object::StatefulSet(st) => {
                let Some(spec) = &st.spec else { continue };
                let selector = spec.selector.match_labels.clone().unwrap_or_default();
                if !subset(&selector, template_labels(&spec.template)) {
                    bad(o, "selector does not match the pod template labels".into());
                }
                if !services.iter().any(|(n, _)| Some(*n) == spec.service_name.as_deref()) {
                    bad(o, "its serviceName names no Service".into());
                }
            }
            Object::Rollout(r) => {
                let selector = r.spec.selector.match_labels.clone().unwrap_or_default();
                if !subset(&selector, template_labels(&r.spec.template)) {
                    bad(o, "selector does not match the pod template labels".into());
                }
            }
            Object::Deployment(d) => {
                let Some(spec) = &d.spec else { continue };
                let selector = spec.selector.match_labels.clone().unwrap_or_default();
                if !subset(&selector, template_labels(&spec.template)) {
                    bad(o, "selector does not match the pod template labels".into());
                }
                let ps = ports(&spec.template);
                for c in spec.template.spec.iter().flat_map(|s| s.containers.iter()) {
                    for probe in [&c.readiness_probe, &c.liveness_probe, &c.startup_probe].into_iter().flatten() {
                        if let Some(get) = &probe.http_get {
                            if !port_exists(&ps, &get.port) {
                                bad(o, format!("probe uses port {:?}, which no container declares", get.port));
                            }
                        }
                    }
                }
            }
            Object::Service(s) => {
                let Some(spec) = &s.spec else { continue };
                let selector = spec.selector.clone().unwrap_or_default();
                let Some((_, _, t)) = templates.iter().find(|(_, _, t)| subset(&selector, template_labels(t))) else {
                    bad(o, "selector matches no workload's pods".into());
                    continue;
                };
                for p in spec.ports.iter().flatten() {
                    if let Some(target) = &p.target_port {
                        if !port_exists(&ports(t), target) {
                            bad(o, format!("targetPort {target:?} is not a container port"));
                        }
                    }
                }
            }
            Object::HorizontalPodAutoscaler(h) => {
                let target = h.spec.as_ref().map(|s| &s.scale_target_ref);
                if !target.is_some_and(|t| templates.iter().any(|(k, n, _)| *k == t.kind && *n == t.name)) {
                    bad(o, "scales a workload that is not emitted".into());
                }
            }
            Object::PodDisruptionBudget(p) => {
                let selector = p
                    .spec
                    .as_ref()
                    .and_then(|s| s.selector.as_ref())
                    .and_then(|s| s.match_labels.clone())
                    .unwrap_or_default();
                if !templates.iter().any(|(_, _, t)| subset(&selector, template_labels(t))) {
                    bad(o, "selector matches no workload's pods".into());
                }
            }
            Object::Ingress(i) => {
                for rule in i.spec.iter().flat_map(|s| s.rules.iter().flatten()) {
                    for path in rule.http.iter().flat_map(|h| h.paths.iter()) {
                        let Some(svc) = &path.backend.service else { continue };
                        // ALB weighted routing names its action, not a port.
                        let by_action = svc.port.as_ref().and_then(|p| p.name.as_deref()) == Some("use-annotation");
                        let port = svc.port.as_ref().and_then(|p| p.number).unwrap_or(if by_action {
                            SERVICE_PORT
                        } else {
                            0
                        });
                        if !service_has(&svc.name, port) {
                            bad(o, format!("backend {}:{port} is not an emitted service port", svc.name));
                        }
                    }
                }
            }
            Object::Job(j) => {
                // A Job's pods must end: `Always` is refused by the API server.
                let policy =
                    j.spec.as_ref().and_then(|s| s.template.spec.as_ref()).and_then(|s| s.restart_policy.as_deref());
                if !matches!(policy, Some("Never" | "OnFailure")) {
                    bad(o, format!("its pods restart {policy:?}; a Job's must be Never or OnFailure"));
                }
            }
            Object::ExternalSecret(e) if e.spec.target.name != o.name() => {
                bad(o, format!("writes Secret `{}`, not the one it is named after", e.spec.target.name));
            }
            Object::HttpRoute(r) => {
                for b in r.spec.rules.iter().flat_map(|r| r.backend_refs.iter()) {
                    if !service_has(&b.name, b.port) {
                        bad(o, format!("backend {}:{} is not an emitted service port", b.name, b.port));
                    }
                }
            }
            _ => {}
        }
    }
    out
}
