//! SQLAlchemy models -> Django models on the same tables and columns: `db_table`, `db_column`
//! where the attribute differs, field types by family, `null`, keys (`CompositePrimaryKey` for
//! composite ones), `ForeignKey` with `on_delete` and the `related_name` of the relationship on
//! the same column, many-to-many through a model on the existing association table. What has no
//! counterpart is a TODO at the field, never a silent drop.

use super::django_urls::app_of;
use super::{Construct, Draft, Todo, camel, py_ident, py_str, wrap_call, wrap_seq};
use crate::inventory::{
    AssociationTable, ConditionTerm, Field, Inventory, Model, Route, TableConstraint,
};
use crate::plan::flask_to_django::Grouping;
use std::collections::{BTreeMap, BTreeSet};

/// Which Django app a Python module's models and tasks go to: the app whose views live
/// closest in the package tree.
pub struct Placement {
    /// (view module, app) for every ported route.
    views: Vec<(String, String)>,
    fallback: String,
}

impl Placement {
    pub fn new(inv: &Inventory, routes: &[&Route], apps: &[String]) -> Self {
        let grouping = Grouping::for_size(routes, inv.stats.lines);
        let views = routes
            .iter()
            .filter_map(|r| {
                let v = r.view.as_deref()?;
                let module = v.rsplit_once('.').map_or(v, |(m, _)| m);
                Some((module.to_string(), app_of(&grouping, r)))
            })
            .collect();
        // The app with the most routes takes what nothing else claims.
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for r in routes {
            *counts.entry(app_of(&grouping, r)).or_default() += 1;
        }
        let fallback = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(k, _)| k)
            .unwrap_or_else(|| apps.first().cloned().unwrap_or_else(|| "core".into()));
        Placement { views, fallback }
    }

    pub fn app_for_module(&self, module: &str) -> String {
        let shared = |a: &str| {
            a.split('.')
                .zip(module.split('.'))
                .take_while(|(x, y)| x == y)
                .count()
        };
        let mut best: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (m, app) in &self.views {
            let e = best.entry(app.clone()).or_default();
            let s = shared(m);
            if s > e.0 {
                *e = (s, 1);
            } else if s == e.0 {
                e.1 += 1;
            }
        }
        best.into_iter()
            .filter(|(_, (s, _))| *s > 0)
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(k, _)| k)
            .unwrap_or_else(|| self.fallback.clone())
    }
}

/// What the project files need from the models.
#[derive(Debug, Default)]
pub struct ModelsOut {
    /// `app.Class` of the user model when it became AUTH_USER_MODEL.
    pub user_model: Option<String>,
    /// Why the user model did not (a TODO already counted).
    pub user_model_todo: Option<Todo>,
}

/// A model to generate: its Django class, app and source.
struct Target<'a> {
    model: &'a Model,
    app: String,
    class: String,
    /// column -> Django attribute name, filled as fields are written.
    pk_columns: Vec<String>,
}

const PASSWORD_FIELDS: &[&str] = &[
    "password",
    "password_hash",
    "pw_hash",
    "hashed_password",
    "passwd",
];
const USERNAME_FIELDS: &[&str] = &["username", "email", "login", "name", "user_name"];

