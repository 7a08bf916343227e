//! `bdc fmt [PATH…] [--check] [--diff]`: rewrites `.bdot` files in the canonical layout, each
//! only if it changes and atomically (a sibling file renamed over it); with `--check`, lists
//! the files that are not formatted and writes nothing, and with `--diff` shows how each would
//! change (a unified diff). A file with syntax errors (or not UTF-8) is reported, never
//! touched. The sibling is synced before the rename and the directory after it; siblings left
//! by a run that was killed are removed by the next. `-` formats standard input to stdout.

use super::files;
use super::report::{self, Format};
use super::Global;
use crate::diagnostic::Diagnostics;
use crate::disk::NotUtf8;
use crate::fmt::{self, FormatError};
use crate::source::{Origin, SourceFile, SourceMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc fmt                           rewrite every .bdot file under the current directory
  bdc fmt --check specs/            list the files that are not formatted (exit 1 if any)
  bdc fmt --check --diff specs/     and show how each would change, as a unified diff
  bdc fmt - < fleet.bdot            format standard input to stdout

Exit status: 0 formatted, 1 files not formatted (--check) or with syntax errors, 2 I/O problem.")]
pub struct Args {
    /// Spec files or directories (searched recursively for `.bdot` files; default `.`); `-`
    /// formats standard input and prints the result.
    paths: Vec<PathBuf>,
    /// Write nothing: list the files that are not formatted, exit 1 if there are any.
    #[arg(long)]
    check: bool,
    /// With --check: print a unified diff of each file that is not formatted instead of its
    /// name.
    #[arg(long, requires = "check")]
    diff: bool,
    /// Print at most N diagnostics (errors first), then how many more there are; 0 prints all.
    /// Default: 100.
    #[arg(long, value_name = "N")]
    max_diagnostics: Option<usize>,
}

pub fn run(args: Args, g: Global) -> Result<ExitCode, String> {
    let paths = files::collect(&args.paths)?;
    if !args.check {
        remove_leftovers(&paths);
    }
    let stdin = files::Loader::new(&paths);
    let mut sources = SourceMap::new();
    let mut diagnostics = Diagnostics::new();
    let mut unformatted = Vec::new();
    let mut failures = Vec::new();
    let mut count = Count::default();
    let mut diffs = String::new();
    for path in &paths {
        let from_stdin = files::is_stdin(path);
        let read = if from_stdin { stdin.read_stdin() } else { crate::disk::read(path) };
        let (text, bad) = match read.map_err(NotUtf8::take) {
            Ok(text) => (text, None),
            Err(Ok(bad)) => (bad.text.clone(), Some(bad)),
            Err(Err(e)) => {
                failures.push(format!("cannot read `{}`: {}", path.display(), files::plain(&e)));
                continue;
            }
        };
        let id = sources.add(SourceFile::new(path.display().to_string(), Origin::Disk(path.clone()), text));
        count.read += 1;
        if let Some(bad) = bad {
            count.refused += 1;
            diagnostics.push(crate::load::not_utf8(&sources, id, &bad));
            continue;
        }
        let text = &sources.get(id).text;
        let formatted = fmt::format_file(id, text);
        if let (true, Ok(formatted)) = (from_stdin && !args.check, &formatted) {
            // Standard input is never rewritten: its formatted text is the output.
            super::print_stdout(formatted)?;
            continue;
        }
        match formatted {
            Ok(formatted) if formatted == *text => {}
            Ok(formatted) if args.diff => {
                diffs.push_str(&unified_diff(&path.display().to_string(), text, &formatted));
                unformatted.push(path);
            }
            Ok(formatted) => match args.check {
                false => match write_atomically(path, &formatted) {
                    Ok(()) => unformatted.push(path),
                    Err(e) => {
                        count.failed += 1;
                        failures.push(e);
                    }
                },
                true => unformatted.push(path),
            },
            Err(FormatError::Syntax(found)) => {
                count.refused += 1;
                found.into_iter().for_each(|d| diagnostics.push(d));
            }
            Err(e @ FormatError::NotPreserved(_)) => {
                count.failed += 1;
                failures.push(format!("`{}` {e}", path.display()));
            }
        }
    }
    report::print(&diagnostics, &sources, Format::Human, g.color, args.max_diagnostics);
    let listed: String = unformatted.iter().map(|p| format!("{}\n", p.display())).collect();
    super::print_stdout(if args.diff { &diffs } else { &listed })?;
    count.changed = unformatted.len();
    info!("{}", count.summary(args.check));
    // Files that could not be read or written, or that the formatter could not format safely.
    if !failures.is_empty() {
        return Err(failures.join("\nerror: "));
    }
    Ok(super::status(diagnostics.has_errors() || (args.check && !unformatted.is_empty())))
}

/// How `bdc fmt` would change a file: a unified diff as `cargo fmt --check` and `diff -u` show
/// it, from the file as it is (`a/…`) to the file formatted (`b/…`).
fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// What became of the files of one run.
#[derive(Default)]
struct Count {
    /// Read (the rest could not be read).
    read: usize,
    /// With syntax errors or not UTF-8: left as written.
    refused: usize,
    /// Not formatted (`--check`) or rewritten.
    changed: usize,
    /// Could not be written, or not formatted safely.
    failed: usize,
}

impl Count {
    fn summary(&self, check: bool) -> String {
        let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
        let parsed = self.read - self.refused;
        let clean = self.refused == 0 && self.failed == 0;
        let mut line = match (check, self.changed) {
            (_, 0) if clean => format!("ok: {} formatted", files(parsed)),
            (_, 0) => format!("{} formatted", files(parsed - self.failed)),
            (true, n) => format!("{} of {parsed} not formatted; `bdc fmt` rewrites them", files(n)),
            (false, n) => format!("reformatted {} of {parsed}", files(n)),
        };
        if self.refused > 0 {
            line.push_str(&format!("; {} with errors left as written", files(self.refused)));
        }
        if self.failed > 0 {
            line.push_str(&format!("; {} not formatted (see below)", files(self.failed)));
        }
        line
    }
}

/// The sibling a run with process id `pid` writes before renaming it over `target`.
/// The name is cut to fit the longest file name most file systems allow (255 bytes).
fn sibling(target: &Path, pid: u32) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = name.strip_suffix(".bdot").unwrap_or(&name);
    let stem = &stem[..crate::source::floor_char_boundary(stem, 200)];
    target.with_file_name(format!(".{stem}.bdot.{LEFTOVER}{pid}"))
}

