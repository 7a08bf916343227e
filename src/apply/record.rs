//! What bdc remembers on the cluster about each partner: the ConfigMap `bdc-rollout` in the
//! partner's namespace holds the release it runs or is moving to, the one it replaces, the
//! stage of the move, the blue/green slot, the train and wave that moved it, and a history.
//! `bdc rollout` resumes an interrupted train from these records; `bdc rollout status`
//! shows them. The record is not part of the applyset, so prune never touches it.

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::jiff::{SignedDuration, Timestamp, Unit};
use std::collections::BTreeMap;

/// Name of the record in each partner namespace.
pub const NAME: &str = "bdc-rollout";
/// History lines kept per partner.
const HISTORY: usize = 50;

/// How the partner's last move ended (so far).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Applied without waiting for readiness.
    Applied,
    Progressing,
    /// Waits for `bdc rollout promote`.
    Paused,
    Healthy,
    Failed,
    /// Traffic was returned to the previous release.
    Aborted,
}

impl State {
    pub fn word(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Progressing => "progressing",
            State::Paused => "paused",
            State::Healthy => "healthy",
            State::Failed => "failed",
            State::Aborted => "aborted",
        }
    }

    fn parse(word: &str) -> State {
        match word {
            "progressing" => State::Progressing,
            "paused" => State::Paused,
            "healthy" => State::Healthy,
            "failed" => State::Failed,
            "aborted" => State::Aborted,
            _ => State::Applied,
        }
    }
}

/// One partner's record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The release the partner runs, or is moving to.
    pub release: String,
    /// The release it replaces while a move is under way (and the one `undo` returns to).
    pub from: Option<String>,
    /// The stage of the move (`moves::Phase::word`).
    pub phase: String,
    /// The blue/green slot `release` runs in (0 blue, 1 green).
    pub slot: usize,
    pub state: State,
    /// `<release>/<wave>` of the train that moved it.
    pub train: Option<String>,
    /// When `state` last changed, and since when it has been healthy.
    pub updated: String,
    pub healthy_since: Option<String>,
    /// The release `bdc rollout undo` took the partner off: a plain `bdc apply` does not move
    /// it there again (only `bdc rollout start` does).
    pub undone: Option<String>,
    /// Oldest first: `<time> <what happened>`.
    pub history: Vec<String>,
}

/// The current time, to the second, as RFC 3339.
pub fn now() -> String {
    Timestamp::now().round(Unit::Second).map(|t| t.to_string()).unwrap_or_default()
}

/// Milliseconds from `since` (RFC 3339) to now; `None` if it does not parse.
pub fn elapsed_ms(since: &str) -> Option<u64> {
    let since: Timestamp = since.parse().ok()?;
    let d = Timestamp::now().duration_since(since);
    Some(d.as_millis().max(0) as u64)
}

/// `since` plus `ms`, as RFC 3339.
pub fn later(since: &str, ms: u64) -> String {
    since
        .parse::<Timestamp>()
        .ok()
        .and_then(|t| t.checked_add(SignedDuration::from_millis(ms as i64)).ok())
        .map(|t| t.to_string())
        .unwrap_or_else(|| since.to_string())
}

impl Record {
    pub fn new(release: &str, slot: usize) -> Record {
        Record {
            release: release.to_string(),
            from: None,
            phase: "at-rest".into(),
            slot,
            state: State::Applied,
            train: None,
            updated: now(),
            healthy_since: None,
            undone: None,
            history: Vec::new(),
        }
    }

    /// Sets the state (stamping the time) and adds a history line.
    pub fn note(&mut self, state: State, what: &str) {
        let time = now();
        if state == State::Healthy && self.state != State::Healthy {
            self.healthy_since = Some(time.clone());
        } else if state != State::Healthy {
            self.healthy_since = None;
        }
        self.state = state;
        self.updated = time.clone();
        self.history.push(format!("{time} {what}"));
        let extra = self.history.len().saturating_sub(HISTORY);
        self.history.drain(..extra);
    }

    /// The release serving the partner's traffic: the one it moved back to after an abort,
    /// else the one it runs or is moving to.
    pub fn running(&self) -> &str {
        match (self.state, &self.from) {
            (State::Aborted, Some(from)) => from,
            _ => &self.release,
        }
    }

    /// Whether a move is under way (or stopped half-way).
    pub fn moving(&self) -> bool {
        self.state != State::Aborted && (self.phase != "at-rest" || self.state == State::Paused)
    }

    /// Whether `release` is one the partner was turned back from (aborted, or undone): a plain
    /// `bdc apply` keeps it on the release it runs instead of starting the move again.
    pub fn turned_back_from(&self, release: &str) -> bool {
        match self.state {
            State::Aborted => self.release == release && self.from.is_some(),
            _ => self.undone.as_deref() == Some(release) && self.release != release,
        }
    }

    /// Whether the partner runs `release` at rest and healthy.
    pub fn settled_on(&self, release: &str) -> bool {
        self.release == release && self.phase == "at-rest" && self.state == State::Healthy
    }

    pub fn to_config_map(&self, namespace: &str) -> ConfigMap {
        let mut data = BTreeMap::new();
        data.insert("release".to_string(), self.release.clone());
        if let Some(from) = &self.from {
            data.insert("from".into(), from.clone());
        }
        data.insert("phase".into(), self.phase.clone());
        data.insert("slot".into(), crate::lower::SLOTS[self.slot.min(1)].into());
        data.insert("state".into(), self.state.word().into());
        if let Some(train) = &self.train {
            data.insert("train".into(), train.clone());
        }
        data.insert("updated".into(), self.updated.clone());
        if let Some(since) = &self.healthy_since {
            data.insert("healthy-since".into(), since.clone());
        }
        if let Some(undone) = &self.undone {
            data.insert("undone".into(), undone.clone());
        }
        data.insert("history".into(), self.history.join("\n"));
        ConfigMap {
            metadata: ObjectMeta {
                name: Some(NAME.into()),
                namespace: Some(namespace.into()),
                labels: Some(BTreeMap::from([("app.kubernetes.io/managed-by".to_string(), "bdc".to_string())])),
                ..Default::default()
            },
            data: Some(data),
            ..Default::default()
        }
    }

    /// Reads a record back; `None` when the ConfigMap holds no release.
    pub fn from_config_map(cm: &ConfigMap) -> Option<Record> {
        let data = cm.data.as_ref()?;
        let get = |k: &str| data.get(k).cloned();
        Some(Record {
            release: get("release")?,
            from: get("from"),
            phase: get("phase").unwrap_or_else(|| "at-rest".into()),
            slot: usize::from(data.get("slot").map(String::as_str) == Some("green")),
            state: State::parse(data.get("state").map_or("", String::as_str)),
            train: get("train"),
            updated: get("updated").unwrap_or_default(),
            healthy_since: get("healthy-since"),
            undone: get("undone"),
            history: data.get("history").map(|h| h.lines().map(str::to_string).collect()).unwrap_or_default(),
        })
    }
}