pub fn generate(inv: &Inventory, placement: &Placement, draft: &mut Draft) -> ModelsOut {
    let mut out = ModelsOut::default();
    let models: Vec<&Model> = inv
        .models
        .iter()
        .filter(|m| !m.r#abstract && m.orm != "django")
        .collect();
    // Class names per app stay unique; a table belongs to the first model that maps it.
    let mut targets: Vec<Target> = Vec::new();
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &models {
        let app = placement.app_for_module(&m.module);
        let used = names.entry(app.clone()).or_default();
        let mut class = py_ident(&m.name);
        let mut n = 2;
        while !used.insert(class.clone()) {
            class = format!("{}{n}", py_ident(&m.name));
            n += 1;
        }
        let pk_columns = m
            .fields
            .iter()
            .filter(|f| f.pk)
            .map(|f| column_of(f).to_string())
            .collect();
        targets.push(Target {
            model: m,
            app,
            class,
            pk_columns,
        });
    }
    let (by_table, remapped) = table_owners(&targets);
    let shared = shared_constraint_names(inv);
    let user = user_model(inv, &targets);
    let mut per_app: BTreeMap<String, Vec<(bool, String)>> = BTreeMap::new();
    let mut imports: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        let m = t.model;
        let place = format!("{}/models.py", t.app);
        let mut todos: Vec<Todo> = Vec::new();
        let mut todo = |code: &'static str, reason: String| {
            todos.push(Todo {
                code,
                kind: "model",
                construct: format!("{}.{}", m.module, m.name),
                reason,
                file: m.file.clone(),
                line: m.line,
                place: place.clone(),
            })
        };
        let Some(table) = &m.table else {
            todo(
                "CP201",
                format!("`{}` maps no table crossport could read", m.name),
            );
            push_model(draft, t, &place, None, todos, &mut per_app, String::new());
            continue;
        };
        if let Some(&other) = remapped.get(&i) {
            // a plain class mapped classically onto a model's table (`mapper(Plain,
            // Model.__table__)`), either of the two owning it, reading no column the owner
            // lacks: a second class on its rows, a proxy (a declarative copy on a base of its
            // own, kept for migrations, is left to decide)
            let owner = &targets[other];
            let within = (is_imperative(m) || is_imperative(owner.model))
                && m.fields.iter().all(|f| {
                    owner
                        .model
                        .fields
                        .iter()
                        .any(|g| column_of(g) == column_of(f))
                });
            if owner.app == t.app && within {
                // the proxy has the owner's fields and relations under the owner's names
                let renamed: Vec<&str> = m
                    .fields
                    .iter()
                    .filter(|f| !owner.model.fields.iter().any(|g| g.name == f.name))
                    .map(|f| f.name.as_str())
                    .chain(m.relations.iter().map(|r| r.name.as_str()))
                    .collect();
                if !renamed.is_empty() {
                    todo(
                        "CP207",
                        format!(
                            "attributes of the classical mapping not on the proxy ({}): reach them through {}'s own fields and relations",
                            renamed.join(", "),
                            owner.class
                        ),
                    );
                }
                let text = proxy_text(&t.class, &owner.class, m, &todos);
                push_model(draft, t, &place, Some(table), todos, &mut per_app, text);
                continue;
            }
            let o = owner.model;
            todo(
                "CP201",
                format!(
                    "`{table}` is mapped again by {}.{} (another declarative base, not a subclass): Django gets one model per table, ported from the mapping with more columns",
                    o.module, o.name
                ),
            );
            push_model(
                draft,
                t,
                &place,
                Some(table),
                todos,
                &mut per_app,
                String::new(),
            );
            continue;
        }
        let owner = by_table.get(table) != Some(&i);
        let mut lines: Vec<String> = Vec::new();
        let mut base = "models.Model".to_string();
        if owner {
            // Single-table inheritance: the rows live in the parent's table.
            let parent = &targets[by_table[table]];
            let fields: Vec<&str> = m.fields.iter().map(|f| f.name.as_str()).collect();
            // A subclass of a mapping without a discriminator loads every row of the table,
            // as a proxy does: nothing left to port.
            let exact = fields.is_empty()
                && parent.app == t.app
                && !parent.model.traits.iter().any(|x| x == "polymorphic");
            if !exact {
                todo(
                    "CP202",
                    format!(
                        "single-table inheritance on `{table}` (parent {}.{}): {}the polymorphic loading by discriminator is not ported",
                        parent.app,
                        parent.class,
                        if fields.is_empty() {
                            String::new()
                        } else {
                            format!(
                                "its own columns ({}) are fields of the parent's model; ",
                                fields.join(", ")
                            )
                        }
                    ),
                );
            }
            // A proxy keeps the class; across apps it would need an import, so only the TODO.
            let text = if parent.app == t.app {
                proxy_text(&t.class, &parent.class, m, &todos)
            } else {
                String::new()
            };
            push_model(draft, t, &place, Some(table), todos, &mut per_app, text);
            continue;
        }
        if m.traits.iter().any(|x| x == "polymorphic") {
            todo("CP202", "polymorphic mapping (joined inheritance or a discriminator): Django loads the base class only; use multi-table inheritance or proxies by hand".into());
        }
        if m.traits.iter().any(|x| x == "events") {
            todo(
                "CP204",
                "SQLAlchemy event listeners on this model: rewrite them as Django signals".into(),
            );
        }
        for tr in &m.traits {
            match tr.as_str() {
                "validates" => todo(
                    "CP207",
                    "@validates methods: move the checks to clean() or the forms".into(),
                ),
                "hybrid_property" => todo(
                    "CP207",
                    "hybrid properties: rewrite as properties plus query expressions".into(),
                ),
                _ => {}
            }
        }
        let is_user = user.as_ref().is_some_and(|u| u.ok && u.index == i);
        let composite = t.pk_columns.len() > 1;
        let mut pk_attnames: Vec<String> = Vec::new();
        let mut attrs: BTreeSet<String> = BTreeSet::new();
        // column -> Django field name, for the constraints of `__table_args__`.
        let mut field_of: BTreeMap<&str, String> = BTreeMap::new();
        // Single-table inheritance: the columns its subclasses declare are this table's too
        // (each column once, the first declaration wins as SQLAlchemy's does).
        let mut columns: BTreeSet<&str> = m.fields.iter().map(column_of).collect();
        let inherited = targets
            .iter()
            .enumerate()
            .filter(|(j, c)| *j != i && c.model.table.as_ref() == Some(table))
            .filter(|(j, _)| !remapped.contains_key(j))
            .flat_map(|(_, c)| c.model.fields.iter())
            .filter(|f| !f.pk && columns.insert(column_of(f)));
        let fields: Vec<&Field> = m.fields.iter().chain(inherited).collect();
        for f in fields {
            if f.r#type == "declared_attr" {
                todo(
                    "CP207",
                    format!(
                        "`{}` is a declared_attr whose column crossport could not read",
                        f.name
                    ),
                );
                continue;
            }
            let col = column_of(f);
            let mut field_name = unshadowing(py_ident(&f.name));
            let mut kwargs: Vec<String> = Vec::new();
            let class;
            let mut comment = None;
            let fk_lookup = f.foreign_key.as_deref().and_then(|fk| {
                let (tbl, tcol) = split_fk(fk);
                by_table
                    .get(tbl)
                    .map(|ix| (&targets[*ix], tcol.to_string()))
            });
            // Django needs the target column of a ForeignKey to be unique (fields.E311, which
            // stops `manage.py check` and with it every comparison); the database does not.
            // (A column of a composite key is not unique on its own either; a target whose key
            // crossport did not read is left as before.)
            let not_unique = fk_lookup.as_ref().and_then(|(target, tcol)| {
                let unique = target.pk_columns.is_empty()
                    || target.pk_columns == [tcol.as_str()]
                    || unique_column(target.model, tcol);
                (!unique).then(|| format!("{}.{tcol}", target.model.name))
            });
            // `to_field` must name a field of the target (fields.E312): a column the target
            // model does not show (declared by a base class outside the scanned code) cannot
            // be named; Django's implicit `id` can
            let unread = fk_lookup.as_ref().and_then(|(target, tcol)| {
                let known = (tcol == "id" && target.pk_columns.is_empty())
                    || target.pk_columns.iter().any(|c| c == tcol)
                    || target.model.fields.iter().any(|x| column_of(x) == *tcol);
                (!known).then(|| format!("{}.{tcol}", target.model.name))
            });
            let fk_target = fk_lookup.filter(|_| not_unique.is_none() && unread.is_none());
            if let Some((target, tcol)) = fk_target {
                field_name = unshadowing(fk_field_name(m, f, target.model, &attrs));
                class = if (f.pk && !composite) || f.unique == Some(true) {
                    "OneToOneField"
                } else {
                    "ForeignKey"
                };
                kwargs.push(py_str(&format!("{}.{}", target.app, target.class)));
                kwargs.push(format!(
                    "on_delete=models.{}",
                    on_delete(f.on_delete.as_deref())
                ));
                if target.pk_columns.len() > 1 {
                    todo(
                        "CP203",
                        format!(
                            "`{}` refers to `{}`, whose key is composite: Django relations cannot point at it",
                            f.name, target.model.name
                        ),
                    );
                }
                if target.pk_columns.first().map(String::as_str) != Some(tcol.as_str()) {
                    let to = target
                        .model
                        .fields
                        .iter()
                        .find(|x| column_of(x) == tcol)
                        .map(|x| x.name.clone())
                        .unwrap_or(tcol.clone());
                    kwargs.push(format!("to_field={}", py_str(&to)));
                }
                if format!("{field_name}_id") != col {
                    kwargs.push(format!("db_column={}", py_str(col)));
                }
                let rn = related_name(m, f, target.model)
                    .or_else(|| default_accessor_clash(m, target.model, &field_name));
                if let Some(rn) = rn {
                    kwargs.push(format!("related_name={}", py_str(&rn)));
                }
            } else {
                if let Some(what) = &unread {
                    todo(
                        "CP207",
                        format!(
                            "`{}` refers to `{what}`, a column crossport did not read on that model (a base class outside the scanned code may declare it): kept as a plain column",
                            f.name
                        ),
                    );
                } else if let Some(what) = &not_unique {
                    todo(
                        "CP207",
                        format!(
                            "`{}` refers to `{what}`, which is not unique: a Django ForeignKey needs a unique target (fields.E311), kept as a plain column",
                            f.name
                        ),
                    );
                } else if let Some(fk) = &f.foreign_key {
                    todo(
                        "CP207",
                        format!(
                            "`{}` refers to `{fk}`, a table no model maps: kept as a plain column",
                            f.name
                        ),
                    );
                }
                match field_type(f, composite) {
                    // PostgreSQL's arrays: an ArrayField of the items' field.
                    _ if last(&f.r#type) == "ARRAY" => {
                        let item = Field {
                            r#type: f.item_type.clone().unwrap_or_default(),
                            type_args: f.item_args.clone(),
                            ..Field::default()
                        };
                        let (ic, iargs) = field_type(&item, false).unwrap_or_else(|| {
                            todo(
                                "CP205",
                                format!(
                                    "column `{}` is an array of `{}`, which has no Django field: its items are stored as text",
                                    f.name,
                                    f.item_type.as_deref().unwrap_or("an unknown type")
                                ),
                            );
                            comment = Some("CP205");
                            ("TextField", vec![])
                        });
                        kwargs.insert(0, format!("models.{ic}({})", iargs.join(", ")));
                        class = "ArrayField";
                        imports.entry(t.app.clone()).or_default().insert("array");
                    }
                    Some((c, args)) => {
                        class = c;
                        kwargs.extend(args);
                    }
                    // A TypeDecorator (the project's, or SQLAlchemy's own `PickleType`): the
                    // column is its `impl`'s; what the class does to values on the way in and
                    // out is code to port.
                    None if let Some(base) = f.base_type.as_deref()
                        && let Some((c, args)) = field_type(
                            &Field {
                                r#type: base.to_string(),
                                ..f.clone()
                            },
                            composite,
                        ) =>
                    {
                        todo(
                            "CP205",
                            format!(
                                "column `{}` has type `{}`, a TypeDecorator over `{base}`: stored as {c}; what the class does to values is not ported",
                                f.name, f.r#type
                            ),
                        );
                        class = c;
                        kwargs.extend(args);
                        comment = Some("CP205");
                    }
                    None => {
                        todo(
                            "CP205",
                            format!(
                                "column `{}` has type `{}`, which has no Django field: stored as text until a field is written",
                                f.name, f.r#type
                            ),
                        );
                        class = "TextField";
                        comment = Some("CP205");
                    }
                }
                if is_user
                    && PASSWORD_FIELDS.contains(&f.name.as_str())
                    && user.as_ref().is_some_and(|u| u.password == f.name)
                {
                    field_name = "password".into();
                }
                if field_name != col {
                    kwargs.push(format!("db_column={}", py_str(col)));
                }
            }
            if f.pk && !composite {
                kwargs.push("primary_key=True".into());
            }
            if f.pk {
                pk_attnames.push(if class == "ForeignKey" || class == "OneToOneField" {
                    format!("{field_name}_id")
                } else {
                    field_name.clone()
                });
            }
            if !f.pk && f.nullable != Some(false) {
                kwargs.push("null=True".into());
            }
            if f.unique == Some(true) && !f.pk && class != "OneToOneField" {
                kwargs.push("unique=True".into());
            }
            if f.index == Some(true) && f.unique != Some(true) && class != "ForeignKey" {
                kwargs.push("db_index=True".into());
            }
            if let Some(d) = &f.default {
                match default_value(d) {
                    Some(v) => {
                        if v.starts_with("timezone.") {
                            imports.entry(t.app.clone()).or_default().insert("timezone");
                        }
                        kwargs.push(format!("default={v}"));
                    }
                    None => todo(
                        "CP207",
                        format!("default `{d}` of `{}` is not carried over", f.name),
                    ),
                }
            }
            attrs.insert(field_name.clone());
            field_of.insert(col, field_name.clone());
            if let Some(code) = comment {
                lines.push(format!("    # TODO({code}): a placeholder field, see the comment at the top of the class"));
            }
            lines.push(field_line(&field_name, class, &kwargs));
        }
        if composite {
            let names: Vec<String> = pk_attnames.iter().map(|n| py_str(n)).collect();
            lines.push(field_line("pk", "CompositePrimaryKey", &names));
        }
        if t.pk_columns.is_empty() {
            todo(
                "CP203",
                format!(
                    "`{}` has no primary key crossport could read: Django adds an `id` column",
                    m.name
                ),
            );
        }
        // Relationships: carried by a key on either side, or by an association table.
        for r in &m.relations {
            if let Some(through) = &r.through {
                let assoc = inv
                    .association_tables
                    .iter()
                    .find(|a| &a.name == through || &a.variable == through);
                match assoc {
                    Some(a) => {
                        if let Some(line) = m2m_field(inv, &targets, &by_table, m, r, a, &mut attrs)
                        {
                            lines.push(line);
                        }
                    }
                    None => todo(
                        "CP207",
                        format!(
                            "many-to-many `{}` through `{through}`: the association table was not read",
                            r.name
                        ),
                    ),
                }
                continue;
            }
            let target = targets.iter().find(|x| x.model.name == last(&r.target));
            let carried = target.is_some_and(|x| has_fk(m, x.model) || has_fk(x.model, m));
            if !carried {
                todo(
                    "CP207",
                    format!(
                        "relationship `{}` to `{}`: no foreign-key column found to carry it",
                        r.name, r.target
                    ),
                );
            }
        }
        if is_user {
            let u = user.as_ref().unwrap();
            base = "AbstractBaseUser".into();
            if !m.fields.iter().any(|f| f.name == "last_login") {
                lines.push("    last_login = None  # the table has no last_login column".into());
            }
            lines.push(String::new());
            lines.push(format!("    USERNAME_FIELD = {}", py_str(&u.username)));
            lines.push("    REQUIRED_FIELDS = []".into());
            lines.push(String::new());
            lines.push("    objects = BaseUserManager()".into());
            imports.entry(t.app.clone()).or_default().insert("auth");
            out.user_model = Some(format!("{}.{}", t.app, t.class));
        }
        let meta = table_constraints(&m.constraints, &field_of, &shared, &mut todo);
        let body = class_body(&todos, &lines, table, &meta);
        let text = class_text(&t.class, &base, m, &body);
        push_model(draft, t, &place, Some(table), todos, &mut per_app, text);
    }
    if let Some(u) = &user
        && !u.ok
    {
        let m = targets[u.index].model;
        let t = Todo {
            code: "CP402",
            kind: "settings",
            construct: format!("{}.{}", m.module, m.name),
            reason: u.why.clone(),
            file: m.file.clone(),
            line: m.line,
            place: format!("{}/settings.py", draft.project),
        };
        out.user_model_todo = Some(t.clone());
        draft.todos.push(t);
    }
    through_models(inv, &targets, &by_table, &shared, draft, &mut per_app);
    for app in draft.apps.clone() {
        let mut classes = per_app.remove(&app).unwrap_or_default();
        classes.sort_by_key(|(proxy, _)| *proxy);
        let mut o =
            format!("\"\"\"Models of `{app}`, on the tables the SQLAlchemy models use.\"\"\"\n");
        if !classes.is_empty() {
            o.push('\n');
            let imp = imports.get(&app);
            if imp.is_some_and(|i| i.contains("auth")) {
                o.push_str(
                    "from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager\n",
                );
            }
            if imp.is_some_and(|i| i.contains("array")) {
                o.push_str("from django.contrib.postgres.fields import ArrayField\n");
            }
            o.push_str("from django.db import models\n");
            if imp.is_some_and(|i| i.contains("timezone")) {
                o.push_str("from django.utils import timezone\n");
            }
        }
        for (_, c) in classes {
            o.push_str("\n\n");
            o.push_str(&c);
        }
        draft.files.insert(format!("{app}/models.py"), o);
    }
    out
}

