//! Flask as built-ins of the Python interpreter (`python::interp`): the app
//! and blueprint objects start-up code makes, `register_blueprint`, which
//! mounts one on the other, and the routes declared on them (`add_url_rule`,
//! `@bp.route`, `@bp.get`). Running the start-up code (module top levels,
//! app factories, the functions they call) with these built-ins gives the
//! blueprint tree and the rules as Flask builds them: blueprints passed
//! through parameters, tuples and loops, prefixes built with f-strings,
//! nested blueprints, `Blueprint` subclasses with their own `__init__` and
//! `register`, rules built in helpers and classmethods.

use super::objects::{APP_CLASSES, Kind, Objects};
use super::routes::VERB_DECORATORS;
use crate::python::interp::{Cx, Host, HostValue, SelfCall, Val, abs_dotted, parent_path};
use crate::python::ir::{Call, Expr, FuncDef, Stmt};
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
    /// Where the running code made it (file, line); `None` for what a
    /// library makes and the app assumed for an unknown receiver.
    pub made_at: Option<(String, u32)>,
    /// The blueprint's name and URL prefix as its constructor was given them.
    pub name: Val,
    pub url_prefix: Val,
    /// A blueprint's `static_folder` as given (`None`: not given); an app's,
    /// Flask's default `"static"` when not given.
    pub static_folder: Val,
    /// The `static_url_path` an app or blueprint was given (`None`: not given).
    pub static_url_path: Val,
    /// Why the values above may no longer hold (the code assigned one of
    /// them after the object was made).
    pub changed: RefCell<Option<String>>,
    /// Other attributes the code set on it (`app.appbuilder = self`), read
    /// back as set.
    pub attrs: RefCell<Vec<(String, Val)>>,
}

