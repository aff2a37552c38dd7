//! Operations on values that need no interpreter state: operators, equality,
//! indexing and slicing, changes in place, unpacking, a few builtins.

use super::MAX_ITEMS;
use super::value::{Dict, Env, Val};
use crate::python::ir::{Expr, FuncDef, Stmt};
use std::rc::Rc;

/// `l + r` for the values this interpreter models (a sum of lists is a new
/// list). A host value that stands for a list of patterns (`router.urls`)
/// joins a list as one item.
pub fn add(l: Val, r: Val) -> Val {
    let (l, r) = (l.known(), r.known());
    let wrap = |v: Val| match v {
        Val::Host(h) if h.concat_as_item() => Val::list(vec![Val::Host(h)]),
        v => v,
    };
    let (l, r) = (wrap(l), wrap(r));
    // `x = x + x` repeated would double without end
    let size = |v: &Val| match v {
        Val::List(_) | Val::Tuple(_) => v.items().map_or(0, |i| i.len()),
        Val::Str(s) => s.len() / 64,
        _ => 0,
    };
    if size(&l) + size(&r) > MAX_ITEMS {
        return Val::Unknown("too many items".into());
    }
    let joined = |a: &Val, b: &Val| {
        let mut items = a.items().unwrap_or_default();
        items.extend(b.items().unwrap_or_default());
        items
    };
    match (l, r) {
        (a @ Val::List(_), b @ (Val::List(_) | Val::Tuple(_))) => Val::list(joined(&a, &b)),
        (a @ Val::Tuple(_), b @ (Val::Tuple(_) | Val::List(_))) => Val::Tuple(joined(&a, &b)),
        (Val::Str(a), Val::Str(b)) => Val::Str(a + &b),
        (Val::Int(a), Val::Int(b)) => a
            .checked_add(b)
            .map_or_else(|| Val::Unknown("integer overflow".into()), Val::Int),
        (a @ Val::List(_), Val::Unknown(why)) => {
            Val::list(joined(&a, &Val::Tuple(vec![Val::Unknown(why)])))
        }
        (a @ Val::List(_), Val::Expr(e)) => {
            Val::list(joined(&a, &Val::Tuple(vec![Val::Unknown(e.describe())])))
        }
        (Val::Unknown(why), b @ Val::List(_)) => {
            Val::list(joined(&Val::Tuple(vec![Val::Unknown(why)]), &b))
        }
        (Val::Unknown(w), _) | (_, Val::Unknown(w)) => Val::Unknown(w),
        // a library's value or a name read at run time: say which
        (Val::Expr(e), _) | (_, Val::Expr(e)) => {
            Val::Unknown(format!("{} is not known statically", e.describe()))
        }
        _ => Val::Unknown("unsupported +".into()),
    }
}

/// `l += r`: a list is extended in place (every name for it sees the items),
/// anything else is `l + r`.
pub fn add_in_place(l: Val, r: Val) -> Val {
    match (&l, add(l.clone(), r)) {
        (Val::List(list), Val::List(sum)) => {
            let items = sum.borrow().clone();
            *list.borrow_mut() = items;
            l
        }
        (Val::List(list), v) => {
            list.lose("+= of a value not known");
            v
        }
        (_, v) => v,
    }
}

pub enum MethodKind {
    Instance,
    Class,
    Static,
    Property,
}

/// `d.setdefault(key, default)`: the entry of a dict, added with `default`
/// when missing; `None` when whether it is there is not known.
pub fn setdefault(d: &Dict, key: &Val, default: Val) -> Option<Val> {
    let i = find_key(&d.borrow(), key)?;
    Some(match i {
        Some(i) => d.borrow()[i].1.clone(),
        None => {
            d.borrow_mut().push((key.clone(), default.clone()));
            default
        }
    })
}

/// The position of `key` in a dict: `Some(None)` when surely absent, `None`
/// when that is not known.
pub fn find_key(d: &[(Val, Val)], key: &Val) -> Option<Option<usize>> {
    let mut absent = true;
    for (i, (k, _)) in d.iter().enumerate() {
        match val_eq(k, key) {
            Some(true) => return Some(Some(i)),
            Some(false) => {}
            None => absent = false,
        }
    }
    absent.then_some(None)
}

