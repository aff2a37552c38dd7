//! Django as built-ins of the Python interpreter (`python::interp`):
//! `path`/`re_path`/`url`/`include`/`i18n_patterns`, DRF routers and
//! `format_suffix_patterns`, `apps.get_app_configs()` and the app configs it
//! yields, and `settings.X` read from the settings module the project runs with.

use super::apps::AppInfo;
use super::drf_extensions::{self, NestedItem};
use crate::python::Project;
use crate::python::classes;
use crate::python::interp::{Cx, Env, Host, HostValue, Val, abs_dotted};
use crate::python::ir::{Call, Expr, FuncDef, Pos};
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// The values Django's built-ins make.
#[derive(Debug)]
pub enum Dj {
    /// `path()` / `re_path()` / `url()`.
    Url(UrlEntry),
    /// `include(...)`.
    Include(Include),
    /// `i18n_patterns(...)`: patterns, prefix_default_language.
    I18n(Vec<Val>, bool),
    /// A router (an index into `Django::routers`: its registry is shared).
    Router(usize),
    /// `router.urls`.
    RouterUrls(usize),
    /// `format_suffix_patterns(patterns)`.
    Suffixed(Vec<Val>),
    /// An installed app's AppConfig instance (`apps.get_app_configs()`).
    App(AppInfo),
    /// What a drf-extensions router's `register()` returns.
    NestedItem(Rc<NestedItem>),
}

impl HostValue for Dj {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn concat_as_item(&self) -> bool {
        matches!(self, Dj::RouterUrls(_) | Dj::Suffixed(_) | Dj::I18n(..))
    }
    fn independent(&self) -> bool {
        matches!(self, Dj::App(_))
    }
    /// `include(arg, namespace)` is `(urlconf, app_name, namespace)`; modelled
    /// for patterns given directly, with or without an app name (a module's
    /// `app_name` is read only when the URLs are walked).
    fn unpack(&self) -> Option<Vec<Val>> {
        let Dj::Include(inc) = self else {
            return None;
        };
        let ns = |app: Val| inc.namespace.clone().map_or(app, Val::Str);
        match &inc.target {
            Val::List(_) => Some(vec![inc.target.clone(), Val::None, ns(Val::None)]),
            Val::Tuple(t) if t.len() == 2 => {
                Some(vec![t[0].clone(), t[1].clone(), ns(t[1].clone())])
            }
            _ => None,
        }
    }
}

