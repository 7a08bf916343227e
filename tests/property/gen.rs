//! The generator of valid specs: every kind of declaration and every field of each, built so
//! that the rules the checker is known to enforce hold (requests within limits, canary weights
//! rising, one release per partner, waves that reach everyone, services whose mode the target
//! offers…), with values drawn from the edge pools of `values`.

use super::spec::{lit, Decl, Rng, Spec};
use super::values as v;

pub const STD_TARGETS: &[(&str, &str)] = &[("k8s", "k8s"), ("gke", "gke"), ("eks", "eks"), ("aks", "aks")];

#[derive(Clone)]
struct Target {
    name: String,
    provider: &'static str,
    backend: Option<&'static str>,
    service_mode: Option<&'static str>,
}

#[derive(Clone, Copy)]
struct Plan {
    cpu: u64,
    mem: u64,
    cpu_limit: u64,
    mem_limit: u64,
}

struct Strategy {
    reference: String,
    analysis: bool,
}

struct Gen {
    rng: Rng,
    decls: Vec<Decl>,
    targets: Vec<Target>,
    plans: Vec<(String, Plan)>,
    strategies: Vec<Strategy>,
    clusters: Vec<(String, String)>,
    lets: usize,
    default_target: String,
    platform_backend: Option<&'static str>,
    platform_mode: Option<&'static str>,
    /// Target names a managed service needs settings for.
    managed_needed: Vec<String>,
    prefix: String,
    default_replicas: Option<(u64, u64)>,
    /// The largest requests and limits of any plan, for generous quotas.
    biggest: Plan,
}

const STD_PLANS: &[(&str, Plan)] = &[
    ("plans.small", Plan { cpu: 250, mem: 512 << 20, cpu_limit: 500, mem_limit: 1 << 30 }),
    ("plans.medium", Plan { cpu: 500, mem: 1 << 30, cpu_limit: 1000, mem_limit: 2 << 30 }),
    ("plans.large", Plan { cpu: 1000, mem: 2 << 30, cpu_limit: 2000, mem_limit: 4 << 30 }),
];

/// A spec from a seed.
pub fn spec(seed: u64) -> Spec {
    let mut g = Gen {
        rng: Rng::new(seed),
        decls: Vec::new(),
        targets: STD_TARGETS
            .iter()
            .map(|(n, p)| Target { name: n.to_string(), provider: p, backend: None, service_mode: None })
            .collect(),
        plans: STD_PLANS.iter().map(|(n, p)| (n.to_string(), *p)).collect(),
        strategies: ["strategies.rolling", "strategies.blue_green", "strategies.canary"]
            .iter()
            .map(|r| Strategy { reference: r.to_string(), analysis: false })
            .collect(),
        clusters: Vec::new(),
        lets: 0,
        default_target: "k8s".into(),
        platform_backend: None,
        platform_mode: None,
        managed_needed: Vec::new(),
        prefix: String::new(),
        default_replicas: None,
        biggest: Plan { cpu: 2000, mem: 4 << 30, cpu_limit: 2000, mem_limit: 4 << 30 },
    };
    g.targets_and_clusters();
    g.user_plans();
    g.user_strategies();
    let platform = g.platform_head();
    let channels = g.releases_and_channels();
    let partners = g.partners(&channels);
    g.waves(&partners, &channels);
    let platform = g.platform_finish(platform);
    g.decls.push(platform);
    // Order does not matter in the language: shuffle the declarations.
    let mut decls = std::mem::take(&mut g.decls);
    for i in (1..decls.len()).rev() {
        let j = g.rng.below(i + 1);
        decls.swap(i, j);
    }
    let files = if g.rng.chance(25) { 2 } else { 1 };
    Spec { imports: vec!["std/plans".into(), "std/strategies".into()], decls, files }
}

/// A partner as the generator knows it, for waves.
struct PartnerInfo {
    name: String,
    channel: Option<String>,
    labels: Vec<(String, String)>,
    in_train: bool,
}

