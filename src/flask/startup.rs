//! The blueprint tree as Flask builds it at start-up: the interpreter runs
//! every module's top level, the app factories, and each function that
//! registers a blueprint, with Flask's built-ins (`builtins`); `mounts` then
//! follows a blueprint's registrations up to the app.

use super::Ctx;
use super::builtins::{CURRENT_APP, Edge, Flask, Node, RouteDecl};
use super::objects::{Obj, Objects};
use crate::python::SourceModule;
use crate::python::interp::{self, Interpreter, Val};
use crate::python::ir::{Expr, FuncDef, Stmt, walk_stmts};
use std::rc::Rc;

/// One place a blueprint is mounted: its effective prefix and dotted name.
#[derive(Clone, PartialEq)]
pub struct Mount {
    pub prefix: Option<String>,
    pub name: String,
    pub unresolved: Option<String>,
}

pub struct Tree {
    nodes: Vec<Rc<Node>>,
    edges: Vec<Edge>,
    /// The routes the start-up code declared on apps and blueprints.
    pub routes: Vec<RouteDecl>,
    /// Statements that ran and declared no rule, or that a test known to be
    /// false kept from running (file, line).
    pub declared_nothing: Vec<(String, u32)>,
}

/// Runs the start-up code and keeps what it registered.
pub fn run(ctx: &Ctx, objs: &Objects) -> Tree {
    let host = Flask::new(objs, &ctx.flask_modules);
    let interp = Interpreter::new(ctx.project, &host);
    // scripts last: what one changes at its top level (a development script
    // configuring a shared extension object) is not seen by the app modules
    // that run in another process (unless they import it)
    let (scripts, modules): (Vec<&&SourceModule>, Vec<_>) =
        ctx.files.iter().partition(|f| f.is_script());
    // a module whose top level reads `current_app` works only imported inside an app's
    // context (elsewhere Flask raises): one that other code imports runs there
    let imported = imported_modules(ctx);
    for f in modules.into_iter().chain(scripts) {
        let is_imported = ctx
            .project
            .module_ids
            .get(&f.module)
            .is_some_and(|id| imported.contains(&id));
        if !(is_imported && reads_current_app(ctx, f)) {
            interp.env(&f.module);
        }
    }
    // the functions start-up code calls run from their callers, with the
    // arguments they are given; those nothing is seen to call run on their own
    let mut entries: Vec<String> = ctx.reach.roots().to_vec();
    entries.extend(
        registering_functions(ctx)
            .into_iter()
            .filter(|f| ctx.reach.function_runs(f).is_err()),
    );
    let mut seen = rustc_hash::FxHashSet::default();
    // what each entry's own run declared: routes, edges (start, end)
    let mut runs = Vec::new();
    for entry in entries {
        if !seen.insert(entry.clone()) {
            continue;
        }
        *host.not_run.borrow_mut() = ctx.reach.function_runs(&entry).err();
        let start = (host.routes.borrow().len(), host.edges.borrow().len());
        interp.run_entry(&entry);
        let end = (host.routes.borrow().len(), host.edges.borrow().len());
        runs.push((entry, start, end));
    }
    // the program's own commands (`octoprint serve`) run last, as their command line
    // runs them. One that registers the first blueprint on a module's app (`app =
    // Flask(__name__)` at top level, given none by its import or a factory) is how the
    // program starts and serves that app, and what it declared stands. An app that
    // has its blueprints without the command is served as it is (`flask --app`, a
    // WSGI server): what a command adds to it, and what any other command declared
    // (a maintenance command, an app of its own), is dropped.
    for entry in commands(ctx) {
        if !seen.insert(entry.clone()) {
            continue;
        }
        *host.not_run.borrow_mut() = None;
        let start = (host.routes.borrow().len(), host.edges.borrow().len());
        interp.run_entry(&entry);
        if serves_module_app(ctx, &host.edges.borrow(), start.1) {
            let end = (host.routes.borrow().len(), host.edges.borrow().len());
            runs.push((entry, start, end));
        } else {
            host.routes.borrow_mut().truncate(start.0);
            host.edges.borrow_mut().truncate(start.1);
        }
    }
    // a root that the code itself calls (a factory its console script calls with the
    // command's options, a class made at import time) ran there with the arguments it is
    // given: what its run on its own, with arguments nobody gives, declared again at the
    // same statements is not how it starts (what only that run reached stays)
    for (entry, start, end) in runs.iter().rev() {
        if interp.called_by_code(entry) {
            drop_repeated(&mut host.routes.borrow_mut(), start.0..end.0, |r| {
                (r.file.clone(), r.line)
            });
            drop_repeated(&mut host.edges.borrow_mut(), start.1..end.1, |e| {
                (e.at.clone(), Rc::as_ptr(&e.child))
            });
        }
    }
    // an app made for a moment inside a function serves nothing (see `scratch`)
    let scratch: Vec<Rc<Node>> = host
        .nodes
        .borrow()
        .iter()
        .filter(|n| super::scratch::is_scratch(ctx, n))
        .cloned()
        .collect();
    if !scratch.is_empty() {
        let on_scratch = |n: &Rc<Node>| scratch.iter().any(|s| Rc::ptr_eq(s, n));
        host.edges.borrow_mut().retain(|e| !on_scratch(&e.parent));
        // (the statements ran: what they declared is not read again from their text)
        let mut dropped = Vec::new();
        host.routes.borrow_mut().retain(|r| {
            let keep = !on_scratch(&r.node);
            if !keep {
                dropped.push((r.file.clone(), r.line));
            }
            keep
        });
        host.declared_nothing.borrow_mut().extend(dropped);
    }
    Tree {
        nodes: host.nodes.take(),
        edges: host.edges.take(),
        routes: host.routes.take(),
        declared_nothing: host
            .declared_nothing
            .take()
            .into_iter()
            .chain(interp.excluded())
            .collect(),
    }
}

