//! What one partner's objects say, in bdc's terms: the facts the spec is written from, and the
//! report's entry for every object and field read (mapped, replaced by bdc's own, or not
//! representable). The web workload is read here; routing, identity and services in
//! `around`. The same reader runs over bdc's own output in `verify`.

use super::group::{self, Group, Role};
use super::object::{self, str_at, Obj};
use super::report::{Entry, Status};
use indexmap::IndexMap;
use serde_json::Value;

/// Requests and limits of the web container, in millicores and bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Res {
    pub cpu: u64,
    pub memory: u64,
    pub cpu_limit: u64,
    pub memory_limit: u64,
}

/// A rollout strategy as bdc can say it.
#[derive(Clone, Debug, PartialEq)]
pub enum Strat {
    /// Surge and unavailable as bdc literals (`25%`, `1`); `None`: nothing written.
    Rolling {
        written: Option<(String, String, u64)>,
    },
    BlueGreen {
        preview: bool,
        auto_promote: bool,
        scale_down_delay_ms: u64,
    },
    /// Steps as (hundredths of a percent, milliseconds); `None`: not in the YAML.
    Canary {
        steps: Option<Vec<(u32, u64)>>,
        analysis: Option<String>,
    },
}

/// A backing service: an in-cluster database or cache.
#[derive(Clone, Debug, PartialEq)]
pub struct Svc {
    pub name: String,
    pub role: Role,
    pub version: Option<i64>,
    pub size: Option<u64>,
    pub memory: Option<u64>,
    pub plan: &'static str,
    /// `None`: in the cluster; else `managed` or `external`.
    pub mode: Option<&'static str>,
    pub host: Option<String>,
    pub database: Option<String>,
    /// The ConfigMap the site reads the service's endpoint from, and the Secret of its password.
    pub binding: Option<String>,
    pub credentials: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Facts {
    pub name: String,
    pub namespace: Option<String>,
    pub domains: Vec<String>,
    pub image: Option<String>,
    pub version: Option<String>,
    pub replicas: Option<(i64, i64)>,
    pub resources: Option<Res>,
    pub env: IndexMap<String, String>,
    pub secrets: Vec<String>,
    pub strategy: Strat,
    pub argo: bool,
    pub services: Vec<Svc>,
    /// The cloud accounts of managed services, per target, as `(field, value)`; lists of
    /// strings are written already formatted.
    pub managed: IndexMap<&'static str, IndexMap<&'static str, String>>,
    pub storage: Option<u64>,
    pub labels: IndexMap<String, String>,
    pub team: Option<String>,
    pub identity: Option<String>,
    pub egress: Vec<String>,
    pub static_ip: Option<String>,
    pub certificate: Option<String>,
    pub target: Option<&'static str>,
    pub port: Option<u16>,
    pub health_path: Option<String>,
    pub entries: Vec<Entry>,
}

/// Labels that say what a workload is rather than something about the partner.
pub fn is_standard_label(key: &str) -> bool {
    key.starts_with("app.kubernetes.io/")
        || key.starts_with("rollout.bluedot.io/")
        || key.starts_with("helm.sh/")
        || group::INSTANCE_LABELS.contains(&key)
        || matches!(key, "version" | "heritage" | "chart" | "pod-template-hash" | "track" | "slot" | "component")
}

/// The web container: the one named `web`, else the first.
pub fn web_container(o: &Obj) -> Option<&Value> {
    let containers = o.containers();
    containers.iter().find(|c| str_at(c, &["name"]) == Some("web")).or(containers.first()).copied()
}

pub fn read(g: &Group, objects: &[Obj]) -> Facts {
    let objs: Vec<&Obj> = g.objects.iter().map(|&i| &objects[i]).collect();
    let web: Vec<&Obj> = g.web.iter().map(|&i| &objects[i]).collect();
    let mut f = Facts {
        name: g.name.clone(),
        namespace: g.namespace.clone(),
        domains: Vec::new(),
        image: None,
        version: None,
        replicas: None,
        resources: None,
        env: IndexMap::new(),
        secrets: Vec::new(),
        strategy: Strat::Rolling { written: None },
        argo: false,
        services: Vec::new(),
        managed: IndexMap::new(),
        storage: None,
        labels: IndexMap::new(),
        team: None,
        identity: None,
        egress: Vec::new(),
        static_ip: None,
        certificate: None,
        target: None,
        port: None,
        health_path: None,
        entries: Vec::new(),
    };
    let primary = primary(&web);
    super::around::services(&mut f, &objs);
    workload(&mut f, primary, &web, &objs);
    super::around::routing(&mut f, &objs);
    super::around::tenancy(&mut f, &objs);
    if g.shares_namespace {
        f.entries.push(entry(
            primary,
            "metadata.namespace",
            Status::Replaced,
            format!(
                "partners shared namespace `{}`; bdc gives `{}` its own namespace",
                g.namespace.as_deref().unwrap_or_default(),
                g.name
            ),
        ));
    }
    f
}

pub fn entry(o: &Obj, field: &str, status: Status, detail: impl Into<String>) -> Entry {
    Entry { object: o.id(), origin: o.origin.clone(), field: field.into(), status, detail: detail.into() }
}

/// The workload that carries the site: not a canary or preview track, the most replicas.
fn primary<'o>(web: &[&'o Obj]) -> &'o Obj {
    let tracked = |o: &Obj| {
        o.name.ends_with("-canary")
            || o.name.ends_with("-preview")
            || str_at(&o.body, &["spec", "template", "metadata", "labels", "rollout.bluedot.io/track"])
                == Some("canary")
    };
    web.iter().copied().find(|o| !tracked(o)).unwrap_or(web[0])
}

