//! The checked model of a fleet: what the validator, the emitter, `apply` and the language
//! server all work from. Built from checked values without further diagnostics: anything
//! invalid was reported by the checker and falls back to a default here.
//!
//! Quantities are in base units (millicores, bytes, milliseconds, hundredths of a percent).
//! Fields that rules report on keep their source span.

use crate::resolve::DeclId;
use crate::source::{Span, Spanned};
use indexmap::IndexMap;

mod build;
pub mod capacity;
pub mod defaults;
pub mod images;
pub mod placement;
mod reader;
pub mod releases;
pub mod words;

pub use build::Builder;
pub use placement::{Home, TargetFrom};
pub use releases::compare_versions;
pub use words::{
    Backend, Certificates, Engine, Provider, Reconciler, Routing, SecretStoreKind, ServiceMode, ServicePlan,
    StrategyTag, Word,
};

#[derive(Clone, Debug, Default)]
pub struct Fleet {
    pub platform: Option<Platform>,
    /// Names of every platform declared (a valid spec has exactly one).
    pub platforms: Vec<Spanned<String>>,
    /// Kinds of which some declaration is broken or invalid (already reported): rules that
    /// need every declaration of such a kind stay silent rather than guess.
    pub incomplete: Vec<crate::ast::DeclKind>,
    pub releases: Vec<Release>,
    pub strategies: Vec<NamedStrategy>,
    pub plans: Vec<Plan>,
    pub partners: Vec<Partner>,
    pub targets: Vec<Target>,
    pub clusters: Vec<Cluster>,
    pub waves: Vec<Wave>,
}

#[derive(Clone, Debug)]
pub struct Platform {
    pub name: Spanned<String>,
    pub registry: String,
    pub namespace_prefix: Spanned<String>,
    pub default_target: String,
    pub default_plan: Option<Resources>,
    pub default_strategy: Strategy,
    pub default_replicas: Spanned<(i64, i64)>,
    pub port: u16,
    pub health_path: String,
    pub backend: Backend,
    pub service_mode: ServiceMode,
    /// Where managed services go, per target name.
    pub managed: IndexMap<String, Managed>,
    /// Where secret values live, per target name (absent: Kubernetes Secrets made by hand).
    pub secret_stores: IndexMap<String, SecretStore>,
    pub labels: IndexMap<String, Spanned<String>>,
    /// Registry per target name that images are rewritten to.
    pub registries: IndexMap<String, Spanned<String>>,
    /// Images of in-cluster services and the proxy sidecar, by key ([`images`]).
    pub images: IndexMap<String, Spanned<String>>,
    /// The GitOps engine the tree is written for, when the platform names one.
    pub gitops: Option<Gitops>,
}

/// `platform { gitops { … } }`: how `emit --out` writes the tree for Argo CD or Flux.
#[derive(Clone, Debug)]
pub struct Gitops {
    /// The `gitops` record as written.
    pub span: Span,
    pub engine: Spanned<Reconciler>,
    /// Argo CD's `repoURL`.
    pub repo: Option<String>,
    /// The tree's directory in the repository (`.` for its root).
    pub path: String,
    pub revision: String,
    pub project: String,
    /// The engine's namespace (its default by engine filled in).
    pub namespace: String,
    pub source: String,
    pub interval_ms: u64,
}

