//! Scope-aware traversal: statements with their qualname, function locals and
//! loop-variable bindings, so `app` inside `create_app()` and `bp` inside
//! `for bp in (a, b):` resolve to the objects they denote.

use super::SourceModule;
use super::ir::{Call, Expr, FPart, FuncDef, Param, Stmt, Text};
use super::resolve::Resolver;
use rustc_hash::FxHashMap as HashMap;

pub struct Scope<'a> {
    pub module: &'a SourceModule,
    /// Python qualname parts of the enclosing definitions (`create_app`, `<locals>`).
    pub qual: Vec<Text>,
    pub in_function: bool,
    /// Names bound in the enclosing functions.
    pub locals: HashMap<Text, Local>,
    /// Loop variables bound to the literal element of the current iteration,
    /// and an inlined helper's parameters bound to its caller's arguments.
    pub subst: HashMap<String, Expr>,
    /// Parameters of the enclosing function.
    pub params: Box<[Text]>,
    /// Helper functions being inlined here (outermost first); empty in a plain walk.
    pub inlined: Vec<String>,
}

/// What a function's local name is bound to.
#[derive(Clone)]
pub enum Local {
    /// An object assigned there: its id is the name under the first `n`
    /// parts of the qualname (computed when asked, as few ever are).
    Assigned(usize),
    /// An import inside the function: the canonical id.
    Imported(String),
}

impl<'a> Scope<'a> {
    pub fn module_scope(module: &'a SourceModule) -> Self {
        Scope {
            module,
            qual: Vec::new(),
            in_function: false,
            locals: HashMap::default(),
            subst: HashMap::default(),
            params: Box::default(),
            inlined: Vec::new(),
        }
    }

    /// `e`, or what a loop variable / inlined parameter named by `e` is bound to.
    pub fn expand<'e>(&'e self, e: &'e Expr) -> &'e Expr {
        let mut cur = e;
        for _ in 0..8 {
            match cur.as_name().and_then(|n| self.subst.get(n)) {
                Some(v) => cur = v,
                None => break,
            }
        }
        cur
    }

    /// Whether `e` is a bare parameter of the enclosing function, unbound here:
    /// a value only a caller knows.
    pub fn is_unbound_param(&self, e: &Expr) -> bool {
        matches!(e, Expr::Name(n) if self.params.contains(n) && !self.subst.contains_key(n.as_str()))
    }

    /// Whether `e` (through the names this scope binds) depends on a
    /// parameter of the enclosing function left unbound here:
    /// `view.as_view(name)` in a helper walked on its own.
    pub fn uses_unbound_param(&self, e: &Expr) -> bool {
        let mut stack = vec![self.expand(e)];
        let mut seen = 0;
        while let Some(e) = stack.pop() {
            seen += 1;
            if seen > 64 {
                break;
            }
            match e {
                Expr::Name(_) if self.is_unbound_param(e) => return true,
                Expr::Name(_) => {
                    let x = self.expand(e);
                    if !std::ptr::eq(x, e) {
                        stack.push(x);
                    }
                }
                Expr::Attr(base, _) => stack.push(base),
                Expr::Call(c) => {
                    stack.push(&c.func);
                    stack.extend(c.args.iter());
                    stack.extend(c.kwargs.iter().map(|(_, v)| v));
                }
                _ => {}
            }
        }
        false
    }

    /// Rewrites names in `e` to their canonical ids, so the expression keeps
    /// its meaning when evaluated in another function's scope.
    pub fn pre_resolve(&self, resolver: &Resolver, e: &Expr, depth: usize) -> Expr {
        map_names(
            e,
            &|n| match self.subst.get(n.as_str()) {
                Some(bound) => Some(bound.clone()),
                None => self
                    .resolve(resolver, &Expr::Name(n.clone()))
                    .map(|id| Expr::Resolved(id.into())),
            },
            depth,
        )
    }

    /// The qualname a definition named `name` gets in this scope.
    pub fn qualname(&self, name: &str) -> String {
        self.qualname_at(self.qual.len(), name)
    }

