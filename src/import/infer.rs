//! Fleet-wide choices from every partner's facts: the platform (registry, namespace prefix,
//! target, port, common labels), the plans (the few resource shapes most partners share, the
//! rest as `with { … }` overrides), the releases (one per image; the version most partners run
//! is `stable`, newer ones `beta`, the rest pinned) and the strategies. Each choice keeps the
//! comment the spec shows and the drift it found.

use super::facts::{Facts, Res, Strat};
use crate::model::compare_versions;
use indexmap::IndexMap;

/// The standard library's plans (`std/plans`), which imported shapes are matched against.
pub const STD_PLANS: &[(&str, Res)] = &[
    ("plans.small", Res { cpu: 250, memory: 512 << 20, cpu_limit: 500, memory_limit: 1 << 30 }),
    ("plans.medium", Res { cpu: 500, memory: 1 << 30, cpu_limit: 1000, memory_limit: 2 << 30 }),
    ("plans.large", Res { cpu: 1000, memory: 2 << 30, cpu_limit: 2000, memory_limit: 4 << 30 }),
];

/// A plan a partner uses: its base (`plans.small` or a declared one) and overrides.
#[derive(Clone, Debug)]
pub struct PlanUse {
    pub base: String,
    pub overrides: Vec<(&'static str, String)>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Release {
    pub version: String,
    /// The image as the spec writes it (relative to the platform registry when it can be).
    pub image: String,
    pub full: String,
    pub channel: &'static str,
    pub partners: Vec<String>,
}

#[derive(Clone, Debug)]
pub enum Runs {
    Follows(&'static str),
    Pin(String),
}

#[derive(Clone, Debug)]
pub struct Partner {
    pub facts: Facts,
    pub plan: Option<PlanUse>,
    pub runs: Option<Runs>,
    pub run_comment: Option<String>,
    pub strategy: Option<String>,
    pub strategy_comment: Option<String>,
    pub target: Option<&'static str>,
    pub labels: IndexMap<String, String>,
}

#[derive(Clone, Debug, Default)]
pub struct Spec {
    pub registry: String,
    pub prefix: String,
    pub target: &'static str,
    pub port: Option<u16>,
    pub health_path: Option<String>,
    pub labels: IndexMap<String, String>,
    pub default_plan: Option<String>,
    pub plans: Vec<(String, Res, usize)>,
    pub releases: Vec<Release>,
    pub strategies: Vec<(String, Strat)>,
    pub partners: Vec<Partner>,
    pub drift: Vec<String>,
    /// `platform.managed`, merged from every partner's managed services.
    pub managed: IndexMap<&'static str, IndexMap<&'static str, String>>,
}

/// The most common value (ties: the first seen).
fn most<T: Clone + PartialEq>(items: impl Iterator<Item = T>) -> Option<(T, usize)> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for x in items {
        match counts.iter_mut().find(|(y, _)| *y == x) {
            Some((_, n)) => *n += 1,
            None => counts.push((x, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == best)
}

pub fn infer(facts: Vec<Facts>, prefix: String) -> Spec {
    let mut spec = Spec { prefix, ..Spec::default() };
    spec.target = most(facts.iter().filter_map(|f| f.target)).map_or("k8s", |(t, _)| t);
    spec.port = most(facts.iter().filter_map(|f| f.port)).map(|(p, _)| p);
    spec.health_path = most(facts.iter().filter_map(|f| f.health_path.clone())).map(|(p, _)| p);
    for f in &facts {
        for (target, fields) in &f.managed {
            let account = spec.managed.entry(*target).or_default();
            for (k, v) in fields {
                account.entry(*k).or_insert_with(|| v.clone());
            }
        }
    }
    for f in &facts {
        if f.port.is_some_and(|p| Some(p) != spec.port) {
            spec.drift.push(format!("partner `{}` listens on port {}, the others on {}: bdc has one port per platform (not representable per partner)", f.name, f.port.unwrap_or_default(), spec.port.unwrap_or_default()));
        }
        if f.health_path.is_some() && f.health_path != spec.health_path {
            spec.drift.push(format!(
                "partner `{}` is probed on `{}`, the others on `{}`: bdc has one health path per platform",
                f.name,
                f.health_path.as_deref().unwrap_or_default(),
                spec.health_path.as_deref().unwrap_or_default()
            ));
        }
    }
    // Labels every partner has with the same value belong to the platform.
    if let Some(first) = facts.first() {
        for (k, v) in &first.labels {
            if facts.iter().all(|f| f.labels.get(k) == Some(v)) {
                spec.labels.insert(k.clone(), v.clone());
            }
        }
    }
    plans(&mut spec, &facts);
    releases(&mut spec, &facts);
    let plans = std::mem::take(&mut spec.partners);
    for (f, mut p) in facts.into_iter().zip(plans) {
        p.labels = f
            .labels
            .iter()
            .filter(|(k, _)| !spec.labels.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        p.target = f.target.filter(|t| *t != spec.target);
        p.facts = f;
        strategy(&mut spec, &mut p);
        spec.partners.push(p);
    }
    spec
}

fn fields(r: &Res) -> [(&'static str, u64); 4] {
    [("cpu", r.cpu), ("memory", r.memory), ("cpu_limit", r.cpu_limit), ("memory_limit", r.memory_limit)]
}

pub fn literal(field: &str, v: u64) -> String {
    if field.starts_with("cpu") {
        crate::check::units::format_cpu(v)
    } else {
        super::object::format_memory(v)
    }
}

fn plan_name(r: &Res) -> String {
    format!("site_{}_{}", literal("cpu", r.cpu), literal("memory", r.memory)).to_lowercase()
}

fn plans(spec: &mut Spec, facts: &[Facts]) {
    // Shapes two or more partners share (and no standard plan has) become declared plans.
    let mut shapes: Vec<(Res, usize)> = Vec::new();
    for r in facts.iter().filter_map(|f| f.resources) {
        match shapes.iter_mut().find(|(s, _)| *s == r) {
            Some((_, n)) => *n += 1,
            None => shapes.push((r, 1)),
        }
    }
    // A shape one field away from a standard plan stays an override of it: the comment then
    // says how many partners used the value.
    let distance = |r: &Res| {
        STD_PLANS
            .iter()
            .map(|(_, s)| fields(s).iter().zip(fields(r)).filter(|(x, y)| x.1 != y.1).count())
            .min()
            .unwrap_or(4)
    };
    for (r, n) in &shapes {
        if *n >= 2 && distance(r) >= 2 {
            spec.plans.push((plan_name(r), *r, *n));
        }
    }
    let bases: Vec<(String, Res)> = STD_PLANS
        .iter()
        .map(|(n, r)| (n.to_string(), *r))
        .chain(spec.plans.iter().map(|(n, r, _)| (n.clone(), *r)))
        .collect();
    // How many partners use each overriding value, for the comments.
    let mut uses: IndexMap<(&'static str, u64), usize> = IndexMap::new();
    let mut chosen = Vec::new();
    for f in facts {
        let Some(r) = f.resources else {
            chosen.push(None);
            continue;
        };
        let (base, b) = bases
            .iter()
            .min_by_key(|(_, b)| fields(b).iter().zip(fields(&r)).filter(|(x, y)| x.1 != y.1).count())
            .expect("the standard plans are bases");
        let overrides: Vec<(&'static str, u64)> =
            fields(&r).iter().zip(fields(b)).filter(|(x, y)| x.1 != y.1).map(|(x, _)| *x).collect();
        for o in &overrides {
            *uses.entry(*o).or_default() += 1;
        }
        chosen.push(Some((base.clone(), overrides)));
    }
    spec.default_plan =
        most(chosen.iter().flatten().filter(|(_, o)| o.is_empty()).map(|(b, _)| b.clone())).map(|(b, _)| b);
    for (f, c) in facts.iter().zip(chosen) {
        let plan = c.map(|(base, overrides)| {
            let comment = (!overrides.is_empty()).then(|| {
                let parts: Vec<String> = overrides
                    .iter()
                    .map(|(k, v)| match uses[&(*k, *v)] {
                        1 => format!("only this partner has {k} = {}", literal(k, *v)),
                        n => format!("{n} partners used {k} = {}", literal(k, *v)),
                    })
                    .collect();
                format!("{}; kept as an override of {base}", parts.join(", "))
            });
            if let Some(c) = &comment {
                spec.drift.push(format!("partner `{}`: {c}", f.name));
            }
            PlanUse { base, overrides: overrides.iter().map(|(k, v)| (*k, literal(k, *v))).collect(), comment }
        });
        spec.partners.push(Partner {
            facts: f.clone(),
            plan,
            runs: None,
            run_comment: None,
            strategy: None,
            strategy_comment: None,
            target: None,
            labels: IndexMap::new(),
        });
    }
}

/// `registry/path` and `name:tag@digest` of an image.
fn split_image(image: &str) -> (&str, &str) {
    image.rsplit_once('/').unwrap_or(("", image))
}

fn version_of(f: &Facts, image: &str) -> String {
    if let Some(v) = &f.version {
        return v.clone();
    }
    let name = split_image(image).1;
    let (name, digest) = name.split_once('@').unwrap_or((name, ""));
    match name.split_once(':') {
        Some((_, tag)) if tag != "latest" => tag.to_string(),
        _ if !digest.is_empty() => format!("sha-{}", &digest.trim_start_matches("sha256:")[..12.min(digest.len() - 7)]),
        _ => "0.0.0".into(),
    }
}

fn releases(spec: &mut Spec, facts: &[Facts]) {
    spec.registry = most(
        facts.iter().filter_map(|f| f.image.as_deref()).map(|i| split_image(i).0.to_string()).filter(|r| !r.is_empty()),
    )
    .map_or_else(|| "docker.io/library".to_string(), |(r, _)| r);
    let mut releases: Vec<Release> = Vec::new();
    for f in facts {
        let Some(full) = &f.image else { continue };
        if let Some(r) = releases.iter_mut().find(|r| &r.full == full) {
            r.partners.push(f.name.clone());
            continue;
        }
        let mut version = version_of(f, full);
        if releases.iter().any(|r| r.version == version) {
            let digest = full.split_once("@sha256:").map(|(_, d)| d.chars().take(12).collect::<String>());
            let other = format!("{version}-{}", digest.map_or_else(|| "2".to_string(), |d| format!("sha.{d}")));
            spec.drift.push(format!("two images claim version {version}: the second ({full}) is release \"{other}\""));
            version = other;
        }
        let (registry, name) = split_image(full);
        let image = if registry == spec.registry {
            name.to_string()
        } else if crate::check::shapes::has_registry(full) {
            full.clone()
        } else if registry.is_empty() {
            format!("docker.io/library/{full}")
        } else {
            format!("docker.io/{full}")
        };
        releases.push(Release {
            version,
            image,
            full: full.clone(),
            channel: "stable",
            partners: vec![f.name.clone()],
        });
    }
    releases.sort_by(|a, b| compare_versions(&a.version, &b.version));
    let main = releases
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.partners.len().cmp(&b.1.partners.len()).then(a.0.cmp(&b.0)))
        .map(|(i, _)| i);
    let Some(main) = main else { return };
    for (i, r) in releases.iter_mut().enumerate() {
        r.channel = if i > main { "beta" } else { "stable" };
    }
    let newest_beta = (releases.len() - 1 > main).then(|| releases.len() - 1);
    for p in spec.partners.iter_mut() {
        let Some(i) = releases.iter().position(|r| r.partners.contains(&p.facts.name)) else { continue };
        let r = &releases[i];
        if i == main {
            p.runs = Some(Runs::Follows("stable"));
        } else if Some(i) == newest_beta {
            p.runs = Some(Runs::Follows("beta"));
            p.run_comment =
                Some(format!("runs {}, newer than most partners' {}: follows beta", r.version, releases[main].version));
        } else {
            p.runs = Some(Runs::Pin(r.version.clone()));
            p.run_comment =
                Some(format!("ran {} while most partners ran {}: pinned", r.version, releases[main].version));
            spec.drift.push(format!(
                "partner `{}` runs {}, most partners {}",
                p.facts.name, r.version, releases[main].version
            ));
        }
    }
    spec.releases = releases;
}

const STD_CANARY: &[(u32, u64)] = &[(1000, 600_000), (2500, 600_000), (5000, 1_800_000), (10000, 0)];

fn strategy(spec: &mut Spec, p: &mut Partner) {
    let s = &p.facts.strategy;
    let (expr, comment) = match s {
        Strat::Rolling { written: None } => return,
        Strat::Rolling { written: Some((surge, unavailable, ready)) } => {
            match (surge.as_str(), unavailable.as_str(), *ready) {
                ("25%", "0", 0) => return,
                ("25%", "0", 10_000) => ("strategies.rolling".to_string(), None),
                _ => (declare(spec, "rolling", s), None),
            }
        }
        Strat::BlueGreen { preview: true, auto_promote: false, scale_down_delay_ms: 300_000 } => {
            ("strategies.blue_green".into(), None)
        }
        Strat::BlueGreen { .. } => (declare(spec, "blue_green", s), None),
        Strat::Canary { steps: None, .. } => (
            "strategies.canary".into(),
            Some("a canary of two Deployments: its steps are not in the YAML, so the standard canary's".to_string()),
        ),
        Strat::Canary { steps: Some(steps), analysis: None } if steps.as_slice() == STD_CANARY => {
            ("strategies.canary".into(), None)
        }
        Strat::Canary { .. } => (declare(spec, "canary", s), None),
    };
    p.strategy = Some(expr);
    p.strategy_comment = comment;
}

fn declare(spec: &mut Spec, kind: &str, s: &Strat) -> String {
    if let Some((name, _)) = spec.strategies.iter().find(|(_, t)| t == s) {
        return name.clone();
    }
    let n = spec.strategies.iter().filter(|(name, _)| name.starts_with(kind)).count();
    let name = if n == 0 { format!("{kind}_imported") } else { format!("{kind}_imported_{}", n + 1) };
    spec.strategies.push((name.clone(), s.clone()));
    name
}
