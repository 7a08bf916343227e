//! The checker's messages that several checks share: "expected …, found …", unknown names
//! with the closest candidate as a suggestion, unknown variants.

use super::schema::{Schema, Type};
use super::Checker;
use crate::ast::DeclKind;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::Value;
use crate::source::Span;
use crate::suggest;

impl Checker<'_> {
    pub(super) fn mismatch(&self, v: &Value, expected: &str, label: &str) -> Diagnostic {
        Diagnostic::new(
            Code::TypeMismatch,
            v.span,
            format!("expected {expected}, found {}", v.describe(self.program)),
            label,
        )
    }

    /// "unknown strategy `carefull`", with the closest visible name and, when the standard
    /// library has it, the import to add.
    pub(super) fn unknown_name(&self, name: &str, kind: DeclKind, span: Span, quoted: bool) -> Diagnostic {
        let mut candidates: Vec<String> = match self.program.module_of_file(span.file) {
            Some(m)
                if kind.is_referable() && !matches!(kind, DeclKind::Target | DeclKind::Wave | DeclKind::Cluster) =>
            {
                self.program.visible(m, Some(kind))
            }
            _ => self.program.of_kind(kind).map(|id| self.program.decl(id).name.name.clone()).collect(),
        };
        candidates.sort();
        candidates.dedup();
        let mut diag = Diagnostic::new(
            Code::UnknownName,
            span,
            format!("unknown {} `{name}`", kind.keyword()),
            format!("no {} of this name", kind.keyword()),
        );
        match suggest::closest(name, candidates.iter().map(String::as_str)) {
            // A name written as a string (`target = "gke"`) keeps its quotes.
            Some(c) if quoted => diag = diag.suggest_as(span, c, format!("\"{c}\"")),
            Some(c) => diag = diag.suggest(span, c),
            None => {
                if let Some(home) = self.program.std_home(kind, name) {
                    let alias = home.trim_start_matches("std/");
                    diag = diag.help(format!(
                        "`{name}` is in the standard library: add `import \"{home}\"` and write `{alias}.{name}`"
                    ));
                }
            }
        }
        if !candidates.is_empty() && candidates.len() <= 12 {
            diag = diag.note(format!("known: {}", crate::diagnostic::quoted(candidates.iter())));
        }
        diag
    }
}

/// What a field of type `ty` expects, for "expected …, found …": "a duration", "one of `a`, `b`".
pub(super) fn expected(ty: &Type) -> String {
    let noun = ty.describe();
    if noun.starts_with("one of ") {
        noun
    } else {
        with_article(&noun)
    }
}

/// "a duration", "an integer", "an image reference".
pub(super) fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// A variant record whose tag is none of the variants: `postgress { … }` for a service.
pub(super) fn unknown_variant(tag: &crate::ast::Ident, variants: &[&Schema], noun: &str) -> Diagnostic {
    Diagnostic::new(Code::UnknownWord, tag.span, format!("`{}` is not a kind of {noun}", tag.name), "unknown variant")
        .maybe_suggest(tag.span, &tag.name, variants.iter().map(|s| s.name))
        .note(format!(
            "a {noun} is one of {}",
            variants.iter().map(|s| format!("`{} {{ … }}`", s.name)).collect::<Vec<_>>().join(", ")
        ))
}
