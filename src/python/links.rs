//! Which modules a module refers to: what it imports and the dotted names it
//! writes in strings (`include("app.urls")`, `from_object("config.Prod")`,
//! `DJANGO_SETTINGS_MODULE = "proj.settings"`). The pre-filter's closure and
//! the split of a scan into separately linked applications both follow them.

use super::SourceModule;
use super::ir::{Expr, ImportName, Stmt};
use super::modules::absolute_import;
use super::resolve::Resolver;
use rayon::prelude::*;

/// Calls `hit(prefix, in_string)` with every dotted prefix of every module
/// path `f` imports or names in a string: `a.b.c` may be module `a.b.c` or
/// name `c` in `a.b`.
pub fn references(f: &SourceModule, hit: &mut dyn FnMut(&str, bool)) {
    let mut hit = |path: &str, s: bool| {
        let mut end = path.len();
        loop {
            hit(&path[..end], s);
            match path[..end].rfind('.') {
                Some(dot) => end = dot,
                None => break,
            }
        }
    };
    let mut stmts: Vec<&Stmt> = f.body.iter().collect();
    let mut exprs: Vec<&Expr> = Vec::new();
    while let Some(s) = stmts.pop() {
        match s {
            Stmt::Import(names, _) => {
                for n in names {
                    match n {
                        ImportName::Module { path, .. } => hit(path, false),
                        ImportName::From {
                            module,
                            level,
                            name,
                            ..
                        } => {
                            let abs = absolute_import(&f.module, f.is_package, *level, module);
                            if !abs.is_empty() {
                                hit(&abs, false);
                            }
                            if name != "*" {
                                if abs.is_empty() {
                                    hit(name, false);
                                } else {
                                    hit(&format!("{abs}.{name}"), false);
                                }
                            }
                        }
                    }
                }
            }
            Stmt::Assign {
                targets,
                value,
                annotation,
                ..
            } => {
                exprs.extend(targets);
                exprs.extend(value);
                exprs.extend(annotation);
            }
            Stmt::AugAssign { target, value, .. } => exprs.extend([target, value]),
            Stmt::Expr(e, _) => exprs.push(e),
            Stmt::Return(e, _) => exprs.extend(e),
            Stmt::Class(c) => {
                exprs.extend(&c.bases);
                exprs.extend(c.keywords.iter().map(|(_, v)| v));
                exprs.extend(&c.decorators);
                stmts.extend(&c.body);
            }
            Stmt::Func(d) => {
                exprs.extend(&d.decorators);
                stmts.extend(&d.body);
            }
            Stmt::For {
                target, iter, body, ..
            } => {
                exprs.extend([target, iter]);
                stmts.extend(body);
            }
            Stmt::Block(b) => stmts.extend(b),
            Stmt::Guard(e) => exprs.extend(e),
            Stmt::Exit(_) => {}
        }
    }
    while let Some(e) = exprs.pop() {
        match e {
            Expr::Str(s) if looks_dotted(s) => hit(s, true),
            Expr::Attr(b, _) => exprs.push(b),
            Expr::Call(c) => {
                exprs.push(&c.func);
                exprs.extend(&c.args);
                exprs.extend(c.kwargs.iter().map(|(_, v)| v));
            }
            Expr::List(v) | Expr::Tuple(v) => exprs.extend(v),
            Expr::Dict(v) => exprs.extend(v.iter().flat_map(|(k, v)| [k, v])),
            Expr::BinOp(l, _, r) | Expr::Subscript(l, r) => exprs.extend([&**l, &**r]),
            Expr::Starred(x) | Expr::Not(x) => exprs.push(x),
            Expr::IfExp(t, b, o) => exprs.extend([&**t, &**b, &**o]),
            Expr::Comp(c) => {
                exprs.push(&c.elt);
                exprs.extend(&c.key);
                for g in &c.generators {
                    exprs.push(&g.iter);
                    exprs.extend(&g.conditions);
                }
            }
            _ => {}
        }
    }
}

fn looks_dotted(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 200
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

/// Which of `files` are linked, through references in either direction, to a
/// file for which `seed` holds: the files of the same application(s). A scan
/// of several projects side by side, or of a project next to unrelated code,
/// keeps a framework's extractor on its own application.
pub fn linked_to(
    files: &[SourceModule],
    resolver: &Resolver,
    seed: &dyn Fn(&SourceModule) -> bool,
) -> Vec<bool> {
    let mut parent: Vec<usize> = (0..files.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    // Which files each file refers to, found in parallel.
    let links: Vec<Vec<usize>> = files
        .par_iter()
        .map(|f| {
            let mut to = Vec::new();
            // Its package too: importing a module runs the package's __init__.
            if let Some((package, _)) = f.module.rsplit_once('.') {
                to.extend(resolver.module_index(package));
            }
            // A string links only when dotted: a lone word (`"admin"`,
            // `"utils"`) is more often a plain word than a module name.
            references(f, &mut |path, in_string| {
                if !in_string || path.contains('.') {
                    to.extend(resolver.module_index(path));
                }
            });
            to
        })
        .collect();
    for (i, to) in links.into_iter().enumerate() {
        for j in to {
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a] = b;
        }
    }
    let mut seeded = vec![false; files.len()];
    for (i, f) in files.iter().enumerate() {
        if seed(f) {
            let r = root(&mut parent, i);
            seeded[r] = true;
        }
    }
    (0..files.len())
        .map(|i| seeded[root(&mut parent, i)])
        .collect()
}
