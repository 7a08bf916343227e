//! Evaluation: every declaration's body becomes a [`Value`]. References are followed (each
//! declaration evaluated once, cycles reported), `with` merges records, strings are
//! interpolated. Values are still untyped: `10m` stays a number with unit `m` until the checker
//! knows whether a duration or a CPU amount is expected.
//!
//! Every value keeps the span where it was written, so an inherited plan field points into the
//! plan and an override points at the override: this is the provenance `bdc why` shows.

use crate::ast::{Decimal, DeclKind, Expr, ExprKind, Ident, Record, StrPart};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::load::ModuleId;
use crate::resolve::{is_named_by_word, DeclId, Program, Resolved};
use crate::source::Span;
use indexmap::IndexMap;

#[derive(Clone, Debug)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
    /// The bare word this value was written as, when it is a reference to a declaration
    /// (`medium` naming plan `medium`): where the field expects a word, the word counts, not
    /// the declaration (see [`crate::resolve::word_meaning`]).
    pub word: Option<String>,
}

#[derive(Clone, Debug)]
pub enum ValueKind {
    Number {
        value: Decimal,
        unit: Option<String>,
    },
    Str(String),
    Bool(bool),
    List(Vec<Value>),
    Record(Rec),
    /// A variant record: `canary { … }`.
    Tagged {
        tag: Ident,
        rec: Rec,
    },
    Range(Box<Value>, Box<Value>),
    Step(Box<Value>, Box<Value>),
    /// A bare name that is not declared: an enum word (`stable`, `eks`) or, if the expected
    /// type is not a word, an unknown name (reported by the checker, which knows the type).
    Word(String),
    /// A hole already reported; later stages stay silent about it.
    Error,
}

/// A record's fields in written order, and the declaration it came from (for references and
/// `with`).
#[derive(Clone, Debug, Default)]
pub struct Rec {
    pub fields: IndexMap<String, RecField>,
    pub origin: Option<DeclId>,
}

#[derive(Clone, Debug)]
pub struct RecField {
    pub key_span: Span,
    pub value: Value,
}

impl Value {
    pub fn error(span: Span) -> Value {
        Value { kind: ValueKind::Error, span, word: None }
    }

    /// A short noun for messages: "a string", "a list", "plan `medium`".
    pub fn describe(&self, program: &Program) -> String {
        match &self.kind {
            ValueKind::Number { unit: None, .. } => "a number".into(),
            ValueKind::Number { unit: Some(u), .. } => format!("a number in `{u}`"),
            ValueKind::Str(_) => "a string".into(),
            ValueKind::Bool(_) => "a boolean".into(),
            ValueKind::List(_) => "a list".into(),
            ValueKind::Record(r) | ValueKind::Tagged { rec: r, .. } => match r.origin {
                Some(id) => format!("{} `{}`", program.kind(id).keyword(), program.decl(id).name.name),
                None if matches!(self.kind, ValueKind::Tagged { .. }) => "a variant record".into(),
                None => "a record".into(),
            },
            ValueKind::Range(..) => "a range".into(),
            ValueKind::Step(..) => "a step (`… for …`)".into(),
            ValueKind::Word(w) => format!("the word `{w}`"),
            ValueKind::Error => "an invalid value".into(),
        }
    }

    pub fn rec(&self) -> Option<&Rec> {
        match &self.kind {
            ValueKind::Record(r) | ValueKind::Tagged { rec: r, .. } => Some(r),
            _ => None,
        }
    }
}

#[derive(Clone)]
enum Slot {
    Todo,
    Busy,
    // Boxed: a slot per declaration, most of them never `Done` (partners), stays one word.
    Done(Box<Value>),
}

/// Evaluates declarations on demand, each once. A clone shares nothing with the original: the
/// compile loop gives one to each thread that evaluates partners.
#[derive(Clone)]
pub struct Evaluator<'p> {
    program: &'p Program,
    slots: Vec<Slot>,
    /// How many references deep evaluation is; bounded so the stack cannot overflow.
    depth: u32,
}

/// Longest chain of references followed (`let a = b`, `let b = c`, …).
pub const MAX_REFERENCE_DEPTH: u32 = 200;

impl<'p> Evaluator<'p> {
    pub fn new(program: &'p Program) -> Self {
        let slots = program.decls.iter().map(|_| Slot::Todo).collect();
        Evaluator { program, slots, depth: 0 }
    }

