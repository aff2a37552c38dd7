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
//! marked lost: reading them gives `Unknown` rather than a partial state.
//!
//! Functions change module globals as Python does: a name declared `global`,
//! or a list or dict global changed in place (`_hooks[name].append(f)`), in
//! their own module or in the one a name was imported from. Decorators of the
//! project's own (`@registry.hook("x")`) run at definition, `import_module`
//! runs the module it imports, and a generator runs to its end when called,
//! its items a list. Together these follow a plugin registry filled while
//! discovery imports each installed app's hook module.
//!
//! Not modelled: functions outside the scanned code are assumed to leave the
//! instances they are given alone, and lists and dicts are values, so a change
//! through a second name for the same list (`l = self.items; l.append(x)`) is
//! not seen through the first.

/// `impl HostValue` for interpreter values that answer only `as_any` (the trait's defaults).
macro_rules! host_value {
    ($($t:ty),*) => {$(
        impl super::value::HostValue for $t {
            fn as_any(&self) -> &dyn std::any::Any {
                self
            }
        }
    )*};
}

mod click;
mod context;
mod enums;
mod eval;
mod exec;
mod files;
mod metadata;
pub mod ops;
mod partials;
mod records;
mod specs;
mod tuples;
mod urlparse;
mod validators;
mod value;

pub use click::is_command;
pub use eval::Cx;
pub use exec::{catches_import_error, missing_module};
/// Path arithmetic on root-relative paths, for frameworks that read a file themselves.
pub use files::{as_str as path_text, join as join_path, parent as parent_path};
pub use ops::abs_dotted;
pub use value::{Env, HostValue, Obj, Val};

