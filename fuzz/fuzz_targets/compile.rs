//! Any bytes as a spec file: compiling ends in a result or diagnostics, and every diagnostic
//! renders (human, JSON, SARIF) without a panic.
#![no_main]

use bdc::diagnostic::render::{self, Style};
use bdc::load::MemoryLoader;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    // The disk loader's decoding: a file that is not UTF-8 still compiles, with its bad bytes
    // as spaces (and E0107).
    let text = match bdc::disk::decode(data.to_vec()) {
        Ok(text) => text,
        Err(bad) => bad.text,
    };
    let loader = MemoryLoader::default().with("main.bdot", &text);
    let Ok(c) = bdc::compile(&[PathBuf::from("main.bdot")], &loader) else { return };
    let style = Style { color: false, width: 100 };
    let shown: Vec<_> = c.diagnostics.sorted().into_iter().take(50).collect();
    for d in &shown {
        let _ = render::human(d, &c.sources, style);
        let _ = render::json(d, &c.sources);
    }
    let _ = bdc::diagnostic::sarif::sarif(&shown, &c.sources);
});
