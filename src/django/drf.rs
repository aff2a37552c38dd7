//! Django REST framework routers: the routes `SimpleRouter`/`DefaultRouter`
//! generate, following `rest_framework/routers.py` (`get_routes`, `get_urls`,
//! `get_lookup_regex`, `format_suffix_patterns`).

use super::builtins::{Dj, Django, Router};
use crate::python::Project;
use crate::python::classes;
use crate::python::interp::{Interpreter, Val};
use crate::python::ir::{Expr, Stmt};

pub struct RouterUrl {
    pub rule: String,
    pub name: Option<String>,
    pub view: Option<String>,
    pub methods: Vec<String>,
    pub file: String,
    pub line: u32,
    pub resolved: bool,
    pub reason: Option<String>,
}

struct Action {
    name: String,
    detail: bool,
    url_path: String,
    url_name: String,
    methods: Vec<String>,
}

/// One entry of a router's `routes`: a `Route` (an HTTP method -> action
/// mapping) or, without a mapping, a `DynamicRoute` for the extra actions.
struct RouteSpec {
    url: String,
    mapping: Option<Vec<(String, String)>>,
    name: String,
    detail: bool,
}

/// `SimpleRouter.routes`, as DRF defines them.
fn stock_routes() -> Vec<RouteSpec> {
    let route = |url: &str, mapping: &[(&str, &str)], name: &str, detail| RouteSpec {
        url: url.into(),
        mapping: Some(
            mapping
                .iter()
                .map(|(v, a)| (v.to_string(), a.to_string()))
                .collect(),
        ),
        name: name.into(),
        detail,
    };
    let dynamic = |url: &str, detail| RouteSpec {
        url: url.into(),
        mapping: None,
        name: "{basename}-{url_name}".into(),
        detail,
    };
    vec![
        route(
            "^{prefix}{trailing_slash}$",
            &[("get", "list"), ("post", "create")],
            "{basename}-list",
            false,
        ),
        dynamic("^{prefix}/{url_path}{trailing_slash}$", false),
        route(
            "^{prefix}/{lookup}{trailing_slash}$",
            &[
                ("get", "retrieve"),
                ("put", "update"),
                ("patch", "partial_update"),
                ("delete", "destroy"),
            ],
            "{basename}-detail",
            true,
        ),
        dynamic("^{prefix}/{lookup}/{url_path}{trailing_slash}$", true),
    ]
}

/// The router class's `routes` when the project redefines them as a list
/// of `Route(...)`/`DynamicRoute(...)` literals; DRF's own otherwise.
fn route_specs(project: &Project, router_class: &str) -> Vec<RouteSpec> {
    let custom = classes::attr(project, router_class, "routes").and_then(|(e, _)| {
        e.elements()?
            .iter()
            .map(|item| {
                let c = item.as_call()?;
                let kind = c.func.last_name()?;
                let text = |k: &str| c.kwarg(k).and_then(|e| e.as_str()).map(String::from);
                let mapping = match kind {
                    "Route" => match c.kwarg("mapping")? {
                        Expr::Dict(pairs) => Some(
                            pairs
                                .iter()
                                .map(|(k, v)| {
                                    Some((k.as_str()?.to_string(), v.as_str()?.to_string()))
                                })
                                .collect::<Option<Vec<_>>>()?,
                        ),
                        _ => return None,
                    },
                    "DynamicRoute" => None,
                    _ => return None,
                };
                Some(RouteSpec {
                    url: text("url")?,
                    mapping,
                    name: text("name")?,
                    detail: matches!(c.kwarg("detail"), Some(Expr::Bool(true))),
                })
            })
            .collect::<Option<Vec<_>>>()
    });
    custom.unwrap_or_else(stock_routes)
}

/// Actions an external (not scanned) viewset class or mixin provides.
fn external_actions(canonical: &str) -> &'static [&'static str] {
    let last = canonical.rsplit('.').next().unwrap_or(canonical);
    match last {
        "ListModelMixin" => &["list"],
        "CreateModelMixin" => &["create"],
        "RetrieveModelMixin" => &["retrieve"],
        "UpdateModelMixin" => &["update", "partial_update"],
        "DestroyModelMixin" => &["destroy"],
        l if l.contains("ReadOnlyModelViewSet") => &["list", "retrieve"],
        l if l.contains("ModelViewSet") => &[
            "list",
            "create",
            "retrieve",
            "update",
            "partial_update",
            "destroy",
        ],
        _ => &[],
    }
}

