//! Which functions run when an application starts: module-level code, the
//! roots a framework calls itself (an app factory), and everything they call.
//!
//! A route or registration written inside a function only takes effect when
//! that function runs. Declarations in functions no start-up code is seen to
//! call (a CLI command's helper, a test fixture) are reported as unresolved
//! instead of being claimed as registered.

use super::SourceModule;
use super::ir::{Expr, FuncDef, Stmt, walk_stmts};
use super::resolve::Resolver;
use super::scope::{self, ModuleValues, Scope};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// A function whose body elision blanked, read again when it is a root
/// (see [`Reach::compute`]).
pub type ElidedRoot<'r> = &'r (dyn Fn(&SourceModule, &FuncDef) -> Option<Arc<[Stmt]>> + Sync);

pub struct Reach {
    reachable: HashSet<String>,
    /// The functions a framework calls itself (factories), in file order.
    roots: Vec<String>,
}

/// The function a statement runs in, as `module.qualname` (None at import time).
pub fn enclosing_function(sc: &Scope) -> Option<String> {
    let pos = sc.qual.iter().rposition(|q| q == "<locals>")?;
    Some(format!("{}.{}", sc.module.module, sc.qual[..pos].join(".")))
}

impl Reach {
    /// `is_root(statement, scope)` marks extra roots, e.g. a function that
    /// constructs the app. A function whose body elision blanked has no
    /// statements to ask about: `elided_root(module, function)` gives its
    /// body read again when it is a root all the same.
    pub fn compute(
        files: &[&SourceModule],
        resolver: &Resolver,
        values: &ModuleValues,
        is_root: &(dyn Fn(&Stmt, &Scope) -> bool + Sync),
        elided_root: ElidedRoot,
    ) -> Reach {
        // Files are independent: walked in parallel, merged in file order.
        let per_file: Vec<FileGraph> = files
            .par_iter()
            .map(|f| file_graph(f, resolver, values, is_root, elided_root))
            .collect();
        let mut edges: HashMap<Option<String>, Vec<String>> = HashMap::default();
        let mut functions: HashSet<String> = HashSet::default();
        let mut roots: Vec<String> = Vec::new();
        for g in per_file {
            functions.extend(g.functions);
            roots.extend(g.roots);
            for (from, to) in g.edges {
                edges.entry(from).or_default().extend(to);
            }
        }
        let mut reachable: HashSet<String> = HashSet::default();
        let mut stack: Vec<String> = edges.get(&None).cloned().unwrap_or_default();
        stack.extend(roots.iter().cloned());
        while let Some(id) = stack.pop() {
            // calling a class runs its `__init__`
            let init = format!("{id}.__init__");
            if functions.contains(&init) {
                stack.push(init);
            }
            if !functions.contains(&id) || !reachable.insert(id.clone()) {
                continue;
            }
            if let Some(next) = edges.get(&Some(id)) {
                stack.extend(next.iter().cloned());
            }
        }
        roots.dedup();
        Reach { reachable, roots }
    }

    /// The functions a framework calls itself at start-up (app factories).
    pub fn roots(&self) -> &[String] {
        &self.roots
    }

    /// Whether a statement in this scope runs at start-up.
    pub fn runs(&self, sc: &Scope) -> Result<(), String> {
        match enclosing_function(sc) {
            None => Ok(()),
            Some(f) => self.function_runs(&f),
        }
    }

    /// Whether the function `id` (`module.qualname`) runs at start-up.
    pub fn function_runs(&self, id: &str) -> Result<(), String> {
        if self.reachable.contains(id) {
            return Ok(());
        }
        Err(format!(
            "declared inside `{id}()`, which no import-time code or app factory is seen to call"
        ))
    }
}

/// One file's part of the call graph.
struct FileGraph {
    functions: Vec<String>,
    roots: Vec<String>,
    edges: Vec<(Option<String>, Vec<String>)>,
}

fn file_graph(
    f: &SourceModule,
    resolver: &Resolver,
    values: &ModuleValues,
    is_root: &(dyn Fn(&Stmt, &Scope) -> bool + Sync),
    elided_root: ElidedRoot,
) -> FileGraph {
    let mut g = FileGraph {
        functions: Vec::new(),
        roots: Vec::new(),
        edges: Vec::new(),
    };
    scope::walk(f, resolver, values, &mut |stmt, sc| {
        let from = enclosing_function(sc);
        if let Stmt::Func(func) = stmt {
            let id = format!("{}.{}", f.module, sc.qualname(&func.name));
            if func.elided
                && let Some(body) = elided_root(f, func)
            {
                // what it calls, by the module's names (its locals unknown)
                let mut targets = Vec::new();
                walk_stmts(&body, |s, _| {
                    for c in s.calls() {
                        if let Some(d) = c.func.dotted() {
                            targets.push(resolver.resolve(&f.module, &d));
                        }
                    }
                });
                g.roots.push(id.clone());
                g.edges.push((Some(id.clone()), targets));
            }
            g.functions.push(id);
        }
        if let Some(fid) = &from
            && is_root(stmt, sc)
        {
            g.roots.push(fid.clone());
        }
        let mut exprs: Vec<&Expr> = Vec::new();
        match stmt {
            Stmt::Expr(e, _) | Stmt::Return(Some(e), _) => exprs.push(e),
            Stmt::Assign { value: Some(v), .. } => exprs.push(v),
            Stmt::AugAssign { value, .. } => exprs.push(value),
            Stmt::For { iter, .. } => exprs.push(iter),
            Stmt::Func(func) => exprs.extend(func.decorators.iter()),
            Stmt::Class(c) => exprs.extend(c.decorators.iter().chain(c.bases.iter())),
            _ => {}
        }
        let mut targets = Vec::new();
        for e in exprs {
            let mut calls = Vec::new();
            e.walk_calls(&mut calls);
            for c in calls {
                // The callee, and functions passed as callbacks.
                for r in std::iter::once(&c.func)
                    .chain(c.args.iter())
                    .chain(c.kwargs.iter().map(|(_, v)| v))
                {
                    if let Some(id) = callee_id(sc, resolver, r) {
                        targets.push(id);
                    }
                }
            }
        }
        // Consecutive statements of one function share an entry.
        match g.edges.last_mut() {
            Some((last, to)) if *last == from => to.extend(targets),
            _ => g.edges.push((from, targets)),
        }
    });
    g
}

/// A call's target as a function id: plain names, module attributes, and
/// `self.method()` inside a class.
fn callee_id(sc: &Scope, resolver: &Resolver, e: &Expr) -> Option<String> {
    if let Expr::Attr(base, method) = e
        && (base.as_name() == Some("self") || base.as_name() == Some("cls"))
    {
        let pos = sc.qual.iter().rposition(|q| q == "<locals>")?;
        let class_path = &sc.qual[..pos.saturating_sub(1)];
        if class_path.is_empty() {
            return None;
        }
        return Some(format!(
            "{}.{}.{method}",
            sc.module.module,
            class_path.join(".")
        ));
    }
    sc.resolve(resolver, e)
}