/// The Django value `v` is, if any.
pub fn dj(v: &Val) -> Option<&Dj> {
    v.downcast::<Dj>()
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

impl UrlEntry {
    /// Whether it is `path("x/", include(...))` (a URLResolver) rather than a view.
    pub fn is_include(&self) -> bool {
        self.view_val
            .as_ref()
            .is_some_and(|v| matches!(dj(v), Some(Dj::Include(_))))
    }
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
    /// `router.trailing_slash = "/?"` after it was made: the suffix its patterns end with.
    pub trailing_slash: Option<Val>,
    pub registry: Vec<Registration>,
    pub module: String,
    /// drf-nested-routers' `NestedSimpleRouter(parent, parent_prefix, lookup=...)`: the
    /// parent router, the prefix of the parent's registration it nests under, and the
    /// name prefix of the parent's lookup group (`lookup + "_"`).
    pub nested: Option<(usize, Val, Val)>,
}

/// Django's state while the interpreter runs the project: the routers made
/// so far, the settings module's globals, and INSTALLED_APPS in order.
#[derive(Default)]
pub struct Django {
    pub routers: RefCell<Vec<Router>>,
    pub settings: RefCell<Rc<Env>>,
    pub apps: RefCell<Vec<AppInfo>>,
    /// The app configs of `apps.get_app_config(label)` and
    /// `apps.get_app_configs()`: for an app whose AppConfig class is in the
    /// scanned code, an instance of it, made once, after its `ready()` ran.
    configs: RefCell<rustc_hash::FxHashMap<String, Val>>,
    /// While an app config's `ready()` runs: the configs asked for meanwhile,
    /// whose `ready()` runs after it (Django makes every config, then calls
    /// `ready()` on each in turn, never one inside another).
    pending_ready: RefCell<Option<std::collections::VecDeque<Rc<crate::python::interp::Obj>>>>,
    /// Whether the settings module's names are all seen (see `settings::load`).
    pub settings_complete: std::cell::Cell<bool>,
    /// The registered models: (app label, class name, class id).
    pub models: RefCell<Vec<(String, String, String)>>,
}

const URL_FUNCS: &[(&str, &str)] = &[
    ("django.urls.path", "django.path"),
    ("django.urls.conf.path", "django.path"),
    ("django.urls.re_path", "django.re_path"),
    ("django.urls.conf.re_path", "django.re_path"),
    ("django.conf.urls.url", "django.url"),
    ("django.conf.urls.re_path", "django.re_path"),
];

/// Django's lazy proxies: a subclass's `_setup()` makes the object
/// (`self._wrapped = Site()`) whose attributes the proxy then reads; a
/// `SimpleLazyObject` makes it by calling the function it was given.
const LAZY_OBJECTS: &[&str] = &[
    "django.utils.functional.LazyObject",
    "django.utils.functional.SimpleLazyObject",
];

/// The framework part of a lazy proxy's instance: for a `SimpleLazyObject`,
/// its function and the call that made it.
#[derive(Debug)]
struct LazyProxy(Option<(Val, Call)>);

impl HostValue for LazyProxy {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `django.utils.functional.empty`: the marker a lazy proxy's `_wrapped`
/// holds until `_setup()` makes the object.
#[derive(Debug)]
struct Empty;

const EMPTY: &str = "django.utils.functional.empty";

impl HostValue for Empty {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn sentinel(&self) -> Option<&'static str> {
        Some(EMPTY)
    }
}

/// Attributes every AppConfig instance has.
const APP_CONFIG_ATTRS: &[&str] = &[
    "name",
    "label",
    "module",
    "path",
    "verbose_name",
    "apps",
    "models_module",
    "models",
    "default_auto_field",
    "ready",
    "get_model",
    "get_models",
    "import_models",
];

impl Django {
    pub fn setting(&self, name: &str) -> Option<Val> {
        self.settings.borrow().get(name).cloned()
    }

    /// Whether `django.conf.settings` has `name`: the project sets it or
    /// Django has a default; not known when the settings are not all seen.
    fn has_setting(&self, name: &str) -> Option<bool> {
        // Django's settings object takes only the upper-case names of the module
        if name.chars().any(|c| c.is_ascii_lowercase()) {
            return Some(false);
        }
        if self.setting(name).is_some() || super::settings::global_default(name).is_some() {
            return Some(true);
        }
        self.settings_complete.get().then_some(false)
    }

    /// `router.register(prefix, viewset[, basename])`; for a nested registration under
    /// `parent`, the prefix it composed. What it returns: on a drf-extensions router,
    /// the registry item for it.
    fn register(
        &self,
        cx: &Cx,
        id: usize,
        c: &Call,
        nested: Option<(Val, &Rc<NestedItem>)>,
    ) -> Val {
        let (Some(prefix_arg), Some(viewset)) = (c.arg(0, "prefix"), c.arg(1, "viewset")) else {
            return Val::Unknown("register() without a prefix and a viewset".into());
        };
        let basename = c
            .kwarg("basename")
            .or_else(|| c.kwarg("base_name"))
            .or_else(|| c.args.get(2))
            .and_then(|e| cx.eval(e).as_str().map(String::from));
        let m = cx.source();
        let given = cx.eval(prefix_arg);
        let (prefix, parent) = match nested {
            Some((composed, parent)) => (composed, Some(parent.clone())),
            None => (given.clone(), None),
        };
        let reg = Registration {
            prefix,
            viewset: cx.keep_view(viewset),
            basename,
            module: m.module.clone(),
            file: m.path.clone(),
            pos: c.pos,
        };
        let nesting =
            drf_extensions::is_nesting_router(cx.project(), &self.routers.borrow()[id].class);
        let item = nesting.then(|| NestedItem {
            router: id,
            prefix: given,
            viewset: super::urls::view_of(cx.project(), &reg.module, &reg.viewset),
            parent,
        });
        self.routers.borrow_mut()[id].registry.push(reg);
        item.map_or(Val::None, |i| Val::host(Dj::NestedItem(Rc::new(i))))
    }

    /// `item.register(prefix, viewset, basename, parents_query_lookups)` on what a
    /// drf-extensions router's `register()` returned: a registration on the same router
    /// under its parents' prefixes, and the item for it.
    fn nested_register(&self, cx: &Cx, item: &Rc<NestedItem>, c: &Call) -> Val {
        let (Some(prefix), Some(lookups)) = (
            c.arg(0, "prefix").map(|e| cx.eval(e)),
            c.arg(3, "parents_query_lookups").map(|e| cx.eval(e)),
        ) else {
            return Val::Unknown("a nested register() without its prefix or lookups".into());
        };
        let kwarg_prefix = match self.setting("REST_FRAMEWORK_EXTENSIONS") {
            None => Some("parent_lookup_".to_string()),
            Some(Val::Dict(d)) => match d
                .iter()
                .find(|(k, _)| k.as_str() == Some("DEFAULT_PARENT_LOOKUP_KWARG_NAME_PREFIX"))
            {
                Some((_, v)) => v.as_str().map(String::from),
                None => Some("parent_lookup_".to_string()),
            },
            Some(_) => None,
        };
        let full = match kwarg_prefix {
            Some(k) => drf_extensions::nested_prefix(cx.project(), item, &prefix, &lookups, &k),
            None => Val::Unknown("setting REST_FRAMEWORK_EXTENSIONS".into()),
        };
        self.register(cx, item.router, c, Some((full, item)))
    }

    /// `path(route, view, kwargs=None, name=None)` and its relatives.
    fn url(&self, cx: &Cx, kind: &'static str, c: &Call) -> Val {
        if c.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
            return self.url_of_values(cx, kind, c);
        }
        let Some(pattern) = c.arg(0, "route").or_else(|| c.kwarg("regex")) else {
            return Val::Unknown("path() without a pattern".into());
        };
        let Some(view) = c.arg(1, "view") else {
            return Val::Unknown("path() without a view".into());
        };
        let name = c
            .arg(3, "name")
            .and_then(|e| cx.eval(e).as_str().map(String::from));
        let view_val = match view {
            Expr::Call(_) | Expr::Attr(..) if is_include_or_urls(cx, view) => Some(cx.eval(view)),
            // `inc = include(...)` then `path("x/", inc)`, a tuple of patterns,
            // or a project function that returns either (`guarded(include(...))`)
            Expr::Call(c)
                if c.func
                    .dotted()
                    .is_none_or(|d| cx.project().function(&cx.resolve(&d)).is_none()) =>
            {
                None
            }
            Expr::Name(_) | Expr::Tuple(_) | Expr::Call(_) => match cx.eval(view) {
                v if matches!(dj(&v), Some(Dj::Include(_))) => Some(v),
                v @ Val::Tuple(_) => Some(v),
                _ => None,
            },
            _ => None,
        };
        let m = cx.source();
        Val::host(Dj::Url(UrlEntry {
            kind,
            pattern: cx.eval(pattern),
            view: cx.keep_view(view),
            view_val,
            name,
            module: m.module.clone(),
            file: m.path.clone(),
            pos: c.pos,
        }))
    }

    /// `re_path(*args, **kwargs)` in a helper that builds the arguments (`args = list(args);
    /// args[0] = prefix + args[0]`): the arguments as values, the view as the expression its
    /// caller passed.
    fn url_of_values(&self, cx: &Cx, kind: &'static str, c: &Call) -> Val {
        let Some(args) = cx.positional(c) else {
            return Val::Unknown("path(*args): the arguments are not known".into());
        };
        let arg = |i: usize, name: &str| args.get(i).cloned().or_else(|| cx.kwarg(c, name));
        let Some(pattern) = arg(0, "route").or_else(|| cx.kwarg(c, "regex")) else {
            return Val::Unknown("path() without a pattern".into());
        };
        let Some(view) = arg(1, "view") else {
            return Val::Unknown("path() without a view".into());
        };
        let view_val = match &view {
            v if matches!(dj(v), Some(Dj::Include(_))) => Some(v.clone()),
            v @ Val::Tuple(_) => Some(v.clone()),
            _ => None,
        };
        let view = match view {
            Val::Expr(e) => (*e).clone(),
            _ => Expr::Other("a view passed in *args".into()),
        };
        let m = cx.source();
        Val::host(Dj::Url(UrlEntry {
            kind,
            pattern,
            view,
            view_val,
            name: arg(3, "name").and_then(|v| v.as_str().map(String::from)),
            module: m.module.clone(),
            file: m.path.clone(),
            pos: c.pos,
        }))
    }

    /// Every installed app's label and config, in INSTALLED_APPS order (`None` when no app is
    /// known).
    fn app_configs(&self, cx: &Cx) -> Option<Vec<(String, Val)>> {
        let labels: Vec<String> = self.apps.borrow().iter().map(|a| a.label.clone()).collect();
        (!labels.is_empty()).then(|| {
            labels
                .into_iter()
                .map(|l| {
                    let config = self.app_config(cx, &l);
                    (l, config)
                })
                .collect()
        })
    }

    /// The installed app with that label: an instance of its AppConfig class
    /// when that is scanned code (Django instantiates it and calls `ready()`
    /// once), else the app as Django's own AppConfig.
    pub fn app_config(&self, cx: &Cx, label: &str) -> Val {
        if let Some(v) = self.configs.borrow().get(label) {
            return v.clone();
        }
        let app = self
            .apps
            .borrow()
            .iter()
            .find(|a| a.label == label)
            .cloned();
        let Some(app) = app else {
            return Val::Unknown(format!("apps.get_app_config({label:?}): not installed"));
        };
        let Some(config) = app.config.clone() else {
            return Val::host(Dj::App(app));
        };
        let mut attrs = vec![
            ("name".to_string(), Val::Str(app.module.clone())),
            ("label".to_string(), Val::Str(app.label.clone())),
        ];
        if cx.project().module(&app.module).is_some() {
            attrs.push(("module".to_string(), Val::Module(app.module.clone())));
        }
        // what Django's AppConfig sets on every instance, values not known here
        for a in ["path", "apps", "models_module", "models"] {
            attrs.push((a.to_string(), Val::Unknown(format!("{label}.{a}"))));
        }
        let o = cx.new_instance(&config, attrs, true);
        let v = Val::Instance(o.clone());
        // in the cache before `ready()` runs: configs that ask for each other
        self.configs
            .borrow_mut()
            .insert(label.to_string(), v.clone());
        // Django makes it as `AppConfig.create()` does, `cls(app_name, app_module)`: a
        // project `__init__` runs (what Django's own sets is set above already)
        if cx.has_own_method(&o, "__init__") {
            let module = match cx.project().module(&app.module) {
                Some(_) => Val::Module(app.module.clone()),
                None => Val::Unknown(format!("the module {}", app.module)),
            };
            cx.call_method_with(
                &o,
                "__init__",
                vec![Val::Str(app.module.clone()), module],
                &[],
                None,
            );
        }
        if let Some(queue) = self.pending_ready.borrow_mut().as_mut() {
            queue.push_back(o);
            return v;
        }
        *self.pending_ready.borrow_mut() = Some([o].into());
        // the borrow ends before `ready()` runs, which may queue more
        let next = || self.pending_ready.borrow_mut().as_mut()?.pop_front();
        while let Some(config) = next() {
            cx.call_hook(&config, "ready");
        }
        *self.pending_ready.borrow_mut() = None;
        v
    }

    /// `app.name`, `app.label`, `app.module`, or a class attribute of its AppConfig.
    fn app_attr(&self, cx: &Cx, a: &AppInfo, attr: &str) -> Val {
        match attr {
            "name" => Val::Str(a.module.clone()),
            "label" => Val::Str(a.label.clone()),
            "module" if cx.project().module(&a.module).is_some() => Val::Module(a.module.clone()),
            _ => match &a.config {
                Some(c) => cx.class_attr(c, attr),
                None => Val::Unknown(format!("{}.{attr}", a.module)),
            },
        }
    }

    /// An app's own settings wrapper (`from .conf import settings`) falls back to
    /// defaults defined next to it: `<package>.defaults`, `<package>.default_settings`.
    fn default_setting(&self, cx: &Cx, wrapper: &str, name: &str) -> Option<Val> {
        let (module, _) = wrapper.rsplit_once('.')?;
        let project = cx.project();
        if !super::urls::is_own(project, wrapper) {
            return None;
        }
        let pkg = module.rsplit_once('.').map_or(module, |(p, _)| p);
        let mut cands: Vec<&str> = project
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
            .find_map(|m| cx.interpreter().env(m).and_then(|e| e.get(name).cloned()))
    }
}

