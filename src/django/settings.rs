//! Settings discovery: `DJANGO_SETTINGS_MODULE` from manage.py / wsgi.py / asgi.py
//! (or any module that sets it), else the settings-looking module that defines
//! `ROOT_URLCONF`; split settings packages work through `from .base import *`.

use super::builtins::Django;
use crate::python::Project;
use crate::python::interp::{Cx, Env, Interpreter, Val, catches_import_error, missing_module, ops};
use crate::python::ir::{Call, Expr, Import, ImportName, Stmt, is_except, walk_stmts};
use crate::python::modules::absolute_import;
use std::rc::Rc;

pub struct Settings {
    pub module: Option<String>,
    pub env: Rc<Env>,
}

/// A default of `django.conf.global_settings` (see `global_settings.rs`).
pub enum Default {
    Str(&'static str),
    Int(i64),
    Bool(bool),
    None,
    List(&'static [&'static str]),
    Tuple(&'static [&'static str]),
    /// A value this table does not hold (a dict, a callable, a lazy string).
    Other,
}

/// Django's default for a setting it defines: `Some(Unknown)` for one whose
/// value the table does not hold, `None` for a name Django does not define.
pub fn global_default(name: &str) -> Option<Val> {
    let strs = |v: &[&str]| v.iter().map(|s| Val::Str(s.to_string())).collect();
    let i = super::global_settings::GLOBAL_SETTINGS
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()?;
    Some(match &super::global_settings::GLOBAL_SETTINGS[i].1 {
        Default::Str(s) => Val::Str(s.to_string()),
        Default::Int(n) => Val::Int(*n),
        Default::Bool(b) => Val::Bool(*b),
        Default::None => Val::None,
        Default::List(v) => Val::List(strs(v)),
        Default::Tuple(v) => Val::Tuple(strs(v)),
        Default::Other => Val::Unknown(format!("Django's default {name}")),
    })
}

/// Whether every name the settings module defines is seen: its top level (and
/// that of the scanned modules it star-imports) only assigns, defines and
/// imports, star-importing nothing outside the scanned code (a module missing
/// from a scanned package under `try`/`except ImportError` adds nothing). A call statement
/// (django-split-settings' `include("base.py")`, `globals().update(...)`,
/// `exec(...)`) may define any name, unless it only changes a list. Only then
/// is a name it lacks known to be missing.
fn complete(project: &Project, module: &str, depth: usize) -> bool {
    let Some(m) = project.module(module) else {
        return false;
    };
    if depth > 8 {
        return false;
    }
    let mut ok = true;
    // `try: from .local import * / except ImportError: pass` with no such module in
    // the scanned package: Python raises ImportError there, the import adds no name
    // (the interpreter's `run_try` runs it so)
    let mut failing: Vec<&Stmt> = Vec::new();
    walk_stmts(&m.body, |s, scope| {
        if !scope.is_empty() {
            return; // inside a function or class
        }
        match s {
            Stmt::Block(b) if ops::is_try(b) && b[1..].iter().any(handles_import_error) => {
                if let Some(Stmt::Block(body)) = b.first() {
                    failing.extend(body.iter().filter(|st| {
                        let Stmt::Import(i, _) = st else { return false };
                        let sources: Vec<String> = star_sources(m, i).collect();
                        !sources.is_empty()
                            && sources
                                .iter()
                                .all(|a| missing_module(project, a) == Some(true))
                    }));
                }
            }
            Stmt::Import(..) if failing.iter().any(|f| std::ptr::eq(*f, s)) => {}
            Stmt::Import(i, _) => {
                for abs in star_sources(m, i) {
                    ok &= complete(project, &abs, depth + 1);
                }
            }
            Stmt::Expr(Expr::Call(c), _) if !changes_a_list(c) => ok = false,
            _ => {}
        }
    });
    ok
}

/// An `except` clause of a `try` block that catches `ImportError`.
fn handles_import_error(alt: &Stmt) -> bool {
    matches!(alt, Stmt::Block(h)
        if matches!(h.first(), Some(Stmt::Guard(Some(Expr::Other(t)))) if is_except(t) && catches_import_error(t)))
}