    /// The value of a declaration. Its span is the declaration's body.
    pub fn decl(&mut self, id: DeclId, diagnostics: &mut Diagnostics) -> Value {
        let decl = self.program.decl(id);
        match &self.slots[id.0 as usize] {
            Slot::Done(v) => return (**v).clone(),
            Slot::Busy => return Value::error(decl.name.span),
            Slot::Todo => {}
        }
        self.slots[id.0 as usize] = Slot::Busy;
        let module = self.program.module_of(id);
        let mut value = self.expr(module, &decl.body, diagnostics);
        if let Some(rec) = rec_mut(&mut value) {
            // `plan big = plans.large with { … }` is plan `big`; but `plan p = strategies.canary`
            // stays strategy `canary`, so the checker can say what it really is.
            let keeps_other_kind = rec.origin.is_some_and(|o| self.program.kind(o) != decl.kind);
            if decl.kind != DeclKind::Let && !keeps_other_kind {
                rec.origin = Some(id);
            }
        }
        if decl.kind.is_referable() {
            self.slots[id.0 as usize] = Slot::Done(Box::new(value.clone()));
        } else {
            // Nothing refers to partners or releases by value: do not keep a copy.
            self.slots[id.0 as usize] = Slot::Todo;
        }
        value
    }

    fn expr(&mut self, module: ModuleId, e: &Expr, diagnostics: &mut Diagnostics) -> Value {
        let kind = match &e.kind {
            ExprKind::Number { value, unit } => ValueKind::Number { value: *value, unit: unit.clone() },
            ExprKind::Str(parts) => return self.string(module, parts, e.span, diagnostics),
            ExprKind::Bool(b) => ValueKind::Bool(*b),
            ExprKind::List(items) => ValueKind::List(items.iter().map(|x| self.expr(module, x, diagnostics)).collect()),
            ExprKind::Record(r) => ValueKind::Record(self.record(module, r, diagnostics)),
            ExprKind::Tagged { tag, record } => {
                ValueKind::Tagged { tag: tag.clone(), rec: self.record(module, record, diagnostics) }
            }
            ExprKind::Path(segments) => return self.path(module, segments, e.span, diagnostics),
            ExprKind::Range(a, b) => ValueKind::Range(
                Box::new(self.expr(module, a, diagnostics)),
                Box::new(self.expr(module, b, diagnostics)),
            ),
            ExprKind::Step(a, b) => ValueKind::Step(
                Box::new(self.expr(module, a, diagnostics)),
                Box::new(self.expr(module, b, diagnostics)),
            ),
            ExprKind::With(base, overrides) => return self.with(module, base, overrides, e.span, diagnostics),
            ExprKind::Error => ValueKind::Error,
        };
        Value { kind, span: e.span, word: None }
    }

