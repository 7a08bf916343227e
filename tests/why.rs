//! `bdc why`: every layer that sets a partner field, most specific first, with where it is
//! written; the release with its channel and train.

use super::support::{bdot_files, compile_paths, compile_text, root};

fn mediasphere() -> bdc::Compilation {
    let files: Vec<_> = bdot_files(&root().join("examples/mediasphere"))
        .into_iter()
        .map(|p| p.strip_prefix(root()).expect("under the root").to_path_buf())
        .collect();
    compile_paths(&files)
}

fn layers(c: &bdc::Compilation, query: &str) -> Vec<(String, String)> {
    let w = bdc::why::why(c, query).expect("answered");
    w.layers.iter().map(|l| (l.value.clone(), l.what.clone())).collect()
}

#[test]
fn a_with_override_beats_the_plan_which_beats_the_platform_default() {
    let c = mediasphere();
    assert_eq!(
        layers(&c, "newsroom-a.plan.memory"),
        [
            ("2Gi".to_string(), "partner `newsroom-a` (`with` override)".to_string()),
            ("1Gi".into(), "plan `medium` (std/plans), via partner `newsroom-a`".into()),
            ("512Mi".into(), "plan `small` (std/plans), via platform `bluedot` (default_plan)".into()),
        ]
    );
    // The value in effect is the one the model holds.
    let model = c.fleet.partners.iter().find(|p| p.name.value == "newsroom-a").expect("partner");
    assert_eq!(model.resources.as_ref().expect("plan").memory.value, 2 << 30);
}

#[test]
fn defaults_come_from_the_platform_then_the_schema() {
    let c = mediasphere();
    assert_eq!(layers(&c, "cityherald.replicas")[0].1, "platform `bluedot` (default_replicas)");
    let hold = layers(&c, "cityherald.hold");
    assert_eq!(hold, [("false".to_string(), "built-in default".to_string())]);
    let w = bdc::why::why(&c, "newsroom-a.plan.memory").expect("answered");
    let place = w.layers[0].span.expect("written somewhere");
    let file = c.sources.get(place.file);
    assert_eq!(file.slice(place), "2Gi");
    assert!(file.name.ends_with("partners.bdot"), "{}", file.name);
}

#[test]
fn the_release_says_channel_pin_and_train() {
    let c = mediasphere();
    let w = bdc::why::why(&c, "cityherald.release").expect("answered");
    assert_eq!(w.derived.as_deref(), Some("2.5.0"));
    assert!(w.notes.iter().any(|n| n.contains("wave 1 of 2 (`pilot`), moving from 2.4.1")), "{:?}", w.notes);
    let pinned = bdc::why::why(&c, "sportsline.release").expect("answered");
    assert!(pinned.notes[0].contains("pinned to 2.4.1"), "{:?}", pinned.notes);
}

#[test]
fn unknown_partners_and_fields_are_named_with_a_suggestion() {
    let c = mediasphere();
    let e = bdc::why::why(&c, "newsrom-a.plan").expect_err("no such partner");
    assert!(e.contains("did you mean `newsroom-a`"), "{e}");
    let e = bdc::why::why(&c, "newsroom-a.replica").expect_err("no such field");
    assert!(e.contains("did you mean `replicas`"), "{e}");
    assert!(bdc::why::why(&c, "newsroom-a").is_err());
}

#[test]
fn the_command_prints_the_chain() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bdc"))
        .args(["why", "newsroom-a.plan.memory", "examples/mediasphere"])
        .current_dir(root())
        .output()
        .expect("bdc runs");
    assert!(out.status.success());
    insta::assert_snapshot!("why_newsroom_memory", String::from_utf8_lossy(&out.stdout));
}

const OWN_PLANS: &str = r#"
import "std/plans"
platform p {
  registry       = "registry.example.com/p"
  default_target = routed
  default_plan   = plans.small
}
target routed {
  provider     = k8s
  routing      = gateway
  gateway      = "infra/public"
  certificates = none
  backend      = argo
  service_mode = external
}
plan web { cpu = 1, memory = 3Gi }
strategy steps = canary { steps = [50% for 1m] }
release "1.0.0" { image = "web:1.0.0", channel = stable }
partner "a" {
  domains  = ["a.example.com"]
  follows  = stable
  plan     = web
  strategy = steps
  services { db = postgres { host = "db.example.internal" } }
}
partner "b" { domains = ["b.example.com"], follows = stable, plan = { cpu = 1, memory = 3Gi } }
"#;