/// The extra action a method decorator declares. The decorator is resolved
/// in the class's module, so `action as drf_action` is recognised too.
fn decorator_action(project: &Project, module: &str, d: &Expr, method: &str) -> Option<Action> {
    let (func, call) = match d {
        Expr::Call(c) => (&c.func, Some(c)),
        other => (other, None),
    };
    let canonical = project.resolver.resolve(module, &func.dotted()?);
    let last = canonical.rsplit('.').next()?;
    let detail = match last {
        "action" => call
            .and_then(|c| c.kwarg("detail"))
            .map(|e| matches!(e, Expr::Bool(true)))
            .unwrap_or(false),
        "detail_route" => true,
        "list_route" => false,
        _ => return None,
    };
    let kw_str = |k: &str| {
        call.and_then(|c| c.kwarg(k))
            .and_then(|e| e.as_str())
            .map(String::from)
    };
    let url_path = kw_str("url_path").unwrap_or_else(|| method.to_string());
    let url_name = kw_str("url_name").unwrap_or_else(|| method.replace('_', "-"));
    let methods = call
        .and_then(|c| c.kwarg("methods"))
        .and_then(|e| e.elements())
        .map(|v| {
            v.iter()
                .filter_map(|x| x.as_str().map(|s| s.to_uppercase()))
                .collect()
        })
        .unwrap_or_else(|| vec!["GET".to_string()]);
    Some(Action {
        name: method.to_string(),
        detail,
        url_path,
        url_name,
        methods,
    })
}

/// Methods defined along the MRO (first definition wins) and the extra actions.
fn viewset_members(project: &Project, viewset: &str) -> (Vec<String>, Vec<Action>) {
    let mut names: Vec<String> = Vec::new();
    let mut actions: Vec<Action> = Vec::new();
    for c in classes::mro(project, viewset) {
        match classes::find(project, &c) {
            Some((m, cd)) => {
                for s in &cd.body {
                    let Stmt::Func(f) = s else { continue };
                    if names.iter().any(|n| *n == f.name) {
                        continue;
                    }
                    names.push(f.name.to_string());
                    if let Some(a) = f
                        .decorators
                        .iter()
                        .find_map(|d| decorator_action(project, &m.module, d, &f.name))
                    {
                        actions.push(a);
                    }
                }
                // `list = None` and similar assignments hide an inherited action
                for (n, _, _, _) in cd.assignments() {
                    if !names.iter().any(|x| x == n) {
                        names.push(format!("-{n}"));
                    }
                }
            }
            None => {
                for a in external_actions(&c) {
                    if !names.iter().any(|x| x == a || x == &format!("-{a}")) {
                        names.push(a.to_string());
                    }
                }
            }
        }
    }
    // inspect.getmembers order: by name
    actions.sort_by(|a, b| a.name.cmp(&b.name));
    (names, actions)
}

fn class_str_attr(project: &Project, class: &str, name: &str) -> Option<String> {
    classes::attr(project, class, name).and_then(|(e, _)| e.as_str().map(String::from))
}

fn basename_of(project: &Project, viewset: &str) -> Option<String> {
    let (e, _) = classes::attr(project, viewset, "queryset")?;
    let mut cur = e;
    loop {
        match cur {
            Expr::Call(c) => cur = &c.func,
            Expr::Attr(b, _) => {
                if let Expr::Name(n) = &**b {
                    return Some(n.to_lowercase().to_string());
                }
                cur = b
            }
            Expr::Name(n) => return Some(n.to_lowercase().to_string()),
            _ => return None,
        }
    }
}

fn router_flag(
    project: &Project,
    class: &str,
    kwargs: &[(String, Val)],
    name: &str,
    default: bool,
) -> bool {
    if let Some((_, v)) = kwargs.iter().find(|(k, _)| k == name)
        && let Some(b) = v.truthy()
    {
        return b;
    }
    match classes::attr(project, class, name) {
        Some((Expr::Bool(b), _)) => *b,
        _ => default,
    }
}

