//! SQLAlchemy models as Flask apps declare them: Flask-SQLAlchemy `db.Model`,
//! `declarative_base()`, 2.0 `DeclarativeBase` with `Mapped[...]`, `registry()`,
//! mixins and `__abstract__`, table names (explicit or Flask-SQLAlchemy's
//! default), columns, relationships, and the traits the migration guide singles
//! out as hard to port (polymorphic inheritance, composite keys, events).

use super::Ctx;
use super::objects::{Kind, Objects};
use crate::inventory::{
    AssociationTable, ConditionTerm, Field, Inventory, Model, Relation, Signal, TableConstraint,
};
use crate::python::ir::{Call, ClassDef, Expr, Stmt};
use crate::python::scope::{self, Scope};
use crate::python::{SourceModule, classes};
use rustc_hash::FxHashSet as HashSet;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

const DECLARATIVE_FACTORIES: &[&str] = &[
    "sqlalchemy.orm.declarative_base",
    "sqlalchemy.ext.declarative.declarative_base",
    "sqlalchemy.orm.decl_api.declarative_base",
    "sqlalchemy.ext.declarative.api.declarative_base",
];
const AS_DECLARATIVE: &[&str] = &[
    "sqlalchemy.orm.as_declarative",
    "sqlalchemy.orm.decl_api.as_declarative",
    "sqlalchemy.ext.declarative.as_declarative",
    "sqlalchemy.ext.declarative.api.as_declarative",
];
const DECLARATIVE_CLASSES: &[&str] = &[
    "sqlalchemy.orm.DeclarativeBase",
    "sqlalchemy.orm.DeclarativeBaseNoMeta",
    "sqlalchemy.orm.decl_api.DeclarativeBase",
];
/// Declarative bases that libraries export ready-made: their subclasses are models.
const LIBRARY_BASES: &[&str] = &[
    // Flask-AppBuilder (and Superset, Airflow's webserver): `from flask_appbuilder import Model`.
    "flask_appbuilder.Model",
    "flask_appbuilder.models.sqla.Model",
];
/// The classical mapping function (SQLAlchemy before 2.0).
const MAPPER_FUNCS: &[&str] = &["sqlalchemy.orm.mapper", "sqlalchemy.orm.mapperlib.mapper"];
const EVENT_FUNCS: &[&str] = &[
    "sqlalchemy.event.listens_for",
    "sqlalchemy.event.listen",
    "sqlalchemy.event.api.listens_for",
    "sqlalchemy.event.api.listen",
];

struct Bases {
    /// Ids that make a subclass a mapped model.
    roots: HashSet<String>,
    /// Roots that come from Flask-SQLAlchemy (default table names apply).
    flask_sqlalchemy: HashSet<String>,
    /// `declarative_base(cls=Mixin)`: root -> the class whose body every model shares.
    mixins: BTreeMap<String, String>,
    /// Roots that are models themselves (`@registry.mapped`), not only bases.
    mapped: HashSet<String>,
}

pub fn extract(ctx: &Ctx, objs: &Objects, inv: &mut Inventory) {
    let bases = find_bases(ctx, objs);
    let imperative = imperative_models(ctx);
    if bases.roots.is_empty() && imperative.is_empty() {
        return;
    }
    let events = find_events(ctx, inv);
    let resolver = &ctx.project.resolver;
    // Every project class that is a model (or an abstract model base).
    let mut model_ids: BTreeMap<String, bool> = BTreeMap::new(); // id -> flask_sqlalchemy
    for (id, _) in ctx.own_classes() {
        let anc = ancestors_with_aliases(ctx, id);
        if let Some(root) = anc.iter().find(|a| bases.roots.contains(*a)) {
            model_ids.insert(id.clone(), bases.flask_sqlalchemy.contains(root));
        } else if bases.mapped.contains(id) {
            model_ids.insert(id.clone(), false);
        }
    }
    // Abstract-ness and mapped-ness, computed in order of inheritance depth.
    let mut models: BTreeMap<String, Model> = BTreeMap::new();
    for (id, fsqla) in &model_ids {
        let (m, c) = ctx.classes.get(id).expect("indexed class");
        if bases.roots.contains(id) && !bases.mapped.contains(id) {
            continue; // `class Base(DeclarativeBase)` itself
        }
        models.insert(
            id.clone(),
            build(ctx, &bases, &model_ids, m, c, id, *fsqla, &events),
        );
    }
    // Single-table subclasses share their parent's table.
    let ids: Vec<String> = models.keys().cloned().collect();
    for id in ids {
        if models[&id].table.is_some() || models[&id].r#abstract {
            continue;
        }
        let parent = ctx.classes.ancestors(resolver, &id).into_iter().find(|a| {
            models
                .get(a)
                .is_some_and(|p| !p.r#abstract && p.table.is_some())
        });
        if let Some(p) = parent {
            let t = models[&p].table.clone();
            models.get_mut(&id).unwrap().table = t;
        }
    }
    module_constraints(ctx, &mut models);
    // A class mapped both ways is SQLAlchemy's error; the declarative reading stands.
    for Imperative {
        model: mut m,
        on_class,
        call,
    } in imperative
    {
        if let Some(decl) = on_class {
            let Some(d) = models.get(&decl) else { continue };
            m.table = d.table.clone();
            m.fields = d.fields.clone();
            m.constraints = d.constraints.clone();
            if d.traits.iter().any(|t| t == "composite_pk") {
                m.traits.insert(0, "composite_pk".into());
            }
        }
        map_properties(&mut m, &call);
        let id = format!("{}.{}", m.module, m.name);
        if events.contains_key(&id) {
            m.traits.push("events".into());
        }
        models.entry(id).or_insert(m);
    }
    class_keys(&mut models);
    let secondary: Vec<(String, String)> = models
        .values()
        .flat_map(|m| {
            m.relations
                .iter()
                .filter_map(|r| r.through.clone().map(|t| (m.module.clone(), t)))
        })
        .collect();
    let pairs: Vec<(&str, &str)> = secondary
        .iter()
        .map(|(m, t)| (m.as_str(), t.as_str()))
        .collect();
    inv.association_tables
        .extend(association_tables(ctx, &pairs));
    inv.models.extend(models.into_values());
}

/// The declarative bases: `db.Model` of every `SQLAlchemy()` object,
/// `declarative_base()` results, and `DeclarativeBase` subclasses.
fn find_bases(ctx: &Ctx, objs: &Objects) -> Bases {
    let mut roots: HashSet<String> = LIBRARY_BASES.iter().map(|b| b.to_string()).collect();
    let mut fsqla = HashSet::default();
    let mut mixins = BTreeMap::new();
    for o in objs.of_kind(Kind::Sqlalchemy) {
        roots.insert(format!("{}.Model", o.id));
        fsqla.insert(format!("{}.Model", o.id));
    }
    let resolver = &ctx.project.resolver;
    for (id, (module, value)) in ctx.values.iter() {
        if let Expr::Call(c) = value {
            let f = c
                .func
                .dotted()
                .map(|d| resolver.resolve(module, &d))
                .unwrap_or_default();
            let generate = matches!(&c.func, Expr::Attr(_, m) if m == "generate_base");
            if DECLARATIVE_FACTORIES.contains(&f.as_str())
                || generate
                || returns_declarative_base(ctx, &f)
            {
                roots.insert(id.to_string());
                // `declarative_base(cls=Base)`: Base's columns are every model's
                if let Some(cls) = c.kwarg("cls").and_then(|e| e.dotted()) {
                    mixins.insert(id.to_string(), resolver.resolve(module, &cls));
                }
            }
        }
    }
    // `class Base(DeclarativeBase)`: only the direct subclass is a base; its
    // own subclasses are the models.
    for (id, (m, c)) in ctx.own_classes() {
        if ctx
            .classes
            .bases(resolver, m, c)
            .iter()
            .any(|b| DECLARATIVE_CLASSES.contains(&b.as_str()))
        {
            roots.insert(id.clone());
        }
    }
    // Classes mapped with `@registry.mapped`; `@as_declarative()` makes a
    // class the declarative base (its subclasses are the models).
    let mut mapped = HashSet::default();
    for (id, (m, c)) in ctx.own_classes() {
        let sc = Scope::module_scope(m);
        if c.decorators.iter().any(|d| {
            matches!(d.last_name(), Some("mapped" | "mapped_as_dataclass"))
                && sc.resolve(resolver, d).is_some()
        }) {
            mapped.insert(id.clone());
            roots.insert(id.clone());
        } else if c.decorators.iter().any(|d| {
            let callee = d.as_call().map_or(d, |call| &call.func);
            sc.resolve(resolver, callee)
                .is_some_and(|f| AS_DECLARATIVE.contains(&f.as_str()))
        }) {
            roots.insert(id.clone());
        }
    }
    // A base from outside the scanned code (`from some_helpers import Base`)
    // is a declarative base when the classes deriving from it declare
    // `__tablename__`, one of them with SQLAlchemy columns, from no base known
    // already, and none is only mixed into a model of a known base: that
    // class is mapped whatever its base's origin. A mixin some of whose
    // subclasses have no table (`UserMixin`) is not a base.
    let columns = |m: &SourceModule, c: &ClassDef| {
        let sc = Scope::module_scope(m);
        c.assignments().any(|(_, v, _, _)| {
            v.and_then(|v| v.as_call())
                .and_then(|call| sc.resolve(resolver, &call.func))
                .is_some_and(|f| COLUMN_CALLS.contains(&f.as_str()))
        })
    };
    let own: Vec<_> = ctx.own_classes().collect();
    let rooted = |id: &str| {
        ancestors_with_aliases(ctx, id)
            .iter()
            .any(|a| roots.contains(a))
    };
    let outside_bases = |m: &SourceModule, c: &ClassDef| -> Vec<String> {
        let mut bases = ctx.classes.bases(resolver, m, c);
        bases.retain(|b| ctx.classes.get(b).is_none());
        bases
    };
    // the outside bases of classes with a table and columns (rarely any)
    let mut seeds: BTreeSet<String> = BTreeSet::new();
    for (id, (m, c)) in &own {
        if c.attr("__tablename__").is_some() && columns(m, c) && !rooted(id) {
            seeds.extend(outside_bases(m, c));
        }
    }
    if !seeds.is_empty() {
        let mixed_in: HashSet<String> = own
            .iter()
            .filter(|(id, _)| rooted(id))
            .flat_map(|(_, (m, c))| ctx.classes.bases(resolver, m, c))
            .collect();
        for (id, (m, c)) in &own {
            let tabled = c.attr("__tablename__").is_some()
                || matches!(c.attr("__abstract__"), Some(Expr::Bool(true)));
            if !tabled || mixed_in.contains(id.as_str()) {
                for b in outside_bases(m, c) {
                    seeds.remove(&b);
                }
            }
        }
    }
    let outside = seeds;
    roots.extend(outside);
    Bases {
        roots,
        flask_sqlalchemy: fsqla,
        mixins,
        mapped,
    }
}

