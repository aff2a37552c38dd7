//! Enum members as start-up code reads them: `Cls.MEMBER.value` and
//! `Cls.MEMBER.name` for a scanned class deriving from the standard library's
//! enum classes, and the members of the standard library's `http.HTTPMethod`
//! (Python 3.11), which is not in the scanned code: a `str` enum whose members
//! are the method names (`methods=[HTTPMethod.GET]`).
//!
//! A member read bare stays its assigned value (`Cls.MEMBER`), right for the
//! `str`/`int` mixins that route declarations use; a member whose value is not
//! a literal (`auto()`) is not known.

use super::ops::{abs_dotted, root_is_local};
use super::{Cx, Val};
use crate::python::classes;
use crate::python::ir::Expr;

/// The standard library's enum classes a project enum derives from.
const ENUM_BASES: &[&str] = &[
    "enum.Enum",
    "enum.IntEnum",
    "enum.StrEnum",
    "enum.Flag",
    "enum.IntFlag",
];

/// `http.HTTPMethod`'s members, each its own name as value.
const HTTP_METHODS: &[&str] = &[
    "CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE",
];

/// `http.HTTPMethod.GET` and the like, by canonical name.
pub fn stdlib_member(canonical: &str) -> Option<Val> {
    let member = canonical.strip_prefix("http.HTTPMethod.")?;
    HTTP_METHODS
        .contains(&member)
        .then(|| Val::Str(member.to_string()))
}

/// The members of a scanned enum class, in definition order, each kept as `Cls.MEMBER` (so that
/// `member.value` and `member.name` read it): what `for m in Cls` goes through. `None` for any
/// other class. Names of the class body that are not members: `_sunder_`/`__dunder__` names,
/// and what a `def` or a nested class binds (not assignments).
pub fn members(cx: &Cx, class: &str) -> Option<Vec<Val>> {
    let mro = classes::mro(cx.ev.project, class);
    if !mro.iter().any(|c| ENUM_BASES.contains(&c.as_str())) {
        return None;
    }
    let (_, cd) = classes::find(cx.ev.project, class)?;
    let mut seen = Vec::new();
    for (name, value, ..) in cd.assignments() {
        if value.is_some() && !name.starts_with('_') && !seen.contains(&name) {
            seen.push(name);
        }
    }
    let owner = Expr::Resolved(class.into());
    Some(
        seen.into_iter()
            .map(|n| {
                Val::Expr(std::rc::Rc::new(Expr::Attr(
                    Box::new(owner.clone()),
                    n.into(),
                )))
            })
            .collect(),
    )
}

/// `base.value` / `base.name` where `base` is `Cls.MEMBER` of an enum class, or a variable a
/// loop over the class bound to one of its members (`members`).
pub fn member_attr(cx: &Cx, base: &Expr, attr: &str) -> Option<Val> {
    if !matches!(attr, "value" | "name") {
        return None;
    }
    let base = match base {
        Expr::Name(n) => match cx.env.get(n.as_str()) {
            Some(Val::Expr(kept)) => kept.as_ref(),
            _ => return None,
        },
        b => b,
    };
    let Expr::Attr(owner, member) = base else {
        return None;
    };
    let class = if root_is_local(owner, cx.env) {
        match cx.eval(owner) {
            Val::Class(c) => c,
            _ => return None,
        }
    } else {
        match abs_dotted(owner) {
            Some(c) => c,
            None => cx.resolve(&owner.dotted()?),
        }
    };
    let value = match stdlib_member(&format!("{class}.{member}")) {
        Some(v) => v,
        None => {
            let mro = classes::mro(cx.ev.project, &class);
            if !mro.iter().any(|c| ENUM_BASES.contains(&c.as_str())) {
                return None;
            }
            match cx.class_attr(&class, member) {
                Val::Unknown(_) => return None,
                v => v,
            }
        }
    };
    Some(match attr {
        "name" => Val::Str(member.to_string()),
        _ => value,
    })
}
