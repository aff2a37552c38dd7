//! Flask-RESTful's `Api` as a built-in of the interpreter: made on an app or a
//! blueprint (or bare, then `init_app`), it declares one rule per URL given to
//! `add_resource(Resource, *urls, endpoint=...)` on the object it is attached
//! to, as `Api._register_view` does: the rule is the Api's `prefix` plus the
//! URL (a blueprint's prefix comes first, when it is registered), the
//! endpoint `endpoint=` or the resource class's name in lower case, the
//! methods those of the resource class. Resources added before `init_app`
//! are kept and declared on every app it is given, as `Api.resources` is.
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

/// One `add_resource` URL, kept until the Api has an app or blueprint.
#[derive(Debug)]
struct Resource {
    declared: Declared,
    at: (String, u32),
    not_run: Option<String>,
}

#[derive(Debug)]
pub struct Api {
    prefix: Val,
    node: RefCell<Option<Rc<Node>>>,
    resources: RefCell<Vec<Rc<Resource>>>,
}

impl HostValue for Api {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `Api(app=None, prefix="", ...)`, or a project subclass's call of it.
pub fn make(flask: &Flask, cx: &Cx, c: &Call) -> Val {
    let positional = cx.positional(c);
    let arg = |i: usize, name: &str| match &positional {
        Some(args) if i < args.len() => Some(args[i].clone()),
        Some(_) => cx.kwarg(c, name),
        None => Some(Val::Unknown("*args".into())),
    };
    let api = Rc::new(Api {
        prefix: arg(1, "prefix").unwrap_or(Val::Str(String::new())),
        node: RefCell::new(None),
        resources: RefCell::default(),
    });
    if let Some(node) = arg(0, "app").as_ref().and_then(node_of) {
        attach(flask, &api, node);
    }
    Val::Host(api)
}

/// `api.init_app(app)` / `api.add_resource(...)`; `None` for other receivers.
pub fn method(flask: &Flask, cx: &Cx, recv: &Val, method: &str, c: &Call) -> Option<Val> {
    let api = recv.downcast_rc::<Api>()?;
    match method {
        "init_app" => {
            if let Some(node) = c
                .arg(0, "app")
                .map(|a| cx.eval(a))
                .as_ref()
                .and_then(node_of)
            {
                attach(flask, &api, node);
            }
            Some(Val::None)
        }
        "add_resource" => {
            add_resource(flask, cx, &api, c);
            Some(Val::None)
        }
        _ => None,
    }
}

fn attach(flask: &Flask, api: &Api, node: Rc<Node>) {
    *api.node.borrow_mut() = Some(node.clone());
    for r in api.resources.borrow().iter() {
        declare(flask, &node, r);
    }
}

fn declare(flask: &Flask, node: &Rc<Node>, r: &Resource) {
    let d = &r.declared;
    flask.declare_as(
        "resource",
        node.clone(),
        Declared {
            rule: d.rule.clone(),
            endpoint: d.endpoint.clone(),
            methods: None,
            view: d.view.clone(),
        },
        r.at.clone(),
        r.not_run.clone(),
    );
}

/// `add_resource(resource, *urls, endpoint=None, **kwargs)`.
fn add_resource(flask: &Flask, cx: &Cx, api: &Api, c: &Call) {
    let at = (cx.source().path.clone(), c.pos.line);
    let Some(args) = cx.positional(c) else {
        let r = Resource {
            declared: Declared::unknown("add_resource(*args) not known statically"),
            at,
            not_run: flask.not_run.borrow().clone(),
        };
        return keep(flask, api, r);
    };
    let Some((resource, urls)) = args.split_first() else {
        return;
    };
    let class = match resource {
        Val::Class(k) => Some(k.clone()),
        Val::Expr(e) => abs_dotted(e),
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
    for url in urls {
        let rule = match (&api.prefix, url) {
            (Val::Str(p), Val::Str(u)) => Val::Str(format!("{p}{u}")),
            (Val::Str(_), u) => u.clone(),
            (p, _) => p.clone(),
        };
        let r = Resource {
            declared: Declared {
                rule,
                endpoint: Some(endpoint.clone()),
                methods: None,
                view: View::Class(class.clone(), None),
            },
            at: at.clone(),
            not_run: flask.not_run.borrow().clone(),
        };
        keep(flask, api, r);
    }
}

fn keep(flask: &Flask, api: &Api, r: Resource) {
    let r = Rc::new(r);
    if let Some(node) = api.node.borrow().as_ref() {
        declare(flask, node, &r);
    }
    api.resources.borrow_mut().push(r);
}
