//! Statements: a module's top level (`run`) and helper-function bodies (`exec`).

use super::eval::{Cx, Flow};
use super::ops::{
    abs_dotted, add, bind, change, is_try, root_is_local, set_item, val_eq, with_item,
};
use super::value::{Closure, Env};
use super::{BUDGET, IMPORT_ERROR_CLASSES, MAX_PASSES, Val, raised};
use crate::python::classes;
use crate::python::ir::{Call, Expr, ImportName, Stmt, is_except, walk_stmts};
use crate::python::modules::{absolute_import, import_target};
use std::rc::Rc;

impl Cx<'_, '_> {
    pub(super) fn run(&mut self, body: &[Stmt]) {
        for stmt in body {
            self.run_stmt(stmt);
            let flushed = self.flush_globals();
            // what a function of this module called back during the next
            // statement (through another module) reads as its globals: the
            // names this one may have bound or changed, as they are now
            match written_names(stmt) {
                Some(names) => self.ev.publish(
                    &self.m.module,
                    self.env,
                    names.into_iter().chain(flushed.iter().map(String::as_str)),
                ),
                None => self.ev.publish_all(&self.m.module, self.env),
            }
        }
    }

    /// Takes into the running module's globals what its functions assigned
    /// there during the last statement.
    fn flush_globals(&mut self) -> Vec<String> {
        let mut flushed = Vec::new();
        if self.ev.global_writes.get() == 0 || self.depth > 0 || self.outer.is_some() {
            return flushed;
        }
        let module = &self.m.module;
        self.ev.pending.borrow_mut().retain(|(m, n), v| {
            if m != module {
                return true;
            }
            self.env.insert(n.clone(), std::mem::replace(v, Val::None));
            flushed.push(n.clone());
            false
        });
        flushed
    }