use super::ir::{Call, Expr, FuncDef, Stmt, Text};
use super::{Project, SourceModule};
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
    /// A framework method that calls another method of the same object (Flask's
    /// `bp.get(rule)` calls `self.route(rule, methods=["GET"])`), on an instance of a
    /// project subclass whose class overrides that other method (`overridden(name)`):
    /// the call to make, which runs the override. `None` (nothing evaluated) otherwise.
    fn hands_on(
        &self,
        _cx: &Cx,
        _recv: &Val,
        _method: &str,
        _c: &Call,
        _overridden: &dyn Fn(&str) -> bool,
    ) -> Option<SelfCall> {
        None
    }
    /// The project class a framework value was made from, when the framework keeps a
    /// project subclass's instance as its own value (a DRF router of a `SimpleRouter`
    /// subclass): the class's own methods and attributes come first, as Python's MRO has it.
    fn class_of(&self, _recv: &Val) -> Option<String> {
        None
    }
    /// `recv.attr` on a framework value.
    fn attr(&self, _cx: &Cx, _recv: &Val, _attr: &str) -> Option<Val> {
        None
    }
    /// Whether `name` is a method of the framework value `recv` that `method`
    /// models: read without a call (`route = bp.route`), it is bound to the object.
    fn has_method(&self, _recv: &Val, _name: &str) -> bool {
        false
    }
    /// `recv.attr = v` on a framework value (or an instance's native part):
    /// whether the framework models the object (then it notes the change).
    fn set_attr(&self, _cx: &Cx, _recv: &Val, _attr: &str, _v: &Val) -> bool {
        false
    }
    /// `recv[key]` on a framework value.
    fn item(&self, _cx: &Cx, _recv: &Val, _key: &Val) -> Option<Val> {
        None
    }
    /// `recv[key] = v` on a framework value: whether the framework models
    /// the object (then it notes the change).
    fn set_item(&self, _cx: &Cx, _recv: &Val, _key: &Val, _v: &Val) -> bool {
        false
    }
    /// `hasattr(recv, name)` on a framework value.
    fn has_attr(&self, _cx: &Cx, _recv: &Val, _name: &str) -> Option<bool> {
        None
    }
    /// The attribute `name` of `class`, a framework class outside the scanned
    /// code: `Some(None)` when the class has no such attribute, `Some(Some(v))`
    /// when it has (`v` may be `Unknown`), `None` when the host does not know.
    fn library_class_attr(&self, _class: &str, _name: &str) -> Option<Option<Val>> {
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
    /// Whether an instance with this native part reads the attributes its
    /// class lacks from `self._wrapped`, made by `self._setup()` on first use
    /// (Django's `LazyObject`).
    fn lazy_proxy(&self, _native: &Val) -> bool {
        false
    }
    /// For such an instance whose class defines no `_setup()`: the function it
    /// was made with, and the call that made it, which the framework's own
    /// `_setup()` calls for `self._wrapped` (Django's `SimpleLazyObject`).
    fn lazy_func(&self, _native: &Val) -> Option<(Val, Call)> {
        None
    }
    /// `isinstance(v, class)` for a framework value.
    fn isinstance(&self, _cx: &Cx, _v: &Val, _class: &str) -> Option<bool> {
        None
    }
    /// A function definition decorated with `decorator`, a framework value
    /// (`@api.get("/x")`): whether the framework registered the function.
    /// `name` is its `__name__` (another function's under `functools.wraps`),
    /// `id` the canonical name of the function it stands for, when known. `recv` is the object
    /// whose method made the decorator (an instance of a project subclass: its overrides run).
    fn decorate(
        &self,
        _cx: &Cx,
        _decorator: &Val,
        _recv: &Val,
        _f: &FuncDef,
        _name: &str,
        _id: Option<&str>,
    ) -> bool {
        false
    }
    /// The same decorator called on a value that is not a function of the scanned
    /// code (`bp.route("/x")(View.as_view("x"))`): `view` is the argument as written,
    /// `value` what it evaluated to.
    fn decorate_value(
        &self,
        _cx: &Cx,
        _decorator: &Val,
        _recv: &Val,
        _view: &Expr,
        _value: &Val,
    ) -> bool {
        false
    }
    /// A call that runs other files' code in the calling module's globals, as
    /// `exec(compile(open(path).read(), path, "exec"), globals())` does: the scanned modules
    /// whose files it runs, in order; `None` for any other call.
    fn runs_files(&self, _cx: &Cx, _canonical: &str, _c: &Call) -> Option<Vec<String>> {
        None
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

/// The call a framework method makes on its own object (see `Host::hands_on`).
pub struct SelfCall {
    pub method: &'static str,
    pub args: Vec<Val>,
    pub kwargs: Vec<(String, Val)>,
}

/// The interpreter's state across modules: each module's globals once run,
/// the budget, and the instances changed so far.
pub struct Interpreter<'p> {
    pub project: &'p Project,
    pub host: &'p dyn Host,
    envs: RefCell<rustc_hash::FxHashMap<String, Rc<Env>>>,
    /// The modules whose top level is running (further up the call stack),
    /// each with the globals other modules see of it: as they were after its
    /// last statement (see `publish`).
    running: RefCell<rustc_hash::FxHashMap<String, Rc<Env>>>,
    /// Statements and expressions evaluated inside helper functions so far.
    steps: Cell<usize>,
    /// Instances and module globals changed so far, in order (see `lose_since`).
    touched: RefCell<Vec<Change>>,
    /// Module globals that functions assigned (`global X`, `REGISTRY[k] = v`)
    /// while their module was still running: moved into it after each of its
    /// top-level statements (`Cx::flush_globals`).
    pending: RefCell<rustc_hash::FxHashMap<(String, String), Val>>,
    /// How many module globals functions have assigned so far: while none
    /// has, a function reads its module's globals as the module left them.
    global_writes: Cell<usize>,
    /// The project functions running, innermost last.
    frames: RefCell<Vec<Frame>>,
    /// Attributes assigned on scanned classes while running (`meta.module =
    /// app.name` on a class): they shadow the class body's own.
    class_writes: RefCell<rustc_hash::FxHashMap<(String, String), Val>>,
    /// Objects a class body made (`shared_router = DefaultRouter()`), by defining class and
    /// name: Python runs a class body once, so every read is the same object, its state shared.
    class_objects: RefCell<rustc_hash::FxHashMap<(String, String), Val>>,
    /// Iterations of loops over independent items running (`run_for`, `exec_for`):
    /// inside one, a condition not known skips the iteration rather than
    /// running both branches.
    independent: Cell<usize>,
    /// How many `if` tests were not known so far: a `while` pass that met one may have
    /// left the loop, as far as can be said (see `Cx::exec_while`).
    unknown_tests: Cell<usize>,
    /// The length of `touched` at the latest `mark`.
    sealed: Cell<usize>,
    /// The `__getattr__` calls running, by object and attribute: one that
    /// reads an attribute it lacks calls itself again (`self._conn` set
    /// through `self.__dict__`), which Python ends with a RecursionError.
    getattr_running: RefCell<Vec<(*const value::Obj, String)>>,
    /// How many times the running code has called each project function, not
    /// counting the calls `run_entry` makes itself.
    invoked: RefCell<rustc_hash::FxHashMap<*const FuncDef, usize>>,
    /// The calls and decorators (file, line) in branches of modules' top
    /// levels that a test known to be false kept from running (see `excluded`).
    excluded: RefCell<Vec<(String, u32)>>,
    /// Branches that a test known to be false kept from running inside a
    /// function (and statements after an `if` that returned), by their first
    /// statement, with the calls and decorators they hold. A function may run
    /// again with other arguments: those of `taken` ran on some call.
    #[allow(clippy::type_complexity)]
    not_taken:
        RefCell<rustc_hash::FxHashMap<*const Stmt, (*const FuncDef, Text, Vec<(String, u32)>)>>,
    taken: RefCell<rustc_hash::FxHashSet<*const Stmt>>,
    /// The calls (module, line) that ran each project function, the module by its
    /// address: recording a call copies no text.
    #[allow(clippy::type_complexity)]
    call_sites: RefCell<
        rustc_hash::FxHashMap<*const FuncDef, rustc_hash::FxHashSet<(*const SourceModule, u32)>>,
    >,
    /// Project function runs started so far (`Frame::serial`).
    frames_started: Cell<u64>,
}

/// Helper functions are interpreted up to this call depth, this many steps in
/// all and this many items per loop or comprehension.
const MAX_CALL_DEPTH: usize = 24;
const MAX_STEPS: usize = 500_000;
const MAX_ITEMS: usize = 2_000;
/// Passes of one `while` loop: past them, what the loop does is not known.
const MAX_PASSES: usize = 200;
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
    "rpartition",
    "split",
    "rsplit",
    "startswith",
    "endswith",
];

