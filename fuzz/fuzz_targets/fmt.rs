//! Any text through `bdc fmt`: it refuses a syntax error or gives a text it leaves as it is.
#![no_main]

use bdc::fmt::{format_source, FormatError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match format_source(text) {
        Ok(once) => assert_eq!(format_source(&once).ok().as_deref(), Some(once.as_str()), "not idempotent"),
        Err(FormatError::NotPreserved(what)) => panic!("fmt would change the program: {what}"),
        Err(FormatError::Syntax(_)) => {}
    }
});
