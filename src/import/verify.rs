//! The equivalence check: the imported spec is compiled and lowered the way `bdc emit` does,
//! its objects are read back with the same readers as the source, and each partner's facts are
//! compared field by field after normalisation (`0.5` = `500m`, `1Gi` = `1024Mi`, env through
//! ConfigMaps, sets where order means nothing): equal, added by bdc's defaults, or changed.

use super::facts::{self, Facts, Strat};
use super::group;
use super::object::{self, Obj};
use super::report::{Compared, Field, Verification};
use crate::load::MemoryLoader;
use crate::lower::Lowering;
use std::path::PathBuf;

/// The imported files compiled: the compilation (for its diagnostics and fleet) and the
/// emitted objects read back as source objects.
pub struct Emitted {
    pub compilation: crate::Compilation,
    pub objects: Vec<Obj>,
}

pub fn compile(files: &[(String, String)]) -> Result<crate::Compilation, String> {
    let mut loader = MemoryLoader::default();
    let mut roots = Vec::new();
    for (name, text) in files {
        loader = loader.with(name, text);
        roots.push(PathBuf::from(name));
    }
    crate::compile(&roots, &loader).map_err(|e| format!("cannot read {}", e.path.display()))
}

pub fn emit(files: &[(String, String)]) -> Result<Emitted, String> {
    let compilation = compile(files)?;
    let mut objects = Vec::new();
    if !compilation.diagnostics.has_errors() {
        if let Some(lw) = Lowering::new(&compilation.fleet) {
            for p in &compilation.fleet.partners {
                let at = lw.place(p, None)?;
                for o in lw.partner_objects(&at) {
                    let body = serde_json::to_value(&o).map_err(|e| e.to_string())?;
                    objects.push(Obj {
                        kind: o.kind().to_string(),
                        api_version: o.api_version().to_string(),
                        name: o.name().to_string(),
                        namespace: o.namespace().map(str::to_string),
                        body,
                        span: crate::source::Span::default(),
                        origin: "bdc emit".into(),
                    });
                }
            }
        }
    }
    Ok(Emitted { compilation, objects })
}

/// Facts of the emitted objects, by partner name.
pub fn facts_of(objects: &[Obj]) -> Vec<Facts> {
    let g = group::group(objects);
    g.partners.iter().map(|p| facts::read(p, objects)).collect()
}

fn set(items: &[String]) -> String {
    let mut v = items.to_vec();
    v.sort();
    v.join(", ")
}

fn strat(f: &Facts) -> String {
    let kind = match &f.strategy {
        Strat::Rolling { .. } => "rolling".to_string(),
        Strat::BlueGreen { auto_promote, .. } => format!("blue/green (auto promote {auto_promote})"),
        Strat::Canary { steps: Some(s), .. } => {
            let steps: Vec<String> = s
                .iter()
                .map(|(w, ms)| format!("{}% for {}", w / 100, crate::check::units::format_duration(*ms)))
                .collect();
            format!("canary [{}]", steps.join(", "))
        }
        Strat::Canary { steps: None, .. } => "canary".into(),
    };
    if f.argo {
        format!("{kind}, argo")
    } else {
        kind
    }
}

/// Compares a source partner with what the spec emits for it.
pub fn compare(source: &Facts, emitted: Option<&Facts>) -> Verification {
    let Some(e) = emitted else {
        return Verification {
            fields: vec![Field {
                field: "partner".into(),
                compared: Compared::Changed { from: source.name.clone(), to: "not emitted".into() },
            }],
            score: 0,
        };
    };
    let opt = |v: Option<String>| v.filter(|s| !s.is_empty());
    let res = |f: &Facts, pick: fn(&facts::Res) -> u64, field: &str| {
        f.resources.map(|r| super::infer::literal(field, pick(&r)))
    };
    let env = |f: &Facts| {
        let mut v: Vec<String> = f.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        v.sort();
        v.join(", ")
    };
    let services = |f: &Facts| {
        let v: Vec<String> = f
            .services
            .iter()
            .map(|s| {
                format!(
                    "{}: {:?} {} {}",
                    s.name,
                    s.role,
                    s.mode.unwrap_or("in cluster"),
                    s.size.or(s.memory).map(object::format_memory).or(s.host.clone()).unwrap_or_default()
                )
            })
            .collect();
        set(&v)
    };
    let rows: Vec<(&str, Option<String>, Option<String>)> = vec![
        ("namespace", source.namespace.clone(), e.namespace.clone()),
        ("domains", opt(Some(set(&source.domains))), opt(Some(set(&e.domains)))),
        ("image", source.image.clone(), e.image.clone()),
        ("replicas", source.replicas.map(|(a, b)| format!("{a}..{b}")), e.replicas.map(|(a, b)| format!("{a}..{b}"))),
        ("cpu", res(source, |r| r.cpu, "cpu"), res(e, |r| r.cpu, "cpu")),
        ("memory", res(source, |r| r.memory, "memory"), res(e, |r| r.memory, "memory")),
        ("cpu_limit", res(source, |r| r.cpu_limit, "cpu"), res(e, |r| r.cpu_limit, "cpu")),
        ("memory_limit", res(source, |r| r.memory_limit, "memory"), res(e, |r| r.memory_limit, "memory")),
        ("env", opt(Some(env(source))), opt(Some(env(e)))),
        ("secrets", opt(Some(set(&source.secrets))), opt(Some(set(&e.secrets)))),
        ("strategy", Some(strat(source)), Some(strat(e))),
        ("services", opt(Some(services(source))), opt(Some(services(e)))),
        ("storage", source.storage.map(object::format_memory), e.storage.map(object::format_memory)),
        ("egress", opt(Some(set(&source.egress))), opt(Some(set(&e.egress)))),
        ("identity", source.identity.clone(), e.identity.clone()),
        ("team", source.team.clone(), e.team.clone()),
        ("static_ip", source.static_ip.clone(), e.static_ip.clone()),
        ("certificate", source.certificate.clone(), e.certificate.clone()),
        ("port", source.port.map(|p| p.to_string()), e.port.map(|p| p.to_string())),
        ("health_path", source.health_path.clone(), e.health_path.clone()),
        ("target", source.target.map(str::to_string), e.target.map(str::to_string)),
    ];
    let mut fields = Vec::new();
    for (field, from, to) in rows {
        let compared = match (from, to) {
            (None, None) => continue,
            (None, Some(v)) => Compared::Added { value: v },
            (Some(a), Some(b)) if a == b => Compared::Equal { value: a },
            (Some(a), b) => Compared::Changed { from: a, to: b.unwrap_or_else(|| "none".into()) },
        };
        fields.push(Field { field: field.into(), compared });
    }
    let had = fields.iter().filter(|f| !matches!(f.compared, Compared::Added { .. })).count().max(1);
    let equal = fields.iter().filter(|f| matches!(f.compared, Compared::Equal { .. })).count();
    Verification { score: (equal * 100 / had) as u32, fields }
}
