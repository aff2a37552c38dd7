//! Issue 9: crossport finishes on anything a repository can contain, says what
//! it could not read, and keeps everything it could. One test per bad input,
//! each running the real binary on a temporary directory.
//!
//! Nothing here is skipped silently: where the environment changes the outcome
//! (running as root makes `chmod 000` harmless), the test detects it and
//! asserts the outcome that environment must give.

use serde_json::Value;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const APP_HEAD: &str = "from flask import Flask\napp = Flask(__name__)\n";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_crossport")
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(bin())
        .args(args)
        .env_remove("CI")
        .output()
        .expect("the crossport binary runs")
}

fn explain(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stderr ---\n{}\n--- stdout (first 2000 bytes) ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(2000)])
    )
}

/// `crossport scan PATH --format json EXTRA...`, which must exit 0 with valid JSON.
fn scan_json_with(path: &Path, extra: &[&str]) -> Value {
    let mut args: Vec<&std::ffi::OsStr> = vec!["scan".as_ref(), path.as_os_str()];
    args.extend(["--format", "json"].map(std::ffi::OsStr::new));
    args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
    let out = run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", explain(&out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not valid JSON ({e}): {}", explain(&out)))
}

fn scan_json(path: &Path) -> Value {
    scan_json_with(path, &[])
}

