//! `bdc check [PATH…]`: compile and report, nothing written.

use super::report::{self, Format};
use super::Global;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc check                                    every .bdot file under the current directory
  bdc check examples/mediasphere               a directory (searched recursively) or files
  bdc check -o json specs/ > diagnostics.jsonl one JSON object per diagnostic (for tools)
  bdc check -o github specs/                   GitHub Actions annotations
  bdc check -q specs/                          errors only
  cat fleet.bdot | bdc check -                 the spec on standard input, named <stdin>

Exit status: 0 clean (warnings allowed), 1 errors in the spec, 2 usage or I/O problem.")]
pub struct Args {
    /// Spec files or directories (searched recursively for `.bdot` files; default `.`); `-`
    /// reads a spec from standard input.
    paths: Vec<PathBuf>,
    /// How diagnostics are printed: `human` on stderr; `json`, `sarif`, `github` on stdout.
    #[arg(short = 'o', long = "output", visible_alias = "format", value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Print at most N diagnostics (errors first), then how many more there are; 0 prints all.
    /// Default: 100 human reports, every diagnostic in the machine formats.
    #[arg(long, value_name = "N")]
    max_diagnostics: Option<usize>,
}

pub fn run(args: Args, g: Global) -> Result<ExitCode, String> {
    let (compilation, files) = super::compile_capped(&args.paths, args.format, g, args.max_diagnostics, None)?;
    if args.format == Format::Human {
        let fleet = &compilation.fleet;
        if compilation.diagnostics.is_empty() {
            let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
            info!(
                "ok: {}, {} checked in {}",
                plural(fleet.partners.len(), "partner"),
                plural(fleet.releases.len(), "release"),
                plural(files, "file")
            );
        } else {
            info!("{} in {files} file{}", report::counts(&compilation.diagnostics), if files == 1 { "" } else { "s" });
        }
    }
    let status = super::status(compilation.diagnostics.has_errors());
    // Freeing a large fleet's trees one by one costs more than the process exit does.
    std::mem::forget(compilation);
    Ok(status)
}
