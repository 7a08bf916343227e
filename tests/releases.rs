//! Which release a partner runs: the newest of its channel by SemVer precedence, so a release
//! candidate never wins over its final release — in the model, the emitted manifests, `bdc why`
//! and the release-train rules alike.

use super::support::compile_text;
use bdc::lower::Lowering;
use bdc::model::compare_versions;
use std::cmp::Ordering;

const FINAL: &str = "web@sha256:1111111111111111111111111111111111111111111111111111111111111111";
const CANDIDATE: &str = "web@sha256:2222222222222222222222222222222222222222222222222222222222222222";

fn spec() -> String {
    format!(
        r#"platform demo {{ registry = "registry.example.com/demo", default_plan = {{ cpu = 250m, memory = 256Mi }} }}
release "2.5.0" {{ image = "{FINAL}", channel = stable }}
release "2.5.0-rc.1" {{ image = "{CANDIDATE}", channel = stable }}
release "2.4.1" {{ image = "{FINAL}", channel = stable }}
partner "alpha" {{ domains = ["alpha.example.com"], follows = stable }}
"#
    )
}

#[test]
fn a_candidate_does_not_win_its_channel_over_the_final_release() {
    let c = compile_text(&spec());
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics.sorted());
    let partner = &c.fleet.partners[0];
    let lw = Lowering::new(&c.fleet).expect("platform");
    let runs = lw.release_of(partner).expect("a release");
    assert_eq!(runs.version.value, "2.5.0");
    assert_eq!(bdc::model::releases::running(&c.fleet, partner).map(|r| r.version.value.as_str()), Some("2.5.0"));

    // The emitted manifests run the final release's image.
    let at = lw.place(partner, None).expect("placed");
    let mut out = Vec::new();
    bdc::emit::stream(&lw, &[at], bdc::emit::Format::Yaml, &mut out).expect("emitted");
    let yaml = String::from_utf8(out).expect("utf-8");
    assert!(yaml.contains(FINAL) && !yaml.contains(CANDIDATE), "{yaml}");

    // `bdc why` tells the same.
    let why = bdc::why::why(&c, "alpha.release").expect("answer");
    assert_eq!(why.derived.as_deref(), Some("2.5.0"));
}

/// The SemVer 2.0.0 specification's own example of precedence, and a few more.
const ASCENDING: &[&str] = &[
    "0.0.1",
    "0.9.0",
    "1.0.0-0",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "2.9.1",
    "2.10.0-rc.1",
    "2.10.0",
    "10.0.0",
];

#[test]
fn release_order_is_semver_precedence() {
    for (i, a) in ASCENDING.iter().enumerate() {
        for (j, b) in ASCENDING.iter().enumerate() {
            let ours = compare_versions(a, b);
            let theirs = semver::Version::parse(a)
                .expect("valid SemVer")
                .cmp_precedence(&semver::Version::parse(b).expect("valid SemVer"));
            assert_eq!(ours, theirs, "{a} vs {b}");
            assert_eq!(ours, i.cmp(&j), "{a} vs {b}");
        }
    }
}

#[test]
fn versions_beyond_semver_are_ordered_too() {
    // Shorter cores count missing parts as zero; a tie is broken by the text, so the order is
    // total and sorting is deterministic.
    let mut versions = vec!["2.5", "v3", "2.4.1", "2.5.0-rc.1", "2.5.0", "nightly", "3"];
    versions.sort_by(|a, b| compare_versions(a, b));
    assert_eq!(versions, ["nightly", "v3", "2.4.1", "2.5.0-rc.1", "2.5", "2.5.0", "3"]);
    for a in &versions {
        for b in &versions {
            assert_eq!(compare_versions(a, b), compare_versions(b, a).reverse(), "{a} vs {b}");
            assert_eq!(compare_versions(a, b) == Ordering::Equal, a == b);
        }
    }
}
