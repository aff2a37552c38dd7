//! Flask-Classy / Flask-Classful: `SomeView.register(app_or_blueprint)` makes
//! one rule per public method of a `FlaskView` subclass. The rules follow the
//! extension's `register()`: `@route(rule, **options)` on a method gives its
//! rules; otherwise `index`/`get` answer GET and `post`/`put`/`patch`/`delete`
//! their own verb at the view's base, and any other method answers at
//! `/<base>/<method name>/`. Parameters after `self` become `<name>` segments.
//! Classful differs from Classy where its `register()` does: parameters with a
//! default are query parameters, and `trailing_slash = True` ends every rule
//! with a slash. Type hints that Classful turns into converters are not read.
//! `base_args` names parameters that are not added to a method's rule (the
//! variables of a `route_prefix`); Classful also appends the route base's own
//! variables to that list, which a subclass without a list of its own shares
//! with its siblings: that sharing is not followed.

use super::builtins::{Declared, Flask, View, node_of};
use crate::python::interp::ops::{MethodKind, method_kind};
use crate::python::interp::{Cx, Val};
use crate::python::ir::{Call, Expr, FuncDef, Param};
use crate::python::{Project, classes};

/// The view base classes whose `register` this module models.
const BASES: &[&str] = &["flask_classy.FlaskView", "flask_classful.FlaskView"];

/// The kind of route this module declares.
const KIND: &str = "flask_classy";

/// Attributes `FlaskView` itself defines: never routes of a subclass.
const OWN: &[&str] = &[
    "register",
    "make_proxy_method",
    "build_rule",
    "get_route_base",
    "default_route_base",
    "build_route_name",
    "route_base",
    "route_prefix",
    "trailing_slash",
    "decorators",
    "base_args",
    "representations",
    "method_dashified",
    "default_methods",
    "excluded_methods",
    "special_methods",
];

/// Class attributes (or `register()` keywords) that change the rules in ways
/// this model does not follow.
const UNMODELLED: &[&str] = &[
    "subdomain",
    "excluded_methods",
    "method_dashified",
    "default_methods",
    "special_methods",
    "inspect_args",
    "type_hints",
];

/// Methods mounted at the view's base, and the verb each answers.
fn special(name: &str) -> Option<&'static str> {
    Some(match name {
        "index" | "get" => "GET",
        "post" => "POST",
        "put" => "PUT",
        "patch" => "PATCH",
        "delete" => "DELETE",
        _ => return None,
    })
}