struct Channel {
    name: String,
    /// Index into `decls` of the newest release of the channel.
    newest: usize,
    versions: Vec<String>,
}

impl Gen {
    fn let_string(&mut self, value: &str) -> String {
        let name = format!("shared{}", self.lets);
        self.lets += 1;
        self.decls.push(Decl::raw(format!("let {name} = {}", lit(value))));
        name
    }

    fn targets_and_clusters(&mut self) {
        for i in 0..self.rng.below(3) {
            let name = format!("{}{i}", self.rng.pick(&["edge", "onprem", "gke-eu", "eks_b"]));
            let provider = *self.rng.pick(&["k8s", "gke", "eks", "aks"]);
            let mut d = Decl::new(format!("target {name}"));
            d.set("provider", provider);
            let routing = *self.rng.pick(&["gateway", "ingress"]);
            if self.rng.chance(80) {
                d.set("routing", routing);
            }
            if routing == "ingress" || self.rng.chance(20) {
                d.set("ingress_class", lit(self.rng.pick(&["nginx", "gce", "alb", "traefik-internal"])));
            }
            if routing == "gateway" || self.rng.chance(20) {
                d.set("gateway", lit(self.rng.pick(&["gateway-system/public", "infra/shared-gw", "a/b"])));
            }
            if self.rng.chance(60) {
                d.set("ingress_namespace", lit(self.rng.pick(&["ingress-nginx", "gateway-system", "kube-system"])));
            }
            if self.rng.chance(40) {
                d.set("ingress_cidrs", "[\"10.0.0.0/8\", \"35.191.0.0/16\"]");
            }
            let certificates = match provider {
                "gke" => *self.rng.pick(&["gke_managed", "cert_manager", "none"]),
                "eks" | "aks" => *self.rng.pick(&["cloud", "cert_manager", "none"]),
                _ => *self.rng.pick(&["cert_manager", "none"]),
            };
            d.set("certificates", certificates);
            if certificates == "cert_manager" && self.rng.chance(60) {
                d.set("issuer", lit(self.rng.pick(&["letsencrypt-prod", "internal-ca", "x"])));
            }
            if self.rng.chance(50) {
                d.set("storage_class", lit(self.rng.pick(&["fast-ssd", "standard-rwo", "gp3"])));
            }
            if self.rng.chance(40) {
                d.set(
                    "identity_annotation",
                    lit(self.rng.pick(&["iam.gke.io/gcp-service-account", "eks.amazonaws.com/role-arn"])),
                );
            }
            if self.rng.chance(40) {
                let entries = vec![
                    ("example.com/lb-scheme".to_string(), v::free_text(&mut self.rng)),
                    ("nginx.ingress.kubernetes.io/proxy-body-size".to_string(), lit("64m")),
                ];
                d.map("annotations", entries);
            }
            let backend = self.rng.chance(30).then(|| *self.rng.pick(&["native", "argo"]));
            if let Some(b) = backend {
                d.set("backend", b);
            }
            let service_mode = self.rng.chance(30).then(|| *self.rng.pick(&["in_cluster", "managed", "external"]));
            if let Some(m) = service_mode {
                d.set("service_mode", m);
            }
            d.one_line = self.rng.chance(20);
            self.decls.push(d);
            self.targets.push(Target { name, provider, backend, service_mode });
        }
        for i in 0..self.rng.below(3) {
            let name = format!("{}{i}", self.rng.pick(&["prod", "seoul-1", "c_", "cluster"]));
            let target = self.rng.pick(&self.targets).name.clone();
            let mut d = Decl::new(format!("cluster {name}"));
            d.set("context", v::free_text(&mut self.rng));
            if self.rng.chance(50) {
                d.set("kubeconfig", lit(self.rng.pick(&["~/.kube/prod", "/etc/kube/config", "kube config"])));
            }
            d.set("target", target.clone());
            self.decls.push(d);
            self.clusters.push((name, target));
        }
    }

