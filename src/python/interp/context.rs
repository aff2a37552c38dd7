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

/// A `@contextmanager` function called: its body, with its arguments bound.
#[derive(Debug)]
pub struct Generator {
    body: Rc<[Stmt]>,
    /// The index of the body's top-level `yield`.
    at: usize,
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

/// The generator a call of such a function makes, when its body yields at
/// its top level (else it runs like any other generator function).
pub fn generator(
    body: &[Stmt],
    module: &str,
    locals: Env,
    owner: Option<Rc<Owner>>,
) -> Option<Val> {
    let at = body.iter().position(|s| matches!(s, Stmt::Yield { .. }))?;
    Some(Val::host(Generator {
        body: body.into(),
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
            return (method == "__exit__").then_some(Val::None);
        };
        let entering = method == "__enter__";
        let part = if entering {
            &g.body[..g.at]
        } else {
            &g.body[g.at + 1..]
        };
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
        let yielded = match (&g.body[g.at], entering) {
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
