//! The SARIF output validated against the SARIF 2.1.0 JSON schema (tests/data/sarif-2.1.0.json)
//! with Python's `jsonschema`, installed at a pinned version into a virtualenv under target/.
//! This test fails (never skips) when it cannot validate.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::copy_dir;

const JSONSCHEMA: &str = "jsonschema==4.26.0";

fn venv_python() -> PathBuf {
    static ONCE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ONCE.get_or_init(make_venv).clone()
}

fn make_venv() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = root
        .join("target")
        .join("test-venvs")
        .join("jsonschema-4.26.0");
    let py = venv.join("bin").join("python");
    let ok = venv.join(".installed");
    if !ok.exists() {
        let st = Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv)
            .status()
            .expect("python3 is needed to validate SARIF (python3 -m venv)");
        assert!(st.success(), "python3 -m venv {} failed", venv.display());
        let st = Command::new(&py)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                JSONSCHEMA,
            ])
            .status()
            .expect("pip runs");
        assert!(
            st.success(),
            "pip install {JSONSCHEMA} failed: cannot validate SARIF"
        );
        std::fs::write(&ok, JSONSCHEMA).unwrap();
    }
    py
}

const VALIDATE: &str = r#"
import json, sys
from jsonschema import validators
schema = json.load(open(sys.argv[1]))
cls = validators.validator_for(schema)
cls.check_schema(schema)
v = cls(schema)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        print(f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    bad += len(errors)
    print(f"{path}: {len(errors)} schema errors, {len(doc['runs'][0]['results'])} results")
sys.exit(1 if bad else 0)
"#;

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let py = venv_python();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-2.1.0.json");
    let d = tempfile::tempdir().unwrap();
    let repo = d.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/flask_blueprints"),
        &repo,
    );
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
            .arg("check")
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // Plain; with a baseline (baselineState) and an in-source suppression; Django -> Flask;
    // and a run with an absolute path.
    run(&[".", "--format", "sarif", "-o", "../plain.sarif"]);
    run(&[".", "--write-baseline", "b.json"]);
    let api = repo.join("shop/api.py");
    let t = std::fs::read_to_string(&api).unwrap();
    std::fs::write(
        &api,
        t.replace(
            "@api_bp.post(",
            "# crossport: ignore[CP101] -- rewritten later\n@api_bp.post(",
        ) + "\n@api_bp.get(\"/new\")\ndef new():\n    return jsonify([])\n",
    )
    .unwrap();
    run(&[".", "--baseline", "b.json", "--sarif", "../baseline.sarif"]);
    run(&[
        ".",
        "--to",
        "flask",
        "--format",
        "sarif",
        "-o",
        "../flask.sarif",
    ]);
    let abs = repo.display().to_string();
    run(&[&abs, "--format", "sarif", "-o", "../abs.sarif"]);
    let files: Vec<PathBuf> = ["plain", "baseline", "flask", "abs"]
        .iter()
        .map(|n| d.path().join(format!("{n}.sarif")))
        .collect();
    let out = Command::new(&py)
        .args(["-c", VALIDATE])
        .arg(&schema)
        .args(&files)
        .output()
        .expect("the venv's python runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "SARIF does not validate:\n{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("0 schema errors"), "{text}");
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[1]).unwrap()).unwrap();
    let results = b["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["baselineState"] == "new"));
    assert!(results.iter().any(|r| r["baselineState"] == "unchanged"));
    assert!(results.iter().any(|r| r["suppressions"].is_array()));
}

#[test]
fn a_document_that_breaks_the_schema_is_rejected() {
    // The validator really validates: a SARIF log with a bad level fails.
    let py = venv_python();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-2.1.0.json");
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("bad.sarif");
    std::fs::write(
        &bad,
        r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}"#,
    )
    .unwrap();
    let st = Command::new(&py)
        .args(["-c", VALIDATE])
        .arg(&schema)
        .arg(&bad)
        .status()
        .unwrap();
    assert!(!st.success());
}
