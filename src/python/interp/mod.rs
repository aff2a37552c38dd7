//! An abstract interpreter of Python start-up code: enough to run settings
//! modules (`INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS`, `from .base import *`),
//! URLconfs and the helpers they call, with frameworks supplying their own
//! built-in values through a [`Host`].
//!
//! Only top-level statements of a module run (blocks such as `if settings.DEBUG:`
//! included; a top-level `for` over a known sequence runs each iteration like a
//! helper body and keeps it only when understood), plus the project's own
//! functions they call. Whatever cannot be known is `Val::Unknown` with a
//! reason, never an error and never a guess.
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

mod eval;
mod exec;
pub mod ops;
mod value;

pub use eval::Cx;
pub use ops::abs_dotted;
pub use value::{Env, HostValue, Obj, Val};

use super::Project;
use super::ir::{Call, FuncDef};
use rustc_hash::FxHashSet as HashSet;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// What a framework adds to the interpreter: its built-in functions and
/// classes, the methods and attributes of the values they make, and names it
/// gives a meaning of its own (`django.conf.settings.X`). Every method answers
/// `None` for what is not the framework's, and the interpreter goes on with
/// Python's own semantics.
pub trait Host {
    /// `f(...)` where `f` is `canonical`, a name outside the scanned code.
    fn call(&self, _cx: &Cx, _canonical: &str, _c: &Call) -> Option<Val> {
        None
    }
    /// `recv.method(...)` run as a statement, `recv` a framework value.
    fn method(&self, _cx: &Cx, _recv: &Val, _method: &str, _c: &Call) -> Option<Val> {
        None
    }
    /// `recv.attr` on a framework value.
    fn attr(&self, _cx: &Cx, _recv: &Val, _attr: &str) -> Option<Val> {
        None
    }
    /// `recv.attr = v` on a framework value (or an instance's native part):
    /// whether the framework models the object (then it notes the change).
    fn set_attr(&self, _cx: &Cx, _recv: &Val, _attr: &str) -> bool {
        false
    }
    /// `hasattr(recv, name)` on a framework value.
    fn has_attr(&self, _cx: &Cx, _recv: &Val, _name: &str) -> Option<bool> {
        None
    }
    /// A dotted name read before Python's own lookup (`settings.DEBUG`).
    fn dotted(&self, _cx: &Cx, _dotted: &str) -> Option<Val> {
        None
    }
    /// `Cls(...)` for a class of the scanned code that derives from
    /// `base`, a class outside it: the framework's object, if it makes one.
    /// `c` is the call that gives the base its arguments (the class's own, or
    /// `super().__init__(...)` in its `__init__`); `made_at` is the file and
    /// line of the expression that makes the object.
    fn instantiate(
        &self,
        _cx: &Cx,
        _class: &str,
        _base: &str,
        _c: &Call,
        _made_at: (&str, u32),
    ) -> Option<Val> {
        None
    }
    /// `Cls.method(...)` where `Cls` is a class of the scanned code that does
    /// not define `method` and `base`, a class outside the scanned code, is in
    /// its MRO: the framework's class method, if it models it
    /// (Flask-Classy's `View.register(app)`).
    fn class_method(
        &self,
        _cx: &Cx,
        _class: &str,
        _base: &str,
        _method: &str,
        _c: &Call,
    ) -> Option<Val> {
        None
    }
    /// Whether the framework makes the objects of `class`, one of its own
    /// classes, so that a project subclass's instances carry one (see
    /// `Obj::native`).
    fn native_class(&self, _class: &str) -> bool {
        false
    }
    /// `isinstance(v, class)` for a framework value.
    fn isinstance(&self, _cx: &Cx, _v: &Val, _class: &str) -> Option<bool> {
        None
    }
    /// A function definition decorated with `decorator`, a framework value
    /// (`@api.get("/x")`): whether the framework registered the function.
    /// `name` is its `__name__` (another function's under `functools.wraps`),
    /// `id` the canonical name of the function it stands for, when known.
    fn decorate(
        &self,
        _cx: &Cx,
        _decorator: &Val,
        _f: &FuncDef,
        _name: &str,
        _id: Option<&str>,
    ) -> bool {
        false
    }
    /// Whether functions run for their effects (start-up code): a statement
    /// that is not understood is skipped instead of ending the function, and
    /// the branches of an `if` whose test is not known run in turn on the same
    /// names. Off, a statement not understood makes the call `Unknown`, and such
    /// an `if` runs its branches on copies of the names, joined after.
    fn lenient(&self) -> bool {
        false
    }
}

