//! The workload of a partner by rollout strategy × backend: which Deployments (or Argo
//! Rollout), Services and autoscaler carry it.
//!
//! | strategy | `native` | `argo` |
//! |---|---|---|
//! | rolling | one Deployment, RollingUpdate | the same (no controller needed) |
//! | blue/green | Deployments `<p>-blue`/`<p>-green` (label `rollout.bluedot.io/slot`); Service `<p>` selects the active slot, `<p>-preview` the other | a `Rollout` with `blueGreen`; Services `<p>` (active) and `<p>-preview` |
//! | canary | Deployments `<p>` (stable) and `<p>-canary` (track label); weighted `HTTPRoute` backends on Gateway API targets, pod counts elsewhere | a `Rollout` with `canary` steps and the target's traffic router |
//!
//! At rest (what `emit` writes) all traffic is on the partner's release: the active slot or
//! stable track runs it, the other is scaled to zero. `bdc rollout` moves between them.

use super::crd::{
    AlbRouting, AnalysisTemplateRef, BlueGreenStrategy, CanaryStep, CanaryStrategy, GatewayApiPlugin, NginxRouting,
    Pause, Rollout, RolloutAnalysis, RolloutSpec, RolloutStrategy, TrafficRouting,
};
use super::labels::{label_selector, release_meta};
use super::workload::{autoscaler, deployment, pod_template, service, SERVICE_PORT};
use super::{names, Lowering, Object, Placement, Stage};
use crate::check::units::format_duration;
use crate::model::{Backend, StrategyKind};
use std::collections::BTreeMap;

pub const SLOT: &str = "rollout.bluedot.io/slot";
pub const TRACK: &str = "rollout.bluedot.io/track";
pub use super::names::SLOTS;

pub use crate::model::CanaryRouting;

pub fn canary_routing(at: &Placement) -> CanaryRouting {
    crate::model::canary_routing(at.backend, at.target)
}

/// The Service an Ingress or HTTPRoute sends a partner's traffic to, and its port name when a
/// controller requires one (`use-annotation` for ALB weighted routing).
pub fn front_service(at: &Placement) -> String {
    let name = &at.partner.name.value;
    match &at.partner.strategy.kind {
        StrategyKind::Canary { .. } if canary_routing(at) == CanaryRouting::Nginx => names::derive(name, names::STABLE),
        _ => name.clone(),
    }
}