    /// The qualname of `name` under the first `depth` parts of this scope's.
    fn qualname_at(&self, depth: usize, name: &str) -> String {
        let mut q = String::new();
        for part in &self.qual[..depth.min(self.qual.len())] {
            q.push_str(part);
            q.push('.');
        }
        q.push_str(name);
        q
    }

    /// The id of an object assigned to `name` in this scope.
    pub fn object_id(&self, name: &str) -> String {
        self.object_id_at(self.qual.len(), name)
    }

    /// The id of an object assigned to `name` under the first `depth` parts
    /// of this scope's qualname.
    fn object_id_at(&self, depth: usize, name: &str) -> String {
        format!("{}.{}", self.module.module, self.qualname_at(depth, name))
    }

    /// The canonical id an expression denotes, or `None` when it is a value
    /// that static analysis cannot name (a parameter, a call result).
    pub fn resolve(&self, resolver: &Resolver, expr: &Expr) -> Option<String> {
        self.resolve_depth(resolver, expr, 0)
    }

    fn resolve_depth(&self, resolver: &Resolver, expr: &Expr, depth: usize) -> Option<String> {
        if depth > 16 {
            return None;
        }
        match expr {
            Expr::Resolved(id) => Some(id.to_string()),
            Expr::Name(n) => {
                if let Some(e) = self.subst.get(n.as_str()) {
                    return self.resolve_depth(resolver, e, depth + 1);
                }
                match self.locals.get(n) {
                    Some(Local::Assigned(depth)) => return Some(self.object_id_at(*depth, n)),
                    Some(Local::Imported(id)) => return Some(id.clone()),
                    None => {}
                }
                if self.in_function && !resolver.is_bound(&self.module.module, n) {
                    return None;
                }
                resolver
                    .is_bound(&self.module.module, n)
                    .then(|| resolver.resolve(&self.module.module, n))
            }
            Expr::Attr(base, attr) => self
                .resolve_depth(resolver, base, depth + 1)
                .map(|b| resolver.canonical(&format!("{b}.{attr}"))),
            _ => None,
        }
    }
}

/// Literal elements a `for` loop iterates over, if knowable: a list/tuple
/// literal, or a name bound at module level to one.
fn loop_items<'e>(
    scope: &Scope,
    resolver: &Resolver,
    values: &'e ModuleValues,
    iter: &'e Expr,
) -> Option<Vec<Expr>> {
    if let Some(v) = iter.elements() {
        return Some(v.to_vec());
    }
    if let Some(v) = iter
        .as_name()
        .and_then(|n| scope.subst.get(n))
        .and_then(|e| e.elements())
    {
        return Some(v.to_vec());
    }
    let id = scope.resolve(resolver, iter)?;
    let (module, value) = values.get(&id)?;
    let items = value.elements()?;
    if *module == scope.module.module {
        return Some(items.to_vec());
    }
    // A list defined in another module: its names mean what they mean there.
    Some(
        items
            .iter()
            .map(|e| names_resolved_in(resolver, module, e))
            .collect(),
    )
}

/// `e` with the names bound at module level in `module` replaced by what they
/// denote, so it keeps its meaning in another module's scope.
fn names_resolved_in(resolver: &Resolver, module: &str, e: &Expr) -> Expr {
    let bound = |n: &Text| {
        resolver
            .is_bound(module, n)
            .then(|| Expr::Resolved(resolver.resolve(module, n).into()))
    };
    map_names(e, &bound, 0)
}

/// `e` rebuilt with every name `name` gives a replacement for replaced;
/// attributes are kept (`View.as_view(...)` must stay recognisable).
fn map_names(e: &Expr, name: &dyn Fn(&Text) -> Option<Expr>, depth: usize) -> Expr {
    if depth > 16 {
        return e.clone();
    }
    let r = |x: &Expr| map_names(x, name, depth + 1);
    match e {
        Expr::Name(n) => name(n).unwrap_or_else(|| e.clone()),
        Expr::Attr(base, attr) => Expr::Attr(Box::new(r(base)), attr.clone()),
        Expr::Call(c) => Expr::Call(Box::new(Call {
            func: r(&c.func),
            args: c.args.iter().map(r).collect(),
            kwargs: c.kwargs.iter().map(|(k, v)| (k.clone(), r(v))).collect(),
            kwargs_splat: c.kwargs_splat.as_ref().map(|e| Box::new(r(e))),
            pos: c.pos,
        })),
        Expr::List(v) => Expr::List(v.iter().map(r).collect()),
        Expr::Tuple(v) => Expr::Tuple(v.iter().map(r).collect()),
        Expr::BinOp(a, op, b) => Expr::BinOp(Box::new(r(a)), *op, Box::new(r(b))),
        other => other.clone(),
    }
}