/// The reason of an `Unknown` that stands for an `ImportError` raised.
const IMPORT_ERROR: &str = "ImportError: no module named ";

/// The reason of an `Unknown` that stands for a `KeyError` raised: a key
/// missing from a dict whose keys are all known.
const KEY_ERROR: &str = "KeyError: ";

/// The reason of an `Unknown` that stands for an `AttributeError` raised: a
/// name a framework's object is known not to have (`getattr(settings, X)`).
const ATTRIBUTE_ERROR: &str = "AttributeError: ";

/// The reason of an `Unknown` that stands for a `TypeError` raised: a
/// builtin given a value of a type it rejects (`issubclass(3, C)`).
const TYPE_ERROR: &str = "TypeError: ";

/// Whether an `Unknown`'s reason is an exception raised (which `try` /
/// `except` handles), and the classes that catch it: an `ImportError` (a
/// module missing from the scanned tree), a `KeyError`, an `AttributeError`
/// or a `TypeError`.
fn raised(why: &str) -> Option<&'static [&'static str]> {
    if why.starts_with(IMPORT_ERROR) {
        Some(IMPORT_ERROR_CLASSES)
    } else if why.starts_with(KEY_ERROR) {
        Some(KEY_ERROR_CLASSES)
    } else if why.starts_with(ATTRIBUTE_ERROR) {
        Some(ATTRIBUTE_ERROR_CLASSES)
    } else if why.starts_with(TYPE_ERROR) {
        Some(TYPE_ERROR_CLASSES)
    } else {
        None
    }
}