impl Node {
    fn value(&self, v: &Val) -> Val {
        match &*self.changed.borrow() {
            Some(why) => Val::Unknown(why.clone()),
            None => v.clone(),
        }
    }
    pub fn name(&self) -> Val {
        self.value(&self.name)
    }
    pub fn url_prefix(&self) -> Val {
        self.value(&self.url_prefix)
    }
    pub fn static_folder(&self) -> Val {
        self.value(&self.static_folder)
    }
    pub fn static_url_path(&self) -> Val {
        self.value(&self.static_url_path)
    }
    /// `obj.static_url_path` as Flask reads it: the one given, else made from
    /// the static folder's name (`None` without a static folder).
    fn effective_static_url_path(&self) -> Val {
        match (self.static_url_path(), self.static_folder()) {
            (Val::None, Val::Str(folder)) => Val::Str(url_path_for(&folder)),
            (Val::None, Val::None) => Val::None,
            (Val::None, _) => {
                Val::Unknown("static_url_path: the static folder is not known".into())
            }
            (given, _) => given,
        }
    }
    /// An attribute the code set on it (`app.appbuilder = self`).
    pub fn attr(&self, name: &str) -> Option<Val> {
        self.attrs
            .borrow()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
    /// Sets one, as `obj.name = v` does.
    pub fn set(&self, name: &str, v: Val) {
        let mut attrs = self.attrs.borrow_mut();
        attrs.retain(|(k, _)| k != name);
        attrs.push((name.to_string(), v));
    }
}

impl HostValue for Node {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `static_url_path` default: "/" + the folder's last path component.
pub(super) fn url_path_for(folder: &str) -> String {
    let base = folder
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(folder);
    format!("/{base}")
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
    /// The statement that made it (file, line).
    pub at: (String, u32),
}

/// The rule a `route()`, `get()`... call is given.
fn rule_arg(cx: &Cx, c: &Call) -> Val {
    c.arg(0, "rule")
        .map_or(Val::Unknown("no rule argument".into()), |e| cx.eval(e))
}

/// `@bp.route(rule, ...)` / `@bp.get(rule)` before it is applied to a function.
#[derive(Debug)]
struct Decorator {
    node: Rc<Node>,
    rule: Val,
    endpoint: Option<Val>,
    methods: Option<Val>,
    /// `@bp.get`: the one method.
    verb: Option<String>,
    line: u32,
}

impl HostValue for Decorator {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The view a rule is given, as far as the running code shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    /// A function (canonical id when known; its `__name__`).
    Function(Option<String>, String),
    /// `Cls.as_view(name, ...)`: the class and the name given.
    Class(Option<String>, Option<String>),
    Unknown,
}

/// A route declared on an app or blueprint while the start-up code ran.
#[derive(Debug)]
pub struct RouteDecl {
    pub node: Rc<Node>,
    pub rule: Val,
    pub endpoint: Option<Val>,
    pub methods: Option<Val>,
    pub verb: Option<String>,
    pub view: View,
    pub file: String,
    pub line: u32,
    pub kind: &'static str,
    pub not_run: Option<String>,
    /// The calls of project code it was declared under (file, line): a
    /// subclass's `add_url_rule` calling Flask's declares what the call of
    /// the subclass's method at the outer statement declares.
    pub via: Vec<(String, u32)>,
}

/// What a declaration says about one rule (`add_url_rule`, a view class's
/// method, an API's operation); `Flask::declare` records where it was made
/// and whether that code is seen to run.
#[derive(Debug)]
pub struct Declared {
    pub rule: Val,
    pub endpoint: Option<Val>,
    pub methods: Option<Val>,
    pub view: View,
}

impl Declared {
    /// A declaration whose rules are not known, and why.
    pub fn unknown(why: impl Into<String>) -> Self {
        Declared {
            rule: Val::Unknown(why.into()),
            endpoint: None,
            methods: None,
            view: View::Unknown,
        }
    }
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
    pub routes: RefCell<Vec<RouteDecl>>,
    /// Statements that ran and declared no rule (file, line): a resource
    /// added to an Api that registers it nowhere.
    pub declared_nothing: RefCell<Vec<(String, u32)>>,
    /// The app assumed where the receiver is not known.
    assumed_app: Rc<Node>,
    /// Set while a function runs that no start-up code is seen to call.
    pub not_run: RefCell<Option<String>>,
    /// The apps whose context is pushed (`with app.app_context():`),
    /// innermost last: `flask.current_app` is the last.
    contexts: RefCell<Vec<Rc<Node>>>,
    config_names: super::config::NamedInCode,
}

/// `app.app_context()` / `app.test_request_context()`: entering pushes the
/// app, leaving pops it.
#[derive(Debug)]
struct AppContext(Rc<Node>);

impl crate::python::interp::HostValue for AppContext {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Flask's proxy to the app of the innermost pushed context.
pub(super) const CURRENT_APP: &[&str] = &["flask.current_app", "flask.globals.current_app"];

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
            routes: RefCell::new(Vec::new()),
            declared_nothing: RefCell::default(),
            assumed_app: Rc::new(Node {
                app: true,
                id: None,
                made_at: None,
                name: Val::None,
                url_prefix: Val::None,
                static_folder: Val::None,
                static_url_path: Val::None,
                changed: RefCell::new(None),
                attrs: RefCell::default(),
            }),
            not_run: RefCell::new(None),
            contexts: RefCell::default(),
            config_names: Default::default(),
        }
    }

    /// `with app.app_context():` entered or left.
    fn context(&self, recv: &Val, method: &str) -> Option<Val> {
        let ctx = recv.downcast::<AppContext>()?;
        let mut stack = self.contexts.borrow_mut();
        Some(match method {
            "__enter__" => {
                stack.push(ctx.0.clone());
                recv.clone()
            }
            "__exit__" => {
                stack.pop();
                Val::None
            }
            _ => return None,
        })
    }

    /// A new app or blueprint made by the call `c` in the running code (a
    /// project subclass's `super().__init__(...)` included).
    fn make(&self, cx: &Cx, app: bool, c: &Call, made_at: (&str, u32)) -> Val {
        let key = (made_at.0.to_string(), made_at.1);
        let id = self
            .made_at
            .get(&key)
            .filter(|id| self.objs.kind(id) == Some(if app { Kind::App } else { Kind::Blueprint }))
            .cloned();
        // Blueprint(name, import_name, static_folder=None, static_url_path=None, ...)
        let positional = cx.positional(c);
        let arg_or = |i: usize, name: &str, default: Val| match &positional {
            Some(args) if i < args.len() => args[i].clone(),
            Some(_) => cx.kwarg(c, name).unwrap_or(default),
            None => Val::Unknown("*args".into()),
        };
        let arg = |i: usize, name: &str| arg_or(i, name, Val::None);
        let node = Rc::new(if app {
            // Flask(import_name, static_url_path=None, static_folder="static", ...)
            Node {
                app,
                id,
                made_at: Some(key),
                name: Val::None,
                url_prefix: Val::None,
                static_folder: arg_or(2, "static_folder", Val::Str("static".into())),
                static_url_path: arg(1, "static_url_path"),
                changed: RefCell::new(None),
                attrs: RefCell::default(),
            }
        } else {
            Node {
                app,
                id,
                made_at: Some(key),
                name: arg(0, "name"),
                url_prefix: cx.kwarg(c, "url_prefix").unwrap_or(Val::None),
                static_folder: arg(2, "static_folder"),
                static_url_path: arg(3, "static_url_path"),
                changed: RefCell::new(None),
                attrs: RefCell::default(),
            }
        });
        self.nodes.borrow_mut().push(node.clone());
        Val::Host(node)
    }

