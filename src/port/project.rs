//! The Django project around the apps (manage.py, settings, root URLconf, app configs, the
//! converters and Celery wiring), and writing the draft: into a temporary folder beside the
//! output, renamed into place only when complete.

use super::django_models::ModelsOut;
use super::django_urls::{Urls, converters_py, match_order};
use super::{Draft, camel, py_str, wrap_seq};
use crate::inventory::Inventory;
use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The project package: `config`, unless an app has that name.
pub fn project_package(apps: &[String]) -> String {
    if apps.iter().any(|a| a == "config") {
        "config_project".into()
    } else {
        "config".into()
    }
}

/// The folders holding the repository's templates, relative to its root.
fn template_dirs(inv: &Inventory) -> Vec<String> {
    let dirs: BTreeSet<String> = inv
        .templates
        .iter()
        .filter(|t| t.kind == "file")
        .filter_map(|t| {
            let i = t.file.rfind("templates/")?;
            Some(t.file[..i + "templates".len()].to_string())
        })
        .collect();
    dirs.into_iter().collect()
}

pub fn generate(
    inv: &Inventory,
    source_root: &Path,
    models: &ModelsOut,
    urls: &Urls,
    draft: &mut Draft,
) {
    let p = draft.project.clone();
    let apps = draft.apps.clone();
    draft.files.insert(
        "manage.py".into(),
        format!(
            "#!/usr/bin/env python\n\"\"\"Django's command-line utility for this project.\"\"\"\n\nimport os\nimport sys\n\n\nif __name__ == \"__main__\":\n    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"{p}.settings\")\n    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n"
        ),
    );
    draft
        .files
        .insert(format!("{p}/__init__.py"), String::new());
    draft.files.insert(
        format!("{p}/wsgi.py"),
        format!(
            "\"\"\"WSGI entry point (gunicorn {p}.wsgi).\"\"\"\n\nimport os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"{p}.settings\")\napplication = get_wsgi_application()\n"
        ),
    );
    let mut root = String::from(
        "\"\"\"Root URLconf: every app's patterns, at the URLs Flask served them.\"\"\"\n\nfrom django.urls import include, path\n\nurlpatterns = [\n",
    );
    // Django tries the apps in order: an app whose most general pattern is a catch-all goes
    // after the apps it would shadow (werkzeug orders all rules together).
    let mut ordered: Vec<(_, &String)> = apps
        .iter()
        .map(|a| {
            let general = urls
                .routes
                .iter()
                .filter(|r| &r.app == a && r.pattern_call.is_some())
                .map(|r| match_order(&r.route.rule))
                .max();
            (general, a)
        })
        .collect();
    ordered.sort();
    for (_, a) in ordered {
        root.push_str(&format!("    path(\"\", include(\"{a}.urls\")),\n"));
    }
    root.push_str("]\n");
    draft.files.insert(format!("{p}/urls.py"), root);
    if let Some(c) = converters_py(urls) {
        draft.files.insert(format!("{p}/converters.py"), c);
    }
    if inv.jobs.iter().any(|j| j.kind == "celery") {
        draft.files.insert(
            format!("{p}/celery.py"),
            format!(
                "\"\"\"Celery for Django: `celery -A {p} worker` finds this app and every app's tasks.py.\"\"\"\n\nimport os\n\nfrom celery import Celery\n\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"{p}.settings\")\n\napp = Celery(\"{p}\")\napp.config_from_object(\"django.conf:settings\", namespace=\"CELERY\")\napp.autodiscover_tasks()\n"
            ),
        );
    }
    for a in &apps {
        let class = camel(a);
        draft
            .files
            .insert(format!("{a}/__init__.py"), String::new());
        draft.files.insert(
            format!("{a}/apps.py"),
            format!(
                "from django.apps import AppConfig\n\n\nclass {class}Config(AppConfig):\n    default_auto_field = \"django.db.models.AutoField\"\n    name = \"{a}\"\n"
            ),
        );
        draft
            .files
            .insert(format!("{a}/migrations/__init__.py"), String::new());
    }
    draft.files.insert(
        format!("{p}/settings.py"),
        settings(inv, source_root, models, draft),
    );
}

