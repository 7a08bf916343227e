//! Names: the declaration table, one namespace per module (roots share the workspace
//! namespace), duplicate detection, and the one resolver of written names that evaluation,
//! checking, `bdc why` and the language server share: [`Program::resolve_path`] (what
//! `careful`, `plans.medium` or `gke` refers to), [`Program::named`] (targets, waves and clusters
//! by bare word, program-wide) and [`word_meaning`] (a bare word where the field expects a word
//! is that word, whatever the user declared under the same name).

use crate::ast::{self, DeclKind, Ident};
use crate::check::schema::Type;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::load::{Loaded, ModuleId};
use crate::source::{FileId, Span};
use std::collections::{HashMap, HashSet};

/// Index of a declaration in [`Program::decls`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeclId(pub u32);

#[derive(Debug)]
pub struct DeclEntry {
    pub module: ModuleId,
    /// Index in the module's `ast.items`.
    pub item: usize,
    pub kind: DeclKind,
}

/// The loaded modules with their names resolved.
#[derive(Debug)]
pub struct Program {
    pub loaded: Loaded,
    pub decls: Vec<DeclEntry>,
    namespaces: Vec<HashMap<String, DeclId>>,
    module_ns: Vec<usize>,
    file_module: HashMap<FileId, ModuleId>,
    /// Declarations the parser could not finish: their names exist, their values do not.
    broken: HashSet<(usize, String)>,
    broken_named: HashSet<(DeclKind, String)>,
    /// Every declaration by kind and name, program-wide (the first of duplicates).
    named: HashMap<(DeclKind, String), DeclId>,
    /// Kinds of which at least one declaration is broken.
    pub broken_kinds: Vec<DeclKind>,
}

/// Builds the declaration table and reports duplicates.
pub fn resolve(loaded: Loaded, diagnostics: &mut Diagnostics) -> Program {
    let mut program = Program {
        decls: Vec::new(),
        namespaces: vec![HashMap::new()],
        module_ns: Vec::new(),
        file_module: HashMap::new(),
        broken: HashSet::new(),
        broken_named: HashSet::new(),
        broken_kinds: Vec::new(),
        named: HashMap::new(),
        loaded,
    };
    for (m, module) in program.loaded.modules.iter().enumerate() {
        let ns = if module.is_root {
            0
        } else {
            program.namespaces.push(HashMap::new());
            program.namespaces.len() - 1
        };
        program.module_ns.push(ns);
        program.file_module.insert(module.file, ModuleId(m as u32));
    }
    // Partners and releases are named by strings and must be unique across the whole fleet.
    let mut global: HashMap<(DeclKind, String), DeclId> = HashMap::new();
    for (m, module) in program.loaded.modules.iter().enumerate() {
        for (i, item) in module.ast.items.iter().enumerate() {
            if let ast::Item::Broken(b) = item {
                program.broken.insert((program.module_ns[m], b.name.name.clone()));
                program.broken_named.insert((b.kind, b.name.name.clone()));
                if !program.broken_kinds.contains(&b.kind) {
                    program.broken_kinds.push(b.kind);
                }
                continue;
            }
            let ast::Item::Decl(decl) = item else { continue };
            let id = DeclId(program.decls.len() as u32);
            program.decls.push(DeclEntry { module: ModuleId(m as u32), item: i, kind: decl.kind });
            program.named.entry((decl.kind, decl.name.name.clone())).or_insert(id);
            let previous = if decl.kind.is_referable() {
                let ns = &mut program.namespaces[program.module_ns[m]];
                ns.insert(decl.name.name.clone(), id)
            } else {
                global.insert((decl.kind, decl.name.name.clone()), id)
            };
            if let Some(prev) = previous {
                let first = decl_of(&program.loaded, &program.decls, prev);
                if !decl.kind.is_referable() {
                    // Keep the first one as the declaration names resolve to.
                    global.insert((decl.kind, decl.name.name.clone()), prev);
                } else {
                    program.namespaces[program.module_ns[m]].insert(decl.name.name.clone(), prev);
                }
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateDecl,
                        decl.name.span,
                        format!("`{}` is declared twice", decl.name.name),
                        format!("second {} `{}`", decl.kind.keyword(), decl.name.name),
                    )
                    .label(first.name.span, format!("first declared here as a {}", first.kind.keyword()))
                    .help("rename one of them, or remove the copy"),
                );
            }
        }
    }
    report_shadowed_imports(&program, diagnostics);
    program
}

