//! Loading: reads the root files and everything they import (local files and `std/…`),
//! parses each once, and reports missing imports and import cycles.
//!
//! All file access goes through a [`Loader`] passed in by the caller, so the core does no I/O
//! of its own and tests can load from memory.

use crate::ast;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::disk::NotUtf8;
use crate::parse;
use crate::source::{FileId, Origin, SourceFile, SourceMap, Span};
use crate::{stdlib, suggest};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Reads source files for the compiler.
pub trait Loader {
    /// The text of a file, or why it cannot be read.
    fn read(&self, path: &Path) -> std::io::Result<String>;
    /// A stable identity for a path, so one file imported twice is loaded once.
    fn canonical(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

/// Reads from the file system.
pub struct DiskLoader;

impl Loader for DiskLoader {
    /// Regular files only, bounded, UTF-8 (see [`crate::disk`]).
    fn read(&self, path: &Path) -> std::io::Result<String> {
        crate::disk::read(path)
    }
    fn canonical(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Index of a module in [`Loaded::modules`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(pub u32);

/// One parsed file and the modules its imports name.
#[derive(Debug)]
pub struct Module {
    pub file: FileId,
    pub ast: ast::File,
    /// Import name (alias or file stem) → module; `None` where the import failed.
    pub imports: Vec<(ast::Import, Option<ModuleId>)>,
    /// A root is a file given to the compiler that no other file imports. Roots share one
    /// namespace (the workspace); every other module has its own.
    pub is_root: bool,
    pub is_std: bool,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub modules: Vec<Module>,
}

/// A root file that could not be read: a usage problem, not a diagnostic.
#[derive(Debug)]
pub struct RootError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

#[derive(PartialEq)]
enum State {
    Loading,
    Done,
}

struct Ctx<'l> {
    loader: &'l dyn Loader,
    by_origin: HashMap<Origin, ModuleId>,
    state: Vec<State>,
    /// Modules being loaded, outermost first, with the span of the import that entered each.
    stack: Vec<(ModuleId, Option<Span>)>,
}

/// Loads `roots` and everything they import, plus the prelude.
pub fn load(
    roots: &[PathBuf],
    loader: &dyn Loader,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
) -> Result<Loaded, RootError> {
    let mut loaded = Loaded::default();
    let mut cx = Ctx { loader, by_origin: HashMap::new(), state: Vec::new(), stack: Vec::new() };
    let mut root_ids = Vec::new();
    for path in roots {
        let origin = Origin::Disk(loader.canonical(path));
        if cx.by_origin.contains_key(&origin) {
            continue;
        }
        let name = path.display().to_string();
        let (text, bad) = match loader.read(path).map_err(NotUtf8::take) {
            Ok(text) => (text, None),
            Err(Ok(bad)) => (bad.text.clone(), Some(bad)),
            Err(Err(error)) => return Err(RootError { path: path.clone(), error }),
        };
        let id = add(&mut loaded, &mut cx, sources, diagnostics, SourceFile::new(name, origin, text));
        if let Some(bad) = bad {
            diagnostics.push(not_utf8(sources, loaded.modules[id.0 as usize].file, &bad));
        }
        root_ids.push(id);
    }
    for &id in &root_ids {
        visit(&mut loaded, &mut cx, sources, diagnostics, id, None);
    }
    let prelude = std_module(&mut loaded, &mut cx, sources, diagnostics, stdlib::PRELUDE);
    if let Some(id) = prelude {
        visit(&mut loaded, &mut cx, sources, diagnostics, id, None);
    }
    let imported: Vec<ModuleId> =
        loaded.modules.iter().flat_map(|m| m.imports.iter().filter_map(|(_, id)| *id)).collect();
    for id in root_ids {
        loaded.modules[id.0 as usize].is_root = !imported.contains(&id);
    }
    Ok(loaded)
}

fn add(
    loaded: &mut Loaded,
    cx: &mut Ctx,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
    file: SourceFile,
) -> ModuleId {
    let origin = file.origin.clone();
    let is_std = matches!(origin, Origin::Std(_));
    let file_id = sources.add(file);
    let ast = parse::parse_file(file_id, &sources.get(file_id).text, diagnostics);
    let id = ModuleId(loaded.modules.len() as u32);
    loaded.modules.push(Module { file: file_id, ast, imports: Vec::new(), is_root: false, is_std });
    cx.by_origin.insert(origin, id);
    cx.state.push(State::Loading);
    id
}

fn std_module(
    loaded: &mut Loaded,
    cx: &mut Ctx,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
    path: &str,
) -> Option<ModuleId> {
    let (name, text) = stdlib::MODULES.iter().find(|(p, _)| *p == path)?;
    let origin = Origin::Std(name);
    if let Some(&id) = cx.by_origin.get(&origin) {
        return Some(id);
    }
    Some(add(loaded, cx, sources, diagnostics, SourceFile::new(name.to_string(), origin, text.to_string())))
}

/// Resolves the imports of module `id`, depth first, reporting cycles.
fn visit(
    loaded: &mut Loaded,
    cx: &mut Ctx,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
    id: ModuleId,
    via: Option<Span>,
) {
    if cx.state[id.0 as usize] == State::Done || cx.stack.iter().any(|(m, _)| *m == id) {
        return;
    }
    cx.stack.push((id, via));
    let module = &loaded.modules[id.0 as usize];
    let imports: Vec<ast::Import> = module
        .ast
        .items
        .iter()
        .filter_map(|item| match item {
            ast::Item::Import(i) => Some(i.clone()),
            _ => None,
        })
        .collect();
    // Imports are relative to the importing file as it was named (not its canonical path),
    // so diagnostics show the paths the user wrote.
    let file = sources.get(module.file);
    let dir = match &file.origin {
        Origin::Disk(_) => Path::new(&file.name).parent().map(Path::to_path_buf),
        _ => None,
    };
    let mut resolved = Vec::new();
    for import in imports {
        let target = resolve_import(loaded, cx, sources, diagnostics, &import, dir.as_deref());
        if let Some(t) = target {
            if let Some(pos) = cx.stack.iter().position(|(m, _)| *m == t) {
                report_cycle(loaded, cx, sources, diagnostics, pos, &import);
                resolved.push((import, None));
                continue;
            }
            visit(loaded, cx, sources, diagnostics, t, Some(import.path_span));
        }
        resolved.push((import, target));
    }
    loaded.modules[id.0 as usize].imports = resolved;
    cx.stack.pop();
    cx.state[id.0 as usize] = State::Done;
}

fn resolve_import(
    loaded: &mut Loaded,
    cx: &mut Ctx,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
    import: &ast::Import,
    dir: Option<&Path>,
) -> Option<ModuleId> {
    if import.path.starts_with("std/") {
        let found = std_module(loaded, cx, sources, diagnostics, &import.path);
        if found.is_none() {
            let wanted = import.path.trim_start_matches("std/");
            let names = stdlib::MODULES.iter().map(|(p, _)| p.trim_start_matches("std/"));
            diagnostics.push(
                Diagnostic::new(
                    Code::ImportNotFound,
                    import.path_span,
                    format!("no standard module `{}`", import.path),
                    "not in the standard library",
                )
                .maybe_help(suggest::closest(wanted, names).map(|n| format!("did you mean `std/{n}`?")))
                .note(format!(
                    "standard modules: {}",
                    stdlib::MODULES.iter().map(|(p, _)| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                )),
            );
        }
        return found;
    }
    let mut path = PathBuf::from(&import.path);
    if path.extension().is_none() {
        path.set_extension("bdot");
    }
    let path = normalize(&match dir {
        Some(d) if path.is_relative() => d.join(path),
        _ => path,
    });
    let origin = Origin::Disk(cx.loader.canonical(&path));
    if let Some(&id) = cx.by_origin.get(&origin) {
        return Some(id);
    }
    let name = path.display().to_string();
    match cx.loader.read(&path).map_err(NotUtf8::take) {
        Ok(text) => Some(add(loaded, cx, sources, diagnostics, SourceFile::new(name, origin, text))),
        Err(Ok(bad)) => {
            let text = bad.text.clone();
            let id = add(loaded, cx, sources, diagnostics, SourceFile::new(name, origin, text));
            diagnostics.push(not_utf8(sources, loaded.modules[id.0 as usize].file, &bad));
            Some(id)
        }
        Err(Err(e)) => {
            let (why, label) = match e.kind() {
                std::io::ErrorKind::NotFound => (format!("`{name}` does not exist"), "no such file".to_string()),
                std::io::ErrorKind::PermissionDenied => (format!("`{name}` is not readable"), "not readable".into()),
                _ => (format!("`{name}` cannot be read: {}", crate::disk::plain(&e)), "cannot be read".into()),
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::ImportNotFound,
                    import.path_span,
                    format!("cannot import `{}`: {why}", import.path),
                    label,
                )
                .help("paths are relative to the importing file; standard modules start with `std/`"),
            );
            None
        }
    }
}

/// The diagnostic for a file that is not UTF-8, at its first bad byte.
pub fn not_utf8(sources: &SourceMap, file: FileId, bad: &NotUtf8) -> Diagnostic {
    let source = sources.get(file);
    let span = Span::new(file, bad.first as u32, (bad.first + bad.first_len) as u32);
    let at = source.line_col(span.start);
    let mut d = Diagnostic::new(
        Code::NotUtf8,
        span,
        format!(
            "`{}` is not valid UTF-8: byte 0x{:02X} at line {}, byte offset {}",
            source.name, bad.byte, at.line, bad.first
        ),
        "not UTF-8",
    )
    .help(format!("save `{}` as UTF-8; bdc reads no other encoding", source.name));
    if bad.bad_bytes > bad.first_len {
        let more = bad.bad_bytes - bad.first_len;
        d = d.note(match more {
            1 => "1 more byte of the file is not UTF-8".to_string(),
            n => format!("{n} more bytes of the file are not UTF-8"),
        });
    }
    d
}

fn report_cycle(
    loaded: &Loaded,
    cx: &Ctx,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
    pos: usize,
    import: &ast::Import,
) {
    let name = |m: ModuleId| sources.get(loaded.modules[m.0 as usize].file).name.clone();
    let chain: Vec<String> = cx.stack[pos..].iter().map(|(m, _)| format!("`{}`", name(*m))).collect();
    let mut d = Diagnostic::new(
        Code::ImportCycle,
        import.path_span,
        format!("import cycle: {} → `{}`", chain.join(" → "), name(cx.stack[pos].0)),
        "this import closes the cycle",
    )
    .help("move the shared declarations into a file that both import");
    for (_, via) in cx.stack[pos + 1..].iter() {
        if let Some(span) = via {
            d = d.label(*span, "imported here");
        }
    }
    diagnostics.push(d);
}

/// `a/./b/../c` → `a/c`, without touching the file system, so one file imported by two paths
/// is one module and diagnostics show short paths.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Reads from memory: tests, and editors' unsaved buffers.
#[derive(Default)]
pub struct MemoryLoader {
    pub files: HashMap<PathBuf, String>,
}

impl MemoryLoader {
    pub fn with(mut self, path: &str, text: &str) -> Self {
        self.files.insert(PathBuf::from(path), text.to_string());
        self
    }
}

impl Loader for MemoryLoader {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.files.get(path).cloned().ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not found"))
    }
}
