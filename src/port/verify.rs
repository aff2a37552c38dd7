//! `--verify`: the target framework checks the draft. A Python with Django, SQLAlchemy and
//! werkzeug (given with `--python`, or a cached virtualenv with pinned versions) runs
//! `verify_django.py` in a subprocess with a timeout, a throwaway folder and HOME. Everything
//! that goes wrong there comes back as a counted finding with the framework's message.

use super::Draft;
use crate::inventory::{Field, Inventory};
use anyhow::{Context, Result, bail};
use rustc_hash::FxHashSet as HashSet;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SCRIPT: &str = include_str!("verify_django.py");
const SCRIPT_FLASK: &str = include_str!("verify_flask.py");
const COMMON: &str = include_str!("verify_common.py");
const BUILD: &str = include_str!("build_schema.py");
/// What the cached virtualenv gets: the versions the verifier was written against.
pub const PINS: &[&str] = &[
    "Django==5.2.19",
    "Flask==3.1.3",
    "Werkzeug==3.1.9",
    "SQLAlchemy==2.0.49",
    "alembic==1.20.1",
    "ruff==0.17.6",
    // django.contrib.postgres (ArrayField) imports a PostgreSQL driver.
    "psycopg[binary]==3.2.13",
];
pub const SCHEMA_SOURCE: &str = "the source models as crossport read them, rendered as plain SQLAlchemy tables and created by SQLAlchemy (proves the translation, not the reading)";
pub const SCHEMA_SOURCE_DJANGO: &str = "the source models as crossport read them, rendered as Django models and migrated by Django into SQLite (proves the translation, not the reading)";

/// Where the source tables of the schema comparison come from (strongest first).
#[derive(Debug, Clone)]
pub enum SchemaSource {
    /// `--database-url`: an existing database, introspected; nothing of the project runs.
    Database(String),
    /// `--build-schema`: the project's own models, imported by the project's Python in a
    /// subprocess, create a scratch SQLite database (the one place project code runs).
    Build {
        python: PathBuf,
        settings: Option<String>,
        root: PathBuf,
    },
    /// The source models as crossport read them, rendered and created by the source ORM.
    Read,
}

