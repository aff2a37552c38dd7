//! Django models -> SQLAlchemy 2.x declarative models on the tables Django creates: `db_table`
//! or `app_label_modelname`, `db_column` or the field name (`<name>_id` for a foreign key), the
//! implicit `id` typed by the app's `default_auto_field`, nullability, `unique`, `max_length`
//! as `String(n)`, the indexes Django adds (foreign keys, `db_index`, slugs) under the names it
//! gives them, and many-to-many join tables (`<table>_<field>`, or the explicit `through`
//! model). Tables of the Django parent that the service's keys point at are declared as
//! minimal tables the Alembic environment leaves alone. What has no counterpart is a TODO.

use super::{Construct, Draft, Todo, py_ident, py_str, split_top, wrap_call};
use crate::inventory::{ConditionTerm, Field, Inventory, Model};
use std::collections::{BTreeMap, BTreeSet};

/// A table a model or a join lives on, and the type of its primary key column.
#[derive(Debug, Clone, PartialEq)]
pub struct TableKey {
    pub table: String,
    pub pk_column: String,
    /// The Django field class of the key (`AutoField`, `BigAutoField`, `UUIDField`, ...).
    pub pk_type: String,
    pub pk_args: Vec<String>,
}

/// Tables of `django.contrib` that project models often point at.
pub const CONTRIB: &[(&str, &str)] = &[
    ("auth.User", "auth_user"),
    ("auth.Group", "auth_group"),
    ("auth.Permission", "auth_permission"),
    ("contenttypes.ContentType", "django_content_type"),
    ("sites.Site", "django_site"),
];

/// What the rest of the service needs from the models.
#[derive(Debug, Default)]
pub struct ModelsOut {
    /// The service's own tables (models and join tables), for the Alembic environment.
    pub tables: Vec<String>,
    /// Tables of the Django parent referenced by a key.
    pub parent_tables: Vec<String>,
    /// Model name -> class in models.py.
    pub classes: BTreeMap<String, String>,
}

/// The type of the implicit `id`: the app's AppConfig, else DEFAULT_AUTO_FIELD, else AutoField.
pub fn auto_field(inv: &Inventory, label: &str) -> String {
    let from_app = inv
        .apps
        .iter()
        .find(|a| a.name == label || a.name.rsplit('.').next() == Some(label))
        .and_then(|a| a.default_auto_field.clone());
    let from_settings = inv
        .settings
        .iter()
        .find(|s| s.name == "DEFAULT_AUTO_FIELD")
        .and_then(|s| s.value.clone());
    let dotted = from_app
        .or(from_settings)
        .unwrap_or_else(|| "AutoField".into());
    dotted
        .trim_matches(|c| c == '"' || c == '\'')
        .rsplit('.')
        .next()
        .unwrap_or("AutoField")
        .to_string()
}

fn is_proxy(m: &Model) -> bool {
    m.traits.iter().any(|t| t == "proxy")
}

/// `label.Name` of a model.
pub fn key_of(m: &Model) -> String {
    format!("{}.{}", m.app_label.as_deref().unwrap_or(""), m.name)
}