/// `class.register(target, route_base=..., route_prefix=..., trailing_slash=...)`
/// where `base` is a `FlaskView` class of the extension.
pub fn register(flask: &Flask, cx: &Cx, class: &str, base: &str, c: &Call) -> Option<Val> {
    if !BASES.contains(&base) {
        return None;
    }
    let node = node_of(&cx.argument(c, 0, "app")?)?;
    let project = cx.project();
    // a keyword given to register() wins over the class attribute
    let setting = |name: &str, index: usize| -> Option<Val> {
        match cx.argument(c, index, name) {
            Some(Val::None) | None => classes::attr(project, class, name)
                .is_some()
                .then(|| cx.class_attr(class, name)),
            given => given,
        }
    };
    let text = |v: Option<Val>| -> Result<Option<String>, String> {
        match v {
            None | Some(Val::None) => Ok(None),
            Some(Val::Str(s)) => Ok(Some(s)),
            Some(other) => Err(format!("{other:?}")),
        }
    };
    let short = class.rsplit('.').next().unwrap_or(class);
    let route_base = text(setting("route_base", 1));
    let route_prefix = text(setting("route_prefix", 3));
    // (truthy, `is True`): `if not cls.trailing_slash: rule = rule.rstrip("/")`,
    // and Classful's `elif cls.trailing_slash is True: rule += "/"`
    let trailing_slash = match setting("trailing_slash", 4) {
        None => Ok((true, true)),
        Some(v) => v
            .truthy()
            .map(|t| (t, matches!(v, Val::Bool(true))))
            .ok_or_else(|| format!("{v:?}")),
    };
    let classful = base == "flask_classful.FlaskView";
    // options this model does not follow: the view's rules are not claimed
    let unmodelled = UNMODELLED
        .iter()
        .find(|o| {
            classes::attr(project, class, o).is_some()
                || cx.kwarg(c, o).is_some_and(|v| !matches!(v, Val::None))
        })
        .map(|o| format!("{o} is not modelled"))
        .or_else(|| {
            // Classful's register() raises on a static method (no `self`)
            (classful
                && members(project, class)
                    .iter()
                    .any(|(fd, ..)| matches!(method_kind(fd), MethodKind::Static)))
            .then(|| "a static method, which Flask-Classful refuses".to_string())
        });
    let (route_base, route_prefix, (trailing, slash_is_true)) =
        match (route_base, route_prefix, trailing_slash) {
            _ if unmodelled.is_some() => {
                let why = unmodelled.unwrap_or_default();
                let d = Declared::unknown(format!("the rules of {short} are not known: {why}"));
                flask.declare(KIND, node, d, (cx.source().path.clone(), c.pos.line));
                return Some(Val::None);
            }
            (Ok(b), Ok(p), Ok(t)) => (b, p, t),
            (Err(why), _, _) | (_, Err(why), _) | (_, _, Err(why)) => {
                let d = Declared::unknown(format!("the rules of {short} are not known: {why}"));
                flask.declare(KIND, node, d, (cx.source().path.clone(), c.pos.line));
                return Some(Val::None);
            }
        };
    // the parameters a method does not add to its rule: those of `base_args` (Classful's,
    // for variables its `route_prefix` holds) and the base's own path parameters
    let mut base_args: Vec<String> = match classes::attr(project, class, "base_args") {
        Some(_) => match cx.class_attr(class, "base_args") {
            Val::List(v) | Val::Tuple(v) if v.iter().all(|x| matches!(x, Val::Str(_))) => {
                Val::List(v).strings()
            }
            v => {
                let why = format!("base_args of {short} is not known statically: {v:?}");
                let d = Declared::unknown(format!("the rules of {short} are not known: {why}"));
                flask.declare(KIND, node, d, (cx.source().path.clone(), c.pos.line));
                return Some(Val::None);
            }
        },
        None => Vec::new(),
    };
    base_args.extend(
        route_base
            .as_deref()
            .map(super::rule::variables)
            .unwrap_or_default(),
    );
    let base = route_base.clone().unwrap_or_else(|| {
        let name = short.strip_suffix("View").unwrap_or(short);
        if classful {
            dashify_uppercase(name)
        } else {
            name.to_ascii_lowercase()
        }
    });
    let build = |rule: &str, fd: Option<&FuncDef>| {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(route_prefix.clone());
        let b = base.trim_matches('/');
        if !b.is_empty() {
            parts.push(b.to_string());
        }
        // `@route("")`: Classful adds no part for an empty rule (Classy does)
        if !(classful && rule.is_empty()) {
            parts.push(rule.to_string());
        }
        if let Some(fd) = fd {
            parts.extend(
                path_params(fd, classful)
                    .filter(|p| !base_args.iter().any(|a| a == p))
                    .map(|p| format!("<{p}>")),
            );
        }
        collapse_slashes(&format!("/{}", parts.join("/")))
    };
    // Classful ends every generated rule with a slash when `trailing_slash is True`
    let finish = |r: String| {
        if classful && slash_is_true && !r.ends_with('/') {
            format!("{r}/")
        } else {
            r
        }
    };
    for (fd, path, module) in members(project, class) {
        let name = fd.name.to_string();
        let endpoint = format!("{short}:{name}");
        let view = View::Function(Some(format!("{class}.{name}")), name.clone());
        let at = (path, fd.pos.line);
        let routes = route_decorators(project, &module, fd);
        if !routes.is_empty() {
            let n = routes.len();
            for (i, (rule, endpoint_given, methods)) in routes.into_iter().enumerate() {
                let rule = match rule {
                    Val::Str(r) => Val::Str(build(&r, None)),
                    other => other,
                };
                let ep = endpoint_given.unwrap_or_else(|| {
                    Val::Str(if n == 1 {
                        endpoint.clone()
                    } else {
                        format!("{endpoint}_{i}")
                    })
                });
                let d = Declared {
                    rule,
                    endpoint: Some(ep),
                    methods,
                    view: view.clone(),
                };
                flask.declare(KIND, node.clone(), d, at.clone());
            }
            continue;
        }
        let (rule, methods) = match special(&name) {
            Some(verb) => {
                let r = build("/", Some(fd));
                let r = if trailing || (classful && r == "/") {
                    finish(r)
                } else {
                    strip_slash(r)
                };
                (r, Some(Val::List(vec![Val::Str(verb.into())])))
            }
            None => {
                let segment = if trailing {
                    format!("/{name}/")
                } else {
                    format!("/{name}")
                };
                (finish(build(&segment, Some(fd))), None)
            }
        };
        let d = Declared {
            rule: Val::Str(rule),
            endpoint: Some(Val::Str(endpoint)),
            methods,
            view,
        };
        flask.declare(KIND, node.clone(), d, at);
    }
    Some(Val::None)
}

