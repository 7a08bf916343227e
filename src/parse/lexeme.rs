//! Lexemes: whitespace and comments, identifiers, numbers with units, strings.

use super::{PResult, Parser};
use crate::ast::{Decimal, Expr, ExprKind, Ident, StrPart};
use crate::diagnostic::{Code, Diagnostic};
use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::digit1;
use nom::Parser as _;

/// Words that cannot be used as names in expressions.
pub const RESERVED: &[&str] = &["import", "as", "with", "for", "true", "false", "let"];

pub fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

pub fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// A short description of what starts `i`, for "found …" in messages, and its length in bytes.
pub fn describe(i: &str) -> (String, usize) {
    let Some(c) = i.chars().next() else {
        return ("end of file".into(), 0);
    };
    if is_ident_start(c) {
        let len = i.find(|c: char| !is_ident_char(c)).unwrap_or(i.len());
        return (format!("`{}`", &i[..len]), len);
    }
    if c.is_ascii_digit() {
        let len = i.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '%')).unwrap_or(i.len());
        return (format!("`{}`", &i[..len]), len);
    }
    if c == '"' {
        return ("`\"`".into(), 1);
    }
    if c == '\n' {
        return ("end of line".into(), 1);
    }
    (format!("`{c}`"), c.len_utf8())
}

