//! The project a spec file belongs to — the one rule the language server and the commands that
//! read a spec (`bdc check`, `emit`, …) share (docs/editors.md, "The project"):
//!
//! 1. The nearest directory, from the file's own upwards, that holds a `bdc.toml` (written by
//!    `bdc init`) is the project root: every `.bdot` file under it is compiled, except under
//!    subdirectories that hold their own `bdc.toml` (other projects).
//! 2. Without one, the project is the file's directory, not searched recursively (its files
//!    share one namespace, like a Go package), and the files that import it are found in the
//!    directories above it (at most [`LEVELS`] of them, never above a `.git` folder): when a file
//!    there imports it, that directory is the project instead.
//!
//! A repository is never compiled as one program just because it was opened in an editor.

use std::path::{Path, PathBuf};

/// The marker file of a project root.
pub const MARKER: &str = "bdc.toml";

/// Directories searched above a file for the files that import it.
const LEVELS: usize = 8;

/// Where a project's files come from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Root {
    /// A directory holding `bdc.toml`: its `.bdot` files, recursively.
    Marker(PathBuf),
    /// A directory without one: its own `.bdot` files.
    Dir(PathBuf),
}

impl Root {
    pub fn dir(&self) -> &Path {
        match self {
            Root::Marker(d) | Root::Dir(d) => d,
        }
    }

    /// The project's `.bdot` files (sorted; none when the directory cannot be read).
    pub fn files(&self) -> Vec<PathBuf> {
        match self {
            Root::Marker(dir) => super::files::collect_project(dir).unwrap_or_default(),
            Root::Dir(dir) => specs_in(dir),
        }
    }

    /// The `bdc.toml` of the project, if it has one.
    pub fn marker(&self) -> Option<PathBuf> {
        match self {
            Root::Marker(d) => Some(d.join(MARKER)),
            Root::Dir(_) => None,
        }
    }
}

/// Whether `dir` holds a `bdc.toml` (a regular file).
pub fn has_marker(dir: &Path) -> bool {
    std::fs::metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// The nearest directory holding `bdc.toml`, from `dir` upwards.
pub fn marker_above(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| has_marker(d)).map(Path::to_path_buf)
}

/// The project of a spec file (an absolute path).
pub fn of_file(file: &Path) -> Root {
    let Some(dir) = file.parent() else { return Root::Dir(PathBuf::from(".")) };
    if let Some(root) = marker_above(dir) {
        return Root::Marker(root);
    }
    let mut project = dir.to_path_buf();
    let mut imported = canonical(file);
    let mut at = dir.to_path_buf();
    for _ in 0..LEVELS {
        if at.join(".git").exists() {
            break;
        }
        let Some(up) = at.parent() else { break };
        at = up.to_path_buf();
        if let Some(importer) = specs_in(&at).into_iter().find(|f| imports(f, &imported)) {
            project = at.clone();
            imported = canonical(&importer);
        }
    }
    Root::Dir(project)
}

/// The `.bdot` files directly in `dir`, sorted.
fn specs_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "bdot"))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
        .collect();
    out.sort();
    out
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether the spec file `importer` imports the file `target` (a canonical path).
fn imports(importer: &Path, target: &Path) -> bool {
    let Ok(text) = crate::disk::read(importer) else { return false };
    let mut sink = crate::diagnostic::Diagnostics::new();
    let ast = crate::parse::parse_file(crate::source::FileId(0), &text, &mut sink);
    let dir = importer.parent().unwrap_or(Path::new("."));
    ast.items.iter().any(|item| match item {
        crate::ast::Item::Import(i) if !i.path.starts_with("std/") => {
            let mut path = dir.join(&i.path);
            if path.extension().is_none() {
                path.set_extension("bdot");
            }
            canonical(&path) == target
        }
        _ => false,
    })
}

/// The paths a command compiles when none are given: the project root above the current
/// directory (`bdc.toml`), else the current directory.
pub fn default_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if !paths.is_empty() {
        return paths.to_vec();
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match marker_above(&cwd) {
        Some(root) if root != cwd => vec![root],
        _ => vec![PathBuf::from(".")],
    }
}

/// The settings of the project the first of `paths` belongs to (its `bdc.toml` above it), if
/// any; a project file that cannot be read or understood is an error.
pub fn settings_for(paths: &[PathBuf]) -> Result<Option<crate::project::Settings>, String> {
    let first = paths.first().map_or_else(|| PathBuf::from("."), |p| p.clone());
    let at = canonical(&first);
    let dir = if at.is_dir() { at.as_path() } else { at.parent().unwrap_or(Path::new("/")) };
    let Some(root) = marker_above(dir) else { return Ok(None) };
    // Named from the current directory when it is below it, as the spec files are.
    let path = root.join(MARKER);
    let shown = std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    read_settings(&path, shown.unwrap_or_else(|| path.clone())).map(Some)
}

/// Reads and parses a `bdc.toml`.
pub fn read_settings(path: &Path, shown: PathBuf) -> Result<crate::project::Settings, String> {
    let text = crate::disk::read(path)
        .map_err(|e| format!("cannot read `{}`: {}", shown.display(), crate::disk::plain(&e)))?;
    crate::project::parse(shown, text)
}
