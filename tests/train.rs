//! Release trains: wave assignment, the fleet state at each wave (checked on the emitted
//! objects), and `bdc plan` / `bdc emit --release --wave` through the binary.

use super::support::{compile_text, root};
use bdc::lower::{Lowering, Object};
use bdc::train;
use std::process::Command;

const IMAGE: &str = "web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706";

/// A fleet of `n` partners `p01`… on stable; every third is on plan large and labelled `tier = gold`.
fn fleet(n: usize, waves: &str, extra: &str) -> String {
    let mut s = format!(
        r#"import "std/plans"
platform demo {{ registry = "registry.example.com/demo", default_plan = plans.small }}
release "1.0.0" {{ image = "{IMAGE}", channel = stable }}
release "1.1.0" {{ image = "{IMAGE}", channel = stable, waves = [{waves}] }}
{extra}
"#
    );
    for i in 1..=n {
        let gold = i % 3 == 0;
        s.push_str(&format!(
            "partner \"p{i:02}\" {{ domains = [\"p{i:02}.example.com\"], follows = stable{}{} }}\n",
            if gold { ", plan = plans.large" } else { "" },
            if gold { ", labels { tier = \"gold\" }" } else { "" }
        ));
    }
    s
}

fn names(c: &train::Cohort) -> Vec<String> {
    c.partners.iter().map(|p| p.name.value.clone()).collect()
}

#[test]
fn waves_take_names_labels_plans_and_shares_in_order() {
    let waves = r#"
wave pilot { partners = ["p01", "p02"], soak = 1h }
wave gold { labels { tier = "gold" } }
wave tenth { share = 10% }
wave rest {}"#;
    let c = compile_text(&fleet(20, "pilot, gold, tenth, rest", waves));
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>());
    let release = &c.fleet.releases[1];
    let t = train::plan(&c.fleet, release);
    assert_eq!(names(&t.cohorts[0]), ["p01", "p02"]);
    assert_eq!(names(&t.cohorts[1]), ["p03", "p06", "p09", "p12", "p15", "p18"]);
    // 10% of the release's 20 partners, from those left, in name order.
    assert_eq!(names(&t.cohorts[2]), ["p04", "p05"]);
    assert_eq!(t.cohorts[3].partners.len(), 10);
    assert!(t.unreached.is_empty() && t.left_out.is_empty());
    assert_eq!(t.cohorts[0].soak_ms(), 3_600_000);
}

#[test]
fn a_wave_by_plan() {
    let c = compile_text(&fleet(6, "big, rest", "wave big { plans = [plans.large] }\nwave rest {}"));
    assert!(c.diagnostics.is_empty());
    let t = train::plan(&c.fleet, &c.fleet.releases[1]);
    assert_eq!(names(&t.cohorts[0]), ["p03", "p06"]);
}

#[test]
fn hold_pins_and_other_channels_are_left_out_with_reasons() {
    let mut text = fleet(3, "all", "wave all { share = 100% }");
    text.push_str("partner \"held\" { domains = [\"held.example.com\"], follows = stable, hold = true }\n");
    text.push_str("partner \"pinned\" { domains = [\"pinned.example.com\"], release = \"1.0.0\" }\n");
    text.push_str(&format!("release \"2.0.0-rc.1\" {{ image = \"{IMAGE}\", channel = beta }}\n"));
    text.push_str("partner \"tester\" { domains = [\"tester.example.com\"], follows = beta }\n");
    let c = compile_text(&text);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>());
    let t = train::plan(&c.fleet, &c.fleet.releases[1]);
    let left: Vec<(String, String)> =
        t.left_out.iter().map(|(p, why)| (p.name.value.clone(), why.describe())).collect();
    assert_eq!(
        left,
        [
            ("held".into(), "on hold".into()),
            ("pinned".into(), "pinned to 1.0.0".into()),
            ("tester".into(), "follows `beta`".into())
        ]
    );
}

