//! Defaults, decided once: the value of every field a declaration may leave out. The model's
//! builder fills them in from these constants, the schema's documented defaults (`bdc explain`,
//! hover) are generated from them as [`DefaultValue`]s, and `bdc why` reads [`INHERITED`] and
//! the schema to say where an unwritten partner field comes from.

use super::words::{Backend, Certificates, Provider, Routing, ServiceMode, ServicePlan};
use super::Surge;
use crate::check::units::{format_bytes, format_duration, format_percent};

// platform
pub const NAMESPACE_PREFIX: &str = "";
/// The target partners go to: `std/targets`' plain Kubernetes target (a name, not a provider).
pub const DEFAULT_TARGET: &str = "k8s";
pub const REPLICAS: (i64, i64) = (2, 4);
pub const PORT: u16 = 8080;
pub const HEALTH_PATH: &str = "/healthz";
pub const BACKEND: Backend = Backend::Native;
pub const SERVICE_MODE: ServiceMode = ServiceMode::InCluster;

// platform `gitops`
/// The Git revision Argo CD's Applications track.
pub const GITOPS_REVISION: &str = "HEAD";
/// The namespace of the engine's own objects (`ApplicationSet`, Flux `Kustomization`s), by engine.
pub const ARGOCD_NAMESPACE: &str = "argocd";
pub const FLUX_NAMESPACE: &str = "flux-system";
/// The Argo CD `AppProject` of the generated Applications.
pub const ARGOCD_PROJECT: &str = "default";
/// The Flux `GitRepository` the `Kustomization`s read (the one `flux bootstrap` makes).
pub const FLUX_SOURCE: &str = "flux-system";
/// How often Flux reconciles a partner.
pub const GITOPS_INTERVAL_MS: u64 = 10 * 60_000;

// target (`provider` is required; the fallback only keeps a broken target usable)
pub const PROVIDER: Provider = Provider::K8s;
pub const ROUTING: Routing = Routing::Gateway;
pub const CERTIFICATES: Certificates = Certificates::CertManager;
pub const ISSUER: &str = "letsencrypt";

// strategies
pub const MAX_SURGE: Surge = Surge::Percent(2500);
pub const MAX_UNAVAILABLE: Surge = Surge::Count(0);
pub const MIN_READY_MS: u64 = 0;
pub const PREVIEW: bool = true;
pub const AUTO_PROMOTE: bool = false;
pub const SCALE_DOWN_DELAY_MS: u64 = 30_000;

// partner and wave
pub const HOLD: bool = false;
pub const SOAK_MS: u64 = 0;

// services
pub const POSTGRES_VERSION: i64 = 16;
pub const POSTGRES_SIZE: u64 = 10 << 30;
pub const POSTGRES_PLAN: ServicePlan = ServicePlan::Small;
pub const POSTGRES_PORT: u16 = 5432;
pub const REDIS_MEMORY: u64 = 1 << 30;
pub const REDIS_VERSION: i64 = 7;
pub const REDIS_PORT: u16 = 6379;

/// A default as the schema documents it: built from the constants above, so the text shown
/// to users is the value the model uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DefaultValue {
    Str(&'static str),
    Word(&'static str),
    Int(i64),
    Bool(bool),
    Range(i64, i64),
    /// Milliseconds.
    Duration(u64),
    Bytes(u64),
    Surge(Surge),
    /// The value of another field of the same record (a limit defaults to its request).
    Field(&'static str),
}

impl DefaultValue {
    /// The value as it would be written in a spec (`8080`, `"/healthz"`, `30s`); for
    /// [`DefaultValue::Field`], the other field's name.
    pub fn written(&self) -> String {
        match *self {
            DefaultValue::Str(s) => format!("{s:?}"),
            DefaultValue::Word(w) | DefaultValue::Field(w) => w.to_string(),
            DefaultValue::Int(i) => i.to_string(),
            DefaultValue::Bool(b) => b.to_string(),
            DefaultValue::Range(a, b) => format!("{a}..{b}"),
            DefaultValue::Duration(0) => "0s".into(),
            DefaultValue::Duration(ms) => format_duration(ms),
            DefaultValue::Bytes(b) => format_bytes(b),
            DefaultValue::Surge(Surge::Count(n)) => n.to_string(),
            DefaultValue::Surge(Surge::Percent(p)) => format_percent(p),
        }
    }
}

/// As docs show it: "`8080`", "the value of `memory`".
impl std::fmt::Display for DefaultValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DefaultValue::Field(name) => write!(f, "the value of `{name}`"),
            v => write!(f, "`{}`", v.written()),
        }
    }
}

/// Where an unwritten field of a partner takes its value from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A field of the partner's target.
    Target(&'static str),
    /// A field of the partner's cluster.
    Cluster(&'static str),
    /// A field of the platform.
    Platform(&'static str),
}

/// Partner fields (a `*` stands for any service name) that the partner may leave to its target
/// or the platform, with where the value then comes from, in order — the order the model's
/// builder, [`super::placement::decide_target`], [`super::backend_of`] and
/// [`super::service_mode`] follow. Past the last source, the
/// schema default of that source's field applies.
pub const INHERITED: &[(&str, &[Source])] = &[
    ("plan", &[Source::Platform("default_plan")]),
    ("strategy", &[Source::Platform("default_strategy")]),
    ("replicas", &[Source::Platform("default_replicas")]),
    ("target", &[Source::Cluster("target"), Source::Platform("default_target")]),
    ("backend", &[Source::Target("backend"), Source::Platform("backend")]),
    ("services.*.mode", &[Source::Target("service_mode"), Source::Platform("service_mode")]),
];

/// The sources of a partner field path (`["plan", "memory"]`, `["services", "db", "mode"]`)
/// from [`INHERITED`], and how many leading keys of the path name the inherited field (the
/// rest is a path inside it: `memory` of the platform's `default_plan`).
pub fn inherited(path: &[&str]) -> (&'static [Source], usize) {
    INHERITED
        .iter()
        .find_map(|(pattern, sources)| {
            let parts: Vec<&str> = pattern.split('.').collect();
            let fits = parts.len() <= path.len() && parts.iter().zip(path).all(|(p, k)| *p == "*" || p == k);
            fits.then_some((*sources, parts.len()))
        })
        .unwrap_or((&[], 0))
}