fn scan_text(path: &Path) -> String {
    let out = run(&["scan".as_ref(), path.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "{}", explain(&out));
    String::from_utf8(out.stdout).expect("text output is UTF-8")
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Rules of the routes found, without the `/static/<path:filename>` route
/// Flask adds to every app.
fn rules(inv: &Value) -> Vec<String> {
    inv["routes"]
        .as_array()
        .expect("routes is a list")
        .iter()
        .filter(|r| r["kind"] != "static")
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect()
}

fn route<'a>(inv: &'a Value, rule: &str) -> &'a Value {
    inv["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap_or_else(|| panic!("route {rule} not found; routes: {:?}", rules(inv)))
}

/// (line, message) of every warning about `file`.
fn warnings(inv: &Value, file: &str) -> Vec<(Option<u64>, String)> {
    inv["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["file"] == file)
        .map(|w| {
            (
                w["line"].as_u64(),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn skipped(inv: &Value) -> Vec<(String, String)> {
    inv["stats"]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------- bad Python

#[test]
fn python2_file_keeps_its_routes_and_warns_at_the_first_error() {
    let dir = tempfile::tempdir().unwrap();
    let src = format!(
        "{APP_HEAD}\n@app.route('/py2')\ndef py2():\n    print \"hello\"\n    return `1`\n\ntry:\n    pass\nexcept Exception, e:\n    raise ValueError, 'old'\n\n@app.route('/after')\ndef after():\n    return ur'x'\n"
    );
    write(dir.path(), "app.py", &src);
    write(
        dir.path(),
        "py3.py",
        "import sys\nprint('x')\nprint('y', file=sys.stderr)\np = print\nprint\n",
    );
    let inv = scan_json(dir.path());
    assert!(warnings(&inv, "py3.py").is_empty(), "{:?}", inv["warnings"]);
    assert_eq!(route(&inv, "/py2")["line"], 4);
    assert_eq!(route(&inv, "/after")["line"], 14);
    // tree-sitter-python accepts Python 2 syntax (print/exec statements,
    // backticks, `except E, e`), so there is no syntax error; the first
    // Python 2 statement is reported instead.
    let w = warnings(&inv, "app.py");
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, Some(6), "{w:?}");
    assert!(w[0].1.contains("Python 2"), "{w:?}");
    assert_eq!(inv["stats"]["parse_errors"], 0);
    assert_eq!(inv["stats"]["parsed_files"], 1); // the pre-filter counts files without trigger literals but does not parse them
}

#[test]
fn syntax_error_keeps_healthy_parts_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let src = format!(
        "{APP_HEAD}\n@app.route('/before')\ndef before():\n    return 'ok'\n\ndef broken(:\n    return 1 +\n\n@app.route('/later')\ndef later():\n    return 'ok'\n"
    );
    write(dir.path(), "app.py", &src);
    write(dir.path(), "other.py", "def fine():\n    return 1\n");
    let inv = scan_json(dir.path());
    assert_eq!(route(&inv, "/before")["line"], 4);
    assert!(
        rules(&inv).contains(&"/later".to_string()),
        "tree-sitter recovers after the broken def: {:?}",
        rules(&inv)
    );
    let w = warnings(&inv, "app.py");
    assert!(
        w.iter()
            .any(|(l, m)| *l == Some(8) && m.contains("syntax error")),
        "{w:?}"
    );
    assert!(warnings(&inv, "other.py").is_empty());
    assert_eq!(inv["stats"]["parse_errors"], 1);
}

#[test]
fn half_written_file_keeps_what_came_before() {
    let dir = tempfile::tempdir().unwrap();
    let src = format!(
        "{APP_HEAD}\n@app.route('/whole')\ndef whole():\n    return 'ok'\n\n@app.route('/half', methods=['GET', 'PO"
    );
    write(dir.path(), "app.py", &src);
    let inv = scan_json(dir.path());
    assert_eq!(route(&inv, "/whole")["line"], 4);
    let w = warnings(&inv, "app.py");
    assert!(
        w.iter()
            .any(|(l, m)| *l == Some(8) && m.contains("syntax error")),
        "{w:?}"
    );
    assert_eq!(inv["stats"]["lines"], 8);
}

// ---------------------------------------------------------------- encodings

#[test]
fn latin1_file_is_read_with_a_warning_at_the_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut src = b"# -*- coding: latin-1 -*-\n".to_vec();
    src.extend_from_slice(APP_HEAD.as_bytes());
    src.extend_from_slice(
        b"CAFE = 'caf\xe9'\n\n@app.route('/menu')\ndef menu():\n    return CAFE\n",
    );
    write(dir.path(), "app.py", &src);
    let inv = scan_json(dir.path());
    assert_eq!(route(&inv, "/menu")["line"], 6);
    let w = warnings(&inv, "app.py");
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].0, None);
    assert!(
        w[0].1.contains("invalid UTF-8 at line 4"),
        "warning names the line of the first bad byte: {w:?}"
    );
    assert_eq!(inv["stats"]["lines"], 8);
}

#[test]
fn utf8_bom_is_dropped_silently_and_lines_stay_right() {
    let dir = tempfile::tempdir().unwrap();
    let mut src = b"\xEF\xBB\xBF".to_vec();
    src.extend_from_slice(APP_HEAD.as_bytes());
    src.extend_from_slice(b"\n@app.route('/bom')\ndef bom():\n    return 'ok'\n");
    write(dir.path(), "app.py", &src);
    let inv = scan_json(dir.path());
    assert_eq!(route(&inv, "/bom")["line"], 4);
    assert!(warnings(&inv, "app.py").is_empty(), "{:?}", inv["warnings"]);
    assert_eq!(inv["stats"]["lines"], 6);
}

#[test]
fn invalid_utf8_bytes_are_replaced_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut src = APP_HEAD.as_bytes().to_vec();
    src.extend_from_slice(b"\n@app.route('/x\xff\xfe')\ndef x():\n    return '\xc3'\n\n@app.route('/y')\ndef y():\n    return 'ok'\n");
    write(dir.path(), "app.py", &src);
    let inv = scan_json(dir.path());
    assert_eq!(route(&inv, "/x\u{FFFD}\u{FFFD}")["line"], 4);
    assert_eq!(route(&inv, "/y")["line"], 8);
    let w = warnings(&inv, "app.py");
    assert!(
        w.iter().any(|(_, m)| m.contains("invalid UTF-8 at line 4")),
        "{w:?}"
    );
}

#[test]
fn crlf_and_lone_cr_line_endings_count_lines_right() {
    let dir = tempfile::tempdir().unwrap();
    let src = format!("{APP_HEAD}\n@app.route('/crlf')\ndef crlf():\n    return 'ok'\n")
        .replace('\n', "\r\n");
    write(dir.path(), "app.py", &src);
    let inv = scan_json(dir.path());
    assert_eq!(route(&inv, "/crlf")["line"], 4);
    assert_eq!(inv["stats"]["lines"], 6);
    assert!(warnings(&inv, "app.py").is_empty(), "{:?}", inv["warnings"]);
}

#[test]
fn tab_indentation_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let src = format!(
        "{APP_HEAD}\nif True:\n\t@app.route('/tabs')\n\tdef tabs():\n\t\tif 1:\n\t\t\treturn 'ok'\n\t\treturn 'no'\n"
    );
    write(dir.path(), "app.py", &src);
    let inv = scan_json(dir.path());
    assert_eq!(route(&inv, "/tabs")["line"], 5);
    assert_eq!(inv["stats"]["lines"], 9);
    assert!(warnings(&inv, "app.py").is_empty(), "{:?}", inv["warnings"]);
}

