//! The code catalogue stays complete: every code has an explanation whose first ```bdot block
//! triggers it (for `bdc import`'s codes, its first ```yaml block given to import), and at
//! least one drop-a-file case expects it.

use super::support::{codes, compile_text};
use bdc::diagnostic::Code;
use bdc::load::DiskLoader;
use bdc::Compilation;

/// The first ```bdot block of an explanation.
fn example(explanation: &str) -> Option<&str> {
    let start = explanation.find("```bdot\n")? + "```bdot\n".len();
    let len = explanation[start..].find("```")?;
    Some(&explanation[start..start + len])
}

/// The first ```yaml block of an import code's explanation.
fn yaml_example(explanation: &str) -> Option<&str> {
    let start = explanation.find("```yaml\n")? + "```yaml\n".len();
    let len = explanation[start..].find("```")?;
    Some(&explanation[start..start + len])
}

/// Compiles an example. The example of a file that is not UTF-8 is shown as text and meant in
/// Latin-1: it is written to a file in that encoding and read from disk.
fn compile_example(code: Code, src: &str) -> Compilation {
    if code != Code::NotUtf8 {
        return compile_text(src);
    }
    let latin1: Vec<u8> = src.chars().map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 example")).collect();
    let path = std::env::temp_dir().join(format!("bdc-e0107-{}.bdot", std::process::id()));
    std::fs::write(&path, latin1).expect("write the example");
    let compiled = bdc::compile(std::slice::from_ref(&path), &DiskLoader).expect("readable");
    let _ = std::fs::remove_file(&path);
    compiled
}

#[test]
fn every_code_is_explained_with_an_example_that_triggers_it() {
    let mut problems = Vec::new();
    for &code in Code::ALL {
        let text = code.explanation();
        if !text.starts_with(&format!("# {code}: ")) {
            problems.push(format!("{code}: explanation must start with `# {code}: <title>`"));
        }
        if let Some(src) = yaml_example(text) {
            let (_, got) = super::ui::import_diagnostics("example.yaml", src);
            if !got.contains(&code.to_string()) {
                problems.push(format!("{code}: its example reports {got:?}"));
            }
            continue;
        }
        match example(text) {
            None => problems.push(format!("{code}: explanation has no ```bdot example")),
            Some(src) => {
                let got = codes(&compile_example(code, src));
                if !got.contains(&code.to_string()) {
                    problems.push(format!("{code}: its example reports {got:?}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_code_has_a_ui_case() {
    let expected: Vec<String> = super::ui::cases().into_iter().flat_map(|c| c.expected).collect();
    let missing: Vec<&str> =
        Code::ALL.iter().map(|c| c.as_str()).filter(|c| !expected.iter().any(|e| e == c)).collect();
    assert!(missing.is_empty(), "codes without a tests/ui case: {missing:?}");
}

#[test]
fn codes_are_unique_and_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for &code in Code::ALL {
        let s = code.as_str();
        assert!(seen.insert(s), "{s} listed twice");
        assert!(
            s.len() == 5 && (s.starts_with('E') || s.starts_with('W')) && s[1..].bytes().all(|b| b.is_ascii_digit()),
            "{s}"
        );
        assert_eq!(Code::parse(&s.to_lowercase()), Some(code));
    }
}