/// A model's body: its TODOs, its fields, and the table it maps.
/// The `Meta` lines that carry `__table_args__`: unique constraints and unique indexes as
/// `constraints` under their names (`unique_together` when they have none), plain indexes as `indexes` (when their name is one Django accepts: at
/// most 30 characters, not starting with `_` or a digit). Anything else is a TODO.
fn table_constraints(
    constraints: &[TableConstraint],
    field_of: &BTreeMap<&str, String>,
    shared: &BTreeSet<String>,
    todo: &mut impl FnMut(&'static str, String),
) -> String {
    let mut together: Vec<(String, Vec<String>, &str)> = Vec::new();
    let mut uniques: Vec<(String, Vec<String>, &str)> = Vec::new();
    let mut indexes: Vec<(String, Vec<String>, &str)> = Vec::new();
    for c in constraints {
        let fields: Option<Vec<String>> = c
            .columns
            .iter()
            .map(|col| field_of.get(col.as_str()).map(|f| py_str(f)))
            .collect();
        // Django wants a constraint's name unique across the project (models.E031/E032): a
        // name several tables share (each table has its own in the database) is not kept
        let name = c.name.as_ref().filter(|n| !shared.contains(*n));
        let valid_name = name.filter(|n| {
            n.len() <= 30 && !n.starts_with('_') && !n.starts_with(|ch: char| ch.is_ascii_digit())
        });
        // A partial index: its condition as a Q object, and a name, which Django requires.
        if !c.condition.is_empty() {
            let q = condition_q(&c.condition, field_of);
            let name = match c.kind.as_str() {
                "index" => valid_name,
                _ => name,
            };
            match (fields, q, name) {
                (Some(f), Some(q), Some(name)) => {
                    let args = vec![
                        format!("fields=[{}]", f.join(", ")),
                        format!("condition={q}"),
                        format!("name={}", py_str(name)),
                    ];
                    if c.kind == "index" {
                        indexes.push(("models.Index(".into(), args, ")"));
                    } else {
                        uniques.push(("models.UniqueConstraint(".into(), args, ")"));
                    }
                }
                _ => todo(
                    "CP207",
                    format!(
                        "partial {} {} on ({}): its condition names a column the model does not map, or it has no name Django accepts; add it to Meta by hand",
                        c.kind.replace('_', " "),
                        c.name.as_deref().unwrap_or("without a name"),
                        c.columns.join(", ")
                    ),
                ),
            }
            continue;
        }
        match (c.kind.as_str(), fields) {
            // A named one keeps its name (later migrations find it); Django requires a name
            // for a UniqueConstraint, so an unnamed one is a unique_together.
            ("unique" | "unique_index", Some(f)) => match name {
                Some(name) => uniques.push((
                    "models.UniqueConstraint(".into(),
                    vec![
                        format!("fields=[{}]", f.join(", ")),
                        format!("name={}", py_str(name)),
                    ],
                    ")",
                )),
                None => together.push(("(".into(), f, ")")),
            },
            ("index", Some(f)) if valid_name.is_some() => indexes.push((
                "models.Index(".into(),
                vec![
                    format!("fields=[{}]", f.join(", ")),
                    format!("name={}", py_str(valid_name.unwrap())),
                ],
                ")",
            )),
            ("index", Some(_)) => todo(
                "CP207",
                format!(
                    "index {} on ({}): Django needs a name of at most 30 characters; add it to Meta.indexes",
                    c.name.as_deref().unwrap_or("without a name"),
                    c.columns.join(", ")
                ),
            ),
            ("unread", _) => todo(
                "CP207",
                format!(
                    "`{}` in __table_args__ is not carried over: add it to Meta by hand",
                    c.text.as_deref().unwrap_or_default()
                ),
            ),
            (kind, _) => todo(
                "CP207",
                format!(
                    "{kind} on ({}) names a column the model does not map",
                    c.columns.join(", ")
                ),
            ),
        }
    }
    let mut out = String::new();
    if !together.is_empty() {
        out.push_str(&meta_list("unique_together", &together));
    }
    if !uniques.is_empty() {
        out.push_str(&meta_list("constraints", &uniques));
    }
    if !indexes.is_empty() {
        out.push_str(&meta_list("indexes", &indexes));
    }
    out
}

/// A partial index's condition as a Q expression on the model's fields: `ne` is SQL's `<>`
/// (false on NULL), `is_not` SQL's `IS NOT` (true on NULL, as `~Q` is).
/// The lookups that must hold go into one `Q(...)` (its keyword arguments are ANDed).
fn condition_q(terms: &[ConditionTerm], field_of: &BTreeMap<&str, String>) -> Option<String> {
    let (mut all, mut negated) = (Vec::new(), Vec::new());
    for t in terms {
        let f = field_of.get(t.column.as_str())?;
        let v = t.value.as_deref().unwrap_or("None");
        match t.test.as_str() {
            "is_null" => all.push(format!("{f}__isnull=True")),
            "is_not_null" => all.push(format!("{f}__isnull=False")),
            "eq" => all.push(format!("{f}={v}")),
            "ne" => {
                all.push(format!("{f}__isnull=False"));
                negated.push(format!("~models.Q({f}={v})"));
            }
            "is_not" => negated.push(format!("~models.Q({f}={v})")),
            _ => return None,
        }
    }
    let mut parts = Vec::new();
    if !all.is_empty() {
        parts.push(format!("models.Q({})", all.join(", ")));
    }
    parts.extend(negated);
    Some(parts.join(" & "))
}

/// `        attr = [item, ...]` in a Meta class, each item a tuple or a call of its arguments,
/// laid out as ruff format would.
fn meta_list(attr: &str, items: &[(String, Vec<String>, &str)]) -> String {
    let flat: Vec<String> = items
        .iter()
        .map(|(head, args, tail)| match args.as_slice() {
            [one] if head == "(" => format!("({one},)"),
            _ => format!("{head}{}{tail}", args.join(", ")),
        })
        .collect();
    let one = format!("        {attr} = [{}]", flat.join(", "));
    if one.chars().count() <= 88 {
        return one + "\n";
    }
    let mut o = format!("        {attr} = [\n");
    for ((head, args, tail), text) in items.iter().zip(&flat) {
        let line = format!("            {text},");
        if line.chars().count() <= 88 {
            o.push_str(&line);
            o.push('\n');
        } else if head == "(" {
            o.push_str(&wrap_seq(12, head, args, &format!("{tail},")));
        } else {
            // A call's arguments one a line; a `fields=[...]` list or a `condition=Q(...)` of
            // lookups (`field__isnull=True`: no quotes, so `, ` separates them) still too long
            // is split in turn.
            for l in wrap_call(12, head, args, &format!("{tail},")).lines() {
                let arg = l.trim_start();
                let list = arg
                    .strip_prefix("fields=[")
                    .and_then(|x| x.strip_suffix("],"));
                let lookups = arg
                    .strip_prefix("condition=models.Q(")
                    .and_then(|x| x.strip_suffix("),"))
                    .filter(|x| !x.contains(['"', '(', ')']));
                match (list, lookups) {
                    (Some(list), _) if l.chars().count() > 88 => {
                        let items: Vec<String> = list.split(", ").map(String::from).collect();
                        o.push_str(&wrap_seq(16, "fields=[", &items, "],"));
                    }
                    (_, Some(lookups)) if l.chars().count() > 88 => {
                        let items: Vec<String> = lookups.split(", ").map(String::from).collect();
                        o.push_str(&wrap_call(16, "condition=models.Q(", &items, "),"));
                    }
                    _ => {
                        o.push_str(l);
                        o.push('\n');
                    }
                }
            }
        }
    }
    o.push_str("        ]\n");
    o
}

fn class_body(todos: &[Todo], lines: &[String], table: &str, meta: &str) -> String {
    let mut body = String::new();
    for c in todos.iter().map(Todo::comment) {
        body.push_str(&format!("    {c}\n"));
    }
    if !todos.is_empty() && !lines.is_empty() {
        body.push('\n');
    }
    for l in lines {
        body.push_str(l);
        body.push('\n');
    }
    body.push_str(&format!(
        "\n    class Meta:\n        db_table = {}\n{meta}",
        py_str(table)
    ));
    body
}

/// `    name = models.Class(args)`, wrapped as ruff format would (no trailing newline).
fn field_line(name: &str, class: &str, args: &[String]) -> String {
    // Every field class is Django's `models.X` but PostgreSQL's ArrayField, imported by name.
    let callee = match class {
        "ArrayField" => class.to_string(),
        _ => format!("models.{class}"),
    };
    wrap_call(4, &format!("{name} = {callee}("), args, ")")
        .trim_end()
        .to_string()
}

/// A class mapped classically (`mapper(Cls, table)`), not declared on a declarative base.
fn is_imperative(m: &Model) -> bool {
    m.traits.iter().any(|t| t == "imperative")
}

/// A proxy model of `base`, its TODOs as comments above its `Meta`.
fn proxy_text(class: &str, base: &str, m: &Model, todos: &[Todo]) -> String {
    let mut body = String::new();
    for c in todos.iter().map(Todo::comment) {
        body.push_str(&format!("    {c}\n"));
    }
    if !body.is_empty() {
        body.push('\n');
    }
    body.push_str("    class Meta:\n        proxy = True\n");
    class_text(class, base, m, &body)
}

fn class_text(class: &str, base: &str, m: &Model, body: &str) -> String {
    format!(
        "class {class}({base}):\n    \"\"\"`{}.{}` ({}:{}).\"\"\"\n\n{body}",
        m.module, m.name, m.file, m.line
    )
}

/// Which model owns each table, and the models left out because another mapping owns theirs.
/// Within one class hierarchy the table belongs to the model that declares its key (a subclass
/// on the same table without one is single-table inheritance), else to the first. Two classes
/// that map one table without inheriting from each other (models on separate declarative
/// bases, such as a frozen copy kept for migrations) are two views of one table: the wider
/// mapping is ported, since the table holds every column either reads (of two as wide, the
/// declarative one).
fn table_owners(targets: &[Target]) -> (BTreeMap<String, usize>, BTreeMap<usize, usize>) {
    // model id -> its targets (two modules' classes may share a name, not an id)
    let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        index
            .entry(format!("{}.{}", t.model.module, t.model.name))
            .or_default()
            .push(i);
    }
    // `i` inherits from `j` when a chain of bases that are models leads from one to the other.
    let inherits = |i: usize, j: usize| {
        let mut todo = vec![i];
        let mut seen = BTreeSet::new();
        while let Some(k) = todo.pop() {
            if !seen.insert(k) {
                continue;
            }
            for b in &targets[k].model.bases {
                let parents = index.get(b).map_or(&[][..], Vec::as_slice);
                if parents.contains(&j) {
                    return true;
                }
                todo.extend(parents);
            }
        }
        false
    };
    let mut by_table: BTreeMap<String, usize> = BTreeMap::new();
    let mut remapped: BTreeMap<usize, usize> = BTreeMap::new();
    let mut roots: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        let Some(table) = &t.model.table else {
            continue;
        };
        let family = roots.get(table).and_then(|r| {
            r.iter()
                .copied()
                .find(|&j| inherits(i, j) || inherits(j, i))
        });
        match family {
            Some(_) => {
                let owner = by_table[table];
                let has_pk = t.model.fields.iter().any(|f| f.pk);
                if has_pk && !targets[owner].model.fields.iter().any(|f| f.pk) {
                    by_table.insert(table.clone(), i);
                }
            }
            None => {
                roots.entry(table.clone()).or_default().push(i);
                // as wide, a declarative mapping owns it rather than a classical one
                let wider = by_table.get(table).is_none_or(|&o| {
                    let (mine, theirs) = (t.model.fields.len(), targets[o].model.fields.len());
                    mine > theirs
                        || mine == theirs
                            && is_imperative(targets[o].model)
                            && !is_imperative(t.model)
                });
                if wider {
                    by_table.insert(table.clone(), i);
                }
            }
        }
    }
    // Every model outside the owner's hierarchy is left out.
    for (i, t) in targets.iter().enumerate() {
        let Some(table) = &t.model.table else {
            continue;
        };
        let owner = by_table[table];
        if i != owner && !inherits(i, owner) && !inherits(owner, i) {
            remapped.insert(i, owner);
        }
    }
    (by_table, remapped)
}

