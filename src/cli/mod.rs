//! The command line: a thin layer over the library. The only place that prints and picks exit
//! codes: 0 success (warnings allowed), 1 problems found in the spec, 2 usage or I/O errors.

/// `eprintln!` that never panics: when stderr is closed (`bdc check 2>&1 | head -1`) the line
/// is lost, not the process (`eprintln!` panics, exit 101).
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod apply;
mod check;
mod emit;
mod explain;
pub(crate) mod files;
mod fmt;
mod import;
mod init;
mod lsp;
mod plan;
mod report;
mod rollout;
mod tree;
mod why;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// bdc — the Bluedot compiler: typed fleet specs in, validated Kubernetes manifests out.
#[derive(Parser)]
#[command(name = "bdc", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check specs and report every problem (files or directories; default `.`).
    Check(check::Args),
    /// Compile specs to Kubernetes manifests: a stream on stdout, or one bundle per partner.
    Emit(emit::Args),
    /// Show the release train of a release: waves, partners, versions, strategies.
    Plan(plan::Args),
    /// Send the compiled objects to clusters with server-side apply (field manager `bdc`).
    Apply(apply::Args),
    /// Show what `apply` would change, from a server-side dry run (exit 1 when anything differs).
    Diff(apply::DiffArgs),
    /// Carry out release trains on clusters and drive partners' moves: start, status,
    /// promote, abort, undo.
    Rollout(rollout::Args),
    /// Show a partner field's effective value and every place that sets or overrides it.
    Why(why::Args),
    /// Run the language server on stdin/stdout (for editors).
    Lsp(lsp::Args),
    /// Explain a diagnostic code, with the smallest input that triggers it.
    Explain(explain::Args),
    /// Write a small starter spec that checks clean.
    Init(init::Args),
    /// Turn an existing fleet's Kubernetes YAML into a spec, with a report of what each
    /// object became and a field-by-field verification.
    Import(import::Args),
    /// Rewrite `.bdot` files in the canonical layout (`--check`: list those that are not).
    Fmt(fmt::Args),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Emit(args) => emit::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Apply(args) => apply::run_apply(args),
        Command::Diff(args) => apply::run_diff(args),
        Command::Rollout(args) => rollout::run(args),
        Command::Why(args) => why::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Init(args) => init::run(args),
        Command::Import(args) => import::run(args),
        Command::Fmt(args) => fmt::run(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            note!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Finds the spec files, compiles them, and prints the diagnostics: the first step of every
/// command that reads a spec. Returns the compilation and how many files it read.
pub(crate) fn compile(
    paths: &[std::path::PathBuf],
    format: report::Format,
    color: report::Color,
) -> Result<(crate::Compilation, usize), String> {
    compile_capped(paths, format, color, None, None)
}

/// [`compile`], printing at most `max` diagnostics (`--max-diagnostics`; see [`report::print`]),
/// with every partner placed on `target` when given (`--target`), so that warnings name it.
pub(crate) fn compile_capped(
    paths: &[std::path::PathBuf],
    format: report::Format,
    color: report::Color,
    max: Option<usize>,
    target: Option<&str>,
) -> Result<(crate::Compilation, usize), String> {
    let roots = files::collect(paths)?;
    let compilation = crate::compile_for(&roots, &crate::load::DiskLoader, target)
        .map_err(|e| format!("cannot read `{}`: {}", e.path.display(), files::plain(&e.error)))?;
    report::print(&compilation.diagnostics, &compilation.sources, format, color, max);
    Ok((compilation, roots.len()))
}

/// Writes to stdout; a reader that went away (`bdc plan … | head`) is not an error.
pub(crate) fn print_stdout(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to stdout: {}", files::plain(&e)))
        }
        _ => Ok(()),
    }
}

/// Outcome of a command that ran: clean, or problems found in the input.
pub(crate) fn status(has_errors: bool) -> ExitCode {
    if has_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
