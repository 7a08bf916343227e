//! Writing a tree of files durably and atomically (`bdc emit --out DIR`).
//!
//! Everything goes to a hidden sibling `.DIR.bdc-tmp`, is flushed to disk (`syncfs` on Linux,
//! each file and directory elsewhere), and then trades places with `DIR` in one step
//! (`renameat2(RENAME_EXCHANGE)`; two renames where the platform has no exchange). So `DIR` is
//! at every instant the whole previous tree or the whole new one — after an error, a kill or a
//! power loss — and the previous tree, left at the sibling, is removed last. Leftovers of an
//! interrupted run are cleaned at the start of the next. A directory bdc did not write (no
//! marker file) is never replaced; a `DIR` that is a symbolic link stays one, and the tree is
//! replaced where it points. Runs writing next to each other (in one parent directory) take
//! turns.
//!
//! With [`Keep::Others`] (`--partner P`), the top-level entries of the existing tree that this
//! run does not write (the other partners' bundles) are carried into the new tree as hard links;
//! with [`Keep::Outside`] (`--partner P` in a GitOps tree), every file that this run does not
//! write and that is not under one of the paths it replaces.

use crate::emit::File;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Marks a directory as written by bdc, so a later run may replace it.
const MARKER: &str = ".bdc-output";

/// What of the existing tree the new one keeps.
#[derive(Clone, PartialEq, Eq)]
pub enum Keep {
    /// Nothing: the tree is exactly the files written.
    Nothing,
    /// The top-level entries this run does not write.
    Others,
    /// Every file this run does not write, except under these paths (relative to the tree,
    /// `/`-separated): the subtrees this run replaces.
    Outside(Vec<String>),
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    dir.with_file_name(format!(".{name}.{suffix}"))
}

fn err(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("cannot {what} `{}`: {}", path.display(), super::files::plain(&e))
}

/// Replaces `dir` with the files of `bundles` bundles (and, with [`Keep::Others`], what it had
/// that they do not replace). `bundle(i)` makes the files of bundle `i`; bundles are made and
/// written by several threads as they are ready, never all held at once. Returns how many files
/// were written.
pub fn write(
    dir: &Path,
    bundles: usize,
    bundle: impl Fn(usize) -> Result<Vec<File>, String> + Sync,
    keep: Keep,
) -> Result<usize, String> {
    let shown = dir;
    let dir = &real_path(dir)?;
    let parent = dir.parent().ok_or_else(|| format!("cannot replace `{}`", shown.display()))?;
    std::fs::create_dir_all(parent).map_err(|e| err("create", parent, e))?;
    let _lock = lock(parent, shown)?;
    let (tmp, old) = (sibling(dir, "bdc-tmp"), sibling(dir, "bdc-old"));
    recover(dir, &tmp, &old)?;
    if dir.exists() {
        let empty = std::fs::read_dir(dir).map_err(|e| err("read", dir, e))?.next().is_none();
        if !empty && !dir.join(MARKER).exists() {
            return Err(format!(
                "`{}` exists and was not written by bdc; choose an empty or new directory (bdc replaces its output directory)",
                shown.display()
            ));
        }
    }
    let written = fill(&tmp, bundles, bundle)
        .and_then(|(count, top, written)| {
            match &keep {
                Keep::Others if dir.exists() => carry(dir, &tmp, &top)?,
                Keep::Outside(replaced) if dir.exists() => carry_outside(dir, &tmp, "", replaced, &written)?,
                _ => {}
            }
            sync_tree(&tmp)?;
            Ok(count)
        })
        .inspect_err(|_| {
            let _ = remove_tree(&tmp);
        })?;
    if dir.exists() {
        swap(&tmp, dir, &old)?;
        sync_dir(parent).map_err(|e| err("sync", parent, e))?;
        // The previous tree now sits at the sibling; a failure here only leaves it for the
        // next run to clean.
        let _ = remove_tree(&tmp);
    } else {
        std::fs::rename(&tmp, dir).map_err(|e| err("move into place", dir, e))?;
        sync_dir(parent).map_err(|e| err("sync", parent, e))?;
    }
    Ok(written)
}

