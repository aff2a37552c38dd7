//! Folders a project puts on `sys.path` itself, at import time: a package
//! that appends its own folder (`sys.path.append(os.path.dirname(__file__))`)
//! so that its sub-packages import as top-level ones, or settings that insert
//! an `apps` folder. Python then knows those modules by the shorter names, and
//! so do the names the code uses for them (`ROOT_URLCONF = "core.urls"`).
//!
//! Module names are fixed before the scan parses anything, so the few files
//! that can do this (scripts, package `__init__.py` files, settings and WSGI
//! modules) are read first and their top level evaluated for the path
//! arithmetic of `os.path` and `pathlib` on `__file__`; anything else (the
//! working directory, an environment variable) is not known and adds nothing.

use super::interp::{join_path, parent_path};
use super::ir::{Expr, ImportName, Stmt, walk_stmts};
use super::{lower, parse};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// The root-relative folders (`""`: the scanned root) that the code of
/// `rel_paths` adds to `sys.path` and that hold Python files; `read` returns
/// a file's bytes by root-relative path.
pub fn roots(rel_paths: &[String], read: impl Fn(&str) -> Option<Vec<u8>>) -> Vec<String> {
    let present: HashSet<&str> = rel_paths.iter().map(String::as_str).collect();
    let packages: HashSet<&str> = rel_paths
        .iter()
        .filter_map(|p| p.strip_suffix("__init__.py"))
        .map(|d| d.trim_end_matches('/'))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for p in rel_paths {
        let file = p.rsplit('/').next().unwrap_or(p);
        let candidate = !packages.contains(folder(p))
            || file == "__init__.py"
            || file.starts_with("settings")
            || folder(p).ends_with("settings")
            || matches!(file, "manage.py" | "wsgi.py" | "asgi.py");
        if !candidate {
            continue;
        }
        let Some(src) = read(p) else { continue };
        if memchr::memmem::find(&src, b"sys.path").is_none()
            && memchr::memmem::find(&src, b"addsitedir").is_none()
        {
            continue;
        }
        let (dirs, names) = added(p, &src);
        for dir in dirs {
            // Python names a module by how it is imported: the folder is a
            // root only if this module names something in it by the short
            // name (`DJANGO_SETTINGS_MODULE = "core.settings"`, `import core`)
            let within = |rest: &str| {
                if dir.is_empty() {
                    rest.to_string()
                } else {
                    format!("{dir}/{rest}")
                }
            };
            let short = names.iter().any(|n| {
                let first = n.split('.').next().unwrap_or_default();
                !first.is_empty()
                    && (present.contains(within(&format!("{first}/__init__.py")).as_str())
                        || present.contains(within(&format!("{first}.py")).as_str()))
            });
            if short && !dir.starts_with("..") && !out.contains(&dir) {
                out.push(dir);
            }
        }
    }
    out.sort();
    out
}

