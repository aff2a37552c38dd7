//! A small abstract interpreter for module-level Python: enough to evaluate
//! settings (`INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS`, `from .base import *`)
//! and URLconfs (`urlpatterns = [...]`, `+=`, `.append`, routers, `include`).
//!
//! Only top-level statements run (blocks such as `if settings.DEBUG:` included,
//! function bodies and loops not). Whatever cannot be known is `Val::Unknown`
//! with a reason, never an error.

use crate::python::SourceModule;
use crate::python::ir::{Call, Expr, ImportName, Pos, Stmt};
use crate::python::modules::absolute_import;
use crate::scan::Project;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

#[derive(Clone, Debug)]
pub enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    None,
    List(Vec<Val>),
    Tuple(Vec<Val>),
    Dict(Vec<(Val, Val)>),
    /// `path()` / `re_path()` / `url()`.
    Url(Rc<UrlEntry>),
    /// `include(...)`.
    Include(Rc<Include>),
    /// `i18n_patterns(...)`: patterns, prefix_default_language.
    I18n(Vec<Val>, bool),
    Router(usize),
    RouterUrls(usize),
    /// `format_suffix_patterns(patterns)`.
    Suffixed(Vec<Val>),
    /// A scanned module object (`import app.urls` then `app.urls`): `include()` accepts it.
    Module(String),
    Unknown(String),
}

impl Val {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
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

#[derive(Debug)]
pub struct UrlEntry {
    /// django.path, django.re_path, django.url
    pub kind: &'static str,
    pub pattern: Val,
    pub view: Expr,
    /// The evaluated view when it is `include(...)` or `x.urls`.
    pub view_val: Option<Val>,
    pub name: Option<String>,
    /// The module the call is written in (where the view expression is resolved).
    pub module: String,
    pub file: String,
    pub pos: Pos,
}

#[derive(Debug)]
pub struct Include {
    pub target: Val,
    pub namespace: Option<String>,
    pub module: String,
}

#[derive(Debug, Clone)]
pub struct Registration {
    pub prefix: Val,
    pub viewset: Expr,
    pub basename: Option<String>,
    pub module: String,
    pub file: String,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Router {
    /// Canonical class name of the router.
    pub class: String,
    pub kwargs: Vec<(String, Val)>,
    pub registry: Vec<Registration>,
    pub module: String,
}

pub type Env = HashMap<String, Val>;

pub struct Evaluator<'p> {
    pub project: &'p Project,
    envs: RefCell<HashMap<String, Rc<Env>>>,
    busy: RefCell<HashSet<String>>,
    pub routers: RefCell<Vec<Router>>,
    pub settings: RefCell<Rc<Env>>,
}

const URL_FUNCS: &[(&str, &str)] = &[
    ("django.urls.path", "django.path"),
    ("django.urls.conf.path", "django.path"),
    ("django.urls.re_path", "django.re_path"),
    ("django.urls.conf.re_path", "django.re_path"),
    ("django.conf.urls.url", "django.url"),
    ("django.conf.urls.re_path", "django.re_path"),
];

impl<'p> Evaluator<'p> {
    pub fn new(project: &'p Project) -> Self {
        Evaluator {
            project,
            envs: RefCell::new(HashMap::new()),
            busy: RefCell::new(HashSet::new()),
            routers: RefCell::new(Vec::new()),
            settings: RefCell::new(Rc::new(Env::new())),
        }
    }

    /// The top-level environment of a scanned module after running it.
    pub fn env(&self, module: &str) -> Option<Rc<Env>> {
        if let Some(e) = self.envs.borrow().get(module) {
            return Some(e.clone());
        }
        let m = self.project.module(module)?;
        if !self.busy.borrow_mut().insert(module.to_string()) {
            return None; // import cycle: what is known so far is not kept
        }
        let mut env = Env::new();
        let mut cx = Cx {
            ev: self,
            m,
            env: &mut env,
        };
        cx.run(&m.body);
        self.busy.borrow_mut().remove(module);
        let env = Rc::new(env);
        self.envs
            .borrow_mut()
            .insert(module.to_string(), env.clone());
        Some(env)
    }

