//! `bdc emit [PATH…] [--target T] [--partner P]… [--out DIR] [--format yaml|json]`: compile,
//! then write manifests to stdout (one stream in apply order) or to a directory tree (one
//! bundle per partner). Nothing is written when the spec has errors.

use super::files;
use super::report::{self, Color};
use crate::emit::{self, Format};
use crate::load::DiskLoader;
use crate::lower::Lowering;
use crate::portability;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Yaml,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// Spec files or directories (searched recursively for `.bdot` files).
    paths: Vec<PathBuf>,
    /// Target profile for every partner (`k8s`, `gke`, `eks`, `aks`, or one the spec
    /// declares); default: each partner's own.
    #[arg(long)]
    target: Option<String>,
    /// Emit only this partner (repeatable).
    #[arg(long = "partner", value_name = "PARTNER")]
    partners: Vec<String>,
    /// Write one bundle per partner under this directory instead of a stream to stdout. The
    /// directory is replaced as a whole, atomically.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Manifest format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Yaml)]
    format: OutputFormat,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let roots = files::collect(&args.paths)?;
    let compilation = crate::compile(&roots, &DiskLoader)
        .map_err(|e| format!("cannot read `{}`: {}", e.path.display(), files::plain(&e.error)))?;
    report::print(&compilation.diagnostics, &compilation.sources, report::Format::Human, args.color);
    if compilation.diagnostics.has_errors() {
        eprintln!("{}; nothing emitted", report::counts(&compilation.diagnostics));
        return Ok(ExitCode::from(1));
    }
    let fleet = &compilation.fleet;
    let Some(lw) = Lowering::new(fleet) else {
        return Err("the spec declares no platform and no partners; nothing to emit".into());
    };
    if let Some(t) = &args.target {
        if lw.target(t).is_none() {
            let names: Vec<&str> = fleet.targets.iter().map(|t| t.name.value.as_str()).collect();
            let hint =
                crate::suggest::did_you_mean(t, names.iter().copied()).map(|h| format!(" ({h})")).unwrap_or_default();
            return Err(format!("no target `{t}`{hint}; targets: {}", names.join(", ")));
        }
    }
    for wanted in &args.partners {
        if !fleet.partners.iter().any(|p| &p.name.value == wanted) {
            let hint = crate::suggest::did_you_mean(wanted, fleet.partners.iter().map(|p| p.name.value.as_str()))
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            return Err(format!("no partner `{wanted}`{hint}"));
        }
    }
    let mut placements = Vec::new();
    for p in fleet.partners.iter().filter(|p| args.partners.is_empty() || args.partners.contains(&p.name.value)) {
        placements.push(lw.place(p, args.target.as_deref()).map_err(|e| format!("internal error: {e}"))?);
    }
    let format = match args.format {
        OutputFormat::Yaml => Format::Yaml,
        OutputFormat::Json => Format::Json,
    };
    let reports: Vec<(usize, Vec<portability::Note>)> = placements
        .iter()
        .enumerate()
        .map(|(i, at)| (i, portability::report(&lw, at)))
        .filter(|(_, n)| !n.is_empty())
        .collect();
    match &args.out {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
            match emit::stream(&lw, &placements, format, &mut out) {
                Ok(()) => out.flush().map_err(|e| format!("cannot write to stdout: {}", files::plain(&e)))?,
                Err(emit::StreamError::Io(e)) => return Err(format!("cannot write to stdout: {}", files::plain(&e))),
                Err(emit::StreamError::Broken(b)) => return Err(broken(&b)),
            }
        }
        Some(dir) => {
            let mut files = Vec::new();
            for (i, at) in placements.iter().enumerate() {
                let report = reports.iter().find(|(j, _)| *j == i).map(|(_, n)| portability::markdown(at, n));
                files.extend(emit::partner_files(&lw, at, format, report).map_err(|b| broken(&b))?);
            }
            let count = super::tree::write(dir, files)?;
            eprintln!("wrote {count} files for {} partners to {}", placements.len(), dir.display());
        }
    }
    for (i, notes) in &reports {
        eprint!("{}", portability::markdown(&placements[*i], notes));
    }
    drop(placements);
    // Freeing a large fleet's trees one by one costs more than the process exit does.
    std::mem::forget(compilation);
    Ok(ExitCode::SUCCESS)
}

/// The message for output that failed the structural checks: a bug in bdc.
fn broken(b: &emit::Broken) -> String {
    format!(
        "internal error: {} of partner `{}` fails a structural check: {} (please report this; the output is incomplete)",
        b.violation.object, b.partner, b.violation.problem
    )
}
