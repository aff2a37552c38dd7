//! A small abstract interpreter for module-level Python: enough to evaluate
//! settings (`INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS`, `from .base import *`)
//! and URLconfs (`urlpatterns = [...]`, `+=`, `.append`, routers, `include`).
//!
//! Only top-level statements run (blocks such as `if settings.DEBUG:` included;
//! a top-level `for` over a known sequence, such as `apps.get_app_configs()`,
//! runs each iteration like a helper body and keeps it only when understood),
//! plus the project's own helper functions a URLconf calls. Whatever cannot be known is `Val::Unknown`
//! with a reason, never an error.
//!
//! Instances of the project's own classes (`Val::Instance`) carry state: calling a
//! class runs `__init__`, methods run with `self` bound, `obj()` runs `__call__`,
//! and attribute writes and in-place changes (`self.x[k] = v`, `self.x.append(v)`,
//! `d.setdefault(k, []).extend(v)`) are seen through every reference to the object,
//! wherever it was made or passed. Top-level call statements run for their effects,
//! so a registry filled by a discovery function called later is seen filled. When a
//! call (or loop iteration) fails after it may have changed instances, they are
//! marked lost: reading them gives `Unknown` rather than a partial state. Not
//! modelled: functions outside the scanned code are assumed to leave the instances
//! they are given alone, and lists and dicts are values, so a change through a
//! second name for the same list (`l = self.items; l.append(x)`) is not seen
//! through the first.

use crate::python::SourceModule;
use crate::python::ir::{Call, Comp, Expr, FuncDef, ImportName, Param, Pos, Stmt};
use crate::python::modules::absolute_import;
use crate::scan::Project;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

#[derive(Clone, Debug)]
pub enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    None,
    List(Vec<Val>),
    Tuple(Vec<Val>),
    Dict(Vec<(Val, Val)>),
    /// `path()` / `re_path()` / `url()`.
    Url(Rc<UrlEntry>),
    /// `include(...)`.
    Include(Rc<Include>),
    /// `i18n_patterns(...)`: patterns, prefix_default_language.
    I18n(Vec<Val>, bool),
    Router(usize),
    RouterUrls(usize),
    /// `format_suffix_patterns(patterns)`.
    Suffixed(Vec<Val>),
    /// A scanned module object (`import app.urls` then `app.urls`): `include()` accepts it.
    Module(String),
    /// A class in scanned code (`cls` in a classmethod).
    Class(String),
    /// An installed app's AppConfig instance (`apps.get_app_configs()`).
    App(Rc<super::apps::AppInfo>),
    /// An instance of a class defined in scanned code.
    Instance(Rc<Obj>),
    /// An expression inside a helper function's evaluation that has no value
    /// here (`View.as_view()`), names already resolved (`Expr::Resolved`): kept
    /// so that a `path()` built from it still knows its view.
    Expr(Rc<Expr>),
    Unknown(String),
}