    /// `parent.register_blueprint(child, **options)`. A project subclass
    /// that overrides `register` is registered by calling it, as Flask does
    /// (`blueprint.register(app, options)`).
    pub(super) fn register_blueprint(&self, cx: &Cx, parent: &Val, c: &Call) -> Val {
        let Some(child) = c.arg(0, "blueprint").map(|e| cx.eval(e)) else {
            return Val::None;
        };
        // Flask calls a nested blueprint's `register` later, with the app:
        // only a registration on the app itself is run here
        if let Val::Instance(o) = &child
            && cx.has_own_method(o, "register")
            && node_of(parent).is_some_and(|p| p.app)
        {
            // the options that change where its routes end up; the others
            // (`cli_group`, ...) do not reach a rule
            let options = ["url_prefix", "name", "subdomain", "url_defaults"]
                .iter()
                .filter_map(|k| Some((Val::Str(k.to_string()), cx.kwarg(c, k)?)))
                .collect();
            cx.call_method_with(
                o,
                "register",
                vec![parent.clone(), Val::Dict(options)],
                &[],
                None,
            );
            return Val::None;
        }
        let (Some(parent), Some(child)) = (node_of(parent), node_of(&child)) else {
            return Val::None;
        };
        let opt = |name: &str| cx.kwarg(c, name);
        self.edge(cx, c, parent, child, opt("url_prefix"), opt("name"));
        Val::None
    }

    /// `Blueprint.register(self, app, options)` reached from a subclass's
    /// override (`super().register(app, options)`).
    fn register(&self, cx: &Cx, child: Rc<Node>, c: &Call) -> Val {
        let Some(parent) = c
            .arg(0, "app")
            .map(|e| cx.eval(e))
            .and_then(|v| node_of(&v))
        else {
            return Val::None;
        };
        let (url_prefix, name) = match c.arg(1, "options").map(|e| cx.eval(e)) {
            Some(d @ Val::Dict(_)) => (
                d.dict_get("url_prefix").cloned(),
                d.dict_get("name").cloned(),
            ),
            Some(Val::Unknown(why)) => (Some(Val::Unknown(why.clone())), Some(Val::Unknown(why))),
            _ => (None, None),
        };
        self.edge(cx, c, parent, child, url_prefix, name);
        Val::None
    }

    /// A blueprint a library makes (`name`, `url_prefix`), not a statement of the code.
    pub fn blueprint(&self, name: Val, url_prefix: Val) -> Rc<Node> {
        let node = Rc::new(Node {
            app: false,
            id: None,
            made_at: None,
            name,
            url_prefix,
            static_folder: Val::None,
            static_url_path: Val::None,
            changed: RefCell::new(None),
            attrs: RefCell::default(),
        });
        self.nodes.borrow_mut().push(node.clone());
        node
    }

    /// `child` registered on `parent` by the call `c` of the running code.
    pub fn edge(
        &self,
        cx: &Cx,
        c: &Call,
        parent: Rc<Node>,
        child: Rc<Node>,
        url_prefix: Option<Val>,
        name: Option<Val>,
    ) {
        self.edges.borrow_mut().push(Edge {
            parent,
            child,
            url_prefix,
            name,
            not_run: self.not_run.borrow().clone(),
            at: (cx.source().path.clone(), c.pos.line),
        });
    }

