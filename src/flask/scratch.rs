//! Apps that start-up code makes for a moment inside a function and drops:
//! openeo-driver registers its blueprint on `Flask("dummy")` to read the rules
//! back from its `url_map`. Nothing serves such an app after the call, so what
//! was registered on it is no route.
//!
//! Read from the function's text, conservatively: the app is bound to a local
//! name that the function uses only as a receiver (`app.register_blueprint(bp)`,
//! `app.url_map`). Returning it, passing it, storing it, rebinding another name
//! to it, or a nested function or lambda naming it, and it may live on.

use super::Ctx;
use super::builtins::Node;
use crate::python::ir::{Expr, FuncDef, Param, Stmt, walk_stmts};

/// Whether `node`, an app, was made by a local assignment in a function that
/// only ever uses it as a receiver.
pub fn is_scratch(ctx: &Ctx, node: &Node) -> bool {
    let Some((file, line)) = node.made_at.as_ref().filter(|_| node.app) else {
        return false;
    };
    let Some(m) = ctx.files.iter().find(|m| &m.path == file) else {
        return false;
    };
    let mut scratch = false;
    walk_stmts(&m.body, |s, _| {
        if let Stmt::Func(f) = s
            && let Some(name) = local_made_at(&f.body, *line)
        {
            scratch = only_received(&f.body, name);
        }
    });
    scratch
}

/// The local name an assignment at `line` in `body` binds (not in nested
/// definitions, which are functions of their own).
fn local_made_at(body: &[Stmt], line: u32) -> Option<&str> {
    body.iter().find_map(|s| match s {
        Stmt::Assign {
            targets,
            value: Some(_),
            pos,
            ..
        } if pos.line == line => match &targets[..] {
            [Expr::Name(n)] => Some(n.as_str()),
            _ => None,
        },
        Stmt::Block(b) | Stmt::For { body: b, .. } => local_made_at(b, line),
        _ => None,
    })
}

/// Whether every mention of `name` in `body` is as a receiver in a statement that
/// keeps nothing of it: `name.method(...)` as a statement, in a loop's iterable or a
/// test, as a decorator, or as an assignment's target (`name.attr = v`, or `name`
/// itself bound). A value assigned, returned or yielded that mentions it at all
/// (`return app.app`), and any mention inside a nested function, class or lambda,
/// count against it.
fn only_received(body: &[Stmt], name: &str) -> bool {
    let mut ok = true;
    walk_stmts(body, |s, scope| {
        if !scope.is_empty() {
            ok &= exprs_of(s).iter().all(|e| !names(e, name));
            return;
        }
        ok &= match s {
            Stmt::Assign {
                targets,
                value,
                annotation,
                ..
            } => {
                targets
                    .iter()
                    .all(|t| matches!(t, Expr::Name(n) if n == name) || received(t, name))
                    && value
                        .iter()
                        .chain(annotation.as_deref())
                        .all(|v| !names(v, name))
            }
            Stmt::AugAssign { .. } | Stmt::Return(..) | Stmt::Yield { .. } => {
                exprs_of(s).iter().all(|e| !names(e, name))
            }
            Stmt::Global(g) => g.iter().all(|n| n != name),
            _ => exprs_of(s).iter().all(|e| received(e, name)),
        };
    });
    ok
}

/// The expressions a statement holds itself (not those of the statements in
/// its bodies, which `walk_stmts` visits on their own).
fn exprs_of(s: &Stmt) -> Vec<&Expr> {
    match s {
        Stmt::Assign {
            targets,
            value,
            annotation,
            ..
        } => targets
            .iter()
            .chain(value.iter())
            .chain(annotation.iter().map(|a| &**a))
            .collect(),
        Stmt::AugAssign { target, value, .. } => vec![target, value],
        Stmt::Expr(e, _) | Stmt::Guard(Some(e)) | Stmt::While(e) | Stmt::Return(Some(e), _) => {
            vec![e]
        }
        Stmt::Yield { value, .. } => value.iter().collect(),
        Stmt::For { target, iter, .. } => vec![target, iter],
        Stmt::Func(f) => f
            .decorators
            .iter()
            .chain(f.defaults.iter().filter_map(|d| match d {
                Some(Param::Default(e)) => Some(e),
                _ => None,
            }))
            .collect(),
        Stmt::Class(c) => c
            .bases
            .iter()
            .chain(c.decorators.iter())
            .chain(c.keywords.iter().map(|(_, e)| e))
            .collect(),
        _ => vec![],
    }
}

/// Whether `name` appears in `e` only as the base of attributes.
fn received(e: &Expr, name: &str) -> bool {
    let (mut all, mut bases) = (0, 0);
    let mut hidden = false;
    e.walk(|x| match x {
        Expr::Name(n) if n == name => all += 1,
        Expr::Attr(b, _) if matches!(&**b, Expr::Name(n) if n == name) => bases += 1,
        Expr::Call(c) => hidden |= c.kwargs_splat.as_deref().is_some_and(|k| names(k, name)),
        Expr::Lambda(f) => hidden |= f_names(f, name),
        Expr::DynStr(_) | Expr::Other(_) => hidden |= x.describe().contains(name),
        _ => {}
    });
    !hidden && all == bases
}

/// Whether `e` names `name` at all.
fn names(e: &Expr, name: &str) -> bool {
    !received(e, name) || {
        let mut found = Vec::new();
        e.walk_names(&mut found);
        found.contains(&name)
    }
}

/// Whether a lambda's body names `name` at all.
fn f_names(f: &FuncDef, name: &str) -> bool {
    let mut found = false;
    walk_stmts(&f.body, |s, _| {
        found |= exprs_of(s).iter().any(|e| names(e, name))
    });
    found
}
