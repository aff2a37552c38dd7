//! Classes whose constructor a library writes from the annotated fields of the class body:
//! dataclasses (the standard library's and attrs' `@define`/`@frozen`) and pydantic models
//! (`AppSetting(**{"urls": {...}})`, `Model.model_validate(d)`).
//! The generated `__init__` is not Python code the interpreter can run, so the libraries are
//! named here and their binding rules modelled: fields in MRO order (bases first), positional
//! arguments for dataclasses only, a `RootModel`'s one argument as `root`, defaults written as
//! values or `Field(default=...)` / `field(default=...)`, and pydantic's validation of a dict
//! into the model class its field's annotation names. What the binding does not model makes
//! the value unknown, never a guess: code the library runs on construction (`__post_init__`,
//! `model_post_init`, `__attrs_post_init__`, validators, converters), aliases, `init=False`,
//! `InitVar` and a model configuration.

use super::eval::Cx;
use super::value::{Obj, Val};
use crate::python::SourceModule;
use crate::python::classes;
use crate::python::ir::{Call, Expr};
use std::cell::RefCell;
use std::rc::Rc;

const PYDANTIC_MODELS: &[&str] = &["pydantic.BaseModel", "pydantic.main.BaseModel"];
const PYDANTIC_ROOT_MODELS: &[&str] = &["pydantic.RootModel", "pydantic.root_model.RootModel"];
/// Decorators that write a dataclass-like `__init__` from the annotated fields: the
/// standard library's, and attrs' annotation-based API (`@define`, `@frozen`, `@mutable`),
/// which binds the same way (positional or by name, defaults, `field(factory=...)`).
const DATACLASS_DECORATORS: &[&str] = &[
    "dataclasses.dataclass",
    "attrs.define",
    "attrs.frozen",
    "attrs.mutable",
    "attr.define",
    "attr.frozen",
    "attr.mutable",
];
/// Methods and decorators through which the library runs the class's own code on construction.
const CONSTRUCTION_HOOKS: &[&str] = &["__post_init__", "model_post_init", "__attrs_post_init__"];
const VALIDATORS: &[&str] = &[
    "field_validator",
    "model_validator",
    "validator",
    "root_validator",
    // attrs: `@x.default` computes a field's default
    "default",
];

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Record {
    Dataclass,
    Pydantic,
    PydanticRoot,
}

/// One field: its name, annotation and default, and the module of the class declaring it.
struct FieldDecl<'p> {
    name: String,
    annotation: &'p Expr,
    default: Option<&'p Expr>,
    module: &'p SourceModule,
}

impl Cx<'_, '_> {
    /// What kind of generated constructor `class` has, if any.
    pub(super) fn record_kind(&self, class: &str) -> Option<Record> {
        let project = self.ev.project;
        let mro = classes::mro(project, class);
        let own_init = mro.iter().any(|k| {
            classes::find(project, k)
                .is_some_and(|(_, cd)| cd.methods().any(|f| f.name == "__init__"))
        });
        if own_init {
            return None; // a constructor of the project's own is run as written
        }
        if mro
            .iter()
            .any(|k| PYDANTIC_ROOT_MODELS.contains(&k.as_str()))
        {
            return Some(Record::PydanticRoot);
        }
        if mro.iter().any(|k| PYDANTIC_MODELS.contains(&k.as_str())) {
            return Some(Record::Pydantic);
        }
        let (m, cd) = classes::find(project, class)?;
        cd.decorators
            .iter()
            .any(|d| {
                let callee = d.as_call().map_or(d, |c| &c.func);
                callee.dotted().is_some_and(|n| {
                    DATACLASS_DECORATORS.contains(&project.resolver.resolve(&m.module, &n).as_str())
                })
            })
            .then_some(Record::Dataclass)
    }