    /// A rule declared on `node` by the statement at `at` (file, line).
    pub fn declare(&self, kind: &'static str, node: Rc<Node>, d: Declared, at: (String, u32)) {
        let not_run = self.not_run.borrow().clone();
        self.declare_as(kind, node, d, at, not_run);
    }

    /// The same for a statement that ran earlier, when the code running then
    /// was or was not seen to run (`not_run`).
    pub fn declare_as(
        &self,
        kind: &'static str,
        node: Rc<Node>,
        d: Declared,
        at: (String, u32),
        not_run: Option<String>,
    ) {
        self.routes.borrow_mut().push(RouteDecl {
            node,
            rule: d.rule,
            endpoint: d.endpoint,
            methods: d.methods,
            verb: None,
            view: d.view,
            file: at.0,
            line: at.1,
            kind,
            not_run,
            via: Vec::new(),
        });
    }

    /// `node.add_url_rule(rule, endpoint, view_func, **options)`.
    fn add_url_rule(&self, cx: &Cx, node: Rc<Node>, c: &Call) -> Val {
        let (rule, endpoint, view) = if c.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
            // `super().add_url_rule(rule, *args, **options)` in an override
            let positional = cx.positional(c);
            let arg = |i: usize, name: &str| match &positional {
                Some(args) if i < args.len() => Some(args[i].clone()),
                Some(_) => cx.kwarg(c, name),
                None => Some(Val::Unknown("*args".into())),
            };
            let view = arg(2, "view_func").map_or(View::Unknown, |v| view_of_value(cx, v));
            let rule = arg(0, "rule").unwrap_or(Val::Unknown("no rule argument".into()));
            (rule, arg(1, "endpoint"), view)
        } else {
            // evaluated first: evaluating them may declare routes too
            let view = c
                .arg(2, "view_func")
                .map_or(View::Unknown, |e| view_of(cx, e, c.pos.line));
            let rule = rule_arg(cx, c);
            let endpoint = match c.args.get(1) {
                Some(e) => Some(cx.eval(e)),
                None => cx.kwarg(c, "endpoint"),
            };
            (rule, endpoint, view)
        };
        let methods = cx.kwarg(c, "methods");
        let kind = if matches!(view, View::Class(..)) {
            "class_view"
        } else {
            "add_url_rule"
        };
        let d = Declared {
            rule,
            endpoint,
            methods,
            view,
        };
        let here = (cx.source().path.clone(), c.pos.line);
        let mut via = cx.interpreter().call_sites();
        // `super().add_url_rule(...)` in a subclass's override: the route is declared where the
        // override was called (the view's decorator, the statement), not in the override
        let from_override = matches!(&c.func, Expr::Attr(b, _)
            if matches!(&**b, Expr::Call(s) if s.func.last_name() == Some("super")));
        let at = match via.last().cloned() {
            Some(site) if from_override => {
                via.push(here);
                site
            }
            _ => here,
        };
        self.declare(kind, node, d, at);
        if let Some(last) = self.routes.borrow_mut().last_mut() {
            last.via = via;
        }
        Val::None
    }
}

/// The view a `view_func` expression gives: `Cls.as_view(name)` (possibly
/// wrapped: `login_required(V.as_view("v"))`), or a function.
fn view_of(cx: &Cx, e: &Expr, line: u32) -> View {
    view_from(cx, e, cx.eval(e), line)
}

/// The same for an expression already evaluated to `value`.
fn view_from(cx: &Cx, e: &Expr, value: Val, line: u32) -> View {
    let mut calls = Vec::new();
    e.walk_calls(&mut calls);
    // a local holding the view keeps its expression, names resolved
    let kept = match value {
        Val::Expr(x) if calls.is_empty() => {
            Some(module_binding(cx, &x, line).map_or(x, |b| Rc::new(b.clone())))
        }
        // a function defined in a function: its own name
        Val::Func(f) => return View::Function(None, f.def.name.to_string()),
        _ if calls.is_empty() => module_binding(cx, e, line).map(|b| Rc::new(b.clone())),
        _ => None,
    };
    let e = kept.as_deref().unwrap_or(e);
    if kept.is_some() {
        calls.clear();
        e.walk_calls(&mut calls);
    }
    if let Some(av) = calls
        .iter()
        .find(|c| matches!(&c.func, Expr::Attr(_, m) if m == "as_view"))
    {
        let Expr::Attr(recv, _) = &av.func else {
            return View::Unknown;
        };
        let name = av.arg(0, "name").and_then(|n| match cx.eval(n) {
            Val::Str(s) => Some(s),
            _ => None,
        });
        return View::Class(object_id(cx, recv), name);
    }
    let mut base = e;
    while let Expr::Call(c) = base
        && c.args.len() == 1
    {
        base = &c.args[0];
    }
    match object_id(cx, base) {
        Some(id) => {
            let name = id.rsplit('.').next().unwrap_or(&id).to_string();
            View::Function(Some(id), name)
        }
        None => match base.last_name() {
            Some(n) => View::Function(None, n.to_string()),
            None => View::Unknown,
        },
    }
}

