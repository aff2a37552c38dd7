//! Django models: `models.Model` subclasses across files (abstract base chains,
//! imported bases, proxies, multi-table inheritance), fields incl. those
//! inherited from abstract bases, relations as `app_label.Model`, tables.

use super::apps::{AppInfo, app_of};
use super::settings::Settings;
use crate::inventory::{
    AppEdge, ConditionTerm, Field, Inventory, Model, Relation, TableConstraint, Warning,
};
use crate::python::Project;
use crate::python::SourceModule;
use crate::python::classes;
use crate::python::ir::{Call, ClassDef, Expr, Stmt};
use crate::python::mount::Wanted;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// Django's own concrete models: subclassing one is multi-table inheritance
/// (or a proxy), so the subclass is a model too.
const CONTRIB_MODELS: &[&str] = &[
    "django.contrib.auth.models.User",
    "django.contrib.auth.models.Group",
    "django.contrib.auth.models.Permission",
    "django.contrib.contenttypes.models.ContentType",
    "django.contrib.sites.models.Site",
    "django.contrib.flatpages.models.FlatPage",
    "django.contrib.redirects.models.Redirect",
    "django.contrib.sessions.models.Session",
    "django.contrib.admin.models.LogEntry",
];

/// External classes that make a subclass a model.
fn external_model_base(c: &str) -> bool {
    if c == "django.db.models.Model" || c == "django.db.models.base.Model" {
        return true;
    }
    let last = c.rsplit('.').next().unwrap_or(c);
    if c.starts_with("django.contrib.") {
        return last.starts_with("Abstract")
            || last == "PermissionsMixin"
            || CONTRIB_MODELS.contains(&c);
    }
    if c.starts_with("django.") || other_orm_or_schema(c) {
        return false;
    }
    // third-party bases: mptt.models.MPTTModel, polymorphic.models.PolymorphicModel,
    // and the library bases whose fields are known (treebeard.mp_tree.MP_Node)
    ((c.contains(".models.") || c.contains(".models")) && last.ends_with("Model"))
        || LIBRARY_BASE_FIELDS.iter().any(|(base, _)| *base == c)
}