/// `d[key] = v`; `false` when whether `key` is already there is not known.
pub fn dict_set(d: &mut Vec<(Val, Val)>, key: &Val, v: Val) -> bool {
    match find_key(d, key) {
        Some(Some(i)) => d[i].1 = v,
        Some(None) => d.push((key.clone(), v)),
        None => return false,
    }
    true
}

/// `d[key] = v` on a dict, `l[i] = v` on a list; `false` when not known.
pub fn set_item(target: &Val, key: &Val, v: Val) -> bool {
    match (target, key) {
        (Val::Dict(d), _) if d.lost().is_none() => dict_set(&mut d.borrow_mut(), key, v),
        (Val::List(l), Val::Int(n)) if l.lost().is_none() => {
            let mut items = l.borrow_mut();
            let i = if *n < 0 { items.len() as i64 + n } else { *n };
            match usize::try_from(i).ok().and_then(|i| items.get_mut(i)) {
                Some(slot) => *slot = v,
                None => return false,
            }
            true
        }
        _ => false,
    }
}

/// A list/dict method that changes its receiver in place, with known arguments.
pub fn change(v: &Val, method: &str, args: &[Val]) -> bool {
    if matches!(v, Val::List(l) if l.lost().is_some())
        || matches!(v, Val::Dict(d) if d.lost().is_some())
    {
        return false;
    }
    match (v, method, args) {
        (Val::List(l), "append", [x]) => l.borrow_mut().push(x.clone()),
        // a set's: only a list stands for one here (a list has no `add`)
        // objects compare by identity unless their class says otherwise
        (Val::List(l), "add", [x]) => {
            let eqs: Vec<Option<bool>> = l.borrow().iter().map(|y| val_eq(x, y)).collect();
            match eqs {
                eqs if eqs.contains(&Some(true)) => {}
                eqs if eqs.contains(&None) && !matches!(x, Val::Host(_) | Val::Instance(_)) => {
                    return false;
                }
                eqs if eqs.len() < MAX_ITEMS => l.borrow_mut().push(x.clone()),
                _ => return false,
            }
        }
        (Val::List(l), "extend", [x]) => match iterate(x.clone()) {
            Ok(items) if l.borrow().len() + items.len() <= MAX_ITEMS => {
                l.borrow_mut().extend(items)
            }
            _ => return false,
        },
        (Val::List(l), "insert", [Val::Int(i), x]) => {
            let mut l = l.borrow_mut();
            let len = l.len() as i64;
            let at = if *i < 0 {
                (len + i).max(0)
            } else {
                (*i).min(len)
            };
            l.insert(at as usize, x.clone());
        }
        (Val::List(l), "remove", [x]) => {
            let mut l = l.borrow_mut();
            let Some(i) = l.iter().position(|y| val_eq(x, y) == Some(true)) else {
                return false;
            };
            if l[..i].iter().any(|y| val_eq(x, y).is_none()) {
                return false;
            }
            l.remove(i);
        }
        (Val::Dict(d), "setdefault", [k]) => return setdefault(d, k, Val::None).is_some(),
        (Val::Dict(d), "setdefault", [k, x]) => return setdefault(d, k, x.clone()).is_some(),
        (Val::Dict(d), "update", [Val::Dict(new)]) if new.lost().is_none() => {
            let new = new.borrow().clone();
            let mut d = d.borrow_mut();
            if new.iter().any(|(k, _)| find_key(&d, k).is_none()) {
                return false;
            }
            for (k, x) in new {
                dict_set(&mut d, &k, x);
            }
        }
        _ => return false,
    }
    true
}

