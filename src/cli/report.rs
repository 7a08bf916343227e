//! Printing diagnostics: miette reports on stderr for people, JSON lines on stdout for tools.

use crate::diagnostic::render::{self, Style};
use crate::diagnostic::{Diagnostics, Severity};
use crate::source::SourceMap;
use std::io::{IsTerminal, Write};

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Reports with source excerpts (colours on a terminal).
    Human,
    /// One JSON object per line, on stdout (see docs/diagnostics.md).
    Json,
}

/// When to use colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

pub fn print(diagnostics: &Diagnostics, sources: &SourceMap, format: Format, color: Color) {
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in diagnostics.sorted() {
                let _ = writeln!(out, "{}", render::json(d, sources));
            }
        }
        Format::Human => {
            let color = match color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            let style = Style { color, width: 100 };
            let mut err = std::io::stderr().lock();
            for d in diagnostics.sorted() {
                let _ = write!(err, "{}", render::human(d, sources, style));
            }
        }
    }
}

/// "2 errors, 1 warning".
pub fn counts(diagnostics: &Diagnostics) -> String {
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}