type ContribField = (&'static str, &'static str, Option<&'static str>);

/// A table target standing for the project's `AUTH_USER_MODEL`.
const AUTH_USER: &str = "settings.AUTH_USER_MODEL";

const BASE_USER_FIELDS: &[ContribField] = &[
    ("password", "CharField", None),
    ("last_login", "DateTimeField", None),
];
const PERMISSIONS_FIELDS: &[ContribField] = &[
    ("is_superuser", "BooleanField", None),
    ("groups", "ManyToManyField", Some("auth.Group")),
    (
        "user_permissions",
        "ManyToManyField",
        Some("auth.Permission"),
    ),
];
const SESSION_FIELDS: &[ContribField] = &[
    ("session_key", "CharField", None),
    ("session_data", "TextField", None),
    ("expire_date", "DateTimeField", None),
];
const USER_FIELDS: &[ContribField] = &[
    ("username", "CharField", None),
    ("first_name", "CharField", None),
    ("last_name", "CharField", None),
    ("email", "EmailField", None),
    ("is_staff", "BooleanField", None),
    ("is_active", "BooleanField", None),
    ("date_joined", "DateTimeField", None),
];

/// Fields that widely used libraries' abstract model bases (or their
/// metaclasses) give every subclass, by the base's canonical name. A
/// relation to `"self"` targets the subclass itself.
const LIBRARY_BASE_FIELDS: &[(&str, &[ContribField])] = &[
    (
        "mptt.models.MPTTModel",
        &[
            ("lft", "PositiveIntegerField", None),
            ("rght", "PositiveIntegerField", None),
            ("tree_id", "PositiveIntegerField", None),
            ("level", "PositiveIntegerField", None),
        ],
    ),
    (
        "tree_queries.models.TreeNode",
        &[("parent", "TreeNodeForeignKey", Some("self"))],
    ),
    (
        "treebeard.mp_tree.MP_Node",
        &[
            ("path", "CharField", None),
            ("depth", "PositiveIntegerField", None),
            ("numchild", "PositiveIntegerField", None),
        ],
    ),
    (
        "treebeard.ns_tree.NS_Node",
        &[
            ("lft", "PositiveIntegerField", None),
            ("rgt", "PositiveIntegerField", None),
            ("tree_id", "PositiveIntegerField", None),
            ("depth", "PositiveIntegerField", None),
        ],
    ),
    (
        "polymorphic.models.PolymorphicModel",
        &[(
            "polymorphic_ctype",
            "ForeignKey",
            Some("contenttypes.ContentType"),
        )],
    ),
    (
        "model_utils.models.TimeStampedModel",
        &[
            ("created", "AutoCreatedField", None),
            ("modified", "AutoLastModifiedField", None),
        ],
    ),
    (
        "model_utils.models.SoftDeletableModel",
        &[("is_removed", "BooleanField", None)],
    ),
    (
        "model_utils.models.StatusModel",
        &[
            ("status", "StatusField", None),
            ("status_changed", "MonitorField", None),
        ],
    ),
    (
        "django_extensions.db.models.TimeStampedModel",
        &[
            ("created", "CreationDateTimeField", None),
            ("modified", "ModificationDateTimeField", None),
        ],
    ),
    (
        "django_extensions.db.models.TitleDescriptionModel",
        &[
            ("title", "CharField", None),
            ("description", "TextField", None),
        ],
    ),
    (
        "ordered_model.models.OrderedModel",
        &[("order", "PositiveIntegerField", None)],
    ),
    // django-otp's device base (two-factor devices)
    (
        "django_otp.models.Device",
        &[
            ("user", "ForeignKey", Some(AUTH_USER)),
            ("name", "CharField", None),
            ("confirmed", "BooleanField", None),
        ],
    ),
    // django-oauth-toolkit: the fields of 2.3; later versions only add some
    // (3.x: hash_client_secret, token_checksum, resource, ...). Swappable
    // targets other than the user model are not known, so those foreign keys
    // carry no target.
    (
        "oauth2_provider.models.AbstractApplication",
        &[
            ("id", "BigAutoField", None),
            ("client_id", "CharField", None),
            ("user", "ForeignKey", Some(AUTH_USER)),
            ("redirect_uris", "TextField", None),
            ("post_logout_redirect_uris", "TextField", None),
            ("client_type", "CharField", None),
            ("authorization_grant_type", "CharField", None),
            ("client_secret", "ClientSecretField", None),
            ("name", "CharField", None),
            ("skip_authorization", "BooleanField", None),
            ("created", "DateTimeField", None),
            ("updated", "DateTimeField", None),
            ("algorithm", "CharField", None),
        ],
    ),
    (
        "oauth2_provider.models.AbstractGrant",
        &[
            ("id", "BigAutoField", None),
            ("user", "ForeignKey", Some(AUTH_USER)),
            ("code", "CharField", None),
            ("application", "ForeignKey", None),
            ("expires", "DateTimeField", None),
            ("redirect_uri", "TextField", None),
            ("scope", "TextField", None),
            ("created", "DateTimeField", None),
            ("updated", "DateTimeField", None),
            ("code_challenge", "CharField", None),
            ("code_challenge_method", "CharField", None),
            ("nonce", "CharField", None),
            ("claims", "TextField", None),
        ],
    ),
    (
        "oauth2_provider.models.AbstractAccessToken",
        &[
            ("id", "BigAutoField", None),
            ("user", "ForeignKey", Some(AUTH_USER)),
            ("source_refresh_token", "OneToOneField", None),
            ("token", "CharField", None),
            ("id_token", "OneToOneField", None),
            ("application", "ForeignKey", None),
            ("expires", "DateTimeField", None),
            ("scope", "TextField", None),
            ("created", "DateTimeField", None),
            ("updated", "DateTimeField", None),
        ],
    ),
    (
        "oauth2_provider.models.AbstractRefreshToken",
        &[
            ("id", "BigAutoField", None),
            ("user", "ForeignKey", Some(AUTH_USER)),
            ("token", "CharField", None),
            ("application", "ForeignKey", None),
            ("access_token", "OneToOneField", None),
            ("created", "DateTimeField", None),
            ("updated", "DateTimeField", None),
            ("revoked", "DateTimeField", None),
        ],
    ),
    (
        "oauth2_provider.models.AbstractIDToken",
        &[
            ("id", "BigAutoField", None),
            ("user", "ForeignKey", Some(AUTH_USER)),
            ("jti", "UUIDField", None),
            ("application", "ForeignKey", None),
            ("expires", "DateTimeField", None),
            ("scope", "TextField", None),
            ("created", "DateTimeField", None),
            ("updated", "DateTimeField", None),
        ],
    ),
    (
        "taggit.models.TaggedItemBase",
        &[("tag", "ForeignKey", Some("taggit.Tag"))],
    ),
    (
        "taggit.models.GenericTaggedItemBase",
        &[
            (
                "content_type",
                "ForeignKey",
                Some("contenttypes.ContentType"),
            ),
            ("object_id", "IntegerField", None),
        ],
    ),
    (
        "taggit.models.GenericUUIDTaggedItemBase",
        &[
            (
                "content_type",
                "ForeignKey",
                Some("contenttypes.ContentType"),
            ),
            ("object_id", "UUIDField", None),
        ],
    ),
];

/// Fields an external abstract base adds to a concrete subclass: Django's
/// own, their bases' included (`AbstractUser(AbstractBaseUser,
/// PermissionsMixin)`), and those of [`LIBRARY_BASE_FIELDS`].
fn contrib_fields(c: &str) -> impl Iterator<Item = &'static ContribField> {
    let parts: &[&[ContribField]] = match c.rsplit('.').next().unwrap_or(c) {
        "AbstractBaseUser" => &[BASE_USER_FIELDS],
        "PermissionsMixin" => &[PERMISSIONS_FIELDS],
        "AbstractUser" => &[BASE_USER_FIELDS, PERMISSIONS_FIELDS, USER_FIELDS],
        "AbstractBaseSession" => &[SESSION_FIELDS],
        _ => &[],
    };
    let library = LIBRARY_BASE_FIELDS
        .iter()
        .filter(move |(base, _)| *base == c)
        .flat_map(|(_, fields)| fields.iter());
    parts.iter().flat_map(|p| p.iter()).chain(library)
}