/// The items a `for` loop or comprehension iterates over.
pub fn iterate(v: Val) -> Result<Vec<Val>, String> {
    let items = match v.known() {
        Val::List(l) => l.borrow().clone(),
        Val::Tuple(v) => v,
        Val::Dict(d) => d.borrow().iter().map(|(k, _)| k.clone()).collect(),
        // a framework's or library's tuple (a named tuple's items)
        h @ Val::Host(_) => h
            .unpacked()
            .ok_or_else(|| "a value that is not a known sequence".to_string())?,
        Val::Unknown(why) => return Err(why),
        Val::Expr(_) => return Err("a value known only at run time".into()),
        _ => return Err("a value that is not a known sequence".into()),
    };
    if items.len() > MAX_ITEMS {
        return Err("too many items".into());
    }
    Ok(items)
}

/// Binds an assignment / loop target; `false` when the shape does not match.
pub fn bind(env: &mut Env, target: &Expr, v: Val) -> bool {
    match target {
        Expr::Name(n) => {
            env.insert(n.to_string(), v);
            true
        }
        Expr::Tuple(ts) | Expr::List(ts) => match v.unpacked() {
            Some(items)
                if items.len() == ts.len() && !ts.iter().any(|t| matches!(t, Expr::Starred(_))) =>
            {
                ts.iter().zip(items).all(|(t, x)| bind(env, t, x))
            }
            _ => false,
        },
        _ => false,
    }
}

pub fn val_eq(a: &Val, b: &Val) -> Option<bool> {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => Some(x == y),
        (Val::Int(x), Val::Int(y)) => Some(x == y),
        (Val::Bool(x), Val::Bool(y)) => Some(x == y),
        (Val::Int(x), Val::Bool(y)) | (Val::Bool(y), Val::Int(x)) => Some(*x == *y as i64),
        (Val::None, Val::None) => Some(true),
        // classes and modules are the objects their dotted names denote;
        // a function made by a `def` that ran once is that one object
        (Val::Class(x), Val::Class(y)) | (Val::Module(x), Val::Module(y)) => Some(x == y),
        (Val::Func(x), Val::Func(y)) => Some(Rc::ptr_eq(x, y)),
        // a framework object is itself; others may still compare equal
        (Val::Host(x), Val::Host(y)) => Rc::ptr_eq(x, y).then_some(true),
        (Val::Class(_) | Val::Module(_) | Val::Func(_), Val::None)
        | (Val::None, Val::Class(_) | Val::Module(_) | Val::Func(_)) => Some(false),
        // distinct instances may still compare equal (`__eq__`)
        (Val::Instance(x), Val::Instance(y)) => Rc::ptr_eq(x, y).then_some(true),
        (Val::Instance(_), Val::None) | (Val::None, Val::Instance(_)) => Some(false),
        // one list or dict is equal to itself; distinct ones are not compared here
        (Val::List(x), Val::List(y)) => Rc::ptr_eq(x, y).then_some(true),
        (Val::Dict(x), Val::Dict(y)) => Rc::ptr_eq(x, y).then_some(true),
        // a reference to a named object (a function, a class) is not None
        (Val::Expr(e), Val::None) | (Val::None, Val::Expr(e)) if abs_dotted(e).is_some() => {
            Some(false)
        }
        (Val::None, Val::Str(_) | Val::Int(_) | Val::Bool(_) | Val::List(_) | Val::Tuple(_))
        | (Val::Str(_) | Val::Int(_) | Val::Bool(_) | Val::List(_) | Val::Tuple(_), Val::None) => {
            Some(false)
        }
        (Val::Str(_), Val::Int(_) | Val::Bool(_)) | (Val::Int(_) | Val::Bool(_), Val::Str(_)) => {
            Some(false)
        }
        _ => None,
    }
}

