//! Lowering: the checked model × a target profile → typed Kubernetes objects (`k8s-openapi`
//! types, plus the few custom resources in [`crd`]). Never YAML maps: an object that does not
//! fit its type does not compile.
//!
//! Per partner: a namespace with quota, limits, default-deny network policy, service account
//! and RBAC; the web workload (config, deployment, service, autoscaler, disruption budget,
//! volume); routing and TLS for its domains; backing services and their bindings. Cloud
//! differences come from the target profile (data in `std/targets`), the provider cases in
//! [`routing`], and one module per cloud for managed services in [`services`].

pub mod crd;
pub mod identity;
pub(crate) mod labels;
pub mod names;
mod network;
mod object;
pub mod operators;
pub mod rollout;
pub mod routing;
pub mod secrets;
pub mod services;
mod tenancy;
pub mod verify;
pub mod workload;

pub use object::{kind_info, Family, KindInfo, Object, KINDS};
pub use rollout::{SLOT, SLOTS, TRACK};
pub use tenancy::identity_fits;

// The Kubernetes API version the objects are typed for: the `v1_*` feature of `k8s-openapi` in
// Cargo.toml, the one place it is chosen (exactly one of these lines is compiled in; a
// feature newer than these leaves the constant undefined, so the build says to add a line).
k8s_openapi::k8s_if_1_33! { /// The Kubernetes API version bdc emits for (`bdc version`).
pub const KUBERNETES_API: &str = "1.33"; }
k8s_openapi::k8s_if_1_34! { /// The Kubernetes API version bdc emits for (`bdc version`).
pub const KUBERNETES_API: &str = "1.34"; }
k8s_openapi::k8s_if_1_35! { /// The Kubernetes API version bdc emits for (`bdc version`).
pub const KUBERNETES_API: &str = "1.35"; }
k8s_openapi::k8s_if_1_36! { /// The Kubernetes API version bdc emits for (`bdc version`).
pub const KUBERNETES_API: &str = "1.36"; }
k8s_openapi::k8s_if_1_37! { /// The Kubernetes API version bdc emits for (`bdc version`).
pub const KUBERNETES_API: &str = "1.37"; }

use crate::check::shapes;
use crate::model::releases::{compare_versions, Channels};
use crate::model::{Backend, Fleet, Partner, Platform, Release, Target};
use std::collections::HashMap;

/// Everything lowering needs about the fleet, indexed once.
pub struct Lowering<'f> {
    pub fleet: &'f Fleet,
    pub platform: &'f Platform,
    targets: HashMap<&'f str, &'f Target>,
    channels: Channels<'f>,
    /// Blue/green slot of each release: releases alternate by version order.
    slots: HashMap<&'f str, usize>,
}

/// One partner as it will be emitted: where, for which target, on which release.
#[derive(Clone)]
pub struct Placement<'f> {
    pub partner: &'f Partner,
    pub target: &'f Target,
    pub release: &'f Release,
    pub namespace: String,
    /// The image reference after registry resolution and rewriting.
    pub image: String,
    /// Whether the image was rewritten to the target's registry.
    pub image_rewritten: bool,
    pub backend: Backend,
    /// The blue/green slot (0 blue, 1 green) `release` runs in: by default the release's own
    /// (`Lowering::slot_of`); `bdc rollout` keeps the live one.
    pub slot: usize,
    /// Where the partner stands in a move between releases; `emit` is always at rest.
    pub stage: Stage<'f>,
    /// Emit the site without taking its DNS names (`bdc export --dns hold`): ExternalDNS
    /// leaves the records where they point until the cut-over.
    pub dns_hold: bool,
}