/// The ids of the scanned modules that some file imports (`SourceModule::refs`).
fn imported_modules(ctx: &Ctx) -> rustc_hash::FxHashSet<u32> {
    ctx.files
        .iter()
        .flat_map(|f| f.refs.iter().filter(|r| !r.loose).map(|r| r.id))
        .collect()
}

/// Whether the module's top level (statements, decorators) names Flask's
/// `current_app`.
fn reads_current_app(ctx: &Ctx, m: &SourceModule) -> bool {
    let is_current_app = |e: &Expr| {
        let mut names = Vec::new();
        e.walk_names(&mut names);
        names
            .iter()
            .any(|n| CURRENT_APP.contains(&ctx.project.resolver.resolve(&m.module, n).as_str()))
    };
    let mut found = false;
    walk_stmts(&m.body, |s, scope| {
        if !scope.is_empty() || found {
            return;
        }
        found = match s {
            Stmt::Assign { value: Some(v), .. } | Stmt::Expr(v, _) => is_current_app(v),
            Stmt::Func(f) => f.decorators.iter().any(is_current_app),
            Stmt::Class(c) => c.decorators.iter().any(is_current_app),
            _ => false,
        };
    });
    found
}

/// Removes the items in `range` whose key an item outside it has too.
fn drop_repeated<T, K: std::hash::Hash + Eq>(
    items: &mut Vec<T>,
    range: std::ops::Range<usize>,
    key: impl Fn(&T) -> K,
) {
    let outside: rustc_hash::FxHashSet<K> = items[..range.start]
        .iter()
        .chain(&items[range.end..])
        .map(&key)
        .collect();
    let mut i = 0;
    items.retain(|item| {
        let inside = range.contains(&i);
        i += 1;
        !inside || !outside.contains(&key(item))
    });
}

/// Whether the registrations made from `start` on give a module's app
/// (`app = Flask(__name__)` at top level) its first blueprint: before them it
/// had none that runs.
fn serves_module_app(ctx: &Ctx, edges: &[Edge], start: usize) -> bool {
    let (before, during) = edges.split_at(start);
    during.iter().any(|e| {
        e.parent.app
            && e.parent
                .id
                .as_ref()
                .is_some_and(|id| ctx.values.get(id).is_some())
            && !before
                .iter()
                .any(|b| b.not_run.is_none() && Rc::ptr_eq(&b.parent, &e.parent))
    })
}

/// The click commands and groups of the scanned code (top-level functions), in
/// file order. One that code is seen to call may still run only from its command
/// line (click's `ctx.invoke(cmd)` in a group, not modelled).
fn commands(ctx: &Ctx) -> Vec<String> {
    ctx.files
        .iter()
        .flat_map(|m| {
            module_defs(m, false)
                .into_iter()
                .filter(|(_, f)| interp::is_command(ctx.project, m, f))
                .map(|(id, _)| id)
        })
        .collect()
}