impl<'a> Parser<'a> {
    /// Whitespace and comments ahead, for looking past them; a problem there (an unclosed
    /// comment) is left for the caller that consumes them to report.
    pub(super) fn peek_ws(&self, i: &'a str) -> &'a str {
        self.ws(i).map_or(i, |(rest, ())| rest)
    }

    /// `ws = { white | comment }`, `white = ? any Unicode white-space character ?`, `comment = "//" { ? any character except a line feed ? } | "/*" ? any text not containing "*/" ? "*/"`
    pub(super) fn ws(&self, mut i: &'a str) -> PResult<'a, ()> {
        loop {
            let (rest, _) = take_while(|c: char| c.is_whitespace()).parse(i)?;
            i = rest;
            if let Some(body) = i.strip_prefix("//") {
                let len = body.find('\n').unwrap_or(body.len());
                self.comment(i, &body[len..]);
                i = &body[len..];
            } else if let Some(body) = i.strip_prefix("/*") {
                let Some(end) = body.find("*/") else {
                    return self.fail_help(
                        Code::UnterminatedString,
                        self.span_at(i, 2),
                        "block comment is not closed",
                        "comment starts here",
                        "add `*/` where the comment ends",
                    );
                };
                self.comment(i, &body[end + 2..]);
                i = &body[end + 2..];
            } else {
                return Ok((i, ()));
            }
        }
    }

    fn comment(&self, start: &'a str, end: &'a str) {
        let span = self.span(start, end);
        let mut comments = self.comments.borrow_mut();
        // Backtracking can skip the same comment twice; keep each once.
        if comments.last().is_none_or(|last| last.start < span.start) {
            comments.push(span);
        }
    }

    /// `ident = ( letter | "_" ) { letter | digit | "_" | "-" }`, `letter = ? an ASCII letter, A to Z or a to z ?`, `digit = ? an ASCII digit, 0 to 9 ?`
    pub(super) fn ident(&self, i: &'a str) -> PResult<'a, Ident> {
        if !i.starts_with(is_ident_start) {
            return self.expected(i, "a name");
        }
        let (rest, name) = take_while1(is_ident_char).parse(i)?;
        Ok((rest, Ident { name: name.to_string(), span: self.span(i, rest) }))
    }

    /// `name = ident - reserved`, `reserved = "import" | "as" | "with" | "for" | "true" | "false" | "let"`: a name that is not a reserved word.
    pub(super) fn name(&self, i: &'a str) -> PResult<'a, Ident> {
        let (rest, id) = self.ident(i)?;
        if RESERVED.contains(&id.name.as_str()) {
            return self.fail_help(
                Code::SyntaxError,
                id.span,
                &format!("`{}` is a reserved word", id.name),
                "reserved word",
                &format!("choose another name; reserved words are {}", crate::diagnostic::quoted(RESERVED.iter())),
            );
        }
        Ok((rest, id))
    }

    /// `number = digit { digit } [ "." digit { digit } ] [ unit ]`, `unit = ( letter | "%" ) { letter | "%" }`
    pub(super) fn number(&self, i: &'a str) -> PResult<'a, Expr> {
        let (mut rest, int) = digit1(i)?;
        let mut digits = int.to_string();
        let mut scale = 0;
        if let Some(frac) = rest.strip_prefix('.').filter(|f| f.starts_with(|c: char| c.is_ascii_digit())) {
            let (r, f) = digit1(frac)?;
            digits.push_str(f);
            scale = f.len() as u32;
            rest = r;
        }
        // A unit is a run of letters, or `%`.
        let (rest, unit) = if let Some(r) = rest.strip_prefix('%') {
            (r, "%")
        } else {
            take_while(|c: char| c.is_ascii_alphabetic()).parse(rest)?
        };
        if rest.starts_with(|c: char| is_ident_char(c) || c == '%') {
            let len = rest.find(|c: char| !(is_ident_char(c) || c == '%')).unwrap_or(rest.len());
            let bad = self.span(i, &rest[len..]);
            return self.fail_help(
                Code::SyntaxError,
                bad,
                &format!("`{}` is not a number with a unit", &i[..i.len() - rest.len() + len]),
                "not a number",
                "write a number and one unit, such as `250m`, `512Mi` or `10%`; separate it from what follows with a space",
            );
        }
        let span = self.span(i, rest);
        let Ok(mantissa) = digits.parse::<u64>() else {
            return self.fail(Code::OutOfRange, span, "number is too large", "does not fit in 64 bits");
        };
        let unit = (!unit.is_empty()).then(|| unit.to_string());
        Ok((rest, Expr { kind: ExprKind::Number { value: Decimal { mantissa, scale }, unit }, span }))
    }

    /// `string = '"' { char | escape | "${" expr "}" } '"'`, `char = ? any character except '"', "\", a line feed, and a "$" that begins "${" ?`
    pub(super) fn string(&self, i: &'a str) -> PResult<'a, Expr> {
        let Some(mut rest) = i.strip_prefix('"') else {
            return self.expected(i, "a string");
        };
        // The common case, a string with no escape and no interpolation, is taken as a slice:
        // one allocation of exactly its size (the syntax tree of a large fleet is mostly these).
        if let Some(end) = rest.find(['"', '\\', '$', '\n']) {
            if rest.as_bytes()[end] == b'"' {
                let text = rest[..end].to_string();
                let rest = &rest[end + 1..];
                return Ok((rest, Expr { kind: ExprKind::Str(vec![StrPart::Text(text)]), span: self.span(i, rest) }));
            }
        }
        let mut parts = Vec::new();
        let mut text = String::new();
        loop {
            let Some(c) = rest.chars().next() else {
                return self.unterminated(i);
            };
            match c {
                '"' => {
                    rest = &rest[1..];
                    break;
                }
                '\n' => return self.unterminated(i),
                '\\' => rest = self.escape(rest, &mut text),
                '$' if rest.starts_with("${") => {
                    if !text.is_empty() {
                        parts.push(StrPart::Text(std::mem::take(&mut text)));
                    }
                    self.enter(rest)?;
                    let (r, _) = self.ws(&rest[2..])?;
                    let (r, e) = self.expr(r)?;
                    self.leave();
                    let (r, _) = self.ws(r)?;
                    let Some(r) = r.strip_prefix('}') else {
                        return self.expected(r, "`}` to end the interpolation");
                    };
                    parts.push(StrPart::Interp(e));
                    rest = r;
                }
                _ => {
                    text.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        if !text.is_empty() || parts.is_empty() {
            text.shrink_to_fit();
            parts.push(StrPart::Text(text));
        }
        parts.shrink_to_fit();
        Ok((rest, Expr { kind: ExprKind::Str(parts), span: self.span(i, rest) }))
    }

    /// `plain_string = '"' { char | escape } '"'`: a string with no interpolation (import paths, field keys, declaration names).
    pub(super) fn plain_string(&self, i: &'a str) -> PResult<'a, (String, crate::source::Span)> {
        let (rest, e) = self.string(i)?;
        let ExprKind::Str(parts) = e.kind else { unreachable!("string() returns a string") };
        let mut out = String::new();
        for part in parts {
            match part {
                StrPart::Text(t) => out.push_str(&t),
                StrPart::Interp(x) => {
                    return self.fail(
                        Code::SyntaxError,
                        x.span,
                        "interpolation is not allowed here",
                        "must be a plain string",
                    )
                }
            }
        }
        Ok((rest, (out, e.span)))
    }

    fn unterminated<T>(&self, start: &'a str) -> PResult<'a, T> {
        let line_end = start.find('\n').unwrap_or(start.len());
        let span = self.span_at(start, line_end);
        self.fail_help(
            Code::UnterminatedString,
            span,
            "string is not closed",
            "this string has no closing `\"`",
            "add a `\"` before the end of the line",
        )
    }

    /// `escape = "\" ( '"' | "\" | "n" | "t" | "$" )`; an unknown escape is reported and kept.
    fn escape(&self, rest: &'a str, text: &mut String) -> &'a str {
        let mut chars = rest[1..].chars();
        let c = chars.next();
        let decoded = match c {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('n') => '\n',
            Some('t') => '\t',
            Some('$') => '$',
            None | Some('\n') => return &rest[1..], // the unclosed string is reported instead
            _ => {
                let len = 1 + c.map_or(0, char::len_utf8);
                let span = self.span_at(rest, len);
                self.soft_error(
                    Diagnostic::new(Code::InvalidEscape, span, "unknown escape sequence", "not an escape")
                        .help("use one of `\\\"`, `\\\\`, `\\n`, `\\t`, `\\$`"),
                );
                c.unwrap_or('\\')
            }
        };
        text.push(decoded);
        &rest[1 + decoded_len(c)..]
    }
}

fn decoded_len(c: Option<char>) -> usize {
    c.map_or(0, char::len_utf8)
}