    /// Why the binding cannot tell what constructing `class` makes, if it cannot.
    fn unmodelled(&self, class: &str, kind: Record) -> Option<String> {
        let project = self.ev.project;
        for k in classes::mro(project, class) {
            let Some((_, cd)) = classes::find(project, &k) else {
                continue;
            };
            if let Some(f) = cd.methods().find(|f| {
                CONSTRUCTION_HOOKS.contains(&f.name.as_ref())
                    || f.decorators.iter().any(|d| {
                        let callee = d.as_call().map_or(d, |c| &c.func);
                        callee.last_name().is_some_and(|n| VALIDATORS.contains(&n))
                    })
            }) {
                return Some(format!("{k}.{} runs on construction", f.name));
            }
            if cd.attr("model_config").is_some() || cd.inner_class("Config").is_some() {
                return Some(format!("{k} configures its model"));
            }
            // A dataclass's fields are those of its dataclass bases only (see `record_fields`).
            if kind == Record::Dataclass && self.record_kind(&k) != Some(Record::Dataclass) {
                continue;
            }
            for (name, value, annotation, _) in cd.assignments() {
                let Some(annotation) = annotation else {
                    continue;
                };
                let options = value.and_then(|v| v.as_call()).filter(|c| {
                    matches!(c.func.last_name(), Some("Field" | "field"))
                        && c.kwargs.iter().any(|(k, v)| {
                            matches!(
                                k.as_ref(),
                                "alias"
                                    | "validation_alias"
                                    | "kw_only"
                                    | "converter"
                                    | "validator"
                            ) || (k == "init" && !matches!(v, Expr::Bool(true)))
                        })
                });
                if annotation_head(annotation) == Some("InitVar") || options.is_some() {
                    return Some(format!(
                        "{k}.{name}: a field option the binding does not model"
                    ));
                }
            }
        }
        None
    }