/// SQLAlchemy's column constructors, as a declarative class body calls them.
const COLUMN_CALLS: &[&str] = &[
    "sqlalchemy.Column",
    "sqlalchemy.schema.Column",
    "sqlalchemy.sql.schema.Column",
    "sqlalchemy.orm.mapped_column",
];

/// Whether a project function returns a declarative base: the result of a base factory, or a
/// class it defines as one (`@as_declarative()`, a `DeclarativeBase` subclass), as flexget's
/// `Base = versioned_base("plugin", 1)` does.
fn returns_declarative_base(ctx: &Ctx, function: &str) -> bool {
    let Some((fd, m)) = ctx.project.function(function) else {
        return false;
    };
    let Some(body) = ctx.project.sources.body(m, fd) else {
        return false;
    };
    let resolver = &ctx.project.resolver;
    let sc = Scope::module_scope(m);
    let resolves_to = |e: &Expr, names: &[&str]| {
        let callee = e.as_call().map_or(e, |c| &c.func);
        sc.resolve(resolver, callee)
            .is_some_and(|f| names.contains(&f.as_str()))
    };
    let base_class = |name: &str| {
        body.iter().any(|s| match s {
            Stmt::Class(c) if c.name.as_ref() as &str == name => {
                c.decorators.iter().any(|d| resolves_to(d, AS_DECLARATIVE))
                    || c.bases.iter().any(|b| resolves_to(b, DECLARATIVE_CLASSES))
            }
            _ => false,
        })
    };
    body.iter().any(|s| match s {
        Stmt::Return(Some(Expr::Name(n)), _) => base_class(n),
        Stmt::Return(Some(e @ Expr::Call(_)), _) => resolves_to(e, DECLARATIVE_FACTORIES),
        _ => false,
    })
}

/// A mixin of an installed package that `python::mount` read (Flask-Security's
/// `FsUserMixin`), with the mixins it derives from there: SQLAlchemy copies their
/// `Column` attributes into each model's table as it does a project mixin's. A class
/// there that names a table is a mapped model, not a mixin.
fn library_mixins<'p>(ctx: &Ctx<'p>, id: &str) -> Vec<(&'p SourceModule, &'p ClassDef)> {
    let project = ctx.project;
    crate::python::classes::mro(project, id)
        .iter()
        .filter_map(|k| crate::python::classes::find(project, k))
        .filter(|(m, c)| !project.is_own_module(&m.module) && c.attr("__tablename__").is_none())
        .collect()
}

