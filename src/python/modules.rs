//! Python module names from file paths, the way the import system would see them.
//!
//! A file's module name is the chain of enclosing directories that are packages
//! (contain `__init__.py`), so `src/` layouts and nested projects work without
//! configuration. When the scanned root is itself a package (scanning
//! `site-packages/ihatemoney`), its own name starts the chain.

use rustc_hash::FxHashSet as HashSet;

/// `rel_paths` are root-relative with `/` separators; `root_name` is the scanned
/// directory's own name, used when the root holds an `__init__.py`.
pub fn module_names(rel_paths: &[String], root_name: &str) -> Vec<String> {
    let packages: HashSet<&str> = rel_paths
        .iter()
        .filter_map(|p| {
            if p == "__init__.py" {
                Some("")
            } else {
                p.strip_suffix("/__init__.py")
            }
        })
        .collect();
    rel_paths
        .iter()
        .map(|p| module_name(p, &packages, root_name))
        .collect()
}

fn module_name(rel: &str, packages: &HashSet<&str>, root_name: &str) -> String {
    let stem = rel.strip_suffix(".py").unwrap_or(rel);
    let mut parts: Vec<&str> = stem.split('/').collect();
    if parts.last() == Some(&"__init__") {
        parts.pop();
    }
    // Walk up from the file's directory while each directory is a package,
    // or a directory without `__init__.py` inside one (a namespace portion,
    // importable as `pkg.dir.module`, not as a top-level `module`).
    let dirs: Vec<&str> = rel.split('/').collect();
    let is_package = |len: usize| packages.contains(dirs[..len].join("/").as_str());
    let mut first_pkg_dir = dirs.len() - 1; // index into `dirs` of the top package dir
    while first_pkg_dir > 0 && (is_package(first_pkg_dir) || (1..first_pkg_dir).any(is_package)) {
        first_pkg_dir -= 1;
    }
    let mut name: Vec<&str> = parts[first_pkg_dir.min(parts.len())..].to_vec();
    if first_pkg_dir == 0 && packages.contains("") && !root_name.is_empty() {
        name.insert(0, root_name);
    }
    if name.is_empty() {
        return root_name.to_string();
    }
    name.join(".")
}

/// Whether a root-relative path is a package's `__init__.py`.
pub fn is_package_file(path: &str) -> bool {
    path == "__init__.py" || path.ends_with("/__init__.py")
}

/// The absolute module a relative import names: `from ..x import y` in `a.b.c`.
pub fn absolute_import(current: &str, is_package: bool, level: u32, module: &str) -> String {
    if level == 0 {
        return module.to_string();
    }
    let mut parts: Vec<&str> = current.split('.').collect();
    // In a package's __init__, `.` is the package itself.
    let drop = if is_package { level - 1 } else { level } as usize;
    parts.truncate(parts.len().saturating_sub(drop));
    let base = parts.join(".");
    match (base.is_empty(), module.is_empty()) {
        (true, _) => module.to_string(),
        (false, true) => base,
        (false, false) => format!("{base}.{module}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(paths: &[&str], root: &str) -> Vec<String> {
        let v: Vec<String> = paths.iter().map(|s| s.to_string()).collect();
        module_names(&v, root)
    }

    #[test]
    fn packages_src_layout_and_scripts() {
        let n = names(
            &[
                "manage.py",
                "src/pkg/__init__.py",
                "src/pkg/views.py",
                "src/pkg/sub/__init__.py",
                "src/pkg/sub/m.py",
                "scripts/x.py",
            ],
            "repo",
        );
        assert_eq!(
            n,
            ["manage", "pkg", "pkg.views", "pkg.sub", "pkg.sub.m", "x"]
        );
    }

    #[test]
    fn root_package_keeps_its_name() {
        let n = names(
            &["__init__.py", "models.py", "api/__init__.py", "api/v.py"],
            "ihatemoney",
        );
        assert_eq!(
            n,
            [
                "ihatemoney",
                "ihatemoney.models",
                "ihatemoney.api",
                "ihatemoney.api.v"
            ]
        );
    }

    #[test]
    fn directories_without_init_inside_a_package() {
        let n = names(
            &[
                "pkg/__init__.py",
                "pkg/serializers/json.py",
                "tools/json.py",
            ],
            "repo",
        );
        assert_eq!(n, ["pkg", "pkg.serializers.json", "json"]);
    }

    #[test]
    fn relative_imports() {
        assert_eq!(absolute_import("a.b.c", false, 1, "d"), "a.b.d");
        assert_eq!(absolute_import("a.b.c", false, 2, ""), "a");
        assert_eq!(absolute_import("a.b", true, 1, "views"), "a.b.views");
        assert_eq!(absolute_import("a", false, 0, "flask"), "flask");
    }
}