#[derive(Clone, Debug)]
pub struct Release {
    pub decl: DeclId,
    pub version: Spanned<String>,
    pub image: Spanned<String>,
    pub channel: Spanned<String>,
    pub waves: Vec<Spanned<String>>,
    /// Arguments of the web container (empty: the image's own).
    pub args: Vec<Spanned<String>>,
    pub notes: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Surge {
    Count(i64),
    /// Hundredths of a percent.
    Percent(u32),
}

#[derive(Clone, Debug, PartialEq)]
pub struct CanaryStep {
    /// Hundredths of a percent of traffic on the new version.
    pub weight: u32,
    pub hold_ms: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StrategyKind {
    Rolling { max_surge: Surge, max_unavailable: Surge, min_ready_ms: u64 },
    BlueGreen { preview: bool, auto_promote: bool, scale_down_delay_ms: u64 },
    Canary { steps: Vec<Spanned<CanaryStep>>, analysis: Option<String> },
}

impl StrategyKind {
    /// The word the strategy is written with (`canary { … }`).
    pub fn tag(&self) -> StrategyTag {
        match self {
            StrategyKind::Rolling { .. } => StrategyTag::Rolling,
            StrategyKind::BlueGreen { .. } => StrategyTag::BlueGreen,
            StrategyKind::Canary { .. } => StrategyTag::Canary,
        }
    }
}

/// A strategy as a partner uses it: the declaration it came from (if any) and its settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Strategy {
    pub name: Option<String>,
    pub kind: StrategyKind,
    pub span: Span,
}

impl Strategy {
    /// The rolling update used when nothing else is said.
    pub fn default_rolling() -> Strategy {
        Strategy {
            name: None,
            kind: StrategyKind::Rolling {
                max_surge: defaults::MAX_SURGE,
                max_unavailable: defaults::MAX_UNAVAILABLE,
                min_ready_ms: defaults::MIN_READY_MS,
            },
            span: Span::default(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct NamedStrategy {
    pub decl: DeclId,
    pub name: Spanned<String>,
    pub strategy: Strategy,
}

/// Requests and limits of one pod.
#[derive(Clone, Debug, PartialEq)]
pub struct Resources {
    /// The plan declaration this came from (`medium`), before any `with` override.
    pub plan: Option<String>,
    pub cpu: Spanned<u64>,
    pub memory: Spanned<u64>,
    pub cpu_limit: Spanned<u64>,
    pub memory_limit: Spanned<u64>,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub decl: DeclId,
    pub name: Spanned<String>,
    pub resources: Resources,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EnvValue {
    Str(String),
    Int(i64),
    Bool(bool),
}

#[derive(Clone, Debug)]
pub struct Partner {
    pub decl: DeclId,
    pub name: Spanned<String>,
    pub domains: Vec<Spanned<String>>,
    pub resources: Option<Resources>,
    /// The channel followed; exactly one of `follows` and `release` is set in a valid spec.
    pub follows: Option<Spanned<String>>,
    /// The release pinned.
    pub release: Option<Spanned<String>>,
    pub replicas: Spanned<(i64, i64)>,
    pub strategy: Strategy,
    pub env: IndexMap<String, Spanned<EnvValue>>,
    pub secrets: Vec<Spanned<String>>,
    pub labels: IndexMap<String, Spanned<String>>,
    pub team: Option<String>,
    pub identity: Option<String>,
    pub storage: Option<Spanned<u64>>,
    pub egress: Vec<Spanned<String>>,
    /// A namespace quota given in the spec (checked to fit); computed when `None`.
    pub quota: Option<Spanned<Resources>>,
    pub static_ip: Option<String>,
    pub certificate: Option<String>,
    /// The target the partner is lowered for, as [`placement::decide_target`] decides it.
    pub target: String,
    /// The `target` the partner writes, if any.
    pub written_target: Option<Spanned<String>>,
    /// The cluster the partner names (see [`Fleet::cluster_of`]).
    pub cluster: Option<Spanned<String>>,
    pub hold: bool,
    /// When the partner chooses.
    pub backend: Option<Backend>,
    /// Backing services, in written order.
    pub services: Vec<Service>,
    /// Some field of this partner was invalid (already reported); rules that need a
    /// complete partner skip it so errors do not cascade.
    pub poisoned: bool,
}

#[derive(Clone, Debug)]
pub struct Target {
    pub name: Spanned<String>,
    pub provider: Provider,
    pub routing: Routing,
    pub ingress_class: Option<String>,
    pub gateway: Option<String>,
    pub ingress_namespace: Option<String>,
    pub storage_class: Option<String>,
    pub identity_annotation: Option<String>,
    pub ingress_cidrs: Vec<String>,
    pub certificates: Certificates,
    pub issuer: String,
    pub annotations: IndexMap<String, String>,
    pub backend: Option<Backend>,
    pub service_mode: Option<ServiceMode>,
}

#[derive(Clone, Debug)]
pub struct Cluster {
    pub name: Spanned<String>,
    pub context: String,
    pub kubeconfig: Option<String>,
    pub target: Spanned<String>,
}

#[derive(Clone, Debug)]
pub struct Wave {
    pub decl: DeclId,
    pub name: Spanned<String>,
    pub partners: Vec<Spanned<String>>,
    pub labels: IndexMap<String, Spanned<String>>,
    pub plans: Vec<Spanned<String>>,
    pub share: Option<Spanned<u32>>,
    pub soak_ms: u64,
    /// Whether any selector (`partners`, `labels`, `plans`, `share`) is written; a wave with
    /// none takes every partner left.
    pub selects: bool,
}

/// The cloud account of one target's managed services.
#[derive(Clone, Debug, Default)]
pub struct Managed {
    pub span: Span,
    pub project: Option<String>,
    pub region: Option<String>,
    pub resource_group: Option<String>,
    pub db_subnet_group: Option<String>,
    pub cache_subnet_group: Option<String>,
    pub security_groups: Vec<String>,
    /// EKS: the AWS account id, for the IAM role ARN of a partner's identity.
    pub account: Option<String>,
    /// EKS: the cluster's OIDC provider (`oidc.eks.<region>.amazonaws.com/id/<id>`), which
    /// IAM roles for service accounts trust.
    pub oidc_provider: Option<String>,
    /// AKS: the cluster's OIDC issuer URL, which federated identity credentials trust.
    pub oidc_issuer: Option<String>,
}

/// Where the secret values of partners on one target live.
#[derive(Clone, Debug)]
pub struct SecretStore {
    pub span: Span,
    pub kind: SecretStoreKind,
    /// Google Cloud project of Secret Manager.
    pub project: Option<String>,
    /// AWS region of Secrets Manager.
    pub region: Option<String>,
    /// Azure Key Vault URL.
    pub vault: Option<String>,
    /// Prefix of every name in the store.
    pub prefix: String,
}

impl SecretStore {
    /// The settings its kind needs that are missing, by field name.
    pub fn missing(&self) -> Vec<&'static str> {
        let need: &[(&str, bool)] = match self.kind {
            SecretStoreKind::Kubernetes => &[],
            SecretStoreKind::GcpSecretManager => &[("project", self.project.is_some())],
            SecretStoreKind::AwsSecretsManager => &[("region", self.region.is_some())],
            SecretStoreKind::AzureKeyVault => &[("vault", self.vault.is_some())],
        };
        need.iter().filter(|(_, ok)| !ok).map(|(n, _)| *n).collect()
    }

    /// The name of a partner's secret in the store: the same on every cloud, spelled so that
    /// every store takes it (Secret Manager and Key Vault allow only letters, digits and `-`).
    /// A Secret already named after its partner (a service's `<partner>-<service>-credentials`)
    /// is not prefixed twice.
    pub fn key(&self, partner: &str, secret: &str) -> String {
        let name: String =
            secret.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
        if name.starts_with(&format!("{partner}-")) {
            format!("{}{name}", self.prefix)
        } else {
            format!("{}{partner}-{name}", self.prefix)
        }
    }
}

impl Managed {
    /// The settings a provider needs that are missing, by field name.
    pub fn missing(&self, provider: Provider) -> Vec<&'static str> {
        let need: &[(&str, bool)] = match provider {
            Provider::Gke => &[("project", self.project.is_some()), ("region", self.region.is_some())],
            Provider::Aks => &[("resource_group", self.resource_group.is_some()), ("region", self.region.is_some())],
            Provider::Eks => &[
                ("db_subnet_group", self.db_subnet_group.is_some()),
                ("cache_subnet_group", self.cache_subnet_group.is_some()),
                ("security_groups", !self.security_groups.is_empty()),
            ],
            Provider::K8s => &[],
        };
        need.iter().filter(|(_, ok)| !ok).map(|(n, _)| *n).collect()
    }
}

/// A backing service of a partner: a database or a cache, and how it is provisioned.
#[derive(Clone, Debug)]
pub struct Service {
    /// The name the partner gives it (`db`); also the prefix of its environment variables.
    pub name: Spanned<String>,
    pub kind: ServiceKind,
    /// When the service chooses.
    pub mode: Option<Spanned<ServiceMode>>,
    /// External endpoint.
    pub host: Option<Spanned<String>>,
    pub port: Option<u16>,
    /// Secret with the password under key `password`.
    pub credentials: Option<String>,
    /// Where `credentials` is written (for the rule on Secret names).
    pub credentials_span: Option<Span>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ServiceKind {
    Postgres {
        version: Spanned<i64>,
        /// Bytes of storage.
        size: Spanned<u64>,
        plan: ServicePlan,
        database: Option<String>,
        user: Option<String>,
    },
    Redis {
        /// Bytes of memory.
        memory: Spanned<u64>,
        version: i64,
    },
}

impl Service {
    pub fn engine(&self) -> Engine {
        match self.kind {
            ServiceKind::Postgres { .. } => Engine::Postgres,
            ServiceKind::Redis { .. } => Engine::Redis,
        }
    }

    /// `<partner>-<service>`: the name of every object of the service, and of its binding.
    pub fn object_name(&self, partner: &Partner) -> String {
        format!("{}-{}", partner.name.value, self.name.value)
    }

    /// The Secret holding the service's password (key `password`): `credentials`, else
    /// `<partner>-<service>-credentials`.
    pub fn credentials(&self, partner: &Partner) -> String {
        self.credentials.clone().unwrap_or_else(|| format!("{}-credentials", self.object_name(partner)))
    }

    /// A database's name: `database`, else the service's name (`None` for a cache).
    pub fn database(&self) -> Option<String> {
        match &self.kind {
            ServiceKind::Postgres { database, .. } => Some(database.clone().unwrap_or_else(|| self.name.value.clone())),
            ServiceKind::Redis { .. } => None,
        }
    }

    /// The user a database's site connects as: `user`, else the partner's name (`None` for a
    /// cache).
    pub fn user(&self, partner: &Partner) -> Option<String> {
        match &self.kind {
            ServiceKind::Postgres { user, .. } => Some(user.clone().unwrap_or_else(|| partner.name.value.clone())),
            ServiceKind::Redis { .. } => None,
        }
    }

    pub fn default_port(&self) -> u16 {
        match self.kind {
            ServiceKind::Postgres { .. } => defaults::POSTGRES_PORT,
            ServiceKind::Redis { .. } => defaults::REDIS_PORT,
        }
    }
}

/// How a service is provisioned: its own `mode`, else its target's, else the platform's.
pub fn service_mode(service: &Service, target: &Target, platform: &Platform) -> ServiceMode {
    service.mode.as_ref().map(|m| m.value).or(target.service_mode).unwrap_or(platform.service_mode)
}

/// How a service is provisioned on a target: its mode, except that a managed service on a plain
/// Kubernetes cluster (a partner exported there with `--target`) runs in it.
pub fn provisioned_mode(service: &Service, target: &Target, platform: &Platform) -> ServiceMode {
    match service_mode(service, target, platform) {
        ServiceMode::Managed if target.provider == Provider::K8s => ServiceMode::InCluster,
        m => m,
    }
}

/// The rollout backend of a partner on a target: the partner's choice, else the target's, else
/// the platform's.
pub fn backend_of(partner: &Partner, target: &Target, platform: &Platform) -> Backend {
    partner.backend.or(target.backend).unwrap_or(platform.backend)
}

/// How a canary's traffic is split, by backend and target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CanaryRouting {
    /// Weighted Gateway API `HTTPRoute` backends.
    GatewayWeights,
    /// The AWS Load Balancer Controller's weighted target groups (Argo Rollouts).
    Alb,
    /// NGINX canary ingresses (Argo Rollouts).
    Nginx,
    /// By the number of pods of each version behind one Service.
    PodCounts,
}

pub fn canary_routing(backend: Backend, target: &Target) -> CanaryRouting {
    match (backend, target.routing, target.provider) {
        (_, Routing::Gateway, _) => CanaryRouting::GatewayWeights,
        (Backend::Argo, Routing::Ingress, Provider::Eks) => CanaryRouting::Alb,
        (Backend::Argo, Routing::Ingress, Provider::Aks) => CanaryRouting::Nginx,
        (Backend::Argo, Routing::Ingress, Provider::K8s | Provider::Gke) | (Backend::Native, Routing::Ingress, _) => {
            CanaryRouting::PodCounts
        }
    }
}