/// Ancestors, with `Model = db.Model`-style aliases followed to what they name.
fn ancestors_with_aliases(ctx: &Ctx, id: &str) -> Vec<String> {
    let resolver = &ctx.project.resolver;
    let mut out = Vec::new();
    for a in ctx.classes.ancestors(resolver, id) {
        let cur = ctx.values.follow_aliases(resolver, a.clone());
        if cur != a {
            out.push(cur.clone());
            // The alias may itself be a class with further ancestors.
            out.extend(ctx.classes.ancestors(resolver, &cur));
        }
        out.push(a);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn build(
    ctx: &Ctx,
    bases: &Bases,
    model_ids: &BTreeMap<String, bool>,
    module: &SourceModule,
    class: &ClassDef,
    id: &str,
    fsqla: bool,
    events: &BTreeMap<String, Vec<String>>,
) -> Model {
    let resolver = &ctx.project.resolver;
    let is_abstract = matches!(class.attr("__abstract__"), Some(Expr::Bool(true)));
    let ancestors = ctx.classes.ancestors(resolver, id);
    // Mapped parents (inheritance) versus mixins/abstract bases (fields copied in).
    let mapped_parent = ancestors.iter().find(|a| {
        model_ids.contains_key(*a)
            && !bases.roots.contains(*a)
            && ctx
                .classes
                .get(a)
                .is_some_and(|(_, c)| !matches!(c.attr("__abstract__"), Some(Expr::Bool(true))))
    });
    let mut fields = Vec::new();
    let mut relations = Vec::new();
    let mut traits = BTreeSet::new();
    // Own body first, then mixins and abstract bases up to the first mapped parent.
    let mut sources: Vec<(&SourceModule, &ClassDef)> = vec![(module, class)];
    for a in &ancestors {
        if Some(a) == mapped_parent {
            break;
        }
        if bases.roots.contains(a) {
            sources.extend(shared_classes(ctx, bases, a));
            continue;
        }
        if let Some((m, c)) = ctx.classes.get(a) {
            let is_model_base = model_ids.contains_key(a);
            let abstract_base = matches!(c.attr("__abstract__"), Some(Expr::Bool(true)));
            if !is_model_base || abstract_base {
                sources.push((m, c));
            }
        } else {
            sources.extend(library_mixins(ctx, a));
        }
    }
    let mut seen = HashSet::default();
    let annotation_map = type_annotation_map(ctx, &ancestors, (module, class));
    for (m, c) in &sources {
        read_body(
            ctx,
            m,
            c,
            &annotation_map,
            &mut fields,
            &mut relations,
            &mut traits,
            &mut seen,
        );
    }
    if let Some(args) = class.attr("__mapper_args__") {
        let text = format!("{args:?}");
        if text.contains("polymorphic") {
            traits.insert("polymorphic".to_string());
        }
    }
    // `@declared_attr def __mapper_args__(cls)`: computed, so it may name a discriminator.
    if class
        .methods()
        .any(|m| m.name.as_ref() as &str == "__mapper_args__")
    {
        traits.insert("polymorphic".to_string());
    }
    if mapped_parent.is_some() {
        traits.insert("polymorphic".to_string());
    }
    let mut constraints = Vec::new();
    if let Some(args) = class.attr("__table_args__") {
        traits.insert("table_args".to_string());
        let foreign_keys;
        (constraints, foreign_keys) = table_args(args, &fields);
        if apply_table_keys(&mut fields, &mut constraints, foreign_keys) {
            traits.insert("composite_pk".to_string());
        }
    }
    if fields.iter().filter(|f: &&Field| f.pk).count() > 1 {
        traits.insert("composite_pk".to_string());
    }
    if events.contains_key(id) {
        traits.insert("events".to_string());
    }
    let explicit_table = match class.attr("__tablename__") {
        Some(e) => scope::const_str(&Scope::module_scope(module), resolver, ctx.values, e).ok(),
        None => None,
    };
    let table_obj = class
        .attr("__table__")
        .and_then(|e| e.as_call())
        .and_then(|c| c.args.first())
        .and_then(|a| a.as_str().map(String::from));
    let has_pk = fields.iter().any(|f| f.pk);
    let inherited_table = ancestors.iter().any(|a| {
        ctx.classes.get(a).is_some_and(|(_, c)| {
            c.attr("__tablename__").is_some()
                && !matches!(c.attr("__abstract__"), Some(Expr::Bool(true)))
        })
    });
    // `@declared_attr def __tablename__(cls): return cls.__name__.lower()` on the class, a
    // mixin or the declarative base (SQLAlchemy's documented mixin idiom). Evaluated for every
    // mapped class, a subclass of a mapped class too: that one gets a table of its own.
    let declared = if is_abstract {
        None
    } else {
        std::iter::once((module, class))
            .chain(
                ancestors
                    .iter()
                    .flat_map(|a| match bases.roots.contains(a) {
                        true => shared_classes(ctx, bases, a),
                        false => ctx.classes.get(a).into_iter().collect(),
                    }),
            )
            .find_map(|(m, c)| declared_tablename(ctx, m, c))
            .and_then(|lower| {
                lower.map(|lower| {
                    if lower {
                        class.name.to_string().to_lowercase()
                    } else {
                        class.name.to_string()
                    }
                })
            })
    };
    let table = explicit_table.or(table_obj).or(declared).or_else(|| {
        if is_abstract {
            None
        } else if mapped_parent.is_some() {
            // Joined inheritance gets its own table only when it has its own key.
            (fsqla && has_pk).then(|| snake_case(&class.name))
        } else if fsqla && (has_pk || !inherited_table) {
            Some(snake_case(&class.name))
        } else {
            None
        }
    });
    // A root model with no table and no key cannot be mapped: it is a base in
    // practice. Unless a library mixin we cannot read supplies both (Flask-Dance's
    // `OAuthConsumerMixin` declares `__tablename__` and `id`).
    let library_mixin = ancestors.iter().any(|a| {
        ctx.classes.get(a).is_none()
            && !bases.roots.contains(a)
            && a.ends_with("Mixin")
            && !a.starts_with("sqlalchemy.")
            && !a.starts_with("flask_sqlalchemy.")
    });
    let unmapped =
        !is_abstract && mapped_parent.is_none() && table.is_none() && !has_pk && !library_mixin;
    Model {
        name: class.name.to_string(),
        module: module.module.clone(),
        table,
        file: module.path.clone(),
        line: class.pos.line,
        r#abstract: is_abstract || unmapped,
        orm: "sqlalchemy".into(),
        app_label: None,
        bases: ctx.classes.bases(resolver, module, class),
        fields,
        relations,
        traits: traits.into_iter().collect(),
        constraints,
    }
}

/// The classes whose bodies a declarative base gives every model: an `@as_declarative()`
/// class, or the `cls=` of `declarative_base(cls=...)`, with all it inherits in Python's MRO
/// (a base in another module, a mixin of an installed library read by `python::mount`).
fn shared_classes<'p>(
    ctx: &Ctx<'p>,
    bases: &Bases,
    root: &str,
) -> Vec<(&'p SourceModule, &'p ClassDef)> {
    let shared = bases.mixins.get(root).map_or(root, String::as_str);
    classes::mro(ctx.project, shared)
        .iter()
        .filter_map(|c| classes::find(ctx.project, c))
        .collect()
}

/// A single-column `ForeignKeyConstraint` of `__table_args__`: (column, target, ondelete).
type TableForeignKey = (String, String, Option<String>);

/// The items of `__table_args__`: a tuple of constraints and indexes, optionally ending in a
/// dict of table options, or the dict alone. An item is read when its columns are named by
/// string literals or by the class's column attributes, and a partial index's condition when
/// `condition` reads it; anything else is kept `unread` with its text, so the port can say so.
/// Single-column foreign-key constraints come back apart, to be set on their column.
fn table_args(args: &Expr, fields: &[Field]) -> (Vec<TableConstraint>, Vec<TableForeignKey>) {
    let items: &[Expr] = match args {
        Expr::Tuple(v) | Expr::List(v) => v,
        other => std::slice::from_ref(other),
    };
    let unread = |e: &Expr| TableConstraint {
        kind: "unread".into(),
        text: Some(e.render()),
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut foreign_keys = Vec::new();
    for item in items {
        let call = match item {
            Expr::Dict(entries) => {
                // `extend_existing`, `keep_existing` and `info` only concern SQLAlchemy's own
                // metadata; dialect options, `comment` and `schema` are part of the table.
                let inert = entries.iter().all(|(k, _)| {
                    k.as_str()
                        .is_some_and(|k| matches!(k, "extend_existing" | "keep_existing" | "info"))
                });
                if !inert {
                    out.push(unread(item));
                }
                continue;
            }
            Expr::Call(c) => c,
            _ => {
                out.push(unread(item));
                continue;
            }
        };
        let kind = match call.func.last_name() {
            Some("ForeignKeyConstraint") => {
                // `ForeignKeyConstraint(columns, refcolumns, ...)`, by position or by name;
                // a column as a string or as the class's column attribute
                fn only(e: Option<&Expr>) -> Option<&Expr> {
                    match e {
                        Some(Expr::List(v) | Expr::Tuple(v)) if v.len() == 1 => Some(&v[0]),
                        _ => None,
                    }
                }
                let column = only(call.arg(0, "columns")).and_then(|c| column_ref(c, fields));
                let target = only(call.arg(1, "refcolumns")).and_then(|t| t.as_str());
                let plain = call.kwargs.iter().all(|(k, _)| {
                    matches!(k.as_ref(), "name" | "ondelete" | "columns" | "refcolumns")
                });
                match (column, target) {
                    (Some(column), Some(target)) if plain && call.args.len() <= 2 => foreign_keys
                        .push((
                            column,
                            target.to_string(),
                            call.kwarg("ondelete")
                                .and_then(|e| e.as_str())
                                .map(String::from),
                        )),
                    _ => out.push(unread(item)),
                }
                continue;
            }
            Some("PrimaryKeyConstraint") => "primary_key",
            Some("UniqueConstraint") => "unique",
            Some("Index") => {
                if matches!(call.kwarg("unique"), Some(Expr::Bool(true))) {
                    "unique_index"
                } else {
                    "index"
                }
            }
            _ => {
                out.push(unread(item));
                continue;
            }
        };
        // `Index(name, *columns)`; the constraints take the columns first and `name=`.
        let (name, cols) = match kind {
            "index" | "unique_index" => (call.args.first(), call.args.get(1..).unwrap_or(&[])),
            _ => (call.kwarg("name"), &call.args[..]),
        };
        let columns: Option<Vec<String>> = cols.iter().map(|a| column_ref(a, fields)).collect();
        // A partial index: the condition of the database it names (the same on each, or it
        // is not read).
        let wheres: Vec<&Expr> = call
            .kwargs
            .iter()
            .filter(|(k, _)| k.ends_with("_where"))
            .map(|(_, v)| v)
            .collect();
        let condition: Option<Vec<ConditionTerm>> = match wheres.as_slice() {
            [] => Some(Vec::new()),
            [first, rest @ ..] => condition(first, fields).filter(|c| {
                rest.iter()
                    .all(|r| condition(r, fields).as_ref() == Some(c))
            }),
        };
        // Other options (`postgresql_using=`, `deferrable=`) change what the item means.
        let index = matches!(kind, "index" | "unique_index");
        let plain = kind == "primary_key"
            || call.kwargs.iter().all(|(k, _)| {
                matches!(k.as_ref(), "name" | "unique") || (index && k.ends_with("_where"))
            });
        match (columns, condition) {
            (Some(columns), Some(condition))
                if !columns.is_empty() && plain && !call.has_splat() =>
            {
                out.push(TableConstraint {
                    kind: kind.into(),
                    columns,
                    name: name.and_then(|n| n.as_str()).map(String::from),
                    text: None,
                    condition,
                })
            }
            _ if kind == "primary_key" => out.push(TableConstraint {
                kind: kind.into(),
                ..Default::default()
            }),
            _ => out.push(unread(item)),
        }
    }
    (out, foreign_keys)
}

/// Sets what `table_args` read on the columns it names: a one-column `ForeignKeyConstraint` is
/// that column's key, a `PrimaryKeyConstraint`'s columns are the key (`nullable` stays as
/// written, as for `primary_key=True` columns; the constraint leaves the list). True when a key
/// constraint names other than one column: composite, or (no literal columns) not known simple.
fn apply_table_keys(
    fields: &mut [Field],
    constraints: &mut Vec<TableConstraint>,
    foreign_keys: Vec<TableForeignKey>,
) -> bool {
    let column = |f: &Field| f.column.clone().unwrap_or_else(|| f.name.clone());
    for (col, target, on_delete) in foreign_keys {
        if let Some(f) = fields.iter_mut().find(|f| column(f) == col)
            && f.foreign_key.is_none()
        {
            f.foreign_key = Some(target);
            f.on_delete = on_delete;
        }
    }
    let mut composite = false;
    for c in constraints.iter().filter(|c| c.kind == "primary_key") {
        for f in fields.iter_mut().filter(|f| c.columns.contains(&column(f))) {
            f.pk = true;
        }
        composite |= c.columns.len() != 1;
    }
    constraints.retain(|c| c.kind != "primary_key");
    composite
}

/// The column an item of `__table_args__` names: a string, or a column attribute of the class
/// (`Index("ix", email)`, written in the class body after `email = Column(...)`).
fn column_ref(e: &Expr, fields: &[Field]) -> Option<String> {
    match e {
        Expr::Str(s) => Some(s.to_string()),
        Expr::Name(n) => {
            let f = fields.iter().find(|f| f.name == n.as_ref() as &str)?;
            Some(f.column.clone().unwrap_or_else(|| f.name.clone()))
        }
        _ => None,
    }
}

/// A partial index's condition, when every term is a comparison of one column with a
/// constant: SQL text (`text("a IS NULL AND b = true")`) or column expressions
/// (`a.is_(None)`, `b.isnot(True)`, `a == 1`, `and_(...)`).
fn condition(e: &Expr, fields: &[Field]) -> Option<Vec<ConditionTerm>> {
    let term = |column: String, test: &str, value: Option<String>| ConditionTerm {
        column,
        test: test.into(),
        value,
    };
    match e {
        Expr::Call(c) if c.func.last_name() == Some("text") && c.args.len() == 1 => {
            sql_condition(c.args[0].as_str()?)
        }
        Expr::Call(c) if c.func.last_name() == Some("and_") => {
            let mut out = Vec::new();
            for a in &c.args {
                out.extend(condition(a, fields)?);
            }
            Some(out)
        }
        Expr::Call(c) if c.args.len() == 1 && c.kwargs.is_empty() => {
            let Expr::Attr(recv, method) = &c.func else {
                return None;
            };
            let column = column_ref(recv, fields)?;
            let value = py_constant(&c.args[0])?;
            Some(vec![match (method.as_ref() as &str, value.as_str()) {
                ("is_", "None") => term(column, "is_null", None),
                ("isnot" | "is_not", "None") => term(column, "is_not_null", None),
                ("is_", _) => term(column, "eq", Some(value)),
                ("isnot" | "is_not", _) => term(column, "is_not", Some(value)),
                _ => return None,
            }])
        }
        Expr::BinOp(l, op, r) if matches!(&**op, "==" | "!=") => {
            let column = column_ref(l, fields)?;
            let value = py_constant(r)?;
            let test = if &**op == "==" { "eq" } else { "ne" };
            Some(vec![term(column, test, Some(value))])
        }
        _ => None,
    }
}

/// `a IS NULL AND b IS NOT NULL AND c = true`: terms joined by AND, each a column compared
/// with a constant.
fn sql_condition(sql: &str) -> Option<Vec<ConditionTerm>> {
    let mut out = Vec::new();
    for part in sql.split(" AND ").flat_map(|p| p.split(" and ")) {
        let words: Vec<&str> = part.split_whitespace().collect();
        let column = words.first()?.trim_matches('"').to_string();
        if !column
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return None;
        }
        let upper: Vec<String> = words[1..].iter().map(|w| w.to_ascii_uppercase()).collect();
        let upper: Vec<&str> = upper.iter().map(String::as_str).collect();
        let (test, value) = match upper.as_slice() {
            ["IS", "NULL"] => ("is_null", None),
            ["IS", "NOT", "NULL"] => ("is_not_null", None),
            ["=", v] => ("eq", Some(sql_constant(v)?)),
            ["<>" | "!=", v] => ("ne", Some(sql_constant(v)?)),
            ["IS", "NOT", v] => ("is_not", Some(sql_constant(v)?)),
            _ => return None,
        };
        out.push(ConditionTerm {
            column,
            test: test.into(),
            value,
        });
    }
    Some(out)
}

/// An SQL constant (upper-cased) as a Python literal: booleans and integers.
fn sql_constant(v: &str) -> Option<String> {
    match v {
        "TRUE" => Some("True".into()),
        "FALSE" => Some("False".into()),
        v if v.parse::<i64>().is_ok() => Some(v.into()),
        _ => None,
    }
}

/// A Python constant as a literal: None, booleans, integers, strings.
fn py_constant(e: &Expr) -> Option<String> {
    match e {
        Expr::None => Some("None".into()),
        Expr::Bool(true) => Some("True".into()),
        Expr::Bool(false) => Some("False".into()),
        Expr::Int(i) => Some(i.to_string()),
        Expr::Str(s) => serde_json::to_string(s.as_ref() as &str).ok(),
        _ => None,
    }
}

/// A `@declared_attr` `__tablename__` method of `class`: Some(Some(true)) when it returns
/// `cls.__name__.lower()`, Some(Some(false)) for `cls.__name__`, Some(None) for anything else
/// (the first such method decides, as in the class's MRO); None when the class has none.
fn declared_tablename(ctx: &Ctx, module: &SourceModule, class: &ClassDef) -> Option<Option<bool>> {
    let m = class.methods().find(|m| {
        m.name.as_ref() as &str == "__tablename__"
            && m.decorators.iter().any(|d| {
                let callee = d.as_call().map_or(d, |c| &c.func);
                matches!(callee.last_name(), Some("declared_attr" | "directive"))
            })
    })?;
    let body = ctx.project.sources.body(module, m)?;
    let returned = body.iter().find_map(|s| match s {
        Stmt::Return(Some(e), _) => Some(e.clone()),
        _ => None,
    });
    let is_name = |e: &Expr| matches!(e, Expr::Attr(inner, a) if a.as_ref() as &str == "__name__" && matches!(**inner, Expr::Name(_)));
    Some(match returned {
        Some(Expr::Call(c))
            if c.args.is_empty()
                && c.kwargs.is_empty()
                && matches!(&c.func, Expr::Attr(inner, a) if a.as_ref() as &str == "lower" && is_name(inner)) =>
        {
            Some(true)
        }
        Some(e) if is_name(&e) => Some(false),
        _ => None,
    })
}

/// The declarative base's `type_annotation_map` (`{Num_6_2: Numeric(6, 2)}`) as it applies to
/// a class (`own`, then its `ancestors`): the first of them that sets one. Keys by canonical
/// name.
fn type_annotation_map(
    ctx: &Ctx,
    ancestors: &[String],
    own: (&SourceModule, &ClassDef),
) -> BTreeMap<String, ColumnType> {
    let classes = std::iter::once(Some(own)).chain(ancestors.iter().map(|a| ctx.classes.get(a)));
    let Some((m, Expr::Dict(pairs))) = classes
        .flatten()
        .find_map(|(m, c)| Some((m, c.attr("type_annotation_map")?)))
    else {
        return BTreeMap::new();
    };
    pairs
        .iter()
        .filter_map(|(k, v)| {
            let key = ctx.project.resolver.resolve(&m.module, &k.dotted()?);
            Some((key, type_of(ctx, &m.module, v, 0)?))
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn read_body(
    ctx: &Ctx,
    module: &SourceModule,
    class: &ClassDef,
    annotation_map: &BTreeMap<String, ColumnType>,
    fields: &mut Vec<Field>,
    relations: &mut Vec<Relation>,
    traits: &mut BTreeSet<String>,
    seen: &mut HashSet<String>,
) {
    let sc = Scope::module_scope(module);
    for (name, value, annotation, _) in class.assignments() {
        // `id = BaseMixin.id` re-exposes a base's column: the base's
        // declaration, read later, is the field.
        let alias = matches!(value, Some(Expr::Attr(_, a)) if a == name) && annotation.is_none();
        // `id: int` with no value binds no attribute (only an annotation, which declarative
        // reads when it is `Mapped[...]`): a base's `id` column is still the class's
        let bare = value.is_none() && annotation.and_then(mapped_inner).is_none();
        if alias || bare || name.starts_with("__") || !seen.insert(name.to_string()) {
            continue;
        }
        let applied = value
            .and_then(unwrap_deferred)
            .map(|c| through_partial(ctx, module, c));
        let returned = applied
            .as_deref()
            .and_then(|c| returned_call(ctx, module, c));
        let (call, written_in) = match &returned {
            Some((c, m)) => (Some(c), *m),
            None => (applied.as_deref(), module),
        };
        match call.and_then(|c| c.func.last_name()) {
            Some("Column" | "mapped_column") => {
                fields.push(column(ctx, written_in, name, call.unwrap(), annotation))
            }
            Some("relationship" | "relation" | "dynamic_loader") => {
                relations.push(relationship(name, call.unwrap()))
            }
            Some(
                "column_property" | "synonym" | "composite" | "association_proxy"
                | "query_expression",
            ) => {}
            Some(_) | None if value.is_none() => {
                // 2.0 style `name: Mapped[int]` with no value is a column, unless
                // it names another class (a relationship needs relationship()); an
                // `Annotated[int, mapped_column(primary_key=True)]` alias brings its column
                let inner = annotation.and_then(mapped_inner);
                let aliased = inner
                    .and_then(|i| {
                        annotated_alias(ctx, &module.module, optional_inner(i).unwrap_or(i))
                    })
                    .and_then(|(_, meta, m)| {
                        let call = meta.iter().find_map(|x| {
                            x.as_call().filter(|c| {
                                matches!(c.func.last_name(), Some("mapped_column" | "Column"))
                            })
                        })?;
                        Some((call, m))
                    });
                if let Some((call, m)) = aliased {
                    fields.push(column(ctx, m, name, call, annotation));
                } else if let Some(inner) = inner {
                    // the base's `type_annotation_map` first, as SQLAlchemy looks it up
                    let plain = optional_inner(inner).unwrap_or(inner);
                    let mapped = plain
                        .dotted()
                        .map(|d| ctx.project.resolver.resolve(&module.module, &d))
                        .and_then(|k| annotation_map.get(&k));
                    fields.push(Field {
                        name: name.to_string(),
                        r#type: mapped.map_or_else(
                            || python_type(ctx, &module.module, inner),
                            |(t, _)| t.clone(),
                        ),
                        type_args: mapped.map(|(_, a)| a.clone()).unwrap_or_default(),
                        pk: false,
                        nullable: Some(optional_inner(inner).is_some()),
                        foreign_key: None,
                        ..Default::default()
                    });
                }
            }
            _ => {}
        }
    }
    for m in class.methods() {
        for d in &m.decorators {
            match d.last_name() {
                Some("validates") => {
                    traits.insert("validates".into());
                }
                Some("hybrid_property" | "hybrid_method") => {
                    traits.insert("hybrid_property".into());
                }
                Some("declared_attr")
                    if seen.insert(m.name.to_string()) && !m.name.starts_with("__") =>
                {
                    // What the method returns decides: a column or a relationship
                    // (the body is read again if the scan skipped it).
                    let body = ctx.project.sources.body(module, m);
                    let returned = body.as_deref().and_then(|b| {
                        b.iter().find_map(|s| match s {
                            Stmt::Return(Some(e), _) => unwrap_deferred(e),
                            _ => None,
                        })
                    });
                    match returned.and_then(|c| c.func.last_name().map(|n| (n, c))) {
                        Some(("Column" | "mapped_column", c)) => {
                            fields.push(column(ctx, module, &m.name, c, None))
                        }
                        Some(("relationship" | "relation" | "dynamic_loader", c)) => {
                            relations.push(relationship(&m.name, c))
                        }
                        Some(_) => {}
                        None => fields.push(Field {
                            name: m.name.to_string(),
                            r#type: "declared_attr".into(),
                            ..Default::default()
                        }),
                    }
                }
                _ => {}
            }
            if let Expr::Call(c) = d
                && c.func.last_name() == Some("validates")
            {
                traits.insert("validates".into());
            }
        }
    }
    let _ = sc;
}

/// `id = _id_column()`, where `def _id_column(): return sa.Column(...)` is a project
/// function: the attribute is the call's result, the call that function returns (its names
/// read in the function's module). Only for an undecorated function whose body is that
/// `return` alone, naming none of its parameters: the same call whatever the arguments.
fn returned_call<'p>(
    ctx: &Ctx<'p>,
    module: &SourceModule,
    c: &Call,
) -> Option<(Call, &'p SourceModule)> {
    if matches!(
        c.func.last_name(),
        Some("Column" | "mapped_column" | "relationship")
    ) {
        return None;
    }
    let f = Scope::module_scope(module).resolve(&ctx.project.resolver, &c.func)?;
    let (fd, m) = ctx.project.function(&f)?;
    if !fd.decorators.is_empty() {
        return None;
    }
    let body = ctx.project.sources.body(m, fd)?;
    let mut stmts = body
        .iter()
        .filter(|s| !matches!(s, Stmt::Expr(Expr::Str(_), _)));
    let (Some(Stmt::Return(Some(e), _)), None) = (stmts.next(), stmts.next()) else {
        return None;
    };
    let mut names = Vec::new();
    e.walk_names(&mut names);
    if names.iter().any(|n| fd.params.iter().any(|p| p == n)) {
        return None;
    }
    unwrap_deferred(e).map(|call| (call.clone(), m))
}

/// A call of a `functools.partial` object defined at a module's top level
/// (`NonBlankColumn = partial(Column, nullable=False)`, then `NonBlankColumn(Text)`):
/// the call it makes, the partial's arguments first, its keywords overridden by the call's.
fn through_partial<'c>(ctx: &Ctx, module: &SourceModule, c: &'c Call) -> Cow<'c, Call> {
    let resolver = &ctx.project.resolver;
    let made = Scope::module_scope(module)
        .resolve(resolver, &c.func)
        .and_then(|id| {
            let (m, name) = id.rsplit_once('.')?;
            let m = ctx.project.module(m)?;
            m.body.iter().find_map(|s| match s {
                Stmt::Assign {
                    targets,
                    value: Some(Expr::Call(p)),
                    ..
                } if targets.len() == 1 && targets[0].as_name() == Some(name) => {
                    let partial = Scope::module_scope(m).resolve(resolver, &p.func)?;
                    // positional arguments name things in the partial's module: carried
                    // over only within it (keywords such as `nullable=False` travel)
                    let portable = m.module == module.module || p.args.len() == 1;
                    (partial == "functools.partial"
                        && portable
                        && !p.has_splat()
                        && !p.args.is_empty())
                    .then_some(p)
                }
                _ => None,
            })
        });
    let Some(p) = made else {
        return Cow::Borrowed(c);
    };
    let mut kwargs: Vec<_> = p
        .kwargs
        .iter()
        .filter(|(k, _)| !c.kwargs.iter().any(|(ck, _)| ck == k))
        .cloned()
        .collect();
    kwargs.extend(c.kwargs.iter().cloned());
    Cow::Owned(Call {
        func: p.args[0].clone(),
        args: p.args[1..].iter().chain(c.args.iter()).cloned().collect(),
        kwargs: kwargs.into(),
        kwargs_splat: c.kwargs_splat.clone(),
        pos: c.pos,
    })
}

