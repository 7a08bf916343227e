//! The command line: a thin layer over the library. The only place that prints and picks exit
//! codes: 0 success (warnings allowed), 1 problems found in the spec, 2 usage or I/O errors.
//!
//! Options every command takes, before or after its name (`--color`, `-q`), are [`Global`];
//! `-q` silences everything on stderr but errors, through [`info!`].

/// `eprintln!` that never panics: when stderr is closed (`bdc check 2>&1 | head -1`) the line
/// is lost, not the process (`eprintln!` panics, exit 101).
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// [`note!`] for what is not an error (summaries, progress, notes): silent under `-q`.
macro_rules! info {
    ($($arg:tt)*) => {{
        if !$crate::cli::quiet() {
            note!($($arg)*);
        }
    }};
}

mod apply;
mod check;
mod diff;
mod emit;
mod explain;
mod export;
pub(crate) mod files;
mod fmt;
mod gitops;
mod import;
mod init;
mod lsp;
mod plan;
mod progress;
pub(crate) mod project;
mod report;
mod rollout;
mod shell;
mod tree;
mod why;

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// bdc — the Bluedot compiler: typed fleet specs in, validated Kubernetes manifests out.
#[derive(Parser)]
#[command(
    name = "bdc",
    version = shell::version_line(),
    about,
    long_about = None,
    propagate_version = true,
    after_help = EXAMPLES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

const EXAMPLES: &str = "\
Examples:
  bdc check examples/mediasphere                  check a spec (files or directories; default .)
  bdc emit examples/mediasphere > fleet.yaml      compile it to Kubernetes manifests
  bdc explain partner                             the fields of a partner, with types and defaults
  bdc explain E0302                               what a diagnostic code means
  cat fleet.bdot | bdc check -                    read the spec from standard input

`bdc COMMAND --help` shows each command's options and examples.";

/// Options of every command, accepted before or after the command's name.
#[derive(clap::Args, Clone, Copy, Debug)]
pub struct Global {
    /// When to colour what bdc prints for people: `auto` colours a terminal unless NO_COLOR is
    /// set (CLICOLOR_FORCE=1 colours even a pipe).
    #[arg(long, value_enum, global = true, default_value_t = report::Color::Auto)]
    pub color: report::Color,
    /// Print errors only: no warnings, summaries, notes or progress.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// The output of a command that prints a result: for people, or one JSON document for tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Text,
    Json,
}

/// The whole command line's definition (for completions, manual pages and tests).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// `-q` for this process (read by [`info!`] and the diagnostic printer).
static QUIET: AtomicBool = AtomicBool::new(false);

/// Whether `-q` was given.
pub(crate) fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

#[derive(Subcommand)]
enum Command {
    /// Check specs and report every problem (files or directories; default `.`).
    Check(check::Args),
    /// Compile specs to Kubernetes manifests: a stream on stdout, or one bundle per partner.
    Emit(emit::Args),
    /// Move one partner to another target: its bundle, the Jobs that move its data, and a
    /// checklist of the steps with their commands.
    Export(export::Args),
    /// Show the release train of a release: waves, partners, versions, strategies.
    Plan(plan::Args),
    /// Send the compiled objects to clusters with server-side apply (field manager `bdc`).
    Apply(apply::Args),
    /// Show what `apply` would change, from a server-side dry run (exit 1 when anything differs).
    Diff(diff::DiffArgs),
    /// Carry out release trains on clusters and drive partners' moves: start, status,
    /// promote, abort, undo.
    Rollout(rollout::Args),
    /// Show a partner field's effective value and every place that sets or overrides it.
    Why(why::Args),
    /// Run the language server on stdin/stdout (for editors).
    Lsp(lsp::Args),
    /// Explain a diagnostic code (with the smallest input that triggers it), or list the fields
    /// of a declaration kind (`partner`, `strategy`, …) with type, default and doc.
    Explain(explain::Args),
    /// Write a small starter spec that checks clean.
    Init(init::Args),
    /// Turn an existing fleet's Kubernetes YAML into a spec, with a report of what each
    /// object became and a field-by-field verification.
    Import(import::Args),
    /// Rewrite `.bdot` files in the canonical layout (`--check`: list those that are not).
    Fmt(fmt::Args),
    /// Print bdc's version and the Kubernetes API version it emits for.
    Version(shell::VersionArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completion(shell::CompletionArgs),
    /// Print bdc's manual page (roff), or write one page per command to a directory.
    Man(shell::ManArgs),
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
    let g = cli.global;
    QUIET.store(g.quiet, Ordering::Relaxed);
    let result = match cli.command {
        Command::Check(args) => check::run(args, g),
        Command::Emit(args) => emit::run(args, g),
        Command::Export(args) => export::run(args, g),
        Command::Plan(args) => plan::run(args, g),
        Command::Apply(args) => apply::run_apply(args, g),
        Command::Diff(args) => diff::run(args, g),
        Command::Rollout(args) => rollout::run(args, g),
        Command::Why(args) => why::run(args, g),
        Command::Lsp(args) => lsp::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Init(args) => init::run(args),
        Command::Import(args) => import::run(args, g),
        Command::Fmt(args) => fmt::run(args, g),
        Command::Version(args) => shell::version(args),
        Command::Completion(args) => shell::completion(args),
        Command::Man(args) => shell::man(args),
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
    g: Global,
) -> Result<(crate::Compilation, usize), String> {
    compile_capped(paths, format, g, None, None)
}

/// [`compile`], printing at most `max` diagnostics (`--max-diagnostics`; see [`report::print`]),
/// with every partner placed on `target` when given (`--target`), so that warnings name it.
/// A path `-` is the spec on standard input (named `<stdin>`; its imports are relative to the
/// current directory).
pub(crate) fn compile_capped(
    paths: &[std::path::PathBuf],
    format: report::Format,
    g: Global,
    max: Option<usize>,
    target: Option<&str>,
) -> Result<(crate::Compilation, usize), String> {
    let roots = files::collect_spec(paths)?;
    let settings = project::settings_for(&project::default_paths(paths))?;
    let loader = files::Loader::new(&roots);
    let compilation = crate::compile_project(&roots, &loader, target, settings.as_ref())
        .map_err(|e| format!("cannot read `{}`: {}", e.path.display(), files::plain(&e.error)))?;
    report::print(&compilation.diagnostics, &compilation.sources, format, g.color, max);
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
