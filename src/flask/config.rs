//! `app.config`: the dict of settings Flask gives each app, filled by the
//! start-up code. Keys come from item assignment, `update`/`setdefault`,
//! `from_mapping`, and `from_object` (the upper-case attributes of a module,
//! class or import string of the scanned code). Sources this interpreter
//! cannot read (`from_pyfile`, `from_envvar`, an object not known) may set any
//! key: `config.get(key, default)` of a key no read source sets is the default
//! the code gives only when no module or class of the scanned code assigns
//! that name (then only a deployment's file could set it); otherwise, like
//! `config[key]` of such a key, it is not known.

use crate::python::classes;
use crate::python::interp::{Cx, HostValue, Val};
use crate::python::ir::{Call, Expr, Stmt, walk_stmts};
use std::any::Any;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

/// Upper-case names the scanned code assigns in a module or class body (what
/// an unread `from_object` could copy) or reads as `config["NAME"]`: computed
/// on first need and shared by every app's config of one run (a walk over the
/// whole project).
pub type NamedInCode = Rc<OnceCell<rustc_hash::FxHashSet<String>>>;

#[derive(Debug, Default)]
pub struct Config {
    items: RefCell<Vec<(String, Val)>>,
    /// Why keys may be set that the code read does not show.
    unread: RefCell<Option<String>>,
    named_in_code: NamedInCode,
}

impl HostValue for Config {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn items(&self) -> Option<Vec<(Val, Val)>> {
        if self.unread.borrow().is_some() {
            return None;
        }
        let items = self.items.borrow();
        Some(
            items
                .iter()
                .map(|(k, v)| (Val::Str(k.clone()), v.clone()))
                .collect(),
        )
    }
}

impl Config {
    fn empty(named_in_code: &NamedInCode) -> Self {
        Config {
            named_in_code: named_in_code.clone(),
            ..Config::default()
        }
    }

    /// `config.get(key, default)` of a key no read source sets.
    fn absent(&self, cx: &Cx, key: &str, default: Val) -> Val {
        let Some(why) = self.unread.borrow().clone() else {
            return default;
        };
        let named = self
            .named_in_code
            .get_or_init(|| settings_named(cx.project()));
        if named.contains(key) {
            Val::Unknown(format!(
                "config.get({key:?}): the code sets or reads it, a source not read may set it ({why})"
            ))
        } else {
            default
        }
    }

    fn get(&self, key: &str) -> Option<Val> {
        let items = self.items.borrow();
        items.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn set(&self, key: String, v: Val) {
        let mut items = self.items.borrow_mut();
        match items.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = v,
            None => items.push((key, v)),
        }
    }

    fn unread(&self, why: String) {
        self.unread.borrow_mut().get_or_insert(why);
    }

    /// The pairs of a dict value into the config; anything else is a source
    /// not read.
    fn merge(&self, v: Val, what: &str) {
        match v {
            Val::Dict(pairs) => {
                for (k, v) in pairs {
                    match k {
                        Val::Str(k) => self.set(k, v),
                        _ => self.unread(format!("{what} with a key not known")),
                    }
                }
            }
            Val::None => {}
            _ => self.unread(format!("{what} of a value not known")),
        }
    }

    /// `from_object(obj)`: its upper-case attributes.
    fn read_object(&self, cx: &Cx, obj: Val) {
        let obj = match obj {
            Val::Str(path) => match cx.interpreter().lookup_global(&path) {
                Some(v) => v,
                None if cx.project().module(&path).is_some() => Val::Module(path),
                None if classes::find(cx.project(), &path).is_some() => Val::Class(path),
                None => return self.unread(format!("from_object({path:?})")),
            },
            v => v,
        };
        match obj {
            Val::Module(m) => {
                let Some(env) = cx.interpreter().env(&m) else {
                    return self.unread(format!("from_object({m})"));
                };
                let mut keys: Vec<&String> = env.keys().filter(|k| is_setting(k)).collect();
                keys.sort();
                for k in keys {
                    self.set(k.clone(), env[k].clone());
                }
            }
            Val::Class(class) => self.read_class(cx, &class),
            Val::Instance(o) => {
                self.read_class(cx, &o.class);
                self.unread(format!("from_object() of a {} instance", o.class));
            }
            v => self.unread(format!("from_object({})", describe(&v))),
        }
    }