fn workload(f: &mut Facts, w: &Obj, web: &[&Obj], objs: &[&Obj]) {
    f.entries.push(entry(w, "kind", Status::Mapped, format!("the web workload of partner `{}`", f.name)));
    let Some(c) = web_container(w) else {
        f.entries.push(entry(
            w,
            "spec.template.spec.containers",
            Status::NotRepresentable,
            "no container: nothing to run",
        ));
        return;
    };
    f.image = c.get("image").and_then(Value::as_str).map(str::to_string);
    let pod_label = |k: &str| str_at(&w.body, &["spec", "template", "metadata", "labels", k]);
    f.version =
        w.label("app.kubernetes.io/version").or_else(|| pod_label("app.kubernetes.io/version")).map(str::to_string);
    f.entries.push(entry(w, "containers[web].image", Status::Mapped, "→ a release (image, version)"));
    for other in w.containers().iter().filter(|o| !std::ptr::eq(**o, c)) {
        let name = str_at(other, &["name"]).unwrap_or("?");
        f.entries.push(entry(w, &format!("containers[{name}]"), Status::NotRepresentable, "bdc runs one web container per pod: run the sidecar's job another way (bdc adds the Cloud SQL proxy itself)"));
    }
    for (k, v) in w.at(&["metadata", "labels"]).and_then(Value::as_object).into_iter().flatten() {
        if !is_standard_label(k) {
            if let Some(v) = v.as_str() {
                f.labels.insert(k.clone(), v.to_string());
            }
        }
    }
    f.port = c.pointer("/ports/0/containerPort").and_then(Value::as_u64).and_then(|p| u16::try_from(p).ok());
    f.health_path = str_at(c, &["readinessProbe", "httpGet", "path"]).map(str::to_string);
    resources(f, w, c);
    replicas(f, w, web, objs);
    env(f, w, c, objs);
    strategy(f, w, web, objs);
    volumes(f, w, objs);
    for key in ["nodeSelector", "tolerations", "affinity", "hostNetwork", "initContainers", "priorityClassName"] {
        if w.pod().and_then(|p| p.get(key)).is_some() {
            f.entries.push(entry(
                w,
                &format!("spec.template.spec.{key}"),
                Status::NotRepresentable,
                "bdc schedules pods itself (zone and node spread); place partners with clusters and targets instead",
            ));
        }
    }
    for key in ["command", "args"] {
        if c.get(key).is_some() {
            f.entries.push(entry(
                w,
                &format!("containers[web].{key}"),
                Status::NotRepresentable,
                "the arguments belong to the release: add `args = [...]` to the release by hand",
            ));
        }
    }
    f.entries.push(entry(
        w,
        "securityContext",
        Status::Replaced,
        "bdc runs the pod under Pod Security `restricted` (non-root, read-only root, no privileges)",
    ));
}

