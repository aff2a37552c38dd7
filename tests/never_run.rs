//! crossport reads files; it never imports, executes or installs anything from
//! the scanned repository and never opens a network connection.
//!
//! `fixtures/never_run` is a Flask project whose every Python file (setup.py,
//! conftest.py, a package `__init__.py`, views, tests) has a visible side
//! effect when run: marker files under /tmp/crossport-never-run/, shell
//! commands, a print, a socket connection. The scan must find the route and
//! none of those effects.

use std::path::Path;
use std::process::Command;

const FIXTURE: &str = "fixtures/never_run";
const MARKERS: &str = "/tmp/crossport-never-run";

fn clear_markers() {
    match std::fs::remove_dir_all(MARKERS) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("cannot clear {MARKERS}: {e}"),
    }
}

fn assert_no_markers() {
    assert!(
        !Path::new(MARKERS).exists(),
        "{MARKERS} exists: scanned code ran ({:?})",
        std::fs::read_dir(MARKERS).map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
    );
}

fn assert_inventory(stdout: &[u8]) {
    let inv: serde_json::Value = serde_json::from_slice(stdout).expect("valid JSON inventory");
    let rules: Vec<&str> = inv["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"/side-effects"),
        "the fixture was read: {rules:?}"
    );
    assert_eq!(inv["stats"]["python_files"], 5);
}

#[test]
fn scanning_does_not_run_the_scanned_code() {
    assert!(
        Path::new(FIXTURE).join("setup.py").is_file(),
        "fixture missing"
    );
    clear_markers();
    let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
        .args(["scan", FIXTURE, "--format", "json", "--threads", "2"])
        .output()
        .expect("crossport runs");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("CROSSPORT-NEVER-RUN"), "{stderr}");
    assert_no_markers();
    assert_inventory(&out.stdout);
}

/// Under strace: the only program executed is crossport itself, and it makes
/// no network connection (not even a socket).
#[test]
fn no_child_process_and_no_network_under_strace() {
    let strace = ["/usr/bin/strace", "/bin/strace"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("strace is required for this test (Debian: apt-get install strace)");
    clear_markers();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("strace.log");
    let out = Command::new(strace)
        .arg("-f")
        .args(["-e", "trace=execve,execveat,fork,vfork,connect,socket"])
        .arg("-o")
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_crossport"))
        .args(["scan", FIXTURE, "--format", "json", "--threads", "2"])
        .output()
        .expect("strace runs");
    let log = std::fs::read_to_string(&log).unwrap_or_else(|e| {
        panic!(
            "strace wrote no log ({e}); is ptrace allowed here? stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(out.status.code(), Some(0), "{log}");
    let execs: Vec<&str> = log.lines().filter(|l| l.contains("execve")).collect();
    assert_eq!(
        execs.len(),
        1,
        "exactly one execve (crossport itself): {log}"
    );
    assert!(execs[0].contains("crossport"), "{log}");
    for call in ["connect(", "socket(", "fork(", "vfork("] {
        assert!(
            !log.lines().any(|l| l.contains(call)),
            "crossport called {call}: {log}"
        );
    }
    assert_no_markers();
    assert_inventory(&out.stdout);
}