/// Module-level (and class-level) simple assignments: id -> (module, value).
/// Every module's are kept for the whole scan, so the ids share one buffer
/// and the entries are a sorted array (a hash map of `String`s cost twice as much).
pub struct ModuleValues<'a> {
    ids: String,
    /// (start, end) of the id in `ids`, and the value; sorted by id.
    entries: Vec<ValueEntry<'a>>,
}

type ValueEntry<'a> = (u32, u32, (&'a str, &'a Expr));

/// The id of `entry` in the shared buffer `ids`.
fn entry_id<'s>(ids: &'s str, (start, end, _): &ValueEntry) -> &'s str {
    &ids[*start as usize..*end as usize]
}

impl<'a> ModuleValues<'a> {
    pub fn get(&self, id: &str) -> Option<&(&'a str, &'a Expr)> {
        self.entries
            .binary_search_by(|e| entry_id(&self.ids, e).cmp(id))
            .ok()
            .map(|i| &self.entries[i].2)
    }

    /// Every value, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &(&'a str, &'a Expr))> {
        self.entries.iter().map(|e| (entry_id(&self.ids, e), &e.2))
    }

    /// What a chain of module-level aliases finally names: `my_task =
    /// shared_task` makes `pkg.my_task` mean `celery.shared_task`, and
    /// `Model = db.Model` makes `pkg.Model` mean `pkg.db.Model`.
    pub fn follow_aliases(&self, resolver: &Resolver, mut id: String) -> String {
        for _ in 0..8 {
            let Some((module, value @ (Expr::Name(_) | Expr::Attr(..)))) = self.get(&id) else {
                break;
            };
            let Some(next) = value.dotted().map(|d| resolver.resolve(module, &d)) else {
                break;
            };
            if next == id {
                break;
            }
            id = next;
        }
        id
    }
}

pub fn module_values(files: &[SourceModule]) -> ModuleValues<'_> {
    let mut ids = String::new();
    let mut entries = Vec::new();
    for f in files {
        let mut stack: Vec<(&[Stmt], String)> = vec![(&f.body, f.module.clone())];
        while let Some((body, prefix)) = stack.pop() {
            for s in body {
                match s {
                    Stmt::Assign {
                        targets,
                        value: Some(v),
                        ..
                    } => {
                        for t in targets {
                            if let Expr::Name(n) = t {
                                let start = ids.len() as u32;
                                ids.push_str(&prefix);
                                ids.push('.');
                                ids.push_str(n);
                                entries.push((start, ids.len() as u32, (f.module.as_str(), v)));
                            }
                        }
                    }
                    // `if TYPE_CHECKING: ... else: ...`: only the other branches run.
                    Stmt::Block(b) => match &b[..] {
                        [Stmt::Guard(Some(t)), _, rest @ ..]
                            if t.last_name() == Some("TYPE_CHECKING") =>
                        {
                            stack.push((rest, prefix.clone()))
                        }
                        _ => stack.push((b, prefix.clone())),
                    },
                    Stmt::Class(c) => stack.push((&c.body, format!("{prefix}.{}", c.name))),
                    _ => {}
                }
            }
        }
    }
    // The last assignment to an id wins: a stable sort keeps them in order.
    entries.sort_by(|a, b| entry_id(&ids, a).cmp(entry_id(&ids, b)));
    entries.dedup_by(|later, earlier| {
        let same = entry_id(&ids, later) == entry_id(&ids, earlier);
        if same {
            *earlier = *later;
        }
        same
    });
    entries.shrink_to_fit();
    ids.shrink_to_fit();
    ModuleValues { ids, entries }
}