fn meta_bool(c: &ClassDef, name: &str) -> bool {
    c.inner_class("Meta")
        .and_then(|m| m.attr(name))
        .is_some_and(|e| matches!(e, Expr::Bool(true)))
}

fn meta_str(c: &ClassDef, name: &str) -> Option<String> {
    c.inner_class("Meta")
        .and_then(|m| m.attr(name))
        .and_then(|e| e.as_str())
        .map(String::from)
}

/// `unique_together`, `constraints` and `indexes` from `metas` (the model's Meta first, then
/// those it inherits), by field name. What does not reduce to plain field lists (conditions, expressions, checks, ordered
/// index fields, `index_together`) is kept `unread` with its text.
fn meta_constraints(metas: &[&ClassDef], c: &ClassDef, label: &str) -> Vec<TableConstraint> {
    let attr = |name: &str| metas.iter().find_map(|m| m.attr(name));
    let unread = |e: &Expr| TableConstraint {
        kind: "unread".into(),
        text: Some(e.render()),
        ..Default::default()
    };
    let strings = |e: &Expr| -> Option<Vec<String>> {
        let v: Option<Vec<String>> = e
            .elements()?
            .iter()
            .map(|x| x.as_str().map(String::from))
            .collect();
        v.filter(|v| !v.is_empty())
    };
    // Names in abstract bases may interpolate the concrete model's label and class.
    let class = c.name.to_lowercase();
    let name_of = |e: Option<&Expr>| {
        e.and_then(|n| n.as_str()).map(|n| {
            n.replace("%(app_label)s", label)
                .replace("%(class)s", &class)
        })
    };
    let mut out = Vec::new();
    if let Some(u) = attr("unique_together") {
        // One tuple of names, or a sequence of them.
        let groups: Option<Vec<Vec<String>>> = match strings(u) {
            Some(one) => Some(vec![one]),
            None => u.elements().and_then(|v| v.iter().map(strings).collect()),
        };
        match groups {
            Some(groups) => out.extend(groups.into_iter().map(|columns| TableConstraint {
                kind: "unique".into(),
                columns,
                ..Default::default()
            })),
            None => out.push(unread(u)),
        }
    }
    for (name, class_name, kind) in [
        ("constraints", "UniqueConstraint", "unique"),
        ("indexes", "Index", "index"),
    ] {
        let Some(list) = attr(name) else { continue };
        let Some(items) = list.elements() else {
            out.push(unread(list));
            continue;
        };
        for item in items {
            let read = item.as_call().filter(|call| {
                call.func.last_name() == Some(class_name)
                    && call.args.is_empty()
                    && !call.has_splat()
                    && call.kwargs.iter().all(|(k, _)| {
                        matches!(
                            k.as_ref(),
                            "fields"
                                | "name"
                                | "condition"
                                | "violation_error_message"
                                | "violation_error_code"
                        )
                    })
            });
            let condition = match read.and_then(|call| call.kwarg("condition")) {
                Some(q) => match q_terms(q) {
                    Some(terms) => terms,
                    None => {
                        out.push(unread(item));
                        continue;
                    }
                },
                None => Vec::new(),
            };
            let columns = read.and_then(|call| call.kwarg("fields")).and_then(strings);
            let name = name_of(read.and_then(|call| call.kwarg("name")));
            // `-field` orders an index descending; an index without a name gets one from
            // Django, a constraint must have one.
            match columns {
                Some(columns)
                    if !columns.iter().any(|f| f.starts_with('-'))
                        && (name.is_some() || kind == "index") =>
                {
                    out.push(TableConstraint {
                        kind: kind.into(),
                        columns,
                        name,
                        condition,
                        ..Default::default()
                    })
                }
                _ => out.push(unread(item)),
            }
        }
    }
    if let Some(i) = attr("index_together") {
        out.push(unread(i));
    }
    out
}

/// A constraint's `condition=Q(...)` whose terms all test one field each, by field name:
/// `field=None` and `field__isnull=True` (IS NULL), `field__isnull=False`, `field=<literal>`.
/// None when any part is more than that (`~Q`, `|`, other lookups).
fn q_terms(q: &Expr) -> Option<Vec<ConditionTerm>> {
    let call = q.as_call().filter(|c| {
        c.func.last_name() == Some("Q")
            && c.args.is_empty()
            && !c.has_splat()
            && !c.kwargs.is_empty()
    })?;
    call.kwargs
        .iter()
        .map(|(k, v)| {
            let (field, lookup) = k.split_once("__").unwrap_or((k, "exact"));
            let (test, value) = match (lookup, v) {
                ("exact", Expr::None) | ("isnull", Expr::Bool(true)) => ("is_null", None),
                ("isnull", Expr::Bool(false)) => ("is_not_null", None),
                ("exact", Expr::Bool(b)) => ("eq", Some(if *b { "True" } else { "False" }.into())),
                ("exact", Expr::Int(n)) => ("eq", Some(n.to_string())),
                ("exact", Expr::Str(s)) => ("eq", Some(crate::port::py_str(s))),
                _ => return None,
            };
            Some(ConditionTerm {
                column: field.to_string(),
                test: test.into(),
                value,
            })
        })
        .collect()
}

