//! Declared dependencies (requirements*.txt, pyproject.toml, setup.cfg, Pipfile),
//! which frameworks the repository uses, and the framework extensions among its
//! dependencies with what a migration does about each.

use crate::inventory::{Dependency, Extension, Framework, Inventory};
use crate::python::Project;
use crate::python::ir::{ImportName, Stmt};

/// Known extensions: (distribution name, what the migration does about it).
const EXTENSIONS: &[(&str, &str)] = &[
    ("flask-sqlalchemy", "SQLAlchemy models -> Django ORM models"),
    ("flask-migrate", "Alembic revisions -> Django migrations"),
    ("alembic", "Alembic revisions -> Django migrations"),
    (
        "flask-login",
        "sessions and user loading -> django.contrib.auth",
    ),
    (
        "flask-jwt-extended",
        "JWT auth -> djangorestframework-simplejwt",
    ),
    (
        "flask-httpauth",
        "HTTP basic/token auth -> DRF authentication classes",
    ),
    (
        "flask-security-too",
        "accounts, roles, registration -> django.contrib.auth + django-allauth",
    ),
    (
        "flask-security",
        "accounts, roles, registration -> django.contrib.auth + django-allauth",
    ),
    (
        "flask-principal",
        "identity and permissions -> Django permissions/groups",
    ),
    (
        "authlib",
        "OAuth client/server -> django-allauth / django-oauth-toolkit",
    ),
    ("flask-dance", "OAuth login -> django-allauth"),
    (
        "flask-wtf",
        "WTForms forms and CSRF -> Django forms and CsrfViewMiddleware",
    ),
    ("wtforms", "WTForms forms -> Django forms"),
    (
        "flask-restful",
        "Resource classes -> Django REST framework views",
    ),
    (
        "flask-restful-swagger-2",
        "Resource classes with Swagger docs -> Django REST framework + drf-spectacular",
    ),
    (
        "flask-restful-swagger",
        "Resource classes with Swagger docs -> Django REST framework + drf-spectacular",
    ),
    ("flasgger", "Swagger docs and validation -> drf-spectacular"),
    ("flask-cas", "CAS login -> django-cas-ng"),
    ("flask-jwt", "JWT auth -> djangorestframework-simplejwt"),
    (
        "flask-restx",
        "Namespaces/Resources -> Django REST framework + drf-spectacular",
    ),
    (
        "flask-restplus",
        "Namespaces/Resources -> Django REST framework + drf-spectacular",
    ),
    (
        "flask-smorest",
        "Blueprint/MethodView APIs -> Django REST framework + drf-spectacular",
    ),
    (
        "apiflask",
        "APIFlask views -> Django REST framework / django-ninja",
    ),
    (
        "flask-marshmallow",
        "marshmallow schemas -> DRF serializers",
    ),
    ("marshmallow", "marshmallow schemas -> DRF serializers"),
    ("flask-admin", "admin views -> django.contrib.admin"),
    (
        "flask-appbuilder",
        "AppBuilder views -> django.contrib.admin",
    ),
    ("flask-mail", "mail -> django.core.mail"),
    ("flask-caching", "cache -> Django cache framework"),
    (
        "flask-limiter",
        "rate limits -> django-ratelimit / DRF throttling",
    ),
    ("flask-cors", "CORS -> django-cors-headers"),
    ("flask-babel", "i18n -> Django i18n"),
    (
        "flask-talisman",
        "security headers -> SecurityMiddleware settings",
    ),
    ("flask-socketio", "websockets -> Django Channels"),
    (
        "flask-apscheduler",
        "scheduled jobs -> Celery beat or django-apscheduler",
    ),
    ("flask-rq2", "RQ jobs -> django-rq"),
    (
        "flask-session",
        "server-side sessions -> Django session backends",
    ),
    (
        "flask-debugtoolbar",
        "debug toolbar -> django-debug-toolbar",
    ),
    (
        "celery",
        "Celery carries over (configure it from Django settings)",
    ),
    ("rq", "RQ jobs -> django-rq"),
    ("dramatiq", "Dramatiq actors -> django-dramatiq"),
    ("huey", "Huey tasks -> huey.contrib.djhuey"),
    (
        "apscheduler",
        "APScheduler jobs -> django-apscheduler or Celery beat",
    ),
    (
        "djangorestframework",
        "DRF views/serializers -> Flask-RESTful/flask-smorest + marshmallow",
    ),
    (
        "django-allauth",
        "accounts and social login -> Flask-Login + Authlib",
    ),
    (
        "django-filter",
        "filter sets -> query parameters handled in views",
    ),
    (
        "django-celery-beat",
        "database-backed schedules -> Celery beat schedule in code",
    ),
    (
        "django-celery-results",
        "task results -> a Celery result backend",
    ),
    ("django-rq", "RQ jobs -> Flask-RQ2"),
    ("django-q", "django-q tasks -> Celery or RQ"),
    ("django-q2", "django-q tasks -> Celery or RQ"),
    ("channels", "Channels consumers -> Flask-SocketIO"),
    ("django-cors-headers", "CORS -> Flask-CORS"),
    (
        "django-debug-toolbar",
        "debug toolbar -> Flask-DebugToolbar",
    ),
    (
        "django-storages",
        "storages -> direct boto3/cloud SDK calls",
    ),
    (
        "django-environ",
        "settings from env -> Flask config from env",
    ),
    (
        "sentry-sdk",
        "error tracking -> keep, add the Flask integration / OpenTelemetry",
    ),
    ("ddtrace", "Datadog tracing -> OpenTelemetry"),
    (
        "django-prometheus",
        "metrics -> prometheus-flask-exporter / OpenTelemetry",
    ),
    (
        "prometheus-flask-exporter",
        "metrics -> django-prometheus / OpenTelemetry",
    ),
    ("opentelemetry-api", "tracing carries over"),
];

