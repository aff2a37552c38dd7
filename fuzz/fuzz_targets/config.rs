//! Arbitrary bytes as a `crossport.toml` and as a `pyproject.toml` through the gate's policy
//! parser. It must return a policy or an error with a sane position, never panic or hang.
#![no_main]

use crossport::gate::config::{Kind, parse_str};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.split('\n').count();
    for kind in [Kind::Crossport, Kind::Pyproject] {
        if let Err(e) = parse_str(text, kind, "fuzz.toml") {
            assert!(!e.message.is_empty(), "error without a message");
            if let Some(l) = e.line {
                assert!(l >= 1 && l <= lines, "line {l} outside 1..={lines}");
            }
            let _ = e.to_string();
        }
    }
});