impl Val {
    /// Whether this stands for an exception raised (see `raised`).
    pub(super) fn is_raised(&self) -> bool {
        matches!(self, Val::Unknown(why) if raised(why).is_some())
    }
}

/// The classes an `except` names to catch a missing key.
const KEY_ERROR_CLASSES: &[&str] = &["KeyError", "LookupError", "Exception", "BaseException"];

/// The classes an `except` names to catch a missing attribute.
const ATTRIBUTE_ERROR_CLASSES: &[&str] = &["AttributeError", "Exception", "BaseException"];

/// The classes an `except` names to catch a value of the wrong type.
const TYPE_ERROR_CLASSES: &[&str] = &["TypeError", "Exception", "BaseException"];

/// The classes an `except` names to catch a missing module.
const IMPORT_ERROR_CLASSES: &[&str] = &[
    "ImportError",
    "ModuleNotFoundError",
    "Exception",
    "BaseException",
];

/// Why evaluation stopped when it ran out of steps.
const BUDGET: &str = "evaluation budget exhausted";

impl<'p> Interpreter<'p> {
    pub fn new(project: &'p Project, host: &'p dyn Host) -> Self {
        Interpreter {
            project,
            host,
            envs: RefCell::new(Default::default()),
            running: RefCell::new(Default::default()),
            steps: Cell::new(0),
            touched: RefCell::new(Vec::new()),
            pending: RefCell::new(Default::default()),
            global_writes: Cell::new(0),
            frames: RefCell::new(Vec::new()),
            class_writes: RefCell::new(Default::default()),
            class_objects: RefCell::new(Default::default()),
            independent: Cell::new(0),
            unknown_tests: Cell::new(0),
            sealed: Cell::new(0),
            getattr_running: RefCell::default(),
            invoked: RefCell::default(),
            excluded: RefCell::default(),
            not_taken: RefCell::default(),
            taken: RefCell::default(),
            call_sites: RefCell::default(),
            frames_started: Cell::new(0),
        }
    }

    fn next_frame_serial(&self) -> u64 {
        self.frames_started.set(self.frames_started.get() + 1);
        self.frames_started.get()
    }

    /// The project function running (its run, not its definition): `None`
    /// at a module's top level.
    /// The name of the project function running, unless it is a closure.
    pub(super) fn current_function(&self) -> Option<Text> {
        let frames = self.frames.borrow();
        let f = frames.last().filter(|f| !f.closure)?;
        f.func.as_ref().map(|(_, name)| name.clone())
    }

    pub(super) fn current_frame(&self) -> Option<u64> {
        self.frames.borrow().last().map(|f| f.serial)
    }

    /// The calls and decorators (file, line) written in branches that the run
    /// decided not to take (`if LOCAL:` with `LOCAL = False` at a module's top
    /// level; in a function, on every call that ran it): what they would
    /// declare is not declared.
    pub fn excluded(&self) -> Vec<(String, u32)> {
        let taken = self.taken.borrow();
        let not_taken = self.not_taken.borrow();
        let seen_all = self.all_calls_ran(not_taken.values().map(|(f, n, _)| (*f, n.as_str())));
        let mut lines = self.excluded.borrow().clone();
        for (first, (func, _, calls)) in not_taken.iter() {
            if !taken.contains(first) && seen_all.contains(func) {
                lines.extend(calls.iter().cloned());
            }
        }
        lines.sort_unstable();
        lines.dedup();
        lines
    }

