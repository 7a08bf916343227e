//! `bdc import`: a hand-written fleet with copy-paste drift (snapshots of the spec and the
//! report), the round trip `import(emit(spec))` over every example and target (the fleet
//! models agree on what the YAML carries), the output checks and formats clean, and the
//! command through the real binary.

use super::support::{bdc, bdot_files, compile_paths, root, text};
use bdc::emit::{self, Format};
use bdc::import::{self, Imported};
use bdc::lower::Lowering;
use bdc::model::{EnvValue, Partner, ServiceKind};
use bdc::source::{Origin, SourceFile, SourceMap};
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).expect("dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(yaml_files(&p));
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
    out
}

/// Imports texts (name, YAML) as the command does; panics on read errors.
fn import_texts(texts: &[(String, String)]) -> Imported {
    let mut sources = SourceMap::new();
    let ids: Vec<_> =
        texts.iter().map(|(n, t)| sources.add(SourceFile::new(n.clone(), Origin::Memory, t.clone()))).collect();
    let mut diagnostics = bdc::diagnostic::Diagnostics::new();
    let objects = import::read_objects(&sources, &ids, &mut diagnostics);
    assert!(!diagnostics.has_errors(), "{:?}", diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>());
    let names: Vec<String> = texts.iter().map(|(n, _)| n.clone()).collect();
    import::import(&objects, &names).expect("imports")
}

fn fleet_texts() -> Vec<(String, String)> {
    let dir = root().join("tests/data/import/fleet");
    yaml_files(&dir)
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(&dir).expect("under").display().to_string();
            (name, std::fs::read_to_string(&p).expect("readable"))
        })
        .collect()
}

/// The imported files are formatted and check without errors or warnings but the expected.
fn assert_clean(imported: &Imported) {
    for (name, t) in &imported.files {
        assert_eq!(&bdc::fmt::format_source(t).expect("parses"), t, "{name} is not formatted");
    }
    let errors: Vec<String> =
        imported.compilation.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.long_message()).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", imported.files.iter().map(|f| f.1.as_str()).collect::<String>());
}

#[test]
fn hand_written_fleet_imports_to_a_clean_spec() {
    let imported = import_texts(&fleet_texts());
    assert_clean(&imported);
    let mut spec = String::new();
    for (name, t) in &imported.files {
        spec.push_str(&format!("── {name} ──\n{t}"));
    }
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots/import"), prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("fleet-spec", spec);
        insta::assert_snapshot!("fleet-report", imported.report.text(true));
    });
    let r = &imported.report;
    assert_eq!(r.partners.len(), 13, "{:?}", r.partners.iter().map(|p| &p.name).collect::<Vec<_>>());
    // Every partner re-emits to what its source said, but for the fields bdc cannot carry.
    for p in &r.partners {
        assert!(p.verify.score >= 75, "{}: {}%\n{}", p.name, p.verify.score, r.text(true));
        assert!(p.added_by_bdc.iter().any(|k| k == "LimitRange"), "{}", p.name);
    }
    let json: serde_json::Value = serde_json::from_str(&r.json()).expect("the JSON report parses");
    assert_eq!(json["summary"]["partners"], 13);
}

/// A partner's meaning as far as Kubernetes objects carry it.
fn meaning(p: &Partner, lw: &Lowering) -> Vec<String> {
    let at = lw.place(p, None).expect("placeable");
    let r = p.resources.as_ref();
    let mut env: Vec<String> = p
        .env
        .iter()
        .map(|(k, v)| match &v.value {
            EnvValue::Str(s) => format!("{k}={s}"),
            EnvValue::Int(n) => format!("{k}={n}"),
            EnvValue::Bool(b) => format!("{k}={b}"),
        })
        .collect();
    env.sort();
    let mut secrets: Vec<&str> = p.secrets.iter().map(|s| s.value.as_str()).collect();
    secrets.sort();
    let services: Vec<String> = p
        .services
        .iter()
        .map(|s| {
            let mode = s.mode.as_ref().map(|m| format!("{:?}", m.value)).unwrap_or_default();
            match &s.kind {
                ServiceKind::Postgres { version, size, plan, .. } if s.mode.is_none() => {
                    format!("{} postgres {} {} {:?}", s.name.value, version.value, size.value, plan)
                }
                ServiceKind::Redis { memory, .. } if s.mode.is_none() => {
                    format!("{} redis {}", s.name.value, memory.value)
                }
                k => format!(
                    "{} {:?} {mode} {:?}",
                    s.name.value,
                    std::mem::discriminant(k),
                    s.host.as_ref().map(|h| &h.value)
                ),
            }
        })
        .collect();
    let mut labels: Vec<String> = p.labels.iter().map(|(k, v)| format!("{k}={}", v.value)).collect();
    labels.extend(lw.platform.labels.iter().map(|(k, v)| format!("{k}={}", v.value)));
    labels.sort();
    // A rolling update is one Deployment on either backend: its backend is not in the output.
    let rolling = p.strategy.kind.tag() == bdc::model::StrategyTag::Rolling;
    let strategy = match (&p.strategy.kind, bdc::model::backend_of(p, at.target, lw.platform)) {
        (k, bdc::model::Backend::Argo) if !rolling => format!("{k:?} argo"),
        (k, _) => format!("{:?}", k.tag()),
    };
    vec![
        format!("name {}", p.name.value),
        format!("namespace {}", lw.namespace(p)),
        format!("domains {:?}", p.domains.iter().map(|d| &d.value).collect::<Vec<_>>()),
        format!("image {} version {}", at.image, at.release.version.value),
        format!("replicas {:?}", p.replicas.value),
        format!("resources {:?}", r.map(|r| (r.cpu.value, r.memory.value, r.cpu_limit.value, r.memory_limit.value))),
        format!("env {env:?}"),
        format!("secrets {secrets:?}"),
        format!("strategy {strategy}"),
        format!("services {services:?}"),
        format!("storage {:?}", p.storage.as_ref().map(|s| s.value)),
        format!("labels {labels:?}"),
        format!("team {:?} identity {:?}", p.team, p.identity),
        format!("egress {:?}", p.egress.iter().map(|e| &e.value).collect::<Vec<_>>()),
        format!("static_ip {:?} certificate {:?}", p.static_ip, p.certificate),
        format!("target {}", at.target.name.value),
    ]
}

