//! The imported spec as `.bdot` text: `platform.bdot` (platform, plans, strategies),
//! `releases.bdot` and `partners.bdot`, each put through `bdc fmt`'s printer, with a comment
//! wherever import made a choice.

use super::facts::Strat;
use super::group::Role;
use super::infer::{literal, Partner, Runs, Spec};
use crate::fmt::literal::escape;
use std::fmt::Write;

fn q(s: &str) -> String {
    format!("\"{}\"", escape(s))
}

fn key(k: &str) -> String {
    let ident = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ident {
        k.to_string()
    } else {
        q(k)
    }
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "))
}

fn env_value(v: &str) -> String {
    match v {
        "true" | "false" => v.to_string(),
        _ if v.parse::<i64>().is_ok_and(|n| n.to_string() == v && n >= 0) => v.to_string(),
        _ => q(v),
    }
}

/// The three files, formatted, by file name.
pub fn files(spec: &Spec, sources: &[String]) -> Result<Vec<(String, String)>, String> {
    let texts = [
        ("platform.bdot", platform(spec, sources)),
        ("releases.bdot", releases(spec)),
        ("partners.bdot", partners(spec)),
    ];
    texts
        .into_iter()
        .map(|(name, text)| {
            crate::fmt::format_source(&text)
                .map(|t| (name.to_string(), t))
                .map_err(|e| format!("{name}: {e} (a bug in bdc import)\n{text}"))
        })
        .collect()
}