/// The functions a module defines at its top level (in its top-level blocks
/// too) and, with `methods`, those of its top-level classes: by id, in file order.
fn module_defs(m: &SourceModule, methods: bool) -> Vec<(String, &FuncDef)> {
    let mut defs = Vec::new();
    let mut stack: Vec<(&[Stmt], String)> = vec![(&m.body, m.module.clone())];
    while let Some((body, prefix)) = stack.pop() {
        for s in body {
            match s {
                Stmt::Func(f) => defs.push((format!("{prefix}.{}", f.name), &**f)),
                Stmt::Class(c) if methods && prefix == m.module => {
                    stack.push((&c.body, format!("{prefix}.{}", c.name)))
                }
                Stmt::Block(b) => stack.push((b, prefix.clone())),
                _ => {}
            }
        }
    }
    defs.sort_by_key(|(_, f)| f.pos);
    defs
}

/// Top-level functions and methods whose own statements call
/// `register_blueprint`: those nothing is seen to call run all the same (a
/// set-up hook a library calls), their registrations marked as such.
fn registering_functions(ctx: &Ctx) -> Vec<String> {
    let mut out = Vec::new();
    for m in &ctx.files {
        for (id, f) in module_defs(m, true) {
            let mut registers = false;
            walk_stmts(&f.body, |s, scope| {
                registers |= scope.is_empty()
                    && s.calls()
                        .iter()
                        .any(|c| matches!(&c.func, Expr::Attr(_, m) if m == "register_blueprint"));
            });
            if registers {
                out.push(id);
            }
        }
    }
    out
}

/// A prefix or name option as given: `Ok(None)` for `None`, or why it is
/// not known statically.
pub fn text(v: &Val) -> Result<Option<String>, String> {
    match v {
        Val::Str(s) => Ok(Some(s.clone())),
        Val::None => Ok(None),
        Val::Unknown(why) => Err(why.clone()),
        other => Err(format!(
            "not a string: {}",
            other.render().unwrap_or_default()
        )),
    }
}

/// At most this many mounts per blueprint, and this many steps to find them:
/// a blueprint registered k times on each of 8 nested levels would otherwise
/// give k^8 of them (a hostile file took minutes and gigabytes).
const MAX_MOUNTS: usize = 64;
const MAX_MOUNT_STEPS: usize = 4096;

impl Tree {
    /// Every place the blueprint `objects` knows as `bp` ends up mounted,
    /// following registrations up to the app (nested blueprints compose
    /// prefixes and names). A blueprint never registered where the code
    /// shows it keeps its own prefix, marked unresolved.
    pub fn mounts(&self, bp: &Obj, own_name: &str) -> Vec<Mount> {
        self.mounts_of(self.nodes_of(bp), own_name, &bp.url_prefix)
    }

    /// The static folder an app or blueprint was given when the start-up code
    /// made it (a subclass's `__init__` may default it; a path object names
    /// its folder), for when the scan could not read one.
    pub fn static_folder(&self, obj: &Obj) -> Option<String> {
        self.nodes_of(obj).find_map(|n| {
            let folder = n.static_folder();
            let folder = interp::path_text(&folder).unwrap_or(folder);
            folder.as_str().map(String::from)
        })
    }

    /// The static URL path an app or blueprint was given when the start-up
    /// code made it (a subclass's `__init__` passing it to Flask's), if the
    /// scan read none at the statement that makes it: the one every object made
    /// there with a known path was given (`None` when they differ, as in a loop; an
    /// object made by a run of its function with parameters not known has none).
    pub fn static_url_path(&self, obj: &Obj) -> Option<String> {
        let mut paths = self
            .nodes_of(obj)
            .filter_map(|n| n.static_url_path().as_str().map(String::from));
        let first = paths.next()?;
        paths.all(|p| p == first).then_some(first)
    }

    /// The apps the running code made where the scan saw no statement making
    /// one (in a launcher whose body it read only to run it), with where.
    pub fn unseen_apps(&self) -> impl Iterator<Item = (&Node, &(String, u32))> {
        self.nodes
            .iter()
            .filter(|n| n.app && n.id.is_none())
            .filter_map(|n| Some((&**n, n.made_at.as_ref()?)))
    }

    /// The objects the running code made at the statement the scan knows as `bp`.
    fn nodes_of<'t>(&'t self, bp: &'t Obj) -> impl Iterator<Item = &'t Rc<Node>> {
        self.nodes
            .iter()
            .filter(|n| n.id.as_deref() == Some(&bp.id))
    }

    /// Every place one blueprint object of the running code ends up mounted;
    /// `own_prefix` is its prefix as given, for when it is mounted nowhere.
    pub fn mounts_of_node(
        &self,
        node: &Rc<Node>,
        own_name: &str,
        own_prefix: &Option<Result<String, String>>,
    ) -> Vec<Mount> {
        self.mounts_of(std::iter::once(node), own_name, own_prefix)
    }

