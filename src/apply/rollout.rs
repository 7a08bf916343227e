//! `bdc rollout`: moving partners between releases phase by phase (`moves`), release trains
//! wave by wave, and `promote`, `abort`, `undo`. Every step is recorded in the partner's
//! `bdc-rollout` record before and after it is taken, so an interrupted command can be run
//! again and goes on where it stopped.

use super::client::{self, Failure};
use super::health::Health;
use super::moves::{self, Planned, TrainState};
use super::record::{Record, State};
use super::session::{self, Bundle, Cluster, Event, Options, Report, Route};
use crate::lower::{Lowering, Placement, Stage};
use crate::model::{Backend, Partner, Release};
use futures::StreamExt;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// The clusters and partners a rollout command works on.
pub struct Driver<'a, 'f> {
    pub lw: &'a Lowering<'f>,
    pub clusters: Vec<Cluster>,
    /// Partner name → (index in `clusters`, target override).
    pub homes: HashMap<String, (usize, Option<String>)>,
    pub opts: Options,
    /// Partners moved at the same time.
    pub parallel: usize,
}

/// Where to start a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum From {
    /// Where the record says the partner is (a new move, or an interrupted one).
    Record,
    /// The phase after the recorded one (`promote`).
    Next,
    /// The last phase (`promote --full`).
    End,
}

/// How a train command ended.
#[derive(Debug)]
pub enum TrainEnd {
    Done,
    /// Stopped before the wave that soaks (`--no-soak-wait`), until the time given.
    Soaking {
        wave: String,
        until: String,
    },
    /// A partner waits for `bdc rollout promote`, or was stopped by a failure or an abort
    /// earlier.
    Stopped {
        wave: String,
        partner: String,
        state: State,
        phase: String,
    },
}

impl<'a, 'f> Driver<'a, 'f> {
    /// Connects to the clusters of the routes.
    pub async fn connect(
        lw: &'a Lowering<'f>,
        routes: &[Route<'f>],
        opts: Options,
        parallel: usize,
    ) -> Result<Driver<'a, 'f>, String> {
        let mut keys: Vec<&session::ClusterKey> = Vec::new();
        let mut homes = HashMap::new();
        for r in routes {
            let i = keys.iter().position(|k| **k == r.cluster).unwrap_or_else(|| {
                keys.push(&r.cluster);
                keys.len() - 1
            });
            homes.insert(r.partner.name.value.clone(), (i, r.target.clone()));
        }
        let mut clusters = Vec::new();
        for k in keys {
            clusters.push(session::connect(k).await?);
        }
        Ok(Driver { lw, clusters, homes, opts, parallel: parallel.max(1) })
    }

    fn home(&self, p: &Partner) -> Result<(&Cluster, Option<&str>), Failure> {
        let (i, target) = self
            .homes
            .get(&p.name.value)
            .ok_or_else(|| Failure::new("partner", "not among the partners this command works on").of(&p.name.value))?;
        Ok((&self.clusters[*i], target.as_deref()))
    }

    fn release(&self, version: &str) -> Option<&'f Release> {
        self.lw.fleet.releases.iter().find(|r| r.version.value == version)
    }