// ---------------------------------------------------------------- odd files

#[test]
fn file_over_the_size_limit_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = format!("{APP_HEAD}@app.route('/big')\ndef big():\n    return 1\n");
    big.push_str(&"x = 1\n".repeat(1000));
    write(dir.path(), "generated.py", &big);
    write(
        dir.path(),
        "app.py",
        format!("{APP_HEAD}@app.route('/small')\ndef small():\n    return 1\n"),
    );
    let inv = scan_json_with(dir.path(), &["--max-file-size", "1000"]);
    assert_eq!(rules(&inv), vec!["/small".to_string()]);
    let s = skipped(&inv);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].0, "generated.py");
    assert!(s[0].1.contains("size limit"), "{s:?}");
    let w = warnings(&inv, "generated.py");
    assert!(
        w.iter()
            .any(|(_, m)| m.contains("skipped") && m.contains("--max-file-size")),
        "{w:?}"
    );
    // With the default limit (2 MB) it is read.
    let inv = scan_json(dir.path());
    assert!(rules(&inv).contains(&"/big".to_string()));
}

#[test]
fn manifest_over_the_size_limit_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "requirements.txt", "flask==3.0\n".repeat(200));
    write(
        dir.path(),
        "app.py",
        format!("{APP_HEAD}@app.route('/small')\ndef small():\n    return 1\n"),
    );
    let inv = scan_json_with(dir.path(), &["--max-file-size", "1000"]);
    assert_eq!(rules(&inv), vec!["/small".to_string()]);
    let w = warnings(&inv, "requirements.txt");
    assert!(
        w.iter()
            .any(|(_, m)| m.contains("skipped") && m.contains("size limit")),
        "{w:?}"
    );
}

/// A named pipe called `app.py` would block a reader forever: it is not a
/// regular file, so it is not read (and scanning it directly is exit 2).
#[test]
fn fifo_named_py_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.py");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo (coreutils) is needed for this test");
    assert!(made.success(), "mkfifo failed");
    write(
        dir.path(),
        "app.py",
        format!("{APP_HEAD}@app.route('/ok')\ndef ok():\n    return 1\n"),
    );
    let inv = scan_json(dir.path());
    assert_eq!(rules(&inv), vec!["/ok".to_string()]);
    assert_eq!(inv["stats"]["python_files"], 1);
    let out = run(&["scan".as_ref(), fifo.as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{}", explain(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pipe.py"));
}

#[test]
fn binary_file_named_py_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\x7fELF\x02\x01\x01\0\0\0".to_vec();
    bytes.extend((0..4096u32).map(|i| (i * 31 % 256) as u8));
    write(dir.path(), "blob.py", &bytes);
    write(
        dir.path(),
        "app.py",
        format!("{APP_HEAD}@app.route('/ok')\ndef ok():\n    return 1\n"),
    );
    let inv = scan_json(dir.path());
    assert_eq!(rules(&inv), vec!["/ok".to_string()]);
    let s = skipped(&inv);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].0, "blob.py");
    assert!(s[0].1.contains("binary"), "{s:?}");
}

#[test]
fn empty_files_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pkg/__init__.py", "");
    write(dir.path(), "empty.py", "");
    write(
        dir.path(),
        "pkg/views.py",
        format!("{APP_HEAD}@app.route('/ok')\ndef ok():\n    return 1\n"),
    );
    let inv = scan_json(dir.path());
    assert_eq!(rules(&inv), vec!["/ok".to_string()]);
    assert_eq!(inv["stats"]["python_files"], 3);
    assert_eq!(inv["stats"]["parsed_files"], 2); // the pre-filter counts files without trigger literals but does not parse them
    assert_eq!(inv["warnings"].as_array().unwrap().len(), 0);
    assert_eq!(inv["stats"]["lines"], 5);
}

#[test]
fn one_megabyte_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut src = String::from(APP_HEAD);
    src.push_str("BLOB = '");
    src.push_str(&"A".repeat(1 << 20));
    src.push_str("'\nNUMS = [");
    src.push_str(&"1, ".repeat(200_000));
    src.push_str("]\n@app.route('/after-blob')\ndef after():\n    return BLOB\n");
    write(dir.path(), "app.py", &src);
    let inv = scan_json(dir.path());
    assert_eq!(route(&inv, "/after-blob")["line"], 5);
    assert_eq!(inv["stats"]["lines"], 7);
    assert!(warnings(&inv, "app.py").is_empty(), "{:?}", inv["warnings"]);
}

