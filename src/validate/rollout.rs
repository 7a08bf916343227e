//! Rollout rules: canary weights rise strictly and end at or below 100%.

use crate::check::units::format_percent;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Fleet, Strategy, StrategyKind};

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
                .help("make each step send more traffic to the new version than the one before"),
            );
        }
    }
    if let Some(zero) = steps.iter().find(|s| s.value.weight == 0) {
        d.push(
            Diagnostic::new(
                Code::BadCanarySteps,
                zero.span,
                format!("a step of {owner} sends 0% of traffic"),
                "0% tests nothing",
            )
            .help("start with a small share such as `5%`"),
        );
    }
}
