//! Applications inside one repository (a monorepo): each is found by its root, the folder Python
//! starts it from, and is scanned and planned as a repository of its own.
//!
//! A root is
//! - the folder of a `manage.py` that mentions Django (manage.py puts its folder on `sys.path`);
//! - the import root of a Django settings module (`settings.py`, or a module in a `settings/`
//!   package, that assigns `INSTALLED_APPS`);
//! - the import root of a module that imports Flask and calls `Flask(...)`.
//!
//! The import root of a file is the first folder above it that is not a package (has no
//! `__init__.py`). Roots nested inside another root belong to it (scanning the outer folder reads
//! them anyway), so only the outermost are kept. Test, documentation, example and project-template
//! folders are not looked at: their apps are samples, not services.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Folders whose apps are samples or fixtures, never a deployed application.
const SAMPLE_DIRS: &[&str] = &[
    "tests",
    "test",
    "testing",
    "docs",
    "doc",
    "examples",
    "example",
    "samples",
    "benchmarks",
    "project_template",
    "app_template",
];

/// Files above this size are generated or vendored; an app factory is never one of them.
const MAX_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRoot {
    /// Relative to the repository, `/`-separated; `.` for the repository itself.
    pub rel: String,
    pub path: PathBuf,
    /// `django`, `flask`, or `django+flask` when both start from the same folder.
    pub kind: String,
    /// The file that made it a root (repository-relative).
    pub evidence: String,
}

/// The application roots of `repo`, outermost only, sorted by path. Fewer than two means the
/// repository is one application (scan it as a whole).
pub fn application_roots(repo: &Path) -> Vec<AppRoot> {
    let mut found: BTreeMap<PathBuf, (Vec<&'static str>, String)> = BTreeMap::new();
    let walker = ignore::WalkBuilder::new(repo)
        .follow_links(false)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| {
            crate::walk::descend(e)
                && (e.depth() == 0
                    || !SAMPLE_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        })
        .build();
    for entry in walker.flatten() {
        let path = entry.path();
        if !entry.file_type().is_some_and(|t| t.is_file())
            || path.extension().is_none_or(|e| e != "py")
            || entry.metadata().is_ok_and(|m| m.len() > MAX_BYTES)
        {
            continue;
        }
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy();
        let dir = path.parent().unwrap_or(repo);
        let in_settings_pkg = dir.file_name().is_some_and(|d| d == "settings");
        let (kind, root) = if name == "manage.py" && contains(&bytes, b"django") {
            ("django", dir.to_path_buf())
        } else if (name == "settings.py" || in_settings_pkg) && contains(&bytes, b"INSTALLED_APPS")
        {
            ("django", import_root(dir, repo))
        } else if builds_flask_app(&bytes) {
            ("flask", import_root(dir, repo))
        } else {
            continue;
        };
        let rel = rel_of(path, repo);
        let e = found.entry(root).or_insert_with(|| (Vec::new(), rel));
        if !e.0.contains(&kind) {
            e.0.push(kind);
        }
    }
    // Outermost roots only: BTreeMap order puts a parent before everything inside it.
    let mut roots: Vec<AppRoot> = Vec::new();
    for (path, (mut kinds, evidence)) in found {
        if roots.iter().any(|r| path.starts_with(&r.path)) {
            continue;
        }
        kinds.sort_unstable();
        roots.push(AppRoot {
            rel: rel_of(&path, repo),
            path,
            kind: kinds.join("+"),
            evidence,
        });
    }
    roots
}

fn rel_of(path: &Path, repo: &Path) -> String {
    let r = path
        .strip_prefix(repo)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    if r.is_empty() { ".".into() } else { r }
}

/// The first folder at or above `dir` (but not above `repo`) without an `__init__.py`.
fn import_root(dir: &Path, repo: &Path) -> PathBuf {
    let mut d = dir;
    while d != repo && d.join("__init__.py").is_file() {
        match d.parent() {
            Some(p) if p.starts_with(repo) => d = p,
            _ => break,
        }
    }
    d.to_path_buf()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// Imports Flask and calls the `Flask` class (not `MyFlask(`, not a string mentioning it).
fn builds_flask_app(src: &[u8]) -> bool {
    if !(contains(src, b"from flask import") || contains(src, b"import flask")) {
        return false;
    }
    memchr::memmem::find_iter(src, b"Flask(").any(|i| {
        i == 0 || {
            let c = src[i - 1];
            !(c.is_ascii_alphanumeric() || c == b'_' || c == b'"' || c == b'\'')
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, body: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }

    #[test]
    fn services_in_their_own_folders_are_separate_roots() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(r, "billing/manage.py", "import django\n");
        write(r, "billing/site/__init__.py", "");
        write(r, "billing/site/settings.py", "INSTALLED_APPS = []\n");
        write(
            r,
            "notify/app.py",
            "from flask import Flask\napp = Flask(__name__)\n",
        );
        write(
            r,
            "shared/svc/__init__.py",
            "import flask\napp = flask.Flask('x')\n",
        );
        write(
            r,
            "docs/example.py",
            "from flask import Flask\nFlask(__name__)\n",
        );
        write(
            r,
            "notify/tests/app.py",
            "from flask import Flask\nFlask(__name__)\n",
        );
        let roots = application_roots(r);
        let got: Vec<(&str, &str)> = roots
            .iter()
            .map(|a| (a.rel.as_str(), a.kind.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("billing", "django"),
                ("notify", "flask"),
                ("shared", "flask")
            ]
        );
    }

    #[test]
    fn one_application_with_packages_is_one_root() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(
            r,
            "shop/__init__.py",
            "from flask import Flask\ndef create():\n    return Flask(__name__)\n",
        );
        write(
            r,
            "admin/__init__.py",
            "from flask import Flask\nMyFlask(1)\n",
        );
        write(r, "wsgi.py", "from shop import create\napp = create()\n");
        let roots = application_roots(r);
        assert_eq!(roots.len(), 1, "{roots:?}");
        assert_eq!(roots[0].rel, ".");
    }

    #[test]
    fn nested_roots_belong_to_the_outer_one() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(r, "manage.py", "import django\n");
        write(
            r,
            "tools/dash/app.py",
            "from flask import Flask\nFlask(__name__)\n",
        );
        let roots = application_roots(r);
        assert_eq!(roots.len(), 1);
        assert_eq!(
            (roots[0].rel.as_str(), roots[0].kind.as_str()),
            (".", "django")
        );
    }
}