/// The view classes of DRF (and Django's `View` they derive from) whose attributes are
/// known, and all the attributes (not dunders) any of them has, as `dir()` lists them for
/// DRF 3.16 on Django 5.2. A project's router code reads a viewset's optional attributes
/// with `getattr(viewset, "lookup_fields", None)`: without this, whether the library class
/// has one is not known, and neither is the URL.
const VIEW_CLASSES: &[&str] = &[
    "django.views.View",
    "django.views.generic.View",
    "django.views.generic.base.View",
    "rest_framework.generics.CreateAPIView",
    "rest_framework.generics.DestroyAPIView",
    "rest_framework.generics.GenericAPIView",
    "rest_framework.generics.ListAPIView",
    "rest_framework.generics.ListCreateAPIView",
    "rest_framework.generics.RetrieveAPIView",
    "rest_framework.generics.RetrieveDestroyAPIView",
    "rest_framework.generics.RetrieveUpdateAPIView",
    "rest_framework.generics.RetrieveUpdateDestroyAPIView",
    "rest_framework.generics.UpdateAPIView",
    "rest_framework.mixins.CreateModelMixin",
    "rest_framework.mixins.DestroyModelMixin",
    "rest_framework.mixins.ListModelMixin",
    "rest_framework.mixins.RetrieveModelMixin",
    "rest_framework.mixins.UpdateModelMixin",
    "rest_framework.views.APIView",
    "rest_framework.viewsets.GenericViewSet",
    "rest_framework.viewsets.ModelViewSet",
    "rest_framework.viewsets.ReadOnlyModelViewSet",
    "rest_framework.viewsets.ViewSet",
    "rest_framework.viewsets.ViewSetMixin",
];
const VIEW_ATTRS: &[&str] = &[
    "_allowed_methods",
    "allowed_methods",
    "as_view",
    "authentication_classes",
    "check_object_permissions",
    "check_permissions",
    "check_throttles",
    "content_negotiation_class",
    "create",
    "default_response_headers",
    "delete",
    "destroy",
    "determine_version",
    "dispatch",
    "filter_backends",
    "filter_queryset",
    "finalize_response",
    "get",
    "get_authenticate_header",
    "get_authenticators",
    "get_content_negotiator",
    "get_exception_handler",
    "get_exception_handler_context",
    "get_extra_action_url_map",
    "get_extra_actions",
    "get_format_suffix",
    "get_object",
    "get_paginated_response",
    "get_parser_context",
    "get_parsers",
    "get_permissions",
    "get_queryset",
    "get_renderer_context",
    "get_renderers",
    "get_serializer",
    "get_serializer_class",
    "get_serializer_context",
    "get_success_headers",
    "get_throttles",
    "get_view_description",
    "get_view_name",
    "handle_exception",
    "http_method_names",
    "http_method_not_allowed",
    "initial",
    "initialize_request",
    "list",
    "lookup_field",
    "lookup_url_kwarg",
    "metadata_class",
    "options",
    "paginate_queryset",
    "pagination_class",
    "paginator",
    "parser_classes",
    "partial_update",
    "patch",
    "perform_authentication",
    "perform_content_negotiation",
    "perform_create",
    "perform_destroy",
    "perform_update",
    "permission_classes",
    "permission_denied",
    "post",
    "put",
    "queryset",
    "raise_uncaught_exception",
    "renderer_classes",
    "retrieve",
    "reverse_action",
    "schema",
    "serializer_class",
    "settings",
    "setup",
    "throttle_classes",
    "throttled",
    "update",
    "versioning_class",
    "view_is_async",
];

/// The attribute `name` of one of DRF's view classes (see `Host::library_class_attr`):
/// `lookup_field` and `lookup_url_kwarg` with their values on `GenericAPIView` and the
/// classes built on it, absent on the others; any other attribute of `VIEW_ATTRS` not known
/// (it depends on the class); any other name absent. `None` for other classes and dunders.
pub fn view_class_attr(class: &str, name: &str) -> Option<Option<Val>> {
    if !VIEW_CLASSES.contains(&class) || (name.starts_with("__") && name.ends_with("__")) {
        return None;
    }
    let generic = class.starts_with("rest_framework.generics.")
        || matches!(
            class,
            "rest_framework.viewsets.GenericViewSet"
                | "rest_framework.viewsets.ModelViewSet"
                | "rest_framework.viewsets.ReadOnlyModelViewSet"
        );
    match name {
        "lookup_field" => Some(generic.then(|| Val::Str("pk".into()))),
        "lookup_url_kwarg" => Some(generic.then_some(Val::None)),
        _ if VIEW_ATTRS.contains(&name) => None,
        _ => Some(None),
    }
}

