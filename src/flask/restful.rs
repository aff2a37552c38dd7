//! Flask-RESTful's `Api` as a built-in of the interpreter, following
//! flask-restful 0.3's `Api`: each URL given to `add_resource(Resource, *urls,
//! endpoint=..., methods=...)` is a rule on the app or blueprint the Api
//! registers it on, the endpoint `endpoint=` or the class name in lower case,
//! the methods those of the resource class unless `methods=` is given.
//!
//! - `Api(app_or_blueprint, prefix=...)`: every later resource is registered
//!   at once. On an app the rule is the Api's URL parts in `url_part_order`
//!   (`prefix` then URL by default); on a blueprint the blueprint's prefix
//!   comes first when it is registered, so only the default order is known.
//! - A bare `Api()` keeps its resources. `init_app(app)` registers those it
//!   has then (not later ones: the Api still has no app); `init_app(blueprint)`
//!   registers, when the blueprint is registered, every resource it has by
//!   then, under the blueprint's prefix without the Api's own (flask-restful's
//!   patched `BlueprintSetupState.add_url_rule` drops it): start-up code
//!   registers the blueprint after adding resources, so each is declared as
//!   it is added.
//!
//! An Api held anywhere (an instance attribute, a list, a parameter) is
//! followed like any other value.

use super::builtins::{Declared, Flask, Node, View, node_of};
use crate::python::interp::{Cx, HostValue, Val, abs_dotted};
use crate::python::ir::Call;
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// Flask-RESTful's class, and a subclass in another package that registers
/// resources as its base does (its source is not scanned).
pub const API_CLASSES: &[&str] = &["flask_restful.Api", "flask_restful_swagger_2.Api"];

/// One resource as `add_resource` was given it.
#[derive(Debug)]
struct Resource {
    class: Option<String>,
    urls: Vec<Val>,
    endpoint: Val,
    methods: Option<Val>,
    at: (String, u32),
    not_run: Option<String>,
}

#[derive(Debug)]
pub struct Api {
    prefix: Val,
    url_part_order: Val,
    /// The app or blueprint the constructor was given.
    app: Option<Rc<Node>>,
    /// The blueprint a bare Api was given by `init_app`.
    blueprint: RefCell<Option<Rc<Node>>>,
    /// A bare Api was given an app by `init_app`: a resource added later is
    /// registered nowhere (until another `init_app`).
    initialised: std::cell::Cell<bool>,
    /// What a bare Api was given, in order.
    resources: RefCell<Vec<Resource>>,
}