impl Django {
    /// `apps.get_model("app_label", "Name")` / `("app_label.Name")`: the model class of
    /// that installed app, its name compared without case as Django does.
    fn get_model(&self, cx: &Cx, c: &Call) -> Val {
        let label = cx.argument(c, 0, "app_label");
        let name = cx.argument(c, 1, "model_name");
        let parts: Vec<&str> = match (&label, &name) {
            (Some(Val::Str(label)), Some(Val::Str(name))) => vec![label, name],
            (Some(Val::Str(both)), None) => both.split('.').collect(),
            _ => vec![],
        };
        match parts.as_slice() {
            [label, name] => self.model_class(label, name).map_or_else(
                || Val::Unknown(format!("apps.get_model({label:?}, {name:?})")),
                Val::Class,
            ),
            _ => Val::Unknown("apps.get_model() of a model not known".into()),
        }
    }

    /// The class of model `name` of the installed app labelled `label`, from the
    /// models Django registered (a class under an `if`, or one made by `type()`).
    fn model_class(&self, label: &str, name: &str) -> Option<String> {
        self.models
            .borrow()
            .iter()
            .find(|(l, n, _)| l == label && n.eq_ignore_ascii_case(name))
            .map(|(_, _, id)| id.clone())
    }
}

impl Host for Django {
    fn call(&self, cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
        if let Some((_, kind)) = URL_FUNCS.iter().find(|(f, _)| *f == canonical) {
            return Some(self.url(cx, kind, c));
        }
        let last = canonical.rsplit('.').next().unwrap_or("");
        if super::storage::CLASSES.contains(&canonical) {
            return Some(super::storage::make(cx, c));
        }
        match canonical {
            // django-split-settings' `optional(path)`: the path, which `include()` skips
            // when no file matches (a str subclass in the library)
            super::settings::SPLIT_SETTINGS_OPTIONAL => {
                return Some(
                    cx.argument(c, 0, "filename")
                        .unwrap_or_else(|| Val::Unknown("optional() without a path".into())),
                );
            }
            // `apps.get_model("app_label", "Name")` / `("app_label.Name")`: the model
            // class of that installed app, its name compared without case as Django does
            "django.apps.apps.get_model" | "django.apps.registry.apps.get_model" => {
                return Some(self.get_model(cx, c));
            }
            // django-swapper's `load_model(app_label, model)`: the model its swappable
            // setting names (`<APP_LABEL>_<MODEL>_MODEL = "label.Name"`), else that app's
            // own. A library rule: swapper is not scanned, and the openwisp apps take every
            // model they register in their admin this way.
            "swapper.load_model" => {
                return Some(match cx.positional(c).unwrap_or_default().as_slice() {
                    [Val::Str(label), Val::Str(model), ..] => {
                        let setting = if (label.as_str(), model.as_str()) == ("auth", "User") {
                            "AUTH_USER_MODEL".to_string()
                        } else {
                            format!("{}_{}_MODEL", label.to_uppercase(), model.to_uppercase())
                        };
                        let target = match self.setting(&setting) {
                            Some(Val::Str(t)) => t,
                            _ => format!("{label}.{model}"),
                        };
                        target
                            .split_once('.')
                            .and_then(|(l, n)| self.model_class(l, n))
                            .map_or_else(
                                || Val::Unknown(format!("swapper.load_model({target:?})")),
                                Val::Class,
                            )
                    }
                    _ => Val::Unknown("swapper.load_model() of a model not known".into()),
                });
            }
            // `import_string("pkg.sites.WikiSite")`: the object a dotted path names
            "django.utils.module_loading.import_string" => {
                return Some(match c.arg(0, "dotted_path").map(|e| cx.eval(e)) {
                    Some(Val::Str(path)) => cx.import_string(&path),
                    _ => Val::Unknown("import_string() of a path not known statically".into()),
                });
            }
            // `autodiscover_modules("wiki_plugin")`: each installed app's module
            // of that name, imported (run) in INSTALLED_APPS order
            "django.utils.module_loading.autodiscover_modules" => {
                let names: Vec<String> = c
                    .args
                    .iter()
                    .filter_map(|e| cx.eval(e).as_str().map(String::from))
                    .collect();
                if names.len() != c.args.len() || c.has_splat() {
                    return Some(Val::Unknown("autodiscover_modules(...)".into()));
                }
                let apps: Vec<String> = self
                    .apps
                    .borrow()
                    .iter()
                    .map(|a| a.module.clone())
                    .collect();
                for app in apps {
                    for name in &names {
                        let module = format!("{app}.{name}");
                        if cx.project().module(&module).is_some() {
                            cx.interpreter().env(&module);
                        }
                    }
                }
                return Some(Val::None);
            }
            "django.urls.include" | "django.urls.conf.include" | "django.conf.urls.include" => {
                let Some(arg) = c.arg(0, "arg") else {
                    return Some(Val::Unknown("include()".into()));
                };
                let namespace = c
                    .arg(1, "namespace")
                    .and_then(|e| cx.eval(e).as_str().map(String::from));
                return Some(Val::host(Dj::Include(Include {
                    target: cx.eval(arg),
                    namespace,
                    module: cx.source().module.clone(),
                })));
            }
            "django.conf.urls.i18n.i18n_patterns" => {
                let pdl = c
                    .kwarg("prefix_default_language")
                    .and_then(|e| cx.eval(e).truthy())
                    .unwrap_or(true);
                // `i18n_patterns(*urlpatterns)`: a list built beforehand
                let items = cx.positional(c).unwrap_or_else(|| {
                    vec![Val::Unknown(
                        "i18n_patterns(*...) of patterns not known".into(),
                    )]
                });
                return Some(Val::host(Dj::I18n(items, pdl)));
            }
            "django.conf.urls.static.static" => return Some(Val::List(vec![])),
            // Marked for translation: the message itself, as the URL resolver
            // and the settings see it before a catalogue translates it.
            "django.utils.translation.gettext"
            | "django.utils.translation.gettext_lazy"
            | "django.utils.translation.gettext_noop"
            | "django.utils.translation.ugettext"
            | "django.utils.translation.ugettext_lazy" => {
                return match c.args.first().map(|a| cx.eval(a)) {
                    Some(v @ Val::Str(_)) if c.args.len() == 1 => Some(v),
                    _ => Some(Val::Unknown(format!("{last}(...)"))),
                };
            }
            // `pgettext(context, message)`: the message, the context only tells translators
            "django.utils.translation.pgettext" | "django.utils.translation.pgettext_lazy" => {
                return match c.arg(1, "message").map(|a| cx.eval(a)) {
                    Some(v @ Val::Str(_)) if c.args.len() + c.kwargs.len() == 2 => Some(v),
                    _ => Some(Val::Unknown(format!("{last}(...)"))),
                };
            }
            // Django's helper for discovering a submodule in every installed
            // app (`admin`, a plugin's hook module): the answer for an app of
            // the scanned code is whether the scan holds that submodule
            "django.utils.module_loading.module_has_submodule" => {
                let arg = |i, name| c.arg(i, name).map(|e| cx.eval(e));
                return Some(match (arg(0, "package"), arg(1, "module_name")) {
                    (Some(Val::Module(m)), Some(Val::Str(n))) => {
                        Val::Bool(cx.project().module(&format!("{m}.{n}")).is_some())
                    }
                    _ => Val::Unknown("module_has_submodule() of a module not scanned".into()),
                });
            }
            "django.apps.apps.get_app_configs" | "django.apps.registry.apps.get_app_configs" => {
                return Some(match self.app_configs(cx) {
                    Some(configs) => Val::List(configs.into_iter().map(|(_, c)| c).collect()),
                    None => Val::Unknown("apps.get_app_configs()".into()),
                });
            }
            // whether an app config's `name` (its module) is the one given
            "django.apps.apps.is_installed" | "django.apps.registry.apps.is_installed" => {
                let apps = self.apps.borrow();
                return Some(match c.arg(0, "app_name").map(|e| cx.eval(e)) {
                    Some(Val::Str(name)) if !apps.is_empty() => {
                        Val::Bool(apps.iter().any(|a| a.module == name))
                    }
                    _ => Val::Unknown("apps.is_installed(...)".into()),
                });
            }
            "django.apps.apps.get_app_config" | "django.apps.registry.apps.get_app_config" => {
                let label = c.arg(0, "app_label").map(|e| cx.eval(e));
                return Some(match label {
                    Some(Val::Str(l)) => self.app_config(cx, &l),
                    _ => Val::Unknown("apps.get_app_config() of a label not known".into()),
                });
            }
            "django.conf.urls.patterns" => {
                // legacy patterns("prefix", url(...), ...): string views get the prefix
                return Some(Val::List(
                    c.args.iter().skip(1).map(|a| cx.eval(a)).collect(),
                ));
            }
            _ => {}
        }
        if last == "format_suffix_patterns" && canonical.starts_with("rest_framework") {
            if let Some(a) = c.args.first()
                && let Val::List(v) = cx.eval(a)
            {
                return Some(Val::host(Dj::Suffixed(v)));
            }
            return Some(Val::Unknown("format_suffix_patterns".into()));
        }
        if let Some(api) = super::ninja::kind_of(canonical) {
            return Some(super::ninja::make(cx, api, c));
        }
        if is_router_class(cx.project(), canonical) {
            let kwargs: Vec<(String, Val)> = c
                .kwargs
                .iter()
                .map(|(k, v)| (k.to_string(), cx.eval(v)))
                .collect();
            let nested = nested_router(cx, canonical, c, &kwargs, &self.routers.borrow());
            let mut routers = self.routers.borrow_mut();
            routers.push(Router {
                class: canonical.to_string(),
                kwargs,
                trailing_slash: None,
                registry: Vec::new(),
                module: cx.source().module.clone(),
                nested,
            });
            return Some(Val::host(Dj::Router(routers.len() - 1)));
        }
        None
    }