fn settings(inv: &Inventory, source_root: &Path, models: &ModelsOut, draft: &Draft) -> String {
    let p = &draft.project;
    let mut o = String::from(
        "\"\"\"Settings of the Django port. Secrets and the database come from the environment.\"\"\"\n\nimport os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n",
    );
    let src = source_root.to_string_lossy();
    o.push_str(&format!(
        "# The Flask repository this was ported from: its template folders are used where they are.\nSOURCE_DIR = {}\nSOURCE_DIR = Path(os.environ.get(\"CROSSPORT_SOURCE_DIR\", SOURCE_DIR))\n\n",
        py_str(&src)
    ));
    o.push_str("SECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\", \"insecure-development-key-change-me\")\nDEBUG = os.environ.get(\"DJANGO_DEBUG\", \"\") == \"1\"\nALLOWED_HOSTS = os.environ.get(\"DJANGO_ALLOWED_HOSTS\", \"localhost,127.0.0.1\").split(\",\")\n\n");
    o.push_str("INSTALLED_APPS = [\n    \"django.contrib.auth\",\n    \"django.contrib.contenttypes\",\n    \"django.contrib.sessions\",\n    \"django.contrib.messages\",\n    \"django.contrib.staticfiles\",\n");
    for a in &draft.apps {
        o.push_str(&format!("    \"{a}\",\n"));
    }
    o.push_str("]\n\n");
    o.push_str("MIDDLEWARE = [\n    \"django.middleware.security.SecurityMiddleware\",\n    \"django.contrib.sessions.middleware.SessionMiddleware\",\n    \"django.middleware.common.CommonMiddleware\",\n    \"django.middleware.csrf.CsrfViewMiddleware\",\n    \"django.contrib.auth.middleware.AuthenticationMiddleware\",\n    \"django.contrib.messages.middleware.MessageMiddleware\",\n]\n\n");
    o.push_str(&format!(
        "ROOT_URLCONF = \"{p}.urls\"\nWSGI_APPLICATION = \"{p}.wsgi.application\"\n\n"
    ));
    let dirs = template_dirs(inv);
    o.push_str("# The Jinja2 templates stay Jinja2; Django's own template engine serves Django's pages.\nTEMPLATES = [\n    {\n        \"BACKEND\": \"django.template.backends.jinja2.Jinja2\",\n");
    let dirs: Vec<String> = dirs
        .iter()
        .map(|d| format!("SOURCE_DIR / {}", py_str(d)))
        .collect();
    o.push_str(&wrap_seq(8, "\"DIRS\": [", &dirs, "],"));
    o.push_str("        \"APP_DIRS\": False,\n    },\n    {\n        \"BACKEND\": \"django.template.backends.django.DjangoTemplates\",\n        \"DIRS\": [],\n        \"APP_DIRS\": True,\n        \"OPTIONS\": {\n            \"context_processors\": [\n                \"django.template.context_processors.request\",\n                \"django.contrib.auth.context_processors.auth\",\n                \"django.contrib.messages.context_processors.messages\",\n            ],\n        },\n    },\n]\n\n");
    o.push_str("# DATABASE_URL-style settings without a dependency: engine and name from the environment.\nDATABASES = {\n    \"default\": {\n        \"ENGINE\": os.environ.get(\"DJANGO_DB_ENGINE\", \"django.db.backends.sqlite3\"),\n        \"NAME\": os.environ.get(\"DJANGO_DB_NAME\", str(BASE_DIR / \"db.sqlite3\")),\n        \"USER\": os.environ.get(\"DJANGO_DB_USER\", \"\"),\n        \"PASSWORD\": os.environ.get(\"DJANGO_DB_PASSWORD\", \"\"),\n        \"HOST\": os.environ.get(\"DJANGO_DB_HOST\", \"\"),\n        \"PORT\": os.environ.get(\"DJANGO_DB_PORT\", \"\"),\n    }\n}\n\n");
    match (&models.user_model, &models.user_model_todo) {
        (Some(u), _) => o.push_str(&format!("AUTH_USER_MODEL = {}\n", py_str(u))),
        (None, Some(t)) => o.push_str(&format!("{}\n", t.comment())),
        _ => {}
    }
    // login_required sends anonymous users to the route Flask-Login used, when one is named login.
    if let Some(r) = inv.routes.iter().find(|r| {
        !r.rule.contains('<')
            && r.endpoint
                .as_deref()
                .is_some_and(|e| e == "login" || e.ends_with(".login"))
    }) {
        o.push_str(&format!("LOGIN_URL = {}\n", py_str(&r.rule)));
    }
    o.push('\n');
    o.push_str("# SQLAlchemy stores naive datetimes unless told otherwise; so does this port.\nUSE_TZ = False\nLANGUAGE_CODE = \"en-us\"\nTIME_ZONE = \"UTC\"\n\nSTATIC_URL = \"static/\"\nDEFAULT_AUTO_FIELD = \"django.db.models.AutoField\"\n");
    if inv.jobs.iter().any(|j| j.kind == "celery") {
        o.push_str("\nCELERY_BROKER_URL = os.environ.get(\"CELERY_BROKER_URL\", \"redis://localhost:6379/0\")\n");
    }
    o
}

/// Writes the draft into `out`: refuses a non-empty folder unless `force`, writes everything
/// into a temporary folder beside it and renames it into place at the end.
pub fn write(draft: &Draft, out: &Path, force: bool, scanned: &Path) -> Result<PathBuf> {
    let scanned = scanned
        .canonicalize()
        .unwrap_or_else(|_| scanned.to_path_buf());
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let parent_abs = parent.canonicalize()?;
    let name = out.file_name().context("--out needs a folder name")?;
    let target = parent_abs.join(name);
    if target.starts_with(&scanned) {
        bail!(
            "--out {} is inside the scanned repository {}: write the port somewhere else",
            out.display(),
            scanned.display()
        );
    }
    if target.exists() {
        let empty = std::fs::read_dir(&target)
            .with_context(|| format!("cannot read {}", target.display()))?
            .next()
            .is_none();
        if !empty && !force {
            bail!(
                "{} is not empty: pick an empty folder, or pass --force to replace it",
                target.display()
            );
        }
    }
    let tmp = tempfile::Builder::new()
        .prefix(".crossport-port-")
        .tempdir_in(&parent_abs)
        .with_context(|| {
            format!(
                "cannot create a temporary folder in {}",
                parent_abs.display()
            )
        })?;
    for (rel, text) in &draft.files {
        let path = tmp.path().join(rel);
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let staged = tmp.keep();
    if target.exists() {
        // --force: the old folder goes only once the new one is complete.
        std::fs::remove_dir_all(&target)
            .with_context(|| format!("cannot replace {}", target.display()))?;
    }
    std::fs::rename(&staged, &target)
        .with_context(|| format!("cannot move the draft into {}", target.display()))?;
    Ok(target)
}