/// What a variable of the running module was last assigned at its top level
/// before `line` (`edit = EditView.as_view("edit")`): a library method's result
/// has no value in the interpreter, and only inside functions does it keep its
/// expression.
fn module_binding<'c>(cx: &'c Cx, e: &Expr, line: u32) -> Option<&'c Expr> {
    let m = cx.source();
    let name = match e {
        Expr::Name(n) => n.as_str(),
        Expr::Resolved(id) => id.strip_prefix(m.module.as_str())?.strip_prefix('.')?,
        _ => return None,
    };
    m.body.iter().rev().find_map(|s| match s {
        Stmt::Assign {
            targets,
            value: Some(v),
            pos,
            ..
        } if pos.line < line && matches!(&targets[..], [Expr::Name(n)] if n == name) => Some(v),
        _ => None,
    })
}

/// The view a `view_func` value passed along gives (`*args` forwarded by an override).
fn view_of_value(cx: &Cx, v: Val) -> View {
    match v {
        Val::Expr(e) => view_of(cx, &e, u32::MAX),
        Val::Func(f) => View::Function(None, f.def.name.to_string()),
        _ => View::Unknown,
    }
}

/// The canonical name of the scanned class or function an expression denotes.
fn object_id(cx: &Cx, e: &Expr) -> Option<String> {
    let id = match cx.eval(e) {
        Val::Class(k) => Some(k),
        Val::Expr(x) => abs_dotted(&x),
        _ => abs_dotted(e).or_else(|| e.dotted().map(|d| cx.resolve(&d))),
    }?;
    let project = cx.project();
    (project.function(&id).is_some() || crate::python::classes::find(project, &id).is_some())
        .then_some(id)
}

