//! Release trains (E0413–E0417) and what a rollout backend can carry out (E0418, W0403).

use crate::check::units::format_percent;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{backend_of, canary_routing, Backend, CanaryRouting, Fleet, Provider, StrategyKind, StrategyTag};
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
                .maybe_suggest_string(
                    n.span,
                    &n.value,
                    fleet.partners.iter().map(|p| p.name.value.as_str()),
                ),
            );
        }
    }
}

/// E0413, E0414, E0416, E0417 for every release that declares waves.
///
/// Only the newest release of each channel is checked: the train of an older one is over.
pub fn trains(fleet: &Fleet, d: &mut Diagnostics) {
    let channels = crate::model::releases::Channels::new(fleet);
    for release in fleet.releases.iter().filter(|r| !r.waves.is_empty() && channels.is_newest(r)) {
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
                let mut diag = Diagnostic::new(
                    Code::EmptyWave,
                    span,
                    format!("wave `{}` of release `{version}` reaches no partner", cohort.name()),
                    "empty wave",
                )
                .help("name partners in it, match a label or plan, give it a share, or remove it from `waves`");
                // Partners it names that the train leaves out, and why.
                let reasons: Vec<String> = cohort
                    .wave
                    .iter()
                    .flat_map(|w| w.partners.iter())
                    .filter_map(|n| t.left_out.iter().find(|(p, _)| p.name.value == n.value))
                    .map(|(p, why)| format!("`{}` {}", p.name.value, why.predicate()))
                    .collect();
                if !reasons.is_empty() {
                    diag =
                        diag.note(format!("the partners it names are left out of this train: {}", reasons.join(", ")));
                }
                d.push(diag);
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
            let (first_wave, second_wave) = (&t.cohorts[*first], &t.cohorts[*second]);
            let at = second_wave
                .wave
                .and_then(|w| w.partners.iter().find(|n| n.value == p.name.value))
                .map_or(release.waves[*second].span, |n| n.span);
            d.push(
                Diagnostic::new(
                    Code::PartnerInTwoWaves,
                    at,
                    format!(
                        "partner `{}` is already in wave `{}` of release `{version}`; wave `{}` names it again",
                        p.name.value,
                        first_wave.name(),
                        second_wave.name()
                    ),
                    "named again",
                )
                .label(release.waves[*first].span, format!("wave `{}` takes it first", first_wave.name()))
                .help("a partner moves in exactly one wave: remove it from one of them"),
            );
        }
    }
}

/// A problem shared by the partners that use one strategy declaration.
struct Finding<'f> {
    code: Code,
    span: crate::source::Span,
    partners: Vec<&'f str>,
    make: Box<dyn Fn(&str) -> Diagnostic + 'f>,
}

fn add_finding<'f>(
    findings: &mut Vec<Finding<'f>>,
    code: Code,
    span: crate::source::Span,
    partner: &'f str,
    make: Box<dyn Fn(&str) -> Diagnostic + 'f>,
) {
    match findings.iter_mut().find(|f| f.code == code && f.span == span) {
        Some(f) => f.partners.push(partner),
        None => findings.push(Finding { code, span, partners: vec![partner], make }),
    }
}

/// E0418 and W0403: what each partner's backend can do with its strategy on its own target.
/// Partners sharing a strategy (a platform default, say) are reported together, once. The
/// warning, about the manifests written, is judged on `over` (`emit --target`) when given; the
/// error stays about the spec (a move to another target is the portability report's).
pub fn backends(fleet: &Fleet, over: Option<&str>, d: &mut Diagnostics) {
    let Some(platform) = &fleet.platform else { return };
    let mut findings: Vec<Finding> = Vec::new();
    let mut add = |code, span, partner, make| add_finding(&mut findings, code, span, partner, make);
    for p in &fleet.partners {
        let Some(target) = super::target_of(fleet, p, None) else { continue };
        let backend = backend_of(p, target, platform);
        let StrategyKind::Canary { steps, analysis } = &p.strategy.kind else { continue };
        let name = p.strategy.name.as_deref().map_or(StrategyTag::Canary.to_string(), |n| format!("canary `{n}`"));
        let span = p.strategy.span;
        if backend == Backend::Native && analysis.is_some() {
            let name = name.clone();
            add(
                Code::StrategyNeedsBackend,
                span,
                &p.name.value,
                Box::new(move |who| {
                    Diagnostic::new(
                        Code::StrategyNeedsBackend,
                        span,
                        format!("{who} uses {name} with an analysis gate, which the `native` backend cannot run"),
                        "has `analysis`",
                    )
                    .help("set `backend = argo` (Argo Rollouts runs analysis templates), or remove `analysis`")
                }),
            );
            continue;
        }
        let Some(target) = super::target_of(fleet, p, over) else { continue };
        let backend = backend_of(p, target, platform);
        if backend == Backend::Native && analysis.is_some() {
            continue;
        }
        if canary_routing(backend, target) != CanaryRouting::PodCounts {
            continue;
        }
        let max = p.replicas.value.1.max(1) as u64;
        let off: Vec<String> = steps
            .iter()
            .filter(|s| !(s.value.weight as u64 * max).is_multiple_of(10_000))
            .map(|s| {
                let pods = (s.value.weight as u64 * max).div_ceil(10_000);
                format!("{} ≈ {}", format_percent(s.value.weight), format_percent((pods * 10_000 / max) as u32))
            })
            .collect();
        if off.is_empty() {
            continue;
        }
        // Argo routes by weight on EKS (ALB) and AKS (NGINX); elsewhere only Gateway API does.
        let argo_helps = backend == Backend::Native && matches!(target.provider, Provider::Eks | Provider::Aks);
        let (target_name, off) = (target.name.value.clone(), off.join(", "));
        add(
            Code::CanaryByReplicas,
            span,
            &p.name.value,
            Box::new(move |who| {
                Diagnostic::new(
                    Code::CanaryByReplicas,
                    span,
                    format!("{who} on `{target_name}` shifts traffic by pod counts, not weights: {off}"),
                    format!("{name}, {backend} backend"),
                )
                .help(if argo_helps {
                    "set `backend = argo`: Argo Rollouts routes by weight on this target"
                } else {
                    "use a target with Gateway API routing for exact weights, or steps that are multiples of one pod's share"
                })
                .note(format!("with at most {max} pods, each pod carries {} of the traffic", format_percent((10_000 / max) as u32)))
            }),
        );
    }
    for f in findings {
        let who = match f.partners.as_slice() {
            [one] => format!("partner `{one}`"),
            many => format!("partners {}", crate::diagnostic::quoted(many.iter())),
        };
        d.push((f.make)(&who));
    }
}
