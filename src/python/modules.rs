//! Python module names from file paths, the way the import system would see them.
//!
//! A file's module name is the chain of enclosing directories that are packages
//! (contain `__init__.py`), so `src/` layouts and nested projects work without
//! configuration. When the scanned root is itself a package (scanning
//! `site-packages/ihatemoney`), its own name starts the chain.

use super::SourceModule;
use super::ir::ImportName;
use rustc_hash::FxHashSet as HashSet;

/// `rel_paths` are root-relative with `/` separators; `root_name` is the scanned
/// directory's own name, used when the root holds an `__init__.py`. `roots`
/// are directories that are import roots although packages (`script_roots`):
/// the chain of packages stops there.
/// `namespaces` are directories without `__init__.py` that the code imports
/// as packages (`namespace_dirs`).
pub fn module_names(
    rel_paths: &[String],
    root_name: &str,
    roots: &[String],
    namespaces: &[String],
) -> Vec<String> {
    let packages: HashSet<&str> = rel_paths
        .iter()
        .filter_map(|p| {
            if p == "__init__.py" {
                Some("")
            } else {
                p.strip_suffix("/__init__.py")
            }
        })
        .chain(namespaces.iter().map(String::as_str))
        .collect();
    rel_paths
        .iter()
        .map(|p| module_name(p, &packages, root_name, roots))
        .collect()
}

/// Directories without `__init__.py` that the code imports as namespace
/// packages (PEP 420): `cryptoadvance/` holding the packages `specter` and
/// `spectrum`, imported as `cryptoadvance.specter.server`. Python finds such a
/// directory as a package when its parent is on `sys.path`, and its packages
/// as top-level ones when the directory itself is: the code's absolute imports
/// say which (`from cryptoadvance.specter import x`, `import
/// cryptoadvance.specter`). A directory counts when it is no package's part, holds a package,
/// and one of the first files inside it (shallowest first) imports through it.
/// The scanned root (`""`, named `root_name`) counts too: `site-packages/ara`
/// has no `__init__.py`, and its packages import each other as `ara.api`.
pub fn namespace_dirs(
    rel_paths: &[String],
    root_name: &str,
    roots: &[String],
    read: impl Fn(&str) -> Option<Vec<u8>>,
) -> Vec<String> {
    /// Files read per directory at most: the evidence is in most of them.
    const MAX_READ: usize = 64;
    let packages: HashSet<&str> = rel_paths
        .iter()
        .filter_map(|p| p.strip_suffix("/__init__.py"))
        .collect();
    let is_identifier = |n: &str| {
        n.bytes().next().is_some_and(|b| !b.is_ascii_digit())
            && n.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric())
    };
    fn name_of<'a>(dir: &'a str, root_name: &'a str) -> &'a str {
        if dir.is_empty() {
            root_name
        } else {
            dir.rsplit('/').next().unwrap_or(dir)
        }
    }
    // A root that is a package is none, nor one holding a folder or module
    // of its own name: with the root on `sys.path`, `root_name.x` is inside it.
    let root_excluded = rel_paths.iter().any(|p| {
        p == "__init__.py"
            || p.strip_suffix(".py") == Some(root_name)
            || p.strip_prefix(root_name)
                .is_some_and(|r| r.starts_with('/'))
    });
    // directory -> the packages it holds
    let mut candidates: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for pkg in &packages {
        let (dir, child) = pkg.rsplit_once('/').unwrap_or(("", pkg));
        // a package's part, or a root that is no namespace
        let ruled_out = if dir.is_empty() {
            root_excluded
        } else {
            std::iter::successors(Some(dir), |d| d.rsplit_once('/').map(|(p, _)| p))
                .any(|d| packages.contains(d))
        };
        if is_identifier(name_of(dir, root_name)) && !ruled_out && !roots.iter().any(|r| r == dir) {
            candidates.entry(dir).or_default().push(child);
        }
    }
    let mut found = Vec::new();
    for (dir, children) in candidates {
        let name = name_of(dir, root_name);
        let needles: Vec<String> = children.iter().map(|c| format!("{name}.{c}")).collect();
        let finders: Vec<memchr::memmem::Finder> = needles
            .iter()
            .map(|n| memchr::memmem::Finder::new(n.as_bytes()))
            .collect();
        let mut files: Vec<&String> = rel_paths
            .iter()
            .filter(|p| dir.is_empty() || p.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
            .collect();
        files.sort_by_key(|p| (p.matches('/').count(), p.as_str()));
        let imports_through = |src: &[u8]| {
            finders.iter().any(|f| {
                f.find_iter(src).any(|at| {
                    let line = &src[src[..at]
                        .iter()
                        .rposition(|b| *b == b'\n')
                        .map_or(0, |n| n + 1)..at];
                    let after = src.get(at + f.needle().len());
                    // the whole name (`x.spectre` is not `x.spec`), in an import
                    // statement (`from x.spec import y`, `import x.spec`), not a
                    // comment or a string
                    after.is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                        && matches!(line.trim_ascii_start(), b"from " | b"import ")
                })
            })
        };
        if files
            .into_iter()
            .take(MAX_READ)
            .any(|p| read(p).is_some_and(|src| imports_through(&src)))
        {
            found.push(dir.to_string());
        }
    }
    found
}