/// Normalises a distribution name (PEP 503).
pub fn normalise(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['_', '.'], "-")
}

pub fn extract(project: &Project, inv: &mut Inventory) {
    for (path, text) in &project.manifests {
        let name = path.rsplit('/').next().unwrap_or(path);
        match name {
            "pyproject.toml" => pyproject(path, text, inv),
            "Pipfile" => pipfile(path, text, inv),
            "setup.cfg" => setup_cfg(path, text, inv),
            _ => requirements(path, text, inv),
        }
    }
    for d in inv.dependencies.clone() {
        let n = normalise(&d.name);
        if let Some((_, purpose)) = EXTENSIONS.iter().find(|(e, _)| *e == n) {
            inv.extensions.push(Extension {
                name: n,
                purpose: purpose.to_string(),
                evidence: format!("{}:{}", d.file, d.line),
            });
        }
    }
}

/// Splits `flask>=2.0 ; python_version>"3"` into ("flask", Some(">=2.0")).
fn split_requirement(line: &str) -> Option<(String, Option<String>)> {
    let line = line.split(" #").next()?.split(';').next()?.trim();
    if line.is_empty() || line.starts_with(['#', '-']) || line.contains("://") {
        return None;
    }
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(line.len());
    let name = &line[..end];
    if name.is_empty() {
        return None;
    }
    let rest = line[end..].trim();
    // Drop extras: `celery[redis]>=5`.
    let rest = match rest.strip_prefix('[') {
        Some(r) => r.split_once(']').map_or("", |(_, s)| s).trim(),
        None => rest,
    };
    Some((
        name.to_string(),
        (!rest.is_empty()).then(|| rest.to_string()),
    ))
}

fn push(inv: &mut Inventory, file: &str, line: usize, req: &str) {
    if let Some((name, spec)) = split_requirement(req) {
        inv.dependencies.push(Dependency {
            name,
            spec,
            file: file.to_string(),
            line: line as u32,
        });
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i + 1)
}

fn requirements(path: &str, text: &str, inv: &mut Inventory) {
    for (i, line) in text.lines().enumerate() {
        push(inv, path, i + 1, line);
    }
}

