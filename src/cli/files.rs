//! Finding the spec files a command works on: files as given, directories searched recursively
//! for `.bdot` files in sorted order. Links are followed, but each directory is searched once
//! and each file listed once (a link back to `.` neither loops nor loads files twice), and only
//! regular files are read (a FIFO would block, a device never end).
//!
//! A path `-` is a spec on standard input, as in `kubectl apply -f -`: it becomes the root
//! named [`STDIN`], which [`Loader`] serves from the bytes read once (bounded and decoded as a
//! file is); its imports are relative to the current directory.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The name of the spec read from standard input, in diagnostics and listings.
pub const STDIN: &str = "<stdin>";

/// Whether a collected path is the spec on standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// What identifies a file or directory, whatever the path that reached it.
#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = PathBuf;

#[cfg(unix)]
fn identity(_: &Path, meta: &std::fs::Metadata) -> Identity {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(path: &Path, _: &std::fs::Metadata) -> Identity {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[derive(Default)]
struct Walk {
    out: Vec<PathBuf>,
    dirs: HashSet<Identity>,
    files: HashSet<Identity>,
    /// Subdirectories holding their own `bdc.toml` are other projects: not searched, listed
    /// here (for compiling commands; `fmt` formats every file).
    projects: Option<Vec<PathBuf>>,
}

/// Expands paths into `.bdot` files; a path that does not exist or cannot be read is an error.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let defaults = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &defaults[..] } else { paths };
    expand(paths, Walk::default())
}

/// The files of the spec the compiling commands read: [`collect`], but a subdirectory that
/// holds its own `bdc.toml` is another project and is not searched (see `cli::project`); with
/// no paths, the project root above the current directory.
pub fn collect_project(path: &Path) -> Result<Vec<PathBuf>, String> {
    collect_spec(std::slice::from_ref(&path.to_path_buf()))
}

/// [`collect_project`] over several paths (none: the project of the current directory).
pub fn collect_spec(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let paths = super::project::default_paths(paths);
    expand(&paths, Walk { projects: Some(Vec::new()), ..Walk::default() })
}

fn expand(paths: &[PathBuf], mut walk: Walk) -> Result<Vec<PathBuf>, String> {
    let mut stdin = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if std::mem::replace(&mut stdin, true) {
                return Err("`-` (standard input) is given twice; it can be read once".into());
            }
            walk.out.push(PathBuf::from(STDIN));
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read `{}`: {}", path.display(), plain(&e)))?;
        if meta.is_dir() {
            let before = walk.out.len();
            walk.dir(path, &meta, true)?;
            if walk.out.len() == before {
                let others = walk.projects.as_deref().unwrap_or_default();
                if !others.is_empty() {
                    let names: Vec<String> = others.iter().take(5).map(|p| format!("`{}`", p.display())).collect();
                    return Err(format!(
                        "no `.bdot` files of its own in `{}`; it holds other projects (a `bdc.toml` each): {}{} — name one",
                        path.display(),
                        names.join(", "),
                        if others.len() > 5 { ", …" } else { "" }
                    ));
                }
                return Err(format!("no `.bdot` files in `{}`", path.display()));
            }
        } else {
            walk.file(path.clone(), &meta)?;
        }
    }
    Ok(walk.out)
}

impl Walk {
    fn file(&mut self, path: PathBuf, meta: &std::fs::Metadata) -> Result<(), String> {
        if !meta.is_file() {
            let e = std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file");
            return Err(format!("cannot read `{}`: {}", path.display(), plain(&e)));
        }
        if self.files.insert(identity(&path, meta)) {
            self.out.push(path);
        }
        Ok(())
    }

    fn dir(&mut self, dir: &Path, meta: &std::fs::Metadata, top: bool) -> Result<(), String> {
        if !self.dirs.insert(identity(dir, meta)) {
            return Ok(());
        }
        if let Some(projects) = self.projects.as_mut().filter(|_| !top && super::project::has_marker(dir)) {
            projects.push(clean(dir));
            return Ok(());
        }
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read directory `{}`: {}", dir.display(), plain(&e)))?;
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') || name == "target" {
                continue;
            }
            let is_spec = path.extension().is_some_and(|e| e == "bdot");
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.dir(&path, &meta, false)?,
                Ok(meta) if is_spec => self.file(clean(&path), &meta)?,
                Err(e) if is_spec => return Err(format!("cannot read `{}`: {}", path.display(), plain(&e))),
                _ => {}
            }
        }
        Ok(())
    }
}

/// Reads from the disk, and the root [`STDIN`] from standard input (read once, when the loader
/// is made).
pub struct Loader {
    /// Standard input, until it is taken; `None` when no path is `-`.
    stdin: Mutex<Option<std::io::Result<String>>>,
}

impl Loader {
    /// A loader for these roots: standard input is read here when one of them is [`STDIN`].
    pub fn new(roots: &[PathBuf]) -> Loader {
        let stdin = roots.iter().any(|p| is_stdin(p)).then(|| read_stdin(std::io::stdin().lock()));
        Loader { stdin: Mutex::new(stdin) }
    }

    /// The text of standard input (once; a second call finds it taken).
    pub fn read_stdin(&self) -> std::io::Result<String> {
        let taken = self.stdin.lock().map(|mut s| s.take()).unwrap_or(None);
        taken.unwrap_or_else(|| {
            Err(std::io::Error::new(std::io::ErrorKind::NotFound, "standard input was read already"))
        })
    }
}

impl crate::load::Loader for Loader {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        if is_stdin(path) {
            return self.read_stdin();
        }
        crate::disk::read(path)
    }
    fn canonical(&self, path: &Path) -> PathBuf {
        if is_stdin(path) {
            return path.to_path_buf();
        }
        crate::load::DiskLoader.canonical(path)
    }
}

/// Reads a spec from a stream with the limits of a file (at most `disk::MAX_FILE_BYTES`,
/// UTF-8; text that is not UTF-8 is returned inside the error, as `disk::read` does).
fn read_stdin(input: impl Read) -> std::io::Result<String> {
    let max = crate::disk::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    input.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("larger than {} MiB, the most bdc reads from one file", max >> 20),
        ));
    }
    crate::disk::decode(bytes).map_err(|bad| std::io::Error::new(std::io::ErrorKind::InvalidData, bad))
}

/// `./a/b.bdot` → `a/b.bdot`, for shorter names in diagnostics.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix(".").map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// An I/O error without the "(os error 2)" suffix.
pub fn plain(e: &std::io::Error) -> String {
    crate::disk::plain(e)
}
