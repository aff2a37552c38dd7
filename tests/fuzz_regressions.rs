//! Every input in fuzz/regressions/ (crashers and slow inputs the fuzzer or a
//! person found, plus hand-made hostile seeds) goes through the same per-file
//! pipeline the fuzz target drives, on a test thread's 2 MiB stack, and must
//! finish quickly with a valid JSON inventory.

use std::time::{Duration, Instant};

#[test]
fn every_regression_input_is_handled() {
    let dir = std::path::Path::new("fuzz/regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(dir)
        .expect("fuzz/regressions/ exists")
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 10,
        "expected the regression inputs, found {inputs:?}"
    );
    for path in inputs {
        let bytes = std::fs::read(&path).unwrap();
        let started = Instant::now();
        let inv = crossport::scan::scan_source(&bytes);
        let json = crossport::report::json::render(&inv).unwrap();
        serde_json::from_str::<serde_json::Value>(&json)
            .unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", path.display()));
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(5),
            "{}: took {took:?} (a quadratic path?)",
            path.display()
        );
    }
}

/// 100,000 unclosed parentheses used to take 20 s (tree-sitter's query cursor
/// is quadratic on the flat error node they become); now well under a second.
#[test]
fn unclosed_brackets_are_linear() {
    for open in ["(", "[", "{", ")", ",", "@"] {
        let src = format!("x = {}\n", open.repeat(300_000));
        let started = Instant::now();
        let inv = crossport::scan::scan_source(src.as_bytes());
        assert_eq!(inv.stats.parsed_files, 1);
        let took = started.elapsed();
        assert!(took < Duration::from_secs(5), "{open:?} x 300k: {took:?}");
    }
}

fn rules(name: &str) -> Vec<String> {
    let bytes = std::fs::read(format!("fuzz/regressions/{name}")).expect("regression input exists");
    let started = Instant::now();
    let inv = crossport::scan::scan_source(&bytes);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{name}: too slow"
    );
    inv.routes
        .into_iter()
        .filter(|r| r.kind != "static")
        .map(|r| r.rule)
        .collect()
}

/// Blueprint registrations that form a cycle (Flask refuses a blueprint on
/// itself and recurses forever on a->b->a) are not followed round and round:
/// each route once, not once per trip (was 4 and 9 copies).
#[test]
fn blueprint_cycles_are_not_followed() {
    assert_eq!(rules("blueprint_self_register"), vec!["/p/x"]);
    assert_eq!(rules("blueprint_cycle"), vec!["/x"]);
}

/// 12 nested blueprints each registered 10 times on the next: 10^11 mounts
/// (minutes and gigabytes before); now capped at 64 and instant.
#[test]
fn blueprint_fan_out_is_bounded() {
    let r = rules("blueprint_fanout");
    assert!(!r.is_empty() && r.len() <= 64, "{} routes", r.len());
    assert!(r.iter().all(|r| r.ends_with("/leaf")), "{r:?}");
}
