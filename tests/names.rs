//! The one resolver of written names (`bdc::resolve`), and the suggestions diagnostics carry
//! as data for editors' quick fixes.

use super::support::compile_text;
use bdc::ast::{DeclKind, Ident};
use bdc::check::schema::Type;
use bdc::resolve::{Resolved, WordMeaning};
use bdc::source::Span;

const SPEC: &str = r#"import "std/plans"

platform demo {
  registry     = "registry.example.com/demo"
  default_plan = medium
  images { "postgres:16" = "docker.io/library/postgres:16.4@sha256:5b7a0c3e1f9d2846a1c0b3e5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5" }
}

plan medium = plans.medium with { memory = 2Gi }
plan eks = { cpu = 250m, memory = 256Mi }

release "1.0.0" {
  image   = "web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706"
  channel = stable
}

partner "alpha" {
  domains  = ["alpha.example.com"]
  follows  = stable
  target   = eks
  services { db = postgres { plan = medium } }
}
"#;

fn path(words: &[&str]) -> Vec<Ident> {
    words.iter().map(|w| Ident { name: w.to_string(), span: Span::default() }).collect()
}

#[test]
fn the_expected_type_decides_what_a_bare_word_names() {
    let c = compile_text(SPEC);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics.sorted());
    let p = &c.program;
    let root = p.module_of(p.of_kind(DeclKind::Platform).next().expect("platform"));
    let user_plan =
        p.of_kind(DeclKind::Plan).find(|id| p.decl(*id).name.name == "medium" && !p.is_std(p.module_of(*id)));
    let std_plan = p.of_kind(DeclKind::Plan).find(|id| p.decl(*id).name.name == "medium" && p.is_std(p.module_of(*id)));
    let target = p.named(DeclKind::Target, "eks").expect("std/targets declares eks");

    // As a reference, `medium` is the user's plan and `plans.medium` the standard one.
    assert_eq!(p.resolve_path(root, &path(&["medium"])), Resolved::Decl { id: user_plan.expect("user plan"), used: 1 });
    assert_eq!(
        p.resolve_path(root, &path(&["plans", "medium"])),
        Resolved::Decl { id: std_plan.expect("std"), used: 2 }
    );
    assert_eq!(p.resolve_path(root, &path(&["nothing"])), Resolved::Word);
    assert_eq!(p.resolve_path(root, &path(&["nothing", "x"])), Resolved::Unknown);
    assert!(matches!(p.resolve_path(root, &path(&["plans", "nothing"])), Resolved::NoMember(_)));
    assert!(matches!(p.resolve_path(root, &path(&["plans"])), Resolved::Module(_)));

    // Where a word of a fixed set is expected, the word counts, not the plan of that name.
    let size = Type::Enum(&["small", "medium", "large"]);
    assert_eq!(bdc::resolve::word_meaning(&size, "medium"), WordMeaning::Word);
    assert_eq!(p.resolve_expecting(root, &path(&["medium"]), Some(&size)), Resolved::Word);
    // A word outside the set is a reference again (and the checker reports it).
    assert_eq!(bdc::resolve::word_meaning(&size, "huge"), WordMeaning::Reference);
    // Where a target is expected, `eks` is the target, not the user's plan `eks`.
    let target_ty = Type::Name(DeclKind::Target);
    assert_eq!(p.resolve_expecting(root, &path(&["eks"]), Some(&target_ty)), Resolved::Decl { id: target, used: 1 });
    assert_ne!(p.resolve_expecting(root, &path(&["eks"]), None), Resolved::Decl { id: target, used: 1 });
    // A channel is a word whatever is declared.
    assert_eq!(p.resolve_expecting(root, &path(&["medium"]), Some(&Type::Channel)), Resolved::Word);
}

#[test]
fn did_you_mean_is_carried_as_a_replacement() {
    let c = compile_text(
        r#"platform demo { registry = "registry.example.com/demo", default_plan = { cpu = 250m, memroy = 256Mi } }
release "1.0.0" {
  image   = "web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706"
  channel = stable
}
partner "alpha" { domains = ["alpha.example.com"], follows = stabel }
wave pilot { partners = ["alpah"] }
"#,
    );
    let text = |s: Span| c.sources.get(s.file).slice(s).to_string();
    let fixes: Vec<(String, String)> = c
        .diagnostics
        .sorted()
        .iter()
        .flat_map(|d| d.suggestions.iter().map(|s| (text(s.span), s.replacement.clone())))
        .collect();
    assert_eq!(
        fixes,
        [
            ("memroy".to_string(), "memory".to_string()),
            ("stabel".to_string(), "stable".to_string()),
            // A string stays a string.
            ("\"alpah\"".to_string(), "\"alpha\"".to_string()),
        ]
    );
    // The help says the same in words.
    assert!(c.diagnostics.iter().any(|d| d.help.as_deref() == Some("did you mean `alpha`?")));
}

#[test]
fn syntax_errors_suggest_too() {
    let c = compile_text("partnr \"a\" { }\n");
    let d = c.diagnostics.iter().next().expect("one diagnostic");
    assert_eq!(d.suggestions.len(), 1);
    assert_eq!(d.suggestions[0].replacement, "partner");
    assert_eq!(c.sources.get(d.suggestions[0].span.file).slice(d.suggestions[0].span), "partnr");
}
