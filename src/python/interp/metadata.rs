//! `importlib.metadata.entry_points(...)` (and its backport, and `pkg_resources`'
//! `iter_entry_points`) answered from the entry points the project and its environment declare
//! (`python::entry_points`): plugin discovery, as start-up code does it. An entry point's
//! `name`, `group`, `value`, `module` and `attr` are known; `load()` imports what it names
//! when that is scanned code.

use super::eval::Cx;
use super::value::Val;
use crate::python::entry_points::EntryPoint;
use crate::python::ir::Call;

/// One declared entry point.
#[derive(Debug)]
struct Point(EntryPoint);

/// `entry_points()` called without a selection: every declared one, to `select()` from.
#[derive(Debug)]
struct All;

host_value!(Point, All);

/// `entry_points(group=..., name=...)`, `entry_points()`, `iter_entry_points(group, name=None)`.
pub fn call(cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
    match canonical {
        "importlib.metadata.entry_points" | "importlib_metadata.entry_points" => {
            if c.args.is_empty() && c.kwargs.is_empty() && !c.has_splat() {
                return Some(Val::host(All));
            }
            Some(select(cx, c, None))
        }
        "pkg_resources.iter_entry_points" => Some(select(cx, c, Some(("group", "name")))),
        _ => None,
    }
}

/// The declared entry points a selection keeps, in declaration order. `positional` names the
/// parameters the call may give by position (`iter_entry_points(group, name)`); the
/// `importlib.metadata` API takes keywords only.
fn select(cx: &Cx, c: &Call, positional: Option<(&str, &str)>) -> Val {
    if c.has_splat() {
        return Val::Unknown("entry_points(**...)".into());
    }
    let mut wanted: Vec<(String, String)> = Vec::new();
    if let Some((first, second)) = positional {
        for (i, name) in [first, second].into_iter().enumerate() {
            match c.arg(i, name).map(|e| cx.eval(e)) {
                None | Some(Val::None) => {}
                Some(Val::Str(s)) => wanted.push((name.to_string(), s)),
                Some(_) => return Val::Unknown(format!("entry points of a {name} not known")),
            }
        }
    } else {
        if !c.args.is_empty() {
            return Val::Unknown("entry_points() with positional arguments".into());
        }
        for (key, e) in &c.kwargs {
            match cx.eval(e) {
                Val::Str(s) => wanted.push((key.to_string(), s)),
                _ => return Val::Unknown(format!("entry points of a {key} not known")),
            }
        }
    }
    let mut out = Vec::new();
    for ep in cx.project().entry_points() {
        let mut keep = true;
        for (key, want) in &wanted {
            let have = match key.as_str() {
                "group" => ep.group.as_str(),
                "name" => ep.name.as_str(),
                "value" => ep.value.as_str(),
                "module" => ep.module(),
                "attr" => ep.attr().unwrap_or_default(),
                other => return Val::Unknown(format!("entry points selected by {other}")),
            };
            keep &= have == want;
        }
        if keep {
            out.push(Val::host(Point(ep.clone())));
        }
    }
    Val::List(out)
}

/// An entry point's attributes (`module_name` and `attrs` are `pkg_resources`' spellings).
pub fn attr(v: &Val, attr: &str) -> Option<Val> {
    let Point(ep) = v.downcast::<Point>()?;
    let s = |x: &str| Val::Str(x.to_string());
    Some(match attr {
        "name" => s(&ep.name),
        "group" => s(&ep.group),
        "value" => s(&ep.value),
        "module" | "module_name" => s(ep.module()),
        "attr" => ep.attr().map_or(Val::None, s),
        "attrs" => Val::Tuple(
            ep.attr()
                .into_iter()
                .flat_map(|a| a.split('.'))
                .map(s)
                .collect(),
        ),
        _ => return None,
    })
}

/// `ep.load()`; on `entry_points()`, `select(group=..., name=...)` and `get(group, default)`
/// (the mapping interface of Python before 3.12).
pub fn method(cx: &Cx, v: &Val, method: &str, c: &Call) -> Option<Val> {
    if let Some(Point(ep)) = v.downcast::<Point>() {
        return (method == "load").then(|| match ep.attr() {
            Some(attr) => cx.import_string(&format!("{}.{attr}", ep.module())),
            None => cx.import_string(ep.module()),
        });
    }
    v.downcast::<All>()?;
    Some(match method {
        "select" => select(cx, c, None),
        "get" => {
            let Some(Val::Str(group)) = c.arg(0, "key").map(|e| cx.eval(e)) else {
                return Some(Val::Unknown(
                    "entry_points().get() of a group not known".into(),
                ));
            };
            let found: Vec<Val> = cx
                .project()
                .entry_points()
                .iter()
                .filter(|ep| ep.group == group)
                .map(|ep| Val::host(Point(ep.clone())))
                .collect();
            match (found.is_empty(), c.arg(1, "default")) {
                (true, Some(d)) => cx.eval(d),
                (true, None) => Val::None,
                (false, _) => Val::List(found),
            }
        }
        _ => return None,
    })
}
