//! Typed accessors over a checked record, used while building the model.

use super::Word;
use crate::check::{Checked, CheckedRecord, Typed};
use crate::source::{Span, Spanned};
use indexmap::IndexMap;

/// Typed accessors over a checked record; a missing or invalid field reads as `None`.
pub(crate) struct Reader<'a>(pub &'a CheckedRecord);

impl<'a> Reader<'a> {
    pub fn get(&self, name: &str) -> Option<&'a Checked> {
        self.0.get(name)
    }
    pub fn str(&self, name: &str) -> Option<Spanned<String>> {
        match self.get(name)? {
            Checked { value: Typed::Str(s) | Typed::Word(s), span } => Some(Spanned::new(s.clone(), *span)),
            _ => None,
        }
    }
    pub fn string(&self, name: &str) -> Option<String> {
        self.str(name).map(|s| s.value)
    }
    /// A word of a closed set (`provider = gke`); `None` when missing or not in the set.
    pub fn word<W: Word>(&self, name: &str) -> Option<W> {
        self.spanned_word(name).map(|w| w.value)
    }
    pub fn spanned_word<W: Word>(&self, name: &str) -> Option<Spanned<W>> {
        let s = self.str(name)?;
        Some(Spanned::new(W::parse(&s.value)?, s.span))
    }
    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name)?.value {
            Typed::Bool(b) => Some(b),
            _ => None,
        }
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name)?.value {
            Typed::Int(i) => Some(i),
            _ => None,
        }
    }
    pub fn duration(&self, name: &str) -> Option<u64> {
        match self.get(name)?.value {
            Typed::Duration(ms) => Some(ms),
            _ => None,
        }
    }
    pub fn quantity(&self, name: &str) -> Option<Spanned<u64>> {
        match self.get(name)? {
            Checked { value: Typed::Cpu(q) | Typed::Memory(q), span } => Some(Spanned::new(*q, *span)),
            _ => None,
        }
    }
    pub fn percent(&self, name: &str) -> Option<Spanned<u32>> {
        match self.get(name)? {
            Checked { value: Typed::Percent(p), span } => Some(Spanned::new(*p, *span)),
            _ => None,
        }
    }
    pub fn range(&self, name: &str) -> Option<Spanned<(i64, i64)>> {
        match self.get(name)? {
            Checked { value: Typed::Range(a, b), span } => Some(Spanned::new((*a, *b), *span)),
            _ => None,
        }
    }
    pub fn record(&self, name: &str) -> Option<(&'a CheckedRecord, Span)> {
        match self.get(name)? {
            Checked { value: Typed::Record(r), span } => Some((r, *span)),
            _ => None,
        }
    }
    pub fn strs(&self, name: &str) -> Vec<Spanned<String>> {
        self.list(name)
            .iter()
            .filter_map(|c| match &c.value {
                Typed::Str(s) | Typed::Word(s) => Some(Spanned::new(s.clone(), c.span)),
                _ => None,
            })
            .collect()
    }
    pub fn list(&self, name: &str) -> &'a [Checked] {
        match self.get(name) {
            Some(Checked { value: Typed::List(items), .. }) => items,
            _ => &[],
        }
    }
    pub fn spanned_str_map(&self, name: &str) -> IndexMap<String, Spanned<String>> {
        match self.get(name) {
            Some(Checked { value: Typed::Map(m), .. }) => m
                .iter()
                .filter_map(|(k, v)| match &v.value {
                    Typed::Str(s) => Some((k.clone(), Spanned::new(s.clone(), v.span))),
                    _ => None,
                })
                .collect(),
            _ => IndexMap::new(),
        }
    }
    pub fn str_map(&self, name: &str) -> IndexMap<String, String> {
        match self.get(name) {
            Some(Checked { value: Typed::Map(m), .. }) => m
                .iter()
                .filter_map(|(k, v)| match &v.value {
                    Typed::Str(s) => Some((k.clone(), s.clone())),
                    _ => None,
                })
                .collect(),
            _ => IndexMap::new(),
        }
    }
}