    fn record(&mut self, module: ModuleId, r: &Record, diagnostics: &mut Diagnostics) -> Rec {
        let mut rec = Rec::default();
        for field in &r.fields {
            let value = self.expr(module, &field.value, diagnostics);
            if let Some(prev) = rec.fields.get(&field.key.name) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateField,
                        field.key.span,
                        format!("field `{}` is set twice", field.key.name),
                        "set again here",
                    )
                    .label(prev.key_span, "first set here")
                    .help("remove one of the two"),
                );
                continue;
            }
            rec.fields.insert(field.key.name.clone(), RecField { key_span: field.key.span, value });
        }
        rec
    }

    /// `base with { … }`: fields of the override replace the base's; records merge deeply.
    fn with(
        &mut self,
        module: ModuleId,
        base: &Expr,
        overrides: &Record,
        span: Span,
        diagnostics: &mut Diagnostics,
    ) -> Value {
        let mut value = self.expr(module, base, diagnostics);
        let over = self.record(module, overrides, diagnostics);
        if matches!(value.kind, ValueKind::Error) {
            return Value::error(span);
        }
        let described = value.describe(self.program);
        let Some(rec) = rec_mut(&mut value) else {
            diagnostics.push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    base.span,
                    format!("`with` needs a record, found {described}"),
                    "not a record",
                )
                .help("use `with` on a plan, a strategy or another record"),
            );
            return Value::error(span);
        };
        merge(rec, over);
        value.span = span;
        value.word = None;
        value
    }

    fn string(&mut self, module: ModuleId, parts: &[StrPart], span: Span, diagnostics: &mut Diagnostics) -> Value {
        let mut out = String::new();
        for part in parts {
            match part {
                StrPart::Text(t) => out.push_str(t),
                StrPart::Interp(e) => {
                    let v = self.expr(module, e, diagnostics);
                    match &v.kind {
                        ValueKind::Str(s) => out.push_str(s),
                        ValueKind::Word(w) => {
                            let names = self.program.visible(module, None);
                            diagnostics.push(
                                Diagnostic::new(Code::UnknownName, e.span, format!("unknown name `{w}` in string interpolation"), "not declared or imported")
                                    .help(format!("interpolate a `let` or a field, e.g. `let {w} = \"…\"`; to write the text itself, leave out `${{}}`"))
                                    .maybe_suggest(e.span, w, names.iter().map(String::as_str)),
                            );
                            return Value::error(span);
                        }
                        ValueKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                        ValueKind::Number { value, unit } => {
                            out.push_str(&decimal_text(*value));
                            out.push_str(unit.as_deref().unwrap_or(""));
                        }
                        ValueKind::Error => return Value::error(span),
                        _ => {
                            let found = v.describe(self.program);
                            diagnostics.push(
                                Diagnostic::new(
                                    Code::BadInterpolation,
                                    e.span,
                                    format!("cannot put {found} inside a string"),
                                    "not a string, number or word",
                                )
                                .help("interpolate a single field, e.g. `${platform.registry}`"),
                            );
                            return Value::error(span);
                        }
                    }
                }
            }
        }
        Value { kind: ValueKind::Str(out), span, word: None }
    }

    /// The diagnostics of a path that names no value: a module alone, a module without that
    /// member, an unknown name. Out of line, so the recursive [`Evaluator::path`] keeps a
    /// small stack frame.
    #[inline(never)]
    fn unresolved(&self, module: ModuleId, segments: &[Ident], span: Span, resolved: Resolved) -> Vec<Diagnostic> {
        let first = &segments[0];
        let mut out = Vec::new();
        match resolved {
            Resolved::Module(_) => {
                out.push(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        span,
                        format!("`{}` is a module, not a value", first.name),
                        "a module",
                    )
                    .help(format!("name one of its declarations, e.g. `{}.<name>`", first.name)),
                );
            }
            Resolved::NoMember(target) => {
                let member = &segments[1];
                let names = self.program.visible(target, None);
                out.push(
                    Diagnostic::new(
                        Code::UnknownMember,
                        member.span,
                        format!("module `{}` has no `{}`", first.name, member.name),
                        "not declared there",
                    )
                    .maybe_suggest(member.span, &member.name, names.iter().map(String::as_str))
                    .note(format!("`{}` declares: {}", first.name, list_names(&names))),
                );
            }
            // `plans.medium` after a misspelt `import "std/plns"`: the import is the mistake,
            // already reported there; one diagnostic, not one more per use.
            Resolved::Unknown if self.program.failed_import_like(module, &first.name) => {}
            Resolved::Unknown => {
                let names = self.program.visible(module, None);
                let imports =
                    self.program.loaded.modules[module.0 as usize].imports.iter().map(|(i, _)| i.name().to_string());
                let candidates: Vec<String> = names.into_iter().chain(imports).collect();
                let std_path = format!("std/{}", first.name);
                let mut diag = Diagnostic::new(
                    Code::UnknownName,
                    first.span,
                    format!("unknown name `{}`", first.name),
                    "not declared or imported",
                );
                diag = if crate::stdlib::get(&std_path).is_some() {
                    diag.help(format!("add `import \"{std_path}\"` at the top of the file"))
                } else {
                    diag.maybe_suggest(first.span, &first.name, candidates.iter().map(String::as_str))
                };
                out.push(diag);
            }
            _ => {}
        }
        out
    }

    /// `name`, `module.name`, `name.field.field`.
    fn path(&mut self, module: ModuleId, segments: &[Ident], span: Span, diagnostics: &mut Diagnostics) -> Value {
        let first = &segments[0];
        let word = Value { kind: ValueKind::Word(first.name.clone()), span, word: None };
        let (mut value, rest) = match self.program.resolve_path(module, segments) {
            // Targets, waves and clusters are named by bare words (`gke`, `pilot`), also inside
            // their own declarations (`target gke { provider = gke }`): the checker looks them up.
            Resolved::Decl { id, used: 1 } if segments.len() == 1 && is_named_by_word(self.program.kind(id)) => {
                return word
            }
            Resolved::Decl { id, used } => {
                (self.reference(id, segments[used - 1].span, diagnostics), &segments[used..])
            }
            Resolved::Word => return word,
            Resolved::FailedImport | Resolved::Broken => return Value::error(span),
            other => {
                for diag in self.unresolved(module, segments, span, other) {
                    diagnostics.push(diag);
                }
                return Value::error(span);
            }
        };
        for seg in rest {
            let found = value.describe(self.program);
            let Some(rec) = value.rec() else {
                if !matches!(value.kind, ValueKind::Error) {
                    diagnostics.push(Diagnostic::new(
                        Code::UnknownMember,
                        seg.span,
                        format!("{found} has no field `{}`", seg.name),
                        "no such field",
                    ));
                }
                return Value::error(span);
            };
            let Some(field) = rec.fields.get(&seg.name) else {
                let names: Vec<&str> = rec.fields.keys().map(String::as_str).collect();
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownMember,
                        seg.span,
                        format!("{found} has no field `{}`", seg.name),
                        "no such field",
                    )
                    .maybe_suggest(seg.span, &seg.name, names.iter().copied())
                    .note(format!("its fields: {}", crate::diagnostic::quoted(names.iter()))),
                );
                return Value::error(span);
            };
            value = field.value.clone();
        }
        value.span = span;
        // `plan = medium` names plan `medium` where a plan is expected, and is the word `medium`
        // where a fixed set of words is: the checker decides by the field's type.
        value.word = (segments.len() == 1).then(|| first.name.clone());
        value
    }

    fn reference(&mut self, id: DeclId, at: Span, diagnostics: &mut Diagnostics) -> Value {
        if matches!(self.slots[id.0 as usize], Slot::Busy) {
            let name = &self.program.decl(id).name;
            diagnostics.push(
                Diagnostic::new(
                    Code::ReferenceCycle,
                    at,
                    format!("`{}` refers to itself", name.name),
                    "refers back to the definition being computed",
                )
                .label(name.span, "defined here")
                .help("definitions must not depend on themselves; give one of them a literal value"),
            );
            return Value::error(at);
        }
        if self.depth >= MAX_REFERENCE_DEPTH {
            diagnostics.push(
                Diagnostic::new(
                    Code::NestingTooDeep,
                    at,
                    format!("references nested more than {MAX_REFERENCE_DEPTH} deep"),
                    "too deep here",
                )
                .help("refer to the final value directly instead of through a long chain of names"),
            );
            return Value::error(at);
        }
        self.depth += 1;
        let value = self.decl(id, diagnostics);
        self.depth -= 1;
        value
    }
}

