//! Where a partner runs: the cluster it is applied to and the target its manifests are lowered
//! for, decided here once. The model's builder stores the decided target in
//! [`Partner::target`]; `emit`, `apply`/`rollout` (through [`Fleet::home`]), `why` (through
//! [`super::defaults::INHERITED`], which lists the same order), the portability report and the
//! rules all read it from here.
//!
//! A partner's target is, in order: its own `target`; the `target` of its `cluster`; the
//! platform's `default_target`; the built-in default. A partner that writes a `target` and a
//! `cluster` whose target is another one contradicts itself (a rule reports it).
//!
//! `bdc emit --target T` and `bdc apply --target T` lower every partner for `T` instead: the
//! partner keeps its cluster (so `apply` still sends it there, which is refused when that
//! cluster declares another target, unless `--context` names a cluster to send it to), and the
//! portability report compares `T` with the partner's own target.

use super::{defaults, Cluster, Fleet, Partner, Platform};

/// Where a partner's target comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetFrom {
    /// The partner writes `target`.
    Partner,
    /// The `target` of the partner's cluster.
    Cluster,
    /// The platform's `default_target`.
    Platform,
    /// The built-in default ([`defaults::DEFAULT_TARGET`]).
    Default,
}

/// The target of a partner from what it writes, its cluster and the platform: the one place
/// this order is decided.
pub fn decide_target(
    written: Option<&str>,
    cluster: Option<&Cluster>,
    platform: Option<&Platform>,
) -> (String, TargetFrom) {
    if let Some(t) = written {
        (t.to_string(), TargetFrom::Partner)
    } else if let Some(c) = cluster.filter(|c| !c.target.value.is_empty()) {
        (c.target.value.clone(), TargetFrom::Cluster)
    } else if let Some(p) = platform {
        (p.default_target.clone(), TargetFrom::Platform)
    } else {
        (defaults::DEFAULT_TARGET.to_string(), TargetFrom::Default)
    }
}

/// A partner as it is placed: its cluster and the target it is lowered for.
#[derive(Clone, Copy, Debug)]
pub struct Home<'f> {
    pub partner: &'f Partner,
    /// The declared cluster it is applied to (`None`: the current kubeconfig context).
    pub cluster: Option<&'f Cluster>,
    /// The target its manifests are lowered for: its own, or the override.
    pub target: &'f str,
    /// Whether `target` is an override (`--target`) other than the partner's own target.
    pub moved: bool,
}

impl Fleet {
    /// The declared cluster a partner names, if it exists.
    pub fn cluster_of(&self, partner: &Partner) -> Option<&Cluster> {
        let name = partner.cluster.as_ref()?;
        self.clusters.iter().find(|c| c.name.value == name.value)
    }

    /// Where `partner` runs; `target` (from `--target`) lowers it for another target.
    pub fn home<'f>(&'f self, partner: &'f Partner, target: Option<&'f str>) -> Home<'f> {
        let own = partner.target.as_str();
        let target = target.unwrap_or(own);
        Home { partner, cluster: self.cluster_of(partner), target, moved: target != own }
    }
}

impl Home<'_> {
    /// A reason not to send the partner to its declared cluster: the target it is lowered for
    /// is not the cluster's (only an override can make them differ in a valid spec). `context`
    /// is a cluster chosen on the command line instead, which takes the manifests as they are.
    pub fn mismatch(&self, context: Option<&str>) -> Option<String> {
        let cluster = self.cluster?;
        if context.is_some() || cluster.target.value == self.target {
            return None;
        }
        Some(format!(
            "partner `{}` runs on cluster `{}`, whose target is `{}`, but is lowered for `{}`: \
             send it to a `{}` cluster with `--context`, or leave out `--target {}`",
            self.partner.name.value, cluster.name.value, cluster.target.value, self.target, self.target, self.target
        ))
    }
}
