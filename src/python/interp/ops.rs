//! Operations on values that need no interpreter state: operators, equality,
//! indexing and slicing, changes in place, unpacking, a few builtins.

use super::MAX_ITEMS;
use super::value::{Env, Val};
use crate::python::ir::{Expr, FuncDef, Stmt};
use std::rc::Rc;

/// `l + r` for the values this interpreter models. A host value that stands
/// for a list of patterns (`router.urls`) joins a list as one item.
pub fn add(l: Val, r: Val) -> Val {
    // `x = x + x` repeated would double without end
    let size = |v: &Val| match v {
        Val::List(a) | Val::Tuple(a) => a.len(),
        Val::Str(s) => s.len() / 64,
        _ => 0,
    };
    if size(&l) + size(&r) > MAX_ITEMS {
        return Val::Unknown("too many items".into());
    }
    let wrap = |v: Val| match v {
        Val::Host(h) if h.concat_as_item() => Val::List(vec![Val::Host(h)]),
        v => v,
    };
    match (wrap(l), wrap(r)) {
        (Val::List(mut a), Val::List(b) | Val::Tuple(b)) => {
            a.extend(b);
            Val::List(a)
        }
        (Val::Tuple(mut a), Val::Tuple(b) | Val::List(b)) => {
            a.extend(b);
            Val::Tuple(a)
        }
        (Val::Str(a), Val::Str(b)) => Val::Str(a + &b),
        (Val::Int(a), Val::Int(b)) => a
            .checked_add(b)
            .map_or_else(|| Val::Unknown("integer overflow".into()), Val::Int),
        (Val::List(mut a), Val::Unknown(why)) => {
            a.push(Val::Unknown(why));
            Val::List(a)
        }
        (Val::List(mut a), Val::Expr(e)) => {
            a.push(Val::Unknown(e.describe()));
            Val::List(a)
        }
        (Val::Unknown(why), Val::List(b)) => {
            let mut a = vec![Val::Unknown(why)];
            a.extend(b);
            Val::List(a)
        }
        (Val::Unknown(w), _) | (_, Val::Unknown(w)) => Val::Unknown(w),
        // a library's value or a name read at run time: say which
        (Val::Expr(e), _) | (_, Val::Expr(e)) => {
            Val::Unknown(format!("{} is not known statically", e.describe()))
        }
        _ => Val::Unknown("unsupported +".into()),
    }
}

pub enum MethodKind {
    Instance,
    Class,
    Static,
    Property,
}

/// The entry of a dict (`key`, added with `default` when missing and a default
/// is given) or the item of a list (`key` an index).
pub fn item_mut<'v>(v: &'v mut Val, key: &Val, default: Option<Val>) -> Option<&'v mut Val> {
    match v {
        Val::Dict(d) => {
            let i = match find_key(d, key)? {
                Some(i) => i,
                None => {
                    d.push((key.clone(), default?));
                    d.len() - 1
                }
            };
            Some(&mut d[i].1)
        }
        Val::List(items) => {
            let Val::Int(n) = key else { return None };
            let i = if *n < 0 { items.len() as i64 + n } else { *n };
            items.get_mut(usize::try_from(i).ok()?)
        }
        _ => None,
    }
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

/// `d[key] = v` on a dict, `l[i] = v` on a list (`v` taken).
/// Whether a class name is the builtin `dict` (or one that behaves as it does here):
/// an instance of a project class deriving from it keeps its items as its native part.
pub fn is_dict_class(class: &str) -> bool {
    matches!(
        class,
        "dict" | "builtins.dict" | "collections.OrderedDict" | "typing.Dict"
    )
}

/// An instance of a `dict` subclass read as data (`k in cfg`, `len(cfg)`, a loop over
/// it): its items; any other value as it is.
pub fn as_data(v: Val) -> Val {
    match &v {
        Val::Instance(o) => match (o.native(), o.lost()) {
            (Some(Val::Dict(_)), Some(why)) => Val::Unknown(why),
            (Some(d @ Val::Dict(_)), None) => d,
            _ => v,
        },
        _ => v,
    }
}

