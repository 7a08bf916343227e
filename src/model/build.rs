//! Building the model from checked declarations, filling in defaults (platform defaults for
//! partners, requests for missing limits). Reports nothing: the checker and validator do.

use super::reader::Reader;
use super::*;
use crate::ast::DeclKind;
use crate::check::{Checked, CheckedRecord, Typed};
use crate::resolve::Program;

/// Builds the fleet one checked declaration at a time, so a partner's checked value can be
/// dropped as soon as its model is built. Partners must come after the platform.
pub struct Builder<'p> {
    program: &'p Program,
    pub fleet: Fleet,
}

impl<'p> Builder<'p> {
    pub fn new(program: &'p Program) -> Self {
        Builder { program, fleet: Fleet::default() }
    }

    fn name(&self, id: DeclId) -> Spanned<String> {
        Spanned::new(self.program.decl(id).name.name.clone(), self.program.name_span(id))
    }

    /// Adds one declaration; `poisoned` when checking it reported errors.
    pub fn add(&mut self, id: DeclId, checked: &Checked, poisoned: bool) {
        let program = self.program;
        let kind = program.kind(id);
        if poisoned && kind != DeclKind::Partner && !self.fleet.incomplete.contains(&kind) {
            self.fleet.incomplete.push(kind);
        }
        if kind == DeclKind::Platform {
            let name = self.name(id);
            self.fleet.platforms.push(name);
        }
        let Typed::Record(rec) = &checked.value else { return };
        let span = checked.span;
        let r = Reader(rec);
        let name = self.name(id);
        let fleet = &mut self.fleet;
        match program.kind(id) {
            DeclKind::Platform if fleet.platform.is_none() => fleet.platform = Some(platform(program, name, &r)),
            DeclKind::Release => fleet.releases.push(Release {
                decl: id,
                version: name,
                image: r.str("image").unwrap_or_else(|| Spanned::new(String::new(), span)),
                channel: r.str("channel").unwrap_or_else(|| Spanned::new(String::new(), span)),
                waves: r.strs("waves"),
                args: r.strs("args"),
                notes: r.string("notes"),
            }),
            DeclKind::Strategy => {
                self.fleet.strategies.push(NamedStrategy { decl: id, name, strategy: strategy(program, rec, span) })
            }
            DeclKind::Plan => {
                if let Some(resources) = resources(program, rec) {
                    self.fleet.plans.push(Plan { decl: id, name, resources });
                }
            }
            DeclKind::Target => self.fleet.targets.push(Target {
                name,
                provider: r.word("provider").unwrap_or(defaults::PROVIDER),
                routing: r.word("routing").unwrap_or(defaults::ROUTING),
                ingress_class: r.string("ingress_class"),
                gateway: r.string("gateway"),
                ingress_namespace: r.string("ingress_namespace"),
                storage_class: r.string("storage_class"),
                identity_annotation: r.string("identity_annotation"),
                ingress_cidrs: r.strs("ingress_cidrs").into_iter().map(|s| s.value).collect(),
                certificates: r.word("certificates").unwrap_or(defaults::CERTIFICATES),
                issuer: r.string("issuer").unwrap_or_else(|| defaults::ISSUER.into()),
                annotations: r.str_map("annotations"),
                backend: r.word("backend"),
                service_mode: r.word("service_mode"),
            }),
            DeclKind::Cluster => self.fleet.clusters.push(Cluster {
                name,
                context: r.string("context").unwrap_or_default(),
                kubeconfig: r.string("kubeconfig"),
                target: r.str("target").unwrap_or_else(|| Spanned::new(String::new(), span)),
            }),
            DeclKind::Wave => self.fleet.waves.push(Wave {
                decl: id,
                name,
                partners: r.strs("partners"),
                labels: r.spanned_str_map("labels"),
                plans: r.strs("plans"),
                share: r.percent("share"),
                selects: ["partners", "labels", "plans", "share"].iter().any(|f| rec.fields.contains_key(f)),
                soak_ms: r.duration("soak").unwrap_or(defaults::SOAK_MS),
            }),
            DeclKind::Partner => {
                let mut p = partner(program, id, name, rec, self.fleet.platform.as_ref(), &self.fleet.clusters);
                p.poisoned = poisoned;
                self.fleet.partners.push(p);
            }
            _ => {}
        }
    }
}

