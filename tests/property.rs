//! The property of issue 12, through the real binary: if `bdc check` is clean, then for every
//! target `bdc emit` succeeds in YAML and in JSON, the two say the same (read by serde_yaml,
//! serde_json and PyYAML), nothing mentions an internal error, every object keeps the API
//! server's rules that its OpenAPI schema does not encode (`rules`), and a sample passes the
//! official Kubernetes schemas and the operators' and Argo Rollouts' CRD schemas.
//!
//! Specs come from `gen` (valid specs over every declaration, field, target and mode) and from
//! `mutate` (edits of the examples, where only "no panic, no internal error, exit 0 or 1" is
//! asked). Seeds are fixed; `BDC_PROPERTY_CASES=5000` runs longer, `BDC_PROPERTY_SEED` picks
//! another start, `BDC_PROPERTY_SHOW_REFUSED=1` prints the specs the checker refuses (to
//! keep the generator honest). A failing case is shrunk (declarations, fields, map entries dropped while it
//! still fails) and printed in full with the command that failed.

mod gen;
mod mutate;
mod open;
mod rules;
mod spec;
mod values;

use serde_json::Value;
use spec::Spec;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const TARGETS: &[&str] = &["k8s", "gke", "eks", "aks"];

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A scratch directory of this process, emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let dir = super::support::root().join("target/tmp").join(format!("property-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

pub fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bdc")).args(args).arg(dir).env("NO_COLOR", "1").output().expect("bdc runs")
}

/// Text that must never reach a user after a clean check (or at all).
pub fn internal(text: &str) -> bool {
    text.contains("internal error") || text.contains("panicked") || text.contains("RUST_BACKTRACE")
}

fn write_spec(dir: &Path, files: &[(String, String)]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("case dir");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write spec");
    }
}

/// What one case did.
pub enum Outcome {
    /// The checker refused it (with these error codes).
    Refused(Vec<String>),
    /// Clean, emitted for every target: the YAML and JSON streams per target.
    Emitted(Vec<(String, String, String)>),
}

/// Runs `check`, then (when clean) every `emit`; `Err` is a broken promise, described.
pub fn run_case(dir: &Path, spec: &Spec) -> Result<Outcome, String> {
    run_files(dir, &spec.render())
}