    /// A class's upper-case attributes, its bases' first (a subclass's win).
    fn read_class(&self, cx: &Cx, class: &str) {
        let mut names: Vec<String> = Vec::new();
        for k in classes::mro(cx.project(), class).iter().rev() {
            if let Some((_, cd)) = classes::find(cx.project(), k) {
                for (n, v, _, _) in cd.assignments() {
                    if v.is_some() && is_setting(n) && !names.iter().any(|x| x == n) {
                        names.push(n.to_string());
                    }
                }
            }
        }
        for n in names {
            let v = cx.class_attr(class, &n);
            self.set(n, v);
        }
    }
}

/// The upper-case names the scanned code assigns at a module's top level or in a class body
/// (what `from_object` could copy), not inside functions, and those it reads as
/// `<...>.config["NAME"]` anywhere: code that subscripts a key expects some source to set it
/// (a `KeyError` otherwise), so a `get` of it is not the default when sources were not read.
fn settings_named(project: &crate::python::Project) -> rustc_hash::FxHashSet<String> {
    let mut names = rustc_hash::FxHashSet::default();
    let mut stack: Vec<&[Stmt]> = project.files.iter().map(|m| &m.body[..]).collect();
    while let Some(body) = stack.pop() {
        for s in body {
            match s {
                Stmt::Assign { targets, .. } => names.extend(
                    targets
                        .iter()
                        .filter_map(|t| t.as_name())
                        .filter(|t| is_setting(t))
                        .map(String::from),
                ),
                Stmt::Block(b) | Stmt::For { body: b, .. } => stack.push(b),
                Stmt::Class(c) => stack.push(&c.body),
                _ => {}
            }
        }
    }
    for m in &project.files {
        walk_stmts(&m.body, |s, _| {
            let e = match s {
                Stmt::Expr(e, _)
                | Stmt::Return(Some(e), _)
                | Stmt::Guard(Some(e))
                | Stmt::While(e) => e,
                Stmt::Assign { value: Some(e), .. } => e,
                Stmt::AugAssign { value, .. } | Stmt::For { iter: value, .. } => value,
                _ => return,
            };
            e.walk(|x| {
                if let Expr::Subscript(base, key) = x
                    && matches!(&**base, Expr::Attr(_, a) if &**a == "config")
                    && let Some(k) = key.as_str()
                    && is_setting(k)
                {
                    names.insert(k.to_string());
                }
            });
        });
    }
    names
}

/// Flask copies only upper-case names from an object.
fn is_setting(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && !name.chars().any(|c| c.is_ascii_lowercase())
}

fn describe(v: &Val) -> String {
    match v {
        Val::Unknown(why) => why.clone(),
        v => format!("{v:?}").chars().take(60).collect(),
    }
}

/// `config[key]`.
pub fn item(recv: &Val, key: &Val) -> Option<Val> {
    let config = recv.downcast::<Config>()?;
    let Val::Str(key) = key else {
        return Some(Val::Unknown("config[...] with a key not known".into()));
    };
    Some(config.get(key).unwrap_or_else(|| {
        Val::Unknown(match &*config.unread.borrow() {
            Some(why) => format!("config[{key:?}]: not set by the code read ({why})"),
            None => format!("config[{key:?}]: never set"),
        })
    }))
}

/// `config[key] = v`: whether `recv` is a config.
pub fn set_item(recv: &Val, key: &Val, v: &Val) -> bool {
    let Some(config) = recv.downcast::<Config>() else {
        return false;
    };
    match key {
        Val::Str(k) => config.set(k.clone(), v.clone()),
        _ => config.unread("config[...] assigned with a key not known".into()),
    }
    true
}

/// `config.get(key, default)` on an app's config (`Unknown` when the config is not known).
pub fn get(cx: &Cx, config: &Val, key: &str, default: Val) -> Val {
    match config.downcast::<Config>() {
        Some(c) => c.get(key).unwrap_or_else(|| c.absent(cx, key, default)),
        None => Val::Unknown(format!("config.get({key:?})")),
    }
}