/// The attributes of a `flask.Blueprint` instance (`dir()` of one made by Flask 3.1.3,
/// dunders aside): `getattr(bp, "auto_register", True)` in discovery code is the
/// default unless the code set it.
const BLUEPRINT_ATTRS: &[&str] = &[
    "_blueprints",
    "_check_setup_finished",
    "_get_exc_class_and_code",
    "_got_registered_once",
    "_merge_blueprint_funcs",
    "_method_route",
    "_static_folder",
    "_static_url_path",
    "add_app_template_filter",
    "add_app_template_global",
    "add_app_template_test",
    "add_url_rule",
    "after_app_request",
    "after_request",
    "after_request_funcs",
    "app_context_processor",
    "app_errorhandler",
    "app_template_filter",
    "app_template_global",
    "app_template_test",
    "app_url_defaults",
    "app_url_value_preprocessor",
    "before_app_request",
    "before_request",
    "before_request_funcs",
    "cli",
    "cli_group",
    "context_processor",
    "deferred_functions",
    "delete",
    "endpoint",
    "error_handler_spec",
    "errorhandler",
    "get",
    "get_send_file_max_age",
    "has_static_folder",
    "import_name",
    "jinja_loader",
    "make_setup_state",
    "name",
    "open_resource",
    "patch",
    "post",
    "put",
    "record",
    "record_once",
    "register",
    "register_blueprint",
    "register_error_handler",
    "root_path",
    "route",
    "send_static_file",
    "static_folder",
    "static_url_path",
    "subdomain",
    "teardown_app_request",
    "teardown_request",
    "teardown_request_funcs",
    "template_context_processors",
    "template_folder",
    "url_default_functions",
    "url_defaults",
    "url_prefix",
    "url_value_preprocessor",
    "url_value_preprocessors",
    "url_values_defaults",
    "view_functions",
];

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
    /// An app or blueprint is an instance of Flask's class of its kind. An
    /// object from outside the scanned code is taken for neither: one it
    /// made could not be mapped anyway, and `dir(module)` scans meet every
    /// name a module imports (`isinstance(obj, Blueprint)` on `request`).
    fn isinstance(&self, _cx: &Cx, v: &Val, class: &str) -> Option<bool> {
        let app = kind_of(class)?;
        match v {
            Val::Host(_) => v.downcast::<Node>().map(|n| n.app == app),
            Val::Expr(_) => Some(false),
            _ => None,
        }
    }

    fn call(&self, cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
        let at = (cx.source().path.as_str(), c.pos.line);
        match kind_of(canonical) {
            Some(app) => {
                let v = self.make(cx, app, c, at);
                if super::connexion::APP_CLASSES.contains(&canonical) {
                    super::connexion::made_app(cx, &v, c);
                }
                Some(v)
            }
            // the folder of a module (a package's own folder), as Flask
            // finds an app's root path
            None if canonical == "flask.helpers.get_root_path" => {
                let folder = match c.arg(0, "import_name").map(|a| cx.eval(a)) {
                    Some(Val::Str(name)) => {
                        cx.project().module(&name).map(|m| parent_path(&m.path))
                    }
                    _ => None,
                };
                Some(folder.map_or_else(|| Val::Unknown("get_root_path(...)".into()), Val::Str))
            }
            // werkzeug's read-only dict (Flask's own `default_config` is one): a dict
            None if canonical == "werkzeug.datastructures.ImmutableDict" => {
                Some(match c.args.first().map(|a| cx.eval(a)) {
                    None => Val::Dict(Vec::new()),
                    Some(d @ Val::Dict(_)) if c.kwargs.is_empty() && !c.has_splat() => d,
                    Some(_) => Val::Unknown("ImmutableDict(...)".into()),
                })
            }
            None if super::restful::API_CLASSES.contains(&canonical) => {
                Some(super::restful::make(cx, c))
            }
            None if super::smorest::API_CLASSES.contains(&canonical) => {
                Some(super::smorest::make(self, cx, c))
            }
            None => super::appbuilder::call(self, cx, canonical, c)
                .or_else(|| super::connexion::call(self, cx, canonical, c)),
        }
    }

    /// A project class deriving from Flask's app or blueprint class: its
    /// Flask part, made from the arguments its base `__init__` is given.
    fn instantiate(
        &self,
        cx: &Cx,
        class: &str,
        base: &str,
        c: &Call,
        made_at: (&str, u32),
    ) -> Option<Val> {
        match kind_of(base) {
            // an app class of the project may give its own `default_config`,
            // which Flask copies into the new app's config
            Some(true) => {
                let app = self.make(cx, true, c, made_at);
                if let Val::Dict(defaults) = cx.class_attr(class, "default_config")
                    && let Some(node) = node_of(&app)
                {
                    node.set(
                        "config",
                        super::config::with_defaults(defaults, &self.config_names),
                    );
                }
                Some(app)
            }
            Some(false) => Some(self.make(cx, false, c, made_at)),
            None if super::restful::API_CLASSES.contains(&base) => {
                Some(super::restful::make(cx, c))
            }
            None if super::smorest::API_CLASSES.contains(&base) => {
                Some(super::smorest::make(self, cx, c))
            }
            None => super::appbuilder::instantiate(class, base),
        }
    }

    fn native_class(&self, class: &str) -> bool {
        kind_of(class).is_some()
            || super::restful::API_CLASSES.contains(&class)
            || super::smorest::API_CLASSES.contains(&class)
            || super::appbuilder::native_class(class)
    }

    /// The app's and blueprints' methods that `method` models, read off them
    /// (`route = bp.route`).
    fn has_method(&self, recv: &Val, name: &str) -> bool {
        node_of(recv).is_some()
            && (matches!(name, "route" | "add_url_rule" | "register_blueprint")
                || VERB_DECORATORS.contains(&name))
    }

    fn method(&self, cx: &Cx, recv: &Val, method: &str, c: &Call) -> Option<Val> {
        if let Some(v) = super::config::method(cx, recv, method, c) {
            return Some(v);
        }
        if let Some(v) = super::appbuilder::method(self, cx, recv, method, c) {
            return Some(v);
        }
        if let Some(v) = super::restful::method(self, cx, recv, method, c) {
            return Some(v);
        }
        if let Some(v) = super::smorest::method(self, cx, recv, method, c) {
            return Some(v);
        }
        if let Some(v) = self.context(recv, method) {
            return Some(v);
        }
        let (node, this) = match recv {
            Val::Host(_) | Val::Instance(_) => (node_of(recv)?, recv.clone()),
            // `def init(app): app.register_blueprint(bp)` in a Flask module
            _ if method == "register_blueprint"
                && self.flask_modules.contains(&cx.source().module) =>
            {
                (
                    self.assumed_app.clone(),
                    Val::Host(self.assumed_app.clone()),
                )
            }
            _ => return None,
        };
        Some(match method {
            "app_context" | "test_request_context" if node.app => Val::host(AppContext(node)),
            "register_blueprint" => self.register_blueprint(cx, &this, c),
            "register" if !node.app => self.register(cx, node, c),
            "add_api" if node.app => return super::connexion::add_api(self, cx, node, c),
            "add_url_rule" => self.add_url_rule(cx, node, c),
            "route" => Val::host(Decorator {
                node,
                rule: rule_arg(cx, c),
                endpoint: cx.kwarg(c, "endpoint"),
                methods: cx.kwarg(c, "methods"),
                verb: None,
                line: c.pos.line,
            }),
            v if VERB_DECORATORS.contains(&v) => Val::host(Decorator {
                node,
                rule: rule_arg(cx, c),
                endpoint: cx.kwarg(c, "endpoint"),
                methods: None,
                verb: Some(v.to_ascii_uppercase()),
                line: c.pos.line,
            }),
            _ => return None,
        })
    }

    /// Flask's `get()` and the like call `self.route(rule, methods=[VERB], **options)`.
    fn hands_on(
        &self,
        cx: &Cx,
        recv: &Val,
        method: &str,
        c: &Call,
        overridden: &dyn Fn(&str) -> bool,
    ) -> Option<SelfCall> {
        if !VERB_DECORATORS.contains(&method) || node_of(recv).is_none() || !overridden("route") {
            return None;
        }
        let rule = rule_arg(cx, c);
        let mut kwargs = vec![(
            "methods".to_string(),
            Val::List(vec![Val::Str(method.to_ascii_uppercase())]),
        )];
        kwargs.extend(c.kwargs.iter().map(|(k, e)| (k.to_string(), cx.eval(e))));
        Some(SelfCall {
            method: "route",
            args: vec![rule],
            kwargs,
        })
    }

    /// `Flask.default_config`; `current_app` (or `current_app.attr`) while an
    /// app's context is pushed.
    fn dotted(&self, cx: &Cx, dotted: &str) -> Option<Val> {
        if let Some((class, "default_config")) = dotted.rsplit_once('.')
            && kind_of(&cx.resolve(class)) == Some(true)
        {
            return Some(super::config::flask_defaults());
        }
        let app = self.contexts.borrow().last().cloned()?;
        let (head, attr) = match dotted.split_once('.') {
            Some((h, a)) if !a.contains('.') => (h, Some(a)),
            Some(_) => return None,
            None => (dotted, None),
        };
        if !CURRENT_APP.contains(&cx.resolve(head).as_str()) {
            return None;
        }
        let app = Val::Host(app);
        match attr {
            None => Some(app),
            Some(a) => self.attr(cx, &app, a),
        }
    }

    /// A blueprint's attributes as its constructor set them, and those the
    /// code set since.
    fn attr(&self, cx: &Cx, recv: &Val, attr: &str) -> Option<Val> {
        let Some(node) = node_of(recv) else {
            return super::appbuilder::attr(cx, recv, attr)
                .or_else(|| super::connexion::attr(recv, attr));
        };
        match attr {
            "name" if !node.app => Some(node.name()),
            "url_prefix" if !node.app => Some(node.url_prefix()),
            "static_folder" if !node.app => Some(node.static_folder()),
            "static_url_path" => Some(node.effective_static_url_path()),
            "config" if node.app => Some(node.attr(attr).unwrap_or_else(|| {
                let config = super::config::new(&self.config_names);
                node.set(attr, config.clone());
                config
            })),
            _ => node.attr(attr),
        }
    }

    /// `bp.url_prefix = ...` after the blueprint was made: what it was given
    /// no longer holds. Any other attribute is kept as set.
    fn set_attr(&self, _cx: &Cx, recv: &Val, attr: &str, v: &Val) -> bool {
        let Some(node) = node_of(recv) else {
            return false;
        };
        if matches!(
            attr,
            "name" | "url_prefix" | "static_folder" | "static_url_path"
        ) {
            *node.changed.borrow_mut() =
                Some(format!("{attr} assigned after the blueprint was made"));
        } else {
            node.set(attr, v.clone());
        }
        true
    }

    fn item(&self, _cx: &Cx, recv: &Val, key: &Val) -> Option<Val> {
        super::config::item(recv, key)
    }

    fn set_item(&self, _cx: &Cx, recv: &Val, key: &Val, v: &Val) -> bool {
        super::config::set_item(recv, key, v)
    }

    fn has_attr(&self, cx: &Cx, recv: &Val, name: &str) -> Option<bool> {
        match node_of(recv) {
            Some(node) if node.attr(name).is_some() => Some(true),
            // a blueprint has the attributes of Flask's class and what the code set
            Some(node) if !node.app => Some(BLUEPRINT_ATTRS.contains(&name)),
            Some(_) => None,
            None => super::appbuilder::has_attr(cx, recv, name),
        }
    }

    fn class_method(
        &self,
        cx: &Cx,
        class: &str,
        base: &str,
        method: &str,
        c: &Call,
    ) -> Option<Val> {
        match method {
            "register" => super::classy::register(self, cx, class, base, c),
            _ => None,
        }
    }

    /// `@bp.route(...)` applied to a function.
    fn decorate(
        &self,
        cx: &Cx,
        decorator: &Val,
        recv: &Val,
        _f: &FuncDef,
        name: &str,
        id: Option<&str>,
    ) -> bool {
        let Some(d) = decorator.downcast::<Decorator>() else {
            return false;
        };
        let value = id.map_or_else(
            || Val::Unknown(format!("function {name}")),
            |id| Val::Expr(Rc::new(Expr::Resolved(id.into()))),
        );
        let view = View::Function(id.map(String::from), name.to_string());
        self.route(cx, d, recv, view, value);
        true
    }

    /// `bp.route(rule)(view)` on another view: the class a `View.as_view(name)` is
    /// of, the view's `__name__` being that name.
    fn decorate_value(
        &self,
        cx: &Cx,
        decorator: &Val,
        recv: &Val,
        view: &Expr,
        value: &Val,
    ) -> bool {
        let Some(d) = decorator.downcast::<Decorator>() else {
            return false;
        };
        let view = view_from(cx, view, value.clone(), d.line);
        self.route(cx, d, recv, view, value.clone());
        true
    }

    fn lenient(&self) -> bool {
        true
    }
}

