//! `functools.partial(func, *args, **keywords)`: a callable that calls `func`
//! with those arguments first. Start-up code makes decorators this way
//! (`def presenter(view): return partial(add_presenter, view=view)`), and the
//! function it wraps declares the routes when the decorator is applied.
//! A method read off an object without a call (`route = bp.route`) is a
//! partial of that bound method with nothing bound yet.

use super::eval::Cx;
use super::value::{HostValue, Val};
use crate::python::ir::{Call, Expr};
use std::any::Any;

#[derive(Debug)]
pub struct Partial {
    func: Callee,
    args: Vec<Val>,
    keywords: Vec<(String, Val)>,
}

/// What a partial calls: a function value, or a method bound to the object it
/// was read from (`partial(app.register_blueprint, bp, url_prefix="/api")`).
#[derive(Debug)]
enum Callee {
    Value(Val),
    Method(Val, String),
}

impl HostValue for Partial {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `functools.partial(...)` made by the call `c`.
pub fn make(cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
    if canonical != "functools.partial" {
        return None;
    }
    let unknown = || {
        Some(Val::Unknown(
            "functools.partial(...) of values not known".into(),
        ))
    };
    let (Some(mut args), Some(splat)) = (cx.positional(c), cx.splat_kwargs(c)) else {
        return unknown();
    };
    if args.is_empty() {
        return unknown();
    }
    let first = args.remove(0);
    // a method of an object named by a variable (evaluating it again has no effects)
    let func = match c.args.first() {
        Some(Expr::Attr(recv, method)) if recv.dotted().is_some() => match cx.eval(recv) {
            obj @ (Val::Host(_) | Val::Instance(_)) => Callee::Method(obj, method.to_string()),
            _ => Callee::Value(first),
        },
        _ => Callee::Value(first),
    };
    let mut keywords = own_keywords(cx, c);
    keywords.extend(splat);
    Some(Val::host(Partial {
        func,
        args,
        keywords,
    }))
}

/// A partial called by `c`: its function with its own arguments before the
/// call's, its keywords under the call's (`None`: `v` is not a partial).
pub fn call(cx: &Cx, v: &Val, c: &Call) -> Option<Val> {
    v.downcast::<Partial>()?;
    let (Some(given), Some(splat)) = (cx.positional(c), cx.splat_kwargs(c)) else {
        return Some(Val::Unknown(format!("{}(...)", c.func.describe())));
    };
    call_with(cx, v, given, c, splat)
}

/// The same with the call's arguments evaluated (`given`, and `splat` for its
/// `**mapping`): a partial of a partial passes its own on.
pub fn call_with(
    cx: &Cx,
    v: &Val,
    given: Vec<Val>,
    c: &Call,
    splat: Vec<(String, Val)>,
) -> Option<Val> {
    let p = v.downcast::<Partial>()?;
    let mut args = p.args.clone();
    args.extend(given);
    // the call's keywords (read from `c`, then its `**mapping`) replace the
    // partial's of the same name
    let mut keywords = splat;
    let named: Vec<String> = keywords.iter().map(|(k, _)| k.clone()).collect();
    keywords.extend(
        p.keywords
            .iter()
            .filter(|(k, _)| c.kwarg(k).is_none() && !named.contains(k))
            .cloned(),
    );
    Some(match &p.func {
        Callee::Value(f) => cx
            .call_with_values(f, args, c, &keywords)
            .unwrap_or_else(|| Val::Unknown(format!("{}(...)", c.func.describe()))),
        // the method runs on values: the call's own keywords are evaluated here
        Callee::Method(obj, method) => {
            let mut all = own_keywords(cx, c);
            all.extend(keywords);
            cx.call_method_with_values(obj, method, args, all, c)
        }
    })
}

/// The keywords written in the call `c`, evaluated.
fn own_keywords(cx: &Cx, c: &Call) -> Vec<(String, Val)> {
    c.kwargs
        .iter()
        .map(|(k, e)| (k.to_string(), cx.eval(e)))
        .collect()
}

/// `obj.method` read without a call: the method bound to `obj`.
pub fn bound(obj: Val, method: &str) -> Val {
    Val::host(Partial {
        func: Callee::Method(obj, method.to_string()),
        args: Vec::new(),
        keywords: Vec::new(),
    })
}

/// The object and method a partial of a bound method calls (`route = bp.route`).
pub fn bound_method(v: &Val) -> Option<(Val, String)> {
    match &v.downcast::<Partial>()?.func {
        Callee::Method(obj, method) => Some((obj.clone(), method.clone())),
        Callee::Value(_) => None,
    }
}

/// Whether `v` is a partial.
pub fn is_partial(v: &Val) -> bool {
    v.downcast::<Partial>().is_some()
}