/// `l is r`, where known: `None` compares as `==` does; a class, module or
/// function is the one object its name or definition denotes; an instance of
/// the scanned code is itself; values of different kinds are different objects.
fn identical(l: &Val, r: &Val) -> Option<bool> {
    match (l, r) {
        (Val::None, _) | (_, Val::None) => val_eq(l, r),
        (Val::Class(_), Val::Class(_))
        | (Val::Module(_), Val::Module(_))
        | (Val::Func(_), Val::Func(_))
        | (Val::Instance(_), Val::Instance(_))
        | (Val::List(_), Val::List(_))
        | (Val::Dict(_), Val::Dict(_)) => val_eq(l, r).or(Some(false)),
        // a named object outside the scanned code (canonical names) is not
        // one of its classes
        (Val::Expr(e), Val::Class(c)) | (Val::Class(c), Val::Expr(e)) => {
            abs_dotted(e).map(|id| id == *c)
        }
        (Val::Class(_) | Val::Module(_), o) | (o, Val::Class(_) | Val::Module(_)) => match o {
            Val::Str(_)
            | Val::Int(_)
            | Val::Bool(_)
            | Val::List(_)
            | Val::Tuple(_)
            | Val::Dict(_)
            | Val::Class(_)
            | Val::Module(_)
            | Val::Func(_)
            | Val::Instance(_) => Some(false),
            _ => None,
        },
        _ => None,
    }
}

pub fn binop(l: Val, op: &str, r: Val) -> Val {
    if op == "/"
        && let Some(v) = super::files::div(&l, &r)
    {
        return v;
    }
    let unknown = || Val::Unknown(format!("operator {op}"));
    let b = |x: Option<bool>| x.map_or_else(unknown, Val::Bool);
    match op {
        "==" => b(val_eq(&l, &r)),
        "!=" => b(val_eq(&l, &r).map(|x| !x)),
        "is" => b(identical(&l, &r)),
        "is not" => b(identical(&l, &r).map(|x| !x)),
        "in" | "not in" => {
            let found = match (&l, &r) {
                (Val::Str(x), Val::Str(y)) => Some(y.contains(x.as_str())),
                (_, Val::List(_) | Val::Tuple(_)) => {
                    let Some(items) = r.items() else {
                        return unknown();
                    };
                    let mut res = Some(false);
                    for i in &items {
                        match val_eq(&l, i) {
                            Some(true) => {
                                res = Some(true);
                                break;
                            }
                            Some(false) => {}
                            None => res = None,
                        }
                    }
                    res
                }
                (_, Val::Dict(_)) => {
                    let Ok(keys) = iterate(r.clone()) else {
                        return unknown();
                    };
                    return binop(l, op, Val::Tuple(keys));
                }
                _ => None,
            };
            b(if op == "in" { found } else { found.map(|x| !x) })
        }
        "<" | ">" | "<=" | ">=" => match (l, r) {
            (Val::Int(x), Val::Int(y)) => Val::Bool(match op {
                "<" => x < y,
                ">" => x > y,
                "<=" => x <= y,
                _ => x >= y,
            }),
            _ => unknown(),
        },
        // sets are lists here (see `|`): the difference and the intersection
        "-" | "&" if matches!((&l, &r), (Val::List(_), Val::List(_))) => {
            let (Some(a), Some(b)) = (l.items(), r.items()) else {
                return unknown();
            };
            let mut out = Vec::new();
            for v in a {
                let found = b
                    .iter()
                    .map(|x| val_eq(x, &v))
                    .try_fold(false, |seen, e| e.map(|e| seen || e));
                match found {
                    Some(found) if found == (op == "&") => out.push(v),
                    Some(_) => {}
                    None => return unknown(),
                }
            }
            Val::list(out)
        }
        "-" | "*" => match (l, r) {
            (Val::Int(x), Val::Int(y)) => {
                let v = if op == "-" {
                    x.checked_sub(y)
                } else {
                    x.checked_mul(y)
                };
                v.map_or_else(unknown, Val::Int)
            }
            _ => unknown(),
        },
        "%" => match (l, r) {
            (Val::Str(f), args) => percent_format(&f, args).map_or_else(unknown, Val::Str),
            _ => unknown(),
        },
        "|" => match (l, r) {
            (Val::Int(x), Val::Int(y)) => Val::Int(x | y),
            // sets are lists here, and a list has no `|`: the union, in order
            (l @ Val::List(_), r @ Val::List(_)) => {
                let (Some(mut a), Some(b)) = (l.items(), r.items()) else {
                    return unknown();
                };
                for v in b {
                    match a
                        .iter()
                        .map(|x| val_eq(x, &v))
                        .try_fold(false, |seen, e| e.map(|e| seen || e))
                    {
                        Some(true) => {}
                        Some(false) => a.push(v),
                        None => return unknown(),
                    }
                }
                Val::list(a)
            }
            // `a | b` of dicts (Python 3.9), a new dict: b's values win
            (Val::Dict(a), Val::Dict(b)) if a.lost().is_none() && b.lost().is_none() => {
                let mut a = a.borrow().clone();
                for (k, v) in b.borrow().iter() {
                    if !dict_set(&mut a, k, v.clone()) {
                        return unknown();
                    }
                }
                Val::dict(a)
            }
            _ => unknown(),
        },
        _ => unknown(),
    }
}

