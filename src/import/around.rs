//! The objects around a partner's web workload: in-cluster databases and caches (services),
//! routing (domains, the target a cloud's ingress reveals, static IP, certificates), tenancy
//! (identity, team, egress) and the objects bdc replaces with its own. Also the strategy of an
//! Argo Rollout.

use super::facts::{entry, push_unique, Facts, Strat, Svc};
use super::group::{role, Role};
use super::object::{self, str_at, Obj};
use super::report::Status;
use serde_json::Value;

pub fn services(f: &mut Facts, objs: &[&Obj]) {
    for o in objs {
        let r = match role(o) {
            Some(r @ (Role::Postgres | Role::Redis)) => r,
            _ => continue,
        };
        let engine = if r == Role::Postgres { "postgres" } else { "redis" };
        let short = [f.name.as_str(), f.namespace.as_deref().unwrap_or_default()]
            .iter()
            .find_map(|p| o.name.strip_prefix(&format!("{p}-")))
            .unwrap_or(if r == Role::Postgres { "db" } else { "cache" });
        let mut name: String =
            short.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
        if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
            name = format!("{engine}_{name}");
        }
        while f.services.iter().any(|s| s.name == name) {
            name.push('2');
        }
        let c = o.containers().first().copied().cloned().unwrap_or(Value::Null);
        let mem = c
            .pointer("/resources/requests/memory")
            .or(c.pointer("/resources/limits/memory"))
            .and_then(object::memory_bytes);
        let size = o
            .at(&["spec", "volumeClaimTemplates"])
            .and_then(|v| v.pointer("/0/spec/resources/requests/storage"))
            .and_then(object::memory_bytes);
        let tag = o.image().and_then(|i| i.split('@').next()).and_then(|i| i.rsplit_once(':')).map(|(_, t)| t);
        let major = tag.and_then(|t| t.split(['.', '-']).next()).and_then(|m| m.parse::<i64>().ok());
        let svc = match r {
            Role::Postgres => {
                let version = major.filter(|v| (13..=17).contains(v));
                if major.is_some() && version.is_none() {
                    f.entries.push(entry(
                        o,
                        "image",
                        Status::NotRepresentable,
                        format!(
                            "PostgreSQL {} is outside bdc's 13..17: written as 16; migrate the data first",
                            major.unwrap_or_default()
                        ),
                    ));
                }
                let plan = match mem {
                    Some(m) if m >= 4 << 30 => "large",
                    Some(m) if m >= 1 << 30 => "medium",
                    _ => "small",
                };
                Svc {
                    name: name.clone(),
                    role: r,
                    version,
                    size,
                    memory: None,
                    plan,
                    mode: None,
                    host: None,
                    database: None,
                    binding: None,
                    credentials: None,
                }
            }
            _ => {
                let arg = c.get("args").and_then(Value::as_array).and_then(|a| {
                    let i = a.iter().position(|v| v.as_str() == Some("--maxmemory"))?;
                    a.get(i + 1).and_then(Value::as_str)?.parse::<u64>().ok()
                });
                Svc {
                    name: name.clone(),
                    role: r,
                    version: None,
                    size: None,
                    memory: mem.or(arg.map(|b| b * 5 / 4)),
                    plan: "small",
                    mode: None,
                    host: None,
                    database: None,
                    binding: None,
                    credentials: None,
                }
            }
        };
        f.entries.push(entry(
            o,
            "spec",
            Status::Mapped,
            format!("→ services.{name} = {engine} {{ … }} (in the cluster)"),
        ));
        if o.kind != "StatefulSet" {
            f.entries.push(entry(
                o,
                "kind",
                Status::Replaced,
                "a database in a Deployment: bdc runs it as a StatefulSet with its own volume",
            ));
        }
        f.services.push(svc);
    }
    bindings(f, objs);
}