    fn plan_fields(&mut self, d: &mut Decl) -> Plan {
        let (cpu_text, cpu) = v::cpu(&mut self.rng);
        let (mem_text, mem) = v::memory(&mut self.rng);
        d.set("cpu", cpu_text);
        d.set("memory", mem_text);
        let mut plan = Plan { cpu, mem, cpu_limit: cpu, mem_limit: mem };
        let b = &mut self.biggest;
        (b.cpu, b.mem) = (b.cpu.max(cpu), b.mem.max(mem));
        if self.rng.chance(60) {
            let (t, m) = (0..20).map(|_| v::cpu(&mut self.rng)).find(|(_, m)| *m >= cpu).unwrap_or((String::new(), 0));
            if m >= cpu {
                d.set("cpu_limit", t);
                plan.cpu_limit = m;
                self.biggest.cpu_limit = self.biggest.cpu_limit.max(m);
            }
        }
        if self.rng.chance(60) {
            let (t, b) =
                (0..20).map(|_| v::memory(&mut self.rng)).find(|(_, b)| *b >= mem).unwrap_or((String::new(), 0));
            if b >= mem {
                d.set("memory_limit", t);
                plan.mem_limit = b;
                self.biggest.mem_limit = self.biggest.mem_limit.max(b);
            }
        }
        self.biggest.cpu_limit = self.biggest.cpu_limit.max(plan.cpu_limit);
        self.biggest.mem_limit = self.biggest.mem_limit.max(plan.mem_limit);
        plan
    }

    fn user_plans(&mut self) {
        for i in 0..self.rng.below(4) {
            let name = format!("plan{i}");
            if self.rng.chance(25) {
                // An override of a standard plan that keeps requests within limits.
                let (base, p) = STD_PLANS[self.rng.below(3)];
                self.decls
                    .push(Decl::raw(format!("plan {name} = {base} with {{ cpu_limit = 4, memory_limit = 8Gi }}")));
                self.plans.push((name, Plan { cpu_limit: 4000, mem_limit: 8 << 30, ..p }));
                continue;
            }
            let mut d = Decl::new(format!("plan {name}"));
            let plan = self.plan_fields(&mut d);
            d.one_line = self.rng.chance(40);
            self.decls.push(d);
            self.plans.push((name, plan));
        }
    }

    /// A strategy body: `canary { … }` and friends, and whether it has an analysis gate.
    fn strategy_body(&mut self, allow_analysis: bool) -> (String, bool) {
        match self.rng.below(3) {
            0 => {
                let mut fields = Vec::new();
                let surge = self.rng.chance(70).then(|| v::int_or_percent(&mut self.rng));
                let mut unavailable = self.rng.chance(70).then(|| v::int_or_percent(&mut self.rng));
                let zero = |s: &str| s == "0" || s == "0%";
                let stuck = zero(surge.as_deref().unwrap_or("25%")) && zero(unavailable.as_deref().unwrap_or("0"));
                if stuck && !self.rng.chance(super::open::share("zero-surge-zero-unavailable")) {
                    unavailable = Some("1".into());
                }
                if let Some(s) = surge {
                    fields.push(format!("max_surge = {s}"));
                }
                if let Some(u) = unavailable {
                    fields.push(format!("max_unavailable = {u}"));
                }
                if self.rng.chance(50) {
                    fields.push(format!("min_ready = {}", v::duration(&mut self.rng)));
                }
                (format!("rolling {{ {} }}", fields.join(", ")), false)
            }
            1 => {
                let mut fields = Vec::new();
                if self.rng.chance(60) {
                    fields.push(format!("preview = {}", self.rng.chance(50)));
                }
                if self.rng.chance(60) {
                    fields.push(format!("auto_promote = {}", self.rng.chance(50)));
                }
                if self.rng.chance(60) {
                    fields.push(format!("scale_down_delay = {}", v::duration(&mut self.rng)));
                }
                (format!("blue_green {{ {} }}", fields.join(", ")), false)
            }
            _ => {
                let count = 1 + self.rng.below(5);
                let steps: Vec<String> = v::weights(&mut self.rng, count)
                    .into_iter()
                    .map(|w| format!("{} for {}", v::percent(w), v::duration(&mut self.rng)))
                    .collect();
                let analysis = allow_analysis && self.rng.chance(50);
                let extra = if analysis {
                    format!(", analysis = {}", lit(self.rng.pick(&["success-rate", "error-rate-below-1"])))
                } else {
                    String::new()
                };
                (format!("canary {{ steps = [{}]{extra} }}", steps.join(", ")), analysis)
            }
        }
    }