pub fn workloads(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let name = at.partner.name.value.as_str();
    let (min, max) = at.partner.replicas.value;
    let scaled = min < max;
    let fixed = (!scaled).then_some(min as i32);
    let hpa = |kind: (&str, &str), target: &str| scaled.then(|| autoscaler(lw, at, (kind.0, kind.1, target), min, max));
    let deployment_kind = ("apps/v1", "Deployment");
    let rollout_kind = ("argoproj.io/v1alpha1", "Rollout");
    let mut out = Vec::new();
    match (&at.partner.strategy.kind, at.backend) {
        (StrategyKind::Rolling { .. }, _) => {
            out.push(deployment(lw, at, name, &[], fixed));
            out.push(service(lw, at, name, &[]));
            out.extend(hpa(deployment_kind, name));
        }
        (StrategyKind::BlueGreen { preview, .. }, Backend::Native) => {
            // `at.release` runs in `at.slot`; while it is previewed (or just switched to) the
            // release it replaces still runs in the other slot.
            let new = SLOTS[at.slot];
            let old = SLOTS[1 - at.slot];
            let prev = at.stage.from().map(|from| lw.previous(at, from));
            let serving = match at.stage {
                Stage::Preview { .. } => old,
                _ => new,
            };
            let new_replicas = match at.stage {
                Stage::Preview { .. } => Some(min as i32),
                _ => fixed,
            };
            let old_deployment = match (&prev, at.stage) {
                (Some(prev), Stage::Preview { .. }) => {
                    deployment(lw, prev, &names::slot(name, old), &[(SLOT, old)], fixed)
                }
                (Some(prev), _) => deployment(lw, prev, &names::slot(name, old), &[(SLOT, old)], Some(min as i32)),
                (None, _) => deployment(lw, at, &names::slot(name, old), &[(SLOT, old)], Some(0)),
            };
            let new_deployment = deployment(lw, at, &names::slot(name, new), &[(SLOT, new)], new_replicas);
            // Objects keep the blue-then-green order whichever slot is active.
            if at.slot == 0 {
                out.extend([new_deployment, old_deployment]);
            } else {
                out.extend([old_deployment, new_deployment]);
            }
            let idle = if serving == new { old } else { new };
            out.push(service(lw, at, name, &[(SLOT, serving)]));
            if *preview {
                out.push(service(lw, at, &names::derive(name, names::PREVIEW), &[(SLOT, idle)]));
            }
            out.extend(hpa(deployment_kind, &names::slot(name, serving)));
        }
        (StrategyKind::Canary { .. }, Backend::Native) => {
            // While a canary runs, the stable track keeps the release it replaces.
            match at.stage {
                Stage::Canary { from, weight } => {
                    let prev = lw.previous(at, from);
                    out.push(deployment(lw, &prev, name, &[(TRACK, "stable")], fixed));
                    let pods = canary_pods(min, weight);
                    out.push(deployment(lw, at, &names::derive(name, names::CANARY), &[(TRACK, "canary")], Some(pods)));
                }
                _ => {
                    out.push(deployment(lw, at, name, &[(TRACK, "stable")], fixed));
                    out.push(deployment(lw, at, &names::derive(name, names::CANARY), &[(TRACK, "canary")], Some(0)));
                }
            }
            out.push(service(lw, at, name, &[]));
            out.push(service(lw, at, &names::derive(name, names::STABLE), &[(TRACK, "stable")]));
            out.push(service(lw, at, &names::derive(name, names::CANARY), &[(TRACK, "canary")]));
            out.extend(hpa(deployment_kind, name));
        }
        (StrategyKind::BlueGreen { preview, auto_promote, scale_down_delay_ms }, _) => {
            let strategy = RolloutStrategy {
                blue_green: Some(BlueGreenStrategy {
                    active_service: name.to_string(),
                    preview_service: preview.then(|| names::derive(name, names::PREVIEW)),
                    auto_promotion_enabled: *auto_promote,
                    scale_down_delay_seconds: (*scale_down_delay_ms / 1000) as i32,
                }),
                canary: None,
            };
            out.push(rollout(lw, at, fixed, strategy));
            out.push(service(lw, at, name, &[]));
            if *preview {
                out.push(service(lw, at, &names::derive(name, names::PREVIEW), &[]));
            }
            out.extend(hpa(rollout_kind, name));
        }
        (StrategyKind::Canary { steps, analysis }, _) => {
            let mut argo_steps = Vec::new();
            for s in steps {
                argo_steps.push(CanaryStep { set_weight: Some((s.value.weight / 100) as i32), pause: None });
                if s.value.hold_ms > 0 {
                    argo_steps.push(CanaryStep {
                        set_weight: None,
                        pause: Some(Pause { duration: format_duration(s.value.hold_ms) }),
                    });
                }
            }
            let traffic_routing = match canary_routing(at) {
                CanaryRouting::GatewayWeights => Some(TrafficRouting {
                    plugins: Some(BTreeMap::from([(
                        "argoproj-labs/gatewayAPI".to_string(),
                        GatewayApiPlugin { http_route: name.to_string(), namespace: at.namespace.clone() },
                    )])),
                    alb: None,
                    nginx: None,
                }),
                CanaryRouting::Alb => Some(TrafficRouting {
                    plugins: None,
                    alb: Some(AlbRouting {
                        ingress: name.to_string(),
                        service_port: SERVICE_PORT,
                        root_service: name.to_string(),
                    }),
                    nginx: None,
                }),
                CanaryRouting::Nginx => Some(TrafficRouting {
                    plugins: None,
                    alb: None,
                    nginx: Some(NginxRouting { stable_ingress: name.to_string() }),
                }),
                CanaryRouting::PodCounts => None,
            };
            let strategy = RolloutStrategy {
                blue_green: None,
                canary: Some(CanaryStrategy {
                    canary_service: names::derive(name, names::CANARY),
                    stable_service: names::derive(name, names::STABLE),
                    steps: argo_steps,
                    traffic_routing,
                    analysis: analysis
                        .as_ref()
                        .map(|t| RolloutAnalysis { templates: vec![AnalysisTemplateRef { template_name: t.clone() }] }),
                }),
            };
            out.push(rollout(lw, at, fixed, strategy));
            out.push(service(lw, at, name, &[]));
            out.push(service(lw, at, &names::derive(name, names::STABLE), &[]));
            out.push(service(lw, at, &names::derive(name, names::CANARY), &[]));
            out.extend(hpa(rollout_kind, name));
        }
    }
    out
}

/// Pods of a canary track carrying `weight` (hundredths of a percent) beside `stable` pods:
/// at least one, so that the weight has something to go to.
pub fn canary_pods(stable: i64, weight: u32) -> i32 {
    ((stable * i64::from(weight) + 9_999) / 10_000).max(1) as i32
}

/// The traffic weight (percent) of a canary track at `weight` hundredths of a percent.
pub fn canary_percent(weight: u32) -> i32 {
    (weight / 100) as i32
}

fn rollout(lw: &Lowering, at: &Placement, replicas: Option<i32>, strategy: RolloutStrategy) -> Object {
    let (_, min_ready) = super::workload::strategy(at);
    Rollout::new(
        release_meta(lw, at, &at.partner.name.value, "web"),
        RolloutSpec {
            replicas,
            selector: label_selector(at),
            template: pod_template(lw, at, &[]),
            min_ready_seconds: (min_ready > 0).then_some(min_ready),
            revision_history_limit: 5,
            progress_deadline_seconds: 600,
            strategy,
        },
    )
    .into()
}