/// `router.get_lookup_regex(viewset, lookup_prefix)`: the project's override, else DRF's
/// (`Err`: the override's answer is not known, and why).
fn lookup_regex(
    ev: &Interpreter,
    router: &Router,
    id: usize,
    viewset: &str,
    prefix: &str,
) -> Result<String, String> {
    let project = ev.project;
    own_lookup_regex(ev, router, id, viewset, prefix).unwrap_or_else(|| {
        let lookup_field =
            class_str_attr(project, viewset, "lookup_field").unwrap_or_else(|| "pk".into());
        let kwarg = class_str_attr(project, viewset, "lookup_url_kwarg").unwrap_or(lookup_field);
        let value = class_str_attr(project, viewset, "lookup_value_regex")
            .unwrap_or_else(|| "[^/.]+".into());
        Ok(format!("(?P<{prefix}{kwarg}>{value})"))
    })
}

/// What a nested router puts after `^` in each of its routes: its parents' prefixes and
/// lookup groups (`calendars/(?P<calendar_pk>[^/.]+)/`), as drf-nested-routers builds its
/// `parent_regex`; `None` when a part is not known.
fn parent_regex(ev: &Interpreter, dj: &Django, id: usize) -> Option<String> {
    let routers = dj.routers.borrow();
    let (parent, prefix, lookup) = routers[id].nested.clone()?;
    let (Val::Str(prefix), Val::Str(lookup)) = (prefix, lookup) else {
        return None;
    };
    let reg = routers[parent]
        .registry
        .iter()
        .find(|r| r.prefix.as_str() == Some(prefix.as_str()))?;
    let viewset = super::urls::view_of(ev.project, &reg.module, &reg.viewset)?;
    let parent_router = routers[parent].clone();
    drop(routers);
    let own = format!(
        "{prefix}/{}/",
        lookup_regex(ev, &parent_router, parent, &viewset, &lookup).ok()?
    );
    let own = own.strip_prefix('/').map(String::from).unwrap_or(own);
    Some(match parent_router.nested {
        Some(_) => parent_regex(ev, dj, parent)? + &own,
        None => own,
    })
}

/// What a router class of the project returns from its own `get_lookup_regex(viewset)`
/// (one group per field of a `lookup_fields` tuple, another value pattern), run by the
/// interpreter with the router as `self` (`Err`: its answer is not known); `None` without
/// such an override.
fn own_lookup_regex(
    ev: &Interpreter,
    router: &Router,
    id: usize,
    viewset: &str,
    prefix: &str,
) -> Option<Result<String, String>> {
    let this = Val::host(Dj::Router(id));
    let v = ev.in_module(&router.module, |cx| {
        cx.call_own_method(
            &router.class,
            this,
            "get_lookup_regex",
            vec![
                Val::Class(viewset.to_string()),
                Val::Str(prefix.to_string()),
            ],
            &[],
            None,
        )
    })??;
    Some(match v {
        Val::Str(s) => Ok(s),
        _ => Err("the router's own get_lookup_regex() gives a value not known statically".into()),
    })
}

/// What a router's patterns end with: the attribute as the code set it, else what
/// `__init__` makes of the argument (`'/' if trailing_slash else ''`), else, for a nested
/// router, its parent's (drf-nested-routers copies it), else the class's.
fn trailing_slash(project: &Project, dj: &Django, id: usize) -> String {
    let router = dj.routers.borrow()[id].clone();
    match (
        &router.trailing_slash,
        router.kwargs.iter().find(|(k, _)| k == "trailing_slash"),
    ) {
        (Some(Val::Str(s)), _) => s.clone(),
        (_, Some((_, v))) if v.truthy().is_some() => {
            if v.truthy() == Some(true) {
                "/".to_string()
            } else {
                String::new()
            }
        }
        _ => match (
            &router.nested,
            classes::attr(project, &router.class, "trailing_slash"),
        ) {
            (Some((parent, ..)), _) => trailing_slash(project, dj, *parent),
            (None, Some((Expr::Str(s), _))) => s.to_string(),
            (None, Some((Expr::Bool(false), _))) => String::new(),
            _ => "/".to_string(),
        },
    }
}

