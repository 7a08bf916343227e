//! Validation: rules across declarations that the types alone cannot express — what today
//! only fails at deploy time. Each rule is a function over the [`Fleet`]; every rule is linear
//! in the size of the fleet (maps, never pairwise comparisons).

mod channels;
mod clusters;
mod config;
pub(crate) mod credentials;
mod fleet;
mod gitops;
mod images;
mod labels;
mod names;
mod quota;
mod resources;
mod rollout;
mod secrets;
mod services;
mod stores;
mod waves;

use crate::diagnostic::Diagnostics;
use crate::model::{Fleet, Partner, Target};

/// Runs every rule. With `target` (`bdc emit --target eks`), the warnings about the manifests
/// written for a partner's target judge it on that one instead of its own; errors stay about
/// the spec as written (what changes on another target is the portability report's).
pub fn validate(fleet: &Fleet, target: Option<&str>, d: &mut Diagnostics) {
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
    secrets::secrets_in_args_and_hosts(fleet, d);
    secrets::secret_names(fleet, d);
    quota::quotas_fit(fleet, d);
    labels::labels_valid(fleet, d);
    labels::registries_name_targets(fleet, d);
    waves::wave_partners_exist(fleet, d);
    waves::trains(fleet, d);
    waves::backends(fleet, target, d);
    services::services(fleet, d);
    stores::secret_stores(fleet, d);
    config::config_size(fleet, d);
    names::names(fleet, target, d);
    rollout::rolling_updates(fleet, d);
    clusters::targets_match_clusters(fleet, d);
    clusters::unused_clusters(fleet, d);
    images::image_keys(fleet, d);
    images::pinned_images(fleet, d);
    gitops::repository(fleet, d);
    gitops::native_moves(fleet, d);
}

/// The target a partner is judged on: `over` when given and declared, else its own.
fn target_of<'f>(fleet: &'f Fleet, p: &Partner, over: Option<&str>) -> Option<&'f Target> {
    let own = || fleet.targets.iter().find(|t| t.name.value == p.target);
    over.and_then(|o| fleet.targets.iter().find(|t| t.name.value == o)).or_else(own)
}
