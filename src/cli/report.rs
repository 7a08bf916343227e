//! Printing diagnostics: miette reports on stderr for people; JSON lines, SARIF or GitHub
//! Actions annotations on stdout for tools.
//!
//! What one run prints is capped: people get the first [`HUMAN_LIMIT`] reports (errors before
//! warnings) and a line saying how many more there are; tools get every diagnostic unless
//! `--max-diagnostics N` asks for fewer (their output stays well-formed: the count of those
//! left out goes to stderr). `--max-diagnostics 0` prints everything.

use crate::diagnostic::render::{self, Style};
use crate::diagnostic::{github, sarif};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::SourceMap;
use std::io::{IsTerminal, Write};

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Reports with source excerpts (colours on a terminal).
    Human,
    /// One JSON object per line, on stdout (see docs/diagnostics.md).
    Json,
    /// One SARIF 2.1.0 log on stdout, for code scanning (e.g. GitHub's upload-sarif).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`) on stdout: annotations in a run.
    Github,
}

/// When to use colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE colours a pipe too.
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour what goes to a stream that is (`terminal`) or is not a terminal.
    /// `auto` follows the conventions of no-color.org and bixense.com/clicolors: a non-empty
    /// NO_COLOR turns colours off, then CLICOLOR_FORCE (not `0`) on, then CLICOLOR=0 off;
    /// otherwise a terminal that is not `TERM=dumb` is coloured.
    pub fn enabled(self, terminal: bool, var: impl Fn(&str) -> Option<String>) -> bool {
        let set = |name: &str| var(name).filter(|v| !v.is_empty());
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto if set("NO_COLOR").is_some() => false,
            Color::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
            Color::Auto if set("CLICOLOR").is_some_and(|v| v == "0") => false,
            Color::Auto => terminal && set("TERM").is_none_or(|t| t != "dumb"),
        }
    }

    /// [`Color::enabled`] for stderr, from this process's environment.
    pub fn on_stderr(self) -> bool {
        self.enabled(std::io::stderr().is_terminal(), |name| std::env::var(name).ok())
    }
}

/// Human reports printed when `--max-diagnostics` is not given.
pub const HUMAN_LIMIT: usize = 100;

/// Prints the diagnostics; `max` is `--max-diagnostics` (`None`: the format's default). Under
/// `-q` only the errors are printed, in every format.
pub fn print(diagnostics: &Diagnostics, sources: &SourceMap, format: Format, color: Color, max: Option<usize>) {
    let limit = match (max, format) {
        (Some(0), _) | (None, Format::Json | Format::Sarif | Format::Github) => usize::MAX,
        (Some(n), _) => n,
        (None, Format::Human) => HUMAN_LIMIT,
    };
    let quiet = super::quiet();
    let all: Vec<&Diagnostic> = diagnostics.sorted().into_iter().filter(|d| !quiet || d.is_error()).collect();
    let total = all.len();
    let shown = capped(all, limit);
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in &shown {
                let _ = writeln!(out, "{}", render::json(d, sources));
            }
        }
        Format::Sarif => {
            let _ = writeln!(std::io::stdout().lock(), "{}", sarif::sarif(&shown, sources));
        }
        Format::Github => {
            let mut out = std::io::stdout().lock();
            for d in &shown {
                let _ = writeln!(out, "{}", github::annotation(d, sources));
            }
        }
        Format::Human => {
            let style = Style { color: color.on_stderr(), width: 100 };
            let mut err = std::io::stderr().lock();
            let sources = sources.redacted(diagnostics.secrets());
            for d in &shown {
                let _ = write!(err, "{}", render::human(d, &sources, style));
            }
        }
    }
    if shown.len() < total {
        let errors = shown.iter().filter(|d| d.is_error()).count();
        let left_out = Counts { errors: diagnostics.error_count() - errors, all: total - shown.len() };
        note!("… and {} more not shown ({}); `--max-diagnostics 0` shows all", left_out.all, left_out.text());
    }
}

/// The first `limit` diagnostics, errors before warnings, in source order.
fn capped(sorted: Vec<&Diagnostic>, limit: usize) -> Vec<&Diagnostic> {
    if sorted.len() <= limit {
        return sorted;
    }
    let errors = sorted.iter().filter(|d| d.is_error()).count();
    let mut warnings_left = limit.saturating_sub(errors);
    let mut errors_left = limit;
    sorted
        .into_iter()
        .filter(|d| {
            let left = if d.is_error() { &mut errors_left } else { &mut warnings_left };
            let keep = *left > 0;
            *left = left.saturating_sub(1);
            keep
        })
        .collect()
}

/// Errors and all diagnostics of some set, for "2 errors, 1 warning".
struct Counts {
    errors: usize,
    all: usize,
}

impl Counts {
    fn text(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        format!("{}, {}", plural(self.errors, "error"), plural(self.all - self.errors, "warning"))
    }
}

/// "2 errors, 1 warning".
pub fn counts(diagnostics: &Diagnostics) -> String {
    Counts { errors: diagnostics.error_count(), all: diagnostics.len() }.text()
}

#[cfg(test)]
mod tests {
    use super::{capped, Color};

    /// `auto` follows NO_COLOR, CLICOLOR_FORCE, CLICOLOR and TERM, in that order; `always` and
    /// `never` follow nothing.
    #[test]
    fn colour_follows_the_environment_conventions() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        };
        let auto = |terminal, pairs| Color::Auto.enabled(terminal, env(pairs));
        assert!(auto(true, &[]));
        assert!(!auto(false, &[]));
        assert!(!auto(true, &[("NO_COLOR", "1")]));
        assert!(auto(true, &[("NO_COLOR", "")]), "an empty NO_COLOR is not set");
        assert!(auto(false, &[("CLICOLOR_FORCE", "1")]));
        assert!(!auto(false, &[("CLICOLOR_FORCE", "0")]));
        assert!(!auto(false, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]), "NO_COLOR wins");
        assert!(!auto(true, &[("CLICOLOR", "0")]));
        assert!(!auto(true, &[("TERM", "dumb")]));
        assert!(Color::Always.enabled(false, env(&[("NO_COLOR", "1")])));
        assert!(!Color::Never.enabled(true, env(&[("CLICOLOR_FORCE", "1")])));
    }
    use crate::diagnostic::{Code, Diagnostic};
    use crate::source::{FileId, Span};

    /// Past the limit, errors are kept before warnings, and what is kept stays in order.
    #[test]
    fn the_cap_keeps_errors_first_in_source_order() {
        let at = |i: u32, code| Diagnostic::new(code, Span::new(FileId(0), i, i + 1), format!("{i}"), "");
        let all: Vec<Diagnostic> =
            (0..10).map(|i| at(i, if i % 3 == 0 { Code::UnknownField } else { Code::MutableImageTag })).collect();
        let shown: Vec<&str> = capped(all.iter().collect(), 5).iter().map(|d| d.message.as_str()).collect();
        assert_eq!(shown, ["0", "1", "3", "6", "9"]);
        let shown = capped(all.iter().collect(), 3);
        assert!(shown.iter().all(|d| d.is_error()) && shown.len() == 3);
    }
}
