//! Top level: imports and declarations, and resynchronisation after a syntax error.

use super::expr::keyword;
use super::lexeme::{is_ident_char, is_ident_start};
use super::{PResult, Parser};
use crate::ast::{Decl, DeclKind, Expr, ExprKind, Ident, Import, Item};
use crate::diagnostic::Code;
use crate::suggest;

impl<'a> Parser<'a> {
    /// `file = { import | decl }`
    pub(super) fn items(&self) -> Vec<Item> {
        let mut items = Vec::new();
        let mut i = self.base;
        loop {
            match self.ws(i) {
                Ok((rest, ())) => i = rest,
                Err(e) => {
                    self.report(e, i);
                    break;
                }
            }
            if i.is_empty() {
                break;
            }
            self.depth.set(0);
            match self.item(i) {
                Ok((rest, item)) => {
                    items.push(item);
                    i = rest;
                }
                Err(e) => {
                    self.report(e, i);
                    let rest = self.resync(i);
                    items.push(Item::Error(self.span(i, rest)));
                    i = rest;
                }
            }
        }
        items
    }

    fn item(&self, i: &'a str) -> PResult<'a, Item> {
        if let Some(rest) = keyword(i, "import") {
            let (rest, import) = self.import(i, rest)?;
            return Ok((rest, Item::Import(import)));
        }
        if !i.starts_with(is_ident_start) {
            return self.expected(i, "a declaration or `import`");
        }
        let (rest, word) = self.ident(i)?;
        let Some(kind) = DeclKind::from_keyword(&word.name) else {
            let kinds = DeclKind::ALL.iter().map(|k| k.keyword()).chain(["import"]);
            let help = suggest::did_you_mean(&word.name, kinds)
                .unwrap_or_else(|| "a declaration starts with `platform`, `release`, `strategy`, `plan`, `partner`, `target`, `cluster`, `wave` or `let`".into());
            return self.fail_help(
                Code::UnknownDeclKind,
                word.span,
                &format!("`{}` is not a kind of declaration", word.name),
                "unknown declaration kind",
                &help,
            );
        };
        let (rest, decl) = self.decl(i, kind, word, rest)?;
        Ok((rest, Item::Decl(decl)))
    }

    /// `import = "import" plain_string [ "as" name ]`
    fn import(&self, start: &'a str, i: &'a str) -> PResult<'a, Import> {
        let (i, _) = self.ws(i)?;
        let (mut rest, (path, path_span)) = self.plain_string(i)?;
        let mut alias = None;
        let (r, _) = self.ws(rest)?;
        if let Some(r) = keyword(r, "as") {
            let (r, _) = self.ws(r)?;
            let (r, id) = self.name(r)?;
            alias = Some(id);
            rest = r;
        }
        Ok((rest, Import { path, path_span, alias, span: self.span(start, rest) }))
    }

    /// `decl = "let" name "=" expr | kind decl_name ( "=" expr | record )`, `kind = "platform" | "release" | "strategy" | "plan" | "partner" | "target" | "cluster" | "wave"`, `decl_name = name | plain_string`
    fn decl(&self, start: &'a str, kind: DeclKind, kw: Ident, i: &'a str) -> PResult<'a, Decl> {
        let (i, _) = self.ws(i)?;
        let (i, name) = if i.starts_with('"') && kind != DeclKind::Let {
            let (r, (name, span)) = self.plain_string(i)?;
            (r, Ident { name, span })
        } else if i.starts_with(is_ident_start) {
            self.name(i)?
        } else {
            return self.expected(i, &format!("a name for the {}", kind.keyword()));
        };
        let (i, _) = self.ws(i)?;
        let (rest, body) = if let Some(r) = i.strip_prefix('=') {
            let (r, _) = self.ws(r)?;
            self.expr(r)?
        } else if i.starts_with('{') && kind != DeclKind::Let {
            let (r, rec) = self.record(i)?;
            (r, Expr { span: rec.span, kind: ExprKind::Record(rec) })
        } else if kind == DeclKind::Let {
            return self.expected(i, "`=`");
        } else {
            return self.expected(i, "`{` or `=`");
        };
        Ok((rest, Decl { kind, kind_span: kw.span, name, body, span: self.span(start, rest) }))
    }

    /// Whether `i` is at the start of a line that begins a declaration or an import: a keyword
    /// followed by a name, e.g. `partner "x"` (a field such as `plan = …` does not count).
    pub(super) fn at_decl_start(&self, i: &'a str) -> bool {
        let before = &self.base[..self.offset(i) as usize];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        if !before[line_start..].chars().all(char::is_whitespace) {
            return false;
        }
        let word_len = i.find(|c: char| !is_ident_char(c)).unwrap_or(i.len());
        let word = &i[..word_len];
        if word != "import" && DeclKind::from_keyword(word).is_none() {
            return false;
        }
        let after = i[word_len..].trim_start_matches([' ', '\t']);
        after.len() < i[word_len..].len() && after.starts_with(|c: char| c == '"' || is_ident_start(c))
    }

    /// Skips past a broken declaration: to the next line that starts one, or the end.
    fn resync(&self, i: &'a str) -> &'a str {
        let mut rest = i;
        while let Some(nl) = rest.find('\n') {
            rest = &rest[nl + 1..];
            let trimmed = rest.trim_start_matches([' ', '\t']);
            if self.at_decl_start(trimmed) || looks_like_item(rest) {
                return trimmed;
            }
        }
        &rest[rest.len()..]
    }
}

/// A line at column 0 shaped like a declaration of an unknown kind (`partnr "x" {`), so that
/// each misspelt declaration is reported, not only the first.
fn looks_like_item(line: &str) -> bool {
    if !line.starts_with(is_ident_start) {
        return false;
    }
    let word_len = line.find(|c: char| !is_ident_char(c)).unwrap_or(line.len());
    let after = line[word_len..].trim_start_matches([' ', '\t']);
    after.len() < line.len() - word_len && after.starts_with(|c: char| c == '"' || is_ident_start(c))
}