fn resources(f: &mut Facts, w: &Obj, c: &Value) {
    let q = |kind: &str, res: &str, read: fn(&Value) -> Option<u64>| {
        c.pointer(&format!("/resources/{kind}/{res}")).and_then(read)
    };
    let (cpu, mem) = (q("requests", "cpu", object::cpu_millis), q("requests", "memory", object::memory_bytes));
    let (cpu_l, mem_l) = (q("limits", "cpu", object::cpu_millis), q("limits", "memory", object::memory_bytes));
    let (Some(cpu), Some(memory)) = (cpu.or(cpu_l), mem.or(mem_l)) else {
        f.entries.push(entry(
            w,
            "containers[web].resources",
            Status::Replaced,
            "no requests: the platform's default plan applies",
        ));
        return;
    };
    if cpu_l.is_none() || mem_l.is_none() {
        f.entries.push(entry(
            w,
            "containers[web].resources.limits",
            Status::Replaced,
            "no limit: bdc sets limits everywhere; took the request",
        ));
    }
    f.resources = Some(Res { cpu, memory, cpu_limit: cpu_l.unwrap_or(cpu), memory_limit: mem_l.unwrap_or(memory) });
    f.entries.push(entry(w, "containers[web].resources", Status::Mapped, "→ plan"));
}

fn replicas(f: &mut Facts, w: &Obj, web: &[&Obj], objs: &[&Obj]) {
    let hpa = objs.iter().find(|o| {
        o.kind == "HorizontalPodAutoscaler"
            && str_at(&o.body, &["spec", "scaleTargetRef", "name"]).is_some_and(|t| web.iter().any(|w| w.name == t))
    });
    if let Some(h) = hpa {
        let min = h.at(&["spec", "minReplicas"]).and_then(Value::as_i64).unwrap_or(1);
        let max = h.at(&["spec", "maxReplicas"]).and_then(Value::as_i64).unwrap_or(min);
        f.replicas = Some((min, max.max(min)));
        f.entries.push(entry(h, "spec.minReplicas..maxReplicas", Status::Mapped, format!("→ replicas = {min}..{max}")));
        f.entries.push(entry(h, "spec.metrics", Status::Replaced, "bdc scales on 70% CPU"));
    } else {
        let n = w.at(&["spec", "replicas"]).and_then(Value::as_i64).unwrap_or(1).max(1);
        f.replicas = Some((n, n));
        f.entries.push(entry(
            w,
            "spec.replicas",
            Status::Mapped,
            format!("no HorizontalPodAutoscaler: replicas = {n}..{n} (a fixed count)"),
        ));
    }
}

/// The ConfigMap named `name` among the partner's objects.
fn config_map<'o>(objs: &[&'o Obj], name: &str) -> Option<&'o Obj> {
    objs.iter().copied().find(|o| o.kind == "ConfigMap" && o.name == name)
}

