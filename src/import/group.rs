//! Grouping source objects into partners: one partner per web workload instance (its
//! namespace, or an instance label when several share one namespace or there is none), then
//! every other object attached by namespace, instance label, name or reference. What attaches
//! to no partner stays fleet-level (the report says so).

use super::object::{str_at, Obj};
use indexmap::IndexMap;
use serde_json::Value;

/// Labels that name an instance, most specific first (mixed conventions in one fleet).
pub const INSTANCE_LABELS: &[&str] = &["app.kubernetes.io/instance", "release", "app", "k8s-app", "instance"];

/// Suffixes that mark a track or slot of the same site (two Deployments of one canary).
const TRACKS: &[&str] = &["-canary", "-stable", "-blue", "-green", "-preview"];

/// What a workload runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Web,
    Postgres,
    Redis,
}

/// A workload's role from its first container's image.
pub fn role(o: &Obj) -> Option<Role> {
    if !matches!(o.kind.as_str(), "Deployment" | "Rollout" | "StatefulSet") {
        return None;
    }
    let image = o.image().unwrap_or_default();
    let base = image.rsplit('/').next().unwrap_or(image);
    let base = base.split(['@', ':']).next().unwrap_or(base);
    Some(if base.contains("postgres") || base.contains("postgis") {
        Role::Postgres
    } else if base.contains("redis") || base.contains("valkey") {
        Role::Redis
    } else {
        Role::Web
    })
}

/// The instance a workload belongs to: an instance label, else its name without a track.
pub fn instance(o: &Obj) -> String {
    let pod = |k: &str| str_at(&o.body, &["spec", "template", "metadata", "labels", k]);
    INSTANCE_LABELS
        .iter()
        .find_map(|k| o.label(k).or_else(|| pod(k)))
        .map(str::to_string)
        .unwrap_or_else(|| strip_track(&o.name).to_string())
}

pub fn strip_track(name: &str) -> &str {
    TRACKS.iter().find_map(|t| name.strip_suffix(t)).unwrap_or(name)
}

/// One partner found in the input.
#[derive(Clone, Debug)]
pub struct Group {
    pub name: String,
    pub namespace: Option<String>,
    pub instance: String,
    /// Indices into the objects, in input order; web workloads first.
    pub web: Vec<usize>,
    pub objects: Vec<usize>,
    /// Whether the partner was told apart by an instance label inside a shared namespace.
    pub shares_namespace: bool,
}

#[derive(Debug, Default)]
pub struct Grouping {
    pub partners: Vec<Group>,
    /// The namespace prefix most partners' namespaces have (`bd-`).
    pub prefix: String,
    /// Objects that belong to no partner.
    pub fleet: Vec<usize>,
}

pub fn group(objects: &[Obj]) -> Grouping {
    // Web workloads by (namespace, instance), in input order.
    let mut keys: IndexMap<(Option<String>, String), Vec<usize>> = IndexMap::new();
    for (i, o) in objects.iter().enumerate() {
        if role(o) == Some(Role::Web) && o.kind != "StatefulSet" {
            keys.entry((o.namespace.clone(), instance(o))).or_default().push(i);
        }
    }
    let mut per_namespace: IndexMap<Option<String>, usize> = IndexMap::new();
    let mut per_instance: IndexMap<&str, usize> = IndexMap::new();
    for (ns, inst) in keys.keys() {
        *per_namespace.entry(ns.clone()).or_default() += 1;
        *per_instance.entry(inst.as_str()).or_default() += 1;
    }
    let prefix = prefix(keys.keys().filter(|(_, i)| per_instance[i.as_str()] == 1));
    let mut partners: Vec<Group> = Vec::new();
    for ((ns, inst), web) in &keys {
        let alone = ns.is_some() && per_namespace[ns] == 1;
        let name = match ns {
            Some(ns) if alone && per_instance[inst.as_str()] > 1 => {
                ns.strip_prefix(prefix.as_str()).unwrap_or(ns).to_string()
            }
            _ => inst.clone(),
        };
        let mut name = name;
        let mut n = 2;
        while partners.iter().any(|p| p.name == name) {
            name = format!("{inst}-{n}");
            n += 1;
        }
        partners.push(Group {
            name,
            namespace: ns.clone(),
            instance: inst.clone(),
            web: web.clone(),
            objects: web.clone(),
            shares_namespace: ns.is_some() && !alone,
        });
    }
    let mut fleet = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        if partners.iter().any(|p| p.web.contains(&i)) {
            continue;
        }
        match attach(o, objects, &partners) {
            Some(p) => partners[p].objects.push(i),
            None => fleet.push(i),
        }
    }
    partners.sort_by(|a, b| a.name.cmp(&b.name));
    Grouping { partners, prefix, fleet }
}