    fn method(&self, cx: &Cx, recv: &Val, method: &str, c: &Call) -> Option<Val> {
        if let Some(v) = super::ninja::method(cx, recv, method, c) {
            return Some(v);
        }
        // the app registry bound by a local import (`from django.apps import apps`)
        if let Val::Expr(e) = recv
            && method == "get_model"
            && matches!(
                abs_dotted(e).as_deref(),
                Some("django.apps.apps" | "django.apps.registry.apps")
            )
        {
            return Some(self.get_model(cx, c));
        }
        match (dj(recv)?, method) {
            (Dj::Router(id), "register") => Some(self.register(cx, *id, c, None)),
            (Dj::NestedItem(item), "register") => Some(self.nested_register(cx, item, c)),
            _ => None,
        }
    }

    fn class_of(&self, recv: &Val) -> Option<String> {
        match dj(recv)? {
            Dj::Router(id) => Some(self.routers.borrow()[*id].class.clone()),
            _ => None,
        }
    }

    fn attr(&self, cx: &Cx, recv: &Val, attr: &str) -> Option<Val> {
        if attr == "urls"
            && let Some(v) = super::ninja::urls(recv)
        {
            return Some(v);
        }
        if attr == "base_url"
            && let Some(v) = super::storage::base_url(recv, || {
                self.setting("MEDIA_URL")
                    .or_else(|| super::settings::global_default("MEDIA_URL"))
                    .unwrap_or_else(|| Val::Unknown("setting MEDIA_URL".into()))
            })
        {
            return Some(v);
        }
        if attr == "_wrapped" && recv.downcast::<LazyProxy>().is_some() {
            // read before `_setup()` made it (an own `_setup()` sets the instance's)
            return Some(Val::host(Empty));
        }
        match (dj(recv)?, attr) {
            (Dj::Router(id), "urls") => Some(Val::host(Dj::RouterUrls(*id))),
            (Dj::App(a), _) => Some(self.app_attr(cx, a, attr)),
            // what a URLPattern or URLResolver exposes (`pattern.name` in a
            // loop that decorates views by URL name)
            (Dj::Url(u), "name") => Some(u.name.clone().map_or(Val::None, Val::Str)),
            (Dj::Url(u), "pattern") => Some(u.pattern.clone()),
            // a URLResolver's patterns (walked by code that decorates every view)
            (Dj::Url(u), "url_patterns") => Some(match u.view_val.as_ref().and_then(dj) {
                Some(Dj::Include(inc)) => included_patterns(cx, &inc.target),
                _ => Val::Unknown("url_patterns of a URL pattern that includes nothing".into()),
            }),
            _ => None,
        }
    }

