//! Top level: imports and declarations, and resynchronisation after a syntax error.

use super::expr::keyword;
use super::lexeme::{is_ident_char, is_ident_start, RESERVED};
use super::{PResult, Parser};
use crate::ast::{BrokenDecl, Decl, DeclKind, Expr, ExprKind, Ident, Import, Item};
use crate::diagnostic::{Code, Diagnostic};

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
            self.partial.replace(None);
            let result = if self.at_line_start(i) || i.starts_with("import") { self.item(i) } else { self.trailing(i) };
            match result {
                Ok((rest, item)) => {
                    items.push(item);
                    i = rest;
                }
                Err(e) => {
                    self.report(e, i);
                    let rest = self.resync(i);
                    let span = self.span(i, rest);
                    items.push(match self.partial.take() {
                        Some((kind, name)) => Item::Broken(BrokenDecl { kind, name, span }),
                        None => Item::Error(span),
                    });
                    i = rest;
                }
            }
        }
        items.shrink_to_fit();
        items
    }

    fn at_line_start(&self, i: &'a str) -> bool {
        let before = &self.base[..self.offset(i) as usize];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        before[line_start..].chars().all(char::is_whitespace) || self.at_decl_start_anywhere(i)
    }

    /// A declaration keyword and name, even in the middle of a line (`partner "a" {} partner "b" {}`).
    fn at_decl_start_anywhere(&self, i: &'a str) -> bool {
        let word_len = i.find(|c: char| !is_ident_char(c)).unwrap_or(i.len());
        DeclKind::from_keyword(&i[..word_len]).is_some()
    }

    /// Something after a complete declaration on the same line (`let x = a b`).
    fn trailing<T>(&self, i: &'a str) -> PResult<'a, T> {
        let (found, len) = super::lexeme::describe(i);
        self.fail_help(
            Code::SyntaxError,
            self.span_at(i, len),
            &format!("unexpected {found} after the end of a declaration"),
            "the declaration before already ended",
            "start each declaration on its own line; a value is one expression",
        )
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
            let d = Diagnostic::new(
                Code::UnknownDeclKind,
                word.span,
                format!("`{}` is not a kind of declaration", word.name),
                "unknown declaration kind",
            )
            .help("a declaration starts with `platform`, `release`, `strategy`, `plan`, `partner`, `target`, `cluster`, `wave` or `let`")
            .maybe_suggest(word.span, &word.name, kinds);
            return self.abandon(d);
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
        self.partial.replace(Some((kind, name.clone())));
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
        // Cheapest test first: most fields and list items do not start with a keyword.
        let word_len = i.find(|c: char| !is_ident_char(c)).unwrap_or(i.len());
        let word = &i[..word_len];
        if word != "import" && DeclKind::from_keyword(word).is_none() {
            return false;
        }
        let before = &self.base[..self.offset(i) as usize];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        if !before[line_start..].chars().all(char::is_whitespace) {
            return false;
        }
        let after = i[word_len..].trim_start_matches([' ', '\t']);
        if after.len() == i[word_len..].len() {
            return false;
        }
        if word == "import" {
            return after.starts_with('"');
        }
        if DeclKind::from_keyword(word).is_none() {
            return false;
        }
        // `partner "x"`, or `plan big {` / `let x =`; not `plan for 10m` in a list.
        if after.starts_with('"') {
            return true;
        }
        let name_len = after.find(|c: char| !is_ident_char(c)).unwrap_or(after.len());
        let name = &after[..name_len];
        let rest = after[name_len..].trim_start_matches([' ', '\t']);
        name_len > 0 && !RESERVED.contains(&name) && (rest.starts_with('{') || rest.starts_with('='))
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