/// `deferred(Column(...))` and friends wrap the column.
fn unwrap_deferred(e: &Expr) -> Option<&Call> {
    let c = e.as_call()?;
    match c.func.last_name() {
        Some("deferred" | "undefer") => c.args.first().and_then(|a| a.as_call()),
        _ => Some(c),
    }
}

/// `Mapped[X]` -> `X`.
fn mapped_inner(e: &Expr) -> Option<&Expr> {
    match e {
        Expr::Subscript(base, inner) if base.last_name() == Some("Mapped") => Some(inner),
        _ => None,
    }
}

/// `T = Annotated[X, meta...]` at the top level of a module, named by `e` from `module` (SQLAlchemy
/// 2.0's reusable column types: `PrimaryKeyInt = Annotated[int, mapped_column(primary_key=True)]`):
/// `X`, the metadata, and the module that binds it.
fn annotated_alias<'p>(
    ctx: &Ctx<'p>,
    module: &str,
    e: &Expr,
) -> Option<(&'p Expr, &'p [Expr], &'p SourceModule)> {
    let id = ctx.project.resolver.resolve(module, &e.dotted()?);
    let (m, n) = id.rsplit_once('.')?;
    let src = ctx.project.module(m)?;
    src.body.iter().rev().find_map(|s| match s {
        Stmt::Assign {
            targets,
            value: Some(Expr::Subscript(base, inner)),
            ..
        } if targets.iter().any(|t| t.as_name() == Some(n))
            && base.last_name() == Some("Annotated") =>
        {
            match &**inner {
                Expr::Tuple(items) if items.len() >= 2 => Some((&items[0], &items[1..], src)),
                _ => None,
            }
        }
        _ => None,
    })
}