    /// `module.name` for a canonical dotted path into a scanned module.
    pub fn lookup_global(&self, canonical: &str) -> Option<Val> {
        let (module, name) = canonical.rsplit_once('.')?;
        self.env(module)?.get(name).cloned()
    }

    pub fn setting(&self, name: &str) -> Option<Val> {
        self.settings.borrow().get(name).cloned()
    }
}

struct Cx<'a, 'p> {
    ev: &'a Evaluator<'p>,
    m: &'a SourceModule,
    env: &'a mut Env,
}

impl Cx<'_, '_> {
    fn run(&mut self, body: &[Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::Block(b) => self.run(b),
                Stmt::Import(names, _) => {
                    for n in names {
                        if let ImportName::From {
                            module,
                            level,
                            name,
                            ..
                        } = n
                            && name == "*"
                        {
                            let abs =
                                absolute_import(&self.m.module, self.m.is_package, *level, module);
                            if let Some(e) = self.ev.env(&abs) {
                                for (k, v) in e.iter() {
                                    self.env.insert(k.clone(), v.clone());
                                }
                            }
                        }
                    }
                }
                Stmt::Assign { targets, value, .. } => {
                    let Some(value) = value else { continue };
                    let v = self.eval(value);
                    for t in targets {
                        match t {
                            Expr::Name(n) => {
                                self.env.insert(n.clone(), v.clone());
                            }
                            Expr::Tuple(names) => {
                                let items = v.items().map(|x| x.to_vec());
                                for (i, n) in names.iter().enumerate() {
                                    if let Some(n) = n.as_name() {
                                        let x = items
                                            .as_ref()
                                            .and_then(|it| it.get(i).cloned())
                                            .unwrap_or(Val::Unknown("tuple unpacking".into()));
                                        self.env.insert(n.to_string(), x);
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Stmt::AugAssign {
                    target: Expr::Name(n),
                    op,
                    value,
                    ..
                } if op.starts_with('+') => {
                    let rhs = self.eval(value);
                    let lhs = self.name(n);
                    self.env.insert(n.clone(), add(lhs, rhs));
                }
                Stmt::Expr(Expr::Call(c), _) => self.mutate(c),
                _ => {}
            }
        }
    }

    /// `x.append(...)`, `x.extend(...)`, `x.insert(i, ...)`, `router.register(...)`.
    fn mutate(&mut self, c: &Call) {
        let Expr::Attr(base, method) = &c.func else {
            return;
        };
        let Some(var) = base.as_name() else { return };
        let Some(cur) = self.env.get(var).cloned() else {
            return;
        };
        match (method.as_str(), cur) {
            ("append", Val::List(mut v)) => {
                if let Some(a) = c.args.first() {
                    v.push(self.eval(a));
                    self.env.insert(var.to_string(), Val::List(v));
                }
            }
            ("extend", Val::List(v)) => {
                if let Some(a) = c.args.first() {
                    let r = self.eval(a);
                    self.env.insert(var.to_string(), add(Val::List(v), r));
                }
            }
            ("insert", Val::List(mut v)) => {
                if let (Some(Expr::Int(i)), Some(a)) = (c.args.first(), c.args.get(1)) {
                    let at = (*i).clamp(0, v.len() as i64) as usize;
                    v.insert(at, self.eval(a));
                    self.env.insert(var.to_string(), Val::List(v));
                }
            }
            ("remove", Val::List(mut v)) => {
                if let Some(Val::Str(s)) = c.args.first().map(|a| self.eval(a)) {
                    v.retain(|x| x.as_str() != Some(&s));
                    self.env.insert(var.to_string(), Val::List(v));
                }
            }
            ("register", Val::Router(id)) => {
                let (Some(prefix), Some(viewset)) = (c.arg(0, "prefix"), c.arg(1, "viewset"))
                else {
                    return;
                };
                let basename = c
                    .kwarg("basename")
                    .or_else(|| c.kwarg("base_name"))
                    .or_else(|| c.args.get(2))
                    .and_then(|e| self.eval(e).as_str().map(String::from));
                let reg = Registration {
                    prefix: self.eval(prefix),
                    viewset: viewset.clone(),
                    basename,
                    module: self.m.module.clone(),
                    file: self.m.path.clone(),
                    pos: c.pos,
                };
                self.ev.routers.borrow_mut()[id].registry.push(reg);
            }
            _ => {}
        }
    }

    fn name(&self, n: &str) -> Val {
        if let Some(v) = self.env.get(n) {
            return v.clone();
        }
        let canonical = self.ev.project.resolver.resolve(&self.m.module, n);
        if canonical != format!("{}.{n}", self.m.module) {
            if let Some(v) = self.ev.lookup_global(&canonical) {
                return v;
            }
            if self.ev.project.module(&canonical).is_some() {
                return Val::Module(canonical);
            }
        }
        Val::Unknown(format!("name {n}"))
    }

    fn eval(&self, e: &Expr) -> Val {
        match e {
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::DynStr(t) => self.fstring(t),
            Expr::Int(i) => Val::Int(*i),
            Expr::Bool(b) => Val::Bool(*b),
            Expr::None => Val::None,
            Expr::List(v) => Val::List(v.iter().map(|x| self.eval(x)).collect()),
            Expr::Tuple(v) => Val::Tuple(v.iter().map(|x| self.eval(x)).collect()),
            Expr::Dict(v) => Val::Dict(
                v.iter()
                    .map(|(k, x)| (self.eval(k), self.eval(x)))
                    .collect(),
            ),
            Expr::Name(n) => self.name(n),
            Expr::Attr(base, attr) => self.attr(e, base, attr),
            Expr::BinOp(l, op, r) if op == "+" => add(self.eval(l), self.eval(r)),
            Expr::BinOp(l, op, r) if op == "or" => {
                let lv = self.eval(l);
                match lv.truthy() {
                    Some(true) => lv,
                    Some(false) => self.eval(r),
                    None => Val::Unknown("or".into()),
                }
            }
            Expr::Call(c) => self.call(c),
            other => Val::Unknown(other.describe()),
        }
    }

    fn attr(&self, e: &Expr, base: &Expr, attr: &str) -> Val {
        // router.urls
        if attr == "urls"
            && let Val::Router(id) = self.eval(base)
        {
            return Val::RouterUrls(id);
        }
        if let Some(dotted) = e.dotted() {
            // settings.X (django.conf.settings or an app's own settings wrapper)
            if let Some((head, name)) = dotted.rsplit_once('.')
                && (head == "settings" || head.ends_with(".settings"))
            {
                let canonical = self.ev.project.resolver.resolve(&self.m.module, head);
                if canonical == "django.conf.settings"
                    || self.ev.project.module(&canonical).is_none()
                    || name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                {
                    if let Some(v) = self.ev.setting(name) {
                        return v;
                    }
                    if let Some(v) = self.default_setting(&canonical, name) {
                        return v;
                    }
                    return Val::Unknown(format!("setting {name}"));
                }
            }
            let canonical = self.ev.project.resolver.resolve(&self.m.module, &dotted);
            if let Some(v) = self.ev.lookup_global(&canonical) {
                return v;
            }
            if self.ev.project.module(&canonical).is_some() {
                return Val::Module(canonical);
            }
            return Val::Unknown(canonical);
        }
        Val::Unknown(attr.to_string())
    }

    /// An app's own settings wrapper (`from .conf import settings`) falls back to
    /// defaults defined next to it: `<package>.defaults`, `<package>.default_settings`.
    fn default_setting(&self, wrapper: &str, name: &str) -> Option<Val> {
        let (module, _) = wrapper.rsplit_once('.')?;
        if !super::urls::is_own(self.ev.project, wrapper) {
            return None;
        }
        let pkg = module.rsplit_once('.').map_or(module, |(p, _)| p);
        let mut cands: Vec<&str> = self
            .ev
            .project
            .files
            .iter()
            .map(|f| f.module.as_str())
            .filter(|m| {
                (m.starts_with(&format!("{pkg}.")) || *m == module)
                    && m.rsplit('.')
                        .next()
                        .is_some_and(|l| l.contains("default") || l == "settings")
            })
            .collect();
        cands.sort();
        cands
            .into_iter()
            .find_map(|m| self.ev.env(m).and_then(|e| e.get(name).cloned()))
    }

    /// Evaluates `f"{a}/{settings.B}"` when every placeholder is a known string.
    fn fstring(&self, text: &str) -> Val {
        let t = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let body = if let Some(b) = t
            .strip_prefix("\"\"\"")
            .and_then(|b| b.strip_suffix("\"\"\""))
        {
            b
        } else if let Some(b) = t.strip_prefix("'''").and_then(|b| b.strip_suffix("'''")) {
            b
        } else if t.len() >= 2 {
            &t[1..t.len() - 1]
        } else {
            return Val::Unknown(text.to_string());
        };
        let mut out = String::new();
        let mut rest = body;
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&rest[..i]);
            let c = rest.as_bytes()[i];
            if rest[i + 1..].starts_with(c as char) {
                out.push(c as char);
                rest = &rest[i + 2..];
                continue;
            }
            if c == b'}' {
                return Val::Unknown(text.to_string());
            }
            let Some(j) = rest[i..].find('}') else {
                return Val::Unknown(text.to_string());
            };
            let inner = rest[i + 1..i + j].trim();
            let expr = if inner.contains('.') {
                let mut parts = inner.split('.');
                let mut e = Expr::Name(parts.next().unwrap_or_default().to_string());
                for p in parts {
                    e = Expr::Attr(Box::new(e), p.to_string());
                }
                e
            } else {
                Expr::Name(inner.to_string())
            };
            if !inner
                .chars()
                .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '.')
            {
                return Val::Unknown(text.to_string());
            }
            match self.eval(&expr) {
                Val::Str(s) => out.push_str(&s),
                Val::Int(n) => out.push_str(&n.to_string()),
                _ => return Val::Unknown(text.to_string()),
            }
            rest = &rest[i + j + 1..];
        }
        out.push_str(rest);
        Val::Str(out)
    }

    fn call(&self, c: &Call) -> Val {
        let Some(dotted) = c.func.dotted() else {
            return Val::Unknown(c.func.describe());
        };
        let canonical = self.ev.project.resolver.resolve(&self.m.module, &dotted);
        if let Some((_, kind)) = URL_FUNCS.iter().find(|(f, _)| *f == canonical) {
            let Some(pattern) = c.arg(0, "route").or_else(|| c.kwarg("regex")) else {
                return Val::Unknown("path() without a pattern".into());
            };
            let Some(view) = c.arg(1, "view") else {
                return Val::Unknown("path() without a view".into());
            };
            let name = c
                .arg(3, "name")
                .and_then(|e| self.eval(e).as_str().map(String::from));
            let view_val = match view {
                Expr::Call(_) | Expr::Attr(..) if is_include_or_urls(self, view) => {
                    Some(self.eval(view))
                }
                _ => None,
            };
            return Val::Url(Rc::new(UrlEntry {
                kind,
                pattern: self.eval(pattern),
                view: view.clone(),
                view_val,
                name,
                module: self.m.module.clone(),
                file: self.m.path.clone(),
                pos: c.pos,
            }));
        }
        let last = canonical.rsplit('.').next().unwrap_or("");
        match canonical.as_str() {
            "django.urls.include" | "django.urls.conf.include" | "django.conf.urls.include" => {
                let Some(arg) = c.arg(0, "arg") else {
                    return Val::Unknown("include()".into());
                };
                let namespace = c
                    .arg(1, "namespace")
                    .and_then(|e| self.eval(e).as_str().map(String::from));
                return Val::Include(Rc::new(Include {
                    target: self.eval(arg),
                    namespace,
                    module: self.m.module.clone(),
                }));
            }
            "django.conf.urls.i18n.i18n_patterns" => {
                let pdl = c
                    .kwarg("prefix_default_language")
                    .and_then(|e| self.eval(e).truthy())
                    .unwrap_or(true);
                return Val::I18n(c.args.iter().map(|a| self.eval(a)).collect(), pdl);
            }
            "django.conf.urls.static.static" => return Val::List(vec![]),
            "django.conf.urls.patterns" => {
                // legacy patterns("prefix", url(...), ...): string views get the prefix
                return Val::List(c.args.iter().skip(1).map(|a| self.eval(a)).collect());
            }
            _ => {}
        }
        if last == "format_suffix_patterns" && canonical.starts_with("rest_framework") {
            if let Some(a) = c.args.first()
                && let Val::List(v) = self.eval(a)
            {
                return Val::Suffixed(v);
            }
            return Val::Unknown("format_suffix_patterns".into());
        }
        if is_router_class(self.ev.project, &canonical) {
            let kwargs = c
                .kwargs
                .iter()
                .map(|(k, v)| (k.clone(), self.eval(v)))
                .collect();
            let mut routers = self.ev.routers.borrow_mut();
            routers.push(Router {
                class: canonical,
                kwargs,
                registry: Vec::new(),
                module: self.m.module.clone(),
            });
            return Val::Router(routers.len() - 1);
        }
        match canonical.as_str() {
            "list" | "tuple" => {
                return c
                    .args
                    .first()
                    .map(|a| match self.eval(a) {
                        Val::Tuple(v) | Val::List(v) => Val::List(v),
                        o => o,
                    })
                    .unwrap_or(Val::List(vec![]));
            }
            "str" => {
                if let Some(a) = c.args.first() {
                    return self.eval(a);
                }
            }
            _ => {}
        }
        Val::Unknown(format!("{canonical}(...)"))
    }
}

fn is_include_or_urls(cx: &Cx, view: &Expr) -> bool {
    match view {
        Expr::Attr(_, a) => a == "urls",
        Expr::Call(c) => c.func.dotted().is_some_and(|d| {
            let r = cx.ev.project.resolver.resolve(&cx.m.module, &d);
            r.ends_with(".include") && r.starts_with("django.")
        }),
        _ => false,
    }
}

pub fn add(l: Val, r: Val) -> Val {
    let wrap = |v: Val| match v {
        v @ (Val::RouterUrls(_) | Val::Suffixed(_) | Val::I18n(..)) => Val::List(vec![v]),
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
        (Val::List(mut a), other @ (Val::RouterUrls(_) | Val::Suffixed(_) | Val::I18n(..))) => {
            a.push(other);
            Val::List(a)
        }
        (other @ (Val::RouterUrls(_) | Val::Suffixed(_) | Val::I18n(..)), Val::List(b)) => {
            let mut a = vec![other];
            a.extend(b);
            Val::List(a)
        }
        (Val::Str(a), Val::Str(b)) => Val::Str(a + &b),
        (Val::List(mut a), Val::Unknown(why)) => {
            a.push(Val::Unknown(why));
            Val::List(a)
        }
        (Val::Unknown(why), Val::List(b)) => {
            let mut a = vec![Val::Unknown(why)];
            a.extend(b);
            Val::List(a)
        }
        (Val::Unknown(w), _) | (_, Val::Unknown(w)) => Val::Unknown(w),
        _ => Val::Unknown("unsupported +".into()),
    }
}

/// A DRF router class (or a subclass in scanned code).
pub fn is_router_class(project: &Project, canonical: &str) -> bool {
    if canonical.starts_with("rest_framework.routers.") {
        return canonical.ends_with("Router");
    }
    if canonical.starts_with("rest_framework_nested.routers.") {
        return canonical.ends_with("Router");
    }
    super::classes::mro(project, canonical)
        .iter()
        .any(|c| c.starts_with("rest_framework.routers.") && c.ends_with("Router"))
}
