//! The values of the interpreter: Python's own (strings, numbers, containers,
//! modules, classes, instances of scanned classes) plus framework values a
//! [`super::Host`] makes, and `Unknown` with the reason a value is not known.

use crate::python::ir::Expr;
use rustc_hash::FxHashMap as HashMap;
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

pub type Env = HashMap<String, Val>;

#[derive(Clone, Debug)]
pub enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    None,
    List(Vec<Val>),
    Tuple(Vec<Val>),
    Dict(Vec<(Val, Val)>),
    /// A scanned module object (`import app.urls` then `app.urls`).
    Module(String),
    /// A class in scanned code (`cls` in a classmethod).
    Class(String),
    /// An instance of a class defined in scanned code.
    Instance(Rc<Obj>),
    /// A value a framework's built-ins made (a URL pattern, a router, an app
    /// config): the interpreter passes it around, the host gives it meaning.
    Host(Rc<dyn HostValue>),
    /// A function defined inside a running function: called, it runs with
    /// the names of its enclosing function as they were when it was defined.
    Func(Rc<Closure>),
    /// `super()` in a method: the classes after the method's own in the MRO.
    Super(Rc<super::eval::Owner>),
    /// An expression inside a helper function's evaluation that has no value
    /// here (`View.as_view()`), names already resolved (`Expr::Resolved`): kept
    /// so that a value built from it (a URL pattern) still knows what it names.
    Expr(Rc<Expr>),
    Unknown(String),
}

/// A function defined inside a function, with what it closes over.
#[derive(Debug)]
pub struct Closure {
    pub def: crate::python::ir::FuncDef,
    /// The module it is written in.
    pub module: String,
    /// `module.<locals>.name`, as a view names it.
    pub id: String,
    /// The enclosing function's names when the definition ran. A list or dict
    /// a call changes in place is kept for the next call, and the enclosing
    /// function sees it (Python shares the object): see `Cx::call_own_closure`.
    pub captured: RefCell<Env>,
    /// The running function that defined it (`Interpreter::current_frame`).
    pub frame: Option<u64>,
    /// The names it binds itself (`exec::own_names`), not shared with the
    /// enclosing function.
    pub own: Vec<String>,
}

/// A framework value held by the interpreter.
pub trait HostValue: Any + std::fmt::Debug {
    fn as_any(&self) -> &dyn Any;
    /// `bool(v)`; framework objects are truthy unless they say otherwise.
    fn truthy(&self) -> Option<bool> {
        Some(true)
    }
    /// Whether `+` with a list treats it as one more item (a value that stands
    /// for a list of patterns, such as `router.urls`).
    fn concat_as_item(&self) -> bool {
        false
    }
    /// Whether a loop over a list of such values runs each iteration on its
    /// own: one that is not understood is skipped rather than failing the loop
    /// (installed apps, each loaded by itself).
    fn independent(&self) -> bool {
        false
    }
    /// For a bare `object()` a library keeps as a marker (Django's `empty`),
    /// its canonical name: it is identical to itself only.
    fn sentinel(&self) -> Option<&'static str> {
        None
    }
    /// Its items when unpacked (`a, b, c = include(patterns)`, Django's
    /// include() being a 3-tuple), when the framework models them.
    fn unpack(&self) -> Option<Vec<Val>> {
        None
    }
    /// Its items when read as a mapping (`d.update(app.config)`), when the
    /// framework knows them all.
    fn items(&self) -> Option<Vec<(Val, Val)>> {
        None
    }
}