/// [`run_case`] over files as written.
pub fn run_files(dir: &Path, files: &[(String, String)]) -> Result<Outcome, String> {
    write_spec(&dir.join("spec"), files);
    let spec_dir = dir.join("spec");
    let check = run(&["check", "--format", "json"], &spec_dir);
    let (out, err) = (super::support::text(&check.stdout), super::support::text(&check.stderr));
    if internal(&out) || internal(&err) {
        let line = err.lines().chain(out.lines()).find(|l| internal(l)).unwrap_or("");
        return Err(format!("`bdc check` reports an internal error:\n{line}\n{err}{out}"));
    }
    let errors: Vec<String> = out
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap_or("?").to_string())
        .collect();
    match check.status.code() {
        Some(1) if !errors.is_empty() => return Ok(Outcome::Refused(errors)),
        Some(0) if errors.is_empty() => {}
        other => return Err(format!("`bdc check` exits with {other:?} and errors {errors:?}:\n{err}")),
    }
    // W0409 names targets that cannot take a partner as written: `emit --target` there must
    // refuse with a diagnostic (exit 1), and every other target must take the spec.
    let refusing: Vec<String> = out
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|d| d["code"] == "W0409")
        .flat_map(|d| {
            // Every target it names: "… (`bdc emit --target a`, `bdc emit --target b`)".
            let message = d["message"].as_str().unwrap_or_default().to_string();
            message
                .split("bdc emit --target ")
                .skip(1)
                .filter_map(|rest| Some(rest[..rest.find('`')?].to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    // Every emit at once: the processes mostly wait, so running them side by side saves time.
    let mut jobs: Vec<(String, String, std::process::Child)> = Vec::new();
    for target in TARGETS.iter().map(|t| Some(*t)).chain([None]) {
        for format in ["yaml", "json"] {
            if target.is_none() && format == "json" {
                continue;
            }
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_bdc"));
            cmd.args(["emit", "--format", format]);
            if let Some(t) = target {
                cmd.args(["--target", t]);
            }
            cmd.arg(&spec_dir).env("NO_COLOR", "1");
            cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
            let label =
                format!("bdc emit --format {format}{}", target.map(|t| format!(" --target {t}")).unwrap_or_default());
            jobs.push((label, target.unwrap_or("home").to_string(), cmd.spawn().expect("bdc starts")));
        }
    }
    let mut outputs = Vec::new();
    for (label, target, child) in jobs {
        let o = child.wait_with_output().expect("bdc ends");
        let (out, err) = (super::support::text(&o.stdout), super::support::text(&o.stderr));
        if internal(&out) || internal(&err) {
            let line = err.lines().chain(out.lines()).find(|l| internal(l)).unwrap_or("");
            return Err(format!("`{label}` after a clean check reports an internal error:\n{line}\n{err}"));
        }
        if refusing.contains(&target) {
            if o.status.code() != Some(1) || !err.contains(&format!("target `{target}`")) {
                return Err(format!(
                    "`{label}` after W0409 for `{target}` must refuse with a diagnostic (exit {:?}):\n{err}",
                    o.status.code()
                ));
            }
            continue;
        }
        if !o.status.success() {
            return Err(format!("`{label}` fails after a clean check (exit {:?}):\n{err}", o.status.code()));
        }
        outputs.push((label, target, out));
    }
    let mut streams = Vec::new();
    for pair in outputs.chunks(2) {
        let (yaml_label, target, yaml) = &pair[0];
        let docs = yaml_docs(yaml).map_err(|e| format!("`{yaml_label}` is not readable YAML: {e}"))?;
        for (i, doc) in docs.iter().enumerate() {
            let problems = rules::object(doc, target);
            if !problems.is_empty() {
                let what = format!("{}/{}", doc["kind"].as_str().unwrap_or("?"), doc["metadata"]["name"]);
                return Err(format!(
                    "`{yaml_label}`: object {i} ({what}) breaks rules the API server or the cloud enforces:\n  {}",
                    problems.join("\n  ")
                ));
            }
        }
        if let Some(problem) = rules::stream(&docs, target) {
            return Err(format!("`{yaml_label}`: {problem}"));
        }
        let Some((json_label, _, json)) = pair.get(1) else { continue };
        let list: Value = serde_json::from_str(json).map_err(|e| format!("`{json_label}` is not JSON: {e}"))?;
        let items = list["items"].as_array().cloned().unwrap_or_default();
        if items != docs {
            let at = items.iter().zip(&docs).position(|(a, b)| a != b).unwrap_or(items.len().min(docs.len()));
            return Err(format!(
                "`{yaml_label}` and `{json_label}` disagree ({} vs {} objects), first at object {at}:\nYAML: {}\nJSON: {}",
                docs.len(),
                items.len(),
                docs.get(at).map(Value::to_string).unwrap_or_default(),
                items.get(at).map(Value::to_string).unwrap_or_default()
            ));
        }
        streams.push((target.clone(), yaml.clone(), json.clone()));
    }
    Ok(Outcome::Emitted(streams))
}

/// The documents of a YAML stream, read by serde_yaml (empty documents dropped).
pub fn yaml_docs(text: &str) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let v: Value = serde::Deserialize::deserialize(doc).map_err(|e| e.to_string())?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(out)
}

/// What kind of failure this is: its first two lines without numbers and quoted names, so
/// that one bug met by many cases is reported once (and shrinking keeps to the same bug).
fn signature(failure: &str) -> String {
    // Long generated names (`long3-llll…`) differ from case to case: not part of the kind.
    let mut out = String::new();
    let mut run = 0;
    for c in failure.lines().take(2).collect::<Vec<_>>().join(" ").chars() {
        run = if c.is_ascii_alphanumeric() || c == '-' { run + 1 } else { 0 };
        if run < 12 {
            out.push(c);
        }
    }
    let failure = out;
    let mut out = String::new();
    let mut quoted = false;
    for c in failure.lines().take(2).collect::<Vec<_>>().join(" ").chars() {
        if c == '`' {
            quoted = !quoted;
            out.push(c);
        } else if !quoted && !c.is_ascii_digit() && c != '"' {
            out.push(c);
        }
    }
    out.split(" object ").next().unwrap_or("").to_string() + out.split(" enforces:").nth(1).unwrap_or("")
}

/// Shrinks a failing spec: keeps dropping parts while it still fails the same way (same first
/// line of the failure), within a budget of runs.
fn shrink(dir: &Path, spec: Spec, failure: String) -> (Spec, String) {
    let wanted = signature(&failure);
    let (mut spec, mut failure) = (spec, failure);
    let mut budget = env_number("BDC_PROPERTY_SHRINK", 150);
    'outer: while budget > 0 {
        for candidate in spec.smaller() {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                break 'outer;
            }
            if let Err(f) = run_case(dir, &candidate) {
                if signature(&f) == wanted {
                    (spec, failure) = (candidate, f);
                    continue 'outer;
                }
            }
        }
        break;
    }
    (spec, failure)
}

