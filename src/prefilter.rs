//! The pre-filter: a byte-level check that decides whether a Python file is
//! parsed at all, and whether the call-site queries run over its tree.
//!
//! Parsing is most of a scan's cost, and most files of a web project declare
//! nothing a migration inventory needs. A file is parsed when
//! - its bytes contain one of [`TRIGGERS`] (one aho-corasick pass), or
//! - its path is one the extractors find by convention ([`ALWAYS_NAMES`],
//!   [`ALWAYS_DIRS`]: `__init__.py`, settings, urls, models, apps, ...), or
//! - a parsed file imports it or names it in a string (`from .views import bp`,
//!   `include("app.urls")`, `DJANGO_SETTINGS_MODULE = "proj.settings"`): the
//!   closure in [`referenced_modules`], so name resolution through re-exports
//!   and base classes defined elsewhere see the same modules as without the filter.
//!
//! Lines are still counted for every file. `crossport scan --no-prefilter`
//! parses everything; the two inventories must be identical apart from `stats`
//! (see tests/bench/README.md, "accuracy check").
//!
//! **Every extractor must add its trigger literals here**: a literal that
//! appears in every file whose contents can change that extractor's output
//! (a decorator, base class, call or setting name it matches on). When in
//! doubt, add the literal: a superfluous one costs a little speed, a missing
//! one loses facts silently.

use crate::python::SourceModule;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

/// Literals (case-sensitive) whose presence makes a file worth parsing,
/// grouped by the extractor that needs them. Substrings match: `route` also
/// matches `add_route`, `Model` matches `BaseModel` and `ModelAdmin`. These
/// also keep a function body that names one (`python::elide`); the literals
/// of what is only ever declared at module or class level are in
/// [`DECLARATION_TRIGGERS`].
pub const TRIGGERS: &[&str] = &[
    // Frameworks: any file that mentions Flask matters (few in Django projects).
    // Django imports are in nearly every file of a Django project, so Django
    // files are caught by what they declare instead.
    "flask",
    "Flask",
    "werkzeug",
    // Routes: Flask decorators and add_url_rule, blueprints (and
    // register_blueprint), class views, flask-restful/restx resources and
    // namespaces (Django's are in DECLARATION_TRIGGERS). Views referenced from
    // those files and modules named in include("...") come in through the closure.
    "route",
    "url_rule",
    // URL converters a project registers (`app.url_map.converters[...]`).
    "url_map",
    "Blueprint",
    "blueprint",
    "MethodView",
    "Resource",
    "Namespace",
    // Connexion apps and the APIs they load from a specification.
    "connexion",
    "add_api",
    // Background jobs: Celery, RQ, Dramatiq, Huey, APScheduler, django-q,
    // django-tasks, beat schedules, management and Flask CLI commands.
    "task",
    "Task",
    "celery",
    "Celery",
    "job",
    "Job",
    "enqueue",
    "huey",
    "schedul",
    "SCHEDULE",
    "cron",
    // Click commands registered later with `app.cli.add_command(cmd)`, often inside an
    // `init_app(app)` body.
    "add_command",
    // Templates.
    "render",
    "template",
    "TemplateResponse",
    // Admin (Django admin, Flask-Admin).
    "admin",
    "Admin",
    // Settings and configuration (settings modules also match by path;
    // DJANGO_SETTINGS_MODULE is often set inside manage.py's main()).
    "SETTINGS",
    ".config",
    "Config",
    "init_app",
    // Signal receivers and connect() calls, SQLAlchemy event listeners.
    "receiver",
    "connect(",
    "listen",
    // Call sites (see QUERY_TRIGGERS, which must be a subset of these).
    "objects",
    "url_for",
];