/// Module-level helper functions a walk may inline at their call sites.
pub struct Inliner<'a> {
    /// function id -> (module, definition)
    funcs: HashMap<String, (&'a SourceModule, &'a FuncDef)>,
}

/// How deep helper calls are followed (a helper calling a helper calling one).
const MAX_INLINE: usize = 3;

impl<'a> Inliner<'a> {
    /// Indexes the module-level functions for which `wanted` holds.
    pub fn new(
        files: &[&'a SourceModule],
        wanted: &dyn Fn(&SourceModule, &FuncDef) -> bool,
    ) -> Self {
        let mut funcs = HashMap::default();
        for &f in files {
            for s in &f.body {
                if let Stmt::Func(d) = s
                    && wanted(f, d)
                {
                    funcs.insert(format!("{}.{}", f.module, d.name), (f, &**d));
                }
            }
        }
        Inliner { funcs }
    }
}

struct Walker<'a, 'r> {
    resolver: &'r Resolver,
    values: &'r ModuleValues<'r>,
    inliner: Option<&'r Inliner<'a>>,
}

/// Visits every statement of `module` in source order with its scope.
pub fn walk<'a>(
    module: &'a SourceModule,
    resolver: &Resolver,
    values: &ModuleValues,
    visit: &mut dyn FnMut(&'a Stmt, &Scope<'a>),
) {
    walk_inlining(module, resolver, values, None, visit)
}

/// Like `walk`, and at each call of a helper the inliner knows, also visits
/// the helper's body with its parameters bound to the call's arguments.
pub fn walk_inlining<'a>(
    module: &'a SourceModule,
    resolver: &Resolver,
    values: &ModuleValues,
    inliner: Option<&Inliner<'a>>,
    visit: &mut dyn FnMut(&'a Stmt, &Scope<'a>),
) {
    let w = Walker {
        resolver,
        values,
        inliner,
    };
    let mut scope = Scope::module_scope(module);
    walk_body(&w, &module.body, &mut scope, visit, 0);
}

fn inline_call<'a>(
    w: &Walker<'a, '_>,
    c: &Call,
    scope: &Scope<'a>,
    visit: &mut dyn FnMut(&'a Stmt, &Scope<'a>),
    depth: usize,
) {
    let Some(inliner) = w.inliner else { return };
    if scope.inlined.len() >= MAX_INLINE {
        return;
    }
    let Some(fid) = scope.resolve(w.resolver, &c.func) else {
        return;
    };
    let Some((module, def)) = inliner.funcs.get(&fid) else {
        return;
    };
    if scope.inlined.contains(&fid) {
        return;
    }
    let mut subst = HashMap::default();
    // Positional arguments up to a `*args`, whose length is unknown.
    let positional = c.args.iter().take_while(|a| !matches!(a, Expr::Starred(_)));
    for (p, a) in def.params.iter().zip(positional) {
        subst.insert(p.to_string(), scope.pre_resolve(w.resolver, a, 0));
    }
    for (k, v) in &c.kwargs {
        if def.params.contains(k) {
            subst.insert(k.to_string(), scope.pre_resolve(w.resolver, v, 0));
        }
    }
    // Parameters the call leaves to their defaults (unless `*args`/`**kwargs`
    // may supply them), evaluated where the helper is defined.
    if !c.has_splat() {
        let defining = Scope::module_scope(module);
        for (p, d) in def.params.iter().zip(def.defaults.iter()) {
            if let Some(Param::Default(e)) = d
                && !subst.contains_key(p.as_str())
            {
                subst.insert(p.to_string(), defining.pre_resolve(w.resolver, e, 0));
            }
        }
    }
    let mut inner = Scope {
        module,
        qual: vec![def.name.clone(), "<locals>".into()],
        in_function: true,
        locals: HashMap::default(),
        subst,
        params: def.params.clone(),
        inlined: scope.inlined.iter().cloned().chain([fid]).collect(),
    };
    walk_body(w, &def.body, &mut inner, visit, depth + 1);
}