/// Services the site reaches through a binding (`DB_HOST` from a ConfigMap's `host`) that do
/// not run in its namespace: the cloud's (an operator's object of the binding's name is there)
/// or an existing endpoint.
fn bindings(f: &mut Facts, objs: &[&Obj]) {
    let Some(web) = objs.iter().find(|o| role(o) == Some(Role::Web)) else { return };
    let Some(c) = super::facts::web_container(web) else { return };
    let env: Vec<&Value> = c.get("env").and_then(Value::as_array).into_iter().flatten().collect();
    let from = |var: &str, kind: &str| {
        env.iter()
            .find(|e| str_at(e, &["name"]) == Some(var))
            .and_then(|e| e.pointer(&format!("/valueFrom/{kind}")))
            .and_then(|r| str_at(r, &["name"]))
            .map(str::to_string)
    };
    for e in &env {
        let Some(var) = str_at(e, &["name"]) else { continue };
        let Some(prefix) = var.strip_suffix("_HOST") else { continue };
        if str_at(e, &["valueFrom", "configMapKeyRef", "key"]) != Some("host") {
            continue;
        }
        let Some(cm) = str_at(e, &["valueFrom", "configMapKeyRef", "name"]) else { continue };
        if objs.iter().any(|o| o.kind == "StatefulSet" && o.name == cm) {
            continue;
        }
        let data = objs.iter().find(|o| o.kind == "ConfigMap" && o.name == cm);
        let get = |k: &str| data.and_then(|d| d.at(&["data", k])).and_then(object::text);
        let component = data.and_then(|d| d.label("app.kubernetes.io/component"));
        let postgres =
            component == Some("postgres") || get("port").as_deref() == Some("5432") || get("database").is_some();
        // The operator's object carries the service's name; its endpoint may be exported into
        // a ConfigMap of its own (`<name>-endpoint`).
        let base = cm.strip_suffix("-endpoint").unwrap_or(cm);
        let operator = objs.iter().find(|o| o.name == base && !super::read::KNOWN.contains(&o.kind.as_str()));
        if let Some(o) = operator {
            account(f, o);
        }
        let managed = operator.is_some();
        let name = prefix.to_ascii_lowercase();
        let default_credentials = format!("{}-{name}-credentials", f.name);
        let credentials = from(&format!("{prefix}_PASSWORD"), "secretKeyRef").filter(|s| *s != default_credentials);
        let database = get("database").filter(|d| *d != name);
        f.entries.push(entry(
            web,
            &format!("containers[web].env[{var}]"),
            Status::Mapped,
            format!(
                "→ services.{name} ({}, bound through ConfigMap `{cm}`)",
                if managed { "managed by the cloud" } else { "external" }
            ),
        ));
        f.services.push(Svc {
            name,
            role: if postgres { Role::Postgres } else { Role::Redis },
            version: None,
            size: None,
            memory: None,
            plan: "small",
            mode: Some(if managed { "managed" } else { "external" }),
            host: if managed { None } else { get("host") },
            database: if managed { None } else { database },
            binding: Some(cm.to_string()),
            credentials,
        });
    }
}

/// The platform's `managed` settings an operator's object shows (the cloud account it is in).
fn account(f: &mut Facts, o: &Obj) {
    let (target, fields): (&'static str, Vec<(&'static str, Option<String>)>) = if o.api_version.contains("k8s.aws") {
        let groups = ["vpcSecurityGroupIDs", "securityGroupIDs"]
            .iter()
            .find_map(|k| o.at(&["spec", k]))
            .and_then(Value::as_array);
        let groups = groups.map(|g| {
            let items: Vec<String> = g.iter().filter_map(Value::as_str).map(|s| format!("\"{s}\"")).collect();
            format!("[{}]", items.join(", "))
        });
        let quoted = |k: &str| str_at(&o.body, &["spec", k]).map(|v| format!("\"{v}\""));
        (
            "eks",
            vec![
                ("db_subnet_group", quoted("dbSubnetGroupName")),
                ("cache_subnet_group", quoted("cacheSubnetGroupName")),
                ("security_groups", groups),
            ],
        )
    } else if o.api_version.contains("cnrm.cloud.google.com") {
        let project = o.annotation("cnrm.cloud.google.com/project-id").map(|v| format!("\"{v}\""));
        (
            "gke",
            vec![("project", project), ("region", str_at(&o.body, &["spec", "region"]).map(|v| format!("\"{v}\"")))],
        )
    } else if o.api_version.contains("azure.com") {
        let group = str_at(&o.body, &["spec", "owner", "name"]).map(|v| format!("\"{v}\""));
        (
            "aks",
            vec![
                ("resource_group", group),
                ("region", str_at(&o.body, &["spec", "location"]).map(|v| format!("\"{v}\""))),
            ],
        )
    } else {
        return;
    };
    let account = f.managed.entry(target).or_default();
    for (k, v) in fields {
        if let Some(v) = v {
            account.entry(k).or_insert(v);
        }
    }
}