/// A partner between two releases, as `bdc rollout` carries it with the `native` backend.
#[derive(Clone, Copy, Debug)]
pub enum Stage<'f> {
    /// All traffic on the placement's release: the active slot or stable track runs it, the
    /// other copy is idle.
    AtRest,
    /// Blue/green before promotion: the release runs in its slot behind the preview Service;
    /// traffic stays on `from` in the other slot.
    Preview { from: &'f Release },
    /// Blue/green just promoted: traffic on the release, `from` still up in the other slot
    /// until the scale-down delay has passed.
    Switched { from: &'f Release },
    /// Canary: `weight` (hundredths of a percent) of traffic on the release, the rest on the
    /// stable track still running `from`.
    Canary { from: &'f Release, weight: u32 },
}

impl<'f> Stage<'f> {
    /// The release still serving beside the placement's own, if any.
    pub fn from(&self) -> Option<&'f Release> {
        match *self {
            Stage::AtRest => None,
            Stage::Preview { from } | Stage::Switched { from } | Stage::Canary { from, .. } => Some(from),
        }
    }
}

impl<'f> Lowering<'f> {
    /// `None` when the fleet has no platform (the checker reported it).
    pub fn new(fleet: &'f Fleet) -> Option<Lowering<'f>> {
        let platform = fleet.platform.as_ref()?;
        let targets = fleet.targets.iter().map(|t| (t.name.value.as_str(), t)).collect();
        let channels = Channels::new(fleet);
        let mut ordered: Vec<&Release> = fleet.releases.iter().collect();
        ordered.sort_by(|a, b| compare_versions(&a.version.value, &b.version.value));
        let slots = ordered.iter().enumerate().map(|(i, r)| (r.version.value.as_str(), i % 2)).collect();
        Some(Lowering { fleet, platform, targets, channels, slots })
    }

    /// The blue/green slot (0 blue, 1 green) a release runs in.
    pub fn slot_of(&self, release: &Release) -> usize {
        self.slots.get(release.version.value.as_str()).copied().unwrap_or(0)
    }

    pub fn target(&self, name: &str) -> Option<&'f Target> {
        self.targets.get(name).copied()
    }

    /// The release a partner runs: the pinned one, or the newest on its channel.
    pub fn release_of(&self, partner: &Partner) -> Option<&'f Release> {
        self.channels.running(partner)
    }

    /// Places a partner on a target (its own, [`Fleet::home`], unless `target` overrides it).
    pub fn place(&self, partner: &'f Partner, target: Option<&str>) -> Result<Placement<'f>, String> {
        let release = self
            .release_of(partner)
            .ok_or_else(|| format!("partner `{}` runs no declared release", partner.name.value))?;
        self.place_on(partner, target, release)
    }

    /// Places a partner on a given release (a fleet in the middle of a release train).
    pub fn place_on(
        &self,
        partner: &'f Partner,
        target: Option<&str>,
        release: &'f Release,
    ) -> Result<Placement<'f>, String> {
        let target_name = self.fleet.home(partner, target).target;
        let target = self.target(target_name).ok_or_else(|| format!("no target `{target_name}`"))?;
        let (image, image_rewritten) = self.image(&release.image.value, &target.name.value);
        Ok(Placement {
            partner,
            target,
            release,
            namespace: self.namespace(partner),
            image,
            image_rewritten,
            backend: crate::model::backend_of(partner, target, self.platform),
            slot: self.slot_of(release),
            stage: Stage::AtRest,
            dns_hold: false,
        })
    }

    /// The namespace a partner runs in.
    pub fn namespace(&self, partner: &Partner) -> String {
        format!("{}{}", self.platform.namespace_prefix.value, partner.name.value)
    }

    /// The same partner on `from`, in the other blue/green slot: the copy still serving while
    /// `at` is previewed, switched to, or tried as a canary.
    pub fn previous(&self, at: &Placement<'f>, from: &'f Release) -> Placement<'f> {
        let (image, image_rewritten) = self.image(&from.image.value, &at.target.name.value);
        Placement {
            partner: at.partner,
            target: at.target,
            release: from,
            namespace: at.namespace.clone(),
            image,
            image_rewritten,
            backend: at.backend,
            slot: 1 - at.slot,
            stage: Stage::AtRest,
            dns_hold: at.dns_hold,
        }
    }

    /// Resolves an image against the platform registry, then rewrites it to the target's
    /// registry when `registries` names one. Images with their own registry are kept.
    fn image(&self, image: &str, target: &str) -> (String, bool) {
        if shapes::has_registry(image) {
            return (image.to_string(), false);
        }
        match self.platform.registries.get(target) {
            Some(registry) => (format!("{}/{image}", registry.value.trim_end_matches('/')), true),
            None => (format!("{}/{image}", self.platform.registry.trim_end_matches('/')), false),
        }
    }

    /// Every object of one partner except cluster-scoped ones, in apply order.
    pub fn partner_objects(&self, at: &Placement) -> Vec<Object> {
        let mut out = vec![tenancy::namespace(self, at)];
        out.extend(tenancy::identity(self, at));
        out.extend(tenancy::limits(self, at));
        out.extend(network::policies(self, at));
        out.extend(secrets::objects(self, at));
        out.extend(services::objects(self, at));
        out.extend(workload::objects(self, at));
        out.extend(routing::objects(self, at));
        out.sort_by_key(Object::rank);
        out
    }

    /// Cluster-scoped objects the placed partners need (a storage class on EKS, the secret
    /// store of a target).
    pub fn cluster_objects(&self, placements: &[Placement]) -> Vec<Object> {
        let mut out = workload::storage_classes(placements);
        out.extend(secrets::cluster_objects(self, placements));
        out.sort_by_key(Object::rank);
        out
    }
}

/// The Namespace of a placed partner (emitted before everything else in a stream).
pub fn namespace_of(lw: &Lowering, at: &Placement) -> Object {
    tenancy::namespace(lw, at)
}