fn walk_body<'a>(
    w: &Walker<'a, '_>,
    body: &'a [Stmt],
    scope: &mut Scope<'a>,
    visit: &mut dyn FnMut(&'a Stmt, &Scope<'a>),
    depth: usize,
) {
    let (resolver, values) = (w.resolver, w.values);
    if depth > 64 {
        return;
    }
    for stmt in body {
        visit(stmt, scope);
        if let Stmt::Expr(Expr::Call(c), _)
        | Stmt::Assign {
            value: Some(Expr::Call(c)),
            ..
        } = stmt
        {
            inline_call(w, c, scope, visit, depth);
        }
        match stmt {
            Stmt::Assign { targets, value, .. } if scope.in_function => {
                for t in targets {
                    if let Expr::Name(n) = t {
                        // The fallback of an optional import keeps the imported
                        // name: `try: from .kobo import kobo` `except
                        // ImportError: kobo = None`.
                        if matches!(value, Some(Expr::None))
                            && matches!(scope.locals.get(n), Some(Local::Imported(_)))
                        {
                            continue;
                        }
                        scope
                            .locals
                            .insert(n.clone(), Local::Assigned(scope.qual.len()));
                        // What a later use of the name stands for: a view built
                        // here (`v = View.as_view("name")`, also when wrapped
                        // again: `v = login_required(v)`), or the module an
                        // `importlib.import_module(f"pkg.{name}")` names. Any
                        // other value replaces what the name stood for.
                        let bound = match value {
                            Some(v @ Expr::Call(c)) => {
                                let view = builds_view(scope, v)
                                    .then(|| scope.pre_resolve(resolver, v, 0));
                                view.or_else(|| {
                                    imported_module(scope, resolver, values, c)
                                        .map(|m| Expr::Resolved(m.into()))
                                })
                            }
                            _ => None,
                        };
                        match bound {
                            Some(e) => scope.subst.insert(n.to_string(), e),
                            None => scope.subst.remove(n.as_str()),
                        };
                    }
                }
            }
            // `from .views import bp` inside `create_app()` binds a local name.
            Stmt::Import(import, _) if scope.in_function => {
                for n in import.names() {
                    if let Some((local, target)) = super::modules::import_target(scope.module, n) {
                        scope
                            .locals
                            .insert(local.into(), Local::Imported(resolver.canonical(&target)));
                    }
                }
            }
            Stmt::Block(b) => walk_body(w, b, scope, visit, depth + 1),
            Stmt::For {
                target, iter, body, ..
            } => match loop_items(scope, resolver, values, iter) {
                Some(items) => {
                    for item in items {
                        let saved = scope.subst.clone();
                        bind(target, &item, &mut scope.subst);
                        walk_body(w, body, scope, visit, depth + 1);
                        scope.subst = saved;
                    }
                }
                None => walk_body(w, body, scope, visit, depth + 1),
            },
            // A body left empty by elision has nothing to visit: no scope is built for it.
            Stmt::Func(f) if !f.body.is_empty() => {
                let mut inner = Scope {
                    module: scope.module,
                    qual: scope
                        .qual
                        .iter()
                        .cloned()
                        .chain([f.name.clone(), "<locals>".into()])
                        .collect(),
                    in_function: true,
                    locals: scope.locals.clone(),
                    // The function's own parameters shadow outer bindings.
                    subst: scope
                        .subst
                        .iter()
                        .filter(|(k, _)| !f.params.iter().any(|p| p == *k))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    params: f.params.clone(),
                    inlined: scope.inlined.clone(),
                };
                walk_body(w, &f.body, &mut inner, visit, depth + 1);
            }
            Stmt::Class(c) if !c.body.is_empty() => {
                let mut inner = Scope {
                    module: scope.module,
                    qual: scope.qual.iter().cloned().chain([c.name.clone()]).collect(),
                    in_function: scope.in_function,
                    locals: scope.locals.clone(),
                    subst: scope.subst.clone(),
                    params: scope.params.clone(),
                    inlined: scope.inlined.clone(),
                };
                walk_body(w, &c.body, &mut inner, visit, depth + 1);
            }
            _ => {}
        }
    }
}

