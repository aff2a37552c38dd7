//! flask-smorest's `Api` as a built-in of the interpreter, following
//! flask-smorest 0.45: `Api(app)` or `Api()` then `init_app(app)` keeps the
//! app, and `api.register_blueprint(blp, *, parameters=None, **options)`
//! registers the blueprint on it as `app.register_blueprint(blp, **options)`
//! does. A blueprint registered before the Api has an app is registered
//! nowhere (flask-smorest fails there). When the Api gets its app, it
//! registers its own documentation blueprint (`api-docs`) as
//! `_register_doc_blueprint` does, from the app's `OPENAPI_*` configuration
//! (under the Api's `config_prefix`).
//!
//! An Api held anywhere (a project subclass whose `init_app` calls `super()`,
//! a parameter of a registering helper, a loop over modules each given the
//! Api) is followed like any other value.

use super::builtins::{Declared, Flask, Node, View, node_of};
use crate::python::interp::{Cx, Host, HostValue, Val};
use crate::python::ir::Call;
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// flask-smorest's class.
pub const API_CLASSES: &[&str] = &["flask_smorest.Api"];

#[derive(Debug)]
pub struct Api {
    /// The app given to the constructor or `init_app`.
    app: RefCell<Option<Rc<Node>>>,
    /// `config_prefix`, normalized as flask-smorest does (upper case, `_` appended).
    prefix: Val,
}

impl HostValue for Api {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `Api(app=None, *, spec_kwargs=None, config_prefix="")`, or a project subclass's call of it.
pub fn make(flask: &Flask, cx: &Cx, c: &Call) -> Val {
    let prefix = match cx.kwarg(c, "config_prefix") {
        None => Val::Str(String::new()),
        Some(Val::Str(p)) if p.is_empty() || p.ends_with('_') => Val::Str(p.to_uppercase()),
        Some(Val::Str(p)) => Val::Str(format!("{}_", p.to_uppercase())),
        Some(_) => Val::Unknown("config_prefix not known".into()),
    };
    let api = Api {
        app: RefCell::new(None),
        prefix,
    };
    if let Some(app) = cx.argument(c, 0, "app").as_ref().and_then(node_of) {
        init_app(flask, cx, c, &api, app);
    }
    Val::host(api)
}

/// `init_app(app)`: the app kept, its documentation blueprint registered.
fn init_app(flask: &Flask, cx: &Cx, c: &Call, api: &Api, app: Rc<Node>) {
    if !app.app {
        return;
    }
    *api.app.borrow_mut() = Some(app.clone());
    let Val::Str(prefix) = &api.prefix else {
        return;
    };
    let Some(config) = flask.attr(cx, &Val::Host(app.clone()), "config") else {
        return;
    };
    let get = |key: &str, default: Val| {
        super::config::get(cx, &config, &format!("{prefix}{key}"), default)
    };
    let slash = |v: Val| match v {
        Val::Str(s) if s.starts_with('/') => Val::Str(s),
        Val::Str(s) => Val::Str(format!("/{s}")),
        other => other,
    };
    // a setting not known: whether the blueprint exists is not known either
    let url_prefix = match get("OPENAPI_URL_PREFIX", Val::None) {
        v @ Val::Str(_) => slash(v),
        _ => return,
    };
    let name = format!("{prefix}api-docs").replace('_', "-").to_lowercase();
    let docs = flask.blueprint(Val::Str(name), url_prefix);
    let at = (cx.source().path.clone(), c.pos.line);
    let declare = |rule: Val, endpoint: &str| {
        let d = Declared {
            rule: slash(rule),
            endpoint: Some(Val::Str(endpoint.to_string())),
            methods: None,
            view: View::Unknown,
        };
        flask.declare("add_url_rule", docs.clone(), d, at.clone());
    };
    declare(
        get("OPENAPI_JSON_PATH", Val::Str("openapi.json".into())),
        "openapi_json",
    );
    // each UI is served only when both its path and its script's URL are set
    for (path, url, endpoint) in [
        ("OPENAPI_REDOC_PATH", "OPENAPI_REDOC_URL", "openapi_redoc"),
        (
            "OPENAPI_SWAGGER_UI_PATH",
            "OPENAPI_SWAGGER_UI_URL",
            "openapi_swagger_ui",
        ),
        (
            "OPENAPI_RAPIDOC_PATH",
            "OPENAPI_RAPIDOC_URL",
            "openapi_rapidoc",
        ),
    ] {
        if let (rule @ Val::Str(_), Val::Str(_)) = (get(path, Val::None), get(url, Val::None)) {
            declare(rule, endpoint);
        }
    }
    flask.edge(cx, c, app, docs, None, None);
}

/// `api.init_app(app)` / `api.register_blueprint(blp, ...)`; `None` for
/// other receivers.
pub fn method(flask: &Flask, cx: &Cx, recv: &Val, method: &str, c: &Call) -> Option<Val> {
    let api = recv.downcast_rc::<Api>()?;
    match method {
        "init_app" => {
            if let Some(app) = cx.argument(c, 0, "app").as_ref().and_then(node_of) {
                init_app(flask, cx, c, &api, app);
            }
            Some(Val::None)
        }
        "register_blueprint" => {
            if let Some(app) = api.app.borrow().clone() {
                flask.register_blueprint(cx, &Val::Host(app), c);
            }
            Some(Val::None)
        }
        _ => None,
    }
}
