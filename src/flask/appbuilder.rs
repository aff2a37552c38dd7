//! Flask-AppBuilder as built-ins of the interpreter. A view class of the
//! library (`BaseView`, `ModelView`, `BaseApi`, ...) and the project's
//! subclasses make objects whose `create_blueprint(appbuilder, endpoint=None)`
//! returns a blueprint named after the endpoint (the class name by default),
//! prefixed with the class's `route_base` (by default `/<class name, lower
//! case>`, `/api/<version>/<resource name>` for an API), and holding one rule
//! per `(url, methods)` that `@expose` left on each attribute, as the
//! library's `_register_urls()` finds them with `dir()` and `getattr()`: the
//! project's own methods first along the MRO (one defined without `@expose`
//! hides the library's rule of that name), then the library's, less those
//! `include_route_methods` / `exclude_route_methods` leave out.
//!
//! Code that copies the library's `AppBuilder` (Airflow does) runs as written
//! and reaches `create_blueprint`; the library's own `AppBuilder` is modelled
//! for `add_view`, `add_view_no_menu` and `add_api`, which mount that
//! blueprint on its app. The views the library's `AppBuilder` adds by itself
//! (index, security, API) depend on configuration and are one unresolved
//! route. Decorators between `@expose` and the function are assumed to keep
//! its attributes (`functools.wraps`), as the library's own do.

use super::appbuilder_views::VIEWS;
use super::builtins::{Declared, Flask, Node, View, node_of};
use crate::python::classes;
use crate::python::interp::{Cx, HostValue, Val};
use crate::python::ir::{Call, Expr, FuncDef};
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// A view class of the library: the names it is bound under, and what
/// `create_blueprint` reads from it (see `tests/gen/appbuilder_views.py`).
pub struct LibraryView {
    pub names: &'static [&'static str],
    /// Derives from `BaseApi` (the other default prefix).
    pub api: bool,
    pub route_base: Option<&'static str>,
    pub version: Option<&'static str>,
    pub resource_name: Option<&'static str>,
    pub include: Option<&'static [&'static str]>,
    pub exclude: &'static [&'static str],
    /// (attribute, url, methods) as `_register_urls()` adds them.
    pub rules: &'static [(&'static str, &'static str, &'static [&'static str])],
}

/// The kind of route this module declares.
const KIND: &str = "appbuilder";

/// The library's `AppBuilder` under the names it is bound to.
const APP_BUILDERS: &[&str] = &[
    "flask_appbuilder.AppBuilder",
    "flask_appbuilder.base.AppBuilder",
];

fn library(class: &str) -> Option<&'static LibraryView> {
    VIEWS.iter().find(|v| v.names.contains(&class))
}

/// A view object: an instance of `class`, a library view class or a
/// project class deriving from one.
#[derive(Debug)]
struct ViewObj {
    class: String,
}

