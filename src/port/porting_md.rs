//! PORTING.md: per construct what was generated, what was verified and what is left.

use super::verify::Verification;
use super::{Direction, Draft};
use crate::inventory::Inventory;
use std::fmt::Write;

pub fn render(inv: &Inventory, draft: &Draft, verified: Option<&Verification>) -> String {
    let mut o = String::new();
    let to_flask = draft.direction == Direction::DjangoToFlask;
    let _ = writeln!(o, "# Porting notes: {}\n", draft.direction.title());
    if to_flask {
        let _ = writeln!(
            o,
            "A first draft written by crossport {} from `{}`: the Django app `{}` extracted as the Flask service \
`{}`. Nothing of the Django code was run to write it. Every view is a stub naming the view it replaces; \
models, URL rules, auth decorators, the parent's HTTP client and the Alembic environment are complete \
except where a `TODO(CPxxx)` says otherwise (`crossport explain CPxxx` tells what the rule means).\n",
            env!("CARGO_PKG_VERSION"),
            inv.root,
            draft.apps.join(", "),
            draft.project
        );
    } else {
        let _ = writeln!(
            o,
            "A first draft written by crossport {} from `{}`. Nothing of the Flask code was run to write it. \
Every view and task is a stub naming the function it replaces; models, URLs and settings are complete \
except where a `TODO(CPxxx)` says otherwise (`crossport explain CPxxx` tells what the rule means).\n",
            env!("CARGO_PKG_VERSION"),
            inv.root
        );
    }
    let _ = writeln!(
        o,
        "## Summary\n\n| construct | in the source | generated | TODO |\n|---|---:|---:|---:|"
    );
    for (kind, label) in [
        ("model", "models"),
        ("association_table", "association tables"),
        ("route", "routes"),
        ("job", "background jobs"),
    ] {
        let (n, todo) = draft.counts(kind);
        if n > 0 {
            let _ = writeln!(o, "| {label} | {n} | {} | {todo} |", n - todo);
        }
    }
    let settings_todos = draft.todos.iter().filter(|t| t.kind == "settings").count();
    if settings_todos > 0 {
        let _ = writeln!(o, "| settings | - | - | {settings_todos} |");
    }
    let _ = writeln!(
        o,
        "\n{}: {}. {}: `{}`.",
        if to_flask { "Extracted app" } else { "Apps" },
        draft
            .apps
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", "),
        if to_flask {
            "Service package"
        } else {
            "Project package"
        },
        draft.project
    );
    if let Some(u) = draft
        .files
        .values()
        .find_map(|f| f.lines().find_map(|l| l.strip_prefix("AUTH_USER_MODEL = ")))
    {
        let _ = writeln!(
            o,
            "AUTH_USER_MODEL = {u}: the Flask-Login user model, on its own table (AbstractBaseUser's `password` is mapped onto the existing password column)."
        );
    }
    let skipped: Vec<&crate::inventory::Route> = inv
        .routes
        .iter()
        .filter(|r| !to_flask && (r.third_party || r.kind == "static"))
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(
            o,
            "\nRoutes not ported because Django or an extension serves them ({}):",
            skipped.len()
        );
        for r in skipped {
            let why = if r.kind == "static" {
                "static files: django.contrib.staticfiles"
            } else {
                "a third-party view"
            };
            let _ = writeln!(
                o,
                "- `{}` ({}) {}:{}: {why}",
                r.rule,
                r.view.as_deref().unwrap_or("-"),
                r.file,
                r.line
            );
        }
    }
    o.push('\n');

    let _ = writeln!(o, "## Verification\n");
    match verified {
        None if to_flask => {
            let _ = writeln!(
                o,
                "Not run. `crossport port SRC --to flask --out DIR --verify` migrates the source models with Django into a fresh SQLite database, compares its tables with what the service's models create, runs `alembic check` against it, and matches every route's sample URL (built by Django's reverse()) in the blueprint's werkzeug map.\n"
            );
        }
        None => {
            let _ = writeln!(
                o,
                "Not run. `crossport port SRC --to django --out DIR --verify` runs Django's checks, migrates a fresh SQLite database, compares its tables with the source's and resolves every route's sample URL.\n"
            );
        }
        Some(v) => {
            let _ = writeln!(o, "Schema source: {}.\n", v.schema_source);
            let versions: Vec<String> =
                v.versions.iter().map(|(k, x)| format!("{k} {x}")).collect();
            let _ = writeln!(o, "Frameworks: {}.\n", versions.join(", "));
            for c in &v.checks {
                let _ = writeln!(o, "- {}: {}", c.name, if c.ok { "ok" } else { "FAILED" });
            }
            for t in v.tallies(draft) {
                let _ = writeln!(o, "- {}", t.line());
            }
            let findings = v.findings();
            if !findings.is_empty() {
                let _ = writeln!(o, "\nFindings ({}):\n", findings.len());
                for f in findings {
                    let _ = writeln!(o, "- {}", f.replace('\n', " "));
                }
            }
            o.push('\n');
        }
    }

    let _ = writeln!(o, "## TODO ({})\n", draft.todos.len());
    if draft.todos.is_empty() {
        let _ = writeln!(o, "None: every construct crossport read was converted.\n");
    }
    for t in &draft.todos {
        let _ = writeln!(
            o,
            "- `{}` {} `{}` in `{}` (source {}:{}): {}",
            t.code,
            t.kind.replace('_', " "),
            t.construct,
            t.place,
            t.file,
            t.line,
            t.reason
        );
    }
    if !draft.todos.is_empty() {
        o.push('\n');
    }

    for (kind, title) in [
        ("model", "Models"),
        ("association_table", "Association tables"),
        ("route", "Routes"),
        ("job", "Background jobs"),
    ] {
        let rows: Vec<_> = draft.constructs.iter().filter(|c| c.kind == kind).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "## {title}\n\n| source | location | generated | left |\n|---|---|---|---|"
        );
        for c in rows {
            let left = if c.todos.is_empty() {
                match kind {
                    "route" | "job" => "body (stub)".to_string(),
                    _ => "-".to_string(),
                }
            } else {
                c.todos
                    .iter()
                    .map(|t| format!("TODO({t})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                o,
                "| `{}` | {}:{} | `{}` | {} |",
                c.source.replace('|', "\\|"),
                c.file,
                c.line,
                c.generated,
                left
            );
        }
        o.push('\n');
    }
    if to_flask {
        left_by_design_flask(inv, draft, &mut o);
        return o;
    }
    let _ = writeln!(o, "## Left by design\n");
    let _ = writeln!(
        o,
        "- View and task bodies: each stub raises NotImplementedError naming the original function and its file:line."
    );
    if !inv.templates.is_empty() {
        let _ = writeln!(
            o,
            "- Templates ({}) stay Jinja2 on Django's Jinja2 backend, read from the Flask repository's template folders (`SOURCE_DIR` in settings); Flask's globals (`url_for`, `get_flashed_messages`) need a Jinja2 environment.",
            inv.templates.len()
        );
    }
    if inv.jobs.iter().any(|j| j.kind == "celery") {
        let _ = writeln!(
            o,
            "- Celery: `{}/celery.py` and the tasks' stubs are generated but not verified (the verifier does not install Celery).",
            draft.project
        );
    }
    if draft
        .files
        .values()
        .any(|f| f.contains("(AbstractBaseUser):"))
    {
        let _ = writeln!(
            o,
            "- Password hashes written by werkzeug need a Django password hasher for that format."
        );
    }
    let _ = writeln!(
        o,
        "\nNext: fill in the views, run `python manage.py makemigrations` and `migrate --fake-initial` against the existing database, commit the draft."
    );
    o
}