    /// `pattern.callback = decorator(pattern.callback)`: the view is wrapped,
    /// its URL does not change.
    fn set_attr(&self, _cx: &Cx, recv: &Val, attr: &str, v: &Val) -> bool {
        // `settings.NAME = v` / `setattr(settings, "NAME", v)`: what later reads see
        if let Val::Expr(e) = recv {
            if abs_dotted(e).as_deref() != Some("django.conf.settings") {
                return false;
            }
            Rc::make_mut(&mut self.settings.borrow_mut()).insert(attr.to_string(), v.clone());
            return true;
        }
        match dj(recv) {
            Some(Dj::Router(id)) if attr == "trailing_slash" => {
                self.routers.borrow_mut()[*id].trailing_slash = Some(v.clone());
                true
            }
            Some(Dj::Url(u)) => attr == "callback" && !u.is_include(),
            _ => false,
        }
    }

    fn library_class_attr(&self, class: &str, name: &str) -> Option<Option<Val>> {
        super::drf::view_class_attr(class, name)
    }

    fn has_attr(&self, cx: &Cx, recv: &Val, name: &str) -> Option<bool> {
        if let Val::Expr(e) = recv {
            return match abs_dotted(e)?.as_str() {
                "django.conf.settings" => self.has_setting(name),
                _ => None,
            };
        }
        match dj(recv)? {
            Dj::App(a) => {
                if APP_CONFIG_ATTRS.contains(&name) {
                    return Some(true);
                }
                let Some(config) = &a.config else {
                    // an app of the scanned code without an AppConfig gets Django's own
                    return a.own.then_some(false);
                };
                let project = cx.project();
                for c in classes::mro(project, config) {
                    if c == "django.apps.AppConfig" || c == "django.apps.config.AppConfig" {
                        continue;
                    }
                    let (_, cd) = classes::find(project, &c)?;
                    if cd.attr(name).is_some()
                        || cd.inner_class(name).is_some()
                        || cd.methods().any(|f| f.name == name)
                    {
                        return Some(true);
                    }
                }
                Some(false)
            }
            Dj::Url(u) => {
                let include = u.is_include();
                match name {
                    "url_patterns" | "urlconf_name" => Some(include),
                    "callback" => Some(!include),
                    "pattern" => Some(true),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `isinstance(p, URLPattern)` / `URLResolver` for what `path()` made.
    fn isinstance(&self, _cx: &Cx, v: &Val, class: &str) -> Option<bool> {
        let Some(Dj::Url(u)) = dj(v) else {
            return None;
        };
        let include = u.is_include();
        match class.rsplit('.').next()? {
            "URLPattern" => Some(!include),
            "URLResolver" => Some(include),
            _ => None,
        }
    }

    /// A project subclass of ninja's API or router class.
    fn instantiate(
        &self,
        cx: &Cx,
        _class: &str,
        base: &str,
        c: &Call,
        _made_at: (&str, u32),
    ) -> Option<Val> {
        if LAZY_OBJECTS.contains(&base) {
            // the function as a value: a module's function is kept as its name
            let func = base
                .ends_with(".SimpleLazyObject")
                .then(|| cx.positional(c)?.into_iter().next())
                .flatten()
                .map(|f| (f, c.clone()));
            return Some(Val::host(LazyProxy(func)));
        }
        if super::storage::CLASSES.contains(&base) {
            return Some(super::storage::make(cx, c));
        }
        super::ninja::kind_of(base).map(|api| super::ninja::make(cx, api, c))
    }

    fn native_class(&self, class: &str) -> bool {
        LAZY_OBJECTS.contains(&class) || super::storage::CLASSES.contains(&class)
    }

    fn lazy_proxy(&self, native: &Val) -> bool {
        native.downcast::<LazyProxy>().is_some()
    }

    fn lazy_func(&self, native: &Val) -> Option<(Val, Call)> {
        native.downcast::<LazyProxy>()?.0.clone()
    }

    fn runs_files(&self, cx: &Cx, canonical: &str, c: &Call) -> Option<Vec<String>> {
        super::settings::included_files(cx, canonical, c)
    }

    fn decorate(
        &self,
        cx: &Cx,
        decorator: &Val,
        _recv: &Val,
        f: &FuncDef,
        _name: &str,
        _id: Option<&str>,
    ) -> bool {
        super::ninja::decorate(cx, decorator, f)
    }

    /// `settings.X`: django.conf.settings, or an app's own settings wrapper.
    fn dotted(&self, cx: &Cx, dotted: &str) -> Option<Val> {
        if dotted.ends_with("empty") && cx.resolve(dotted) == EMPTY {
            return Some(Val::host(Empty));
        }
        let (head, name) = dotted.rsplit_once('.')?;
        let canonical = cx.resolve(head);
        // the app registry's `app_configs`: label -> app config
        if name == "app_configs"
            && matches!(
                canonical.as_str(),
                "django.apps.apps" | "django.apps.registry.apps"
            )
        {
            return Some(match self.app_configs(cx) {
                Some(configs) => {
                    Val::Dict(configs.into_iter().map(|(l, c)| (Val::Str(l), c)).collect())
                }
                None => Val::Unknown("apps.app_configs".into()),
            });
        }
        // `settings.X`, or Django's settings under another name
        // (`from django.conf import settings as django_settings`)
        if head != "settings" && !head.ends_with(".settings") && canonical != "django.conf.settings"
        {
            return None;
        }
        let setting_like = name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit());
        if canonical != "django.conf.settings" && cx.project().module(&canonical).is_some() {
            // a settings module of the scanned code (`from . import settings`):
            // what it defines, as Python reads a module's attribute
            if let Some(v) = cx
                .interpreter()
                .lookup_global(&format!("{canonical}.{name}"))
                .filter(|v| !matches!(v, Val::Unknown(_)))
            {
                return Some(v);
            }
            if !setting_like {
                return None;
            }
        }
        // an app's settings object of the scanned code answers as its class
        // says (`__getattr__` over a registry of defaults); failing that, as
        // a wrapper of Django's settings
        if canonical != "django.conf.settings"
            && let Some(Val::Instance(o)) = cx.interpreter().lookup_global(&canonical)
        {
            match cx.instance_attr(&o, name) {
                Val::Unknown(_) => {}
                v => return Some(v),
            }
        }
        Some(
            self.setting(name)
                .or_else(|| self.default_setting(cx, &canonical, name))
                .or_else(|| super::settings::global_default(name))
                .unwrap_or_else(|| Val::Unknown(format!("setting {name}"))),
        )
    }
}

/// Whether `v` is an instance of a lazy proxy class (a `LazyObject`'s subclass).
pub fn is_lazy_proxy(v: &Val) -> bool {
    matches!(v, Val::Instance(o) if o.native().is_some_and(|n| n.downcast::<LazyProxy>().is_some()))
}

/// What an `include()` target holds: a list of patterns, `(patterns, app_name)`,
/// or a URLconf module's `urlpatterns`.
fn included_patterns(cx: &Cx, target: &Val) -> Val {
    match target {
        Val::List(_) => target.clone(),
        Val::Tuple(t) if matches!(t.first(), Some(Val::List(_))) => t[0].clone(),
        Val::Str(m) | Val::Module(m) => cx
            .interpreter()
            .env(m)
            .and_then(|env| env.get("urlpatterns").cloned())
            .unwrap_or_else(|| Val::Unknown(format!("{m}.urlpatterns"))),
        _ => Val::Unknown("url_patterns of an include() target not known".into()),
    }
}

fn is_include_or_urls(cx: &Cx, view: &Expr) -> bool {
    match view {
        Expr::Attr(_, a) => a == "urls",
        Expr::Call(c) => c.func.dotted().is_some_and(|d| {
            let r = cx.resolve(&d);
            r.ends_with(".include") && r.starts_with("django.")
        }),
        _ => false,
    }
}

/// The parent of a drf-nested-routers router made by the call `c`: `(parent router,
/// parent_prefix, lookup prefix)`, the lookup prefix `lookup + "_"` or `nested_<n>_`.
fn nested_router(
    cx: &Cx,
    canonical: &str,
    c: &Call,
    kwargs: &[(String, Val)],
    routers: &[Router],
) -> Option<(usize, Val, Val)> {
    let nested = |k: &str| k.starts_with("rest_framework_nested.routers.Nested");
    if !nested(canonical)
        && !classes::mro(cx.project(), canonical)
            .iter()
            .any(|k| nested(k))
    {
        return None;
    }
    let parent_val = c.arg(0, "parent_router").map(|e| cx.eval(e))?;
    let Some(Dj::Router(parent)) = dj(&parent_val) else {
        return None;
    };
    let prefix = c.arg(1, "parent_prefix").map_or(Val::None, |e| cx.eval(e));
    let depth =
        std::iter::successors(Some(*parent), |p| routers[*p].nested.as_ref().map(|n| n.0)).count();
    let lookup = match kwargs.iter().find(|(k, _)| k == "lookup") {
        Some((_, Val::Str(l))) => Val::Str(format!("{l}_")),
        Some(_) => Val::Unknown("lookup= not known".into()),
        None => Val::Str(format!("nested_{depth}_")),
    };
    Some((*parent, prefix, lookup))
}

/// A DRF router class (or a subclass in scanned code).
pub fn is_router_class(project: &Project, canonical: &str) -> bool {
    if canonical.starts_with("rest_framework.routers.") {
        return canonical.ends_with("Router");
    }
    if canonical.starts_with("rest_framework_nested.routers.")
        || canonical.starts_with("rest_framework_extensions.routers.")
    {
        return canonical.ends_with("Router");
    }
    classes::mro(project, canonical)
        .iter()
        .any(|c| c.starts_with("rest_framework.routers.") && c.ends_with("Router"))
}