const LEFTOVER: &str = "bdc-fmt-";

/// Removes the siblings of these files left by runs that were killed (whose process is gone).
fn remove_leftovers(paths: &[PathBuf]) {
    let dirs: std::collections::BTreeSet<PathBuf> = paths
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let pid = name.rsplit_once(LEFTOVER).filter(|(head, _)| head.starts_with('.') && head.ends_with(".bdot."));
            if let Some(pid) = pid.and_then(|(_, pid)| pid.parse::<u32>().ok()) {
                if !running(pid) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }
}

/// Whether a process with this id exists (a sibling of a running `bdc fmt` is not a leftover).
#[cfg(unix)]
fn running(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else {
        return false;
    };
    !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH))
}

#[cfg(not(unix))]
fn running(pid: u32) -> bool {
    pid == std::process::id()
}

/// Writes a sibling file, syncs it and renames it over `path` (through a symbolic link, to its
/// target), keeping the permissions; then syncs the directory so the rename survives a crash.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let tmp = sibling(&target, std::process::id());
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.set_permissions(std::fs::metadata(&target)?.permissions())?;
        file.sync_all()?;
        std::fs::rename(&tmp, &target)?;
        super::tree::sync_dir(target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write `{}`: {}", path.display(), files::plain(&e))
    })
}

#[cfg(test)]
mod tests {
    use super::{sibling, Count};
    use std::path::Path;

    /// A file that could not be written is not "ok" (the summary said so before the error).
    #[test]
    fn the_summary_counts_files_not_written() {
        let failed = Count { read: 1, refused: 0, changed: 0, failed: 1 };
        assert_eq!(failed.summary(false), "0 files formatted; 1 file not formatted (see below)");
        let clean = Count { read: 2, ..Count::default() };
        assert_eq!(clean.summary(false), "ok: 2 files formatted");
        let mixed = Count { read: 4, refused: 1, changed: 1, failed: 1 };
        assert_eq!(
            mixed.summary(true),
            "1 file of 3 not formatted; `bdc fmt` rewrites them; 1 file with errors left as written; 1 file not formatted (see below)"
        );
    }

    /// The sibling of a file with a long name still has a name a file system accepts.
    #[test]
    fn siblings_have_short_names() {
        let long = format!("/d/{}.bdot", "é".repeat(120));
        let tmp = sibling(Path::new(&long), u32::MAX);
        assert!(tmp.file_name().is_some_and(|n| n.len() <= 255), "{}", tmp.display());
        assert_eq!(sibling(Path::new("/d/a.bdot"), 7), Path::new("/d/.a.bdot.bdc-fmt-7"));
    }
}