fn env(f: &mut Facts, w: &Obj, c: &Value, objs: &[&Obj]) {
    let bindings: Vec<String> =
        f.services.iter().flat_map(|s| [Some(format!("{}-{}", f.name, s.name)), s.binding.clone()]).flatten().collect();
    let credentials: Vec<String> = f.services.iter().filter_map(|s| s.credentials.clone()).collect();
    let is_binding = |name: &str| {
        credentials.iter().any(|c| c == name)
            || bindings.iter().any(|b| name == b || name.strip_prefix(b.as_str()) == Some("-credentials"))
            || objs
                .iter()
                .any(|o| o.kind == "StatefulSet" && (o.name == name || format!("{}-credentials", o.name) == name))
    };
    for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
        let name = str_at(e, &["name"]).unwrap_or_default().to_string();
        let field = format!("containers[web].env[{name}]");
        if let Some(v) = e.get("value") {
            let v = object::text(v).or_else(|| v.as_bool().map(|b| b.to_string())).unwrap_or_default();
            if crate::validate::credentials::looks_secret(&name, &v).is_some() {
                f.entries.push(entry(
                    w,
                    &field,
                    Status::NotRepresentable,
                    "looks like a secret written inline: not imported; put it in a Secret and list it in `secrets`",
                ));
            } else {
                f.env.insert(name, v);
                f.entries.push(entry(w, &field, Status::Mapped, "→ env"));
            }
        } else if let Some(r) = e.pointer("/valueFrom/configMapKeyRef") {
            let (cm, key) = (str_at(r, &["name"]).unwrap_or_default(), str_at(r, &["key"]).unwrap_or_default());
            if is_binding(cm) {
                f.entries.push(entry(w, &field, Status::Replaced, "a service binding: bdc binds its services itself"));
            } else if let Some(v) = config_map(objs, cm).and_then(|o| o.at(&["data", key])).and_then(object::text) {
                f.env.insert(name, v);
                f.entries.push(entry(
                    w,
                    &field,
                    Status::Mapped,
                    format!("→ env (value of ConfigMap `{cm}` key `{key}`)"),
                ));
            } else {
                f.entries.push(entry(
                    w,
                    &field,
                    Status::NotRepresentable,
                    format!("ConfigMap `{cm}` is not in the input: add `{name}` to `env` by hand"),
                ));
            }
        } else if let Some(r) = e.pointer("/valueFrom/secretKeyRef") {
            let (s, key) = (str_at(r, &["name"]).unwrap_or_default(), str_at(r, &["key"]).unwrap_or_default());
            if is_binding(s) {
                f.entries.push(entry(
                    w,
                    &field,
                    Status::Replaced,
                    "a service's password: bdc binds its services itself",
                ));
            } else {
                push_unique(&mut f.secrets, s);
                let how = if key == name {
                    "→ secrets".to_string()
                } else {
                    format!("→ secrets; the site now reads it as `{key}` (bdc passes the whole Secret), not `{name}`")
                };
                f.entries.push(entry(w, &field, Status::Mapped, how));
            }
        } else {
            f.entries.push(entry(
                w,
                &field,
                Status::NotRepresentable,
                "a value from the pod's own fields: bdc has no equivalent",
            ));
        }
    }
    for e in c.get("envFrom").and_then(Value::as_array).into_iter().flatten() {
        if let Some(cm) = str_at(e, &["configMapRef", "name"]) {
            match config_map(objs, cm) {
                Some(o) => {
                    for (k, v) in o.at(&["data"]).and_then(Value::as_object).into_iter().flatten() {
                        f.env.insert(k.clone(), object::text(v).unwrap_or_default());
                    }
                    f.entries.push(entry(w, &format!("containers[web].envFrom[{cm}]"), Status::Mapped, "→ env"));
                }
                None => f.entries.push(entry(
                    w,
                    &format!("containers[web].envFrom[{cm}]"),
                    Status::NotRepresentable,
                    format!("ConfigMap `{cm}` is not in the input: add its keys to `env` by hand"),
                )),
            }
        } else if let Some(s) = str_at(e, &["secretRef", "name"]) {
            push_unique(&mut f.secrets, s);
            f.entries.push(entry(w, &format!("containers[web].envFrom[{s}]"), Status::Mapped, "→ secrets"));
        }
    }
}