/// Applies `f` to item `key` of a list, a dict or a `dict` subclass's instance; a
/// missing key of a dict gets `default` first when one is given.
pub fn with_item(
    v: &mut Val,
    key: &Val,
    default: Option<Val>,
    f: &mut dyn FnMut(&mut Val) -> bool,
) -> bool {
    if let Some(done) = with_instance_items(v, |d| {
        item_mut(d, key, default.clone()).is_some_and(&mut *f)
    }) {
        return done;
    }
    item_mut(v, key, default).is_some_and(f)
}

/// Runs `f` on the items of an instance of a `dict` subclass, changed in place;
/// `None` for any other value (or items already being changed).
pub fn with_instance_items<R>(v: &Val, f: impl FnOnce(&mut Val) -> R) -> Option<R> {
    let Val::Instance(o) = v else { return None };
    if o.lost().is_some() {
        return None;
    }
    let mut native = o.native.try_borrow_mut().ok()?;
    match native.as_mut() {
        Some(d @ Val::Dict(_)) => Some(f(d)),
        _ => None,
    }
}

pub fn set_item(target: &mut Val, key: &Val, v: &mut Option<Val>) -> bool {
    if let Some(done) = with_instance_items(target, |d| set_item(d, key, v)) {
        return done;
    }
    if let Val::Dict(d) = target {
        return v.take().is_some_and(|v| dict_set(d, key, v));
    }
    match (item_mut(target, key, None), v.take()) {
        (Some(slot), Some(v)) => {
            *slot = v;
            true
        }
        _ => false,
    }
}

/// A list/dict method that changes its receiver in place, with known arguments.
pub fn change(v: &mut Val, method: &str, args: &[Val]) -> bool {
    match (v, method, args) {
        // an unknown value stays unknown
        (v @ (Val::Unknown(_) | Val::Expr(_)), ..) => *v = Val::Unknown(format!(".{method}(...)")),
        (Val::List(l), "append", [x]) => l.push(x.clone()),
        // a set's: only a list stands for one here (a list has no `add`)
        // objects compare by identity unless their class says otherwise
        (Val::List(l), "add", [x]) => match l.iter().map(|y| val_eq(x, y)).collect::<Vec<_>>() {
            eqs if eqs.contains(&Some(true)) => {}
            eqs if eqs.contains(&None) && !matches!(x, Val::Host(_) | Val::Instance(_)) => {
                return false;
            }
            _ if l.len() < MAX_ITEMS => l.push(x.clone()),
            _ => return false,
        },
        (Val::List(l), "extend", [x]) => match iterate(x.clone()) {
            Ok(items) if l.len() + items.len() <= MAX_ITEMS => l.extend(items),
            _ => return false,
        },
        (Val::List(l), "insert", [Val::Int(i), x]) => {
            let len = l.len() as i64;
            let at = if *i < 0 {
                (len + i).max(0)
            } else {
                (*i).min(len)
            };
            l.insert(at as usize, x.clone());
        }
        (Val::List(l), "remove", [x]) => {
            let Some(i) = l.iter().position(|y| val_eq(x, y) == Some(true)) else {
                return false;
            };
            if l[..i].iter().any(|y| val_eq(x, y).is_none()) {
                return false;
            }
            l.remove(i);
        }
        (Val::Dict(d), "update", [Val::Dict(new)]) => {
            if new.iter().any(|(k, _)| find_key(d, k).is_none()) {
                return false;
            }
            for (k, x) in new {
                dict_set(d, k, x.clone());
            }
        }
        _ => return false,
    }
    true
}

