//! Hostile inputs: huge and minified files, floods of diagnostics, links, devices, FIFOs,
//! bad encodings, and interrupted writes. Every one ends in a result or a diagnostic, in time
//! and output linear in the input, and never leaves a partial file.

use super::support::{bdc, compile_text, text};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bdc-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Many declarations, each with an error: the count kept as errors are pushed (walking the
/// list after every declaration was quadratic: 200,000 errors, 42 s; `benches/run.sh errors`
/// shows the time per error stays flat) agrees with the errors in the list.
#[test]
fn many_errors_are_all_counted() {
    let n = 60_000;
    let text: String = (0..n).map(|i| format!("plan p{i} {{ memroy = 1Gi }}\n")).collect();
    let c = compile_text(&text);
    assert!(c.diagnostics.error_count() >= n, "{}", c.diagnostics.error_count());
    assert_eq!(c.diagnostics.error_count(), c.diagnostics.iter().filter(|d| d.is_error()).count());
}

/// A minified spec: one line, errors past column 65,535 (miette formatted the column into a
/// 16-bit width and panicked). Each report shows a window of the line, not the whole line.
#[test]
fn errors_far_along_one_long_line_render_a_window() {
    let platform = "platform p { registry = \"r.example.com/x\" } ";
    let partners: String =
        (0..3_000).map(|i| format!("partner \"p{i}\" {{ domains = [\"p{i}.example.com\"] }} ")).collect();
    let text = format!("{platform}{partners}plan late {{ memroy = 1Gi }}\n");
    assert!(text.len() > 100_000);
    let c = compile_text(&text);
    let late = c.diagnostics.iter().find(|d| d.message.contains("memroy")).expect("the late error is reported");
    assert!(late.primary.span.start > 70_000);
    let rendered = std::panic::catch_unwind(|| super::support::rendered(&c)).expect("rendering does not panic");
    let at = rendered.find("unknown field `memroy`").expect("the report");
    let report = &rendered[at..rendered[at..].find("╰────").map_or(rendered.len(), |e| at + e)];
    assert!(report.lines().all(|l| l.len() < 400), "a report line is not clipped:\n{report}");
    assert!(report.contains(&format!("main.bdot:1:{}]", late.primary.span.start + 1)), "{report}");
    assert!(report.contains("memroy = 1Gi"), "{report}");
}

/// One run prints a bounded amount: 100 human reports by default, then a count of the rest;
/// the machine formats print every diagnostic unless asked for fewer, and stay well-formed.
#[test]
fn what_one_run_prints_is_capped() {
    let dir = scratch("cap");
    let file = dir.join("many.bdot");
    let line: String = (0..3_000).map(|i| format!("plan p{i} {{ memroy = 1Gi }} ")).collect();
    std::fs::write(&file, format!("{line}\n")).expect("write");
    let out = bdc(&["check", path(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.matches("unknown field `memroy`").count() + err.matches("missing required").count(), 100, "{err}");
    assert!(err.contains("… and "), "{err}");
    assert!(err.len() < 200_000, "{} bytes on stderr", err.len());
    let json = bdc(&["check", "--format", "json", path(&file)]);
    let stdout = text(&json.stdout);
    for line in stdout.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("each line is JSON");
    }
    let lines = stdout.lines().count();
    assert!(lines >= 3_000, "{lines}");
    let few = bdc(&["check", "--format", "json", "--max-diagnostics", "5", path(&file)]);
    assert_eq!(few.status.code(), Some(1));
    assert_eq!(text(&few.stdout).lines().count(), 5);
    assert!(text(&few.stderr).contains("more not shown"));
    let sarif = bdc(&["check", "--format", "sarif", "--max-diagnostics", "7", path(&file)]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("one SARIF log");
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(7));
    let all = bdc(&["check", "--max-diagnostics", "0", path(&file)]);
    assert!(!text(&all.stderr).contains("more not shown"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `bdc` in `dir`, killed after `secs` seconds (then the test fails: it hung).
fn bdc_in(dir: &Path, args: &[&str], secs: u64) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bdc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("bdc runs");
    let deadline = Instant::now() + Duration::from_secs(secs);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("`bdc {}` did not finish in {secs} s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// The minimal example, copied into a scratch directory.
fn minimal(name: &str) -> PathBuf {
    let dir = scratch(name);
    let spec = std::fs::read(super::support::root().join("examples/minimal/fleet.bdot")).expect("example");
    std::fs::write(dir.join("fleet.bdot"), spec).expect("write");
    dir
}

/// Links to directories are followed once: a link back to `.` neither loops nor loads the
/// files again (one such link used to load every file 41 times; two, an exponential walk).
#[cfg(unix)]
#[test]
fn directory_links_are_searched_once() {
    let dir = minimal("links");
    std::os::unix::fs::symlink(".", dir.join("again")).expect("link");
    let out = bdc_in(&dir, &["check", "."], 60);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("checked in 1 file"), "{}", text(&out.stderr));
    std::os::unix::fs::symlink(".", dir.join("more")).expect("link");
    std::os::unix::fs::symlink("fleet.bdot", dir.join("same.bdot")).expect("link");
    for command in [&["check", "."][..], &["fmt", "--check", "."], &["emit", "."]] {
        let out = bdc_in(&dir, command, 60);
        assert_eq!(out.status.code(), Some(0), "{command:?}: {}", text(&out.stderr));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Only regular files are read, and at most 64 MiB of one: a FIFO named `x.bdot` used to block
/// forever and `/dev/zero` to fill the memory.
#[cfg(unix)]
#[test]
fn devices_fifos_and_huge_files_are_refused() {
    let dir = minimal("special");
    let fifo = dir.join("x.bdot");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    for args in [&["check", "."][..], &["fmt", "."], &["check", "x.bdot"]] {
        let out = bdc_in(&dir, args, 30);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains("`x.bdot`: not a regular file"), "{}", text(&out.stderr));
    }
    std::fs::remove_file(&fifo).expect("remove");
    let out = bdc_in(&dir, &["check", "/dev/zero"], 30);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a regular file"), "{}", text(&out.stderr));
    // An import of a device, and a file over the limit (sparse: nothing is really written).
    let huge = std::fs::File::create(dir.join("huge.txt")).expect("create");
    huge.set_len(65 << 20).expect("sparse file");
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.txt")).expect("link");
    std::fs::write(dir.join("imports.bdot"), "import \"./zero.txt\" as z\nimport \"./huge.txt\" as h\n")
        .expect("write");
    let out = bdc_in(&dir, &["check", "--format", "json", "imports.bdot"], 30);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("`zero.txt` cannot be read: not a regular file (a character device)"), "{stdout}");
    assert!(stdout.contains("larger than 64 MiB"), "{stdout}");
    let out = bdc_in(&dir, &["check", "huge.txt"], 30);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("larger than 64 MiB"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A leading byte-order mark is skipped; a file that is not UTF-8 gets a diagnostic at its
/// first bad byte (exit 1), from `check` and `fmt` alike, and `fmt` leaves it as it is.
#[test]
fn encodings() {
    let dir = minimal("encodings");
    let spec = std::fs::read(dir.join("fleet.bdot")).expect("read");
    let with_bom = [&[0xEF, 0xBB, 0xBF][..], &spec].concat();
    std::fs::write(dir.join("fleet.bdot"), &with_bom).expect("write");
    let out = bdc_in(&dir, &["check", "fleet.bdot"], 30);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(bdc_in(&dir, &["fmt", "--check", "fleet.bdot"], 30).status.code(), Some(0));
    assert!(compile_text("\u{feff}let a = 1\n").diagnostics.is_empty());

    let latin1 = [&spec[..], b"let city = \"Montr\xe9al\"\n"].concat();
    std::fs::write(dir.join("fleet.bdot"), &latin1).expect("write");
    let out = bdc_in(&dir, &["check", "--format", "json", "fleet.bdot"], 30);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let d: serde_json::Value = serde_json::from_str(text(&out.stdout).lines().next().expect("a line")).expect("json");
    let offset = latin1.iter().position(|&b| b == 0xE9).expect("the byte");
    assert_eq!(d["code"], "E0107");
    assert_eq!(d["range"][0], offset);
    assert_eq!(d["start"]["line"], spec.iter().filter(|&&b| b == b'\n').count() + 1);
    assert!(d["message"].as_str().is_some_and(|m| m.contains("byte 0xE9")), "{d}");
    let out = bdc_in(&dir, &["fmt", "fleet.bdot"], 30);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("E0107"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(dir.join("fleet.bdot")).expect("read"), latin1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The files under a directory with their contents, sorted (for comparing trees).
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).expect("readable").map(|e| e.expect("entry")) {
            if entry.file_type().expect("type").is_dir() {
                stack.push(entry.path());
            } else {
                let name = entry.path().strip_prefix(dir).expect("under").display().to_string();
                out.push((name, std::fs::read(entry.path()).expect("readable")));
            }
        }
    }
    out.sort();
    out
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `emit --partner P --out DIR` (the README's command) replaces P's bundle and keeps the
/// others (it deleted them); `--out .` replaces the current directory (it wrote a temporary
/// tree inside it and failed); a linked `--out` stays a link, its target replaced.
#[cfg(unix)]
#[test]
fn emit_out_partner_dot_and_links() {
    let dir = scratch("emit-out");
    let spec = super::support::root().join("examples/mediasphere");
    let spec = path(&spec);
    let out = bdc_in(&dir, &["emit", spec, "--out", "out"], 120);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let whole = tree(&dir.join("out"));
    let partners: Vec<String> = names(&dir.join("out")).into_iter().filter(|n| !n.starts_with('.')).collect();
    assert!(partners.len() >= 2, "{partners:?}");
    let out = bdc_in(&dir, &["emit", spec, "--partner", &partners[0], "--out", "out"], 120);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(tree(&dir.join("out")) == whole, "one partner's emit changed the others' bundles");
    assert_eq!(names(&dir), ["out"], "no sibling is left");

    let here = dir.join("here");
    std::fs::create_dir(&here).expect("mkdir");
    let out = bdc_in(&here, &["emit", spec, "--out", "."], 120);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(tree(&here) == whole, "`--out .` wrote another tree");
    assert_eq!(names(&dir), ["here", "out"], "no sibling is left");

    std::fs::create_dir(dir.join("target")).expect("mkdir");
    std::os::unix::fs::symlink("target", dir.join("link")).expect("link");
    for _ in 0..2 {
        let out = bdc_in(&dir, &["emit", spec, "--out", "link"], 120);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(std::fs::symlink_metadata(dir.join("link")).expect("link").file_type().is_symlink());
        assert!(tree(&dir.join("target")) == whole, "the link's target holds another tree");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// What an interrupted `emit --out` left is cleaned by the next run: a half-written new tree,
/// and a previous tree moved aside (put back first, if it is all there is).
#[test]
fn emit_out_cleans_what_an_interrupted_run_left() {
    let dir = scratch("emit-leftovers");
    let spec = super::support::root().join("examples/minimal");
    let spec = path(&spec);
    for leftover in [".out.bdc-tmp", ".out.bdc-old"] {
        std::fs::create_dir_all(dir.join(leftover).join("solo")).expect("mkdir");
        std::fs::write(dir.join(leftover).join(".bdc-output"), "").expect("marker");
        std::fs::write(dir.join(leftover).join("solo/half.yaml"), "kind: Nam").expect("write");
    }
    let out = bdc_in(&dir, &["emit", spec, "--out", "out"], 120);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(names(&dir), ["out"], "leftovers stay");
    assert!(!dir.join("out/solo/half.yaml").exists());
    // Not bdc's: left alone, and the run stops.
    std::fs::create_dir(dir.join(".out.bdc-tmp")).expect("mkdir");
    std::fs::write(dir.join(".out.bdc-tmp/notes.txt"), "mine").expect("write");
    let out = bdc_in(&dir, &["emit", spec, "--out", "out"], 120);
    assert_eq!(out.status.code(), Some(2));
    assert!(dir.join(".out.bdc-tmp/notes.txt").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `bdc fmt` killed between writing its sibling file and renaming it left the sibling
/// forever; the next run removes siblings of processes that are gone (not of running ones).
#[cfg(unix)]
#[test]
fn fmt_removes_siblings_of_killed_runs() {
    let dir = scratch("fmt-leftovers");
    std::fs::write(dir.join("a.bdot"), "let   a = 1\n").expect("write");
    let mut gone = std::process::Command::new("true").spawn().expect("true runs");
    let dead = gone.id();
    gone.wait().expect("ends");
    let leftover = dir.join(format!(".a.bdot.bdc-fmt-{dead}"));
    let running = dir.join(format!(".a.bdot.bdc-fmt-{}", std::process::id()));
    std::fs::write(&leftover, "let a = 1\n").expect("write");
    std::fs::write(&running, "let a = 1\n").expect("write");
    let out = bdc_in(&dir, &["fmt", "."], 60);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(dir.join("a.bdot")).expect("read"), "let a = 1\n");
    assert!(!leftover.exists(), "the leftover of a killed run stays");
    assert!(running.exists(), "the sibling of a running process was removed");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The inputs the fuzzers found crashing (`fuzz/run` keeps them in `fuzz/regressions/`) compile,
/// render, format and, when clean, emit.
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = super::support::root().join("fuzz/regressions");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fuzz/regressions exists")
        .flat_map(|target| std::fs::read_dir(target.expect("entry").path()).expect("a target's folder"))
        .map(|e| e.expect("entry").path())
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    cases.sort();
    for case in cases {
        let text = match bdc::disk::decode(std::fs::read(&case).expect("readable")) {
            Ok(text) => text,
            Err(bad) => bad.text,
        };
        let replay = std::panic::catch_unwind(|| {
            let c = compile_text(&text);
            let _ = super::support::rendered(&c);
            let _ = bdc::fmt::format_source(&text);
            let lowering = bdc::lower::Lowering::new(&c.fleet).filter(|_| !c.diagnostics.has_errors());
            if let Some(lw) = &lowering {
                for p in &c.fleet.partners {
                    if let Some(release) = bdc::model::releases::running(&c.fleet, p) {
                        let at = lw.place_on(p, None, release).expect("placed after a clean check");
                        bdc::emit::partner_files(lw, &at, bdc::emit::Format::Yaml, None).expect("structurally sound");
                    }
                }
            }
        });
        assert!(replay.is_ok(), "{} fails again", case.display());
    }
}

/// A fleet of `n` partners, each plan with `memory` (so two fleets differ in every bundle).
fn fleet(n: usize, memory: &str) -> String {
    let mut spec = format!(
        "platform tiny {{\n  registry = \"registry.example.com/tiny\"\n  default_plan = {{ cpu = 250m, memory = {memory} }}\n}}\n\
         release \"1.0.0\" {{\n  image = \"web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706\"\n  channel = stable\n}}\n"
    );
    for i in 0..n {
        spec.push_str(&format!("partner \"p{i}\" {{\n  domains = [\"p{i}.example.com\"]\n  follows = stable\n}}\n"));
    }
    spec
}

/// `emit --out` killed (SIGKILL) at random points of its run, many times, alternating between
/// two fleets: `out` is always one whole tree, the previous or the new one, never a mix or a
/// partial file; the next complete run leaves no sibling behind.
#[cfg(unix)]
#[test]
fn emit_out_killed_anywhere_leaves_a_whole_tree() {
    let dir = scratch("emit-kill");
    std::fs::write(dir.join("a.bdot"), fleet(150, "256Mi")).expect("write");
    std::fs::write(dir.join("b.bdot"), fleet(150, "512Mi")).expect("write");
    let mut whole = Vec::new();
    let mut took = Duration::MAX;
    for spec in ["a.bdot", "b.bdot"] {
        let started = Instant::now();
        let out = bdc_in(&dir, &["emit", spec, "--out", "out"], 120);
        took = took.min(started.elapsed());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        whole.push(tree(&dir.join("out")));
    }
    assert!(whole[0] != whole[1] && whole[0].len() > 1_000, "two different trees of many files");
    // A small generator (no crate for it): the seed is printed, so a failure can be replayed.
    let mut seed = std::env::var("BDC_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        u64::from(std::process::id()) ^ now.as_nanos() as u64
    });
    eprintln!("kill test: seed {seed}, a whole run {took:?}");
    let (mut killed, mut finished) = (0, 0);
    for round in 0..30 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let delay = took.mul_f64((seed >> 33) as f64 / (1u64 << 31) as f64);
        let spec = ["a.bdot", "b.bdot"][round % 2];
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bdc"))
            .args(["emit", spec, "--out", "out"])
            .current_dir(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("bdc runs");
        std::thread::sleep(delay);
        match child.try_wait().expect("wait") {
            // Finished first: the machine is faster than the first runs were; kill sooner.
            Some(_) => {
                finished += 1;
                took = took.mul_f64(0.7);
            }
            None => {
                child.kill().expect("SIGKILL");
                killed += 1;
            }
        }
        child.wait().expect("reaped");
        let now = tree(&dir.join("out"));
        assert!(
            now == whole[0] || now == whole[1],
            "round {round} (seed {seed}, killed after {delay:?}): `out` is neither whole tree ({} files)",
            now.len()
        );
    }
    assert!(killed >= 10, "only {killed} of 30 runs were killed mid-way ({finished} finished first)");
    let out = bdc_in(&dir, &["emit", "a.bdot", "--out", "out"], 120);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(tree(&dir.join("out")) == whole[0]);
    assert_eq!(names(&dir), ["a.bdot", "b.bdot", "out"], "a sibling of a killed run is left");
    let _ = std::fs::remove_dir_all(&dir);
}
