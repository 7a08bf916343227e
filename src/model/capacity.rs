//! How many pods a partner may run at once (autoscaling maximum plus what its rollout strategy
//! adds), and the resources that takes: each web pod with its Cloud SQL Auth Proxy sidecar when
//! it has one, and the in-cluster services. Shared by the quota rule and the quota lowering, so
//! the quota bdc computes is exactly the one it checks.
//!
//! All arithmetic is checked: a sum or product that does not fit in 64 bits is `None`, never a
//! wrapped (smaller) number. The checker's maxima (`check::units`) keep real specs far from it.

use super::{
    Engine, Partner, Platform, Provider, Resources, Service, ServiceMode, ServicePlan, StrategyKind, Surge, Target,
};

/// Pods at the peak of a rollout at maximum scale.
pub fn peak_pods(partner: &Partner) -> Option<u64> {
    let max = u64::try_from(partner.replicas.value.1.max(0)).ok()?;
    let extra = match &partner.strategy.kind {
        StrategyKind::Rolling { max_surge: Surge::Count(n), .. } => u64::try_from((*n).max(0)).ok()?,
        StrategyKind::Rolling { max_surge: Surge::Percent(p), .. } => max.checked_mul(u64::from(*p))?.div_ceil(10_000),
        // A full second copy (blue/green), or a canary that may reach full size.
        StrategyKind::BlueGreen { .. } | StrategyKind::Canary { .. } => max,
    };
    max.checked_add(extra)
}

/// Requests and limits of `pods` pods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    pub cpu: u64,
    pub memory: u64,
    pub cpu_limit: u64,
    pub memory_limit: u64,
}

impl Totals {
    pub const ZERO: Totals = Totals { cpu: 0, memory: 0, cpu_limit: 0, memory_limit: 0 };
    /// Every field at its largest: what a sum that does not fit saturates to.
    pub const MAX: Totals = Totals { cpu: u64::MAX, memory: u64::MAX, cpu_limit: u64::MAX, memory_limit: u64::MAX };

    /// `n` times these, if it fits.
    pub fn times(self, n: u64) -> Option<Totals> {
        Some(Totals {
            cpu: self.cpu.checked_mul(n)?,
            memory: self.memory.checked_mul(n)?,
            cpu_limit: self.cpu_limit.checked_mul(n)?,
            memory_limit: self.memory_limit.checked_mul(n)?,
        })
    }

    /// These plus `other`, if it fits.
    pub fn plus(self, other: Totals) -> Option<Totals> {
        Some(Totals {
            cpu: self.cpu.checked_add(other.cpu)?,
            memory: self.memory.checked_add(other.memory)?,
            cpu_limit: self.cpu_limit.checked_add(other.cpu_limit)?,
            memory_limit: self.memory_limit.checked_add(other.memory_limit)?,
        })
    }
}

/// Requests and limits of one pod of a plan.
pub fn per_pod(r: &Resources) -> Totals {
    Totals {
        cpu: r.cpu.value,
        memory: r.memory.value,
        cpu_limit: r.cpu_limit.value,
        memory_limit: r.memory_limit.value,
    }
}

/// Requests and limits of `pods` pods of a plan, if they fit in 64 bits.
pub fn totals(r: &Resources, pods: u64) -> Option<Totals> {
    per_pod(r).times(pods)
}

/// Requests and limits of the Cloud SQL Auth Proxy sidecar in each web pod.
pub const PROXY_RESOURCES: Totals = Totals { cpu: 50, memory: 64 << 20, cpu_limit: 250, memory_limit: 128 << 20 };