/// django-split-settings' `include()` and `optional()`.
const SPLIT_SETTINGS_INCLUDE: &str = "split_settings.tools.include";
pub const SPLIT_SETTINGS_OPTIONAL: &str = "split_settings.tools.optional";

/// The modules whose files django-split-settings' `include("base.py", "components/*.py",
/// optional(...))` runs, in order: each argument a glob relative to the including file's folder.
/// The library takes a glob's matches in the file system's order, which a scan cannot know;
/// here they are sorted. It runs them in the caller's globals, taken from the caller's frame,
/// which is why the library is named here: the interpreter models no frames. What matches no
/// scanned file (an absolute path, a deployment's local settings) is skipped, as the library
/// skips an `optional()` one; a path not known is too.
pub fn included_files(cx: &Cx, canonical: &str, c: &Call) -> Option<Vec<String>> {
    if canonical != SPLIT_SETTINGS_INCLUDE {
        return None;
    }
    let folder = crate::python::interp::parent_path(&cx.source().path);
    let mut out = Vec::new();
    for v in cx.positional(c).unwrap_or_default() {
        let Some(pattern) = v
            .as_str()
            .and_then(|p| crate::python::interp::join_path(&folder, p))
        else {
            continue;
        };
        // the library's glob is not recursive: `**` is `*`, within one folder
        let mut pattern = pattern;
        while pattern.contains("**") {
            pattern = pattern.replace("**", "*");
        }
        let Ok(glob) = globset::GlobBuilder::new(&pattern)
            .literal_separator(true)
            .build()
        else {
            continue;
        };
        let matcher = glob.compile_matcher();
        let mut matched: Vec<_> = (cx.project().files.iter())
            .filter(|f| matcher.is_match(&f.path))
            .collect();
        matched.sort_by(|a, b| a.path.cmp(&b.path));
        for f in matched {
            if !out.contains(&f.module) {
                out.push(f.module.clone());
            }
        }
    }
    Some(out)
}

/// `NAMES.append(x)` and the like: a list's method defines no name.
fn changes_a_list(c: &crate::python::ir::Call) -> bool {
    matches!(&c.func, Expr::Attr(base, m)
        if matches!(&**base, Expr::Name(_))
            && matches!(&**m, "append" | "extend" | "insert" | "remove"))
}

/// Module named by `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...")`.
fn declared(project: &Project) -> Vec<(u8, String)> {
    use rayon::prelude::*;
    // Every statement of every file: worth the worker threads on a large tree.
    let mut found: Vec<(u8, String)> = project
        .files
        .par_iter()
        .flat_map_iter(|f| declared_in(project, f))
        .collect();
    found.sort();
    found
}

fn declared_in(project: &Project, f: &crate::python::SourceModule) -> Vec<(u8, String)> {
    let mut found = Vec::new();
    // a string, or a module constant naming one (`os.environ[...] = SETTINGS_DOTPATH`)
    let text = |e: &Expr| -> Option<String> {
        if let Some(s) = e.as_str() {
            return Some(s.to_string());
        }
        let canonical = project.resolver.resolve(&f.module, &e.dotted()?);
        let (module, name) = canonical.rsplit_once('.')?;
        assigned(project, module, name)??.as_str().map(String::from)
    };
    let file = f.path.rsplit('/').next().unwrap_or(&f.path);
    let rank = match file {
        "manage.py" => 0,
        "wsgi.py" | "asgi.py" => 1,
        "celery.py" | "celery_app.py" => 2,
        _ => 3,
    };
    walk_stmts(&f.body, |s, _| {
        let exprs: Vec<&Expr> = match s {
            Stmt::Expr(e, _) => vec![e],
            Stmt::Assign {
                targets,
                value: Some(v),
                ..
            } => {
                // os.environ["DJANGO_SETTINGS_MODULE"] = "x"
                if let Some(Expr::Subscript(_, k)) = targets.first()
                    && k.as_str() == Some("DJANGO_SETTINGS_MODULE")
                    && let Some(val) = text(v)
                {
                    found.push((rank, val));
                }
                vec![v]
            }
            _ => vec![],
        };
        for e in exprs {
            let mut calls = Vec::new();
            e.walk_calls(&mut calls);
            for c in calls {
                if c.func.last_name() == Some("setdefault")
                    && c.args.first().and_then(|a| a.as_str()) == Some("DJANGO_SETTINGS_MODULE")
                    && let Some(v) = c.args.get(1).and_then(&text)
                {
                    found.push((rank, v));
                }
            }
        }
    });
    found
}