fn push_model(
    draft: &mut Draft,
    t: &Target,
    place: &str,
    table: Option<&String>,
    todos: Vec<Todo>,
    per_app: &mut BTreeMap<String, Vec<(bool, String)>>,
    text: String,
) {
    let m = t.model;
    let mut detail = BTreeMap::new();
    if let Some(tb) = table {
        detail.insert("table".into(), tb.clone());
    }
    detail.insert("django".into(), format!("{}.{}", t.app, t.class));
    draft.constructs.push(Construct {
        kind: "model",
        source: format!("{}.{}", m.module, m.name),
        file: m.file.clone(),
        line: m.line,
        generated: format!("{place}: {}", t.class),
        detail,
        todos: todos.iter().map(|x| x.code).collect(),
    });
    draft.todos.extend(todos);
    if !text.is_empty() {
        // Proxies come after every concrete class: their base must exist first.
        let proxy = text.contains("        proxy = True\n");
        per_app
            .entry(t.app.clone())
            .or_default()
            .push((proxy, text));
    }
}

fn column_of(f: &Field) -> &str {
    f.column.as_deref().unwrap_or(&f.name)
}

fn last(s: &str) -> &str {
    s.rsplit('.').next().unwrap_or(s)
}

/// `users.id` -> (`users`, `id`); `schema.users.id` -> (`users`, `id`).
/// Whether a model's column holds unique values: the field says so, or a one-column unique
/// constraint without a condition does.
fn unique_column(m: &Model, column: &str) -> bool {
    m.fields
        .iter()
        .any(|x| column_of(x) == column && x.unique == Some(true))
        || m.constraints.iter().any(|k| {
            matches!(k.kind.as_str(), "unique" | "unique_index")
                && k.condition.is_empty()
                && k.columns == [column]
        })
}