/// Sources nested thousands of levels deep, each with a route after it that
/// must still be found.
fn deep_sources() -> Vec<(&'static str, String)> {
    let n = 5000;
    let tail = "\n@app.route('/survived')\ndef survived():\n    return 1\n";
    let mut v = Vec::new();
    let parens = format!("x = {}1{}", "(".repeat(n), ")".repeat(n));
    v.push(("parens.py", parens));
    let lists = format!("x = {}{}", "[".repeat(n), "]".repeat(n));
    v.push(("lists.py", lists));
    let dicts = format!("x = {}1{}", "{1: ".repeat(n), "}".repeat(n));
    v.push(("dicts.py", dicts));
    let calls = format!("x = {}1{}", "f(".repeat(n), ")".repeat(n));
    v.push(("calls.py", calls));
    let route_calls = format!("x = {}1{}", "app.route(".repeat(n), ")".repeat(n));
    v.push(("route_calls.py", route_calls));
    let attrs = format!("x = a{}", ".b".repeat(50_000));
    v.push(("attrs.py", attrs));
    let subscripts = format!("x = a{}", "[0]".repeat(50_000));
    v.push(("subscripts.py", subscripts));
    let binops = format!("x = 1{}", " + 1".repeat(100_000));
    v.push(("binops.py", binops));
    let nots = format!("x = {}True", "not ".repeat(n));
    v.push(("nots.py", nots));
    let unary = format!("x = {}1", "-".repeat(50_000));
    v.push(("unary.py", unary));
    let lambdas = format!("x = {}1", "lambda: ".repeat(n));
    v.push(("lambdas.py", lambdas));
    let strings = format!("x = {}", "'s' ".repeat(100_000));
    v.push(("strings.py", strings));
    let decorators = format!(
        "{}def f():\n    pass\n",
        "@app.route('/stacked')\n".repeat(3000)
    );
    v.push(("decorators.py", decorators));
    // Indented blocks: one space more per level.
    let mut blocks = String::new();
    for i in 0..1000 {
        blocks.push_str(&" ".repeat(i));
        blocks.push_str("if x:\n");
    }
    blocks.push_str(&" ".repeat(1000));
    blocks.push_str("pass\n");
    v.push(("blocks.py", blocks));
    let mut defs = String::new();
    for i in 0..1000 {
        defs.push_str(&" ".repeat(i));
        defs.push_str(if i % 2 == 0 {
            "def f():\n"
        } else {
            "class C:\n"
        });
    }
    defs.push_str(&" ".repeat(1000));
    defs.push_str("pass\n");
    v.push(("defs.py", defs));
    v.into_iter()
        .map(|(name, body)| (name, format!("{APP_HEAD}{body}{tail}")))
        .collect()
}

fn check_deep(inv: &Value) {
    for (name, src) in deep_sources() {
        let line = src.lines().count() - 2;
        let found = inv["routes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["rule"] == "/survived" && r["file"] == name && r["line"] == line);
        assert!(found, "{name}: route after the deep nesting not found");
    }
    assert_eq!(inv["stats"]["parsed_files"], deep_sources().len());
}

#[test]
fn deeply_nested_expressions_and_decorators_do_not_overflow() {
    let dir = tempfile::tempdir().unwrap();
    for (name, src) in deep_sources() {
        write(dir.path(), name, src);
    }
    let inv = scan_json(dir.path());
    check_deep(&inv);
    let stacked = inv["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"] == "/stacked")
        .count();
    assert!(stacked >= 1, "the stacked decorators are still routes");
}

/// The same inputs with 256 KiB worker stacks (rayon's threads take
/// RUST_MIN_STACK) and a 1 MiB main stack (`ulimit -s`), far below the 2 MiB /
/// 8 MiB defaults: recursion is bounded, not lucky.
#[test]
fn deep_nesting_on_small_stacks() {
    let dir = tempfile::tempdir().unwrap();
    for (name, src) in deep_sources() {
        write(dir.path(), name, src);
    }
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -s 1024 && exec \"$0\" \"$@\"")
        .arg(bin())
        .args(["scan", "--format", "json", "--threads", "2"])
        .arg(dir.path())
        .env("RUST_MIN_STACK", "262144")
        .output()
        .expect("sh runs");
    assert_eq!(out.status.code(), Some(0), "{}", explain(&out));
    check_deep(&serde_json::from_slice(&out.stdout).expect("valid JSON"));
}

