//! Rendering diagnostics: miette reports for people, JSON lines for editors and CI.
//!
//! The JSON contract (one object per line) is documented in `docs/diagnostics.md`.

use super::excerpt::{self, Excerpt};
use super::{Diagnostic, Label, Severity};
use crate::source::{LineCol, SourceMap, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan};
use std::fmt;

/// How human-readable reports look.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

/// Renders one diagnostic as a miette report. Labels in other files than the primary one are
/// shown as related reports with their own source excerpt.
pub fn human(diagnostic: &Diagnostic, sources: &SourceMap, style: Style) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    let report = Report::build(diagnostic, sources);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        // Rendering into a String cannot fail on I/O; fall back to a plain line regardless.
        out = format!("{}[{}]: {}\n", severity_word(diagnostic.severity), diagnostic.code, diagnostic.message);
    }
    // miette has help but no notes: notes follow the report, aligned with `help:`.
    for note in &diagnostic.notes {
        while out.ends_with("\n\n") {
            out.pop();
        }
        let options = textwrap::Options::new(style.width.saturating_sub(2))
            .initial_indent("  note: ")
            .subsequent_indent("        ");
        for line in textwrap::wrap(note, options) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A miette view of a [`Diagnostic`] restricted to one file.
struct Report<'a> {
    code: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Excerpt<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'a>>,
}

impl<'a> Report<'a> {
    fn build(d: &Diagnostic, sources: &'a SourceMap) -> Report<'a> {
        let file = d.primary.span.file;
        let mut source = Excerpt { file: sources.get(file), labels: Vec::new() };
        let mut labels = vec![labeled(&mut source, &d.primary, true)];
        for l in d.secondary.iter().filter(|l| l.span.file == file) {
            labels.push(labeled(&mut source, l, false));
        }
        let related = d
            .secondary
            .iter()
            .filter(|l| l.span.file != file)
            .map(|l| {
                let mut source = Excerpt { file: sources.get(l.span.file), labels: Vec::new() };
                let labels = vec![labeled(&mut source, l, true)];
                Report {
                    code: String::new(),
                    message: format!("see also: {}", l.message),
                    severity: miette::Severity::Advice,
                    help: None,
                    source,
                    labels,
                    related: Vec::new(),
                }
            })
            .collect();
        let help = d.help.clone();
        Report {
            code: d.code.to_string(),
            message: d.message.clone(),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            help,
            source,
            labels,
            related,
        }
    }
}

/// A label for miette, its span clipped to what the excerpt shows (and remembered by it).
fn labeled(source: &mut Excerpt, label: &Label, primary: bool) -> LabeledSpan {
    let (start, end) = excerpt::clip(source.file, label.span);
    source.labels.push((start, end));
    let span = SourceSpan::new(start.into(), end - start);
    let text = (!label.message.is_empty()).then(|| label.message.clone());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}

/// A label position in the JSON contract.
#[derive(serde::Serialize)]
struct JsonLocation<'a> {
    file: &'a str,
    /// Byte offsets, end exclusive.
    range: [u32; 2],
    start: LineCol,
    end: LineCol,
}

#[derive(serde::Serialize)]
struct JsonLabel<'a> {
    #[serde(flatten)]
    location: JsonLocation<'a>,
    message: &'a str,
    primary: bool,
}

#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    #[serde(flatten)]
    location: JsonLocation<'a>,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    notes: &'a [String],
}

fn location(sources: &SourceMap, span: Span) -> JsonLocation<'_> {
    let file = sources.get(span.file);
    JsonLocation {
        file: &file.name,
        range: [span.start, span.end],
        start: file.line_col(span.start),
        end: file.line_col(span.end),
    }
}

/// One diagnostic as one line of JSON (no trailing newline).
pub fn json(d: &Diagnostic, sources: &SourceMap) -> String {
    fn label<'a>(sources: &'a SourceMap, l: &'a Label, primary: bool) -> JsonLabel<'a> {
        JsonLabel { location: location(sources, l.span), message: &l.message, primary }
    }
    let mut labels = vec![label(sources, &d.primary, true)];
    labels.extend(d.secondary.iter().map(|l| label(sources, l, false)));
    let out = JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.severity,
        message: &d.message,
        location: location(sources, d.primary.span),
        labels,
        help: d.help.as_deref(),
        notes: &d.notes,
    };
    serde_json::to_string(&out).unwrap_or_default()
}