/// `Optional[X]`, `X | None` and `None | X` -> `X`; None for a type that is not optional.
fn optional_inner(e: &Expr) -> Option<&Expr> {
    match e {
        Expr::Subscript(b, inner) if b.last_name() == Some("Optional") => Some(inner),
        Expr::BinOp(a, op, b) if &**op == "|" => match (&**a, &**b) {
            (x, Expr::None) | (Expr::None, x) => Some(x),
            _ => None,
        },
        _ => None,
    }
}

/// The column type SQLAlchemy's default type map gives an annotation's Python type, named
/// through the module's imports (`from datetime import time as t`: `Time`).
fn python_type(ctx: &Ctx, module: &str, e: &Expr) -> String {
    if let Some(inner) = optional_inner(e) {
        return python_type(ctx, module, inner);
    }
    if let Some((t, _, m)) = annotated_alias(ctx, module, e)
        && t.dotted() != e.dotted()
    {
        return python_type(ctx, &m.module, t);
    }
    let canonical = e.dotted().map(|d| ctx.project.resolver.resolve(module, &d));
    let known = match canonical.as_deref() {
        Some("datetime.datetime") => "DateTime",
        Some("datetime.date") => "Date",
        Some("datetime.time") => "Time",
        Some("datetime.timedelta") => "Interval",
        Some("decimal.Decimal") => "Numeric",
        Some("uuid.UUID") => "Uuid",
        _ => return annotation_type(e),
    };
    known.to_string()
}