    /// `Cls(...)` for a record class: the arguments bound to its fields.
    pub(super) fn new_record(&self, class: &str, kind: Record, c: &Call) -> Val {
        let unknown = |why: &str| Val::Unknown(format!("{class}(...): {why}"));
        if let Some(why) = self.unmodelled(class, kind) {
            return unknown(&why);
        }
        if c.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
            return unknown("*args");
        }
        let args: Vec<Val> = c.args.iter().map(|a| self.eval(a)).collect();
        let mut kwargs: Vec<(String, Val)> = Vec::new();
        if let Some(splat) = &c.kwargs_splat {
            match self.eval(splat) {
                Val::Dict(items) => {
                    for (k, v) in items {
                        let Val::Str(k) = k else {
                            return unknown("**mapping with keys not known");
                        };
                        kwargs.push((k, v));
                    }
                }
                _ => return unknown("**mapping not known"),
            }
        }
        kwargs.extend(c.kwargs.iter().map(|(k, v)| (k.to_string(), self.eval(v))));
        self.bind_record(class, kind, args, kwargs)
    }

    /// `Cls.model_validate(data)` / `Cls.parse_obj(data)` of a pydantic model: `data` validated
    /// as the model (a dict's items as its fields, anything for a root model).
    pub(super) fn record_classmethod(&self, class: &str, method: &str, c: &Call) -> Option<Val> {
        let kind = self.record_kind(class)?;
        if kind == Record::Dataclass || !matches!(method, "model_validate" | "parse_obj") {
            return None;
        }
        let data = c.arg(0, "obj").map(|a| self.eval(a))?;
        Some(self.validate(class, kind, data))
    }

    fn validate(&self, class: &str, kind: Record, data: Val) -> Val {
        if let Some(why) = self.unmodelled(class, kind) {
            return Val::Unknown(format!("{class}: {why}"));
        }
        match (kind, data) {
            (Record::PydanticRoot, v) => self.bind_record(class, kind, vec![v], Vec::new()),
            (_, Val::Dict(items)) => {
                let mut kwargs = Vec::new();
                for (k, v) in items {
                    let Val::Str(k) = k else {
                        return Val::Unknown(format!("{class}: a key not known"));
                    };
                    kwargs.push((k, v));
                }
                self.bind_record(class, kind, Vec::new(), kwargs)
            }
            (_, v @ Val::Instance(_)) => v,
            (_, Val::Unknown(why)) => Val::Unknown(why),
            _ => Val::Unknown(format!(
                "{class}: validated from a value that is not a dict"
            )),
        }
    }

    fn bind_record(
        &self,
        class: &str,
        kind: Record,
        args: Vec<Val>,
        mut kwargs: Vec<(String, Val)>,
    ) -> Val {
        let unknown = |why: String| Val::Unknown(format!("{class}(...): {why}"));
        let fields = self.record_fields(class, kind);
        let positional = match kind {
            Record::Dataclass => fields.len(),
            Record::PydanticRoot => 1,
            Record::Pydantic => 0,
        };
        if args.len() > positional {
            return unknown("more positional arguments than it takes".into());
        }
        let mut attrs = Vec::new();
        let mut args = args.into_iter();
        for f in &fields {
            let given = match args.next() {
                Some(v) => Some(v),
                None => kwargs
                    .iter()
                    .position(|(k, _)| *k == f.name)
                    .map(|i| kwargs.remove(i).1),
            };
            let value = match given {
                Some(v) if kind == Record::Dataclass => v,
                Some(v) => self.coerce(f.annotation, f.module, v),
                None => match f.default.map(|d| self.field_default(d, f.module)) {
                    Some(Some(v)) => v,
                    Some(None) => return unknown(format!("the default of `{}`", f.name)),
                    None => return unknown(format!("`{}` is required", f.name)),
                },
            };
            if let Val::Unknown(why) = value {
                return Val::Unknown(why);
            }
            attrs.push((f.name.clone(), value));
        }
        if let Some((k, _)) = kwargs.first() {
            return unknown(format!("no field `{k}`"));
        }
        Val::Instance(Rc::new(Obj {
            class: class.to_string(),
            attrs: RefCell::new(attrs),
            lost: RefCell::new(None),
            truthy: true,
            independent: false,
            native: RefCell::new(None),
            made_at: (self.m.path.clone(), 0),
        }))
    }

    /// The annotated class attributes of the project classes of the MRO, bases first; a
    /// subclass redeclaring a field keeps its place. A dataclass takes them from its dataclass
    /// bases only: a plain base's annotated values stay class attributes.
    fn record_fields(&self, class: &str, kind: Record) -> Vec<FieldDecl<'_>> {
        let project = self.ev.project;
        let mut out: Vec<FieldDecl> = Vec::new();
        for k in classes::mro(project, class).iter().rev() {
            let Some((m, cd)) = classes::find(project, k) else {
                continue;
            };
            if kind == Record::Dataclass && self.record_kind(k) != Some(Record::Dataclass) {
                continue;
            }
            for (name, value, annotation, _) in cd.assignments() {
                let Some(annotation) = annotation else {
                    continue;
                };
                if name.starts_with('_') || annotation_head(annotation) == Some("ClassVar") {
                    continue;
                }
                let decl = FieldDecl {
                    name: name.to_string(),
                    annotation,
                    default: value,
                    module: m,
                };
                match out.iter_mut().find(|f| f.name == name) {
                    Some(f) => *f = decl,
                    None => out.push(decl),
                }
            }
        }
        out
    }

    /// A field's default: the value written, or the `default=` / `default_factory=` (`factory=`) of
    /// `Field(...)` / `field(...)`; None when it is not known.
    fn field_default(&self, e: &Expr, m: &SourceModule) -> Option<Val> {
        if let Expr::Call(c) = e
            && matches!(c.func.last_name(), Some("Field" | "field"))
        {
            if let Some(d) = c.kwarg("default").or_else(|| c.args.first()) {
                return Some(self.eval_in(m, d));
            }
            // `default_factory=` (dataclasses, pydantic), `factory=` (attrs); a set is a list here
            let factory = c.kwarg("default_factory").or_else(|| c.kwarg("factory"));
            return match factory.and_then(|f| f.as_name()) {
                Some("list" | "set") => Some(Val::List(Vec::new())),
                Some("dict") => Some(Val::Dict(Vec::new())),
                _ => None,
            };
        }
        Some(self.eval_in(m, e))
    }

    /// pydantic's validation of a value by the field's annotation: a dict becomes the model
    /// class the annotation names, through `Optional[...]`, `X | None` and lists of it.
    fn coerce(&self, annotation: &Expr, m: &SourceModule, v: Val) -> Val {
        let project = self.ev.project;
        match annotation {
            Expr::Subscript(base, inner) => match base.last_name() {
                Some("Optional") => self.coerce(inner, m, v),
                Some("list" | "List" | "Sequence" | "tuple" | "Tuple") => match v {
                    Val::List(items) | Val::Tuple(items) => {
                        let item = match &**inner {
                            Expr::Tuple(t) => t.first().unwrap_or(inner),
                            e => e,
                        };
                        Val::List(items.into_iter().map(|x| self.coerce(item, m, x)).collect())
                    }
                    v => v,
                },
                _ => v,
            },
            Expr::BinOp(l, op, r) if &**op == "|" => match (l.as_ref(), r.as_ref()) {
                (e, Expr::None) | (Expr::None, e) => self.coerce(e, m, v),
                _ => v,
            },
            e => {
                let Some(name) = e.dotted() else {
                    return v;
                };
                let class = project.resolver.resolve(&m.module, &name);
                match (self.record_kind(&class), v) {
                    (Some(kind @ (Record::Pydantic | Record::PydanticRoot)), d @ Val::Dict(_)) => {
                        self.validate(&class, kind, d)
                    }
                    (_, v) => v,
                }
            }
        }
    }
}

/// The name an annotation starts with: `ClassVar` for `ClassVar[str]` and `typing.ClassVar`.
fn annotation_head(annotation: &Expr) -> Option<&str> {
    match annotation {
        Expr::Subscript(base, _) => base.last_name(),
        e => e.last_name(),
    }
}