/// Whether `module` assigns `name` at module level (under `if`/`try` too).
fn defines(project: &Project, module: &str, name: &str) -> bool {
    assigned(project, module, name).is_some()
}

/// A value `module` assigns to `name` at module level (top-level statements
/// before those under `if`/`try`); `Some(None)` for a bare annotation.
fn assigned<'p>(project: &'p Project, module: &str, name: &str) -> Option<Option<&'p Expr>> {
    let m = project.module(module)?;
    let mut stack: Vec<&[Stmt]> = vec![&m.body];
    while let Some(body) = stack.pop() {
        for s in body {
            match s {
                Stmt::Assign { targets, value, .. }
                    if targets.iter().any(|t| t.as_name() == Some(name)) =>
                {
                    return Some(value.as_ref());
                }
                Stmt::Block(b) => stack.push(b),
                _ => {}
            }
        }
    }
    None
}

/// A settings file of a project template (`django-admin startproject
/// --template`, shipped by libraries): `ROOT_URLCONF = "{{ project_name }}.urls"`
/// is a placeholder, never a project's own settings.
fn is_template(project: &Project, module: &str) -> bool {
    matches!(
        assigned(project, module, "ROOT_URLCONF"),
        Some(Some(Expr::Str(s))) if s.contains("{{")
    )
}

/// Whether `module` sets `name`, itself or through its `from x import *`
/// chain (split settings: `from .base import *`).
fn sets(project: &Project, module: &str, name: &str, depth: usize) -> bool {
    defines(project, module, name)
        || depth < 6
            && star_imported(project, module)
                .iter()
                .any(|m| sets(project, m, name, depth + 1))
}