fn split_fk(fk: &str) -> (&str, &str) {
    let mut parts = fk.rsplitn(3, '.');
    let col = parts.next().unwrap_or("id");
    let table = parts.next().unwrap_or(fk);
    (table, col)
}

fn has_fk(from: &Model, to: &Model) -> bool {
    let Some(t) = &to.table else { return false };
    from.fields
        .iter()
        .any(|f| f.foreign_key.as_deref().is_some_and(|k| split_fk(k).0 == t))
}

/// The names models.py imports: a field named so in a class body would hide the module from
/// the fields after it (`timezone = models.TextField()` then `default=timezone.now`).
const MODULE_NAMES: &[&str] = &[
    "models",
    "timezone",
    "ArrayField",
    "AbstractBaseUser",
    "BaseUserManager",
];

/// `name`, or `name_field` when it is one of `MODULE_NAMES` or a name Django refuses (the
/// column keeps its name).
fn unshadowing(name: String) -> String {
    // Django refuses a field name ending in `_` (fields.E001: `yield_`, a keyword's usual
    // spelling), holding `__` (E002) or `pk` (E003); the column keeps its name (`db_column`)
    let invalid = name.ends_with('_') || name.contains("__") || name == "pk";
    if invalid || MODULE_NAMES.contains(&name.as_str()) {
        let mut base = name.trim_end_matches('_').to_string();
        while base.contains("__") {
            base = base.replace("__", "_");
        }
        base + "_field"
    } else {
        name
    }
}