/// Python checks over many streams at once (one interpreter start): PyYAML (a YAML 1.1 reader,
/// like kubectl's and kustomize's go-yaml v2) must read each YAML stream as its JSON twin.
const PYYAML_AGREES: &str = r#"
import json, sys, yaml
bad = 0
for path in sys.argv[1:]:
    with open(path + ".yaml", encoding="utf-8") as f:
        try:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
        except Exception as e:
            print("%s.yaml: PyYAML cannot read it: %s" % (path, str(e).splitlines()[0])); bad += 1; continue
    with open(path + ".json", encoding="utf-8") as f:
        items = json.load(f)["items"]
    if docs != items:
        for i, (a, b) in enumerate(zip(docs, items)):
            if a != b:
                def diff(x, y, at):
                    if isinstance(x, dict) and isinstance(y, dict):
                        for k in sorted(set(x) | set(y), key=str):
                            if x.get(k) != y.get(k):
                                return diff(x.get(k), y.get(k), at + "/" + str(k))
                    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
                        for j, (p, q) in enumerate(zip(x, y)):
                            if p != q:
                                return diff(p, q, at + "/" + str(j))
                    return "%s: PyYAML reads %r, JSON says %r" % (at, x, y)
                print("%s.yaml object %d %s" % (path, i, diff(a, b, ""))); break
        else:
            print("%s.yaml: %d objects, JSON has %d" % (path, len(docs), len(items)))
        bad += 1
print("%d streams checked, %d disagree" % (len(sys.argv) - 1, bad))
sys.exit(1 if bad else 0)
"#;

fn python(args: &[&str], files: &[PathBuf]) -> (bool, String) {
    let out = Command::new("python3").args(args).args(files).output().expect("python3 runs");
    let text = format!("{}{}", super::support::text(&out.stdout), super::support::text(&out.stderr));
    assert!(
        !text.contains("No module named"),
        "the validators' Python modules are missing: run `.ci/test`, which installs them:\n{text}"
    );
    (out.status.success() && !text.contains("ERROR"), text)
}

/// The batch checks over the saved streams: PyYAML on all, the schemas on the sample. Returns
/// the failures, each naming the case (its saved file names start with `case<N>-`).
fn batch_checks(saved: &[PathBuf], sample: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    for chunk in saved.chunks(400) {
        let (ok, text) = python(&["-c", PYYAML_AGREES], chunk);
        if !ok {
            failures.extend(text.lines().filter(|l| l.contains("case")).map(|l| format!("PyYAML: {l}")));
        }
    }
    if sample.is_empty() {
        return failures;
    }
    let root = super::support::root();
    let yaml: Vec<PathBuf> = sample.iter().map(|p| p.with_extension("yaml")).collect();
    let version = super::emit::kubernetes_version();
    let (ok, text) =
        python(&["-m", "kubernetes_validate", "--kubernetes-version", &version, "--strict", "--quiet"], &yaml);
    if !ok {
        failures.extend(text.lines().filter(|l| l.contains("ERROR")).map(|l| format!("Kubernetes 1.33 schema: {l}")));
    }
    let operators = root.join("tests/data/operators/validate.py");
    let (ok, text) = python(&[operators.to_str().expect("utf-8 path")], &yaml);
    if !ok {
        failures.push(format!("operator CRD schemas:\n{text}"));
    }
    let argo = root.join("tests/data/argo-rollouts");
    let crd = argo.join("rollout-crd.yaml");
    let (ok, text) = python(
        &[argo.join("validate.py").to_str().expect("utf-8"), "--gatewayapi-plugin", crd.to_str().expect("utf-8")],
        &yaml,
    );
    if !ok {
        failures.push(format!("Argo Rollouts CRD schema:\n{text}"));
    }
    failures
}

