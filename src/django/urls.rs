//! URLconfs: from ROOT_URLCONF through `include()` chains, composing the rule
//! the way Django (and `show_urls`) does: the raw pattern strings concatenated,
//! namespaces joined with `:`.

use super::builtins::{Dj, Django, Include, UrlEntry, dj};
use super::drf;
use crate::inventory::{Inventory, Route, Warning};
use crate::python::Project;
use crate::python::interp::{Interpreter, Val, abs_dotted};
use crate::python::ir::{Expr, Stmt};

pub struct Walker<'a, 'p> {
    pub ev: &'a Interpreter<'p>,
    pub dj: &'a Django,
    pub routes: Vec<Route>,
    pub warnings: Vec<Warning>,
    /// (rule prefix, namespace) chains already walked, against include cycles.
    depth: usize,
    language: String,
}

#[derive(Clone)]
struct Ctx {
    base: String,
    ns: Option<String>,
    resolved: bool,
    reason: Option<String>,
}

pub fn extract(ev: &Interpreter, dj: &Django, root_urlconf: &str, inv: &mut Inventory) {
    let language = dj
        .setting("LANGUAGE_CODE")
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_else(|| "en-us".into());
    let mut w = Walker {
        ev,
        dj,
        routes: Vec::new(),
        warnings: Vec::new(),
        depth: 0,
        language,
    };
    let ctx = Ctx {
        base: String::new(),
        ns: None,
        resolved: true,
        reason: None,
    };
    match ev.env(root_urlconf) {
        Some(env) => {
            if let Some(p) = env.get("urlpatterns") {
                w.walk(p, &ctx);
            }
        }
        None => w.warnings.push(Warning {
            file: None,
            line: None,
            message: format!(
                "ROOT_URLCONF {root_urlconf} is not in the scanned code (if an installed package \
                 holds it, name its site-packages with --site-packages)"
            ),
        }),
    }
    inv.routes.extend(w.routes);
    inv.warnings.extend(w.warnings);
}

fn join_ns(outer: &Option<String>, inner: Option<&str>) -> Option<String> {
    match (outer, inner) {
        (Some(o), Some(i)) => Some(format!("{o}:{i}")),
        (None, Some(i)) => Some(i.to_string()),
        (o, None) => o.clone(),
    }
}

impl Walker<'_, '_> {
    fn project(&self) -> &Project {
        self.ev.project
    }

    fn walk(&mut self, v: &Val, ctx: &Ctx) {
        if self.depth > 32 {
            return;
        }
        self.depth += 1;
        match v {
            Val::List(items) | Val::Tuple(items) => {
                for i in items {
                    self.walk(i, ctx);
                }
            }
            Val::Host(_) => self.walk_django(v, ctx),
            // a lazy proxy iterates as the object it wraps (`LazyObject.__iter__`),
            // made on first use (horizon's `SimpleLazyObject` over a registry)
            Val::Instance(o) if super::builtins::is_lazy_proxy(v) => {
                let module = o.class.rsplit_once('.').map_or("", |(m, _)| m);
                match self.ev.in_module(module, |cx| cx.lazy_wrapped(o)).flatten() {
                    Some(w @ (Val::List(_) | Val::Tuple(_))) => self.walk(&w, ctx),
                    Some(Val::Unknown(why)) => self.unknown_patterns(ctx, &why),
                    w => self
                        .unknown_patterns(ctx, &format!("the patterns {} makes ({w:?})", o.class)),
                }
            }
            Val::Unknown(why) if !why.starts_with("django.conf.urls.static") => {
                self.unknown_patterns(ctx, why);
            }
            // an expression kept from a helper: its value is known only at run time
            Val::Expr(e) => self.unknown_patterns(ctx, &e.describe()),
            _ => {}
        }
        self.depth -= 1;
    }

    fn unknown_patterns(&mut self, ctx: &Ctx, why: &str) {
        self.warnings.push(Warning {
            file: None,
            line: None,
            message: format!(
                "URL patterns under {:?} could not be resolved statically: {why}",
                ctx.base
            ),
        });
    }