/// `postgresql://user:secret@host/db` -> `postgresql://user:***@host/db`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some(x) => x,
        None => return url.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    #[serde(default)]
    pub output: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TableResult {
    pub kind: String,
    pub construct: String,
    pub table: String,
    /// (missing when the verifier stopped inside the entry: not verified)
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub differences: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RouteResult {
    pub rule: String,
    pub url_name: String,
    pub construct: String,
    /// (missing when the verifier stopped inside the entry: not verified)
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub detail: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Verification {
    #[serde(default)]
    pub python: String,
    #[serde(default)]
    pub schema_source: String,
    #[serde(default)]
    pub versions: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub checks: Vec<Check>,
    #[serde(default)]
    pub tables: Vec<TableResult>,
    #[serde(default)]
    pub routes: Vec<RouteResult>,
}

/// One line per construct kind: `models 3/3 schema-identical, 0 TODO`.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    pub kind: String,
    pub total: usize,
    pub identical: usize,
    pub todo: usize,
    pub todo_codes: std::collections::BTreeMap<&'static str, usize>,
}

impl Tally {
    /// `models 41/44 schema-identical, 3 TODO (CP205 x3)`.
    pub fn line(&self) -> String {
        let verb = if self.kind == "routes" {
            "resolve identically"
        } else {
            "schema-identical"
        };
        let codes: Vec<String> = self
            .todo_codes
            .iter()
            .map(|(c, n)| format!("{c} x{n}"))
            .collect();
        format!(
            "{} {}/{} {verb}, {} TODO{}",
            self.kind,
            self.identical,
            self.total,
            self.todo,
            if codes.is_empty() {
                String::new()
            } else {
                format!(" ({})", codes.join(", "))
            }
        )
    }
}

impl Verification {
    /// Findings: failed checks, differing tables, routes that do not resolve identically.
    pub fn findings(&self) -> Vec<String> {
        let mut f: Vec<String> = self
            .checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| format!("{} failed: {}", c.name, first_lines(&c.output, 12)))
            .collect();
        for t in self.tables.iter().filter(|t| t.status != "identical") {
            let construct = if t.construct.is_empty() {
                "no generated model"
            } else {
                &t.construct
            };
            f.push(format!(
                "table {} ({construct}): {}",
                t.table,
                t.differences.join("; ")
            ));
        }
        for r in self.routes.iter().filter(|r| r.status == "differs") {
            f.push(format!("route {} ({}): {}", r.rule, r.construct, r.detail));
        }
        f
    }

    pub fn tallies(&self, draft: &Draft) -> Vec<Tally> {
        let mut out = Vec::new();
        for (kind, label) in [
            ("model", "models"),
            ("association_table", "association tables"),
        ] {
            let rows: Vec<&TableResult> = self.tables.iter().filter(|t| t.kind == kind).collect();
            if rows.is_empty() && draft.counts(kind).0 == 0 {
                continue;
            }
            let (total, todo) = draft.counts(kind);
            // Tables of the built or given source schema that the draft has no model for.
            let missing = rows.iter().filter(|t| t.status == "missing").count();
            // A construct is as identical as its table: a proxy shares its parent's. A class
            // mapping a table another class's model carries (CP201) has no model of its own.
            let identical_tables: HashSet<&str> = rows
                .iter()
                .filter(|t| t.status == "identical")
                .map(|t| t.table.as_str())
                .collect();
            let identical = draft
                .constructs
                .iter()
                .filter(|c| c.kind == kind && !c.todos.contains(&"CP201"))
                .filter(|c| {
                    c.detail
                        .get("table")
                        .is_some_and(|t| identical_tables.contains(t.as_str()))
                })
                .count();
            out.push(Tally {
                kind: label.into(),
                total: total + missing,
                identical,
                todo,
                todo_codes: draft.todo_codes(Some(kind)),
            });
        }
        let (total, todo) = draft.counts("route");
        out.push(Tally {
            kind: "routes".into(),
            total,
            identical: self
                .routes
                .iter()
                .filter(|r| r.status == "identical")
                .count(),
            todo,
            todo_codes: draft.todo_codes(Some("route")),
        });
        out
    }

    pub fn all_verified(&self, draft: &Draft) -> bool {
        self.findings().is_empty()
            && self
                .tallies(draft)
                .iter()
                .all(|t| t.identical == t.total && t.todo == 0)
    }
}

fn first_lines(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let start = lines.len().saturating_sub(n);
    lines[start..].join("\n")
}

