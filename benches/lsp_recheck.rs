//! How long the language server takes to check a workspace again after an edit: a fleet of N
//! partners (default 1,000) from `benches/gen_fleet.py`, one open buffer edited 30 times, each
//! edit followed by a full re-check and the conversion of its diagnostics for publishing.
//! Prints the median and the 90th percentile. Target: under 50 ms at 1,000 partners.
//!
//! `cargo bench --bench lsp_recheck [-- N]`

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1000);
    let dir = std::env::temp_dir().join(format!("bdc-lsp-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let dir = dir.canonicalize().expect("canonical");
    let file = dir.join("fleet.bdot");
    let status = Command::new("python3")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/gen_fleet.py"))
        .arg(n.to_string())
        .arg(&file)
        .status()
        .expect("python3 runs the generator");
    assert!(status.success(), "the generator failed");
    let text = std::fs::read_to_string(&file).expect("generated");
    std::env::set_var("XDG_CACHE_HOME", dir.join("cache"));
    let mut ws = bdc::lsp::Workspace::new(Some(dir.clone()));
    ws.open_file(file.clone(), text.clone());
    ws.recheck();
    let errors = ws.projects[0].compilation.as_ref().map_or(0, |c| c.diagnostics.error_count());
    let mut times = Vec::new();
    for i in 0..30 {
        // An edit a person makes: one partner's replica range changes.
        let edited = text.replacen("replicas = 2..6", &format!("replicas = 2..{}", 6 + i % 3), 1);
        ws.open_file(file.clone(), edited);
        let start = Instant::now();
        ws.recheck_file(&file);
        let published = bdc::lsp::diagnostics(&ws);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(!published.is_empty());
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "lsp re-check after an edit, {n} partners ({} bytes, {errors} errors): median {:.1} ms, p90 {:.1} ms, min {:.1} ms (30 edits)",
        text.len(),
        times[times.len() / 2],
        times[times.len() * 9 / 10],
        times[0]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