    fn walk_django(&mut self, v: &Val, ctx: &Ctx) {
        match dj(v) {
            Some(Dj::Url(u)) => self.url(u, ctx),
            Some(Dj::I18n(items, pdl)) => {
                let mut c = ctx.clone();
                if *pdl {
                    c.base.push_str(&format!("{}/", self.language));
                }
                for i in items {
                    self.walk(i, &c);
                }
            }
            Some(Dj::RouterUrls(id)) => {
                let urls = drf::router_urls(self.ev, self.dj, *id);
                for u in urls {
                    self.emit(&u, ctx);
                }
            }
            Some(Dj::Suffixed(items)) => {
                for i in items {
                    self.walk(i, ctx);
                }
                let mut sub = Walker {
                    ev: self.ev,
                    dj: self.dj,
                    routes: Vec::new(),
                    warnings: Vec::new(),
                    depth: self.depth,
                    language: self.language.clone(),
                };
                let c = Ctx {
                    base: String::new(),
                    ..ctx.clone()
                };
                for i in items {
                    sub.walk(i, &c);
                }
                for mut r in sub.routes {
                    r.rule = format!("{}{}", ctx.base, drf::suffix_rule(&r.rule, &r.kind));
                    self.routes.push(r);
                }
            }
            _ => {}
        }
    }

    fn pattern_str(&self, u: &UrlEntry, ctx: &mut Ctx) -> String {
        match &u.pattern {
            Val::Str(s) => s.clone(),
            other => {
                ctx.resolved = false;
                ctx.reason = Some(format!(
                    "pattern not known statically: {}",
                    match other {
                        Val::Unknown(w) => w.clone(),
                        _ => "non-string".into(),
                    }
                ));
                "<?>".to_string()
            }
        }
    }

    fn url(&mut self, u: &UrlEntry, ctx: &Ctx) {
        let mut c = ctx.clone();
        let pat = self.pattern_str(u, &mut c);
        // path("x/", include(...)), or a variable holding one
        if let Some(Dj::Include(inc)) = u.view_val.as_ref().and_then(dj) {
            c.base.push_str(&pat);
            self.include(inc, u, &c);
            return;
        }
        // `(patterns, app_name, namespace)`, as an AppConfig's `urls` gives: a
        // URLResolver; Django refuses a tuple of any other length
        if let Some(Val::Tuple(t)) = &u.view_val {
            c.base.push_str(&pat);
            if t.len() == 3 {
                c.ns = join_ns(&c.ns, t[2].as_str());
                self.walk(&t[0], &c);
            } else {
                self.unknown_patterns(&c, &format!("a view that is a tuple of {} items", t.len()));
            }
            return;
        }
        // path("admin/", admin.site.urls) / path("api/", api.urls): a generated set
        if let Expr::Attr(base, a) = &u.view
            && a == "urls"
        {
            let v = u.view_val.clone();
            if let Some(Dj::RouterUrls(id)) = v.as_ref().and_then(dj) {
                c.base.push_str(&pat);
                for r in drf::router_urls(self.ev, self.dj, *id) {
                    self.emit(&r, &c);
                }
                return;
            }
            if let Some(inner @ Val::List(_)) = v {
                c.base.push_str(&pat);
                self.walk(&inner, &c);
                return;
            }
            let target = base
                .dotted()
                .map(|d| self.project().resolver.resolve(&u.module, &d))
                .unwrap_or_else(|| base.describe());
            let own = is_own(self.project(), &target);
            self.routes.push(Route {
                rule: format!("{}{}", c.base, pat),
                methods: vec![],
                endpoint: None,
                view: Some(format!("{target}.urls")),
                file: u.file.clone(),
                line: u.pos.line,
                auth: vec![],
                permissions: vec![],
                resolved: false,
                reason: Some(format!("URL set generated by {target}.urls")),
                subdomain: None,
                group: c.ns.clone(),
                kind: if target.contains("admin") {
                    "django.admin".into()
                } else {
                    "django.generated".into()
                },
                third_party: !own,
            });
            return;
        }
        let view = view_of(self.project(), &u.module, &u.view);
        // login_required(View.as_view()) written in the URLconf
        let mut calls = Vec::new();
        u.view.walk_calls(&mut calls);
        let auth: Vec<String> = calls
            .iter()
            .filter_map(|c| c.func.last_name())
            .filter(|n| super::misc::AUTH_DECORATORS.contains(n))
            .map(String::from)
            .collect();
        let endpoint = match (&c.ns, &u.name) {
            (Some(ns), Some(n)) => Some(format!("{ns}:{n}")),
            (None, Some(n)) => Some(n.clone()),
            _ => None,
        };
        let third_party = view.as_ref().is_none_or(|v| !is_own(self.project(), v));
        self.routes.push(Route {
            rule: format!("{}{}", c.base, pat),
            methods: vec![],
            endpoint,
            view,
            file: u.file.clone(),
            line: u.pos.line,
            auth,
            permissions: vec![],
            resolved: c.resolved,
            reason: c.reason.clone(),
            subdomain: None,
            group: c.ns.clone(),
            kind: u.kind.to_string(),
            third_party,
        });
    }

