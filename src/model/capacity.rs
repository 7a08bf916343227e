//! How many pods a partner may run at once (autoscaling maximum plus what its rollout strategy
//! adds), and the resources that takes. Shared by the quota rule and the quota lowering, so
//! the quota bdc computes is exactly the one it checks.

use super::{Partner, Resources, StrategyKind, Surge};

/// Pods at the peak of a rollout at maximum scale.
pub fn peak_pods(partner: &Partner) -> u64 {
    let max = partner.replicas.value.1.max(0) as u64;
    let extra = match &partner.strategy.kind {
        StrategyKind::Rolling { max_surge: Surge::Count(n), .. } => (*n).max(0) as u64,
        StrategyKind::Rolling { max_surge: Surge::Percent(p), .. } => (max * *p as u64).div_ceil(10_000),
        // A full second copy (blue/green), or a canary that may reach full size.
        StrategyKind::BlueGreen { .. } | StrategyKind::Canary { .. } => max,
    };
    max + extra
}

/// Requests and limits of `pods` pods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    pub cpu: u64,
    pub memory: u64,
    pub cpu_limit: u64,
    pub memory_limit: u64,
}

pub fn totals(r: &Resources, pods: u64) -> Totals {
    Totals {
        cpu: r.cpu.value * pods,
        memory: r.memory.value * pods,
        cpu_limit: r.cpu_limit.value * pods,
        memory_limit: r.memory_limit.value * pods,
    }
}
