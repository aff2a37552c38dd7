//! Flask-Admin: each `admin.add_view(View(...))` is an admin registration,
//! and each view is a blueprint of its own at the view's URL. A model view
//! serves Flask-Admin's standard set (list, new, edit, details, delete,
//! action, export, ajax), less a method the project overrides without
//! `@expose`; every `@expose` method of the project's view classes adds its
//! own rule; the index view (`/admin` unless `url=` says otherwise) also
//! serves the admin's static files.

use super::Ctx;
use super::objects::{Kind, Objects, local_assignment, local_call};
use crate::inventory::{AdminRegistration, Inventory, Route};
use crate::python::SourceModule;
use crate::python::ir::{Call, ClassDef, Expr, Stmt};
use crate::python::scope::{self, Scope};

/// (method, rule, HTTP methods) of Flask-Admin's `BaseModelView`.
const MODEL_VIEW_URLS: &[(&str, &str, &[&str])] = &[
    ("index_view", "/", &["GET"]),
    ("create_view", "/new/", &["GET", "POST"]),
    ("edit_view", "/edit/", &["GET", "POST"]),
    ("details_view", "/details/", &["GET"]),
    ("delete_view", "/delete/", &["POST"]),
    ("action_view", "/action/", &["POST"]),
    ("export", "/export/<export_type>/", &["GET"]),
    ("ajax_lookup", "/ajax/lookup/", &["GET"]),
    ("ajax_update", "/ajax/update/", &["POST"]),
];

/// An `@expose` rule and its HTTP methods.
type Exposed = (String, Vec<String>);

/// The same for `AdminIndexView`.
const INDEX_VIEW_URLS: &[(&str, &str, &[&str])] = &[("index", "/", &["GET"])];

/// One admin: its URL and index view.
struct Site<'p> {
    url: Result<String, String>,
    index_endpoint: String,
    /// The project's index view class, if it has one.
    index_class: Option<String>,
    file: &'p str,
    line: u32,
}

pub fn extract(ctx: &Ctx, objs: &Objects, inv: &mut Inventory) {
    let resolver = &ctx.project.resolver;
    let mut sites: Vec<(String, Site)> = Vec::new();
    for admin in objs.of_kind(Kind::Admin) {
        if let Some(site) = site(ctx, &admin.id, &admin.file, admin.line) {
            sites.push((admin.id.clone(), site));
        }
    }
    for (_, site) in &sites {
        let (rules, line) = (&site.url, site.line);
        let url = rules.as_ref().ok().cloned();
        let reason = rules.as_ref().err().cloned();
        let view = site.index_class.clone();
        push_view(
            ctx,
            inv,
            &ViewRoutes {
                class: view.as_deref(),
                library: INDEX_VIEW_URLS,
                library_view: "flask_admin.base.AdminIndexView",
                endpoint: &site.index_endpoint,
                url: url.as_deref(),
                reason: reason.clone(),
                file: site.file,
                line,
            },
        );
        let static_rule = match url.as_deref() {
            Some("/") => "/static/admin/<path:filename>".to_string(),
            Some(u) => format!("{}/static/<path:filename>", u.trim_end_matches('/')),
            None => "/admin/static/<path:filename>".to_string(),
        };
        inv.routes.push(Route {
            rule: static_rule,
            methods: vec!["GET".into()],
            endpoint: Some(format!("{}.static", site.index_endpoint)),
            view: Some("flask.blueprints.Blueprint.send_static_file".into()),
            file: site.file.to_string(),
            line,
            resolved: reason.is_none(),
            reason: reason.clone(),
            group: Some(site.index_endpoint.clone()),
            kind: "static".into(),
            third_party: true,
            ..Default::default()
        });
    }
    for &f in &ctx.files {
        scope::walk(f, resolver, ctx.values, &mut |stmt, sc| {
            let Stmt::Expr(Expr::Call(c), _) = stmt else {
                return;
            };
            let Expr::Attr(recv, method) = &c.func else {
                return;
            };
            if method != "add_view" && method != "add_views" {
                return;
            }
            let Some(admin) = sc.resolve(resolver, recv) else {
                return;
            };
            if objs.kind(&admin) != Some(Kind::Admin) {
                return;
            }
            let site = sites.iter().find(|(id, _)| *id == admin).map(|(_, s)| s);
            for arg in c.args.iter() {
                let Some(view) = view_call(ctx, sc, arg) else {
                    continue;
                };
                add_view(ctx, sc, f, site, c, view, inv);
            }
        });
    }
}

