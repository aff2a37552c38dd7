//! The Flask service around the extracted app: the application factory, the auth decorators
//! the views use (requests signed by the Django parent, the guide's step 4), the HTTP client
//! the parent calls instead of the ORM (one method per access the plan found, step 2), and the
//! Alembic environment for the service's own tables.

use super::flask_urls::AuthUse;
use super::{Draft, camel, py_str, wrap_call};
use crate::inventory::CallRef;
use crate::plan::django_to_flask::{call_model, endpoint_for, operation, snake};
use std::collections::BTreeMap;

pub fn generate(label: &str, package: &str, calls: &[&CallRef], auth: &AuthUse, draft: &mut Draft) {
    draft.files.insert(
        format!("{package}/__init__.py"),
        format!(
            "\"\"\"The `{label}` service, extracted from the Django project: `create_app()` serves its\nblueprint on the database Django migrated (DATABASE_URL).\n\"\"\"\n\nimport os\n\nfrom flask import Flask\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\n\ndef create_app(config=None):\n    app = Flask(__name__)\n    # Django serves a URL with `//` in it as written: werkzeug would redirect it\n    app.url_map.merge_slashes = False\n    app.config[\"DATABASE_URL\"] = os.environ.get(\"DATABASE_URL\", \"sqlite:///db.sqlite3\")\n    app.config.update(config or {{}})\n    engine = create_engine(app.config[\"DATABASE_URL\"])\n    app.extensions[\"sessionmaker\"] = sessionmaker(engine)\n\n    from .routes import bp\n\n    app.register_blueprint(bp)\n    return app\n"
        ),
    );
    if auth.login || auth.staff || auth.permission {
        draft
            .files
            .insert(format!("{package}/auth.py"), auth_py(auth));
    }
    draft
        .files
        .insert(format!("{label}_client.py"), client_py(label, calls));
    draft.files.insert(
        "alembic.ini".into(),
        "# Alembic for the service's tables (DATABASE_URL overrides the URL below).\n[alembic]\nscript_location = %(here)s/migrations\nprepend_sys_path = .\nsqlalchemy.url = sqlite:///db.sqlite3\n".into(),
    );
    draft
        .files
        .insert("migrations/env.py".into(), env_py(package));
    draft
        .files
        .insert("migrations/script.py.mako".into(), SCRIPT_MAKO.into());
    draft
        .files
        .insert("migrations/versions/.gitkeep".into(), String::new());
    draft.files.insert(
        "requirements.txt".into(),
        "Flask>=3.1\nSQLAlchemy>=2.0\nalembic>=1.13\n".into(),
    );
}