pub fn argo_strategy(w: &Obj) -> Strat {
    if let Some(bg) = w.at(&["spec", "strategy", "blueGreen"]) {
        return Strat::BlueGreen {
            preview: bg.get("previewService").is_some(),
            auto_promote: bg.get("autoPromotionEnabled").and_then(Value::as_bool).unwrap_or(true),
            scale_down_delay_ms: bg.get("scaleDownDelaySeconds").and_then(Value::as_u64).unwrap_or(30) * 1000,
        };
    }
    let canary = w.at(&["spec", "strategy", "canary"]);
    let mut steps = Vec::new();
    for s in canary.and_then(|c| c.get("steps")).and_then(Value::as_array).into_iter().flatten() {
        if let Some(weight) = s.get("setWeight").and_then(Value::as_u64) {
            steps.push(((weight.min(100) * 100) as u32, 0));
        } else if let Some(d) = s.pointer("/pause/duration").and_then(object::seconds_ms) {
            if let Some(last) = steps.last_mut() {
                last.1 = d;
            }
        }
    }
    let analysis = canary
        .and_then(|c| c.pointer("/analysis/templates/0/templateName"))
        .and_then(Value::as_str)
        .map(str::to_string);
    Strat::Canary { steps: (!steps.is_empty()).then_some(steps), analysis }
}

pub fn routing(f: &mut Facts, objs: &[&Obj]) {
    for o in objs {
        let hosts: Vec<&str> = match o.kind.as_str() {
            "Ingress" => {
                let rules = o
                    .at(&["spec", "rules"])
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|r| str_at(r, &["host"]));
                let tls = o.at(&["spec", "tls"]).and_then(Value::as_array).into_iter().flatten();
                let tls = tls.flat_map(|t| {
                    t.get("hosts").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
                });
                rules.chain(tls).collect()
            }
            "HTTPRoute" => strings(o, &["spec", "hostnames"]),
            "ManagedCertificate" => strings(o, &["spec", "domains"]),
            "Certificate" => strings(o, &["spec", "dnsNames"]),
            _ => continue,
        };
        for h in &hosts {
            push_unique(&mut f.domains, h);
        }
        f.entries.push(entry(o, "hosts", Status::Mapped, format!("→ domains ({})", hosts.join(", "))));
        let class = o.annotation("kubernetes.io/ingress.class").or(str_at(&o.body, &["spec", "ingressClassName"]));
        let target = match (o.kind.as_str(), class) {
            ("ManagedCertificate", _) | (_, Some("gce" | "gce-internal")) => Some("gke"),
            (_, Some("alb")) => Some("eks"),
            (_, Some(c)) if c.contains("azure") => Some("aks"),
            ("HTTPRoute", _) => Some("k8s"),
            _ => None,
        };
        if target.is_some() && f.target.is_none() {
            f.target = target;
            f.entries.push(entry(
                o,
                "ingress class",
                Status::Mapped,
                format!("→ target {}", target.unwrap_or_default()),
            ));
        }
        if let Some(ip) = o.annotation("kubernetes.io/ingress.global-static-ip-name") {
            f.static_ip = Some(ip.into());
        }
        if let Some(c) = o
            .annotation("alb.ingress.kubernetes.io/certificate-arn")
            .or(o.annotation("kubernetes.azure.com/tls-cert-keyvault-uri"))
        {
            f.certificate = Some(c.into());
        }
    }
}

