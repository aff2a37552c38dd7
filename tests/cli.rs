//! The command line as a user meets it: help, exit codes, error messages, -o.

use std::process::Command;

fn crossport(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_crossport"))
        .args(args)
        .output()
        .expect("binary runs")
}

#[test]
fn help_explains_commands() {
    let out = crossport(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("scan") && text.contains("Exit codes"));
    let out = crossport(&["scan", "--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("--format"));
}

#[test]
fn missing_path_is_exit_2_naming_the_path() {
    let out = crossport(&["scan", "does/not/exist"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does/not/exist"), "{err}");
}

#[test]
fn bad_flag_is_exit_2() {
    assert_eq!(
        crossport(&["scan", "--format", "yaml"]).status.code(),
        Some(2)
    );
}

#[test]
fn json_to_file_and_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("inv.json");
    let out = crossport(&[
        "scan",
        "fixtures/flask_blueprints",
        "--format",
        "json",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert!(json["routes"].as_array().unwrap().len() > 10);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("routes") && err.contains("lines"), "{err}");
}

#[test]
fn unwritable_output_is_exit_2_and_leaves_nothing() {
    let out = crossport(&[
        "scan",
        "fixtures/flask_blueprints",
        "-o",
        "/nonexistent-dir/inv.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!std::path::Path::new("/nonexistent-dir/inv.json").exists());
}

#[test]
fn no_framework_is_a_clear_message_and_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.py"), "print('hi')\n").unwrap();
    let out = crossport(&["scan", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no Flask or Django"));
}

#[test]
fn dash_output_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
        .args(["scan", "-f", "json", "-o", "-"])
        .arg(std::fs::canonicalize("fixtures/flask_blueprints").unwrap())
        .current_dir(dir.path())
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["schema_version"], 1);
    assert!(!dir.path().join("-").exists(), "no file named -");
}

#[test]
fn output_to_a_device_writes_through_it() {
    // `-o /dev/null` must not replace the device with a regular file. Through
    // a link, so that a failure replaces only the link, not the machine's /dev/null.
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    let out = crossport(&[
        "scan",
        "fixtures/flask_blueprints",
        "-f",
        "json",
        "-o",
        link.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(
        meta.file_type().is_symlink(),
        "the device (link) was replaced by a file"
    );
}
