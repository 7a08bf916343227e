//! Release trains: which partners a release reaches, in which wave, from which version.
//!
//! A release with `waves = [pilot, everyone]` is carried to the partners that follow its
//! channel, wave by wave. Each wave takes, from the partners not yet in an earlier wave, those
//! it names, those whose labels or plan it matches, and then its `share` of the release's
//! fleet (rounded up, in name order); a wave with none of these takes everyone left. Partners on hold, pinned to a release, or following
//! another channel are left out, with the reason. One function computes this; the checker,
//! `bdc plan`, `bdc emit --wave` and (later) `bdc rollout` all use it.

use crate::model::releases::{compare_versions, Channels};
use crate::model::{Fleet, Partner, Release, Wave};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Why a partner is not in the train.
#[derive(Clone, Debug, PartialEq)]
pub enum LeftOut {
    OnHold,
    Pinned(String),
    OtherChannel(String),
}

impl LeftOut {
    /// As a predicate: "is on hold", "follows `beta`".
    pub fn predicate(&self) -> String {
        match self {
            LeftOut::OtherChannel(_) => self.describe(),
            _ => format!("is {}", self.describe()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            LeftOut::OnHold => "on hold".into(),
            LeftOut::Pinned(v) => format!("pinned to {v}"),
            LeftOut::OtherChannel(c) => format!("follows `{c}`"),
        }
    }
}

/// One wave as computed for the fleet.
#[derive(Debug)]
pub struct Cohort<'f> {
    /// `None` for the single implicit wave of a release that declares none.
    pub wave: Option<&'f Wave>,
    pub partners: Vec<&'f Partner>,
}

impl Cohort<'_> {
    pub fn name(&self) -> &str {
        self.wave.map_or("all", |w| w.name.value.as_str())
    }
    pub fn soak_ms(&self) -> u64 {
        self.wave.map_or(0, |w| w.soak_ms)
    }
}

/// A release's train over the fleet.
#[derive(Debug)]
pub struct Train<'f> {
    pub release: &'f Release,
    pub cohorts: Vec<Cohort<'f>>,
    /// Partners of the release's channel that no wave takes (an error when waves are declared).
    pub unreached: Vec<&'f Partner>,
    /// Partners named by more than one wave, with the waves' indexes.
    pub named_twice: Vec<(&'f Partner, usize, usize)>,
    pub left_out: Vec<(&'f Partner, LeftOut)>,
}

impl<'f> Train<'f> {
    /// The wave (index) a partner is in.
    pub fn wave_of(&self, partner: &str) -> Option<usize> {
        self.cohorts.iter().position(|c| c.partners.iter().any(|p| p.name.value == partner))
    }
}

/// The release a partner runs when `release`'s train has not reached it: its pin, or the
/// newest release of its channel older than `release` (`None`: not deployed before).
pub fn before<'f>(fleet: &'f Fleet, partner: &Partner, release: &Release) -> Option<&'f Release> {
    if let Some(pin) = &partner.release {
        return fleet.releases.iter().find(|r| r.version.value == pin.value);
    }
    let channel = &partner.follows.as_ref()?.value;
    fleet
        .releases
        .iter()
        .filter(|r| &r.channel.value == channel)
        .filter(|r| {
            *channel != release.channel.value
                || compare_versions(&r.version.value, &release.version.value) == Ordering::Less
        })
        .max_by(|a, b| compare_versions(&a.version.value, &b.version.value))
}

/// Computes the train of `release`.
pub fn plan<'f>(fleet: &'f Fleet, release: &'f Release) -> Train<'f> {
    let mut eligible = Vec::new();
    let mut left_out = Vec::new();
    for p in &fleet.partners {
        match (&p.follows, &p.release) {
            (_, Some(pin)) => left_out.push((p, LeftOut::Pinned(pin.value.clone()))),
            (Some(c), None) if c.value != release.channel.value => {
                left_out.push((p, LeftOut::OtherChannel(c.value.clone())))
            }
            (Some(_), None) if p.hold => left_out.push((p, LeftOut::OnHold)),
            (Some(_), None) => eligible.push(p),
            (None, None) => {}
        }
    }
    let waves: Vec<&Wave> =
        release.waves.iter().filter_map(|name| fleet.waves.iter().find(|w| w.name.value == name.value)).collect();
    if release.waves.is_empty() {
        let cohorts = vec![Cohort { wave: None, partners: eligible }];
        return Train { release, cohorts, unreached: Vec::new(), named_twice: Vec::new(), left_out };
    }
    let total = eligible.len() as u64;
    let mut taken: HashMap<&str, usize> = HashMap::new();
    let mut named_twice = Vec::new();
    let mut cohorts = Vec::with_capacity(waves.len());
    for (i, wave) in waves.iter().enumerate() {
        let mut cohort = Vec::new();
        for p in &eligible {
            let named = wave.partners.iter().any(|n| n.value == p.name.value);
            if let Some(&first) = taken.get(p.name.value.as_str()) {
                if named && first != i {
                    named_twice.push((*p, first, i));
                }
                continue;
            }
            let by_label = !wave.labels.is_empty()
                && wave.labels.iter().all(|(k, v)| p.labels.get(k).is_some_and(|pv| pv.value == v.value));
            let by_plan = p
                .resources
                .as_ref()
                .and_then(|r| r.plan.as_deref())
                .is_some_and(|plan| wave.plans.iter().any(|w| w.value == plan));
            // A wave that selects nothing in particular takes everyone left.
            let rest = !wave.selects;
            if named || by_label || by_plan || rest {
                taken.insert(&p.name.value, i);
                cohort.push(*p);
            }
        }
        if let Some(share) = &wave.share {
            let wanted = (total * share.value as u64).div_ceil(10_000) as usize;
            let mut rest: Vec<&Partner> =
                eligible.iter().copied().filter(|p| !taken.contains_key(p.name.value.as_str())).collect();
            rest.sort_by(|a, b| a.name.value.cmp(&b.name.value));
            for p in rest.into_iter().take(wanted) {
                taken.insert(&p.name.value, i);
                cohort.push(p);
            }
        }
        cohort.sort_by(|a, b| a.name.value.cmp(&b.name.value));
        cohorts.push(Cohort { wave: Some(wave), partners: cohort });
    }
    let unreached = eligible.into_iter().filter(|p| !taken.contains_key(p.name.value.as_str())).collect();
    Train { release, cohorts, unreached, named_twice, left_out }
}

/// The release each partner runs once wave `reached` (0-based; `None`: the whole train) of the
/// train is done: partners in waves up to it run the train's release, the rest of the channel
/// what they ran before (`None` when they ran nothing yet), everyone else their own release.
pub fn state_at<'f>(
    fleet: &'f Fleet,
    train: &Train<'f>,
    reached: Option<usize>,
) -> Vec<(&'f Partner, Option<&'f Release>)> {
    let last = reached.unwrap_or(usize::MAX);
    let channels = Channels::new(fleet);
    fleet
        .partners
        .iter()
        .map(|p| {
            let release = match train.wave_of(&p.name.value) {
                Some(i) if i <= last => Some(train.release),
                Some(_) => before(fleet, p, train.release),
                None if train.unreached.iter().any(|u| u.name.value == p.name.value) => before(fleet, p, train.release),
                None => match train.left_out.iter().find(|(l, _)| l.name.value == p.name.value).map(|(_, why)| why) {
                    Some(LeftOut::OnHold) => before(fleet, p, train.release),
                    _ => channels.running(p),
                },
            };
            (p, release)
        })
        .collect()
}