    fn include(&mut self, inc: &Include, u: &UrlEntry, c: &Ctx) {
        let (patterns, app_name, unresolved): (Option<Val>, Option<String>, Option<String>) =
            match &inc.target {
                Val::Str(module) | Val::Module(module) => self.module_patterns(module),
                Val::Tuple(t) if t.len() == 2 => {
                    let app = t[1].as_str().map(String::from);
                    match &t[0] {
                        Val::Str(module) | Val::Module(module) => {
                            let (p, _, why) = self.module_patterns(module);
                            (p, app, why)
                        }
                        other => (Some(other.clone()), app, None),
                    }
                }
                v @ Val::List(_) => (Some(v.clone()), None, None),
                v if matches!(
                    dj(v),
                    Some(Dj::RouterUrls(_) | Dj::Suffixed(_) | Dj::I18n(..))
                ) =>
                {
                    (Some(v.clone()), None, None)
                }
                Val::Unknown(why) => (None, None, Some(why.clone())),
                _ => (None, None, Some("include() of an unsupported value".into())),
            };
        let instance_ns = inc.namespace.clone().or(app_name);
        let mut child = c.clone();
        child.ns = join_ns(&c.ns, instance_ns.as_deref());
        match (patterns, unresolved) {
            (Some(p), _) => self.walk(&p, &child),
            (None, why) => {
                let why = why.unwrap_or_default();
                let third = why.starts_with("third-party:");
                let target = why.strip_prefix("third-party:").unwrap_or(&why).to_string();
                self.routes.push(Route {
                    rule: child.base.clone(),
                    methods: vec![],
                    endpoint: None,
                    view: None,
                    file: u.file.clone(),
                    line: u.pos.line,
                    auth: vec![],
                    permissions: vec![],
                    resolved: false,
                    reason: Some(if third {
                        format!("include of {target}, which is not in the scanned code")
                    } else {
                        format!("include() target not known statically: {target}")
                    }),
                    subdomain: None,
                    group: child.ns.clone(),
                    kind: "django.include".into(),
                    third_party: third,
                });
            }
        }
    }

    fn module_patterns(&self, module: &str) -> (Option<Val>, Option<String>, Option<String>) {
        match self.ev.env(module) {
            Some(env) => {
                let app = env
                    .get("app_name")
                    .and_then(|v| v.as_str().map(String::from));
                match env.get("urlpatterns") {
                    Some(p) => (Some(p.clone()), app, None),
                    None => (None, app, Some(format!("{module} has no urlpatterns"))),
                }
            }
            None => (None, None, Some(format!("third-party:{module}"))),
        }
    }

    fn emit(&mut self, r: &drf::RouterUrl, ctx: &Ctx) {
        let endpoint = r.name.as_ref().map(|n| match &ctx.ns {
            Some(ns) => format!("{ns}:{n}"),
            None => n.clone(),
        });
        let third_party = r.view.as_ref().is_none_or(|v| !is_own(self.project(), v));
        self.routes.push(Route {
            rule: format!("{}{}", ctx.base, r.rule),
            methods: r.methods.clone(),
            endpoint,
            view: r.view.clone(),
            file: r.file.clone(),
            line: r.line,
            auth: vec![],
            permissions: vec![],
            resolved: ctx.resolved && r.resolved,
            reason: ctx.reason.clone().or_else(|| r.reason.clone()),
            subdomain: None,
            group: ctx.ns.clone(),
            kind: "django.router".into(),
            third_party,
        });
    }
}

