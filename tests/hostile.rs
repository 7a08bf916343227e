//! Hostile inputs: huge and minified files, floods of diagnostics, links, devices, FIFOs,
//! bad encodings, and interrupted writes. Every one ends in a result or a diagnostic, in time
//! and output linear in the input, and never leaves a partial file.

use super::support::compile_text;
use std::time::{Duration, Instant};

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