fn platform(program: &Program, name: Spanned<String>, r: &Reader) -> Platform {
    Platform {
        registry: r.string("registry").unwrap_or_default(),
        namespace_prefix: r
            .str("namespace_prefix")
            .unwrap_or_else(|| Spanned::new(defaults::NAMESPACE_PREFIX.into(), name.span)),
        default_target: r.string("default_target").unwrap_or_else(|| defaults::DEFAULT_TARGET.into()),
        default_plan: r.record("default_plan").and_then(|(rec, _)| resources(program, rec)),
        default_strategy: r
            .record("default_strategy")
            .map_or_else(Strategy::default_rolling, |(rec, span)| strategy(program, rec, span)),
        default_replicas: r.range("default_replicas").unwrap_or_else(|| Spanned::new(defaults::REPLICAS, name.span)),
        port: r.int("port").map_or(defaults::PORT, |p| p as u16),
        health_path: r.string("health_path").unwrap_or_else(|| defaults::HEALTH_PATH.into()),
        backend: r.word("backend").unwrap_or(defaults::BACKEND),
        service_mode: r.word("service_mode").unwrap_or(defaults::SERVICE_MODE),
        managed: managed(r.get("managed")),
        secret_stores: secret_stores(r.get("secret_store")),
        labels: r.spanned_str_map("labels"),
        registries: r.spanned_str_map("registries"),
        images: r.spanned_str_map("images"),
        gitops: r.record("gitops").and_then(|(rec, span)| gitops(rec, span)),
        name,
    }
}

/// `gitops { engine = …, … }`; `None` when the engine is missing or wrong (reported).
fn gitops(rec: &CheckedRecord, span: Span) -> Option<crate::model::Gitops> {
    let r = Reader(rec);
    let engine_span = span_of(&r, "engine", span);
    let engine: crate::model::Reconciler = r.word("engine")?;
    let namespace = r.string("namespace").unwrap_or_else(|| {
        match engine {
            crate::model::Reconciler::ArgoCd => defaults::ARGOCD_NAMESPACE,
            crate::model::Reconciler::Flux => defaults::FLUX_NAMESPACE,
        }
        .into()
    });
    Some(crate::model::Gitops {
        span,
        engine: Spanned::new(engine, engine_span),
        repo: r.string("repo"),
        path: r.string("path").unwrap_or_else(|| ".".into()),
        revision: r.string("revision").unwrap_or_else(|| defaults::GITOPS_REVISION.into()),
        project: r.string("project").unwrap_or_else(|| defaults::ARGOCD_PROJECT.into()),
        namespace,
        source: r.string("source").unwrap_or_else(|| defaults::FLUX_SOURCE.into()),
        interval_ms: r.duration("interval").unwrap_or(defaults::GITOPS_INTERVAL_MS),
    })
}

fn origin_name(program: &Program, rec: &CheckedRecord, kind: DeclKind) -> Option<String> {
    rec.origin.filter(|o| program.kind(*o) == kind).map(|o| program.decl(o).name.name.clone())
}

fn resources(program: &Program, rec: &CheckedRecord) -> Option<Resources> {
    let r = Reader(rec);
    let cpu = r.quantity("cpu")?;
    let memory = r.quantity("memory")?;
    Some(Resources {
        plan: origin_name(program, rec, DeclKind::Plan),
        cpu_limit: r.quantity("cpu_limit").unwrap_or_else(|| cpu.clone()),
        memory_limit: r.quantity("memory_limit").unwrap_or_else(|| memory.clone()),
        cpu,
        memory,
    })
}