/// An admin's URL and index view, from its constructor call.
fn site<'p>(ctx: &Ctx<'p>, id: &str, file: &'p str, line: u32) -> Option<Site<'p>> {
    let (module, call): (&str, &Call) = match ctx.values.get(id) {
        Some((module, Expr::Call(c))) => (module, c),
        _ => {
            let (m, _, call) = local_assignment(ctx, id)?;
            (m.module.as_str(), call)
        }
    };
    let m = ctx.project.module(module)?;
    let sc = Scope::module_scope(m);
    let eval = |e: &Expr| scope::const_str(&sc, &ctx.project.resolver, ctx.values, e);
    let index = call.kwarg("index_view").and_then(|e| e.as_call());
    let given = |name: &str| {
        call.kwarg(name)
            .or_else(|| index.and_then(|i| i.kwarg(name)))
            .filter(|e| !matches!(e, Expr::None))
    };
    let url = given("url").map_or_else(|| Ok("/admin".to_string()), eval);
    let index_endpoint = given("endpoint")
        .and_then(|e| eval(e).ok())
        .unwrap_or_else(|| "admin".into());
    let index_class = index.and_then(|i| sc.resolve(&ctx.project.resolver, &i.func));
    Some(Site {
        url,
        index_endpoint,
        index_class,
        file,
        line,
    })
}

/// The constructor call a view argument is (`ModelView(User, db.session)`,
/// or a name bound to one).
fn view_call<'p>(ctx: &Ctx<'p>, sc: &Scope, arg: &'p Expr) -> Option<&'p Call> {
    match arg {
        Expr::Call(c) => Some(c),
        e => {
            let id = sc.resolve(&ctx.project.resolver, e)?;
            match ctx.values.get(&id) {
                Some((_, Expr::Call(c))) => Some(c),
                _ => local_call(ctx, &id),
            }
        }
    }
}

fn add_view(
    ctx: &Ctx,
    sc: &Scope,
    f: &SourceModule,
    site: Option<&Site>,
    at: &Call,
    view: &Call,
    inv: &mut Inventory,
) {
    let resolver = &ctx.project.resolver;
    let class = sc.resolve(resolver, &view.func);
    let lineage: Vec<String> = class
        .iter()
        .cloned()
        .chain(
            class
                .iter()
                .flat_map(|c| ctx.classes.ancestors(resolver, c)),
        )
        .collect();
    let from_admin = |suffix: &str| {
        lineage
            .iter()
            .any(|a| a.starts_with("flask_admin.") && a.ends_with(suffix))
    };
    let is_model_view = from_admin("ModelView");
    let is_page = from_admin("BaseView") || from_admin("AdminIndexView");
    // A view class with an `__init__` of its own takes its own arguments:
    // only keywords still say what Flask-Admin gets. Otherwise by position:
    // ModelView(model, session, name, category, endpoint, url),
    // BaseView(name, category, endpoint, url).
    let own_init = lineage.iter().any(|a| {
        ctx.classes.get(a).is_some_and(|(_, c)| {
            c.body
                .iter()
                .any(|s| matches!(s, Stmt::Func(f) if f.name == "__init__"))
        })
    });
    let given = |index: usize, name: &str| {
        let e = if own_init {
            view.kwarg(name)
        } else {
            view.arg(index, name)
        };
        e.filter(|e| !matches!(e, Expr::None))
    };
    let (at_endpoint, at_url) = if is_model_view { (4, 5) } else { (2, 3) };
    let model = given(0, "model").and_then(|a| sc.resolve(resolver, a));
    // A model's registration; a custom page (`BaseView`) registers no model.
    if is_model_view || !is_page {
        inv.admin.push(AdminRegistration {
            model: model.clone().unwrap_or_else(|| view.func.describe()),
            admin_class: class.clone(),
            site: "flask_admin".into(),
            file: f.path.clone(),
            line: at.pos.line,
        });
    }
    let (Some(class), Some(site)) = (class.filter(|_| is_model_view || is_page), site) else {
        return;
    };
    let eval = |e: &Expr| scope::const_str(sc, resolver, ctx.values, e);
    let mut reason = site.url.as_ref().err().cloned();
    let mut unknown = |why: String| {
        reason.get_or_insert(why);
        "<endpoint>".to_string()
    };
    let endpoint = match given(at_endpoint, "endpoint") {
        Some(e) => eval(e).unwrap_or_else(|why| unknown(format!("endpoint: {why}"))),
        // a model view is named after its model, a page after its class
        None if is_model_view => match &model {
            Some(m) if !own_init && !m.contains("<locals>") => {
                m.rsplit('.').next().unwrap_or(m).to_lowercase()
            }
            _ => unknown(format!(
                "endpoint: the model of `{}` is not known statically",
                view.func.describe()
            )),
        },
        None => class.rsplit('.').next().unwrap_or(&class).to_lowercase(),
    };
    let admin_url = site.url.as_deref().unwrap_or("/admin");
    let url = match given(at_url, "url").map(eval) {
        Some(Ok(u)) if u.starts_with('/') => u,
        Some(Ok(u)) => format!("{}/{u}", admin_url.trim_end_matches('/')),
        Some(Err(why)) => {
            reason.get_or_insert(format!("url: {why}"));
            format!("/{endpoint}")
        }
        None if admin_url == "/" => format!("/{endpoint}"),
        None => format!("{}/{endpoint}", admin_url.trim_end_matches('/')),
    };
    if let Err(why) = ctx.reach.runs(sc) {
        reason.get_or_insert(why);
    }
    push_view(
        ctx,
        inv,
        &ViewRoutes {
            class: Some(&class),
            library: if is_model_view { MODEL_VIEW_URLS } else { &[] },
            library_view: "flask_admin.model.base.BaseModelView",
            endpoint: &endpoint,
            url: Some(&url),
            reason,
            file: &f.path,
            line: at.pos.line,
        },
    );
}