fn platform(spec: &Spec, sources: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "// Imported by `bdc import` from {}.", sources.join(", "));
    let _ = writeln!(out, "// The import report lists what was mapped, replaced by bdc's own objects, or left out.\n");
    out.push_str("import \"std/plans\"\nimport \"std/strategies\"\n\nplatform imported {\n");
    let _ = writeln!(out, "  // The registry most images came from.\n  registry = {}", q(&spec.registry));
    if !spec.prefix.is_empty() {
        let _ = writeln!(
            out,
            "  // Most namespaces were `{}<partner>`.\n  namespace_prefix = {}",
            spec.prefix,
            q(&spec.prefix)
        );
    }
    let _ = writeln!(out, "  default_target = {}", spec.target);
    if let Some(plan) = &spec.default_plan {
        let _ = writeln!(out, "  // The plan most partners ran exactly.\n  default_plan = {plan}");
    }
    if let Some(port) = spec.port {
        let _ = writeln!(out, "  port = {port}");
    }
    if let Some(path) = &spec.health_path {
        let _ = writeln!(out, "  health_path = {}", q(path));
    }
    if !spec.managed.is_empty() {
        out.push_str("  // Where the managed services' operator objects were.\n  managed {\n");
        for (target, fields) in &spec.managed {
            let items: Vec<String> = fields.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            let _ = writeln!(out, "    {target} = {{ {} }}", items.join(", "));
        }
        out.push_str("  }\n");
    }
    if !spec.labels.is_empty() {
        out.push_str("  // Labels every partner had.\n  labels {\n");
        for (k, v) in &spec.labels {
            let _ = writeln!(out, "    {} = {}", q(k), q(v));
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    for (name, r, n) in &spec.plans {
        let _ = writeln!(
            out,
            "\n// {n} partners ran this shape, which no standard plan has.\nplan {name} {{\n  cpu = {}\n  memory = {}\n  cpu_limit = {}\n  memory_limit = {}\n}}",
            literal("cpu", r.cpu),
            literal("memory", r.memory),
            literal("cpu", r.cpu_limit),
            literal("memory", r.memory_limit)
        );
    }
    for (name, s) in &spec.strategies {
        let _ = writeln!(out, "\nstrategy {name} = {}", strategy(s));
    }
    out
}

fn strategy(s: &Strat) -> String {
    use crate::check::units::{format_duration, format_percent};
    match s {
        Strat::Rolling { written } => {
            let (surge, unavailable, ready) = written.clone().unwrap_or(("25%".into(), "0".into(), 0));
            format!(
                "rolling {{\n  max_surge = {surge}\n  max_unavailable = {unavailable}\n  min_ready = {}\n}}",
                format_duration(ready)
            )
        }
        Strat::BlueGreen { preview, auto_promote, scale_down_delay_ms } => format!(
            "blue_green {{\n  preview = {preview}\n  auto_promote = {auto_promote}\n  scale_down_delay = {}\n}}",
            format_duration(*scale_down_delay_ms)
        ),
        Strat::Canary { steps, analysis } => {
            let steps: Vec<String> = steps
                .iter()
                .flatten()
                .map(|(w, ms)| format!("{} for {}", format_percent(*w), format_duration(*ms)))
                .collect();
            let analysis = analysis.as_ref().map(|a| format!("\n  analysis = {}", q(a))).unwrap_or_default();
            format!("canary {{\n  steps = [{}]{analysis}\n}}", steps.join(", "))
        }
    }
}

fn releases(spec: &Spec) -> String {
    let mut out = String::from("// One release per image the partners ran; the version most ran is `stable`.\n");
    for r in &spec.releases {
        let _ = writeln!(out, "\n// Ran by {}.", r.partners.join(", "));
        let _ = writeln!(out, "release {} {{\n  image = {}\n  channel = {}\n}}", q(&r.version), q(&r.image), r.channel);
    }
    out
}

fn partners(spec: &Spec) -> String {
    let mut out = String::from(
        "// The partners, one per site found in the input.\n\nimport \"std/plans\"\nimport \"std/strategies\"\n",
    );
    for p in &spec.partners {
        out.push('\n');
        partner(&mut out, spec, p);
    }
    out
}

fn partner(out: &mut String, spec: &Spec, p: &Partner) {
    let f = &p.facts;
    let _ = writeln!(out, "partner {} {{", q(&f.name));
    if f.domains.is_empty() {
        out.push_str("  // No Ingress, route or certificate named a host.\n");
    }
    let _ = writeln!(out, "  domains = {}", list(&f.domains));
    if let Some(plan) = &p.plan {
        if let Some(c) = &plan.comment {
            let _ = writeln!(out, "  // {c}");
        }
        if plan.overrides.is_empty() {
            if spec.default_plan.as_ref() != Some(&plan.base) {
                let _ = writeln!(out, "  plan = {}", plan.base);
            }
        } else {
            let with: Vec<String> = plan.overrides.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            let _ = writeln!(out, "  plan = {} with {{ {} }}", plan.base, with.join(", "));
        }
    }
    if let Some(c) = &p.run_comment {
        let _ = writeln!(out, "  // {c}");
    }
    match &p.runs {
        Some(Runs::Follows(ch)) => {
            let _ = writeln!(out, "  follows = {ch}");
        }
        Some(Runs::Pin(v)) => {
            let _ = writeln!(out, "  release = {}", q(v));
        }
        None => {}
    }
    if let Some((min, max)) = f.replicas {
        let _ = writeln!(out, "  replicas = {min}..{max}");
    }
    if let Some(s) = &p.strategy {
        if let Some(c) = &p.strategy_comment {
            let _ = writeln!(out, "  // {c}");
        }
        let _ = writeln!(out, "  strategy = {s}");
    }
    if f.argo {
        out.push_str("  backend = argo\n");
    }
    if let Some(t) = p.target {
        let _ = writeln!(out, "  target = {t}");
    }
    for (field, value) in
        [("team", &f.team), ("identity", &f.identity), ("static_ip", &f.static_ip), ("certificate", &f.certificate)]
    {
        if let Some(v) = value {
            let _ = writeln!(out, "  {field} = {}", q(v));
        }
    }
    if !f.env.is_empty() {
        let items: Vec<String> = f.env.iter().map(|(k, v)| format!("    {} = {}", key(k), env_value(v))).collect();
        let _ = writeln!(out, "  env {{\n{}\n  }}", items.join("\n"));
    }
    if !f.secrets.is_empty() {
        let _ = writeln!(out, "  secrets = {}", list(&f.secrets));
    }
    if !f.egress.is_empty() {
        let _ = writeln!(out, "  egress = {}", list(&f.egress));
    }
    if let Some(s) = f.storage {
        let _ = writeln!(out, "  storage = {}", literal("memory", s));
    }
    if !p.labels.is_empty() {
        let items: Vec<String> = p.labels.iter().map(|(k, v)| format!("    {} = {}", q(k), q(v))).collect();
        let _ = writeln!(out, "  labels {{\n{}\n  }}", items.join("\n"));
    }
    if !f.services.is_empty() {
        out.push_str("  services {\n");
        for s in &f.services {
            let mut fields = Vec::new();
            match s.role {
                Role::Postgres => {
                    if let Some(v) = s.version.filter(|v| *v != crate::model::defaults::POSTGRES_VERSION) {
                        fields.push(format!("version = {v}"));
                    }
                    if let Some(size) = s.size {
                        fields.push(format!("size = {}", literal("memory", size)));
                    }
                    if s.plan != "small" {
                        fields.push(format!("plan = {}", s.plan));
                    }
                }
                _ => {
                    if let Some(m) = s.memory {
                        fields.push(format!("memory = {}", literal("memory", m)));
                    }
                }
            }
            if let Some(mode) = s.mode {
                fields.push(format!("mode = {mode}"));
            }
            for (k, v) in [("host", &s.host), ("database", &s.database), ("credentials", &s.credentials)] {
                if let Some(v) = v {
                    fields.push(format!("{k} = {}", q(v)));
                }
            }
            let engine = if s.role == Role::Postgres { "postgres" } else { "redis" };
            let _ = writeln!(out, "    {} = {engine} {{ {} }}", s.name, fields.join(", "));
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
}
