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
    /// A list (or a set, a list of distinct items here): one object that
    /// every name, attribute, item and argument holding it refers to.
    List(List),
    Tuple(Vec<Val>),
    /// A dict, shared as a list is.
    Dict(Dict),
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

/// A list or dict object. Python's names, attributes, items and arguments
/// hold references: a change through any of them (`alias += [...]`, a helper
/// appending to the list it is given) is seen through all. Once a change that
/// may have happened is not known (a call that failed after changing it), the
/// object is lost: its contents are dropped and reading it gives `Unknown`.
pub struct Shared<T> {
    items: RefCell<T>,
    lost: RefCell<Option<String>>,
    /// A dict's `default_factory` (`collections.defaultdict(list)`).
    pub(super) factory: Option<Factory>,
}

pub type List = Rc<Shared<Vec<Val>>>;
pub type Dict = Rc<Shared<Vec<(Val, Val)>>>;

/// What a `defaultdict` makes for a key it is asked for and lacks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Factory {
    List,
    Dict,
    Int,
    Str,
    Tuple,
    /// A callable not modelled: what it makes is not known.
    Other,
}

impl Factory {
    /// A new value of the factory; `None` when it is not known.
    pub fn make(self) -> Option<Val> {
        Some(match self {
            Factory::List => Val::list(Vec::new()),
            Factory::Dict => Val::dict(Vec::new()),
            Factory::Int => Val::Int(0),
            Factory::Str => Val::Str(String::new()),
            Factory::Tuple => Val::Tuple(Vec::new()),
            Factory::Other => return None,
        })
    }
}

impl<T> Shared<T> {
    pub fn lost(&self) -> Option<String> {
        self.lost.borrow().clone()
    }
}

impl<T: Default> Shared<T> {
    pub fn new(items: T, factory: Option<Factory>) -> Rc<Self> {
        Rc::new(Shared {
            items: RefCell::new(items),
            lost: RefCell::new(None),
            factory,
        })
    }
    /// Its contents (empty once lost: check `lost` where that matters).
    pub fn borrow(&self) -> std::cell::Ref<'_, T> {
        self.items.borrow()
    }
    pub(super) fn borrow_mut(&self) -> std::cell::RefMut<'_, T> {
        self.items.borrow_mut()
    }
    pub(super) fn lose(&self, why: &str) {
        let mut lost = self.lost.borrow_mut();
        if lost.is_none() {
            *lost = Some(format!("contents of a changed container: {why}"));
            // they may hold references back to it
            *self.items.borrow_mut() = T::default();
        }
    }
}

thread_local! {
    /// The containers being printed by `Debug`, so that one holding itself ends.
    static PRINTING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = self as *const Self as usize;
        if PRINTING.with(|p| p.borrow().contains(&id)) {
            return write!(f, "<...>");
        }
        if let Some(why) = self.lost() {
            return write!(f, "<lost: {why}>");
        }
        PRINTING.with(|p| p.borrow_mut().push(id));
        let r = write!(f, "{:?}", self.items.borrow());
        PRINTING.with(|p| p.borrow_mut().pop());
        r
    }
}

/// A function defined inside a function, with what it closes over.
#[derive(Debug)]
pub struct Closure {
    pub def: crate::python::ir::FuncDef,
    /// The module it is written in.
    pub module: String,
    /// `module.<locals>.name`, as a view names it.
    pub id: String,
    /// The enclosing function's names when the definition ran.
    pub captured: Env,
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
    /// Its items when unpacked (`a, b, c = include(patterns)`, Django's
    /// include() being a 3-tuple), when the framework models them.
    fn unpack(&self) -> Option<Vec<Val>> {
        None
    }
}

impl Val {
    /// A new list object.
    pub fn list(items: Vec<Val>) -> Val {
        Val::List(Shared::new(items, None))
    }
    /// A new dict object.
    pub fn dict(items: Vec<(Val, Val)>) -> Val {
        Val::Dict(Shared::new(items, None))
    }
    /// The address of the list or dict this is, to tell one from another.
    pub(super) fn container_ptr(&self) -> Option<usize> {
        match self {
            Val::List(l) => Some(Rc::as_ptr(l) as *const u8 as usize),
            Val::Dict(d) => Some(Rc::as_ptr(d) as *const u8 as usize),
            _ => None,
        }
    }
    /// Marks a list or dict lost (see `Shared`).
    pub(super) fn lose(&self, why: &str) {
        match self {
            Val::List(l) => l.lose(why),
            Val::Dict(d) => d.lose(why),
            _ => {}
        }
    }
    /// `Unknown` for a list or dict that is lost, else itself.
    pub fn known(self) -> Val {
        match &self {
            Val::List(l) if let Some(why) = l.lost() => Val::Unknown(why),
            Val::Dict(d) if let Some(why) = d.lost() => Val::Unknown(why),
            _ => self,
        }
    }
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
            v => v.items(),
        }
    }
    /// A list's or tuple's items (a copy: the list may change later).
    pub fn items(&self) -> Option<Vec<Val>> {
        match self {
            Val::List(l) if l.lost().is_none() => Some(l.borrow().clone()),
            Val::Tuple(v) => Some(v.clone()),
            _ => None,
        }
    }
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            Val::Int(i) => Some(*i != 0),
            Val::None => Some(false),
            Val::Str(s) => Some(!s.is_empty()),
            Val::List(l) if l.lost().is_none() => Some(!l.borrow().is_empty()),
            Val::Dict(d) if d.lost().is_none() => Some(!d.borrow().is_empty()),
            Val::Tuple(v) => Some(!v.is_empty()),
            // classes and modules are truthy
            Val::Class(_) | Val::Module(_) | Val::Func(_) => Some(true),
            Val::Host(h) => h.truthy(),
            Val::Instance(o) => o.truthy.then_some(true),
            // a kept expression: see `Cx::truth`
            _ => None,
        }
    }
    /// Short text for settings output.
    pub fn render(&self) -> Option<String> {
        self.render_in(&mut Vec::new())
    }
    /// `render` inside the lists `open` (a list inside itself is not rendered).
    fn render_in(&self, open: &mut Vec<*const Shared<Vec<Val>>>) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Int(i) => Some(i.to_string()),
            Val::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
            Val::None => Some("None".into()),
            Val::List(l) if open.contains(&Rc::as_ptr(l)) => None,
            Val::List(_) | Val::Tuple(_) => {
                if let Val::List(l) = self {
                    open.push(Rc::as_ptr(l));
                }
                let parts: Vec<String> = self
                    .items()?
                    .iter()
                    .filter_map(|x| x.render_in(open))
                    .collect();
                if let Val::List(_) = self {
                    open.pop();
                }
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
    /// The text a dict holds under `key`.
    pub fn dict_str(&self, key: &str) -> Option<String> {
        match self.dict_get(key)? {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn dict_get(&self, key: &str) -> Option<Val> {
        match self {
            Val::Dict(d) => d
                .borrow()
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v.clone()),
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