pub fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

fn strategy(f: &mut Facts, w: &Obj, web: &[&Obj], objs: &[&Obj]) {
    if w.kind == "Rollout" {
        f.argo = true;
        f.strategy = super::around::argo_strategy(w);
        f.entries.push(entry(w, "spec.strategy", Status::Mapped, "→ strategy, backend = argo"));
        return;
    }
    let deployments: Vec<&&Obj> = web.iter().filter(|o| o.kind == "Deployment").collect();
    if deployments.len() >= 2 {
        let slots = deployments.iter().any(|o| o.name.ends_with("-blue") || o.name.ends_with("-green"));
        let preview = objs.iter().any(|o| o.kind == "Service" && o.name.ends_with("-preview"));
        f.strategy = if slots {
            Strat::BlueGreen { preview, auto_promote: false, scale_down_delay_ms: 300_000 }
        } else {
            Strat::Canary { steps: None, analysis: None }
        };
        let what = if slots { "blue/green" } else { "canary" };
        let names: Vec<&str> = deployments.iter().map(|o| o.name.as_str()).collect();
        f.entries.push(entry(
            w,
            "kind",
            Status::Replaced,
            format!(
                "{} Deployments ({}) behind one Service: a {what}; bdc makes both tracks itself",
                names.len(),
                names.join(", ")
            ),
        ));
        return;
    }
    let s = w.at(&["spec", "strategy"]);
    let min_ready = w.at(&["spec", "minReadySeconds"]).and_then(Value::as_u64).unwrap_or(0) * 1000;
    match s.and_then(|s| str_at(s, &["type"])) {
        Some("Recreate") => f.entries.push(entry(w, "spec.strategy.type", Status::Replaced, "Recreate: bdc has no Recreate; a rolling update with no pod unavailable replaces it")),
        _ if s.is_none() && min_ready == 0 => f.entries.push(entry(w, "spec.strategy", Status::Replaced, "not written (Kubernetes: 25% surge, 25% unavailable): bdc's rolling update keeps every pod serving (25% surge, none unavailable)")),
        _ => {
            let lit = |k: &str| match w.at(&["spec", "strategy", "rollingUpdate", k]) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => "25%".into(),
            };
            f.strategy = Strat::Rolling { written: Some((lit("maxSurge"), lit("maxUnavailable"), min_ready)) };
            f.entries.push(entry(w, "spec.strategy.rollingUpdate", Status::Mapped, "→ a rolling strategy"));
        }
    }
}

fn volumes(f: &mut Facts, w: &Obj, objs: &[&Obj]) {
    for v in w.pod().and_then(|p| p.get("volumes")).and_then(Value::as_array).into_iter().flatten() {
        let name = str_at(v, &["name"]).unwrap_or("?");
        let field = format!("spec.template.spec.volumes[{name}]");
        if let Some(claim) = str_at(v, &["persistentVolumeClaim", "claimName"]) {
            let size = objs
                .iter()
                .find(|o| o.kind == "PersistentVolumeClaim" && o.name == claim)
                .and_then(|o| o.at(&["spec", "resources", "requests", "storage"]))
                .and_then(object::memory_bytes);
            match size {
                Some(s) => {
                    f.storage = Some(s);
                    f.entries.push(entry(
                        w,
                        &field,
                        Status::Mapped,
                        format!("→ storage = {}", object::format_memory(s)),
                    ));
                }
                None => f.entries.push(entry(
                    w,
                    &field,
                    Status::NotRepresentable,
                    format!("claim `{claim}` is not in the input: set `storage` by hand"),
                )),
            }
        } else if v.get("emptyDir").is_some() {
            f.entries.push(entry(w, &field, Status::Replaced, "scratch space: bdc mounts its own at /tmp"));
        } else {
            f.entries.push(entry(w, &field, Status::NotRepresentable, "bdc passes configuration as environment variables, not files: move the content into `env` or `secrets`"));
        }
    }
}