/// The items a `for` loop or comprehension iterates over.
pub fn iterate(v: Val) -> Result<Vec<Val>, String> {
    let items = match as_data(v) {
        Val::List(v) | Val::Tuple(v) => v,
        Val::Dict(d) => d.into_iter().map(|(k, _)| k).collect(),
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
    let sentinel = |v: &Val| match v {
        Val::Host(h) => h.sentinel(),
        _ => None,
    };
    match (sentinel(l), sentinel(r)) {
        (Some(a), Some(b)) => return Some(a == b),
        (Some(_), None) if known_object(r) || matches!(r, Val::None) => return Some(false),
        (None, Some(_)) if known_object(l) || matches!(l, Val::None) => return Some(false),
        _ => {}
    }
    match (l, r) {
        (Val::None, _) | (_, Val::None) => val_eq(l, r),
        // `True` and `False` are the only two bool objects
        (Val::Bool(a), Val::Bool(b)) => Some(a == b),
        (Val::Bool(_), o) | (o, Val::Bool(_)) => known_object(o).then_some(false),
        (Val::Class(_), Val::Class(_))
        | (Val::Module(_), Val::Module(_))
        | (Val::Func(_), Val::Func(_))
        | (Val::Instance(_), Val::Instance(_)) => val_eq(l, r).or(Some(false)),
        // a named object outside the scanned code (canonical names) is not
        // one of its classes
        (Val::Expr(e), Val::Class(c)) | (Val::Class(c), Val::Expr(e)) => {
            abs_dotted(e).map(|id| id == *c)
        }
        (Val::Class(_) | Val::Module(_), o) | (o, Val::Class(_) | Val::Module(_)) => {
            known_object(o).then_some(false)
        }
        _ => None,
    }
}

/// Whether `v` is an object whose identity this interpreter knows (not a
/// framework's value or one known only by name).
fn known_object(v: &Val) -> bool {
    matches!(
        v,
        Val::Str(_)
            | Val::Int(_)
            | Val::Bool(_)
            | Val::List(_)
            | Val::Tuple(_)
            | Val::Dict(_)
            | Val::Class(_)
            | Val::Module(_)
            | Val::Func(_)
            | Val::Instance(_)
    )
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
            let r = as_data(r);
            let found = match (&l, &r) {
                (Val::Str(x), Val::Str(y)) => Some(y.contains(x.as_str())),
                (_, Val::List(items) | Val::Tuple(items)) => {
                    let mut res = Some(false);
                    for i in items {
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
                (_, Val::Dict(d)) => {
                    let keys: Vec<Val> = d.iter().map(|(k, _)| k.clone()).collect();
                    return binop(l, op, Val::List(keys));
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
            let (Val::List(a), Val::List(b)) = (l, r) else {
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
            Val::List(out)
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
            (Val::List(mut a), Val::List(b)) => {
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
                Val::List(a)
            }
            // `a | b` of dicts (Python 3.9): b's values win
            (Val::Dict(mut a), Val::Dict(b)) => {
                for (k, v) in b {
                    if !dict_set(&mut a, &k, v) {
                        return unknown();
                    }
                }
                Val::Dict(a)
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
    match v {
        Val::List(items) => Val::List(items[range(items.len())].to_vec()),
        Val::Tuple(items) => Val::Tuple(items[range(items.len())].to_vec()),
        Val::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            Val::Str(chars[range(chars.len())].iter().collect())
        }
        _ => Val::Unknown("slice".into()),
    }
}

pub fn subscript(v: Val, i: Val) -> Val {
    let v = as_data(v);
    match (&v, &i) {
        (Val::List(items) | Val::Tuple(items), Val::Int(n)) => {
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
        (Val::Dict(d), k) => d
            .iter()
            .find(|(x, _)| val_eq(x, k) == Some(true))
            .map(|(_, x)| x.clone())
            .unwrap_or_else(|| match scalar(k) {
                // every key compares with it: Python raises
                Some(key) if d.iter().all(|(x, _)| val_eq(x, k).is_some()) => {
                    Val::Unknown(format!("{}{key:?}", super::KEY_ERROR))
                }
                _ => Val::Unknown("missing key".into()),
            }),
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
            ('s' | 'd' | 'i', Some(k)) => args.dict_get(k)?.clone(),
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
        ("enumerate", Some(x), None) => Val::List(
            iterate(x)
                .ok()?
                .into_iter()
                .enumerate()
                .map(|(i, v)| Val::Tuple(vec![Val::Int(i as i64), v]))
                .collect(),
        ),
        ("range", Some(Val::Int(n)), None) if (0..=MAX_ITEMS as i64).contains(&n) => {
            Val::List((0..n).map(Val::Int).collect())
        }
        ("range", Some(Val::Int(a)), Some(Val::Int(b)))
            if b.saturating_sub(a) <= MAX_ITEMS as i64 =>
        {
            Val::List((a..b.max(a)).map(Val::Int).collect())
        }
        ("len", Some(x), None) => match as_data(x) {
            Val::Str(s) => Val::Int(s.chars().count() as i64),
            Val::Dict(d) => Val::Int(d.len() as i64),
            x => Val::Int(iterate(x).ok()?.len() as i64),
        },
        ("zip", Some(x), Some(y)) => Val::List(
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
            Val::List(v)
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