/// What the verifier needs: the source tables as crossport read them and the routes.
fn spec(inv: &Inventory, draft: &Draft) -> serde_json::Value {
    let field = |f: &Field| {
        json!({
            "name": f.name, "column": f.column.clone().unwrap_or_else(|| f.name.clone()),
            "type": f.r#type, "type_args": f.type_args, "pk": f.pk, "nullable": f.nullable,
            "unique": f.unique.unwrap_or(false), "foreign_key": f.foreign_key,
            "item_type": f.item_type, "item_args": f.item_args, "base_type": f.base_type,
        })
    };
    let mut tables = Vec::new();
    for c in draft
        .constructs
        .iter()
        .filter(|c| c.kind == "model" || c.kind == "association_table")
    {
        let Some(table) = c.detail.get("table") else {
            continue;
        };
        let on_table = || {
            inv.models
                .iter()
                .filter(|m| !m.r#abstract && m.orm != "django" && m.table.as_ref() == Some(table))
        };
        let constraints: Vec<&crate::inventory::TableConstraint> = if c.kind == "model" {
            on_table().flat_map(|m| m.constraints.iter()).collect()
        } else {
            inv.association_tables
                .iter()
                .filter(|a| &a.name == table)
                .flat_map(|a| a.constraints.iter())
                .collect()
        };
        let fields: Vec<serde_json::Value> = if c.kind == "model" {
            // Every model on the table (single-table inheritance adds the subclasses' columns).
            let mut seen = std::collections::BTreeSet::new();
            on_table()
                .flat_map(|m| m.fields.iter())
                .filter(|f| f.r#type != "declared_attr")
                .filter(|f| seen.insert(f.column.clone().unwrap_or_else(|| f.name.clone())))
                .map(field)
                .collect()
        } else {
            inv.association_tables
                .iter()
                .filter(|a| &a.name == table)
                .flat_map(|a| a.fields.iter())
                .map(field)
                .collect()
        };
        if tables
            .iter()
            .any(|t: &serde_json::Value| t["table"] == json!(table))
        {
            continue; // a proxy on a table already listed
        }
        tables.push(json!({
            "kind": c.kind, "construct": c.source, "table": table, "fields": fields,
            "constraints": constraints,
        }));
    }
    let routes: Vec<serde_json::Value> = draft
        .constructs
        .iter()
        .filter(|c| c.kind == "route")
        .map(|c| {
            json!({
                "rule": c.detail.get("rule"), "url_name": c.detail.get("url_name"),
                "view": c.detail.get("view"), "served": c.detail.get("served").map(|s| s == "true"),
                "construct": c.source, "resolves_as": c.detail.get("resolves_as"),
                "stub": c.detail.get("stub"), "methods": c.detail.get("methods"),
            })
        })
        .collect();
    // The project's own werkzeug converters, so that werkzeug can build its rules' sample URLs.
    let converters: serde_json::Map<String, serde_json::Value> = inv
        .converters
        .iter()
        .filter_map(|c| Some((c.name.clone(), json!(c.regex.as_ref()?))))
        .collect();
    json!({
        "settings": format!("{}.settings", draft.project), "tables": tables, "routes": routes,
        "converters": converters,
    })
}

/// Django -> Flask: the source models as crossport read them (and a key-only model for every
/// parent table they point at), the service's tables, and the routes.
fn spec_flask(inv: &Inventory, draft: &Draft) -> serde_json::Value {
    use crate::plan::django_to_flask as plan;
    let label = draft.apps.first().map(String::as_str);
    let ranked = plan::rank(inv);
    let models = plan::choose(inv, &ranked, label)
        .map(|c| plan::models_of(inv, c, false))
        .unwrap_or_default();
    let keys = super::flask_models::table_keys(inv);
    let mut auto_fields = serde_json::Map::new();
    let mut rendered = Vec::new();
    let mut parents = std::collections::BTreeMap::new();
    let concrete: Vec<&&crate::inventory::Model> = models
        .iter()
        .filter(|m| !m.traits.iter().any(|t| t == "proxy"))
        .collect();
    // Who renders a table: a model of the service, else Django's contrib app, else a key-only
    // model for the parent table.
    let mut owner: std::collections::BTreeMap<String, String> = super::flask_models::CONTRIB
        .iter()
        .map(|(k, t)| (t.to_string(), k.to_string()))
        .collect();
    for m in &concrete {
        if let Some(t) = &m.table {
            owner.insert(t.clone(), super::flask_models::key_of(m));
        }
    }
    for m in concrete {
        let l = m.app_label.clone().unwrap_or_default();
        // A multi-table child is rendered on its parent, so that Django adds the link column.
        let parent = super::flask_models::concrete_parent(inv, m)
            .filter(|_| m.traits.iter().any(|t| t == "multi_table"));
        if let Some(p) = &parent
            && let Some(k) = keys.get(p)
            && !owner.contains_key(&k.table)
        {
            owner.insert(k.table.clone(), p.clone());
            parents.insert(p.clone(), k.clone());
        }
        auto_fields.insert(l.clone(), json!(super::flask_models::auto_field(inv, &l)));
        let fields: Vec<serde_json::Value> = m
            .fields
            .iter()
            .map(|f| {
                let relation = m.relations.iter().find(|r| r.name == f.name);
                let through = relation.and_then(|r| r.through.clone());
                let db_table = relation.and_then(|r| r.db_table.clone());
                let mut target = f.foreign_key.clone();
                if let Some(t) = &f.foreign_key
                    && let Some(k) = keys.get(t)
                {
                    match owner.get(&k.table) {
                        Some(o) => target = Some(o.clone()),
                        None => {
                            owner.insert(k.table.clone(), t.clone());
                            parents.insert(t.clone(), k.clone());
                        }
                    }
                }
                json!({
                    "name": f.name, "type": f.r#type, "type_args": f.type_args, "pk": f.pk,
                    "nullable": f.nullable, "unique": f.unique, "index": f.index,
                    "column": f.column, "foreign_key": target, "on_delete": f.on_delete, "to_field": f.to_field,
                    "through": through, "db_table": db_table, "base_type": f.base_type,
                })
            })
            .collect();
        rendered.push(json!({
            "label": l, "name": m.name, "table": m.table, "fields": fields,
            "parent": parent, "constraints": m.constraints,
            "unmanaged": m.traits.iter().any(|t| t == "unmanaged"),
        }));
    }
    for (key, k) in &parents {
        let (l, name) = key.split_once('.').unwrap_or(("parent", key));
        auto_fields
            .entry(l.to_string())
            .or_insert_with(|| json!(super::flask_models::auto_field(inv, l)));
        rendered.push(json!({
            "label": l, "name": name, "table": k.table,
            "fields": [{"name": k.pk_column, "type": k.pk_type, "type_args": k.pk_args, "pk": true}],
        }));
    }
    let tables: Vec<serde_json::Value> = draft
        .constructs
        .iter()
        .filter(|c| c.kind == "model" || c.kind == "association_table")
        .filter_map(|c| {
            let t = c.detail.get("table")?;
            let unmanaged = c.detail.contains_key("unmanaged");
            Some(json!({"kind": c.kind, "construct": c.source, "table": t, "unmanaged": unmanaged}))
        })
        .collect();
    let routes: Vec<serde_json::Value> = draft
        .constructs
        .iter()
        .filter(|c| c.kind == "route")
        .map(|c| {
            let methods = inv
                .routes
                .iter()
                .find(|r| r.rule == c.source && r.file == c.file && r.line == c.line)
                .map(|r| r.methods.clone())
                .unwrap_or_default();
            json!({
                "rule": c.detail.get("rule"), "url_name": c.detail.get("url_name"),
                "view": c.detail.get("view"), "served": c.detail.get("served").map(|s| s == "true"),
                "construct": c.source, "methods": methods, "remainder": c.detail.get("remainder"),
            })
        })
        .collect();
    json!({
        "package": draft.project, "auto_fields": auto_fields, "models": rendered,
        "tables": tables, "routes": routes,
    })
}

/// The Python to verify with: `--python`, else the cached virtualenv (created on first use).
pub fn python(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    let cache = std::env::var_os("CROSSPORT_PORT_CACHE")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/crossport/port"))
        })
        .context("no HOME to cache the verification virtualenv in: pass --python")?;
    let name = PINS.join("_").replace("==", "-").to_lowercase();
    let venv = cache.join(format!("venv-{}", &name[..name.len().min(120)]));
    let py = venv.join("bin/python");
    if venv.join(".crossport-installed").exists() {
        return Ok(py);
    }
    if venv.exists() {
        std::fs::remove_dir_all(&venv)?; // half-built by an interrupted run
    }
    std::fs::create_dir_all(&cache)?;
    eprintln!(
        "crossport: creating the verification virtualenv {} (python3 -m venv, pip install {})",
        venv.display(),
        PINS.join(" ")
    );
    let st = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .context("cannot run python3 -m venv (is Python 3 installed?)")?;
    if !st.success() {
        bail!("python3 -m venv {} failed", venv.display());
    }
    let st = Command::new(&py)
        .args(["-m", "pip", "install", "--disable-pip-version-check", "-q"])
        .args(PINS)
        .status()
        .context("cannot run pip")?;
    if !st.success() {
        let _ = std::fs::remove_dir_all(&venv);
        bail!(
            "pip install {} failed (network or index?): pass --python with a Python that has them",
            PINS.join(" ")
        );
    }
    std::fs::write(venv.join(".crossport-installed"), PINS.join("\n"))?;
    Ok(py)
}

