//! `bdc export [PATH…] --partner P --target T --out DIR [--dns hold|take]`: compile, then write
//! everything that moves one partner to another target into `DIR` — the partner's bundle for
//! the target, the Jobs that move its databases, and `CHECKLIST.md` with the steps and their
//! commands (see `crate::export`). Prints what is left to do by hand. Nothing is written when
//! the spec has errors; `DIR` is replaced as a whole, atomically.

use super::report;
use crate::lower::Lowering;
use std::path::PathBuf;
use std::process::ExitCode;

/// What the new site does with its DNS names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Dns {
    /// Emit the new site without taking its names: ExternalDNS leaves the records alone until
    /// the checklist's cut-over step.
    Hold,
    /// The names move to the new load balancer as soon as the bundle is applied.
    Take,
}

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc export examples/mediasphere --partner newsroom-a --target eks --out exit/
                                  the bundle, the data-move Jobs and exit/CHECKLIST.md
  bdc export examples/mediasphere --partner dailytech --target aks --out exit/ --dns take
                                  the new site's routes take their DNS names when applied")]
pub struct Args {
    /// Spec files or directories (searched recursively for `.bdot` files).
    paths: Vec<PathBuf>,
    /// The partner to move.
    #[arg(long, value_name = "PARTNER")]
    partner: String,
    /// The target profile it moves to (`k8s`, `gke`, `eks`, `aks`, or one the spec declares).
    #[arg(long)]
    target: String,
    /// The directory to write: `<partner>/` (the bundle), `data/` (the move Jobs) and
    /// `CHECKLIST.md`.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// `hold` (default): the new site's routes hold their DNS names until the cut-over step;
    /// `take`: they take them when applied.
    #[arg(long, value_enum, default_value_t = Dns::Hold)]
    dns: Dns,
}

pub fn run(args: Args, g: super::Global) -> Result<ExitCode, String> {
    let (compilation, _) = super::compile_capped(&args.paths, report::Format::Human, g, None, Some(&args.target))?;
    if compilation.diagnostics.has_errors() {
        info!("{}; nothing exported", report::counts(&compilation.diagnostics));
        return Ok(ExitCode::from(1));
    }
    let fleet = &compilation.fleet;
    let Some(lw) = Lowering::new(fleet) else {
        return Err("the spec declares no platform; nothing to export".into());
    };
    if lw.target(&args.target).is_none() {
        let names: Vec<&str> = fleet.targets.iter().map(|t| t.name.value.as_str()).collect();
        let hint = crate::suggest::did_you_mean(&args.target, names.iter().copied())
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        return Err(format!("no target `{}`{hint}; targets: {}", args.target, names.join(", ")));
    }
    let Some(partner) = fleet.partners.iter().find(|p| p.name.value == args.partner) else {
        let hint = crate::suggest::did_you_mean(&args.partner, fleet.partners.iter().map(|p| p.name.value.as_str()))
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        return Err(format!("no partner `{}`{hint}", args.partner));
    };
    let export = crate::export::export(&lw, partner, &args.target, args.dns == Dns::Hold)?;
    let files = std::sync::Mutex::new(Some(export.files));
    let count = super::tree::write(
        &args.out,
        1,
        |_| Ok(files.lock().map_err(|_| "internal error: export files lost".to_string())?.take().unwrap_or_default()),
        super::tree::Keep::Nothing,
    )?;
    info!("wrote {count} files to {}; follow {}", args.out.display(), args.out.join("CHECKLIST.md").display());
    if export.manual.is_empty() {
        info!("nothing to do by hand");
    } else {
        info!("to do by hand ({}):", export.manual.len());
        for item in &export.manual {
            info!("- {item}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