    fn place(&self, p: &'f Partner, target: Option<&str>, to: &'f Release) -> Result<Placement<'f>, Failure> {
        self.lw.place_on(p, target, to).map_err(|e| Failure::new("placement", e).of(&p.name.value))
    }

    fn bundle(&self, at: &Placement) -> Result<Bundle, Failure> {
        session::bundle(self.lw, at).map_err(|e| Failure::new("lowering", e).of(&at.partner.name.value))
    }

    /// The record of a partner (`None`: bdc never recorded one).
    pub async fn record(&self, p: &Partner) -> Result<Option<Record>, Failure> {
        let (cluster, _) = self.home(p)?;
        client::record(&cluster.client, &self.lw.namespace(p)).await.map_err(|mut f| {
            f.object = format!("{}: {}", cluster.name, f.object);
            f.of(&p.name.value)
        })
    }

    async fn save(&self, p: &Partner, r: &Record) -> Result<(), Failure> {
        if self.opts.dry_run {
            return Ok(());
        }
        let (cluster, _) = self.home(p)?;
        client::save_record(&cluster.client, &self.lw.namespace(p), r).await.map_err(|f| f.of(&p.name.value))
    }

    /// The placement `bdc apply` sends for a partner: the spec's release at rest, except that
    /// a native blue/green or canary partner moving to a new release gets the first phase of
    /// the move (traffic stays where it is until `bdc rollout promote` or a train moves it on),
    /// and a move under way is kept where it is.
    pub fn apply_placement(
        &self,
        p: &'f Partner,
        target: Option<&str>,
        to: &'f Release,
        record: Option<&Record>,
    ) -> Result<(Placement<'f>, Record), Failure> {
        // An aborted or undone release is not started again: the partner stays where it was
        // turned back to, at rest.
        if let Some(r) = record.filter(|r| r.turned_back_from(&to.version.value)) {
            if let Some(back) = self.release(r.running()) {
                let mut at = self.place(p, target, back)?;
                at.slot = moves::resume(Some(r), r.running()).slot.unwrap_or(at.slot);
                return Ok((at, r.clone()));
            }
        }
        let resume = moves::resume(record, &to.version.value);
        let from = resume.from.as_deref().and_then(|v| self.release(v));
        let mut at = self.place(p, target, to)?;
        let phases = moves::phases(p, at.backend, from.is_none());
        let index = resume.phase.as_deref().and_then(|w| moves::position(&phases, w)).unwrap_or(0);
        let planned = &phases[index.min(phases.len() - 1)];
        if let Some(slot) = resume.slot {
            at.slot = slot;
        }
        at.stage = from.map_or(Stage::AtRest, |f| planned.phase.stage(f));
        let mut rec = record.cloned().unwrap_or_else(|| Record::new(&to.version.value, at.slot));
        if rec.release != to.version.value {
            // Moved on outside any train: the train that brought the old release is history.
            rec.train = None;
        }
        rec.release = to.version.value.clone();
        rec.from = from.map(|f| f.version.value.clone()).or(rec.from.clone());
        rec.phase = planned.phase.word();
        rec.slot = at.slot;
        Ok((at, rec))
    }

    /// Moves a partner to `to`, phase by phase: apply, wait until ready, hold, and stop at a
    /// gate (`gates`) or when the workload pauses for promotion. Returns the record as left.
    pub async fn move_to(
        &self,
        p: &'f Partner,
        to: &'f Release,
        start: From,
        gates: bool,
        train: Option<String>,
        report: Report<'_>,
    ) -> Result<Record, Failure> {
        let name = p.name.value.as_str();
        let (cluster, target) = self.home(p)?;
        let old = self.record(p).await?;
        if start == From::Record && old.as_ref().is_some_and(|r| r.settled_on(&to.version.value)) {
            report(Event::Note { partner: name, text: format!("already runs {} at rest, healthy", to.version.value) });
            return Ok(old.expect("checked above"));
        }
        let resume = moves::resume(old.as_ref(), &to.version.value);
        let from = resume.from.as_deref().and_then(|v| self.release(v));
        if let (Some(v), None) = (&resume.from, from) {
            report(Event::Note {
                partner: name,
                text: format!("{v} is no longer in the spec; going straight to {}", to.version.value),
            });
        }
        let mut at = self.place(p, target, to)?;
        let phases = moves::phases(p, at.backend, from.is_none());
        let recorded = resume.phase.as_deref().and_then(|w| moves::position(&phases, w));
        let first = match start {
            From::Record => recorded.unwrap_or(0),
            From::Next => recorded.map_or(0, |i| (i + 1).min(phases.len() - 1)),
            From::End => phases.len() - 1,
        };
        if let Some(slot) = resume.slot {
            at.slot = slot;
        }
        let mut rec = old.clone().unwrap_or_else(|| Record::new(&to.version.value, at.slot));
        rec.release = to.version.value.clone();
        rec.from = from.map(|f| f.version.value.clone());
        rec.slot = at.slot;
        if train.is_some() {
            rec.train = train;
        }
        if rec.undone.as_deref() == Some(to.version.value.as_str()) {
            rec.undone = None;
        }
        for (i, planned) in phases.iter().enumerate().skip(first) {
            // `promote` without `--full` stops at the next phase that still splits the traffic.
            let stop = start == From::Next
                && i == first
                && matches!(planned.phase, moves::Phase::Canary { .. } | moves::Phase::Preview);
            let planned = &if stop { Planned { hold_ms: 0, gate: true, ..planned.clone() } } else { planned.clone() };
            let gates = gates || stop;
            at.stage = from.map_or(Stage::AtRest, |f| planned.phase.stage(f));
            rec.phase = planned.phase.word();
            rec.note(State::Progressing, &format!("{}: {}", to.version.value, rec.phase));
            self.save(p, &rec).await?;
            report(Event::Note { partner: name, text: format!("{} → {}", to.version.value, rec.phase) });
            match self.step(cluster, &at, planned, report).await {
                Ok(Health::Paused(why)) => {
                    rec.note(State::Paused, &format!("{}: {why}", rec.phase));
                    self.save(p, &rec).await?;
                    return Ok(rec);
                }
                Ok(_) if planned.gate && gates => {
                    rec.note(State::Paused, &format!("{}: waits for `bdc rollout promote`", rec.phase));
                    self.save(p, &rec).await?;
                    return Ok(rec);
                }
                Ok(_) => {}
                Err(f) => {
                    rec.note(State::Failed, &format!("{}: {}", rec.phase, f.message));
                    self.save(p, &rec).await?;
                    return Err(f);
                }
            }
        }
        rec.note(State::Healthy, &format!("{} at rest, healthy", to.version.value));
        self.save(p, &rec).await?;
        Ok(rec)
    }

    /// One phase: send its objects, wait, and hold (watching health) for its hold time.
    async fn step(
        &self,
        cluster: &Cluster,
        at: &Placement<'_>,
        planned: &Planned,
        report: Report<'_>,
    ) -> Result<Health, Failure> {
        let b = self.bundle(at)?;
        session::send(cluster, &self.opts, &b, report).await?;
        if self.opts.dry_run {
            return Ok(Health::Ready);
        }
        let health = session::wait(cluster, &self.opts, &b, report).await?;
        if planned.hold_ms > 0 && health.is_ready() {
            self.hold(cluster, &b, planned.hold_ms, report).await?;
        }
        Ok(health)
    }

    /// Stays `ms` while the bundle stays ready.
    async fn hold(&self, cluster: &Cluster, b: &Bundle, ms: u64, report: Report<'_>) -> Result<(), Failure> {
        let until = Instant::now() + Duration::from_millis(ms);
        report(Event::Note { partner: &b.partner, text: format!("holding {}s, watching health", ms / 1000) });
        while Instant::now() < until {
            tokio::time::sleep(self.opts.poll.min(until - Instant::now())).await;
            session::wait(cluster, &self.opts, b, report).await?;
        }
        Ok(())
    }

    /// `promote`: the next phase of a native move (all remaining ones with `full`), or an
    /// Argo Rollout's promotion.
    pub async fn promote(&self, p: &'f Partner, full: bool, report: Report<'_>) -> Result<Record, Failure> {
        let name = p.name.value.as_str();
        let argo_moving = self.argo_moving(p).await?;
        let rec = self.record(p).await?.filter(|r| r.moving() || argo_moving).ok_or_else(|| {
            Failure::new("promote", "no move is under way (nothing to promote); start one with `bdc rollout start`")
                .of(name)
        })?;
        let to = self.release(&rec.release).ok_or_else(|| {
            Failure::new("promote", format!("release {} is no longer in the spec", rec.release)).of(name)
        })?;
        let (cluster, target) = self.home(p)?;
        if self.place(p, target, to)?.backend == Backend::Argo {
            let ns = self.lw.namespace(p);
            super::argo::promote_rollout(&cluster.client, &ns, name, full).await.map_err(|f| f.of(name))?;
            report(Event::Note { partner: name, text: format!("Rollout {ns}/{name} promoted") });
            return self.move_to(p, to, From::End, false, None, report).await;
        }
        self.move_to(p, to, if full { From::End } else { From::Next }, false, None, report).await
    }

    /// Whether an `argo` partner's Rollout is moving (paused or progressing): a plain
    /// `bdc apply` hands the move to Argo without recording one.
    async fn argo_moving(&self, p: &'f Partner) -> Result<bool, Failure> {
        let (cluster, target) = self.home(p)?;
        let Some(release) = self.lw.release_of(p) else { return Ok(false) };
        if self.place(p, target, release)?.backend != Backend::Argo {
            return Ok(false);
        }
        let name = p.name.value.as_str();
        let health =
            super::argo::rollout_health(&cluster.client, &self.lw.namespace(p), name).await.map_err(|f| f.of(name))?;
        Ok(matches!(health, Some(Health::Paused(_) | Health::Progressing(_))))
    }

    /// `abort`: traffic back on the release being replaced; the move stops.
    pub async fn abort(&self, p: &'f Partner, report: Report<'_>) -> Result<Record, Failure> {
        let name = p.name.value.as_str();
        let argo_moving = self.argo_moving(p).await?;
        let mut rec = self.record(p).await?.filter(|r| r.moving() || argo_moving).ok_or_else(|| {
            Failure::new("abort", "no move is under way (nothing to abort); `bdc rollout undo` goes back a release")
                .of(name)
        })?;
        let from = rec.from.as_deref().and_then(|v| self.release(v)).ok_or_else(|| {
            Failure::new("abort", "the release being replaced is not known or no longer in the spec").of(name)
        })?;
        let (cluster, target) = self.home(p)?;
        let mut at = self.place(p, target, from)?;
        if at.backend == Backend::Argo {
            let ns = self.lw.namespace(p);
            super::argo::abort_rollout(&cluster.client, &ns, name).await.map_err(|f| f.of(name))?;
            report(Event::Note {
                partner: name,
                text: format!("Rollout {ns}/{name} aborted; Argo returns traffic to stable"),
            });
        } else {
            at.slot = 1 - rec.slot.min(1);
            let planned = Planned { phase: moves::Phase::AtRest, hold_ms: 0, gate: false };
            self.step(cluster, &at, &planned, report).await?;
        }
        rec.note(State::Aborted, &format!("aborted {}; traffic on {}", rec.release, from.version.value));
        self.save(p, &rec).await?;
        Ok(rec)
    }

    /// `undo`: back to the previous release, through the strategy without stopping at gates
    /// (a move under way is aborted instead).
    pub async fn undo(&self, p: &'f Partner, report: Report<'_>) -> Result<Record, Failure> {
        let name = p.name.value.as_str();
        let rec = self
            .record(p)
            .await?
            .ok_or_else(|| Failure::new("undo", "bdc has no record of this partner's releases").of(name))?;
        if rec.moving() {
            return self.abort(p, report).await;
        }
        if rec.state == State::Aborted {
            return Err(Failure::new("undo", format!("already back on {} after an abort", rec.running())).of(name));
        }
        let back = rec.from.as_deref().and_then(|v| self.release(v)).ok_or_else(|| {
            Failure::new("undo", "no earlier release is recorded (or it is no longer in the spec)").of(name)
        })?;
        let previous = rec.release.clone();
        let mut rec = self.move_to(p, back, From::Record, false, None, report).await?;
        rec.undone = Some(previous);
        self.save(p, &rec).await?;
        Ok(rec)
    }

    /// Carries out the train of `release`: each wave's partners are moved (at most
    /// `parallel` at once), waited for and soaked before the next wave; the first failure
    /// stops the train and leaves later waves untouched.
    pub async fn train(
        &self,
        release: &'f Release,
        retry: bool,
        soak_wait: bool,
        report: Report<'_>,
    ) -> Result<TrainEnd, Failure> {
        let train = crate::train::plan(self.lw.fleet, release);
        let mut retry = retry;
        loop {
            let mut records: BTreeMap<String, Record> = BTreeMap::new();
            for p in train.cohorts.iter().flat_map(|c| &c.partners) {
                if let Some(r) = self.record(p).await? {
                    records.insert(p.name.value.clone(), r);
                }
            }
            match moves::train_state(&train, |n| records.get(n), retry) {
                TrainState::Done => return Ok(TrainEnd::Done),
                TrainState::Stopped { wave, partner, state, phase } => {
                    let wave = train.cohorts[wave].name().to_string();
                    return Ok(TrainEnd::Stopped { wave, partner, state, phase });
                }
                TrainState::Soaking { wave, until, left_ms } => {
                    let cohort = &train.cohorts[wave];
                    if !soak_wait {
                        return Ok(TrainEnd::Soaking { wave: cohort.name().to_string(), until });
                    }
                    report(Event::Note { partner: "", text: format!("wave {} soaks until {until}", cohort.name()) });
                    self.soak(&cohort.partners, release, left_ms, report).await?;
                }
                TrainState::Move { wave, partners } => {
                    let cohort = &train.cohorts[wave];
                    let tag = format!("{}/{}", release.version.value, cohort.name());
                    report(Event::Note {
                        partner: "",
                        text: format!("wave {}: {}", cohort.name(), partners.join(", ")),
                    });
                    let movers: Vec<&'f Partner> =
                        cohort.partners.iter().copied().filter(|p| partners.contains(&p.name.value)).collect();
                    let results: Vec<Result<Record, Failure>> = futures::stream::iter(movers)
                        .map(|p| self.move_to(p, release, From::Record, true, Some(tag.clone()), report))
                        .buffer_unordered(self.parallel)
                        .collect()
                        .await;
                    if let Some(f) = results.into_iter().find_map(Result::err) {
                        return Err(f);
                    }
                    retry = false;
                }
            }
        }
    }

    /// Watches the health of a soaking wave for `ms`.
    async fn soak(
        &self,
        partners: &[&'f Partner],
        release: &'f Release,
        ms: u64,
        report: Report<'_>,
    ) -> Result<(), Failure> {
        let until = Instant::now() + Duration::from_millis(ms);
        let mut bundles = Vec::new();
        for p in partners {
            let (cluster, target) = self.home(p)?;
            let rec = self.record(p).await?;
            let (at, _) = self.apply_placement(p, target, release, rec.as_ref())?;
            bundles.push((cluster, self.bundle(&at)?));
        }
        while Instant::now() < until {
            tokio::time::sleep(self.opts.poll.max(Duration::from_secs(1)).min(until - Instant::now())).await;
            for (cluster, b) in &bundles {
                session::wait(cluster, &self.opts, b, report).await?;
            }
        }
        Ok(())
    }
}