/// Directories the project runs from although they are packages themselves:
/// Python puts a script's directory on `sys.path`, so a `manage.py` beside an
/// `__init__.py` whose `DJANGO_SETTINGS_MODULE` names a package next to it
/// (label-studio's `label_studio/manage.py` sets `core.settings.label_studio`)
/// imports that directory's packages as top-level ones (`core`, `tasks`),
/// and Django names the apps, models and views that way. `read` returns a
/// file's bytes by root-relative path; only such `manage.py` files are read.
pub fn script_roots(rel_paths: &[String], read: impl Fn(&str) -> Option<Vec<u8>>) -> Vec<String> {
    let present: HashSet<&str> = rel_paths.iter().map(String::as_str).collect();
    let mut roots = Vec::new();
    for p in rel_paths {
        let dir = match p.strip_suffix("manage.py") {
            Some("") => "",
            Some(d) if d.ends_with('/') => &d[..d.len() - 1],
            _ => continue,
        };
        let within = |rest: &str| {
            if dir.is_empty() {
                rest.to_string()
            } else {
                format!("{dir}/{rest}")
            }
        };
        if !present.contains(within("__init__.py").as_str()) {
            continue;
        }
        let Some(settings) = read(p).as_deref().and_then(settings_module) else {
            continue;
        };
        let first = settings.split('.').next().unwrap_or_default();
        let own_name = dir.rsplit('/').next().unwrap_or_default();
        let beside = present.contains(within(&format!("{first}/__init__.py")).as_str());
        // `pkg/manage.py` naming `pkg.settings` with no inner `pkg/pkg/`: the
        // settings are the outer package's own, run from the directory above.
        // With an inner `pkg/pkg/` (what `startproject` makes, plus an
        // `__init__.py` beside manage.py), Python finds the inner one first.
        if beside || first != own_name && present.contains(within(&format!("{first}.py")).as_str())
        {
            roots.push(dir.to_string());
        }
    }
    roots
}

/// The module a script sets `DJANGO_SETTINGS_MODULE` to: the string literal
/// that follows the name (`os.environ.setdefault("DJANGO_SETTINGS_MODULE",
/// "x.settings")`, `os.environ["DJANGO_SETTINGS_MODULE"] = "x.settings"`),
/// at the first mention that has one (not a comment or an `os.environ.get`).
fn settings_module(src: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"DJANGO_SETTINGS_MODULE";
    memchr::memmem::find_iter(src, KEY).find_map(|at| {
        let rest = &src[at + KEY.len()..];
        // The key's own closing quote, then `, ` or `] = ` (also across lines).
        let rest = rest
            .strip_prefix(b"'")
            .or_else(|| rest.strip_prefix(b"\""))
            .unwrap_or(rest);
        let skip = rest.iter().position(|b| !b" \t\r\n,]=".contains(b))?;
        let quote = rest[skip];
        if quote != b'\'' && quote != b'"' {
            return None;
        }
        let body = &rest[skip + 1..];
        let value = std::str::from_utf8(&body[..body.iter().position(|&b| b == quote)?]).ok()?;
        let dotted = !value.is_empty()
            && value.split('.').all(|p| {
                !p.is_empty() && p.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric())
            });
        dotted.then(|| value.to_string())
    })
}