/// The directory to replace: absolute, and through symbolic links (the link stays a link).
fn real_path(dir: &Path) -> Result<PathBuf, String> {
    let mut path = std::path::absolute(dir).map_err(|e| err("find", dir, e))?;
    for _ in 0..40 {
        if let Ok(real) = std::fs::canonicalize(&path) {
            return Ok(real);
        }
        match std::fs::read_link(&path) {
            // A link to a directory that does not exist yet: create it where the link points.
            Ok(target) => path = path.parent().map_or(target.clone(), |p| p.join(&target)),
            Err(_) => {
                let name = path.file_name().ok_or_else(|| format!("cannot replace `{}`", dir.display()))?;
                let parent = path.parent().ok_or_else(|| format!("cannot replace `{}`", dir.display()))?;
                std::fs::create_dir_all(parent).map_err(|e| err("create", parent, e))?;
                let parent = std::fs::canonicalize(parent).map_err(|e| err("find", parent, e))?;
                return Ok(parent.join(name));
            }
        }
    }
    Err(format!("cannot replace `{}`: too many levels of symbolic links", dir.display()))
}

/// Cleans what an interrupted run left: the new tree it did not finish (or the previous one
/// it did not remove) at `tmp`, and, where it had no exchange, a previous tree at `old` —
/// put back if it is all there is.
fn recover(dir: &Path, tmp: &Path, old: &Path) -> Result<(), String> {
    for leftover in [tmp, old] {
        if std::fs::symlink_metadata(leftover).is_err() {
            continue;
        }
        let ours = leftover.join(MARKER).exists()
            || std::fs::read_dir(leftover).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !ours {
            return Err(format!(
                "`{}` is in the way and was not written by bdc; remove it to write `{}`",
                leftover.display(),
                dir.display()
            ));
        }
        if leftover == old && !dir.exists() {
            std::fs::rename(old, dir).map_err(|e| err("restore", dir, e))?;
        } else {
            remove_tree(leftover).map_err(|e| err("remove the leftover", leftover, e))?;
        }
    }
    Ok(())
}

/// Removes a tree bdc wrote, its marker last: killed at any point, what is left still has its
/// marker or is empty, so the next run knows it for its own and finishes the job (removing the
/// marker first left marker-less remains that the next run refused to touch).
fn remove_tree(root: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    match std::fs::remove_file(root.join(MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(root)
}

/// Trades the new tree at `tmp` for the one at `dir`: in one step where the platform can.
fn swap(tmp: &Path, dir: &Path, old: &Path) -> Result<(), String> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        match renameat_with(CWD, tmp, CWD, dir, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system without the exchange: fall back to two renames.
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(err("move into place", dir, e.into())),
        }
    }
    // A crash between the renames leaves the previous tree at `old`: `recover` puts it back.
    std::fs::rename(dir, old).map_err(|e| err("move aside", dir, e))?;
    if let Err(e) = std::fs::rename(tmp, dir) {
        let _ = std::fs::rename(old, dir);
        return Err(err("move into place", dir, e));
    }
    std::fs::rename(old, tmp).map_err(|e| err("move aside", old, e))
}

/// Writes the bundles' files under `tmp`, on worker threads as each bundle is made; returns
/// their count and the top-level names they fill.
fn fill(
    tmp: &Path,
    bundles: usize,
    bundle: impl Fn(usize) -> Result<Vec<File>, String> + Sync,
) -> Result<(usize, HashSet<String>, HashSet<String>), String> {
    std::fs::create_dir_all(tmp).map_err(|e| err("create", tmp, e))?;
    write_file(&tmp.join(MARKER), b"written by bdc emit; the whole directory is replaced on the next run\n")?;
    let count = AtomicUsize::new(0);
    let top = Mutex::new(HashSet::new());
    let written = Mutex::new(HashSet::new());
    crate::parallel::each(bundles, |i| -> Result<(), String> {
        let files = bundle(i)?;
        // A bundle is one partner's directory: create each directory once, not once per file.
        let mut made: Vec<PathBuf> = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for file in &files {
            let name = file.path.split('/').next().unwrap_or_default();
            if !names.contains(&name) {
                names.push(name);
            }
            let path = tmp.join(&file.path);
            if let Some(parent) = path.parent().filter(|p| *p != tmp) {
                if !made.iter().any(|m| m == parent) {
                    std::fs::create_dir_all(parent).map_err(|e| err("create", parent, e))?;
                    made.push(parent.to_path_buf());
                }
            }
            write_file(&path, &file.bytes)?;
        }
        count.fetch_add(files.len(), Ordering::Relaxed);
        top.lock().unwrap_or_else(|p| p.into_inner()).extend(names.into_iter().map(String::from));
        written.lock().unwrap_or_else(|p| p.into_inner()).extend(files.iter().map(|f| f.path.clone()));
        Ok(())
    })?;
    let unpoison = |m: Mutex<HashSet<String>>| m.into_inner().unwrap_or_else(|p| p.into_inner());
    Ok((count.into_inner(), unpoison(top), unpoison(written)))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut file = std::fs::File::create(path).map_err(|e| err("write", path, e))?;
    file.write_all(bytes).map_err(|e| err("write", path, e))?;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    file.sync_all().map_err(|e| err("sync", path, e))?;
    Ok(())
}