/// An annotation's type by its last name, where the imports do not say.
fn annotation_type(e: &Expr) -> String {
    match e {
        Expr::Subscript(b, _) => b.last_name().unwrap_or("?").to_string(),
        e => match e.last_name() {
            Some("int") => "Integer".into(),
            Some("str") => "String".into(),
            Some("bool") => "Boolean".into(),
            Some("float") => "Float".into(),
            Some("datetime") => "DateTime".into(),
            Some("date") => "Date".into(),
            Some("Decimal") => "Numeric".into(),
            Some("bytes") => "LargeBinary".into(),
            Some(other) => other.to_string(),
            None => e.describe(),
        },
    }
}

/// A column's type name and its literal arguments (`String`, `["80"]`).
type ColumnType = (String, Vec<String>);

/// The type a column argument names, as SQLAlchemy builds it: a type class or instance
/// (`Integer`, `String(80)`), a `.with_variant(...)` of one (a variant keeps its base type on
/// every database but the one it names), or a module-level name bound to one.
fn type_of(ctx: &Ctx, module: &str, e: &Expr, depth: usize) -> Option<ColumnType> {
    if depth > 4 {
        return None;
    }
    match wrapped(e) {
        Expr::Call(c) => match &c.func {
            Expr::Attr(recv, m) if m == "with_variant" => type_of(ctx, module, recv, depth + 1),
            f => Some((f.last_name()?.to_string(), literal_args(c))),
        },
        // a type bound in the module, else the name it imports (`Text as SLQText`: `Text`)
        Expr::Name(n) => bound_type(ctx, module, n, depth).or_else(|| {
            let canonical = ctx.project.resolver.resolve(module, n);
            let name = canonical.rsplit('.').next().unwrap_or(n);
            Some((name.to_string(), Vec::new()))
        }),
        e => Some((e.last_name()?.to_string(), Vec::new())),
    }
}

/// The column types a module's classes name from installed packages
/// (`Column(UtcDateTime)` with `from sqlalchemy_utc import UtcDateTime`), to read where they are
/// defined: a library's `TypeDecorator` is stored as its `impl`.
pub fn column_types(
    m: &SourceModule,
    imported: &rustc_hash::FxHashMap<String, String>,
) -> Vec<crate::python::mount::Wanted> {
    const SKIP: &[&str] = &["sqlalchemy", "flask_sqlalchemy"];
    let mut out = Vec::new();
    for s in &m.body {
        let Stmt::Class(c) = s else { continue };
        for (_, value, ..) in c.assignments() {
            let Some(Expr::Call(call)) = value else {
                continue;
            };
            if !matches!(call.func.last_name(), Some("Column" | "mapped_column")) {
                continue;
            }
            for a in call.args.iter().chain(call.kwarg("type_")) {
                let callee = match wrapped(a) {
                    Expr::Call(t) => &t.func,
                    e => e,
                };
                if let Some(w) = callee
                    .dotted()
                    .and_then(|d| crate::python::mount::imported_member(imported, &d, SKIP))
                {
                    out.push(w);
                }
            }
        }
    }
    out
}

/// The type `MutableList.as_mutable(ARRAY(String))` wraps (the same type, its changes tracked).
fn wrapped(e: &Expr) -> &Expr {
    match e {
        Expr::Call(c)
            if c.args.len() == 1 && matches!(&c.func, Expr::Attr(_, m) if m == "as_mutable") =>
        {
            wrapped(&c.args[0])
        }
        e => e,
    }
}

/// The type a module-level name of the project is bound to (`BigIntegerType = BigInteger()`).
/// Assignments run in order: `X = X.with_variant(...)` keeps what `X` was.
fn bound_type(ctx: &Ctx, module: &str, name: &str, depth: usize) -> Option<ColumnType> {
    let id = ctx.project.resolver.resolve(module, name);
    let (m, n) = id.rsplit_once('.')?;
    let src = ctx.project.module(m)?;
    let mut current = None;
    for s in &src.body {
        let Stmt::Assign {
            targets,
            value: Some(v),
            ..
        } = s
        else {
            continue;
        };
        if !targets.iter().any(|t| t.as_name() == Some(n)) {
            continue;
        }
        let mut root = v;
        while let Expr::Call(c) = root
            && let Expr::Attr(recv, meth) = &c.func
            && meth == "with_variant"
        {
            root = recv;
        }
        if root.as_name() != Some(n) {
            current = type_of(ctx, m, v, depth + 1);
        }
    }
    current
}

/// A project's `TypeDecorator` subclass (`class TimeStamp(TypeDecorator): impl = DateTime`):
/// the type its `impl` names, which is what the database column holds, and whether `impl` is
/// an instance with arguments of its own.
fn decorated_impl(ctx: &Ctx, module: &str, e: &Expr) -> Option<(ColumnType, bool)> {
    let class = match e {
        Expr::Call(c) => &c.func,
        e => e,
    };
    let id = ctx.project.resolver.resolve(module, &class.dotted()?);
    if classes::find(ctx.project, &id).is_none() {
        return library_decorator(&id);
    }
    let mro = classes::mro(ctx.project, &id);
    // A class with both its own `__init__` and `load_dialect_impl` picks the stored type from
    // the instance's arguments when the column is used (sqlalchemy-utils' `UUIDType(binary=False)`
    // stores CHAR(32) where its `impl` says BINARY): `impl` does not say what the column holds
    let defines = |name: &str| {
        mro.iter().any(|b| {
            classes::find(ctx.project, b)
                .is_some_and(|(_, cd)| cd.methods().any(|f| f.name == name))
        })
    };
    let picks_its_type = defines("__init__") && defines("load_dialect_impl");
    if picks_its_type {
        return None;
    }
    if let Some((value, m)) = classes::attr(ctx.project, &id, "impl")
        && mro
            .iter()
            .any(|b| b.rsplit('.').next() == Some("TypeDecorator"))
    {
        // An instance (`impl = String(50)`) keeps its own arguments; a class gets the column's.
        return type_of(ctx, &m.module, value, 0).map(|t| (t, matches!(value, Expr::Call(_))));
    }
    mro.iter().skip(1).find_map(|b| library_decorator(b))
}

/// SQLAlchemy's own TypeDecorators: their `impl` is in the library, not in the scanned code.
/// `PickleType` keeps pickled values in a `LargeBinary` column.
const LIBRARY_DECORATORS: &[(&str, &str)] = &[("PickleType", "LargeBinary")];

/// A class outside the scanned code by its last name, as `type_of` takes `db.String` for
/// SQLAlchemy's `String`.
fn library_decorator(id: &str) -> Option<(ColumnType, bool)> {
    let name = id.rsplit('.').next()?;
    let (_, base) = LIBRARY_DECORATORS.iter().find(|(n, _)| *n == name)?;
    Some(((base.to_string(), Vec::new()), false))
}

/// One `Column(...)` / `mapped_column(...)` of `module`: its type as `type_of` reads it, its
/// foreign key's target a string constant (`ForeignKey(USER_ID)` with `USER_ID = "user.id"`).
fn column(
    ctx: &Ctx,
    module: &SourceModule,
    name: &str,
    call: &Call,
    annotation: Option<&Expr>,
) -> Field {
    let types = |e: &Expr| type_of(ctx, &module.module, e, 0);
    let sc = Scope::module_scope(module);
    let mut ty = None;
    let mut type_expr = None;
    let mut type_args = Vec::new();
    let mut fk = None;
    let mut on_delete = None;
    let mut column_name = None;
    for (i, a) in call.args.iter().enumerate() {
        match a {
            // `Column("name", Integer)`: the first string is the column's name in the table.
            Expr::Str(s) if i == 0 => column_name = Some(s.to_string()),
            Expr::Str(_) => {}
            Expr::Call(c) if c.func.last_name() == Some("ForeignKey") => {
                fk = c.args.first().map(|t| {
                    scope::const_str(&sc, &ctx.project.resolver, ctx.values, t)
                        .unwrap_or_else(|_| class_column(ctx, &module.module, t))
                });
                on_delete = c
                    .kwarg("ondelete")
                    .and_then(|e| e.as_str())
                    .map(String::from);
            }
            // Schema items that sit among the positional arguments but are not the type.
            Expr::Call(c)
                if matches!(
                    c.func.last_name(),
                    Some(
                        "Sequence"
                            | "Identity"
                            | "Computed"
                            | "CheckConstraint"
                            | "FetchedValue"
                            | "DefaultClause"
                    )
                ) => {}
            e => {
                if ty.is_none()
                    && let Some((t, args)) = types(e)
                {
                    ty = Some(t);
                    type_expr = Some(wrapped(e));
                    type_args = args;
                }
            }
        }
    }
    // `Column(Integer, ForeignKey(...), name="WfWoID")`: the name by keyword
    if column_name.is_none() {
        column_name = call.kwarg("name").and_then(Expr::as_str).map(String::from);
    }
    if let Some(e) = call.kwarg("type_")
        && ty.is_none()
        && let Some((t, args)) = types(e)
    {
        ty = Some(t);
        type_expr = Some(wrapped(e));
        type_args = args;
    }
    let decorated = type_expr.and_then(|e| decorated_impl(ctx, &module.module, e));
    if let Some(((_, impl_args), true)) = &decorated {
        type_args = impl_args.clone();
    }
    let base_type = decorated.map(|((t, _), _)| t);
    // `ARRAY(String(50))`: the items' type; with `dimensions=2` the items are arrays.
    let item = match type_expr {
        Some(Expr::Call(c)) if ty.as_deref() == Some("ARRAY") => match c.kwarg("dimensions") {
            Some(Expr::Int(n)) if *n > 1 => Some(("ARRAY".to_string(), Vec::new())),
            _ => c.args.first().and_then(types),
        },
        _ => None,
    };
    let ty = ty
        .or_else(|| {
            annotation
                .and_then(mapped_inner)
                .map(|t| python_type(ctx, &module.module, t))
        })
        .unwrap_or_else(|| {
            if fk.is_some() {
                "ForeignKey".into()
            } else {
                "?".into()
            }
        });
    let flag = |k: &str| match call.kwarg(k) {
        Some(Expr::Bool(b)) => Some(*b),
        _ => None,
    };
    let pk = matches!(call.kwarg("primary_key"), Some(Expr::Bool(true)));
    // `x: Mapped[int] = mapped_column()` is NOT NULL, `Mapped[int | None]` nullable.
    let from_annotation = annotation
        .and_then(mapped_inner)
        .filter(|_| !pk && call.func.last_name() == Some("mapped_column"))
        .map(|inner| optional_inner(inner).is_some());
    Field {
        name: name.to_string(),
        r#type: ty,
        pk,
        nullable: flag("nullable").or(from_annotation),
        foreign_key: fk,
        column: column_name.filter(|c| c != name),
        type_args,
        unique: flag("unique"),
        index: flag("index"),
        default: call.kwarg("default").map(default_text),
        on_delete,
        base_type,
        item_type: item.as_ref().map(|(t, _)| t.clone()),
        item_args: item.map(|(_, a)| a).unwrap_or_default(),
        to_field: None,
    }
}

