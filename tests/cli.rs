//! The `bdc` binary: exit codes, output formats, and the commands around `check`.

mod everyday;

use super::support::{bdc, text};

#[test]
fn clean_spec_exits_zero() {
    let out = bdc(&["check", "examples/mediasphere"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("ok: 4 partners"));
}

#[test]
fn errors_exit_one_with_codes() {
    let out = bdc(&["check", "tests/ui/five_mistakes.bdot"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("E0") && err.contains("help:"), "{err}");
}

#[test]
fn missing_path_is_a_usage_error() {
    let out = bdc(&["check", "does/not/exist.bdot"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read `does/not/exist.bdot`"));
    let out = bdc(&["check", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = bdc(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_lines_follow_the_contract() {
    let out = bdc(&["check", "--format", "json", "tests/ui/five_mistakes.bdot"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert!(lines.len() >= 5, "{stdout}");
    for d in &lines {
        for key in ["code", "severity", "message", "file", "range", "start", "end", "labels", "help"] {
            assert!(d.get(key).is_some(), "missing `{key}` in {d}");
        }
        assert_eq!(d["file"], "tests/ui/five_mistakes.bdot");
        assert!(d["start"]["line"].as_u64().expect("line") >= 1);
        assert_eq!(d["labels"][0]["primary"], true);
    }
}

#[test]
fn explain_prints_the_long_text() {
    let out = bdc(&["explain", "e0403"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("# E0403"));
    let out = bdc(&["explain", "E9999"]);
    assert_eq!(out.status.code(), Some(2));
    let out = bdc(&["explain", "--list"]);
    assert!(text(&out.stdout).lines().count() >= 30);
}

#[test]
fn init_writes_a_spec_that_checks_and_never_overwrites() {
    let dir = std::env::temp_dir().join(format!("bdc-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().expect("utf-8 temp dir");
    assert_eq!(bdc(&["init", d]).status.code(), Some(0));
    assert_eq!(bdc(&["check", d]).status.code(), Some(0));
    let again = bdc(&["init", d]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn version_and_help() {
    let out = bdc(&["--version"]);
    assert!(text(&out.stdout).starts_with("bdc "));
    let out = bdc(&["--help"]);
    assert!(text(&out.stdout).contains("check"));
}

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bdc-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn emit_out_writes_bundles_and_replaces_only_its_own_trees() {
    let dir = temp_dir("out");
    let d = dir.to_str().expect("utf-8");
    let out = bdc(&["emit", "examples/mediasphere", "--partner", "newsroom-a", "--target", "eks", "--out", d]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bundle = dir.join("newsroom-a");
    let kustomization = std::fs::read_to_string(bundle.join("kustomization.yaml")).expect("kustomization");
    for line in kustomization.lines().filter_map(|l| l.strip_prefix("- ")) {
        assert!(bundle.join(line).exists(), "{line} listed but not written");
    }
    assert!(std::fs::read_to_string(bundle.join("PORTABILITY.md")).expect("report").contains("ACM certificate"));
    assert!(!dir.join("dailytech").exists(), "only the partner asked for");
    // Another partner's run adds its bundle and keeps the others (the README's command).
    let out = bdc(&["emit", "examples/mediasphere", "--partner", "dailytech", "--out", d]);
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.join("dailytech").exists() && bundle.join("PORTABILITY.md").exists());
    // A run for the whole fleet replaces the tree as a whole: the eks export is gone.
    let out = bdc(&["emit", "examples/mediasphere", "--out", d]);
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.join("dailytech").exists() && bundle.exists() && !bundle.join("PORTABILITY.md").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn emit_never_replaces_a_directory_it_did_not_write() {
    let dir = temp_dir("foreign");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("notes.txt"), "mine").expect("write");
    let out = bdc(&["emit", "examples/minimal", "--out", dir.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("was not written by bdc"));
    assert_eq!(std::fs::read_to_string(dir.join("notes.txt")).expect("kept"), "mine");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn emit_writes_nothing_when_the_spec_has_errors() {
    let dir = temp_dir("errors");
    let out = bdc(&["emit", "tests/ui/five_mistakes.bdot", "--out", dir.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("nothing emitted"));
    assert!(!dir.exists());
    let out = bdc(&["emit", "tests/ui/five_mistakes.bdot"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no partial stream on stdout");
}

#[test]
fn emit_rejects_unknown_targets_and_partners() {
    let out = bdc(&["emit", "examples/minimal", "--target", "ekss"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `eks`?"));
    let out = bdc(&["emit", "examples/minimal", "--partner", "sol"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no partner `sol`"));
}

#[test]
fn emit_warnings_name_the_target_given_on_the_command_line() {
    let out = bdc(&["emit", "tests/ui/canary_weights_by_pod_count.bdot", "--target", "eks"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("partner `alpha` on `eks` shifts traffic"), "{err}");
    assert!(!err.contains("on `gke`"), "{err}");
    let out = bdc(&["emit", "tests/ui/canary_weights_by_pod_count.bdot"]);
    assert!(text(&out.stderr).contains("partner `alpha` on `gke` shifts traffic"));
}

#[test]
fn a_closed_output_pipe_never_panics() {
    // `bdc check 2>&1 | head -1`: the reader goes away after the first line.
    for args in [["check", "tests/ui/type_errors_in_one_partner.bdot"], ["emit", "examples/mediasphere"]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bdc"))
            .args(args)
            .current_dir(super::support::root())
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("bdc starts");
        drop(child.stdout.take());
        drop(child.stderr.take());
        let status = child.wait().expect("bdc ends");
        assert!(
            status.code().is_some_and(|c| c <= 2),
            "`bdc {}` with closed pipes ended with {status}",
            args.join(" ")
        );
    }
}
