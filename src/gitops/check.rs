//! `bdc emit --check DIR`: the committed tree against the tree the spec emits, as unified diffs
//! (paths relative to the tree, `a/` committed, `b/` emitted), for CI on every pull request.

use std::collections::BTreeMap;

/// A tree in memory: relative path → bytes.
pub type Tree = BTreeMap<String, Vec<u8>>;

/// What differs between the committed tree and the emitted one.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Files only the emitted tree has.
    pub added: Vec<String>,
    /// Files only the committed tree has.
    pub removed: Vec<String>,
    /// Files in both with other bytes.
    pub changed: Vec<String>,
    /// The unified diff of all of them.
    pub diff: String,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// Compares `committed` with `emitted`.
pub fn compare(committed: &Tree, emitted: &Tree) -> Report {
    let mut report = Report::default();
    let mut paths: Vec<&String> = committed.keys().chain(emitted.keys()).collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let (old, new) = (committed.get(path), emitted.get(path));
        if old == new {
            continue;
        }
        let (old_text, new_text) = (text(old.map_or(&[][..], |b| b)), text(new.map_or(&[][..], |b| b)));
        let (a, b) = match (old, new) {
            (None, _) => {
                report.added.push(path.clone());
                ("/dev/null".to_string(), format!("b/{path}"))
            }
            (_, None) => {
                report.removed.push(path.clone());
                (format!("a/{path}"), "/dev/null".to_string())
            }
            _ => {
                report.changed.push(path.clone());
                (format!("a/{path}"), format!("b/{path}"))
            }
        };
        let diff = similar::TextDiff::from_lines(old_text.as_ref(), new_text.as_ref());
        report.diff.push_str(&format!("diff --bdc a/{path} b/{path}\n"));
        report.diff.push_str(&diff.unified_diff().context_radius(3).header(&a, &b).to_string());
        if !report.diff.ends_with('\n') {
            report.diff.push_str("\n\\ No newline at end of file\n");
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::{compare, Tree};

    fn tree(files: &[(&str, &str)]) -> Tree {
        files.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())).collect()
    }

    #[test]
    fn equal_trees_are_clean_and_differences_are_diffed() {
        let a = tree(&[("x/a.yaml", "a: 1\n"), ("x/b.yaml", "b: 1\n")]);
        assert!(compare(&a, &a).is_clean());
        let b = tree(&[("x/a.yaml", "a: 2\n"), ("y/c.yaml", "c: 1\n")]);
        let r = compare(&a, &b);
        assert_eq!(
            (r.added, r.removed, r.changed),
            (vec!["y/c.yaml".into()], vec!["x/b.yaml".into()], vec!["x/a.yaml".into()])
        );
        assert!(r.diff.contains("--- a/x/a.yaml\n+++ b/x/a.yaml\n"), "{}", r.diff);
        assert!(r.diff.contains("-a: 1\n+a: 2\n"), "{}", r.diff);
        assert!(r.diff.contains("--- /dev/null\n+++ b/y/c.yaml\n"), "{}", r.diff);
        assert!(r.diff.contains("--- a/x/b.yaml\n+++ /dev/null\n"), "{}", r.diff);
    }
}
