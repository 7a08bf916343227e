//! Checking: each evaluated value against the type its field expects. Closed schemas
//! (unknown fields are errors), required fields, units read by type, shapes of images and
//! domains. The output is a [`Checked`] tree with units resolved to base quantities, from
//! which the model is built without further checks.

mod bounds;
pub mod reference;
mod reference_table;
pub mod repair;
mod report;
pub mod schema;
pub mod shapes;
pub mod suspicious;
pub mod units;

use crate::ast::DeclKind;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::eval::{Rec, Value, ValueKind};
use crate::resolve::{self, DeclId, Program, WordMeaning};
use crate::source::Span;
use crate::suggest;
use indexmap::IndexMap;
use report::{expected, unknown_variant};
use schema::{Body, Schema, Type};
use units::UnitError;

/// A value of a known type, quantities in base units.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    Str(String),
    Int(i64),
    Bool(bool),
    /// Milliseconds.
    Duration(u64),
    /// Millicores.
    Cpu(u64),
    /// Bytes.
    Memory(u64),
    /// Hundredths of a percent (`12.5%` is 1250).
    Percent(u32),
    Range(i64, i64),
    Word(String),
    List(Vec<Checked>),
    Map(IndexMap<String, Checked>),
    Record(CheckedRecord),
    /// A traffic weight (hundredths of a percent) held for milliseconds.
    Step {
        weight: u32,
        hold_ms: u64,
    },
    /// Reported already; the model falls back to a default.
    Invalid,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub value: Typed,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckedRecord {
    /// The variant of a tagged record (`canary`).
    pub tag: Option<&'static str>,
    pub fields: IndexMap<&'static str, Checked>,
    /// The declaration the record came from (`plans.medium`).
    pub origin: Option<DeclId>,
}

impl CheckedRecord {
    pub fn get(&self, name: &str) -> Option<&Checked> {
        self.fields.get(name).filter(|c| c.value != Typed::Invalid)
    }
}

/// Checks values against schemas.
pub struct Checker<'p> {
    program: &'p Program,
    /// The declaration being checked, named in messages about its nested records.
    current: std::cell::Cell<Option<DeclId>>,
}

impl<'p> Checker<'p> {
    pub fn new(program: &'p Program) -> Self {
        Checker { program, current: std::cell::Cell::new(None) }
    }

    /// A declaration of `kind` named `name`, anywhere in the program.
    pub fn named(&self, kind: DeclKind, name: &str) -> Option<DeclId> {
        self.program.named(kind, name)
    }

    /// Checks a declaration's value; `anchor` is where missing fields are reported (its name).
    pub fn decl(&self, kind: DeclKind, value: &Value, anchor: Span, d: &mut Diagnostics) -> Checked {
        self.current.set(value.rec().and_then(|r| r.origin));
        match schema::body(kind) {
            Body::Any => Checked { value: Typed::Invalid, span: value.span },
            _ => self.decl_body(kind, value, anchor, d),
        }
    }

    fn decl_body(&self, kind: DeclKind, v: &Value, anchor: Span, d: &mut Diagnostics) -> Checked {
        let invalid = Checked { value: Typed::Invalid, span: v.span };
        if let Some(origin) = v.rec().and_then(|r| r.origin) {
            let found = self.program.kind(origin);
            if found != kind {
                d.push(self.mismatch(v, &format!("a {}", kind.keyword()), "wrong kind of declaration"));
                return invalid;
            }
        }
        match (schema::body(kind), &v.kind) {
            (Body::Record(s), ValueKind::Record(rec)) => self.record(rec, s, None, anchor, d, v.span),
            (Body::Tagged(variants), ValueKind::Tagged { tag, rec }) => {
                let Some(s) = variants.iter().find(|s| s.name == tag.name) else {
                    d.push(unknown_variant(tag, variants, kind.keyword()));
                    return invalid;
                };
                self.record(rec, s, Some(s.name), anchor, d, v.span)
            }
            (_, ValueKind::Error) => invalid,
            (_, ValueKind::Word(w)) => {
                if !self.program.is_broken_named(kind, w) {
                    d.push(self.unknown_name(w, kind, v.span, false));
                }
                invalid
            }
            (Body::Tagged(variants), ValueKind::Record(_)) => {
                d.push(
                    self.mismatch(v, &format!("a {}", kind.keyword()), "a record without a variant")
                        .help(format!("name the variant before the braces, e.g. `{} {{ … }}`", variants[0].name)),
                );
                invalid
            }
            _ => {
                d.push(self.mismatch(v, &format!("a {}", kind.keyword()), "wrong type"));
                invalid
            }
        }
    }

