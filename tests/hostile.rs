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

/// Many declarations, each with an error: the compile loop counts errors after every
/// declaration, which must not walk the whole list (that was quadratic: 200,000 errors, 42 s).
#[test]
fn many_errors_cost_linear_time() {
    let n = 60_000;
    let text: String = (0..n).map(|i| format!("plan p{i} {{ memroy = 1Gi }}\n")).collect();
    let started = Instant::now();
    let c = compile_text(&text);
    let took = started.elapsed();
    assert!(c.diagnostics.error_count() >= n, "{}", c.diagnostics.error_count());
    assert!(took < Duration::from_secs(30), "{n} errors took {took:?}");
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
