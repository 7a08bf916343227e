//! `bdc fmt`: one canonical layout for `.bdot` files (the rules are in docs/language.md,
//! "Formatting"). Every comment is kept in place, the program is never changed, and a file
//! with syntax errors is never touched.
//!
//! The parser keeps the span of every comment; the printer walks the tree and, before each
//! token it writes, puts back the comments that came before that token in the source
//! (`writer`). Columns are aligned at the end, on whole lines (`align`). Before the text is
//! returned it is parsed again and compared with the original (`verify`).

mod align;
mod comments;
pub(crate) mod literal;
mod printer;
mod verify;
mod writer;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::parse;
use crate::source::FileId;

/// Why a text was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The text has syntax errors: the parser's diagnostics, the same `bdc check` reports.
    Syntax(Vec<Diagnostic>),
    /// The formatted text would not mean the same or would lose a comment: a bug in the
    /// formatter, caught by its own check; the text is left as it is.
    NotPreserved(&'static str),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax(d) => write!(f, "{} syntax error(s)", d.iter().filter(|d| d.is_error()).count()),
            FormatError::NotPreserved(what) => write!(f, "not formatted: {what} (a bug in `bdc fmt`)"),
        }
    }
}

/// The canonical layout of one file's text. Diagnostics of a syntax error point into `file`.
pub fn format_file(file: FileId, text: &str) -> Result<String, FormatError> {
    let mut diagnostics = Diagnostics::new();
    let tree = parse::parse_file(file, text, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(FormatError::Syntax(diagnostics.sorted().into_iter().cloned().collect()));
    }
    let comments = comments::Comments::new(text, &tree.comments);
    let formatted = printer::Printer::new(text, writer::Writer::new(comments)).file(&tree);
    match verify::differences(text, &tree, &formatted) {
        None => Ok(formatted),
        Some(what) => Err(FormatError::NotPreserved(what)),
    }
}

/// The canonical layout of a text (for editors: the language server formats buffers with it).
pub fn format_source(text: &str) -> Result<String, FormatError> {
    format_file(FileId::default(), text)
}