fn surge(c: Option<&Checked>, default: Surge) -> Surge {
    match c.map(|c| &c.value) {
        Some(Typed::Int(n)) => Surge::Count(*n),
        Some(Typed::Percent(p)) => Surge::Percent(*p),
        _ => default,
    }
}

fn strategy(program: &Program, rec: &CheckedRecord, span: Span) -> Strategy {
    let r = Reader(rec);
    let kind = match rec.tag.and_then(StrategyTag::parse) {
        Some(StrategyTag::BlueGreen) => StrategyKind::BlueGreen {
            preview: r.bool("preview").unwrap_or(defaults::PREVIEW),
            auto_promote: r.bool("auto_promote").unwrap_or(defaults::AUTO_PROMOTE),
            scale_down_delay_ms: r.duration("scale_down_delay").unwrap_or(defaults::SCALE_DOWN_DELAY_MS),
        },
        Some(StrategyTag::Canary) => StrategyKind::Canary {
            steps: r
                .list("steps")
                .iter()
                .filter_map(|c| match c.value {
                    Typed::Step { weight, hold_ms } => Some(Spanned::new(CanaryStep { weight, hold_ms }, c.span)),
                    _ => None,
                })
                .collect(),
            analysis: r.string("analysis"),
        },
        Some(StrategyTag::Rolling) | None => StrategyKind::Rolling {
            max_surge: surge(r.get("max_surge"), defaults::MAX_SURGE),
            max_unavailable: surge(r.get("max_unavailable"), defaults::MAX_UNAVAILABLE),
            min_ready_ms: r.duration("min_ready").unwrap_or(defaults::MIN_READY_MS),
        },
    };
    Strategy { name: origin_name(program, rec, DeclKind::Strategy), kind, span }
}

fn partner(
    program: &Program,
    id: DeclId,
    name: Spanned<String>,
    rec: &CheckedRecord,
    platform: Option<&Platform>,
    clusters: &[Cluster],
) -> Partner {
    let r = Reader(rec);
    let written_target = r.str("target");
    let cluster = r.str("cluster");
    let on = cluster.as_ref().and_then(|c| clusters.iter().find(|k| k.name.value == c.value));
    let (target, _) = super::placement::decide_target(written_target.as_ref().map(|t| t.value.as_str()), on, platform);
    let env = match r.get("env") {
        Some(Checked { value: Typed::Map(m), .. }) => m
            .iter()
            .filter_map(|(k, v)| {
                let value = match &v.value {
                    Typed::Str(s) => EnvValue::Str(s.clone()),
                    Typed::Int(i) => EnvValue::Int(*i),
                    Typed::Bool(b) => EnvValue::Bool(*b),
                    _ => return None,
                };
                Some((k.clone(), Spanned::new(value, v.span)))
            })
            .collect(),
        _ => IndexMap::new(),
    };
    Partner {
        decl: id,
        domains: r.strs("domains"),
        resources: r
            .record("plan")
            .and_then(|(p, _)| resources(program, p))
            .or_else(|| platform.and_then(|p| p.default_plan.clone())),
        follows: r.str("follows"),
        release: r.str("release"),
        replicas: r
            .range("replicas")
            .or_else(|| platform.map(|p| p.default_replicas.clone()))
            .unwrap_or_else(|| Spanned::new(defaults::REPLICAS, name.span)),
        strategy: r.record("strategy").map_or_else(
            || platform.map_or_else(Strategy::default_rolling, |p| p.default_strategy.clone()),
            |(s, span)| strategy(program, s, span),
        ),
        env,
        secrets: r.strs("secrets"),
        labels: r.spanned_str_map("labels"),
        team: r.string("team"),
        identity: r.string("identity"),
        storage: r.quantity("storage"),
        egress: r.strs("egress"),
        quota: r.record("quota").and_then(|(q, span)| resources(program, q).map(|res| Spanned::new(res, span))),
        static_ip: r.string("static_ip"),
        certificate: r.string("certificate"),
        target,
        written_target,
        cluster,
        hold: r.bool("hold").unwrap_or(defaults::HOLD),
        backend: r.word("backend"),
        services: services(r.get("services")),
        poisoned: false,
        name,
    }
}