pub fn router_urls(ev: &Interpreter, dj: &Django, id: usize) -> Vec<RouterUrl> {
    let project = ev.project;
    let router = dj.routers.borrow()[id].clone();
    let mro = classes::mro(project, &router.class);
    let is_default = mro.iter().any(|c| {
        c.ends_with(".DefaultRouter")
            || c.ends_with(".NestedDefaultRouter")
            || c == "rest_framework_extensions.routers.ExtendedDefaultRouter"
    });
    let trailing = trailing_slash(project, dj, id);
    let mut specs = route_specs(project, &router.class);
    // a nested router's routes start with its parents' prefixes and lookups
    let nested = router.nested.is_some().then(|| parent_regex(ev, dj, id));
    if let Some(parents) = &nested {
        let parents = parents.as_deref().unwrap_or("<?>/");
        for s in &mut specs {
            s.url = s.url.replacen('^', &format!("^{parents}"), 1);
        }
    }
    let parent_known = !matches!(nested, Some(None));
    let mut out = Vec::new();
    for reg in &router.registry {
        let prefix = match &reg.prefix {
            Val::Str(s) => s.clone(),
            _ => "<?>".into(),
        };
        let viewset = super::urls::view_of(project, &reg.module, &reg.viewset);
        let vs = viewset.clone().unwrap_or_default();
        let (names, actions) = viewset_members(project, &vs);
        let has = |a: &str| names.iter().any(|n| n == a);
        let basename = reg.basename.clone().or_else(|| basename_of(project, &vs));
        let (lookup, lookup_unknown) = match lookup_regex(ev, &router, id, &vs, "") {
            Ok(l) => (l, None),
            Err(why) => ("<?>".to_string(), Some(why)),
        };
        let mut push = |url: String, name: String, methods: Vec<String>| {
            let mut rule = url
                .replace("{prefix}", &prefix)
                .replace("{lookup}", &lookup)
                .replace("{trailing_slash}", &trailing);
            if prefix.is_empty() && rule.starts_with("^/") {
                rule = format!("^{}", &rule[2..]);
            }
            out.push(RouterUrl {
                rule,
                name: basename.as_ref().map(|b| name.replace("{basename}", b)),
                view: viewset.clone(),
                methods,
                file: reg.file.clone(),
                line: reg.pos.line,
                resolved: reg.prefix.as_str().is_some() && parent_known && lookup_unknown.is_none(),
                reason: if reg.prefix.as_str().is_none() {
                    Some("router prefix not known statically".to_string())
                } else if let Some(why) = &lookup_unknown {
                    Some(why.clone())
                } else if !parent_known {
                    Some("the parent registration of a nested router is not known".to_string())
                } else {
                    None
                },
            });
        };
        for spec in &specs {
            match &spec.mapping {
                Some(mapping) => {
                    let mut methods: Vec<String> = Vec::new();
                    for (verb, action) in mapping {
                        let verb = verb.to_uppercase();
                        if has(action) && !methods.contains(&verb) {
                            methods.push(verb);
                        }
                    }
                    if !methods.is_empty() {
                        push(spec.url.clone(), spec.name.clone(), methods);
                    }
                }
                // one URL per extra action of that kind (`@action(detail=...)`)
                None => {
                    for a in actions.iter().filter(|a| a.detail == spec.detail) {
                        push(
                            spec.url.replace("{url_path}", &a.url_path),
                            spec.name.replace("{url_name}", &a.url_name),
                            a.methods.clone(),
                        );
                    }
                }
            }
        }
    }
    if is_default {
        // DRF 3.15 made the root a `path("")`, format suffixes included.
        let root_kind = if drf_before_3_15(project) {
            "django.re_path"
        } else {
            "django.path"
        };
        if router_flag(
            project,
            &router.class,
            &router.kwargs,
            "include_root_view",
            true,
        ) {
            // `APIRootView = OwnRootView` on the router class replaces DRF's view
            let view = match classes::attr(project, &router.class, "APIRootView") {
                Some((e, m)) => e.dotted().map(|d| project.resolver.resolve(&m.module, &d)),
                None => None,
            };
            out.insert(
                0,
                RouterUrl {
                    rule: if root_kind == "django.path" { "" } else { "^$" }.into(),
                    name: Some("api-root".into()),
                    view: Some(view.unwrap_or_else(|| "rest_framework.routers.APIRootView".into())),
                    methods: vec!["GET".into()],
                    file: project
                        .module(&router.module)
                        .map(|m| m.path.clone())
                        .unwrap_or_default(),
                    line: 0,
                    resolved: true,
                    reason: None,
                },
            );
        }
        if router_flag(
            project,
            &router.class,
            &router.kwargs,
            "include_format_suffixes",
            true,
        ) {
            let mut with = Vec::new();
            for (i, u) in out.into_iter().enumerate() {
                let root = i == 0 && u.name.as_deref() == Some("api-root");
                let s = RouterUrl {
                    rule: suffix_rule(&u.rule, if root { root_kind } else { "django.re_path" }),
                    name: u.name.clone(),
                    view: u.view.clone(),
                    methods: u.methods.clone(),
                    file: u.file.clone(),
                    line: u.line,
                    resolved: u.resolved,
                    reason: u.reason.clone(),
                };
                with.push(u);
                with.push(s);
            }
            out = with;
        }
    }
    out
}

