//! `bdc check [PATH…]`: compile and report, nothing written.

use super::report::{self, Color, Format};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Spec files or directories (searched recursively for `.bdot` files).
    paths: Vec<PathBuf>,
    /// Output format of diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Print at most N diagnostics (errors first), then how many more there are; 0 prints all.
    /// Default: 100 human reports, every diagnostic in the machine formats.
    #[arg(long, value_name = "N")]
    max_diagnostics: Option<usize>,
    /// When to colour human-readable output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let (compilation, files) = super::compile_capped(&args.paths, args.format, args.color, args.max_diagnostics, None)?;
    if args.format == Format::Human {
        let fleet = &compilation.fleet;
        if compilation.diagnostics.is_empty() {
            let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
            note!(
                "ok: {}, {} checked in {}",
                plural(fleet.partners.len(), "partner"),
                plural(fleet.releases.len(), "release"),
                plural(files, "file")
            );
        } else {
            note!("{} in {files} file{}", report::counts(&compilation.diagnostics), if files == 1 { "" } else { "s" });
        }
    }
    let status = super::status(compilation.diagnostics.has_errors());
    // Freeing a large fleet's trees one by one costs more than the process exit does.
    std::mem::forget(compilation);
    Ok(status)
}