/// The constraint and index names more than one table of the inventory gives (a database
/// scopes them by table; Django's checks want them unique across the project).
fn shared_constraint_names(inv: &Inventory) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut shared = BTreeSet::new();
    let models = inv.models.iter().map(|m| &m.constraints);
    let tables = inv.association_tables.iter().map(|a| &a.constraints);
    for c in models.chain(tables).flatten() {
        if let Some(n) = &c.name
            && !seen.insert(n.clone())
        {
            shared.insert(n.clone());
        }
    }
    shared
}

/// The relationship on either side that rides on this key: (name on `m`, name on the target).
fn paired<'a>(m: &'a Model, target: &'a Model) -> (Option<&'a str>, Option<&'a str>) {
    // The relationship (not a many-to-many) on `from` that points at `to`.
    let rel = |from: &'a Model, to: &Model| {
        from.relations
            .iter()
            .find(|r| r.through.is_none() && last(&r.target) == to.name)
    };
    let backref = |r: Option<&'a crate::inventory::Relation>| {
        r.and_then(|r| r.related_name.as_deref())
            .filter(|s| !s.is_empty())
    };
    // Keys both ways (a self-reference included): a relationship cannot be told to ride on one
    // key rather than the other without its `foreign_keys`, so none names either side.
    if has_fk(m, target) && has_fk(target, m) {
        return (None, None);
    }
    let (here, there) = (rel(m, target), rel(target, m));
    (
        here.map(|r| r.name.as_str()).or(backref(there)),
        there.map(|r| r.name.as_str()).or(backref(here)),
    )
}

/// The Django name of a key column: the relationship riding on it when there is one key to
/// that model, else the column without `_id`.
fn fk_field_name(m: &Model, f: &Field, target: &Model, taken: &BTreeSet<String>) -> String {
    let keys_to_target = m
        .fields
        .iter()
        .filter(|x| x.foreign_key.as_deref().map(|k| split_fk(k).0) == target.table.as_deref())
        .count();
    let from_rel = (keys_to_target == 1 && !f.pk)
        .then(|| paired(m, target).0)
        .flatten()
        .map(py_ident);
    let col = column_of(f);
    let stripped = col
        .strip_suffix("_id")
        .filter(|s| !s.is_empty())
        .map(py_ident);
    let name = from_rel
        .or(stripped)
        .unwrap_or_else(|| format!("{}_ref", py_ident(&f.name)));
    // the key's attribute is `{name}_id`: no other field may hold either name (models.E006)
    let attname = format!("{name}_id");
    if taken.contains(&name)
        || m.fields
            .iter()
            .any(|x| (x.name == name || x.name == attname) && !std::ptr::eq(x, f))
    {
        format!("{}_ref", py_ident(&f.name))
    } else {
        name
    }
}

/// A reverse accessor of its own when Django's default (`post_set`, queried as `post`) would
/// clash: several relations from `m` to `target`, or `target` having a field of that name.
fn default_accessor_clash(m: &Model, target: &Model, field: &str) -> Option<String> {
    let keys = m
        .fields
        .iter()
        .filter(|x| x.foreign_key.as_deref().map(|k| split_fk(k).0) == target.table.as_deref())
        .count();
    let m2m = m
        .relations
        .iter()
        .filter(|r| r.through.is_some() && last(&r.target) == target.name)
        .count();
    let query = m.name.to_lowercase();
    let taken = |n: &str| {
        target
            .fields
            .iter()
            .any(|f| f.name == n || column_of(f).strip_suffix("_id") == Some(n))
            || target.relations.iter().any(|r| r.name == n)
    };
    // (a field's leading `_` would make `__`, which Django reserves for lookups: fields.E309)
    (keys + m2m > 1 || taken(&query) || taken(&format!("{query}_set")))
        .then(|| format!("{query}_{}_set", field.trim_start_matches('_')))
}

fn related_name(m: &Model, f: &Field, target: &Model) -> Option<String> {
    let keys_to_target = m
        .fields
        .iter()
        .filter(|x| x.foreign_key.as_deref().map(|k| split_fk(k).0) == target.table.as_deref())
        .count();
    if keys_to_target != 1 || f.pk {
        return None;
    }
    paired(m, target).1.map(String::from)
}

fn on_delete(ondelete: Option<&str>) -> &'static str {
    match ondelete.map(|s| s.to_ascii_uppercase()).as_deref() {
        Some("CASCADE") => "CASCADE",
        Some("SET NULL") => "SET_NULL",
        Some("RESTRICT") => "RESTRICT",
        // No action in the database: Django leaves it to the database too.
        _ => "DO_NOTHING",
    }
}

