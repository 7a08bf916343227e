//! One diagnostic type for every stage, collected in a [`Diagnostics`] sink.
//!
//! Stages build a [`Diagnostic`] in one expression (`Diagnostic::new(code, span, msg, label)`
//! plus `.label()`, `.help()`, `.suggest()`, `.note()`) and push it. Rendering happens only at the edge: miette
//! for humans and JSON lines for editors in [`render`], SARIF in [`sarif`] and GitHub Actions
//! annotations in [`github`] for CI.

mod codes;
mod excerpt;
pub mod github;
mod region;
pub mod render;
pub mod sarif;

pub use codes::Code;

use crate::source::Span;
use std::collections::HashSet;

/// Names written the way messages show them: "`a`, `b`, `c`".
pub fn quoted<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items.into_iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// How bad a diagnostic is; decided by its code (`E…` errors, `W…` warnings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A span with a short text saying what is there.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A replacement the help proposes ("did you mean `memory`?"): editors offer it as a quick fix.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// What to replace.
    pub span: Span,
    /// The text to put there.
    pub replacement: String,
}

/// A coded problem found in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Lowercase, names in backticks: "unknown field `memroy` in plan".
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    /// A short imperative: "write `memory`".
    pub help: Option<String>,
    /// Replacements the help proposes, as data (the help text says the same in words).
    pub suggestions: Vec<Suggestion>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: Label { span, message: label.into() },
            secondary: Vec::new(),
            help: None,
            suggestions: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label { span, message: message.into() });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help only when there is one (e.g. a "did you mean" that found a candidate).
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// "did you mean `x`?": the help, and the replacement of `span` by `replacement`.
    pub fn suggest(self, span: Span, replacement: impl Into<String>) -> Self {
        let replacement = replacement.into();
        self.suggest_as(span, &replacement.clone(), replacement)
    }

    /// "did you mean `name`?", replacing `span` by `replacement` (the name as written there,
    /// e.g. in quotes where a string was written).
    pub fn suggest_as(mut self, span: Span, name: &str, replacement: impl Into<String>) -> Self {
        self.help = Some(format!("did you mean `{name}`?"));
        self.suggestions.push(Suggestion { span, replacement: replacement.into() });
        self
    }

    /// [`Diagnostic::suggest`] the candidate closest to `word` (written at `span`), if one is
    /// close enough to be a likely typo.
    pub fn maybe_suggest<'c>(self, span: Span, word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Self {
        match crate::suggest::closest(word, candidates) {
            Some(c) => self.suggest(span, c),
            None => self,
        }
    }

    /// [`Diagnostic::maybe_suggest`] where a string was written: the replacement keeps the
    /// quotes (`"alpha"`), the help names the text.
    pub fn maybe_suggest_string<'c>(
        self,
        span: Span,
        text: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) -> Self {
        match crate::suggest::closest(text, candidates) {
            Some(c) => self.suggest_as(span, c, format!("\"{c}\"")),
            None => self,
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The message, then `help: …` and each `note: …` on lines of their own: the whole text
    /// for formats that have one message field (SARIF, GitHub annotations).
    pub fn long_message(&self) -> String {
        let mut text = self.message.clone();
        if let Some(help) = &self.help {
            text.push_str(&format!("\nhelp: {help}"));
        }
        for note in &self.notes {
            text.push_str(&format!("\nnote: {note}"));
        }
        text
    }
}

/// The sink every stage writes to. The same code at the same span is reported once, so a
/// value checked twice (a plan, and a partner that uses it) does not repeat its error.
/// Errors are counted as they arrive: stages ask for the count after every declaration.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    seen: HashSet<(Code, Span)>,
    errors: usize,
    /// Spans of values flagged as secrets: reports and `bdc why` never show their text.
    secrets: Vec<Span>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.seen.insert((diagnostic.code, diagnostic.primary.span)) {
            self.errors += usize::from(diagnostic.is_error());
            self.items.push(diagnostic);
        }
    }

    /// Marks the text at `span` as a secret: human reports and `bdc why` mask it.
    pub fn mark_secret(&mut self, span: Span) {
        self.secrets.push(span);
    }

    /// The spans marked as secrets.
    pub fn secrets(&self) -> &[Span] {
        &self.secrets
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    pub fn error_count(&self) -> usize {
        self.errors
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Makes the diagnostics pushed since the first `from` name what they belong to: those
    /// inside `within` (a declaration) whose message does not name `owner` (`partner \`alpha\``)
    /// get it added: "unknown field `x` in partner" becomes "… in partner `alpha`", "plan is
    /// missing …" becomes "plan `web` is missing …", anything else starts with "<owner>: ".
    pub fn name_owner(&mut self, from: usize, within: Span, keyword: &str, owner: &str) {
        for d in self.items.iter_mut().skip(from) {
            let span = d.primary.span;
            let inside = span.file == within.file && span.start >= within.start && span.end <= within.end;
            if !inside || d.message.contains(owner) {
                continue;
            }
            d.message = if let Some(head) = d.message.strip_suffix(&format!(" in {keyword}")) {
                format!("{head} in {owner}")
            } else if let Some(rest) = d.message.strip_prefix(&format!("{keyword} is ")) {
                format!("{owner} is {rest}")
            } else {
                format!("{owner}: {}", d.message)
            };
        }
    }

    /// Keeps the diagnostics `keep` accepts (the errors counted again).
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
        self.errors = self.items.iter().filter(|d| d.is_error()).count();
    }

    /// Diagnostics in source order (file, then position, then code), for stable output.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut all: Vec<&Diagnostic> = self.items.iter().collect();
        all.sort_by_key(|d| (d.primary.span.file, d.primary.span.start, d.code));
        all
    }
}
