//! The generated field reference: complete (every field of every schema has its objects and
//! rules), honest (every rule it names is a code that exists), and `docs/reference.md` is what
//! `bdc explain --reference` prints (`BDC_BLESS=1` rewrites the file).

use super::support::{bdc, root, text};
use bdc::check::reference;
use bdc::diagnostic::Code;

#[test]
fn every_field_of_every_schema_says_what_it_reaches_and_what_guards_it() {
    let mut missing = Vec::new();
    for s in reference::schemas() {
        for f in s.fields {
            match reference::reach(s.name, f.name) {
                Some((objects, rules)) if !objects.is_empty() && !rules.is_empty() => {}
                _ => missing.push(format!("{}.{}", s.name, f.name)),
            }
        }
    }
    assert!(missing.is_empty(), "fields without objects and rules in check/reference_table.rs: {missing:?}");
    let document = reference::document();
    assert!(!document.contains("reaches: ?"), "a field without a table entry");
}

#[test]
fn the_rules_named_are_codes_that_exist() {
    let document = reference::document();
    let mut named = 0;
    for line in document.lines().filter_map(|l| l.strip_prefix("- rules: ")) {
        for word in
            line.split([',', ' ', '(', ')', ';']).filter(|w| w.len() == 5 && w[1..].bytes().all(|b| b.is_ascii_digit()))
        {
            assert!(Code::parse(word).is_some(), "`{word}` in the reference is not a diagnostic code");
            named += 1;
        }
    }
    assert!(named > 80, "only {named} rules named");
}

#[test]
fn docs_reference_is_generated_from_the_schema() {
    let path = root().join("docs/reference.md");
    let generated = reference::document();
    if std::env::var("BDC_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("docs/ is writable");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/reference.md is out of date: run `BDC_BLESS=1 cargo test reference` or `bdc explain --reference > docs/reference.md`"
    );
}

#[test]
fn explain_prints_a_kinds_fields() {
    let out = bdc(&["explain", "partner"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for f in bdc::check::schema::PARTNER.fields {
        assert!(stdout.contains(&format!("### `partner.{}`", f.name)), "missing `{}`", f.name);
    }
    let out = bdc(&["explain", "strategy"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("## `rolling`") && stdout.contains("## `canary`") && stdout.contains("## `blue_green`"));
    let out = bdc(&["explain", "partnr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `partner`?"));
    let out = bdc(&["explain", "--reference"]);
    assert_eq!(text(&out.stdout), reference::document());
}