/// The Django field for a column type; None when there is no counterpart.
fn field_type(f: &Field, composite: bool) -> Option<(&'static str, Vec<String>)> {
    // SQLAlchemy's own spellings only: a custom `TimeStamp` type is not `TIMESTAMP`.
    let t = last(&f.r#type);
    let n = |i: usize| {
        f.type_args
            .get(i)
            .filter(|a| a.chars().all(|c| c.is_ascii_digit()))
    };
    let auto = f.pk && !composite;
    Some(match t {
        "Integer" | "INTEGER" | "INT" if auto => ("AutoField", vec![]),
        "BigInteger" | "BIGINT" if auto => ("BigAutoField", vec![]),
        "Integer" | "INTEGER" | "INT" => ("IntegerField", vec![]),
        "BigInteger" | "BIGINT" => ("BigIntegerField", vec![]),
        "SmallInteger" | "SMALLINT" => ("SmallIntegerField", vec![]),
        "String" | "Unicode" | "VARCHAR" | "NVARCHAR" | "CHAR" | "NCHAR" => match n(0) {
            Some(len) => ("CharField", vec![format!("max_length={len}")]),
            None => ("TextField", vec![]),
        },
        "Text" | "TEXT" | "UnicodeText" | "CLOB" => ("TextField", vec![]),
        "Boolean" | "BOOLEAN" => ("BooleanField", vec![]),
        "DateTime" | "DATETIME" | "TIMESTAMP" => ("DateTimeField", vec![]),
        "Date" | "DATE" => ("DateField", vec![]),
        "Time" | "TIME" => ("TimeField", vec![]),
        "Float" | "FLOAT" | "REAL" | "Double" | "DOUBLE" | "DOUBLE_PRECISION" => {
            ("FloatField", vec![])
        }
        "Numeric" | "NUMERIC" | "DECIMAL" => match (n(0), n(1)) {
            (Some(p), Some(s)) => (
                "DecimalField",
                vec![format!("max_digits={p}"), format!("decimal_places={s}")],
            ),
            _ => return None,
        },
        "LargeBinary" | "BLOB" | "BINARY" | "VARBINARY" => ("BinaryField", vec![]),
        // Django's JSONField is jsonb on PostgreSQL
        "JSON" | "JSONB" => ("JSONField", vec![]),
        "Uuid" | "UUID" => ("UUIDField", vec![]),
        "Enum" if !f.type_args.is_empty() && f.type_args.iter().all(|a| a.starts_with('"')) => {
            // A non-native enum is a VARCHAR as long as its longest value.
            let values: Vec<String> = f
                .type_args
                .iter()
                .map(|a| a.trim_matches('"').to_string())
                .collect();
            let len = values.iter().map(|v| v.chars().count()).max().unwrap_or(1);
            let choices: Vec<String> = values
                .iter()
                .map(|v| format!("({}, {})", py_str(v), py_str(v)))
                .collect();
            (
                "CharField",
                vec![
                    format!("max_length={len}"),
                    format!("choices=[{}]", choices.join(", ")),
                ],
            )
        }
        _ => return None,
    })
}

/// A default in Django terms: literals as they are, the usual "now" callables as timezone.now.
fn default_value(d: &str) -> Option<String> {
    let lit = d.parse::<f64>().is_ok()
        || matches!(d, "True" | "False" | "None")
        || (d.starts_with('"') && d.ends_with('"') && d.len() >= 2);
    if lit {
        return Some(d.to_string());
    }
    match last(d) {
        "utcnow" | "now" if d.contains("datetime") || d.starts_with("func.") => {
            Some("timezone.now".into())
        }
        _ => None,
    }
}

struct UserModel {
    index: usize,
    ok: bool,
    why: String,
    password: String,
    username: String,
}

/// The Flask-Login user model becomes AUTH_USER_MODEL when that keeps its table as it is: one
/// key, a password column, a unique name to log in with.
fn user_model(inv: &Inventory, targets: &[Target]) -> Option<UserModel> {
    if !inv.auth.iter().any(|a| a.system == "flask_login") {
        return None;
    }
    let index = targets
        .iter()
        .position(|t| t.model.bases.iter().any(|b| b.ends_with("UserMixin")))
        .or_else(|| targets.iter().position(|t| t.model.name == "User"))?;
    let m = targets[index].model;
    let is_text = |f: &Field| {
        matches!(
            last(&f.r#type).to_ascii_lowercase().as_str(),
            "string" | "unicode" | "varchar" | "text"
        )
    };
    let password = m
        .fields
        .iter()
        .find(|f| PASSWORD_FIELDS.contains(&f.name.as_str()) && is_text(f));
    let username = USERNAME_FIELDS.iter().find_map(|n| {
        m.fields
            .iter()
            .find(|f| f.name == *n && f.unique == Some(true) && is_text(f))
    });
    let why = if targets[index].pk_columns.len() != 1 {
        Some("its key is not a single column")
    } else if password.is_none() {
        Some("it has no password column")
    } else if username.is_none() {
        Some("it has no unique name or email column to log in with")
    } else if m
        .fields
        .iter()
        .any(|f| f.name == "password" && password.is_some_and(|p| p.name != "password"))
    {
        Some("`password` is taken by another column")
    } else {
        None
    };
    Some(UserModel {
        index,
        ok: why.is_none(),
        why: format!(
            "`{}` is the Flask-Login user model but stays a plain model ({}): set AUTH_USER_MODEL once it subclasses AbstractBaseUser",
            m.name,
            why.unwrap_or("")
        ),
        password: password.map(|p| p.name.clone()).unwrap_or_default(),
        username: username.map(|u| u.name.clone()).unwrap_or_default(),
    })
    .map(|u| if u.ok { u } else { UserModel { password: String::new(), ..u } })
}

/// The many-to-many field on the model that owns the relationship (the first one naming the
/// association table); None on the other side, which gets its accessor as `related_name`.
fn m2m_field(
    inv: &Inventory,
    targets: &[Target],
    by_table: &BTreeMap<String, usize>,
    m: &Model,
    r: &crate::inventory::Relation,
    a: &AssociationTable,
    attrs: &mut BTreeSet<String>,
) -> Option<String> {
    let owner = owner_of(inv, a)?;
    if !std::ptr::eq(owner, m) {
        return None;
    }
    let keys = key_targets(a, by_table);
    if keys.len() != 2 || keys[0].1 == keys[1].1 {
        return None; // a TODO on the through model says why
    }
    let target = targets.iter().find(|x| x.model.name == last(&r.target))?;
    let this = &targets[*by_table.get(m.table.as_deref()?)?];
    let through = through_class(a, targets, by_table, this);
    let mut kwargs = vec![
        py_str(&format!("{}.{}", target.app, target.class)),
        format!("through={}", py_str(&format!("{}.{through}", this.app))),
    ];
    if let Some(b) = back_name(m, r, target.model, a) {
        kwargs.push(format!("related_name={}", py_str(&b)));
    }
    attrs.insert(r.name.clone());
    Some(field_line(&py_ident(&r.name), "ManyToManyField", &kwargs))
}

/// The accessor on the target's side of a many-to-many: the relationship's backref, the
/// target's own relationship through the same table, or a name that avoids a clash.
fn back_name(
    m: &Model,
    r: &crate::inventory::Relation,
    target: &Model,
    a: &AssociationTable,
) -> Option<String> {
    let back = r
        .related_name
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| {
            target
                .relations
                .iter()
                .find(|x| {
                    x.through
                        .as_deref()
                        .is_some_and(|t| t == a.name || t == a.variable)
                })
                .map(|x| x.name.clone())
        });
    back.or_else(|| default_accessor_clash(m, target, &py_ident(&r.name)))
}

fn owner_of<'a>(inv: &'a Inventory, a: &AssociationTable) -> Option<&'a Model> {
    inv.models
        .iter()
        .filter(|m| !m.r#abstract && m.orm != "django")
        .find(|m| {
            m.relations.iter().any(|r| {
                r.through
                    .as_deref()
                    .is_some_and(|t| t == a.name || t == a.variable)
            })
        })
}

/// (column, target index) for every key column of an association table.
fn key_targets(a: &AssociationTable, by_table: &BTreeMap<String, usize>) -> Vec<(String, usize)> {
    a.fields
        .iter()
        .filter_map(|f| {
            let (t, _) = split_fk(f.foreign_key.as_deref()?);
            Some((column_of(f).to_string(), *by_table.get(t)?))
        })
        .collect()
}

/// The through model's class: the table's name, unless it would not sort after both models
/// it joins. Django 5.2's makemigrations orders the models it creates by name; measured on
/// 5.2.19, a through model with a composite key named before a model it joins can be created
/// without its foreign key to that model (an index or constraint of the model, or a relation
/// of it, moves its creation later), and migrate fails with FieldDoesNotExist: Airflow's
/// `DatasetAliasDatasetEvent` joining `DatasetAliasModel` and `DatasetEvent`. Named after
/// both (`DatasetEventDatasetAliasDatasetEvent`), it is created last.
fn through_class(
    a: &AssociationTable,
    targets: &[Target],
    by_table: &BTreeMap<String, usize>,
    owner: &Target,
) -> String {
    let mut name = py_ident(&camel(&a.name));
    let composite = a.fields.iter().filter(|f| f.pk).count() != 1;
    let last_end = key_targets(a, by_table)
        .into_iter()
        .map(|(_, i)| &targets[i])
        .filter(|t| t.app == owner.app)
        .map(|t| t.class.as_str())
        .max_by_key(|c| c.to_lowercase());
    if let Some(last) = last_end
        && composite
        && name.to_lowercase() <= last.to_lowercase()
    {
        name = format!("{last}{name}");
    }
    if targets
        .iter()
        .any(|t| t.app == owner.app && t.class == name)
    {
        format!("{name}Link")
    } else {
        name
    }
}

