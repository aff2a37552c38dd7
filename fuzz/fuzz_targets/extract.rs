//! Arbitrary bytes as one Python file through the whole per-file pipeline:
//! decode (BOM, invalid UTF-8), tree-sitter parse, lowering to the IR, every
//! framework extractor, and the JSON report. Any panic or overflow is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let inv = crossport::scan::scan_source(data);
    let json = crossport::report::json::render(&inv).expect("inventory renders as JSON");
    serde_json::from_str::<serde_json::Value>(&json).expect("rendered JSON parses");
});