impl Val {
    pub fn host(v: impl HostValue) -> Val {
        Val::Host(Rc::new(v))
    }
    /// The framework value of type `T` this is, if any.
    pub fn downcast<T: HostValue>(&self) -> Option<&T> {
        match self {
            Val::Host(h) => h.as_any().downcast_ref(),
            _ => None,
        }
    }
    /// The framework value of type `T` this is, shared; for an instance of a
    /// project subclass of a framework class, its framework part.
    pub fn downcast_rc<T: HostValue>(&self) -> Option<Rc<T>> {
        match self {
            Val::Host(h) => {
                let any: Rc<dyn Any> = h.clone();
                any.downcast::<T>().ok()
            }
            Val::Instance(o) => o.native()?.downcast_rc(),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
    /// Its items when unpacked or spread (`a, b = v`, `*v`): a list's or
    /// tuple's, or those a framework's value models.
    pub fn unpacked(&self) -> Option<Vec<Val>> {
        match self {
            Val::Host(h) => h.unpack(),
            v => v.items().map(<[Val]>::to_vec),
        }
    }
    pub fn items(&self) -> Option<&[Val]> {
        match self {
            Val::List(v) | Val::Tuple(v) => Some(v),
            _ => None,
        }
    }
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            Val::Int(i) => Some(*i != 0),
            Val::None => Some(false),
            Val::Str(s) => Some(!s.is_empty()),
            Val::List(v) | Val::Tuple(v) => Some(!v.is_empty()),
            Val::Dict(v) => Some(!v.is_empty()),
            // classes and modules are truthy
            Val::Class(_) | Val::Module(_) | Val::Func(_) => Some(true),
            Val::Host(h) => h.truthy(),
            Val::Instance(o) => match &*o.native.borrow() {
                // a `dict` subclass's: its items'
                Some(Val::Dict(d)) => Some(!d.is_empty()),
                _ => o.truthy.then_some(true),
            },
            // a kept expression: see `Cx::truth`
            _ => None,
        }
    }
    /// Short text for settings output.
    pub fn render(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Int(i) => Some(i.to_string()),
            Val::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
            Val::None => Some("None".into()),
            Val::List(v) | Val::Tuple(v) => {
                let parts: Vec<String> = v.iter().filter_map(|x| x.render()).collect();
                Some(format!("[{}]", parts.join(", ")))
            }
            Val::Dict(_) => Some("{...}".into()),
            _ => None,
        }
    }
    pub fn strings(&self) -> Vec<String> {
        self.items()
            .map(|v| {
                v.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
    pub fn dict_get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Dict(v) => v
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// An instance of a scanned class. Every reference shares its attributes, as in
/// Python; once a call that may have changed them fails, they are lost (unknown).
pub struct Obj {
    pub class: String,
    /// Instance attributes, in the order they were first set.
    pub(super) attrs: RefCell<Vec<(String, Val)>>,
    pub(super) lost: RefCell<Option<String>>,
    /// Whether `bool(obj)` is always true (no `__bool__` / `__len__`).
    pub(super) truthy: bool,
    /// Made by a framework that loads each such object by itself (an app
    /// config): a loop over several runs each iteration on its own.
    pub(super) independent: bool,
    /// For a subclass of a framework class (`class Module(Blueprint)`): the
    /// framework's object its base `__init__` made, which answers what the
    /// project's own classes do not define.
    pub(super) native: RefCell<Option<Val>>,
    /// The file and line of the expression that made it.
    pub(super) made_at: (String, u32),
}

impl std::fmt::Debug for Obj {
    // not the attributes: they may refer back to the object
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} instance>", self.class)
    }
}

impl Obj {
    pub fn get(&self, name: &str) -> Option<Val> {
        let attrs = self.attrs.borrow();
        attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    pub fn set(&self, name: &str, v: Val) {
        let mut attrs = self.attrs.borrow_mut();
        match attrs.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = v,
            None => attrs.push((name.to_string(), v)),
        }
    }

    /// Applies `f` to an attribute in place; `false` when there is none or `f` fails.
    pub fn update(&self, name: &str, f: &mut dyn FnMut(&mut Val) -> bool) -> bool {
        let mut attrs = self.attrs.borrow_mut();
        attrs
            .iter_mut()
            .find(|(k, _)| k == name)
            .is_some_and(|(_, v)| f(v))
    }

    pub fn native(&self) -> Option<Val> {
        self.native.borrow().clone()
    }

    pub fn lost(&self) -> Option<String> {
        self.lost.borrow().clone()
    }

    pub fn lose(&self, why: &str) {
        let mut lost = self.lost.borrow_mut();
        if lost.is_none() {
            *lost = Some(format!("state of a {} instance: {why}", self.class));
            // its attributes may hold references back to it
            self.attrs.borrow_mut().clear();
        }
    }
}