/// The services of a partner, from `services { name = postgres { … } }`.
fn services(checked: Option<&Checked>) -> Vec<Service> {
    let Some(Checked { value: Typed::Map(map), .. }) = checked else { return Vec::new() };
    let mut out = Vec::new();
    for (name, c) in map {
        let Typed::Record(rec) = &c.value else { continue };
        let r = Reader(rec);
        let key_span = c.span;
        let kind = match rec.tag.and_then(Engine::parse) {
            Some(Engine::Postgres) => ServiceKind::Postgres {
                version: r.int("version").map_or(Spanned::new(defaults::POSTGRES_VERSION, key_span), |v| {
                    Spanned::new(v, span_of(&r, "version", key_span))
                }),
                size: r.quantity("size").unwrap_or(Spanned::new(defaults::POSTGRES_SIZE, key_span)),
                plan: r.word("plan").unwrap_or(defaults::POSTGRES_PLAN),
                database: r.string("database"),
                user: r.string("user"),
            },
            Some(Engine::Redis) => ServiceKind::Redis {
                memory: r.quantity("memory").unwrap_or(Spanned::new(defaults::REDIS_MEMORY, key_span)),
                version: r.int("version").unwrap_or(defaults::REDIS_VERSION),
            },
            None => continue,
        };
        out.push(Service {
            name: Spanned::new(name.clone(), key_span),
            kind,
            mode: r.spanned_word("mode"),
            host: r.str("host"),
            port: r.int("port").map(|p| p as u16),
            credentials: r.string("credentials"),
            credentials_span: r.str("credentials").map(|s| s.span),
            span: c.span,
        });
    }
    out
}

fn span_of(r: &Reader, field: &str, fallback: Span) -> Span {
    r.get(field).map_or(fallback, |c| c.span)
}

/// A map of records keyed by target name (`managed { gke = { … } }`, `secret_store { eks = { … } }`),
/// each record read by `read` with its span.
fn per_target<T>(checked: Option<&Checked>, read: impl Fn(Span, Reader) -> T) -> IndexMap<String, T> {
    let Some(Checked { value: Typed::Map(map), .. }) = checked else { return IndexMap::new() };
    map.iter()
        .filter_map(|(target, c)| {
            let Typed::Record(rec) = &c.value else { return None };
            Some((target.clone(), read(c.span, Reader(rec))))
        })
        .collect()
}

/// `managed { gke = { project = …, region = … } }`.
fn managed(checked: Option<&Checked>) -> IndexMap<String, Managed> {
    per_target(checked, |span, r| Managed {
        span,
        project: r.string("project"),
        region: r.string("region"),
        resource_group: r.string("resource_group"),
        db_subnet_group: r.string("db_subnet_group"),
        cache_subnet_group: r.string("cache_subnet_group"),
        security_groups: r.strs("security_groups").into_iter().map(|s| s.value).collect(),
        account: r.string("account"),
        oidc_provider: r.string("oidc_provider"),
        oidc_issuer: r.string("oidc_issuer"),
    })
}

/// `secret_store { eks = { provider = aws_secrets_manager, region = … } }`.
fn secret_stores(checked: Option<&Checked>) -> IndexMap<String, SecretStore> {
    per_target(checked, |span, r| SecretStore {
        span,
        kind: r.word("provider").unwrap_or(SecretStoreKind::Kubernetes),
        project: r.string("project"),
        region: r.string("region"),
        vault: r.string("vault"),
        prefix: r.string("prefix").unwrap_or_default(),
    })
}
