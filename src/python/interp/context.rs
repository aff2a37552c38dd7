//! `with` statements (lowered to `__enter__()` before the body and
//! `__exit__(None, None, None)` after it) and the context managers Python
//! code writes most: a `@contextlib.contextmanager` generator, whose body
//! runs up to its `yield` when the block is entered and on from there when
//! it is left. A manager that sets state for the block (`self.prefix = p;
//! yield; self.prefix = ""`) so changes what the block registers. The
//! protocol of any other manager has no effect here.

use super::eval::{Cx, Flow, Owner};
use super::value::{HostValue, Val};
use super::{Env, MAX_CALL_DEPTH};
use crate::python::ir::{FuncDef, Stmt};
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// A `@contextmanager` function called: its body split at its `yield`, with
/// its arguments bound.
#[derive(Debug)]
pub struct Generator {
    /// What runs on entering, and on leaving.
    before: Rc<[Stmt]>,
    after: Rc<[Stmt]>,
    /// The `yield` statement.
    at: Stmt,
    module: String,
    locals: RefCell<Env>,
    owner: Option<Rc<Owner>>,
}

impl HostValue for Generator {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Whether `fd` is decorated with `contextmanager` (`contextlib`'s).
pub fn is_manager(fd: &FuncDef) -> bool {
    fd.decorators
        .iter()
        .any(|d| d.last_name() == Some("contextmanager"))
}

/// The generator a call of such a function makes: its body split at a
/// `yield` at its top level or in the body of a top-level `try` (then the
/// rest of the `try` body, its `else` and `finally` run on leaving; its
/// handlers do not, nothing raised being known). `None` for any other shape.
pub fn generator(
    body: &[Stmt],
    module: &str,
    locals: Env,
    owner: Option<Rc<Owner>>,
) -> Option<Val> {
    let is_yield = |s: &Stmt| matches!(s, Stmt::Yield { .. });
    let (before, at, after) = match body.iter().position(is_yield) {
        Some(i) => (body[..i].to_vec(), body[i].clone(), body[i + 1..].to_vec()),
        None => body.iter().enumerate().find_map(|(i, s)| {
            let Stmt::Block(b) = s else { return None };
            let Some(Stmt::Block(tried)) = b.first() else {
                return None;
            };
            let j = tried.iter().position(is_yield)?;
            let mut before = body[..i].to_vec();
            before.extend_from_slice(&tried[..j]);
            let mut after = tried[j + 1..].to_vec();
            for alt in &b[1..] {
                match alt {
                    // an `except` handler: not taken
                    Stmt::Block(h) if matches!(h.first(), Some(Stmt::Guard(Some(_)))) => {}
                    Stmt::Block(rest) => after.extend(
                        rest.iter()
                            .filter(|s| !matches!(s, Stmt::Guard(_)))
                            .cloned(),
                    ),
                    _ => {}
                }
            }
            after.extend_from_slice(&body[i + 1..]);
            Some((before, tried[j].clone(), after))
        })?,
    };
    Some(Val::host(Generator {
        before: before.into(),
        after: after.into(),
        at,
        module: module.to_string(),
        locals: RefCell::new(locals),
        owner,
    }))
}

impl Cx<'_, '_> {
    /// `manager.__enter__()` / `.__exit__(...)`: a generator's part of its
    /// body (the value it yields, on entering); `None` from `__exit__` of any
    /// other manager, and for `__enter__` of one the caller knows otherwise.
    pub(super) fn context_protocol(&self, manager: &Val, method: &str) -> Option<Val> {
        let Some(g) = manager.downcast::<Generator>() else {
            // a framework's manager is the framework's to enter and leave
            return (method == "__exit__" && !matches!(manager, Val::Host(_))).then_some(Val::None);
        };
        let entering = method == "__enter__";
        let part = if entering { &g.before } else { &g.after };
        let m = self.ev.project.module(&g.module)?;
        if self.depth >= MAX_CALL_DEPTH {
            return Some(Val::Unknown(format!("{method}(): calls too deep")));
        }
        let globals = self.ev.env(&g.module);
        let mut locals = g.locals.borrow().clone();
        let mut cx = Cx {
            ev: self.ev,
            m,
            env: &mut locals,
            outer: globals.as_deref(),
            depth: self.depth + 1,
            owner: g.owner.clone(),
        };
        let flow = cx.exec(part);
        let yielded = match (&g.at, entering) {
            (
                Stmt::Yield {
                    value: Some(e),
                    from: false,
                },
                true,
            ) => cx.eval(e),
            _ => Val::None,
        };
        *g.locals.borrow_mut() = locals;
        Some(match flow {
            Flow::Abort(why) => Val::Unknown(why),
            _ => yielded,
        })
    }
}
