//! The JSON inventory is byte-identical across runs and thread counts, for
//! every fixture directory (the binary, as a user runs it).

use std::process::Command;

fn scan(fixture: &str, threads: &str) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
        .args(["scan", fixture, "--format", "json", "--threads", threads])
        .output()
        .expect("crossport runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{fixture} --threads {threads}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn every_fixture_gives_the_same_bytes_with_1_2_and_8_threads() {
    let mut fixtures: Vec<String> = std::fs::read_dir("fixtures")
        .expect("fixtures/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    fixtures.sort();
    assert!(
        fixtures.len() >= 3,
        "expected the fixture directories, found {fixtures:?}"
    );
    for fixture in &fixtures {
        let first = scan(fixture, "1");
        assert!(!first.is_empty(), "{fixture}: empty output");
        for threads in ["2", "8", "1"] {
            let again = scan(fixture, threads);
            assert!(
                again == first,
                "{fixture}: --threads {threads} differs from --threads 1"
            );
        }
    }
}