/// The emitted fleet at every wave of every train is exactly what the plan says: partners in
/// waves up to the one reached run the release, the others their previous one.
#[test]
fn the_fleet_at_each_wave_is_what_the_plan_says() {
    let waves = "wave one { partners = [\"p01\"] }\nwave two { share = 50% }\nwave three {}";
    let mut text = fleet(9, "one, two, three", waves);
    text.push_str("partner \"held\" { domains = [\"held.example.com\"], follows = stable, hold = true }\n");
    let c = compile_text(&text);
    assert!(c.diagnostics.is_empty());
    let release = &c.fleet.releases[1];
    let lw = Lowering::new(&c.fleet).expect("platform");
    let t = train::plan(&c.fleet, release);
    assert_eq!(t.cohorts.iter().map(|c| c.partners.len()).collect::<Vec<_>>(), [1, 5, 3]);
    for reached in 0..t.cohorts.len() {
        for (p, r) in train::state_at(&c.fleet, &t, Some(reached)) {
            let expected = match t.wave_of(&p.name.value) {
                Some(i) if i <= reached => "1.1.0",
                _ => "1.0.0",
            };
            let at = lw.place_on(p, None, r.expect("every partner ran 1.0.0")).expect("placed");
            let versions: Vec<String> = lw
                .partner_objects(&at)
                .iter()
                .filter_map(|o| match o {
                    Object::Deployment(d) => d
                        .spec
                        .as_ref()
                        .and_then(|s| s.template.metadata.as_ref())
                        .and_then(|m| m.labels.as_ref())
                        .map(|l| l["app.kubernetes.io/version"].clone()),
                    _ => None,
                })
                .collect();
            assert_eq!(versions, [expected], "{} at wave {}", p.name.value, reached + 1);
        }
    }
}

fn bdc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bdc"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn plan_prints_the_train() {
    let (code, out, err) = bdc(&["plan", "examples/mediasphere", "--release", "2.5.0"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("wave 1 `pilot`: 1 partner, then soak 1d"), "{out}");
    assert!(out.contains("cityherald") && out.contains("2.4.1 → 2.5.0"), "{out}");
    assert!(out.contains("sportsline") && out.contains("pinned to 2.4.1"), "{out}");
    let (code, out, _) = bdc(&["plan", "examples/mediasphere", "--release", "2.5.0", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["waves"][1]["partners"][0]["partner"], "newsroom-a");
    assert_eq!(json["waves"][1]["partners"][0]["from"], "2.4.1");
    assert_eq!(json["left_out"].as_array().expect("left out").len(), 2);
    let (code, _, err) = bdc(&["plan", "examples/mediasphere", "--release", "2.5"]);
    assert_eq!(code, 2);
    assert!(err.contains("no release `2.5`"), "{err}");
}

#[test]
fn emit_at_a_wave_through_the_binary() {
    let version_of = |yaml: &str, partner: &str| -> Option<String> {
        let docs: Vec<&str> = yaml.split("---\n").collect();
        docs.iter()
            .find(|d| {
                d.starts_with("apiVersion: apps/v1\nkind: Deployment") && d.contains(&format!("instance: {partner}\n"))
            })
            .and_then(|d| d.lines().find_map(|l| l.trim().strip_prefix("app.kubernetes.io/version: ")))
            .map(|v| v.trim_matches('\'').to_string())
    };
    let (code, pilot, err) = bdc(&["emit", "examples/mediasphere", "--release", "2.5.0", "--wave", "pilot"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(version_of(&pilot, "cityherald").as_deref(), Some("2.5.0"));
    assert_eq!(version_of(&pilot, "newsroom-a").as_deref(), Some("2.4.1"));
    let (_, all, _) = bdc(&["emit", "examples/mediasphere", "--release", "2.5.0", "--wave", "2"]);
    assert_eq!(version_of(&all, "newsroom-a").as_deref(), Some("2.5.0"));
    assert_eq!(version_of(&all, "sportsline").as_deref(), Some("2.4.1"));
    let (code, _, err) = bdc(&["emit", "examples/mediasphere", "--release", "2.5.0", "--wave", "third"]);
    assert_eq!(code, 2);
    assert!(err.contains("no wave `third`"), "{err}");
}