/// One view's blueprint: what its classes expose, and the library's set.
struct ViewRoutes<'a> {
    class: Option<&'a str>,
    library: &'static [(&'static str, &'static str, &'static [&'static str])],
    library_view: &'a str,
    endpoint: &'a str,
    /// The blueprint's URL; `/` mounts it at the root.
    url: Option<&'a str>,
    reason: Option<String>,
    file: &'a str,
    line: u32,
}

fn push_view(ctx: &Ctx, inv: &mut Inventory, v: &ViewRoutes) {
    let resolver = &ctx.project.resolver;
    let prefix = v.url.filter(|u| *u != "/");
    let rule = |r: &str| match prefix {
        None => r.to_string(),
        Some(p) => format!("{}/{}", p.trim_end_matches('/'), r.trim_start_matches('/')),
    };
    let route = |method: &str, r: &str, methods: Vec<String>, view: String, own: bool| Route {
        rule: rule(r),
        methods,
        endpoint: Some(format!("{}.{method}", v.endpoint)),
        view: Some(view),
        file: v.file.to_string(),
        line: v.line,
        resolved: v.reason.is_none(),
        reason: v.reason.clone(),
        group: Some(v.endpoint.to_string()),
        kind: "flask_admin".into(),
        third_party: !own,
        ..Default::default()
    };
    // The most derived definition of a method decides whether it is exposed.
    let mut decided: Vec<String> = Vec::new();
    let lineage: Vec<String> = v
        .class
        .map(|c| {
            std::iter::once(c.to_string())
                .chain(ctx.classes.ancestors(resolver, c))
                .collect()
        })
        .unwrap_or_default();
    for id in &lineage {
        let Some((m, c)) = ctx.classes.get(id) else {
            continue;
        };
        for (name, exposed) in exposed_methods(ctx, m, c) {
            if decided.contains(&name) {
                continue;
            }
            for (r, methods) in &exposed {
                inv.routes.push(route(
                    &name,
                    r,
                    methods.clone(),
                    format!("{id}.{name}"),
                    true,
                ));
            }
            decided.push(name);
        }
    }
    for (name, r, methods) in v.library {
        if !decided.iter().any(|d| d == name) {
            let methods = methods.iter().map(|m| m.to_string()).collect();
            inv.routes.push(route(
                name,
                r,
                methods,
                format!("{}.{name}", v.library_view),
                false,
            ));
        }
    }
}

/// The methods a class body defines, each with its `@expose` rules (empty
/// when defined without one): `@expose("/x", methods=("POST",))` on a `def`,
/// or `name = expose("/x")(function)`.
fn exposed_methods(ctx: &Ctx, m: &SourceModule, c: &ClassDef) -> Vec<(String, Vec<Exposed>)> {
    let resolver = &ctx.project.resolver;
    let sc = Scope::module_scope(m);
    let expose = |call: &Call| -> Option<Exposed> {
        let id = call
            .func
            .dotted()
            .map(|d| resolver.resolve(&m.module, &d))?;
        if id != "flask_admin.expose" && id != "flask_admin.base.expose" {
            return None;
        }
        let rule = call
            .arg(0, "url")
            .and_then(|e| scope::const_str(&sc, resolver, ctx.values, e).ok())
            .unwrap_or_else(|| "/".into());
        let methods = match call.arg(1, "methods") {
            Some(Expr::List(v) | Expr::Tuple(v)) => v
                .iter()
                .filter_map(|e| e.as_str())
                .map(str::to_uppercase)
                .collect(),
            _ => vec!["GET".into()],
        };
        Some((rule, methods))
    };
    // A later definition of a name replaces an earlier one, as when the
    // class body runs (`def last_page` then `last_page = expose(...)(last_page)`).
    let mut out: Vec<(String, Vec<Exposed>)> = Vec::new();
    let mut define = |name: &str, rules| {
        out.retain(|(n, _)| n != name);
        out.push((name.to_string(), rules));
    };
    for s in c.body.iter() {
        match s {
            Stmt::Func(f) => {
                let rules = f
                    .decorators
                    .iter()
                    .filter_map(|d| d.as_call().and_then(expose))
                    .collect();
                define(&f.name, rules);
            }
            Stmt::Assign {
                targets,
                value: Some(Expr::Call(outer)),
                ..
            } => {
                if let (Some(name), Some(inner)) = (
                    targets.first().and_then(|t| t.as_name()),
                    outer.func.as_call(),
                ) && let Some(r) = expose(inner)
                {
                    define(name, vec![r]);
                }
            }
            _ => {}
        }
    }
    out
}