    fn mounts_of<'t>(
        &self,
        nodes: impl Iterator<Item = &'t Rc<Node>>,
        own_name: &str,
        own_prefix: &Option<Result<String, String>>,
    ) -> Vec<Mount> {
        let mut steps = 0;
        let mut out: Vec<Mount> = Vec::new();
        for node in nodes {
            for m in self.node_mounts(node, own_name, &mut Vec::new(), &mut steps) {
                if out.len() < MAX_MOUNTS && !out.contains(&m) {
                    out.push(m);
                }
            }
        }
        // the same mount found by a run that may never happen: the one that happens wins
        let resolved: Vec<(Option<String>, String)> = out
            .iter()
            .filter(|m| m.unresolved.is_none())
            .map(|m| (m.prefix.clone(), m.name.clone()))
            .collect();
        out.retain(|m| {
            m.unresolved.is_none() || !resolved.contains(&(m.prefix.clone(), m.name.clone()))
        });
        if out.is_empty() {
            let (prefix, why) = match own_prefix {
                Some(Ok(p)) => (Some(p.clone()), None),
                Some(Err(e)) => (None, Some(format!("url_prefix: {e}"))),
                None => (None, None),
            };
            out.push(Mount {
                prefix,
                name: own_name.to_string(),
                unresolved: Some(why.unwrap_or_else(|| {
                    "no register_blueprint() call for this blueprint was found".into()
                })),
            });
        }
        out
    }

    /// The mounts of one blueprint object; `chain` holds the blueprints below
    /// it, so that a registration closing a cycle is not followed.
    fn node_mounts(
        &self,
        node: &Rc<Node>,
        own_name: &str,
        chain: &mut Vec<*const Node>,
        steps: &mut usize,
    ) -> Vec<Mount> {
        *steps += 1;
        let mut out = Vec::new();
        if *steps > MAX_MOUNT_STEPS || chain.len() > 8 {
            return out;
        }
        let own_prefix = text(&node.url_prefix()).map_err(|e| format!("url_prefix: {e}"));
        let name = match text(&node.name()) {
            Ok(Some(n)) => n,
            _ => own_name.to_string(),
        };
        for e in self.edges.iter().filter(|e| Rc::ptr_eq(&e.child, node)) {
            let mut why = e.not_run.clone();
            let child_prefix = match e.url_prefix.as_ref().map(text) {
                Some(Ok(Some(p))) => Some(p),
                Some(Err(w)) => {
                    why = why.or(Some(format!("url_prefix: {w}")));
                    None
                }
                Some(Ok(None)) | None => match &own_prefix {
                    Ok(p) => p.clone(),
                    Err(w) => {
                        why = why.or(Some(w.clone()));
                        None
                    }
                },
            };
            let name = match e.name.as_ref().map(text) {
                Some(Ok(Some(n))) => n,
                Some(Err(w)) => {
                    why = why.or(Some(format!("name: {w}")));
                    name.clone()
                }
                _ => name.clone(),
            };
            let parent = &e.parent;
            if parent.app {
                out.push(Mount {
                    prefix: child_prefix,
                    name,
                    unresolved: why,
                });
                continue;
            }
            let p = Rc::as_ptr(parent);
            if Rc::ptr_eq(parent, node) || chain.contains(&p) {
                continue;
            }
            chain.push(Rc::as_ptr(node));
            let parent_name = match text(&parent.name()) {
                Ok(Some(n)) => n,
                _ => parent
                    .id
                    .as_deref()
                    .and_then(|i| i.rsplit('.').next())
                    .unwrap_or("")
                    .to_string(),
            };
            let mut parent_mounts = self.node_mounts(parent, &parent_name, chain, steps);
            chain.pop();
            if parent_mounts.is_empty() {
                parent_mounts.push(Mount {
                    prefix: text(&parent.url_prefix()).ok().flatten(),
                    name: parent_name,
                    unresolved: Some(
                        "its parent blueprint is not registered where the code shows it".into(),
                    ),
                });
            }
            for pm in parent_mounts {
                if out.len() >= MAX_MOUNTS {
                    break;
                }
                let prefix = match (&pm.prefix, &child_prefix) {
                    (Some(p), Some(c)) => Some(format!(
                        "{}/{}",
                        p.trim_end_matches('/'),
                        c.trim_start_matches('/')
                    )),
                    (None, Some(c)) => Some(c.clone()),
                    (p, None) => p.clone(),
                };
                out.push(Mount {
                    prefix,
                    name: format!("{}.{name}", pm.name),
                    unresolved: why.clone().or(pm.unresolved.clone()),
                });
            }
        }
        out
    }
}
