//! The writer's own tests: quoting of strings any reader could take for something else,
//! escaping of characters no reader accepts raw, long keys, and the kubectl layout.

use super::scalar::{plain_ok, resolves_to_other_type};
use super::write;
use std::collections::BTreeMap;

fn yaml<T: serde::Serialize>(v: &T) -> String {
    let mut out = Vec::new();
    write(v, &mut out).expect("serialises");
    String::from_utf8(out).expect("utf-8")
}

fn round_trips(s: &str) {
    let text = yaml(&BTreeMap::from([(s, s)]));
    let back: BTreeMap<String, String> = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{s:?} → {text}: {e}"));
    assert_eq!(back.into_iter().collect::<Vec<_>>(), [(s.to_string(), s.to_string())], "{text}");
}

#[test]
fn strings_that_would_read_as_other_types_are_quoted() {
    let cases = [
        "",
        "true",
        "No",
        "nO",
        "null",
        "NULL",
        "~",
        "y",
        "Y",
        "n",
        "yes",
        "YeS",
        "on",
        "OFF",
        "oFf",
        "12",
        "1.5",
        "0x1f",
        "0x1F",
        "0xBEEF",
        "0XBEEF",
        "0b1010",
        "0o17",
        "017",
        "1e3",
        "1E3",
        "1_000",
        "12:30",
        "1:20",
        "190:20:30.15",
        "2.4.1",
        ".5",
        "1.",
        ".inf",
        "-.Inf",
        ".NaN",
        "inf",
        "nan",
        "Infinity",
        "0x1p-2",
        "2001-12-14",
        "2001-12-14 21:59:43.10 -5",
        "2001-12-14t21:59:43.10-05:00",
        "2002-12-14T00:00:00Z",
        "<<",
        "=",
        "-a",
        "a: b",
        "a #b",
        "it's",
        "line\nbreak",
        "*x",
        "{}",
        " lead",
        "trail ",
        "tab\there",
    ];
    for s in cases {
        round_trips(s);
        assert!(!plain_ok(s), "{s:?} must be quoted");
    }
    for s in ["0x1F", "0xBEEF", "2001-12-14 21:59:43.10 -5", "1_000", "1:20", "yEs", "<<", "=", "0x1p-2"] {
        assert!(resolves_to_other_type(s), "{s:?}");
    }
    assert_eq!(yaml(&BTreeMap::from([("k", "web")])), "k: web\n");
    assert_eq!(yaml(&BTreeMap::from([("k", "0xBEEF")])), "k: '0xBEEF'\n");
    assert_eq!(
        yaml(&BTreeMap::from([("k", "registry.example.com/web@sha256:ab")])),
        "k: registry.example.com/web@sha256:ab\n"
    );
    // Quantities and words stay plain, as kubectl prints them.
    for s in ["250m", "512Mi", "2Gi", "30s", "beta", "inference", "yesterday", "nonce", "Always"] {
        assert!(plain_ok(s), "{s:?} can stay plain");
    }
}

#[test]
fn characters_outside_the_printable_set_are_escaped() {
    for c in
        ['\u{FFFE}', '\u{FFFF}', '\u{FEFF}', '\u{85}', '\u{2028}', '\u{2029}', '\u{0}', '\u{1B}', '\u{7F}', '\u{9F}']
    {
        let s = format!("a{c}b");
        let text = yaml(&BTreeMap::from([("k", s.as_str())]));
        assert!(text.is_ascii(), "{c:?} written raw: {text:?}");
        assert!(text.starts_with("k: \"a\\u"), "{text:?}");
        round_trips(&s);
    }
    // Printable text beyond ASCII stays as it is, single-quoted.
    assert_eq!(yaml(&BTreeMap::from([("k", "café ✓ 😀")])), "k: 'café ✓ 😀'\n");
}

#[test]
fn long_keys_are_written_explicitly() {
    let long = "k".repeat(1500);
    let text = yaml(&BTreeMap::from([(long.as_str(), vec![1, 2])]));
    assert!(text.starts_with("? kkk"), "{}", &text[..20]);
    let back: BTreeMap<String, Vec<u32>> = serde_yaml::from_str(&text).expect("reads");
    assert_eq!(back[&long], [1, 2]);
    round_trips(&"0".repeat(1500));
}

#[test]
fn nesting_follows_kubectl_layout() {
    #[derive(serde::Serialize)]
    struct Inner {
        a: Vec<u32>,
        b: BTreeMap<String, u32>,
        c: Vec<BTreeMap<&'static str, Vec<u32>>>,
    }
    let v = BTreeMap::from([(
        "x",
        Inner { a: vec![1, 2], b: BTreeMap::new(), c: vec![BTreeMap::from([("p", vec![3]), ("q", vec![])])] },
    )]);
    assert_eq!(yaml(&v), "x:\n  a:\n  - 1\n  - 2\n  b: {}\n  c:\n  - p:\n    - 3\n    q: []\n");
}
