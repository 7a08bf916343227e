//! Validation: rules across declarations that the types alone cannot express — what today
//! only fails at deploy time. Each rule is a function over the [`Fleet`]; every rule is linear
//! in the size of the fleet (maps, never pairwise comparisons).

mod clusters;
mod config;
mod credentials;
mod fleet;
mod images;
mod labels;
mod quota;
mod resources;
mod rollout;
mod secrets;
mod services;
mod waves;

use crate::diagnostic::Diagnostics;
use crate::model::Fleet;

/// Runs every rule.
pub fn validate(fleet: &Fleet, d: &mut Diagnostics) {
    fleet::platform_count(fleet, d);
    fleet::namespaces(fleet, d);
    fleet::domains(fleet, d);
    fleet::pins(fleet, d);
    fleet::release_images(fleet, d);
    resources::requests_within_limits(fleet, d);
    resources::replica_ranges(fleet, d);
    resources::shared_volumes(fleet, d);
    rollout::canary_steps(fleet, d);
    secrets::inline_secrets(fleet, d);
    secrets::secret_names(fleet, d);
    quota::quotas_fit(fleet, d);
    labels::labels_valid(fleet, d);
    labels::registries_name_targets(fleet, d);
    waves::wave_partners_exist(fleet, d);
    waves::trains(fleet, d);
    waves::backends(fleet, d);
    services::services(fleet, d);
    config::config_size(fleet, d);
    clusters::targets_match_clusters(fleet, d);
    clusters::unused_clusters(fleet, d);
    images::image_keys(fleet, d);
    images::pinned_images(fleet, d);
}