// ---------------------------------------------------------------- file system

#[test]
fn symlink_loops_terminate() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pkg/app.py",
        format!("{APP_HEAD}@app.route('/ok')\ndef ok():\n    return 1\n"),
    );
    std::os::unix::fs::symlink("..", dir.path().join("pkg/up")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("pkg/self")).unwrap();
    std::os::unix::fs::symlink("b.py", dir.path().join("a.py")).unwrap();
    std::os::unix::fs::symlink("a.py", dir.path().join("b.py")).unwrap();
    let inv = scan_json(dir.path());
    assert_eq!(rules(&inv), vec!["/ok".to_string()]);
    assert_eq!(inv["stats"]["python_files"], 1);
}

#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.py",
        format!("{APP_HEAD}@app.route('/outside')\ndef o():\n    return 1\n"),
    );
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        format!("{APP_HEAD}@app.route('/inside')\ndef i():\n    return 1\n"),
    );
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked_dir")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.py"),
        dir.path().join("linked_file.py"),
    )
    .unwrap();
    let inv = scan_json(dir.path());
    assert_eq!(rules(&inv), vec!["/inside".to_string()]);
    let text = inv.to_string();
    assert!(!text.contains("secret.py"), "{text}");
}

#[test]
fn root_given_as_a_symlink_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "real/app.py",
        format!("{APP_HEAD}@app.route('/ok')\ndef ok():\n    return 1\n"),
    );
    std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
    let inv = scan_json(&dir.path().join("link"));
    assert_eq!(rules(&inv), vec!["/ok".to_string()]);
}

/// Restores permissions on drop so the temp dir can be removed.
struct Chmod(PathBuf, u32);
impl Drop for Chmod {
    fn drop(&mut self) {
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(self.1));
    }
}

#[test]
fn unreadable_file_is_a_warning_or_read_when_permissions_do_not_bite() {
    let dir = tempfile::tempdir().unwrap();
    let locked = write(
        dir.path(),
        "locked.py",
        format!("{APP_HEAD}@app.route('/locked')\ndef l():\n    return 1\n"),
    );
    write(
        dir.path(),
        "app.py",
        format!("{APP_HEAD}@app.route('/open')\ndef o():\n    return 1\n"),
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let _restore = Chmod(locked.clone(), 0o644);
    let permissions_bite = std::fs::File::open(&locked).is_err();
    let inv = scan_json(dir.path());
    if permissions_bite {
        assert_eq!(rules(&inv), vec!["/open".to_string()]);
        let w = warnings(&inv, "locked.py");
        assert!(
            w.iter()
                .any(|(_, m)| m.contains("cannot read") && m.contains("ermission")),
            "{w:?}"
        );
    } else {
        // Running as root (or with CAP_DAC_OVERRIDE): the file is readable and read.
        eprintln!("note: chmod 000 does not stop this user; asserting the file was read");
        assert_eq!(
            rules(&inv),
            vec!["/locked".to_string(), "/open".to_string()]
        );
        assert!(warnings(&inv, "locked.py").is_empty());
    }
}

#[test]
fn unreadable_directory_is_a_warning_or_read_when_permissions_do_not_bite() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "locked/views.py",
        format!("{APP_HEAD}@app.route('/locked')\ndef l():\n    return 1\n"),
    );
    write(
        dir.path(),
        "app.py",
        format!("{APP_HEAD}@app.route('/open')\ndef o():\n    return 1\n"),
    );
    let locked = dir.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let _restore = Chmod(locked.clone(), 0o755);
    let permissions_bite = std::fs::read_dir(&locked).is_err();
    let inv = scan_json(dir.path());
    if permissions_bite {
        assert_eq!(rules(&inv), vec!["/open".to_string()]);
        let all: Vec<String> = inv["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| format!("{}: {}", w["file"], w["message"]))
            .collect();
        assert!(
            all.iter()
                .any(|w| w.contains("locked") && w.contains("ermission")),
            "{all:?}"
        );
    } else {
        eprintln!("note: chmod 000 does not stop this user; asserting the directory was read");
        assert_eq!(
            rules(&inv),
            vec!["/locked".to_string(), "/open".to_string()]
        );
    }
}