    fn user_strategies(&mut self) {
        for i in 0..self.rng.below(4) {
            let name = format!("strategy{i}");
            if i > 0 && self.rng.chance(30) {
                let base = self.strategies.last().map(|s| (s.reference.clone(), s.analysis)).expect("a strategy");
                if base.0.starts_with("strategy") {
                    // `with` on a declared strategy: only fields of its own variant can be replaced,
                    // so replace none of doubtful ones.
                    self.decls.push(Decl::raw(format!("strategy {name} = {} with {{}}", base.0)));
                    self.strategies.push(Strategy { reference: name, analysis: base.1 });
                    continue;
                }
            }
            if self.rng.chance(20) {
                let steps: Vec<String> = v::weights(&mut self.rng, 2)
                    .into_iter()
                    .map(|w| format!("{} for {}", v::percent(w), v::duration(&mut self.rng)))
                    .collect();
                self.decls.push(Decl::raw(format!(
                    "strategy {name} = strategies.canary with {{ steps = [{}] }}",
                    steps.join(", ")
                )));
                self.strategies.push(Strategy { reference: name, analysis: false });
                continue;
            }
            let (body, analysis) = self.strategy_body(true);
            self.decls.push(Decl::raw(format!("strategy {name} = {body}")));
            self.strategies.push(Strategy { reference: name, analysis });
        }
    }

    fn plan_ref(&mut self) -> (String, Plan) {
        if self.rng.chance(20) {
            let mut d = Decl::new("");
            let plan = self.plan_fields(&mut d);
            let inner: Vec<String> = d
                .fields
                .iter()
                .map(|f| match &f.value {
                    super::spec::Value::Text(t) => format!("{} = {t}", f.key),
                    super::spec::Value::Map(_) => unreachable!("plans have no maps"),
                })
                .collect();
            return (format!("{{ {} }}", inner.join(", ")), plan);
        }
        self.rng.pick(&self.plans).clone()
    }

    fn platform_head(&mut self) -> Decl {
        let name = self.rng.pick(&["bluedot", "lab", "p", "media_platform"]).to_string();
        let mut d = Decl::new(format!("platform {name}"));
        let registry = v::registry(&mut self.rng);
        if self.rng.chance(15) {
            let l = self.let_string(&registry);
            d.set("registry", format!("\"${{{l}}}\""));
        } else {
            d.set("registry", lit(&registry));
        }
        self.default_target = self.rng.pick(&self.targets).name.clone();
        if self.rng.chance(80) {
            d.set("default_target", self.default_target.clone());
        } else {
            self.default_target = "k8s".into();
        }
        self.platform_backend = self.rng.chance(40).then(|| *self.rng.pick(&["native", "argo"]));
        if let Some(b) = self.platform_backend {
            d.set("backend", b);
        }
        self.platform_mode = self.rng.chance(40).then(|| *self.rng.pick(&["in_cluster", "managed", "external"]));
        if let Some(m) = self.platform_mode {
            d.set("service_mode", m);
        }
        self.prefix = if self.rng.chance(50) {
            self.rng.pick(&["bd-", "x", "0-", "team-a-", "a-very-long-prefix-of-twenty-", "p1"]).to_string()
        } else {
            String::new()
        };
        if !self.prefix.is_empty() {
            let prefix = self.prefix.clone();
            if self.rng.chance(20) {
                let l = self.let_string(&prefix);
                d.set("namespace_prefix", l);
            } else {
                d.set("namespace_prefix", lit(&prefix));
            }
        } else if self.rng.chance(10) {
            d.set("namespace_prefix", "\"\"");
        }
        if self.rng.chance(60) {
            let (text, _) = self.plan_ref();
            d.set("default_plan", text);
        }
        if self.rng.chance(40) {
            let safe: Vec<String> =
                self.strategies.iter().filter(|s| !s.analysis).map(|s| s.reference.clone()).collect();
            let s = if self.rng.chance(30) { self.strategy_body(false).0 } else { self.rng.pick(&safe).clone() };
            d.set("default_strategy", s);
        }
        if self.rng.chance(40) {
            let r = *self.rng.pick(&[(1, 1), (2, 4), (1, 10), (3, 3), (2, 50)]);
            self.default_replicas = Some(r);
            d.set("default_replicas", format!("{}..{}", r.0, r.1));
        }
        d
    }

