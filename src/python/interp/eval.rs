//! Expressions: names, attributes, calls (of the project's functions and
//! classes, of Python's builtins, of a framework's built-ins through the host).

use super::click;
use super::enums;
use super::exec::join_returns;
use super::files;
use super::metadata;
use super::ops::{
    MethodKind, abs_dotted, add, as_data, bind, binop, builtin, call_root, change, dict_set,
    find_key, is_dict_class, item_mut, iterate, method_kind, root, root_is_local, scalar, set_item,
    slice, subscript, val_eq, with_instance_items,
};
use super::partials;
use super::specs;
use super::tuples;
use super::urlparse;
use super::validators;
use super::{
    BUDGET, Env, IMPORT_ERROR, Interpreter, MAX_CALL_DEPTH, MAX_ITEMS, MAX_STEPS, Obj, TYPE_ERROR,
    VALUE_METHODS, Val, raised,
};
use crate::python::classes;
use crate::python::ir::{Call, ClassDef, Comp, Expr, FPart, FString, FuncDef, Param, Stmt};
use crate::python::{Project, SourceModule};
use std::cell::RefCell;
use std::rc::Rc;

/// One running scope: a module's top level, or a helper function's body.
pub struct Cx<'a, 'p> {
    pub(super) ev: &'a Interpreter<'p>,
    pub(super) m: &'a SourceModule,
    /// Module globals at top level; a helper function's locals inside it.
    pub(super) env: &'a mut Env,
    /// Inside a helper function: its module's globals.
    pub(super) outer: Option<&'a Env>,
    /// Helper-function call depth (0: module top level).
    pub(super) depth: usize,
    /// In a method: the class that defines it and its bound `self`/`cls`,
    /// for `super()`.
    pub(super) owner: Option<Rc<Owner>>,
}

/// The class a running method is defined in, and what it is bound to.
#[derive(Debug)]
pub struct Owner {
    pub class: String,
    pub this: Val,
}

/// How a helper function's statements end.
pub(super) enum Flow {
    Next,
    Break,
    Continue,
    Return(Val),
    /// Returned this value on some paths (an `if` whose condition is not
    /// known), fell through on others.
    MaybeReturn(Val),
    Abort(String),
}

impl<'a, 'p> Cx<'a, 'p> {
    pub(super) fn module(ev: &'a Interpreter<'p>, m: &'a SourceModule, env: &'a mut Env) -> Self {
        Cx {
            ev,
            m,
            env,
            outer: None,
            depth: 0,
            owner: None,
        }
    }
}

/// What a framework's built-ins may ask of the running scope.
impl Cx<'_, '_> {
    pub fn interpreter(&self) -> &Interpreter<'_> {
        self.ev
    }
    pub fn project(&self) -> &Project {
        self.ev.project
    }
    /// The module the running code is written in.
    pub fn source(&self) -> &SourceModule {
        self.m
    }
    /// The canonical name a dotted name denotes in the running module.
    pub fn resolve(&self, dotted: &str) -> String {
        self.ev.project.resolver.resolve(&self.m.module, dotted)
    }
    /// Whether the project's own classes define `method` for `o`.
    pub fn has_own_method(&self, o: &Obj, method: &str) -> bool {
        find_method(self.ev.project, self.ev.host, &o.class, method).is_some()
    }

    /// The items `for x in v` goes through: an object whose class defines `__iter__` gives
    /// those of what that method returns (an iterator object with `__next__` is not
    /// followed); any other value, see `iterate`.
    pub(super) fn items_of(&self, v: Val) -> Result<Vec<Val>, String> {
        // an enum class iterates over its members
        if let Some(members) = self.class_of(&v).and_then(|k| enums::members(self, &k)) {
            return Ok(members);
        }
        match v {
            Val::Instance(o) if self.has_own_method(&o, "__iter__") => {
                match self.call_method_with(&o, "__iter__", vec![], &[], None) {
                    Val::Instance(_) => Err(format!("an iterator object of {}", o.class)),
                    items => iterate(items),
                }
            }
            v => iterate(v),
        }
    }
    /// `o.method(*args, **kwargs)` with values a framework passes (`blueprint.register(app,
    /// options)`), called from `line` of the running module (the def's own line when `None`).
    pub fn call_method_with(
        &self,
        o: &Rc<Obj>,
        method: &str,
        args: Vec<Val>,
        kwargs: &[(String, Val)],
        line: Option<u32>,
    ) -> Val {
        self.call_own_method(
            &o.class,
            Val::Instance(o.clone()),
            method,
            args,
            kwargs,
            line,
        )
        .unwrap_or_else(|| Val::Unknown(format!("{}.{method}(...)", o.class)))
    }

    /// The project's `method` of `class` called with `this` as `self` (a framework's
    /// object whose class the project subclassed: a DRF router); `None` when the
    /// project defines no such method for the class.
    pub fn call_own_method(
        &self,
        class: &str,
        this: Val,
        method: &str,
        args: Vec<Val>,
        kwargs: &[(String, Val)],
        line: Option<u32>,
    ) -> Option<Val> {
        let (fd, m, owner) = find_method(self.ev.project, self.ev.host, class, method)?;
        let mut all = vec![this];
        all.extend(args);
        let mut call = bare_call(fd);
        if let Some(line) = line {
            call.pos.line = line;
        }
        let name = format!("{class}.{method}");
        Some(self.run_with_values(fd, m, &name, all, &call, kwargs, Some(owner)))
    }

    /// A function of the scanned code run with arguments already evaluated (`c`, the call
    /// written in the code, gives the keywords it names); `Unknown` (named `name`) when
    /// its body cannot be read again or the calls nest too deep.
    #[allow(clippy::too_many_arguments)]
    fn run_with_values(
        &self,
        fd: &FuncDef,
        m: &SourceModule,
        name: &str,
        args: Vec<Val>,
        c: &Call,
        splat: &[(String, Val)],
        owner: Option<String>,
    ) -> Val {
        let Some(body) = self.ev.project.sources.body(m, fd) else {
            return Val::Unknown(format!("{name}(...)"));
        };
        if self.depth >= MAX_CALL_DEPTH {
            return Val::Unknown(format!("{name}(...)"));
        }
        self.invoke_with(fd, &body, m, args, c, splat, owner, None)
            .unwrap_or_else(Val::Unknown)
    }
    /// An expression as a value kept for later (a view): its names replaced
    /// by what they denote now (a helper's locals; at top level, a name a loop
    /// rebinds, `for vs in viewsets: router.register(p, vs)`).
    pub fn keep_view(&self, e: &Expr) -> Expr {
        self.subst(e, false)
    }
}

impl Cx<'_, '_> {
    /// A global of the running module: as a function changed it, else as
    /// the module left it (in a helper) or as it is so far (at top level).
    pub(super) fn global(&self, n: &str) -> Option<Val> {
        self.ev.global(&self.m.module, n, self.outer)
    }

    pub(super) fn name(&self, n: &str) -> Val {
        if let Some(v) = self.env.get(n) {
            return v.clone();
        }
        if let Some(v) = self.global(n) {
            return v;
        }
        let canonical = self.ev.project.resolver.resolve(&self.m.module, n);
        if canonical != format!("{}.{n}", self.m.module) {
            if let Some(v) = self.ev.lookup_global(&canonical) {
                return v;
            }
            if self.ev.project.module(&canonical).is_some() {
                return Val::Module(canonical);
            }
        } else if self.ev.project.module(&canonical).is_some()
            && self.ev.project.resolver.is_bound(&self.m.module, n)
        {
            // `from . import sub` in a package: the submodule, bound under its own name
            return Val::Module(canonical);
        }
        if classes::find(self.ev.project, &canonical).is_some() {
            return Val::Class(canonical);
        }
        if crate::python::ir::TYPE_CHECKING.contains(&canonical.as_str()) {
            return Val::Bool(false); // true for type checkers only, never when the code runs
        }
        // a framework's global (Flask's `current_app` in a pushed context)
        if let Some(v) = self.ev.host.dotted(self, n) {
            return v;
        }
        // a function of the scanned code named at a module's top level (`ROUTES = {"/b":
        // view}`): the function, by its canonical name, as a helper's body keeps it
        if self.depth == 0 && self.ev.project.function(&canonical).is_some() {
            return Val::Expr(Rc::new(Expr::Resolved(canonical.into())));
        }
        // a builtin type, kept by name (`string_types = (str,)` for isinstance)
        if BUILTIN_TYPES.contains(&n) {
            return Val::Expr(Rc::new(Expr::Resolved(format!("builtins.{n}").into())));
        }
        self.module_dunder(n)
            .unwrap_or_else(|| Val::Unknown(format!("name {n}")))
    }

    /// A module's `__path__` (a package's folder) and its `__name__`: the
    /// dotted name it is imported by. A module that tests `__name__ ==
    /// "__main__"` (a script) and that no running code imports (crossport
    /// starts from it) may be run by `python app.py` or `python -m`: its top
    /// level's `__name__` may be `"__main__"`, so it stays unknown there.
    pub(super) fn module_dunder(&self, n: &str) -> Option<Val> {
        match n {
            "__path__" if self.m.is_package => {
                let dir = self.m.path.rsplit_once('/').map_or("", |(d, _)| d);
                Some(Val::List(vec![Val::Str(dir.to_string())]))
            }
            "__name__"
                if !self.m.module.ends_with("__main__")
                    && (self.depth > 0 || !self.m.is_script() || self.ev.importing()) =>
            {
                Some(Val::Str(self.m.module.clone()))
            }
            "__file__" => Some(files::file_dunder(&self.m.path)),
            _ => None,
        }
    }

    /// `bool(v)`. A kept expression is true when it names a function, class
    /// or module of the scanned code; any other name (a setting, a global read
    /// from the environment, a library's object) is not known.
    pub(super) fn truth(&self, v: &Val) -> Option<bool> {
        match v {
            Val::Expr(e) => abs_dotted(e)
                .filter(|id| {
                    let p = self.ev.project;
                    p.function(id).is_some()
                        || classes::find(p, id).is_some()
                        || p.module(id).is_some()
                })
                .map(|_| true),
            v => v.truthy(),
        }
    }

    pub(super) fn tick(&self) -> bool {
        let s = self.ev.steps.get() + 1;
        self.ev.steps.set(s);
        s <= MAX_STEPS
    }

    pub fn eval(&self, e: &Expr) -> Val {
        if self.depth > 0 && !self.tick() {
            return Val::Unknown(BUDGET.into());
        }
        let v = self.eval_inner(e);
        if self.depth > 0 {
            return self.keep_expr(e, v);
        }
        v
    }

    /// An unknown call/name/attribute inside a helper (or passed to one) keeps
    /// its expression, names resolved, for the views of the URLs built from it.
    pub(super) fn keep_expr(&self, e: &Expr, v: Val) -> Val {
        match (&v, e) {
            // an ImportError raised stays one (for `try`/`except ImportError`)
            (Val::Unknown(why), _) if raised(why).is_some() => v,
            (Val::Unknown(_), Expr::Call(_) | Expr::Attr(..) | Expr::Name(_)) => {
                Val::Expr(Rc::new(self.resolve_all(e)))
            }
            _ => v,
        }
    }

    /// A name or attribute chain whose value is not known, as the canonical
    /// name of what it denotes when that is outside the scanned code.
    pub(super) fn keep_named(&self, e: &Expr, v: Val) -> Val {
        match abs_dotted(&self.resolve_all(e)) {
            Some(id) if !self.ev.project.owns(&id) => Val::Expr(Rc::new(Expr::Resolved(id.into()))),
            _ => v,
        }
    }