/// The folder holding the root-relative file `p`.
fn folder(p: &str) -> &str {
    p.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The folders the module at `path` adds to `sys.path` at its top level,
/// and the dotted names its top level imports absolutely or writes as
/// strings.
fn added(path: &str, src: &[u8]) -> (Vec<String>, Vec<String>) {
    let Some(tree) = parse::parse(src) else {
        return (Vec::new(), Vec::new());
    };
    let body = lower::Lowerer::new(src, None).module(tree.root_node());
    let mut env: HashMap<String, String> = HashMap::default();
    let mut out = Vec::new();
    let mut names = Vec::new();
    walk_stmts(&body, |s, scope| {
        if !scope.is_empty() {
            return;
        }
        match s {
            Stmt::Import(import, _) => {
                for n in import.names() {
                    match n {
                        ImportName::Module { path, .. } => names.push(path.to_string()),
                        ImportName::From {
                            module, level: 0, ..
                        } => names.push(module.to_string()),
                        ImportName::From { .. } => {}
                    }
                }
            }
            Stmt::Assign { value: Some(v), .. } | Stmt::Expr(v, _) => strings(v, &mut names, 0),
            _ => {}
        }
        match s {
            Stmt::Assign {
                targets,
                value: Some(v),
                ..
            } => {
                for t in targets {
                    if let Expr::Name(n) = t {
                        match path_of(v, &env, path) {
                            Some(p) => env.insert(n.to_string(), p),
                            None => env.remove(n.as_str()),
                        };
                    }
                }
            }
            Stmt::Expr(Expr::Call(c), _) => {
                let arg = match c.func.dotted().as_deref() {
                    Some("sys.path.append") => c.args.first(),
                    Some("sys.path.insert") => c.args.get(1),
                    Some(f) if f.ends_with("addsitedir") => c.args.first(),
                    _ => None,
                };
                if let Some(dir) = arg.and_then(|a| path_of(a, &env, path)) {
                    out.push(dir);
                }
            }
            _ => {}
        }
    });
    (out, names)
}

/// The string literals of an expression (in lists, calls, dicts, `+`).
fn strings(e: &Expr, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    match e {
        Expr::Str(s) => out.push(s.to_string()),
        Expr::List(v) | Expr::Tuple(v) => v.iter().for_each(|x| strings(x, out, depth + 1)),
        Expr::Dict(kv) => kv.iter().for_each(|(_, x)| strings(x, out, depth + 1)),
        Expr::Call(c) => c
            .args
            .iter()
            .chain(c.kwargs.iter().map(|(_, x)| x))
            .for_each(|x| strings(x, out, depth + 1)),
        Expr::BinOp(l, _, r) => {
            strings(l, out, depth + 1);
            strings(r, out, depth + 1);
        }
        _ => {}
    }
}

/// The root-relative path an expression computes from `__file__` (of the
/// module at `file`) with `os.path` and `pathlib`, if that is all it uses.
fn path_of(e: &Expr, env: &HashMap<String, String>, file: &str) -> Option<String> {
    let path = |e: &Expr| path_of(e, env, file);
    match e {
        Expr::Name(n) if n.as_str() == "__file__" => Some(file.to_string()),
        Expr::Name(n) => env.get(n.as_str()).cloned(),
        Expr::Attr(base, a) if a.as_str() == "parent" => Some(parent_path(&path(base)?)),
        Expr::BinOp(l, op, r) if *op == "/" => match &**r {
            Expr::Str(s) => join_path(&path(l)?, s),
            _ => None,
        },
        Expr::Call(c) => {
            let name = c.func.last_name()?;
            let arg0 = c.args.first();
            match (&c.func, name) {
                // methods of a path: `.resolve()`, `.absolute()`, `.joinpath("x")`
                (Expr::Attr(base, _), "resolve" | "absolute") if c.args.is_empty() => path(base),
                (Expr::Attr(base, _), "joinpath") => join_all(path(base)?, &c.args),
                (_, "dirname") if c.args.len() == 1 => Some(parent_path(&path(arg0?)?)),
                (
                    _,
                    "abspath" | "realpath" | "normpath" | "Path" | "PurePath" | "str" | "fspath",
                ) if c.args.len() == 1 => path(arg0?),
                (_, "join") => join_all(path(arg0?)?, &c.args[1..]),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `base` joined with literal parts.
fn join_all(base: String, parts: &[Expr]) -> Option<String> {
    parts.iter().try_fold(base, |acc, p| match p {
        Expr::Str(s) => join_path(&acc, s),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::roots;

    fn roots_of(files: &[(&str, &str)]) -> Vec<String> {
        let rels: Vec<String> = files.iter().map(|(p, _)| p.to_string()).collect();
        roots(&rels, |p| {
            files
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(_, s)| s.as_bytes().to_vec())
        })
    }

    #[test]
    fn folders_added_from_file_paths() {
        let got = roots_of(&[
            (
                "tool/__init__.py",
                "import os, sys\nfrom pathlib import Path\nHERE = Path(__file__).resolve().parent\nsys.path.append(str(HERE))\nos.environ['DJANGO_SETTINGS_MODULE'] = 'core.settings'\n",
            ),
            ("tool/core/__init__.py", ""),
            (
                "site/settings.py",
                "import os, sys\nBASE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nsys.path.insert(0, os.path.join(BASE, 'apps'))\nINSTALLED_APPS = ['blog']\n",
            ),
            ("apps/blog/__init__.py", ""),
            // added, but the code names its modules by the long name only
            (
                "other_settings.py",
                "import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), 'lib'))\nINSTALLED_APPS = ['lib.shop']\n",
            ),
            ("lib/__init__.py", ""),
            ("lib/shop/__init__.py", ""),
            // from the working directory or the environment: not known
            (
                "run.py",
                "import os, sys\nsys.path.insert(0, os.getcwd())\nsys.path.append(os.environ['X'])\nsys.path.append('lib')\n",
            ),
            // inside a function: not at import time
            (
                "other/__init__.py",
                "import sys, os\ndef setup():\n    sys.path.append(os.path.dirname(__file__))\n",
            ),
            // a folder holding no Python file
            (
                "cli.py",
                "import sys\nfrom pathlib import Path\nsys.path.insert(0, str(Path(__file__).parent / 'vendor'))\n",
            ),
        ]);
        assert_eq!(got, ["apps", "tool"]);
    }
}
