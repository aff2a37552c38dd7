//! `collections.namedtuple`: a tuple class made by a call rather than a class
//! statement, so there is no class body to run. Its instances are tuples whose
//! items are also attributes (`r.url`), which start-up code reads from a
//! table of routes (`ResourceMap(resource=..., url=...)`, then
//! `api.add_resource(r.resource, r.url)`).

use super::eval::Cx;
use super::value::{HostValue, Val};
use crate::python::ir::Call;
use std::any::Any;
use std::rc::Rc;

/// The class `namedtuple(name, fields, defaults=...)` returns.
#[derive(Debug)]
pub struct TupleType {
    name: String,
    fields: Vec<String>,
    /// Defaults of the last fields, as `defaults=` gives them.
    defaults: Vec<Val>,
}

/// One instance: the items in field order.
#[derive(Debug)]
pub struct TupleVal {
    ty: Rc<TupleType>,
    items: Vec<Val>,
}

host_value!(TupleType);

impl HostValue for TupleVal {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn unpack(&self) -> Option<Vec<Val>> {
        Some(self.items.clone())
    }
}

/// `collections.namedtuple(typename, field_names, *, defaults=None, ...)`: field
/// names as a list or as one string separated by commas or spaces.
pub fn call(cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
    if canonical != "collections.namedtuple" {
        return None;
    }
    let unknown = |why: &str| Some(Val::Unknown(format!("namedtuple(...): {why}")));
    let Some(Val::Str(name)) = c.arg(0, "typename").map(|a| cx.eval(a)) else {
        return unknown("type name not known");
    };
    let fields: Vec<String> = match c.arg(1, "field_names").map(|a| cx.eval(a)) {
        Some(Val::Str(s)) => s
            .split(|ch: char| ch == ',' || ch.is_whitespace())
            .filter(|f| !f.is_empty())
            .map(String::from)
            .collect(),
        Some(v @ (Val::List(_) | Val::Tuple(_))) if v.strings().len() == v.items()?.len() => {
            v.strings()
        }
        _ => return unknown("field names not known"),
    };
    let defaults = match cx.kwarg(c, "defaults") {
        None | Some(Val::None) => Vec::new(),
        Some(Val::List(d) | Val::Tuple(d)) if d.len() <= fields.len() => d,
        Some(_) => return unknown("defaults not known"),
    };
    Some(Val::host(TupleType {
        name,
        fields,
        defaults,
    }))
}

/// Calling such a class: the arguments bound to the fields as its generated
/// `__new__` binds them (positional first, then by name, then the defaults).
pub fn construct(cx: &Cx, class: &Val, c: &Call) -> Option<Val> {
    let ty = class.downcast_rc::<TupleType>()?;
    let unknown = |why: String| Some(Val::Unknown(format!("{}(...): {why}", ty.name)));
    let Some(args) = cx.positional(c) else {
        return unknown("*args not known".into());
    };
    if args.len() > ty.fields.len() {
        return unknown("more arguments than fields".into());
    }
    let first_default = ty.fields.len() - ty.defaults.len();
    let mut items = Vec::with_capacity(ty.fields.len());
    for (i, field) in ty.fields.iter().enumerate() {
        let v = match args.get(i) {
            Some(v) => v.clone(),
            None => match cx.kwarg(c, field) {
                Some(v) => v,
                None if i >= first_default => ty.defaults[i - first_default].clone(),
                None => return unknown(format!("no value for {field}")),
            },
        };
        items.push(v);
    }
    Some(Val::host(TupleVal { ty, items }))
}

/// A field of an instance (`r.url`), or the class's `_fields`.
pub fn attr(v: &Val, name: &str) -> Option<Val> {
    if let Some(t) = v.downcast::<TupleVal>() {
        let i = t.ty.fields.iter().position(|f| f == name)?;
        return Some(t.items[i].clone());
    }
    let ty = v.downcast::<TupleType>()?;
    (name == "_fields").then(|| Val::Tuple(ty.fields.iter().cloned().map(Val::Str).collect()))
}
