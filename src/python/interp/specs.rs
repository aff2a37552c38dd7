//! Modules loaded by hand and searched by value, as plugin discovery does:
//! `finder.find_spec(name)` on the finder `pkgutil.iter_modules` yields with each
//! name, `importlib.util.module_from_spec(spec)`, `spec.loader.exec_module(module)`
//! (a module of the scanned tree, run once as an import runs it), and
//! `inspect.getmembers(module, predicate)`.

use super::eval::Cx;
use super::value::Val;
use crate::python::ir::Call;

/// The finder `pkgutil.iter_modules` pairs with each module it lists.
#[derive(Debug)]
struct Finder;

/// A module spec of a scanned module (`ModuleSpec`).
#[derive(Debug)]
struct Spec(String);

/// A spec's loader.
#[derive(Debug)]
struct Loader;

host_value!(Finder, Spec, Loader);

/// The finder paired with each module `pkgutil.iter_modules` lists.
pub fn finder() -> Val {
    Val::host(Finder)
}

/// `spec.name`, `spec.loader`.
pub fn attr(v: &Val, attr: &str) -> Option<Val> {
    let Spec(name) = v.downcast::<Spec>()?;
    match attr {
        "name" => Some(Val::Str(name.clone())),
        "loader" => Some(Val::host(Loader)),
        _ => None,
    }
}

/// `finder.find_spec(name)` (the finder lists modules that exist) and
/// `loader.exec_module(module)`, which runs the module's top level.
pub fn method(cx: &Cx, v: &Val, method: &str, c: &Call) -> Option<Val> {
    let arg = |i, name| c.arg(i, name).map(|e| cx.eval(e));
    if v.downcast::<Finder>().is_some() && matches!(method, "find_spec" | "find_module") {
        return Some(match arg(0, "fullname") {
            Some(Val::Str(name)) if cx.project().module(&name).is_some() => Val::host(Spec(name)),
            Some(Val::Str(_)) => Val::None,
            _ => Val::Unknown(format!("{method}() of a name not known statically")),
        });
    }
    if v.downcast::<Loader>().is_some() && method == "exec_module" {
        return Some(match arg(0, "module") {
            Some(Val::Module(m)) => {
                cx.interpreter().env(&m);
                Val::None
            }
            _ => Val::Unknown("exec_module() of a module not known".into()),
        });
    }
    None
}

/// `importlib.util.module_from_spec(spec)` (the module, run when its loader
/// executes it or when first read) and `inspect.getmembers(module[, predicate])`:
/// the module's names and values, sorted by name, those the predicate accepts.
pub fn call(cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
    match canonical {
        "importlib.util.module_from_spec" => Some(match c.arg(0, "spec").map(|e| cx.eval(e)) {
            // `importlib.util.find_spec(name)` answers with the module itself
            Some(m @ Val::Module(_)) => m,
            Some(v) => match v.downcast::<Spec>() {
                Some(Spec(name)) => Val::Module(name.clone()),
                None => Val::Unknown("module_from_spec() of a spec not known".into()),
            },
            None => Val::Unknown("module_from_spec() without a spec".into()),
        }),
        "inspect.getmembers" => Some(getmembers(cx, c)),
        _ => None,
    }
}

fn getmembers(cx: &Cx, c: &Call) -> Val {
    let unknown = |why: &str| Val::Unknown(format!("inspect.getmembers({why})"));
    let Some(Val::Module(m)) = c.arg(0, "object").map(|e| cx.eval(e)) else {
        return unknown("of an object other than a scanned module");
    };
    let predicate = c.arg(1, "predicate").map(|e| cx.eval(e));
    let Val::List(names) = cx.module_names(&m) else {
        return unknown("of a module not run");
    };
    let mut out = Vec::new();
    for name in names {
        let Val::Str(n) = &name else { continue };
        let value = cx.get_attr(&Val::Module(m.clone()), n, None);
        let keep = match &predicate {
            None | Some(Val::None) => Some(true),
            Some(p) => cx
                .call_with_values(p, vec![value.clone()], c, &[])
                .and_then(|v| cx.truth(&v)),
        };
        match keep {
            Some(true) => out.push(Val::Tuple(vec![name.clone(), value])),
            Some(false) => {}
            None => return unknown("with a predicate whose answer is not known"),
        }
    }
    Val::List(out)
}