fn in_effect(c: &bdc::Compilation, query: &str) -> (String, String) {
    let w = bdc::why::why(c, query).expect("answered");
    let l = w.layers.first().unwrap_or_else(|| panic!("{query}: no layer"));
    (l.value.clone(), l.what.clone())
}

#[test]
fn a_limit_left_out_is_the_partners_request_not_the_platform_plans_limit() {
    let c = compile_text(OWN_PLANS);
    assert!(!c.diagnostics.has_errors(), "{}", super::support::rendered(&c));
    for name in ["a", "b"] {
        let model = c.fleet.partners.iter().find(|p| p.name.value == name).expect("partner");
        assert_eq!(model.resources.as_ref().expect("plan").memory_limit.value, 3 << 30, "the manifest's limit");
        let (value, what) = in_effect(&c, &format!("{name}.plan.memory_limit"));
        assert_eq!(value, "3Gi", "{name}: {what}");
        assert!(what.contains("`memory`"), "{name}: says the limit is the request: {what}");
        let w = bdc::why::why(&c, &format!("{name}.plan.memory_limit")).expect("answered");
        assert!(
            w.layers.iter().skip(1).all(|l| l.value != "3Gi" || !l.what.contains("platform")),
            "{name}: {:?}",
            w.layers
        );
    }
}

#[test]
fn inherited_fields_follow_the_target_then_the_platform_then_the_schema() {
    let c = compile_text(OWN_PLANS);
    assert_eq!(in_effect(&c, "a.backend"), ("argo".into(), "target `routed` (backend)".into()));
    assert_eq!(in_effect(&c, "a.services.db.mode"), ("external".into(), "target `routed` (service_mode)".into()));
    assert_eq!(in_effect(&c, "b.replicas"), ("2..4".into(), "built-in default (platform `p` default_replicas)".into()));
    assert_eq!(in_effect(&c, "a.services.db.plan"), ("small".into(), "built-in default".into()));
    assert_eq!(in_effect(&c, "b.hold"), ("false".into(), "built-in default".into()));
}

/// The defaults the docs show are the values the model fills in.
#[test]
fn documented_defaults_are_what_the_model_fills_in() {
    use bdc::check::schema::{self, Schema};
    use bdc::check::units::{format_bytes, format_duration};
    use bdc::model::{ServiceKind, StrategyKind, Surge};
    let c = compile_text(
        r#"
platform p { registry = "registry.example.com/p" }
target bare { provider = k8s }
strategy r = rolling {}
strategy bg = blue_green {}
wave w {}
release "1.0.0" { image = "web:1.0.0", channel = stable }
partner "a" {
  domains  = ["a.example.com"]
  follows  = stable
  plan     = { cpu = 1, memory = 1Gi }
  services { db = postgres {}, cache = redis {} }
}
"#,
    );
    assert!(!c.diagnostics.has_errors(), "{}", super::support::rendered(&c));
    let f = &c.fleet;
    let (platform, partner) = (f.platform.as_ref().expect("platform"), &f.partners[0]);
    let target = f.targets.iter().find(|t| t.name.value == "bare").expect("target");
    let duration = |ms: u64| if ms == 0 { "0s".to_string() } else { format_duration(ms) };
    let surge = |s: &Surge| match s {
        Surge::Count(n) => n.to_string(),
        Surge::Percent(p) => format!("{}%", p / 100),
    };
    let strategy = |name: &str| &f.strategies.iter().find(|s| s.name.value == name).expect("strategy").strategy.kind;
    let StrategyKind::Rolling { max_surge, max_unavailable, min_ready_ms } = strategy("r") else { panic!() };
    let StrategyKind::BlueGreen { preview, auto_promote, scale_down_delay_ms } = strategy("bg") else { panic!() };
    let ServiceKind::Postgres { version, size, plan, .. } = &partner.services[0].kind else { panic!() };
    let ServiceKind::Redis { memory, version: redis_version } = &partner.services[1].kind else { panic!() };
    let resources = partner.resources.as_ref().expect("plan");
    let filled: Vec<(&Schema, &str, String)> = vec![
        (&schema::PLATFORM, "namespace_prefix", format!("{:?}", platform.namespace_prefix.value)),
        (&schema::PLATFORM, "default_target", platform.default_target.clone()),
        (&schema::PLATFORM, "default_replicas", format!("{}..{}", partner.replicas.value.0, partner.replicas.value.1)),
        (&schema::PLATFORM, "port", platform.port.to_string()),
        (&schema::PLATFORM, "health_path", format!("{:?}", platform.health_path)),
        (&schema::PLATFORM, "backend", platform.backend.to_string()),
        (&schema::PLATFORM, "service_mode", platform.service_mode.to_string()),
        (&schema::ROLLING, "max_surge", surge(max_surge)),
        (&schema::ROLLING, "max_unavailable", surge(max_unavailable)),
        (&schema::ROLLING, "min_ready", duration(*min_ready_ms)),
        (&schema::BLUE_GREEN, "preview", preview.to_string()),
        (&schema::BLUE_GREEN, "auto_promote", auto_promote.to_string()),
        (&schema::BLUE_GREEN, "scale_down_delay", duration(*scale_down_delay_ms)),
        (&schema::POSTGRES, "version", version.value.to_string()),
        (&schema::POSTGRES, "size", format_bytes(size.value)),
        (&schema::POSTGRES, "plan", plan.to_string()),
        (&schema::REDIS, "memory", format_bytes(memory.value)),
        (&schema::REDIS, "version", redis_version.to_string()),
        (&schema::POSTGRES, "port", partner.services[0].default_port().to_string()),
        (&schema::REDIS, "port", partner.services[1].default_port().to_string()),
        (&schema::PARTNER, "hold", partner.hold.to_string()),
        (&schema::TARGET, "routing", target.routing.to_string()),
        (&schema::TARGET, "certificates", target.certificates.to_string()),
        (&schema::TARGET, "issuer", format!("{:?}", target.issuer)),
        (&schema::WAVE, "soak", duration(f.waves[0].soak_ms)),
        (&schema::PLAN, "cpu_limit", if resources.cpu_limit == resources.cpu { "cpu" } else { "?" }.into()),
        (&schema::PLAN, "memory_limit", if resources.memory_limit == resources.memory { "memory" } else { "?" }.into()),
    ];
    for (schema, field, model) in &filled {
        let documented = schema.field(field).and_then(|f| f.default).unwrap_or_else(|| panic!("{field}: no default"));
        assert_eq!(&documented.written(), model, "{}.{field}", schema.name);
    }
    // Every documented default of these schemas is covered above (`quota` is read like `plan`).
    let all = [
        &schema::PLATFORM,
        &schema::ROLLING,
        &schema::BLUE_GREEN,
        &schema::POSTGRES,
        &schema::REDIS,
        &schema::PARTNER,
        &schema::TARGET,
        &schema::WAVE,
        &schema::PLAN,
    ];
    for s in all {
        for fs in s.fields.iter().filter(|fs| fs.default.is_some()) {
            assert!(
                filled.iter().any(|(x, n, _)| std::ptr::eq(*x, s) && *n == fs.name),
                "{}.{} untested",
                s.name,
                fs.name
            );
        }
    }
}