struct Found<'p> {
    canonical: String,
    m: &'p SourceModule,
    c: &'p ClassDef,
    mro: Vec<String>,
}

/// Packages whose classes the Django extractors know by name, never read.
const KNOWN_BY_NAME: &[&str] = &["django", "rest_framework", "rest_framework_nested"];

/// The bases of its classes that the scanned code imports from outside it, to
/// read where they are defined (`class Slide(Orderable)` with `from
/// wagtail.models import Orderable`, defined in `wagtail/models/orderable.py`):
/// with an installed environment, a subclass of a library's model is a model,
/// and its abstract models' fields are the subclass's too. A base of a class
/// in a `models` module, wherever it is
/// defined (`openwisp_utils.base.TimeStampedEditableModel`); elsewhere, only
/// bases from `models` modules, and from `routers` modules, where DRF and the
/// packages extending it keep their routers (drf-extensions'
/// `ExtendedDefaultRouter`: a subclass is a DRF router): not the classes of
/// the libraries that other extractors know by name (views, serializers, Flask's
/// classes), which reading would hide from them. Django's own modules are not
/// read: its classes are known by name (`contrib_fields`, `external_model_base`),
/// nor DRF's and drf-nested-routers' (`builtins::is_router_class`, `drf::route_specs`).
pub fn base_classes(m: &SourceModule, imported: &HashMap<String, String>) -> Vec<Wanted> {
    let models_module = m.module.split('.').any(|p| p == "models");
    let mut out = Vec::new();
    for c in top_classes(m) {
        for b in c.bases.iter().filter_map(Expr::dotted) {
            if let Some(wanted) = crate::python::mount::imported_member(imported, &b, KNOWN_BY_NAME)
                && (models_module
                    || wanted
                        .module
                        .split('.')
                        .any(|p| p == "models" || p == "routers"))
            {
                out.push(wanted);
            }
        }
    }
    out
}

/// The field classes a `models` module's classes call from installed packages
/// (`created = CreationDateTimeField()` from django-extensions), to read where they are
/// defined: the Django field a library's field class derives from gives its column.
pub fn field_classes(m: &SourceModule, imported: &HashMap<String, String>) -> Vec<Wanted> {
    if !m.module.split('.').any(|p| p == "models") {
        return Vec::new();
    }
    // a Django models module (not SQLAlchemy's, whose `Column` is no Django field)
    if !imported.values().any(|t| t.starts_with("django.")) {
        return Vec::new();
    }
    top_classes(m)
        .into_iter()
        .flat_map(|c| c.assignments())
        .filter_map(|(_, value, ..)| match value? {
            Expr::Call(call) => call.func.dotted(),
            _ => None,
        })
        .filter_map(|d| crate::python::mount::imported_member(imported, &d, KNOWN_BY_NAME))
        .collect()
}

fn is_model(project: &Project, mro: &[String], cache: &mut HashMap<String, bool>) -> bool {
    mro.iter().skip(1).any(|b| {
        if let Some(v) = cache.get(b) {
            return *v;
        }
        let v = if classes::find(project, b).is_some() {
            false // its own ancestors are in this MRO already
        } else {
            external_model_base(b)
        };
        cache.insert(b.clone(), v);
        v
    })
}

/// A model of an installed package read for its fields (`base_classes`): an
/// abstract one gives its fields to its subclasses; a concrete one keeps them, and
/// those of its own abstract bases, in its table.
fn library_model(project: &Project, canonical: &str, cache: &mut HashMap<String, bool>) -> bool {
    let Some((module, _)) = canonical.rsplit_once('.') else {
        return false;
    };
    let in_library = project.library.iter().any(|m| m.module == module);
    in_library && is_model(project, &classes::mro(project, canonical), cache)
}

/// A class whose base comes from a third-party `models` module
/// (`oauth2_provider.models.AbstractApplication`, `django_otp.models.Device`)
/// or is named like a model (`django_lifecycle.LifecycleModel`) is a model
/// too when it says so: it declares model fields, has a `Meta`, or the base
/// is named as Django names abstract models (`class Grant(AbstractGrant): pass`).
/// A mixin from such a module (`TokenMixin`) with none of these is not.
fn external_model_subclass(
    project: &Project,
    m: &SourceModule,
    c: &ClassDef,
    mro: &[String],
) -> bool {
    let mut external_models_bases = mro.iter().skip(1).filter(|b| {
        classes::find(project, b).is_none()
            && !b.starts_with("django.")
            && !other_orm_or_schema(b)
            && b.rsplit_once('.').is_some_and(|(module, name)| {
                module.split('.').any(|p| p == "models") || name.ends_with("Model")
            })
    });
    let Some(first) = external_models_bases.next() else {
        return false;
    };
    let abstract_named = std::iter::once(first)
        .chain(external_models_bases)
        .any(|b| {
            b.rsplit('.')
                .next()
                .is_some_and(|n| n.starts_with("Abstract"))
        });
    abstract_named
        || c.inner_class("Meta").is_some()
        || c.assignments()
            .any(|(_, v, _, _)| v.is_some_and(|v| field_call(project, &m.module, v).is_some()))
}