    /// Of `funcs` (definition, name), those that every call of their name written
    /// in the scanned code ran: a call the run did not follow
    /// (`import_module(name).blueprint()`) may pass other arguments. Calls in
    /// bodies the scan did not read (see `python::elide`) are not seen.
    fn all_calls_ran<'f>(
        &self,
        funcs: impl Iterator<Item = (*const FuncDef, &'f str)>,
    ) -> rustc_hash::FxHashSet<*const FuncDef> {
        let funcs: Vec<(*const FuncDef, &str)> = funcs.collect();
        if funcs.is_empty() {
            return Default::default();
        }
        let wanted: rustc_hash::FxHashSet<&str> = funcs.iter().map(|(_, n)| *n).collect();
        let mut written: rustc_hash::FxHashMap<&str, Vec<(*const SourceModule, u32)>> =
            Default::default();
        for m in &self.project.files {
            super::ir::walk_stmts(&m.body, |s, _| {
                for c in s.calls() {
                    if let Some(n) = c.func.last_name()
                        && let Some(n) = wanted.get(n)
                    {
                        written.entry(n).or_default().push((m, c.pos.line));
                    }
                }
            });
        }
        let sites = self.call_sites.borrow();
        funcs
            .into_iter()
            .filter(|(f, name)| {
                let Some(ran) = sites.get(f) else {
                    return false;
                };
                written
                    .get(name)
                    .is_none_or(|w| w.iter().all(|site| ran.contains(site)))
            })
            .map(|(f, _)| f)
            .collect()
    }

    /// The top-level environment of a scanned module after running it.
    pub fn env(&self, module: &str) -> Option<Rc<Env>> {
        if let Some(e) = self.envs.borrow().get(module) {
            return Some(e.clone());
        }
        let m = self.project.module(module)?;
        // a module still running (an import cycle, or one of its functions
        // called back through another module): the names it has bound so
        // far, as Python's partly initialised module has
        if let Some(seen) = self.running.borrow().get(module) {
            return Some(seen.clone());
        }
        // a chain of imports deeper than this is not followed (each link is a frame)
        if self.running.borrow().len() >= MAX_IMPORT_DEPTH {
            return None;
        }
        self.running
            .borrow_mut()
            .insert(module.to_string(), Rc::new(Env::default()));
        let mut env = Env::default();
        let mut cx = Cx::module(self, m, &mut env);
        // an import inside a loop's iteration runs the whole module, whatever
        // the iteration's own rule for conditions not known
        let independent = self.independent.replace(0);
        cx.run(&m.body);
        self.independent.set(independent);
        self.running.borrow_mut().remove(module);
        let env = Rc::new(env);
        self.envs
            .borrow_mut()
            .insert(module.to_string(), env.clone());
        Some(env)
    }

    /// Whether the module whose top level runs now was imported by code
    /// that is running (another module's top level, or a function).
    fn importing(&self) -> bool {
        self.running.borrow().len() > 1 || !self.frames.borrow().is_empty()
    }

    /// Whether `module`'s top level is running (further up the call stack).
    fn is_running(&self, module: &str) -> bool {
        self.running.borrow().contains_key(module)
    }