/// `ForeignKey(User.id)`: the class's canonical name and the attribute, for `class_keys` to
/// turn into the table's column once every model's table is known; other targets as written.
fn class_column(ctx: &Ctx, module: &str, e: &Expr) -> String {
    if let Expr::Attr(class, attr) = e
        && let Some(d) = class.dotted()
    {
        let id = ctx.project.resolver.resolve(module, &d);
        if ctx.classes.get(&id).is_some() {
            return format!("{id}.{attr}");
        }
    }
    e.describe()
}

/// Foreign keys naming a model's attribute (`class_column`) as `table.column`.
fn class_keys(models: &mut BTreeMap<String, Model>) {
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    for (id, m) in models.iter() {
        let Some(table) = &m.table else { continue };
        for f in &m.fields {
            let column = f.column.as_deref().unwrap_or(&f.name);
            targets.insert(format!("{id}.{}", f.name), format!("{table}.{column}"));
        }
    }
    for m in models.values_mut() {
        // `ForeignKey(wf_id)` in the class body: the column object bound above it
        let own: BTreeMap<String, String> = m
            .table
            .iter()
            .flat_map(|table| {
                m.fields.iter().map(move |f| {
                    let column = f.column.as_deref().unwrap_or(&f.name);
                    (f.name.clone(), format!("{table}.{column}"))
                })
            })
            .collect();
        for f in &mut m.fields {
            let target = f.foreign_key.as_ref().and_then(|k| {
                targets
                    .get(k)
                    .or_else(|| own.get(k).filter(|_| !k.contains('.')))
            });
            if let Some(t) = target {
                f.foreign_key = Some(t.clone());
            }
        }
    }
}

/// Constraints and indexes made at a module's top level on columns of a mapped class
/// (`Index("ix", Job.type_desc)`, `Workflow.__table_args__ = (UniqueConstraint(Workflow.wf_uuid),)`
/// after the class): SQLAlchemy attaches a constraint to the table of the columns it is given
/// as soon as it is made, wherever that is.
fn module_constraints(ctx: &Ctx, models: &mut BTreeMap<String, Model>) {
    let resolver = &ctx.project.resolver;
    for f in &ctx.files {
        let mut calls = Vec::new();
        for stmt in &f.body {
            match stmt {
                Stmt::Expr(e, _) | Stmt::Assign { value: Some(e), .. } => e.walk_calls(&mut calls),
                _ => {}
            }
        }
        for c in calls {
            if !matches!(c.func.last_name(), Some("UniqueConstraint" | "Index")) {
                continue;
            }
            // the columns, each `Cls.attr` of one model, become its attribute names
            let mut owner: Option<String> = None;
            let mut args = Vec::new();
            let skip = usize::from(c.func.last_name() == Some("Index"));
            for (i, a) in c.args.iter().enumerate() {
                if i < skip {
                    args.push(a.clone());
                    continue;
                }
                let Expr::Attr(class, attr) = a else { break };
                let Some(id) = class.dotted().map(|d| resolver.resolve(&f.module, &d)) else {
                    break;
                };
                if owner.get_or_insert_with(|| id.clone()) != &id {
                    break;
                }
                args.push(Expr::Name(attr.clone()));
            }
            let Some(model) = owner.as_ref().and_then(|id| models.get_mut(id)) else {
                continue;
            };
            if args.len() != c.args.len() {
                continue;
            }
            let mut call = (*c).clone();
            call.args = args.into();
            let (found, _) = table_args(&Expr::Call(Box::new(call)), &model.fields);
            model
                .constraints
                .extend(found.into_iter().filter(|k| k.kind != "unread"));
        }
    }
}

/// The literal arguments of a type call: `String(120)`, `Numeric(10, 2)`, `Enum("a", "b")`.
fn literal_args(c: &Call) -> Vec<String> {
    let literal = |a: &Expr| match a {
        Expr::Int(n) => Some(n.to_string()),
        Expr::Str(s) => serde_json::to_string(s.as_ref() as &str).ok(),
        _ => None,
    };
    let mut out: Vec<String> = c.args.iter().filter_map(literal).collect();
    // the size parameters of SQLAlchemy's types given by name, in their positions:
    // `String(length=50)`, `Numeric(precision=10, scale=4)`, `Float(precision=53)`
    for (position, names) in [(0, &["length", "precision"][..]), (1, &["scale"][..])] {
        let named = names.iter().find_map(|n| c.kwarg(n)).and_then(literal);
        if let Some(v) = named
            && out.len() == position
        {
            out.push(v);
        }
    }
    out
}

/// A default as Python source: literals exactly, names dotted, anything else described.
fn default_text(e: &Expr) -> String {
    match e {
        Expr::Int(n) => n.to_string(),
        Expr::Bool(true) => "True".into(),
        Expr::Bool(false) => "False".into(),
        Expr::None => "None".into(),
        Expr::Str(s) => format!("{s:?}"),
        e => e.dotted().unwrap_or_else(|| e.describe()),
    }
}

/// The SQLAlchemy Core tables (`Table("tags", metadata, Column(...), ...)`) that relationships
/// name as `secondary`, by variable or by table name.
fn association_tables(ctx: &Ctx, relations: &[(&str, &str)]) -> Vec<AssociationTable> {
    let mut out = Vec::new();
    for (id, (module, value)) in ctx.values.iter() {
        let Expr::Call(c) = value else { continue };
        if c.func.last_name() != Some("Table") {
            continue;
        }
        let Some(table) = c.args.first().and_then(|a| a.as_str()) else {
            continue;
        };
        let var = id.rsplit('.').next().unwrap_or(id);
        let used = relations
            .iter()
            .any(|(_, through)| *through == table || *through == var || *through == id);
        if !used {
            continue;
        }
        let Some(src) = ctx.files.iter().find(|f| f.module == *module) else {
            continue;
        };
        let (fields, constraints, _) = table_items(ctx, src, c);
        out.push(AssociationTable {
            name: table.to_string(),
            variable: var.to_string(),
            module: module.to_string(),
            file: src.path.clone(),
            line: c.pos.line,
            fields,
            constraints,
        });
    }
    out
}

/// The columns of a `Table("name", metadata, Column(...), ...)` call as fields named by
/// their attribute key (`key=`, else the column's name), its other items (constraints,
/// indexes) read as `__table_args__` items are, and whether its primary key is composite.
fn table_items(
    ctx: &Ctx,
    src: &SourceModule,
    c: &Call,
) -> (Vec<Field>, Vec<TableConstraint>, bool) {
    let mut fields: Vec<Field> = c
        .args
        .iter()
        .filter_map(|a| a.as_call())
        .filter(|col| col.func.last_name() == Some("Column"))
        .filter_map(|col| {
            let column_name = col
                .args
                .first()
                .and_then(Expr::as_str)
                .or_else(|| col.kwarg("name").and_then(Expr::as_str))?;
            let key = col
                .kwarg("key")
                .and_then(Expr::as_str)
                .unwrap_or(column_name);
            Some(column(ctx, src, key, col, None))
        })
        .collect();
    let items: Vec<Expr> = c
        .args
        .iter()
        .skip(1)
        .filter(|a| {
            a.as_call()
                .is_some_and(|k| k.func.last_name() != Some("Column"))
        })
        .cloned()
        .collect();
    let (mut constraints, foreign_keys) = table_args(&Expr::Tuple(items), &fields);
    let composite = apply_table_keys(&mut fields, &mut constraints, foreign_keys)
        || fields.iter().filter(|f| f.pk).count() > 1;
    (fields, constraints, composite)
}