fn top_classes(m: &SourceModule) -> Vec<&ClassDef> {
    let mut out = Vec::new();
    let mut stack: Vec<&[Stmt]> = vec![&m.body];
    while let Some(body) = stack.pop() {
        for s in body {
            match s {
                Stmt::Class(c) => out.push(&**c),
                Stmt::Block(b) => stack.push(b),
                _ => {}
            }
        }
    }
    out
}

/// Whether a field class's name says it is a model field.
fn fieldish(last: &str) -> bool {
    last.ends_with("Field")
        || matches!(
            last,
            "ForeignKey"
                | "CompositePrimaryKey"
                | "TreeForeignKey"
                // modelcluster's ForeignKey; taggit's tag manager (a field
                // without a target of its own here)
                | "ParentalKey"
                | "TaggableManager"
        )
        || (last.ends_with("Key") && last.contains("Foreign"))
}

/// Whether a canonical name belongs to a library whose models and fields
/// are not Django's (pydantic's `BaseModel`/`Field`, peewee's `Model`/`CharField`).
fn other_orm_or_schema(canonical: &str) -> bool {
    const PACKAGES: &[&str] = &[
        "pydantic",
        "marshmallow",
        "wtforms",
        "graphene",
        "strawberry",
        "msgspec",
        "attr",
        "attrs",
        "dataclasses",
        "sqlmodel",
        "peewee",
        "mongoengine",
        "tortoise",
        "ormar",
        "piccolo",
        "odmantic",
        "ninja",
        "sqlalchemy",
    ];
    let top = canonical.split('.').next().unwrap_or(canonical);
    PACKAGES.contains(&top)
}

/// What a field's literal keyword arguments say about its column (`db_column`, `max_length` or
/// `max_digits`/`decimal_places` as type arguments, `unique`, `db_index`, `default`,
/// `on_delete`, `to_field`), for the port to write the same column.
fn column_facts(call: &Call) -> Field {
    let flag = |k: &str| match call.kwarg(k) {
        Some(Expr::Bool(b)) => Some(*b),
        _ => None,
    };
    let int = |k: &str| match call.kwarg(k) {
        Some(Expr::Int(n)) => Some(n.to_string()),
        _ => None,
    };
    let type_args = match (int("max_length"), int("max_digits"), int("decimal_places")) {
        (Some(n), _, _) => vec![n],
        (None, Some(p), Some(s)) => vec![p, s],
        _ => Vec::new(),
    };
    let default = call.kwarg("default").map(|e| match e {
        Expr::Str(s) => crate::port::py_str(s),
        Expr::Int(n) => n.to_string(),
        Expr::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Expr::None => "None".to_string(),
        other => other.dotted().unwrap_or_else(|| other.describe()),
    });
    Field {
        column: call
            .kwarg("db_column")
            .and_then(|e| e.as_str())
            .map(String::from),
        type_args,
        unique: flag("unique"),
        index: flag("db_index"),
        default,
        on_delete: call
            .kwarg("on_delete")
            .and_then(|e| e.last_name())
            .map(String::from),
        to_field: call
            .kwarg("to_field")
            .and_then(|e| e.as_str())
            .map(String::from),
        ..Default::default()
    }
}

/// Field-like classes that add no column of the model's own.
const NOT_FIELDS: &[&str] = &["GenericForeignKey", "GenericRelation"];

/// A model field declaration `name = SomeField(...)`: the field class's name
/// and the name of the field kind it is (the same, or for a project's own
/// subclass such as `ForeignKeyWithAutoRelatedName(models.ForeignKey)`, the
/// first field class among its bases).
/// A field declaration: its class's name, the field kind it behaves as (the nearest field-like
/// class of its MRO), the Django field class a project field class derives from, and the call.
type FieldCall = (String, String, Option<String>, Call);

fn field_call(project: &Project, module: &str, v: &Expr) -> Option<FieldCall> {
    let Expr::Call(c) = v else { return None };
    let d = c.func.dotted()?;
    let canonical = project.resolver.resolve(module, &d);
    // forms.CharField in a model body is not a model field, nor pydantic's Field
    if canonical.starts_with("django.forms")
        || canonical.starts_with("rest_framework")
        || other_orm_or_schema(&canonical)
    {
        return None;
    }
    let last = canonical.rsplit('.').next().unwrap_or(&canonical);
    if NOT_FIELDS.contains(&last) {
        return None;
    }
    let own = classes::find(project, &canonical).is_some();
    let mro = if own {
        classes::mro(project, &canonical)
    } else {
        Vec::new()
    };
    // the field-like classes it derives from, nearest first
    let mut ancestors = mro
        .iter()
        .skip(1)
        .filter(|b| !b.starts_with("django.forms") && !b.starts_with("rest_framework"))
        .map(|b| b.rsplit('.').next().unwrap_or(b))
        .filter(|b| fieldish(b) || NOT_FIELDS.contains(b));
    let nearest = ancestors.next();
    // a project class is what it derives from, whatever it is called
    // (squad's `CallbackForeignKey(GenericRelation)` adds no column)
    if nearest.is_some_and(|b| NOT_FIELDS.contains(&b)) {
        return None;
    }
    let kind = match (fieldish(last), nearest) {
        (true, _) => last.to_string(),
        (false, Some(b)) if own => b.to_string(),
        _ => return None,
    };
    let mut base = django_base(&mro);
    // Django tells a many-to-many field by its `many_to_many` flag, whatever
    // the class is called (taggit's `TaggableManager(RelatedField)` sets it):
    // it behaves as a `ManyToManyField`, without a column of the model's own.
    if own
        && matches!(
            classes::attr(project, &canonical, "many_to_many"),
            Some((Expr::Bool(true), _))
        )
    {
        base = Some("ManyToManyField".into());
    }
    Some((last.to_string(), kind, base, (**c).clone()))
}