impl HostValue for Api {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `Api(app=None, prefix="", ..., url_part_order="bae", ...)`, or a project
/// subclass's call of it.
pub fn make(cx: &Cx, c: &Call) -> Val {
    let arg = |i: usize, name: &str| cx.argument(c, i, name);
    let prefix = match arg(1, "prefix") {
        None | Some(Val::None) => Val::Str(String::new()),
        Some(p) => p,
    };
    Val::host(Api {
        prefix,
        url_part_order: arg(6, "url_part_order").unwrap_or(Val::Str("bae".into())),
        app: arg(0, "app").as_ref().and_then(node_of),
        blueprint: RefCell::default(),
        initialised: std::cell::Cell::new(false),
        resources: RefCell::default(),
    })
}

/// `api.init_app(app)` / `api.add_resource(...)`; `None` for other receivers.
pub fn method(flask: &Flask, cx: &Cx, recv: &Val, method: &str, c: &Call) -> Option<Val> {
    let api = recv.downcast_rc::<Api>()?;
    match method {
        // the constructor's app is initialised already
        "init_app" if api.app.is_none() => {
            let target = c.arg(0, "app").map(|a| cx.eval(a));
            match target.as_ref().and_then(node_of) {
                Some(node) if node.app => {
                    for r in api.resources.borrow().iter() {
                        declare(flask, &node, r, |u| rule_on_app(&api, u));
                    }
                    api.initialised.set(true);
                }
                Some(bp) => {
                    for r in api.resources.borrow().iter() {
                        declare(flask, &bp, r, |u| u.clone());
                    }
                    *api.blueprint.borrow_mut() = Some(bp);
                }
                None => {}
            }
            Some(Val::None)
        }
        "add_resource" => {
            let r = resource(flask, cx, c);
            match (&api.app, api.blueprint.borrow().as_ref()) {
                (Some(node), _) if node.app => declare(flask, node, &r, |u| rule_on_app(&api, u)),
                (Some(bp), _) => declare(flask, bp, &r, |u| on_blueprint(&api, u)),
                (None, Some(bp)) => declare(flask, bp, &r, |u| u.clone()),
                // kept for a later `init_app(app)`: after one, the statement
                // registered nothing (without one, what the walk read stands)
                (None, None) if api.initialised.get() => {
                    flask.declared_nothing.borrow_mut().push(r.at.clone())
                }
                (None, None) => {}
            }
            if api.app.is_none() {
                api.resources.borrow_mut().push(r);
            }
            Some(Val::None)
        }
        _ => None,
    }
}

/// `add_resource(resource, *urls, endpoint=None, **kwargs)` as given.
fn resource(flask: &Flask, cx: &Cx, c: &Call) -> Resource {
    let at = (cx.source().path.clone(), c.pos.line);
    let not_run = flask.not_run.borrow().clone();
    let Some(args) = cx.positional(c) else {
        let why = Val::Unknown("add_resource(*args) not known statically".into());
        return Resource {
            class: None,
            urls: vec![why.clone()],
            endpoint: why,
            methods: None,
            at,
            not_run,
        };
    };
    let class = match args.first() {
        Some(Val::Class(k)) => Some(k.clone()),
        Some(Val::Expr(e)) => abs_dotted(e),
        _ => None,
    };
    // `endpoint or resource.__name__.lower()`
    let endpoint = match cx.kwarg(c, "endpoint") {
        None | Some(Val::None) => class
            .as_deref()
            .map(|k| Val::Str(k.rsplit('.').next().unwrap_or(k).to_lowercase()))
            .unwrap_or_else(|| Val::Unknown("the resource class is not known".into())),
        Some(e) => e,
    };
    Resource {
        class,
        urls: args.get(1..).unwrap_or_default().to_vec(),
        endpoint,
        methods: cx.kwarg(c, "methods"),
        at,
        not_run,
    }
}

/// `_complete_url(url, "")`: the Api's parts in `url_part_order`, empty ones left out.
fn rule_on_app(api: &Api, url: &Val) -> Val {
    let (Val::Str(order), Val::Str(prefix), Val::Str(url)) =
        (&api.url_part_order, &api.prefix, url)
    else {
        return unknown_parts(api, url);
    };
    let rule = order
        .chars()
        .map(|k| match k {
            'a' => prefix.as_str(),
            'e' => url.as_str(),
            _ => "",
        })
        .collect();
    Val::Str(rule)
}

/// On a blueprint the registration prefix comes first (default order): the
/// Api's prefix, then the URL.
fn on_blueprint(api: &Api, url: &Val) -> Val {
    match &api.url_part_order {
        Val::Str(order) if order != "bae" => Val::Unknown(format!(
            "url_part_order {order:?}: the blueprint's prefix is not first"
        )),
        _ => rule_on_app(api, url),
    }
}

/// The first part of a rule that is not a known string, as the reason.
fn unknown_parts(api: &Api, url: &Val) -> Val {
    [url, &api.prefix, &api.url_part_order]
        .into_iter()
        .find(|v| !matches!(v, Val::Str(_)))
        .map_or_else(
            || Val::Unknown("rule".into()),
            |v| match v {
                Val::Unknown(why) => Val::Unknown(why.clone()),
                _ => Val::Unknown("a URL part that is not a string".into()),
            },
        )
}

/// One rule per URL of `r` on `node`, each made by `rule`.
fn declare(flask: &Flask, node: &Rc<Node>, r: &Resource, rule: impl Fn(&Val) -> Val) {
    for url in &r.urls {
        flask.declare_as(
            "resource",
            node.clone(),
            Declared {
                rule: rule(url),
                endpoint: Some(r.endpoint.clone()),
                methods: r.methods.clone(),
                view: View::Class(r.class.clone(), None),
            },
            r.at.clone(),
            r.not_run.clone(),
        );
    }
}
