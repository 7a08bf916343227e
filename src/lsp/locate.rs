//! What is at an offset of a source file — a field key, a reference, an import, a
//! declaration's name — and what references name: the syntax queries behind hover,
//! definition, references and completion.

use crate::ast::{DeclKind, Expr, ExprKind, Ident, Import, Item, StrPart};
use crate::check::schema::{self, Body, FieldSchema, Schema, Type};
use crate::load::ModuleId;
use crate::resolve::{DeclId, Program, Resolved};
use crate::source::{FileId, Span};

/// Something under the cursor.
#[derive(Debug)]
pub enum Hit<'a> {
    /// A field key, with the keys from the declaration's body down to it.
    Key {
        decl: DeclId,
        path: Vec<String>,
        key: &'a Ident,
    },
    /// A segment of a reference (`plans.medium`: index 1 is `medium`), with the declaration
    /// and the keys down to the field it is the value of.
    Ref {
        module: ModuleId,
        decl: DeclId,
        path: Vec<String>,
        segments: &'a [Ident],
        index: usize,
    },
    Import {
        import: &'a Import,
        target: Option<ModuleId>,
    },
    DeclName(DeclId),
    /// The tag of a variant record (`postgres` in `db = postgres { … }`), with the keys down
    /// to the field it is the value of.
    Tag {
        decl: DeclId,
        path: Vec<String>,
    },
}

fn contains(span: Span, offset: u32) -> bool {
    span.start <= offset && offset <= span.end
}

/// The declaration of a module's item.
pub fn decl_of(program: &Program, module: ModuleId, item: usize) -> Option<DeclId> {
    program.decls.iter().position(|d| d.module == module && d.item == item).map(|i| DeclId(i as u32))
}

/// The declaration around an offset: its kind and, unless a syntax error broke it, its body.
pub struct Enclosing<'a> {
    pub kind: DeclKind,
    pub body: Option<&'a Expr>,
    pub module: ModuleId,
}

/// The declaration whose text holds `offset` (also one the parser could not finish, as while
/// a value is being typed).
pub fn enclosing_decl(program: &Program, file: FileId, offset: u32) -> Option<Enclosing<'_>> {
    let module = program.module_of_file(file)?;
    let items = &program.loaded.modules[module.0 as usize].ast.items;
    items.iter().find_map(|item| match item {
        Item::Decl(d) if contains(d.span, offset) => Some(Enclosing { kind: d.kind, body: Some(&d.body), module }),
        Item::Broken(b) if contains(b.span, offset) => Some(Enclosing { kind: b.kind, body: None, module }),
        _ => None,
    })
}

/// What is at `offset` in `file`.
pub fn at(program: &Program, file: FileId, offset: u32) -> Option<Hit<'_>> {
    let module = program.module_of_file(file)?;
    let m = &program.loaded.modules[module.0 as usize];
    for (i, item) in m.ast.items.iter().enumerate() {
        match item {
            Item::Import(import) if contains(import.span, offset) => {
                let target = m.imports.iter().find(|(im, _)| im.span == import.span).and_then(|(_, t)| *t);
                return Some(Hit::Import { import, target });
            }
            Item::Decl(d) if contains(d.span, offset) => {
                let id = decl_of(program, module, i)?;
                if contains(d.name.span, offset) {
                    return Some(Hit::DeclName(id));
                }
                return walk(module, id, &d.body, offset, &mut Vec::new());
            }
            _ => {}
        }
    }
    None
}

