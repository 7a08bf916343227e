//! `bdc why PARTNER.FIELD`: the effective value of a partner's field and every place that
//! sets it, most specific first — the partner's own value, its `with` overrides, the plan or
//! strategy it names (through their own `with`s), the platform's default, the schema default —
//! and, for the release, the channel, pin and train that decide it.
//!
//! It walks the syntax of the declarations involved (following references and `with`), so it
//! shows every layer, also the overridden ones; the first layer found is the one in effect.

use crate::ast::{DeclKind, Expr, ExprKind};
use crate::check::schema::{self, Body, FieldSchema, Schema, Type};
use crate::load::ModuleId;
use crate::model::defaults::{self, DefaultValue, Source};
use crate::model::Partner;
use crate::resolve::{DeclId, Program, Resolved};
use crate::source::{SourceMap, Span};
use crate::Compilation;

/// One place that sets (or would set) the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
    /// What this place is: "partner `a`", "plan `medium` (std/plans)", "platform default".
    pub what: String,
    /// The value as written there.
    pub value: String,
    /// Where it is written (`None`: a built-in default).
    pub span: Option<Span>,
}

/// The answer: the field, its effective value, and the layers (the first is in effect).
#[derive(Clone, Debug)]
pub struct Why {
    pub query: String,
    /// The value in effect when no layer writes it (a partner's release).
    pub derived: Option<String>,
    pub layers: Vec<Layer>,
    /// Facts that are not layers: the release train a partner is in, the channel's releases.
    pub notes: Vec<String>,
}

/// Answers `partner.field.field…`.
pub fn why(c: &Compilation, query: &str) -> Result<Why, String> {
    let (name, path) = split_query(c, query)?;
    let partner = c
        .fleet
        .partners
        .iter()
        .find(|p| p.name.value == name)
        .ok_or_else(|| unknown("partner", &name, c.fleet.partners.iter().map(|p| p.name.value.as_str())))?;
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let first = path[0];
    if first != "release" && !schema::PARTNER.fields.iter().any(|f| f.name == first) {
        return Err(unknown("partner field", first, schema::PARTNER.fields.iter().map(|f| f.name)));
    }
    // Values flagged as secrets are masked here as in reports.
    let sources = c.sources.redacted(c.diagnostics.secrets());
    let tracer = Tracer { program: &c.program, sources: &sources };
    let decl = c.program.decl(partner.decl);
    let mut layers = Asker { c, partner, tracer: &tracer }.layers(&path);
    let mut derived = None;
    if first == "release" && layers.is_empty() {
        let what = format!("partner `{}` follows", partner.name.value);
        tracer.trace(c.program.module_of(partner.decl), &decl.body, &["follows"], &what, &mut layers);
        derived = crate::model::releases::running(&c.fleet, partner).map(|r| r.version.value.clone());
    }
    // The same place reached twice (a plan named by the partner and by the platform) once.
    let mut seen = Vec::new();
    layers.retain(|l| {
        let fresh = l.span.is_none() || !seen.contains(&l.span);
        seen.push(l.span);
        fresh
    });
    let notes = if first == "release" || first == "follows" { release_notes(c, partner) } else { Vec::new() };
    Ok(Why { query: format!("{name}.{}", path.join(".")), derived, layers, notes })
}

/// `newsroom-a.plan.memory` → ("newsroom-a", ["plan", "memory"]); partner names may hold dots,
/// so the longest partner name that prefixes the query wins.
fn split_query(c: &Compilation, query: &str) -> Result<(String, Vec<String>), String> {
    let partner = c
        .fleet
        .partners
        .iter()
        .map(|p| p.name.value.as_str())
        .filter(|n| query.len() > n.len() + 1 && query.starts_with(n) && query.as_bytes()[n.len()] == b'.')
        .max_by_key(|n| n.len());
    let (name, rest) = match partner {
        Some(n) => (n.to_string(), &query[n.len() + 1..]),
        None => match query.split_once('.') {
            Some((n, rest)) => (n.to_string(), rest),
            None => return Err(format!("`{query}` is not PARTNER.FIELD (e.g. `newsroom-a.plan.memory`)")),
        },
    };
    let path: Vec<String> = rest.split('.').map(str::to_string).collect();
    if path.iter().any(String::is_empty) {
        return Err(format!("`{query}` has an empty field name"));
    }
    Ok((name, path))
}

fn unknown<'a>(what: &str, name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = candidates.collect();
    match crate::suggest::closest(name, names.iter().copied()) {
        Some(s) => format!("no {what} `{name}` (did you mean `{s}`?)"),
        None => format!("no {what} `{name}`"),
    }
}

struct Tracer<'a> {
    program: &'a Program,
    sources: &'a SourceMap,
}

