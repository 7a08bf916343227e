//! Writing a tree of files atomically: everything goes to a hidden sibling directory that is
//! renamed into place only when complete. An error or a kill never leaves a half-written tree,
//! and an existing tree is replaced only after the new one is whole. A directory bdc did not
//! write (no marker file) is never replaced.

use crate::emit::File;
use std::path::{Path, PathBuf};

/// Marks a directory as written by bdc, so a later run may replace it.
const MARKER: &str = ".bdc-output";

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    dir.with_file_name(format!(".{name}.{suffix}"))
}

fn err(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("cannot {what} `{}`: {}", path.display(), super::files::plain(&e))
}

/// Replaces `dir` with exactly `files`.
pub fn write(dir: &Path, files: impl IntoIterator<Item = File>) -> Result<usize, String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir).map_err(|e| err("read", dir, e))?.next().is_none();
        if !empty && !dir.join(MARKER).exists() {
            return Err(format!(
                "`{}` exists and was not written by bdc; choose an empty or new directory (bdc replaces its output directory)",
                dir.display()
            ));
        }
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| err("create", parent, e))?;
    }
    let tmp = sibling(dir, "bdc-tmp");
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| err("remove stale", &tmp, e))?;
    }
    let written = fill(&tmp, files).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&tmp);
    })?;
    if dir.exists() {
        let old = sibling(dir, "bdc-old");
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| err("remove stale", &old, e))?;
        }
        std::fs::rename(dir, &old).map_err(|e| err("move aside", dir, e))?;
        if let Err(e) = std::fs::rename(&tmp, dir) {
            // Put the previous tree back rather than leave nothing.
            let _ = std::fs::rename(&old, dir);
            return Err(err("move into place", dir, e));
        }
        std::fs::remove_dir_all(&old).map_err(|e| err("remove the previous", &old, e))?;
    } else {
        std::fs::rename(&tmp, dir).map_err(|e| err("move into place", dir, e))?;
    }
    Ok(written)
}

fn fill(tmp: &Path, files: impl IntoIterator<Item = File>) -> Result<usize, String> {
    std::fs::create_dir_all(tmp).map_err(|e| err("create", tmp, e))?;
    std::fs::write(tmp.join(MARKER), "written by bdc emit; the whole directory is replaced on the next run\n")
        .map_err(|e| err("write", tmp, e))?;
    let mut count = 0;
    let mut made: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for file in files {
        let path = tmp.join(&file.path);
        if let Some(parent) = path.parent() {
            // One directory per partner: create it once, not once per file.
            if made.insert(parent.to_path_buf()) {
                std::fs::create_dir_all(parent).map_err(|e| err("create", parent, e))?;
            }
        }
        std::fs::write(&path, &file.bytes).map_err(|e| err("write", &path, e))?;
        count += 1;
    }
    Ok(count)
}
