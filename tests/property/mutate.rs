//! Mutations of the examples: a line deleted or duplicated, a number swapped for another or an
//! edge value, a string or a word replaced. The property is weaker than for generated specs:
//! `bdc check` never panics, never reports an internal error and exits 0 or 1; when it is clean,
//! `bdc emit` succeeds for every target.

use super::spec::{lit, Rng};
use super::values::TRICKY;
use super::{env_number, internal, run, scratch, TARGETS};
use std::path::{Path, PathBuf};

/// The examples' files, per example: `(relative name, text)`.
fn examples() -> Vec<Vec<(String, String)>> {
    let root = crate::support::root().join("examples");
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(&root).expect("examples/").map(|e| e.expect("entry").path()).collect();
    names.sort();
    names
        .iter()
        .map(|dir| {
            crate::support::bdot_files(dir)
                .iter()
                .map(|f| {
                    let name = f.strip_prefix(dir).expect("inside").to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(f).expect("readable"))
                })
                .collect()
        })
        .collect()
}

const WORDS: &[(&str, &str)] = &[
    ("stable", "beta"),
    ("eks", "k8s"),
    ("gke", "aks"),
    ("postgres", "redis"),
    ("managed", "external"),
    ("in_cluster", "managed"),
    ("canary", "blue_green"),
    ("argo", "native"),
    ("plans.small", "plans.large"),
    ("true", "false"),
    ("follows", "release"),
    ("domains", "domain"),
];

const NUMBERS: &[&str] =
    &["0", "1", "65535", "65536", "99999999999999999999", "0.5", "100%", "101%", "0%", "0s", "1Ei", "16Pi", "1000000"];

/// Byte ranges of the numbers (with their units) in a text.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'));
        if starts {
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'.' || b[j] == b'%') {
                j += 1;
            }
            out.push((i, j));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// One random edit of one text.
fn mutate(rng: &mut Rng, text: &str) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    let at = rng.below(lines.len());
    let join = |ls: Vec<&str>| ls.join("\n") + "\n";
    match rng.below(6) {
        0 => {
            let mut ls = lines.clone();
            ls.remove(at);
            (format!("delete line {}", at + 1), join(ls))
        }
        1 => {
            let mut ls = lines.clone();
            ls.insert(at, lines[at]);
            (format!("duplicate line {}", at + 1), join(ls))
        }
        2 => {
            let spans = numbers(text);
            if spans.is_empty() {
                return ("no change".into(), text.to_string());
            }
            let (s, e) = *rng.pick(&spans);
            let with = if rng.chance(50) {
                rng.pick(NUMBERS).to_string()
            } else {
                let (s2, e2) = *rng.pick(&spans);
                text[s2..e2].to_string()
            };
            (format!("number `{}` → `{with}`", &text[s..e]), format!("{}{with}{}", &text[..s], &text[e..]))
        }
        3 => {
            let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
            if quotes.len() < 2 {
                return ("no change".into(), text.to_string());
            }
            let k = rng.below(quotes.len() / 2) * 2;
            let (s, e) = (quotes[k], quotes[k + 1] + 1);
            let with = lit(rng.pick(TRICKY));
            (format!("string {} → {with}", &text[s..e]), format!("{}{with}{}", &text[..s], &text[e..]))
        }
        4 => {
            let (from, to) = *rng.pick(WORDS);
            let hits: Vec<usize> = text.match_indices(from).map(|(i, _)| i).collect();
            if hits.is_empty() {
                return ("no change".into(), text.to_string());
            }
            let i = *rng.pick(&hits);
            (format!("word `{from}` → `{to}`"), format!("{}{to}{}", &text[..i], &text[i + from.len()..]))
        }
        _ => {
            // Drop a field: a line with `=` inside a block.
            let fields: Vec<usize> = (0..lines.len()).filter(|i| lines[*i].contains(" = ")).collect();
            if fields.is_empty() {
                return ("no change".into(), text.to_string());
            }
            let i = *rng.pick(&fields);
            let mut ls = lines.clone();
            ls.remove(i);
            (format!("drop field line {}: `{}`", i + 1, lines[i].trim()), join(ls))
        }
    }
}

fn write(dir: &Path, files: &[(String, String)]) {
    let _ = std::fs::remove_dir_all(dir);
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, text).expect("write");
    }
}

/// `Err` describes a broken promise.
fn check_one(dir: &Path) -> Result<bool, String> {
    let check = run(&["check"], dir);
    let err = crate::support::text(&check.stderr);
    if internal(&err) || !matches!(check.status.code(), Some(0 | 1)) {
        return Err(format!("`bdc check` exits with {:?}:\n{err}", check.status.code()));
    }
    if check.status.code() == Some(1) {
        return Ok(false);
    }
    for t in TARGETS {
        let o = run(&["emit", "--target", t], dir);
        let err = crate::support::text(&o.stderr);
        if internal(&err) || !o.status.success() {
            return Err(format!(
                "`bdc emit --target {t}` after a clean check exits with {:?}:\n{err}",
                o.status.code()
            ));
        }
    }
    Ok(true)
}

#[test]
fn mutated_examples_never_crash() {
    let cases = env_number("BDC_PROPERTY_MUTATIONS", 60);
    let mut rng = Rng::new(env_number("BDC_PROPERTY_SEED", 12));
    let dir = scratch("mutate");
    let examples = examples();
    let mut failures = Vec::new();
    let mut clean = 0;
    for case in 0..cases {
        let mut files = rng.pick(&examples).clone();
        let mut edits = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let f = rng.below(files.len());
            let (what, text) = mutate(&mut rng, &files[f].1);
            edits.push(format!("{}: {what}", files[f].0));
            files[f].1 = text;
        }
        let case_dir = dir.join("spec");
        write(&case_dir, &files);
        match check_one(&case_dir) {
            Ok(true) => clean += 1,
            Ok(false) => {}
            Err(f) => {
                let spec: String = files.iter().map(|(n, t)| format!("// ---- {n}\n{t}")).collect();
                failures.push(format!("── mutation {case}: {} ──\n{f}\n── spec ──\n{spec}", edits.join("; ")));
            }
        }
    }
    eprintln!("mutations: {cases} mutated examples, {clean} still clean");
    assert!(failures.is_empty(), "{} failures:\n\n{}", failures.len(), failures.join("\n\n"));
    let _ = std::fs::remove_dir_all(&dir);
}