impl Tracer<'_> {
    fn text(&self, span: Span) -> String {
        let text = self.sources.get(span.file).slice(span);
        let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > 60 {
            format!("{}…", one_line.chars().take(59).collect::<String>())
        } else {
            one_line
        }
    }

    /// Adds the layers of `path` inside `e` (written in `module`), most specific first.
    fn trace(&self, module: ModuleId, e: &Expr, path: &[&str], what: &str, out: &mut Vec<Layer>) {
        let Some((&key, rest)) = path.split_first() else {
            out.push(Layer { what: what.to_string(), value: self.text(e.span), span: Some(e.span) });
            return;
        };
        match &e.kind {
            ExprKind::Record(r) | ExprKind::Tagged { record: r, .. } => {
                if let Some(field) = r.fields.iter().find(|f| f.key.name == key) {
                    if rest.is_empty() {
                        out.push(Layer {
                            what: what.to_string(),
                            value: self.text(field.value.span),
                            span: Some(field.value.span),
                        });
                    } else {
                        self.trace(module, &field.value, rest, what, out);
                    }
                }
            }
            ExprKind::With(base, overrides) => {
                let over = Expr { kind: ExprKind::Record(overrides.clone()), span: overrides.span };
                self.trace(module, &over, path, &format!("{what} (`with` override)"), out);
                self.trace(module, base, path, what, out);
            }
            ExprKind::Path(segments) => {
                if let Some((id, home)) = self.resolve(module, segments) {
                    let decl = self.program.decl(id);
                    let mut label = format!("{} `{}`", decl.kind.keyword(), decl.name.name);
                    if self.program.is_std(home) {
                        label.push_str(&format!(" ({})", self.sources.get(decl.span.file).name));
                    }
                    self.trace(home, &decl.body, path, &format!("{label}, via {what}"), out);
                }
            }
            _ => {}
        }
    }

    /// The declaration a path names (`medium`, `plans.medium`), with its module.
    fn resolve(&self, module: ModuleId, segments: &[crate::ast::Ident]) -> Option<(DeclId, ModuleId)> {
        match self.program.resolve_path(module, segments) {
            Resolved::Decl { id, .. } => Some((id, self.program.module_of(id))),
            _ => None,
        }
    }
}

/// The layers of one partner field, in the order the model decides it (see
/// [`crate::model::defaults`]): what the partner writes; when it writes nothing for the field,
/// its target's and the platform's settings; a default that is another field's value (a
/// limit is its request); the schema default.
struct Asker<'a> {
    c: &'a Compilation,
    partner: &'a Partner,
    tracer: &'a Tracer<'a>,
}

impl Asker<'_> {
    fn layers(&self, path: &[&str]) -> Vec<Layer> {
        let p = &self.c.program;
        let mut own = Vec::new();
        let partner_what = format!("partner `{}`", self.partner.name.value);
        let body = &p.decl(self.partner.decl).body;
        self.tracer.trace(p.module_of(self.partner.decl), body, path, &partner_what, &mut own);
        let (sources, head) = defaults::inherited(path);
        // A partner that writes the field (`plan = web`) replaces the inherited one whole: the
        // platform's `default_plan` then sets none of its parts.
        let mut written = Vec::new();
        if !sources.is_empty() {
            self.tracer.trace(p.module_of(self.partner.decl), body, &path[..head], &partner_what, &mut written);
        }
        let mut inherited = Vec::new();
        for source in sources {
            let (kind, field, decl) = match *source {
                Source::Target(f) => (DeclKind::Target, f, self.decl(DeclKind::Target, Some(&self.partner.target))),
                Source::Cluster(f) => {
                    let cluster = self.partner.cluster.as_ref();
                    (DeclKind::Cluster, f, cluster.and_then(|c| self.decl(DeclKind::Cluster, Some(&c.value))))
                }
                Source::Platform(f) => (DeclKind::Platform, f, self.decl(DeclKind::Platform, None)),
            };
            let Some(id) = decl else { continue };
            let mut source_path = vec![field];
            source_path.extend(&path[head..]);
            let what = format!("{} `{}` ({field})", kind.keyword(), p.decl(id).name.name);
            self.tracer.trace(p.module_of(id), &p.decl(id).body, &source_path, &what, &mut inherited);
        }
        let mut out = own;
        // A default that is another field's value is taken where the value in effect is
        // written: in the partner's own plan when it names one, else in the inherited one.
        if out.is_empty() && (!written.is_empty() || inherited.is_empty()) {
            out.extend(self.derived(path));
        }
        out.extend(inherited);
        if out.is_empty() {
            out.extend(self.schema_default(path, sources));
        }
        out
    }

    /// A declaration of `kind`, by name (the partner's target) or the only one (the platform).
    fn decl(&self, kind: DeclKind, name: Option<&str>) -> Option<DeclId> {
        let p = &self.c.program;
        p.of_kind(kind).find(|id| name.is_none_or(|n| p.decl(*id).name.name == n))
    }

    /// The field's value when its default is another field's (`memory_limit` → `memory`).
    fn derived(&self, path: &[&str]) -> Option<Layer> {
        let (leaf, parent) = path.split_last()?;
        let DefaultValue::Field(other) = self.field(path)?.default? else { return None };
        let mut sibling = parent.to_vec();
        sibling.push(other);
        let first = self.layers(&sibling).into_iter().next()?;
        Some(Layer { what: format!("`{other}` ({leaf} defaults to it): {}", first.what), ..first })
    }

    /// The schema default of the field, or of the last field it is inherited from.
    fn schema_default(&self, path: &[&str], sources: &[Source]) -> Option<Layer> {
        let default = |d: DefaultValue, from: String| Layer {
            what: format!("built-in default{from}"),
            value: d.written(),
            span: None,
        };
        if let Some(d) = self.field(path).and_then(|f| f.default) {
            return Some(default(d, String::new()));
        }
        let Source::Platform(field) = *sources.last()? else { return None };
        let d = schema::PLATFORM.field(field)?.default?;
        let platform = self.decl(DeclKind::Platform, None).map(|id| self.c.program.decl(id).name.name.clone())?;
        Some(default(d, format!(" (platform `{platform}` {field})")))
    }

    /// The schema of a partner field path, through plans, strategies, records and services.
    fn field(&self, path: &[&str]) -> Option<&'static FieldSchema> {
        let mut schema: &'static Schema = &schema::PARTNER;
        let mut i = 0;
        loop {
            let field = schema.field(path.get(i)?)?;
            i += 1;
            let inner: &'static Schema = match &field.ty {
                // `services.db`: the key names a service; its engine picks the schema.
                Type::Map(Type::Variant(variants)) => {
                    let name = path.get(i)?;
                    i += 1;
                    let engine = self.partner.services.iter().find(|s| s.name.value == *name)?.engine();
                    variants.iter().find(|v| v.name == engine.as_str())?
                }
                _ if i == path.len() => return Some(field),
                Type::Decl(kind) => match schema::body(*kind) {
                    Body::Record(s) => s,
                    _ => return None,
                },
                Type::Record(s) => s,
                _ => return None,
            };
            schema = inner;
        }
    }
}