impl Flask<'_> {
    /// The decorator `d` applied to a view (`value`, as the code holds it): Flask's
    /// `route` calls `self.add_url_rule(rule, endpoint, f, **options)`.
    fn route(&self, cx: &Cx, d: &Decorator, recv: &Val, view: View, value: Val) {
        // a subclass's override decides what is declared
        if let Val::Instance(o) = recv
            && cx.has_own_method(o, "add_url_rule")
        {
            let methods = match &d.verb {
                Some(verb) => Some(Val::List(vec![Val::Str(verb.clone())])),
                None => d.methods.clone(),
            };
            let options: Vec<(String, Val)> = methods
                .map(|m| ("methods".to_string(), m))
                .into_iter()
                .collect();
            let endpoint = d.endpoint.clone().unwrap_or(Val::None);
            let args = vec![d.rule.clone(), endpoint, value];
            cx.call_method_with(o, "add_url_rule", args, &options, Some(d.line));
            return;
        }
        let kind = match view {
            View::Class(..) => "class_view",
            _ => "decorator",
        };
        self.routes.borrow_mut().push(RouteDecl {
            node: d.node.clone(),
            rule: d.rule.clone(),
            endpoint: d.endpoint.clone(),
            methods: d.methods.clone(),
            verb: d.verb.clone(),
            view,
            file: cx.source().path.clone(),
            line: d.line,
            kind,
            not_run: self.not_run.borrow().clone(),
            via: Vec::new(),
        });
    }
}