    fn record(
        &self,
        rec: &Rec,
        s: &'static Schema,
        tag: Option<&'static str>,
        anchor: Span,
        d: &mut Diagnostics,
        span: Span,
    ) -> Checked {
        let mut fields = IndexMap::new();
        for (key, field) in &rec.fields {
            let Some(fs) = s.field(key) else {
                let names = s.fields.iter().map(|f| f.name);
                d.push(
                    Diagnostic::new(
                        Code::UnknownField,
                        field.key_span,
                        format!("unknown field `{key}` in {}", s.name),
                        format!("{} has no field `{key}`", s.name),
                    )
                    .maybe_suggest(field.key_span, key, names)
                    .note(format!(
                        "{} fields: {}",
                        s.name,
                        crate::diagnostic::quoted(s.fields.iter().map(|f| &f.name))
                    )),
                );
                continue;
            };
            let mut checked = self.value(&field.value, &fs.ty, d);
            let origin = rec.origin.or(self.current.get());
            let at = bounds::Place { field: fs.name, record: s.name, origin, program: self.program };
            bounds::within(&mut checked, &fs.ty, &at, d);
            suspicious::field(s, fs, &field.value, &checked, d);
            fields.insert(fs.name, checked);
        }
        for fs in s.fields.iter().filter(|f| f.required && !rec.fields.contains_key(f.name)) {
            d.push(
                Diagnostic::new(
                    Code::MissingField,
                    anchor,
                    format!("{} is missing required field `{}`", s.name, fs.name),
                    format!("no `{}` given", fs.name),
                )
                .help(format!(
                    "add `{} = …` ({})",
                    fs.name,
                    lowercase_first(fs.doc.trim_end_matches('.'))
                )),
            );
        }
        Checked { value: Typed::Record(CheckedRecord { tag, fields, origin: rec.origin }), span }
    }

    /// Checks one value against a type.
    pub fn value(&self, v: &Value, ty: &Type, d: &mut Diagnostics) -> Checked {
        let value = match self.typed(v, ty, d) {
            Ok(t) => t,
            Err(diag) => {
                if let Some(diag) = diag {
                    d.push(*diag);
                }
                Typed::Invalid
            }
        };
        Checked { value, span: v.span }
    }