fn rec_mut(value: &mut Value) -> Option<&mut Rec> {
    match &mut value.kind {
        ValueKind::Record(r) | ValueKind::Tagged { rec: r, .. } => Some(r),
        _ => None,
    }
}

fn merge(base: &mut Rec, over: Rec) {
    for (key, field) in over.fields {
        if let Some(existing) = base.fields.get_mut(&key) {
            if let (ValueKind::Record(b), ValueKind::Record(o)) = (&mut existing.value.kind, &field.value.kind) {
                if b.origin.is_none() && o.origin.is_none() {
                    let o = o.clone();
                    merge(b, o);
                    existing.value.span = field.value.span;
                    continue;
                }
            }
            *existing = field;
        } else {
            base.fields.insert(key, field);
        }
    }
}

fn list_names(names: &[String]) -> String {
    if names.is_empty() {
        return "nothing".into();
    }
    crate::diagnostic::quoted(names.iter().take(12))
}

/// The decimal as written: mantissa 15, scale 1 → `1.5`.
pub fn decimal_text(d: Decimal) -> String {
    if d.scale == 0 {
        return d.mantissa.to_string();
    }
    let digits = format!("{:0>width$}", d.mantissa, width = d.scale as usize + 1);
    let (int, frac) = digits.split_at(digits.len() - d.scale as usize);
    format!("{int}.{frac}")
}