/// Runs the verifier on the draft in a throwaway folder. Errors of the subprocess become
/// failed checks; only a Python that cannot be started at all is an error here.
pub fn run(
    inv: &Inventory,
    draft: &Draft,
    py: &Path,
    timeout: Duration,
    source: &SchemaSource,
) -> Result<Verification> {
    let work = tempfile::Builder::new()
        .prefix("crossport-verify-")
        .tempdir()?;
    let project = work.path().join("project");
    for (rel, text) in &draft.files {
        let p = project.join(rel);
        std::fs::create_dir_all(p.parent().unwrap())?;
        std::fs::write(&p, text)?;
    }
    let home = work.path().join("home");
    std::fs::create_dir_all(&home)?;
    let to_flask = draft.direction == super::Direction::DjangoToFlask;
    let (mut spec, script, name) = if to_flask {
        (spec_flask(inv, draft), SCRIPT_FLASK, "verify_flask.py")
    } else {
        (spec(inv, draft), SCRIPT, "verify_django.py")
    };
    let mut built_check = None;
    let schema_source = match source {
        SchemaSource::Read => if to_flask {
            SCHEMA_SOURCE_DJANGO
        } else {
            SCHEMA_SOURCE
        }
        .to_string(),
        SchemaSource::Database(url) => {
            spec["source_db"] = json!(url);
            spec["source_missing"] = json!("the database has no such table");
            format!(
                "the database {} (--database-url), introspected; nothing of the project ran",
                redact(url)
            )
        }
        SchemaSource::Build {
            python,
            settings,
            root,
        } => {
            let (check, tables) = build_schema(
                inv,
                draft,
                python,
                settings.as_deref(),
                root,
                work.path(),
                timeout,
            )?;
            let db = work.path().join("source-built.sqlite3");
            spec["source_db"] = json!(format!("sqlite:///{}", db.display()));
            spec["source_missing"] = json!(if check.ok || !tables.is_empty() {
                "the project's own metadata creates no such table"
            } else {
                "the source schema could not be built (see the check \"build the source schema\")"
            });
            let label = draft.apps.first().cloned().unwrap_or_default();
            let wanted: Vec<&String> = tables
                .iter()
                .filter(|(_, app)| !to_flask || **app == label)
                .map(|(t, _)| t)
                .collect();
            spec["source_tables"] = json!(wanted);
            built_check = Some(check);
            format!(
                "the project's own models, imported by {} and created by {} in a scratch SQLite database (--build-schema: project code ran in a subprocess)",
                python.display(),
                if to_flask {
                    "Django's schema editor from the project's settings"
                } else {
                    "SQLAlchemy's create_all of their metadata"
                }
            )
        }
    };
    std::fs::write(work.path().join("spec.json"), serde_json::to_vec(&spec)?)?;
    std::fs::write(work.path().join(name), script)?;
    std::fs::write(work.path().join("verify_common.py"), COMMON)?;
    let stdout = std::fs::File::create(work.path().join("out.json"))?;
    let stderr = std::fs::File::create(work.path().join("err.txt"))?;
    eprintln!(
        "crossport: verifying with {} in a subprocess ({}; timeout {}s)",
        py.display(),
        if to_flask {
            "Django migrate of the source models, schema comparison, alembic check, reverse() and werkzeug matching"
        } else {
            "Django check, makemigrations, migrate, schema and route comparison"
        },
        timeout.as_secs()
    );
    let mut cmd = Command::new(py);
    cmd.arg(work.path().join(name))
        .arg(work.path().join("spec.json"))
        .arg(&project)
        .arg(work.path())
        .current_dir(work.path())
        .env("HOME", &home)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("DJANGO_SETTINGS_MODULE")
        .env_remove("PYTHONPATH")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    let status = wait_with_timeout(&mut cmd, py, timeout)?;
    let out = std::fs::read_to_string(work.path().join("out.json")).unwrap_or_default();
    let err = std::fs::read_to_string(work.path().join("err.txt")).unwrap_or_default();
    let (mut v, parse_error) = match serde_json::from_str::<Verification>(out.trim()) {
        Ok(v) => (v, None),
        Err(e) => (Verification::default(), Some(e)),
    };
    v.python = py.display().to_string();
    v.schema_source = schema_source;
    if let Some(c) = built_check {
        v.checks.insert(0, c);
    }
    match status {
        None => v.checks.push(Check {
            name: "verifier".into(),
            ok: false,
            output: format!("timed out after {}s", timeout.as_secs()),
        }),
        Some(s) if !s.success() || out.trim().is_empty() => v.checks.push(Check {
            name: "verifier".into(),
            ok: false,
            output: format!(
                "exit {}: {}",
                s.code().map_or("signal".into(), |c| c.to_string()),
                first_lines(&err, 20)
            ),
        }),
        _ => {
            if let Some(e) = parse_error {
                v.checks.push(Check {
                    name: "verifier".into(),
                    ok: false,
                    output: format!("unreadable output ({e}): {}", first_lines(&out, 5)),
                });
            }
        }
    }
    Ok(v)
}

