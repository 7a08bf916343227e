//! Drop-a-file diagnostics tests. Each case in `tests/ui/` is a `.bdot` file (or a folder of
//! them, compiled together) whose first line says what it tests and whose `// expect:` lines
//! list every code it must report (`// expect: clean` for none). A `.yaml` case is given to
//! `bdc import` instead (its `# expect:` lines). The snapshot shows the source and the rendered
//! diagnostics; the expected codes are checked independently of it.

use super::support::{codes, compile_paths, rendered, root};
use std::path::{Path, PathBuf};

/// A case: its name, its files, and the codes its comments expect.
pub struct Case {
    pub name: String,
    pub files: Vec<PathBuf>,
    pub expected: Vec<String>,
}

pub fn cases() -> Vec<Case> {
    let dir = root().join("tests/ui");
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("tests/ui exists").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    entries
        .into_iter()
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "bdot" || e == "yaml"))
        .map(|path| {
            let files: Vec<PathBuf> =
                if path.is_dir() { super::support::bdot_files(&path) } else { vec![path.clone()] };
            let files: Vec<PathBuf> =
                files.iter().map(|f| f.strip_prefix(root()).expect("under root").to_path_buf()).collect();
            let mut expected = Vec::new();
            for f in &files {
                let text = std::fs::read_to_string(root().join(f)).expect("readable");
                for line in text.lines() {
                    if let Some(rest) = line.trim().strip_prefix("// expect:").or(line.trim().strip_prefix("# expect:"))
                    {
                        expected.extend(
                            rest.split([',', ' ']).filter(|w| !w.is_empty() && *w != "clean").map(str::to_string),
                        );
                    }
                }
            }
            expected.sort();
            expected.dedup();
            let name = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 name").to_string();
            Case { name, files, expected }
        })
        .collect()
}

fn has_expect_line(files: &[PathBuf]) -> bool {
    files.iter().any(|f| {
        std::fs::read_to_string(root().join(f)).is_ok_and(|t| t.contains("// expect:") || t.contains("# expect:"))
    })
}

/// One generated test per case (see `build.rs`): `cargo test ui::case::<name>`.
mod case {
    include!(concat!(env!("OUT_DIR"), "/ui_cases.rs"));
}

/// Checks one case: the codes its `// expect:` lines name (independently of the snapshot), and
/// the snapshot of its source and rendered diagnostics.
fn run(name: &str) {
    let case = cases().into_iter().find(|c| c.name == name).expect("the case exists");
    assert!(has_expect_line(&case.files), "case `{}` has no `// expect:` line", case.name);
    if case.files[0].extension().is_some_and(|e| e == "yaml") {
        return run_import(&case);
    }
    let c = compile_paths(&case.files);
    let got = codes(&c);
    let mut snapshot = String::new();
    for f in &case.files {
        let text = std::fs::read_to_string(root().join(f)).expect("readable");
        snapshot.push_str(&format!("── {} ──\n{text}", f.display()));
    }
    snapshot.push_str("── diagnostics ──\n");
    snapshot.push_str(&rendered(&c));
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots/ui"), prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(case.name.as_str(), snapshot);
    });
    assert_eq!(got, case.expected, "{}: other codes than its `// expect:` lines\n{}", case.name, rendered(&c));
}

/// The generated tests are the cases on disk (a stale build would miss a new case).
#[test]
fn every_case_has_a_test() {
    let names: Vec<String> = cases().into_iter().map(|c| c.name).collect();
    assert!(!names.is_empty(), "no cases in tests/ui");
    assert_eq!(case::CASES, names.as_slice());
}

/// Every case is small: one behaviour per file.
#[test]
fn cases_are_small() {
    for case in cases() {
        for f in &case.files {
            let lines = std::fs::read_to_string(root().join(f)).expect("readable").lines().count();
            assert!(lines <= 60, "{} has {lines} lines; split it", Path::new(f).display());
        }
    }
}

/// The diagnostics `bdc import` reports reading a YAML file, rendered, and their codes.
pub fn import_diagnostics(name: &str, text: &str) -> (String, Vec<String>) {
    use bdc::diagnostic::render::{self, Style};
    let mut sources = bdc::source::SourceMap::new();
    let id = sources.add(bdc::source::SourceFile::new(name.into(), bdc::source::Origin::Memory, text.into()));
    let mut diagnostics = bdc::diagnostic::Diagnostics::new();
    let _ = bdc::import::read_objects(&sources, &[id], &mut diagnostics);
    let style = Style { color: false, width: 100 };
    let rendered = diagnostics.sorted().iter().map(|d| render::human(d, &sources, style)).collect();
    let mut codes: Vec<String> = diagnostics.iter().map(|d| d.code.to_string()).collect();
    codes.sort();
    codes.dedup();
    (rendered, codes)
}

fn run_import(case: &Case) {
    let f = &case.files[0];
    let text = std::fs::read_to_string(root().join(f)).expect("readable");
    let (rendered, got) = import_diagnostics(&f.display().to_string(), &text);
    let snapshot = format!("── {} ──\n{text}── diagnostics ──\n{rendered}", f.display());
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots/ui"), prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(case.name.as_str(), snapshot);
    });
    assert_eq!(got, case.expected, "{}: other codes than its `# expect:` lines\n{rendered}", case.name);
}