#[test]
fn a_value_flagged_as_a_secret_is_masked_in_the_answer() {
    let c = compile_text(
        r#"platform demo { registry = "registry.example.com/demo", default_plan = { cpu = 250m, memory = 256Mi } }
release "1.0.0" { image = "web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706", channel = stable }
partner "alpha" {
  domains = ["alpha.example.com"]
  follows = stable
  env { DB_PASS = "hunter2-prod", MODE = "metered" }
}"#,
    );
    let secret = bdc::why::render(&bdc::why::why(&c, "alpha.env.DB_PASS").expect("answered"), &c.sources);
    assert!(!secret.contains("hunter2"), "the secret is printed:\n{secret}");
    assert!(secret.contains("\"************\""), "the value is shown masked:\n{secret}");
    let plain = bdc::why::render(&bdc::why::why(&c, "alpha.env.MODE").expect("answered"), &c.sources);
    assert!(plain.contains("\"metered\""), "a plain setting is shown as written:\n{plain}");
}

#[test]
fn a_partners_target_comes_from_its_cluster_before_the_platform() {
    let spec = r#"
platform p { registry = "registry.example.com/p", default_target = gke }
cluster virginia { context = "eks-prod", target = eks }
release "1.0.0" { image = "web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706", channel = stable }
partner "site" { domains = ["site.example.com"], follows = stable, cluster = virginia }
partner "own" { domains = ["own.example.com"], follows = stable, cluster = virginia, target = eks }
"#;
    let c = compile_text(spec);
    assert!(c.diagnostics.is_empty(), "{}", super::support::rendered(&c));
    assert_eq!(
        layers(&c, "site.target"),
        [
            ("eks".to_string(), "cluster `virginia` (target)".to_string()),
            ("gke".into(), "platform `p` (default_target)".into()),
        ]
    );
    // What `why` says is in effect is what the model decided.
    assert_eq!(c.fleet.partners[0].target, "eks");
    assert_eq!(layers(&c, "own.target")[0], ("eks".to_string(), "partner `own`".to_string()));
}
