//! Expressions: literals, lists, records, references, ranges, steps and `with` overrides.

use super::lexeme::{is_ident_char, is_ident_start, RESERVED};
use super::{PResult, Parser};
use crate::ast::{Expr, ExprKind, Field, Ident, Record};
use crate::diagnostic::{Code, Diagnostic};

/// `i` starts with the keyword `kw` as a whole word.
pub(super) fn keyword<'a>(i: &'a str, kw: &str) -> Option<&'a str> {
    let rest = i.strip_prefix(kw)?;
    (!rest.starts_with(is_ident_char)).then_some(rest)
}

/// `i` starts a record field (`name =` or `name {`): a list that meets one was not closed.
fn at_field_start(i: &str) -> bool {
    if !i.starts_with(is_ident_start) {
        return false;
    }
    let len = i.find(|c: char| !is_ident_char(c)).unwrap_or(i.len());
    let after = i[len..].trim_start_matches([' ', '\t']);
    (after.starts_with('=') && !after.starts_with("==")) || after.starts_with('{')
}

impl<'a> Parser<'a> {
    /// `expr = step { "with" record }`
    ///
    /// Each `with` of a chain nests the tree one level deeper, so it counts towards
    /// [`super::MAX_DEPTH`] like a bracket (a long generated chain must not exhaust the stack).
    pub(super) fn expr(&self, i: &'a str) -> PResult<'a, Expr> {
        let (mut i, mut e) = self.step(i)?;
        let mut chained = 0;
        loop {
            let Some(r) = keyword(self.peek_ws(i), "with") else {
                (0..chained).for_each(|_| self.leave());
                return Ok((i, e));
            };
            let (r, _) = self.ws(r)?;
            if !r.starts_with('{') {
                return self.expected(r, "`{` after `with`");
            }
            self.enter(r)?;
            chained += 1;
            let (r, rec) = self.record(r)?;
            e = Expr { span: e.span.to(rec.span), kind: ExprKind::With(Box::new(e), rec) };
            i = r;
        }
    }

    /// `step = range [ "for" range ]`
    fn step(&self, i: &'a str) -> PResult<'a, Expr> {
        let (i, first) = self.range(i)?;
        let Some(r) = keyword(self.peek_ws(i), "for") else { return Ok((i, first)) };
        let (r, _) = self.ws(r)?;
        let (r, second) = self.range(r)?;
        let span = first.span.to(second.span);
        Ok((r, Expr { kind: ExprKind::Step(Box::new(first), Box::new(second)), span }))
    }

    /// `range = primary [ ".." primary ]`
    fn range(&self, i: &'a str) -> PResult<'a, Expr> {
        let (i, lo) = self.primary(i)?;
        let Some(r) = self.peek_ws(i).strip_prefix("..") else { return Ok((i, lo)) };
        let (r, _) = self.ws(r)?;
        let (r, hi) = self.primary(r)?;
        let span = lo.span.to(hi.span);
        Ok((r, Expr { kind: ExprKind::Range(Box::new(lo), Box::new(hi)), span }))
    }

    /// `primary = number | string | "true" | "false" | list | record | tagged | path | paren`
    fn primary(&self, i: &'a str) -> PResult<'a, Expr> {
        let Some(c) = i.chars().next() else { return self.expected(i, "a value") };
        match c {
            '0'..='9' => self.number(i),
            '"' => self.string(i),
            '[' => self.list(i),
            '{' => {
                let (r, rec) = self.record(i)?;
                Ok((r, Expr { span: rec.span, kind: ExprKind::Record(rec) }))
            }
            '(' => self.paren(i),
            c if is_ident_start(c) => self.word(i),
            _ => self.expected(i, "a value"),
        }
    }

    /// `paren = "(" expr ")"`
    fn paren(&self, i: &'a str) -> PResult<'a, Expr> {
        self.enter(i)?;
        let (r, _) = self.ws(&i[1..])?;
        let (r, mut e) = self.expr(r)?;
        let (r, _) = self.ws(r)?;
        let Some(r) = r.strip_prefix(')') else { return self.unclosed(r, i, "`)`") };
        self.leave();
        e.span = self.span(i, r);
        Ok((r, e))
    }

    /// `tagged = name record`, `path = name { "." name }`, or a boolean.
    fn word(&self, i: &'a str) -> PResult<'a, Expr> {
        let (r, first) = self.ident(i)?;
        match first.name.as_str() {
            "true" | "false" => return Ok((r, Expr { kind: ExprKind::Bool(first.name == "true"), span: first.span })),
            name if RESERVED.contains(&name) => {
                return self.fail(
                    Code::SyntaxError,
                    first.span,
                    format!("expected a value, found `{name}`"),
                    "reserved word",
                );
            }
            _ => {}
        }
        let after_ws = self.peek_ws(r);
        if after_ws.starts_with('{') {
            let (r, record) = self.record(after_ws)?;
            let span = first.span.to(record.span);
            return Ok((r, Expr { kind: ExprKind::Tagged { tag: first, record }, span }));
        }
        let mut segments = vec![first];
        let mut r = r;
        while let Some(rest) = r.strip_prefix('.').filter(|s| s.starts_with(is_ident_start)) {
            let (rest, id) = self.name(rest)?;
            segments.push(id);
            r = rest;
        }
        let span = self.span(i, r);
        segments.shrink_to_fit();
        Ok((r, Expr { kind: ExprKind::Path(segments), span }))
    }

    /// `list = "[" [ expr { "," expr } [ "," ] ] "]"`
    fn list(&self, i: &'a str) -> PResult<'a, Expr> {
        self.enter(i)?;
        let mut items = Vec::new();
        let (mut r, _) = self.ws(&i[1..])?;
        loop {
            if let Some(rest) = r.strip_prefix(']') {
                self.leave();
                // Exact sizes: the tree of a large fleet is held whole while it is compiled.
                items.shrink_to_fit();
                return Ok((rest, Expr { kind: ExprKind::List(items), span: self.span(i, rest) }));
            }
            if r.is_empty() || self.at_decl_start(r) {
                return self.unclosed(r, i, "`]`");
            }
            let (rest, e) = self.expr(r)?;
            items.push(e);
            let (rest, _) = self.ws(rest)?;
            r = match rest.strip_prefix(',') {
                Some(rest) => self.ws(rest)?.0,
                None if rest.starts_with(']') => rest,
                None if rest.is_empty()
                    || rest.starts_with(['}', ')'])
                    || self.at_decl_start(rest)
                    || at_field_start(rest) =>
                {
                    return self.unclosed(rest, i, "`]`")
                }
                None => return self.expected(rest, "`,` or `]`"),
            };
        }
    }

    /// `record = "{" { field [ "," ] } "}"`
    pub(super) fn record(&self, i: &'a str) -> PResult<'a, Record> {
        self.enter(i)?;
        let mut fields = Vec::new();
        let (mut r, _) = self.ws(&i[1..])?;
        loop {
            if let Some(rest) = r.strip_prefix('}') {
                self.leave();
                fields.shrink_to_fit();
                return Ok((rest, Record { fields, span: self.span(i, rest) }));
            }
            if r.is_empty() || self.at_decl_start(r) {
                return self.unclosed(r, i, "`}`");
            }
            let (rest, field) = self.field(r)?;
            fields.push(field);
            let (rest, _) = self.ws(rest)?;
            r = match rest.strip_prefix(',') {
                Some(rest) => self.ws(rest)?.0,
                None => rest,
            };
        }
    }

    /// `field = key ( "=" expr | record )`, `key = ident | plain_string`
    fn field(&self, i: &'a str) -> PResult<'a, Field> {
        let (r, key) = if i.starts_with('"') {
            let (r, (name, span)) = self.plain_string(i)?;
            (r, Ident { name, span })
        } else if i.starts_with(is_ident_start) {
            self.ident(i)?
        } else {
            return self.expected(i, "a field name or `}`");
        };
        let (r, _) = self.ws(r)?;
        let (r, value) = if let Some(r) = r.strip_prefix('=') {
            let (r, _) = self.ws(r)?;
            self.expr(r)?
        } else if r.starts_with('{') {
            let (r, rec) = self.record(r)?;
            (r, Expr { span: rec.span, kind: ExprKind::Record(rec) })
        } else {
            return self.expected(r, &format!("`=` after field `{}`", key.name));
        };
        let span = key.span.to(value.span);
        Ok((r, Field { key, value, span }))
    }

    /// Reports an unclosed bracket opened at `open`, found missing at `at`.
    fn unclosed<T>(&self, at: &'a str, open: &'a str, closer: &str) -> PResult<'a, T> {
        let (found, len) = super::lexeme::describe(at);
        let missing =
            (!at.is_empty()).then(|| (self.span_at(at, len.max(1)), format!("expected {closer} before this")));
        let mut d = Diagnostic::new(
            Code::UnclosedDelimiter,
            self.span_at(open, 1),
            format!("unclosed `{}`: expected {closer}, found {found}", &open[..1]),
            "this is never closed",
        )
        .help(format!("add {closer} where the value ends"));
        if let Some((span, label)) = missing {
            d = d.label(span, label);
        }
        self.abandon(d)
    }
}