/// The methods of a config that read or fill it.
pub fn method(cx: &Cx, recv: &Val, method: &str, c: &Call) -> Option<Val> {
    let config = recv.downcast::<Config>()?;
    let arg = |i: usize, name: &str| cx.argument(c, i, name);
    Some(match method {
        "get" => {
            let default = arg(1, "default").unwrap_or(Val::None);
            match arg(0, "key") {
                Some(Val::Str(k)) => get(cx, recv, &k, default),
                _ => Val::Unknown("config.get() of a key not known".into()),
            }
        }
        "setdefault" => match arg(0, "key") {
            Some(Val::Str(k)) => config.get(&k).unwrap_or_else(|| {
                let v = arg(1, "default").unwrap_or(Val::None);
                let v = config.absent(cx, &k, v);
                config.set(k, v.clone());
                v
            }),
            _ => {
                config.unread("config.setdefault() of a key not known".into());
                Val::Unknown("config.setdefault() of a key not known".into())
            }
        },
        "update" | "from_mapping" => {
            if let Some(v) = c.args.first().map(|e| cx.eval(e)) {
                config.merge(v, method);
            }
            for (k, e) in c.kwargs.iter() {
                config.set(k.to_string(), cx.eval(e));
            }
            if c.has_splat() {
                config.unread(format!("{method}(**...)"));
            }
            if method == "update" {
                Val::None
            } else {
                Val::Bool(true)
            }
        }
        "from_object" => {
            match arg(0, "obj") {
                Some(obj) => config.read_object(cx, obj),
                None => config.unread("from_object() without an object".into()),
            }
            Val::None
        }
        // files and environment variables: the deployment's
        "from_pyfile" | "from_envvar" | "from_file" | "from_prefixed_env" => {
            config.unread(format!("config.{method}(...)"));
            Val::Unknown(format!("config.{method}(...)"))
        }
        _ => return None,
    })
}

/// A new app's config, empty.
pub fn new(named_in_code: &NamedInCode) -> Val {
    Val::host(Config::empty(named_in_code))
}

/// A new app's config from its class's `default_config`: Flask copies it, then sets
/// `DEBUG` from the `FLASK_DEBUG` environment variable (the deployment's).
pub fn with_defaults(defaults: Vec<(Val, Val)>, named_in_code: &NamedInCode) -> Val {
    let config = Config::empty(named_in_code);
    config.merge(Val::Dict(defaults), "default_config");
    config.set(
        "DEBUG".into(),
        Val::Unknown("app.config[\"DEBUG\"]: set from FLASK_DEBUG".into()),
    );
    Val::host(config)
}

/// `Flask.default_config` (Flask 3.1): what a subclass's own `default_config` is
/// usually built from.
pub fn flask_defaults() -> Val {
    let s = |v: &str| Val::Str(v.into());
    let pairs: [(&str, Val); 29] = [
        ("DEBUG", Val::None),
        ("TESTING", Val::Bool(false)),
        ("PROPAGATE_EXCEPTIONS", Val::None),
        ("SECRET_KEY", Val::None),
        ("SECRET_KEY_FALLBACKS", Val::None),
        (
            "PERMANENT_SESSION_LIFETIME",
            Val::Unknown("a timedelta".into()),
        ),
        ("USE_X_SENDFILE", Val::Bool(false)),
        ("TRUSTED_HOSTS", Val::None),
        ("SERVER_NAME", Val::None),
        ("APPLICATION_ROOT", s("/")),
        ("SESSION_COOKIE_NAME", s("session")),
        ("SESSION_COOKIE_DOMAIN", Val::None),
        ("SESSION_COOKIE_PATH", Val::None),
        ("SESSION_COOKIE_HTTPONLY", Val::Bool(true)),
        ("SESSION_COOKIE_SECURE", Val::Bool(false)),
        ("SESSION_COOKIE_PARTITIONED", Val::Bool(false)),
        ("SESSION_COOKIE_SAMESITE", Val::None),
        ("SESSION_REFRESH_EACH_REQUEST", Val::Bool(true)),
        ("MAX_CONTENT_LENGTH", Val::None),
        ("MAX_FORM_MEMORY_SIZE", Val::Int(500_000)),
        ("MAX_FORM_PARTS", Val::Int(1_000)),
        ("SEND_FILE_MAX_AGE_DEFAULT", Val::None),
        ("TRAP_BAD_REQUEST_ERRORS", Val::None),
        ("TRAP_HTTP_EXCEPTIONS", Val::Bool(false)),
        ("EXPLAIN_TEMPLATE_LOADING", Val::Bool(false)),
        ("PREFERRED_URL_SCHEME", s("http")),
        ("TEMPLATES_AUTO_RELOAD", Val::None),
        ("MAX_COOKIE_SIZE", Val::Int(4_093)),
        ("PROVIDE_AUTOMATIC_OPTIONS", Val::Bool(true)),
    ];
    Val::Dict(pairs.into_iter().map(|(k, v)| (s(k), v)).collect())
}
