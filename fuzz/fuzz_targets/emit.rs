//! Any text that checks clean emits: every partner lowers and passes the structural checks
//! (an internal error after a clean check is a bug), in YAML and JSON.
#![no_main]

use bdc::emit::{self, Format};
use bdc::load::MemoryLoader;
use bdc::lower::Lowering;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let loader = MemoryLoader::default().with("main.bdot", text);
    let Ok(c) = bdc::compile(&[PathBuf::from("main.bdot")], &loader) else { return };
    if c.diagnostics.has_errors() {
        return;
    }
    let Some(lw) = Lowering::new(&c.fleet) else { return };
    let mut placements = Vec::new();
    for p in &c.fleet.partners {
        let Some(release) = bdc::model::releases::running(&c.fleet, p) else { continue };
        match lw.place_on(p, None, release) {
            Ok(at) => placements.push(at),
            Err(e) => panic!("internal error after a clean check: {e}"),
        }
    }
    for format in [Format::Yaml, Format::Json] {
        let mut out = Vec::new();
        if let Err(emit::StreamError::Broken(b)) = emit::stream(&lw, &placements, format, &mut out) {
            panic!("`{}` fails a structural check after a clean check: {:?}", b.partner, b.violation.problem);
        }
    }
});