/// An import name that is also a declaration's name in the same namespace: one would hide the
/// other.
fn report_shadowed_imports(program: &Program, diagnostics: &mut Diagnostics) {
    for (m, module) in program.loaded.modules.iter().enumerate() {
        for (import, _) in &module.imports {
            if let Some(id) = program.lookup(ModuleId(m as u32), import.name()) {
                let decl = program.decl(id);
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateDecl,
                        decl.name.span,
                        format!("`{}` is both a declaration and an import name", decl.name.name),
                        format!("{} `{}`", decl.kind.keyword(), decl.name.name),
                    )
                    .label(import.span, "imported under the same name here")
                    .help(format!(
                        "rename the declaration, or import with another name: `import \"{}\" as …`",
                        import.path
                    )),
                );
            }
        }
    }
}

/// What a written name (`careful`, `plans.medium`, `gke`) refers to in a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A declaration, named by the first `used` segments (`medium`: 1, `plans.medium`: 2); the
    /// segments after them are field accesses.
    Decl { id: DeclId, used: usize },
    /// An import name alone (`plans`).
    Module(ModuleId),
    /// An import that failed to load (reported where it is imported).
    FailedImport,
    /// `plans.nothing`: an imported module without that declaration.
    NoMember(ModuleId),
    /// A declaration whose body did not parse (reported there).
    Broken,
    /// A bare word naming nothing in scope: an enum word (`stable`, `eks`), a target, wave or
    /// cluster (see [`Program::named`]), or an unknown name; the expected type decides.
    Word,
    /// `a.b` where `a` is neither declared nor imported.
    Unknown,
}

/// What a bare word means where a value of type `ty` is expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordMeaning {
    /// The word itself: an enum word or a channel. Declarations of the same name do not count.
    Word,
    /// The name of a declaration of this kind, looked up program-wide ([`Program::named`]).
    Named(DeclKind),
    /// A reference, resolved in scope ([`Program::resolve_path`]).
    Reference,
}

/// The rule for bare words, by expected type: a field whose type is a fixed set of words (or a
/// channel) takes a valid word as written, a field naming a target, wave or cluster looks the
/// word up among those, and everything else is a reference.
pub fn word_meaning(ty: &Type, word: &str) -> WordMeaning {
    match ty {
        Type::Enum(words) if words.contains(&word) => WordMeaning::Word,
        Type::Channel => WordMeaning::Word,
        Type::Name(kind) if is_named_by_word(*kind) => WordMeaning::Named(*kind),
        Type::List(inner) => word_meaning(inner, word),
        _ => WordMeaning::Reference,
    }
}

/// Kinds whose declarations are referred to by name only, never by value (`gke`, `pilot`).
pub fn is_named_by_word(kind: DeclKind) -> bool {
    matches!(kind, DeclKind::Target | DeclKind::Wave | DeclKind::Cluster)
}

fn decl_of<'p>(loaded: &'p Loaded, decls: &[DeclEntry], id: DeclId) -> &'p ast::Decl {
    let e = &decls[id.0 as usize];
    match &loaded.modules[e.module.0 as usize].ast.items[e.item] {
        ast::Item::Decl(d) => d,
        _ => unreachable!("decl table points at declarations only"),
    }
}

impl Program {
    pub fn decl(&self, id: DeclId) -> &ast::Decl {
        decl_of(&self.loaded, &self.decls, id)
    }

    pub fn kind(&self, id: DeclId) -> DeclKind {
        self.decls[id.0 as usize].kind
    }

    pub fn module_of(&self, id: DeclId) -> ModuleId {
        self.decls[id.0 as usize].module
    }

    /// The module a file was loaded as.
    pub fn module_of_file(&self, file: FileId) -> Option<ModuleId> {
        self.file_module.get(&file).copied()
    }

    pub fn is_std(&self, module: ModuleId) -> bool {
        self.loaded.modules[module.0 as usize].is_std
    }

    /// A referable declaration by name in a module's namespace.
    pub fn lookup(&self, module: ModuleId, name: &str) -> Option<DeclId> {
        self.namespaces[self.module_ns[module.0 as usize]].get(name).copied()
    }

    /// The module an import name refers to in `module`: `Some(None)` when that import failed
    /// (already reported), `None` when there is no such import.
    pub fn import(&self, module: ModuleId, name: &str) -> Option<Option<ModuleId>> {
        self.loaded.modules[module.0 as usize].imports.iter().find(|(i, _)| i.name() == name).map(|(_, m)| *m)
    }

    /// Whether `module` has an import that failed to load and that `name` probably means: its
    /// name (`plns` for `import "std/plns"`) is `name` or close to it.
    pub fn failed_import_like(&self, module: ModuleId, name: &str) -> bool {
        self.loaded.modules[module.0 as usize]
            .imports
            .iter()
            .filter(|(_, m)| m.is_none())
            .any(|(i, _)| i.name() == name || crate::suggest::closest(name, [i.name()]).is_some())
    }