/// Trigger literals of what is declared only at module or class level (models,
/// auth decorators, mixins and settings, form, serializer and schema classes,
/// management commands, settings names), or built in function bodies only
/// the URL interpreter runs, which reads such bodies again (`python::lazy`):
/// they make a file worth parsing, but not a function body. Checked by
/// comparing inventories with and without body elision over the benchmark
/// corpus, the accuracy apps' whole site-packages and the fixtures.
pub const DECLARATION_TRIGGERS: &[&str] = &[
    // Framework detection without a manifest: the first file importing
    // Django is the evidence (Flask's name is a trigger already).
    "django",
    // Django URLconfs and DRF routers, also modules only a plugin hook
    // reaches (`import_module(f"{app.name}.plugins")` names no module statically).
    "urlpatterns",
    "url_patterns",
    "django.urls",
    "conf.urls",
    "Router",
    "router",
    // Models: Django (models.Model, custom bases named *Model*, fields as
    // models.X, Meta options), SQLAlchemy (db.Model, Column, mapped_column,
    // declarative bases, relationship, Table); the extractors read classes
    // at module and class level only. Bases defined in other modules come in
    // through the closure.
    "Model",
    "models.",
    "class Meta",
    "Column",
    "mapped_column",
    "Mapped",
    "declarative",
    "relationship",
    "Table(",
    // Read at module or class level only: signal definitions, SQLAlchemy
    // validators (a method decorator), template classes.
    "validates",
    "Signal",
    "Template",
    // Auth: decorators, mixins, DRF classes, Flask-Login/JWT/HTTPAuth/Principal,
    // AUTH_USER_MODEL / AUTHENTICATION_BACKENDS.
    "login",
    "Login",
    "permission",
    "Permission",
    "authentication",
    "Authentication",
    "AUTH",
    "jwt",
    "JWT",
    "verify_password",
    "verify_token",
    "user_loader",
    "request_loader",
    "Principal",
    // Management commands; Dramatiq's decorator (as a substring, "actor" is
    // mostly "factory" and "extractor", so it does not keep bodies).
    "BaseCommand",
    "command",
    "actor",
    // Forms, serializers and schemas.
    "Form",
    "forms.",
    "Serializer",
    "Schema",
    // Migrations (Django migration files are counted unread, see `unread`).
    "Migration",
    "alembic",
    // Settings.
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "ROOT_URLCONF",
    "DATABASE",
    "SECRET_KEY",
    "SQLALCHEMY",
    "create_app",
];

/// File names that are always parsed: packages (re-exports matter for name
/// resolution) and modules that Django, Celery or WSGI servers load by
/// convention rather than by import.
pub const ALWAYS_NAMES: &[&str] = &[
    "__init__.py",
    "manage.py",
    "wsgi.py",
    "asgi.py",
    "app.py",
    "apps.py",
    "models.py",
    "admin.py",
    "urls.py",
    "views.py",
    "forms.py",
    "tasks.py",
    "signals.py",
    "celery.py",
    "celery_app.py",
    "conftest.py",
    "setup.py",
];

/// Any file under a directory with one of these names is always parsed.
pub const ALWAYS_DIRS: &[&str] = &["settings", "commands", "config", "conf"];

/// Literals that every call site the tree-sitter queries in `queries/` can match
/// contains: a file with none of them cannot produce a call site, so the query
/// pass is skipped for it. `query_triggers_cover_queries` checks this list
/// against the queries' `#eq?`/`#any-of?` names.
pub const QUERY_TRIGGERS: &[&str] = &[
    "objects",
    "render",
    "TemplateResponse",
    "template",
    "url_for",
];

static TRIGGER_AC: LazyLock<AhoCorasick> =
    LazyLock::new(|| build(TRIGGERS.iter().chain(DECLARATION_TRIGGERS)));
static QUERY_AC: LazyLock<AhoCorasick> = LazyLock::new(|| build(QUERY_TRIGGERS));

/// One automaton over `lits`, reporting whether any occurs.
pub fn build<I, P>(lits: I) -> AhoCorasick
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .kind(Some(AhoCorasickKind::DFA))
        .build(lits)
        .expect("pre-filter literals compile")
}

/// Whether the file at root-relative `rel` with contents `bytes` must be parsed.
pub fn wants(rel: &str, bytes: &[u8]) -> bool {
    always(rel) || TRIGGER_AC.is_match(bytes)
}

/// Where [`QUERY_TRIGGERS`] occur in `bytes`, in order.
pub fn query_trigger_matches(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    QUERY_AC.find_iter(bytes).map(|m| m.range())
}

/// Whether the call-site queries can match anything in `bytes`.
pub fn wants_queries(bytes: &[u8]) -> bool {
    QUERY_AC.is_match(bytes)
}

