//! The schema of every declaration kind: fields, types, whether required, defaults and docs.
//! One table serves the checker, hover and completion in the editor, and `bdc why`. Closed word
//! sets and defaults are the model's ([`crate::model::words`], [`crate::model::defaults`]).

use crate::ast::DeclKind;
use crate::model::defaults::{self, DefaultValue as D};
use crate::model::{
    Backend, Certificates, Engine, Provider, Reconciler, Routing, SecretStoreKind, ServiceMode, ServicePlan,
    StrategyTag,
};

/// The type a field expects. Units are interpreted by it: `10m` is ten minutes for
/// [`Type::Duration`] and ten millicores for [`Type::Cpu`].
#[derive(Debug, PartialEq)]
pub enum Type {
    Str,
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    /// `30s`, `10m`, `2h`, `1d`, `500ms`.
    Duration,
    /// `250m` (millicores) or `2` (cores).
    Cpu,
    /// `512Mi`, `20Gi`, `1G`.
    Memory,
    /// `10%`.
    Percent,
    /// `1` or `25%` (rolling update surge).
    IntOrPercent,
    /// `2..6`, or `3` for `3..3`.
    Range,
    /// A container image reference, checked for shape.
    Image,
    /// A DNS name, checked for shape.
    Domain,
    /// A release channel word (`stable`); checked against the channels releases declare.
    Channel,
    /// One of a fixed set of words.
    Enum(&'static [&'static str]),
    /// A record of this declaration kind: a reference (`plans.medium`), an override
    /// (`plans.medium with { … }`) or an inline record.
    Decl(DeclKind),
    /// The name of a declaration of this kind (`gke`, `pilot`): a word or a reference.
    Name(DeclKind),
    /// A string naming a release version (`"2.4.1"`).
    ReleaseVersion,
    List(&'static Type),
    /// A record with free keys (`env { … }`, `labels { … }`).
    Map(&'static Type),
    /// A string, integer or boolean.
    Scalar,
    /// `10% for 10m`: a traffic weight held for a time.
    Step,
    /// An egress destination: `CIDR` or `CIDR:port`.
    Egress,
    /// An address range: `CIDR`.
    Cidr,
    /// A record with these fields (not a declaration kind).
    Record(&'static Schema),
    /// A variant record written inline, `postgres { … }`: one of these schemas, by its tag.
    Variant(&'static [&'static Schema]),
}

impl Type {
    /// Types written as strings (a bare word there is a missing pair of quotes).
    pub fn is_stringlike(&self) -> bool {
        matches!(
            self,
            Type::Str | Type::Scalar | Type::Image | Type::Domain | Type::ReleaseVersion | Type::Egress | Type::Cidr
        )
    }

    /// How the type is written in docs and messages.
    pub fn describe(&self) -> String {
        match self {
            Type::Str => "string".into(),
            Type::Int { .. } => "integer".into(),
            Type::Bool => "boolean".into(),
            Type::Duration => "duration (`30s`, `10m`, `2h`)".into(),
            Type::Cpu => "CPU amount (`250m`, `2`)".into(),
            Type::Memory => "memory size (`512Mi`, `2Gi`)".into(),
            Type::Percent => "percentage (`10%`)".into(),
            Type::IntOrPercent => "count or percentage (`1`, `25%`)".into(),
            Type::Range => "range (`2..6`)".into(),
            Type::Image => "image reference".into(),
            Type::Domain => "domain name".into(),
            Type::Channel => "channel (`stable`, `beta`)".into(),
            Type::Enum(words) => {
                format!("one of {}", crate::diagnostic::quoted(words.iter()))
            }
            Type::Decl(k) => k.keyword().into(),
            Type::Name(k) => format!("{} name", k.keyword()),
            Type::ReleaseVersion => "release version (`\"2.4.1\"`)".into(),
            Type::List(t) => format!("list of {}", t.describe()),
            Type::Map(t) => format!("record of {}", t.describe()),
            Type::Scalar => "string, integer or boolean".into(),
            Type::Step => "step (`10% for 10m`)".into(),
            Type::Egress => "egress destination (`10.0.0.0/8:5432`)".into(),
            Type::Cidr => "address range (`10.0.0.0/8`)".into(),
            Type::Record(s) => s.name.into(),
            Type::Variant(variants) => {
                variants.iter().map(|s| format!("`{} {{ … }}`", s.name)).collect::<Vec<_>>().join(" or ")
            }
        }
    }
}

#[derive(Debug)]
pub struct FieldSchema {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    /// The default when omitted, from the model's defaults; shown in docs as "`2..4`".
    pub default: Option<D>,
    pub doc: &'static str,
}

/// The fields of a record kind, or of one variant of a tagged kind.
#[derive(Debug)]
pub struct Schema {
    pub name: &'static str,
    pub doc: &'static str,
    pub fields: &'static [FieldSchema],
}

/// Schemas are static: two are the same schema when they are the same table.
impl PartialEq for Schema {
    fn eq(&self, other: &Schema) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Schema {
    pub fn field(&self, name: &str) -> Option<&'static FieldSchema> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// What a declaration kind's body must be.
#[derive(Debug)]
pub enum Body {
    /// A record with these fields.
    Record(&'static Schema),
    /// A variant record: `canary { … }`; each tag has its own fields.
    Tagged(&'static [&'static Schema]),
    /// Any value (`let`).
    Any,
}

const fn f(name: &'static str, ty: Type, doc: &'static str) -> FieldSchema {
    FieldSchema { name, ty, required: false, default: None, doc }
}

const fn req(name: &'static str, ty: Type, doc: &'static str) -> FieldSchema {
    FieldSchema { name, ty, required: true, default: None, doc }
}

const fn def(name: &'static str, ty: Type, default: D, doc: &'static str) -> FieldSchema {
    FieldSchema { name, ty, required: false, default: Some(default), doc }
}

// The closed word sets are defined once, in the model.
const PROVIDERS: &[&str] = Provider::WORDS;
const ROUTING: &[&str] = Routing::WORDS;
const CERTIFICATES: &[&str] = Certificates::WORDS;
const BACKENDS: &[&str] = Backend::WORDS;
const SERVICE_MODES: &[&str] = ServiceMode::WORDS;
const SERVICE_PLANS: &[&str] = ServicePlan::WORDS;
const RECONCILERS: &[&str] = Reconciler::WORDS;
const SECRET_STORES: &[&str] = SecretStoreKind::WORDS;

pub static PLATFORM: Schema = Schema {
    name: "platform",
    doc: "The platform every partner runs on: registry, naming and defaults. Exactly one per spec.",
    fields: &[
        req("registry", Type::Str, "Registry prefix of release images, e.g. `asia-northeast3-docker.pkg.dev/acme/web`."),
        def("namespace_prefix", Type::Str, D::Str(defaults::NAMESPACE_PREFIX), "Prefix of every partner namespace: partner `news-a` with prefix `bd-` runs in `bd-news-a`."),
        def("default_target", Type::Name(DeclKind::Target), D::Word(defaults::DEFAULT_TARGET), "Target profile partners are emitted for unless they name one."),
        f("default_plan", Type::Decl(DeclKind::Plan), "Resource plan of partners that do not name one."),
        f("default_strategy", Type::Decl(DeclKind::Strategy), "Rollout strategy of partners that do not name one (default: a rolling update)."),
        def("default_replicas", Type::Range, D::Range(defaults::REPLICAS.0, defaults::REPLICAS.1), "Autoscaling range of partners that do not give one."),
        def("port", Type::Int { min: 1, max: 65535 }, D::Int(defaults::PORT as i64), "Port the web container listens on."),
        def("health_path", Type::Str, D::Str(defaults::HEALTH_PATH), "HTTP path of the readiness and liveness probes."),
        def("backend", Type::Enum(BACKENDS), D::Word(defaults::BACKEND.as_str()), "Who carries out blue/green and canary: plain Kubernetes (`native`) or Argo Rollouts (`argo`)."),
        f("labels", Type::Map(&Type::Str), "Labels put on every object of every partner."),
        f("managed", Type::Map(&Type::Record(&MANAGED)), "Where managed backing services are created, per target name, e.g. `managed { gke = { project = \"acme-prod\", region = \"asia-northeast3\" } }`."),
        f("secret_store", Type::Map(&Type::Record(&SECRET_STORE)), "Where secret values live, per target name, e.g. `secret_store { eks = { provider = aws_secrets_manager, region = \"ap-northeast-2\" } }`: each secret a partner or its services read becomes an External Secrets Operator `ExternalSecret` of the same name on every cloud (default: Kubernetes Secrets created by hand)."),
        def("service_mode", Type::Enum(SERVICE_MODES), D::Word(defaults::SERVICE_MODE.as_str()), "How partners' backing services are provisioned unless their target or the service says: `in_cluster` (a StatefulSet), `managed` (the cloud's database through its Kubernetes operator) or `external` (an existing endpoint)."),
        f("registries", Type::Map(&Type::Str), "Registry per target name that images are copied to, e.g. `registries { eks = \"123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/bluedot\" }`; images keep their registry on other targets."),
        f("gitops", Type::Record(&GITOPS), "Hand the fleet to Argo CD or Flux: `bdc emit --out DIR` writes a GitOps tree (`clusters/<cluster>/<partner>/…` and the engine's objects) instead of plain bundles, e.g. `gitops { engine = argocd, repo = \"https://git.example.com/fleet.git\", path = \"deploy\" }`."),
        f("images", Type::Map(&Type::Image), "Images of in-cluster databases and caches and of the Cloud SQL Auth Proxy sidecar, pinned by digest, keyed by what they replace (`postgres:16`, `redis:7`, `cloud-sql-proxy`), e.g. `images { \"postgres:16\" = \"docker.io/library/postgres:16.4@sha256:…\" }`; default: the official images by tag."),
    ],
};

pub static RELEASE: Schema = Schema {
    name: "release",
    doc: "A version of the platform's web application, named by its version string.",
    fields: &[
        req("image", Type::Image, "Image of this release: `web@sha256:…` (preferred) or `web:2.5.0`; prefixed with the platform registry unless it names a registry."),
        req("channel", Type::Channel, "Channel this release is on; partners `follows` a channel."),
        f("waves", Type::List(&Type::Name(DeclKind::Wave)), "Order in which the fleet gets this release, e.g. `[pilot, everyone]`."),
        f("args", Type::List(&Type::Str), "Arguments of the web container when the image needs them, e.g. `[\"serve\", \"--port=8080\"]` (default: the image's own command)."),
        f("notes", Type::Str, "Free text shown in plans and reports."),
    ],
};

pub static ROLLING: Schema = Schema {
    name: StrategyTag::Rolling.as_str(),
    doc: "A rolling update of one Deployment.",
    fields: &[
        def(
            "max_surge",
            Type::IntOrPercent,
            D::Surge(defaults::MAX_SURGE),
            "Pods created above the desired count during an update.",
        ),
        def(
            "max_unavailable",
            Type::IntOrPercent,
            D::Surge(defaults::MAX_UNAVAILABLE),
            "Pods that may be unavailable during an update.",
        ),
        def(
            "min_ready",
            Type::Duration,
            D::Duration(defaults::MIN_READY_MS),
            "How long a new pod must be ready before it counts as available.",
        ),
    ],
};

pub static BLUE_GREEN: Schema = Schema {
    name: StrategyTag::BlueGreen.as_str(),
    doc: "A second full copy of the site receives traffic only once it is ready and promoted.",
    fields: &[
        def(
            "preview",
            Type::Bool,
            D::Bool(defaults::PREVIEW),
            "Expose the new copy on a preview Service before promotion.",
        ),
        def("auto_promote", Type::Bool, D::Bool(defaults::AUTO_PROMOTE), "Switch traffic without a manual `promote`."),
        def(
            "scale_down_delay",
            Type::Duration,
            D::Duration(defaults::SCALE_DOWN_DELAY_MS),
            "How long the old copy stays up after the switch.",
        ),
    ],
};

pub static CANARY: Schema = Schema {
    name: StrategyTag::Canary.as_str(),
    doc: "Traffic moves to the new version in steps, each held for a time.",
    fields: &[
        req("steps", Type::List(&Type::Step), "Weights of the new version and how long each is held, e.g. `[10% for 10m, 50% for 30m]`; strictly increasing, at most 100%."),
        f("analysis", Type::Str, "Name of an analysis template gating each step (Argo Rollouts backend)."),
    ],
};

pub static MANAGED: Schema = Schema {
    name: "managed",
    doc: "The cloud account managed services of one target go to.",
    fields: &[
        f(
            "project",
            Type::Str,
            "GKE: the Google Cloud project (Config Connector's `cnrm.cloud.google.com/project-id`).",
        ),
        f("region", Type::Str, "GKE and AKS: the region or location, e.g. `asia-northeast3`, `koreacentral`."),
        f(
            "resource_group",
            Type::Str,
            "AKS: the Azure Service Operator `ResourceGroup` (its Kubernetes name) that owns the servers.",
        ),
        f("db_subnet_group", Type::Str, "EKS: the RDS DB subnet group in the cluster's VPC."),
        f("cache_subnet_group", Type::Str, "EKS: the ElastiCache subnet group in the cluster's VPC."),
        f("security_groups", Type::List(&Type::Str), "EKS: security groups that admit the cluster's nodes."),
        f("account", Type::Str, "EKS: the AWS account id (12 digits), for the IAM role bdc creates for a partner's identity."),
        f("oidc_provider", Type::Str, "EKS: the cluster's OIDC provider, `oidc.eks.<region>.amazonaws.com/id/<id>`, which that role trusts."),
        f("oidc_issuer", Type::Str, "AKS: the cluster's OIDC issuer URL, which the federated credential of a partner's managed identity trusts."),
    ],
};

pub static SECRET_STORE: Schema = Schema {
    name: "secret_store",
    doc: "Where the secret values of partners on one target live.",
    fields: &[
        req("provider", Type::Enum(SECRET_STORES), "`gcp_secret_manager`, `aws_secrets_manager`, `azure_key_vault` (read by the External Secrets Operator with the partner's workload identity), or `kubernetes` (Secrets created by hand)."),
        f("project", Type::Str, "`gcp_secret_manager`: the Google Cloud project holding the secrets."),
        f("region", Type::Str, "`aws_secrets_manager`: the region holding the secrets, e.g. `ap-northeast-2`."),
        f("vault", Type::Str, "`azure_key_vault`: the vault's URL, e.g. `https://bluedot.vault.azure.net`."),
        f("prefix", Type::Str, "Prefix of every name in the store (default: none): secret `stripe-key` of partner `news` is `<prefix>news-stripe-key` (a name that already starts with `news-` is not prefixed again), a JSON object of its keys."),
    ],
};

pub static POSTGRES: Schema = Schema {
    name: Engine::Postgres.as_str(),
    doc: "A PostgreSQL database for the partner's site.",
    fields: &[
        def("version", Type::Int { min: 13, max: 17 }, D::Int(defaults::POSTGRES_VERSION), "PostgreSQL major version; changing it on a running database needs a migration (bdc refuses to replace it)."),
        def("size", Type::Memory, D::Bytes(defaults::POSTGRES_SIZE), "Storage of the database; it can grow, never shrink."),
        def("plan", Type::Enum(SERVICE_PLANS), D::Word(defaults::POSTGRES_PLAN.as_str()), "Compute class: `small`, `medium` or `large`, mapped to each cloud's instance sizes."),
        f("mode", Type::Enum(SERVICE_MODES), "How it is provisioned (default: the target's `service_mode`, else the platform's)."),
        f("database", Type::Str, "Database name (default: the service's name)."),
        f("user", Type::Str, "User the site connects as (default: the partner's name)."),
        f("host", Type::Str, "With `mode = external`: the endpoint's host name."),
        def("port", Type::Int { min: 1, max: 65535 }, D::Int(defaults::POSTGRES_PORT as i64), "With `mode = external`: the endpoint's port."),
        f("credentials", Type::Str, "Secret holding the password under key `password` (default `<partner>-<service>-credentials`); created outside bdc, referred to by name."),
    ],
};

pub static REDIS: Schema = Schema {
    name: Engine::Redis.as_str(),
    doc: "A Redis cache for the partner's site.",
    fields: &[
        def("memory", Type::Memory, D::Bytes(defaults::REDIS_MEMORY), "Memory of the cache."),
        def("version", Type::Int { min: 6, max: 8 }, D::Int(defaults::REDIS_VERSION), "Redis major version."),
        f("mode", Type::Enum(SERVICE_MODES), "How it is provisioned (default: the target's `service_mode`, else the platform's)."),
        f("host", Type::Str, "With `mode = external`: the endpoint's host name."),
        def("port", Type::Int { min: 1, max: 65535 }, D::Int(defaults::REDIS_PORT as i64), "With `mode = external`: the endpoint's port."),
        f("credentials", Type::Str, "Secret holding the password under key `password` (default `<partner>-<service>-credentials`); created outside bdc, referred to by name."),
    ],
};

pub static SERVICE_VARIANTS: &[&Schema] = &[&POSTGRES, &REDIS];

pub static STRATEGY_VARIANTS: &[&Schema] = &[&ROLLING, &BLUE_GREEN, &CANARY];

pub static PLAN: Schema = Schema {
    name: "plan",
    doc: "Resources of one web pod: requests and limits.",
    fields: &[
        req("cpu", Type::Cpu, "CPU request per pod."),
        req("memory", Type::Memory, "Memory request per pod."),
        def("cpu_limit", Type::Cpu, D::Field("cpu"), "CPU limit per pod."),
        def("memory_limit", Type::Memory, D::Field("memory"), "Memory limit per pod."),
    ],
};

pub static QUOTA: Schema = Schema {
    name: "quota",
    doc: "A namespace quota: totals for all of a partner's pods.",
    fields: &[
        req("cpu", Type::Cpu, "Total CPU requests."),
        req("memory", Type::Memory, "Total memory requests."),
        def("cpu_limit", Type::Cpu, D::Field("cpu"), "Total CPU limits."),
        def("memory_limit", Type::Memory, D::Field("memory"), "Total memory limits."),
    ],
};

pub static PARTNER: Schema = Schema {
    name: "partner",
    doc: "One partner media site: its own namespace, quota, network policy and workload.",
    fields: &[
        req("domains", Type::List(&Type::Domain), "Domains the site answers on; each may belong to one partner only."),
        f("plan", Type::Decl(DeclKind::Plan), "Resource plan, e.g. `plans.medium` or `plans.medium with { memory = 2Gi }` (default: the platform's)."),
        f("follows", Type::Channel, "Channel whose newest release the partner runs (`stable`). Give this or `release`."),
        f("release", Type::ReleaseVersion, "A release the partner is pinned to (`\"2.4.1\"`). Give this or `follows`."),
        f("replicas", Type::Range, "Autoscaling range of web pods, e.g. `2..6` (default: the platform's)."),
        f("strategy", Type::Decl(DeclKind::Strategy), "How new releases roll out (default: the platform's)."),
        f("env", Type::Map(&Type::Scalar), "Plain settings passed as environment variables. Never secret values: use `secrets`."),
        f("secrets", Type::List(&Type::Str), "Names of Kubernetes Secrets the site reads (names only, never values)."),
        f("labels", Type::Map(&Type::Str), "Labels added to the partner's objects."),
        f("team", Type::Str, "Group given namespace-scoped rights over the partner's namespace."),
        f("identity", Type::Str, "Cloud identity of the workload (GCP service account, AWS role ARN, Azure client id)."),
        f("storage", Type::Memory, "Size of a persistent volume for uploads; none when omitted."),
        f("egress", Type::List(&Type::Egress), "Destinations the site may reach besides DNS, as `CIDR` or `CIDR:port` (e.g. `\"0.0.0.0/0:443\"` for payment APIs)."),
        f("quota", Type::Record(&QUOTA), "Namespace quota as `{ cpu = …, memory = … }` (requests; limits default to the same); computed from plan, replicas and rollout surge when omitted, and checked to fit them when given."),
        f("static_ip", Type::Str, "Name of a reserved global static IP for the load balancer (GKE)."),
        f("certificate", Type::Str, "TLS certificate held by the cloud: an ACM certificate ARN (EKS) or a Key Vault certificate URI (AKS)."),
        f("target", Type::Name(DeclKind::Target), "Target profile of this partner (default: the platform's)."),
        f("cluster", Type::Name(DeclKind::Cluster), "Cluster the partner runs on."),
        def("hold", Type::Bool, D::Bool(defaults::HOLD), "Keep the partner out of release trains; it stays where it is."),
        f("services", Type::Map(&Type::Variant(SERVICE_VARIANTS)), "Backing services by name, e.g. `services { db = postgres { version = 16, size = 20Gi }, cache = redis { memory = 1Gi } }`; the site reads each as `<NAME>_HOST`, `_PORT`, `_DATABASE`, `_USER`, `_PASSWORD`."),
        f("backend", Type::Enum(BACKENDS), "Who carries out blue/green and canary for this partner (default: the target's, else the platform's)."),
    ],
};

pub static TARGET: Schema = Schema {
    name: "target",
    doc: "A target profile: how manifests differ on one kind of cluster. Written as data in `std/targets`.",
    fields: &[
        req("provider", Type::Enum(PROVIDERS), "Which cloud or plain Kubernetes."),
        def("routing", Type::Enum(ROUTING), D::Word(defaults::ROUTING.as_str()), "Route traffic with Gateway API `HTTPRoute`s or classic `Ingress`."),
        f("ingress_class", Type::Str, "Ingress class name, when routing is `ingress`."),
        f("gateway", Type::Str, "Gateway the routes attach to, as `namespace/name`, when routing is `gateway`."),
        f("ingress_namespace", Type::Str, "Namespace of the ingress controller or gateway, allowed in by network policy."),
        f("ingress_cidrs", Type::List(&Type::Cidr), "Address ranges the load balancer reaches pods from, allowed in by network policy (when it does not run in a namespace)."),
        def("certificates", Type::Enum(CERTIFICATES), D::Word(defaults::CERTIFICATES.as_str()), "Who issues TLS certificates: cert-manager, GKE managed certificates, the cloud's certificate manager (ACM, Key Vault), or `none` when TLS ends before the cluster."),
        def("issuer", Type::Str, D::Str(defaults::ISSUER), "cert-manager ClusterIssuer, when certificates are `cert_manager`."),
        f("storage_class", Type::Str, "Storage class of persistent volumes."),
        f("identity_annotation", Type::Str, "Service account annotation that binds a cloud identity."),
        f("annotations", Type::Map(&Type::Str), "Annotations put on routes (load balancer settings)."),
        f("backend", Type::Enum(BACKENDS), "Rollout backend of partners on this target (default: the platform's)."),
        f("service_mode", Type::Enum(SERVICE_MODES), "How backing services of partners on this target are provisioned (default: the platform's)."),
    ],
};

pub static GITOPS: Schema = Schema {
    name: "gitops",
    doc: "How the fleet is handed to a GitOps engine: the tree `bdc emit --out DIR` writes and the engine's objects in it (see docs/gitops.md).",
    fields: &[
        req("engine", Type::Enum(RECONCILERS), "The engine that reconciles the clusters from the tree: `argocd` (one `ApplicationSet` for the fleet, waves as progressive sync steps) or `flux` (one `Kustomization` per partner, waves as `dependsOn`)."),
        f("repo", Type::Str, "Argo CD: the URL of the Git repository the tree is committed to (required with `argocd`)."),
        def("path", Type::Str, D::Str("."), "The directory of the tree inside the repository, e.g. `deploy` when `bdc emit --out deploy` runs at the repository's root."),
        def("revision", Type::Str, D::Str(defaults::GITOPS_REVISION), "Argo CD: the branch, tag or commit the Applications track."),
        def("project", Type::Str, D::Str(defaults::ARGOCD_PROJECT), "Argo CD: the `AppProject` of the Applications."),
        f("namespace", Type::Str, "The namespace of the engine's objects (default: `argocd` for Argo CD, `flux-system` for Flux)."),
        def("source", Type::Str, D::Str(defaults::FLUX_SOURCE), "Flux: the `GitRepository` (in the engine's namespace) the `Kustomization`s read."),
        def("interval", Type::Duration, D::Duration(defaults::GITOPS_INTERVAL_MS), "Flux: how often each partner is reconciled."),
    ],
};

pub static CLUSTER: Schema = Schema {
    name: "cluster",
    doc: "A Kubernetes cluster partners are placed on.",
    fields: &[
        req("context", Type::Str, "kubeconfig context of the cluster."),
        f("kubeconfig", Type::Str, "Path of the kubeconfig file (default: `$KUBECONFIG` or `~/.kube/config`)."),
        req("target", Type::Name(DeclKind::Target), "Target profile of the cluster."),
    ],
};

pub static WAVE: Schema = Schema {
    name: "wave",
    doc: "A cohort of partners in a release train. A wave with no `partners`, `labels`, `plans` or `share` takes every partner not in an earlier wave.",
    fields: &[
        f("partners", Type::List(&Type::Str), "Partners in this wave, by name."),
        f("labels", Type::Map(&Type::Str), "Partners whose labels include all of these, e.g. `labels { \"bluedot.io/contract\" = \"enterprise\" }`."),
        f("plans", Type::List(&Type::Name(DeclKind::Plan)), "Partners on one of these plans, e.g. `[plans.large]`."),
        f("share", Type::Percent, "A share of the release's fleet taken from the partners not yet in a wave, in name order, e.g. `10%`; the shares of a release's waves add up to at most 100%."),
        def("soak", Type::Duration, D::Duration(defaults::SOAK_MS), "How long the wave runs healthy before the next may start."),
    ],
};

/// What the body of a declaration of `kind` must be.
pub fn body(kind: DeclKind) -> Body {
    match kind {
        DeclKind::Let => Body::Any,
        DeclKind::Platform => Body::Record(&PLATFORM),
        DeclKind::Release => Body::Record(&RELEASE),
        DeclKind::Strategy => Body::Tagged(STRATEGY_VARIANTS),
        DeclKind::Plan => Body::Record(&PLAN),
        DeclKind::Partner => Body::Record(&PARTNER),
        DeclKind::Target => Body::Record(&TARGET),
        DeclKind::Cluster => Body::Record(&CLUSTER),
        DeclKind::Wave => Body::Record(&WAVE),
    }
}