impl HostValue for ViewObj {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The library's `AppBuilder`: the app it is bound to, once known.
#[derive(Debug)]
struct Builder {
    app: RefCell<Option<Rc<Node>>>,
}

impl HostValue for Builder {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

pub fn native_class(class: &str) -> bool {
    library(class).is_some()
}

/// `View()` for a library view class, `AppBuilder(app, session)`.
pub fn call(flask: &Flask, cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
    if library(canonical).is_some() {
        return Some(Val::host(ViewObj {
            class: canonical.to_string(),
        }));
    }
    if APP_BUILDERS.contains(&canonical) {
        let builder = Val::host(Builder {
            app: RefCell::new(None),
        });
        if let Some(app) = c.arg(0, "app").map(|e| cx.eval(e)) {
            bind(flask, cx, &builder, &app, c);
        }
        return Some(builder);
    }
    None
}

/// The view part of an instance of a project class deriving from a library view.
pub fn instantiate(class: &str, base: &str) -> Option<Val> {
    library(base).map(|_| {
        Val::host(ViewObj {
            class: class.to_string(),
        })
    })
}

/// Attributes the library's objects answer: `appbuilder.app`.
pub fn attr(_cx: &Cx, recv: &Val, attr: &str) -> Option<Val> {
    let b = recv.downcast::<Builder>()?;
    match attr {
        "app" | "get_app" => b.app.borrow().clone().map(|n| Val::Host(n)),
        _ => None,
    }
}

/// A view object has no `__call__`; anything else is not known.
pub fn has_attr(_cx: &Cx, recv: &Val, name: &str) -> Option<bool> {
    recv.downcast::<ViewObj>()?;
    (name == "__call__").then_some(false)
}

pub fn method(flask: &Flask, cx: &Cx, recv: &Val, method: &str, c: &Call) -> Option<Val> {
    if let Some(view) = recv.downcast::<ViewObj>() {
        if method != "create_blueprint" {
            return None;
        }
        let endpoint = c.arg(1, "endpoint").map(|e| cx.eval(e));
        let node = blueprint(flask, cx, &view.class, endpoint, c);
        return Some(Val::Host(node));
    }
    recv.downcast::<Builder>()?;
    match method {
        "init_app" => {
            if let Some(app) = c.arg(0, "app").map(|e| cx.eval(e)) {
                bind(flask, cx, recv, &app, c);
            }
            Some(Val::None)
        }
        "add_view" | "add_view_no_menu" | "add_api" => {
            let view = c.arg(0, "baseview").map(|e| cx.eval(e))?;
            let class = match &view {
                Val::Class(k) => k.clone(),
                Val::Instance(o) => o.class.clone(),
                v => v.downcast::<ViewObj>()?.class.clone(),
            };
            let endpoint = match method {
                "add_view_no_menu" => c.arg(1, "endpoint").map(|e| cx.eval(e)),
                _ => None,
            };
            let node = blueprint(flask, cx, &class, endpoint, c);
            let app = recv.downcast::<Builder>()?.app.borrow().clone();
            if let Some(app) = app {
                flask.edge(cx, c, app, node, None, None);
            }
            Some(view)
        }
        _ => None,
    }
}

/// `AppBuilder(app)` / `init_app(app)`: the builder's app, which the library
/// gives the builder as `app.appbuilder`, and the views it adds by itself.
fn bind(flask: &Flask, cx: &Cx, builder: &Val, app: &Val, c: &Call) {
    let (Some(b), Some(node)) = (builder.downcast::<Builder>(), node_of(app)) else {
        return;
    };
    node.set("appbuilder", builder.clone());
    *b.app.borrow_mut() = Some(node.clone());
    let why =
        "the views Flask-AppBuilder adds itself (index, security, API) follow its configuration";
    let at = (cx.source().path.clone(), c.pos.line);
    flask.declare(KIND, node, Declared::unknown(why), at);
}

/// `view.create_blueprint(appbuilder, endpoint)` for a view of `class`: the
/// blueprint, with its rules declared on it.
fn blueprint(flask: &Flask, cx: &Cx, class: &str, endpoint: Option<Val>, c: &Call) -> Rc<Node> {
    let project = cx.project();
    let short = class.rsplit('.').next().unwrap_or(class);
    let mro = match classes::find(project, class) {
        Some(_) => classes::mro(project, class),
        None => vec![class.to_string()],
    };
    let libs: Vec<&LibraryView> = mro.iter().filter_map(|k| library(k)).collect();
    // a class attribute of the project's, else the library's default
    let setting = |name: &str, default: Option<&str>| -> Val {
        match classes::attr(project, class, name) {
            Some(_) => cx.class_attr(class, name),
            None => default.map_or(Val::None, |d| Val::Str(d.to_string())),
        }
    };
    let first = libs.first();
    let name = match endpoint {
        None | Some(Val::None) => Val::Str(short.to_string()),
        Some(v) => v,
    };
    let route_base = match setting("route_base", first.and_then(|l| l.route_base)) {
        Val::None if first.is_some_and(|l| l.api) => {
            let version = setting("version", first.and_then(|l| l.version));
            let resource = match setting("resource_name", first.and_then(|l| l.resource_name)) {
                Val::None => Val::Str(short.to_string()),
                v => v,
            };
            match (version, resource) {
                (Val::Str(v), Val::Str(r)) => Val::Str(format!("/api/{v}/{}", r.to_lowercase())),
                _ => Val::Unknown(format!("the API version or resource name of {short}")),
            }
        }
        Val::None => Val::Str(format!("/{}", short.to_lowercase())),
        v => v,
    };
    let node = flask.blueprint(name, route_base);
    let names = |name: &str, default: Option<&[&str]>| -> Result<Option<Names>, String> {
        match classes::attr(project, class, name) {
            Some(_) => match cx.class_attr(class, name) {
                Val::None => Ok(None),
                v @ (Val::List(_) | Val::Tuple(_)) => Ok(Some(Names::Listed(v.strings()))),
                Val::Str(s) => Ok(Some(Names::Text(s))),
                _ => Err(format!("{name} of {short} is not known statically")),
            },
            None => Ok(default.map(|d| Names::Listed(d.iter().map(|s| s.to_string()).collect()))),
        }
    };
    let filter = names("include_route_methods", first.and_then(|l| l.include)).and_then(|inc| {
        names(
            "exclude_route_methods",
            Some(first.map_or(&[], |l| l.exclude)),
        )
        .map(|exc| (inc, exc))
    });
    let (include, exclude) = match filter {
        Ok(f) => f,
        Err(why) => {
            let at = (cx.source().path.clone(), c.pos.line);
            flask.declare(KIND, node.clone(), Declared::unknown(why), at);
            return node;
        }
    };
    let mut rules = rules(cx, &mro, &libs);
    rules.retain(|r| {
        include.as_ref().is_none_or(|i| i.has(&r.attr))
            && !exclude.as_ref().is_some_and(|e| e.has(&r.attr))
    });
    // `dir()` lists attributes by name
    rules.sort_by(|a, b| a.attr.cmp(&b.attr));
    for r in rules {
        let at =
            r.at.clone()
                .unwrap_or((cx.source().path.clone(), c.pos.line));
        let d = Declared {
            rule: r.url,
            endpoint: Some(Val::Str(r.attr.clone())),
            methods: r.methods,
            view: View::Function(Some(r.view), r.attr),
        };
        flask.declare(KIND, node.clone(), d, at);
    }
    node
}

/// What `include_route_methods` / `exclude_route_methods` hold: the library
/// tests `name in ...`, so a string (`RouteMethod.GET`) is a substring test.
enum Names {
    Listed(Vec<String>),
    Text(String),
}

impl Names {
    fn has(&self, name: &str) -> bool {
        match self {
            Names::Listed(l) => l.iter().any(|n| n == name),
            Names::Text(t) => t.contains(name),
        }
    }
}

/// One rule of a view: the attribute (its endpoint), the url and methods
/// `@expose` gave it, the function's id and, for the project's, its place.
struct Rule {
    attr: String,
    url: Val,
    methods: Option<Val>,
    view: String,
    at: Option<(String, u32)>,
}

/// The rules along the MRO: a name the project's classes define decides
/// (with its `@expose` rules, or none), then the library's classes in order.
fn rules(cx: &Cx, mro: &[String], libs: &[&LibraryView]) -> Vec<Rule> {
    let project = cx.project();
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for k in mro {
        let Some((m, cd)) = classes::find(project, k) else {
            continue;
        };
        for fd in cd.methods() {
            if seen.iter().any(|s| *s == *fd.name) {
                continue;
            }
            seen.push(fd.name.to_string());
            for (url, methods) in exposed(cx, m, fd) {
                out.push(Rule {
                    attr: fd.name.to_string(),
                    url,
                    methods: Some(methods),
                    view: format!("{k}.{}", fd.name),
                    at: Some((m.path.clone(), fd.pos.line)),
                });
            }
        }
    }
    for lib in libs {
        let mut own: Vec<&str> = Vec::new();
        for &(attr, url, methods) in lib.rules {
            if seen.iter().any(|s| s == attr) {
                continue;
            }
            own.push(attr);
            out.push(Rule {
                attr: attr.to_string(),
                url: Val::Str(url.to_string()),
                methods: Some(Val::List(
                    methods.iter().map(|m| Val::Str(m.to_string())).collect(),
                )),
                view: format!("{}.{attr}", lib.names[0]),
                at: None,
            });
        }
        seen.extend(own.into_iter().map(String::from));
    }
    out
}

/// The `(url, methods)` pairs a method's `@expose(url, methods)` /
/// `@expose_api(name, url, methods)` decorators leave on it, in the order
/// they apply (the one nearest the `def` first).
fn exposed(cx: &Cx, m: &crate::python::SourceModule, fd: &FuncDef) -> Vec<(Val, Val)> {
    let project = cx.project();
    let get = Val::List(vec![Val::Str("GET".into())]);
    fd.decorators
        .iter()
        .rev()
        .filter_map(|d| {
            let Expr::Call(call) = d else { return None };
            let callee = project.resolver.resolve(&m.module, &call.func.dotted()?);
            let (package, name) = callee.rsplit_once('.')?;
            if !package.starts_with("flask_appbuilder") {
                return None;
            }
            let eval = |e: &Expr| cx.eval_in(m, e);
            let methods = |i: usize| call.arg(i, "methods").map_or(get.clone(), eval);
            match name {
                "expose" => Some((
                    call.arg(0, "url").map_or(Val::Str("/".into()), eval),
                    methods(1),
                )),
                "expose_api" => {
                    let given = call.arg(1, "url").map(eval);
                    let url = match given {
                        Some(Val::Str(u)) if !u.is_empty() => Val::Str(u),
                        None | Some(Val::Str(_)) => match call.arg(0, "name").map(eval) {
                            None => Val::Str("/api/".into()),
                            Some(Val::Str(n)) => Val::Str(format!("/api/{n}")),
                            Some(other) => other,
                        },
                        Some(other) => other,
                    };
                    Some((url, methods(2)))
                }
                _ => None,
            }
        })
        .collect()
}