fn pyproject(path: &str, text: &str, inv: &mut Inventory) {
    let Ok(doc) = text.parse::<toml::Table>() else {
        inv.warnings.push(crate::inventory::Warning {
            file: Some(path.to_string()),
            line: None,
            message: "not valid TOML; its dependencies were not read".into(),
        });
        return;
    };
    let project = doc.get("project").and_then(|p| p.as_table());
    let mut reqs: Vec<String> = Vec::new();
    if let Some(p) = project {
        if let Some(deps) = p.get("dependencies").and_then(|d| d.as_array()) {
            reqs.extend(deps.iter().filter_map(|d| d.as_str().map(String::from)));
        }
        if let Some(opt) = p.get("optional-dependencies").and_then(|d| d.as_table()) {
            for v in opt.values().filter_map(|v| v.as_array()) {
                reqs.extend(v.iter().filter_map(|d| d.as_str().map(String::from)));
            }
        }
    }
    let poetry = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_table());
    if let Some(deps) = poetry {
        for (name, v) in deps {
            if name == "python" {
                continue;
            }
            let spec = v
                .as_str()
                .map(String::from)
                .or_else(|| v.get("version").and_then(|x| x.as_str()).map(String::from));
            reqs.push(match spec {
                Some(s) if s != "*" => format!("{name} {s}"),
                _ => name.clone(),
            });
        }
    }
    for r in reqs {
        let name = r
            .split(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
            .next()
            .unwrap_or("");
        push(inv, path, line_of(text, name), &r);
    }
}

fn pipfile(path: &str, text: &str, inv: &mut Inventory) {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return;
    };
    for section in ["packages", "dev-packages"] {
        if let Some(t) = doc.get(section).and_then(|s| s.as_table()) {
            for (name, v) in t {
                let spec = v
                    .as_str()
                    .filter(|s| *s != "*")
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default();
                push(inv, path, line_of(text, name), &format!("{name}{spec}"));
            }
        }
    }
}

fn setup_cfg(path: &str, text: &str, inv: &mut Inventory) {
    let mut in_requires = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("install_requires") {
            in_requires = true;
            if let Some((_, v)) = trimmed.split_once('=') {
                push(inv, path, i + 1, v);
            }
            continue;
        }
        if in_requires {
            if line.starts_with([' ', '\t']) && !trimmed.is_empty() {
                push(inv, path, i + 1, trimmed);
            } else if !trimmed.is_empty() {
                in_requires = false;
            }
        }
    }
}

/// The packages that make a project one of `fw`.
fn packages_of(fw: &str) -> &'static [&'static str] {
    match fw {
        "flask" => crate::flask::FLASK_PACKAGES,
        _ => &["django"],
    }
}

/// Frameworks in use: declared dependencies first, else imports.
pub fn detect_frameworks(project: &Project, inv: &mut Inventory) {
    for fw in ["flask", "django"] {
        let packages = packages_of(fw);
        if let Some(d) = inv
            .dependencies
            .iter()
            .find(|d| packages.contains(&normalise(&d.name).as_str()))
        {
            inv.frameworks.push(Framework {
                name: fw.into(),
                version_spec: d.spec.clone(),
                evidence: format!("{}:{}", d.file, d.line),
            });
            continue;
        }
        // at module level, also inside `try:` / `if` blocks (`try: from flask import ...`)
        for f in &project.files {
            let mut hit = None;
            crate::python::ir::walk_stmts(&f.body, |s, scope| {
                if let (None, true, Stmt::Import(import, pos)) = (hit, scope.is_empty(), s)
                    && import
                        .names()
                        .any(|n| packages.iter().any(|p| imports_framework(&n, p)))
                {
                    hit = Some(pos.line);
                }
            });
            if let Some(line) = hit {
                inv.frameworks.push(Framework {
                    name: fw.into(),
                    version_spec: None,
                    evidence: format!("{}:{line} (import)", f.path),
                });
                break;
            }
        }
    }
}

fn imports_framework(n: &ImportName, fw: &str) -> bool {
    let within = |m: &str| m == fw || m.strip_prefix(fw).is_some_and(|r| r.starts_with('.'));
    match n {
        ImportName::Module { path, .. } => within(path),
        ImportName::From {
            module, level: 0, ..
        } => within(module),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::split_requirement;

    #[test]
    fn requirement_lines() {
        assert_eq!(
            split_requirement("Flask>=2.0"),
            Some(("Flask".into(), Some(">=2.0".into())))
        );
        assert_eq!(
            split_requirement("celery[redis]==5.3 ; python_version>'3'"),
            Some(("celery".into(), Some("==5.3".into())))
        );
        assert_eq!(split_requirement("-r base.txt"), None);
        assert_eq!(split_requirement("# comment"), None);
        assert_eq!(
            split_requirement("flask_login"),
            Some(("flask_login".into(), None))
        );
    }
}
