//! The inventory: everything a migration touches, as serde data.
//!
//! This is the JSON contract (`schema_version` 1, see README "Inventory JSON").
//! Fields may be added; existing names never change silently. Every list is
//! sorted by `finalize` so that output is byte-identical whatever the thread count.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Inventory {
    pub schema_version: u32,
    pub tool: Tool,
    pub root: String,
    pub frameworks: Vec<Framework>,
    pub stats: Stats,
    pub routes: Vec<Route>,
    pub models: Vec<Model>,
    pub auth: Vec<AuthItem>,
    pub jobs: Vec<Job>,
    pub templates: Vec<Template>,
    pub forms: Vec<Form>,
    pub admin: Vec<AdminRegistration>,
    pub migrations: Vec<MigrationSet>,
    pub settings: Vec<Setting>,
    pub extensions: Vec<Extension>,
    pub dependencies: Vec<Dependency>,
    /// Django apps (INSTALLED_APPS) or Flask blueprints: the units a plan groups by.
    pub apps: Vec<App>,
    /// Foreign-key edges between Django apps (`from` depends on `to`).
    pub app_edges: Vec<AppEdge>,
    pub signals: Vec<Signal>,
    /// Call sites that a migration rewrites (`url_for`, ORM managers, template renders).
    pub call_sites: Vec<CallRef>,
    pub warnings: Vec<Warning>,
    /// Tables the code creates and queries with SQL of its own (`CREATE TABLE` strings,
    /// SQLAlchemy Core `Table`s no relationship maps): no model carries them across.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub raw_sql_tables: Vec<RawTable>,
    /// The existing test suite, per file: tests written against the old framework.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub test_files: Vec<TestFile>,
    /// Deployment files (Procfile, Dockerfile, gunicorn/uwsgi configs, systemd units, nginx,
    /// installers) and whether they run the Python application.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deployment: Vec<DeployFile>,
    /// SQLAlchemy Core tables a relationship uses as `secondary` (many-to-many links).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub association_tables: Vec<AssociationTable>,
    /// URL converters the project registers on its Flask app (`url_map.converters[name]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub converters: Vec<UrlConverter>,
}