/// The namespace prefix: what most namespaces have before their partner's instance name.
fn prefix<'k>(keys: impl Iterator<Item = &'k (Option<String>, String)>) -> String {
    let mut votes: IndexMap<&str, usize> = IndexMap::new();
    for (ns, inst) in keys {
        if let Some(p) = ns.as_deref().and_then(|ns| ns.strip_suffix(inst.as_str())) {
            *votes.entry(p).or_default() += 1;
        }
    }
    votes.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|(p, _)| p.to_string()).unwrap_or_default()
}

/// The partner an object belongs to.
fn attach(o: &Obj, objects: &[Obj], partners: &[Group]) -> Option<usize> {
    let same_ns = |p: &Group| p.namespace == o.namespace;
    if o.kind == "Namespace" {
        return partners.iter().position(|p| p.namespace.as_deref() == Some(o.name.as_str()));
    }
    // The only partner in its namespace.
    let mut in_ns = partners.iter().enumerate().filter(|(_, p)| same_ns(p) && p.namespace.is_some());
    if let (Some((i, _)), None) = (in_ns.next(), in_ns.next()) {
        return Some(i);
    }
    if o.namespace.is_none()
        && matches!(o.kind.as_str(), "StorageClass" | "ClusterRole" | "ClusterRoleBinding" | "ClusterIssuer")
    {
        return None;
    }
    // An instance label.
    let labelled = INSTANCE_LABELS
        .iter()
        .filter_map(|k| o.label(k))
        .find_map(|v| partners.iter().position(|p| same_ns(p) && (p.instance == v || strip_track(v) == p.instance)));
    if labelled.is_some() {
        return labelled;
    }
    // A reference: the workload an autoscaler scales, the pods a Service selects.
    if let Some(target) = str_at(&o.body, &["spec", "scaleTargetRef", "name"]) {
        if let Some(p) = partners.iter().position(|p| same_ns(p) && p.web.iter().any(|&w| objects[w].name == target)) {
            return Some(p);
        }
    }
    if let Some(Value::Object(selector)) = o.at(&["spec", "selector"]) {
        let selects = |w: &Obj| {
            !selector.is_empty()
                && selector.iter().all(|(k, v)| {
                    str_at(&w.body, &["spec", "template", "metadata", "labels", k]) == v.as_str()
                        || k == "rollout.bluedot.io/track"
                })
        };
        if let Some(p) = partners.iter().position(|p| same_ns(p) && p.web.iter().any(|&w| selects(&objects[w]))) {
            return Some(p);
        }
    }
    // The longest partner or workload name the object's name starts with.
    partners
        .iter()
        .enumerate()
        .filter(|(_, p)| same_ns(p))
        .filter_map(|(i, p)| {
            let names = std::iter::once(p.name.as_str())
                .chain(std::iter::once(p.instance.as_str()))
                .chain(p.web.iter().map(|&w| objects[w].name.as_str()));
            names
                .filter(|n| o.name == *n || o.name.strip_prefix(*n).is_some_and(|r| r.starts_with('-')))
                .map(str::len)
                .max()
                .map(|len| (len, i))
        })
        .max()
        .map(|(_, i)| i)
}