/// The canonical name a call written in a function `body` of `module`
/// calls, read with that function's own imports.
pub fn callee_in_body(
    resolver: &Resolver,
    module: &SourceModule,
    body: &[Stmt],
    call: &Call,
) -> Option<String> {
    Some(resolve_in_body(
        resolver,
        module,
        body,
        &call.func.dotted()?,
    ))
}

/// Each `return` of a function with what it builds: the callee of the call
/// it returns, directly or through a local (`return Celery(...)`, `c =
/// Celery(...)` ... `return c`), read with the function's own imports;
/// `None` for anything else returned.
pub fn returned_callees<'a>(
    resolver: &'a Resolver,
    module: &'a SourceModule,
    def: &'a FuncDef,
) -> impl Iterator<Item = (&'a Expr, Option<String>)> + 'a {
    def.returned().map(move |e| {
        let call = match e {
            Expr::Name(n) => def.last_call_assigned(n),
            e => e.as_call(),
        };
        (
            e,
            call.and_then(|c| callee_in_body(resolver, module, &def.body, c)),
        )
    })
}

/// Canonical name of a dotted name used in a function `body` of `module`,
/// honouring the imports in that body (`from celery import Celery` inside a
/// factory) before the module's own bindings.
pub fn resolve_in_body(
    resolver: &Resolver,
    module: &SourceModule,
    body: &[Stmt],
    dotted: &str,
) -> String {
    let (head, rest) = dotted
        .split_once('.')
        .map_or((dotted, None), |(h, r)| (h, Some(r)));
    let mut stack = vec![body];
    let mut imported = None;
    while let Some(stmts) = stack.pop() {
        for s in stmts {
            match s {
                Stmt::Import(import, _) => {
                    for n in import.names() {
                        if let Some((local, target)) = super::modules::import_target(module, n)
                            && local == head
                        {
                            imported = Some(target);
                        }
                    }
                }
                Stmt::Block(b) => stack.push(b),
                _ => {}
            }
        }
    }
    match (imported, rest) {
        (Some(t), Some(r)) => resolver.canonical(&format!("{t}.{r}")),
        (Some(t), None) => resolver.canonical(&t),
        (None, _) => resolver.resolve(&module.module, dotted),
    }
}

fn bind(target: &Expr, value: &Expr, subst: &mut HashMap<String, Expr>) {
    match (target, value) {
        (Expr::Name(n), v) => {
            subst.insert(n.to_string(), v.clone());
        }
        (Expr::Tuple(ts), v) => {
            if let Some(vs) = v.elements() {
                for (t, v) in ts.iter().zip(vs) {
                    bind(t, v, subst);
                }
            }
        }
        _ => {}
    }
}

/// Evaluates a string-valued expression statically: literals, `+`
/// concatenation, and names bound to constants anywhere in the project.
/// `Err` carries the reason it could not be evaluated.
pub fn const_str(
    scope: &Scope,
    resolver: &Resolver,
    values: &ModuleValues,
    expr: &Expr,
) -> Result<String, String> {
    const_str_depth(scope, resolver, values, expr, 0)
}

fn const_str_depth(
    scope: &Scope,
    resolver: &Resolver,
    values: &ModuleValues,
    expr: &Expr,
    depth: usize,
) -> Result<String, String> {
    if depth > 12 {
        return Err("constant chain too deep".into());
    }
    match expr {
        Expr::Str(s) => Ok(s.to_string()),
        Expr::DynStr(f) => {
            let t = &f.text;
            let parts = f
                .parts
                .as_ref()
                .ok_or_else(|| format!("built at run time ({t})"))?;
            let mut out = String::new();
            for part in parts.iter() {
                match part {
                    FPart::Text(text) => out.push_str(text),
                    FPart::Field(e) => out.push_str(
                        &const_str_depth(scope, resolver, values, e, depth + 1)
                            .map_err(|_| format!("built at run time ({t})"))?,
                    ),
                }
            }
            Ok(out)
        }
        Expr::BinOp(l, op, r) if op == "+" => Ok(format!(
            "{}{}",
            const_str_depth(scope, resolver, values, l, depth + 1)?,
            const_str_depth(scope, resolver, values, r, depth + 1)?
        )),
        Expr::Name(n) if scope.subst.contains_key(n.as_str()) => {
            const_str_depth(scope, resolver, values, &scope.subst[n.as_str()], depth + 1)
        }
        // `"/{}/<page>".format(name)`, in a loop over literal names
        Expr::Call(c)
            if !c.has_splat()
                && matches!(&c.func, Expr::Attr(b, m) if m == "format" && matches!(**b, Expr::Str(_))) =>
        {
            let Expr::Attr(template, _) = &c.func else {
                unreachable!("matched above")
            };
            let Expr::Str(template) = &**template else {
                unreachable!("matched above")
            };
            let text = |e: &Expr| match e {
                Expr::Int(i) => Ok(i.to_string()),
                e => const_str_depth(scope, resolver, values, e, depth + 1),
            };
            let args = c.args.iter().map(text).collect::<Result<Vec<_>, _>>()?;
            let kwargs = c
                .kwargs
                .iter()
                .map(|(k, v)| text(v).map(|v| (k.as_str(), v)))
                .collect::<Result<Vec<_>, _>>()?;
            str_format(
                template,
                |i, attrs| attrs.is_empty().then(|| args.get(i).cloned()).flatten(),
                |k, attrs| {
                    let v = kwargs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
                    attrs.is_empty().then_some(v).flatten()
                },
            )
            .ok_or_else(|| format!("`{}` is not a constant string", expr.describe()))
        }
        // `View.__name__`: a class or function's own name
        Expr::Attr(base, attr) if attr == "__name__" => scope
            .resolve(resolver, base)
            .and_then(|id| id.rsplit('.').next().map(String::from))
            .ok_or_else(|| format!("value of `{}` is not known statically", expr.describe())),
        Expr::Name(_) | Expr::Attr(..) | Expr::Resolved(_) => {
            let id = scope
                .resolve(resolver, expr)
                .ok_or_else(|| format!("value of `{}` is not known statically", expr.describe()))?;
            match values.get(&id) {
                // Evaluate in the defining module's own scope.
                Some((module, value)) => {
                    const_in_module(resolver, values, module, value, depth + 1)
                }
                None => Err(format!(
                    "value of `{}` is not known statically",
                    expr.describe()
                )),
            }
        }
        _ => Err(format!("`{}` is not a constant string", expr.describe())),
    }
}

/// `str.format` with plain fields (`{}`, `{0}`, `{name}`, `{{`/`}}`), the
/// values given by position or by keyword; `None` for a format spec, a
/// conversion or a field with no value. Shared by the constant evaluator
/// here and the Django URL interpreter.
pub fn str_format(
    template: &str,
    arg: impl Fn(usize, &[&str]) -> Option<String>,
    kwarg: impl Fn(&str, &[&str]) -> Option<String>,
) -> Option<String> {
    let mut out = String::new();
    let mut next = 0;
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('}') {
            return None;
        }
        let end = tail.find('}')?;
        // `{name.attr.attr}`: a field and the attributes read off it (no index, conversion
        // or format spec)
        let mut chain = tail[1..end].split('.');
        let field = chain.next().unwrap_or_default();
        let attrs: Vec<&str> = chain.collect();
        let word = |w: &str| !w.is_empty() && w.chars().all(|c| c == '_' || c.is_alphanumeric());
        if !attrs.iter().all(|a| word(a)) {
            return None;
        }
        let value = if field.is_empty() {
            next += 1;
            arg(next - 1, &attrs)
        } else if let Ok(n) = field.parse::<usize>() {
            arg(n, &attrs)
        } else if word(field) {
            kwarg(field, &attrs)
        } else {
            None
        };
        out.push_str(&value?);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn const_in_module(
    resolver: &Resolver,
    values: &ModuleValues,
    module: &str,
    value: &Expr,
    depth: usize,
) -> Result<String, String> {
    match value {
        Expr::Str(s) => Ok(s.to_string()),
        Expr::BinOp(l, op, r) if op == "+" => Ok(format!(
            "{}{}",
            const_in_module(resolver, values, module, l, depth + 1)?,
            const_in_module(resolver, values, module, r, depth + 1)?
        )),
        Expr::Name(_) | Expr::Attr(..) if depth < 12 => {
            let dotted = value.dotted().unwrap_or_default();
            let id = resolver.resolve(module, &dotted);
            match values.get(&id) {
                Some((m, v)) => const_in_module(resolver, values, m, v, depth + 1),
                None => Err(format!("value of `{dotted}` is not known statically")),
            }
        }
        other => Err(format!("`{}` is not a constant string", other.describe())),
    }
}

/// Whether `e` builds a class-based view (`View.as_view(...)`), possibly
/// wrapped, directly or through a name this scope binds to one.
fn builds_view(scope: &Scope, e: &Expr) -> bool {
    let mut calls = Vec::new();
    e.walk_calls(&mut calls);
    calls.iter().any(|c| {
        matches!(&c.func, Expr::Attr(_, m) if m == "as_view")
            || c.args.iter().any(|a| {
                a.as_name()
                    .and_then(|n| scope.subst.get(n))
                    .is_some_and(|bound| {
                        matches!(bound, Expr::Call(_)) && builds_view(scope, bound)
                    })
            })
    })
}

/// The scanned module an `importlib.import_module(name)` call imports, when
/// `name` is a constant here.
fn imported_module(
    scope: &Scope,
    resolver: &Resolver,
    values: &ModuleValues,
    c: &Call,
) -> Option<String> {
    if c.args.len() != 1 || c.func.last_name() != Some("import_module") {
        return None;
    }
    if scope.resolve(resolver, &c.func)? != "importlib.import_module" {
        return None;
    }
    let name = const_str(scope, resolver, values, &c.args[0]).ok()?;
    resolver.has_module(&name).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::{module_values, str_format};
    use crate::python::modules_for_test;

    #[test]
    fn str_format_fills_plain_fields_only() {
        let args = ["a".to_string(), "b".to_string()];
        let kw = [("x", "c".to_string())];
        let str_format = |t: &str, args: &[String], kw: &[(&str, String)]| {
            str_format(
                t,
                |i, attrs: &[&str]| attrs.is_empty().then(|| args.get(i).cloned()).flatten(),
                |k, attrs: &[&str]| {
                    let v = kw.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
                    attrs.is_empty().then_some(v).flatten()
                },
            )
        };
        assert_eq!(
            str_format("/{}/{}/{{q}}", &args, &[]).as_deref(),
            Some("/a/b/{q}")
        );
        assert_eq!(
            str_format("/{1}/{0}/{x}", &args, &kw).as_deref(),
            Some("/b/a/c")
        );
        assert_eq!(str_format("/{:>3}", &args, &[]), None);
        assert_eq!(str_format("/{!r}", &args, &[]), None);
        assert_eq!(str_format("/{}/{}/{}", &args, &[]), None);
        assert_eq!(str_format("/}", &args, &[]), None);
        assert_eq!(str_format("/{x.name}", &args, &kw), None);
        assert_eq!(str_format("/{x[0]}", &args, &kw), None);
    }

    #[test]
    fn module_values_keep_the_last_assignment_of_each_id() {
        let files = modules_for_test(&[
            (
                "app.settings",
                "DEBUG = False\nif x:\n    DEBUG = True\nNAME = 'a'\nNAME = 'b'\n",
            ),
            (
                "app.models",
                "class Book:\n    title = 'x'\n    class Meta:\n        db_table = 'books'\n",
            ),
        ]);
        let values = module_values(&files);
        let value = |id: &str| values.get(id).map(|(m, e)| (m.to_string(), e.describe()));
        assert_eq!(
            value("app.settings.NAME"),
            Some(("app.settings".into(), "\"b\"".into()))
        );
        assert_eq!(
            value("app.settings.DEBUG").map(|v| v.1),
            Some("True".into())
        );
        assert_eq!(
            value("app.models.Book.title").map(|v| v.1),
            Some("\"x\"".into())
        );
        assert_eq!(
            value("app.models.Book.Meta.db_table").map(|v| v.1),
            Some("\"books\"".into())
        );
        assert_eq!(value("app.models.Book"), None);
        assert_eq!(value("app.settings.NAM"), None);
        let ids: Vec<&str> = values.iter().map(|(id, _)| id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert_eq!(ids.len(), 4);
    }
}