/// How the partner's release is decided: pin or channel, the channel's newest release, and
/// the train that brings it.
fn release_notes(c: &Compilation, p: &Partner) -> Vec<String> {
    let mut notes = Vec::new();
    let fleet = &c.fleet;
    if let Some(pin) = &p.release {
        notes.push(format!("pinned to {}: release trains leave it out", pin.value));
        return notes;
    }
    let Some(channel) = &p.follows else { return notes };
    let current = crate::model::releases::running(fleet, p);
    match current {
        Some(r) => notes.push(format!("runs {}: the newest release on channel `{}`", r.version.value, channel.value)),
        None => notes.push(format!("channel `{}` has no release yet", channel.value)),
    }
    if p.hold {
        notes.push("on hold: release trains leave it where it is".into());
    }
    if let Some(r) = current {
        let train = crate::train::plan(fleet, r);
        if let Some(i) = train.wave_of(&p.name.value) {
            let cohort = &train.cohorts[i];
            let before = crate::train::before(fleet, p, r).map_or("nothing".to_string(), |b| b.version.value.clone());
            notes.push(format!(
                "release train {}: wave {} of {} (`{}`), moving from {before}",
                r.version.value,
                i + 1,
                train.cohorts.len(),
                cohort.name()
            ));
        }
    }
    notes
}

/// Renders an answer for the terminal: the effective value, then every layer with where it is
/// written; the layers after the first are marked as overridden.
pub fn render(w: &Why, sources: &SourceMap) -> String {
    let mut out = match (&w.derived, w.layers.first()) {
        (Some(v), _) => format!("{} = {v}\n", w.query),
        (None, Some(l)) => format!("{} = {}\n", w.query, l.value),
        (None, None) => format!("{} is not set anywhere\n", w.query),
    };
    let width = w.layers.iter().map(|l| l.value.chars().count()).max().unwrap_or(0).min(40);
    for (i, l) in w.layers.iter().enumerate() {
        let place = match l.span {
            Some(s) => {
                let f = sources.get(s.file);
                let lc = f.line_col(s.start);
                format!("{}:{}:{}", f.name, lc.line, lc.column)
            }
            None => "(schema)".into(),
        };
        let mark = match (i, &w.derived) {
            (_, Some(_)) => "decides   ",
            (0, None) => "in effect ",
            _ => "overridden",
        };
        out.push_str(&format!("  {mark}  {:<width$}  {}  {place}\n", l.value, l.what));
    }
    for n in &w.notes {
        out.push_str(&format!("  note: {n}\n"));
    }
    out
}