    /// One top-level statement.
    fn run_stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Block(b) => self.run_block(b),
            Stmt::Import(import, _) => {
                // importing runs the module (once), so that what its top level
                // registers elsewhere is there before the importer goes on
                self.run_imported(import);
                for n in import.names() {
                    // names resolve through the imports; one an earlier statement
                    // bound (`Horizon = None` before a guarded import) is rebound
                    if import_target(self.m, n).is_some_and(|(l, _)| self.env.contains_key(&l))
                        && let Some((local, v)) = self.imported(n)
                    {
                        self.env.insert(local, v);
                    }
                    if let ImportName::From {
                        module,
                        level,
                        name,
                        ..
                    } = n
                        && name == "*"
                    {
                        let abs = absolute_import(&self.m.module, self.m.is_package, level, module);
                        if let Some(e) = self.ev.env(&abs) {
                            for (k, v) in e.iter() {
                                self.env.insert(k.clone(), v.clone());
                            }
                        }
                    }
                }
            }
            Stmt::Assign { targets, value, .. } => {
                let Some(value) = value else { return };
                let v = match self.eval(value) {
                    // a name for a library's object (`Blueprint = flask.Blueprint`)
                    // stands for that object, as a helper's local does
                    v @ Val::Unknown(_) if !v.is_raised() && value.dotted().is_some() => {
                        self.keep_named(value, v)
                    }
                    v => v,
                };
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
                            let items = v.unpacked();
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
            } if op.starts_with('+') => {
                self.add_to_name(n, value);
                self.extended_in_place(n, stmt);
            }
            Stmt::Expr(Expr::Call(c), _) => self.call_stmt(c),
            Stmt::For {
                target, iter, body, ..
            } => self.run_for(target, iter, body),
            Stmt::Func(f) if !f.decorators.is_empty() => self.decorate(f),
            Stmt::Class(c) if !c.decorators.is_empty() => self.decorate_class(c),
            _ => {}
        }
    }

    /// A top-level `for` loop over a known sequence (`for app in
    /// apps.get_app_configs():`). Each iteration runs like a helper function's
    /// body and its effects are kept only when it is understood to the end; an
    /// iteration that is not (an unknown condition, `break`) is skipped.
    pub(super) fn run_for(&mut self, target: &Expr, iter: &Expr, body: &[Stmt]) {
        let Ok(items) = self.items_of(self.eval(iter)) else {
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
                owner: self.owner.clone(),
            };
            let mark = self.ev.mark();
            let n = self.ev.independent.get();
            self.ev.independent.set(n + 1);
            let flow = cx.exec(body);
            self.ev.independent.set(n);
            match flow {
                Flow::Next | Flow::Continue | Flow::MaybeReturn(_) => *self.env = env,
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
    pub(super) fn run_block(&mut self, b: &[Stmt]) {
        if is_try(b) {
            return self.run_try(b);
        }
        if let Some(Stmt::While(test)) = b.first() {
            return self.run_while(test, b);
        }
        let branch = self.branch(b);
        let tested =
            matches!(b.first(), Some(Stmt::Guard(Some(t))) if !matches!(t, Expr::Other(_)));
        if branch.is_none() && tested {
            self.ev.unknown_test();
        }
        match branch {
            Some(Some(taken)) => {
                self.exclude_branches(b, Some(taken));
                self.run(taken)
            }
            Some(None) => self.exclude_branches(b, None),
            None if tested => self.run_unknown(b),
            None => self.run(b),
        }
    }

    /// A top-level `if` (or `while`) whose test is not known. In start-up code each branch
    /// runs from the names as they were before it, and they are joined (see `join_lenient`).
    /// A Django settings module or URLconf keeps every branch's additions (`if DEBUG:
    /// INSTALLED_APPS += [...]`): an unknown INSTALLED_APPS would lose every URLconf. A list a
    /// branch rebinds without items it had (`urlpatterns = [re_path(PREFIX, include(
    /// urlpatterns))]`) is one of the two: both lists' items are kept, as both are declared.
    fn run_unknown(&mut self, b: &[Stmt]) {
        if self.ev.host.lenient() {
            self.join_branches(b, |cx, body| {
                cx.run(body);
                None
            });
        } else {
            // the lists the block rebinds, as they were (a list changed in place, `L[0]["k"] =
            // v`, is the same list either way)
            let before: Vec<(String, Vec<Val>)> = rebound_names(b)
                .into_iter()
                .filter_map(|n| match self.env.get(&n) {
                    Some(Val::List(old)) => Some((n, old.clone())),
                    _ => None,
                })
                .collect();
            self.run(b);
            for (name, old) in before {
                if let Some(Val::List(new)) = self.env.get_mut(&name) {
                    // unchanged, or only added to (`+=`): nothing of the old list is lost
                    if new.len() >= old.len()
                        && old.iter().zip(new.iter()).all(|(o, n)| same_val(o, n))
                    {
                        continue;
                    }
                    // (an item not known adds nothing to say, and is never the same as another)
                    for item in old {
                        if !matches!(item, Val::Unknown(_))
                            && !new.iter().any(|n| same_val(n, &item))
                        {
                            new.push(item);
                        }
                    }
                }
            }
        }
    }

    /// A top-level `while` loop: its body runs while its test is known true, then its
    /// `else`. From a test not known on, the block runs as an `if` with that test would. A
    /// loop whose end is not known (a pass not understood, too many passes, a pass that met a
    /// test not known with a `break` in the body) leaves what it changed not known.
    fn run_while(&mut self, test: &Expr, b: &[Stmt]) {
        let (body, orelse) = while_parts(b);
        let leaves = exits_in(body);
        let before = self.env.clone();
        let mark = self.ev.mark();
        for pass in 0..MAX_PASSES {
            if !self.tick() {
                return;
            }
            match self.truth(&self.eval(test)) {
                Some(true) => {}
                Some(false) => {
                    if pass == 0 {
                        self.exclude(body);
                    }
                    return self.run(orelse);
                }
                None => {
                    self.ev.unknown_test();
                    return self.run_unknown(b);
                }
            }
            let unknown = self.ev.unknown_tests.get();
            match self.exec(body) {
                Flow::Next | Flow::Continue | Flow::MaybeReturn(_) => {}
                Flow::Break | Flow::Return(_) => return self.exclude(orelse),
                Flow::Abort(why) => return self.lose_loop(before, mark, &why),
            }
            if leaves && self.ev.unknown_tests.get() > unknown {
                break;
            }
        }
        self.lose_loop(before, mark, WHILE_END)
    }

    /// After a loop whose end is not known: the names it changed are not known (see
    /// `join_lenient`), nor what it changed in objects and globals.
    fn lose_loop(&mut self, before: Env, mark: usize, why: &str) {
        let after = std::mem::take(self.env);
        *self.env = join_lenient(vec![before, after], why);
        self.ev.lose_since(mark, &[], why);
    }

    /// A top-level `try`. Its handlers run only when the body raises what they catch: when
    /// every handler catches `ImportError` and the body's imports are all of scanned modules,
    /// the body runs and the handlers do not; when one of them names a module missing from a
    /// scanned package, the body runs up to it, then the handler. Otherwise whether a handler
    /// runs is not known: Flask start-up code joins the body's path with each handler's (see
    /// `join_lenient`); a Django settings module runs them all in order, keeping what each adds.
    fn run_try(&mut self, b: &[Stmt]) {
        let Some(Stmt::Block(body)) = b.first() else {
            return;
        };
        let mut handlers: Vec<(&str, &[Stmt])> = Vec::new();
        let (mut orelse, mut finally): (&[Stmt], &[Stmt]) = (&[], &[]);
        for alt in &b[1..] {
            let Stmt::Block(ab) = alt else { continue };
            match ab.first() {
                Some(Stmt::Guard(Some(Expr::Other(t)))) if is_except(t) => {
                    handlers.push((t, &ab[1..]))
                }
                Some(Stmt::Guard(None)) => orelse = &ab[1..],
                _ => finally = ab,
            }
        }
        // Nothing but an ImportError can reach the handlers: they catch only that, or the
        // body does nothing but import.
        let only_imports = body.iter().all(|s| matches!(s, Stmt::Import(..)))
            || handlers
                .iter()
                .all(|(t, _)| t.split_whitespace().nth(1).is_some() && catches_import_error(t));
        match self.failing_import(body) {
            Some(None) if only_imports => {
                self.run(body);
                self.run(orelse);
            }
            Some(Some(at)) => {
                self.run(&body[..at]);
                if let Some((_, h)) = handlers.iter().find(|(t, _)| catches_import_error(t)) {
                    self.run(h);
                }
            }
            _ if self.ev.host.lenient() => {
                let mut paths = vec![vec![&body[..], orelse]];
                paths.extend(handlers.iter().map(|(_, h)| vec![*h]));
                self.join_paths(&paths, false, "whether the try body raises", |cx, b| {
                    cx.run(b);
                    None
                });
            }
            _ => {
                self.run(body);
                for (_, h) in &handlers {
                    self.run(h);
                }
                self.run(orelse);
            }
        }
        self.run(finally);
    }

    /// Whether the imports at the top of a `try` body fail: `Some(None)` when every one names a
    /// scanned module (or a name it binds), `Some(Some(i))` when statement `i` imports a module
    /// missing from a scanned package (Python raises `ImportError` there), `None` when it is not
    /// known (a library that may not be installed, a name the module does not bind, an import
    /// inside a nested block, a call of `import_module`). A scanned module is taken to import:
    /// the libraries it needs are taken as installed.
    fn failing_import(&self, body: &[Stmt]) -> Option<Option<usize>> {
        let project = self.ev.project;
        let missing = |module: &str| missing_module(project, module);
        for (i, s) in body.iter().enumerate() {
            match s {
                Stmt::Import(import, _) => {
                    for n in import.names() {
                        let fails = match n {
                            ImportName::Module { path, .. } => missing(path)?,
                            ImportName::From {
                                module,
                                level,
                                name,
                                ..
                            } => {
                                let abs = absolute_import(
                                    &self.m.module,
                                    self.m.is_package,
                                    level,
                                    module,
                                );
                                // `from m import x`: x a submodule of m, or a name m binds
                                // when it has run (one it may bind later, under a condition
                                // or in an import cycle, is not known to be missing)
                                let sub = format!("{abs}.{name}");
                                if project.module(&sub).is_some() {
                                    false
                                } else if project.module(&abs).is_none() {
                                    level > 0 || missing(&abs)?
                                } else if name == "*"
                                    || self.ev.env(&abs).is_some_and(|e| e.contains_key(name))
                                {
                                    false
                                } else {
                                    return None;
                                }
                            }
                        };
                        if fails {
                            return Some(Some(i));
                        }
                    }
                }
                Stmt::Block(_) => return None,
                s if s.calls().iter().any(|c| {
                    matches!(c.func.last_name(), Some("import_module" | "__import__"))
                }) =>
                {
                    return None;
                }
                _ => {}
            }
        }
        Some(None)
    }

    /// An `if` block whose test is not known, in start-up code: each branch
    /// runs (by `run`, which may end the whole block with a flow of its own)
    /// from the names as they were before it, and the names after are
    /// joined (see `join_lenient`).
    fn join_branches(
        &mut self,
        b: &[Stmt],
        run: impl Fn(&mut Self, &[Stmt]) -> Option<Flow>,
    ) -> Flow {
        let (bodies, has_else) = if_branches(b);
        let paths: Vec<Vec<&[Stmt]>> = bodies.into_iter().map(|body| vec![body]).collect();
        let test = match b.first() {
            Some(Stmt::Guard(Some(t))) => t.describe(),
            _ => String::new(),
        };
        self.join_paths(&paths, !has_else, &format!("condition {test}"), run)
    }

    /// Runs each path (its blocks in turn, by `run`, which may end it all with a flow of its
    /// own) from the names as they are now, and joins the names where the paths end, with
    /// the names as they were when `none_taken` (see `join_lenient`).
    fn join_paths(
        &mut self,
        paths: &[Vec<&[Stmt]>],
        none_taken: bool,
        why: &str,
        run: impl Fn(&mut Self, &[Stmt]) -> Option<Flow>,
    ) -> Flow {
        let before = self.env.clone();
        let mut ends = Vec::new();
        for path in paths {
            *self.env = before.clone();
            for b in path {
                if let Some(f) = run(self, b) {
                    return f;
                }
            }
            ends.push(std::mem::take(self.env));
        }
        if none_taken {
            ends.push(before);
        }
        *self.env = join_lenient(ends, why);
        Flow::Next
    }

    /// For an `if` block: `Some(Some(body))` of the branch taken, `Some(None)`
    /// when none is, `None` when that is not known.
    pub(super) fn branch<'b>(&self, b: &'b [Stmt]) -> Option<Option<&'b [Stmt]>> {
        let Some(Stmt::Guard(test)) = b.first() else {
            return None;
        };
        let taken = match test {
            None => true,
            Some(Expr::Other(_)) => return None,
            Some(t) => self.truth(&self.eval(t))?,
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

    /// `setattr(obj, "name", v)` run as `obj.name = v`; `None` when `c` is not such a call.
    fn setattr(&mut self, c: &Call) -> Option<Result<(), String>> {
        let (Expr::Name(f), [obj, name, value]) = (&c.func, &*c.args) else {
            return None;
        };
        if f != "setattr" || !c.kwargs.is_empty() {
            return None;
        }
        let Val::Str(name) = self.eval(name) else {
            return None;
        };
        let v = self.eval(value);
        let target = Expr::Attr(Box::new(obj.clone()), name.into());
        Some(
            self.assign_into(&target, v)
                .inspect_err(|why| self.lose_root(obj, why)),
        )
    }

    /// A top-level call statement: a change to a list, dict or instance
    /// attribute in place, a method of a framework value, or a call for its effects.
    pub(super) fn call_stmt(&mut self, c: &Call) {
        if self.setattr(c).is_some() {
            return;
        }
        if self.depth == 0
            && self.outer.is_none()
            && let Some(canonical) = c.func.dotted().map(|d| self.resolve(&d))
            && let Some(modules) = self.ev.host.runs_files(self, &canonical, c)
        {
            for module in modules {
                self.run_file_here(&module);
            }
            return;
        }
        if let Expr::Attr(base, method) = &c.func
            && let Some(r) = self.mutate(base, method, c)
        {
            if let Err(why) = r {
                self.lose_root(base, &why);
            }
            return;
        }
        self.call(c);
    }

    /// `place.append(x)`, `.extend`, `.insert`, `.remove`, `.update` on a list
    /// or dict held by a variable of this scope or under an instance attribute;
    /// `None` when `method` is not one of these or `place` is not such a place.
    pub(super) fn mutate(
        &mut self,
        place: &Expr,
        method: &str,
        c: &Call,
    ) -> Option<Result<(), String>> {
        const METHODS: &[&str] = &[
            "append",
            "add",
            "extend",
            "insert",
            "remove",
            "update",
            "setdefault",
        ];
        // an instance's own method of that name is called instead
        if !METHODS.contains(&method) || !self.is_place(place) || self.instance_at(place).is_some()
        {
            return None;
        }
        // only a list or dict this interpreter holds changes here: a value
        // not known stays so (`self.session.remove()`), and another object's
        // method is its own (`d.setdefault(k, [])` makes the list it changes)
        if !matches!(place, Expr::Call(_)) {
            match self.eval(place) {
                Val::List(_) | Val::Dict(_) => {}
                Val::Unknown(_) => return Some(Ok(())),
                _ => return None,
            }
        }
        let what = format!("{}.{method}(...)", place.describe());
        if c.has_splat() || !c.kwargs.is_empty() {
            return Some(Err(what));
        }
        if method == "setdefault" {
            // as a statement: the key gets the default unless it has a value
            let call = Expr::Call(Box::new(c.clone()));
            return Some(if self.with_place(&call, &mut |_| true) {
                Ok(())
            } else {
                Err(what)
            });
        }
        let args: Vec<Val> = c.args.iter().map(|a| self.eval(a)).collect();
        let ok = self.with_place(place, &mut |v| change(v, method, &args));
        Some(if ok { Ok(()) } else { Err(what) })
    }

    /// Whether `e` denotes a value that can be changed in place: a variable of
    /// this scope, or what is reached from it or from an instance through
    /// attributes, subscripts and `.setdefault(k, default)`.
    pub(super) fn is_place(&self, e: &Expr) -> bool {
        match e {
            Expr::Name(n) => {
                self.env.contains_key(n.as_str())
                    || matches!(self.name(n), Val::Instance(_) | Val::Class(_))
                    || self.global_place(n).is_some()
            }
            // a global of a module imported by name
            Expr::Attr(b, _) if matches!(&**b, Expr::Name(n) if matches!(self.name(n), Val::Module(_))) => {
                true
            }
            Expr::Attr(b, _) | Expr::Subscript(b, _) => self.is_place(b),
            Expr::Call(c) => match &c.func {
                Expr::Attr(b, m) if m == "setdefault" => self.is_place(b),
                _ => false,
            },
            _ => false,
        }
    }

    /// A list or dict that `n` names as a module global changed in place
    /// (`REGISTRY[k] = v`, `HOOKS.append(f)`): this module's, read by one of
    /// its functions, or another module's imported here (`from .registry
    /// import HOOKS`). Its module, name and value.
    fn global_place(&self, n: &str) -> Option<(String, String, Val)> {
        let own = if self.depth > 0 { self.global(n) } else { None };
        let (module, name, v) = match own {
            Some(v) => (self.m.module.clone(), n.to_string(), v),
            None => {
                let canonical = self.ev.project.resolver.resolve(&self.m.module, n);
                let (m, name) = canonical.rsplit_once('.')?;
                if m == self.m.module {
                    return None;
                }
                let v = self.ev.lookup_global(&canonical)?;
                (m.to_string(), name.to_string(), v)
            }
        };
        matches!(v, Val::List(_) | Val::Dict(_)).then_some((module, name, v))
    }

    /// Applies `f` in place to the value a place expression (see `is_place`)
    /// denotes; `false` when that value is not known.
    pub(super) fn with_place(&mut self, e: &Expr, f: &mut dyn FnMut(&mut Val) -> bool) -> bool {
        match e {
            Expr::Name(n) => match self.env.get_mut(n.as_str()) {
                Some(v) => f(v),
                None => match self.global_place(n) {
                    Some((module, name, mut v)) => {
                        let ok = f(&mut v);
                        if ok {
                            self.ev.set_global(&module, &name, v);
                        }
                        ok
                    }
                    // an instance of a global, changed where it is (a `dict` subclass's items)
                    None => match self.name(n) {
                        mut v @ Val::Instance(_) => f(&mut v),
                        _ => false,
                    },
                },
            },
            Expr::Attr(b, a) => match self.eval(b) {
                Val::Instance(o) if o.lost().is_none() && o.get(a).is_some() => {
                    let ok = o.update(a, f);
                    if ok {
                        self.ev.touch(&o);
                    }
                    ok
                }
                // an attribute the instance reads from its class (`self.routes[k] = v` with
                // `routes = {}` in the class body): the class's one list or dict changes
                Val::Instance(o) if o.lost().is_none() => self.update_class_attr(&o.class, a, f),
                Val::Class(k) => self.update_class_attr(&k, a, f),
                // another module's global (`registry.PLUGINS.append(p)`)
                Val::Module(m) => match self.ev.lookup_global(&format!("{m}.{a}")) {
                    Some(mut v) => {
                        let ok = f(&mut v);
                        if ok {
                            self.ev.set_global(&m, a, v);
                        }
                        ok
                    }
                    None => false,
                },
                _ => false,
            },
            Expr::Subscript(b, k) => {
                let key = self.eval(k);
                self.with_place(b, &mut |v| with_item(v, &key, None, &mut *f))
            }
            Expr::Call(c) if c.args.len() <= 2 && c.kwargs.is_empty() && !c.has_splat() => {
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
                    with_item(v, &key, Some(default.clone()), &mut *f)
                })
            }
            _ => false,
        }
    }

    /// Applies `f` in place to a list or dict class attribute, as read through
    /// `class`: the class along its MRO that holds it keeps the change, which
    /// every instance and subclass sees. `false` when it is not such a value.
    fn update_class_attr(
        &self,
        class: &str,
        attr: &str,
        f: &mut dyn FnMut(&mut Val) -> bool,
    ) -> bool {
        let project = self.ev.project;
        let key = |k: &str| (k.to_string(), attr.to_string());
        let Some(owner) = classes::mro(project, class).into_iter().find(|k| {
            self.ev.class_writes.borrow().contains_key(&key(k))
                || classes::find(project, k).is_some_and(|(_, cd)| cd.attr(attr).is_some())
        }) else {
            return false;
        };
        let mut v = self.class_attr(&owner, attr);
        if !matches!(v, Val::List(_) | Val::Dict(_)) || !f(&mut v) {
            return false;
        }
        self.ev.class_writes.borrow_mut().insert(key(&owner), v);
        true
    }

    /// `obj.attr = v` on an instance, `place[k] = v`.
    pub(super) fn assign_into(&mut self, target: &Expr, v: Val) -> Result<(), String> {
        let what = || format!("assignment to {}", target.describe());
        match target {
            Expr::Attr(b, a) => match self.eval(b) {
                // a name of a library (`from django.conf import settings`): the framework's
                // object, by its canonical name
                Val::Unknown(_)
                    if let Some(d) = b.dotted()
                        && !root_is_local(b, self.env) =>
                {
                    let canonical = self.ev.project.resolver.resolve(&self.m.module, &d);
                    let named = Val::Expr(Rc::new(Expr::Resolved(canonical.into())));
                    self.ev.host.set_attr(self, &named, a, &v);
                    Ok(())
                }
                Val::Instance(o) if o.lost().is_none() => {
                    // the framework part reads its own attributes from the instance
                    if let Some(n) = o.native() {
                        self.ev.host.set_attr(self, &n, a, &v);
                    }
                    o.set(a, v);
                    self.ev.touch(&o);
                    Ok(())
                }
                Val::Instance(o) => Err(o.lost().unwrap_or_default()),
                Val::Class(k) => {
                    self.ev
                        .class_writes
                        .borrow_mut()
                        .insert((k, a.to_string()), v);
                    Ok(())
                }
                // a framework's object, or one named outside the scanned code
                // (`django.conf.settings`): the framework notes it if it models it
                h @ (Val::Host(_) | Val::Expr(_)) => {
                    self.ev.host.set_attr(self, &h, a, &v);
                    Ok(())
                }
                // an object this interpreter does not model
                _ => Ok(()),
            },
            // `self.__dict__["name"] = v` (a class whose `__setattr__` is its own): the
            // instance's attribute, as `self.name = v` would set it
            Expr::Subscript(b, k)
                if let Expr::Attr(obj, dict) = &**b
                    && &**dict == "__dict__"
                    && let (Val::Instance(o), Val::Str(name)) = (self.eval(obj), self.eval(k))
                    && o.lost().is_none() =>
            {
                if let Some(n) = o.native() {
                    self.ev.host.set_attr(self, &n, &name, &v);
                }
                o.set(&name, v);
                self.ev.touch(&o);
                Ok(())
            }
            Expr::Subscript(b, k) if self.is_place(b) => {
                let key = self.eval(k);
                let mut slot = Some(v);
                if self.with_place(b, &mut |d| set_item(d, &key, &mut slot)) {
                    return Ok(());
                }
                // a framework's mapping (`app.config[k] = v`), evaluated only now: a
                // place's value may be large
                if let Some(v) = slot.take()
                    && let h @ Val::Host(_) = self.eval(b)
                    && self.ev.host.set_item(self, &h, &key, &v)
                {
                    return Ok(());
                }
                if self.change_is_unseen(b) {
                    Ok(())
                } else {
                    Err(what())
                }
            }
            _ => Err(what()),
        }
    }

    /// Whether a place holds a value not known or known only at run time (`app.extensions`
    /// after `app.extensions = getattr(app, "extensions", {})` on a Flask app), or is reached
    /// through a framework's object (`self.app.url_map.converters`): changing it changes
    /// nothing this interpreter knows.
    fn change_is_unseen(&self, place: &Expr) -> bool {
        if matches!(self.eval(place), Val::Unknown(_) | Val::Expr(_)) {
            return true;
        }
        let mut e = place;
        while let Expr::Attr(b, _) | Expr::Subscript(b, _) = e {
            if matches!(self.eval(b), Val::Host(_)) {
                return true;
            }
            e = b;
        }
        false
    }

    /// After a failed change through `place`: the instance it is rooted at
    /// (if any) is in a state no longer known.
    pub(super) fn lose_root(&self, place: &Expr, why: &str) {
        let mut e = place;
        // the attribute read from the root, if the chain starts with one
        let mut first_attr = None;
        loop {
            match e {
                Expr::Attr(b, a) => {
                    first_attr = Some(a);
                    e = b
                }
                Expr::Subscript(b, _) => {
                    first_attr = None;
                    e = b
                }
                Expr::Call(c) => {
                    first_attr = None;
                    e = &c.func
                }
                _ => break,
            }
        }
        if let Val::Instance(o) = self.eval(e) {
            // an attribute of the framework's part (`app.config.update(...)` on
            // a `Flask` subclass) is not modelled: the project's own state stays
            if first_attr.is_some_and(|a| {
                o.native().is_some()
                    && o.get(a).is_none()
                    && crate::python::classes::attr(self.ev.project, &o.class, a).is_none()
            }) {
                return;
            }
            o.lose(why);
        }
    }

    /// `name += value`.
    pub(super) fn add_to_name(&mut self, name: &str, value: &Expr) {
        let rhs = self.eval(value);
        let lhs = self.name(name);
        if self.depth > 0 && self.ev.declared_global(name) {
            self.ev.set_global(&self.m.module, name, add(lhs, rhs));
        } else {
            self.env.insert(name.to_string(), add(lhs, rhs));
        }
    }

    /// After the top-level statement `stmt`, `name += [...]`: a list is extended in place, so
    /// when the binding in effect there is `from m import name`, m's list changed too and every
    /// later importer of m sees the items (settings files each adding their app to a base
    /// file's list).
    fn extended_in_place(&mut self, name: &str, stmt: &Stmt) {
        let Some(v @ Val::List(_)) = self.env.get(name).cloned() else {
            return;
        };
        if let Some((module, global)) = self.imported_from(name, stmt) {
            self.ev.set_global(&module, &global, v);
        }
    }

    /// The scanned module and name that `name` holds at the top-level statement `at`: the
    /// last statement before it that binds the name, when that is `from m import name`.
    fn imported_from(&self, name: &str, at: &Stmt) -> Option<(String, String)> {
        let mut from = None;
        let mut reached = false;
        walk_stmts(&self.m.body, |s, scope| {
            reached |= std::ptr::eq(s, at);
            if reached || !scope.is_empty() {
                return;
            }
            match s {
                Stmt::Import(import, _) => {
                    for n in import.names() {
                        match n {
                            // a wildcard may bind it to anything
                            ImportName::From { name: "*", .. } => from = None,
                            n => {
                                if let Some((local, target)) = import_target(self.m, n)
                                    && local == name
                                {
                                    from = Some(self.ev.project.resolver.canonical(&target));
                                }
                            }
                        }
                    }
                }
                // any other binding of the name replaces the object (`+=` keeps it)
                s if binds(s, name) => from = None,
                _ => {}
            }
        });
        let (module, global) = from?
            .rsplit_once('.')
            .map(|(m, g)| (m.to_string(), g.to_string()))?;
        (module != self.m.module && self.ev.project.module(&module).is_some())
            .then_some((module, global))
    }

    /// Runs the scanned `module`'s file in this module's globals, as `exec()` of its
    /// compiled text with `globals()` does, once per module (a file included again, or by
    /// a file it includes, is skipped, as the library that includes them keeps a list):
    /// `__file__` and `__name__` stay this module's, the names the file binds land here,
    /// those its imports bind too. Its imports resolve from its own package, where Python
    /// takes this module's: a relative import in such a file may name another module.
    fn run_file_here(&mut self, module: &str) {
        let Some(m) = self.ev.project.module(module) else {
            return;
        };
        let ran = Val::List(vec![]);
        let Val::List(mut files) = self.env.get(FILES_RUN_HERE).cloned().unwrap_or(ran) else {
            return;
        };
        let name = Val::Str(module.to_string());
        if files.iter().any(|f| val_eq(f, &name) == Some(true)) {
            return;
        }
        files.push(name);
        self.env
            .insert(FILES_RUN_HERE.to_string(), Val::List(files));
        for dunder in ["__file__", "__name__"] {
            if !self.env.contains_key(dunder)
                && let Some(v) = self.module_dunder(dunder)
            {
                self.env.insert(dunder.to_string(), v);
            }
        }
        let mut cx = Cx::module(self.ev, m, self.env);
        cx.run(&m.body);
        // the names its imports bound that it did not bind again (`from .base import X`):
        // the file's own names resolve them, this module's do not
        for s in &m.body {
            if let Stmt::Import(import, _) = s {
                for n in import.names() {
                    if let Some((local, v)) = cx.imported(n)
                        && !cx.env.contains_key(&local)
                    {
                        cx.env.insert(local, v);
                    }
                }
            }
        }
    }

    /// Runs a helper function's statements.
    pub(super) fn exec(&mut self, body: &[Stmt]) -> Flow {
        if let Some(Stmt::Guard(_)) = body.first() {
            return self.exec_if(body).unwrap_or(Flow::Next);
        }
        if let Some(Stmt::While(test)) = body.first() {
            return self.exec_while(test, body);
        }
        // what an earlier statement returned on some paths only
        let mut returned: Option<Val> = None;
        for (i, stmt) in body.iter().enumerate() {
            if !self.tick() {
                return Flow::Abort(BUDGET.into());
            }
            if let Stmt::Func(f) = stmt {
                self.define_closure(f, &body[i + 1..]);
                continue;
            }
            let flow = self.exec_stmt(stmt);
            if !matches!(flow, Flow::Next | Flow::MaybeReturn(_)) {
                // a `return` or `raise` in a `with` body still leaves the block
                self.leave_withs(&body[i + 1..]);
            }
            // after an `if` in a function (`if not enabled: return`), whether the rest ran
            if let Stmt::Block(b) = stmt
                && i + 1 < body.len()
                && matches!(b.first(), Some(Stmt::Guard(Some(t))) if !matches!(t, Expr::Other(_)))
                && self.ev.current_frame().is_some()
            {
                match &flow {
                    Flow::Next | Flow::MaybeReturn(_) => self.took(&body[i + 1..]),
                    Flow::Return(_) => self.passed(&body[i + 1..]),
                    _ => {}
                }
            }
            match flow {
                Flow::Next => {}
                Flow::MaybeReturn(v) => returned = Some(join_maybe(returned, v)),
                Flow::Return(v) => return Flow::Return(join_maybe(returned, v)),
                // start-up code runs for its effects: a statement that is not
                // understood is skipped (an exception raised still reaches
                // `except`); one that may have returned makes what the
                // function returns not known
                Flow::Abort(why)
                    if self.ev.host.lenient() && raised(&why).is_none() && why != BUDGET =>
                {
                    if returns_in(std::slice::from_ref(stmt)) {
                        returned = Some(join_maybe(returned, Val::Unknown(why)));
                    }
                }
                f @ Flow::Abort(_) => return f,
                _ if returned.is_some() => return Flow::Abort(MAYBE_RETURNED.into()),
                f => return f,
            }
        }
        returned.map_or(Flow::Next, Flow::MaybeReturn)
    }

    /// The `__exit__` calls that close the `with` blocks around statements
    /// left early (see `lower::with_exit`), run as leaving them runs them.
    fn leave_withs(&mut self, rest: &[Stmt]) {
        for s in rest {
            if let Stmt::Expr(Expr::Call(c), _) = s
                && let Expr::Attr(held, m) = &c.func
                && m == "__exit__"
                && held
                    .as_name()
                    .is_some_and(|n| n.starts_with(crate::python::ir::WITH_MANAGER))
            {
                self.call(c);
            }
        }
    }

    /// One statement of a helper's body.
    fn exec_stmt(&mut self, stmt: &Stmt) -> Flow {
        {
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
                        && raised(why).is_some()
                    {
                        return Flow::Abort(why.clone());
                    }
                    for t in targets {
                        let r = match t {
                            Expr::Attr(..) | Expr::Subscript(..) => self.assign_into(t, v.clone()),
                            Expr::Name(n) if self.ev.declared_global(n) => {
                                self.ev.set_global(&self.m.module, n, v.clone());
                                Ok(())
                            }
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
                        && raised(&why).is_some()
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
                    let v = e.as_ref().map_or(Val::None, |e| self.eval(e));
                    if let Val::Unknown(why) = &v
                        && raised(why).is_some()
                    {
                        return Flow::Abort(why.clone());
                    }
                    return Flow::Return(v);
                }
                Stmt::For {
                    target, iter, body, ..
                } => match self.exec_for(target, iter, body) {
                    Flow::Next => {}
                    f => return f,
                },
                Stmt::Guard(_) => {}
                Stmt::Yield { value, from } => {
                    let v = value.as_ref().map_or(Val::None, |e| self.eval(e));
                    let items = match (from, v) {
                        (false, v) => vec![v],
                        (true, v) => match self.items_of(v) {
                            Ok(items) => items,
                            Err(why) => return Flow::Abort(format!("yield from {why}")),
                        },
                    };
                    if !self.ev.yield_items(items) {
                        return Flow::Abort("too many items yielded".into());
                    }
                }
                Stmt::Global(names) => {
                    if let Some(f) = self.ev.frames.borrow_mut().last_mut() {
                        f.globals.extend(names.iter().map(|n| n.to_string()));
                    }
                }
                Stmt::Exit(kind) => {
                    return match kind.as_str() {
                        "break" => Flow::Break,
                        "continue" => Flow::Continue,
                        _ => Flow::Abort(kind.to_string()),
                    };
                }
                Stmt::Import(import, _) => self.import_locally(import),
                Stmt::Class(c) => {
                    // a class of its own when it can be found again by that name
                    let id = format!("{}.<locals>.{}", self.m.module, c.name);
                    if classes::find(self.ev.project, &id).is_some() {
                        self.env.insert(c.name.to_string(), Val::Class(id));
                    } else {
                        self.bind_local_definition(&c.name)
                    }
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

    /// Runs the scanned modules an import statement imports, once each:
    /// `import a.b.c` runs `a`, then `a.b`, then `a.b.c`; `from m import x`
    /// runs `m`, and `m.x` when it is a submodule.
    fn run_imported(&self, import: &crate::python::ir::Import) {
        for n in import.names() {
            let imported = match n {
                ImportName::Module { path, .. } => path.to_string(),
                ImportName::From {
                    module,
                    level,
                    name,
                    ..
                } => {
                    let abs = absolute_import(&self.m.module, self.m.is_package, level, module);
                    match format!("{abs}.{name}") {
                        sub if self.ev.project.module(&sub).is_some() => sub,
                        _ => abs,
                    }
                }
            };
            let mut dotted = String::new();
            for part in imported.split('.') {
                if !dotted.is_empty() {
                    dotted.push('.');
                }
                dotted.push_str(part);
                if self.ev.project.module(&dotted).is_some() {
                    self.ev.env(&dotted);
                }
            }
        }
    }

    /// `import a.b` / `from m import x` inside a function binds local names,
    /// as Python does (see `imported`).
    fn import_locally(&mut self, import: &crate::python::ir::Import) {
        // importing runs the module (once), at the statement, as at top level
        self.run_imported(import);
        for n in import.names() {
            if let Some((local, v)) = self.imported(n) {
                self.env.insert(local, v);
            }
        }
    }

    /// The name an import binds and its value: what the module defines when it
    /// is scanned code (through its re-exports: `from .views import bp` where
    /// `views/__init__.py` imports `bp` from a submodule), else the name itself
    /// (a library's object, known by name only).
    fn imported(&self, n: ImportName) -> Option<(String, Val)> {
        let (local, target) = import_target(self.m, n)?;
        let canonical = self.ev.project.resolver.canonical(&target);
        Some((local, self.eval_inner(&Expr::Resolved(canonical.into()))))
    }

    /// A function's decorators, innermost first: methods of framework values
    /// (`@router.get("/x")`, or `@route("/x")` after `route = router.route`)
    /// register the function with their framework;
    /// `functools.wraps(f)` gives it `f`'s name; in start-up code, a decorator
    /// that is a project function (`@api_endpoint`) runs with the function
    /// as its argument. Others are not run, and what a decorator returns is
    /// not modelled.
    fn decorate(&mut self, f: &crate::python::ir::FuncDef) {
        let top_level = self.depth == 0;
        let mut name = f.name.to_string();
        // a function defined in the one running: `module.create_app.<locals>.view`
        let mut id = match top_level {
            true => Some(format!("{}.{}", self.m.module, f.name)),
            false => (self.running_qualname())
                .map(|q| format!("{}.{q}.<locals>.{}", self.m.module, f.name)),
        };
        // each decorator gets what the one below returned: a wrapper stands for
        // the function it wraps (`functools.wraps` gives it the function's name),
        // so a registering decorator above `@login_required` registers the view
        for d in f.decorators.iter().rev() {
            let Expr::Call(c) = d else {
                if top_level {
                    self.run_project_decorator(d, &f.name, f.pos, Some(f));
                }
                continue;
            };
            if top_level && self.run_project_decorator(d, &f.name, f.pos, Some(f)) {
                continue;
            }
            if c.func
                .dotted()
                .is_some_and(|n| self.resolve(&n) == "functools.wraps")
            {
                let wrapped = c.args.first().map(|a| self.eval(a));
                if let Some(Val::Expr(e)) = &wrapped
                    && let Some(w) = abs_dotted(e)
                {
                    name = w.rsplit('.').next().unwrap_or(&w).to_string();
                    id = Some(w);
                }
                continue;
            }
            let recv = self.method_of(&c.func).map(|(recv, _)| recv);
            let framework = match &recv {
                Some(Val::Host(_)) => true,
                Some(Val::Instance(o)) => o.native().is_some(),
                _ => false,
            };
            if framework {
                let v = self.call(c);
                let recv = recv.unwrap_or(Val::None);
                if matches!(v, Val::Host(_)) {
                    self.ev
                        .host
                        .decorate(self, &v, &recv, f, &name, id.as_deref());
                }
            }
        }
    }

    /// The qualified name in its module of the function running (`create_app`, `Repo.get_app`
    /// for a method of this module's class); `None` for a closure.
    fn running_qualname(&self) -> Option<String> {
        let name = self.ev.current_function()?;
        match &self.owner {
            Some(o) => (o.class.strip_prefix(self.m.module.as_str()))
                .and_then(|rest| rest.strip_prefix('.'))
                .map(|class| format!("{class}.{name}")),
            None => Some(name.to_string()),
        }
    }

    /// A top-level class's decorators, innermost first, up to the first that
    /// is a function of the scanned code (see `run_project_decorator`): it runs
    /// with the class as its argument (`@urls.register` appending
    /// `re_path(cls.url_regex, cls.as_view())` to a URL list). What it returns
    /// is not modelled, so the decorators after it are not run.
    fn decorate_class(&mut self, c: &crate::python::ir::ClassDef) {
        for d in c.decorators.iter().rev() {
            if self.run_project_decorator(d, &c.name, c.pos, None) {
                return;
            }
        }
    }

    /// `@decorator` or `@make_decorator(...)` on the top-level function or
    /// class `name`, where `decorator` / `make_decorator` is a function of the
    /// scanned code: run as Python runs it at definition, with the function or
    /// class as the argument, for what it registers (`@hooks.register("url_hook")`
    /// filling a registry, a decorator calling `add_url_rule`). What it returns
    /// is not modelled. `false` when `d` is not such a decorator. A framework's
    /// decorator that a project method returns (a `route()` override handing on
    /// through `super()`) is applied to the function `f` as the framework does.
    fn run_project_decorator(
        &mut self,
        d: &Expr,
        name: &str,
        pos: crate::python::ir::Pos,
        f: Option<&crate::python::ir::FuncDef>,
    ) -> bool {
        let callee = match d {
            Expr::Call(c) => &c.func,
            d => d,
        };
        let Some(canonical) = callee.dotted().map(|n| self.resolve(&n)) else {
            return false;
        };
        // `@bp.page("/x")`: a method of an instance of a project class
        let own_method = matches!(callee, Expr::Attr(b, m)
            if matches!(self.object_at(b), Some(Val::Instance(o)) if self.has_own_method(&o, m)));
        // `@partial(add_page, "/h")`, or a name bound to such a partial
        let partial = || {
            canonical == "functools.partial"
                || (!matches!(d, Expr::Call(_)) && super::partials::is_partial(&self.eval(d)))
        };
        let own_function = self.ev.project.function(&canonical).is_some();
        let partial = !own_function && !own_method && partial();
        if !own_function && !own_method && !partial {
            return false;
        }
        let with_function = |func: Expr| Call {
            func,
            args: vec![Expr::Resolved(format!("{}.{name}", self.m.module).into())].into(),
            kwargs: Box::default(),
            kwargs_splat: None,
            pos,
        };
        let decorator = match d {
            Expr::Call(c) => self.call(c),
            _ if own_method => {
                self.call(&with_function(d.clone()));
                return true;
            }
            _ if partial => self.eval(d),
            _ => Val::Expr(Rc::new(Expr::Resolved(canonical.into()))),
        };
        match decorator {
            Val::Func(closure) => {
                self.call_closure(&closure, &with_function(Expr::Name("<decorator>".into())));
            }
            Val::Expr(e) if abs_dotted(&e).is_some() => {
                self.call(&with_function((*e).clone()));
            }
            v @ Val::Host(_) => {
                let id = format!("{}.{name}", self.m.module);
                let recv = match callee {
                    Expr::Attr(b, _) if own_method => self.object_at(b),
                    _ => None,
                };
                let applied = recv.zip(f).is_some_and(|(recv, f)| {
                    self.ev.host.decorate(self, &v, &recv, f, name, Some(&id))
                });
                // `functools.partial(add_view, view=...)`
                if !applied {
                    self.call_value(v, &with_function(Expr::Name("<decorator>".into())));
                }
            }
            _ => {}
        }
        true
    }

    /// A function defined inside a function: a closure over the enclosing
    /// names. Python reads them when it is called; the names the enclosing
    /// body assigns after the definition (`rest`) may have changed by then,
    /// so they are not known inside it.
    fn define_closure(&mut self, f: &crate::python::ir::FuncDef, rest: &[Stmt]) {
        self.decorate(f);
        let mut captured = self.env.clone();
        crate::python::ir::walk_stmts(rest, |s, scope| {
            if !scope.is_empty() {
                return; // a nested function's own names
            }
            let mut names = Vec::new();
            match s {
                Stmt::Assign { targets, .. } => {
                    targets.iter().for_each(|t| bound_names(t, &mut names))
                }
                Stmt::AugAssign { target, .. } => bound_names(target, &mut names),
                Stmt::For { target, .. } => bound_names(target, &mut names),
                Stmt::Func(d) => names.push(d.name.to_string()),
                _ => {}
            }
            for n in names {
                captured.insert(
                    n,
                    Val::Unknown("assigned after the function was defined".into()),
                );
            }
        });
        let closure = Closure {
            def: f.clone(),
            module: self.m.module.clone(),
            id: format!("{}.<locals>.{}", self.m.module, f.name),
            captured: std::cell::RefCell::new(captured),
            frame: self.ev.current_frame(),
            own: own_names(f),
        };
        self.env
            .insert(f.name.to_string(), Val::Func(Rc::new(closure)));
    }

    /// A class defined inside a function: a reference to it, truthy as every
    /// class is, under a name no module-level definition can have, so that
    /// calling it runs nothing else.
    fn bind_local_definition(&mut self, name: &str) {
        let id = format!("{}.<locals>.{name}", self.m.module);
        self.env.insert(
            name.to_string(),
            Val::Expr(Rc::new(Expr::Resolved(id.into()))),
        );
    }

    /// A `for` loop in a helper. Over values a framework loads one by one
    /// (installed apps: `apps.get_app_configs()`), an iteration that is not
    /// understood is skipped, as at top level: an app outside the scanned code
    /// contributes nothing visible here.
    pub(super) fn exec_for(&mut self, target: &Expr, iter: &Expr, body: &[Stmt]) -> Flow {
        let items = match self.items_of(self.eval(iter)) {
            Ok(items) => items,
            Err(why) => return Flow::Abort(format!("for loop over {why}")),
        };
        let per_app = items.iter().all(|i| match i {
            Val::Host(h) => h.independent(),
            Val::Instance(o) => o.independent,
            _ => false,
        });
        let mut returned: Option<Val> = None;
        for item in items {
            if !bind(self.env, target, item) {
                return Flow::Abort("loop unpacking".into());
            }
            let mark = self.ev.mark();
            let yielded = self.ev.yielded();
            let saved = per_app.then(|| self.env.clone());
            let n = self.ev.independent.get();
            self.ev.independent.set(n + usize::from(per_app));
            let flow = self.exec(body);
            self.ev.independent.set(n);
            match flow {
                Flow::Next | Flow::Continue => {}
                Flow::MaybeReturn(v) => returned = Some(join_maybe(returned, v)),
                Flow::Return(v) => return Flow::Return(join_maybe(returned, v)),
                Flow::Break => break,
                Flow::Abort(why) if per_app => {
                    *self.env = saved.unwrap_or_default();
                    self.ev.lose_since(mark, &[], &why);
                    self.ev.unyield(yielded);
                }
                f => return f,
            }
        }
        returned.map_or(Flow::Next, Flow::MaybeReturn)
    }

    /// A `while` loop in a function, run as at the top level (see `run_while`); what a
    /// pass may return is returned on some paths; a loop whose end is not known ends the
    /// function's run, what it changed lost.
    fn exec_while(&mut self, test: &Expr, b: &[Stmt]) -> Flow {
        let (body, orelse) = while_parts(b);
        let mut returned: Option<Val> = None;
        let end = |returned: Option<Val>, f: Flow| match (f, returned) {
            (Flow::Next | Flow::Break | Flow::Continue, Some(r)) => Flow::MaybeReturn(r),
            (Flow::Next | Flow::Break | Flow::Continue, None) => Flow::Next,
            (Flow::MaybeReturn(v), r) => Flow::MaybeReturn(join_maybe(r, v)),
            (Flow::Return(v), r) => Flow::Return(join_maybe(r, v)),
            (f, _) => f,
        };
        // in a function, what ran and what did not on this call (see `exec_if`)
        let record = self.ev.current_frame().is_some();
        let leaves = exits_in(body);
        let before = self.env.clone();
        let mark = self.ev.mark();
        for pass in 0..MAX_PASSES {
            if !self.tick() {
                return Flow::Abort(BUDGET.into());
            }
            let taken = match self.eval(test) {
                Val::Unknown(why) if raised(&why).is_some() => return Flow::Abort(why),
                v => self.truth(&v),
            };
            match taken {
                Some(true) => {}
                Some(false) => {
                    if record {
                        if pass == 0 {
                            self.passed(body);
                        }
                        self.took(orelse);
                    }
                    return end(returned, self.exec(orelse));
                }
                None => {
                    // as an `if` whose test is not known (see `exec_if`), on the loop's own
                    // statements, the test evaluated once
                    self.ev.unknown_test();
                    if record {
                        if_branches(b).0.iter().for_each(|body| self.took(body));
                    }
                    let f = self.exec_unknown(b, format!("condition {}", test.describe()));
                    return end(returned, f);
                }
            }
            if record && pass == 0 {
                self.took(body);
            }
            let unknown = self.ev.unknown_tests.get();
            match self.exec(body) {
                Flow::Next | Flow::Continue => {}
                Flow::MaybeReturn(v) => returned = Some(join_maybe(returned, v)),
                f => {
                    if record && matches!(f, Flow::Break | Flow::Return(_)) {
                        self.passed(orelse);
                    }
                    return end(returned, f);
                }
            }
            if leaves && self.ev.unknown_tests.get() > unknown {
                break;
            }
        }
        self.lose_loop(before, mark, WHILE_END);
        Flow::Abort(WHILE_END.into())
    }

    /// A call statement inside a helper: a change in place (see `mutate`),
    /// `pop`, a method of a framework value, or a call for its effects. Any other
    /// method of a local value this interpreter does not model is not understood.
    pub(super) fn exec_call(&mut self, c: &Call) -> Result<(), String> {
        if let Some(r) = self.setattr(c) {
            return r;
        }
        // a `with` block's protocol never ends the function (see `context`)
        if let Expr::Attr(_, m) = &c.func
            && matches!(m.as_str(), "__enter__" | "__exit__")
        {
            self.call(c);
            return Ok(());
        }
        if let Expr::Attr(base, m) = &c.func {
            if let Some(r) = self.mutate(base, m, c) {
                // a list or dict of a name changed with what is not known
                // (`EXTENSIONS.extend(plugin.extensions)`) is not known after;
                // the rest of the call goes on
                if let (Err(why), Expr::Name(n)) = (&r, &**base) {
                    if self.env.contains_key(n.as_str()) {
                        self.env.insert(n.to_string(), Val::Unknown(why.clone()));
                        return Ok(());
                    }
                    if let Some((module, name, _)) = self.global_place(n) {
                        self.ev
                            .set_global(&module, &name, Val::Unknown(why.clone()));
                        return Ok(());
                    }
                }
                return r.inspect_err(|why| self.lose_root(base, why));
            }
            // `d.pop(k)`, `E["a"].pop("x")`: a dict or list of a local variable, or
            // reached from a variable
            if m == "pop"
                && base.as_name().is_none_or(|n| self.env.contains_key(n))
                && self.is_place(base)
            {
                return self
                    .pop(c)
                    .map(|_| ())
                    .ok_or_else(|| format!("{}.pop(...)", base.describe()));
            }
            if let Some(var) = base.as_name()
                && let Some(v) = self.env.get(var)
            {
                match (m.as_str(), v) {
                    // a framework value, or a value not known (an entry's
                    // parameter): the framework may know the method
                    // (`app.register_blueprint(bp)`)
                    (_, v @ (Val::Host(_) | Val::Unknown(_) | Val::Expr(_))) => {
                        let v = v.clone();
                        if self.host_method(&v, m, c).is_some()
                            || m == "register"
                            || matches!(v, Val::Unknown(_)) && self.changes_nothing_known(c)
                        {
                            return Ok(());
                        }
                        return Err(format!("{var}.{m}(...)"));
                    }
                    // a method of an object or a module: called like any function
                    (_, Val::Instance(_) | Val::Module(_) | Val::Class(_)) => {}
                    ("register", _) => return Ok(()),
                    _ => return Err(format!("{var}.{m}(...)")),
                }
            }
        }
        if let Expr::Name(n) = &c.func
            && let Some(Val::Func(f)) = self.env.get(n.as_str())
            && f.frame.is_some()
            && f.frame == self.ev.current_frame()
        {
            let f = f.clone();
            self.call_own_closure(&f, c);
            return Ok(());
        }
        self.call(c);
        Ok(())
    }

    /// Whether a method of an object not known (`logger.debug(f"... {name}")`, the logger
    /// from a library call) can change nothing this interpreter knows: it reaches only
    /// the object itself and its arguments, and none of them holds known state (a list, a
    /// dict, an instance, a framework value), and they make no call of their own (a call in
    /// them, `pending.pop()`, may change what is known).
    fn changes_nothing_known(&self, c: &Call) -> bool {
        fn inert(v: &Val) -> bool {
            match v {
                Val::Str(_)
                | Val::Int(_)
                | Val::Bool(_)
                | Val::None
                | Val::Unknown(_)
                | Val::Module(_)
                | Val::Class(_)
                | Val::Func(_)
                | Val::Expr(_) => true,
                Val::Tuple(items) => items.iter().all(inert),
                Val::List(_) | Val::Dict(_) | Val::Instance(_) | Val::Host(_) | Val::Super(_) => {
                    false
                }
            }
        }
        let args = c.args.iter().chain(c.kwargs.iter().map(|(_, e)| e));
        let args: Vec<&Expr> = args.chain(c.kwargs_splat.as_deref()).collect();
        let mut calls = Vec::new();
        args.iter().for_each(|a| a.walk_calls(&mut calls));
        calls.is_empty() && args.into_iter().all(|a| inert(&self.eval(a)))
    }

    /// A function defined in the running function, called there: its
    /// enclosing names are this function's variables, read as they are now
    /// (a name assigned after the definition too), and a list it appends to
    /// is this function's list afterwards.
    fn call_own_closure(&mut self, f: &Rc<Closure>, c: &Call) {
        let shared: Vec<String> = f
            .captured
            .borrow()
            .keys()
            .filter(|k| !f.own.contains(*k) && self.env.contains_key(*k))
            .cloned()
            .collect();
        {
            let mut captured = f.captured.borrow_mut();
            for k in &shared {
                captured.insert(k.clone(), self.env[k].clone());
            }
        }
        self.call(c);
        let captured = f.captured.borrow();
        for k in shared {
            if let Some(v) = captured.get(&k) {
                self.env.insert(k, v.clone());
            }
        }
    }

    /// A `try` block: an `ImportError` raised in its body (`import_module` of
    /// a missing module) runs the first `except` handler instead of `else`.
    pub(super) fn exec_try(&mut self, b: &[Stmt]) -> Flow {
        let Some(Stmt::Block(body)) = b.first() else {
            return Flow::Next;
        };
        let mut raised = match self.exec(body) {
            Flow::Next => None,
            Flow::Abort(why) if raised(&why).is_some() => Some(why),
            // `else` and `finally` would run on the paths that fall through
            Flow::MaybeReturn(_) => return Flow::Abort(MAYBE_RETURNED.into()),
            f => return f,
        };
        let failed = raised.is_some();
        for alt in &b[1..] {
            let Stmt::Block(ab) = alt else { continue };
            let f = match ab.first() {
                Some(Stmt::Guard(Some(Expr::Other(t)))) if is_except(t) => {
                    match raised.as_deref().map(|why| catches(t, why)) {
                        Some(Some(true)) => {
                            raised = None;
                            self.exec(&ab[1..])
                        }
                        // a class of the project or a library, or an alias:
                        // whether it catches is not known
                        Some(None) => return Flow::Abort(format!("{t}: may catch it")),
                        _ => Flow::Next,
                    }
                }
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

    /// `place.pop(key[, default])` on a known dict, `place.pop([index])` on a known
    /// list, where the place is a variable or reached from one (`meta["include"]`).
    pub(super) fn pop(&mut self, c: &Call) -> Option<Val> {
        let Expr::Attr(base, _) = &c.func else {
            return None;
        };
        // a list or dict no name holds (`name.rsplit(".", 1).pop()`): popped from the value
        if !self.is_place(base) {
            return match self.eval(base) {
                mut v @ (Val::List(_) | Val::Dict(_)) => {
                    let args: Vec<Val> = c.args.iter().map(|a| self.eval(a)).collect();
                    pop_from(&mut v, &args)
                }
                _ => None,
            };
        }
        if self.instance_at(base).is_some() {
            return None;
        }
        let args: Vec<Val> = c.args.iter().map(|a| self.eval(a)).collect();
        let mut popped = None;
        self.with_place(base, &mut |v| {
            popped = pop_from(v, &args);
            popped.is_some()
        });
        popped
    }

    /// An `if` whose condition is not known: each branch runs on its own copy
    /// of the names. After it, the names are those of the branches that fall
    /// through, unknown where they differ; an instance either branch changed is
    /// in a state no longer known, and so is a class attribute either assigned;
    /// what a branch returns is returned on some
    /// paths only (`MaybeReturn`) unless every branch returns.
    fn exec_either(&mut self, b: &[Stmt], why: &str) -> Flow {
        let mark = self.ev.mark();
        let yielded = self.ev.yielded();
        let class_writes = self.ev.class_writes.borrow().clone();
        let before = self.env.clone();
        let then = self.exec(b.get(1).map(std::slice::from_ref).unwrap_or(&[]));
        let then_env = std::mem::replace(self.env, before);
        let mut other = Flow::Next;
        for alt in b.iter().skip(2) {
            if let Stmt::Block(ab) = alt
                && let Some(f) = self.exec_if(ab)
            {
                other = f;
                break;
            }
        }
        if self.ev.mark() > mark {
            self.ev.lose_since(mark, &[], why);
        }
        self.ev.yields_unsure_since(yielded, why);
        // an attribute a branch assigned on a class is not known after
        for (key, v) in self.ev.class_writes.borrow_mut().iter_mut() {
            if !class_writes.get(key).is_some_and(|w| same_val(v, w)) {
                *v = Val::Unknown(why.to_string());
            }
        }
        // (what the branch returns, whether it may fall through)
        let outcome = |f: Flow| match f {
            Flow::Next => Ok((None, true)),
            Flow::Return(v) => Ok((Some(v), false)),
            Flow::MaybeReturn(v) => Ok((Some(v), true)),
            Flow::Abort(w) => Err(w),
            Flow::Break | Flow::Continue => Err(why.to_string()),
        };
        let ((r1, falls1), (r2, falls2)) = match (outcome(then), outcome(other)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(w), _) | (_, Err(w)) => return Flow::Abort(w),
        };
        *self.env = match (falls1, falls2) {
            (true, true) => join_envs(then_env, self.env, why),
            (true, false) => then_env,
            _ => std::mem::take(self.env),
        };
        let returned = match (r1, r2) {
            (Some(a), Some(b)) => Some(join_returns(a, b, why)),
            (a, b) => a.or(b),
        };
        match (returned, falls1 || falls2) {
            (None, _) => Flow::Next,
            (Some(v), true) => Flow::MaybeReturn(v),
            (Some(v), false) => Flow::Return(v),
        }
    }

    /// An `if` block `[Guard(test), Block(then), elif/else blocks...]`:
    /// `None` when no branch is taken.
    pub(super) fn exec_if(&mut self, b: &[Stmt]) -> Option<Flow> {
        let Some(Stmt::Guard(test)) = b.first() else {
            return Some(self.exec(b));
        };
        let taken = match test {
            None => Some(true),
            Some(Expr::Other(t)) if is_except(t) => Some(false),
            // `if kwargs.pop("flag", True):` removes the key as it tests it
            Some(Expr::Call(c))
                if c.func.last_name() == Some("pop")
                    && let Some(v) = self.pop(c) =>
            {
                self.truth(&v)
            }
            Some(t) => match self.eval(t) {
                // the test raised: the `if` is left with the exception
                Val::Unknown(why) if raised(&why).is_some() => return Some(Flow::Abort(why)),
                v => self.truth(&v),
            },
        };
        // in a function, a test that decides records what it kept from running (an
        // `except` clause's is not a test: whether it runs is the `try`'s to say)
        if !matches!(test, Some(Expr::Other(_))) && self.ev.current_frame().is_some() {
            let (bodies, _) = if_branches(b);
            match taken {
                None => bodies.iter().for_each(|body| self.took(body)),
                Some(true) => {
                    self.took(bodies[0]);
                    bodies[1..].iter().for_each(|body| self.passed(body));
                }
                Some(false) => self.passed(bodies[0]),
            }
        }
        if taken.is_none() && !matches!(test, Some(Expr::Other(_))) {
            self.ev.unknown_test();
        }
        match taken {
            None => Some(self.exec_unknown(
                b,
                format!(
                    "condition {}",
                    test.as_ref().map(|t| t.describe()).unwrap_or_default()
                ),
            )),
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

    /// An `if` (or `while`) block whose test is not known (`why`), in a function. Start-up
    /// code: every branch may run, for its effects, each from the names as they were before
    /// the block; otherwise each on its own copy (see `exec_either`), or not at all inside an
    /// iteration of independent items.
    fn exec_unknown(&mut self, b: &[Stmt], why: String) -> Flow {
        if self.ev.host.lenient() {
            self.join_branches(b, |cx, body| match cx.exec(body) {
                Flow::Abort(why) if why == BUDGET => Some(Flow::Abort(why)),
                _ => None,
            })
        } else if self.ev.independent.get() > 0 {
            Flow::Abort(why)
        } else {
            self.exec_either(b, &why)
        }
    }

    /// Records the branches of the `if` block `b` other than `taken` as not run:
    /// a module's top level runs once (a function's body may run again with
    /// other arguments, so its branches are not recorded).
    fn exclude_branches(&self, b: &[Stmt], taken: Option<&[Stmt]>) {
        for body in if_branches(b).0 {
            if taken.is_none_or(|t| !std::ptr::eq(t, body)) {
                self.exclude(body);
            }
        }
    }

    /// Records that `body` (a branch, or the statements after an `if` that
    /// returned) ran on this call.
    fn took(&self, body: &[Stmt]) {
        if let Some(first) = body.first() {
            self.ev.taken.borrow_mut().insert(first);
        }
    }

    /// Records that `body` did not run on this call, with the calls and
    /// decorators written in it: they are excluded unless another call runs it.
    fn passed(&self, body: &[Stmt]) {
        let Some(first) = body.first() else { return };
        let key: *const Stmt = first;
        let Some(func) = self.ev.frames.borrow().last().and_then(|f| f.func.clone()) else {
            return;
        };
        if !self.ev.not_taken.borrow().contains_key(&key) {
            let calls = self.calls_in(body);
            self.ev
                .not_taken
                .borrow_mut()
                .insert(key, (func.0, func.1, calls));
        }
    }

    /// Records the calls and decorators written in `body` as not run.
    fn exclude(&self, body: &[Stmt]) {
        let calls = self.calls_in(body);
        self.ev.excluded.borrow_mut().extend(calls);
    }

    /// The calls and decorators written in `body`, as (file, line).
    fn calls_in(&self, body: &[Stmt]) -> Vec<(String, u32)> {
        let mut calls = Vec::new();
        crate::python::ir::walk_stmts(body, |s, _| {
            calls.extend(s.calls());
            let decorators = match s {
                Stmt::Func(f) => &f.decorators,
                Stmt::Class(c) => &c.decorators,
                _ => return,
            };
            for d in decorators.iter() {
                d.walk_calls(&mut calls);
            }
        });
        let path = &self.m.path;
        calls.iter().map(|c| (path.clone(), c.pos.line)).collect()
    }
}

/// Why a function is not followed when a value it returns on some paths only
/// meets a `break`, `continue` or `try` (not modelled).
const MAYBE_RETURNED: &str = "a return under a condition not known";

/// What one of two paths returned, when the other one returned something else
/// (or nothing yet).
fn join_maybe(earlier: Option<Val>, v: Val) -> Val {
    match earlier {
        Some(e) => join_returns(e, v, MAYBE_RETURNED),
        None => v,
    }
}

/// The value two paths return: theirs when it is the same, else unknown.
pub(super) fn join_returns(a: Val, b: Val, why: &str) -> Val {
    if same_val(&a, &b) {
        a
    } else {
        Val::Unknown(format!("returns differ: {why}"))
    }
}

/// A name the branches of an unknown condition leave with different values.
fn join_envs(a: Env, b: &Env, why: &str) -> Env {
    let mut out = Env::default();
    for (k, v) in a {
        let same = b.get(&k).is_some_and(|w| same_val(&v, w));
        out.insert(
            k,
            if same {
                v
            } else {
                Val::Unknown(why.to_string())
            },
        );
    }
    for k in b.keys() {
        out.entry(k.clone())
            .or_insert_with(|| Val::Unknown(why.to_string()));
    }
    out
}

/// The bodies of an `if` block's branches in order (an `elif`'s own
/// branches inside its body), and whether it has an `else`.
fn if_branches(b: &[Stmt]) -> (Vec<&[Stmt]>, bool) {
    let mut has_else = false;
    let bodies = b
        .iter()
        .skip(1)
        .map(|branch| match branch {
            Stmt::Block(ab) if matches!(ab.first(), Some(Stmt::Guard(_))) => {
                has_else |= matches!(ab.first(), Some(Stmt::Guard(None)));
                &ab[1..]
            }
            other => std::slice::from_ref(other),
        })
        .collect();
    (bodies, has_else)
}

/// Why a `while` loop's effects are not known: it ran too many passes, or a pass met a test
/// not known with a `break` or `return` in its body (`while True:` until something not read).
const WHILE_END: &str = "the end of a while loop";

/// Whether statements hold a `break`, `return` or `raise` of their own (not one of a nested
/// function or class, nor a `break` of a nested loop, which leave that loop only).
fn exits_in(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Exit(kind) => kind != "continue",
        Stmt::Return(..) => true,
        Stmt::Block(b) if !matches!(b.first(), Some(Stmt::While(_))) => exits_in(b),
        Stmt::Block(b) | Stmt::For { body: b, .. } => returns_in(b),
        _ => false,
    })
}

/// A `while` block's body and its `else` (empty without one).
fn while_parts(b: &[Stmt]) -> (&[Stmt], &[Stmt]) {
    let part = |i: usize| match b.get(i) {
        Some(Stmt::Block(ab)) if matches!(ab.first(), Some(Stmt::Guard(None))) => &ab[1..],
        Some(Stmt::Block(ab)) => &ab[..],
        _ => &[],
    };
    (part(1), part(2))
}

/// The names after the branches of an `if` in start-up code, each run from
/// the same names (`ends`, in order, the last being the path through no
/// branch when there is no `else`). A value the branches leave different is
/// not known (a URL prefix, or a list of them, chosen by an environment
/// variable is not either branch's), except objects and dicts, which are the
/// last branch's: routes are claimed on an app whichever branch made it, and
/// a registry or cache filled under a condition (`if cached is None:
/// cache[k] = make(k)`) keeps its entries. A value kept as its expression
/// (a call the run could not follow) differs from plain data; two such are
/// the last branch's (`view = cache.get(k)` / `view = V.as_view(k)`).
fn join_lenient(ends: Vec<Env>, why: &str) -> Env {
    let plain = |v: &Val| {
        matches!(
            v,
            Val::Str(_)
                | Val::Int(_)
                | Val::Bool(_)
                | Val::None
                | Val::List(_)
                | Val::Tuple(_)
                | Val::Class(_)
                | Val::Func(_)
                | Val::Unknown(_)
        )
    };
    let data = |w: &Val, v: &Val| {
        (plain(w) || matches!(w, Val::Expr(_)))
            && (plain(v) || matches!(v, Val::Expr(_)))
            && !(matches!(w, Val::Expr(_)) && matches!(v, Val::Expr(_)))
    };
    let mut ends = ends.into_iter().rev();
    let Some(mut out) = ends.next() else {
        return Env::default();
    };
    for other in ends {
        for (k, v) in other {
            match out.get_mut(&k) {
                Some(w) if data(w, &v) && !same_val(w, &v) => *w = Val::Unknown(why.to_string()),
                Some(_) => {}
                None => {
                    out.insert(k, v);
                }
            }
        }
    }
    out
}

/// The names the statements of `b` (not those of functions defined there) assign.
fn rebound_names(b: &[Stmt]) -> std::collections::BTreeSet<String> {
    let mut names = Vec::new();
    crate::python::ir::walk_stmts(b, |s, scope| {
        if let Stmt::Assign { targets, .. } = s
            && scope.is_empty()
        {
            targets.iter().for_each(|t| bound_names(t, &mut names));
        }
    });
    names.into_iter().collect()
}

/// Whether two values are the same value (not merely equal under `==`).
fn same_val(a: &Val, b: &Val) -> bool {
    let all =
        |x: &[Val], y: &[Val]| x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_val(p, q));
    match (a, b) {
        (Val::Str(x), Val::Str(y))
        | (Val::Module(x), Val::Module(y))
        | (Val::Class(x), Val::Class(y)) => x == y,
        (Val::Int(x), Val::Int(y)) => x == y,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::None, Val::None) => true,
        (Val::List(x), Val::List(y)) | (Val::Tuple(x), Val::Tuple(y)) => all(x, y),
        (Val::Dict(x), Val::Dict(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| same_val(k1, k2) && same_val(v1, v2))
        }
        (Val::Instance(x), Val::Instance(y)) => Rc::ptr_eq(x, y),
        (Val::Host(x), Val::Host(y)) => Rc::ptr_eq(x, y),
        (Val::Func(x), Val::Func(y)) => Rc::ptr_eq(x, y),
        (Val::Expr(x), Val::Expr(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// The names a function binds itself: its parameters and what its own body
/// assigns, defines or imports (not those of functions nested in it).
pub(super) fn own_names(fd: &crate::python::ir::FuncDef) -> Vec<String> {
    let mut names: Vec<String> = fd.params.iter().map(|p| p.to_string()).collect();
    crate::python::ir::walk_stmts(&fd.body, |s, scope| {
        if !scope.is_empty() {
            return;
        }
        match s {
            Stmt::Assign { targets, .. } => targets.iter().for_each(|t| bound_names(t, &mut names)),
            Stmt::AugAssign { target, .. } | Stmt::For { target, .. } => {
                bound_names(target, &mut names)
            }
            Stmt::Func(d) => names.push(d.name.to_string()),
            Stmt::Class(c) => names.push(c.name.to_string()),
            Stmt::Import(import, _) => names.extend(import.names().filter_map(|n| match n {
                ImportName::Module { alias: Some(a), .. }
                | ImportName::From { alias: Some(a), .. } => Some(a.to_string()),
                ImportName::Module { path, .. } => path.split('.').next().map(String::from),
                ImportName::From { name: "*", .. } => None,
                ImportName::From { name, .. } => Some(name.to_string()),
            })),
            _ => {}
        }
    });
    names
}

/// The key under which a module's globals keep the files run in them (`run_file_here`): no
/// Python name can clash with it.
const FILES_RUN_HERE: &str = "<files run here>";

/// Whether the statement itself (not one nested in it) binds `name` to a new object.
fn binds(s: &Stmt, name: &str) -> bool {
    let mut names = Vec::new();
    match s {
        Stmt::Assign { targets, .. } => targets.iter().for_each(|t| bound_names(t, &mut names)),
        Stmt::For { target, .. } => bound_names(target, &mut names),
        Stmt::Func(f) => return &*f.name == name,
        Stmt::Class(c) => return &*c.name == name,
        _ => {}
    }
    names.iter().any(|n| n == name)
}

/// The names an assignment target binds (`a`, `a, (b, c)`).
fn bound_names(t: &Expr, out: &mut Vec<String>) {
    match t {
        Expr::Name(n) => out.push(n.to_string()),
        Expr::Tuple(v) | Expr::List(v) => v.iter().for_each(|x| bound_names(x, out)),
        Expr::Starred(x) => bound_names(x, out),
        _ => {}
    }
}

/// Every name a top-level statement may bind or change in its module's
/// globals: each name it mentions (targets, receivers of methods that
/// change them in place, and more), and a decorated function's own name;
/// `None` for a wildcard import, which may bind any.
fn written_names(stmt: &Stmt) -> Option<Vec<&str>> {
    fn walk<'a>(stmt: &'a Stmt, out: &mut Vec<&'a str>) -> bool {
        let mut exprs: Vec<&Expr> = Vec::new();
        match stmt {
            Stmt::Import(import, _) => {
                return !import
                    .names()
                    .any(|n| matches!(n, ImportName::From { name: "*", .. }));
            }
            Stmt::Assign { targets, value, .. } => {
                exprs.extend(targets.iter());
                exprs.extend(value.iter());
            }
            Stmt::AugAssign { target, value, .. } => exprs.extend([target, &**value]),
            Stmt::Expr(e, _) | Stmt::Return(Some(e), _) => exprs.push(e),
            Stmt::Yield { value: Some(e), .. } | Stmt::Guard(Some(e)) => exprs.push(e),
            Stmt::For {
                target, iter, body, ..
            } => {
                exprs.extend([target, &**iter]);
                if !body.iter().all(|s| walk(s, out)) {
                    return false;
                }
            }
            Stmt::Block(b) if !b.iter().all(|s| walk(s, out)) => return false,
            Stmt::Func(f) => out.push(&f.name),
            _ => {}
        }
        for e in exprs {
            e.walk_names(out);
        }
        true
    }
    let mut out = Vec::new();
    walk(stmt, &mut out).then_some(out)
}

/// Whether the handler `except T1, T2` (`t`, as the IR keeps it) catches the
/// exception `why` stands for: a bare `except` does, and one naming the
/// exception's class or a base of it; one naming only other built-in
/// exceptions does not; otherwise (a name that may be an alias) not known.
fn catches(t: &str, why: &str) -> Option<bool> {
    catches_any(t, raised(why)?)
}

/// Whether importing `module` raises `ImportError`: `Some(true)` when it is missing from a
/// scanned package, `Some(false)` when it is scanned, `None` when neither (a library that
/// may be installed).
pub fn missing_module(project: &crate::python::Project, module: &str) -> Option<bool> {
    let top = module.split('.').next().unwrap_or(module);
    match (
        project.module(module).is_some(),
        project.module(top).is_some(),
    ) {
        (true, _) => Some(false),
        (false, true) => Some(true),
        (false, false) => None,
    }
}

/// Whether the handler `t` (`except (ImportError, KeyError)`) surely catches an `ImportError`.
pub fn catches_import_error(t: &str) -> bool {
    catches_any(t, IMPORT_ERROR_CLASSES) == Some(true)
}

/// Whether the handler `t` catches an exception that `classes` catch (see `catches`).
fn catches_any(t: &str, classes: &[&str]) -> Option<bool> {
    let names: Vec<&str> = t.split_whitespace().skip(1).collect();
    if names.is_empty() || names.iter().any(|n| classes.contains(n)) {
        return Some(true);
    }
    names
        .iter()
        .all(|n| BUILTIN_EXCEPTIONS.contains(n))
        .then_some(false)
}

/// Python's built-in exception classes a handler may name (a name not here
/// may be bound to any of them).
const BUILTIN_EXCEPTIONS: &[&str] = &[
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "ConnectionError",
    "DeprecationWarning",
    "EOFError",
    "EnvironmentError",
    "Exception",
    "FileExistsError",
    "FileNotFoundError",
    "IOError",
    "ImportError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "NotADirectoryError",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PermissionError",
    "RecursionError",
    "ReferenceError",
    "RuntimeError",
    "StopIteration",
    "SyntaxError",
    "SystemError",
    "SystemExit",
    "TimeoutError",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UserWarning",
    "ValueError",
    "Warning",
    "ZeroDivisionError",
];

/// Whether statements hold a `return` of their own (not one of a function
/// or class defined in them).
fn returns_in(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Return(..) => true,
        Stmt::Block(b) => returns_in(b),
        Stmt::For { body, .. } => returns_in(body),
        _ => false,
    })
}

/// What `v.pop(*args)` returns, `v` changed as Python changes it; `None` when
/// that is not known (a key not comparable, a missing one without a default).
fn pop_from(v: &mut Val, args: &[Val]) -> Option<Val> {
    match v {
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
            Some(Val::Int(i)) if *i >= 0 && (*i as usize) < v.len() => Some(v.remove(*i as usize)),
            _ => None,
        },
        _ => None,
    }
}