fn strip_spans(s: String) -> String {
    // Spans differ between the two specs; the values around them do not.
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("Spanned { value: ") {
        out.push_str(&rest[..i]);
        rest = &rest[i + "Spanned { value: ".len()..];
        if let Some(j) = rest.find(", span: Span {") {
            out.push_str(&rest[..j]);
            rest = &rest[j..];
            let end = rest.find("} }").map_or(rest.len(), |k| k + 3);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn round_trip_gives_back_every_examples_meaning() {
    for example in super::emit::examples() {
        let files: Vec<PathBuf> = bdot_files(&root().join("examples").join(&example))
            .into_iter()
            .map(|f| f.strip_prefix(root()).expect("under root").to_path_buf())
            .collect();
        let c = compile_paths(&files);
        let lw = Lowering::new(&c.fleet).expect("platform");
        let placements: Vec<_> = c.fleet.partners.iter().map(|p| lw.place(p, None).expect("placeable")).collect();
        let mut out = Vec::new();
        emit::stream(&lw, &placements, Format::Yaml, &mut out).expect("emits");
        let imported = import_texts(&[(format!("{example}.yaml"), String::from_utf8(out).expect("utf-8"))]);
        assert_clean(&imported);
        let back = &imported.compilation.fleet;
        let lw2 = Lowering::new(back).expect("platform");
        assert_eq!(back.partners.len(), c.fleet.partners.len(), "{example}");
        for p in &c.fleet.partners {
            let q = back
                .partners
                .iter()
                .find(|q| q.name.value == p.name.value)
                .unwrap_or_else(|| panic!("{example}: {} lost", p.name.value));
            let (a, b) = (meaning(p, &lw), meaning(q, &lw2));
            let (a, b): (Vec<String>, Vec<String>) =
                (a.into_iter().map(strip_spans).collect(), b.into_iter().map(strip_spans).collect());
            assert_eq!(
                a,
                b,
                "{example}: partner `{}`\n{}",
                p.name.value,
                imported.files.iter().map(|f| f.1.as_str()).collect::<String>()
            );
        }
        for p in &imported.report.partners {
            assert_eq!(p.verify.score, 100, "{example}: {}\n{}", p.name, imported.report.text(true));
        }
    }
}

#[test]
fn command_writes_a_spec_that_checks_and_formats_clean() {
    let out = std::env::temp_dir().join(format!("bdc-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let o = out.display().to_string();
    let run = bdc(&["import", "tests/data/import/fleet", "--out", &o, "--format", "json"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON report");
    assert_eq!(report["summary"]["partners"], 13);
    assert!(text(&run.stderr).contains("W0426"), "{}", text(&run.stderr));
    let check = bdc(&["check", &o]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let fmt = bdc(&["fmt", "--check", &o]);
    assert!(fmt.status.success(), "{}{}", text(&fmt.stdout), text(&fmt.stderr));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn bad_input_is_reported_and_nothing_is_written() {
    let dir = std::env::temp_dir().join(format!("bdc-import-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("broken.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n")
        .expect("write");
    let out = dir.join("out");
    let run = bdc(&["import", &dir.display().to_string(), "--out", &out.display().to_string()]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("E0470"), "{}", text(&run.stderr));
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
