//! flask-smorest's `Api` as a built-in of the interpreter, following
//! flask-smorest 0.45: `Api(app)` or `Api()` then `init_app(app)` keeps the
//! app, and `api.register_blueprint(blp, *, parameters=None, **options)`
//! registers the blueprint on it as `app.register_blueprint(blp, **options)`
//! does. A blueprint registered before the Api has an app is registered
//! nowhere (flask-smorest fails there). The Api's own documentation
//! blueprint depends on `OPENAPI_*` configuration and is not modelled.
//!
//! An Api held anywhere (a project subclass whose `init_app` calls `super()`,
//! a parameter of a registering helper, a loop over modules each given the
//! Api) is followed like any other value.

use super::builtins::{Flask, Node, node_of};
use crate::python::interp::{Cx, HostValue, Val};
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
}

impl HostValue for Api {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `Api(app=None, *, spec_kwargs=None)`, or a project subclass's call of it.
pub fn make(cx: &Cx, c: &Call) -> Val {
    let app = cx.argument(c, 0, "app").as_ref().and_then(node_of);
    Val::host(Api {
        app: RefCell::new(app.filter(|n| n.app)),
    })
}

/// `api.init_app(app)` / `api.register_blueprint(blp, ...)`; `None` for
/// other receivers.
pub fn method(flask: &Flask, cx: &Cx, recv: &Val, method: &str, c: &Call) -> Option<Val> {
    let api = recv.downcast_rc::<Api>()?;
    match method {
        "init_app" => {
            let app = cx.argument(c, 0, "app").as_ref().and_then(node_of);
            *api.app.borrow_mut() = app.filter(|n| n.app);
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
