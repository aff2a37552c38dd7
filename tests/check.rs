//! `crossport check` as CI meets it: every exit code and every output format (insta snapshots),
//! baselines that survive inserted lines, the ratchet, inline suppressions and the policy file.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::copy_dir;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A private copy of a fixture (tests edit files and write baselines).
fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name),
        dir.path(),
    );
    dir
}

fn check(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("CI", "1")
        .output()
        .expect("binary runs");
    let root = std::fs::canonicalize(dir).unwrap();
    let redact = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .replace(&root.display().to_string(), "[ROOT]")
            .replace(&dir.display().to_string(), "[ROOT]")
            .replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
    };
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: redact(&out.stdout),
        stderr: redact(&out.stderr),
    }
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn edit(path: PathBuf, f: impl FnOnce(String) -> String) {
    let t = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(t)).unwrap();
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_1_default_policy_fails_on_mandatory_text() {
    let d = fixture("flask_blueprints");
    let r = check(d.path(), &["."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn exit_0_with_baseline_json() {
    let d = fixture("flask_blueprints");
    let w = check(
        d.path(),
        &[".", "--write-baseline", "crossport-baseline.json"],
    );
    assert_eq!(w.code, 0, "{}", w.stderr);
    let r = check(
        d.path(),
        &[
            ".",
            "--baseline",
            "crossport-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["counts"]["new"], 0);
    assert_eq!(v["passed"], true);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn exit_2_no_flask_or_django_unless_allow_empty() {
    let d = fixture("django_negative");
    let r = check(d.path(), &["."]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!(r.stderr);
    let r = check(d.path(), &[".", "--allow-empty"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn exit_2_unknown_config_key_names_key_and_line() {
    let d = fixture("flask_blueprints");
    std::fs::write(
        d.path().join("pyproject.toml"),
        "[project]\nname = \"shop\"\n\n[tool.crossport]\nfail-on = [\"mandatory\"]\nmax-effort-hour = 10\n",
    )
    .unwrap();
    let r = check(d.path(), &["."]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("max-effort-hour") && r.stderr.contains(":6:"),
        "{}",
        r.stderr
    );
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn exit_2_malformed_config_and_bad_values() {
    let d = fixture("flask_blueprints");
    std::fs::write(
        d.path().join("crossport.toml"),
        "fail-on = [\"mandatory\"\n",
    )
    .unwrap();
    let r = check(d.path(), &["."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("crossport.toml:"), "{}", r.stderr);
    std::fs::write(
        d.path().join("crossport.toml"),
        "ratchet = false\nfail-on-rules = [\"CP999\"]\n",
    )
    .unwrap();
    let r = check(d.path(), &["."]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("CP999") && r.stderr.contains(":2:"),
        "{}",
        r.stderr
    );
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn exit_2_usage_errors() {
    let d = fixture("flask_blueprints");
    for args in [
        &[".", "--max-per-rule", "CP999=1"][..],
        &[".", "--max-per-rule", "CP101"],
        &[".", "--fail-on", "severe"],
        &[".", "--format", "yaml"],
        &[".", "--ratchet"],
        &[".", "--baseline", "missing.json"],
        &["does/not/exist"],
        // I/O errors writing outputs are exit 2 too, never 0 or 1.
        &[".", "-o", "no/such/dir/out.txt"],
        &[".", "--sarif", "no/such/dir/out.sarif"],
        &[".", "--summary", "no/such/dir/summary.md"],
        &[".", "--write-baseline", "no/such/dir/b.json"],
    ] {
        let r = check(d.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty(), "{args:?}");
    }
    std::fs::write(
        d.path().join("b.json"),
        "{\"kind\": \"crossport-baseline\", \"version\": 99}",
    )
    .unwrap();
    let r = check(d.path(), &[".", "--baseline", "b.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("version"), "{}", r.stderr);
}

#[test]
fn help_documents_exit_codes() {
    let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
        .args(["check", "--help"])
        .output()
        .unwrap();
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(
        t.contains("0  the gate passed")
            && t.contains("1  the gate failed")
            && t.contains("2  usage"),
        "{t}"
    );
}

// ---------------------------------------------------------------- policy

#[test]
fn policy_from_pyproject_and_flags_override_it() {
    let d = fixture("flask_blueprints");
    std::fs::write(
        d.path().join("pyproject.toml"),
        "[tool.crossport]\nfail-on = []\nfail-on-rules = [\"CP403\"]\n",
    )
    .unwrap();
    let r = check(d.path(), &[".", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = json(&r);
    assert_eq!(v["counts"]["failing"], 7, "CP403 findings only");
    // Flags override the file: only optional findings fail now (none is on CP403).
    let r = check(
        d.path(),
        &[".", "--fail-on", "optional", "--fail-on-rule", "CP102"],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("3 findings of optional, CP102"),
        "{}",
        r.stdout
    );
    // Counting criteria (no config file now; a counting criterion replaces the default).
    std::fs::remove_file(d.path().join("pyproject.toml")).unwrap();
    let r = check(
        d.path(),
        &[
            ".",
            "--max-per-rule",
            "CP101=18",
            "--max-effort-hours",
            "1000",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = check(d.path(), &[".", "--max-per-rule", "cp101=17"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("CP101: 18 findings, more than the maximum 17"),
        "{}",
        r.stdout
    );
    let r = check(
        d.path(),
        &[".", "--max-effort-hours", "10", "--format", "json"],
    );
    assert_eq!(r.code, 1);
    assert!(
        json(&r)["violations"][0]
            .as_str()
            .unwrap()
            .contains("more than the maximum 10 h")
    );
}

// ---------------------------------------------------------------- formats

#[test]
fn format_sarif() {
    let d = fixture("flask_blueprints");
    let r = check(d.path(), &[".", "--format", "sarif"]);
    assert_eq!(r.code, 1);
    let v = json(&r);
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file://[ROOT]/"
    );
    let first = &run["results"][0];
    assert_eq!(first["ruleId"], "CP101");
    assert_eq!(
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "shop/__init__.py"
    );
    assert!(first["partialFingerprints"]["crossport/v1"].is_string());
    // Code scanning needs a location for every result: project-level findings are anchored at
    // the file that shows the framework.
    for r in run["results"].as_array().unwrap() {
        assert!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string(),
            "{r}"
        );
    }
    let project = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "CP110")
        .unwrap();
    assert_eq!(
        project["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "requirements.txt"
    );
    assert_eq!(project["properties"]["projectLevel"], true);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn format_github_annotations() {
    let d = fixture("flask_blueprints");
    let r = check(d.path(), &[".", "--format", "github"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .starts_with("::error file=shop/__init__.py,line=33,title=CP101 "),
        "{}",
        r.stdout
    );
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn format_markdown_summary_and_side_outputs() {
    let d = fixture("flask_blueprints");
    let r = check(d.path(), &[".", "--format", "markdown"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
    // --sarif and --summary (appended, as $GITHUB_STEP_SUMMARY is) next to the main format.
    std::fs::write(d.path().join("summary.md"), "previous step\n").unwrap();
    let r = check(
        d.path(),
        &[
            ".",
            "--format",
            "github",
            "--sarif",
            "out.sarif",
            "--summary",
            "summary.md",
        ],
    );
    assert_eq!(r.code, 1);
    let s = std::fs::read_to_string(d.path().join("summary.md")).unwrap();
    assert!(
        s.starts_with("previous step\n## crossport check: failed"),
        "{s}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("out.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn format_json_passing_with_allow_empty() {
    let d = fixture("django_negative");
    let r = check(d.path(), &[".", "--allow-empty", "--format", "json"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

// ---------------------------------------------------------------- baselines

#[test]
fn baseline_survives_lines_inserted_above_findings() {
    let d = fixture("flask_blueprints");
    let w = check(d.path(), &[".", "--write-baseline", "b.json"]);
    assert_eq!(w.code, 0);
    let before = json(&check(d.path(), &[".", "--format", "json"]));
    // Insert imports, comments and blank lines at the top of every Python file, and between
    // functions, moving every finding down.
    for rel in [
        "shop/__init__.py",
        "shop/api.py",
        "shop/auth.py",
        "shop/catalog/views.py",
        "shop/admin/views.py",
    ] {
        edit(d.path().join(rel), |t| {
            let t = t.replacen("\n\n\n", "\n\n# a comment added later\n\n\n", 1);
            format!("import os  # added\nimport sys\n\n\n{t}")
        });
    }
    let after = json(&check(d.path(), &[".", "--format", "json"]));
    let lines = |v: &serde_json::Value| -> Vec<Option<u64>> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["line"].as_u64())
            .collect()
    };
    assert_ne!(lines(&before), lines(&after), "the edit moved findings");
    let r = check(d.path(), &[".", "--baseline", "b.json", "--format", "json"]);
    let v = json(&r);
    assert_eq!(v["counts"]["new"], 0, "{}", r.stdout);
    assert_eq!(r.code, 0);

    // A new route is new, and only it (plus its auth-free app grouping) fails the gate.
    edit(d.path().join("shop/api.py"), |t| {
        format!("{t}\n\n@api_bp.get(\"/refunds\")\ndef refunds():\n    return jsonify([])\n")
    });
    let r = check(d.path(), &[".", "--baseline", "b.json", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = json(&r);
    let new: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["new"] == true)
        .collect();
    assert!(
        new.iter()
            .any(|f| f["rule"] == "CP101"
                && f["message"].as_str().unwrap().contains("/api/v1/refunds")),
        "{new:?}"
    );
    assert!(
        new.iter()
            .all(|f| f["file"].as_str().is_none_or(|p| p == "shop/api.py")),
        "{new:?}"
    );
}

// ---------------------------------------------------------------- ratchet

#[test]
fn ratchet_reports_progress_and_fails_on_new_flask_surface() {
    let d = fixture("gate_midway");
    let w = check(d.path(), &[".", "--write-baseline", "b.json"]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("b.json")).unwrap()).unwrap();
    assert_eq!(b["surface"]["source"]["routes"], 3);
    assert_eq!(b["surface"]["target"]["routes"], 2);
    // Only the ratchet is a criterion here (effort cap far away).
    let gate = [
        ".",
        "--baseline",
        "b.json",
        "--ratchet",
        "--max-effort-hours",
        "100000",
    ];

    // Migrate one route: remove it from Flask, add it to Django.
    edit(d.path().join("legacy/__init__.py"), |t| {
        let i = t.find("@app.route(\"/reports/monthly\")").unwrap();
        t[..i].to_string()
    });
    edit(d.path().join("orders/urls.py"), |t| {
        t.replace(
            "]\n",
            "    path(\"reports/monthly\", views.order_list, name=\"monthly\"),\n]\n",
        )
    });
    let r = check(d.path(), &gate);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("routes migrated: 3 of 5; this change: \u{2212}1 Flask routes"),
        "{}",
        r.stdout
    );
    insta::assert_snapshot!("ratchet_progress", r.stdout);

    // Add two Flask routes and an SQLAlchemy model: the migration went backwards.
    edit(d.path().join("legacy/__init__.py"), |t| {
        format!(
            "{t}\n@app.route(\"/a\")\ndef a():\n    return jsonify({{}})\n\n\n@app.route(\"/b\")\ndef b():\n    return jsonify({{}})\n\n\nclass Credit(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
        )
    });
    let r = check(d.path(), &gate);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("ratchet: 1 new Flask routes (baseline 3, now 4)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("ratchet: 1 new Flask models (baseline 1, now 2)"),
        "{}",
        r.stdout
    );
    insta::assert_snapshot!("ratchet_backwards", r.stdout);
}

// ---------------------------------------------------------------- suppressions

#[test]
fn inline_suppressions_need_a_reason_and_are_counted() {
    let d = fixture("flask_blueprints");
    edit(d.path().join("shop/api.py"), |t| {
        t.replace(
            "@api_bp.post(\"/orders\")\n",
            "# crossport: ignore[CP101] -- orders API is rewritten from scratch in Q3\n@api_bp.post(\"/orders\")\n",
        )
        .replace(
            "@api_bp.route(\"/orders/<uuid:oid>\", methods=[\"PUT\", \"PATCH\"])\n",
            "@api_bp.route(\"/orders/<uuid:oid>\", methods=[\"PUT\", \"PATCH\"])  # crossport: ignore[CP101]\n",
        )
        .replace("def route(path):\n", "def route(path):  # crossport: ignore[CP999] -- typo\n")
    });
    let r = check(d.path(), &[".", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v = json(&r);
    assert_eq!(v["counts"]["suppressed"], 1, "{}", r.stdout);
    let sup: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_object())
        .collect();
    assert_eq!(
        sup[0]["message"].as_str().unwrap().split(' ').nth(1),
        Some("/api/v1/orders")
    );
    assert_eq!(
        sup[0]["suppressed"]["reason"],
        "orders API is rewritten from scratch in Q3"
    );
    assert_eq!(sup[0]["fails"], false);
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("shop/api.py:14: suppression without a reason is not applied"),
        "{warnings}"
    );
    assert!(warnings.contains("unknown rule `CP999`"), "{warnings}");
    // Text output reports the suppressed finding with its reason; warnings go to stderr too.
    let r = check(d.path(), &["."]);
    assert!(
        r.stdout
            .contains("suppressed (1):\n  CP101 shop/api.py:9 -- orders API is rewritten"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("warning: shop/api.py:14"), "{}", r.stderr);
    // SARIF carries it as an in-source suppression.
    let s = json(&check(d.path(), &[".", "--format", "sarif"]));
    let n = s["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["suppressions"][0]["kind"] == "inSource")
        .count();
    assert_eq!(n, 1);
}