#[test]
fn path_that_does_not_exist_is_exit_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no such dir");
    let out = run(&["scan".as_ref(), missing.as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{}", explain(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no such dir"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn path_that_is_a_file_scans_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let app = write(
        dir.path(),
        "app.py",
        format!("{APP_HEAD}@app.route('/one')\ndef one():\n    return 1\n"),
    );
    write(
        dir.path(),
        "other.py",
        format!("{APP_HEAD}@app.route('/two')\ndef two():\n    return 1\n"),
    );
    let inv = scan_json(&app);
    assert_eq!(rules(&inv), vec!["/one".to_string()]);
    assert_eq!(inv["stats"]["python_files"], 1);
    assert_eq!(route(&inv, "/one")["file"], "app.py");
}

#[test]
fn empty_directory_is_exit_0_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let inv = scan_json(dir.path());
    assert_eq!(inv["stats"]["files"], 0);
    assert!(rules(&inv).is_empty());
    let text = scan_text(dir.path());
    assert!(text.contains("no Python files"), "{text}");
}

#[test]
fn repository_without_python_is_exit_0_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# hello\n");
    write(dir.path(), "src/main.rs", "fn main() {}\n");
    let inv = scan_json(dir.path());
    assert_eq!(inv["stats"]["files"], 2);
    assert_eq!(inv["stats"]["python_files"], 0);
    let text = scan_text(dir.path());
    assert!(text.contains("no Python files"), "{text}");
}

#[test]
fn repository_without_flask_is_exit_0_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "tool.py", "import sys\nprint(sys.argv)\n");
    let inv = scan_json(dir.path());
    assert_eq!(inv["frameworks"].as_array().unwrap().len(), 0);
    assert_eq!(inv["stats"]["parsed_files"], 0); // the pre-filter counts files without trigger literals but does not parse them
    let text = scan_text(dir.path());
    assert!(text.contains("no Flask or Django"), "{text}");
}

// ---------------------------------------------------------------- hostile names