fn walk<'a>(module: ModuleId, decl: DeclId, e: &'a Expr, offset: u32, path: &mut Vec<String>) -> Option<Hit<'a>> {
    if !contains(e.span, offset) {
        return None;
    }
    match &e.kind {
        ExprKind::Tagged { tag, .. } if contains(tag.span, offset) => Some(Hit::Tag { decl, path: path.clone() }),
        ExprKind::Record(r) | ExprKind::Tagged { record: r, .. } | ExprKind::With(_, r) if contains(r.span, offset) => {
            for f in &r.fields {
                if contains(f.key.span, offset) {
                    return Some(Hit::Key { decl, path: path.clone(), key: &f.key });
                }
                if contains(f.value.span, offset) {
                    path.push(f.key.name.clone());
                    let hit = walk(module, decl, &f.value, offset, path);
                    path.pop();
                    return hit;
                }
            }
            None
        }
        ExprKind::With(base, _) => walk(module, decl, base, offset, path),
        ExprKind::Path(segments) => {
            let index = segments.iter().position(|s| contains(s.span, offset))?;
            Some(Hit::Ref { module, decl, path: path.clone(), segments, index })
        }
        ExprKind::List(items) => items.iter().find_map(|x| walk(module, decl, x, offset, path)),
        ExprKind::Range(a, b) | ExprKind::Step(a, b) => {
            walk(module, decl, a, offset, path).or_else(|| walk(module, decl, b, offset, path))
        }
        ExprKind::Str(parts) => parts.iter().find_map(|p| match p {
            StrPart::Interp(x) => walk(module, decl, x, offset, path),
            StrPart::Text(_) => None,
        }),
        _ => None,
    }
}

/// Where a reference segment leads: a declaration, or (for an import name) a module.
pub enum Target {
    Decl(DeclId),
    Module(ModuleId),
}

/// Resolves segment `index` of a reference written in `module`, as the value of the field at
/// `path` in declaration `decl` (its type decides what a bare word means: see
/// [`crate::resolve::word_meaning`]).
pub fn resolve(
    program: &Program,
    module: ModuleId,
    decl: DeclId,
    path: &[String],
    segments: &[Ident],
    index: usize,
) -> Option<Target> {
    let d = program.decl(decl);
    let expects = path.split_last().and_then(|(key, outer)| field_at(d.kind, Some(&d.body), outer, key));
    match program.resolve_expecting(module, segments, expects.map(|f| &f.ty)) {
        Resolved::Decl { id, used } if index + 1 == used => Some(Target::Decl(id)),
        // `plans` in `plans.medium`.
        Resolved::Decl { id, used: 2 } if index == 0 => Some(Target::Module(program.module_of(id))),
        Resolved::Decl { .. } => None,
        Resolved::Module(m) | Resolved::NoMember(m) => (index == 0).then_some(Target::Module(m)),
        Resolved::FailedImport | Resolved::Broken | Resolved::Word | Resolved::Unknown => None,
    }
}

/// Every reference segment in the program that names `target`, as spans.
pub fn references(program: &Program, target: DeclId) -> Vec<Span> {
    let mut out = Vec::new();
    for (m, module) in program.loaded.modules.iter().enumerate() {
        let module_id = ModuleId(m as u32);
        for (i, item) in module.ast.items.iter().enumerate() {
            let (Item::Decl(d), Some(decl)) = (item, decl_of(program, module_id, i)) else { continue };
            paths(&d.body, &mut Vec::new(), &mut |segments, path| {
                for index in 0..segments.len() {
                    if let Some(Target::Decl(id)) = resolve(program, module_id, decl, path, segments, index) {
                        if id == target {
                            out.push(segments[index].span);
                        }
                    }
                }
            });
        }
    }
    out
}

/// Every reference in `e`, with the keys from the declaration's body down to its field.
fn paths(e: &Expr, path: &mut Vec<String>, visit: &mut dyn FnMut(&[Ident], &[String])) {
    let fields = |r: &crate::ast::Record, path: &mut Vec<String>, visit: &mut dyn FnMut(&[Ident], &[String])| {
        for f in &r.fields {
            path.push(f.key.name.clone());
            paths(&f.value, path, visit);
            path.pop();
        }
    };
    match &e.kind {
        ExprKind::Path(segments) => visit(segments, path),
        ExprKind::Record(r) | ExprKind::Tagged { record: r, .. } => fields(r, path, visit),
        ExprKind::With(base, r) => {
            paths(base, path, visit);
            fields(r, path, visit);
        }
        ExprKind::List(items) => items.iter().for_each(|x| paths(x, path, visit)),
        ExprKind::Range(a, b) | ExprKind::Step(a, b) => {
            paths(a, path, visit);
            paths(b, path, visit);
        }
        ExprKind::Str(parts) => parts.iter().for_each(|p| {
            if let StrPart::Interp(x) = p {
                paths(x, path, visit)
            }
        }),
        _ => {}
    }
}

