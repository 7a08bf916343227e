//! The instance sizes each cloud gives a managed service: one row per database plan, one step
//! per cache size. Adding a plan adds a row here; adding a cloud adds a column.

use crate::model::ServicePlan;

/// What each cloud runs a database of one plan on.
#[derive(Debug, PartialEq, Eq)]
pub struct DatabaseSize {
    pub plan: ServicePlan,
    /// Cloud SQL machine tier (GKE).
    pub cloud_sql: &'static str,
    /// RDS instance class (EKS).
    pub rds: &'static str,
    /// Azure Database for PostgreSQL flexible server SKU and its tier (AKS).
    pub azure: (&'static str, &'static str),
}

/// One row per plan, in the order of [`ServicePlan`]'s variants.
pub const DATABASES: [DatabaseSize; 3] = [
    DatabaseSize {
        plan: ServicePlan::Small,
        cloud_sql: "db-custom-1-3840",
        rds: "db.t4g.small",
        azure: ("Standard_B1ms", "Burstable"),
    },
    DatabaseSize {
        plan: ServicePlan::Medium,
        cloud_sql: "db-custom-2-7680",
        rds: "db.m6g.large",
        azure: ("Standard_D2ds_v4", "GeneralPurpose"),
    },
    DatabaseSize {
        plan: ServicePlan::Large,
        cloud_sql: "db-custom-4-15360",
        rds: "db.m6g.xlarge",
        azure: ("Standard_D4ds_v4", "GeneralPurpose"),
    },
];

/// The sizes of a database plan.
pub fn database(plan: ServicePlan) -> &'static DatabaseSize {
    &DATABASES[plan as usize]
}

/// ElastiCache node types (EKS), by the most memory each serves.
pub const ELASTICACHE_NODES: &[(u64, &str)] = &[
    (512 << 20, "cache.t4g.micro"),
    (1400 << 20, "cache.t4g.small"),
    (3 << 30, "cache.t4g.medium"),
    (u64::MAX, "cache.r7g.large"),
];

/// Azure Cache for Redis Basic C-family capacities (AKS), by the most memory each serves:
/// C0 250 MB, C1 1 GB, C2 2.5 GB, C3 6 GB, C4 13 GB.
pub const AZURE_CACHE_CAPACITIES: &[(u64, i64)] =
    &[(250 << 20, 0), (1 << 30, 1), (2560 << 20, 2), (6 << 30, 3), (u64::MAX, 4)];

/// The first step of `table` that serves `memory` bytes (the last one for anything larger).
pub fn cache<T: Copy>(table: &[(u64, T)], memory: u64) -> T {
    table.iter().find(|(most, _)| memory <= *most).or(table.last()).map(|(_, size)| *size).expect("a table has rows")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Word;

    #[test]
    fn every_plan_has_its_row() {
        for plan in ServicePlan::ALL {
            assert_eq!(database(*plan).plan, *plan);
        }
    }

    #[test]
    fn caches_take_the_smallest_step_that_fits() {
        assert_eq!(cache(ELASTICACHE_NODES, 512 << 20), "cache.t4g.micro");
        assert_eq!(cache(ELASTICACHE_NODES, (512 << 20) + 1), "cache.t4g.small");
        assert_eq!(cache(ELASTICACHE_NODES, 64 << 30), "cache.r7g.large");
        assert_eq!(cache(AZURE_CACHE_CAPACITIES, 1 << 30), 1);
        assert_eq!(cache(AZURE_CACHE_CAPACITIES, 7 << 30), 4);
    }
}
