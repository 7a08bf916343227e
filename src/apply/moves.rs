//! How a partner moves from one release to another, and where a release train stands. Pure:
//! `bdc rollout` and `bdc apply` carry these plans out against clusters.
//!
//! A move is a list of phases by strategy × backend:
//!
//! | strategy | `native` | `argo` |
//! |---|---|---|
//! | rolling | at rest (one rolling update) | the same |
//! | blue/green | preview → (promote) → switched → (scale-down delay) → at rest | at rest; the Rollout pauses for `promote` unless it auto-promotes |
//! | canary | one phase per step (weight, then its hold) → at rest | at rest; Argo carries out the steps |
//!
//! A train is a list of waves; a wave is done when each of its partners runs the release at
//! rest and healthy, and its soak has passed since the last of them became healthy.

use super::record::{elapsed_ms, later, Record, State};
use crate::lower::Stage;
use crate::model::{Backend, Partner, Release, StrategyKind};
use crate::train::Train;

/// One phase of a move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Blue/green: the new release up behind the preview Service.
    Preview,
    /// Blue/green: traffic on the new release, the old one still up.
    Switched,
    /// Canary step `step` (0-based): `weight` hundredths of a percent on the new release.
    Canary { step: usize, weight: u32 },
    /// Everything on the release.
    AtRest,
}

impl Phase {
    /// How the phase is written in records and shown to people.
    pub fn word(&self) -> String {
        match self {
            Phase::Preview => "preview".into(),
            Phase::Switched => "switched".into(),
            Phase::Canary { step, weight } => format!("canary-{} ({}%)", step + 1, weight / 100),
            Phase::AtRest => "at-rest".into(),
        }
    }

    /// The lowering stage of the phase, moving from `from`.
    pub fn stage<'f>(&self, from: &'f Release) -> Stage<'f> {
        match *self {
            Phase::Preview => Stage::Preview { from },
            Phase::Switched => Stage::Switched { from },
            Phase::Canary { weight, .. } => Stage::Canary { from, weight },
            Phase::AtRest => Stage::AtRest,
        }
    }
}

/// A phase and what must happen before the next one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub phase: Phase,
    /// Once healthy, stay this long (checking health) before going on.
    pub hold_ms: u64,
    /// Stop after this phase until someone runs `bdc rollout promote`.
    pub gate: bool,
}

/// The phases of moving `partner` (on `backend`) to a new release. A partner that runs no
/// release yet, and any rolling or `argo` partner, has the single at-rest phase.
pub fn phases(partner: &Partner, backend: Backend, first_release: bool) -> Vec<Planned> {
    let at_rest = Planned { phase: Phase::AtRest, hold_ms: 0, gate: false };
    if first_release || backend == Backend::Argo {
        return vec![at_rest];
    }
    match &partner.strategy.kind {
        StrategyKind::Rolling { .. } => vec![at_rest],
        StrategyKind::BlueGreen { auto_promote, scale_down_delay_ms, .. } => vec![
            Planned { phase: Phase::Preview, hold_ms: 0, gate: !auto_promote },
            Planned { phase: Phase::Switched, hold_ms: *scale_down_delay_ms, gate: false },
            at_rest,
        ],
        StrategyKind::Canary { steps, .. } => {
            let mut out: Vec<Planned> = steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.value.weight < 10_000)
                .map(|(i, s)| Planned {
                    phase: Phase::Canary { step: i, weight: s.value.weight },
                    hold_ms: s.value.hold_ms,
                    gate: false,
                })
                .collect();
            out.push(at_rest);
            out
        }
    }
}

/// The index in `phases` of the phase a record names (`None`: not one of them).
pub fn position(phases: &[Planned], word: &str) -> Option<usize> {
    phases.iter().position(|p| p.phase.word() == word)
}

/// Where a partner's move to a release starts, read from its record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resume {
    /// The release still serving (`None`: nothing to move from; go straight to rest).
    pub from: Option<String>,
    /// The blue/green slot the new release runs in (`None`: the release's own).
    pub slot: Option<usize>,
    /// The phase reached by an interrupted move to the same release.
    pub phase: Option<String>,
}

/// Where a move of a partner to `to` starts, given its record.
pub fn resume(record: Option<&Record>, to: &str) -> Resume {
    let Some(r) = record else { return Resume { from: None, slot: None, phase: None } };
    if r.release == to && r.state != State::Aborted {
        return Resume { from: r.from.clone(), slot: Some(r.slot), phase: Some(r.phase.clone()) };
    }
    // After an abort the old release serves from the other slot.
    let serving_slot = if r.state == State::Aborted { 1 - r.slot.min(1) } else { r.slot.min(1) };
    if r.running() == to {
        return Resume { from: None, slot: Some(serving_slot), phase: None };
    }
    Resume { from: Some(r.running().to_string()), slot: Some(1 - serving_slot), phase: None }
}

/// Where a train stands, from the partners' records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrainState {
    /// Every wave is done.
    Done,
    /// Wave `wave` (index) has partners still to move, in name order.
    Move { wave: usize, partners: Vec<String> },
    /// Wave `wave` is done and soaks until `until` (RFC 3339), `left_ms` from now.
    Soaking { wave: usize, until: String, left_ms: u64 },
    /// A partner of wave `wave` stopped: failed, aborted, or waiting for promotion.
    Stopped { wave: usize, partner: String, state: State, phase: String },
}

/// Where `train` stands given each partner's record (`record(name)`); `retry` treats failed
/// and aborted partners as still to move.
pub fn train_state<'r>(train: &Train, record: impl Fn(&str) -> Option<&'r Record>, retry: bool) -> TrainState {
    let release = &train.release.version.value;
    for (i, cohort) in train.cohorts.iter().enumerate() {
        let mut to_move = Vec::new();
        let mut last_healthy: Option<&str> = None;
        for p in &cohort.partners {
            let name = &p.name.value;
            match record(name) {
                Some(r) if r.settled_on(release) => {
                    let since = r.healthy_since.as_deref().unwrap_or(&r.updated);
                    if last_healthy.is_none_or(|l| since > l) {
                        last_healthy = Some(since);
                    }
                }
                Some(r) if r.release == *release && !retry && matches!(r.state, State::Failed | State::Aborted) => {
                    return TrainState::Stopped {
                        wave: i,
                        partner: name.clone(),
                        state: r.state,
                        phase: r.phase.clone(),
                    };
                }
                Some(r) if r.release == *release && r.state == State::Paused => {
                    return TrainState::Stopped {
                        wave: i,
                        partner: name.clone(),
                        state: r.state,
                        phase: r.phase.clone(),
                    };
                }
                _ => to_move.push(name.clone()),
            }
        }
        if !to_move.is_empty() {
            return TrainState::Move { wave: i, partners: to_move };
        }
        let soak = cohort.soak_ms();
        if soak > 0 && i + 1 < train.cohorts.len() {
            if let Some(since) = last_healthy {
                let passed = elapsed_ms(since).unwrap_or(u64::MAX);
                if passed < soak {
                    return TrainState::Soaking { wave: i, until: later(since, soak), left_ms: soak - passed };
                }
            }
        }
    }
    TrainState::Done
}