    /// `e` with local names replaced by what they denote (a class, a kept
    /// expression, a module) and, when `all`, every other name by its canonical id.
    pub(super) fn subst(&self, e: &Expr, all: bool) -> Expr {
        match e {
            Expr::Name(n) => {
                let local = self.env.get(n.as_str()).cloned().or_else(|| self.global(n));
                match local.as_ref() {
                    Some(Val::Class(c) | Val::Module(c)) => Expr::Resolved(c.clone().into()),
                    Some(Val::Func(f)) => Expr::Resolved(f.id.clone().into()),
                    // a local's known text or number stays known in the kept expression
                    Some(Val::Str(s)) => Expr::Str(s.as_str().into()),
                    Some(Val::Int(i)) => Expr::Int(*i),
                    Some(Val::Expr(x)) => (**x).clone(),
                    Some(Val::Instance(_)) => e.clone(),
                    _ if all => {
                        Expr::Resolved(self.ev.project.resolver.resolve(&self.m.module, n).into())
                    }
                    _ => e.clone(),
                }
            }
            Expr::Attr(b, a) => match self.subst(b, all) {
                // a name of a scanned module is what that module binds it to
                // (`from . import views` in a function, `views.LogoutView` a
                // class it imported from a library)
                Expr::Resolved(m) if self.ev.project.module(&m).is_some() => {
                    Expr::Resolved(self.ev.project.resolver.resolve(&m, a).into())
                }
                base => Expr::Attr(Box::new(base), a.clone()),
            },
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

    pub(super) fn resolve_all(&self, e: &Expr) -> Expr {
        self.subst(e, true)
    }

    /// List/tuple display items, `*x` expanded.
    pub(super) fn items(&self, v: &[Expr]) -> Vec<Val> {
        let mut out = Vec::new();
        for x in v {
            match x {
                Expr::Starred(inner) => match self.items_of(self.eval(inner)) {
                    Ok(items) => out.extend(items),
                    Err(why) => out.push(Val::Unknown(format!("*{}: {why}", inner.describe()))),
                },
                _ => out.push(self.eval(x)),
            }
        }
        out
    }

    pub(super) fn eval_inner(&self, e: &Expr) -> Val {
        match e {
            Expr::Str(s) => Val::Str(s.to_string()),
            Expr::DynStr(f) => self.fstring(f),
            Expr::Int(i) => Val::Int(*i),
            Expr::Bool(b) => Val::Bool(*b),
            Expr::None => Val::None,
            Expr::List(v) => Val::List(self.items(v)),
            Expr::Tuple(v) => Val::Tuple(self.items(v)),
            Expr::Comp(c) => self.comprehension(c),
            Expr::Not(x) => match self.eval(x) {
                v @ Val::Unknown(_) if v.is_raised() => v,
                v => match self.truth(&v) {
                    Some(b) => Val::Bool(!b),
                    None => Val::Unknown(e.describe()),
                },
            },
            Expr::IfExp(t, b, o) => match self.truth(&self.eval(t)) {
                Some(true) => self.eval(b),
                Some(false) => self.eval(o),
                None => Val::Unknown(e.describe()),
            },
            Expr::Lambda(f) => Val::Func(Rc::new(super::value::Closure {
                def: (**f).clone(),
                module: self.m.module.clone(),
                id: format!("{}.<lambda>", self.m.module),
                captured: RefCell::new(if self.depth > 0 {
                    self.env.clone()
                } else {
                    Env::default()
                }),
                frame: self.ev.current_frame(),
                own: super::exec::own_names(f),
            })),
            Expr::Resolved(c) => self
                .ev
                .lookup_global(c)
                .or_else(|| {
                    self.ev
                        .project
                        .module(c)
                        .map(|_| Val::Module(c.to_string()))
                })
                .or_else(|| classes::find(self.ev.project, c).map(|_| Val::Class(c.to_string())))
                .or_else(|| self.module_getattr(c))
                .unwrap_or_else(|| Val::Expr(Rc::new(e.clone()))),
            Expr::Subscript(v, i) => match i.as_ref() {
                Expr::Other(t) if t.contains(':') => slice(self.eval(v), t),
                i => self.item(self.eval(v), self.eval(i)),
            },
            Expr::BinOp(l, op, r) if op == "and" => {
                let lv = self.eval(l);
                match self.truth(&lv) {
                    Some(false) => lv,
                    Some(true) => self.eval(r),
                    None if lv.is_raised() => lv,
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
                match self.truth(&lv) {
                    Some(true) => lv,
                    Some(false) => self.eval(r),
                    None if lv.is_raised() => lv,
                    None => Val::Unknown("or".into()),
                }
            }
            Expr::Call(c) => self.call(c),
            other => Val::Unknown(other.describe()),
        }
    }

    /// The instance a name or attribute chain (no calls: evaluating it has no
    /// effects) denotes.
    pub(super) fn instance_at(&self, e: &Expr) -> Option<Rc<Obj>> {
        match self.receiver_at(e) {
            Some(Val::Instance(o)) => Some(o),
            _ => None,
        }
    }

    /// The instance or framework value a name or attribute chain (no calls:
    /// evaluating it has no effects) denotes.
    pub(super) fn object_at(&self, e: &Expr) -> Option<Val> {
        self.receiver_at(e)
            .filter(|v| matches!(v, Val::Instance(_) | Val::Host(_)))
    }

    /// The value of a name or attribute chain (no calls), as a method's receiver.
    pub(super) fn receiver_at(&self, e: &Expr) -> Option<Val> {
        matches!(root(e), Expr::Name(_) | Expr::Resolved(_)).then(|| self.eval(e))
    }

    /// `obj.attr` on an instance: its own attribute, else its class's.
    pub fn instance_attr(&self, o: &Rc<Obj>, attr: &str) -> Val {
        if let Some(why) = o.lost() {
            return Val::Unknown(why);
        }
        if let Some(v) = o.get(attr) {
            return v;
        }
        match attr {
            "__class__" => return Val::Class(o.class.clone()),
            "__module__" => {
                if let Some(v) = self.class_dunder(&o.class, attr) {
                    return v;
                }
            }
            _ => {}
        }
        if let Some((fd, m, owner)) = find_method(self.ev.project, self.ev.host, &o.class, attr) {
            if matches!(method_kind(fd), MethodKind::Property) {
                // `obj.urls` runs the property's getter on the object
                let c = bare_call(fd);
                let first = Some(Val::Instance(o.clone()));
                return self
                    .invoke(fd, m, first, &c, Some(owner))
                    .unwrap_or_else(|| Val::Unknown(format!("{}.{attr}", o.class)));
            }
            // a method read without a call is bound to the object: calling it
            // later (`register = site.register`) runs on this same instance
            return partials::bound(Val::Instance(o.clone()), attr);
        }
        match (self.class_attr(&o.class, attr), o.native()) {
            (Val::Unknown(why), Some(n)) if self.ev.host.lazy_proxy(&n) => self
                .ev
                .host
                .attr(self, &n, attr)
                .or_else(|| self.wrapped_attr(o, attr))
                .unwrap_or(Val::Unknown(why)),
            (Val::Unknown(why), Some(n)) => match self.ev.host.attr(self, &n, attr) {
                Some(v) => v,
                // the framework's method, bound to the instance (its overrides run)
                None if self.ev.host.has_method(&n, attr) => {
                    partials::bound(Val::Instance(o.clone()), attr)
                }
                None => Val::Unknown(why),
            },
            // an attribute the class does not define: its `__getattr__`, if any
            (Val::Unknown(why), None)
                if classes::attr(self.ev.project, &o.class, attr).is_none()
                    && find_method(self.ev.project, self.ev.host, &o.class, "__getattr__")
                        .is_some() =>
            {
                let key = (Rc::as_ptr(o), attr.to_string());
                if self.ev.getattr_running.borrow().contains(&key) {
                    return Val::Unknown(format!("{}.{attr}: __getattr__ recurses", o.class));
                }
                self.ev.getattr_running.borrow_mut().push(key);
                let v = self.call_method_with(
                    o,
                    "__getattr__",
                    vec![Val::Str(attr.to_string())],
                    &[],
                    None,
                );
                self.ev.getattr_running.borrow_mut().pop();
                match v {
                    Val::Unknown(_) => Val::Unknown(why),
                    v => v,
                }
            }
            (v, _) => v,
        }
    }

    /// PEP 562: `module.name` of a name a scanned module does not bind, when
    /// it defines `__getattr__(name)`, is what that function returns.
    fn module_getattr(&self, path: &str) -> Option<Val> {
        let (m, name) = path.rsplit_once('.')?;
        let hook = format!("{m}.__getattr__");
        let project = self.ev.project;
        let (fd, hook_module) = project.function(&hook)?;
        if project.function(path).is_some() {
            return None;
        }
        let args = vec![Val::Str(name.to_string())];
        Some(self.run_with_values(fd, hook_module, &hook, args, &bare_call(fd), &[], None))
    }

    /// `obj.attr` read through a lazy proxy: `_setup()` run once to make
    /// `_wrapped`, then its attribute.
    fn wrapped_attr(&self, o: &Rc<Obj>, attr: &str) -> Option<Val> {
        Some(match self.lazy_wrapped(o)? {
            Val::Instance(w) => self.instance_attr(&w, attr),
            v @ Val::Host(_) => self.host_attr(&v, attr)?,
            Val::Module(m) => self.eval_inner(&Expr::Resolved(format!("{m}.{attr}").into())),
            _ => return None,
        })
    }

    /// `v[k]`: an instance's `__getitem__` runs (a lazy proxy without one reads
    /// `_wrapped[k]`), a framework value answers as its framework says.
    fn item(&self, v: Val, k: Val) -> Val {
        match v {
            h @ Val::Host(_) => self
                .ev
                .host
                .item(self, &h, &k)
                .unwrap_or_else(|| subscript(h, k)),
            Val::Instance(o) if self.has_own_method(&o, "__getitem__") => {
                self.call_method_with(&o, "__getitem__", vec![k], &[], None)
            }
            Val::Instance(o) if matches!(o.native(), Some(Val::Dict(_))) => dict_item(&o, k),
            Val::Instance(o) if o.native().is_some_and(|n| self.ev.host.lazy_proxy(&n)) => {
                match self.lazy_wrapped(&o) {
                    Some(w) => self.item(w, k),
                    None => Val::Unknown(format!("{}[...]", o.class)),
                }
            }
            v => subscript(v, k),
        }
    }

    /// `obj.method(...)` called through a lazy proxy: on `_wrapped`, made first.
    fn wrapped_method(&self, o: &Rc<Obj>, method: &str, c: &Call) -> Option<Val> {
        match self.lazy_wrapped(o)? {
            Val::Instance(w) => Some(self.call_method(&w, method, c)),
            v @ Val::Host(_) => self.host_method(&v, method, c),
            v => self.value_method_on(v, method, c),
        }
    }

    /// `self._wrapped` of a lazy proxy, made on first use by its class's
    /// `_setup()`, else by the function it was made with (`SimpleLazyObject`).
    pub fn lazy_wrapped(&self, o: &Rc<Obj>) -> Option<Val> {
        if o.get("_wrapped").is_none() {
            let own_setup = find_method(self.ev.project, self.ev.host, &o.class, "_setup");
            match o.native().and_then(|n| self.ev.host.lazy_func(&n)) {
                Some((f, c)) if own_setup.is_none() => {
                    let v = self.call_with_values(&f, vec![], &c, &[])?;
                    o.set("_wrapped", v);
                }
                _ => {
                    self.call_method_with(o, "_setup", vec![], &[], None);
                }
            }
        }
        o.get("_wrapped")
    }

    /// `isinstance(x, C)` (or a tuple of classes) for instances of scanned
    /// classes and framework values; `None`-like `Unknown` otherwise.
    fn isinstance(&self, value: &Expr, classes_expr: &Expr) -> Val {
        let unknown = || Val::Unknown(format!("isinstance(..., {})", classes_expr.describe()));
        let Some(names) = self.class_names(classes_expr) else {
            return unknown();
        };
        if names.iter().any(|n| n == "object") {
            return Val::Bool(true);
        }
        let v = self.eval(value);
        let mut answer = Some(false);
        for class in &names {
            let hit = match &v {
                Val::Instance(o) if classes::mro(self.ev.project, &o.class).contains(class) => {
                    Some(true)
                }
                Val::Instance(o) => match o.native() {
                    Some(n) => self.ev.host.isinstance(self, &n, class),
                    None => Some(false),
                },
                Val::Str(_) => Some(class == "str"),
                Val::Int(_) => Some(class == "int"),
                Val::List(_) => Some(class == "list"),
                Val::Tuple(_) => Some(class == "tuple"),
                Val::Dict(_) => Some(class == "dict"),
                Val::Bool(_) => Some(class == "bool" || class == "int"),
                // a class, module or function is no instance of a class of
                // the scanned code or a framework's (`type` and the like aside)
                Val::Class(_) | Val::Module(_) | Val::Func(_) | Val::None
                    if class.contains('.') && !class.starts_with("types.") =>
                {
                    Some(false)
                }
                // a function of the scanned code, named
                Val::Expr(e)
                    if class.contains('.')
                        && !class.starts_with("types.")
                        && self.named_function(e).is_some() =>
                {
                    Some(false)
                }
                Val::Host(_) | Val::Expr(_) => self.ev.host.isinstance(self, &v, class),
                _ => None,
            };
            match hit {
                Some(true) => return Val::Bool(true),
                Some(false) => {}
                None => answer = None,
            }
        }
        answer.map_or_else(unknown, Val::Bool)
    }

    /// `issubclass(value, classes)`: along the MRO of a class of the scanned
    /// code. A value that is no class raises `TypeError` (discovery loops over
    /// `dir(module)` catch it). A class outside the scanned code is not known
    /// to derive from another such class unless the MRO names it, but never
    /// derives from a class of the scanned code.
    fn issubclass(&self, value: &Expr, classes_expr: &Expr) -> Val {
        let unknown = || Val::Unknown(format!("issubclass(..., {})", classes_expr.describe()));
        let Some(names) = self.class_names(classes_expr) else {
            return unknown();
        };
        let class = match self.eval(value) {
            Val::Class(c) => c,
            v @ Val::Unknown(_) if v.is_raised() => return v,
            // a name from outside the scanned code is a library's class, which
            // never derives from one of the project's, or no class at all (a
            // module, raising TypeError): the test fails either way, and a loop
            // over `dir(module)` goes on to the next name
            Val::Expr(x)
                if abs_dotted(&x).is_some()
                    && self.named_function(&x).is_none()
                    && names
                        .iter()
                        .all(|n| classes::find(self.ev.project, n).is_some()) =>
            {
                return Val::Bool(false);
            }
            // a function of the scanned code, named (its undecorated `def` binds a
            // function): no class, as `Val::Func` is not
            Val::Expr(x)
                if self
                    .named_function(&x)
                    .is_some_and(|fd| fd.decorators.is_empty()) =>
            {
                return Val::Unknown(format!("{TYPE_ERROR}issubclass() arg 1 must be a class"));
            }
            Val::Str(_)
            | Val::Int(_)
            | Val::Bool(_)
            | Val::None
            | Val::List(_)
            | Val::Tuple(_)
            | Val::Dict(_)
            | Val::Module(_)
            | Val::Func(_)
            | Val::Instance(_) => {
                return Val::Unknown(format!("{TYPE_ERROR}issubclass() arg 1 must be a class"));
            }
            _ => return unknown(),
        };
        let project = self.ev.project;
        let mro = classes::mro(project, &class);
        if names.iter().any(|n| mro.contains(n)) {
            return Val::Bool(true);
        }
        // not in the MRO: no subclass when every class of the MRO was read, or
        // when each class asked about is the project's own
        let whole = mro
            .iter()
            .all(|k| classes::find(project, k).is_some() || k == "object");
        if whole || names.iter().all(|n| classes::find(project, n).is_some()) {
            Val::Bool(false)
        } else {
            unknown()
        }
    }

    /// `dir(module)`: the names a scanned module binds (what its top level
    /// assigned as it ran, and its classes, functions and imports), sorted.
    pub(super) fn module_names(&self, m: &str) -> Val {
        let Some(env) = self.ev.env(m) else {
            return Val::Unknown(format!("dir({m})"));
        };
        let mut names: Vec<&str> = env.keys().map(String::as_str).collect();
        names.extend(self.ev.project.resolver.names(m));
        names.sort_unstable();
        names.dedup();
        Val::List(names.into_iter().map(|n| Val::Str(n.to_string())).collect())
    }

    /// `globals()`: the running module's names (see `module_names`), each with its value
    /// as the module's top level sees it now (a function's locals do not shadow it).
    fn module_globals(&self) -> Val {
        let Val::List(names) = self.module_names(&self.m.module) else {
            return Val::Unknown("globals()".into());
        };
        let value = |n: &str| {
            if self.depth == 0 {
                self.name(n)
            } else {
                self.eval_with(self.m, &Expr::Name(n.into()), Env::default())
            }
        };
        Val::Dict(
            names
                .into_iter()
                .filter_map(|n| {
                    let v = value(n.as_str()?);
                    Some((n, v))
                })
                .collect(),
        )
    }

    /// The classes `isinstance` / `issubclass` are given: one, or a tuple of them (written
    /// there, or bound to a name: `string_types = (str,)`). None when one of them is not known
    /// to be a class: the answer is not known then.
    fn class_names(&self, classes_expr: &Expr) -> Option<Vec<String>> {
        match classes_expr {
            Expr::Tuple(items) => items.iter().map(|e| self.class_name(e)).collect(),
            e @ (Expr::Name(_) | Expr::Attr(..)) => match self.eval(e) {
                Val::Tuple(items) => items.iter().map(|v| self.type_name_of(v, None)).collect(),
                v => self.type_name_of(&v, Some(e)).map(|c| vec![c]),
            },
            _ => None,
        }
    }

    /// The canonical name of a class expression (`URLPattern`, `models.Model`).
    fn class_name(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::Name(_) | Expr::Attr(..) => self.type_name_of(&self.eval(e), Some(e)),
            _ => None,
        }
    }

    /// The canonical name of the class a value (of the expression `e`, when written) is. A
    /// name from outside the scanned code counts as a class when it is a builtin type, the
    /// scanned code's, or named as classes are (CapWords): a lowercase one (`six.string_types`,
    /// `compat.text_type`) is as often a tuple of types or an alias.
    fn type_name_of(&self, v: &Val, e: Option<&Expr>) -> Option<String> {
        let name = match (v, e) {
            (Val::Class(c), _) => return Some(c.clone()),
            (Val::Expr(x), _) => abs_dotted(x)?,
            (Val::Unknown(_), Some(e)) => self
                .ev
                .project
                .resolver
                .resolve(&self.m.module, &e.dotted()?),
            _ => return None,
        };
        if let Some(builtin) = name.strip_prefix("builtins.") {
            return Some(builtin.to_string());
        }
        if let Some((_, t)) = SIX_TYPES.iter().find(|(n, _)| *n == name) {
            return Some(t.to_string());
        }
        let last = name.rsplit('.').next().unwrap_or(&name);
        (last.starts_with(|c: char| c.is_ascii_uppercase())
            || classes::find(self.ev.project, &name).is_some())
        .then_some(name)
    }

    /// A new instance of a scanned class whose construction a framework does
    /// itself (an app config): `attrs` set, no `__init__` run.
    /// `independent`: the framework loads each such object by itself, so a
    /// loop over several runs each iteration on its own (see `HostValue`).
    pub fn new_instance(
        &self,
        class: &str,
        attrs: Vec<(String, Val)>,
        independent: bool,
    ) -> Rc<Obj> {
        Rc::new(Obj {
            class: class.to_string(),
            attrs: RefCell::new(attrs),
            lost: RefCell::new(None),
            truthy: true,
            independent,
            native: RefCell::new(None),
            made_at: (self.m.path.clone(), 0),
        })
    }

    /// `obj.method()` with no arguments, as a framework calls a hook.
    pub fn call_hook(&self, o: &Rc<Obj>, method: &str) -> Val {
        match find_method(self.ev.project, self.ev.host, &o.class, method) {
            Some((fd, _, _)) => self.call_method(o, method, &bare_call(fd)),
            None => Val::None,
        }
    }

    /// `super().method(...)`: the method the next classes of the MRO define,
    /// bound to the same object. A method that only a class outside the
    /// scanned code defines is not known.
    /// `Base.method(self, ...)` with `Base` in the MRO of `self`'s class: the
    /// method as `Base` (or the classes after it) defines it, run on `self`;
    /// `Flask.__init__(self, ...)` makes the instance's framework part, as
    /// `super().__init__(...)` does.
    fn call_through_base(&self, base: &Expr, method: &str, c: &Call) -> Option<Val> {
        // `self` passed by name; the arguments after it (splats too) are the method's
        let first = c.args.first().filter(|a| a.as_name().is_some())?;
        // a class of the scanned code, or a framework's whose `__init__` makes
        // the instance's native part; checked before anything is evaluated
        let class = self
            .ev
            .project
            .resolver
            .resolve(&self.m.module, &base.dotted()?);
        let own = classes::find(self.ev.project, &class).is_some();
        let native_init =
            method == "__init__" && (self.ev.host.native_class(&class) || is_dict_class(&class));
        if !own && !native_init {
            return None;
        }
        let Val::Instance(o) = self.eval(first) else {
            return None;
        };
        if !classes::mro(self.ev.project, &o.class).contains(&class) {
            return None;
        }
        let rest = Call {
            func: c.func.clone(),
            args: c.args[1..].into(),
            kwargs: c.kwargs.clone(),
            kwargs_splat: c.kwargs_splat.clone(),
            pos: c.pos,
        };
        if !own {
            return self.native_method(&o, method, &rest);
        }
        let (fd, m, owner) = find_method(self.ev.project, self.ev.host, &class, method)?;
        if !matches!(method_kind(fd), MethodKind::Instance) {
            return None;
        }
        Some(
            self.invoke(fd, m, Some(Val::Instance(o.clone())), &rest, Some(owner))
                .unwrap_or_else(|| Val::Unknown(format!("{class}.{method}(...)"))),
        )
    }

    pub(super) fn call_super(&self, s: &Owner, method: &str, c: &Call) -> Val {
        let unknown = || Val::Unknown(format!("super().{method}(...)"));
        let class = match &s.this {
            Val::Instance(o) => o.class.clone(),
            Val::Class(k) => k.clone(),
            v => match self.ev.host.class_of(v) {
                Some(k) => k,
                None => return unknown(),
            },
        };
        let Some((fd, m, owner)) = method_after(
            self.ev.project,
            self.ev.host,
            &class,
            Some(&s.class),
            method,
        ) else {
            // the next class that is not the project's: `object`, or the
            // framework's class whose object is the instance's native part
            let mro = classes::mro(self.ev.project, &class);
            let next = mro
                .iter()
                .skip_while(|k| **k != s.class)
                .skip(1)
                .find(|k| classes::find(self.ev.project, k).is_none());
            let object = next.is_none_or(|k| k.rsplit('.').next() == Some("object"));
            return match (next, &s.this) {
                (_, _) if object && method == "__init__" => Val::None,
                // `object.__new__(cls)`: a new instance of `cls`, not initialised
                (_, Val::Class(k)) if object && method == "__new__" => {
                    Val::Instance(self.plain_object(k, c.pos.line))
                }
                (Some(k), Val::Instance(o)) if self.ev.host.native_class(k) || is_dict_class(k) => {
                    self.native_method(o, method, c).unwrap_or_else(unknown)
                }
                // a framework value of a project subclass (`Host::class_of`): the framework's
                // method, past the project's override
                (Some(_), this @ Val::Host(_)) => self
                    .framework_method(this, method, c)
                    .unwrap_or_else(unknown),
                // `super().register(app)` in a classmethod: the framework's class method,
                // for the class the call started from (`cls`)
                (Some(k), Val::Class(_)) => self
                    .ev
                    .host
                    .class_method(self, &class, k, method, c)
                    .unwrap_or_else(unknown),
                _ => unknown(),
            };
        };
        let first = match (method_kind(fd), &s.this) {
            // `__new__` is given its class explicitly (`super().__new__(cls)`)
            (MethodKind::Static, _) => None,
            _ if method == "__new__" => None,
            (MethodKind::Class, Val::Instance(o)) => Some(Val::Class(o.class.clone())),
            (MethodKind::Instance | MethodKind::Property, Val::Class(_)) => return unknown(),
            (_, this) => Some(this.clone()),
        };
        self.invoke(fd, m, first, c, Some(owner))
            .unwrap_or_else(unknown)
    }

    pub(super) fn attr(&self, e: &Expr, base: &Expr, attr: &str) -> Val {
        if let Some(v) = enums::member_attr(self, base, attr) {
            return v;
        }
        if self.depth > 0 && root_is_local(base, self.env)
            || matches!(root(base), Expr::Resolved(_))
            || self.object_root(base)
        {
            return match self.eval(base) {
                Val::Module(m) => {
                    let c = format!("{m}.{attr}");
                    self.eval_inner(&Expr::Resolved(c.into()))
                }
                Val::Instance(o) => self.instance_attr(&o, attr),
                b @ Val::Host(_) => self
                    .host_attr(&b, attr)
                    .unwrap_or_else(|| Val::Unknown(e.describe())),
                // a function's `__name__`
                Val::Func(f) if attr == "__name__" => Val::Str(f.def.name.to_string()),
                Val::Expr(x) if attr == "__name__" && self.named_function(&x).is_some() => {
                    Val::Str(
                        self.named_function(&x)
                            .map_or_else(String::new, |fd| fd.name.to_string()),
                    )
                }
                b => match self.class_of(&b) {
                    Some(c) => self.class_read(&c, attr),
                    // a framework's global imported inside the function (`from
                    // django.conf import settings`): as imported at top level
                    None => match &b {
                        Val::Expr(x) => abs_dotted(x)
                            .and_then(|d| self.ev.host.dotted(self, &format!("{d}.{attr}")))
                            .unwrap_or_else(|| Val::Unknown(e.describe())),
                        _ => Val::Unknown(e.describe()),
                    },
                },
            };
        }
        if let Some(dotted) = e.dotted() {
            if let Some(v) = self.ev.host.dotted(self, &dotted) {
                return v;
            }
            let canonical = self.ev.project.resolver.resolve(&self.m.module, &dotted);
            if let Some(v) = self.ev.lookup_global(&canonical) {
                return v;
            }
            if self.ev.project.module(&canonical).is_some() {
                return Val::Module(canonical);
            }
            // `Config.API_PREFIX`: a class attribute of a scanned class
            if let Some((class, _)) = canonical.rsplit_once('.')
                && classes::find(self.ev.project, class).is_some()
            {
                return self.class_read(class, attr);
            }
            if let Some(v) = self.module_getattr(&canonical) {
                return v;
            }
            // an attribute of an instance imported from another module
            match self.object_at(base) {
                Some(Val::Instance(o)) => return self.instance_attr(&o, attr),
                Some(v) => {
                    if let Some(a) = self.host_attr(&v, attr) {
                        return a;
                    }
                }
                None => {}
            }
            return files::constant(&canonical)
                .or_else(|| enums::stdlib_member(&canonical))
                .unwrap_or(Val::Unknown(canonical));
        }
        // an attribute of what a call returns (`Section().urls`,
        // `import_module(name).bp`)
        match self.eval(base) {
            Val::Instance(o) => self.instance_attr(&o, attr),
            Val::Module(m) => self.eval_inner(&Expr::Resolved(format!("{m}.{attr}").into())),
            v @ Val::Host(_) => self
                .host_attr(&v, attr)
                .unwrap_or_else(|| Val::Unknown(attr.to_string())),
            _ => Val::Unknown(attr.to_string()),
        }
    }

    /// Whether `base` is rooted at a variable holding a module, an instance, a
    /// class or a framework value (`urlmod.urlpatterns`, `app.name` in a
    /// top-level loop).
    pub(super) fn object_root(&self, base: &Expr) -> bool {
        let Expr::Name(n) = root(base) else {
            return false;
        };
        matches!(
            self.env.get(n.as_str()).cloned().or_else(|| self.global(n)),
            Some(Val::Module(_) | Val::Host(_) | Val::Instance(_) | Val::Class(_))
        )
    }

    /// `hasattr(obj, name)` for the objects this interpreter models.
    pub(super) fn has_attr(&self, obj: &Val, name: &str) -> Option<bool> {
        match obj {
            Val::Host(_) | Val::Expr(_) => self.ev.host.has_attr(self, obj, name),
            // `None` has only the object protocol's dunders
            Val::None if !name.starts_with("__") => Some(false),
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
                for c in classes::mro(self.ev.project, &o.class) {
                    let Some((_, cd)) = classes::find(self.ev.project, &c) else {
                        continue;
                    };
                    if cd.methods().any(|f| f.name == "__getattr__") {
                        return None;
                    }
                    found |= defines(cd, name);
                }
                match o.native() {
                    Some(n) if !found => self.ev.host.has_attr(self, &n, name),
                    // a base outside the scanned code may define it
                    None if !found && !self.library_classes(&o.class).is_empty() => None,
                    _ => Some(found),
                }
            }
            // a scanned class: an attribute, method or inner class along its MRO, or one
            // assigned on it while running; not known when a base outside the scanned code
            // may define it (`as_view` of Flask's `MethodView`)
            Val::Class(k) => {
                let mro = classes::mro(self.ev.project, k);
                let writes = self.ev.class_writes.borrow();
                let found = mro.iter().any(|c| {
                    writes.contains_key(&(c.clone(), name.to_string()))
                        || classes::find(self.ev.project, c)
                            .is_some_and(|(_, cd)| defines(cd, name))
                });
                if found {
                    return Some(true);
                }
                // the bases outside the scanned code: one has it, all are known not to,
                // or not known
                let library: Vec<Option<bool>> = self
                    .library_classes(k)
                    .iter()
                    .map(|c| {
                        self.ev
                            .host
                            .library_class_attr(c, name)
                            .map(|v| v.is_some())
                    })
                    .collect();
                if library.contains(&Some(true)) {
                    Some(true)
                } else {
                    library.iter().all(|d| *d == Some(false)).then_some(false)
                }
            }
            _ => None,
        }
    }

    /// The classes outside the scanned code (other than `object`) in the MRO
    /// of `class`: each may define any attribute.
    fn library_classes(&self, class: &str) -> Vec<String> {
        classes::mro(self.ev.project, class)
            .into_iter()
            .filter(|c| {
                !matches!(c.as_str(), "object" | "builtins.object")
                    && classes::find(self.ev.project, c).is_none()
            })
            .collect()
    }

    /// `getattr(obj, name[, default])`.
    pub(super) fn get_attr(&self, obj: &Val, name: &str, default: Option<Val>) -> Val {
        let unknown = || Val::Unknown(format!("getattr(..., {name:?})"));
        match self.has_attr(obj, name) {
            Some(true) => match obj {
                Val::Host(_) => self.host_attr(obj, name).unwrap_or_else(unknown),
                // a name it imported is the object imported
                Val::Module(m) => {
                    let id = self.ev.project.resolver.resolve(m, name);
                    self.eval_inner(&Expr::Resolved(id.into()))
                }
                // an object a framework names (`django.conf.settings`)
                Val::Expr(e) => abs_dotted(e)
                    .and_then(|d| self.ev.host.dotted(self, &format!("{d}.{name}")))
                    .unwrap_or_else(unknown),
                Val::Instance(o) => self.instance_attr(o, name),
                Val::Class(k) => self.class_attr(k, name),
                _ => unknown(),
            },
            Some(false) => match (default, obj) {
                (Some(d), _) => d,
                // what a framework says its object lacks: Python raises
                (None, Val::Expr(_) | Val::Host(_)) => {
                    Val::Unknown(format!("{}{name}", super::ATTRIBUTE_ERROR))
                }
                (None, _) => unknown(),
            },
            None => unknown(),
        }
    }

    /// `importlib.import_module(name)` / `importlib.util.find_spec(name)`:
    /// a scanned module; for a missing module under a scanned package,
    /// `None` from `find_spec` and an `ImportError` from `import_module`.
    pub(super) fn import_module(&self, c: &Call, find_spec: bool) -> Val {
        let Some(Val::Str(mut name)) = c.arg(0, "name").map(|a| self.eval(a)) else {
            return Val::Unknown("import_module() of a name not known statically".into());
        };
        if name.starts_with('.') {
            // relative to `package=`, as importlib resolves it: each dot past
            // the first goes one package up
            let Some(Val::Str(package)) = c.arg(1, "package").map(|a| self.eval(a)) else {
                return Val::Unknown(format!("import_module({name:?})"));
            };
            let rest = name.trim_start_matches('.');
            let level = name.len() - rest.len();
            let bits: Vec<&str> = package.rsplitn(level, '.').collect();
            if bits.len() < level {
                return Val::Unknown(format!("import_module({name:?}): beyond the top package"));
            }
            let base = bits[level - 1];
            name = if rest.is_empty() {
                base.to_string()
            } else {
                format!("{base}.{rest}")
            };
        }
        if self.ev.project.module(&name).is_some() {
            // importing runs the module's top level, once: discovery imports
            // a module for what it registers
            if !find_spec {
                self.ev.env(&name);
            }
            return Val::Module(name);
        }
        // Python imports each package on the way down: the first one missing
        // raises when its parent is scanned (`pkg.pkg.urls`, `pkg` scanned).
        // Of an installed package only some modules are read: there, only the
        // last name's parent being read says the name is missing.
        let first_missing = name
            .match_indices('.')
            .map(|(i, _)| &name[..i])
            .find(|p| self.ev.project.module(p).is_none())
            .unwrap_or(&name);
        let parent_own = first_missing.rsplit_once('.').is_some_and(|(p, _)| {
            if first_missing == name {
                self.ev.project.module(p).is_some()
            } else {
                self.ev.project.is_own_module(p)
            }
        });
        // `find_spec` answers `None` for the last name only: a missing package raises
        match (parent_own, find_spec && first_missing == name) {
            (true, true) => Val::None,
            (true, false) => Val::Unknown(format!("{IMPORT_ERROR}{name}")),
            (false, _) => Val::Unknown(format!("import_module({name:?}): not in the scanned code")),
        }
    }

    /// `pkgutil.iter_modules(path, prefix="")` over folders of the scanned
    /// tree (a package's `__path__`): `(finder, name, ispkg)` for each module
    /// and package in them, by name, as Python lists a folder. A module the
    /// pre-filter left unread names nothing the inventory needs and is left
    /// out (a package is listed when anything in it was read), so that the
    /// listing is the same with and without the pre-filter wherever it matters.
    fn iter_modules(&self, c: &Call) -> Val {
        let unknown = |why: &str| Val::Unknown(format!("pkgutil.iter_modules({why})"));
        let dirs = match c.arg(0, "path").map(|e| self.eval(e)) {
            Some(Val::List(d) | Val::Tuple(d)) => d,
            _ => return unknown("a path not known statically"),
        };
        let prefix = match c.arg(1, "prefix").map(|e| self.eval(e)) {
            None => String::new(),
            Some(Val::Str(p)) => p,
            Some(_) => return unknown("a prefix not known statically"),
        };
        let Some(dirs) = dirs
            .iter()
            .map(|d| d.as_str())
            .collect::<Option<Vec<&str>>>()
        else {
            return unknown("a folder not known statically");
        };
        Val::List(
            self.folder_entries(&dirs)
                .into_iter()
                .map(|(name, ispkg)| {
                    Val::Tuple(vec![
                        specs::finder(),
                        Val::Str(format!("{prefix}{name}")),
                        Val::Bool(ispkg),
                    ])
                })
                .collect(),
        )
    }

    /// The modules and packages in folders of the scanned tree, by name
    /// (`true`: a package), first folder first, as `pkgutil.iter_modules`
    /// lists them.
    fn folder_entries(&self, dirs: &[&str]) -> std::collections::BTreeMap<String, bool> {
        // folders that are packages: they have an `__init__.py`, read or not
        let packages: rustc_hash::FxHashSet<&str> = self
            .ev
            .project
            .python
            .iter()
            .filter_map(|p| p.path.strip_suffix("/__init__.py"))
            .collect();
        let mut found: std::collections::BTreeMap<String, bool> = Default::default();
        for dir in dirs {
            for f in &self.ev.project.files {
                let rest = match *dir {
                    "" => Some(f.path.as_str()),
                    _ => f.path.strip_prefix(dir).and_then(|r| r.strip_prefix('/')),
                };
                let Some(rest) = rest else {
                    continue;
                };
                let entry = match rest.split_once('/') {
                    Some((pkg, _)) => {
                        // `dir/pkg`, a prefix of the file's path
                        let folder = &f.path[..f.path.len() - rest.len() + pkg.len()];
                        packages.contains(folder).then_some((pkg, true))
                    }
                    None => rest
                        .strip_suffix(".py")
                        .filter(|n| *n != "__init__")
                        .map(|n| (n, false)),
                };
                if let Some((name, ispkg)) = entry {
                    found.entry(name.to_string()).or_insert(ispkg);
                }
            }
        }
        found
    }

    /// The class, function or module global a dotted path of the scanned
    /// code names, its module run first as importing it would: Django's
    /// `import_string("pkg.sites.Site")` and Werkzeug's (which also takes
    /// `"pkg.sites:Site"`, and a module's own path).
    pub fn import_string(&self, path: &str) -> Val {
        let path = path.replace(':', ".");
        let project = self.ev.project;
        if classes::find(project, &path).is_some() {
            return Val::Class(path);
        }
        if project.module(&path).is_some() {
            self.ev.env(&path);
            return Val::Module(path);
        }
        let Some((module, _)) = path.rsplit_once('.') else {
            return Val::Unknown(format!("import_string({path:?})"));
        };
        if project.module(module).is_none() {
            return Val::Unknown(format!("import_string({path:?}): not in the scanned code"));
        }
        self.ev.env(module);
        match self.ev.lookup_global(&path) {
            Some(v) => v,
            // a function of the scanned code, named as a name of it is
            None if project.function(&path).is_some() => {
                Val::Expr(Rc::new(Expr::Resolved(path.into())))
            }
            None => Val::Unknown(format!("import_string({path:?})")),
        }
    }

    /// Werkzeug's `find_modules(import_path, include_packages=False,
    /// recursive=False)`: the dotted names of the modules in a package of the
    /// scanned code (its packages too when asked, and their modules when
    /// recursive), from `pkgutil.iter_modules` over its folder.
    fn find_modules(&self, c: &Call) -> Val {
        let unknown = || Val::Unknown("find_modules(...)".into());
        let flag = |i: usize, name: &str| match c.arg(i, name).map(|e| self.eval(e)) {
            None => Some(false),
            Some(Val::Bool(b)) => Some(b),
            Some(_) => None,
        };
        let (Some(Val::Str(path)), Some(packages), Some(recursive)) = (
            c.arg(0, "import_path").map(|e| self.eval(e)),
            flag(1, "include_packages"),
            flag(2, "recursive"),
        ) else {
            return unknown();
        };
        let mut out = Vec::new();
        let mut todo = vec![path];
        while let Some(pkg) = todo.pop() {
            let Some(m) = self.ev.project.module(&pkg).filter(|m| m.is_package) else {
                return unknown(); // Werkzeug raises for a module that is not a package
            };
            let dir = m.path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            for (name, ispkg) in self.folder_entries(&[dir.as_str()]) {
                let dotted = format!("{pkg}.{name}");
                if ispkg && recursive {
                    todo.push(dotted.clone());
                }
                if !ispkg || packages {
                    out.push(Val::Str(dotted));
                }
            }
        }
        Val::List(out)
    }

    /// `__import__(name, globals, locals, fromlist)`: the module named, run
    /// once; Python returns it when `fromlist` names something, else its
    /// top-level package.
    fn dunder_import(&self, c: &Call) -> Val {
        let from = match c.arg(3, "fromlist").map(|e| self.eval(e)) {
            None | Some(Val::None) => Some(false),
            Some(Val::List(l) | Val::Tuple(l)) => Some(!l.is_empty()),
            Some(_) => None,
        };
        match (self.import_module(c, false), from) {
            (Val::Module(m), Some(true)) => Val::Module(m),
            (Val::Module(m), Some(false)) => {
                let top = m.split('.').next().unwrap_or(&m).to_string();
                match self.ev.project.module(&top) {
                    Some(_) => Val::Module(top),
                    None => Val::Unknown(format!("__import__({m:?}): its package is not scanned")),
                }
            }
            (v @ Val::Unknown(_), _) => v,
            _ => Val::Unknown("__import__(...)".into()),
        }
    }

    /// An f-string whose every replacement field is a known string or number.
    pub(super) fn fstring(&self, f: &FString) -> Val {
        let unknown = || Val::Unknown(f.text.to_string());
        let Some(parts) = &f.parts else {
            return unknown();
        };
        let mut out = String::new();
        for p in parts.iter() {
            match p {
                FPart::Text(t) => out.push_str(t),
                FPart::Field(e) => match self.eval(e) {
                    Val::Str(s) => out.push_str(&s),
                    Val::Int(n) => out.push_str(&n.to_string()),
                    _ => return unknown(),
                },
            }
        }
        Val::Str(out)
    }

    /// The scanned class a value denotes (`cls`, or a kept reference to a class).
    pub(super) fn class_of(&self, v: &Val) -> Option<String> {
        let c = match v {
            Val::Class(c) => c.clone(),
            Val::Expr(e) => abs_dotted(e)?,
            _ => return None,
        };
        classes::find(self.ev.project, &c).map(|_| c)
    }

    /// `Cls.attr` read off a scanned class: its `__name__`/`__module__`, else the
    /// attribute.
    fn class_read(&self, class: &str, attr: &str) -> Val {
        self.class_dunder(class, attr)
            .unwrap_or_else(|| self.class_attr(class, attr))
    }

    /// The function of the scanned code a value names (its canonical name, as
    /// an undecorated `def` binds it).
    fn named_function(&self, x: &Expr) -> Option<&FuncDef> {
        abs_dotted(x)
            .and_then(|id| self.ev.project.function(&id))
            .map(|(fd, _)| fd)
    }

    /// A scanned class's `__name__` and `__module__` (its statement's name and
    /// module) unless its body sets them; an instance reads its class's.
    fn class_dunder(&self, class: &str, attr: &str) -> Option<Val> {
        if !matches!(attr, "__name__" | "__module__")
            || classes::attr(self.ev.project, class, attr).is_some()
        {
            return None;
        }
        let (m, cd) = classes::find(self.ev.project, class)?;
        match attr {
            "__module__" => Some(Val::Str(m.module.clone())),
            // a class bound under another name than its statement's is not named here
            _ => {
                let name = class.rsplit('.').next().unwrap_or(class);
                (name == &*cd.name).then(|| Val::Str(name.to_string()))
            }
        }
    }

    /// A class attribute along the MRO, evaluated in the module it is written in.
    pub fn class_attr(&self, class: &str, attr: &str) -> Val {
        // an assignment made while running shadows the bodies from its class down
        {
            let writes = self.ev.class_writes.borrow();
            if !writes.is_empty() {
                for k in classes::mro(self.ev.project, class) {
                    if let Some(v) = writes.get(&(k.clone(), attr.to_string())) {
                        return v.clone();
                    }
                    if classes::find(self.ev.project, &k)
                        .is_some_and(|(_, cd)| cd.attr(attr).is_some())
                    {
                        break;
                    }
                }
            }
        }
        let defined = classes::mro(self.ev.project, class)
            .into_iter()
            .find_map(|k| {
                let (m, cd) = classes::find(self.ev.project, &k)?;
                let body: Vec<(&str, &Expr)> = cd
                    .assignments()
                    .filter_map(|(n, v, _, _)| Some((n, v?)))
                    .collect();
                // the last assignment is the attribute, as the body runs top to bottom
                let at = body.iter().rposition(|(n, _)| *n == attr)?;
                Some((k, m, body, at))
            });
        let Some((owner, m, body, at)) = defined else {
            // a framework's class the project derives from, if its host knows the value
            let library = self
                .library_classes(class)
                .iter()
                .find_map(|k| self.ev.host.library_class_attr(k, attr).flatten());
            if let Some(v) = library {
                return v;
            }
            // a class defined in the class body (or a base's)
            return classes::mro(self.ev.project, class)
                .into_iter()
                .find(|k| {
                    classes::find(self.ev.project, k)
                        .is_some_and(|(_, cd)| cd.inner_class(attr).is_some())
                })
                .map_or_else(
                    || Val::Unknown(format!("{class}.{attr}")),
                    |k| Val::Class(format!("{k}.{attr}")),
                );
        };
        let mut memo = rustc_hash::FxHashMap::default();
        match self.class_body_value(&owner, m, &body, at, &mut memo) {
            // a function the body binds (`HOOK = init_routes`): read off the class,
            // Python gives the function itself
            Val::Expr(x) if self.named_function(&x).is_some() => Val::Expr(x),
            Val::Expr(_) => Val::Unknown(format!("{class}.{attr}")),
            v => v,
        }
    }

    /// The value of the `at`-th assignment of a class body, with the names the
    /// body bound before it in scope (`REST_SET = {GET, LIST}` under `GET =
    /// "get"`), each evaluated once (`memo`). A class defined inside a function
    /// also sees that function's names, which are not known here.
    fn class_body_value(
        &self,
        owner: &str,
        m: &SourceModule,
        body: &[(&str, &Expr)],
        at: usize,
        memo: &mut rustc_hash::FxHashMap<usize, Val>,
    ) -> Val {
        if let Some(v) = memo.get(&at) {
            return v.clone();
        }
        // the object the class's final binding of a name made (`shared = DefaultRouter()`,
        // `alias = shared` too): Python runs a class body once, so every read is the same
        // object; a class defined in a function gets a new one on each call, not kept here
        let (name, e) = body[at];
        let last = body.iter().rposition(|(n, _)| *n == name) == Some(at);
        let key =
            (!owner.contains(".<locals>.") && last).then(|| (owner.to_string(), name.to_string()));
        if let Some(v) = key
            .as_ref()
            .and_then(|k| self.ev.class_objects.borrow().get(k).cloned())
        {
            return v;
        }
        let mut names = Vec::new();
        e.walk_names(&mut names);
        let mut locals = Env::default();
        for n in names {
            if locals.contains_key(n) {
                continue;
            }
            match body[..at].iter().rposition(|(b, _)| *b == n) {
                Some(j) => {
                    let v = self.class_body_value(owner, m, body, j, memo);
                    locals.insert(n.to_string(), v);
                }
                None if owner.contains(".<locals>.") => {
                    let why = format!("{n}: a name of the function defining {owner}");
                    locals.insert(n.to_string(), Val::Unknown(why));
                }
                None => {}
            }
        }
        let v = self.eval_with(m, e, locals);
        memo.insert(at, v.clone());
        if let Some(k) = key
            && matches!(v, Val::Host(_) | Val::Instance(_))
        {
            self.ev.class_objects.borrow_mut().insert(k, v.clone());
        }
        v
    }

    /// `e` evaluated with the globals of module `m` (a class body's value).
    pub fn eval_in(&self, m: &SourceModule, e: &Expr) -> Val {
        self.eval_with(m, e, Env::default())
    }

    /// `e` evaluated with the globals of module `m` and `locals` in front.
    fn eval_with(&self, m: &SourceModule, e: &Expr, mut locals: Env) -> Val {
        if self.depth >= MAX_CALL_DEPTH {
            return Val::Unknown(format!("{}: too deep", e.describe()));
        }
        let globals = self.ev.env(&m.module);
        let cx = Cx {
            ev: self.ev,
            m,
            env: &mut locals,
            outer: globals.as_deref(),
            depth: self.depth + 1,
            owner: None,
        };
        cx.eval(e)
    }

    pub(super) fn comprehension(&self, c: &Comp) -> Val {
        if self.depth == 0 {
            // top level: the loop variables in a scope of their own, globals outside
            let mut env = Env::default();
            let cx = Cx {
                ev: self.ev,
                m: self.m,
                env: &mut env,
                outer: Some(&*self.env),
                depth: 0,
                owner: self.owner.clone(),
            };
            return cx.comprehension_in_own_scope(c);
        }
        self.comprehension_in_own_scope(c)
    }

    pub(super) fn comprehension_in_own_scope(&self, c: &Comp) -> Val {
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

    pub(super) fn generate(
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
            owner: self.owner.clone(),
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
        let items = cx.items_of(cx.eval(&g.iter))?;
        for item in items {
            if !self.tick() {
                return Err(BUDGET.into());
            }
            if !bind(cx.env, &g.target, item) {
                return Err("unpacking".into());
            }
            let mut keep = true;
            for cond in &g.conditions {
                match cx.truth(&cx.eval(cond)) {
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
    pub(super) fn value_method(&self, base: &Expr, method: &str, c: &Call) -> Option<Val> {
        // `"{app}.urls".format(**meta)`: only `format` reads a `*`/`**` argument here
        if !VALUE_METHODS.contains(&method) || (c.has_splat() && method != "format") {
            return None;
        }
        let b = self.eval(base);
        self.value_method_on(b, method, c)
    }

    /// `value.method(...)` for a string, list or dict `value` and one of
    /// `VALUE_METHODS`; `None` for any other.
    fn value_method_on(&self, b: Val, method: &str, c: &Call) -> Option<Val> {
        if !VALUE_METHODS.contains(&method) || (c.has_splat() && method != "format") {
            return None;
        }
        let Some(args) = self.positional(c) else {
            return Some(Val::Unknown(format!("{}(*...)", c.func.describe())));
        };
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
                let Some(splat) = self.splat_kwargs(c) else {
                    return Some(Val::Unknown(format!("{s:?}.format(**...)")));
                };
                let kwargs: Vec<(String, Val)> = c
                    .kwargs
                    .iter()
                    .map(|(k, v)| (k.to_string(), self.eval(v)))
                    .chain(splat)
                    .collect();
                // `{bp.name}`: the attribute read off the argument, as `getattr` reads it
                let field = |v: Option<&Val>, attrs: &[&str]| {
                    let v = attrs.iter().try_fold(v?.clone(), |v, a| {
                        match self.get_attr(&v, a, None) {
                            Val::Unknown(_) => None,
                            v => Some(v),
                        }
                    })?;
                    scalar(&v)
                };
                crate::python::scope::str_format(
                    s,
                    |i, attrs| field(args.get(i), attrs),
                    |k, attrs| field(kwargs.iter().find(|(n, _)| n == k).map(|(_, v)| v), attrs),
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
            (Val::Str(s), "partition" | "rpartition") => match sarg(0) {
                Some(sep) if !sep.is_empty() => {
                    let split = if method == "partition" {
                        s.split_once(sep)
                    } else {
                        s.rsplit_once(sep)
                    };
                    let (head, sep, tail) = match split {
                        Some((h, t)) => (h, sep, t),
                        // no separator: the string is the head, or for rpartition the tail
                        None if method == "partition" => (s.as_str(), "", ""),
                        None => ("", "", s.as_str()),
                    };
                    Val::Tuple(vec![
                        Val::Str(head.into()),
                        Val::Str(sep.into()),
                        Val::Str(tail.into()),
                    ])
                }
                _ => Val::Unknown(method.into()),
            },
            (Val::Str(s), "startswith" | "endswith") => match sarg(0) {
                Some(x) if method == "startswith" => Val::Bool(s.starts_with(x)),
                Some(x) => Val::Bool(s.ends_with(x)),
                None => Val::Unknown(method.into()),
            },
            (Val::Str(s), "split" | "rsplit") => {
                if !c.kwargs.is_empty() {
                    return Some(Val::Unknown(method.into()));
                }
                let max = match args.get(1) {
                    None => None,
                    Some(Val::Int(n)) if *n >= 0 => Some(*n as usize),
                    Some(Val::Int(_)) => None,
                    Some(_) => return Some(Val::Unknown(method.into())),
                };
                let parts: Vec<String> = match (args.first(), max) {
                    // runs of whitespace
                    (None | Some(Val::None), None) => {
                        s.split_whitespace().map(String::from).collect()
                    }
                    (Some(Val::Str(sep)), None) if !sep.is_empty() => {
                        s.split(sep.as_str()).map(String::from).collect()
                    }
                    (Some(Val::Str(sep)), Some(n)) if !sep.is_empty() && method == "split" => {
                        s.splitn(n + 1, sep.as_str()).map(String::from).collect()
                    }
                    (Some(Val::Str(sep)), Some(n)) if !sep.is_empty() => {
                        let mut v: Vec<String> =
                            s.rsplitn(n + 1, sep.as_str()).map(String::from).collect();
                        v.reverse();
                        v
                    }
                    _ => return Some(Val::Unknown(method.into())),
                };
                Val::List(parts.into_iter().map(Val::Str).collect())
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
    /// not one.
    pub(super) fn call_own(&self, canonical: &str, bound: Option<&str>, c: &Call) -> Option<Val> {
        let (fd, m, cls) = match bound {
            Some(class) => {
                let (fd, m, owner) = find_method(self.ev.project, self.ev.host, class, canonical)?;
                (fd, m, Some((class.to_string(), owner)))
            }
            None => match self.ev.project.function(canonical) {
                Some((fd, m)) => (fd, m, None),
                None => {
                    let (class, meth) = canonical.rsplit_once('.')?;
                    classes::find(self.ev.project, class)?;
                    let Some((fd, m, owner)) =
                        find_method(self.ev.project, self.ev.host, class, meth)
                    else {
                        return classes::mro(self.ev.project, class)
                            .iter()
                            .filter(|k| classes::find(self.ev.project, k).is_none())
                            .find_map(|k| self.ev.host.class_method(self, class, k, meth, c));
                    };
                    (fd, m, Some((class.to_string(), owner)))
                }
            },
        };
        let owner = cls.as_ref().map(|(_, o)| o.clone());
        let cls = cls.map(|(c, _)| c);
        let first = match (&cls, method_kind(fd)) {
            (Some(class), MethodKind::Class) => Some(Val::Class(class.clone())),
            (Some(_), MethodKind::Instance | MethodKind::Property) if bound.is_some() => {
                // an instance method through `cls`
                return Some(Val::Unknown(format!("{}(...)", c.func.describe())));
            }
            _ => None,
        };
        self.invoke(fd, m, first, c, owner)
    }

    /// The values a data file of the scanned tree holds (`path`: relative
    /// to its root), for a framework that reads one itself.
    pub fn load_data_file(&self, path: &str) -> Option<Val> {
        files::load_path(self, path)
    }

    /// An attribute of a value the interpreter holds for Python itself (a
    /// path) or a framework's: one of its methods is bound to it.
    pub(super) fn host_attr(&self, v: &Val, attr: &str) -> Option<Val> {
        if let Some(class) = self.ev.host.class_of(v)
            && let Some(own) = self.own_class_attr(&class, attr)
        {
            return Some(own);
        }
        files::attr(v, attr)
            .or_else(|| tuples::attr(v, attr))
            .or_else(|| specs::attr(v, attr))
            .or_else(|| metadata::attr(v, attr))
            .or_else(|| self.ev.host.attr(self, v, attr))
            .or_else(|| {
                self.ev
                    .host
                    .has_method(v, attr)
                    .then(|| partials::bound(v.clone(), attr))
            })
    }

    /// `attr` of `class` when a class of the project's own code in its MRO assigns it in its
    /// body (a class attribute the framework's value does not know).
    fn own_class_attr(&self, class: &str, attr: &str) -> Option<Val> {
        let (_, m) = classes::attr(self.ev.project, class, attr)?;
        self.ev
            .project
            .is_own_module(&m.module)
            .then(|| self.class_attr(class, attr))
    }

    /// The object whose method a callee calls, and the method: `obj.m` on a
    /// variable's object, or a name holding a method bound earlier
    /// (`route = bp.route`).
    pub(super) fn method_of(&self, callee: &Expr) -> Option<(Val, String)> {
        let (obj, method) = match callee {
            Expr::Attr(base, m) => (self.object_at(base)?, m.to_string()),
            Expr::Name(_) | Expr::Resolved(_) => partials::bound_method(&self.eval(callee))?,
            _ => return None,
        };
        matches!(obj, Val::Instance(_) | Val::Host(_)).then_some((obj, method))
    }

    /// A method of such a value: the project class's own when the value is an instance of
    /// a project subclass that defines it (see `Host::class_of`), else the framework's.
    pub(super) fn host_method(&self, v: &Val, method: &str, c: &Call) -> Option<Val> {
        // a method the project writes (an installed library's mixin, read from site-packages,
        // is the framework's business) that hands on to the framework's through `super()`;
        // one that does the framework's work itself (`self.registry.append(...)`) works on
        // state the framework's value keeps to itself, and the framework's method stands for it
        let own = self.ev.host.class_of(v).filter(|class| {
            find_method(self.ev.project, self.ev.host, class, method).is_some_and(|(fd, m, _)| {
                self.ev.project.is_own_module(&m.module) && self.calls_super(m, fd)
            })
        });
        let Some(class) = own else {
            return self.framework_method(v, method, c);
        };
        Some(match self.arguments(c) {
            Some((args, kwargs)) => self
                .call_own_method(&class, v.clone(), method, args, &kwargs, Some(c.pos.line))
                .unwrap_or_else(|| Val::Unknown(format!("{class}.{method}(...)"))),
            None => Val::Unknown(format!("{class}.{method}(...): arguments not known")),
        })
    }

    /// Whether a function's body calls `super()`.
    fn calls_super(&self, m: &SourceModule, fd: &FuncDef) -> bool {
        let Some(body) = self.ev.project.sources.body(m, fd) else {
            return false;
        };
        let mut found = false;
        crate::python::ir::walk_stmts(&body, |s, _| {
            found |= s
                .calls()
                .iter()
                .any(|c| c.func.last_name() == Some("super"));
        });
        found
    }

    /// The framework's own method of a value (past a project override: `super()`). A call
    /// passing `*args`/`**kwargs` whose values are known (an override handing on its
    /// arguments) reaches it with those values, as if written out; with values not known, it
    /// gets the call as written (the framework reads what it can of it).
    fn framework_method(&self, v: &Val, method: &str, c: &Call) -> Option<Val> {
        if c.has_splat()
            && let Some((args, kwargs)) = self.arguments(c)
        {
            return self.on_values(v, method, args, kwargs, c, |cx, this, call| {
                cx.framework_method(this, method, call)
            });
        }
        files::method(self, v, method, c)
            .or_else(|| specs::method(self, v, method, c))
            .or_else(|| metadata::method(self, v, method, c))
            .or_else(|| self.ev.host.method(self, v, method, c))
    }

    /// `obj.method(...)` on an instance: its class's method with `self` bound.
    pub(super) fn call_method(&self, o: &Rc<Obj>, method: &str, c: &Call) -> Val {
        let unknown = || Val::Unknown(format!("{}.{method}(...)", o.class));
        if let Some(why) = o.lost() {
            return Val::Unknown(why);
        }
        // a callable stored on the instance is called as it is, with no `self` (Python looks
        // special methods up on the class only)
        if let Some(v) = o.get(method) {
            if method.starts_with("__") {
                return unknown();
            }
            return self.call_value(v, c).unwrap_or_else(unknown);
        }
        let Some((fd, m, owner)) = find_method(self.ev.project, self.ev.host, &o.class, method)
        else {
            if o.native().is_some_and(|n| self.ev.host.lazy_proxy(&n)) {
                // a lazy proxy forwards what its class lacks to `_wrapped`
                return self.wrapped_method(o, method, c).unwrap_or_else(unknown);
            }
            return self.native_method(o, method, c).unwrap_or_else(unknown);
        };
        let first = match method_kind(fd) {
            MethodKind::Instance => Some(Val::Instance(o.clone())),
            MethodKind::Class => Some(Val::Class(o.class.clone())),
            MethodKind::Static => None,
            MethodKind::Property => return unknown(),
        };
        self.invoke(fd, m, first, c, Some(owner))
            .unwrap_or_else(unknown)
    }

    /// A framework method on an instance's native part; the base `__init__`
    /// makes that part (`super().__init__(name, __name__, **kwargs)`).
    fn native_method(&self, o: &Rc<Obj>, method: &str, c: &Call) -> Option<Val> {
        if let Some(Val::Dict(_)) = o.native() {
            return self.dict_method(o, method, c);
        }
        if method == "__init__" {
            let base = self.framework_base(o)?;
            let at = (o.made_at.0.as_str(), o.made_at.1);
            let native = self.ev.host.instantiate(self, &o.class, &base, c, at)?;
            *o.native.borrow_mut() = Some(native);
            return Some(Val::None);
        }
        let native = o.native()?;
        let overridden = |m: &str| self.has_own_method(o, m);
        if let Some(call) = self.ev.host.hands_on(self, &native, method, c, &overridden) {
            let line = Some(c.pos.line);
            return Some(self.call_method_with(o, call.method, call.args, &call.kwargs, line));
        }
        self.ev.host.method(self, &native, method, c)
    }

    /// The items `dict(...)` makes of a call's arguments: a mapping or pairs,
    /// then the keywords; `None` when they are not known.
    fn dict_items(&self, c: &Call) -> Option<Vec<(Val, Val)>> {
        let mut items = match self.positional(c)?.as_slice() {
            [] => vec![],
            [a] => match as_data(a.clone()) {
                Val::Dict(d) => d,
                Val::Host(h) => h.items().or_else(|| pairs(Val::Host(h)))?,
                v => pairs(v)?,
            },
            _ => return None,
        };
        let keywords: Vec<(String, Val)> = c
            .kwargs
            .iter()
            .map(|(k, e)| (k.to_string(), self.eval(e)))
            .collect();
        for (k, v) in keywords.into_iter().chain(self.splat_kwargs(c)?) {
            items.retain(|(x, _)| x.as_str() != Some(k.as_str()));
            items.push((Val::Str(k), v));
        }
        Some(items)
    }

    /// A method of `dict` on an instance of a project class deriving from it,
    /// applied to its items (its native part). A change that cannot be made
    /// leaves the instance in a state no longer known.
    fn dict_method(&self, o: &Rc<Obj>, method: &str, c: &Call) -> Option<Val> {
        let this = Val::Instance(o.clone());
        let what = || format!("{}.{method}(...)", o.class);
        let changed = match method {
            "__init__" | "update" => self.dict_items(c).and_then(|new| {
                with_instance_items(&this, |d| {
                    let Val::Dict(d) = d else { return false };
                    new.into_iter().all(|(k, v)| dict_set(d, &k, v))
                })
                .filter(|ok| *ok)
                .map(|_| Val::None)
            }),
            "setdefault" | "__setitem__" | "pop" | "clear" => {
                let args = self.positional(c)?;
                with_instance_items(&this, |d| match (method, args.as_slice()) {
                    ("setdefault", [k, rest @ ..]) if rest.len() <= 1 => {
                        let default = rest.first().cloned().unwrap_or(Val::None);
                        item_mut(d, k, Some(default)).map(|v| v.clone())
                    }
                    ("__setitem__", [k, v]) => {
                        set_item(d, k, &mut Some(v.clone())).then_some(Val::None)
                    }
                    ("pop", [k, rest @ ..]) if rest.len() <= 1 => {
                        let Val::Dict(items) = d else { return None };
                        match find_key(items, k)? {
                            Some(i) => Some(items.remove(i).1),
                            None => rest.first().cloned(),
                        }
                    }
                    ("clear", []) => {
                        *d = Val::Dict(vec![]);
                        Some(Val::None)
                    }
                    _ => None,
                })
                .flatten()
            }
            "__getitem__" => {
                let key = self.positional(c)?.into_iter().next()?;
                return Some(dict_item(o, key));
            }
            "__contains__" => {
                let key = self.positional(c)?.into_iter().next()?;
                return Some(binop(key, "in", this));
            }
            _ => return self.value_method_on(as_data(this), method, c),
        };
        self.ev.touch(o);
        Some(changed.unwrap_or_else(|| {
            o.lose(&what());
            Val::Unknown(what())
        }))
    }

    /// `Cls(...)` for a class of scanned code (and no decorator or metaclass
    /// that could make something else): a new instance, `__init__` run on it.
    /// A class deriving from a framework's class (`class Module(Blueprint)`)
    /// gets the framework's object as its native part, made by its base
    /// `__init__` (`super().__init__(...)`, or the call itself when the
    /// project defines no `__init__`). A project `__new__` makes the object:
    /// what it returns is the call's value (an app a class's `__new__`
    /// builds); an instance of the class it cannot make.
    pub(super) fn instantiate(&self, class: &str, c: &Call) -> Option<Val> {
        if let Some(kind) = self.record_kind(class) {
            return Some(self.new_record(class, kind, c));
        }
        let project = self.ev.project;
        let mut framework_base = None;
        let mut own_init = false;
        for k in classes::mro(project, class) {
            let Some((m, cd)) = classes::find(project, &k) else {
                if k.rsplit('.').next() == Some("object") {
                    continue;
                }
                framework_base = Some(k);
                break;
            };
            // `abc.ABCMeta` makes ordinary instances (it only checks abstract
            // methods); any other metaclass may make something else
            let plain_metaclass = |e: &Expr| {
                e.dotted()
                    .is_some_and(|d| project.resolver.resolve(&m.module, &d) == "abc.ABCMeta")
            };
            if !cd.decorators.is_empty()
                || cd
                    .keywords
                    .iter()
                    .any(|(k, v)| k != "metaclass" || !plain_metaclass(v))
            {
                return None;
            }
            if let Some(new) = cd.methods().find(|f| f.name == "__new__") {
                let made = self.invoke(new, m, Some(Val::Class(class.to_string())), c, Some(k));
                return Some(match made {
                    // Python then runs `__init__` on an instance of the class (a
                    // singleton's `__new__` returning the one it keeps)
                    Some(Val::Instance(o))
                        if classes::mro(project, &o.class).iter().any(|k| k == class) =>
                    {
                        self.init_made(&o, c)
                    }
                    Some(v) => v,
                    None => Val::Unknown(format!("{class}.__new__(...)")),
                });
            }
            own_init |= cd.methods().any(|f| f.name == "__init__");
        }
        let at = (self.m.path.as_str(), c.pos.line);
        let native = match &framework_base {
            // a `dict` subclass: its items, from the call when its `__init__` is dict's
            Some(base) if is_dict_class(base) && !reads_items_its_own_way(project, class) => {
                Some(Val::Dict(if own_init {
                    vec![]
                } else {
                    match self.dict_items(c) {
                        Some(items) => items,
                        None => return Some(Val::Unknown(format!("{class}(...)"))),
                    }
                }))
            }
            Some(base) if !self.ev.host.native_class(base) => {
                return self.ev.host.instantiate(self, class, base, c, at);
            }
            Some(base) if !own_init => Some(self.ev.host.instantiate(self, class, base, c, at)?),
            _ => None,
        };
        let o = self.plain_object(class, c.pos.line);
        *o.native.borrow_mut() = native;
        if own_init {
            if let Val::Unknown(why) = self.call_method(&o, "__init__", c) {
                return Some(Val::Unknown(why));
            }
        } else if framework_base.is_none()
            && (!c.args.is_empty() || !c.kwargs.is_empty() || c.has_splat())
        {
            return Some(Val::Unknown(format!(
                "{class}(...): arguments do not match"
            )));
        }
        Some(Val::Instance(o))
    }

    /// A new instance of a scanned class, nothing run on it (`object.__new__`):
    /// falsy when it may be (a `__bool__` or `__len__` along its MRO).
    fn plain_object(&self, class: &str, line: u32) -> Rc<Obj> {
        let project = self.ev.project;
        let truthy = !classes::mro(project, class).iter().any(|k| {
            classes::find(project, k).is_some_and(|(_, cd)| {
                cd.methods()
                    .any(|f| f.name == "__bool__" || f.name == "__len__")
            })
        });
        Rc::new(Obj {
            class: class.to_string(),
            attrs: RefCell::new(Vec::new()),
            lost: RefCell::new(None),
            truthy,
            independent: false,
            native: RefCell::new(None),
            made_at: (self.m.path.clone(), line),
        })
    }

    /// The instance a project `__new__` returned, its class's `__init__` run.
    fn init_made(&self, o: &Rc<Obj>, c: &Call) -> Val {
        if find_method(self.ev.project, self.ev.host, &o.class, "__init__").is_some()
            && let Val::Unknown(why) = self.call_method(o, "__init__", c)
        {
            return Val::Unknown(why);
        }
        Val::Instance(o.clone())
    }

    /// `bp.route("/x")(view)`: a framework's decorator applied by a call instead of `@`; the
    /// call's value is the view, as the decorator returns it. For a function of the scanned code
    /// the framework gets its definition, for another view (`View.as_view("x")`) the argument.
    /// `None` for any other call.
    fn apply_framework_decorator(&self, c: &Call) -> Option<Val> {
        let Expr::Call(inner) = &c.func else {
            return None;
        };
        let (recv, method) = self.method_of(&inner.func)?;
        let [arg] = &c.args[..] else { return None };
        if !c.kwargs.is_empty() || c.has_splat() {
            return None;
        }
        // a project method (a decorator factory of a subclass) runs as any call does
        if matches!(&recv, Val::Instance(o) if o.native().is_none() || self.has_own_method(o, &method))
        {
            return None;
        }
        let value = self.eval(arg);
        let id = match &value {
            Val::Expr(e) => abs_dotted(e),
            _ => arg.dotted().map(|d| self.resolve(&d)),
        }
        .filter(|id| self.ev.project.function(id).is_some());
        let decorator = self.call(inner);
        let registered = matches!(decorator, Val::Host(_))
            && match &id {
                Some(id) => {
                    let (fd, _) = self.ev.project.function(id)?;
                    let name = fd.name.to_string();
                    self.ev
                        .host
                        .decorate(self, &decorator, &recv, fd, &name, Some(id))
                }
                None => self
                    .ev
                    .host
                    .decorate_value(self, &decorator, &recv, arg, &value),
            };
        let unknown = || Val::Unknown(format!("{}(...)", c.func.describe()));
        Some(match (registered, id) {
            (true, Some(id)) => Val::Expr(Rc::new(Expr::Resolved(id.into()))),
            (true, None) => value,
            (false, Some(_)) => unknown(),
            // another callable the call made (a partial) is called as any value is
            (false, None) => self.call_value(decorator, c).unwrap_or_else(unknown),
        })
    }

    /// The first class of `o`'s MRO outside the scanned code whose objects
    /// the framework makes.
    fn framework_base(&self, o: &Obj) -> Option<String> {
        classes::mro(self.ev.project, &o.class)
            .into_iter()
            .find(|k| classes::find(self.ev.project, k).is_none() && self.ev.host.native_class(k))
    }

    /// `f(...)` where `f` is a class (a new instance), an instance (`__call__`)
    /// or a variable holding a scanned function.
    pub(super) fn call_object(&self, canonical: Option<&str>, c: &Call) -> Option<Val> {
        if let Some(k) = canonical
            && classes::find(self.ev.project, k).is_some()
        {
            return self.instantiate(k, c);
        }
        let v = self.eval(&c.func);
        self.call_value(v, c)
    }

    /// `c` calling the value `v` its callee gave: an instance's `__call__`, a class (a new
    /// instance), a closure, a function of the scanned code.
    pub(super) fn call_value(&self, v: Val, c: &Call) -> Option<Val> {
        match v {
            Val::Instance(o) => Some(self.call_method(&o, "__call__", c)),
            Val::Func(f) => Some(self.call_closure(&f, c)),
            v => match (self.class_of(&v), &v) {
                (Some(k), _) => self.instantiate(&k, c),
                // a function held in a variable (`hook = getattr(mod, "register")`)
                (None, Val::Expr(e)) => self.call_own(&abs_dotted(e)?, None, c),
                (None, Val::Host(_)) => partials::call(self, &v, c)
                    .or_else(|| validators::call(self, &v, c))
                    .or_else(|| tuples::construct(self, &v, c)),
                _ => None,
            },
        }
    }

    /// `obj.method(*args, **kwargs)` with the arguments already evaluated (a
    /// bound method a partial holds): a method of the scanned code runs with
    /// them; a framework's is called as written code calls it, on names bound
    /// to the values in a scope of their own. `c` is the call being made.
    pub(super) fn call_method_with_values(
        &self,
        obj: &Val,
        method: &str,
        args: Vec<Val>,
        kwargs: Vec<(String, Val)>,
        c: &Call,
    ) -> Val {
        if let Val::Instance(o) = obj
            && let Some(v) = self.call_own_method(
                &o.class,
                obj.clone(),
                method,
                args.clone(),
                &kwargs,
                Some(c.pos.line),
            )
        {
            return v;
        }
        self.on_values(obj, method, args, kwargs, c, |cx, _, call| cx.call(call))
    }

    /// `run` given `obj.method(...)` written as a call on names bound to `obj` and to the
    /// arguments, in a scope of their own (names no Python code can spell); `c` is the call
    /// being made.
    fn on_values<R>(
        &self,
        obj: &Val,
        method: &str,
        args: Vec<Val>,
        kwargs: Vec<(String, Val)>,
        c: &Call,
        run: impl FnOnce(&Cx, &Val, &Call) -> R,
    ) -> R {
        let name = |i: String| -> crate::python::ir::Text { format!("\u{1}{i}").into() };
        let mut env = Env::default();
        env.insert(name("self".into()).to_string(), obj.clone());
        let mut positional = Vec::new();
        for (i, v) in args.into_iter().enumerate() {
            let n = name(i.to_string());
            env.insert(n.to_string(), v);
            positional.push(Expr::Name(n));
        }
        let mut named = Vec::new();
        for (k, v) in kwargs {
            let n = name(format!("k{k}"));
            env.insert(n.to_string(), v);
            named.push((k.into(), Expr::Name(n)));
        }
        let call = Call {
            func: Expr::Attr(Box::new(Expr::Name(name("self".into()))), method.into()),
            args: positional.into(),
            kwargs: named.into(),
            kwargs_splat: None,
            pos: c.pos,
        };
        let globals: &Env = self.outer.unwrap_or(&*self.env);
        let cx = Cx {
            ev: self.ev,
            m: self.m,
            env: &mut env,
            outer: Some(globals),
            depth: self.depth + 1,
            owner: None,
        };
        run(&cx, obj, &call)
    }

    /// The function `f` (a closure, or a function of the scanned code) called
    /// with arguments already evaluated; `c` is the call written in the code
    /// (its keywords are read from it first). `None`: `f` is neither.
    pub(super) fn call_with_values(
        &self,
        f: &Val,
        args: Vec<Val>,
        c: &Call,
        splat: &[(String, Val)],
    ) -> Option<Val> {
        match f {
            Val::Func(closure) => Some(self.run_closure(closure, args, c, splat)),
            Val::Expr(e) => {
                let canonical = abs_dotted(e)?;
                let (fd, m) = self.ev.project.function(&canonical)?;
                Some(self.run_with_values(fd, m, &canonical, args, c, splat, None))
            }
            // a partial of a partial
            Val::Host(_) => partials::call_with(self, f, args, c, splat.to_vec()),
            _ => None,
        }
    }

    /// Runs a scanned function with `first` (`self` / `cls`) and the call's
    /// arguments bound; `None` when its body, not read by the scan, cannot be
    /// read again. When it fails or is not run, the instances it was given or
    /// may have changed are lost.
    pub(super) fn invoke(
        &self,
        fd: &FuncDef,
        m: &SourceModule,
        first: Option<Val>,
        c: &Call,
        owner: Option<String>,
    ) -> Option<Val> {
        // a click command is called by click: with no command line, each parameter
        // its default, evaluated where the decorators are written
        let clicked = first
            .is_none()
            .then(|| click::parameters(self, fd, m))
            .flatten();
        let bare;
        let (c, click_args) = match clicked {
            Some(_) if !c.args.is_empty() || c.kwarg("args").is_some() => {
                return Some(Val::Unknown(format!(
                    "{}(...): a click command given a command line",
                    c.func.describe()
                )));
            }
            Some(params) => {
                bare = bare_call(fd);
                (&bare, Some(self.click_defaults(m, params)))
            }
            None => (c, None),
        };
        // `self`/`cls` is bound, or given first (`Base.__init__(self, ...)`):
        // the method may call `super()`
        let owner = owner.filter(|_| {
            first.is_some()
                || (matches!(method_kind(fd), MethodKind::Instance) && !c.args.is_empty())
        });
        let Some(mut args) = self.positional(c) else {
            let name = format!("{}(...)", c.func.describe());
            return Some(Val::Unknown(name));
        };
        args.splice(0..0, first);
        let mark = self.ev.mark();
        let given: Vec<Val> = args
            .iter()
            .filter(|v| matches!(v, Val::Instance(_)))
            .cloned()
            .collect();
        // a body the scan did not read is read now
        let Some(body) = self.ev.project.sources.body(m, fd) else {
            self.ev.lose_since(mark, &given, "a call not interpreted");
            return None;
        };
        let name = format!("{}(...)", c.func.describe());
        // a `**mapping` not known: each parameter not given otherwise may be in it
        let splat = click_args.or_else(|| self.splat_kwargs(c)).or_else(|| {
            let e = c.kwargs_splat.as_deref()?;
            Some(vec![(
                UNKNOWN_MAPPING.to_string(),
                Val::Unknown(format!("**{}", e.describe())),
            )])
        });
        if self.depth >= MAX_CALL_DEPTH || splat.is_none() {
            self.ev.lose_since(mark, &given, &name);
            return Some(Val::Unknown(name));
        }
        Some(
            self.invoke_with(
                fd,
                &body,
                m,
                args,
                c,
                &splat.unwrap_or_default(),
                owner,
                None,
            )
            .unwrap_or_else(|why| {
                self.ev.lose_since(mark, &given, &why);
                Val::Unknown(why)
            }),
        )
    }

    /// The values of a click command's parameter defaults, in the globals of
    /// `m`, the module that declares them.
    fn click_defaults(
        &self,
        m: &SourceModule,
        params: Vec<(String, Result<Expr, String>)>,
    ) -> Vec<(String, Val)> {
        params
            .into_iter()
            .map(|(p, d)| {
                let v = match d {
                    Ok(e) => self.eval_with(m, &e, Env::default()),
                    Err(why) => Val::Unknown(why),
                };
                (p, v)
            })
            .collect()
    }

    /// `sorted(items, key=..., reverse=...)`: ordered when every key is a
    /// string, number or tuple of those; otherwise not known.
    fn sorted(&self, c: &Call) -> Val {
        let unknown = || Val::Unknown("sorted(...)".into());
        let Ok(items) = self.items_of(self.eval(&c.args[0])) else {
            return unknown();
        };
        let key = c.kwarg("key").map(|k| self.eval(k));
        let reverse = match c.kwarg("reverse").map(|r| self.eval(r).truthy()) {
            None => false,
            Some(Some(b)) => b,
            Some(None) => return unknown(),
        };
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let Some(k) = self.key_of(key.as_ref(), &item) else {
                return unknown();
            };
            if !orderable(&k) {
                return unknown();
            }
            keyed.push((k, item));
        }
        // stable both ways, as Python's: equal keys keep their order under reverse too
        if reverse {
            keyed.sort_by(|a, b| compare(&b.0, &a.0));
        } else {
            keyed.sort_by(|a, b| compare(&a.0, &b.0));
        }
        Val::List(keyed.into_iter().map(|(_, v)| v).collect())
    }

    /// What `sorted`/`min`/`max` compare an item by: itself, or what the `key=`
    /// function returns for it (`None` when the key is not a function run here).
    fn key_of(&self, key: Option<&Val>, item: &Val) -> Option<Val> {
        match key {
            None | Some(Val::None) => Some(item.clone()),
            Some(Val::Func(f)) => {
                Some(self.run_closure(f, vec![item.clone()], &bare_call(&f.def), &[]))
            }
            Some(_) => None,
        }
    }

    /// `max(iterable)` / `max(a, b, ...)` (and `min`), with `key=` a function and `default=`
    /// for an empty iterable: the first item whose key is largest (smallest), as Python
    /// picks it. Keys must all be numbers or all be strings (others raise or compare by
    /// rules not modelled here).
    fn min_max(&self, c: &Call, largest: bool) -> Val {
        let unknown = || Val::Unknown(format!("{}(...)", if largest { "max" } else { "min" }));
        let items = if c.args.len() == 1 {
            match self.items_of(self.eval(&c.args[0])) {
                Ok(items) => items,
                Err(_) => return unknown(),
            }
        } else {
            c.args.iter().map(|a| self.eval(a)).collect()
        };
        let key = c.kwarg("key").map(|k| self.eval(k));
        // numbers and strings compare among themselves only
        let kind = |v: &Val| match v {
            Val::Int(_) | Val::Bool(_) => Some(0),
            Val::Str(_) => Some(1),
            _ => None,
        };
        let mut best: Option<(Val, Val)> = None;
        for item in items {
            let Some(k) = self.key_of(key.as_ref(), &item) else {
                return unknown();
            };
            let Some(kk) = kind(&k) else {
                return unknown();
            };
            best = match best {
                None => Some((k, item)),
                Some((bk, _)) if kind(&bk) != Some(kk) => return unknown(),
                Some((bk, bv)) => {
                    let o = compare(&k, &bk);
                    let better = if largest { o.is_gt() } else { o.is_lt() };
                    Some(if better { (k, item) } else { (bk, bv) })
                }
            };
        }
        match best {
            Some((_, v)) => v,
            // only an iterable takes a default; empty without one raises ValueError
            None if c.args.len() == 1 => c.kwarg("default").map_or_else(unknown, |d| self.eval(d)),
            None => unknown(),
        }
    }

    /// Calls a function defined inside a function, its enclosing names bound.
    pub(super) fn call_closure(&self, f: &Rc<super::value::Closure>, c: &Call) -> Val {
        match (self.positional(c), self.splat_kwargs(c)) {
            (Some(args), Some(splat)) => self.run_closure(f, args, c, &splat),
            _ => Val::Unknown(format!("{}(...)", f.id)),
        }
    }

    /// Runs a closure with its arguments evaluated (`c` gives the keywords).
    fn run_closure(
        &self,
        f: &Rc<super::value::Closure>,
        args: Vec<Val>,
        c: &Call,
        splat: &[(String, Val)],
    ) -> Val {
        let Some(m) = self.ev.project.module(&f.module) else {
            return Val::Unknown(format!("{}(...)", f.id));
        };
        if self.depth >= MAX_CALL_DEPTH || f.def.elided {
            return Val::Unknown(format!("{}(...)", f.id));
        }
        self.invoke_with(&f.def, &f.def.body, m, args, c, splat, None, Some(f))
            .unwrap_or_else(Val::Unknown)
    }

    /// Runs a function as its framework calls it at start-up: the
    /// parameters without a default are unknown.
    pub(super) fn invoke_entry(
        &self,
        fd: &FuncDef,
        m: &SourceModule,
        cls: Option<String>,
    ) -> Option<Val> {
        let skip = if click::parameters(self, fd, m).is_some() {
            fd.params.len() // click passes the arguments
        } else {
            usize::from(cls.is_some())
        };
        let args = fd
            .params
            .iter()
            .enumerate()
            .skip(skip)
            .filter(|(i, _)| fd.defaults.get(*i).is_none_or(|d| d.is_none()))
            .map(|(_, p)| Expr::Other(format!("parameter {p}").into()))
            .collect();
        let c = Call {
            func: Expr::Resolved(format!("{}.{}", m.module, fd.name).into()),
            args,
            kwargs: Box::default(),
            kwargs_splat: None,
            pos: fd.pos,
        };
        let first = cls.clone().map(Val::Class);
        self.invoke(fd, m, first, &c, cls)
    }

    /// The positional arguments of a call, `*sequence` expanded; `None` when
    /// a sequence is not known.
    pub fn positional(&self, c: &Call) -> Option<Vec<Val>> {
        let mut out = Vec::with_capacity(c.args.len());
        for a in c.args.iter() {
            match a {
                Expr::Starred(e) => out.extend(self.eval(e).unpacked()?),
                a => {
                    let v = self.eval(a);
                    out.push(self.keep_expr(a, v));
                }
            }
        }
        Some(out)
    }

    /// The keyword arguments a call passes as `**mapping`, when the mapping
    /// is known (`Some(vec![])` without one); `None` when the arguments are
    /// not all known (`*args`, or a mapping not known).
    pub(super) fn splat_kwargs(&self, c: &Call) -> Option<Vec<(String, Val)>> {
        let Some(splat) = c.kwargs_splat.as_deref() else {
            return Some(Vec::new());
        };
        let Val::Dict(items) = self.eval(splat) else {
            return None;
        };
        items
            .into_iter()
            .map(|(k, v)| Some((k.as_str()?.to_string(), v)))
            .collect()
    }

    /// A call's positional and keyword arguments as values, `*sequence` and `**mapping`
    /// expanded; `None` when one of those is not known.
    fn arguments(&self, c: &Call) -> Option<Arguments> {
        let args = self.positional(c)?;
        let mut kwargs = self.splat_kwargs(c)?;
        kwargs.extend(c.kwargs.iter().map(|(k, e)| {
            let v = self.eval(e);
            (k.to_string(), self.keep_expr(e, v))
        }));
        Some((args, kwargs))
    }

    /// Argument `index` (or keyword `name`) of a call, `*sequence` and `**mapping`
    /// expanded (`Unknown` when one of them is not known).
    pub fn argument(&self, c: &Call, index: usize, name: &str) -> Option<Val> {
        if !c.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
            return c
                .arg(index, name)
                .map(|e| self.eval(e))
                .or_else(|| self.kwarg(c, name));
        }
        match self.positional(c) {
            Some(args) => args.into_iter().nth(index).or_else(|| self.kwarg(c, name)),
            None => Some(Val::Unknown(format!("*args of {}(...)", c.func.describe()))),
        }
    }

    /// Keyword argument `name` of a call, given by name or in a `**mapping`
    /// (`Unknown` when the mapping is not known).
    pub fn kwarg(&self, c: &Call, name: &str) -> Option<Val> {
        if let Some(e) = c.kwarg(name) {
            return Some(self.eval(e));
        }
        let splat = c.kwargs_splat.as_deref()?;
        match self.eval(splat) {
            Val::Dict(items) => items
                .into_iter()
                .find(|(k, _)| k.as_str() == Some(name))
                .map(|(_, v)| v),
            _ => Some(Val::Unknown(format!("**{}", splat.describe()))),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn invoke_with(
        &self,
        fd: &FuncDef,
        body: &[Stmt],
        m: &SourceModule,
        args: Vec<Val>,
        c: &Call,
        splat: &[(String, Val)],
        owner: Option<String>,
        closure: Option<&super::value::Closure>,
    ) -> Result<Val, String> {
        *self
            .ev
            .invoked
            .borrow_mut()
            .entry(fd as *const FuncDef)
            .or_default() += 1;
        self.ev
            .call_sites
            .borrow_mut()
            .entry(fd)
            .or_default()
            .insert((self.m, c.pos.line));
        let name = &format!("{}(...)", c.func.describe());
        let this = owner.as_ref().and_then(|_| args.first().cloned());
        // this module's own top level, still running: its live names
        let own = m.module == self.m.module && self.ev.is_running(&m.module);
        let globals = if own { None } else { self.ev.env(&m.module) };
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
        let mut locals = closure.map_or_else(Env::default, |f| f.captured.borrow().clone());
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
            } else if let Some((_, v)) = splat.iter().find(|(k, _)| k == p.as_str()) {
                used_kwargs += 1;
                v.clone()
            } else if let Some((_, v)) = splat.iter().find(|(k, _)| k == UNKNOWN_MAPPING) {
                v.clone()
            } else if let Some(Param::Default(d)) = default {
                let mut empty = Env::default();
                let dcx = Cx {
                    ev: self.ev,
                    m,
                    env: &mut empty,
                    outer,
                    depth: self.depth + 1,
                    owner: None,
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
        let unknown_mapping = splat.iter().find(|(k, _)| k == UNKNOWN_MAPPING);
        if let (Some(kw), Some((_, v))) = (&kw_splat, unknown_mapping) {
            locals.insert(kw.to_string(), v.clone());
        } else if let Some(kw) = kw_splat {
            let mut extra: Vec<(Val, Val)> = c
                .kwargs
                .iter()
                .filter(|(k, _)| !fd.params.contains(k))
                .map(|(k, e)| {
                    let v = self.eval(e);
                    (Val::Str(k.to_string()), self.keep_expr(e, v))
                })
                .collect();
            extra.extend(
                splat
                    .iter()
                    .filter(|(k, _)| !fd.params.iter().any(|p| p == k.as_str()))
                    .map(|(k, v)| (Val::Str(k.clone()), v.clone())),
            );
            locals.insert(kw.to_string(), Val::Dict(extra));
        } else if unknown_mapping.is_none() && used_kwargs < c.kwargs.len() + splat.len() {
            return Err(format!("{name}: arguments do not match"));
        }
        let owner = owner.map(|class| {
            Rc::new(Owner {
                class,
                this: this.unwrap_or(Val::None),
            })
        });
        if super::context::is_manager(fd) {
            // a shape not modelled is not run as a plain generator: what
            // `with ... as x` binds would be taken for something else
            return super::context::generator(body, &m.module, locals.clone(), owner.clone())
                .ok_or_else(|| format!("{name}: a context manager of a shape not modelled"));
        }
        let mut cx = Cx {
            ev: self.ev,
            m,
            env: &mut locals,
            outer,
            depth: self.depth + 1,
            owner,
        };
        self.ev.frames.borrow_mut().push(super::Frame {
            serial: self.ev.next_frame_serial(),
            yields: crate::python::ir::yields(body).then(Vec::new),
            site: Some((self.m.path.clone(), c.pos.line)),
            func: Some((fd, fd.name.clone())),
            closure: closure.is_some(),
            ..Default::default()
        });
        let flow = cx.exec(body);
        let frame = self.ev.frames.borrow_mut().pop().unwrap_or_default();
        if let Some(f) = closure {
            // what it changed of its enclosing names is there for its next call
            for (k, v) in f.captured.borrow_mut().iter_mut() {
                if let Some(now) = locals.get(k)
                    && !f.own.contains(k)
                {
                    *v = now.clone();
                }
            }
        }
        if let Some(items) = frame.yields {
            // a generator: what it yields, taken whole (a `return` ends it)
            return match (flow, frame.unsure) {
                (Flow::Abort(why), _) => Err(format!("{name}: {why}")),
                (_, Some(why)) => Ok(Val::Unknown(format!("{name}: {why}"))),
                _ => Ok(Val::List(items)),
            };
        }
        match flow {
            // kept expressions are only meaningful inside the helper
            Flow::Return(Val::Expr(_)) if self.depth == 0 => Ok(Val::Unknown(format!(
                "{name}: value known only at run time"
            ))),
            Flow::Return(v) => Ok(v),
            // falling off the end returns None
            Flow::MaybeReturn(v) => Ok(join_returns(v, Val::None, name)),
            Flow::Next | Flow::Break | Flow::Continue => Ok(Val::None),
            Flow::Abort(why) => Err(format!("{name}: {why}")),
        }
    }

    pub fn call(&self, c: &Call) -> Val {
        if let Some(v) = self.apply_framework_decorator(c) {
            return v;
        }
        if let Expr::Attr(base, method) = &c.func
            && matches!(method.as_str(), "__enter__" | "__exit__")
            && matches!(**base, Expr::Name(_))
            && let Some(v) = self.context_protocol(&self.eval(base), method)
        {
            return v;
        }
        if let Expr::Attr(base, method) = &c.func {
            if let Some(v) = self.call_through_base(base, method, c) {
                return v;
            }
            match self.receiver_at(base) {
                Some(Val::Instance(o)) => return self.call_method(&o, method, c),
                // a framework value, or one not known (a host may know the method)
                Some(v @ (Val::Host(_) | Val::Unknown(_) | Val::Expr(_))) => {
                    if let Some(r) = self.host_method(&v, method, c) {
                        return r;
                    }
                }
                _ => {}
            }
            if matches!(call_root(base), Expr::Call(_)) && !VALUE_METHODS.contains(&method.as_str())
            {
                // `Cls(...).method()`, `Path(f).parent.resolve()`: the receiver
                // is evaluated once (effects included)
                return match self.eval(base) {
                    Val::Instance(o) => self.call_method(&o, method, c),
                    Val::Super(s) => self.call_super(&s, method, c),
                    v @ Val::Host(_) => self
                        .host_method(&v, method, c)
                        .unwrap_or_else(|| Val::Unknown(format!("{}(...)", c.func.describe()))),
                    _ => Val::Unknown(format!("{}(...)", c.func.describe())),
                };
            }
            if let Some(v) = self.value_method(base, method, c) {
                return v;
            }
            // cls.method(...) / view.method(...) on a class value (at top
            // level, a class a loop or an assignment bound to the name)
            if self.depth > 0 && root_is_local(base, self.env)
                || matches!(root(base), Expr::Resolved(_))
                || matches!(root(base), Expr::Name(n) if matches!(self.env.get(n.as_str()), Some(Val::Class(_))))
            {
                let b = self.eval(base);
                if let Some(class) = self.class_of(&b)
                    && let Some(v) = self
                        .call_own(method, Some(&class), c)
                        .or_else(|| self.record_classmethod(&class, method, c))
                {
                    return v;
                }
                // `from . import api` inside a function, then `api.configure(app)`
                if let Val::Module(m) = &b {
                    // the module's own function, or one it imports (`from .factory import f`)
                    let f = self.ev.project.resolver.resolve(m, method);
                    if let Some(v) = self
                        .call_own(&f, None, c)
                        .or_else(|| self.call_object(Some(&f), c))
                    {
                        return v;
                    }
                }
                return self.unknown_call(c, format!("{}(...)", c.func.describe()));
            }
        }
        if let Expr::Name(n) = &c.func
            && let Some(Val::Func(f)) = self.env.get(n.as_str())
        {
            return self.call_closure(&f.clone(), c);
        }
        // `bp.page("/x")(view)`, `getattr(module, "init_app")(app)`: what a call returned, called
        if let Expr::Call(inner) = &c.func {
            let v = self.call(inner);
            return self
                .call_value(v, c)
                .unwrap_or_else(|| Val::Unknown(format!("{}(...)", c.func.describe())));
        }
        // a name bound inside a helper (a local import), or at top level to
        // another object (`Blueprint = flask.Blueprint`), stands for what it holds
        let local_func = root_is_local(&c.func, self.env).then(|| self.subst(&c.func, false));
        let canonical = match (
            abs_dotted(local_func.as_ref().unwrap_or(&c.func)),
            c.func.dotted(),
        ) {
            (Some(a), _) => a,
            (None, Some(d)) => self.ev.project.resolver.resolve(&self.m.module, &d),
            (None, None) => {
                return self
                    .call_object(None, c)
                    .unwrap_or_else(|| self.unknown_call(c, c.func.describe()));
            }
        };
        // `dict.fromkeys(items)`: the items once each, in order
        if let Expr::Attr(b, m) = &c.func
            && m == "fromkeys"
            && b.as_name() == Some("dict")
            && !self.ev.project.resolver.is_bound(&self.m.module, "dict")
            && !c.has_splat()
        {
            let default = c.args.get(1).map_or(Val::None, |d| self.eval(d));
            let Some(Ok(items)) = c.args.first().map(|a| iterate(self.eval(a))) else {
                return Val::Unknown("dict.fromkeys(...)".into());
            };
            let mut keys: Vec<Val> = Vec::new();
            for k in items {
                if !keys.iter().any(|x| val_eq(x, &k) == Some(true)) {
                    keys.push(k);
                }
            }
            return Val::Dict(keys.into_iter().map(|k| (k, default.clone())).collect());
        }
        match canonical.as_str() {
            "importlib.import_module" => return self.import_module(c, false),
            "importlib.util.find_spec" => return self.import_module(c, true),
            "pkgutil.iter_modules" => return self.iter_modules(c),
            "werkzeug.utils.find_modules" | "werkzeug.find_modules" => return self.find_modules(c),
            // the items of each iterable in turn
            "itertools.chain" | "itertools.chain.from_iterable" if !c.has_splat() => {
                let parts: Vec<Val> = if canonical == "itertools.chain" {
                    c.args.iter().map(|a| self.eval(a)).collect()
                } else {
                    match c.args.first().map(|a| iterate(self.eval(a))) {
                        Some(Ok(parts)) => parts,
                        _ => return Val::Unknown("chain.from_iterable(...)".into()),
                    }
                };
                let mut out = Vec::new();
                for p in parts {
                    match iterate(p) {
                        Ok(items) if out.len() + items.len() <= MAX_ITEMS => out.extend(items),
                        _ => return Val::Unknown("itertools.chain(...)".into()),
                    }
                }
                return Val::List(out);
            }
            "werkzeug.utils.import_string" | "werkzeug.import_string" => {
                return match c.arg(0, "import_name").map(|a| self.eval(a)) {
                    Some(Val::Str(path)) => self.import_string(&path),
                    _ => Val::Unknown("import_string() of a path not known statically".into()),
                };
            }
            _ => {}
        }
        if let Some((class, method)) = canonical.rsplit_once('.')
            && let Some(v) = self.record_classmethod(class, method, c)
        {
            return v;
        }
        if let Some(v) = self.ev.host.call(self, &canonical, c) {
            return v;
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
        if let Some(v) = files::call(self, bname, c)
            .or_else(|| urlparse::call(self, bname, c))
            .or_else(|| specs::call(self, bname, c))
            .or_else(|| metadata::call(self, bname, c))
            .or_else(|| tuples::call(self, bname, c))
            .or_else(|| partials::make(self, bname, c))
            .or_else(|| validators::make(self, bname, c))
        {
            return v;
        }
        match bname {
            // `super()` in a method: the rest of the MRO, bound to `self`/`cls`
            "super" if c.args.is_empty() && !c.has_splat() => {
                return match &self.owner {
                    Some(o) => Val::Super(o.clone()),
                    None => Val::Unknown("super() outside a method".into()),
                };
            }
            // `super(Cls, self)`: the classes after `Cls` in the MRO of `self`'s class
            "super" if c.args.len() == 2 && !c.has_splat() => {
                return match (self.eval(&c.args[0]), self.eval(&c.args[1])) {
                    (Val::Class(class), this @ (Val::Instance(_) | Val::Class(_))) => {
                        Val::Super(Rc::new(Owner { class, this }))
                    }
                    _ => Val::Unknown("super(...)".into()),
                };
            }
            // a set is a list of distinct items here, in insertion order
            // (Python's order differs, what is registered from it does not)
            "set" | "frozenset" if !c.has_splat() && c.args.len() <= 1 => {
                let items = match c.args.first().map(|a| self.items_of(self.eval(a))) {
                    None => Vec::new(),
                    Some(Ok(items)) => items,
                    Some(Err(why)) => return Val::Unknown(why),
                };
                let mut set = Val::List(Vec::new());
                for x in items {
                    if !change(&mut set, "add", &[x]) {
                        return Val::Unknown("set(...)".into());
                    }
                }
                return set;
            }
            "globals" if c.args.is_empty() && c.kwargs.is_empty() => return self.module_globals(),
            // the names a module binds (what its top level assigned as it ran,
            // and its classes, functions and imports), sorted
            "dir" if !c.has_splat() && c.args.len() == 1 => {
                return match self.eval(&c.args[0]) {
                    Val::Module(m) => self.module_names(&m),
                    _ => Val::Unknown("dir(...)".into()),
                };
            }
            // `vars(Cls)`: the data attributes its own body assigns (its functions
            // and dunders are not listed)
            "vars" if !c.has_splat() && c.args.len() == 1 => {
                let Val::Class(k) = self.eval(&c.args[0]) else {
                    return Val::Unknown("vars(...)".into());
                };
                let Some((_, cd)) = classes::find(self.ev.project, &k) else {
                    return Val::Unknown(format!("vars({k})"));
                };
                return Val::Dict(
                    cd.assignments()
                        .filter(|(_, v, _, _)| v.is_some())
                        .map(|(n, ..)| (Val::Str(n.to_string()), self.class_attr(&k, n)))
                        .collect(),
                );
            }
            // `map(f, items)`: `f` called on each item, as a list (what `list(...)` of it gives)
            "map" if c.args.len() == 2 && !c.has_splat() => {
                let f = self.eval(&c.args[0]);
                let Ok(items) = self.items_of(self.eval(&c.args[1])) else {
                    return Val::Unknown("map() over items not known".into());
                };
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match self.call_with_values(&f, vec![item], c, &[]) {
                        Some(Val::Unknown(why)) => return Val::Unknown(why),
                        Some(v) => out.push(v),
                        None => return Val::Unknown("map() of a callable not known".into()),
                    }
                }
                return Val::List(out);
            }
            // `copy.copy(X)` of a settings list is X for what it declares
            "list" | "tuple" | "copy.copy" | "copy.deepcopy" => {
                let list = matches!(bname, "list" | "tuple");
                return c
                    .args
                    .first()
                    .map(|a| match self.eval(a) {
                        Val::Tuple(v) | Val::List(v) => Val::List(v),
                        Val::Dict(d) if list => Val::List(d.into_iter().map(|(k, _)| k).collect()),
                        o @ Val::Instance(_) if list => {
                            self.items_of(o).map_or_else(Val::Unknown, Val::List)
                        }
                        o => o,
                    })
                    .unwrap_or(Val::List(vec![]));
            }
            // an OrderedDict is a dict that keeps its insertion order, as every dict here does
            "dict" | "collections.OrderedDict" => {
                return self
                    .dict_items(c)
                    .map_or_else(|| Val::Unknown("dict(...)".into()), Val::Dict);
            }
            "str" => {
                if let Some(a) = c.args.first() {
                    return match self.eval(a) {
                        Val::Int(i) => Val::Str(i.to_string()),
                        v => files::as_str(&v).unwrap_or(v),
                    };
                }
            }
            "callable" if !c.has_splat() && c.args.len() == 1 => {
                return match self.eval(&c.args[0]) {
                    Val::Class(_) | Val::Func(_) => Val::Bool(true),
                    Val::Str(_)
                    | Val::Int(_)
                    | Val::Bool(_)
                    | Val::None
                    | Val::List(_)
                    | Val::Tuple(_)
                    | Val::Dict(_)
                    | Val::Module(_) => Val::Bool(false),
                    // an object is callable when its class has `__call__`
                    v @ (Val::Instance(_) | Val::Host(_)) => self
                        .has_attr(&v, "__call__")
                        .map_or_else(|| Val::Unknown("callable(...)".into()), Val::Bool),
                    _ => Val::Unknown("callable(...)".into()),
                };
            }
            "__import__" if !c.has_splat() => return self.dunder_import(c),
            "isinstance" if !c.has_splat() && c.args.len() == 2 => {
                return self.isinstance(&c.args[0], &c.args[1]);
            }
            "issubclass" if !c.has_splat() && c.args.len() == 2 => {
                return self.issubclass(&c.args[0], &c.args[1]);
            }
            "hasattr" | "getattr" if !c.has_splat() && (2..=3).contains(&c.args.len()) => {
                // an object named outside the scanned code (`django.conf.settings`
                // at module level) stays named, for the framework to answer
                let obj = match (self.eval(&c.args[0]), &c.args[0]) {
                    (Val::Unknown(_), e @ (Expr::Name(_) | Expr::Attr(..))) => {
                        Val::Expr(Rc::new(self.resolve_all(e)))
                    }
                    (v, _) => v,
                };
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
            "sorted" if !c.has_splat() && c.args.len() == 1 => return self.sorted(c),
            "min" | "max" if !c.has_splat() && !c.args.is_empty() => {
                return self.min_max(c, bname == "max");
            }
            // `iter(x)`: the items x goes through, as a list
            "iter" if !c.has_splat() && c.args.len() == 1 => {
                return self
                    .items_of(self.eval(&c.args[0]))
                    .map_or_else(Val::Unknown, Val::List);
            }
            "enumerate" | "range" | "len" | "zip" | "reversed" if !c.has_splat() => {
                let mut args: Vec<Val> = c.args.iter().map(|a| self.eval(a)).collect();
                // an object whose class defines `__len__` / `__iter__` answers for itself
                if let [Val::Instance(o)] = &args[..] {
                    let o = o.clone();
                    if bname == "len" && self.has_own_method(&o, "__len__") {
                        return self.call_method_with(&o, "__len__", vec![], &[], None);
                    }
                    // `enumerate` iterates its one argument (`len` and `reversed` do not)
                    if bname == "enumerate" && self.has_own_method(&o, "__iter__") {
                        args[0] = match self.items_of(Val::Instance(o)) {
                            Ok(items) => Val::List(items),
                            Err(why) => return Val::Unknown(why),
                        };
                    }
                }
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
        self.unknown_call(c, format!("{canonical}(...)"))
    }

    /// A call whose callee is not known: Python evaluates the arguments first all the
    /// same, so an object an argument makes is made (`prepare_app(KnowledgeFlask(self))`
    /// makes the app, whose `__init__` registers its blueprints, whatever `prepare_app`
    /// is). Only arguments that make an object of a class (the scanned code's or a
    /// framework's) are run: a function call's effects are what the callee's own run
    /// would show, and running every argument of every unknown call costs the budget
    /// that start-up code needs (a recursive helper's arguments, met on mlflow).
    fn unknown_call(&self, c: &Call, why: String) -> Val {
        for a in c.args.iter().chain(c.kwargs.iter().map(|(_, v)| v)) {
            let mut makes = false;
            a.walk(|e| {
                if let Expr::Call(k) = e {
                    makes = makes || self.makes_object(k);
                }
            });
            if makes {
                self.eval(a);
            }
        }
        Val::Unknown(why)
    }

    /// Whether `k` calls a class: one of the scanned code (re-exported by a package
    /// too), or one a framework makes.
    fn makes_object(&self, k: &Call) -> bool {
        let Some(dotted) = k.func.dotted() else {
            return false;
        };
        let named = match self.receiver_at(&k.func) {
            Some(Val::Class(c)) => Some(c),
            Some(Val::Expr(e)) => abs_dotted(&e),
            _ => None,
        };
        let resolver = &self.ev.project.resolver;
        named.is_some_and(|n| classes::find(self.ev.project, &resolver.canonical(&n)).is_some())
            || self.ev.host.native_class(&self.resolve(&dotted))
    }
}

/// A call's positional and keyword arguments, as values.
type Arguments = (Vec<Val>, Vec<(String, Val)>);

/// The builtin types `isinstance` answers for on the values the interpreter holds.
const BUILTIN_TYPES: &[&str] = &[
    "str",
    "int",
    "list",
    "tuple",
    "dict",
    "bool",
    "bytes",
    "float",
    "set",
    "frozenset",
    "object",
    "type",
    "range",
    "bytearray",
    "complex",
    "memoryview",
    "slice",
    "property",
    "staticmethod",
    "classmethod",
    "super",
    "enumerate",
    "zip",
    "map",
    "filter",
    "reversed",
];

/// `six`'s type aliases as they are on Python 3, the only Python the frameworks run on. A
/// library named here, as a last resort: the Python 2/3 compatibility module is installed, not
/// scanned, its values are fixed, and start-up code tests arguments against them
/// (`isinstance(methods, six.string_types)` before registering a rule).
const SIX_TYPES: &[(&str, &str)] = &[
    ("six.string_types", "str"),
    ("six.text_type", "str"),
    ("six.binary_type", "bytes"),
    ("six.integer_types", "int"),
];

/// The key of a `splat` entry standing for a `**mapping` whose keys are not known.
const UNKNOWN_MAPPING: &str = "**";

/// Whether a class body defines `name`: an attribute, an inner class or a method.
fn defines(cd: &ClassDef, name: &str) -> bool {
    cd.attr(name).is_some()
        || cd.inner_class(name).is_some()
        || cd.methods().any(|f| f.name == name)
}

/// A method along a scanned class's MRO.
pub(super) fn find_method<'p>(
    project: &'p Project,
    host: &dyn super::Host,
    class: &str,
    name: &str,
) -> Option<(&'p FuncDef, &'p SourceModule, String)> {
    method_after(project, host, class, None, name)
}

/// A method along `class`'s MRO, below `after` when given (`super()`): the
/// function, its module and the class that defines it. `None` when an
/// attribute of that name comes first, or a framework class the host models
/// (its methods are the framework's). Other classes outside the scanned code
/// are passed over: a library mixin seldom defines the project's own methods.
fn method_after<'p>(
    project: &'p Project,
    host: &dyn super::Host,
    class: &str,
    after: Option<&str>,
    name: &str,
) -> Option<(&'p FuncDef, &'p SourceModule, String)> {
    let mro = classes::mro(project, class);
    let start = match after {
        Some(a) => mro.iter().position(|c| c == a)? + 1,
        None => 0,
    };
    for c in &mro[start..] {
        let Some((m, cd)) = classes::find(project, c) else {
            if host.native_class(c) {
                return None;
            }
            continue;
        };
        if let Some(f) = cd.methods().find(|f| f.name == name) {
            return Some((f, m, c.clone()));
        }
        if cd.attr(name).is_some() {
            return None;
        }
    }
    None
}

/// Whether `sorted` can order by this key as Python does.
fn orderable(v: &Val) -> bool {
    match v {
        Val::Str(_) | Val::Int(_) | Val::Bool(_) => true,
        Val::Tuple(items) | Val::List(items) => items.iter().all(orderable),
        _ => false,
    }
}

/// Python's ordering of orderable keys (numbers before strings only where
/// Python would raise; `sorted` is not given mixed keys by working code).
fn compare(a: &Val, b: &Val) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let num = |v: &Val| match v {
        Val::Int(i) => Some(*i),
        Val::Bool(b) => Some(*b as i64),
        _ => None,
    };
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => x.cmp(y),
        (Val::Tuple(x) | Val::List(x), Val::Tuple(y) | Val::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                let o = compare(p, q);
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    }
}

/// `dict(iterable)`: its items as key/value pairs.
/// Whether a `dict` subclass answers reads of its items or attributes with methods of its
/// own (`__getitem__`, `__missing__`, `__getattr__`, `keys`...): its items are then not
/// what its storage holds (ckan's `DefaultLicense` reads them from attributes, its helper
/// registry raises for a name its plugins have not loaded), and it is not modelled.
fn reads_items_its_own_way(project: &Project, class: &str) -> bool {
    const READERS: &[&str] = &[
        "__getitem__",
        "__missing__",
        "__getattr__",
        "__getattribute__",
        "__iter__",
        "__len__",
        "__contains__",
        "keys",
        "items",
        "values",
        "get",
    ];
    classes::mro(project, class).iter().any(|k| {
        classes::find(project, k)
            .is_some_and(|(_, cd)| cd.methods().any(|f| READERS.contains(&f.name.as_str())))
    })
}

/// `obj[key]` on an instance of a `dict` subclass: the item when it is set. A key the
/// scan never saw set is not known, not a KeyError: code it does not run may have set it
/// (ckan's helper registry is filled when plugins load), and its `__missing__` would
/// decide what happens.
fn dict_item(o: &Rc<Obj>, key: Val) -> Val {
    match as_data(Val::Instance(o.clone())) {
        Val::Dict(d) => match find_key(&d, &key) {
            Some(Some(i)) => d[i].1.clone(),
            _ => Val::Unknown(format!("{}[...]: an item not set in the code run", o.class)),
        },
        v => v,
    }
}

fn pairs(v: Val) -> Option<Vec<(Val, Val)>> {
    let mut out: Vec<(Val, Val)> = Vec::new();
    for p in iterate(v).ok()? {
        let (Val::Tuple(kv) | Val::List(kv)) = p else {
            return None;
        };
        let [k, v]: [Val; 2] = kv.try_into().ok()?;
        // a later pair replaces an earlier one with the same key; a key that
        // may or may not equal an earlier one leaves the dict unknown
        match find_key(&out, &k)? {
            Some(i) => out[i].1 = v,
            None => out.push((k, v)),
        }
    }
    Some(out)
}

/// A call with no arguments, for running a property's getter.
fn bare_call(fd: &FuncDef) -> Call {
    Call {
        func: Expr::Name(fd.name.clone()),
        args: Box::default(),
        kwargs: Box::default(),
        kwargs_splat: None,
        pos: fd.pos,
    }
}