/// Classes mapped imperatively onto a module-level `Table(...)`: SQLAlchemy 2.0's
/// `registry.map_imperatively(Cls, table, properties={...})` and the classical
/// `mapper(Cls, table, ...)` it replaced. The class's fields are the table's columns,
/// its relations the `relationship()`s among `properties`. A call whose class or table
/// is not a name of the scanned code (a helper's parameter) maps nothing we can name.
fn imperative_models(ctx: &Ctx) -> Vec<Imperative> {
    let resolver = &ctx.project.resolver;
    let mut out = Vec::new();
    for &f in &ctx.files {
        scope::walk(f, resolver, ctx.values, &mut |stmt, sc| {
            let Stmt::Expr(Expr::Call(c), _) = stmt else {
                return;
            };
            // `map_imperatively` is a method of a `registry()` object, which may be
            // made anywhere; the name is SQLAlchemy's alone.
            let mapping = matches!(&c.func, Expr::Attr(_, m) if m == "map_imperatively")
                || sc
                    .resolve(resolver, &c.func)
                    .is_some_and(|id| MAPPER_FUNCS.contains(&id.as_str()));
            if !mapping {
                return;
            }
            let (Some(cls), Some(table)) = (c.arg(0, "class_"), c.arg(1, "local_table")) else {
                return;
            };
            let Some((cm, cd)) = sc
                .resolve(resolver, cls)
                .and_then(|id| ctx.classes.get(&id))
            else {
                return;
            };
            let mut traits = vec!["imperative".to_string()];
            if c.kwarg("inherits").is_some() || c.kwarg("polymorphic_on").is_some() {
                traits.push("polymorphic".to_string());
            }
            let mut model = Model {
                name: cd.name.to_string(),
                module: cm.module.clone(),
                table: None,
                file: cm.path.clone(),
                line: cd.pos.line,
                r#abstract: false,
                orm: "sqlalchemy".into(),
                app_label: None,
                bases: ctx.classes.bases(resolver, cm, cd),
                fields: Vec::new(),
                relations: Vec::new(),
                traits,
                constraints: Vec::new(),
            };
            // `mapper(Cls, Declared.__table__)`: the table a declarative class maps
            if let Expr::Attr(b, a) = table
                && a == "__table__"
                && let Some(id) = sc.resolve(resolver, b)
                && ctx.classes.get(&id).is_some()
            {
                out.push(Imperative {
                    model,
                    on_class: Some(id),
                    call: c.clone(),
                });
                return;
            }
            let Some((tm, Expr::Call(tc))) = sc
                .resolve(resolver, table)
                .and_then(|id| ctx.values.get(&id))
            else {
                return;
            };
            let (Some("Table"), Some(name)) =
                (tc.func.last_name(), tc.args.first().and_then(Expr::as_str))
            else {
                return;
            };
            let Some(src) = ctx.files.iter().find(|s| s.module == *tm) else {
                return;
            };
            let (fields, constraints, composite) = table_items(ctx, src, tc);
            if composite {
                model.traits.insert(0, "composite_pk".to_string());
            }
            model.table = Some(name.to_string());
            model.fields = fields;
            model.constraints = constraints;
            out.push(Imperative {
                model,
                on_class: None,
                call: c.clone(),
            });
        });
    }
    out
}

/// A class mapped imperatively (see `imperative_models`): its table's columns (those of the
/// declarative class whose `__table__` it maps, read once the declarative models are), then
/// what the mapping call's `properties` say (`map_properties`).
struct Imperative {
    model: Model,
    on_class: Option<String>,
    call: Box<Call>,
}

/// What the `properties={...}` of a mapping call say: relations, and columns mapped
/// under other attribute names.
fn map_properties(model: &mut Model, c: &Call) {
    let properties: &[(Expr, Expr)] = match c.kwarg("properties") {
        Some(Expr::Dict(items)) => items,
        _ => &[],
    };
    for (k, v) in properties {
        let Some(key) = k.as_str() else { continue };
        match v {
            Expr::Call(r) if matches!(r.func.last_name(), Some("relationship" | "relation")) => {
                model.relations.push(relationship(key, r));
            }
            // `"_password": user_table.c.password`: the column under another attribute
            Expr::Attr(b, col) if matches!(&**b, Expr::Attr(_, c) if c == "c") => {
                rename_field(&mut model.fields, col, key);
            }
            // `"password": synonym("_password", map_column=True)`: the column
            // `password` is mapped as `_password`, and `password` is its synonym
            Expr::Call(syn)
                if syn.func.last_name() == Some("synonym")
                    && matches!(syn.kwarg("map_column"), Some(Expr::Bool(true))) =>
            {
                if let Some(attr) = syn.args.first().and_then(Expr::as_str) {
                    rename_field(&mut model.fields, key, attr);
                }
            }
            _ => {}
        }
    }
}

/// The field for column attribute `from` is mapped as attribute `to`.
fn rename_field(fields: &mut [Field], from: &str, to: &str) {
    if let Some(f) = fields.iter_mut().find(|f| f.name == from) {
        f.column = Some(f.column.take().unwrap_or_else(|| f.name.clone()));
        f.name = to.to_string();
    }
}

fn relationship(name: &str, call: &Call) -> Relation {
    let target = call
        .arg(0, "argument")
        .map(|t| {
            t.as_str().map(String::from).unwrap_or_else(|| {
                t.last_name()
                    .map(String::from)
                    .unwrap_or_else(|| t.describe())
            })
        })
        .unwrap_or_default();
    let through = call
        .kwarg("secondary")
        .map(|s| s.as_str().map(String::from).unwrap_or_else(|| s.describe()));
    let kind = if through.is_some() {
        "many_to_many"
    } else if matches!(call.kwarg("uselist"), Some(Expr::Bool(false))) {
        "one_to_one"
    } else {
        "relationship"
    };
    let related_name = call
        .kwarg("backref")
        .or_else(|| call.kwarg("back_populates"))
        .map(|b| match b {
            Expr::Call(c) => c
                .args
                .first()
                .and_then(|a| a.as_str())
                .unwrap_or("")
                .to_string(),
            e => e.as_str().map(String::from).unwrap_or_else(|| e.describe()),
        });
    Relation {
        name: name.to_string(),
        kind: kind.into(),
        target,
        through,
        related_name,
        db_table: None,
    }
}

/// `@event.listens_for(Model, "before_insert")` and `event.listen(Model, ...)`:
/// model id -> event names. Each is also recorded as a signal.
fn find_events(ctx: &Ctx, inv: &mut Inventory) -> BTreeMap<String, Vec<String>> {
    let resolver = &ctx.project.resolver;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for &f in &ctx.files {
        scope::walk(f, resolver, ctx.values, &mut |stmt, sc| {
            let calls: Vec<&Call> = match stmt {
                Stmt::Func(func) => func.decorators.iter().filter_map(|d| d.as_call()).collect(),
                Stmt::Expr(Expr::Call(c), _) => vec![c],
                _ => vec![],
            };
            for c in calls {
                let Some(fid) = sc.resolve(resolver, &c.func) else {
                    continue;
                };
                if !EVENT_FUNCS.contains(&fid.as_str()) {
                    continue;
                }
                let Some(target) = c.args.first() else {
                    continue;
                };
                // `Model.attr` targets the model's attribute events.
                let base = match target {
                    Expr::Attr(b, _)
                        if sc
                            .resolve(resolver, target)
                            .is_some_and(|t| ctx.classes.get(&t).is_none()) =>
                    {
                        b.as_ref()
                    }
                    t => t,
                };
                let event = c
                    .args
                    .get(1)
                    .and_then(|e| e.as_str())
                    .unwrap_or("?")
                    .to_string();
                let tid = sc.resolve(resolver, base);
                if let Some(t) = &tid {
                    out.entry(t.clone()).or_default().push(event.clone());
                }
                inv.signals.push(Signal {
                    kind: "sqlalchemy_event".into(),
                    name: event,
                    target: tid.or_else(|| Some(target.describe())),
                    file: f.path.clone(),
                    line: c.pos.line,
                });
            }
        });
    }
    out
}

/// Flask-SQLAlchemy's default table name: `UserRole` -> `user_role`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            // ((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || next_lower {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out.trim_start_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn flask_sqlalchemy_table_names() {
        assert_eq!(snake_case("User"), "user");
        assert_eq!(snake_case("UserRole"), "user_role");
        assert_eq!(snake_case("HTTPRequest"), "http_request");
        assert_eq!(snake_case("Project2Bill"), "project2_bill");
    }
}