fn auth_py(auth: &AuthUse) -> String {
    let mut o = String::from(
        r#""""Auth of the service: the Django parent signs who the caller is (HMAC, the guide's step 4
for an internal service). A request carries X-Service-User (the caller's claims as JSON:
id, is_staff, perms) and X-Service-Signature (hex HMAC-SHA256 of those bytes with
SERVICE_SECRET); the parent's client writes both.
"""

import functools
import hashlib
import hmac
import json
import os

from flask import abort, g, request

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def caller():
    """The claims the parent signed for this request, or None."""
    if "caller" not in g:
        g.caller = None
        claims = request.headers.get("X-Service-User", "")
        signature = request.headers.get("X-Service-Signature", "")
        secret = os.environ.get("SERVICE_SECRET", "").encode()
        if claims and secret:
            expected = hmac.new(secret, claims.encode(), hashlib.sha256).hexdigest()
            if hmac.compare_digest(expected, signature):
                g.caller = json.loads(claims)
    return g.caller
"#,
    );
    if auth.login {
        o.push_str(
            r#"

def login_required(view):
    """Django's login_required / IsAuthenticated: a signed caller."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if caller() is None:
            abort(401)
        return view(*args, **kwargs)

    return wrapped


def login_required_unless_safe(view):
    """DRF's IsAuthenticatedOrReadOnly: reads are open, writes need a signed caller."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if request.method not in SAFE_METHODS and caller() is None:
            abort(401)
        return view(*args, **kwargs)

    return wrapped
"#,
        );
    }
    if auth.staff {
        o.push_str(
            r#"

def staff_required(view):
    """staff_member_required / IsAdminUser: a signed caller with is_staff."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        who = caller()
        if who is None:
            abort(401)
        if not who.get("is_staff"):
            abort(403)
        return view(*args, **kwargs)

    return wrapped
"#,
        );
    }
    if auth.permission {
        o.push_str(
            r#"

def permission_required(*perms):
    """Django's permission_required: the signed caller holds every permission named."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            who = caller()
            if who is None:
                abort(401)
            if not set(perms) <= set(who.get("perms", ())):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
"#,
        );
    }
    o
}

/// The client the Django parent uses instead of the ORM: one method per (model, operation)
/// the plan found outside the app, each naming the call sites it replaces.
fn client_py(label: &str, calls: &[&CallRef]) -> String {
    let class = format!("{}Client", camel(label));
    let mut methods: BTreeMap<(String, &'static str), Vec<String>> = BTreeMap::new();
    for c in calls {
        let t = c.target.as_deref().unwrap_or("");
        methods
            .entry((call_model(t).to_string(), operation(t)))
            .or_default()
            .push(format!("{}:{}", c.file, c.line));
    }
    let mut o = format!(
        r#""""HTTP client for the Django side: what it used to read and write through the ORM on the
`{label}` models, it now asks the service for. One method per ORM access crossport found
outside the app (the plan's step 2); requests are signed the way the service's auth expects.
"""

import hashlib
import hmac
import json
import os
import urllib.parse
import urllib.request


class {class}:
    def __init__(self, base_url=None, secret=None, timeout=10):
        base_url = base_url or os.environ["{upper}_SERVICE_URL"]
        self.base_url = base_url.rstrip("/")
        self.secret = (secret or os.environ.get("SERVICE_SECRET", "")).encode()
        self.timeout = timeout

    def _request(self, method, path, params=None, body=None, user=None):
        url = self.base_url + path
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if user is not None:
            claims = json.dumps(user, sort_keys=True)
            digest = hmac.new(self.secret, claims.encode(), hashlib.sha256)
            signature = digest.hexdigest()
            req.add_header("X-Service-User", claims)
            req.add_header("X-Service-Signature", signature)
        with urllib.request.urlopen(req, timeout=self.timeout) as res:
            text = res.read().decode()
        return json.loads(text) if text else None
"#,
        upper = label.to_ascii_uppercase().replace('-', "_"),
    );
    for ((model, op), sites) in &methods {
        let name = format!("{}_{op}", snake(model));
        let res = format!("/{}s", snake(model));
        let path = |suffix: &str| {
            if suffix.is_empty() {
                py_str(&res)
            } else {
                format!("f\"{res}{suffix}\"")
            }
        };
        let (sig, verb, url, extra) = match *op {
            "get" => ("self, pk, user=None", "GET", path("/{pk}"), None),
            "list" => (
                "self, user=None, **filters",
                "GET",
                path(""),
                Some("params=filters"),
            ),
            "create" => (
                "self, user=None, **fields",
                "POST",
                path(""),
                Some("body=fields"),
            ),
            "update" => (
                "self, pk, user=None, **fields",
                "PATCH",
                path("/{pk}"),
                Some("body=fields"),
            ),
            "delete" => ("self, pk, user=None", "DELETE", path("/{pk}"), None),
            _ => (
                "self, user=None, **params",
                "GET",
                path("/query"),
                Some("params=params"),
            ),
        };
        o.push('\n');
        o.push_str(&wrap_call(
            4,
            &format!("def {name}("),
            &sig.split(", ").map(String::from).collect::<Vec<_>>(),
            "):",
        ));
        o.push_str(&format!(
            "        \"\"\"{} (replaces the ORM calls at {}).\"\"\"\n",
            endpoint_for(model, op),
            sites.join(", ")
        ));
        let mut args = vec![py_str(verb), url];
        args.extend(extra.map(String::from));
        args.push("user=user".into());
        o.push_str(&wrap_call(8, "return self._request(", &args, ")"));
    }
    if methods.is_empty() {
        o.push_str(&format!(
            "\n    # No ORM access to the `{label}` models was found outside the app: nothing to replace yet.\n"
        ));
    }
    o
}

fn env_py(package: &str) -> String {
    format!(
        r#""""Alembic environment of the service: its own tables only (models.SERVICE_TABLES); the
Django parent's tables in the same database are left alone.
"""

import os

from alembic import context
from sqlalchemy import engine_from_config, pool

from {package}.models import SERVICE_TABLES, Base

config = context.config
if os.environ.get("DATABASE_URL"):
    config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "table":
        return name in SERVICE_TABLES
    if type_ == "unique_constraint" and not reflected and compare_to is None:
        # SQLite: SQLAlchemy does not read back a column's inline UNIQUE (which Django writes);
        # SQLite's own index list still has it.
        return not sqlite_unique(obj.table.name, {{c.name for c in obj.columns}})
    return True


def sqlite_unique(table, columns):
    connection = context.get_bind()
    if connection.dialect.name != "sqlite":
        return False
    for index in connection.exec_driver_sql(f'PRAGMA index_list("{{table}}")'):
        if index[2]:
            info = connection.exec_driver_sql(f'PRAGMA index_info("{{index[1]}}")')
            if {{row[2] for row in info}} == columns:
                return True
    return False


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        include_object=include_object,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {{}}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # SQLite's reflection does not read back a key's DEFERRABLE INITIALLY DEFERRED
            # (Django writes it inline): compare the keys without it there.
            for table in target_metadata.tables.values():
                for key in table.foreign_key_constraints:
                    key.deferrable = key.initially = None
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
"#
    )
}

const SCRIPT_MAKO: &str = r#""""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: Union[str, None] = ${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
"#;