/// A model on every association table: its key columns as foreign keys, its key composite.
fn through_models(
    inv: &Inventory,
    targets: &[Target],
    by_table: &BTreeMap<String, usize>,
    shared: &BTreeSet<String>,
    draft: &mut Draft,
    per_app: &mut BTreeMap<String, Vec<(bool, String)>>,
) {
    for a in &inv.association_tables {
        let Some(owner) = owner_of(inv, a) else {
            continue;
        };
        let Some(oi) = owner.table.as_deref().and_then(|t| by_table.get(t)) else {
            continue;
        };
        let this = &targets[*oi];
        let class = through_class(a, targets, by_table, this);
        let place = format!("{}/models.py", this.app);
        let mut todos = Vec::new();
        let mut todo = |code: &'static str, reason: String| {
            todos.push(Todo {
                code,
                kind: "association_table",
                construct: a.name.clone(),
                reason,
                file: a.file.clone(),
                line: a.line,
                place: place.clone(),
            })
        };
        let keys = key_targets(a, by_table);
        if keys.len() != 2 {
            todo(
                "CP207",
                format!(
                    "association table `{}` has {} keys to mapped tables (a many-to-many needs two)",
                    a.name,
                    keys.len()
                ),
            );
        } else if keys[0].1 == keys[1].1 {
            todo(
                "CP207",
                format!(
                    "self-referential many-to-many on `{}`: add ManyToManyField(\"self\", through=..., through_fields=..., symmetrical=False) once its direction is known",
                    a.name
                ),
            );
        }
        let self_ref = keys.len() == 2 && keys[0].1 == keys[1].1;
        let mut fields: Vec<(String, &'static str, Vec<String>)> = Vec::new();
        let mut pk = Vec::new();
        // (column, attribute) of each key column: a composite key names attributes.
        let mut key_attnames: Vec<(String, String)> = Vec::new();
        for f in &a.fields {
            let col = column_of(f);
            let key = keys.iter().find(|(c, _)| c == col);
            let line = match key {
                Some((_, ti)) => {
                    let t = &targets[*ti];
                    let name = col
                        .strip_suffix("_id")
                        .filter(|s| !s.is_empty())
                        .map(py_ident)
                        .unwrap_or_else(|| format!("{}_ref", py_ident(col)));
                    let mut kw = vec![
                        py_str(&format!("{}.{}", t.app, t.class)),
                        format!("on_delete=models.{}", on_delete(f.on_delete.as_deref())),
                    ];
                    // A key to a column that is not the target's primary key (`genres.name`):
                    // Django needs it unique, by the field or by a one-column constraint.
                    let tcol = f.foreign_key.as_deref().map(|k| split_fk(k).1);
                    let target_pk = t.model.fields.iter().find(|x| x.pk).map(column_of);
                    if let Some(tcol) = tcol.filter(|c| !c.is_empty() && Some(*c) != target_pk) {
                        match t.model.fields.iter().find(|x| column_of(x) == tcol) {
                            Some(to) if unique_column(t.model, tcol) => {
                                kw.push(format!("to_field={}", py_str(&to.name)));
                            }
                            _ => todo(
                                "CP207",
                                format!(
                                    "`{col}` refers to `{}.{tcol}`, which is not unique: a Django ForeignKey needs a unique target, so the draft's key points at the primary key",
                                    t.class
                                ),
                            ),
                        }
                    }
                    if format!("{name}_id") != col {
                        kw.push(format!("db_column={}", py_str(col)));
                    }
                    key_attnames.push((col.to_string(), format!("{name}_id")));
                    if self_ref {
                        kw.push("related_name=\"+\"".into());
                    }
                    if !f.pk && f.nullable != Some(false) {
                        kw.push("null=True".into());
                    }
                    if f.pk {
                        pk.push(format!("{name}_id"));
                    }
                    (name, "ForeignKey", kw)
                }
                None => {
                    let name = py_ident(col);
                    let (c, mut kw) = match field_type(f, true) {
                        Some(x) => x,
                        None => {
                            todo(
                                "CP205",
                                format!(
                                    "column `{col}` has type `{}`, which has no Django field",
                                    f.r#type
                                ),
                            );
                            ("TextField", vec![])
                        }
                    };
                    if f.foreign_key.is_some() {
                        todo(
                            "CP207",
                            format!(
                                "`{col}` refers to a table no model maps: kept as a plain column"
                            ),
                        );
                    }
                    if !f.pk && f.nullable != Some(false) {
                        kw.push("null=True".into());
                    }
                    if f.pk {
                        pk.push(name.clone());
                    }
                    (name, c, kw)
                }
            };
            fields.push(line);
        }
        if pk.is_empty() {
            pk = key_attnames.iter().map(|(_, a)| a.clone()).collect();
            todo(
                "CP203",
                format!(
                    "association table `{}` has no primary key; Django needs one, so the draft declares ({}) as a composite key",
                    a.name,
                    pk.join(", ")
                ),
            );
        }
        let assoc_field_of: BTreeMap<&str, String> = a
            .fields
            .iter()
            .zip(&fields)
            .map(|(f, (name, _, _))| (column_of(f), name.clone()))
            .collect();
        let mut lines: Vec<String> = Vec::new();
        for (name, class, mut kw) in fields {
            // A key column cannot be null in Django (fields.E007 would stop every check):
            // the columns the draft chose as the key lose `null=True`.
            if pk.iter().any(|p| *p == name || *p == format!("{name}_id")) {
                kw.retain(|k| k != "null=True");
            }
            // One key column: marked on the field itself.
            if pk.len() == 1 && (pk[0] == name || pk[0] == format!("{name}_id")) {
                kw.push("primary_key=True".into());
            }
            lines.push(field_line(&name, class, &kw));
        }
        // After the fields, as for models: a migration resolves the key's fields when it
        // meets it, and a foreign key is found by its attname only once it is declared.
        if pk.len() > 1 {
            let names: Vec<String> = pk.iter().map(|n| py_str(n)).collect();
            lines.push(field_line("pk", "CompositePrimaryKey", &names));
        }
        let meta = table_constraints(&a.constraints, &assoc_field_of, shared, &mut todo);
        let body = class_body(&todos, &lines, &a.name, &meta);
        let text = format!(
            "class {class}(models.Model):\n    \"\"\"Association table `{}` ({}:{}).\"\"\"\n\n{body}",
            a.name, a.file, a.line
        );
        let mut detail = BTreeMap::new();
        detail.insert("table".into(), a.name.clone());
        detail.insert("django".into(), format!("{}.{class}", this.app));
        draft.constructs.push(Construct {
            kind: "association_table",
            source: a.name.clone(),
            file: a.file.clone(),
            line: a.line,
            generated: format!("{place}: {class}"),
            detail,
            todos: todos.iter().map(|x| x.code).collect(),
        });
        draft.todos.extend(todos);
        per_app
            .entry(this.app.clone())
            .or_default()
            .push((false, text));
    }
}