    fn platform_finish(&mut self, mut d: Decl) -> Decl {
        if self.rng.chance(40) {
            d.set("port", self.rng.pick(&["1", "80", "3000", "5432", "6379", "8080", "9090", "65535"]).to_string());
        }
        if self.rng.chance(40) {
            d.set("health_path", lit(self.rng.pick(&["/healthz", "/", "/ready?full=1", "/héalth", "/a/b/c/"])));
        }
        if self.rng.chance(40) {
            let n = 1 + self.rng.below(3);
            let entries = (0..n).map(|_| (v::label_key(&mut self.rng), lit(v::label_value(&mut self.rng)))).collect();
            d.map("labels", dedup(entries));
        }
        let mut managed_for = self.managed_needed.clone();
        for t in &self.targets {
            if t.provider != "k8s" && self.rng.chance(40) {
                managed_for.push(t.name.clone());
            }
        }
        managed_for.sort();
        managed_for.dedup();
        if !managed_for.is_empty() {
            let entries = managed_for
                .iter()
                .map(|name| {
                    let provider = self.targets.iter().find(|t| &t.name == name).map_or("k8s", |t| t.provider);
                    (name.clone(), managed_settings(&mut self.rng, provider))
                })
                .collect();
            d.map("managed", entries);
        }
        if self.rng.chance(40) {
            let n = 1 + self.rng.below(2);
            let entries =
                (0..n).map(|_| (self.rng.pick(&self.targets).name.clone(), lit(v::registry(&mut self.rng)))).collect();
            d.map("registries", dedup(entries));
        }
        d.one_line = self.rng.chance(10);
        d
    }
}

/// Keeps the first entry of each key.
fn dedup(entries: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, val) in entries {
        if !out.iter().any(|(o, _)| *o == k) {
            out.push((k, val));
        }
    }
    out
}

/// The `managed { <target> = { … } }` settings a provider needs.
fn managed_settings(rng: &mut Rng, provider: &str) -> String {
    match provider {
        "gke" => format!(
            "{{ project = {}, region = {} }}",
            lit(rng.pick(&["acme-prod", "lab-prod-123456", "a-b-c"])),
            lit(rng.pick(&["asia-northeast3", "us-central1", "europe-west4"]))
        ),
        "eks" => format!(
            "{{ db_subnet_group = {}, cache_subnet_group = {}, security_groups = [{}] }}",
            lit(rng.pick(&["lab-db", "db_subnets"])),
            lit(rng.pick(&["lab-cache", "cache-subnets"])),
            ["\"sg-0a1b2c3d4e5f60718\"", "\"sg-1\", \"sg-2\""][rng.below(2)]
        ),
        _ => format!(
            "{{ resource_group = {}, region = {} }}",
            lit(rng.pick(&["lab-data", "rg"])),
            lit(rng.pick(&["koreacentral", "westeurope"]))
        ),
    }
}

mod partners;
mod train;
