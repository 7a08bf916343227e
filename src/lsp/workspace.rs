//! The language server's view of the workspace: one project per spec being edited, found by
//! the rule of `cli::project` (the nearest `bdc.toml` above a file, else its directory and the
//! files that import it), each compiled as one program — as `bdc check` would — with the
//! editor's unsaved buffers in place of what is on disk, again after every change. The folder
//! the editor opened only adds the project of its own `bdc.toml`; it is never compiled whole.
//! Standard modules are written once to a cache directory so that "go to definition" can open
//! them.

use crate::cli::project::{self, Root};
use crate::load::{DiskLoader, Loader};
use crate::source::{FileId, SourceFile};
use crate::Compilation;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Open buffers first, the disk for the rest.
struct Overlay<'a> {
    open: &'a HashMap<PathBuf, String>,
}

impl Loader for Overlay<'_> {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        match self.open.get(path) {
            Some(text) => Ok(text.clone()),
            None => DiskLoader.read(path),
        }
    }
    fn canonical(&self, path: &Path) -> PathBuf {
        DiskLoader.canonical(path)
    }
}

/// One project: its root, its files on disk, its last compilation.
pub struct Project {
    pub root: Root,
    /// The `.bdot` files of the project, found by `rescan` (not on every keystroke).
    disk: Vec<PathBuf>,
    /// Its `bdc.toml`, read when the project is found (and again on every save).
    pub settings: Result<Option<crate::project::Settings>, String>,
    pub compilation: Option<Compilation>,
}

impl Project {
    fn new(root: Root) -> Project {
        let disk = root.files().iter().map(|p| DiskLoader.canonical(p)).collect();
        let settings = root.marker().map(|m| project::read_settings(&m, m.clone())).transpose();
        Project { root, disk, settings, compilation: None }
    }

    /// Whether the file at `path` (canonical) is part of this project's last compilation.
    fn holds(&self, path: &Path) -> bool {
        self.disk.iter().any(|p| p == path)
            || self
                .compilation
                .as_ref()
                .is_some_and(|c| c.sources.ids().any(|id| Path::new(&c.sources.get(id).name) == path))
    }
}

pub struct Workspace {
    /// The folder opened in the editor (`None`: only the open files).
    pub root: Option<PathBuf>,
    pub open: HashMap<PathBuf, String>,
    pub projects: Vec<Project>,
    /// Where the standard modules were written (`None`: could not be written).
    pub std_dir: Option<PathBuf>,
}

/// What the answers to one request read: the compilation of the project of its document.
pub struct View<'a> {
    pub compilation: Option<&'a Compilation>,
    pub open: &'a HashMap<PathBuf, String>,
    pub std_dir: Option<&'a Path>,
}

impl Workspace {
    pub fn new(root: Option<PathBuf>) -> Workspace {
        let mut ws = Workspace { root, open: HashMap::new(), projects: Vec::new(), std_dir: write_std() };
        ws.rescan();
        ws
    }

    /// Finds the projects and their files again (at start, when a file is opened, saved,
    /// created or deleted): the project of the editor's folder if it holds `bdc.toml`, and
    /// the project of every open file.
    pub fn rescan(&mut self) {
        let mut roots: Vec<Root> = Vec::new();
        if let Some(root) = self.root.as_ref().and_then(|r| project::marker_above(r)) {
            roots.push(Root::Marker(root));
        }
        let mut open: Vec<&PathBuf> = self.open.keys().collect();
        open.sort();
        for path in open {
            let root = project::of_file(path);
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
        self.projects = roots.into_iter().map(Project::new).collect();
    }

    /// Adds an open buffer (or its new text); `true` when it started a project.
    pub fn open_file(&mut self, path: PathBuf, text: String) -> bool {
        let new = !self.open.contains_key(&path);
        self.open.insert(path.clone(), text);
        if new && !self.projects.iter().any(|p| p.holds(&path)) {
            self.rescan();
            return true;
        }
        false
    }

    /// Compiles every project again.
    pub fn recheck(&mut self) {
        for i in 0..self.projects.len() {
            self.compile(i);
        }
    }

    /// Compiles again the projects that hold `path`.
    pub fn recheck_file(&mut self, path: &Path) {
        for i in 0..self.projects.len() {
            if self.projects[i].holds(path) || self.projects[i].compilation.is_none() {
                self.compile(i);
            }
        }
    }

    fn compile(&mut self, i: usize) {
        let p = &self.projects[i];
        // The project's files and its open buffers (a new file not saved yet) are its roots.
        let mut files = p.disk.clone();
        for path in self.open.keys() {
            let inside = match &p.root {
                Root::Marker(dir) => path.starts_with(dir),
                Root::Dir(dir) => path.parent() == Some(dir.as_path()),
            };
            if inside && !files.contains(path) {
                files.push(path.clone());
            }
        }
        files.sort();
        let settings = p.settings.as_ref().ok().and_then(Option::as_ref);
        let compilation = crate::compile_project(&files, &Overlay { open: &self.open }, None, settings).ok();
        self.projects[i].compilation = compilation;
    }

    /// The view of the project that holds `path` (the first one; a file no project holds gets
    /// no compilation).
    pub fn view(&self, path: &Path) -> View<'_> {
        let project = self.projects.iter().find(|p| p.holds(path));
        View {
            compilation: project.and_then(|p| p.compilation.as_ref()),
            open: &self.open,
            std_dir: self.std_dir.as_deref(),
        }
    }

    /// The views of every project.
    pub fn views(&self) -> impl Iterator<Item = View<'_>> {
        self.projects.iter().map(|p| View {
            compilation: p.compilation.as_ref(),
            open: &self.open,
            std_dir: self.std_dir.as_deref(),
        })
    }
}

impl View<'_> {
    /// The file a path was compiled as.
    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        let c = self.compilation?;
        c.sources.ids().find(|id| Path::new(&c.sources.get(*id).name) == path)
    }

    /// The path on disk of a compiled file (standard modules: their copy in the cache).
    pub fn path_of(&self, file: &SourceFile) -> Option<PathBuf> {
        match file.name.strip_prefix("std/") {
            Some(module) => Some(self.std_dir?.join(format!("{module}.bdot"))),
            None => Some(PathBuf::from(&file.name)),
        }
    }
}

/// Writes the embedded standard modules to `<cache>/bdc/std-<version>/`, once.
fn write_std() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join("bdc").join(format!("std-{}", env!("CARGO_PKG_VERSION")));
    std::fs::create_dir_all(&dir).ok()?;
    for (path, text) in crate::stdlib::MODULES {
        let file = dir.join(format!("{}.bdot", path.trim_start_matches("std/")));
        if std::fs::read_to_string(&file).ok().as_deref() != Some(*text) {
            std::fs::write(&file, text).ok()?;
        }
    }
    Some(dir)
}
