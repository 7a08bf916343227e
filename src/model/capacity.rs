//! How many pods a partner may run at once (autoscaling maximum plus what its rollout strategy
//! adds), and the resources that takes. Shared by the quota rule and the quota lowering, so
//! the quota bdc computes is exactly the one it checks.

use super::{Partner, Resources, ServiceMode, ServicePlan, StrategyKind, Surge};

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

/// Requests and limits of one in-cluster service pod: by plan for PostgreSQL, by memory for
/// Redis (a quarter more as the limit, for its own overhead).
pub fn service_pod(s: &super::Service) -> Totals {
    const GI: u64 = 1 << 30;
    match &s.kind {
        super::ServiceKind::Postgres { plan, .. } => match plan {
            ServicePlan::Large => Totals { cpu: 1000, memory: 4 * GI, cpu_limit: 4000, memory_limit: 4 * GI },
            ServicePlan::Medium => Totals { cpu: 500, memory: GI, cpu_limit: 2000, memory_limit: GI },
            ServicePlan::Small => Totals { cpu: 250, memory: GI / 2, cpu_limit: 1000, memory_limit: GI / 2 },
        },
        super::ServiceKind::Redis { memory, .. } => {
            Totals { cpu: 100, memory: memory.value, cpu_limit: 500, memory_limit: memory.value + memory.value / 4 }
        }
    }
}

/// Bytes of the volume an in-cluster service keeps its data on.
pub fn service_volume(s: &super::Service) -> u64 {
    match &s.kind {
        super::ServiceKind::Postgres { size, .. } => size.value,
        // Redis persists its cache (RDB snapshots) so a restart starts warm.
        super::ServiceKind::Redis { memory, .. } => (memory.value * 2).max(1 << 30),
    }
}

/// What a partner's in-cluster services add to its namespace: requests and limits, pods,
/// volume claims and bytes of storage.
pub fn in_cluster_services(
    partner: &Partner,
    target: &super::Target,
    platform: &super::Platform,
) -> (Totals, u64, u64, u64) {
    let mut t = Totals { cpu: 0, memory: 0, cpu_limit: 0, memory_limit: 0 };
    let (mut pods, mut storage) = (0, 0);
    for s in partner.services.iter().filter(|s| super::service_mode(s, target, platform) == ServiceMode::InCluster) {
        let one = service_pod(s);
        t.cpu += one.cpu;
        t.memory += one.memory;
        t.cpu_limit += one.cpu_limit;
        t.memory_limit += one.memory_limit;
        pods += 1;
        storage += service_volume(s);
    }
    (t, pods, pods, storage)
}