/// Every Django model's table and key, by `label.Name`.
pub fn table_keys(inv: &Inventory) -> BTreeMap<String, TableKey> {
    let mut out = BTreeMap::new();
    for (k, t) in CONTRIB {
        out.insert(
            k.to_string(),
            TableKey {
                table: t.to_string(),
                pk_column: "id".into(),
                pk_type: "AutoField".into(),
                pk_args: Vec::new(),
            },
        );
    }
    for m in inv
        .models
        .iter()
        .filter(|m| m.orm == "django" && !m.r#abstract)
    {
        let Some(table) = &m.table else { continue };
        let label = m.app_label.as_deref().unwrap_or("");
        let key = match m.fields.iter().find(|f| f.pk) {
            Some(f) => TableKey {
                table: table.clone(),
                pk_column: column_name(f),
                pk_type: f.r#type.clone(),
                pk_args: f.type_args.clone(),
            },
            None => TableKey {
                table: table.clone(),
                pk_column: "id".into(),
                pk_type: auto_field(inv, label),
                pk_args: Vec::new(),
            },
        };
        // `to_field` naming the key itself (the implicit `id` has no field)
        let pk_name = m
            .fields
            .iter()
            .find(|f| f.pk)
            .map_or("id", |f| f.name.as_str());
        out.insert(format!("{}:{pk_name}", key_of(m)), key.clone());
        out.insert(key_of(m), key);
        // the columns other models' keys point at by `to_field`: by `label.Name:field`
        for f in &m.fields {
            out.insert(
                format!("{}:{}", key_of(m), f.name),
                TableKey {
                    table: table.clone(),
                    pk_column: column_name(f),
                    pk_type: f.r#type.clone(),
                    pk_args: f.type_args.clone(),
                },
            );
        }
    }
    // A proxy lives on its concrete parent's table (a project model or a contrib one); a child
    // of multi-table inheritance keys its own table by `<parent>_ptr_id`, of the parent's key
    // type. Chains of children resolve one level a round.
    // (model, its parent's key, the link column of a multi-table child; None for a proxy)
    let children: Vec<(&Model, String, Option<String>)> = inv
        .models
        .iter()
        .filter(|m| m.orm == "django")
        .filter_map(|m| {
            let parent = concrete_parent(inv, m)?;
            if is_proxy(m) {
                Some((m, parent, None))
            } else {
                parent_link(inv, m).map(|ptr| (m, parent, Some(ptr)))
            }
        })
        .collect();
    for _ in 0..children.len() {
        let mut changed = false;
        for (m, parent, ptr) in &children {
            let Some(parent) = out.get(parent).cloned() else {
                continue;
            };
            let key = match ptr {
                None => parent,
                Some(ptr) => TableKey {
                    table: m.table.clone().unwrap_or_default(),
                    pk_column: ptr.clone(),
                    ..parent
                },
            };
            if out.get(&key_of(m)) != Some(&key) {
                out.insert(key_of(m), key);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// The model key (`label.Name`) of the concrete model `m` inherits from: a project model or a
/// `django.contrib` one, directly or through abstract models (whose own bases are searched in
/// turn, as Django links a child to the nearest concrete ancestor).
pub fn concrete_parent(inv: &Inventory, m: &Model) -> Option<String> {
    let mut todo: Vec<&str> = m.bases.iter().rev().map(String::as_str).collect();
    let mut seen = BTreeSet::new();
    while let Some(b) = todo.pop() {
        let Some((module, name)) = b.rsplit_once('.') else {
            continue;
        };
        if !seen.insert(b) {
            continue;
        }
        match inv
            .models
            .iter()
            .find(|p| p.module == module && p.name == name)
        {
            Some(p) if !p.r#abstract => return Some(key_of(p)),
            Some(p) => todo.extend(p.bases.iter().rev().map(String::as_str)),
            None => {
                if let Some(label) = module
                    .strip_prefix("django.contrib.")
                    .and_then(|r| r.split('.').next())
                {
                    return Some(format!("{label}.{name}"));
                }
            }
        }
    }
    None
}

/// The key column of a multi-table child that declares no key of its own: Django's implicit
/// `<parent>_ptr` one-to-one link, named after the parent class.
fn parent_link(inv: &Inventory, m: &Model) -> Option<String> {
    if !m.traits.iter().any(|t| t == "multi_table") || m.fields.iter().any(|f| f.pk) {
        return None;
    }
    let parent = concrete_parent(inv, m)?;
    let name = parent.rsplit('.').next()?;
    Some(format!("{}_ptr_id", name.to_ascii_lowercase()))
}

/// The column Django creates for a field (a key's is `<name>_id` whether or not its target
/// was read).
fn column_name(f: &Field) -> String {
    if let Some(c) = &f.column {
        return c.clone();
    }
    if is_relation(&f.r#type) {
        format!("{}_id", f.name)
    } else {
        f.name.clone()
    }
}

/// A field class that stores a key to another model, as the Django model reader sees one (a
/// library's `ForeignKey` subclass too: django-mptt's `TreeForeignKey`, modelcluster's
/// `ParentalKey`).
fn is_relation(t: &str) -> bool {
    matches!(t, "OneToOneField" | "ParentalKey") || t.ends_with("ForeignKey")
}

/// A Django field class as a SQLAlchemy type expression and its Python annotation.
pub fn sa_type(t: &str, args: &[String]) -> Option<(String, &'static str)> {
    let n = |d: &str| args.first().cloned().unwrap_or_else(|| d.to_string());
    Some(match t {
        "AutoField" | "SmallAutoField" | "IntegerField" | "PositiveIntegerField" => {
            ("Integer".into(), "int")
        }
        // SQLite keeps a 64-bit key as its integer row id (what Django creates there).
        "BigAutoField" => (
            "BigInteger().with_variant(Integer(), \"sqlite\")".into(),
            "int",
        ),
        "SmallIntegerField" | "PositiveSmallIntegerField" => ("SmallInteger".into(), "int"),
        "BigIntegerField" | "PositiveBigIntegerField" => ("BigInteger".into(), "int"),
        "CharField" if args.is_empty() => ("String".into(), "str"),
        "CharField" => (format!("String({})", n("")), "str"),
        "SlugField" => (format!("String({})", n("50")), "str"),
        "EmailField" => (format!("String({})", n("254")), "str"),
        "URLField" => (format!("String({})", n("200")), "str"),
        "FileField" | "ImageField" | "FilePathField" => (format!("String({})", n("100")), "str"),
        "GenericIPAddressField" => ("String(39)".into(), "str"),
        "IPAddressField" => ("String(15)".into(), "str"),
        "TextField" => ("Text".into(), "str"),
        "BooleanField" | "NullBooleanField" => ("Boolean".into(), "bool"),
        "DateField" => ("Date".into(), "datetime.date"),
        "DateTimeField" => ("DateTime".into(), "datetime.datetime"),
        "TimeField" => ("Time".into(), "datetime.time"),
        "DecimalField" if args.len() == 2 => (
            format!("Numeric({}, {})", args[0], args[1]),
            "decimal.Decimal",
        ),
        // Django's float column: `real` on SQLite, `double precision` elsewhere.
        "FloatField" => ("Double().with_variant(REAL(), \"sqlite\")".into(), "float"),
        "UUIDField" => ("Uuid".into(), "uuid.UUID"),
        "JSONField" => ("DjangoJSON".into(), "Any"),
        "DurationField" => ("DjangoDuration".into(), "datetime.timedelta"),
        "HStoreField" => ("HSTORE".into(), "dict"),
        "BinaryField" => ("LargeBinary".into(), "bytes"),
        _ => return None,
    })
}

/// A Django field's SQLAlchemy type: `sa_type`, or PostgreSQL's array of a mapped item type.
fn column_type(f: &Field) -> Option<(String, &'static str)> {
    match f.r#type.as_str() {
        "ArrayField" => {
            let (item, _) = sa_type(f.item_type.as_deref()?, &f.item_args)?;
            Some((format!("ARRAY({item})"), "list"))
        }
        t => sa_type(t, &f.type_args),
    }
}

/// The type of a key column pointing at `to` (an auto key becomes a plain integer).
fn fk_type(to: &TableKey) -> Option<(String, &'static str)> {
    match to.pk_type.as_str() {
        "AutoField" => Some(("Integer".into(), "int")),
        "BigAutoField" => Some(("BigInteger".into(), "int")),
        "SmallAutoField" => Some(("SmallInteger".into(), "int")),
        t => sa_type(t, &to.pk_args),
    }
}

/// `Field.default` as a SQLAlchemy `default=`: literals and a few well-known callables.
fn default_arg(d: &str) -> Option<String> {
    let literal =
        d.starts_with('"') || d.parse::<f64>().is_ok() || matches!(d, "True" | "False" | "None");
    if literal {
        return Some(d.to_string());
    }
    match d {
        "dict" | "list" | "uuid.uuid4" => Some(d.into()),
        _ => None,
    }
}

/// Attribute names SQLAlchemy's declarative base keeps for itself, and the modules models.py
/// imports (a class attribute named `uuid` would hide the module from the annotations after
/// it: `Mapped[uuid.UUID]`).
const RESERVED: &[&str] = &[
    "metadata", "registry", "query", "datetime", "decimal", "hashlib", "json", "os", "uuid",
];

/// The construct of a model, generated as `generated` in `place`.
fn model_construct(
    m: &Model,
    generated: String,
    detail: BTreeMap<String, String>,
    todos: Vec<&'static str>,
) -> Construct {
    Construct {
        kind: "model",
        source: format!("{}.{}", m.module, m.name),
        file: m.file.clone(),
        line: m.line,
        generated,
        detail,
        todos,
    }
}

fn todo(m: &Model, code: &'static str, reason: String, place: &str) -> Todo {
    Todo {
        code,
        kind: "model",
        construct: format!("{}.{}", m.module, m.name),
        reason,
        file: m.file.clone(),
        line: m.line,
        place: place.to_string(),
    }
}

/// `Index(django_index_name(table, [cols]), cols...)`, wrapped as ruff would (the name call
/// split in turn when it does not fit on its own line).
fn index_line(indent: usize, table: &str, cols: &[&str], unique: bool) -> String {
    named_index(indent, "django_index_name", table, cols, unique)
}

/// `Index(name(table, [cols]...), cols...)` with `name` one of the naming helpers written into
/// models.py.
fn named_index(indent: usize, helper: &str, table: &str, cols: &[&str], unique: bool) -> String {
    let list: Vec<String> = cols.iter().map(|c| py_str(c)).collect();
    let mut name_args = vec![py_str(table), format!("[{}]", list.join(", "))];
    if unique {
        name_args.push("\"_uniq\"".into());
    }
    let name = format!("{helper}({})", name_args.join(", "));
    let mut args = vec![name.clone()];
    args.extend(list.iter().cloned());
    if unique {
        args.push("unique=True".into());
    }
    let out = wrap_call(indent, "Index(", &args, "),");
    let inner = indent + 4;
    let exploded = out.lines().nth(1) == Some(&format!("{}{name},", " ".repeat(inner)));
    // `{pad}{name},` fits when the name leaves room for its comma.
    if !exploded || inner + name.chars().count() < 88 {
        return out;
    }
    let mut o = format!("{}Index(\n", " ".repeat(indent));
    o.push_str(&wrap_call(inner, &format!("{helper}("), &name_args, "),"));
    for a in &args[1..] {
        o.push_str(&format!("{}{a},\n", " ".repeat(inner)));
    }
    o.push_str(&format!("{}),\n", " ".repeat(indent)));
    o
}

/// Writes `<package>/models.py` for the extracted models.
pub fn generate(inv: &Inventory, models: &[&Model], package: &str, draft: &mut Draft) -> ModelsOut {
    let place = format!("{package}/models.py");
    let keys = table_keys(inv);
    // The concrete model of a proxy the set does not hold (a proxy of another app's model) is
    // mapped too, so that the proxy has its table; it is not the service's model (no construct
    // of its own, its table not in SERVICE_TABLES). Not when its class name is taken.
    let mut foreign: Vec<&Model> = Vec::new();
    for m in models.iter().filter(|m| is_proxy(m)) {
        let Some(p) = concrete_parent(inv, m) else {
            continue;
        };
        let concrete = inv
            .models
            .iter()
            .find(|x| x.orm == "django" && !x.r#abstract && key_of(x) == p);
        if let Some(c) = concrete
            && !models.iter().chain(&foreign).any(|x| x.name == c.name)
        {
            foreign.push(c);
        }
    }
    let is_foreign = |m: &Model| foreign.iter().any(|f| std::ptr::eq(*f, m));
    let models: Vec<&Model> = models
        .iter()
        .copied()
        .chain(foreign.iter().copied())
        .collect();
    // A proxy has no table of its own: a key to one points at its concrete model's table.
    let mine: BTreeSet<String> = models
        .iter()
        .filter(|m| !is_proxy(m))
        .map(|m| key_of(m))
        .collect();
    let mut out = ModelsOut::default();
    for m in &models {
        out.classes.insert(m.name.clone(), py_ident(&m.name));
    }
    // (table, column) of the keys of parent tables the service's keys point at
    // (a table's key before the `to_field` columns: the key is the first column written)
    let mut parents: BTreeMap<(String, bool, String), &TableKey> = BTreeMap::new();
    let mut classes = Vec::new();
    let mut joins = Vec::new();
    let mut annotations: BTreeSet<&str> = BTreeSet::new();
    // The table each model reads: its own, or for a proxy its concrete model's.
    let table_of = |m: &Model| match is_proxy(m) {
        true => keys.get(&key_of(m)).map(|k| k.table.clone()),
        false => Some(m.table.clone().unwrap_or_else(|| {
            let label = m.app_label.as_deref().unwrap_or("");
            format!("{label}_{}", m.name.to_ascii_lowercase())
        })),
    };
    // The first model of the set on a table maps it; a proxy of it, or another model on the
    // same table (Django lets only one of them be managed), is mapped on that class's table.
    let mut mapper_of: BTreeMap<String, String> = BTreeMap::new();
    for m in models.iter().filter(|m| !is_proxy(m)) {
        if let Some(t) = table_of(m) {
            mapper_of.entry(t).or_insert_with(|| py_ident(&m.name));
        }
    }
    let mut shared = Vec::new();
    // tables of unmanaged models (as Python literals): mapped, not the service's to migrate
    let mut unowned: BTreeSet<String> = BTreeSet::new();
    for &m in &models {
        let class = py_ident(&m.name);
        let mut todos = Vec::new();
        let mut detail = BTreeMap::new();
        let label = m.app_label.as_deref().unwrap_or("");
        if let Some(table) = table_of(m)
            && let Some(owner) = mapper_of.get(&table).filter(|o| **o != class)
        {
            let what = if is_proxy(m) {
                "a proxy of"
            } else {
                "on the table of"
            };
            shared.push(format!(
                "class {class}(Base):\n    \"\"\"`{}.{}` ({}:{}): {what} `{owner}`.\"\"\"\n\n    __table__ = {owner}.__table__\n",
                m.module, m.name, m.file, m.line
            ));
            detail.insert("table".into(), table);
            detail.insert("class".into(), class.clone());
            draft.constructs.push(model_construct(
                m,
                format!("{place}: {class}"),
                detail,
                Vec::new(),
            ));
            continue;
        }
        if is_proxy(m) {
            let t = todo(
                m,
                "CP207",
                format!(
                    "proxy model `{}`: no table of its own; query its concrete model instead",
                    m.name
                ),
                &place,
            );
            draft.constructs.push(model_construct(
                m,
                format!("{place}: TODO"),
                detail,
                vec![t.code],
            ));
            classes.push(t.comment() + "\n");
            draft.todos.push(t);
            continue;
        }
        let table = table_of(m).unwrap_or_default();
        detail.insert("table".into(), table.clone());
        detail.insert("class".into(), class.clone());
        for tr in &m.traits {
            let why = match tr.as_str() {
                "multi_table" if parent_link(inv, m).is_none() => {
                    "multi-table inheritance: the link to the parent's table was not found; write its key column by hand"
                }
                "generic_fk" => {
                    "GenericForeignKey: the content_type and object_id columns are mapped, the generic relation is not"
                }
                "composite_pk" => {
                    "composite primary key: declare the key columns with primary_key=True"
                }
                _ => continue,
            };
            todos.push(todo(m, "CP207", why.into(), &place));
        }
        let mut lines: Vec<String> = Vec::new();
        let mut indexes: Vec<String> = Vec::new();
        let mut rels: Vec<String> = Vec::new();
        let mut used: BTreeSet<String> = BTreeSet::new();
        // Django field name -> column, for the constraints of Meta.
        let mut column_of: BTreeMap<&str, String> = BTreeMap::new();
        let ptr = parent_link(inv, m);
        let parent_key = concrete_parent(inv, m).and_then(|p| keys.get(&p).map(|k| (p, k)));
        if let (Some(ptr), Some((parent, to))) = (&ptr, parent_key) {
            // Multi-table inheritance: the row's key is a one-to-one link to the parent's row;
            // the parent's columns stay on the parent's table.
            let (ty, py) = fk_type(to).unwrap_or(("Integer".into(), "int"));
            annotations.insert(py);
            if !mine.contains(&parent) {
                parents.insert((to.table.clone(), false, to.pk_column.clone()), to);
            }
            used.insert(ptr.clone());
            lines.push(wrap_call(
                4,
                &format!("{ptr}: Mapped[{py}] = mapped_column("),
                &[
                    ty,
                    format!(
                        "ForeignKey({}, deferrable=True, initially=\"DEFERRED\")",
                        py_str(&format!("{}.{}", to.table, to.pk_column))
                    ),
                    "primary_key=True".into(),
                ],
                ")",
            ));
        } else if !m.fields.iter().any(|f| f.pk) {
            column_of.insert("id", "id".into());
            let auto = auto_field(inv, label);
            let (ty, py) = sa_type(&auto, &[]).unwrap_or(("Integer".into(), "int"));
            annotations.insert(py);
            used.insert("id".into());
            lines.push(wrap_call(
                4,
                &format!("id: Mapped[{py}] = mapped_column("),
                &[ty, "primary_key=True".into()],
                ")",
            ));
        }
        for f in &m.fields {
            if f.r#type.ends_with("ManyToManyField")
                || f.base_type.as_deref() == Some("ManyToManyField")
            {
                // a join table, written below from the relation when it was read
                if !m.relations.iter().any(|r| r.name == f.name) {
                    let why = format!(
                        "many-to-many `{}` (`{}`): its target was not read, no join table written",
                        f.name, f.r#type
                    );
                    let t = todo(m, "CP703", why, &place);
                    lines.push(format!("    {}", t.comment()));
                    todos.push(t);
                }
                continue;
            }
            let column = column_name(f);
            column_of.insert(&f.name, column.clone());
            let relation = is_relation(&f.r#type);
            let mut attr = if relation && f.column.is_none() {
                column.clone()
            } else {
                py_ident(&f.name)
            };
            if RESERVED.contains(&attr.as_str()) {
                attr.push('_');
            }
            used.insert(attr.clone());
            let mut args: Vec<String> = Vec::new();
            if attr != column {
                args.push(py_str(&column));
            }
            let typed = if relation {
                let target = match (&f.foreign_key, &f.to_field) {
                    (Some(t), Some(field)) => format!("{t}:{field}"),
                    (t, _) => t.clone().unwrap_or_default(),
                };
                match keys.get(&target) {
                    Some(to) => fk_type(to).map(|t| (t, Some(to))),
                    None => None,
                }
            } else {
                column_type(f).map(|t| (t, None))
            };
            // A field class of the project: its column is its Django base's, what it does to
            // values on the way in and out is the project's code (a TODO).
            let typed = typed.or_else(|| {
                let base = f.base_type.as_deref()?;
                let t = sa_type(base, &f.type_args)?;
                let why = format!(
                    "column `{column}` has the project's field class `{}`: mapped as its Django base `{base}`; what the class does to values is not ported",
                    f.r#type
                );
                let t_ = todo(m, "CP703", why, &place);
                lines.push(format!("    {}", t_.comment()));
                todos.push(t_);
                Some((t, None))
            });
            let Some(((ty, py), to)) = typed else {
                let why = if relation {
                    format!(
                        "column `{column}`: key to `{}`, a model crossport did not find; written as an integer without a foreign key",
                        f.foreign_key.as_deref().unwrap_or("?")
                    )
                } else {
                    format!(
                        "column `{column}` has type `{}`, which has no SQLAlchemy mapping here; written as Text",
                        f.r#type
                    )
                };
                let t = todo(m, "CP703", why, &place);
                lines.push(format!("    {}", t.comment()));
                todos.push(t);
                let py = if relation { "int" } else { "str" };
                annotations.insert(py);
                args.insert(
                    usize::from(attr != column),
                    if relation { "Integer" } else { "Text" }.into(),
                );
                if f.nullable == Some(true) {
                    lines.push(wrap_call(
                        4,
                        &format!("{attr}: Mapped[{py} | None] = mapped_column("),
                        &args,
                        ")",
                    ));
                } else {
                    lines.push(wrap_call(
                        4,
                        &format!("{attr}: Mapped[{py}] = mapped_column("),
                        &args,
                        ")",
                    ));
                }
                continue;
            };
            annotations.insert(py);
            args.push(ty);
            if let Some(to) = to {
                if !mine.contains(f.foreign_key.as_deref().unwrap_or("")) {
                    let by_field = f.to_field.is_some();
                    parents.insert((to.table.clone(), by_field, to.pk_column.clone()), to);
                }
                // Django creates every key DEFERRABLE INITIALLY DEFERRED.
                args.push(format!(
                    "ForeignKey({}, deferrable=True, initially=\"DEFERRED\")",
                    py_str(&format!("{}.{}", to.table, to.pk_column))
                ));
            }
            if f.pk {
                args.push("primary_key=True".into());
            }
            let unique = !f.pk && (f.unique == Some(true) || f.r#type == "OneToOneField");
            if unique {
                args.push("unique=True".into());
            }
            let indexed = !f.pk
                && !unique
                && (relation
                    || f.index == Some(true)
                    || (f.r#type == "SlugField" && f.index != Some(false)));
            if indexed {
                indexes.push(index_line(8, &table, &[&column], false));
            }
            if let Some(d) = f.default.as_deref().and_then(default_arg) {
                args.push(format!("default={d}"));
            }
            let nullable = f.nullable == Some(true) && !f.pk;
            let ann = if nullable {
                format!("{py} | None")
            } else {
                py.to_string()
            };
            lines.push(wrap_call(
                4,
                &format!("{attr}: Mapped[{ann}] = mapped_column("),
                &args,
                ")",
            ));
            let target = f.foreign_key.as_deref().unwrap_or("");
            if relation
                && mine.contains(target)
                && !used.contains(&f.name)
                && f.column.is_none()
                && !RESERVED.contains(&f.name.as_str())
            {
                let tclass = py_ident(target.rsplit('.').next().unwrap_or(target));
                let ann = if nullable {
                    format!("\"{tclass} | None\"")
                } else {
                    format!("\"{tclass}\"")
                };
                rels.push(wrap_call(
                    4,
                    &format!("{}: Mapped[{ann}] = relationship(", py_ident(&f.name)),
                    &[format!(
                        "foreign_keys={}",
                        py_str(&format!("{class}.{attr}"))
                    )],
                    ")",
                ));
            }
        }
        // Many-to-many: Django's join table, or the explicit through model.
        for r in m.relations.iter().filter(|r| r.kind == "many_to_many") {
            if let Some(through) = &r.through {
                let name = through.rsplit('.').next().unwrap_or(through);
                if models.iter().any(|x| x.name == name) {
                    continue; // a model of the service, mapped on its own
                }
                let t = todo(
                    m,
                    "CP703",
                    format!(
                        "many-to-many `{}` goes through `{through}`, which is not a model of the service",
                        r.name
                    ),
                    &place,
                );
                lines.push(format!("    {}", t.comment()));
                todos.push(t);
                continue;
            }
            let Some(to) = keys.get(&r.target) else {
                let t = todo(
                    m,
                    "CP703",
                    format!(
                        "many-to-many `{}` to `{}`, a model crossport did not find: no join table written",
                        r.name, r.target
                    ),
                    &place,
                );
                lines.push(format!("    {}", t.comment()));
                todos.push(t);
                continue;
            };
            if !mine.contains(&r.target) {
                parents.insert((to.table.clone(), false, to.pk_column.clone()), to);
            }
            let join = r
                .db_table
                .clone()
                .unwrap_or_else(|| format!("{table}_{}", r.name));
            let me = keys.get(&key_of(m));
            let (from_col, to_col) = if r.target == key_of(m) {
                let low = m.name.to_ascii_lowercase();
                (format!("from_{low}_id"), format!("to_{low}_id"))
            } else {
                (
                    format!("{}_id", m.name.to_ascii_lowercase()),
                    format!(
                        "{}_id",
                        r.target
                            .rsplit('.')
                            .next()
                            .unwrap_or("")
                            .to_ascii_lowercase()
                    ),
                )
            };
            let auto = auto_field(inv, label);
            let (id_ty, _) = sa_type(&auto, &[]).unwrap_or(("Integer".into(), "int"));
            let col = |name: &str, key: Option<&TableKey>| {
                let (ty, _) = key.and_then(fk_type).unwrap_or(("Integer".into(), "int"));
                let fk = key.map_or(String::new(), |k| {
                    format!(
                        "ForeignKey({}, deferrable=True, initially=\"DEFERRED\")",
                        py_str(&format!("{}.{}", k.table, k.pk_column))
                    )
                });
                wrap_call(
                    4,
                    "Column(",
                    &[py_str(name), ty, fk, "nullable=False".into()],
                    "),",
                )
            };
            let mut j = format!(
                "{} = Table(\n    {},\n    Base.metadata,\n",
                py_ident(&join),
                py_str(&join)
            );
            j.push_str(&wrap_call(
                4,
                "Column(",
                &[py_str("id"), id_ty, "primary_key=True".into()],
                "),",
            ));
            j.push_str(&col(&from_col, me));
            j.push_str(&col(&to_col, Some(to)));
            j.push_str(&index_line(4, &join, &[&from_col, &to_col], true));
            j.push_str(&index_line(4, &join, &[&from_col], false));
            j.push_str(&index_line(4, &join, &[&to_col], false));
            j.push_str(")\n");
            joins.push((join.clone(), j, m, r.name.clone()));
            if mine.contains(&r.target) && !used.contains(&r.name) {
                let tclass = py_ident(r.target.rsplit('.').next().unwrap_or(""));
                rels.push(wrap_call(
                    4,
                    &format!(
                        "{}: Mapped[list[\"{tclass}\"]] = relationship(",
                        py_ident(&r.name)
                    ),
                    &[format!("secondary={}", py_str(&join))],
                    ")",
                ));
            }
        }
        for c in &m.constraints {
            let columns: Option<Vec<&str>> = c
                .columns
                .iter()
                .map(|f| column_of.get(f.as_str()).map(String::as_str))
                .collect();
            let quoted = |cols: &[&str]| cols.iter().map(|c| py_str(c)).collect::<Vec<_>>();
            // a condition (a partial index): SQLAlchemy's index with the same WHERE clause
            if !c.condition.is_empty() {
                let cond = where_sql(&c.condition, &column_of);
                match (c.kind.as_str(), columns, &c.name, cond) {
                    ("unique" | "index", Some(cols), Some(name), Some(cond)) => {
                        let mut args = vec![py_str(name)];
                        args.extend(quoted(&cols));
                        if c.kind == "unique" {
                            args.push("unique=True".into());
                        }
                        for dialect in ["postgresql", "sqlite"] {
                            args.push(format!("{dialect}_where=text({})", py_str(&cond)));
                        }
                        indexes.push(wrap_call(8, "Index(", &args, "),"));
                    }
                    _ => todos.push(todo(
                        m,
                        "CP207",
                        format!(
                            "{} on ({}) with a condition: not carried over (a field it names is not mapped, or it has no name)",
                            c.kind,
                            c.columns.join(", ")
                        ),
                        &place,
                    )),
                }
                continue;
            }
            let why = match (c.kind.as_str(), columns, &c.name) {
                // unique_together: Django names it as it names indexes, with `_uniq`.
                ("unique", Some(cols), None) => {
                    indexes.push(index_line(8, &table, &cols, true));
                    continue;
                }
                ("unique", Some(cols), Some(name)) => {
                    let mut args = quoted(&cols);
                    args.push(format!("name={}", py_str(name)));
                    indexes.push(wrap_call(8, "UniqueConstraint(", &args, "),"));
                    continue;
                }
                ("index", Some(cols), None) => {
                    indexes.push(named_index(
                        8,
                        "django_meta_index_name",
                        &table,
                        &cols,
                        false,
                    ));
                    continue;
                }
                ("index", Some(cols), Some(name)) => {
                    let mut args = vec![py_str(name)];
                    args.extend(quoted(&cols));
                    indexes.push(wrap_call(8, "Index(", &args, "),"));
                    continue;
                }
                ("unread", _, _) => format!(
                    "`{}` in Meta is not carried over: add it to __table_args__ under the name Django gave it",
                    c.text.as_deref().unwrap_or_default()
                ),
                (kind, _, _) => format!(
                    "{kind} on ({}) names a field the model does not map",
                    c.columns.join(", ")
                ),
            };
            todos.push(todo(m, "CP207", why, &place));
        }
        let mut body = format!(
            "class {class}(Base):\n    \"\"\"`{}.{}` ({}:{}).\"\"\"\n\n",
            m.module, m.name, m.file, m.line
        );
        for t in &todos {
            if !lines.iter().any(|l| l.trim() == t.comment()) {
                body.push_str(&format!("    {}\n", t.comment()));
            }
        }
        if m.traits.iter().any(|t| t == "unmanaged") {
            body.push_str(
                "    # Django leaves this table to the database (managed = False): mapped, not in\n    # SERVICE_TABLES, so Alembic neither creates nor changes it.\n",
            );
            unowned.insert(py_str(&table));
            detail.insert("unmanaged".into(), "true".into());
        } else if is_foreign(m) {
            body.push_str(
                "    # Another app's model, mapped for the proxies of it below: its table stays the\n    # parent's (not in SERVICE_TABLES).\n",
            );
            unowned.insert(py_str(&table));
        }
        body.push_str(&format!("    __tablename__ = {}\n", py_str(&table)));
        if let [one] = indexes.as_slice()
            && !one.trim_end().contains('\n')
            && one.trim().len() + "    __table_args__ = ()".len() <= 88
        {
            // A one-element tuple's comma is not a magic one: ruff joins it onto one line.
            body.push_str(&format!("    __table_args__ = ({})\n", one.trim()));
        } else if !indexes.is_empty() {
            body.push_str("    __table_args__ = (\n");
            for i in &indexes {
                body.push_str(i);
            }
            body.push_str("    )\n");
        }
        body.push('\n');
        for l in &lines {
            body.push_str(l.trim_end());
            body.push('\n');
        }
        if !rels.is_empty() {
            body.push('\n');
            for l in &rels {
                body.push_str(l);
            }
        }
        classes.push(body);
        if is_foreign(m) {
            draft.todos.extend(todos);
            continue;
        }
        out.tables.push(table.clone());
        draft.constructs.push(model_construct(
            m,
            format!("{place}: {class}"),
            detail,
            todos.iter().map(|t| t.code).collect(),
        ));
        draft.todos.extend(todos);
    }
    for (join, _, m, field) in &joins {
        out.tables.push(join.clone());
        let mut detail = BTreeMap::new();
        detail.insert("table".into(), join.clone());
        draft.constructs.push(Construct {
            kind: "association_table",
            source: format!("{}.{}.{field}", m.module, m.name),
            file: m.file.clone(),
            line: m.line,
            generated: format!("{place}: {}", py_ident(join)),
            detail,
            todos: Vec::new(),
        });
    }
    // after the classes whose tables they map
    classes.extend(shared);
    out.parent_tables = parents.keys().map(|(t, ..)| t.clone()).collect();
    out.parent_tables.dedup();
    draft.files.insert(
        place,
        models_py(&classes, &joins, &parents, &annotations, &unowned),
    );
    out
}

type Join<'a> = (String, String, &'a Model, String);

fn models_py(
    classes: &[String],
    joins: &[Join],
    parents: &BTreeMap<(String, bool, String), &TableKey>,
    annotations: &BTreeSet<&str>,
    unowned: &BTreeSet<String>,
) -> String {
    let mut o = String::from(
        "\"\"\"SQLAlchemy models on the tables Django created for these models (same names, columns and\nindexes), so the service can run against the database Django migrated.\n\"\"\"\n\n",
    );
    let json = classes.iter().any(|c| uses_name(c, "DjangoJSON"));
    let duration = classes.iter().any(|c| uses_name(c, "DjangoDuration"));
    let mut std_imports = vec!["hashlib", "os"];
    if json {
        std_imports.push("json");
    }
    if annotations.iter().any(|a| a.starts_with("datetime.")) {
        std_imports.push("datetime");
    }
    if annotations.iter().any(|a| a.starts_with("decimal.")) {
        std_imports.push("decimal");
    }
    let uses_uuid = annotations.iter().any(|a| a.starts_with("uuid."))
        || classes.iter().any(|c| c.contains("default=uuid.uuid4"));
    if uses_uuid {
        std_imports.push("uuid");
    }
    std_imports.sort();
    for i in &std_imports {
        o.push_str(&format!("import {i}\n"));
    }
    if annotations.contains("Any") {
        o.push_str("from typing import Any\n");
    }
    o.push('\n');
    let all: String = classes.concat()
        + &joins.iter().map(|j| j.1.clone()).collect::<String>()
        + if parents.is_empty() { "" } else { "Column(" };
    let mut sa: Vec<&str> = [
        "ARRAY",
        "JSON",
        "REAL",
        "BigInteger",
        "Double",
        "Boolean",
        "Column",
        "Date",
        "DateTime",
        "Float",
        "ForeignKey",
        "Index",
        "Integer",
        "LargeBinary",
        "Numeric",
        "SmallInteger",
        "String",
        "Table",
        "Text",
        "Time",
        "TypeDecorator",
        "UniqueConstraint",
        "Uuid",
    ]
    .into_iter()
    .filter(|n| uses_name(&all, n))
    .collect();
    if json {
        sa.extend(["JSON", "Text", "TypeDecorator"]);
    }
    if all.contains("_where=text(") {
        sa.extend(["Index", "text"]);
    }
    if duration {
        sa.extend(["BigInteger", "TypeDecorator"]);
    }
    if !parents.is_empty() {
        for n in ["Column", "Table"] {
            if !sa.contains(&n) {
                sa.push(n);
            }
        }
        for k in parents.values() {
            if let Some((ty, _)) = fk_type(k) {
                let base = ty.split('(').next().unwrap_or("").to_string();
                if let Some(n) = [
                    "Integer",
                    "BigInteger",
                    "SmallInteger",
                    "String",
                    "Uuid",
                    "Text",
                ]
                .into_iter()
                .find(|n| *n == base)
                    && !sa.contains(&n)
                {
                    sa.push(n);
                }
            }
        }
    }
    sa.sort();
    sa.dedup();
    o.push_str(&import_from("sqlalchemy", &sa));
    let hstore = classes.iter().any(|c| uses_name(c, "HSTORE"));
    let postgresql: Vec<&str> = [(hstore, "HSTORE"), (duration, "INTERVAL"), (json, "JSONB")]
        .into_iter()
        .filter_map(|(used, name)| used.then_some(name))
        .collect();
    if !postgresql.is_empty() {
        o.push_str(&import_from("sqlalchemy.dialects.postgresql", &postgresql));
    }
    let orm: Vec<&str> = ["DeclarativeBase", "Mapped", "mapped_column"]
        .into_iter()
        .chain(all.contains("relationship(").then_some("relationship"))
        .collect();
    o.push_str(&import_from("sqlalchemy.orm", &orm));
    o.push_str(
        "\n# Django shortens index names to the database's limit: 63 on PostgreSQL (the default\n# here), 64 on MySQL, 200 on SQLite (set DJANGO_MAX_NAME_LENGTH to match yours).\nMAX_NAME_LENGTH = int(os.environ.get(\"DJANGO_MAX_NAME_LENGTH\", \"63\"))\n\n\n",
    );
    o.push_str(DJANGO_INDEX_NAME);
    if all.contains("django_meta_index_name(") {
        o.push_str("\n\n");
        o.push_str(DJANGO_META_INDEX_NAME);
    }
    if json {
        o.push_str("\n\n");
        o.push_str(DJANGO_JSON);
    }
    if duration {
        o.push_str("\n\n");
        o.push_str(DJANGO_DURATION);
    }
    o.push_str("\n\nclass Base(DeclarativeBase):\n    pass\n");
    if !parents.is_empty() {
        o.push_str("\n\n# Tables of the Django parent the service's keys point at: declared so that the keys\n# resolve, left alone by the Alembic environment (see migrations/env.py).\n");
        // one table per name: its key (the first column) and the columns `to_field` names
        let mut tables: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for ((t, ..), k) in parents {
            let (ty, _) = fk_type(k).unwrap_or(("Integer".into(), "int"));
            let columns = tables.entry(t).or_default();
            let key = if columns.is_empty() {
                "primary_key"
            } else {
                "unique"
            };
            columns.push(format!(
                "Column({}, {ty}, {key}=True)",
                py_str(&k.pk_column)
            ));
        }
        for (t, columns) in tables {
            let args: Vec<String> = [py_str(t), "Base.metadata".into()]
                .into_iter()
                .chain(columns)
                .collect();
            o.push_str(&wrap_call(0, "Table(", &args, ")"));
        }
    }
    for c in classes {
        o.push_str("\n\n");
        o.push_str(c);
    }
    for j in joins {
        o.push_str("\n\n");
        o.push_str(&j.1);
    }
    let mut o = rewrap_long_calls(&o);
    let own: Vec<String> = classes
        .iter()
        .filter_map(|c| {
            c.lines()
                .find_map(|l| l.trim().strip_prefix("__tablename__ = "))
                .map(String::from)
        })
        .filter(|t| !unowned.contains(t))
        .chain(joins.iter().map(|j| py_str(&j.0)))
        .collect();
    o.push_str("\n\n# The tables this service owns (Alembic manages these and no others).\n");
    // A list literal that does not fit on one line is exploded, one item a line (ruff).
    let one = format!("SERVICE_TABLES = [{}]", own.join(", "));
    if one.chars().count() <= 88 {
        o.push_str(&one);
        o.push('\n');
    } else {
        o.push_str("SERVICE_TABLES = [\n");
        for t in &own {
            o.push_str(&format!("    {t},\n"));
        }
        o.push_str("]\n");
    }
    o
}

/// Splits every line that is a lone call argument too long for 88 columns (`    Name(a, b),`)
/// the way ruff does: arguments on one indented line if they fit, else one a line; nested calls
/// that still do not fit are split in turn.
fn rewrap_long_calls(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(&rewrap_line(line));
    }
    out
}

fn rewrap_line(line: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    let body = line.trim_start();
    let (body, comma) = match body.strip_suffix(',') {
        Some(b) => (b, ","),
        None => (body, ""),
    };
    let name_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(0);
    let is_call = name_end > 0
        && body[name_end..].starts_with('(')
        && body.ends_with(')')
        && split_top(&body[name_end + 1..body.len() - 1]).is_some();
    if line.chars().count() <= 88 || !is_call {
        return format!("{line}\n");
    }
    let args = split_top(&body[name_end + 1..body.len() - 1]).unwrap_or_default();
    let wrapped = wrap_call(
        indent,
        &format!("{}(", &body[..name_end]),
        &args,
        &format!("){comma}"),
    );
    wrapped.lines().map(rewrap_line).collect()
}

/// Whether `name` appears in `text` as a whole identifier.
/// The SQL of a partial index's condition (every term holds), on the columns of the fields it
/// names; None when a field is not mapped.
fn where_sql(terms: &[ConditionTerm], column_of: &BTreeMap<&str, String>) -> Option<String> {
    let parts: Option<Vec<String>> = terms
        .iter()
        .map(|t| {
            let col = format!("\"{}\"", column_of.get(t.column.as_str())?);
            let value = match t.value.as_deref() {
                Some("True") => "true".to_string(),
                Some("False") => "false".to_string(),
                // a string literal: SQL's quotes (one with an escape is left to a TODO)
                Some(v) if v.starts_with(['"', '\'']) => {
                    let inner = &v[1..v.len() - 1];
                    if inner.contains('\\') {
                        return None;
                    }
                    format!("'{}'", inner.replace('\'', "''"))
                }
                Some(v) => v.to_string(),
                None => String::new(),
            };
            Some(match t.test.as_str() {
                "is_null" => format!("{col} IS NULL"),
                "is_not_null" => format!("{col} IS NOT NULL"),
                "eq" => format!("{col} = {value}"),
                "ne" => format!("{col} <> {value}"),
                _ => format!("{col} IS NOT {value}"),
            })
        })
        .collect();
    parts.map(|p| p.join(" AND "))
}

fn uses_name(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '"';
    text.match_indices(name).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(ident)
            && !text[i + name.len()..].chars().next().is_some_and(ident)
    })
}

/// `from module import a, b` on one line when it fits, else one name a line (as ruff formats
/// an import it has to split); nothing when no name is used.
pub fn import_from(module: &str, names: &[&str]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let one = format!("from {module} import {}\n", names.join(", "));
    if one.chars().count() <= 89 {
        return one;
    }
    let mut o = format!("from {module} import (\n");
    for n in names {
        o.push_str(&format!("    {n},\n"));
    }
    o.push_str(")\n");
    o
}

const DJANGO_JSON: &str = r#"class DjangoJSON(TypeDecorator):
    """JSON in the column Django's JSONField creates: jsonb on PostgreSQL, text holding JSON on
    SQLite, JSON elsewhere."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB())
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Text())
        return dialect.type_descriptor(JSON())

    def process_bind_param(self, value, dialect):
        if dialect.name == "sqlite" and value is not None:
            return json.dumps(value)
        return value

    def process_result_value(self, value, dialect):
        if dialect.name == "sqlite" and value is not None:
            return json.loads(value)
        return value
"#;

const DJANGO_DURATION: &str = r#"class DjangoDuration(TypeDecorator):
    """A timedelta in the column Django's DurationField creates: interval on PostgreSQL, a
    count of microseconds (bigint) elsewhere."""

    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(INTERVAL())
        return dialect.type_descriptor(BigInteger())

    def process_bind_param(self, value, dialect):
        if dialect.name != "postgresql" and value is not None:
            return value // datetime.timedelta(microseconds=1)
        return value

    def process_result_value(self, value, dialect):
        if dialect.name != "postgresql" and value is not None:
            return datetime.timedelta(microseconds=value)
        return value
"#;

const DJANGO_INDEX_NAME: &str = r#"def django_index_name(table, columns, suffix=""):
    """The name Django's schema editor gives an index (the same algorithm), so that Alembic
    finds the indexes Django created under the names it expects."""
    digest = hashlib.md5(usedforsecurity=False)
    for name in (table, *columns):
        digest.update(name.encode())
    part = digest.hexdigest()[:8] + suffix
    name = f"{table}_{'_'.join(columns)}_{part}"
    if len(name) <= MAX_NAME_LENGTH:
        return name
    if len(part) > MAX_NAME_LENGTH / 3:
        part = part[: MAX_NAME_LENGTH // 3]
    other = (MAX_NAME_LENGTH - len(part)) // 2 - 1
    name = f"{table[:other]}_{'_'.join(columns)[:other]}_{part}"
    if name[0] == "_" or name[0].isdigit():
        name = f"D{name[:-1]}"
    return name
"#;

const DJANGO_META_INDEX_NAME: &str = r#"def django_meta_index_name(table, columns):
    """The name Django gives an index of Meta.indexes declared without one."""
    digest = hashlib.md5(usedforsecurity=False)
    for name in (table, *columns, "idx"):
        digest.update(name.encode())
    name = f"{table[:11]}_{columns[0][:7]}_{digest.hexdigest()[:6]}_idx"
    if name[0] == "_" or name[0].isdigit():
        name = f"D{name[1:]}"
    return name
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_nested_calls_split_like_ruff() {
        let line = format!(
            "    Column(\"x\", Uuid, ForeignKey(\"{}.id\", deferrable=True, initially=\"DEFERRED\"), nullable=False),",
            "t".repeat(40)
        );
        let out = rewrap_long_calls(&line);
        assert!(out.lines().all(|l| l.chars().count() <= 88), "{out}");
        assert!(out.contains("        ForeignKey(\n            \""), "{out}");
        assert_eq!(
            split_top("a, \"b, c\", f(d, e)"),
            Some(vec!["a".into(), "\"b, c\"".into(), "f(d, e)".into()])
        );
    }
}
