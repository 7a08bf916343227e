//! Rollout rules: canary weights rise strictly and end at or below 100%; a rolling update can
//! move (E0443).

use crate::check::units::format_percent;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Fleet, Strategy, StrategyKind, Surge};

/// E0405, for named strategies and for partners' inline ones.
pub fn canary_steps(fleet: &Fleet, d: &mut Diagnostics) {
    // Named strategies first: a partner or platform that refers to one shares its span, so
    // the mistake is reported once, as the strategy's.
    let named = fleet.strategies.iter().map(|s| (&s.strategy, None));
    let default = fleet.platform.iter().map(|p| (&p.default_strategy, Some(format!("platform `{}`", p.name.value))));
    let inline = fleet.partners.iter().map(|p| (&p.strategy, Some(format!("partner `{}`", p.name.value))));
    for (s, user) in named.chain(default).chain(inline) {
        let owner = match (&s.name, user) {
            (Some(n), _) => format!("canary `{n}`"),
            (None, Some(user)) => format!("the canary of {user}"),
            (None, None) => "a canary".into(),
        };
        check(s, &owner, d);
    }
}

fn check(s: &Strategy, owner: &str, d: &mut Diagnostics) {
    let StrategyKind::Canary { steps, .. } = &s.kind else { return };
    if steps.is_empty() {
        d.push(
            Diagnostic::new(Code::BadCanarySteps, s.span, format!("{owner} has no steps"), "no steps")
                .help("add steps such as `steps = [10% for 10m, 50% for 30m]`"),
        );
        return;
    }
    for pair in steps.windows(2) {
        let (prev, next) = (&pair[0], &pair[1]);
        if next.value.weight <= prev.value.weight {
            d.push(
                Diagnostic::new(
                    Code::BadCanarySteps,
                    next.span,
                    format!(
                        "{owner}: weight {} does not rise above the previous step's {}",
                        format_percent(next.value.weight),
                        format_percent(prev.value.weight)
                    ),
                    "not higher than the step before",
                )
                .label(prev.span, "previous step")
                .help(format!(
                    "send more than {} to the new version here, or remove this step",
                    format_percent(prev.value.weight)
                )),
            );
        }
    }
    if let Some(at) = steps.iter().position(|s| s.value.weight == 0) {
        let zero = &steps[at];
        // Half the next step's share, in whole percent, when that is still below it.
        let next = steps.get(at + 1).map(|s| s.value.weight);
        let half = next.map(|n| (n / 200).max(1) * 100).filter(|h| next.is_some_and(|n| *h < n));
        let help = match (next, half) {
            (Some(next), Some(half)) => format!(
                "give it a small share of the traffic, below the next step's {} (such as `{}`)",
                format_percent(next),
                format_percent(half)
            ),
            _ => "give it a share of the traffic above 0%, or remove this step".into(),
        };
        d.push(
            Diagnostic::new(
                Code::BadCanarySteps,
                zero.span,
                format!("a step of {owner} sends 0% of traffic"),
                "0% tests nothing",
            )
            .help(help),
        );
    }
}

/// E0443: a rolling update must be allowed to add a pod or to take one away, or the API
/// server refuses the Deployment. Named strategies, the platform's default and inline ones.
pub fn rolling_updates(fleet: &Fleet, d: &mut Diagnostics) {
    let default = fleet
        .platform
        .iter()
        .map(|p| (&p.default_strategy, format!("the default rolling update of platform `{}`", p.name.value)));
    let named = fleet.strategies.iter().map(|s| (&s.strategy, format!("rolling update `{}`", s.name.value)));
    let inline = fleet
        .partners
        .iter()
        .filter(|p| p.strategy.name.is_none())
        .map(|p| (&p.strategy, format!("the rolling update of partner `{}`", p.name.value)));
    for (s, what) in default.chain(named).chain(inline) {
        let StrategyKind::Rolling { max_surge, max_unavailable, .. } = &s.kind else { continue };
        let zero = |v: &Surge| matches!(v, Surge::Count(0) | Surge::Percent(0));
        if zero(max_surge) && zero(max_unavailable) {
            d.push(
                Diagnostic::new(
                    Code::StuckRollingUpdate,
                    s.span,
                    format!("{what} has `max_surge` and `max_unavailable` both 0: it can neither add a new pod nor remove an old one"),
                    "both 0",
                )
                .help("allow one extra pod with `max_surge = 1` (or `25%`), or one missing pod with `max_unavailable = 1`")
                .note("the API server refuses a Deployment whose rolling update may neither add nor remove a pod"),
            );
        }
    }
}