    /// `Err(None)`: invalid, already reported.
    fn typed(&self, v: &Value, ty: &Type, d: &mut Diagnostics) -> Result<Typed, Option<Box<Diagnostic>>> {
        let fail = |diag: Diagnostic| Err(Some(Box::new(diag)));
        if let ValueKind::Error = v.kind {
            return Err(None);
        }
        // A bare word where the field expects a word is that word, also when a declaration of
        // the same name exists (`plan = medium` next to a user's plan `medium`).
        if let Some(w) = &v.word {
            match resolve::word_meaning(ty, w) {
                WordMeaning::Word => return Ok(Typed::Word(w.clone())),
                WordMeaning::Named(kind) if self.named(kind, w).is_some() => return Ok(Typed::Word(w.clone())),
                _ => {}
            }
        }
        match (ty, &v.kind) {
            (Type::Record(schema), ValueKind::Record(rec)) if rec.origin.is_none() => {
                match self.record(rec, schema, None, v.span, d, v.span) {
                    Checked { value: Typed::Invalid, .. } => Err(None),
                    c => Ok(c.value),
                }
            }
            (Type::Variant(variants), ValueKind::Tagged { tag, rec }) if rec.origin.is_none() => {
                let Some(s) = variants.iter().find(|s| s.name == tag.name) else {
                    return fail(unknown_variant(tag, variants, "service"));
                };
                match self.record(rec, s, Some(s.name), v.span, d, v.span) {
                    Checked { value: Typed::Invalid, .. } => Err(None),
                    c => Ok(c.value),
                }
            }
            (Type::Decl(kind), _) => match self.decl_body(*kind, v, v.span, d) {
                Checked { value: Typed::Invalid, .. } => Err(None),
                c => Ok(c.value),
            },
            (Type::Name(kind), ValueKind::Word(w) | ValueKind::Str(w)) => match self.named(*kind, w) {
                Some(_) => Ok(Typed::Word(w.clone())),
                None if self.program.is_broken_named(*kind, w) => Err(None),
                None => fail(self.unknown_name(w, *kind, v.span, matches!(v.kind, ValueKind::Str(_)))),
            },
            (
                Type::Name(kind),
                ValueKind::Record(Rec { origin: Some(origin), .. })
                | ValueKind::Tagged { rec: Rec { origin: Some(origin), .. }, .. },
            ) if self.program.kind(*origin) == *kind => Ok(Typed::Word(self.program.decl(*origin).name.name.clone())),
            (_, ValueKind::Str(s)) if ty.is_stringlike() => self.string(s, ty, v.span).map_err(Some),
            (Type::Scalar, ValueKind::Bool(b)) | (Type::Bool, ValueKind::Bool(b)) => Ok(Typed::Bool(*b)),
            (Type::Channel, ValueKind::Word(w)) => Ok(Typed::Word(w.clone())),
            (Type::Enum(words), ValueKind::Word(w)) => {
                if words.contains(&w.as_str()) {
                    Ok(Typed::Word(w.clone()))
                } else {
                    fail(
                        Diagnostic::new(
                            Code::UnknownWord,
                            v.span,
                            format!("`{w}` is not one of {}", ty.describe().trim_start_matches("one of ")),
                            "not an allowed choice",
                        )
                        .maybe_suggest(v.span, w, words.iter().copied()),
                    )
                }
            }
            (_, ValueKind::Number { value, unit }) => self.number(*value, unit.as_deref(), ty, v.span).map_err(Some),
            (Type::Range, ValueKind::Range(lo, hi)) => {
                let lo = self.value(lo, &Type::Int { min: 0, max: i64::MAX }, d);
                let hi = self.value(hi, &Type::Int { min: 0, max: i64::MAX }, d);
                match (lo.value, hi.value) {
                    (Typed::Int(a), Typed::Int(b)) => Ok(Typed::Range(a, b)),
                    _ => Err(None),
                }
            }
            (Type::Step, ValueKind::Step(weight, hold)) => {
                let w = self.value(weight, &Type::Percent, d);
                let h = self.value(hold, &Type::Duration, d);
                match (w.value, h.value) {
                    (Typed::Percent(weight), Typed::Duration(hold_ms)) => Ok(Typed::Step { weight, hold_ms }),
                    _ => Err(None),
                }
            }
            (Type::List(item), ValueKind::List(items)) => {
                Ok(Typed::List(items.iter().map(|x| self.value(x, item, d)).collect()))
            }
            (Type::Map(item), ValueKind::Record(rec)) if rec.origin.is_none() => {
                Ok(Typed::Map(rec.fields.iter().map(|(k, f)| (k.clone(), self.value(&f.value, item, d))).collect()))
            }
            (Type::Bool, ValueKind::Word(w)) => {
                fail(self.mismatch(v, "a boolean", "a bare word").help(format!("write `true` or `false`, not `{w}`")))
            }
            (
                Type::Cpu
                | Type::Memory
                | Type::Duration
                | Type::Percent
                | Type::IntOrPercent
                | Type::Int { .. }
                | Type::Range
                | Type::Bool,
                ValueKind::Str(s),
            ) => fail(self.mismatch(v, &expected(ty), "a string").help(format!("remove the quotes: `{s}`"))),
            // Words are written bare; a string is refused with the way to write it.
            (Type::Channel, ValueKind::Str(s)) => {
                fail(self.mismatch(v, &expected(ty), "a string").help(format!("write it without quotes: `{s}`")))
            }
            (Type::Enum(words), ValueKind::Str(s)) => {
                let diag = self.mismatch(v, &expected(ty), "a string");
                fail(if words.contains(&s.as_str()) {
                    diag.help(format!("write it without quotes: `{s}`"))
                } else {
                    match suggest::closest(s, words.iter().copied()) {
                        Some(c) => diag.help(format!("write one of the words without quotes, e.g. `{c}`")),
                        None => diag.help(format!("write one of the words without quotes: {}", ty.describe())),
                    }
                })
            }
            (_, ValueKind::Word(w)) if !ty.is_stringlike() => {
                let names =
                    self.program.module_of_file(v.span.file).map(|m| self.program.visible(m, None)).unwrap_or_default();
                fail(
                    Diagnostic::new(
                        Code::UnknownName,
                        v.span,
                        format!("unknown name `{w}`"),
                        format!("expected {}", ty.describe()),
                    )
                    .maybe_suggest(v.span, w, names.iter().map(String::as_str)),
                )
            }
            (_, ValueKind::Word(w)) => {
                fail(self.mismatch(v, &expected(ty), "a bare word").help(format!("write it as a string: `\"{w}\"`")))
            }
            _ => fail(self.mismatch(v, &expected(ty), "wrong type")),
        }
    }

