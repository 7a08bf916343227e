//! `bdc fmt [PATH…] [--check]`: rewrites `.bdot` files in the canonical layout, each only if it
//! changes and atomically (a sibling file renamed over it); with `--check`, lists the files
//! that are not formatted and writes nothing. A file with syntax errors is reported, never
//! touched.

use super::files;
use super::report::{self, Color, Format};
use crate::diagnostic::Diagnostics;
use crate::fmt::{self, FormatError};
use crate::source::{Origin, SourceFile, SourceMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Spec files or directories (searched recursively for `.bdot` files).
    paths: Vec<PathBuf>,
    /// Write nothing: list the files that are not formatted, exit 1 if there are any.
    #[arg(long)]
    check: bool,
    /// Print at most N diagnostics (errors first), then how many more there are; 0 prints all.
    /// Default: 100 human reports, every diagnostic in the machine formats.
    #[arg(long, value_name = "N")]
    max_diagnostics: Option<usize>,
    /// When to colour the report of syntax errors.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let paths = files::collect(&args.paths)?;
    let mut sources = SourceMap::new();
    let mut diagnostics = Diagnostics::new();
    let mut unformatted = Vec::new();
    let mut failures = Vec::new();
    let mut refused = 0;
    for path in &paths {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                failures.push(format!("cannot read `{}`: {}", path.display(), files::plain(&e)));
                continue;
            }
        };
        let id = sources.add(SourceFile::new(path.display().to_string(), Origin::Disk(path.clone()), text));
        let text = &sources.get(id).text;
        match fmt::format_file(id, text) {
            Ok(formatted) if formatted == *text => {}
            Ok(formatted) => match args.check {
                false => match write_atomically(path, &formatted) {
                    Ok(()) => unformatted.push(path),
                    Err(e) => failures.push(e),
                },
                true => unformatted.push(path),
            },
            Err(FormatError::Syntax(found)) => {
                refused += 1;
                found.into_iter().for_each(|d| diagnostics.push(d));
            }
            Err(e @ FormatError::NotPreserved(_)) => failures.push(format!("`{}` {e}", path.display())),
        }
    }
    report::print(&diagnostics, &sources, Format::Human, args.color, args.max_diagnostics);
    let listed: String = unformatted.iter().map(|p| format!("{}\n", p.display())).collect();
    super::print_stdout(&listed)?;
    eprintln!("{}", summary(args.check, unformatted.len(), sources.files().count(), refused));
    // Files that could not be read or written, or that the formatter could not format safely.
    if !failures.is_empty() {
        return Err(failures.join("\nerror: "));
    }
    Ok(super::status(diagnostics.has_errors() || (args.check && !unformatted.is_empty())))
}

fn summary(check: bool, changed: usize, total: usize, refused: usize) -> String {
    let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
    let parsed = total - refused;
    let mut line = match (check, changed) {
        (_, 0) if refused == 0 => format!("ok: {} formatted", files(parsed)),
        (_, 0) => format!("{} formatted", files(parsed)),
        (true, n) => format!("{} of {parsed} not formatted; `bdc fmt` rewrites them", files(n)),
        (false, n) => format!("reformatted {} of {parsed}", files(n)),
    };
    if refused > 0 {
        line.push_str(&format!("; {} with syntax errors left as written", files(refused)));
    }
    line
}

/// Writes a sibling file and renames it over `path` (through a symbolic link, to its target),
/// keeping the permissions.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.bdc-fmt-{}", std::process::id()));
    let result = std::fs::write(&tmp, text)
        .and_then(|()| std::fs::metadata(&target))
        .and_then(|meta| std::fs::set_permissions(&tmp, meta.permissions()))
        .and_then(|()| std::fs::rename(&tmp, &target));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write `{}`: {}", path.display(), files::plain(&e))
    })
}