/// Runs `cmd` and kills it after `timeout` (None: timed out).
fn wait_with_timeout(
    cmd: &mut Command,
    py: &Path,
    timeout: Duration,
) -> Result<Option<std::process::ExitStatus>> {
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot run {}", py.display()))?;
    let started = Instant::now();
    loop {
        if let Some(s) = child.try_wait()? {
            return Ok(Some(s));
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[derive(Debug, Default, Deserialize)]
struct Built {
    #[serde(default)]
    ok: bool,
    #[serde(default)]
    errors: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    /// Table -> Django app label ("" for SQLAlchemy).
    #[serde(default)]
    tables: std::collections::BTreeMap<String, String>,
}

/// `--build-schema`: the project's Python imports the project's models and creates their tables
/// in `work/source-built.sqlite3`, in a subprocess with a timeout, its own working folder and
/// HOME. Whatever fails comes back as a failed check with the message.
fn build_schema(
    inv: &Inventory,
    draft: &Draft,
    python: &Path,
    settings: Option<&str>,
    root: &Path,
    work: &Path,
    timeout: Duration,
) -> Result<(Check, std::collections::BTreeMap<String, String>)> {
    let dir = work.join("build");
    let home = dir.join("home");
    std::fs::create_dir_all(&home)?;
    let django = draft.direction == super::Direction::DjangoToFlask;
    // each model file with the module crossport named it by (a namespace package above it
    // included)
    let mut files = std::collections::BTreeMap::new();
    if !django {
        for m in inv.models.iter().filter(|m| m.orm != "django") {
            files.insert(m.file.clone(), m.module.clone());
        }
        for a in &inv.association_tables {
            files.insert(a.file.clone(), a.module.clone());
        }
    }
    let result = dir.join("result.json");
    let spec = json!({
        "framework": if django { "django" } else { "flask" },
        "root": root, "files": files, "settings": settings,
        "db": work.join("source-built.sqlite3"), "result": result,
    });
    std::fs::write(dir.join("spec.json"), serde_json::to_vec(&spec)?)?;
    std::fs::write(dir.join("build_schema.py"), BUILD)?;
    let log = dir.join("output.txt");
    eprintln!(
        "crossport: --build-schema: RUNNING PROJECT CODE: {} imports the project's models in a subprocess (throwaway folder and HOME, timeout {}s)",
        python.display(),
        timeout.as_secs()
    );
    let mut cmd = Command::new(python);
    cmd.arg(dir.join("build_schema.py"))
        .arg(dir.join("spec.json"))
        .current_dir(&dir)
        .env("HOME", &home)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log)?)
        .stderr(std::fs::File::create(dir.join("stderr.txt"))?);
    let name = format!(
        "build the source schema with the project's code ({})",
        python.display()
    );
    let status = match wait_with_timeout(&mut cmd, python, timeout) {
        Ok(s) => s,
        Err(e) => {
            let check = Check {
                name,
                ok: false,
                output: format!("{e:#}"),
            };
            return Ok((check, Default::default()));
        }
    };
    let err = std::fs::read_to_string(dir.join("stderr.txt")).unwrap_or_default();
    let built: Option<Built> = std::fs::read_to_string(&result)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let (ok, output, tables) = match (status, built) {
        (None, _) => (
            false,
            format!("timed out after {}s", timeout.as_secs()),
            Default::default(),
        ),
        (Some(_), Some(b)) => {
            let mut lines = b.errors.clone();
            lines.extend(b.notes.iter().cloned());
            (b.ok && b.errors.is_empty(), lines.join("\n"), b.tables)
        }
        (Some(s), None) => (
            false,
            format!(
                "exit {}: {}",
                s.code().map_or("signal".into(), |c| c.to_string()),
                first_lines(&err, 20)
            ),
            Default::default(),
        ),
    };
    Ok((Check { name, ok, output }, tables))
}