/// A failure with the spec that shows it.
fn report(case: u64, spec: &Spec, failure: &str) -> String {
    format!("── case {case} ──\n{failure}\n── spec ({} files) ──\n{}", spec.files, spec.text())
}

#[test]
fn checked_clean_specs_emit_valid_manifests_for_every_target() {
    let cases = env_number("BDC_PROPERTY_CASES", 15);
    let first = env_number("BDC_PROPERTY_SEED", 12);
    let every = env_number("BDC_PROPERTY_SAMPLE", 5).max(1);
    let dir = scratch("gen");
    let mut failures: Vec<(String, String)> = Vec::new();
    let (mut clean, mut refused) = (0u64, std::collections::BTreeMap::<String, u64>::new());
    let (mut saved, mut sample) = (Vec::new(), Vec::new());
    let mut specs = std::collections::HashMap::new();
    let started = std::time::Instant::now();
    for case in first..first + cases {
        let spec = gen::spec(case);
        match run_case(&dir, &spec) {
            Ok(Outcome::Refused(codes)) => {
                if std::env::var_os("BDC_PROPERTY_SHOW_REFUSED").is_some() {
                    eprintln!("── case {case} refused: {codes:?}\n{}", spec.text());
                }
                for c in codes {
                    *refused.entry(c).or_default() += 1;
                }
            }
            Ok(Outcome::Emitted(streams)) => {
                clean += 1;
                for (target, yaml, json) in streams {
                    let base = dir.join(format!("case{case}-{target}"));
                    std::fs::write(base.with_extension("yaml"), yaml).expect("write");
                    std::fs::write(base.with_extension("json"), json).expect("write");
                    if clean % every == 1 || every == 1 {
                        sample.push(base.clone());
                    }
                    saved.push(base);
                }
                specs.insert(case, spec);
            }
            Err(f) => {
                let (small, f) = shrink(&dir, spec, f);
                failures.push((signature(&f), report(case, &small, &f)));
            }
        }
    }
    for line in batch_checks(&saved, &sample) {
        let case: u64 = line
            .split("case")
            .nth(1)
            .and_then(|s| s.split('-').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(u64::MAX);
        let spec = specs.get(&case).map(Spec::text).unwrap_or_default();
        failures.push((line.clone(), format!("── case {case} ──\n{line}\n── spec ──\n{spec}")));
    }
    eprintln!(
        "property: {cases} generated specs in {:.1}s, {clean} clean, {} streams read by PyYAML, {} validated against the schemas; refused: {refused:?}",
        started.elapsed().as_secs_f64(),
        saved.len(),
        sample.len()
    );
    // One report per kind of failure (its first line), so one bug does not hide the others.
    failures.sort_by(|a, b| a.0.cmp(&b.0));
    failures.dedup_by(|a, b| a.0 == b.0);
    assert!(
        failures.is_empty(),
        "{} kinds of failure:\n\n{}",
        failures.len(),
        failures.iter().map(|(_, r)| r.as_str()).collect::<Vec<_>>().join("\n\n")
    );
    // The generator aims at valid specs: most must check clean, or the property says little.
    assert!(clean * 10 >= cases * 6, "only {clean} of {cases} generated specs check clean; refused: {refused:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