/// `items[a:b]` with literal (or no) bounds; a step or anything else is unknown.
pub fn slice(v: Val, text: &str) -> Val {
    let bound = |b: &str| -> Option<Option<i64>> {
        let b = b.trim();
        if b.is_empty() {
            Some(None)
        } else {
            b.parse().ok().map(Some)
        }
    };
    let bounds = match text.split(':').collect::<Vec<_>>()[..] {
        [a, b] => bound(a).zip(bound(b)),
        _ => None,
    };
    let Some((a, b)) = bounds else {
        return Val::Unknown("slice".into());
    };
    let range = |n: usize| {
        let n = n as i64;
        let at = |x: i64| (if x < 0 { n + x } else { x }).clamp(0, n) as usize;
        let (a, b) = (at(a.unwrap_or(0)), at(b.unwrap_or(n)));
        a..b.max(a)
    };
    match v.known() {
        Val::List(items) => {
            let items = items.borrow();
            Val::list(items[range(items.len())].to_vec())
        }
        Val::Tuple(items) => Val::Tuple(items[range(items.len())].to_vec()),
        Val::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            Val::Str(chars[range(chars.len())].iter().collect())
        }
        _ => Val::Unknown("slice".into()),
    }
}

/// `v[i]`; a `defaultdict` adds the entry its factory makes for a key it lacks.
pub fn subscript(v: Val, i: Val) -> Val {
    match (&v.known(), &i) {
        (l @ (Val::List(_) | Val::Tuple(_)), Val::Int(n)) => {
            let items = l.items().unwrap_or_default();
            let idx = if *n < 0 { items.len() as i64 + n } else { *n };
            usize::try_from(idx)
                .ok()
                .and_then(|i| items.get(i).cloned())
                .unwrap_or_else(|| Val::Unknown("index out of range".into()))
        }
        (Val::Str(s), Val::Int(n)) => {
            let chars: Vec<char> = s.chars().collect();
            let idx = if *n < 0 { chars.len() as i64 + n } else { *n };
            usize::try_from(idx)
                .ok()
                .and_then(|i| chars.get(i))
                .map_or_else(
                    || Val::Unknown("index out of range".into()),
                    |c| Val::Str(c.to_string()),
                )
        }
        (Val::Dict(d), k) => {
            let found = find_key(&d.borrow(), k);
            match found {
                Some(Some(i)) => d.borrow()[i].1.clone(),
                // every key compares with it: missing
                Some(None) => match (d.factory, scalar(k)) {
                    (Some(f), _) => {
                        f.make()
                            .and_then(|x| setdefault(d, k, x))
                            .unwrap_or_else(|| {
                                Val::Unknown("a defaultdict's factory not known".into())
                            })
                    }
                    // Python raises
                    (None, Some(key)) => Val::Unknown(format!("{}{key:?}", super::KEY_ERROR)),
                    (None, None) => Val::Unknown("missing key".into()),
                },
                None => Val::Unknown("missing key".into()),
            }
        }
        _ => Val::Unknown("subscript".into()),
    }
}

pub fn scalar(v: &Val) -> Option<String> {
    match v {
        Val::Str(s) => Some(s.clone()),
        Val::Int(i) => Some(i.to_string()),
        Val::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
        Val::None => Some("None".into()),
        _ => None,
    }
}