/// A module-level name bound to what a call returns (`logout =
/// LogoutView.as_view(...)`, `home = login_required(index)`): the view that
/// call makes, as Python's name for the object is the callee's.
fn made_by_call(project: &Project, id: &str, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let (module, name) = id.rsplit_once('.')?;
    let m = project.module(module)?;
    let value = m.body.iter().rev().find_map(|s| match s {
        Stmt::Assign {
            targets,
            value: Some(v @ Expr::Call(_)),
            ..
        } if targets.len() == 1 && targets[0].as_name() == Some(name) => Some(v),
        _ => None,
    })?;
    view_at(project, module, value, depth + 1)
}

/// Whether a canonical dotted name lives in the scanned code.
pub fn is_own(project: &Project, canonical: &str) -> bool {
    project.owns(canonical)
}

/// `module.qualname` of the view an expression in `module` denotes.
pub fn view_of(project: &Project, module: &str, e: &Expr) -> Option<String> {
    view_at(project, module, e, 0)
}

fn view_at(project: &Project, module: &str, e: &Expr, depth: usize) -> Option<String> {
    if let Some(d) = abs_dotted(e) {
        return Some(made_by_call(project, &d, depth).unwrap_or(d));
    }
    let view_of = |project: &Project, module: &str, e: &Expr| view_at(project, module, e, depth);
    match e {
        Expr::Str(s) => Some(s.to_string()),
        // `path("robots.txt", lambda r: HttpResponse(...))`: Python's own name for it
        Expr::Lambda(_) => Some(format!("{module}.<lambda>")),
        Expr::Name(_) | Expr::Attr(..) => e.dotted().map(|d| {
            let id = project.resolver.resolve(module, &d);
            made_by_call(project, &id, depth).unwrap_or(id)
        }),
        Expr::Call(c) => {
            if let Expr::Attr(base, a) = &c.func
                && (a == "as_view" || a == "as_asgi")
            {
                return view_of(project, module, base);
            }
            // decorator(view) / decorator(args)(view): the wrapped view
            if let Some(a0) = c.args.first()
                && matches!(a0, Expr::Name(_) | Expr::Attr(..) | Expr::Call(_))
                && let Some(v) = view_of(project, module, a0)
            {
                return Some(v);
            }
            match &c.func {
                Expr::Call(inner) => view_of(project, module, &Expr::Call(inner.clone())),
                f => abs_dotted(f)
                    .or_else(|| f.dotted().map(|d| project.resolver.resolve(module, &d))),
            }
        }
        _ => None,
    }
}

/// The URLconf modules `m` names as strings (`ROOT_URLCONF = "x.urls"`,
/// `include("x.urls")`, `include(("x.urls", "ns"))`): those an installed
/// environment may hold (see `python::mount`). Any call named `include`
/// counts; the interpreter decides later what is Django's.
pub fn urlconf_names(m: &crate::python::SourceModule) -> Vec<String> {
    use crate::python::ir::walk_stmts;
    let mut out = Vec::new();
    let mut dotted = |e: &Expr| {
        let e = match e {
            Expr::Tuple(t) => t.first(),
            e => Some(e),
        };
        if let Some(s) = e.and_then(Expr::as_str)
            && s.contains('.')
            && s.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
        {
            out.push(s.to_string());
        }
    };
    walk_stmts(&m.body, |s, _| {
        if let Stmt::Assign {
            targets,
            value: Some(v),
            ..
        } = s
            && targets.iter().any(|t| t.as_name() == Some("ROOT_URLCONF"))
        {
            dotted(v);
        }
        for c in s.calls() {
            if c.func.last_name() == Some("include")
                && let Some(a) = c.arg(0, "arg")
            {
                dotted(a);
            }
        }
    });
    out
}