/// The methods `register` turns into routes, by name as `inspect.getmembers`
/// lists them (sorted): plain functions (and static methods) along the MRO
/// inside the scanned code, the first definition of a name winning; not
/// private, not `before_*`/`after_*` hooks, not `FlaskView`'s own. Each with
/// the path and module of the file that defines it.
fn members<'p>(project: &'p Project, class: &str) -> Vec<(&'p FuncDef, String, String)> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out: Vec<(&'p FuncDef, String, String)> = Vec::new();
    for k in classes::mro(project, class) {
        let Some((m, cd)) = classes::find(project, &k) else {
            continue;
        };
        for fd in cd.methods() {
            let name: &str = &fd.name;
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            let public = !name.starts_with('_')
                && !name.starts_with("before_")
                && !name.starts_with("after_")
                && !OWN.contains(&name);
            if public && matches!(method_kind(fd), MethodKind::Instance | MethodKind::Static) {
                out.push((fd, m.path.clone(), m.module.clone()));
            }
        }
    }
    out.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    out
}

/// `@route(rule, endpoint=..., methods=...)` of the extension on a method:
/// (rule, endpoint given, methods given), in the order they apply.
fn route_decorators(
    project: &Project,
    module: &str,
    fd: &FuncDef,
) -> Vec<(Val, Option<Val>, Option<Val>)> {
    fd.decorators
        .iter()
        .rev()
        .filter_map(|d| {
            let Expr::Call(call) = d else { return None };
            let callee = project.resolver.resolve(module, &call.func.dotted()?);
            if !matches!(
                callee.as_str(),
                "flask_classy.route" | "flask_classful.route"
            ) {
                return None;
            }
            let lit = |e: &Expr| match e {
                Expr::Str(s) => Val::Str(s.to_string()),
                other => Val::Unknown(format!("{} not known statically", other.describe())),
            };
            let rule = call
                .arg(0, "rule")
                .map_or(Val::Unknown("no rule".into()), lit);
            let endpoint = call.kwarg("endpoint").map(lit);
            let methods = call.kwarg("methods").map(|e| match e.elements() {
                Some(items) => Val::List(items.iter().map(lit).collect()),
                None => lit(e),
            });
            Some((rule, endpoint, methods))
        })
        .collect()
}

/// The parameters a method's rule gets as `<name>` segments: positional ones
/// after `self` (not `*args`/`**kwargs`); Classful leaves those with a default
/// to the query string.
fn path_params(fd: &FuncDef, classful: bool) -> impl Iterator<Item = String> + '_ {
    let first_is_self = matches!(method_kind(fd), MethodKind::Instance);
    fd.params
        .iter()
        .enumerate()
        .skip(usize::from(first_is_self))
        .filter(move |(i, _)| match fd.defaults.get(*i) {
            Some(Some(Param::Args | Param::Kwargs)) => false,
            Some(Some(Param::Default(_))) => !classful,
            _ => true,
        })
        .map(|(_, p)| p.to_string())
}

/// Classful's `_dashify_uppercase`: `re.sub("(.)([A-Z][a-z]+)", r"\1-\2")`,
/// then `re.sub("([a-z0-9])([A-Z])", r"\1-\2")`, lower-cased
/// (`MyCamelCase` gives `my-camel-case`).
fn dashify_uppercase(name: &str) -> String {
    let c: Vec<char> = name.chars().collect();
    let mut first = Vec::with_capacity(c.len() + 4);
    let mut i = 0;
    while i < c.len() {
        let starts =
            i + 2 < c.len() && c[i + 1].is_ascii_uppercase() && c[i + 2].is_ascii_lowercase();
        if starts {
            first.extend([c[i], '-', c[i + 1]]);
            i += 2;
            while i < c.len() && c[i].is_ascii_lowercase() {
                first.push(c[i]);
                i += 1;
            }
        } else {
            first.push(c[i]);
            i += 1;
        }
    }
    let mut out = String::with_capacity(first.len() + 4);
    let mut i = 0;
    while i < first.len() {
        let a = first[i];
        if i + 1 < first.len()
            && (a.is_ascii_lowercase() || a.is_ascii_digit())
            && first[i + 1].is_ascii_uppercase()
        {
            out.extend([a, '-', first[i + 1]]);
            i += 2;
        } else {
            out.push(a);
            i += 1;
        }
    }
    out.to_lowercase()
}

fn collapse_slashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if !(ch == '/' && out.ends_with('/')) {
            out.push(ch);
        }
    }
    out
}

fn strip_slash(r: String) -> String {
    match r.trim_end_matches('/') {
        "" => "/".into(),
        t => t.to_string(),
    }
}
