//! Flask as built-ins of the Python interpreter (`python::interp`): the app
//! and blueprint objects start-up code makes, and `register_blueprint`, which
//! mounts one on the other. Running the start-up code (module top levels,
//! app factories, the functions they call) with these built-ins gives the
//! blueprint tree as Flask builds it: blueprints passed through parameters,
//! tuples and loops, prefixes built with f-strings, nested blueprints.

use super::objects::{APP_CLASSES, Kind, Objects};
use crate::python::classes;
use crate::python::interp::{Cx, Host, HostValue, Val};
use crate::python::ir::Call;
use rustc_hash::FxHashMap as HashMap;
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// A blueprint or an application, as one object of the running code.
#[derive(Debug)]
pub struct Node {
    pub app: bool,
    /// The id `objects` gives the statement that made it (`pkg.views.bp`).
    pub id: Option<String>,
    /// The blueprint's name and URL prefix as its constructor was given them.
    pub name: Val,
    pub url_prefix: Val,
}

impl HostValue for Node {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `parent.register_blueprint(child, url_prefix=..., name=...)`, as run.
#[derive(Debug)]
pub struct Edge {
    pub parent: Rc<Node>,
    pub child: Rc<Node>,
    /// The options given (`None`: not given, the blueprint's own apply).
    pub url_prefix: Option<Val>,
    pub name: Option<Val>,
    /// Why the registration may never run (it ran only because crossport
    /// called the function that makes it, which nothing is seen to call).
    pub not_run: Option<String>,
}

/// Flask's state while the interpreter runs the start-up code.
pub struct Flask<'o> {
    objs: &'o Objects,
    /// Objects by the (file, line) of the statement that makes them.
    made_at: HashMap<(String, u32), String>,
    /// Modules that import Flask: there, a receiver not known is the app
    /// (`def init(app): app.register_blueprint(bp)`).
    flask_modules: &'o rustc_hash::FxHashSet<String>,
    pub nodes: RefCell<Vec<Rc<Node>>>,
    pub edges: RefCell<Vec<Edge>>,
    /// The app assumed where the receiver is not known.
    assumed_app: Rc<Node>,
    /// Set while a function runs that no start-up code is seen to call.
    pub not_run: RefCell<Option<String>>,
}

impl<'o> Flask<'o> {
    pub fn new(objs: &'o Objects, flask_modules: &'o rustc_hash::FxHashSet<String>) -> Self {
        let made_at = objs
            .by_id
            .values()
            .filter(|o| matches!(o.kind, Kind::App | Kind::Blueprint))
            .map(|o| ((o.file.clone(), o.line), o.id.clone()))
            .collect();
        Flask {
            objs,
            made_at,
            flask_modules,
            nodes: RefCell::new(Vec::new()),
            edges: RefCell::new(Vec::new()),
            assumed_app: Rc::new(Node {
                app: true,
                id: None,
                name: Val::None,
                url_prefix: Val::None,
            }),
            not_run: RefCell::new(None),
        }
    }

    /// A new app or blueprint made by the call `c` in the running code. When
    /// a project subclass has an `__init__` of its own (`init`), the
    /// blueprint's name and prefix are whatever it passes on: not known here.
    fn make(&self, cx: &Cx, app: bool, c: &Call, init: Option<&str>) -> Val {
        let key = (cx.source().path.clone(), c.pos.line);
        let id = self
            .made_at
            .get(&key)
            .filter(|id| self.objs.kind(id) == Some(if app { Kind::App } else { Kind::Blueprint }))
            .cloned();
        let arg = |i: usize, name: &str| match c.arg(i, name) {
            Some(e) => cx.eval(e),
            None => Val::None,
        };
        let (name, url_prefix) = match init {
            _ if app => (Val::None, Val::None),
            Some(class) => {
                let why = || Val::Unknown(format!("set by {class}.__init__"));
                (why(), why())
            }
            None => (
                arg(0, "name"),
                c.kwarg("url_prefix").map_or(Val::None, |e| cx.eval(e)),
            ),
        };
        let node = Rc::new(Node {
            app,
            id,
            name,
            url_prefix,
        });
        self.nodes.borrow_mut().push(node.clone());
        Val::Host(node)
    }

    fn register(&self, cx: &Cx, parent: Rc<Node>, c: &Call) -> Val {
        let Some(child) = c.arg(0, "blueprint").map(|e| cx.eval(e)) else {
            return Val::None;
        };
        let Some(child) = node_of(&child) else {
            return Val::None;
        };
        let opt = |name: &str| c.kwarg(name).map(|e| cx.eval(e));
        self.edges.borrow_mut().push(Edge {
            parent,
            child,
            url_prefix: opt("url_prefix"),
            name: opt("name"),
            not_run: self.not_run.borrow().clone(),
        });
        Val::None
    }
}

/// The app or blueprint a value is.
pub fn node_of(v: &Val) -> Option<Rc<Node>> {
    v.downcast_rc::<Node>()
}

/// Whether a class of Flask's (or of a Flask extension's) is the app or a blueprint.
fn kind_of(class: &str) -> Option<bool> {
    if APP_CLASSES.contains(&class) {
        return Some(true);
    }
    super::objects::CONSTRUCTORS
        .iter()
        .find(|(n, k)| *n == class && *k == Kind::Blueprint)
        .map(|_| false)
}

impl Host for Flask<'_> {
    fn call(&self, cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
        kind_of(canonical).map(|app| self.make(cx, app, c, None))
    }

    /// A project class deriving from Flask's app or blueprint class.
    fn instantiate(&self, cx: &Cx, class: &str, base: &str, c: &Call) -> Option<Val> {
        let app = kind_of(base)?;
        let project = cx.project();
        let init = classes::mro(project, class).into_iter().find(|k| {
            classes::find(project, k)
                .is_some_and(|(_, cd)| cd.methods().any(|f| f.name == "__init__"))
        });
        Some(self.make(cx, app, c, init.as_deref()))
    }

    fn method(&self, cx: &Cx, recv: &Val, method: &str, c: &Call) -> Option<Val> {
        if method != "register_blueprint" {
            return None;
        }
        let parent = match recv {
            Val::Host(_) => node_of(recv)?,
            // `def init(app): app.register_blueprint(bp)` in a Flask module
            _ if self.flask_modules.contains(&cx.source().module) => self.assumed_app.clone(),
            _ => return None,
        };
        Some(self.register(cx, parent, c))
    }

    fn lenient(&self) -> bool {
        true
    }
}