    /// Brings the globals other modules see of `module`, still running, up to
    /// date with `env` for `names` (those its last statement may have
    /// changed): a copy per name, not of the whole module per statement.
    fn publish<'n>(&self, module: &str, env: &Env, names: impl Iterator<Item = &'n str>) {
        let mut running = self.running.borrow_mut();
        let Some(seen) = running.get_mut(module) else {
            return;
        };
        let seen = Rc::make_mut(seen);
        for n in names {
            match env.get(n) {
                Some(v) => {
                    seen.insert(n.to_string(), v.clone());
                }
                None => {
                    seen.remove(n);
                }
            }
        }
    }

    /// The same for every name (after a wildcard import).
    fn publish_all(&self, module: &str, env: &Env) {
        self.running
            .borrow_mut()
            .insert(module.to_string(), Rc::new(env.clone()));
    }

    /// Calls a project function as its framework would at start-up, with the
    /// parameters that have no default unknown; `None` when it is not a
    /// function of the scanned code.
    pub fn run_entry(&self, canonical: &str) -> Option<Val> {
        let (fd, m, cls) = self.entry_function(canonical)?;
        // each entry has the whole budget: one that exhausts it leaves the next alone
        self.steps.set(0);
        let mut env = Env::default();
        let cx = Cx::module(self, m, &mut env);
        let key = fd as *const FuncDef;
        let count = |s: &Self| s.invoked.borrow().get(&key).copied().unwrap_or(0);
        let before = count(self);
        let v = cx.invoke_entry(fd, m, cls);
        // the entry's own call, when it began, is not a call of the code
        if count(self) > before {
            *self.invoked.borrow_mut().entry(key).or_default() -= 1;
        }
        v
    }

    /// The function `canonical` (`module.qualname`) names, its module, and for
    /// a classmethod or `__new__` its class: `cls` is the class, as calling the
    /// class passes it (an instance method's `self` is a parameter like the others).
    fn entry_function(
        &self,
        canonical: &str,
    ) -> Option<(&'p FuncDef, &'p SourceModule, Option<String>)> {
        if let Some((fd, m)) = self.project.function(canonical) {
            return Some((fd, m, None));
        }
        let (class, method) = canonical.rsplit_once('.')?;
        let (m, cd) = super::classes::find(self.project, class)?;
        let fd = cd.methods().find(|f| f.name == method)?;
        let cls = (fd.name == "__new__" || matches!(ops::method_kind(fd), ops::MethodKind::Class))
            .then(|| class.to_string());
        Some((fd, m, cls))
    }

    /// Whether running code (a module's top level, another entry) called the
    /// function `canonical` names; its calls as an entry do not count.
    pub fn called_by_code(&self, canonical: &str) -> bool {
        self.entry_function(canonical).is_some_and(|(fd, _, _)| {
            self.invoked
                .borrow()
                .get(&(fd as *const FuncDef))
                .is_some_and(|n| *n > 0)
        })
    }

    /// Runs `f` with a scope of `module`'s top level (for a framework that
    /// calls project code itself, such as Django's start-up hooks).
    pub fn in_module<R>(&self, module: &str, f: impl FnOnce(&Cx) -> R) -> Option<R> {
        let m = self.project.module(module)?;
        let mut env = Env::default();
        let cx = Cx::module(self, m, &mut env);
        Some(f(&cx))
    }

    /// `module.name` for a canonical dotted path into a scanned module.
    /// The calls being run, outermost first (file, line of each call).
    pub fn call_sites(&self) -> Vec<(String, u32)> {
        self.frames
            .borrow()
            .iter()
            .filter_map(|f| f.site.clone())
            .collect()
    }

    pub fn lookup_global(&self, canonical: &str) -> Option<Val> {
        let (module, name) = canonical.rsplit_once('.')?;
        self.env(module)?.get(name).cloned()
    }

    fn touch(&self, o: &Rc<Obj>) {
        let mut t = self.touched.borrow_mut();
        // the same instance twice in a row is recorded once, unless a mark
        // was taken between (then it must appear after the mark)
        if t.len() <= self.sealed.get()
            || !matches!(t.last(), Some(Change::Instance(l)) if Rc::ptr_eq(l, o))
        {
            t.push(Change::Instance(o.clone()));
        }
    }

    /// `name` of `module` read by a function of that module whose globals,
    /// as the call began, are `outer`.
    fn global(&self, module: &str, name: &str, outer: Option<&Env>) -> Option<Val> {
        if self.global_writes.get() > 0 {
            let key = (module.to_string(), name.to_string());
            if let Some(v) = self.pending.borrow().get(&key) {
                return Some(v.clone());
            }
            if let Some(env) = self.envs.borrow().get(module) {
                return env.get(name).cloned();
            }
        }
        outer.and_then(|o| o.get(name)).cloned()
    }

    /// A function assigns `name` of `module`: into the module's globals once it
    /// has run, else kept until its running top level takes it.
    fn set_global(&self, module: &str, name: &str, v: Val) {
        self.global_writes.set(self.global_writes.get() + 1);
        match self.envs.borrow_mut().get_mut(module) {
            Some(env) => {
                Rc::make_mut(env).insert(name.to_string(), v);
            }
            None => {
                self.pending
                    .borrow_mut()
                    .insert((module.to_string(), name.to_string()), v);
            }
        }
        self.touched
            .borrow_mut()
            .push(Change::Global(module.to_string(), name.to_string()));
    }

    /// Counts an `if` or `while` test that was not known (see `unknown_tests`).
    fn unknown_test(&self) {
        self.unknown_tests.set(self.unknown_tests.get() + 1);
    }

    /// Where the record of changed instances stands, for `lose_since`.
    fn mark(&self) -> usize {
        let n = self.touched.borrow().len();
        self.sealed.set(n);
        n
    }

    /// A call or loop iteration that failed after `mark`: the instances it
    /// changed, and those it was given, are in a state no longer known, and so
    /// are the module globals it assigned.
    fn lose_since(&self, mark: usize, given: &[Val], why: &str) {
        let changed: Vec<Change> = self.touched.borrow_mut().drain(mark..).collect();
        for c in &changed {
            match c {
                Change::Instance(o) => o.lose(why),
                Change::Global(module, name) => {
                    self.set_global(module, name, Val::Unknown(why.to_string()));
                }
            }
        }
        // those assignments are themselves no change to undo later
        self.touched.borrow_mut().truncate(mark);
        for v in given {
            if let Val::Instance(o) = v {
                o.lose(why);
            }
        }
    }

    /// `yield` in the running function: `false` when it is not a generator
    /// or has yielded too many items.
    fn yield_items(&self, items: Vec<Val>) -> bool {
        let mut frames = self.frames.borrow_mut();
        match frames.last_mut().and_then(|f| f.yields.as_mut()) {
            Some(y) if y.len() + items.len() <= MAX_ITEMS => {
                y.extend(items);
                true
            }
            _ => false,
        }
    }

    /// How many items the running generator has yielded.
    fn yielded(&self) -> Option<usize> {
        let frames = self.frames.borrow();
        frames.last()?.yields.as_ref().map(Vec::len)
    }

    /// After a condition not known (`why`) in the running generator: if it
    /// yielded more since `before`, which items it yields is not known.
    fn yields_unsure_since(&self, before: Option<usize>, why: &str) {
        if self.yielded() != before
            && let Some(f) = self.frames.borrow_mut().last_mut()
        {
            f.unsure.get_or_insert_with(|| why.to_string());
        }
    }

    /// Drops what the running generator yielded after `before` (a loop
    /// iteration skipped).
    fn unyield(&self, before: Option<usize>) {
        if let (Some(n), Some(f)) = (before, self.frames.borrow_mut().last_mut())
            && let Some(y) = f.yields.as_mut()
        {
            y.truncate(n);
        }
    }

    /// Whether the running function declared `name` global.
    fn declared_global(&self, name: &str) -> bool {
        self.frames
            .borrow()
            .last()
            .is_some_and(|f| f.globals.iter().any(|g| g == name))
    }
}

/// A change made while running, recorded so that a call that fails after it
/// can mark it as no longer known.
enum Change {
    Instance(Rc<Obj>),
    /// A module's global (module, name).
    Global(String, String),
}

/// A project function running.
#[derive(Default)]
struct Frame {
    /// A generator's items so far (`None` for a plain function). Yielded
    /// eagerly, when it is called: start-up code consumes its generators whole.
    yields: Option<Vec<Val>>,
    /// Why which items it yields is not known (a `yield` under a condition not known).
    unsure: Option<String>,
    /// Names of its `global` statements.
    globals: Vec<String>,
    /// The call that made it: the caller's file and line.
    site: Option<(String, u32)>,
    /// Distinguishes this run from every other (`Interpreter::current_frame`).
    serial: u64,
    /// The project function running, and its name.
    func: Option<(*const FuncDef, Text)>,
    /// Whether it was defined in another function (a closure).
    closure: bool,
}