    fn string(&self, s: &str, ty: &Type, span: Span) -> Result<Typed, Box<Diagnostic>> {
        let shape = match ty {
            Type::Image => shapes::image(s).map_err(|why| {
                Diagnostic::new(
                    Code::BadImage,
                    span,
                    format!("malformed image reference `{s}`: {why}"),
                    "not a valid image reference",
                )
                .help({
                    let repo = repair::image_repository(s);
                    format!("write `{repo}:<tag>` or, better, `{repo}@sha256:<64 hex digits>`")
                })
            }),
            Type::Domain => shapes::domain(s).map_err(|why| {
                Diagnostic::new(
                    Code::BadDomain,
                    span,
                    format!("malformed domain `{s}`: {why}"),
                    "not a valid domain name",
                )
                .help(match repair::domain(s) {
                    Some(fixed) => format!("write it as a lowercase DNS name: `\"{fixed}\"`"),
                    None => "write a lowercase DNS name of at least two labels, like `name.example`".into(),
                })
            }),
            Type::Cidr => shapes::egress(s)
                .and_then(
                    |()| if s.contains(':') { Err("has a port; an address range has none".into()) } else { Ok(()) },
                )
                .map_err(|why| {
                    Diagnostic::new(
                        Code::BadEgress,
                        span,
                        format!("malformed address range `{s}`: {why}"),
                        "not a CIDR",
                    )
                    .help(match repair::cidr(s) {
                        Some(fixed) => format!("write a prefix length, e.g. `\"{fixed}\"` for this one address"),
                        None => "write an IPv4 range with a prefix length, e.g. `\"10.0.0.0/8\"`".into(),
                    })
                }),
            Type::Egress => shapes::egress(s).map_err(|why| {
                Diagnostic::new(
                    Code::BadEgress,
                    span,
                    format!("malformed egress destination `{s}`: {why}"),
                    "not `CIDR` or `CIDR:port`",
                )
                .help(match repair::cidr(s) {
                    Some(fixed) => format!("write a prefix length, e.g. `\"{fixed}\"` for this one address"),
                    None => "write an address range with an optional port, e.g. `\"10.20.0.0/16:5432\"` or `\"0.0.0.0/0:443\"`".into(),
                })
            }),
            _ => Ok(()),
        };
        shape.map(|()| Typed::Str(s.to_string())).map_err(Box::new)
    }

    fn number(
        &self,
        n: crate::ast::Decimal,
        unit: Option<&str>,
        ty: &Type,
        span: Span,
    ) -> Result<Typed, Box<Diagnostic>> {
        let result = match ty {
            Type::Duration => units::duration_ms(n, unit).map(Typed::Duration),
            Type::Cpu => units::cpu_millis(n, unit).map(Typed::Cpu),
            Type::Memory => units::memory_bytes(n, unit).map(Typed::Memory),
            Type::Percent => units::percent_hundredths(n, unit).map(Typed::Percent),
            Type::IntOrPercent if unit == Some("%") => units::percent_hundredths(n, unit).map(Typed::Percent),
            Type::IntOrPercent | Type::Scalar => units::integer(n, unit).map(Typed::Int),
            Type::Int { min, max } => units::integer(n, unit).and_then(|i| {
                if i < *min || i > *max {
                    Err(UnitError::Range(format!("is outside {min}..{max}")))
                } else {
                    Ok(Typed::Int(i))
                }
            }),
            Type::Range => units::integer(n, unit).map(|i| Typed::Range(i, i)),
            _ => {
                let text = format!("{}{}", crate::eval::decimal_text(n), unit.unwrap_or(""));
                return Err(Box::new(Diagnostic::new(
                    Code::TypeMismatch,
                    span,
                    format!("expected {}, found the number `{text}`", expected(ty)),
                    "a number",
                )));
            }
        };
        result.map_err(|e| {
            // Only an error needs the literal's text.
            let text = format!("{}{}", crate::eval::decimal_text(n), unit.unwrap_or(""));
            Box::new(match e {
                UnitError::Wrong { .. } if *ty == Type::Scalar => Diagnostic::new(
                    Code::WrongUnit,
                    span,
                    format!("`{text}` is not a plain setting value"),
                    format!("`{text}` is {}", units::describe_unit(unit)),
                )
                .help(format!("settings are strings, whole numbers or booleans: write `\"{text}\"`")),
                UnitError::Wrong { help } => Diagnostic::new(
                    Code::WrongUnit,
                    span,
                    format!("`{text}` is not {}", report::with_article(&ty.describe())),
                    format!("`{text}` is {}", units::describe_unit(unit)),
                )
                .help(help),
                UnitError::Range(why) => {
                    let help = match ty {
                        Type::Percent | Type::IntOrPercent => "a percentage is from 0% to 100%".to_string(),
                        Type::Int { min, max } => format!("write a whole number from {min} to {max}"),
                        Type::Scalar => format!("write it as a string: `\"{text}\"`"),
                        _ => "write a whole number of the smallest unit, e.g. `250m` or `512Mi`".to_string(),
                    };
                    Diagnostic::new(Code::OutOfRange, span, format!("`{text}` {why}"), "out of range").help(help)
                }
            })
        })
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