impl Val {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn items(&self) -> Option<&[Val]> {
        match self {
            Val::List(v) | Val::Tuple(v) => Some(v),
            _ => None,
        }
    }
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            Val::Int(i) => Some(*i != 0),
            Val::None => Some(false),
            Val::Str(s) => Some(!s.is_empty()),
            Val::List(v) | Val::Tuple(v) => Some(!v.is_empty()),
            Val::Dict(v) => Some(!v.is_empty()),
            // classes, modules and references to named objects are truthy
            Val::Class(_) | Val::Module(_) | Val::Url(_) | Val::Include(_) | Val::App(_) => {
                Some(true)
            }
            Val::Instance(o) => o.truthy.then_some(true),
            Val::Expr(e) if abs_dotted(e).is_some() => Some(true),
            _ => None,
        }
    }
    /// Short text for settings output.
    pub fn render(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Int(i) => Some(i.to_string()),
            Val::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
            Val::None => Some("None".into()),
            Val::List(v) | Val::Tuple(v) => {
                let parts: Vec<String> = v.iter().filter_map(|x| x.render()).collect();
                Some(format!("[{}]", parts.join(", ")))
            }
            Val::Dict(_) => Some("{...}".into()),
            _ => None,
        }
    }
    pub fn strings(&self) -> Vec<String> {
        self.items()
            .map(|v| {
                v.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
    pub fn dict_get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Dict(v) => v
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// An instance of a scanned class. Every reference shares its attributes, as in
/// Python; once a call that may have changed them fails, they are lost (unknown).
pub struct Obj {
    pub class: String,
    /// Instance attributes, in the order they were first set.
    attrs: RefCell<Vec<(String, Val)>>,
    lost: RefCell<Option<String>>,
    /// Whether `bool(obj)` is always true (no `__bool__` / `__len__`).
    truthy: bool,
}

impl std::fmt::Debug for Obj {
    // not the attributes: they may refer back to the object
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} instance>", self.class)
    }
}

impl Obj {
    fn get(&self, name: &str) -> Option<Val> {
        let attrs = self.attrs.borrow();
        attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    fn set(&self, name: &str, v: Val) {
        let mut attrs = self.attrs.borrow_mut();
        match attrs.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = v,
            None => attrs.push((name.to_string(), v)),
        }
    }

    /// Applies `f` to an attribute in place; `false` when there is none or `f` fails.
    fn update(&self, name: &str, f: &mut dyn FnMut(&mut Val) -> bool) -> bool {
        let mut attrs = self.attrs.borrow_mut();
        attrs
            .iter_mut()
            .find(|(k, _)| k == name)
            .is_some_and(|(_, v)| f(v))
    }

    fn lost(&self) -> Option<String> {
        self.lost.borrow().clone()
    }

    fn lose(&self, why: &str) {
        let mut lost = self.lost.borrow_mut();
        if lost.is_none() {
            *lost = Some(format!("state of a {} instance: {why}", self.class));
            // its attributes may hold references back to it
            self.attrs.borrow_mut().clear();
        }
    }
}

#[derive(Debug)]
pub struct UrlEntry {
    /// django.path, django.re_path, django.url
    pub kind: &'static str,
    pub pattern: Val,
    pub view: Expr,
    /// The evaluated view when it is `include(...)` or `x.urls`.
    pub view_val: Option<Val>,
    pub name: Option<String>,
    /// The module the call is written in (where the view expression is resolved).
    pub module: String,
    pub file: String,
    pub pos: Pos,
}

#[derive(Debug)]
pub struct Include {
    pub target: Val,
    pub namespace: Option<String>,
    pub module: String,
}

#[derive(Debug, Clone)]
pub struct Registration {
    pub prefix: Val,
    pub viewset: Expr,
    pub basename: Option<String>,
    pub module: String,
    pub file: String,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Router {
    /// Canonical class name of the router.
    pub class: String,
    pub kwargs: Vec<(String, Val)>,
    pub registry: Vec<Registration>,
    pub module: String,
}

pub type Env = HashMap<String, Val>;

pub struct Evaluator<'p> {
    pub project: &'p Project,
    envs: RefCell<HashMap<String, Rc<Env>>>,
    busy: RefCell<HashSet<String>>,
    pub routers: RefCell<Vec<Router>>,
    pub settings: RefCell<Rc<Env>>,
    /// INSTALLED_APPS, in order: what `apps.get_app_configs()` returns.
    pub apps: RefCell<Vec<super::apps::AppInfo>>,
    /// Statements and expressions evaluated inside helper functions so far.
    steps: Cell<usize>,
    /// Instances changed so far, in order (see `lose_since`).
    touched: RefCell<Vec<Rc<Obj>>>,
}

/// Helper functions called from a URLconf are interpreted up to this call depth,
/// this many steps in all and this many items per loop or comprehension.
const MAX_CALL_DEPTH: usize = 6;
const MAX_STEPS: usize = 500_000;
const MAX_ITEMS: usize = 2_000;

/// Attributes every AppConfig instance has.
const APP_CONFIG_ATTRS: &[&str] = &[
    "name",
    "label",
    "module",
    "path",
    "verbose_name",
    "apps",
    "models_module",
    "models",
    "default_auto_field",
    "ready",
    "get_model",
    "get_models",
    "import_models",
];

/// Methods of known strings, lists and dicts that `value_method` evaluates.
const VALUE_METHODS: &[&str] = &[
    "keys", "values", "items", "format", "rstrip", "lstrip", "strip", "lower", "upper", "replace",
    "join", "copy", "get",
];

/// The reason of an `Unknown` that stands for an `ImportError` raised.
const IMPORT_ERROR: &str = "ImportError: no module named ";

const URL_FUNCS: &[(&str, &str)] = &[
    ("django.urls.path", "django.path"),
    ("django.urls.conf.path", "django.path"),
    ("django.urls.re_path", "django.re_path"),
    ("django.urls.conf.re_path", "django.re_path"),
    ("django.conf.urls.url", "django.url"),
    ("django.conf.urls.re_path", "django.re_path"),
];

impl<'p> Evaluator<'p> {
    pub fn new(project: &'p Project) -> Self {
        Evaluator {
            project,
            envs: RefCell::new(HashMap::default()),
            busy: RefCell::new(HashSet::default()),
            routers: RefCell::new(Vec::new()),
            settings: RefCell::new(Rc::new(Env::default())),
            apps: RefCell::new(Vec::new()),
            steps: Cell::new(0),
            touched: RefCell::new(Vec::new()),
        }
    }

    /// The top-level environment of a scanned module after running it.
    pub fn env(&self, module: &str) -> Option<Rc<Env>> {
        if let Some(e) = self.envs.borrow().get(module) {
            return Some(e.clone());
        }
        let m = self.project.module(module)?;
        if !self.busy.borrow_mut().insert(module.to_string()) {
            return None; // import cycle: what is known so far is not kept
        }
        let mut env = Env::default();
        let mut cx = Cx {
            ev: self,
            m,
            env: &mut env,
            outer: None,
            depth: 0,
        };
        cx.run(&m.body);
        self.busy.borrow_mut().remove(module);
        let env = Rc::new(env);
        self.envs
            .borrow_mut()
            .insert(module.to_string(), env.clone());
        Some(env)
    }

    /// `module.name` for a canonical dotted path into a scanned module.
    pub fn lookup_global(&self, canonical: &str) -> Option<Val> {
        let (module, name) = canonical.rsplit_once('.')?;
        self.env(module)?.get(name).cloned()
    }

    pub fn setting(&self, name: &str) -> Option<Val> {
        self.settings.borrow().get(name).cloned()
    }

    fn touch(&self, o: &Rc<Obj>) {
        let mut t = self.touched.borrow_mut();
        if !t.last().is_some_and(|l| Rc::ptr_eq(l, o)) {
            t.push(o.clone());
        }
    }

    /// Where the record of changed instances stands, for `lose_since`.
    fn mark(&self) -> usize {
        self.touched.borrow().len()
    }

    /// A call or loop iteration that failed after `mark`: the instances it
    /// changed, and those it was given, are in a state no longer known.
    fn lose_since(&self, mark: usize, given: &[Val], why: &str) {
        let changed: Vec<Rc<Obj>> = self.touched.borrow_mut().drain(mark..).collect();
        for o in &changed {
            o.lose(why);
        }
        for v in given {
            if let Val::Instance(o) = v {
                o.lose(why);
            }
        }
    }
}

struct Cx<'a, 'p> {
    ev: &'a Evaluator<'p>,
    m: &'a SourceModule,
    /// Module globals at top level; a helper function's locals inside it.
    env: &'a mut Env,
    /// Inside a helper function: its module's globals.
    outer: Option<&'a Env>,
    /// Helper-function call depth (0: module top level).
    depth: usize,
}

/// How a helper function's statements end.
enum Flow {
    Next,
    Break,
    Continue,
    Return(Val),
    Abort(String),
}

impl Cx<'_, '_> {
    fn run(&mut self, body: &[Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::Block(b) => self.run_block(b),
                Stmt::Import(import, _) => {
                    for n in import.names() {
                        if let ImportName::From {
                            module,
                            level,
                            name,
                            ..
                        } = n
                            && name == "*"
                        {
                            let abs =
                                absolute_import(&self.m.module, self.m.is_package, level, module);
                            if let Some(e) = self.ev.env(&abs) {
                                for (k, v) in e.iter() {
                                    self.env.insert(k.clone(), v.clone());
                                }
                            }
                        }
                    }
                }
                Stmt::Assign { targets, value, .. } => {
                    let Some(value) = value else { continue };
                    let v = self.eval(value);
                    for t in targets {
                        match t {
                            Expr::Name(n) => {
                                self.env.insert(n.to_string(), v.clone());
                            }
                            Expr::Attr(..) | Expr::Subscript(..) => {
                                if let Err(why) = self.assign_into(t, v.clone()) {
                                    self.lose_root(t, &why);
                                }
                            }
                            Expr::Tuple(names) => {
                                let items = v.items().map(|x| x.to_vec());
                                for (i, n) in names.iter().enumerate() {
                                    if let Some(n) = n.as_name() {
                                        let x = items
                                            .as_ref()
                                            .and_then(|it| it.get(i).cloned())
                                            .unwrap_or(Val::Unknown("tuple unpacking".into()));
                                        self.env.insert(n.to_string(), x);
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Stmt::AugAssign {
                    target: Expr::Name(n),
                    op,
                    value,
                    ..
                } if op.starts_with('+') => self.add_to_name(n, value),
                Stmt::Expr(Expr::Call(c), _) => self.call_stmt(c),
                Stmt::For {
                    target, iter, body, ..
                } => self.run_for(target, iter, body),
                _ => {}
            }
        }
    }

    /// A top-level `for` loop over a known sequence (`for app in
    /// apps.get_app_configs():`). Each iteration runs like a helper function's
    /// body and its effects are kept only when it is understood to the end; an
    /// iteration that is not (an unknown condition, `break`) is skipped.
    fn run_for(&mut self, target: &Expr, iter: &Expr, body: &[Stmt]) {
        let Ok(items) = iterate(self.eval(iter)) else {
            return;
        };
        for item in items {
            if !self.tick() {
                return;
            }
            let mut env = self.env.clone();
            if !bind(&mut env, target, item) {
                return;
            }
            let mut cx = Cx {
                ev: self.ev,
                m: self.m,
                env: &mut env,
                outer: self.outer,
                depth: self.depth,
            };
            let mark = self.ev.mark();
            match cx.exec(body) {
                Flow::Next | Flow::Continue => *self.env = env,
                Flow::Break => {
                    *self.env = env;
                    return;
                }
                Flow::Return(_) => {}
                Flow::Abort(why) => self.ev.lose_since(mark, &[], &why),
            }
        }
    }

    /// A top-level block. An `if` whose test is known runs only the branch
    /// taken; an unknown test (`if settings.DEBUG:` with DEBUG from the
    /// environment) runs every branch in order, as declarations there may happen.
    fn run_block(&mut self, b: &[Stmt]) {
        match self.branch(b) {
            Some(Some(taken)) => self.run(taken),
            Some(None) => {}
            None => self.run(b),
        }
    }

    /// For an `if` block: `Some(Some(body))` of the branch taken, `Some(None)`
    /// when none is, `None` when that is not known.
    fn branch<'b>(&self, b: &'b [Stmt]) -> Option<Option<&'b [Stmt]>> {
        let Some(Stmt::Guard(test)) = b.first() else {
            return None;
        };
        let taken = match test {
            None => true,
            Some(Expr::Other(_)) => return None,
            Some(t) => self.eval(t).truthy()?,
        };
        if taken {
            return Some(Some(b.get(1).map(std::slice::from_ref).unwrap_or(&[])));
        }
        for alt in b.iter().skip(2) {
            if let Stmt::Block(ab) = alt
                && let Some(t) = self.branch(ab)?
            {
                return Some(Some(t));
            }
        }
        Some(None)
    }

    /// A top-level call statement: a change to a list, dict or instance
    /// attribute in place, a router registration, or a call for its effects.
    fn call_stmt(&mut self, c: &Call) {
        if let Expr::Attr(base, method) = &c.func {
            if let Some(r) = self.mutate(base, method, c) {
                if let Err(why) = r {
                    self.lose_root(base, &why);
                }
                return;
            }
            // `from project.api.urls import router` then `router.register(...)`:
            // the registry is shared, wherever the router was made
            if method == "register"
                && let Val::Router(id) = self.eval(base)
            {
                return self.register(id, c);
            }
        }
        self.call(c);
    }

    /// `place.append(x)`, `.extend`, `.insert`, `.remove`, `.update` on a list
    /// or dict held by a variable of this scope or under an instance attribute;
    /// `None` when `method` is not one of these or `place` is not such a place.
    fn mutate(&mut self, place: &Expr, method: &str, c: &Call) -> Option<Result<(), String>> {
        const METHODS: &[&str] = &["append", "extend", "insert", "remove", "update"];
        // an instance's own method of that name is called instead
        if !METHODS.contains(&method) || !self.is_place(place) || self.instance_at(place).is_some()
        {
            return None;
        }
        let what = format!("{}.{method}(...)", place.describe());
        if c.has_splat || !c.kwargs.is_empty() {
            return Some(Err(what));
        }
        let args: Vec<Val> = c.args.iter().map(|a| self.eval(a)).collect();
        let ok = self.with_place(place, &mut |v| change(v, method, &args));
        Some(if ok { Ok(()) } else { Err(what) })
    }

    /// Whether `e` denotes a value that can be changed in place: a variable of
    /// this scope, or what is reached from it or from an instance through
    /// attributes, subscripts and `.setdefault(k, default)`.
    fn is_place(&self, e: &Expr) -> bool {
        match e {
            Expr::Name(n) => {
                self.env.contains_key(n.as_str()) || matches!(self.name(n), Val::Instance(_))
            }
            Expr::Attr(b, _) | Expr::Subscript(b, _) => self.is_place(b),
            Expr::Call(c) => match &c.func {
                Expr::Attr(b, m) if m == "setdefault" => self.is_place(b),
                _ => false,
            },
            _ => false,
        }
    }

    /// Applies `f` in place to the value a place expression (see `is_place`)
    /// denotes; `false` when that value is not known.
    fn with_place(&mut self, e: &Expr, f: &mut dyn FnMut(&mut Val) -> bool) -> bool {
        match e {
            Expr::Name(n) => self.env.get_mut(n.as_str()).is_some_and(f),
            Expr::Attr(b, a) => match self.eval(b) {
                Val::Instance(o) if o.lost().is_none() => {
                    let ok = o.update(a, f);
                    if ok {
                        self.ev.touch(&o);
                    }
                    ok
                }
                _ => false,
            },
            Expr::Subscript(b, k) => {
                let key = self.eval(k);
                self.with_place(b, &mut |v| item_mut(v, &key, None).is_some_and(&mut *f))
            }
            Expr::Call(c) if c.args.len() <= 2 && c.kwargs.is_empty() && !c.has_splat => {
                let Expr::Attr(b, m) = &c.func else {
                    return false;
                };
                if m != "setdefault" {
                    return false;
                }
                let Some(key) = c.args.first().map(|k| self.eval(k)) else {
                    return false;
                };
                let default = c.args.get(1).map_or(Val::None, |d| self.eval(d));
                self.with_place(b, &mut |v| {
                    item_mut(v, &key, Some(default.clone())).is_some_and(&mut *f)
                })
            }
            _ => false,
        }
    }

    /// `obj.attr = v` on an instance, `place[k] = v`.
    fn assign_into(&mut self, target: &Expr, v: Val) -> Result<(), String> {
        let what = || format!("assignment to {}", target.describe());
        match target {
            Expr::Attr(b, a) => match self.eval(b) {
                Val::Instance(o) if o.lost().is_none() => {
                    o.set(a, v);
                    self.ev.touch(&o);
                    Ok(())
                }
                Val::Instance(o) => Err(o.lost().unwrap_or_default()),
                // an object this interpreter does not model
                _ => Ok(()),
            },
            Expr::Subscript(b, k) if self.is_place(b) => {
                let key = self.eval(k);
                let mut v = Some(v);
                let ok = self.with_place(b, &mut |d| set_item(d, &key, &mut v));
                if ok { Ok(()) } else { Err(what()) }
            }
            _ => Err(what()),
        }
    }

    /// After a failed change through `place`: the instance it is rooted at
    /// (if any) is in a state no longer known.
    fn lose_root(&self, place: &Expr, why: &str) {
        let mut e = place;
        loop {
            match e {
                Expr::Attr(b, _) | Expr::Subscript(b, _) => e = b,
                Expr::Call(c) => e = &c.func,
                _ => break,
            }
        }
        if let Val::Instance(o) = self.eval(e) {
            o.lose(why);
        }
    }

    /// `router.register(prefix, viewset[, basename])`.
    fn register(&self, id: usize, c: &Call) {
        let (Some(prefix), Some(viewset)) = (c.arg(0, "prefix"), c.arg(1, "viewset")) else {
            return;
        };
        let basename = c
            .kwarg("basename")
            .or_else(|| c.kwarg("base_name"))
            .or_else(|| c.args.get(2))
            .and_then(|e| self.eval(e).as_str().map(String::from));
        let reg = Registration {
            prefix: self.eval(prefix),
            viewset: viewset.clone(),
            basename,
            module: self.m.module.clone(),
            file: self.m.path.clone(),
            pos: c.pos,
        };
        self.ev.routers.borrow_mut()[id].registry.push(reg);
    }

    fn name(&self, n: &str) -> Val {
        if let Some(v) = self.env.get(n) {
            return v.clone();
        }
        if let Some(v) = self.outer.and_then(|o| o.get(n)) {
            return v.clone();
        }
        let canonical = self.ev.project.resolver.resolve(&self.m.module, n);
        if canonical != format!("{}.{n}", self.m.module) {
            if let Some(v) = self.ev.lookup_global(&canonical) {
                return v;
            }
            if self.ev.project.module(&canonical).is_some() {
                return Val::Module(canonical);
            }
        }
        if self.depth > 0 && super::classes::find(self.ev.project, &canonical).is_some() {
            return Val::Class(canonical);
        }
        Val::Unknown(format!("name {n}"))
    }

    fn tick(&self) -> bool {
        let s = self.ev.steps.get() + 1;
        self.ev.steps.set(s);
        s <= MAX_STEPS
    }

    fn eval(&self, e: &Expr) -> Val {
        if self.depth > 0 && !self.tick() {
            return Val::Unknown("evaluation budget exhausted".into());
        }
        let v = self.eval_inner(e);
        if self.depth > 0 {
            return self.keep_expr(e, v);
        }
        v
    }

    /// An unknown call/name/attribute inside a helper (or passed to one) keeps
    /// its expression, names resolved, for the views of the URLs built from it.
    fn keep_expr(&self, e: &Expr, v: Val) -> Val {
        match (&v, e) {
            // an ImportError raised stays one (for `try`/`except ImportError`)
            (Val::Unknown(why), _) if why.starts_with(IMPORT_ERROR) => v,
            (Val::Unknown(_), Expr::Call(_) | Expr::Attr(..) | Expr::Name(_)) => {
                Val::Expr(Rc::new(self.resolve_all(e)))
            }
            _ => v,
        }
    }

    /// `e` with local names replaced by what they denote (a class, a kept
    /// expression, a module) and, when `all`, every other name by its canonical id.
    fn subst(&self, e: &Expr, all: bool) -> Expr {
        match e {
            Expr::Name(n) => {
                let local = self
                    .env
                    .get(n.as_str())
                    .filter(|_| self.depth > 0)
                    .or_else(|| self.outer.and_then(|o| o.get(n.as_str())));
                match local {
                    Some(Val::Class(c) | Val::Module(c)) => Expr::Resolved(c.clone().into()),
                    Some(Val::Expr(x)) => (**x).clone(),
                    Some(Val::Instance(_)) => e.clone(),
                    _ if all => {
                        Expr::Resolved(self.ev.project.resolver.resolve(&self.m.module, n).into())
                    }
                    _ => e.clone(),
                }
            }
            Expr::Attr(b, a) => Expr::Attr(Box::new(self.subst(b, all)), a.clone()),
            Expr::Call(c) => {
                let mut c2 = (**c).clone();
                c2.func = self.subst(&c.func, all);
                c2.args = c.args.iter().map(|a| self.subst(a, all)).collect();
                c2.kwargs = c
                    .kwargs
                    .iter()
                    .map(|(k, v)| (k.clone(), self.subst(v, all)))
                    .collect();
                Expr::Call(Box::new(c2))
            }
            _ => e.clone(),
        }
    }

    fn resolve_all(&self, e: &Expr) -> Expr {
        self.subst(e, true)
    }

    /// List/tuple display items, `*x` expanded.
    fn items(&self, v: &[Expr]) -> Vec<Val> {
        let mut out = Vec::new();
        for x in v {
            match x {
                Expr::Starred(inner) => match iterate(self.eval(inner)) {
                    Ok(items) => out.extend(items),
                    Err(why) => out.push(Val::Unknown(format!("*{}: {why}", inner.describe()))),
                },
                _ => out.push(self.eval(x)),
            }
        }
        out
    }

    fn eval_inner(&self, e: &Expr) -> Val {
        match e {
            Expr::Str(s) => Val::Str(s.to_string()),
            Expr::DynStr(t) => self.fstring(t),
            Expr::Int(i) => Val::Int(*i),
            Expr::Bool(b) => Val::Bool(*b),
            Expr::None => Val::None,
            Expr::List(v) => Val::List(self.items(v)),
            Expr::Tuple(v) => Val::Tuple(self.items(v)),
            Expr::Comp(c) => self.comprehension(c),
            Expr::Not(x) => match self.eval(x).truthy() {
                Some(b) => Val::Bool(!b),
                None => Val::Unknown(e.describe()),
            },
            Expr::IfExp(t, b, o) => match self.eval(t).truthy() {
                Some(true) => self.eval(b),
                Some(false) => self.eval(o),
                None => Val::Unknown(e.describe()),
            },
            Expr::Resolved(c) => self
                .ev
                .lookup_global(c)
                .or_else(|| {
                    self.ev
                        .project
                        .module(c)
                        .map(|_| Val::Module(c.to_string()))
                })
                .or_else(|| {
                    super::classes::find(self.ev.project, c).map(|_| Val::Class(c.to_string()))
                })
                .unwrap_or_else(|| Val::Expr(Rc::new(e.clone()))),
            Expr::Subscript(v, i) => match i.as_ref() {
                Expr::Other(t) if t.contains(':') => slice(self.eval(v), t),
                i => subscript(self.eval(v), self.eval(i)),
            },
            Expr::BinOp(l, op, r) if op == "and" => {
                let lv = self.eval(l);
                match lv.truthy() {
                    Some(false) => lv,
                    Some(true) => self.eval(r),
                    None => Val::Unknown("and".into()),
                }
            }
            Expr::BinOp(l, op, r) if op != "+" && op != "or" => {
                binop(self.eval(l), op, self.eval(r))
            }
            Expr::Dict(v) => Val::Dict(
                v.iter()
                    .map(|(k, x)| (self.eval(k), self.eval(x)))
                    .collect(),
            ),
            Expr::Name(n) => self.name(n),
            Expr::Attr(base, attr) => self.attr(e, base, attr),
            Expr::BinOp(l, op, r) if op == "+" => add(self.eval(l), self.eval(r)),
            Expr::BinOp(l, op, r) if op == "or" => {
                let lv = self.eval(l);
                match lv.truthy() {
                    Some(true) => lv,
                    Some(false) => self.eval(r),
                    None => Val::Unknown("or".into()),
                }
            }
            Expr::Call(c) => self.call(c),
            other => Val::Unknown(other.describe()),
        }
    }

    /// The instance a name or attribute chain (no calls: evaluating it has no
    /// effects) denotes.
    fn instance_at(&self, e: &Expr) -> Option<Rc<Obj>> {
        let mut r = e;
        while let Expr::Attr(b, _) = r {
            r = b;
        }
        if !matches!(r, Expr::Name(_) | Expr::Resolved(_)) {
            return None;
        }
        match self.eval(e) {
            Val::Instance(o) => Some(o),
            _ => None,
        }
    }

    /// `obj.attr` on an instance: its own attribute, else its class's.
    fn instance_attr(&self, o: &Obj, attr: &str) -> Val {
        if let Some(why) = o.lost() {
            return Val::Unknown(why);
        }
        if let Some(v) = o.get(attr) {
            return v;
        }
        if find_method(self.ev.project, &o.class, attr).is_some() {
            return Val::Unknown(format!("{}.{attr}: a method", o.class));
        }
        self.class_attr(&o.class, attr)
    }

    fn attr(&self, e: &Expr, base: &Expr, attr: &str) -> Val {
        if self.depth > 0 && root_is_local(base, self.env)
            || matches!(root(base), Expr::Resolved(_))
            || self.object_root(base)
        {
            return match self.eval(base) {
                Val::Module(m) => {
                    let c = format!("{m}.{attr}");
                    self.eval_inner(&Expr::Resolved(c.into()))
                }
                Val::App(a) => self.app_attr(&a, attr),
                Val::Instance(o) => self.instance_attr(&o, attr),
                b => match self.class_of(&b) {
                    Some(c) => self.class_attr(&c, attr),
                    None => Val::Unknown(e.describe()),
                },
            };
        }
        // router.urls
        if attr == "urls"
            && let Val::Router(id) = self.eval(base)
        {
            return Val::RouterUrls(id);
        }
        if let Some(dotted) = e.dotted() {
            // settings.X (django.conf.settings or an app's own settings wrapper)
            if let Some((head, name)) = dotted.rsplit_once('.')
                && (head == "settings" || head.ends_with(".settings"))
            {
                let canonical = self.ev.project.resolver.resolve(&self.m.module, head);
                if canonical == "django.conf.settings"
                    || self.ev.project.module(&canonical).is_none()
                    || name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                {
                    if let Some(v) = self.ev.setting(name) {
                        return v;
                    }
                    if let Some(v) = self.default_setting(&canonical, name) {
                        return v;
                    }
                    return Val::Unknown(format!("setting {name}"));
                }
            }
            let canonical = self.ev.project.resolver.resolve(&self.m.module, &dotted);
            if let Some(v) = self.ev.lookup_global(&canonical) {
                return v;
            }
            if self.ev.project.module(&canonical).is_some() {
                return Val::Module(canonical);
            }
            // an attribute of an instance imported from another module
            if let Some(o) = self.instance_at(base) {
                return self.instance_attr(&o, attr);
            }
            return Val::Unknown(canonical);
        }
        Val::Unknown(attr.to_string())
    }

    /// Whether `base` is rooted at a variable holding a module or an app
    /// config (`urlmod.urlpatterns`, `app.name` in a top-level loop).
    fn object_root(&self, base: &Expr) -> bool {
        let Expr::Name(n) = root(base) else {
            return false;
        };
        matches!(
            self.env
                .get(n.as_str())
                .or_else(|| self.outer.and_then(|o| o.get(n.as_str()))),
            Some(Val::Module(_) | Val::App(_) | Val::Instance(_))
        )
    }

    /// `app.name`, `app.label`, `app.module`, or a class attribute of its AppConfig.
    fn app_attr(&self, a: &super::apps::AppInfo, attr: &str) -> Val {
        match attr {
            "name" => Val::Str(a.module.clone()),
            "label" => Val::Str(a.label.clone()),
            "module" if self.ev.project.module(&a.module).is_some() => {
                Val::Module(a.module.clone())
            }
            _ => match &a.config {
                Some(c) => self.class_attr(c, attr),
                None => Val::Unknown(format!("{}.{attr}", a.module)),
            },
        }
    }

    /// `hasattr(obj, name)` for the objects this interpreter models.
    fn has_attr(&self, obj: &Val, name: &str) -> Option<bool> {
        match obj {
            Val::App(a) => {
                if APP_CONFIG_ATTRS.contains(&name) {
                    return Some(true);
                }
                let Some(config) = &a.config else {
                    // an app of the scanned code without an AppConfig gets Django's own
                    return a.own.then_some(false);
                };
                for c in super::classes::mro(self.ev.project, config) {
                    if c == "django.apps.AppConfig" || c == "django.apps.config.AppConfig" {
                        continue;
                    }
                    let (_, cd) = super::classes::find(self.ev.project, &c)?;
                    if cd.attr(name).is_some()
                        || cd.inner_class(name).is_some()
                        || cd.methods().any(|f| f.name == name)
                    {
                        return Some(true);
                    }
                }
                Some(false)
            }
            Val::Module(m) => {
                let env = self.ev.env(m)?;
                Some(
                    env.contains_key(name)
                        || self.ev.project.resolver.is_bound(m, name)
                        || self.ev.project.module(&format!("{m}.{name}")).is_some(),
                )
            }
            Val::Instance(o) => {
                if o.lost().is_some() {
                    return None;
                }
                if o.get(name).is_some() {
                    return Some(true);
                }
                let mut found = false;
                for c in super::classes::mro(self.ev.project, &o.class) {
                    let Some((_, cd)) = super::classes::find(self.ev.project, &c) else {
                        continue;
                    };
                    if cd.methods().any(|f| f.name == "__getattr__") {
                        return None;
                    }
                    found |= cd.attr(name).is_some()
                        || cd.inner_class(name).is_some()
                        || cd.methods().any(|f| f.name == name);
                }
                Some(found)
            }
            Val::Url(u) => {
                let include = matches!(u.view_val, Some(Val::Include(_)));
                match name {
                    "url_patterns" | "urlconf_name" => Some(include),
                    "callback" => Some(!include),
                    "pattern" => Some(true),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `getattr(obj, name[, default])`.
    fn get_attr(&self, obj: &Val, name: &str, default: Option<Val>) -> Val {
        let unknown = || Val::Unknown(format!("getattr(..., {name:?})"));
        match self.has_attr(obj, name) {
            Some(true) => match obj {
                Val::App(a) => self.app_attr(a, name),
                Val::Module(m) => self.eval_inner(&Expr::Resolved(format!("{m}.{name}").into())),
                Val::Instance(o) => self.instance_attr(o, name),
                _ => unknown(),
            },
            Some(false) => default.unwrap_or_else(unknown),
            None => unknown(),
        }
    }

    /// `importlib.import_module(name)` / `importlib.util.find_spec(name)`:
    /// a scanned module; for a missing module under a scanned package,
    /// `None` from `find_spec` and an `ImportError` from `import_module`.
    fn import_module(&self, c: &Call, find_spec: bool) -> Val {
        let Some(Val::Str(name)) = c.arg(0, "name").map(|a| self.eval(a)) else {
            return Val::Unknown("import_module() of a name not known statically".into());
        };
        if name.starts_with('.') {
            return Val::Unknown(format!("import_module({name:?})"));
        }
        if self.ev.project.module(&name).is_some() {
            return Val::Module(name);
        }
        let parent_own = name
            .rsplit_once('.')
            .is_some_and(|(p, _)| self.ev.project.module(p).is_some());
        match (parent_own, find_spec) {
            (true, true) => Val::None,
            (true, false) => Val::Unknown(format!("{IMPORT_ERROR}{name}")),
            (false, _) => Val::Unknown(format!("import_module({name:?}): not in the scanned code")),
        }
    }

    /// An app's own settings wrapper (`from .conf import settings`) falls back to
    /// defaults defined next to it: `<package>.defaults`, `<package>.default_settings`.
    fn default_setting(&self, wrapper: &str, name: &str) -> Option<Val> {
        let (module, _) = wrapper.rsplit_once('.')?;
        if !super::urls::is_own(self.ev.project, wrapper) {
            return None;
        }
        let pkg = module.rsplit_once('.').map_or(module, |(p, _)| p);
        let mut cands: Vec<&str> = self
            .ev
            .project
            .files
            .iter()
            .map(|f| f.module.as_str())
            .filter(|m| {
                (m.starts_with(&format!("{pkg}.")) || *m == module)
                    && m.rsplit('.')
                        .next()
                        .is_some_and(|l| l.contains("default") || l == "settings")
            })
            .collect();
        cands.sort();
        cands
            .into_iter()
            .find_map(|m| self.ev.env(m).and_then(|e| e.get(name).cloned()))
    }

    /// Evaluates `f"{a}/{settings.B}"` when every placeholder is a known string.
    fn fstring(&self, text: &str) -> Val {
        let t = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let body = if let Some(b) = t
            .strip_prefix("\"\"\"")
            .and_then(|b| b.strip_suffix("\"\"\""))
        {
            b
        } else if let Some(b) = t.strip_prefix("'''").and_then(|b| b.strip_suffix("'''")) {
            b
        } else if t.len() >= 2 {
            &t[1..t.len() - 1]
        } else {
            return Val::Unknown(text.to_string());
        };
        let mut out = String::new();
        let mut rest = body;
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&rest[..i]);
            let c = rest.as_bytes()[i];
            if rest[i + 1..].starts_with(c as char) {
                out.push(c as char);
                rest = &rest[i + 2..];
                continue;
            }
            if c == b'}' {
                return Val::Unknown(text.to_string());
            }
            let Some(j) = rest[i..].find('}') else {
                return Val::Unknown(text.to_string());
            };
            let inner = rest[i + 1..i + j].trim();
            let expr = if inner.contains('.') {
                let mut parts = inner.split('.');
                let mut e = Expr::Name(parts.next().unwrap_or_default().into());
                for p in parts {
                    e = Expr::Attr(Box::new(e), p.into());
                }
                e
            } else {
                Expr::Name(inner.into())
            };
            if !inner
                .chars()
                .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '.')
            {
                return Val::Unknown(text.to_string());
            }
            match self.eval(&expr) {
                Val::Str(s) => out.push_str(&s),
                Val::Int(n) => out.push_str(&n.to_string()),
                _ => return Val::Unknown(text.to_string()),
            }
            rest = &rest[i + j + 1..];
        }
        out.push_str(rest);
        Val::Str(out)
    }

    /// The scanned class a value denotes (`cls`, or a kept reference to a class).
    fn class_of(&self, v: &Val) -> Option<String> {
        let c = match v {
            Val::Class(c) => c.clone(),
            Val::Expr(e) => abs_dotted(e)?,
            _ => return None,
        };
        super::classes::find(self.ev.project, &c).map(|_| c)
    }

    /// A class attribute along the MRO, evaluated in the module it is written in.
    fn class_attr(&self, class: &str, attr: &str) -> Val {
        let Some((e, m)) = super::classes::attr(self.ev.project, class, attr) else {
            return Val::Unknown(format!("{class}.{attr}"));
        };
        if self.depth >= MAX_CALL_DEPTH {
            return Val::Unknown(format!("{class}.{attr}"));
        }
        let globals = self.ev.env(&m.module);
        let mut locals = Env::default();
        let cx = Cx {
            ev: self.ev,
            m,
            env: &mut locals,
            outer: globals.as_deref(),
            depth: self.depth + 1,
        };
        match cx.eval(e) {
            Val::Expr(_) => Val::Unknown(format!("{class}.{attr}")),
            v => v,
        }
    }

    fn comprehension(&self, c: &Comp) -> Val {
        if self.depth == 0 {
            // top level: the loop variables in a scope of their own, globals outside
            let mut env = Env::default();
            let cx = Cx {
                ev: self.ev,
                m: self.m,
                env: &mut env,
                outer: Some(&*self.env),
                depth: 0,
            };
            return cx.comprehension_in_own_scope(c);
        }
        self.comprehension_in_own_scope(c)
    }

    fn comprehension_in_own_scope(&self, c: &Comp) -> Val {
        let mut env = self.env.clone();
        let mut out = Vec::new();
        let mut count = 0;
        if let Err(why) = self.generate(c, 0, &mut env, &mut out, &mut count) {
            return Val::Unknown(format!("{}: {why}", c.text));
        }
        if c.key.is_some() {
            Val::Dict(
                out.into_iter()
                    .map(|(k, v)| (k.unwrap_or(Val::None), v))
                    .collect(),
            )
        } else {
            Val::List(out.into_iter().map(|(_, v)| v).collect())
        }
    }

    fn generate(
        &self,
        c: &Comp,
        gi: usize,
        env: &mut Env,
        out: &mut Vec<(Option<Val>, Val)>,
        count: &mut usize,
    ) -> Result<(), String> {
        let cx = Cx {
            ev: self.ev,
            m: self.m,
            env,
            outer: self.outer,
            depth: self.depth,
        };
        let Some(g) = c.generators.get(gi) else {
            *count += 1;
            if *count > MAX_ITEMS {
                return Err("too many items".into());
            }
            let k = c.key.as_ref().map(|k| cx.eval(k));
            out.push((k, cx.eval(&c.elt)));
            return Ok(());
        };
        let items = iterate(cx.eval(&g.iter))?;
        for item in items {
            if !self.tick() {
                return Err("evaluation budget exhausted".into());
            }
            if !bind(cx.env, &g.target, item) {
                return Err("unpacking".into());
            }
            let mut keep = true;
            for cond in &g.conditions {
                match cx.eval(cond).truthy() {
                    Some(true) => {}
                    Some(false) => keep = false,
                    None => return Err(format!("condition {}", cond.describe())),
                }
            }
            if keep {
                self.generate(c, gi + 1, cx.env, out, count)?;
            }
        }
        Ok(())
    }

    /// `x.keys()`, `"a%s".format(...)`, `s.rstrip("/")` on a known value.
    fn value_method(&self, base: &Expr, method: &str, c: &Call) -> Option<Val> {
        if !VALUE_METHODS.contains(&method) || c.has_splat {
            return None;
        }
        let b = self.eval(base);
        let args: Vec<Val> = c.args.iter().map(|a| self.eval(a)).collect();
        let sarg = |i: usize| args.get(i).and_then(|a| a.as_str());
        Some(match (&b, method) {
            (Val::Dict(d), "keys") => Val::List(d.iter().map(|(k, _)| k.clone()).collect()),
            (Val::Dict(d), "values") => Val::List(d.iter().map(|(_, v)| v.clone()).collect()),
            (Val::Dict(d), "items") => Val::List(
                d.iter()
                    .map(|(k, v)| Val::Tuple(vec![k.clone(), v.clone()]))
                    .collect(),
            ),
            (Val::Dict(_) | Val::List(_), "copy") => b.clone(),
            (Val::Dict(d), "get") => match find_key(d, args.first()?) {
                Some(Some(i)) => d[i].1.clone(),
                Some(None) => args.get(1).cloned().unwrap_or(Val::None),
                None => Val::Unknown("get() of a key not known".into()),
            },
            (Val::Str(s), "format") => {
                let kwargs: Vec<(String, Val)> = c
                    .kwargs
                    .iter()
                    .map(|(k, v)| (k.to_string(), self.eval(v)))
                    .collect();
                crate::python::scope::str_format(
                    s,
                    |i| args.get(i).and_then(scalar),
                    |k| {
                        kwargs
                            .iter()
                            .find(|(n, _)| n == k)
                            .and_then(|(_, v)| scalar(v))
                    },
                )
                .map_or_else(|| Val::Unknown(format!("{s:?}.format(...)")), Val::Str)
            }
            (Val::Str(s), "rstrip" | "lstrip" | "strip") => {
                let chars: Vec<char> = match args.first() {
                    None | Some(Val::None) => vec![' ', '\t', '\n', '\r'],
                    Some(Val::Str(x)) => x.chars().collect(),
                    _ => return Some(Val::Unknown(method.into())),
                };
                Val::Str(
                    match method {
                        "rstrip" => s.trim_end_matches(&chars[..]),
                        "lstrip" => s.trim_start_matches(&chars[..]),
                        _ => s.trim_matches(&chars[..]),
                    }
                    .to_string(),
                )
            }
            (Val::Str(s), "lower") => Val::Str(s.to_lowercase()),
            (Val::Str(s), "upper") => Val::Str(s.to_uppercase()),
            (Val::Str(s), "replace") => match (sarg(0), sarg(1)) {
                (Some(a), Some(r)) => Val::Str(s.replace(a, r)),
                _ => Val::Unknown("replace".into()),
            },
            (Val::Str(s), "join") => match args.first().map(|a| iterate(a.clone())) {
                Some(Ok(items)) if items.iter().all(|i| i.as_str().is_some()) => Val::Str(
                    items
                        .iter()
                        .filter_map(|i| i.as_str())
                        .collect::<Vec<_>>()
                        .join(s),
                ),
                _ => Val::Unknown("join".into()),
            },
            _ => return None,
        })
    }

    /// Calls a function or method defined in scanned code; `None` when it is
    /// not one (or one this interpreter does not run: closures, decorators).
    fn call_own(&self, canonical: &str, bound: Option<&str>, c: &Call) -> Option<Val> {
        let (fd, m, cls) = match bound {
            Some(class) => {
                let (fd, m) = find_method(self.ev.project, class, canonical)?;
                (fd, m, Some(class.to_string()))
            }
            None => match self.ev.project.function(canonical) {
                Some((fd, m)) => (fd, m, None),
                None => {
                    let (class, meth) = canonical.rsplit_once('.')?;
                    super::classes::find(self.ev.project, class)?;
                    let (fd, m) = find_method(self.ev.project, class, meth)?;
                    (fd, m, Some(class.to_string()))
                }
            },
        };
        let first = match (&cls, method_kind(fd)) {
            (Some(class), MethodKind::Class) => Some(Val::Class(class.clone())),
            (Some(_), MethodKind::Instance | MethodKind::Property) if bound.is_some() => {
                // an instance method through `cls`
                return Some(Val::Unknown(format!("{}(...)", c.func.describe())));
            }
            _ => None,
        };
        self.invoke(fd, m, first, c)
    }

    /// `obj.method(...)` on an instance: its class's method with `self` bound.
    fn call_method(&self, o: &Rc<Obj>, method: &str, c: &Call) -> Val {
        let unknown = || Val::Unknown(format!("{}.{method}(...)", o.class));
        if let Some(why) = o.lost() {
            return Val::Unknown(why);
        }
        if o.get(method).is_some() {
            return unknown(); // a callable stored on the instance
        }
        let Some((fd, m)) = find_method(self.ev.project, &o.class, method) else {
            return unknown();
        };
        let first = match method_kind(fd) {
            MethodKind::Instance => Some(Val::Instance(o.clone())),
            MethodKind::Class => Some(Val::Class(o.class.clone())),
            MethodKind::Static => None,
            MethodKind::Property => return unknown(),
        };
        self.invoke(fd, m, first, c).unwrap_or_else(unknown)
    }

    /// `Cls(...)` for a class wholly in scanned code (every base too, and no
    /// decorator, metaclass or `__new__` that could make something else): a new
    /// instance, `__init__` run on it.
    fn instantiate(&self, class: &str, c: &Call) -> Option<Val> {
        let project = self.ev.project;
        let mut truthy = true;
        for k in super::classes::mro(project, class) {
            let Some((_, cd)) = super::classes::find(project, &k) else {
                if k.rsplit('.').next() == Some("object") {
                    continue;
                }
                return None;
            };
            if !cd.decorators.is_empty()
                || !cd.keywords.is_empty()
                || cd.methods().any(|f| f.name == "__new__")
            {
                return None;
            }
            truthy &= !cd
                .methods()
                .any(|f| f.name == "__bool__" || f.name == "__len__");
        }
        let o = Rc::new(Obj {
            class: class.to_string(),
            attrs: RefCell::new(Vec::new()),
            lost: RefCell::new(None),
            truthy,
        });
        let has_init = find_method(project, class, "__init__").is_some();
        if has_init {
            if let Val::Unknown(why) = self.call_method(&o, "__init__", c) {
                return Some(Val::Unknown(why));
            }
        } else if !c.args.is_empty() || !c.kwargs.is_empty() || c.has_splat {
            return Some(Val::Unknown(format!(
                "{class}(...): arguments do not match"
            )));
        }
        Some(Val::Instance(o))
    }

    /// `f(...)` where `f` is a class (a new instance), an instance (`__call__`)
    /// or a variable holding a scanned function.
    fn call_object(&self, canonical: Option<&str>, c: &Call) -> Option<Val> {
        if let Some(k) = canonical
            && super::classes::find(self.ev.project, k).is_some()
        {
            return self.instantiate(k, c);
        }
        match self.eval(&c.func) {
            Val::Instance(o) => Some(self.call_method(&o, "__call__", c)),
            v => match (self.class_of(&v), &v) {
                (Some(k), _) => self.instantiate(&k, c),
                // a function held in a variable (`hook = getattr(mod, "register")`)
                (None, Val::Expr(e)) => self.call_own(&abs_dotted(e)?, None, c),
                _ => None,
            },
        }
    }

    /// Runs a scanned function with `first` (`self` / `cls`) and the call's
    /// arguments bound; `None` for a function not interpreted (closures, nested
    /// imports). When it fails or is not run, the instances it was given or
    /// may have changed are lost.
    fn invoke(&self, fd: &FuncDef, m: &SourceModule, first: Option<Val>, c: &Call) -> Option<Val> {
        let mut args: Vec<Val> = c
            .args
            .iter()
            .map(|a| {
                let v = self.eval(a);
                self.keep_expr(a, v)
            })
            .collect();
        args.splice(0..0, first);
        let mark = self.ev.mark();
        let given: Vec<Val> = args
            .iter()
            .filter(|v| matches!(v, Val::Instance(_)))
            .cloned()
            .collect();
        // a body the scan did not read is read now; nested definitions
        // (closures, decorator factories) are not interpreted
        let body = self.ev.project.sources.body(m, fd);
        let mut nested = body.is_none();
        crate::python::ir::walk_stmts(body.as_deref().unwrap_or_default(), |s, _| {
            nested |= matches!(s, Stmt::Func(_) | Stmt::Class(_) | Stmt::Import(..))
        });
        let Some(body) = body.filter(|_| !nested) else {
            self.ev.lose_since(mark, &given, "a call not interpreted");
            return None;
        };
        let name = format!("{}(...)", c.func.describe());
        if self.depth >= MAX_CALL_DEPTH || c.has_splat {
            self.ev.lose_since(mark, &given, &name);
            return Some(Val::Unknown(name));
        }
        Some(
            self.invoke_with(fd, &body, m, args, c, &name)
                .unwrap_or_else(|why| {
                    self.ev.lose_since(mark, &given, &why);
                    Val::Unknown(why)
                }),
        )
    }

    fn invoke_with(
        &self,
        fd: &FuncDef,
        body: &[Stmt],
        m: &SourceModule,
        args: Vec<Val>,
        c: &Call,
        name: &str,
    ) -> Result<Val, String> {
        let globals = self.ev.env(&m.module);
        let outer: Option<&Env> = match &globals {
            Some(g) => Some(g),
            None if m.module == self.m.module => {
                if self.depth == 0 {
                    Some(&*self.env)
                } else {
                    self.outer
                }
            }
            None => None,
        };
        let mut locals = Env::default();
        let mut rest = args.into_iter();
        let mut used_kwargs = 0;
        let mut kw_splat = None;
        for (i, p) in fd.params.iter().enumerate() {
            let default = fd.defaults.get(i).and_then(|d| d.as_ref());
            let v = if let Some(Param::Args) = default {
                Val::Tuple(rest.by_ref().collect())
            } else if let Some(Param::Kwargs) = default {
                kw_splat = Some(p.clone());
                continue;
            } else if let Some(v) = rest.next() {
                v
            } else if let Some(kw) = c.kwarg(p) {
                used_kwargs += 1;
                let v = self.eval(kw);
                self.keep_expr(kw, v)
            } else if let Some(Param::Default(d)) = default {
                let mut empty = Env::default();
                let dcx = Cx {
                    ev: self.ev,
                    m,
                    env: &mut empty,
                    outer,
                    depth: self.depth + 1,
                };
                dcx.eval(d)
            } else {
                return Err(format!("{name}: missing argument {p}"));
            };
            locals.insert(p.to_string(), v);
        }
        if rest.next().is_some() {
            return Err(format!("{name}: arguments do not match"));
        }
        if let Some(kw) = kw_splat {
            let extra = c
                .kwargs
                .iter()
                .filter(|(k, _)| !fd.params.contains(k))
                .map(|(k, e)| {
                    let v = self.eval(e);
                    (Val::Str(k.to_string()), self.keep_expr(e, v))
                })
                .collect();
            locals.insert(kw.to_string(), Val::Dict(extra));
        } else if used_kwargs < c.kwargs.len() {
            return Err(format!("{name}: arguments do not match"));
        }
        let mut cx = Cx {
            ev: self.ev,
            m,
            env: &mut locals,
            outer,
            depth: self.depth + 1,
        };
        match cx.exec(body) {
            // kept expressions are only meaningful inside the helper
            Flow::Return(Val::Expr(_)) if self.depth == 0 => Ok(Val::Unknown(format!(
                "{name}: value known only at run time"
            ))),
            Flow::Return(v) => Ok(v),
            Flow::Next | Flow::Break | Flow::Continue => Ok(Val::None),
            Flow::Abort(why) => Err(format!("{name}: {why}")),
        }
    }

    /// `name += value`.
    fn add_to_name(&mut self, name: &str, value: &Expr) {
        let rhs = self.eval(value);
        let lhs = self.name(name);
        self.env.insert(name.to_string(), add(lhs, rhs));
    }

    /// Runs a helper function's statements.
    fn exec(&mut self, body: &[Stmt]) -> Flow {
        if let Some(Stmt::Guard(_)) = body.first() {
            return self.exec_if(body).unwrap_or(Flow::Next);
        }
        for stmt in body {
            if !self.tick() {
                return Flow::Abort("evaluation budget exhausted".into());
            }
            match stmt {
                Stmt::Block(b) if is_try(b) => match self.exec_try(b) {
                    Flow::Next => {}
                    f => return f,
                },
                Stmt::Block(b) => match self.exec(b) {
                    Flow::Next => {}
                    f => return f,
                },
                Stmt::Assign {
                    targets,
                    value: Some(value),
                    ..
                } => {
                    let v = match value {
                        Expr::Call(c) if c.func.last_name() == Some("pop") => match self.pop(c) {
                            Some(v) => v,
                            None => return Flow::Abort(value.describe()),
                        },
                        _ => self.eval(value),
                    };
                    if let Val::Unknown(why) = &v
                        && why.starts_with(IMPORT_ERROR)
                    {
                        return Flow::Abort(why.clone());
                    }
                    for t in targets {
                        let r = match t {
                            Expr::Attr(..) | Expr::Subscript(..) => self.assign_into(t, v.clone()),
                            _ if bind(self.env, t, v.clone()) => Ok(()),
                            _ => Err(format!("assignment to {}", t.describe())),
                        };
                        if let Err(why) = r {
                            self.lose_root(t, &why);
                            return Flow::Abort(why);
                        }
                    }
                }
                Stmt::Assign { value: None, .. } => {}
                Stmt::AugAssign {
                    target: Expr::Name(n),
                    op,
                    value,
                    ..
                } if op.starts_with('+') => self.add_to_name(n, value),
                Stmt::AugAssign {
                    target: t @ (Expr::Attr(..) | Expr::Subscript(..)),
                    op,
                    value,
                    ..
                } if op.starts_with('+') => {
                    let v = add(self.eval(t), self.eval(value));
                    if let Err(why) = self.assign_into(t, v) {
                        self.lose_root(t, &why);
                        return Flow::Abort(why);
                    }
                }
                Stmt::Expr(Expr::Call(c), _)
                    if c.func.dotted().is_some_and(|d| {
                        self.ev.project.resolver.resolve(&self.m.module, &d)
                            == "importlib.import_module"
                    }) =>
                {
                    if let Val::Unknown(why) = self.call(c)
                        && why.starts_with(IMPORT_ERROR)
                    {
                        return Flow::Abort(why);
                    }
                }
                Stmt::Expr(Expr::Call(c), _) => {
                    if let Err(why) = self.exec_call(c) {
                        return Flow::Abort(why);
                    }
                }
                Stmt::Expr(..) => {}
                Stmt::Return(e, _) => {
                    return Flow::Return(e.as_ref().map_or(Val::None, |e| self.eval(e)));
                }
                Stmt::For {
                    target, iter, body, ..
                } => match self.exec_for(target, iter, body) {
                    Flow::Next => {}
                    f => return f,
                },
                Stmt::Guard(_) => {}
                Stmt::Exit(kind) => {
                    return match kind.as_str() {
                        "break" => Flow::Break,
                        "continue" => Flow::Continue,
                        _ => Flow::Abort(kind.to_string()),
                    };
                }
                s => {
                    return Flow::Abort(
                        format!("unsupported statement {s:?}")
                            .chars()
                            .take(80)
                            .collect(),
                    );
                }
            }
        }
        Flow::Next
    }

    /// A `for` loop in a helper. Over installed apps (`apps.get_app_configs()`),
    /// an iteration that is not understood is skipped, as at top level: an app
    /// outside the scanned code contributes nothing visible here.
    fn exec_for(&mut self, target: &Expr, iter: &Expr, body: &[Stmt]) -> Flow {
        let items = match iterate(self.eval(iter)) {
            Ok(items) => items,
            Err(why) => return Flow::Abort(format!("for loop over {why}")),
        };
        let per_app = items.iter().all(|i| matches!(i, Val::App(_)));
        for item in items {
            if !bind(self.env, target, item) {
                return Flow::Abort("loop unpacking".into());
            }
            let mark = self.ev.mark();
            let saved = per_app.then(|| self.env.clone());
            match self.exec(body) {
                Flow::Next | Flow::Continue => {}
                Flow::Break => break,
                Flow::Abort(why) if per_app => {
                    *self.env = saved.unwrap_or_default();
                    self.ev.lose_since(mark, &[], &why);
                }
                f => return f,
            }
        }
        Flow::Next
    }

    /// A call statement inside a helper: a change in place (see `mutate`),
    /// `pop`, a router registration, or a call for its effects. Any other
    /// method of a local value this interpreter does not model is not understood.
    fn exec_call(&mut self, c: &Call) -> Result<(), String> {
        if let Expr::Attr(base, m) = &c.func {
            if let Some(r) = self.mutate(base, m, c) {
                return r.inspect_err(|why| self.lose_root(base, why));
            }
            if let Some(var) = base.as_name()
                && let Some(v) = self.env.get(var)
            {
                match (m.as_str(), v) {
                    ("pop", _) => {
                        return self
                            .pop(c)
                            .map(|_| ())
                            .ok_or_else(|| format!("{var}.pop(...)"));
                    }
                    ("register", v) => {
                        if let Val::Router(id) = v {
                            self.register(*id, c);
                        }
                        return Ok(());
                    }
                    (_, Val::Instance(_)) => {}
                    _ => return Err(format!("{var}.{m}(...)")),
                }
            }
        }
        self.call(c);
        Ok(())
    }

    /// A `try` block: an `ImportError` raised in its body (`import_module` of
    /// a missing module) runs the first `except` handler instead of `else`.
    fn exec_try(&mut self, b: &[Stmt]) -> Flow {
        let Some(Stmt::Block(body)) = b.first() else {
            return Flow::Next;
        };
        let mut raised = match self.exec(body) {
            Flow::Next => None,
            Flow::Abort(why) if why.starts_with(IMPORT_ERROR) => Some(why),
            f => return f,
        };
        let failed = raised.is_some();
        for alt in &b[1..] {
            let Stmt::Block(ab) = alt else { continue };
            let f = match ab.first() {
                Some(Stmt::Guard(Some(Expr::Other(t)))) if t == "except" => match raised.take() {
                    Some(_) => self.exec(&ab[1..]),
                    None => Flow::Next,
                },
                Some(Stmt::Guard(None)) if failed => Flow::Next,
                Some(Stmt::Guard(None)) => self.exec(&ab[1..]),
                _ => self.exec(ab),
            };
            if !matches!(f, Flow::Next) {
                return f;
            }
        }
        match raised {
            Some(why) => Flow::Abort(why),
            None => Flow::Next,
        }
    }

    /// `local.pop(key[, default])` on a known dict, `local.pop([index])` on a known list.
    fn pop(&mut self, c: &Call) -> Option<Val> {
        let Expr::Attr(base, _) = &c.func else {
            return None;
        };
        let var = base.as_name()?;
        let args: Vec<Val> = c.args.iter().map(|a| self.eval(a)).collect();
        match self.env.get_mut(var)? {
            Val::Dict(d) => {
                let key = args.first()?;
                match d.iter().position(|(k, _)| val_eq(k, key) == Some(true)) {
                    Some(i) => Some(d.remove(i).1),
                    None if d.iter().all(|(k, _)| val_eq(k, key).is_some()) => args.get(1).cloned(),
                    None => None,
                }
            }
            Val::List(v) if !v.is_empty() => match args.first() {
                None => v.pop(),
                Some(Val::Int(i)) if *i >= 0 && (*i as usize) < v.len() => {
                    Some(v.remove(*i as usize))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// An `if` block `[Guard(test), Block(then), elif/else blocks...]`:
    /// `None` when no branch is taken.
    fn exec_if(&mut self, b: &[Stmt]) -> Option<Flow> {
        let Some(Stmt::Guard(test)) = b.first() else {
            return Some(self.exec(b));
        };
        let taken = match test {
            None => Some(true),
            Some(Expr::Other(t)) if t == "except" => Some(false),
            Some(t) => self.eval(t).truthy(),
        };
        match taken {
            None => Some(Flow::Abort(format!(
                "condition {}",
                test.as_ref().map(|t| t.describe()).unwrap_or_default()
            ))),
            Some(true) => Some(self.exec(b.get(1).map(std::slice::from_ref).unwrap_or(&[]))),
            Some(false) => {
                for alt in b.iter().skip(2) {
                    if let Stmt::Block(ab) = alt
                        && let Some(f) = self.exec_if(ab)
                    {
                        return Some(f);
                    }
                }
                None
            }
        }
    }

    fn call(&self, c: &Call) -> Val {
        if let Expr::Attr(base, method) = &c.func {
            if let Some(o) = self.instance_at(base) {
                return self.call_method(&o, method, c);
            }
            if matches!(**base, Expr::Call(_)) && !VALUE_METHODS.contains(&method.as_str()) {
                // `Cls(...).method()`: the receiver is evaluated once (effects included)
                return match self.eval(base) {
                    Val::Instance(o) => self.call_method(&o, method, c),
                    _ => Val::Unknown(format!("{}(...)", c.func.describe())),
                };
            }
            if let Some(v) = self.value_method(base, method, c) {
                return v;
            }
            // cls.method(...) / view.method(...) on a class value
            if self.depth > 0 && root_is_local(base, self.env)
                || matches!(root(base), Expr::Resolved(_))
            {
                let b = self.eval(base);
                if let Some(class) = self.class_of(&b)
                    && let Some(v) = self.call_own(method, Some(&class), c)
                {
                    return v;
                }
                return Val::Unknown(format!("{}(...)", c.func.describe()));
            }
        }
        let canonical = match (abs_dotted(&c.func), c.func.dotted()) {
            (Some(a), _) => a,
            (None, Some(d)) => self.ev.project.resolver.resolve(&self.m.module, &d),
            (None, None) => {
                return self
                    .call_object(None, c)
                    .unwrap_or_else(|| Val::Unknown(c.func.describe()));
            }
        };
        if let Some((_, kind)) = URL_FUNCS.iter().find(|(f, _)| *f == canonical) {
            let Some(pattern) = c.arg(0, "route").or_else(|| c.kwarg("regex")) else {
                return Val::Unknown("path() without a pattern".into());
            };
            let Some(view) = c.arg(1, "view") else {
                return Val::Unknown("path() without a view".into());
            };
            let name = c
                .arg(3, "name")
                .and_then(|e| self.eval(e).as_str().map(String::from));
            let view_val = match view {
                Expr::Call(_) | Expr::Attr(..) if is_include_or_urls(self, view) => {
                    Some(self.eval(view))
                }
                // `inc = include(...)` then `path("x/", inc)`
                Expr::Name(_) => match self.eval(view) {
                    v @ Val::Include(_) => Some(v),
                    _ => None,
                },
                _ => None,
            };
            return Val::Url(Rc::new(UrlEntry {
                kind,
                pattern: self.eval(pattern),
                view: if self.depth > 0 {
                    self.subst(view, false)
                } else {
                    view.clone()
                },
                view_val,
                name,
                module: self.m.module.clone(),
                file: self.m.path.clone(),
                pos: c.pos,
            }));
        }
        let last = canonical.rsplit('.').next().unwrap_or("");
        match canonical.as_str() {
            "django.urls.include" | "django.urls.conf.include" | "django.conf.urls.include" => {
                let Some(arg) = c.arg(0, "arg") else {
                    return Val::Unknown("include()".into());
                };
                let namespace = c
                    .arg(1, "namespace")
                    .and_then(|e| self.eval(e).as_str().map(String::from));
                return Val::Include(Rc::new(Include {
                    target: self.eval(arg),
                    namespace,
                    module: self.m.module.clone(),
                }));
            }
            "django.conf.urls.i18n.i18n_patterns" => {
                let pdl = c
                    .kwarg("prefix_default_language")
                    .and_then(|e| self.eval(e).truthy())
                    .unwrap_or(true);
                return Val::I18n(c.args.iter().map(|a| self.eval(a)).collect(), pdl);
            }
            "django.conf.urls.static.static" => return Val::List(vec![]),
            "django.apps.apps.get_app_configs" | "django.apps.registry.apps.get_app_configs" => {
                let apps = self.ev.apps.borrow();
                if apps.is_empty() {
                    return Val::Unknown("apps.get_app_configs()".into());
                }
                return Val::List(apps.iter().map(|a| Val::App(Rc::new(a.clone()))).collect());
            }
            "importlib.import_module" => return self.import_module(c, false),
            "importlib.util.find_spec" => return self.import_module(c, true),
            "django.conf.urls.patterns" => {
                // legacy patterns("prefix", url(...), ...): string views get the prefix
                return Val::List(c.args.iter().skip(1).map(|a| self.eval(a)).collect());
            }
            _ => {}
        }
        if last == "format_suffix_patterns" && canonical.starts_with("rest_framework") {
            if let Some(a) = c.args.first()
                && let Val::List(v) = self.eval(a)
            {
                return Val::Suffixed(v);
            }
            return Val::Unknown("format_suffix_patterns".into());
        }
        if is_router_class(self.ev.project, &canonical) {
            let kwargs = c
                .kwargs
                .iter()
                .map(|(k, v)| (k.to_string(), self.eval(v)))
                .collect();
            let mut routers = self.ev.routers.borrow_mut();
            routers.push(Router {
                class: canonical,
                kwargs,
                registry: Vec::new(),
                module: self.m.module.clone(),
            });
            return Val::Router(routers.len() - 1);
        }
        // builtins: a bare name bound neither at top level nor locally
        let bname = match &c.func {
            Expr::Name(n)
                if !self.ev.project.resolver.is_bound(&self.m.module, n)
                    && !self.env.contains_key(n.as_str())
                    && !self.outer.is_some_and(|o| o.contains_key(n.as_str())) =>
            {
                n.as_str()
            }
            _ => canonical.as_str(),
        };
        match bname {
            // `copy.copy(X)` of a settings list is X for what it declares
            "list" | "tuple" | "copy.copy" | "copy.deepcopy" => {
                return c
                    .args
                    .first()
                    .map(|a| match self.eval(a) {
                        Val::Tuple(v) | Val::List(v) => Val::List(v),
                        o => o,
                    })
                    .unwrap_or(Val::List(vec![]));
            }
            "str" => {
                if let Some(a) = c.args.first() {
                    return match self.eval(a) {
                        Val::Int(i) => Val::Str(i.to_string()),
                        v => v,
                    };
                }
            }
            "hasattr" | "getattr" if !c.has_splat && (2..=3).contains(&c.args.len()) => {
                let obj = self.eval(&c.args[0]);
                let Val::Str(name) = self.eval(&c.args[1]) else {
                    return Val::Unknown(format!("{bname}(...)"));
                };
                if bname == "hasattr" {
                    if c.args.len() == 2 {
                        return self.has_attr(&obj, &name).map_or_else(
                            || Val::Unknown(format!("hasattr(..., {name:?})")),
                            Val::Bool,
                        );
                    }
                } else {
                    let default = c.args.get(2).map(|d| self.eval(d));
                    return self.get_attr(&obj, &name, default);
                }
            }
            "enumerate" | "range" | "len" | "zip" | "reversed" | "sorted" if !c.has_splat => {
                let args: Vec<Val> = c.args.iter().map(|a| self.eval(a)).collect();
                if let Some(v) = builtin(bname, args) {
                    return v;
                }
            }
            _ => {}
        }
        if let Some(v) = self
            .call_own(&canonical, None, c)
            .or_else(|| self.call_object(Some(&canonical), c))
        {
            return v;
        }
        Val::Unknown(format!("{canonical}(...)"))
    }
}

fn is_include_or_urls(cx: &Cx, view: &Expr) -> bool {
    match view {
        Expr::Attr(_, a) => a == "urls",
        Expr::Call(c) => c.func.dotted().is_some_and(|d| {
            let r = cx.ev.project.resolver.resolve(&cx.m.module, &d);
            r.ends_with(".include") && r.starts_with("django.")
        }),
        _ => false,
    }
}

pub fn add(l: Val, r: Val) -> Val {
    let wrap = |v: Val| match v {
        v @ (Val::RouterUrls(_) | Val::Suffixed(_) | Val::I18n(..)) => Val::List(vec![v]),
        v => v,
    };
    match (wrap(l), wrap(r)) {
        (Val::List(mut a), Val::List(b) | Val::Tuple(b)) => {
            a.extend(b);
            Val::List(a)
        }
        (Val::Tuple(mut a), Val::Tuple(b) | Val::List(b)) => {
            a.extend(b);
            Val::Tuple(a)
        }
        (Val::List(mut a), other @ (Val::RouterUrls(_) | Val::Suffixed(_) | Val::I18n(..))) => {
            a.push(other);
            Val::List(a)
        }
        (other @ (Val::RouterUrls(_) | Val::Suffixed(_) | Val::I18n(..)), Val::List(b)) => {
            let mut a = vec![other];
            a.extend(b);
            Val::List(a)
        }
        (Val::Str(a), Val::Str(b)) => Val::Str(a + &b),
        (Val::List(mut a), Val::Unknown(why)) => {
            a.push(Val::Unknown(why));
            Val::List(a)
        }
        (Val::List(mut a), Val::Expr(e)) => {
            a.push(Val::Unknown(e.describe()));
            Val::List(a)
        }
        (Val::Unknown(why), Val::List(b)) => {
            let mut a = vec![Val::Unknown(why)];
            a.extend(b);
            Val::List(a)
        }
        (Val::Unknown(w), _) | (_, Val::Unknown(w)) => Val::Unknown(w),
        _ => Val::Unknown("unsupported +".into()),
    }
}

/// The entry of a dict (`key`, added with `default` when missing and a default
/// is given) or the item of a list (`key` an index).
fn item_mut<'v>(v: &'v mut Val, key: &Val, default: Option<Val>) -> Option<&'v mut Val> {
    match v {
        Val::Dict(d) => {
            let i = match find_key(d, key)? {
                Some(i) => i,
                None => {
                    d.push((key.clone(), default?));
                    d.len() - 1
                }
            };
            Some(&mut d[i].1)
        }
        Val::List(items) => {
            let Val::Int(n) = key else { return None };
            let i = if *n < 0 { items.len() as i64 + n } else { *n };
            items.get_mut(usize::try_from(i).ok()?)
        }
        _ => None,
    }
}

/// The position of `key` in a dict: `Some(None)` when surely absent, `None`
/// when that is not known.
fn find_key(d: &[(Val, Val)], key: &Val) -> Option<Option<usize>> {
    let mut absent = true;
    for (i, (k, _)) in d.iter().enumerate() {
        match val_eq(k, key) {
            Some(true) => return Some(Some(i)),
            Some(false) => {}
            None => absent = false,
        }
    }
    absent.then_some(None)
}

/// `d[key] = v`; `false` when whether `key` is already there is not known.
fn dict_set(d: &mut Vec<(Val, Val)>, key: &Val, v: Val) -> bool {
    match find_key(d, key) {
        Some(Some(i)) => d[i].1 = v,
        Some(None) => d.push((key.clone(), v)),
        None => return false,
    }
    true
}

/// `d[key] = v` on a dict, `l[i] = v` on a list (`v` taken).
fn set_item(target: &mut Val, key: &Val, v: &mut Option<Val>) -> bool {
    if let Val::Dict(d) = target {
        return v.take().is_some_and(|v| dict_set(d, key, v));
    }
    match (item_mut(target, key, None), v.take()) {
        (Some(slot), Some(v)) => {
            *slot = v;
            true
        }
        _ => false,
    }
}

/// A list/dict method that changes its receiver in place, with known arguments.
fn change(v: &mut Val, method: &str, args: &[Val]) -> bool {
    match (v, method, args) {
        // an unknown value stays unknown
        (v @ (Val::Unknown(_) | Val::Expr(_)), ..) => *v = Val::Unknown(format!(".{method}(...)")),
        (Val::List(l), "append", [x]) => l.push(x.clone()),
        (Val::List(l), "extend", [x]) => match iterate(x.clone()) {
            Ok(items) if l.len() + items.len() <= MAX_ITEMS => l.extend(items),
            _ => return false,
        },
        (Val::List(l), "insert", [Val::Int(i), x]) => {
            let len = l.len() as i64;
            let at = if *i < 0 {
                (len + i).max(0)
            } else {
                (*i).min(len)
            };
            l.insert(at as usize, x.clone());
        }
        (Val::List(l), "remove", [x]) => {
            let Some(i) = l.iter().position(|y| val_eq(x, y) == Some(true)) else {
                return false;
            };
            if l[..i].iter().any(|y| val_eq(x, y).is_none()) {
                return false;
            }
            l.remove(i);
        }
        (Val::Dict(d), "update", [Val::Dict(new)]) => {
            if new.iter().any(|(k, _)| find_key(d, k).is_none()) {
                return false;
            }
            for (k, x) in new {
                dict_set(d, k, x.clone());
            }
        }
        _ => return false,
    }
    true
}

/// Whether a block is a `try` statement: its body, then `except` handlers.
fn is_try(b: &[Stmt]) -> bool {
    matches!(b.first(), Some(Stmt::Block(body)) if !matches!(body.first(), Some(Stmt::Guard(_))))
        && b.iter().skip(1).any(|s| {
            matches!(s, Stmt::Block(h)
                if matches!(h.first(), Some(Stmt::Guard(Some(Expr::Other(t)))) if t == "except"))
        })
}

/// A DRF router class (or a subclass in scanned code).
pub fn is_router_class(project: &Project, canonical: &str) -> bool {
    if canonical.starts_with("rest_framework.routers.") {
        return canonical.ends_with("Router");
    }
    if canonical.starts_with("rest_framework_nested.routers.") {
        return canonical.ends_with("Router");
    }
    super::classes::mro(project, canonical)
        .iter()
        .any(|c| c.starts_with("rest_framework.routers.") && c.ends_with("Router"))
}

enum MethodKind {
    Instance,
    Class,
    Static,
    Property,
}

fn method_kind(fd: &FuncDef) -> MethodKind {
    let names: Vec<&str> = fd.decorators.iter().filter_map(|d| d.last_name()).collect();
    if names
        .iter()
        .any(|n| matches!(*n, "classmethod" | "classonlymethod" | "classproperty"))
    {
        MethodKind::Class
    } else if names.contains(&"staticmethod") {
        MethodKind::Static
    } else if names
        .iter()
        .any(|n| matches!(*n, "property" | "cached_property" | "setter"))
    {
        MethodKind::Property
    } else {
        MethodKind::Instance
    }
}

fn root(e: &Expr) -> &Expr {
    let mut e = e;
    while let Expr::Attr(b, _) = e {
        e = b;
    }
    e
}

fn root_is_local(e: &Expr, env: &Env) -> bool {
    matches!(root(e), Expr::Name(n) if env.contains_key(n.as_str()))
}

/// `a.b.c` for a chain rooted at an already-resolved name.
pub fn abs_dotted(e: &Expr) -> Option<String> {
    match e {
        Expr::Resolved(c) => Some(c.to_string()),
        Expr::Attr(b, a) => abs_dotted(b).map(|b| format!("{b}.{a}")),
        _ => None,
    }
}

/// A method along a scanned class's MRO.
fn find_method<'p>(
    project: &'p Project,
    class: &str,
    name: &str,
) -> Option<(&'p FuncDef, &'p SourceModule)> {
    for c in super::classes::mro(project, class) {
        if let Some((m, cd)) = super::classes::find(project, &c) {
            if let Some(f) = cd.methods().find(|f| f.name == name) {
                return Some((f, m));
            }
            if cd.attr(name).is_some() {
                return None;
            }
        }
    }
    None
}

/// The items a `for` loop or comprehension iterates over.
fn iterate(v: Val) -> Result<Vec<Val>, String> {
    let items = match v {
        Val::List(v) | Val::Tuple(v) => v,
        Val::Dict(d) => d.into_iter().map(|(k, _)| k).collect(),
        Val::Unknown(why) => return Err(why),
        Val::Expr(_) => return Err("a value known only at run time".into()),
        _ => return Err("a value that is not a known sequence".into()),
    };
    if items.len() > MAX_ITEMS {
        return Err("too many items".into());
    }
    Ok(items)
}

/// Binds an assignment / loop target; `false` when the shape does not match.
fn bind(env: &mut Env, target: &Expr, v: Val) -> bool {
    match target {
        Expr::Name(n) => {
            env.insert(n.to_string(), v);
            true
        }
        Expr::Tuple(ts) | Expr::List(ts) => match v.items() {
            Some(items)
                if items.len() == ts.len() && !ts.iter().any(|t| matches!(t, Expr::Starred(_))) =>
            {
                let items = items.to_vec();
                ts.iter().zip(items).all(|(t, x)| bind(env, t, x))
            }
            _ => false,
        },
        _ => false,
    }
}

fn val_eq(a: &Val, b: &Val) -> Option<bool> {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => Some(x == y),
        (Val::Int(x), Val::Int(y)) => Some(x == y),
        (Val::Bool(x), Val::Bool(y)) => Some(x == y),
        (Val::Int(x), Val::Bool(y)) | (Val::Bool(y), Val::Int(x)) => Some(*x == *y as i64),
        (Val::None, Val::None) => Some(true),
        // distinct instances may still compare equal (`__eq__`)
        (Val::Instance(x), Val::Instance(y)) => Rc::ptr_eq(x, y).then_some(true),
        (Val::Instance(_), Val::None) | (Val::None, Val::Instance(_)) => Some(false),
        // a reference to a named object (a function, a class) is not None
        (Val::Expr(e), Val::None) | (Val::None, Val::Expr(e)) if abs_dotted(e).is_some() => {
            Some(false)
        }
        (Val::None, Val::Str(_) | Val::Int(_) | Val::Bool(_) | Val::List(_) | Val::Tuple(_))
        | (Val::Str(_) | Val::Int(_) | Val::Bool(_) | Val::List(_) | Val::Tuple(_), Val::None) => {
            Some(false)
        }
        (Val::Str(_), Val::Int(_) | Val::Bool(_)) | (Val::Int(_) | Val::Bool(_), Val::Str(_)) => {
            Some(false)
        }
        _ => None,
    }
}

fn binop(l: Val, op: &str, r: Val) -> Val {
    let unknown = || Val::Unknown(format!("operator {op}"));
    let b = |x: Option<bool>| x.map_or_else(unknown, Val::Bool);
    match op {
        "==" => b(val_eq(&l, &r)),
        "!=" => b(val_eq(&l, &r).map(|x| !x)),
        "is" if matches!(r, Val::None) || matches!(l, Val::None) => b(val_eq(&l, &r)),
        "is not" if matches!(r, Val::None) || matches!(l, Val::None) => {
            b(val_eq(&l, &r).map(|x| !x))
        }
        "in" | "not in" => {
            let found = match (&l, &r) {
                (Val::Str(x), Val::Str(y)) => Some(y.contains(x.as_str())),
                (_, Val::List(items) | Val::Tuple(items)) => {
                    let mut res = Some(false);
                    for i in items {
                        match val_eq(&l, i) {
                            Some(true) => {
                                res = Some(true);
                                break;
                            }
                            Some(false) => {}
                            None => res = None,
                        }
                    }
                    res
                }
                (_, Val::Dict(d)) => {
                    let keys: Vec<Val> = d.iter().map(|(k, _)| k.clone()).collect();
                    return binop(l, op, Val::List(keys));
                }
                _ => None,
            };
            b(if op == "in" { found } else { found.map(|x| !x) })
        }
        "<" | ">" | "<=" | ">=" => match (l, r) {
            (Val::Int(x), Val::Int(y)) => Val::Bool(match op {
                "<" => x < y,
                ">" => x > y,
                "<=" => x <= y,
                _ => x >= y,
            }),
            _ => unknown(),
        },
        "-" | "*" => match (l, r) {
            (Val::Int(x), Val::Int(y)) => {
                let v = if op == "-" {
                    x.checked_sub(y)
                } else {
                    x.checked_mul(y)
                };
                v.map_or_else(unknown, Val::Int)
            }
            _ => unknown(),
        },
        "%" => match (l, r) {
            (Val::Str(f), args) => percent_format(&f, args).map_or_else(unknown, Val::Str),
            _ => unknown(),
        },
        _ => unknown(),
    }
}

/// `items[a:b]` with literal (or no) bounds; a step or anything else is unknown.
fn slice(v: Val, text: &str) -> Val {
    let bound = |b: &str| -> Option<Option<i64>> {
        let b = b.trim();
        if b.is_empty() {
            Some(None)
        } else {
            b.parse().ok().map(Some)
        }
    };
    let bounds = match text.split(':').collect::<Vec<_>>()[..] {
        [a, b] => bound(a).zip(bound(b)),
        _ => None,
    };
    match (v, bounds) {
        (Val::List(items) | Val::Tuple(items), Some((a, b))) => {
            let n = items.len() as i64;
            let at = |x: i64| (if x < 0 { n + x } else { x }).clamp(0, n) as usize;
            let (a, b) = (at(a.unwrap_or(0)), at(b.unwrap_or(n)));
            Val::List(items.get(a..b.max(a)).unwrap_or_default().to_vec())
        }
        _ => Val::Unknown("slice".into()),
    }
}

fn subscript(v: Val, i: Val) -> Val {
    match (&v, &i) {
        (Val::List(items) | Val::Tuple(items), Val::Int(n)) => {
            let idx = if *n < 0 { items.len() as i64 + n } else { *n };
            usize::try_from(idx)
                .ok()
                .and_then(|i| items.get(i).cloned())
                .unwrap_or_else(|| Val::Unknown("index out of range".into()))
        }
        (Val::Str(s), Val::Int(n)) => {
            let chars: Vec<char> = s.chars().collect();
            let idx = if *n < 0 { chars.len() as i64 + n } else { *n };
            usize::try_from(idx)
                .ok()
                .and_then(|i| chars.get(i))
                .map_or_else(
                    || Val::Unknown("index out of range".into()),
                    |c| Val::Str(c.to_string()),
                )
        }
        (Val::Dict(d), k) => d
            .iter()
            .find(|(x, _)| val_eq(x, k) == Some(true))
            .map(|(_, x)| x.clone())
            .unwrap_or_else(|| Val::Unknown("missing key".into())),
        _ => Val::Unknown("subscript".into()),
    }
}

fn scalar(v: &Val) -> Option<String> {
    match v {
        Val::Str(s) => Some(s.clone()),
        Val::Int(i) => Some(i.to_string()),
        Val::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
        Val::None => Some("None".into()),
        _ => None,
    }
}

/// `"%s-%s" % (a, b)` and `"%(name)s" % {...}` with `%s`, `%d`, `%i`, `%%`.
fn percent_format(f: &str, args: Val) -> Option<String> {
    let positional: Vec<Val> = match &args {
        Val::Tuple(v) => v.clone(),
        Val::Dict(_) => vec![],
        other => vec![other.clone()],
    };
    let mut next = positional.into_iter();
    let mut out = String::new();
    let mut chars = f.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch != '%' {
            out.push(ch);
            continue;
        }
        let mut key = None;
        if chars.peek() == Some(&'(') {
            chars.next();
            let k: String = chars.by_ref().take_while(|c| *c != ')').collect();
            key = Some(k);
        }
        let v = match (chars.next()?, &key) {
            ('%', None) => {
                out.push('%');
                continue;
            }
            ('s' | 'd' | 'i', Some(k)) => args.dict_get(k)?.clone(),
            ('s', None) => next.next()?,
            ('d' | 'i', None) => match next.next()? {
                v @ Val::Int(_) => v,
                _ => return None,
            },
            _ => return None,
        };
        out.push_str(&scalar(&v)?);
    }
    if next.next().is_some() {
        return None;
    }
    Some(out)
}

fn builtin(name: &str, args: Vec<Val>) -> Option<Val> {
    let mut it = args.into_iter();
    let a = it.next();
    let b = it.next();
    Some(match (name, a, b) {
        ("enumerate", Some(x), None) => Val::List(
            iterate(x)
                .ok()?
                .into_iter()
                .enumerate()
                .map(|(i, v)| Val::Tuple(vec![Val::Int(i as i64), v]))
                .collect(),
        ),
        ("range", Some(Val::Int(n)), None) if (0..=MAX_ITEMS as i64).contains(&n) => {
            Val::List((0..n).map(Val::Int).collect())
        }
        ("range", Some(Val::Int(a)), Some(Val::Int(b)))
            if b.saturating_sub(a) <= MAX_ITEMS as i64 =>
        {
            Val::List((a..b.max(a)).map(Val::Int).collect())
        }
        ("len", Some(x), None) => match x {
            Val::Str(s) => Val::Int(s.chars().count() as i64),
            Val::Dict(d) => Val::Int(d.len() as i64),
            x => Val::Int(iterate(x).ok()?.len() as i64),
        },
        ("zip", Some(x), Some(y)) => Val::List(
            iterate(x)
                .ok()?
                .into_iter()
                .zip(iterate(y).ok()?)
                .map(|(a, b)| Val::Tuple(vec![a, b]))
                .collect(),
        ),
        ("reversed", Some(x), None) => {
            let mut v = iterate(x).ok()?;
            v.reverse();
            Val::List(v)
        }
        _ => return None,
    })
}