/// `"%s-%s" % (a, b)` and `"%(name)s" % {...}` with `%s`, `%d`, `%i`, `%%`.
pub fn percent_format(f: &str, args: Val) -> Option<String> {
    let positional: Vec<Val> = match &args {
        Val::Tuple(v) => v.clone(),
        Val::Dict(_) => vec![],
        other => vec![other.clone()],
    };
    let mut next = positional.into_iter();
    let mut out = String::new();
    let mut chars = f.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch != '%' {
            out.push(ch);
            continue;
        }
        let mut key = None;
        if chars.peek() == Some(&'(') {
            chars.next();
            let k: String = chars.by_ref().take_while(|c| *c != ')').collect();
            key = Some(k);
        }
        let v = match (chars.next()?, &key) {
            ('%', None) => {
                out.push('%');
                continue;
            }
            ('s' | 'd' | 'i', Some(k)) => args.dict_get(k)?,
            ('s', None) => next.next()?,
            ('d' | 'i', None) => match next.next()? {
                v @ Val::Int(_) => v,
                _ => return None,
            },
            _ => return None,
        };
        out.push_str(&scalar(&v)?);
    }
    if next.next().is_some() {
        return None;
    }
    Some(out)
}

pub fn builtin(name: &str, args: Vec<Val>) -> Option<Val> {
    let mut it = args.into_iter();
    let a = it.next();
    let b = it.next();
    Some(match (name, a, b) {
        ("enumerate", Some(x), None) => Val::list(
            iterate(x)
                .ok()?
                .into_iter()
                .enumerate()
                .map(|(i, v)| Val::Tuple(vec![Val::Int(i as i64), v]))
                .collect(),
        ),
        ("range", Some(Val::Int(n)), None) if (0..=MAX_ITEMS as i64).contains(&n) => {
            Val::list((0..n).map(Val::Int).collect())
        }
        ("range", Some(Val::Int(a)), Some(Val::Int(b)))
            if b.saturating_sub(a) <= MAX_ITEMS as i64 =>
        {
            Val::list((a..b.max(a)).map(Val::Int).collect())
        }
        ("len", Some(x), None) => match x {
            Val::Str(s) => Val::Int(s.chars().count() as i64),
            Val::Dict(d) if d.lost().is_none() => Val::Int(d.borrow().len() as i64),
            x => Val::Int(iterate(x).ok()?.len() as i64),
        },
        ("zip", Some(x), Some(y)) => Val::list(
            iterate(x)
                .ok()?
                .into_iter()
                .zip(iterate(y).ok()?)
                .map(|(a, b)| Val::Tuple(vec![a, b]))
                .collect(),
        ),
        ("reversed", Some(x), None) => {
            let mut v = iterate(x).ok()?;
            v.reverse();
            Val::list(v)
        }
        _ => return None,
    })
}

/// Whether a block is a `try` statement: its body, then `except` handlers.
pub fn is_try(b: &[Stmt]) -> bool {
    matches!(b.first(), Some(Stmt::Block(body)) if !matches!(body.first(), Some(Stmt::Guard(_))))
        && b.iter().skip(1).any(|s| {
            matches!(s, Stmt::Block(h)
                if matches!(h.first(), Some(Stmt::Guard(Some(Expr::Other(t)))) if crate::python::ir::is_except(t)))
        })
}

pub fn method_kind(fd: &FuncDef) -> MethodKind {
    let names: Vec<&str> = fd.decorators.iter().filter_map(|d| d.last_name()).collect();
    if names
        .iter()
        .any(|n| matches!(*n, "classmethod" | "classonlymethod" | "classproperty"))
    {
        MethodKind::Class
    } else if names.contains(&"staticmethod") {
        MethodKind::Static
    } else if names
        .iter()
        .any(|n| matches!(*n, "property" | "cached_property" | "setter"))
    {
        MethodKind::Property
    } else {
        MethodKind::Instance
    }
}

pub fn root(e: &Expr) -> &Expr {
    let mut e = e;
    while let Expr::Attr(b, _) = e {
        e = b;
    }
    e
}