    /// A declaration of `kind` named `name`, anywhere in the program (targets, waves and
    /// clusters are named by bare words program-wide).
    pub fn named(&self, kind: DeclKind, name: &str) -> Option<DeclId> {
        self.named.get(&(kind, name.to_string())).copied()
    }

    /// What the path `segments`, written in `module`, refers to: a declaration of the module's
    /// namespace, an import and one of its declarations, or nothing (a bare word).
    pub fn resolve_path(&self, module: ModuleId, segments: &[Ident]) -> Resolved {
        let Some(first) = segments.first() else { return Resolved::Unknown };
        if let Some(id) = self.lookup(module, &first.name) {
            return Resolved::Decl { id, used: 1 };
        }
        if let Some(target) = self.import(module, &first.name) {
            let Some(target) = target else { return Resolved::FailedImport };
            let Some(member) = segments.get(1) else { return Resolved::Module(target) };
            return match self.lookup(target, &member.name) {
                Some(id) => Resolved::Decl { id, used: 2 },
                None if self.is_broken(target, &member.name) => Resolved::Broken,
                None => Resolved::NoMember(target),
            };
        }
        if self.is_broken(module, &first.name) {
            Resolved::Broken
        } else if segments.len() == 1 {
            Resolved::Word
        } else {
            Resolved::Unknown
        }
    }

    /// The declaration a bare word or path written where a value of `ty` is expected names:
    /// the one resolver behind the checker's words and the language server's references.
    pub fn resolve_expecting(&self, module: ModuleId, segments: &[Ident], ty: Option<&Type>) -> Resolved {
        if let ([word], Some(ty)) = (segments, ty) {
            match word_meaning(ty, &word.name) {
                WordMeaning::Word => return Resolved::Word,
                WordMeaning::Named(kind) => {
                    return self.named(kind, &word.name).map_or(Resolved::Word, |id| Resolved::Decl { id, used: 1 })
                }
                WordMeaning::Reference => {}
            }
        }
        match self.resolve_path(module, segments) {
            // A target, wave or cluster named where the type is not known (or not a name).
            Resolved::Word => [DeclKind::Target, DeclKind::Wave, DeclKind::Cluster]
                .into_iter()
                .find_map(|kind| self.named(kind, &segments[0].name))
                .map_or(Resolved::Word, |id| Resolved::Decl { id, used: 1 }),
            r => r,
        }
    }

    /// Names of declarations of `kind` (any kind when `None`) that `module` can write:
    /// `careful`, or `strategies.rolling` through an import. For suggestions.
    pub fn visible(&self, module: ModuleId, kind: Option<DeclKind>) -> Vec<String> {
        let matches = |id: &DeclId| kind.is_none_or(|k| self.kind(*id) == k);
        let mut names: Vec<String> = self.namespaces[self.module_ns[module.0 as usize]]
            .iter()
            .filter(|(_, id)| matches(id))
            .map(|(n, _)| n.clone())
            .collect();
        for (import, target) in &self.loaded.modules[module.0 as usize].imports {
            let Some(target) = target else { continue };
            for (n, id) in &self.namespaces[self.module_ns[target.0 as usize]] {
                if matches(id) {
                    names.push(format!("{}.{}", import.name(), n));
                }
            }
        }
        names.sort();
        names
    }

    /// Every declaration of a kind, in load order.
    pub fn of_kind(&self, kind: DeclKind) -> impl Iterator<Item = DeclId> + '_ {
        (0..self.decls.len() as u32).map(DeclId).filter(move |id| self.kind(*id) == kind)
    }

    /// A standard module that declares `name` as a `kind`, for "add this import" help.
    pub fn std_home(&self, kind: DeclKind, name: &str) -> Option<String> {
        crate::stdlib::MODULES.iter().find_map(|(path, text)| {
            let needle = format!("{} {name} ", kind.keyword());
            text.lines().any(|l| l.trim_start().starts_with(&needle)).then(|| path.to_string())
        })
    }

    /// Whether `name` is a declaration in `module`'s namespace that failed to parse.
    pub fn is_broken(&self, module: ModuleId, name: &str) -> bool {
        self.broken.contains(&(self.module_ns[module.0 as usize], name.to_string()))
    }

    /// Whether a declaration of `kind` named `name` failed to parse, anywhere.
    pub fn is_broken_named(&self, kind: DeclKind, name: &str) -> bool {
        self.broken_named.contains(&(kind, name.to_string()))
    }

    /// The span of a declaration's name.
    pub fn name_span(&self, id: DeclId) -> Span {
        self.decl(id).name.span
    }
}