#[test]
fn hostile_file_names_give_valid_json() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("{}.py", "l".repeat(250));
    let names: Vec<Vec<u8>> = vec![
        b"with space.py".to_vec(),
        b"new\nline.py".to_vec(),
        b"tab\tand \"quote\" <script>.py".to_vec(),
        b"caf\xe9 latin1.py".to_vec(),
        b"\xff\xfe.py".to_vec(),
        long.clone().into_bytes(),
    ];
    for (i, name) in names.iter().enumerate() {
        let p = dir.path().join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(
            &p,
            format!("{APP_HEAD}@app.route('/r{i}')\ndef r{i}():\n    return 1\n"),
        )
        .unwrap();
    }
    // A directory chain deeper than PATH_MAX (4096 bytes) in total.
    let mut deep = dir.path().to_path_buf();
    for _ in 0..25 {
        deep.push("d".repeat(200));
    }
    let deep_ok = std::fs::create_dir_all(&deep).is_ok()
        && std::fs::write(
            deep.join("deep.py"),
            format!("{APP_HEAD}@app.route('/deep')\ndef deep():\n    return 1\n"),
        )
        .is_ok();
    let inv = scan_json(dir.path());
    for i in 0..names.len() {
        route(&inv, &format!("/r{i}"));
    }
    let files: Vec<&str> = inv["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"new\nline.py"), "{files:?}");
    assert!(files.contains(&"caf\u{FFFD} latin1.py"), "{files:?}");
    assert!(files.contains(&long.as_str()), "{files:?}");
    if deep_ok {
        // Either read (the walker opens relative paths) or reported; never a crash.
        let read = rules(&inv).contains(&"/deep".to_string());
        let reported = inv["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.to_string().contains("deep.py"));
        assert!(read || reported, "deep.py neither read nor reported");
    } else {
        eprintln!("note: the file system refused a path over PATH_MAX; that part is not exercised");
    }
    // The text report is valid UTF-8 and keeps one warning or item per line.
    let text = scan_text(dir.path());
    assert!(
        !text.contains("\nline.py"),
        "a newline in a name forges a line: {text}"
    );
}

// ---------------------------------------------------------------- output

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn output_to_a_missing_directory_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("missing/inv.json");
    let out = run(&[
        "scan".as_ref(),
        "fixtures/flask_blueprints".as_ref(),
        "-o".as_ref(),
        target.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", explain(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inv.json"));
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn output_onto_a_directory_is_exit_2_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    let out = run(&[
        "scan".as_ref(),
        "fixtures/flask_blueprints".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        dir.path().join("taken").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", explain(&out));
    assert_eq!(leftovers(dir.path()), vec!["taken".to_string()]);
    assert!(
        std::fs::read_dir(dir.path().join("taken"))
            .unwrap()
            .next()
            .is_none()
    );
}

#[test]
fn output_under_a_regular_file_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "file", "x");
    let out = run(&[
        "scan".as_ref(),
        "fixtures/flask_blueprints".as_ref(),
        "-o".as_ref(),
        dir.path().join("file/inv.json").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", explain(&out));
    assert_eq!(leftovers(dir.path()), vec!["file".to_string()]);
}

#[test]
fn output_to_a_read_only_directory_is_exit_2_or_written_when_permissions_do_not_bite() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let _restore = Chmod(ro.clone(), 0o755);
    let permissions_bite = std::fs::write(ro.join("probe"), "x").is_err();
    let _ = std::fs::remove_file(ro.join("probe"));
    let target = ro.join("inv.json");
    let out = run(&[
        "scan".as_ref(),
        "fixtures/flask_blueprints".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        target.as_os_str(),
    ]);
    if permissions_bite {
        assert_eq!(out.status.code(), Some(2), "{}", explain(&out));
        assert!(leftovers(&ro).is_empty());
    } else {
        eprintln!("note: a read-only directory does not stop this user; asserting a whole file");
        assert_eq!(out.status.code(), Some(0), "{}", explain(&out));
        let v: Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
        assert_eq!(v["schema_version"], 1);
        assert_eq!(leftovers(&ro), vec!["inv.json".to_string()]);
    }
}

/// /dev/full accepts the open and fails every write: the error must surface
/// as exit 2, not as a truncated report and exit 0.
#[test]
fn output_to_a_full_device_is_exit_2() {
    let full = Path::new("/dev/full");
    assert!(full.exists(), "/dev/full is missing; this test needs it");
    let out = Command::new(bin())
        .args(["scan", "fixtures/flask_blueprints", "--format", "json"])
        .stdout(std::fs::OpenOptions::new().write(true).open(full).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", explain(&out));
}

/// Start-up code is interpreted, so code written to make an interpreter work
/// without end must still finish: a list doubled sixty times, a lattice of
/// forty diamonds whose method order C3 computes (once per class, not once
/// per path), and a chain of modules each importing the next.
#[test]
fn start_up_code_that_grows_without_end_still_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let mut doubling = format!("{APP_HEAD}x = [1]\n");
    for _ in 0..60 {
        doubling.push_str("x = x + x\n");
    }
    doubling.push_str("@app.route('/ok')\ndef ok():\n    return ''\n");
    write(dir.path(), "app.py", doubling);
    let mut lattice =
        String::from("from flask import Blueprint\nclass L0a: pass\nclass L0b: pass\n");
    for i in 1..40 {
        let p = i - 1;
        lattice.push_str(&format!(
            "class L{i}a(L{p}a, L{p}b): pass\nclass L{i}b(L{p}a, L{p}b): pass\n"
        ));
    }
    lattice.push_str("class Top(L39a, L39b, Blueprint):\n    pass\nbp = Top('top', __name__)\n");
    write(dir.path(), "lattice.py", lattice);
    for i in 0..200 {
        let next = i + 1;
        write(
            dir.path(),
            &format!("chain{i}.py"),
            format!("from flask import Flask\nfrom chain{next} import *\nv{i} = 1\n"),
        );
    }
    let inv = scan_json(dir.path());
    assert!(
        rules(&inv).contains(&"/ok".to_string()),
        "{:?}",
        rules(&inv)
    );
}

/// Data files the start-up code reads (`open()`, `yaml.safe_load`) are read
/// only inside the scanned root: not through `..` above it, not through a
/// symlink out of it, not from a FIFO (which would never end); a YAML file of
/// nested aliases (billions of nodes once expanded) is not loaded. Each makes
/// the rule unknown, and the scan ends with the rest of its output.
#[cfg(unix)]
#[test]
fn data_files_are_read_only_inside_the_root_and_within_bounds() {
    let outer = tempfile::tempdir().unwrap();
    write(outer.path(), "conf.yaml", "prefix: outside\n");
    let root = outer.path().join("repo");
    write(&root, "conf.yaml", "prefix: inside\n");
    write(&root, "data/real.yaml", "prefix: real\n");
    std::os::unix::fs::symlink(outer.path().join("conf.yaml"), root.join("data/link.yaml"))
        .unwrap();
    let fifo = root.join("data/fifo.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..25 {
        let prev = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{prev}"); 10].join(", ")
        ));
    }
    bomb.push_str("prefix: bomb\n");
    write(&root, "data/bomb.yaml", bomb);
    write(
        &root,
        "app.py",
        r#"from pathlib import Path

import yaml
from flask import Flask

HERE = Path(__file__).parent
app = Flask(__name__)


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)["prefix"]


