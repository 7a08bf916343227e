//! Helpers shared by the test modules.

use bdc::diagnostic::render::{self, Style};
use bdc::load::{DiskLoader, MemoryLoader};
use bdc::Compilation;
use std::path::{Path, PathBuf};

/// The crate root; tests name files relative to it so snapshots are the same everywhere.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Compiles files from disk (paths relative to the crate root).
pub fn compile_paths(paths: &[PathBuf]) -> Compilation {
    std::env::set_current_dir(root()).expect("crate root exists");
    bdc::compile(paths, &DiskLoader).expect("test inputs are readable")
}

/// Compiles one in-memory file named `main.bdot`.
pub fn compile_text(text: &str) -> Compilation {
    let loader = MemoryLoader::default().with("main.bdot", text);
    bdc::compile(&[PathBuf::from("main.bdot")], &loader).expect("in-memory file exists")
}

/// All diagnostics rendered without colour at a fixed width, in source order.
pub fn rendered(c: &Compilation) -> String {
    let style = Style { color: false, width: 100 };
    let sources = c.sources.redacted(c.diagnostics.secrets());
    c.diagnostics.sorted().iter().map(|d| render::human(d, &sources, style)).collect()
}

/// The codes reported, sorted and deduplicated.
pub fn codes(c: &Compilation) -> Vec<String> {
    let mut codes: Vec<String> = c.diagnostics.iter().map(|d| d.code.to_string()).collect();
    codes.sort();
    codes.dedup();
    codes
}

/// `.bdot` files under a directory, recursively, sorted.
pub fn bdot_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("dir exists").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(bdot_files(&path));
        } else if path.extension().is_some_and(|e| e == "bdot") {
            out.push(path);
        }
    }
    out
}

/// Runs the `bdc` binary from the crate root, without colour.
pub fn bdc(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_bdc"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("bdc runs")
}

/// Process output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `tests/data/operators/validate.py` (the operators' CRD schemas) over `files`; fails
/// the test when the validator's Python dependencies are missing.
pub fn operator_crds(files: &[PathBuf]) -> std::process::Output {
    let script = root().join("tests/data/operators/validate.py");
    let out = std::process::Command::new("python3").arg(&script).args(files).output().expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains("No module named"), "run `.ci/test`, which installs the validator's dependencies:\n{text}");
    out
}
