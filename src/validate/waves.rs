//! Release trains (E0413–E0417) and what a rollout backend can carry out (E0418, W0403).

use crate::check::units::format_percent;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{backend_of, Fleet, StrategyKind};
use crate::suggest;
use crate::train;

/// E0415: every partner a wave names exists.
pub fn wave_partners_exist(fleet: &Fleet, d: &mut Diagnostics) {
    let names: std::collections::HashSet<&str> = fleet.partners.iter().map(|p| p.name.value.as_str()).collect();
    for w in &fleet.waves {
        for n in w.partners.iter().filter(|n| !names.contains(n.value.as_str())) {
            d.push(
                Diagnostic::new(
                    Code::UnknownPartnerInWave,
                    n.span,
                    format!("wave `{}` names partner `{}`, which does not exist", w.name.value, n.value),
                    "no such partner",
                )
                .maybe_help(suggest::did_you_mean(&n.value, fleet.partners.iter().map(|p| p.name.value.as_str()))),
            );
        }
    }
}

/// E0413, E0414, E0416, E0417 for every release that declares waves.
pub fn trains(fleet: &Fleet, d: &mut Diagnostics) {
    for release in fleet.releases.iter().filter(|r| !r.waves.is_empty()) {
        let version = &release.version.value;
        let shares: u32 = release
            .waves
            .iter()
            .filter_map(|n| fleet.waves.iter().find(|w| w.name.value == n.value))
            .filter_map(|w| w.share.as_ref().map(|s| s.value))
            .sum();
        let list = release.waves.first().map(|f| f.span.to(release.waves[release.waves.len() - 1].span));
        if shares > 10_000 {
            if let Some(span) = list {
                d.push(
                    Diagnostic::new(Code::SharesOver100, span, format!("the waves of release `{version}` take {} of the fleet", format_percent(shares)), "shares add up to more than 100%")
                        .help("make the shares add up to at most 100%; a last wave without `share` (e.g. `wave rest {}`) takes everyone left"),
                );
            }
        }
        let t = train::plan(fleet, release);
        for (i, cohort) in t.cohorts.iter().enumerate() {
            if cohort.partners.is_empty() {
                let span = release.waves[i].span;
                d.push(
                    Diagnostic::new(
                        Code::EmptyWave,
                        span,
                        format!("wave `{}` of release `{version}` reaches no partner", cohort.name()),
                        "empty wave",
                    )
                    .help("name partners in it, match a label or plan, give it a share, or remove it from `waves`"),
                );
            }
        }
        for p in &t.unreached {
            let mut diag = Diagnostic::new(
                Code::PartnerInNoWave,
                p.name.span,
                format!("no wave of release `{version}` reaches partner `{}`", p.name.value),
                format!("follows `{}`", release.channel.value),
            )
            .help("name it in a wave, or end the train with a wave that takes the rest (`wave rest {}`); `hold = true` keeps it out on purpose");
            if let Some(span) = list {
                diag = diag.label(span, "the release's waves");
            }
            d.push(diag);
        }
        for (p, first, second) in &t.named_twice {
            d.push(
                Diagnostic::new(
                    Code::PartnerInTwoWaves,
                    release.waves[*second].span,
                    format!(
                        "partner `{}` is named by waves `{}` and `{}` of release `{version}`",
                        p.name.value, release.waves[*first].value, release.waves[*second].value
                    ),
                    "names it again",
                )
                .label(release.waves[*first].span, "takes it first")
                .help("a partner moves in exactly one wave: remove it from one of them"),
            );
        }
    }
}

/// E0418 and W0403: what each partner's backend can do with its strategy on its own target.
pub fn backends(fleet: &Fleet, d: &mut Diagnostics) {
    let Some(platform) = &fleet.platform else { return };
    for p in &fleet.partners {
        let Some(target) = fleet.targets.iter().find(|t| t.name.value == p.target) else { continue };
        let backend = backend_of(p, target, platform);
        let StrategyKind::Canary { steps, analysis } = &p.strategy.kind else { continue };
        let name = p.strategy.name.as_deref().map_or("canary".to_string(), |n| format!("canary `{n}`"));
        if backend == "native" && analysis.is_some() {
            d.push(
                Diagnostic::new(
                    Code::StrategyNeedsBackend,
                    p.strategy.span,
                    format!(
                        "partner `{}` uses {name} with an analysis gate, which the `native` backend cannot run",
                        p.name.value
                    ),
                    "has `analysis`",
                )
                .help("set `backend = argo` (Argo Rollouts runs analysis templates), or remove `analysis`"),
            );
            continue;
        }
        let weighted = match backend {
            "argo" => target.provider != "gke",
            _ => target.routing == "gateway",
        };
        if !weighted {
            let max = p.replicas.value.1.max(1) as u64;
            let off: Vec<String> = steps
                .iter()
                .filter(|s| (s.value.weight as u64 * max) % 10_000 != 0)
                .map(|s| {
                    format!(
                        "{} ≈ {}",
                        format_percent(s.value.weight),
                        format_percent(((s.value.weight as u64 * max).div_ceil(10_000) * 10_000 / max) as u32)
                    )
                })
                .collect();
            if !off.is_empty() {
                d.push(
                    Diagnostic::new(
                        Code::CanaryByReplicas,
                        p.strategy.span,
                        format!("partner `{}` on `{}` shifts traffic by pod counts, not weights: {}", p.name.value, target.name.value, off.join(", ")),
                        format!("{name}, {backend} backend"),
                    )
                    .help(if backend == "native" {
                        "use a target with Gateway API routing for exact weights, or `backend = argo` where Argo Rollouts can route by weight"
                    } else {
                        "Argo Rollouts has no traffic router for this target's load balancer; weights follow pod counts"
                    })
                    .note(format!("with at most {max} pods, each pod carries {} of the traffic", format_percent((10_000 / max) as u32))),
                );
            }
        }
    }
}