/// Django -> Flask: what the draft leaves on purpose, and the next steps.
fn left_by_design_flask(inv: &Inventory, draft: &Draft, o: &mut String) {
    let _ = writeln!(o, "## Left by design\n");
    let _ = writeln!(
        o,
        "- View bodies: each stub raises NotImplementedError naming the Django view and its file:line."
    );
    let _ = writeln!(
        o,
        "- Field behaviour Django runs in Python (`on_delete`, `auto_now`, `choices`, validators, reverse accessors) is not carried over; the columns, keys and indexes are."
    );
    let _ = writeln!(
        o,
        "- Auth: `{}/auth.py` trusts claims the Django parent signs with SERVICE_SECRET (HMAC); end-user login, if the service is public, is a separate step.",
        draft.project
    );
    let label = draft.apps.first().map(String::as_str).unwrap_or("");
    let admin: Vec<&crate::inventory::AdminRegistration> = inv
        .admin
        .iter()
        .filter(|a| {
            a.model.split('.').next() == Some(label) || a.file.starts_with(&format!("{label}/"))
        })
        .collect();
    if !admin.is_empty() {
        let _ = writeln!(
            o,
            "- Django admin registrations of the extracted models stay with the parent while it shares the database ({}).",
            admin
                .iter()
                .map(|a| format!("`{}` {}:{}", a.model, a.file, a.line))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(
        o,
        "- The client `{label}_client.py` calls endpoints the service does not serve yet: write them when the parent's ORM calls move over."
    );
    let _ = writeln!(
        o,
        "\nNext: point DATABASE_URL at the database Django migrated, run `alembic check` (no operations expected) then `alembic stamp head`, fill in the views, commit the draft."
    );
}