/// The modules `module`'s top level star-imports (`from .base import *`).
fn star_imported(project: &Project, module: &str) -> Vec<String> {
    let Some(m) = project.module(module) else {
        return Vec::new();
    };
    m.body
        .iter()
        .flat_map(|s| match s {
            Stmt::Import(import, _) => star_sources(m, import).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// The modules an import statement of `m` star-imports (`from .base import *`), absolute.
fn star_sources<'a>(
    m: &'a crate::python::SourceModule,
    import: &'a Import,
) -> impl Iterator<Item = String> + 'a {
    import.names().filter_map(move |n| match n {
        ImportName::From {
            module: from,
            level,
            name: "*",
            ..
        } => Some(absolute_import(&m.module, m.is_package, level, from)),
        _ => None,
    })
}

/// Whether `module` star-imports `other`, directly or through modules it star-imports.
fn star_imports(project: &Project, module: &str, other: &str, depth: usize) -> bool {
    depth < 6
        && star_imported(project, module)
            .iter()
            .any(|m| m == other || star_imports(project, m, other, depth + 1))
}

pub fn discover(project: &Project) -> Option<String> {
    // Declared modules, best first: manage.py's, then wsgi/asgi's, ... A
    // declaration that configures nothing (an empty package set in a
    // fallback branch, a Sphinx conf.py's docs settings) yields to a
    // settings module that does.
    let mut declared: Vec<String> = declared(project)
        .into_iter()
        .map(|(_, m)| m)
        .filter(|m| project.module(m).is_some())
        .collect();
    // Of two declared modules where one star-imports the other (a game's settings over the
    // framework's defaults, a fallback for tests), the one that extends the other is the
    // project's: it holds all the other sets and what it changes.
    let extended: Vec<String> = declared
        .iter()
        .filter(|b| {
            declared
                .iter()
                .any(|a| a != *b && star_imports(project, a, b, 0))
        })
        .cloned()
        .collect();
    declared.retain(|m| !extended.contains(m));
    if let Some(m) = declared
        .iter()
        .find(|m| sets(project, m, "ROOT_URLCONF", 0))
    {
        return Some(m.clone());
    }
    // Fallback: a module called settings (or in a settings package) with ROOT_URLCONF.
    let mut cands: Vec<&str> = project
        .files
        .iter()
        .map(|f| f.module.as_str())
        .filter(|m| {
            let parts: Vec<&str> = m.split('.').collect();
            parts.contains(&"settings")
                && !parts.iter().any(|p| p.starts_with("test"))
                && (defines(project, m, "ROOT_URLCONF") || defines(project, m, "INSTALLED_APPS"))
                && !is_template(project, m)
        })
        .collect();
    cands.sort_by_key(|m| {
        (
            !defines(project, m, "ROOT_URLCONF"),
            m.split('.').count(),
            m.to_string(),
        )
    });
    if let Some(m) = cands
        .first()
        .filter(|m| defines(project, m, "ROOT_URLCONF"))
    {
        return Some(m.to_string());
    }
    declared
        .iter()
        .find(|m| sets(project, m, "INSTALLED_APPS", 0))
        .or(declared.first())
        .cloned()
        .or_else(|| cands.first().map(|s| s.to_string()))
}

pub fn load(project: &Project, ev: &Interpreter, dj: &Django) -> Settings {
    let module = discover(project);
    let mut env = module
        .as_deref()
        .and_then(|m| ev.env(m))
        .unwrap_or_default();
    if module.is_some() {
        let defaults = appconf_defaults(project, ev);
        if !defaults.is_empty() {
            let e = Rc::make_mut(&mut env);
            for (name, v) in defaults {
                e.entry(name).or_insert(v);
            }
        }
    }
    *dj.settings.borrow_mut() = env.clone();
    dj.settings_complete
        .set(module.as_deref().is_some_and(|m| complete(project, m, 0)));
    Settings { module, env }
}

/// The settings a django-appconf class declares (`class XConf(AppConf): NAME = value`, with
/// `Meta.prefix`): django-appconf's metaclass, outside the scanned code, sets
/// `<PREFIX>_<NAME>` on Django's settings for every upper-case attribute the project's settings
/// lack (Askbot's URL prefixes). Without `Meta.prefix` (or `app_label`) the prefix is the name
/// of the package holding the class's module. Values are the class attributes as evaluated.
fn appconf_defaults(project: &Project, ev: &Interpreter) -> Vec<(String, Val)> {
    const APPCONF: &[&str] = &["appconf.AppConf", "appconf.base.AppConf"];
    let mut out = Vec::new();
    for m in &project.files {
        for s in &m.body {
            let Stmt::Class(c) = s else { continue };
            // a base named `appconf.AppConf` under whatever import (classes deriving from a
            // project's own AppConf subclass are not followed)
            let direct = c.bases.iter().any(|b| {
                b.dotted().is_some_and(|d| {
                    APPCONF.contains(&project.resolver.resolve(&m.module, &d).as_str())
                })
            });
            if !direct {
                continue;
            }
            let canonical = format!("{}.{}", m.module, c.name);
            let meta = |k: &str| {
                c.inner_class("Meta")
                    .and_then(|meta| meta.attr(k))
                    .and_then(|e| e.as_str())
                    .map(String::from)
            };
            let Some(prefix) = meta("prefix")
                .or_else(|| meta("app_label"))
                .or_else(|| m.module.rsplit('.').nth(1).map(String::from))
            else {
                continue;
            };
            let names: Vec<&str> = c
                .assignments()
                .map(|(n, _, _, _)| n)
                // Python's `str.isupper()`, as django-appconf tests the names
                .filter(|n| {
                    n.chars().any(|ch| ch.is_ascii_uppercase())
                        && !n.chars().any(|ch| ch.is_ascii_lowercase())
                })
                .collect();
            ev.in_module(&m.module, |cx| {
                for n in names {
                    let name = format!("{}_{n}", prefix.to_uppercase());
                    out.push((name, cx.class_attr(&canonical, n)));
                }
            });
        }
    }
    out
}

impl Settings {
    pub fn get(&self, name: &str) -> Option<&Val> {
        self.env.get(name)
    }
    pub fn str(&self, name: &str) -> Option<String> {
        self.get(name).and_then(|v| v.as_str().map(String::from))
    }
}