/// The interpreter's state across modules: each module's globals once run,
/// the budget, and the instances changed so far.
pub struct Interpreter<'p> {
    pub project: &'p Project,
    pub host: &'p dyn Host,
    envs: RefCell<rustc_hash::FxHashMap<String, Rc<Env>>>,
    busy: RefCell<HashSet<String>>,
    /// Statements and expressions evaluated inside helper functions so far.
    steps: Cell<usize>,
    /// Instances changed so far, in order (see `lose_since`).
    touched: RefCell<Vec<Rc<Obj>>>,
    /// Attributes assigned on scanned classes while running (`meta.module =
    /// app.name` on a class): they shadow the class body's own.
    class_writes: RefCell<rustc_hash::FxHashMap<(String, String), Val>>,
    /// Iterations of loops over independent items running (`run_for`, `exec_for`):
    /// inside one, a condition not known skips the iteration rather than
    /// running both branches.
    independent: Cell<usize>,
    /// The length of `touched` at the latest `mark`.
    sealed: Cell<usize>,
}

/// Helper functions are interpreted up to this call depth, this many steps in
/// all and this many items per loop or comprehension.
const MAX_CALL_DEPTH: usize = 24;
const MAX_STEPS: usize = 500_000;
const MAX_ITEMS: usize = 2_000;
/// Modules whose top level runs one inside another (`a` imports `b` ...).
const MAX_IMPORT_DEPTH: usize = 64;

/// Methods of known strings, lists and dicts that `value_method` evaluates.
const VALUE_METHODS: &[&str] = &[
    "keys",
    "values",
    "items",
    "format",
    "rstrip",
    "lstrip",
    "strip",
    "lower",
    "upper",
    "replace",
    "join",
    "copy",
    "get",
    "partition",
    "startswith",
    "endswith",
];

/// The reason of an `Unknown` that stands for an `ImportError` raised.
const IMPORT_ERROR: &str = "ImportError: no module named ";

/// Why evaluation stopped when it ran out of steps.
const BUDGET: &str = "evaluation budget exhausted";

impl<'p> Interpreter<'p> {
    pub fn new(project: &'p Project, host: &'p dyn Host) -> Self {
        Interpreter {
            project,
            host,
            envs: RefCell::new(Default::default()),
            busy: RefCell::new(HashSet::default()),
            steps: Cell::new(0),
            touched: RefCell::new(Vec::new()),
            class_writes: RefCell::new(Default::default()),
            independent: Cell::new(0),
            sealed: Cell::new(0),
        }
    }

    /// The top-level environment of a scanned module after running it.
    pub fn env(&self, module: &str) -> Option<Rc<Env>> {
        if let Some(e) = self.envs.borrow().get(module) {
            return Some(e.clone());
        }
        let m = self.project.module(module)?;
        // an import cycle: what is known so far is not kept; a chain of
        // imports deeper than this is not followed (each link is a frame)
        if self.busy.borrow().len() >= MAX_IMPORT_DEPTH
            || !self.busy.borrow_mut().insert(module.to_string())
        {
            return None;
        }
        let mut env = Env::default();
        let mut cx = Cx::module(self, m, &mut env);
        cx.run(&m.body);
        self.busy.borrow_mut().remove(module);
        let env = Rc::new(env);
        self.envs
            .borrow_mut()
            .insert(module.to_string(), env.clone());
        Some(env)
    }

    /// Calls a project function as its framework would at start-up, with the
    /// parameters that have no default unknown; `None` when it is not a
    /// function of the scanned code.
    pub fn run_entry(&self, canonical: &str) -> Option<Val> {
        let (fd, m) = self.project.function(canonical).or_else(|| {
            // a method: `self` is a parameter like the others
            let (class, method) = canonical.rsplit_once('.')?;
            let (m, cd) = super::classes::find(self.project, class)?;
            Some((cd.methods().find(|f| f.name == method)?, m))
        })?;
        // each entry has the whole budget: one that exhausts it leaves the next alone
        self.steps.set(0);
        let mut env = Env::default();
        let cx = Cx::module(self, m, &mut env);
        cx.invoke_entry(fd, m)
    }

    /// `module.name` for a canonical dotted path into a scanned module.
    pub fn lookup_global(&self, canonical: &str) -> Option<Val> {
        let (module, name) = canonical.rsplit_once('.')?;
        self.env(module)?.get(name).cloned()
    }

    fn touch(&self, o: &Rc<Obj>) {
        let mut t = self.touched.borrow_mut();
        // the same instance twice in a row is recorded once, unless a mark
        // was taken between (then it must appear after the mark)
        if t.len() <= self.sealed.get() || !t.last().is_some_and(|l| Rc::ptr_eq(l, o)) {
            t.push(o.clone());
        }
    }

    /// Where the record of changed instances stands, for `lose_since`.
    fn mark(&self) -> usize {
        let n = self.touched.borrow().len();
        self.sealed.set(n);
        n
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
