//! `bdc plan [PATH…] --release R [-o text|json]`: the release train of `R` — each wave,
//! its partners with the version each moves from and to and the strategy it moves with, and the
//! partners left out and why.

use super::report;
use super::{Global, Output};
use crate::check::units::format_duration;
use crate::lower::Lowering;
use crate::model::{Backend, Partner, StrategyTag};
use crate::train;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc plan examples/mediasphere --release 2.5.0           waves, partners, versions, strategies
  bdc plan examples/mediasphere --release 2.5.0 -o json   the same as one JSON object")]
pub struct Args {
    /// Spec files or directories (searched recursively for `.bdot` files; default `.`); `-`
    /// reads a spec from standard input.
    paths: Vec<PathBuf>,
    /// The release whose train to show, e.g. `2.5.0`.
    #[arg(long)]
    release: String,
    /// `text` for people; `json`: one object with the release, its waves and the partners
    /// left out.
    #[arg(short = 'o', long = "output", visible_alias = "format", value_enum, default_value_t = Output::Text)]
    format: Output,
}

#[derive(serde::Serialize)]
struct JsonPlan<'a> {
    release: &'a str,
    channel: &'a str,
    waves: Vec<JsonWave<'a>>,
    left_out: Vec<JsonLeftOut<'a>>,
}

#[derive(serde::Serialize)]
struct JsonWave<'a> {
    name: &'a str,
    soak_seconds: u64,
    partners: Vec<JsonMove<'a>>,
}

#[derive(serde::Serialize)]
struct JsonMove<'a> {
    partner: &'a str,
    from: Option<&'a str>,
    to: &'a str,
    strategy: String,
    backend: Backend,
}

#[derive(serde::Serialize)]
struct JsonLeftOut<'a> {
    partner: &'a str,
    reason: String,
}

/// "canary `careful`", "rolling"; a strategy named after its kind is not named twice.
pub fn strategy_name(p: &Partner) -> String {
    let tag = p.strategy.kind.tag();
    let kind = match tag {
        StrategyTag::BlueGreen => "blue/green",
        StrategyTag::Rolling | StrategyTag::Canary => tag.as_str(),
    };
    match &p.strategy.name {
        Some(n) if n != tag.as_str() => format!("{kind} `{n}`"),
        _ => kind.to_string(),
    }
}

pub fn run(args: Args, g: Global) -> Result<ExitCode, String> {
    let (compilation, _) = super::compile(&args.paths, report::Format::Human, g)?;
    if compilation.diagnostics.has_errors() {
        info!("{}; no plan", report::counts(&compilation.diagnostics));
        return Ok(ExitCode::from(1));
    }
    let fleet = &compilation.fleet;
    let release = fleet.releases.iter().find(|r| r.version.value == args.release).ok_or_else(|| {
        let hint = crate::suggest::did_you_mean(&args.release, fleet.releases.iter().map(|r| r.version.value.as_str()));
        format!("no release `{}`{}", args.release, hint.map(|h| format!(" ({h})")).unwrap_or_default())
    })?;
    let lw = Lowering::new(fleet).ok_or("the spec declares no platform")?;
    let t = train::plan(fleet, release);
    let moves = |partners: &[&'_ Partner]| -> Vec<(String, Option<String>, String, Backend)> {
        partners
            .iter()
            .map(|p| {
                let from = train::before(fleet, p, release).map(|r| r.version.value.clone());
                let backend =
                    lw.target(&p.target).map_or(lw.platform.backend, |t| crate::model::backend_of(p, t, lw.platform));
                (p.name.value.clone(), from, strategy_name(p), backend)
            })
            .collect()
    };
    match args.format {
        Output::Json => {
            let all: Vec<_> = t.cohorts.iter().map(|c| moves(&c.partners)).collect();
            let plan = JsonPlan {
                release: &release.version.value,
                channel: &release.channel.value,
                waves: t
                    .cohorts
                    .iter()
                    .zip(&all)
                    .map(|(c, ms)| JsonWave {
                        name: c.name(),
                        soak_seconds: c.soak_ms() / 1000,
                        partners: ms
                            .iter()
                            .map(|(p, from, s, b)| JsonMove {
                                partner: p,
                                from: from.as_deref(),
                                to: &release.version.value,
                                strategy: s.clone(),
                                backend: *b,
                            })
                            .collect(),
                    })
                    .collect(),
                left_out: t
                    .left_out
                    .iter()
                    .map(|(p, why)| JsonLeftOut { partner: &p.name.value, reason: why.describe() })
                    .collect(),
            };
            let mut text = serde_json::to_string_pretty(&plan).map_err(|e| e.to_string())?;
            text.push('\n');
            super::print_stdout(&text)?;
        }
        Output::Text => {
            use std::fmt::Write;
            let mut out = String::new();
            let moving: usize = t.cohorts.iter().map(|c| c.partners.len()).sum();
            writeln!(
                out,
                "release {} (channel `{}`): {} wave{}, {moving} partner{} move, {} left out",
                release.version.value,
                release.channel.value,
                t.cohorts.len(),
                if t.cohorts.len() == 1 { "" } else { "s" },
                if moving == 1 { "" } else { "s" },
                t.left_out.len()
            )
            .ok();
            for (i, c) in t.cohorts.iter().enumerate() {
                let soak = if c.soak_ms() > 0 {
                    format!(", then soak {}", format_duration(c.soak_ms()))
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "\nwave {} `{}`: {} partner{}{soak}",
                    i + 1,
                    c.name(),
                    c.partners.len(),
                    if c.partners.len() == 1 { "" } else { "s" }
                )
                .ok();
                for (p, from, s, b) in moves(&c.partners) {
                    writeln!(
                        out,
                        "  {p:<24} {:>12} → {:<12} {s} ({b})",
                        from.as_deref().unwrap_or("(new)"),
                        release.version.value
                    )
                    .ok();
                }
            }
            if !t.left_out.is_empty() {
                writeln!(out, "\nleft out:").ok();
                for (p, why) in &t.left_out {
                    writeln!(out, "  {:<24} {}", p.name.value, why.describe()).ok();
                }
            }
            super::print_stdout(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