/// The schema of the record at `path` inside a declaration of `kind` whose body is `body`
/// (variant records are told apart by their tag as written).
pub fn schema_at(kind: DeclKind, body: Option<&Expr>, path: &[String]) -> Option<&'static Schema> {
    let mut schema = pick(schema::body(kind), body)?;
    let mut expr = body;
    let mut keys = path.iter();
    while let Some(key) = keys.next() {
        let field = schema.fields.iter().find(|f| f.name == key)?;
        expr = expr.and_then(|e| field_value(e, key));
        schema = match &field.ty {
            Type::Decl(k) => pick(schema::body(*k), expr)?,
            Type::Record(s) => s,
            // A map of variant records (`services { db = postgres { … } }`): the next key is
            // the entry's name, its tag picks the schema.
            Type::Map(Type::Variant(variants)) => {
                let entry = keys.next()?;
                expr = expr.and_then(|e| field_value(e, entry));
                pick(Body::Tagged(variants), expr)?
            }
            _ => return None,
        };
    }
    Some(schema)
}

/// The schema of field `key` in the record at `path`.
pub fn field_at(kind: DeclKind, body: Option<&Expr>, path: &[String], key: &str) -> Option<&'static FieldSchema> {
    schema_at(kind, body, path)?.fields.iter().find(|f| f.name == key)
}

fn pick(body: Body, e: Option<&Expr>) -> Option<&'static Schema> {
    match body {
        Body::Record(s) => Some(s),
        Body::Tagged(variants) => {
            let tag = match &e?.kind {
                ExprKind::Tagged { tag, .. } => tag.name.as_str(),
                _ => return None,
            };
            variants.iter().copied().find(|s| s.name == tag)
        }
        Body::Any => None,
    }
}

fn field_value<'a>(e: &'a Expr, key: &str) -> Option<&'a Expr> {
    match &e.kind {
        ExprKind::Record(r) | ExprKind::Tagged { record: r, .. } | ExprKind::With(_, r) => {
            r.fields.iter().find(|f| f.key.name == key).map(|f| &f.value)
        }
        _ => None,
    }
}

/// The keys from a declaration's body down to the innermost record holding `offset` (where a
/// key being typed belongs).
pub fn record_path(body: &Expr, offset: u32) -> Vec<String> {
    let mut path = Vec::new();
    let mut e = body;
    while let ExprKind::Record(r) | ExprKind::Tagged { record: r, .. } | ExprKind::With(_, r) = &e.kind {
        let inner = r.fields.iter().find(|f| match &f.value.kind {
            ExprKind::Record(r) | ExprKind::Tagged { record: r, .. } | ExprKind::With(_, r) => {
                r.span.start < offset && offset < r.span.end
            }
            _ => false,
        });
        let Some(f) = inner else { break };
        path.push(f.key.name.clone());
        e = &f.value;
    }
    path
}

/// Keys already written in the record at `path`.
pub fn keys_at(body: &Expr, path: &[String]) -> Vec<String> {
    let mut e = body;
    for key in path {
        match field_value(e, key) {
            Some(v) => e = v,
            None => return Vec::new(),
        }
    }
    match &e.kind {
        ExprKind::Record(r) | ExprKind::Tagged { record: r, .. } | ExprKind::With(_, r) => {
            r.fields.iter().map(|f| f.key.name.clone()).collect()
        }
        _ => Vec::new(),
    }
}
