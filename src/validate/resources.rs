//! Resource rules: requests within limits, workable autoscaling ranges.

use crate::check::units::{format_bytes, format_cpu};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Fleet;
use crate::source::Spanned;

/// E0401: a request above its limit cannot be scheduled.
pub fn requests_within_limits(fleet: &Fleet, d: &mut Diagnostics) {
    let default = fleet.platform.iter().filter_map(|p| {
        p.default_plan.as_ref().map(|r| (r, format!("the default plan of platform `{}`", p.name.value)))
    });
    let plans = default.chain(fleet.plans.iter().map(|p| (&p.resources, format!("plan `{}`", p.name.value))));
    let partners =
        fleet.partners.iter().filter_map(|p| p.resources.as_ref().map(|r| (r, format!("partner `{}`", p.name.value))));
    for (r, owner) in plans.chain(partners) {
        check_pair(&r.cpu, &r.cpu_limit, "CPU", &owner, format_cpu, d);
        check_pair(&r.memory, &r.memory_limit, "memory", &owner, format_bytes, d);
    }
}

fn check_pair(
    request: &Spanned<u64>,
    limit: &Spanned<u64>,
    what: &str,
    owner: &str,
    fmt: fn(u64) -> String,
    d: &mut Diagnostics,
) {
    if request.value > limit.value {
        d.push(
            Diagnostic::new(
                Code::RequestAboveLimit,
                request.span,
                format!("{what} request {} is above its limit {} in {owner}", fmt(request.value), fmt(limit.value)),
                format!("request {}", fmt(request.value)),
            )
            .label(limit.span, format!("limit {}", fmt(limit.value)))
            .help(format!("lower the request or raise the limit to at least {}", fmt(request.value))),
        );
    }
}

/// E0402: `min..max` with `1 <= min <= max`.
pub fn replica_ranges(fleet: &Fleet, d: &mut Diagnostics) {
    // The platform's default first: partners that inherit it share its span, so it is
    // reported once, as the platform's.
    let default = fleet
        .platform
        .iter()
        .map(|p| (&p.default_replicas, format!("the default autoscaling range of platform `{}`", p.name.value)));
    let partners =
        fleet.partners.iter().map(|p| (&p.replicas, format!("the autoscaling range of partner `{}`", p.name.value)));
    for (replicas, owner) in default.chain(partners) {
        let (min, max) = replicas.value;
        let problem = if min < 1 {
            Some(format!("minimum {min} is below 1, so the site could have no pods"))
        } else if min > max {
            Some(format!("minimum {min} is above maximum {max}"))
        } else {
            None
        };
        if let Some(why) = problem {
            d.push(
                Diagnostic::new(
                    Code::BadReplicaRange,
                    replicas.span,
                    format!("{owner} is invalid: {why}"),
                    "invalid range",
                )
                .help(format!(
                    "write `min..max` with 1 <= min <= max, e.g. `{}..{}`",
                    min.min(max).max(1),
                    max.max(min).max(1)
                )),
            );
        }
    }
}

/// W0402: partner volumes are ReadWriteOnce (one node at a time); with more than one pod, pods
/// scheduled on another node cannot start.
pub fn shared_volumes(fleet: &Fleet, d: &mut Diagnostics) {
    for p in &fleet.partners {
        let Some(storage) = &p.storage else { continue };
        if p.replicas.value.1 > 1 {
            d.push(
                Diagnostic::new(
                    Code::SharedVolume,
                    storage.span,
                    format!("partner `{}` has a volume but up to {} pods", p.name.value, p.replicas.value.1),
                    "a ReadWriteOnce volume",
                )
                .label(p.replicas.span, "more than one pod")
                .help("keep uploads in object storage, or run one pod (`replicas = 1..1`)")
                .note("the target's storage classes attach a volume to one node at a time"),
            );
        }
    }
}