/// Module names and their aliases with `roots` as import roots, less any
/// root that would give two files one name (two `manage.py` packages that
/// both hold a `core`, or a `core` that is also top-level): roots are taken
/// in order, each kept only if the names stay distinct with it. The aliases
/// are the names the same modules have when no root is an import root
/// (`label_studio.core.urls` for `core.urls`), since code may import either:
/// pairs of (other name, name), for the modules whose names differ.
pub fn names_with_roots(
    rel_paths: &[String],
    root_name: &str,
    roots: &[String],
    namespaces: &[String],
) -> (Vec<String>, Vec<(String, String)>) {
    let distinct = |names: &[String]| names.iter().collect::<HashSet<_>>().len();
    let plain = module_names(rel_paths, root_name, &[], namespaces);
    let mut kept: Vec<String> = Vec::new();
    let mut rooted = plain.clone();
    for r in roots {
        kept.push(r.clone());
        let names = rooted_names(rel_paths, root_name, &kept, namespaces);
        if distinct(&names) < distinct(&plain) {
            kept.pop();
        } else {
            rooted = names;
        }
    }
    if kept.is_empty() {
        return (plain, Vec::new());
    }
    let aliases = plain
        .into_iter()
        .zip(&rooted)
        .filter(|(long, short)| long != *short)
        .map(|(long, short)| (long, short.clone()))
        .collect();
    (rooted, aliases)
}

/// Module names with `roots` as import roots.
fn rooted_names(
    rel_paths: &[String],
    root_name: &str,
    roots: &[String],
    namespaces: &[String],
) -> Vec<String> {
    let mut rooted = module_names(rel_paths, root_name, roots, namespaces);
    // A root's own `__init__.py` is shadowed by a package of the same name
    // inside the root (`mysite/__init__.py` beside `mysite/mysite/`): with the
    // root on `sys.path`, `import mysite` finds the inner one, and the outer
    // file is never imported as `mysite`.
    let inner: HashSet<String> = rel_paths
        .iter()
        .zip(&rooted)
        .filter(|(p, _)| !roots.iter().any(|r| **p == format!("{r}/__init__.py")))
        .map(|(_, n)| n.clone())
        .collect();
    for (p, n) in rel_paths.iter().zip(rooted.iter_mut()) {
        if roots.iter().any(|r| *p == format!("{r}/__init__.py")) && inner.contains(n.as_str()) {
            n.push_str(".__init__");
        }
    }
    rooted
}