fn always(rel: &str) -> bool {
    let mut parts = rel.rsplit('/');
    let name = parts.next().unwrap_or(rel);
    if ALWAYS_NAMES.contains(&name) || name.starts_with("settings") || name.starts_with("urls") {
        return true;
    }
    parts.any(|d| ALWAYS_DIRS.contains(&d))
}

/// Files among `candidates` (module number -> caller's index) that the parsed
/// `files` import (any prefix of an imported path that is a module) or name in
/// a string literal (`"app.urls"`, `"proj.settings"`).
pub fn referenced_modules<'a>(
    files: impl Iterator<Item = &'a SourceModule>,
    candidates: &HashMap<u32, usize>,
) -> HashSet<usize> {
    files
        .flat_map(|f| f.refs.iter())
        .filter_map(|r| candidates.get(&r.id).copied())
        .collect()
}

/// The absolute module paths named by a file's module-level `import x.y` and
/// `from x import y` lines (each name also as `x.y`, which may be a module),
/// found without parsing; an import split over lines yields its first line.
pub fn imported_modules<'a>(
    bytes: &'a [u8],
    module: &'a str,
    is_package: bool,
) -> impl Iterator<Item = String> + 'a {
    bytes.split(|&b| b == b'\n').flat_map(move |line| {
        let line = std::str::from_utf8(line).unwrap_or("").trim_end();
        let mut out = Vec::new();
        if let Some(rest) = line.strip_prefix("import ") {
            for part in rest.split(',') {
                let path = part.split_whitespace().next().unwrap_or("");
                out.push(path.to_string());
            }
        } else if let Some(rest) = line.strip_prefix("from ") {
            let mut words = rest.split_whitespace();
            let from = words.next().unwrap_or("");
            let level = from.len() - from.trim_start_matches('.').len();
            let base = crate::python::modules::absolute_import(
                module,
                is_package,
                level as u32,
                from.trim_start_matches('.'),
            );
            if words.next() == Some("import") {
                let names: String = words.collect::<Vec<_>>().join(" ");
                for name in names.trim_matches(['(', ')', '\\']).split(',') {
                    let name = name.split_whitespace().next().unwrap_or("");
                    if !name.is_empty() && name != "*" && !base.is_empty() {
                        out.push(format!("{base}.{name}"));
                    }
                }
            }
            out.push(base);
        }
        out.into_iter().filter(|p| !p.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn always_parsed_paths() {
        assert!(wants("pkg/__init__.py", b""));
        assert!(wants("proj/settings/base.py", b"X = 1"));
        assert!(wants("proj/settings_prod.py", b"X = 1"));
        assert!(wants("app/management/commands/run.py", b"x = 1"));
        assert!(!wants("app/util.py", b"def f(x):\n    return x + 1\n"));
        assert!(wants("app/util.py", b"@bp.route('/')\ndef f(): pass\n"));
        assert!(wants("app/util.py", b"class A(BaseModel):\n    pass\n"));
    }

    #[test]
    fn module_level_imports_found_without_parsing() {
        let text = b"import os, pa.web as w\nfrom . import run\nfrom ..core import (a, b)\n    import nested\n";
        let found: Vec<String> = imported_modules(text, "pa.sub.cli", false).collect();
        assert_eq!(
            found,
            [
                "os",
                "pa.web",
                "pa.sub.run",
                "pa.sub",
                "pa.core.a",
                "pa.core.b",
                "pa.core"
            ]
        );
    }

    /// Every callee name the queries match must contain a QUERY_TRIGGERS literal.
    #[test]
    fn query_triggers_cover_queries() {
        for (file, text) in crate::python::queries::QUERY_FILES {
            for line in text.lines() {
                let line = line.trim();
                if !(line.starts_with("(#eq?") || line.starts_with("(#any-of?")) {
                    continue;
                }
                for (i, s) in line.split('"').enumerate() {
                    if i % 2 == 1 {
                        assert!(
                            wants_queries(s.as_bytes()),
                            "{file}: query name {s:?} has no literal in QUERY_TRIGGERS"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn query_trigger_literals_are_triggers() {
        // A file with a call site must also be parsed at all.
        for q in QUERY_TRIGGERS {
            let sample = format!("x = {q}");
            assert!(wants("a/b.py", sample.as_bytes()), "{q}");
        }
    }
}