/// A converter a project adds to werkzeug's: the name its rules use, its class, and the regex
/// the class matches with (`None` when it is not a literal the class declares).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct UrlConverter {
    pub name: String,
    pub class: String,
    pub regex: Option<String>,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AssociationTable {
    pub name: String,
    /// The module-level variable holding the `Table` (what `secondary=` names).
    pub variable: String,
    pub module: String,
    pub file: String,
    pub line: u32,
    pub fields: Vec<Field>,
    /// Its unique constraints and indexes (`Table(..., UniqueConstraint("a", "b"))`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<TableConstraint>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct RawTable {
    pub name: String,
    /// `create_table` (a CREATE TABLE string) or `sqlalchemy_core` (a `Table` no mapper uses).
    pub via: String,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct TestFile {
    pub file: String,
    /// Test functions and methods (`def test...`).
    pub tests: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct DeployFile {
    pub file: String,
    /// `procfile`, `dockerfile`, `compose`, `gunicorn`, `uwsgi`, `systemd`, `nginx`,
    /// `supervisor`, `fabric`, `ansible`, `balena`, `wsgi`, `installer`.
    pub kind: String,
    /// The first line naming the framework or the Python application (flask, django, a WSGI
    /// server, python, a .py entry, requirements), if any: the file runs or builds the app.
    pub mentions_app: Option<u32>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Framework {
    pub name: String,
    pub version_spec: Option<String>,
    pub evidence: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Stats {
    pub files: usize,
    pub python_files: usize,
    pub parsed_files: usize,
    pub lines: usize,
    pub parse_errors: usize,
    pub skipped: Vec<Skipped>,
    /// Modules read from installed packages because the project names them as
    /// URLconfs (`site-packages/allauth/urls.py`); their routes are third-party.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mounted: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub struct Route {
    /// The full rule as the framework composes it at run time.
    pub rule: String,
    /// HTTP methods (Flask: as werkzeug registers them minus HEAD/OPTIONS; Django: [] unless known).
    pub methods: Vec<String>,
    pub endpoint: Option<String>,
    /// `module.qualname` of the view function or class.
    pub view: Option<String>,
    pub file: String,
    pub line: u32,
    /// Auth requirements seen on this route (decorators, mixins, permission classes).
    pub auth: Vec<String>,
    /// False when part of the rule could not be resolved statically; `reason` says why.
    pub resolved: bool,
    pub reason: Option<String>,
    pub subdomain: Option<String>,
    /// The blueprint (Flask) or namespace/app (Django) the route belongs to.
    pub group: Option<String>,
    /// How it was declared: decorator, add_url_rule, class_view, resource, static, path, router, ...
    pub kind: String,
    /// The view lives outside the scanned code (a third-party app or the framework).
    pub third_party: bool,
    /// Django: the permissions a `permission_required(...)` on the view names literally.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Model {
    pub name: String,
    pub module: String,
    pub table: Option<String>,
    pub file: String,
    pub line: u32,
    pub r#abstract: bool,
    /// `sqlalchemy` or `django`.
    pub orm: String,
    /// Django app label (Django) or blueprint-free grouping key (SQLAlchemy: null).
    pub app_label: Option<String>,
    pub bases: Vec<String>,
    pub fields: Vec<Field>,
    pub relations: Vec<Relation>,
    /// What makes the model hard to port: polymorphic, composite_pk, events, ...
    pub traits: Vec<String>,
    /// Indexes and constraints declared on the table apart from its columns' own flags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<TableConstraint>,
}

/// One item of `__table_args__`, or of a Django model's `Meta.constraints`, `unique_together`
/// or `indexes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TableConstraint {
    /// `unique`, `unique_index`, `index`, or `unread` for an item crossport could not read
    /// (a condition, an expression, a check, table options).
    pub kind: String,
    /// As the source names them: columns for SQLAlchemy, fields for Django.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The source text of an unread item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A partial index's condition (`postgresql_where=`, Django's `condition=Q(...)`): every
    /// term must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub condition: Vec<ConditionTerm>,
}

/// One term of a partial index's condition, on a column (SQLAlchemy) or field (Django).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ConditionTerm {
    pub column: String,
    /// `is_null`, `is_not_null`, `eq`, `ne` (SQL `<>`: false on NULL) or `is_not` (SQL
    /// `IS NOT`: true on NULL).
    pub test: String,
    /// The compared value as a Python literal (`True`, `0`, `'x'`), for `eq`/`ne`/`is_not`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub r#type: String,
    pub pk: bool,
    pub nullable: Option<bool>,
    pub foreign_key: Option<String>,
    /// The column's name in the table when it differs from the attribute (`Column("x", ...)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Literal arguments of the type (`String(120)` -> ["120"], `Numeric(10, 2)` -> ["10", "2"]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub type_args: Vec<String>,
    /// An array column's item type and its literal arguments (`ARRAY(String(50))`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item_args: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<bool>,
    /// The Python-side default as written: a literal (`0`, `'draft'`, `True`) or a dotted name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The foreign key's `ondelete` (`CASCADE`, `SET NULL`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_delete: Option<String>,
    /// Django's `to_field`: the target's field the key points at, when not its primary key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_field: Option<String>,
    /// For a field class of the project (`class OrderField(models.IntegerField)`): the
    /// framework's field class it derives from, nearest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_type: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Relation {
    pub name: String,
    /// foreign_key, one_to_one, many_to_many, relationship (SQLAlchemy), ...
    pub kind: String,
    pub target: String,
    pub through: Option<String>,
    pub related_name: Option<String>,
    /// A Django many-to-many's own join table name (`db_table=`), when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_table: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AuthItem {
    /// e.g. flask_login, flask_jwt_extended, django.contrib.auth, drf, allauth
    pub system: String,
    /// e.g. login_manager, user_loader, decorator, setting, middleware, backend, user_model
    pub kind: String,
    pub name: String,
    pub file: String,
    pub line: u32,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Job {
    /// The name the queue registers it under (Celery: module.function unless name=).
    pub name: String,
    /// celery, rq, dramatiq, huey, apscheduler, django_tasks, django_q, flask_cli, management_command
    pub kind: String,
    pub function: Option<String>,
    pub file: String,
    pub line: u32,
    pub schedule: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Template {
    pub name: String,
    /// Where it is rendered from (call sites), or where the file is.
    pub file: String,
    pub line: u32,
    /// reference (rendered by code) or file (found on disk)
    pub kind: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Form {
    pub name: String,
    pub module: String,
    /// wtforms, django.Form, django.ModelForm, drf.Serializer, ...
    pub kind: String,
    pub fields: Vec<String>,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AdminRegistration {
    /// The model's `module.Name` (or the view's name for Flask-Admin views without a model).
    pub model: String,
    pub admin_class: Option<String>,
    pub site: String,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MigrationSet {
    /// alembic, django
    pub tool: String,
    pub path: String,
    pub app: Option<String>,
    pub count: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Setting {
    pub name: String,
    pub value: Option<String>,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extension {
    /// Distribution name as declared or imported (flask-login, djangorestframework, ...).
    pub name: String,
    /// What the migration must replace it with or how it carries over.
    pub purpose: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Dependency {
    pub name: String,
    pub spec: Option<String>,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct App {
    pub name: String,
    pub module: Option<String>,
    pub own: bool,
    pub models: usize,
    pub routes: usize,
    /// Django: the AppConfig's `default_auto_field`, when it sets one (the implicit `id` type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_auto_field: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AppEdge {
    pub from: String,
    pub to: String,
    pub count: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Signal {
    /// event listener, validator, receiver, ...
    pub kind: String,
    pub name: String,
    pub target: Option<String>,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallRef {
    pub kind: String,
    pub target: Option<String>,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub file: Option<String>,
    pub line: Option<u32>,
    pub message: String,
}

impl Inventory {
    pub fn new(root: String) -> Self {
        Inventory {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "crossport".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            root,
            ..Default::default()
        }
    }

    /// The framework this repository is written in, by the strongest evidence.
    pub fn primary_framework(&self) -> Option<&str> {
        let has = |n: &str| self.frameworks.iter().any(|f| f.name == n);
        let is_django_route = |r: &&Route| r.kind.starts_with("django");
        let is_django_model = |m: &&Model| m.orm == "django";
        let django_surface = self.routes.iter().filter(is_django_route).count()
            + self.models.iter().filter(is_django_model).count();
        let flask_surface = self.routes.iter().filter(|r| !is_django_route(r)).count()
            + self.models.iter().filter(|m| !is_django_model(m)).count();
        match (has("flask"), has("django")) {
            (true, true) => Some(if django_surface >= flask_surface {
                "django"
            } else {
                "flask"
            }),
            (true, false) => Some("flask"),
            (false, true) => Some("django"),
            _ => None,
        }
    }

    /// Appends everything another extractor found.
    pub fn absorb(&mut self, other: Inventory) {
        self.frameworks.extend(other.frameworks);
        self.stats.skipped.extend(other.stats.skipped);
        self.routes.extend(other.routes);
        self.models.extend(other.models);
        self.auth.extend(other.auth);
        self.jobs.extend(other.jobs);
        self.templates.extend(other.templates);
        self.forms.extend(other.forms);
        self.admin.extend(other.admin);
        self.migrations.extend(other.migrations);
        self.settings.extend(other.settings);
        self.extensions.extend(other.extensions);
        self.dependencies.extend(other.dependencies);
        self.apps.extend(other.apps);
        self.app_edges.extend(other.app_edges);
        self.signals.extend(other.signals);
        self.call_sites.extend(other.call_sites);
        self.warnings.extend(other.warnings);
        self.association_tables.extend(other.association_tables);
        self.converters.extend(other.converters);
    }

    /// Sorts every list into a canonical order and removes exact duplicates.
    pub fn finalize(&mut self) {
        // A queued job is listed once per (kind, name) however many places
        // enqueue it; Celery tasks keep every definition (duplicates are a finding).
        self.jobs.sort_by(|a, b| {
            (&a.kind, &a.name, &a.file, a.line).cmp(&(&b.kind, &b.name, &b.file, b.line))
        });
        self.jobs
            .dedup_by(|a, b| a.kind == b.kind && a.name == b.name && a.kind != "celery");
        fn key(file: &str, line: u32) -> (String, u32) {
            (file.to_string(), line)
        }
        self.frameworks.sort();
        self.frameworks.dedup_by(|a, b| a.name == b.name);
        self.converters.sort();
        self.converters.dedup();
        self.stats.skipped.sort();
        self.routes.sort_by(|a, b| {
            (&a.rule, &a.methods, &a.endpoint, &a.file, a.line).cmp(&(
                &b.rule,
                &b.methods,
                &b.endpoint,
                &b.file,
                b.line,
            ))
        });
        self.routes.dedup();
        self.models
            .sort_by(|a, b| (&a.module, &a.name, a.line).cmp(&(&b.module, &b.name, b.line)));
        self.auth
            .sort_by_key(|a| (key(&a.file, a.line), a.kind.clone(), a.name.clone()));
        self.jobs
            .sort_by_key(|j| (j.name.clone(), key(&j.file, j.line), j.kind.clone()));
        self.templates
            .sort_by_key(|t| (t.name.clone(), key(&t.file, t.line), t.kind.clone()));
        self.forms
            .sort_by_key(|f| (f.module.clone(), f.name.clone()));
        self.admin
            .sort_by_key(|a| (a.model.clone(), a.site.clone(), key(&a.file, a.line)));
        self.migrations
            .sort_by_key(|m| (m.path.clone(), m.tool.clone()));
        self.settings
            .sort_by_key(|s| (s.name.clone(), key(&s.file, s.line)));
        self.extensions.sort_by_key(|e| e.name.clone());
        self.extensions.dedup_by(|a, b| a.name == b.name);
        self.dependencies
            .sort_by_key(|d| (d.name.clone(), key(&d.file, d.line)));
        self.apps.sort_by_key(|a| a.name.clone());
        self.app_edges
            .sort_by_key(|e| (e.from.clone(), e.to.clone()));
        self.signals
            .sort_by_key(|s| (key(&s.file, s.line), s.kind.clone(), s.name.clone()));
        self.call_sites.sort();
        self.call_sites.dedup();
        self.warnings.sort();
        self.warnings.dedup();
        self.raw_sql_tables.sort();
        self.raw_sql_tables.dedup();
        self.test_files.sort();
        self.deployment.sort();
        self.association_tables
            .sort_by(|a, b| (&a.name, &a.file, a.line).cmp(&(&b.name, &b.file, b.line)));
        self.association_tables.dedup_by(|a, b| a.name == b.name);
    }

    /// Counts per category, for summaries.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        BTreeMap::from([
            ("routes", self.routes.len()),
            (
                "models",
                self.models.iter().filter(|m| !m.r#abstract).count(),
            ),
            ("auth", self.auth.len()),
            ("jobs", self.jobs.len()),
            ("templates", self.templates.len()),
            ("forms", self.forms.len()),
            ("admin", self.admin.len()),
        ])
    }
}