/// The start of an attribute and subscript chain (`f(x).parents[2]` -> `f(x)`).
pub fn call_root(e: &Expr) -> &Expr {
    let mut e = e;
    while let Expr::Attr(b, _) | Expr::Subscript(b, _) = e {
        e = b;
    }
    e
}

pub fn root_is_local(e: &Expr, env: &Env) -> bool {
    matches!(root(e), Expr::Name(n) if env.contains_key(n.as_str()))
}

/// `a.b.c` for a chain rooted at an already-resolved name.
pub fn abs_dotted(e: &Expr) -> Option<String> {
    match e {
        Expr::Resolved(c) => Some(c.to_string()),
        Expr::Attr(b, a) => abs_dotted(b).map(|b| format!("{b}.{a}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::interp::value::{Factory, Shared};

    fn strs(v: &Val) -> Vec<String> {
        v.strings()
    }
    fn s(x: &str) -> Val {
        Val::Str(x.into())
    }

    /// Two names for one list: a change through either is seen through both.
    #[test]
    fn a_list_is_shared_by_every_reference() {
        let urls = Val::list(vec![s("a/")]);
        let alias = urls.clone();
        assert!(change(&alias, "append", &[s("b/")]));
        let alias = add_in_place(alias, Val::list(vec![s("c/")]));
        assert!(matches!(alias, Val::List(_)));
        assert_eq!(strs(&urls), ["a/", "b/", "c/"]);
        let d = Val::dict(vec![(s("k"), urls.clone())]);
        assert!(change(&subscript(d, s("k")), "append", &[s("d/")]));
        assert_eq!(strs(&urls), ["a/", "b/", "c/", "d/"]);
    }

    /// `x + y`, `x[:]`, `x.copy()`-like copies are new lists: changing them leaves `x` alone.
    #[test]
    fn copies_are_new_lists() {
        let urls = Val::list(vec![s("a/")]);
        let summed = add(urls.clone(), Val::list(vec![s("b/")]));
        let sliced = slice(urls.clone(), ":");
        assert!(change(&summed, "append", &[s("x")]));
        assert!(change(&sliced, "append", &[s("y")]));
        assert_eq!(strs(&urls), ["a/"]);
        assert_eq!(strs(&summed), ["a/", "b/", "x"]);
        assert_eq!(strs(&sliced), ["a/", "y"]);
        // a tuple `+=` makes a new tuple, the old one unchanged
        let t = Val::Tuple(vec![s("a")]);
        let t2 = add_in_place(t.clone(), Val::Tuple(vec![s("b")]));
        assert_eq!(
            (strs(&t), strs(&t2)),
            (vec!["a".into()], vec!["a".into(), "b".into()])
        );
    }

    /// `defaultdict(list)`: reading a missing key adds the factory's new list, the one
    /// appended to; a plain dict's missing key raises `KeyError`.
    #[test]
    fn defaultdict_adds_the_entry_read() {
        let groups = Val::Dict(Shared::new(Vec::new(), Some(Factory::List)));
        assert!(change(
            &subscript(groups.clone(), s("x")),
            "append",
            &[s("d/")]
        ));
        assert_eq!(strs(&subscript(groups.clone(), s("x"))), ["d/"]);
        assert_eq!(iterate(groups).unwrap().len(), 1);
        let plain = Val::dict(Vec::new());
        assert!(subscript(plain, s("x")).is_raised());
    }

    /// A list holding itself: printing, rendering, iterating and comparing end.
    #[test]
    fn a_list_inside_itself_ends() {
        let l = Val::list(vec![s("a")]);
        assert!(change(&l, "append", std::slice::from_ref(&l)));
        let l = add_in_place(l.clone(), l);
        assert_eq!(iterate(l.clone()).unwrap().len(), 4);
        assert!(format!("{l:?}").contains("<...>"));
        assert_eq!(l.render().as_deref(), Some("[a, a]"));
        assert_eq!(val_eq(&l, &l), Some(true));
        assert_eq!(val_eq(&l, &Val::list(vec![])), None);
    }
}
