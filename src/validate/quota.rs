//! E0410: a quota given in the spec must hold the partner's pods at the peak of a rollout at
//! full scale; otherwise the rollout stalls with pods refused by the API server.

use crate::check::units::{format_bytes, format_cpu};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::capacity::{in_cluster_services, peak_pods, totals, web_pod};
use crate::model::Fleet;

pub fn quotas_fit(fleet: &Fleet, d: &mut Diagnostics) {
    for p in &fleet.partners {
        let (Some(quota), Some(res)) = (&p.quota, &p.resources) else { continue };
        let pods = peak_pods(p);
        let mut need = pods.and_then(|pods| totals(res, pods));
        // The same pods the computed quota counts: each web pod with its proxy sidecar, and the
        // in-cluster databases and caches in the same namespace.
        let target = fleet.targets.iter().find(|t| t.name.value == p.target);
        if let (Some(target), Some(platform)) = (target, &fleet.platform) {
            let web = web_pod(res, p, target, platform).zip(pods).and_then(|(pod, n)| pod.times(n));
            let svc = in_cluster_services(p, target, platform);
            need = web.zip(svc).and_then(|(web, (svc, _, _, _))| web.plus(svc));
        }
        // Unreachable within the checker's maxima; never compared as a wrapped number.
        let (Some(pods), Some(need)) = (pods, need) else {
            d.push(overflow(p, res));
            continue;
        };
        let q = &quota.value;
        let checks = [
            ("CPU requests", q.cpu.value, need.cpu, format_cpu as fn(u64) -> String, q.cpu.span),
            ("memory requests", q.memory.value, need.memory, format_bytes, q.memory.span),
            ("CPU limits", q.cpu_limit.value, need.cpu_limit, format_cpu, q.cpu_limit.span),
            ("memory limits", q.memory_limit.value, need.memory_limit, format_bytes, q.memory_limit.span),
        ];
        for (what, have, need, fmt, span) in checks {
            if have < need {
                d.push(
                    Diagnostic::new(
                        Code::QuotaTooSmall,
                        span,
                        format!(
                            "quota of partner `{}` allows {} of {what}, but its rollout peak needs {}",
                            p.name.value,
                            fmt(have),
                            fmt(need)
                        ),
                        format!("allows {}", fmt(have)),
                    )
                    .label(p.replicas.span, format!("up to {} pods, {pods} during a rollout", p.replicas.value.1))
                    .note(format!(
                        "{} pods of {} CPU and {} memory requested each at the peak",
                        pods,
                        format_cpu(res.cpu.value),
                        format_bytes(res.memory.value)
                    ))
                    .help(format!("raise it to at least {}, or lower the replicas or the plan", fmt(need))),
                );
                break;
            }
        }
    }
}

/// The peak does not fit in 64 bits: refused rather than compared as a wrapped number.
fn overflow(p: &crate::model::Partner, res: &crate::model::Resources) -> Diagnostic {
    Diagnostic::new(
        Code::OutOfRange,
        p.replicas.span,
        format!("the rollout peak of partner `{}` is too large to compute", p.name.value),
        "too many pods for the plan",
    )
    .help(format!(
        "lower the replicas (`{}..{}`) or the plan ({} CPU, {} memory per pod)",
        p.replicas.value.0,
        p.replicas.value.1,
        format_cpu(res.cpu.value),
        format_bytes(res.memory.value)
    ))
}
