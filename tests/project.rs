//! The project through the binary: `bdc.toml` marks the root (`bdc check` without paths finds
//! it from a subdirectory; a nested project is left out of a directory's walk), and accepts
//! warnings project-wide in every output format (`allow`); `// bdc: allow` comments in `emit`
//! and the CI formats; mistakes in either.

use super::support::text;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bdc_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bdc")).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("bdc runs")
}

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bdc-project-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

/// A small spec whose stable release is given by tag (W0401 on `releases.bdot` line 2).
fn spec(dir: &Path) {
    std::fs::create_dir_all(dir.join("releases")).expect("dir");
    std::fs::copy(super::support::root().join("src/cli/starter.bdot"), dir.join("fleet.bdot")).expect("copy");
    std::fs::write(
        dir.join("releases/extra.bdot"),
        "release \"9.0.0\" {\n  image   = \"web:9.0.0\"\n  channel = edge\n}\n\nrelease \"9.1.0\" {\n  image   = \"web:9.1.0\"\n  channel = stable\n}\n",
    )
    .expect("write");
}

fn codes_in_json(out: &Output) -> Vec<String> {
    text(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn init_marks_the_root_and_check_finds_it_from_below() {
    let dir = scratch("init");
    let out = bdc_in(&dir, &["init", "fleet"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let marker = std::fs::read_to_string(dir.join("fleet/bdc.toml")).expect("bdc init writes bdc.toml");
    assert!(marker.contains("allow = []"), "{marker}");
    // From a subdirectory without spec files, `bdc check` checks the project above it.
    std::fs::create_dir_all(dir.join("fleet/docs")).expect("dir");
    let out = bdc_in(&dir.join("fleet/docs"), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("ok: "), "{}", text(&out.stderr));
    // `bdc init` again refuses the spec and leaves an existing bdc.toml alone.
    std::fs::write(dir.join("fleet/bdc.toml"), "allow = [\"W0406\"]\n").expect("write");
    assert_eq!(bdc_in(&dir, &["init", "fleet"]).status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.join("fleet/bdc.toml")).expect("kept"), "allow = [\"W0406\"]\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_directory_walk_leaves_other_projects_out() {
    let dir = scratch("nested");
    spec(&dir.join("a"));
    spec(&dir.join("b"));
    std::fs::write(dir.join("b/bdc.toml"), "").expect("write");
    // `a` has no marker of its own: its files, but not `b`'s, are one spec.
    std::fs::write(dir.join("a/bdc.toml"), "").expect("write");
    std::fs::rename(dir.join("b"), dir.join("a/b")).expect("move");
    let out = bdc_in(&dir, &["check", "--format", "json", "a"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(codes_in_json(&out), ["W0401"], "a/b is another project, not a duplicate: {}", text(&out.stdout));
    // A directory that only holds projects says so.
    std::fs::remove_file(dir.join("a/fleet.bdot")).expect("rm");
    std::fs::remove_dir_all(dir.join("a/releases")).expect("rm");
    let out = bdc_in(&dir, &["check", "a"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("other projects") && text(&out.stderr).contains("a/b"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_project_allow_list_holds_in_every_format() {
    let dir = scratch("allow");
    spec(&dir);
    let d = dir.to_str().expect("utf-8");
    let out = bdc_in(&dir, &["check", "--format", "json", d]);
    assert_eq!(codes_in_json(&out), ["W0401"], "the warning without an allow");

    std::fs::write(dir.join("bdc.toml"), "# accepted: tags are immutable in our registry\nallow = [\"W0401\"]\n")
        .expect("write");
    let out = bdc_in(&dir, &["check", d]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!text(&out.stderr).contains("W0401") && text(&out.stderr).contains("ok: "), "{}", text(&out.stderr));
    for format in ["json", "github"] {
        let out = bdc_in(&dir, &["check", "--format", format, d]);
        assert!(!text(&out.stdout).contains("W0401"), "{format}: {}", text(&out.stdout));
    }
    let out = bdc_in(&dir, &["check", "--format", "sarif", d]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]), "{log}");
    let out = bdc_in(&dir, &["emit", d]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!text(&out.stderr).contains("W0401"), "{}", text(&out.stderr));
    // From a file of the project, too.
    let out = bdc_in(&dir, &["check", "--format", "json", "releases/extra.bdot", "fleet.bdot"]);
    assert_eq!(codes_in_json(&out), Vec::<String>::new());

    // An error cannot be allowed; a code that does not exist is refused: both point into
    // bdc.toml, and the warning is still accepted.
    std::fs::write(dir.join("bdc.toml"), "allow = [\"W0401\", \"E0303\", \"W0104\"]\n").expect("write");
    let out = bdc_in(&dir, &["check", "--format", "json", d]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(codes_in_json(&out), ["E0458", "E0459"], "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("bdc.toml"), "{}", text(&out.stdout));
    let out = bdc_in(&dir, &["check", d]);
    let err = text(&out.stderr);
    assert!(err.contains("errors cannot be allowed") && err.contains("did you mean `W0404`"), "{err}");

    // A project file bdc cannot understand stops every command, naming the line.
    std::fs::write(dir.join("bdc.toml"), "\nalow = [\"W0401\"]\n").expect("write");
    let out = bdc_in(&dir, &["check", d]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bdc.toml:2") && text(&out.stderr).contains("alow"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn allow_comments_hold_in_emit_and_the_ci_formats() {
    let dir = scratch("comment");
    spec(&dir);
    let extra = dir.join("releases/extra.bdot");
    let text_of = std::fs::read_to_string(&extra).expect("read");
    std::fs::write(&extra, text_of.replacen("\"web:9.1.0\"", "\"web:9.1.0\" // bdc: allow W0401 (immutable tags)", 1))
        .expect("write");
    let d = dir.to_str().expect("utf-8");
    for format in ["json", "github"] {
        let out = bdc_in(&dir, &["check", "--format", format, d]);
        assert_eq!(out.status.code(), Some(0));
        assert!(!text(&out.stdout).contains("W0401"), "{format}: {}", text(&out.stdout));
    }
    let out = bdc_in(&dir, &["check", "--format", "sarif", d]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]), "{log}");
    let out = bdc_in(&dir, &["emit", d]);
    assert!(!text(&out.stderr).contains("W0401"), "{}", text(&out.stderr));
    // Moved to a line with no warning, it is stale (W0415), and the warning is back.
    std::fs::write(&extra, text_of.replacen("channel = stable", "channel = stable // bdc: allow W0401", 1))
        .expect("write");
    let out = bdc_in(&dir, &["check", "--format", "json", d]);
    assert_eq!(codes_in_json(&out), ["W0401", "W0415"], "{}", text(&out.stdout));
    // Not under `emit --target` (a warning judged on one target may not arise there).
    let out = bdc_in(&dir, &["emit", "--target", "gke", d]);
    assert!(!text(&out.stderr).contains("W0415"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
