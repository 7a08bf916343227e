//! Parsing: text → [`ast::File`] plus diagnostics. Parsing never fails.
//!
//! Built on nom 8 parsers over `&str`. A syntax error inside a declaration abandons that
//! declaration (it becomes an [`ast::Item::Error`]) and the parser resynchronises at the next
//! line that starts a declaration, so every broken declaration in a file is reported once and
//! nothing cascades. Productions are quoted from `grammar/bdot.ebnf` on each parser function.

mod expr;
mod item;
mod lexeme;

use crate::ast;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, Span};
use std::cell::{Cell, RefCell};

/// Deepest bracket nesting accepted; deeper input is reported, never overflows the stack.
pub const MAX_DEPTH: u32 = 64;

/// Parses one file. Always returns a tree; problems go to `diagnostics`.
pub fn parse_file(file: FileId, text: &str, diagnostics: &mut Diagnostics) -> ast::File {
    let parser = Parser::new(file, text);
    let items = parser.items();
    for d in parser.soft.into_inner() {
        diagnostics.push(d);
    }
    ast::File { items, comments: parser.comments.into_inner() }
}

/// A syntax error that abandons the current declaration: the diagnostic to report (boxed, so
/// parser results stay small).
#[derive(Debug)]
pub(crate) struct SyntaxError(Box<Diagnostic>);

impl SyntaxError {
    fn new(diagnostic: Diagnostic) -> Self {
        SyntaxError(Box::new(diagnostic))
    }
}

impl<'a> nom::error::ParseError<&'a str> for SyntaxError {
    fn from_error_kind(_input: &'a str, kind: nom::error::ErrorKind) -> Self {
        // Only reached through a nom primitive we did not wrap; the caller replaces the span.
        SyntaxError::new(Diagnostic::new(
            Code::SyntaxError,
            Span::default(),
            format!("unexpected input ({kind:?})"),
            "here",
        ))
    }

    fn append(_input: &'a str, _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

pub(crate) type PResult<'a, T> = nom::IResult<&'a str, T, SyntaxError>;

/// Parser state shared by the production functions (they take `&self`).
pub(crate) struct Parser<'a> {
    base: &'a str,
    file: FileId,
    depth: Cell<u32>,
    /// Every problem found, in the order found.
    soft: RefCell<Vec<Diagnostic>>,
    comments: RefCell<Vec<Span>>,
    /// Kind and name of the declaration being parsed, once read (for [`ast::Item::Broken`]).
    partial: RefCell<Option<(ast::DeclKind, ast::Ident)>>,
}

impl<'a> Parser<'a> {
    fn new(file: FileId, base: &'a str) -> Parser<'a> {
        Parser {
            base,
            file,
            depth: Cell::new(0),
            soft: RefCell::new(Vec::new()),
            comments: RefCell::new(Vec::new()),
            partial: RefCell::new(None),
        }
    }

    /// Byte offset of a remaining input within the file.
    fn offset(&self, rest: &str) -> u32 {
        (self.base.len() - rest.len()) as u32
    }

    /// The span from `start` (a remaining input) to `end` (a later remaining input).
    fn span(&self, start: &str, end: &str) -> Span {
        Span::new(self.file, self.offset(start), self.offset(end))
    }

    /// A span of `len` bytes at `at` (clamped to the end of the file).
    fn span_at(&self, at: &str, len: usize) -> Span {
        let start = self.offset(at);
        Span::new(self.file, start, start + len.min(at.len()) as u32)
    }

    /// An error that abandons the current declaration.
    fn fail<T>(&self, code: Code, at: Span, message: impl Into<String>, label: impl Into<String>) -> PResult<'a, T> {
        self.abandon(Diagnostic::new(code, at, message, label))
    }

    /// An error with help that abandons the current declaration.
    fn fail_help<T>(&self, code: Code, at: Span, message: &str, label: &str, help: &str) -> PResult<'a, T> {
        self.abandon(Diagnostic::new(code, at, message, label).help(help))
    }

    /// Abandons the current declaration with this diagnostic.
    fn abandon<T>(&self, diagnostic: Diagnostic) -> PResult<'a, T> {
        Err(nom::Err::Failure(SyntaxError::new(diagnostic)))
    }

    /// "expected X, found Y" at the start of `i`.
    fn expected<T>(&self, i: &'a str, what: &str) -> PResult<'a, T> {
        let (found, len) = lexeme::describe(i);
        let message = format!("expected {what}, found {found}");
        let label = format!("expected {what}");
        match i.chars().next() {
            Some(';') => self.fail_help(
                Code::SyntaxError,
                self.span_at(i, len),
                &message,
                &label,
                "separate fields with a new line or `,`; there are no semicolons",
            ),
            _ => self.fail(Code::SyntaxError, self.span_at(i, len), message, label),
        }
    }

    /// Enters one level of nesting; errors past [`MAX_DEPTH`].
    fn enter(&self, i: &'a str) -> PResult<'a, ()> {
        let d = self.depth.get() + 1;
        if d > MAX_DEPTH {
            return self.abandon(
                Diagnostic::new(
                    Code::NestingTooDeep,
                    self.span_at(i, 1),
                    format!("brackets nested more than {MAX_DEPTH} deep"),
                    "too deep here",
                )
                .help("flatten the value, or give parts of it names with `let`"),
            );
        }
        self.depth.set(d);
        Ok((i, ()))
    }

    fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    fn soft_error(&self, diagnostic: Diagnostic) {
        self.soft.borrow_mut().push(diagnostic);
    }

    /// Turns a failed production into a diagnostic.
    fn report(&self, err: nom::Err<SyntaxError>, at: &'a str) {
        let e = match err {
            nom::Err::Error(e) | nom::Err::Failure(e) => e,
            nom::Err::Incomplete(_) => {
                <SyntaxError as nom::error::ParseError<&str>>::from_error_kind(at, nom::error::ErrorKind::Eof)
            }
        };
        let mut d = *e.0;
        if d.primary.span == Span::default() && d.code == Code::SyntaxError {
            d.primary.span = self.span_at(at, 1);
        }
        self.soft.borrow_mut().push(d);
    }
}