/// The field class Django itself defines that a field class of the scanned code (or of an
/// installed package read) derives from, nearest first in its MRO.
fn django_base(mro: &[String]) -> Option<String> {
    mro.iter()
        .skip(1)
        .find(|b| b.starts_with("django.db.models.") || b.starts_with("django.contrib."))
        .map(|b| b.rsplit('.').next().unwrap_or(b))
        .filter(|b| fieldish(b))
        .map(String::from)
}

/// `loaded`: which files Django imports (`apps::loaded`); models elsewhere do not exist.
pub fn extract(
    project: &Project,
    apps: &[AppInfo],
    settings: &Settings,
    loaded: Option<&[bool]>,
    inv: &mut Inventory,
) {
    let mut cache = HashMap::default();
    // Models, and the classes that might subclass one: those with a project
    // class among their ancestors, kept without their MRO (it would cost
    // megabytes at the scan's memory peak) and looked at again below.
    enum Seen<'p> {
        Model(Found<'p>),
        Maybe(&'p SourceModule, &'p ClassDef),
    }
    let mut seen: Vec<Seen> = Vec::new();
    let files = project.files.iter().enumerate();
    for (_, m) in files.filter(|(i, _)| loaded.is_none_or(|l| l[*i])) {
        for c in top_classes(m) {
            let canonical = format!("{}.{}", m.module, c.name);
            let mro = classes::mro(project, &canonical);
            if is_model(project, &mro, &mut cache) || external_model_subclass(project, m, c, &mro) {
                seen.push(Seen::Model(Found {
                    canonical,
                    m,
                    c,
                    mro,
                }));
            } else if mro
                .iter()
                .skip(1)
                .any(|b| classes::find(project, b).is_some())
            {
                seen.push(Seen::Maybe(m, c));
            }
        }
    }
    // A subclass of a model is a model, also when the base is one only because
    // it declares fields on a third-party base (`BaseModel(LifecycleModel)`)
    // and the subclass adds none (`class FilesystemExport(Export): pass`).
    let models: HashSet<String> = seen
        .iter()
        .filter_map(|s| match s {
            Seen::Model(f) => Some(f.canonical.clone()),
            Seen::Maybe(..) => None,
        })
        .collect();
    let found: Vec<Found> = seen
        .into_iter()
        .filter_map(|s| match s {
            Seen::Model(f) => Some(f),
            Seen::Maybe(m, c) => {
                let canonical = format!("{}.{}", m.module, c.name);
                let mro = classes::mro(project, &canonical);
                mro.iter()
                    .skip(1)
                    .any(|b| models.contains(b))
                    .then_some(Found {
                        canonical,
                        m,
                        c,
                        mro,
                    })
            }
        })
        .collect();
    drop(models);
    let index: HashMap<&str, usize> = found
        .iter()
        .enumerate()
        .map(|(i, f)| (f.canonical.as_str(), i))
        .collect();
    let have_apps = !apps.is_empty();
    let label_of = |f: &Found| -> Option<String> {
        meta_str(f.c, "app_label").or_else(|| app_of(apps, &f.m.module).map(|a| a.label.clone()))
    };
    let fallback_label = |f: &Found| -> String {
        let parts: Vec<&str> = f.m.module.split('.').collect();
        let i = parts
            .iter()
            .position(|p| *p == "models")
            .unwrap_or(parts.len().saturating_sub(1));
        parts[..i]
            .last()
            .or(parts.first())
            .unwrap_or(&"")
            .to_string()
    };
    let user_model = settings
        .str("AUTH_USER_MODEL")
        .unwrap_or_else(|| "auth.User".into());
    let mut edges: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut skipped = Vec::new();
    for f in &found {
        let abstract_ = meta_bool(f.c, "abstract");
        let label = label_of(f);
        let in_test =
            f.m.module
                .split('.')
                .any(|p| p == "tests" || p == "test" || p.starts_with("test_"));
        if !abstract_ && ((have_apps && label.is_none()) || in_test) {
            skipped.push(f.canonical.clone());
            continue;
        }
        let label = label.unwrap_or_else(|| fallback_label(f));
        // `None` for a target that is not a string or a name (a value built at run time)
        let target_of = |e: &Expr, module: &str| -> Option<String> {
            Some(match e {
                Expr::Str(s) if s == "self" => format!("{label}.{}", f.c.name),
                Expr::Str(s) if s.contains('.') => s.to_string(),
                Expr::Str(s) => format!("{label}.{s}"),
                // Django's function for the class AUTH_USER_MODEL names
                e if super::admin::calls_get_user_model(project, module, e) => user_model.clone(),
                other => {
                    let d = other.dotted()?;
                    if d.ends_with("AUTH_USER_MODEL") {
                        return Some(user_model.clone());
                    }
                    let canonical = project.resolver.resolve(module, &d);
                    // `User = get_user_model()` at the top of a module
                    if super::admin::user_model_alias(project, &canonical) {
                        return Some(user_model.clone());
                    }
                    if let Some(&i) = index.get(canonical.as_str()) {
                        let t = &found[i];
                        let l = label_of(t).unwrap_or_else(|| fallback_label(t));
                        return Some(format!("{l}.{}", t.c.name));
                    }
                    // django.contrib.auth.models.User -> auth.User
                    let parts: Vec<&str> = canonical.split('.').collect();
                    match parts.iter().position(|p| *p == "models") {
                        Some(i) if i > 0 => format!("{}.{}", parts[i - 1], parts[parts.len() - 1]),
                        _ => canonical.clone(),
                    }
                }
            })
        };
        // fields: own body, then abstract model bases along the MRO
        let mut fields: Vec<Field> = Vec::new();
        let mut relations: Vec<Relation> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let mut traits: Vec<String> = Vec::new();
        let mut concrete_parent: Option<String> = None;
        let mut inherited: Vec<String> = Vec::new();
        for (depth, cname) in f.mro.iter().enumerate() {
            // a library base whose fields the tables know (fields its metaclass adds,
            // `MPTTModel`) gives the table's fields, and its body's when its source was read
            let found = classes::find(project, cname);
            let (bm, bc) = match found {
                Some(x) if contrib_fields(cname).next().is_none() => x,
                // its fields are in a concrete parent's table already
                _ if inherited.contains(cname) => continue,
                _ => {
                    for (n, t, target) in contrib_fields(cname) {
                        if seen.iter().any(|s| s == n) {
                            continue;
                        }
                        seen.push(n.to_string());
                        let target = target.map(|t| match t {
                            "self" => format!("{label}.{}", f.c.name),
                            AUTH_USER => user_model.clone(),
                            t => t.to_string(),
                        });
                        // the library's field class, where its module was read
                        let class = cname
                            .rsplit_once('.')
                            .map(|(module, _)| project.resolver.resolve(module, t))
                            .filter(|c| classes::find(project, c).is_some());
                        fields.push(Field {
                            name: n.to_string(),
                            r#type: t.to_string(),
                            pk: *n == "id" && t.ends_with("AutoField"),
                            nullable: None,
                            foreign_key: target.clone(),
                            base_type: class.and_then(|c| django_base(&classes::mro(project, &c))),
                            ..Default::default()
                        });
                        if let Some(target) = target {
                            relations.push(Relation {
                                name: n.to_string(),
                                kind: match *t {
                                    t if t.ends_with("ManyToManyField") => "many_to_many",
                                    "OneToOneField" => "one_to_one",
                                    _ => "foreign_key",
                                }
                                .into(),
                                target,
                                ..Default::default()
                            });
                        }
                    }
                    if (cname.ends_with("AbstractBaseUser") || cname.ends_with("AbstractUser"))
                        && !traits.contains(&"custom_user".to_string())
                    {
                        traits.push("custom_user".into());
                    }
                    match found {
                        // read from an installed package too: its body's fields
                        Some(x) => x,
                        None => continue,
                    }
                }
            };
            if depth > 0 {
                let base_is_model =
                    index.contains_key(cname.as_str()) || library_model(project, cname, &mut cache);
                if !base_is_model {
                    continue; // plain mixin: its attributes are not fields
                }
                if !meta_bool(bc, "abstract") {
                    if concrete_parent.is_none() {
                        concrete_parent = Some(cname.clone());
                    }
                    inherited.extend(classes::mro(project, cname));
                    continue;
                }
                // a concrete parent's ancestors keep their fields in its
                // table; another abstract base's are copied into this one
                if inherited.contains(cname) {
                    continue;
                }
            }
            for (name, value, _, _) in bc.assignments() {
                if seen.iter().any(|s| s == name) {
                    continue;
                }
                seen.push(name.to_string());
                let Some(value) = value else { continue };
                if let Some(managerish) = value.as_call().and_then(|c| c.func.last_name())
                    && (managerish.ends_with("Manager") || managerish == "as_manager")
                    && !traits.contains(&"custom_manager".to_string())
                {
                    traits.push("custom_manager".into());
                }
                let Some((ty, kind_name, base_type, call)) = field_call(project, &bm.module, value)
                else {
                    continue;
                };
                let pk = ty == "CompositePrimaryKey"
                    || matches!(call.kwarg("primary_key"), Some(Expr::Bool(true)));
                if ty == "CompositePrimaryKey" {
                    traits.push("composite_pk".into());
                }
                let nullable = call.kwarg("null").and_then(|e| match e {
                    Expr::Bool(b) => Some(*b),
                    _ => None,
                });
                let kind = match kind_name.as_str() {
                    "ForeignKey" | "TreeForeignKey" | "ParentalKey" => Some("foreign_key"),
                    "OneToOneField" => Some("one_to_one"),
                    "ManyToManyField" | "ParentalManyToManyField" | "TreeManyToManyField" => {
                        Some("many_to_many")
                    }
                    t if t.ends_with("ForeignKey") => Some("foreign_key"),
                    _ => None,
                };
                let mut fk = None;
                if let Some(kind) = kind
                    && let Some(t) = call.arg(0, "to")
                    && let Some(target) = target_of(t, &bm.module)
                {
                    fk = Some(target.clone());
                    let through = call.kwarg("through").map(|e| match e {
                        Expr::Str(s) => s.to_string(),
                        o => o.describe(),
                    });
                    let related_name = call
                        .kwarg("related_name")
                        .and_then(|e| e.as_str())
                        .map(String::from);
                    let db_table = (kind == "many_to_many")
                        .then(|| call.kwarg("db_table").and_then(|e| e.as_str()))
                        .flatten()
                        .map(String::from);
                    relations.push(Relation {
                        name: name.to_string(),
                        kind: kind.into(),
                        target,
                        through,
                        related_name,
                        db_table,
                    });
                }
                // `ArrayField(models.CharField(max_length=20))`: the items' field.
                let item = match ty.as_str() {
                    "ArrayField" => call
                        .arg(0, "base_field")
                        .and_then(|b| field_call(project, &bm.module, b)),
                    _ => None,
                };
                fields.push(Field {
                    name: name.to_string(),
                    r#type: ty,
                    pk,
                    nullable,
                    foreign_key: fk,
                    base_type,
                    item_type: item.as_ref().map(|(t, ..)| t.clone()),
                    item_args: item
                        .map(|(.., c)| column_facts(&c).type_args)
                        .unwrap_or_default(),
                    ..column_facts(&call)
                });
            }
        }
        let proxy = meta_bool(f.c, "proxy");
        if proxy {
            traits.push("proxy".into());
            fields.clear();
            relations.clear();
        } else if concrete_parent.is_some() && !abstract_ {
            traits.push("multi_table".into());
        }
        if f.c
            .inner_class("Meta")
            .is_some_and(|m| m.attr("constraints").is_some() || m.attr("unique_together").is_some())
        {
            traits.push("constraints".into());
        }
        if f.c
            .inner_class("Meta")
            .is_some_and(|m| m.attr("indexes").is_some() || m.attr("index_together").is_some())
        {
            traits.push("indexes".into());
        }
        if fields.iter().any(|x| x.r#type == "GenericForeignKey") {
            traits.push("generic_fk".into());
        }
        // `managed = False`: Django neither creates nor migrates its table
        if f.c
            .inner_class("Meta")
            .and_then(|m| m.attr("managed"))
            .is_some_and(|e| matches!(e, Expr::Bool(false)))
        {
            traits.push("unmanaged".into());
        }
        traits.sort();
        traits.dedup();
        let table = if abstract_ {
            None
        } else {
            Some(
                meta_str(f.c, "db_table")
                    .unwrap_or_else(|| format!("{label}_{}", f.c.name.to_lowercase())),
            )
        };
        if !abstract_ {
            for r in &relations {
                let to = r.target.split('.').next().unwrap_or("").to_string();
                if !to.is_empty() && to != label {
                    *edges.entry((label.clone(), to)).or_default() += 1;
                }
            }
        }
        // A model without a Meta of its own, or whose Meta subclasses another, takes what it
        // does not set from its abstract bases' Meta, nearest first.
        let own = f.c.inner_class("Meta");
        let mut metas: Vec<&ClassDef> = own.into_iter().collect();
        if own.is_none_or(|m| !m.bases.is_empty()) {
            metas.extend(f.mro.iter().skip(1).filter_map(|b| {
                let (_, bc) = classes::find(project, b)?;
                meta_bool(bc, "abstract")
                    .then(|| bc.inner_class("Meta"))
                    .flatten()
            }));
        }
        let constraints = meta_constraints(&metas, f.c, &label);
        inv.models.push(Model {
            name: f.c.name.to_string(),
            module: f.m.module.clone(),
            table,
            file: f.m.path.clone(),
            line: f.c.pos.line,
            r#abstract: abstract_,
            orm: "django".into(),
            app_label: Some(label),
            bases: classes::bases(&project.resolver, f.m, f.c),
            fields,
            relations,
            traits,
            constraints,
        });
    }
    for ((from, to), count) in edges {
        inv.app_edges.push(AppEdge { from, to, count });
    }
    if !skipped.is_empty() {
        skipped.sort();
        inv.warnings.push(Warning {
            file: None,
            line: None,
            message: format!(
                "{} model classes are outside INSTALLED_APPS or in tests and were not counted: {}",
                skipped.len(),
                skipped
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
}