/// The format-suffix variant of a rule (`apply_suffix_patterns`; for a
/// `path()` route the converter's pattern holds the dot).
pub fn suffix_rule(rule: &str, kind: &str) -> String {
    if kind == "django.path" {
        let r = rule.trim_end_matches('$').trim_end_matches('/');
        return format!("{r}<drf_format_suffix:format>");
    }
    let r = rule.trim_end_matches('$').trim_end_matches('/');
    format!("{r}\\.(?P<format>[a-z0-9]+)/?$")
}

/// Whether the project runs a DRF before 3.15 (whose router patterns are regexes): its
/// requirements pin one (`==3.14.0`, `<3.15`, `~=3.12.0`), or the site-packages read holds
/// one; otherwise a current release is assumed.
fn drf_before_3_15(project: &Project) -> bool {
    project
        .manifests
        .iter()
        .any(|(_, text)| pins_drf_before_3_15(text))
        || project.installed.iter().any(|(name, version)| {
            name == "djangorestframework"
                && pins_drf_before_3_15(&format!("djangorestframework=={version}"))
        })
}

fn pins_drf_before_3_15(manifest: &str) -> bool {
    const NAME: &str = "djangorestframework";
    manifest.lines().any(|line| {
        let line = line.split('#').next().unwrap_or("").to_ascii_lowercase();
        let Some(at) = line.find(NAME) else {
            return false;
        };
        line[at + NAME.len()..].split(',').any(|clause| {
            let clause = clause.trim_matches(|c: char| c.is_whitespace() || "\"'[]".contains(c));
            let Some((op, version)) = ["==", "~=", "<=", "<"]
                .iter()
                .find_map(|op| clause.strip_prefix(op).map(|v| (*op, v.trim())))
            else {
                return false;
            };
            let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
            let (Some(Some(major)), Some(Some(minor))) = (parts.next(), parts.next()) else {
                return false;
            };
            let v = (major, minor);
            match op {
                "<" => v <= (3, 15),
                _ => v < (3, 15),
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::pins_drf_before_3_15 as old;

    #[test]
    fn drf_pins_below_3_15() {
        assert!(old("djangorestframework==3.14.0\n"));
        assert!(old("Django>=4\ndjangorestframework>=3.12,<3.15 # api\n"));
        assert!(old("  \"djangorestframework~=3.13.1\",\n"));
        assert!(!old("djangorestframework>=3.12\n"));
        assert!(!old("djangorestframework==3.16.1\n"));
        assert!(!old("djangorestframework\n"));
        assert!(!old("django-filter==2.4\n"));
    }
}