fn strings<'o>(o: &'o Obj, path: &[&str]) -> Vec<&'o str> {
    o.at(path).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

const IDENTITY: &[&str] =
    &["iam.gke.io/gcp-service-account", "eks.amazonaws.com/role-arn", "azure.workload.identity/client-id"];

pub fn tenancy(f: &mut Facts, objs: &[&Obj]) {
    for o in objs {
        let (status, detail): (Status, String) = match o.kind.as_str() {
            "Deployment"
            | "Rollout"
            | "StatefulSet"
            | "HorizontalPodAutoscaler"
            | "Ingress"
            | "HTTPRoute"
            | "ManagedCertificate"
            | "Certificate" => continue,
            "ServiceAccount" => {
                if let Some(id) = IDENTITY.iter().find_map(|k| o.annotation(k)) {
                    f.identity = Some(id.into());
                    f.entries.push(entry(o, "metadata.annotations", Status::Mapped, "→ identity"));
                }
                (Status::Replaced, "bdc makes the partner's service account (no token mounted)".into())
            }
            "RoleBinding" => {
                let group = o
                    .at(&["subjects"])
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|s| str_at(s, &["kind"]) == Some("Group"));
                if let Some(team) = group.and_then(|s| str_at(s, &["name"])) {
                    f.team.get_or_insert_with(|| team.to_string());
                    f.entries.push(entry(o, "subjects[Group]", Status::Mapped, format!("→ team = \"{team}\"")));
                }
                (Status::Replaced, "bdc binds the team to its own namespace-scoped role".into())
            }
            "NetworkPolicy" => {
                egress(f, o);
                (Status::Replaced, "bdc's default-deny policy with ingress from the router, DNS, and `egress`".into())
            }
            "ConfigMap" => (
                Status::Replaced,
                "its keys reach `env` where the web container reads them; bdc writes its own ConfigMap".into(),
            ),
            "Secret" => (
                Status::Replaced,
                "the name is kept in `secrets` where it is read; its values are never imported".into(),
            ),
            "Service" => (Status::Replaced, "bdc makes the partner's Service (port 80 → http) and its tracks".into()),
            "Namespace" => (Status::Replaced, "bdc makes the namespace with Pod Security `restricted` labels".into()),
            "ResourceQuota" => (Status::Replaced, "bdc computes the quota from plan, replicas and surge".into()),
            "LimitRange" => (Status::Replaced, "bdc sets the limit range from the plan".into()),
            "PodDisruptionBudget" => (Status::Replaced, "bdc keeps a disruption budget of one pod".into()),
            "PersistentVolumeClaim" => {
                (Status::Replaced, "bdc makes the claim from `storage` or the service's size".into())
            }
            "Role" => (Status::Replaced, "bdc makes the team's role".into()),
            "ReferenceGrant" | "StorageClass" => (Status::Replaced, "bdc makes it where its target needs it".into()),
            k if super::read::known(k) => {
                (Status::Replaced, "bdc makes it for the partner's target and services".into())
            }
            _ => (
                Status::NotRepresentable,
                "bdc has no equivalent for this kind: keep applying it beside bdc's output".into(),
            ),
        };
        f.entries.push(entry(o, "*", status, detail));
    }
}

fn egress(f: &mut Facts, o: &Obj) {
    for rule in o.at(&["spec", "egress"]).and_then(Value::as_array).into_iter().flatten() {
        let ports: Vec<u64> = rule
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| p.get("port").and_then(Value::as_u64))
            .collect();
        if ports.contains(&53) {
            continue;
        }
        for to in rule.get("to").and_then(Value::as_array).into_iter().flatten() {
            let Some(cidr) = str_at(to, &["ipBlock", "cidr"]) else { continue };
            if ports.is_empty() {
                push_unique(&mut f.egress, cidr);
            }
            for p in &ports {
                push_unique(&mut f.egress, &format!("{cidr}:{p}"));
            }
            f.entries.push(entry(o, "spec.egress", Status::Mapped, format!("→ egress {cidr}")));
        }
    }
}