/// The managed PostgreSQL services a partner's web pods reach through the Cloud SQL Auth Proxy
/// sidecar on `target`: on GKE, when the platform's account there names a project and region.
pub fn proxied<'p>(partner: &'p Partner, target: &Target, platform: &Platform) -> Vec<&'p Service> {
    let account = platform.managed.get(&target.name.value);
    if target.provider != Provider::Gke || account.is_none_or(|m| m.project.is_none() || m.region.is_none()) {
        return Vec::new();
    }
    partner
        .services
        .iter()
        .filter(|s| {
            s.engine() == Engine::Postgres && super::provisioned_mode(s, target, platform) == ServiceMode::Managed
        })
        .collect()
}

/// Requests and limits of one web pod on `target`: the plan's, and the proxy sidecar's when the
/// pod has one.
pub fn web_pod(r: &Resources, partner: &Partner, target: &Target, platform: &Platform) -> Option<Totals> {
    let pod = per_pod(r);
    if proxied(partner, target, platform).is_empty() {
        Some(pod)
    } else {
        pod.plus(PROXY_RESOURCES)
    }
}

/// Requests and limits of one in-cluster service pod: by plan for PostgreSQL, by memory for
/// Redis (a quarter more as the limit, for its own overhead; saturating, which only the
/// checker's memory maximum keeps from ever mattering).
pub fn service_pod(s: &super::Service) -> Totals {
    const GI: u64 = 1 << 30;
    match &s.kind {
        super::ServiceKind::Postgres { plan, .. } => match plan {
            ServicePlan::Large => Totals { cpu: 1000, memory: 4 * GI, cpu_limit: 4000, memory_limit: 4 * GI },
            ServicePlan::Medium => Totals { cpu: 500, memory: GI, cpu_limit: 2000, memory_limit: GI },
            ServicePlan::Small => Totals { cpu: 250, memory: GI / 2, cpu_limit: 1000, memory_limit: GI / 2 },
        },
        super::ServiceKind::Redis { memory, .. } => Totals {
            cpu: 100,
            memory: memory.value,
            cpu_limit: 500,
            memory_limit: memory.value.saturating_add(memory.value / 4),
        },
    }
}

/// Bytes of the volume an in-cluster service keeps its data on.
pub fn service_volume(s: &super::Service) -> u64 {
    match &s.kind {
        super::ServiceKind::Postgres { size, .. } => size.value,
        // Redis persists its cache (RDB snapshots) so a restart starts warm.
        super::ServiceKind::Redis { memory, .. } => memory.value.saturating_mul(2).max(1 << 30),
    }
}

/// What a partner's in-cluster services add to its namespace: requests and limits, pods,
/// volume claims and bytes of storage; `None` if a sum does not fit in 64 bits.
pub fn in_cluster_services(partner: &Partner, target: &Target, platform: &Platform) -> Option<(Totals, u64, u64, u64)> {
    let mut t = Totals::ZERO;
    let (mut pods, mut storage) = (0u64, 0u64);
    for s in partner.services.iter().filter(|s| super::provisioned_mode(s, target, platform) == ServiceMode::InCluster)
    {
        t = t.plus(service_pod(s))?;
        pods += 1;
        storage = storage.checked_add(service_volume(s))?;
    }
    Some((t, pods, pods, storage))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_products_that_overflow_are_none_not_wrapped() {
        let huge = Totals { cpu: 1, memory: u64::MAX / 3, cpu_limit: 1, memory_limit: u64::MAX / 3 };
        assert_eq!(huge.times(3).map(|t| t.memory), Some(u64::MAX)); // u64::MAX is divisible by 3
        assert_eq!(huge.times(4), None);
        assert_eq!(huge.plus(huge).and_then(|t| t.plus(huge)).map(|t| t.cpu), Some(3));
        assert_eq!(huge.times(2).and_then(|t| t.plus(huge)).and_then(|t| t.plus(huge)), None);
        let small = Totals { cpu: 250, memory: 256 << 20, cpu_limit: 500, memory_limit: 512 << 20 };
        assert_eq!(
            small.times(5),
            Some(Totals { cpu: 1250, memory: 1280 << 20, cpu_limit: 2500, memory_limit: 2560 << 20 })
        );
    }
}
