//! Rollout rules: canary weights rise strictly and end at or below 100%.

use crate::check::units::format_percent;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Fleet, Strategy, StrategyKind};

/// E0405, for named strategies and for partners' inline ones.
pub fn canary_steps(fleet: &Fleet, d: &mut Diagnostics) {
    let default = fleet.platform.iter().map(|p| &p.default_strategy);
    let named = default.chain(fleet.strategies.iter().map(|s| &s.strategy));
    let inline = fleet.partners.iter().map(|p| &p.strategy);
    for s in named.chain(inline) {
        check(s, d);
    }
}

fn check(s: &Strategy, d: &mut Diagnostics) {
    let StrategyKind::Canary { steps, .. } = &s.kind else { return };
    if steps.is_empty() {
        d.push(
            Diagnostic::new(Code::BadCanarySteps, s.span, "canary has no steps", "no steps")
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
                        "canary weight {} does not rise above the previous step's {}",
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
            Diagnostic::new(Code::BadCanarySteps, zero.span, "a canary step sends 0% of traffic", "0% tests nothing")
                .help("start with a small share such as `5%`"),
        );
    }
}