fn module_name(rel: &str, packages: &HashSet<&str>, root_name: &str, roots: &[String]) -> String {
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
    // A root's own `__init__.py` is still the package its parent imports.
    let own_init = is_package_file(rel);
    let is_root = |len: usize| {
        !(own_init && len == dirs.len() - 1) && roots.iter().any(|r| *r == dirs[..len].join("/"))
    };
    let mut first_pkg_dir = dirs.len() - 1; // index into `dirs` of the top package dir
    while first_pkg_dir > 0
        && !is_root(first_pkg_dir)
        && (is_package(first_pkg_dir) || (0..first_pkg_dir).any(is_package))
    {
        first_pkg_dir -= 1;
    }
    let mut name: Vec<&str> = parts[first_pkg_dir.min(parts.len())..].to_vec();
    if first_pkg_dir == 0 && packages.contains("") && !root_name.is_empty() && !is_root(0) {
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

/// The local name an import binds and the absolute path it binds it to.
pub fn import_target(module: &SourceModule, n: ImportName) -> Option<(String, String)> {
    match n {
        ImportName::Module {
            path,
            alias: Some(a),
        } => Some((a.to_string(), path.to_string())),
        ImportName::Module { path, alias: None } => {
            let head = path.split('.').next()?.to_string();
            Some((head.clone(), head))
        }
        ImportName::From { name: "*", .. } => None,
        ImportName::From {
            module: m,
            level,
            name,
            alias,
        } => {
            let abs = absolute_import(&module.module, module.is_package, level, m);
            let target = if abs.is_empty() {
                name.to_string()
            } else {
                format!("{abs}.{name}")
            };
            Some((alias.unwrap_or(name).to_string(), target))
        }
    }
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
        module_names(&v, root, &[], &[])
    }

    /// byro 2023.1.0 scanned as `site-packages/byro`: its app `byro/common/` has no
    /// `__init__.py`, so Python imports it as the namespace portion `byro.common` of the
    /// root package (Django loads `byro.common.models` from it), not as top-level modules.
    #[test]
    fn a_folder_without_init_in_a_root_package_is_part_of_it() {
        let n = names(
            &[
                "__init__.py",
                "common/apps.py",
                "common/models/__init__.py",
                "common/models/log.py",
            ],
            "byro",
        );
        assert_eq!(
            n,
            [
                "byro",
                "byro.common.apps",
                "byro.common.models",
                "byro.common.models.log"
            ]
        );
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
    fn manage_py_beside_its_settings_package_is_an_import_root() {
        let paths: Vec<String> = [
            "app/__init__.py",
            "app/manage.py",
            "app/core/__init__.py",
            "app/core/settings.py",
            "app/tasks/models.py",
            "other/__init__.py",
            "other/manage.py",
            "other/settings.py",
            "env/__init__.py",
            "env/manage.py",
            "env/core/__init__.py",
        ]
        .map(String::from)
        .to_vec();
        let read = |p: &str| {
            Some(match p {
                "app/manage.py" => {
                    b"os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')".to_vec()
                }
                // settings under the package's own name: run from the directory above
                "other/manage.py" => {
                    b"os.environ['DJANGO_SETTINGS_MODULE'] = \"other.settings\"".to_vec()
                }
                // no literal value
                "env/manage.py" => {
                    b"s = os.getenv('DJANGO_SETTINGS_MODULE', None)\nx = 'core.x'".to_vec()
                }
                _ => return None,
            })
        };
        let roots = script_roots(&paths, read);
        assert_eq!(roots, ["app"]);
        let n = module_names(&paths, "repo", &roots, &[]);
        assert_eq!(
            n[..5],
            ["app", "manage", "core", "core.settings", "tasks.models"]
        );
        assert_eq!(n[6], "other.manage");
        let (_, aliases) = names_with_roots(&paths, "repo", &roots, &[]);
        assert!(aliases.contains(&("app.core.settings".into(), "core.settings".into())));
        assert!(!aliases.iter().any(|(a, _)| a == "app"));
    }

    /// `startproject site` leaves `site/manage.py` and `site/site/settings.py`;
    /// with an `__init__.py` beside manage.py too, Python still finds the
    /// inner package first, since the script's directory is on `sys.path`.
    #[test]
    fn manage_py_beside_an_inner_package_of_its_own_name() {
        let paths: Vec<String> = [
            "site/__init__.py",
            "site/manage.py",
            "site/site/__init__.py",
            "site/site/settings.py",
            "blog/__init__.py",
        ]
        .map(String::from)
        .to_vec();
        let read = |p: &str| {
            (p == "site/manage.py").then(|| {
                b"os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')".to_vec()
            })
        };
        let roots = script_roots(&paths, read);
        assert_eq!(roots, ["site"]);
        let (names, _) = names_with_roots(&paths, "repo", &roots, &[]);
        assert_eq!(
            names,
            ["site.__init__", "manage", "site", "site.settings", "blog"]
        );
    }

    #[test]
    fn settings_module_takes_the_first_mention_with_a_value() {
        let src = b"# DJANGO_SETTINGS_MODULE is set below\nif not os.environ.get('DJANGO_SETTINGS_MODULE'):\n    os.environ.setdefault(\n        'DJANGO_SETTINGS_MODULE',\n        'core.settings',\n    )\n";
        assert_eq!(settings_module(src).as_deref(), Some("core.settings"));
        assert_eq!(
            settings_module(b"os.environ['DJANGO_SETTINGS_MODULE'] = \"a.b\""),
            Some("a.b".into())
        );
        assert_eq!(
            settings_module(b"os.getenv('DJANGO_SETTINGS_MODULE', None)"),
            None
        );
    }

    #[test]
    fn namespace_directories_need_an_import_through_them() {
        let paths: Vec<String> = [
            "ns/app/__init__.py",
            "ns/app/views.py",
            "ns/ext/__init__.py",
            "plain/pkg/__init__.py",
            "plain/pkg/mod.py",
            "nsx/lib/__init__.py",
        ]
        .map(String::from)
        .to_vec();
        let read = |p: &str| {
            Some(
                match p {
                    "ns/app/views.py" => "from ns.ext import x\n",
                    "plain/pkg/mod.py" => {
                        "from pkg import y  # not \"plain.pkg\"\nx = 'plain.pkg'\n"
                    }
                    // a longer name is another package
                    "nsx/lib/__init__.py" => "import nsx.library\n",
                    _ => "",
                }
                .as_bytes()
                .to_vec(),
            )
        };
        assert_eq!(namespace_dirs(&paths, "repo", &[], read), ["ns"]);
        let names = module_names(&paths, "repo", &[], &["ns".to_string()]);
        assert_eq!(names[1], "ns.app.views");
        assert_eq!(names[4], "pkg.mod");
    }

    /// The scanned root itself (`site-packages/ara`) is a namespace package
    /// when its packages import each other through its name; not when it
    /// holds a package of its own name, which `ara.x` would name instead.
    #[test]
    fn the_scanned_root_is_a_namespace_package_when_imported_through() {
        let paths: Vec<String> = ["api/__init__.py", "api/views.py", "server/__init__.py"]
            .map(String::from)
            .to_vec();
        let read = |p: &str| (p == "api/views.py").then(|| b"from ara.server import x\n".to_vec());
        assert_eq!(namespace_dirs(&paths, "ara", &[], read), [""]);
        let names = module_names(&paths, "ara", &[], &[String::new()]);
        assert_eq!(names, ["ara.api", "ara.api.views", "ara.server"]);
        // imported through another name, or shadowed by an inner `ara/`
        assert!(namespace_dirs(&paths, "other", &[], read).is_empty());
        let mut shadowed = paths.clone();
        shadowed.push("ara/__init__.py".into());
        assert!(namespace_dirs(&shadowed, "ara", &[], read).is_empty());
    }

    #[test]
    fn roots_that_would_merge_two_modules_are_not_used() {
        let paths: Vec<String> = [
            "a/__init__.py",
            "a/manage.py",
            "a/core/__init__.py",
            "core/__init__.py",
        ]
        .map(String::from)
        .to_vec();
        let (names, aliases) = names_with_roots(&paths, "repo", &["a".to_string()], &[]);
        assert_eq!(names, ["a", "a.manage", "a.core", "core"]);
        assert!(aliases.is_empty());
        // only the root that merges is dropped: `b` stays one
        let paths: Vec<String> = [
            "a/__init__.py",
            "a/manage.py",
            "a/core/__init__.py",
            "b/__init__.py",
            "b/manage.py",
            "b/web/__init__.py",
            "core/__init__.py",
        ]
        .map(String::from)
        .to_vec();
        let roots = ["a".to_string(), "b".to_string()];
        let (names, _) = names_with_roots(&paths, "repo", &roots, &[]);
        assert_eq!(
            names,
            ["a", "a.manage", "a.core", "b", "manage", "web", "core"]
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