@app.route("/" + load(HERE / "data" / "real.yaml"))
def real():
    return "ok"


@app.route("/" + load(HERE.parent / "conf.yaml"))
def above():
    return "no"


@app.route("/" + load(HERE / "data" / "link.yaml"))
def linked():
    return "no"


@app.route("/" + load(HERE / "data" / "fifo.yaml"))
def fifo():
    return "no"


@app.route("/" + load(HERE / "data" / "bomb.yaml"))
def bomb():
    return "no"
"#,
    );
    let inv = scan_json(&root);
    let routes = inv["routes"].as_array().unwrap();
    let resolved: Vec<&str> = routes
        .iter()
        .filter(|r| r["resolved"] == true && r["kind"] != "static")
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(resolved, ["/real"], "{inv:#}");
    assert_eq!(
        routes.iter().filter(|r| r["resolved"] == false).count(),
        4,
        "{inv:#}"
    );
}

/// `import pkg.sub` runs `pkg/__init__.py` before `pkg/sub.py`, as Python
/// does: both register into the same list, read afterwards.
#[test]
fn importing_a_submodule_runs_its_package_first() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "registry.py", "PREFIXES = []\n");
    write(
        dir.path(),
        "pkg/__init__.py",
        "import registry\n\nregistry.PREFIXES.append(\"/p\")\n",
    );
    write(
        dir.path(),
        "pkg/sub.py",
        "import registry\n\nregistry.PREFIXES.append(\"/s\")\n",
    );
    write(
        dir.path(),
        "app.py",
        r#"import pkg.sub
from flask import Flask
from registry import PREFIXES

app = Flask(__name__)


def view():
    return "ok"


for prefix in PREFIXES:
    app.add_url_rule(prefix, prefix.strip("/"), view)
"#,
    );
    let inv = scan_json(dir.path());
    assert_eq!(rules(&inv), ["/p", "/s"], "{inv:#}");
}

/// A settings module whose top level calls code (django-split-settings'
/// `include("components/base.py")` runs another file into its globals) may
/// define any name: `getattr(settings, NAME, default)` of a name it does not
/// assign is not known, rather than the default. Without the call, or when
/// the only calls change a list (`NEW_MIDDLEWARE.append(m)` in a loop), the
/// default is the answer, as Django gives it.
#[test]
fn settings_with_a_top_level_call_may_define_any_name() {
    let include = "from split_settings.tools import include\n\ninclude(\"components/base.py\")\n";
    let list_loop = "NEW = []\nfor m in [\"a\", \"b\"]:\n    NEW.append(m)\n    if m == \"a\":\n        NEW.insert(0, \"z\")\n";
    for (top, expected) in [
        (include, None),
        ("", Some("default/x/")),
        (list_loop, Some("default/x/")),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\n",
        );
        write(dir.path(), "proj/__init__.py", "");
        write(
            dir.path(),
            "proj/settings.py",
            format!("{top}ROOT_URLCONF = \"proj.urls\"\nINSTALLED_APPS = []\n"),
        );
        write(
            dir.path(),
            "proj/urls.py",
            r#"from django.conf import settings
from django.urls import path


def view(request):
    pass


prefix = getattr(settings, "API_PREFIX", "default/")
urlpatterns = [path(prefix + "x/", view)]
"#,
        );
        let inv = scan_json(dir.path());
        let resolved: Vec<&str> = inv["routes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["resolved"] == true)
            .map(|r| r["rule"].as_str().unwrap())
            .collect();
        assert_eq!(
            resolved,
            expected.into_iter().collect::<Vec<_>>(),
            "settings start {top:?}: {inv:#}"
        );
    }
}