/// Carries the entries of `dir` that the new tree does not fill into it, as hard links
/// (copies where the file system has none).
fn carry(dir: &Path, tmp: &Path, filled: &HashSet<String>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| err("read", dir, e))? {
        let entry = entry.map_err(|e| err("read", dir, e))?;
        let name = entry.file_name();
        if name == MARKER || filled.contains(name.to_string_lossy().as_ref()) {
            continue;
        }
        link_tree(&entry.path(), &tmp.join(&name))?;
    }
    Ok(())
}

/// Carries every file under `dir` (at `rel` in the tree) that is not `written` and not under a
/// `replaced` path into `tmp`, as hard links (copies where the file system has none).
fn carry_outside(
    dir: &Path,
    tmp: &Path,
    rel: &str,
    replaced: &[String],
    written: &HashSet<String>,
) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| err("read", dir, e))? {
        let entry = entry.map_err(|e| err("read", dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if rel.is_empty() && name == MARKER {
            continue;
        }
        let path = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        if replaced.iter().any(|r| path == *r || path.starts_with(&format!("{r}/"))) || written.contains(&path) {
            continue;
        }
        let kind = entry.file_type().map_err(|e| err("read", &entry.path(), e))?;
        let to = tmp.join(&name);
        if kind.is_dir() {
            if !to.exists() {
                std::fs::create_dir(&to).map_err(|e| err("create", &to, e))?;
            }
            carry_outside(&entry.path(), &to, &path, replaced, written)?;
        } else if kind.is_file() && std::fs::hard_link(entry.path(), &to).is_err() {
            std::fs::copy(entry.path(), &to).map_err(|e| err("copy", &entry.path(), e))?;
        }
    }
    Ok(())
}

fn link_tree(from: &Path, to: &Path) -> Result<(), String> {
    let kind = std::fs::symlink_metadata(from).map_err(|e| err("read", from, e))?.file_type();
    if kind.is_dir() {
        std::fs::create_dir(to).map_err(|e| err("create", to, e))?;
        for entry in std::fs::read_dir(from).map_err(|e| err("read", from, e))? {
            let entry = entry.map_err(|e| err("read", from, e))?;
            link_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else if kind.is_file() && std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to).map_err(|e| err("copy", from, e))?;
    }
    Ok(())
}

/// Makes the tree at `root` durable: its files' data and every directory entry.
fn sync_tree(root: &Path) -> Result<(), String> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        // One call for the whole file system the tree is on: far cheaper than one per file.
        let dir = std::fs::File::open(root).map_err(|e| err("open", root, e))?;
        rustix::fs::syncfs(&dir).map_err(|e| err("sync", root, e.into()))
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        // Files were synced as they were written; their directories, deepest first.
        fn dirs(at: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(at).into_iter().flatten().flatten() {
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    dirs(&entry.path(), out);
                }
            }
            out.push(at.to_path_buf());
        }
        let mut all = Vec::new();
        dirs(root, &mut all);
        all.iter().try_for_each(|d| sync_dir(d).map_err(|e| err("sync", d, e)))
    }
}

/// Flushes a directory's entries (a rename or a new file in it) to disk.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Holds the parent directory locked while this run writes (released when dropped), so two
/// runs never clean or swap each other's siblings.
fn lock(parent: &Path, shown: &Path) -> Result<Option<std::fs::File>, String> {
    #[cfg(unix)]
    {
        use rustix::fs::{flock, FlockOperation};
        let file = std::fs::File::open(parent).map_err(|e| err("open", parent, e))?;
        // Another run writing here finishes first (it is bdc: it ends).
        let _ = shown;
        flock(&file, FlockOperation::LockExclusive).map_err(|e| err("lock", parent, e.into()))?;
        Ok(Some(file))
    }
    #[cfg(not(unix))]
    {
        let _ = (parent, shown);
        Ok(None)
    }
}
