//! Flask routes: declarations found anywhere, then composed into full rules the
//! way Flask does at registration time (blueprint prefixes, nested blueprints,
//! REST extension prefixes, endpoint names, methods, static routes).

use super::Ctx;
use super::auth;
use super::builtins::{Node, RouteDecl, View, url_path_for};
use super::objects::{Kind, Obj, Objects, Target};
use super::startup::{Tree, text};
use crate::inventory::{Inventory, Route};
use crate::python::SourceModule;
use crate::python::interp::Val;
use crate::python::ir::{Call, ClassDef, Expr, FuncDef, Stmt};
use crate::python::scope::{self, Scope};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;
use std::rc::Rc;

/// `@bp.get(rule)` and its siblings (Flask 2.0+).
pub(super) const VERB_DECORATORS: &[&str] = &["get", "post", "put", "patch", "delete"];
const HTTP_METHOD_FUNCS: &[&str] = &[
    "get", "post", "head", "options", "delete", "put", "trace", "patch",
];
/// Classes whose subclasses collect their methods from the verbs they define.
const METHOD_VIEWS: &[&str] = &[
    "flask.views.MethodView",
    "flask.MethodView",
    "flask_restful.Resource",
    "flask_restful_swagger_2.Resource",
    "flask_restx.Resource",
    "flask_restplus.Resource",
    "apiflask.views.MethodView",
];

type Eval = Result<String, String>;

/// A route as written, before prefixes are applied.
struct Decl {
    target: Target,
    rule: Eval,
    endpoint: Option<String>,
    default_endpoint: String,
    methods: Vec<String>,
    view: Option<String>,
    file: String,
    line: u32,
    kind: &'static str,
    auth: Vec<String>,
    /// Why the declaration is not claimed: it may never run (it sits in a
    /// function nothing calls), or its methods are not known.
    unclaimed: Option<String>,
    /// The app or blueprint object the start-up code declared it on (then
    /// `target` is not used).
    node: Option<Rc<Node>>,
}

#[derive(Default)]
struct Found {
    decls: Vec<Decl>,
    /// (api or namespace id, attached to, ns path override)
    attachments: Vec<(String, Target, Option<Eval>)>,
}

/// Methods whose calls register routes or blueprints.
const REGISTERING: &[&str] = &[
    "add_url_rule",
    "register_blueprint",
    "add_resource",
    "add_namespace",
    "route",
];

pub fn extract(ctx: &Ctx, objs: &Objects, inv: &mut Inventory) {
    let mut found = Found::default();
    // Helpers such as `register_view(bp, routes=[...], view_func=...)` are
    // walked again at each call with their parameters bound.
    let helpers = registering_helpers(ctx);
    let inliner = scope::Inliner::new(&ctx.files, &|m, f| {
        helpers.contains(&(m.module.as_str(), f.name.as_str()))
    });
    for &f in &ctx.files {
        scope::walk_inlining(
            f,
            &ctx.project.resolver,
            ctx.values,
            Some(&inliner),
            &mut |stmt, sc| {
                collect_stmt(ctx, objs, sc, stmt, &mut found);
            },
        );
    }
    let tree = super::startup::run(ctx, objs);
    merge_run(ctx, objs, &mut found, &tree);
    compose(ctx, objs, &found, &tree, inv);
}

/// Kinds of declaration on an app or blueprint that running the start-up
/// code also makes.
const RUN_KINDS: &[&str] = &["decorator", "add_url_rule", "class_view", "resource"];

/// The routes the start-up code declared as it ran replace those read from
/// the statement at the same place (a helper or classmethod runs once per
/// call, with its arguments). What the run leaves unknown comes from the
/// statement as read: a rule it could not evaluate, the view's qualified
/// name and its auth. Statements the run never reached stay as read; one
/// it reached that declared nothing (a resource added to an Api with no app
/// yet) declares nothing.
fn merge_run(ctx: &Ctx, objs: &Objects, found: &mut Found, tree: &Tree) {
    if tree.routes.is_empty() && tree.declared_nothing.is_empty() {
        return;
    }
    let mut read: FxHashMap<(&str, u32), Vec<&Decl>> = FxHashMap::default();
    for d in found.decls.iter().filter(|d| RUN_KINDS.contains(&d.kind)) {
        read.entry((d.file.as_str(), d.line)).or_default().push(d);
    }
    // A statement read once per call of its helper is the run's only when
    // the rules agree.
    let read_for = |rd: &RouteDecl| -> Option<&Decl> {
        match read.get(&(rd.file.as_str(), rd.line))?.as_slice() {
            [one] => Some(*one),
            many => many
                .iter()
                .find(|d| d.rule.as_deref().ok() == rd.rule.as_str())
                .copied(),
        }
    };
    let run: Vec<Decl> = tree
        .routes
        .iter()
        .map(|rd| from_run(ctx, objs, rd, read_for(rd)))
        .collect();
    let ran: FxHashSet<(&str, u32)> = tree
        .routes
        .iter()
        .flat_map(|r| {
            std::iter::once((r.file.as_str(), r.line))
                .chain(r.via.iter().map(|(f, l)| (f.as_str(), *l)))
        })
        .chain(tree.declared_nothing.iter().map(|(f, l)| (f.as_str(), *l)))
        .collect();
    found
        .decls
        .retain(|d| !(RUN_KINDS.contains(&d.kind) && ran.contains(&(d.file.as_str(), d.line))));
    found.decls.extend(run);
}

/// A route the start-up code declared, with `read`, the statement at the
/// same place as the scan read it, for the view's name, auth and methods
/// where the run could not name the view.
fn from_run(ctx: &Ctx, objs: &Objects, rd: &RouteDecl, read: Option<&Decl>) -> Decl {
    // the run follows the code's order (a name rebound after a helper was
    // defined): where it cannot tell the rule, the statement read alone
    // cannot either
    let rule = match text(&rd.rule) {
        Ok(Some(r)) => Ok(r),
        Ok(None) => Err("the rule is None".to_string()),
        Err(why) => Err(why),
    };
    // an `endpoint=` the run could not evaluate is not known: the statement
    // read alone knows no more, and the view's name is not it
    let (endpoint, endpoint_unknown) = match &rd.endpoint {
        Some(Val::Str(s)) => (Some(s.clone()), false),
        None | Some(Val::None) => (None, false),
        Some(_) => (None, true),
    };
    // a view the run could not name (a local, a wrapped view) is as read
    let read_default = read.map(|d| d.default_endpoint.clone());
    let (default_endpoint, view, class) = match &rd.view {
        View::Function(Some(id), name) => (name.clone(), Some(id.clone()), None),
        View::Class(Some(id), name) => (
            name.clone().or(read_default).unwrap_or_default(),
            Some(id.clone()),
            Some(id.clone()),
        ),
        View::Function(None, name) => (read_default.unwrap_or(name.clone()), None, None),
        View::Class(None, name) => (
            name.clone().or(read_default).unwrap_or_default(),
            None,
            None,
        ),
        View::Unknown => (read_default.unwrap_or_default(), None, None),
    };
    let listed = match &rd.methods {
        Some(v @ (Val::List(items) | Val::Tuple(items))) if v.strings().len() == items.len() => {
            Some(v.strings())
        }
        None | Some(Val::None) => None,
        Some(_) => read.map(|d| d.methods.clone()),
    };
    let methods = listed
        .or_else(|| rd.verb.clone().map(|v| vec![v]))
        .or_else(|| match (&class, &view) {
            (Some(k), _) => class_methods(ctx, k),
            (None, None) => read.map(|d| d.methods.clone()),
            (None, Some(_)) => None,
        })
        .unwrap_or_else(|| vec!["GET".into()]);
    let auth = match (read, &class, &view) {
        (Some(d), _, _) => d.auth.clone(),
        (None, Some(k), _) => ctx
            .classes
            .get(k)
            .map(|(m, c)| auth::on_class(ctx, objs, &Scope::module_scope(m), c))
            .unwrap_or_default(),
        (None, None, Some(f)) => auth::on_function_id(ctx, objs, f),
        _ => vec![],
    };
    // (an empty default is an endpoint the scan cannot name, see `compose`)
    let default_endpoint = if endpoint_unknown {
        String::new()
    } else {
        default_endpoint
    };
    Decl {
        target: Target::App,
        rule,
        endpoint,
        default_endpoint,
        methods: finish_methods(methods),
        view: view.or_else(|| read.and_then(|d| d.view.clone())),
        file: rd.file.clone(),
        line: rd.line,
        kind: rd.kind,
        auth,
        unclaimed: rd.not_run.clone(),
        node: Some(rd.node.clone()),
    }
}

/// A blueprint object's name: as its constructor was given it, else the
/// name the scan knows it by.
fn node_name(objs: &Objects, node: &Node) -> String {
    match text(&node.name()) {
        Ok(Some(n)) => n,
        _ => node
            .id
            .as_deref()
            .and_then(|id| objs.get(id))
            .map(bp_name)
            .unwrap_or_default(),
    }
}

/// Module-level functions (module, name) that register routes with what
/// their parameters supply, directly or by passing a parameter on to one
/// that does (`load_api(app)` calling `api.configure(app)` calling
/// `configure_api_routes(app)`).
fn registering_helpers<'a>(ctx: &Ctx<'a>) -> FxHashSet<(&'a str, &'a str)> {
    let funcs: Vec<(&SourceModule, &FuncDef)> = ctx
        .files
        .iter()
        .flat_map(|m| {
            m.body.iter().filter_map(move |s| match s {
                Stmt::Func(f) => Some((*m, &**f)),
                _ => None,
            })
        })
        .collect();
    let mut wanted: FxHashSet<(&str, &str)> = funcs
        .iter()
        .filter(|(m, f)| registers_routes(ctx, m, f))
        .map(|(m, f)| (m.module.as_str(), f.name.as_str()))
        .collect();
    let resolver = &ctx.project.resolver;
    loop {
        let before = wanted.len();
        for (m, f) in &funcs {
            let key = (m.module.as_str(), f.name.as_str());
            if wanted.contains(&key) {
                continue;
            }
            let passes_param_to_helper = |c: &Call| {
                c.args
                    .iter()
                    .chain(c.kwargs.iter().map(|(_, v)| v))
                    .any(|a| a.as_name().is_some_and(|n| f.params.iter().any(|p| p == n)))
                    && scope::callee_in_body(resolver, m, &f.body, c).is_some_and(|id| {
                        id.rsplit_once('.')
                            .is_some_and(|(module, name)| wanted.contains(&(module, name)))
                    })
            };
            let mut hit = false;
            crate::python::ir::walk_stmts(&f.body, |s, _| {
                hit = hit || s.calls().into_iter().any(passes_param_to_helper);
            });
            if hit {
                wanted.insert(key);
            }
        }
        if wanted.len() == before {
            return wanted;
        }
    }
}

/// Whether a function registers routes with values its parameters supply,
/// or on an app or blueprint it is passed. A receiver parameter counts only
/// outside modules that import Flask: there, walked alone, it is taken for
/// the app already (`Objects::target`), and inlining would count it twice.
fn registers_routes(ctx: &Ctx, module: &SourceModule, f: &FuncDef) -> bool {
    let is_param = |e: &Expr| e.as_name().is_some_and(|n| f.params.iter().any(|p| p == n));
    let receiver_counts = !ctx.flask_modules.contains(&module.module);
    let mut hit = false;
    crate::python::ir::walk_stmts(&f.body, |s, _| {
        let mut calls = Vec::new();
        match s {
            Stmt::Expr(e, _) | Stmt::Return(Some(e), _) => e.walk_calls(&mut calls),
            Stmt::Assign { value: Some(e), .. } => e.walk_calls(&mut calls),
            Stmt::Func(d) => d.decorators.iter().for_each(|e| e.walk_calls(&mut calls)),
            _ => {}
        }
        hit |= calls.iter().any(|c| match &c.func {
            Expr::Attr(recv, m) if REGISTERING.contains(&m.as_str()) => {
                (receiver_counts && is_param(recv))
                    || c.args
                        .iter()
                        .chain(c.kwargs.iter().map(|(_, v)| v))
                        .any(is_param)
            }
            _ => false,
        });
    });
    hit
}

fn collect_stmt(ctx: &Ctx, objs: &Objects, sc: &Scope, stmt: &Stmt, found: &mut Found) {
    let decls = found.decls.len();
    collect_declarations(ctx, objs, sc, stmt, found);
    if let Err(why) = ctx.reach.runs(sc) {
        for d in &mut found.decls[decls..] {
            d.unclaimed = Some(why.clone());
        }
    }
}

fn collect_declarations(ctx: &Ctx, objs: &Objects, sc: &Scope, stmt: &Stmt, found: &mut Found) {
    match stmt {
        Stmt::Func(f) => {
            for d in &f.decorators {
                if let Some(decl) = decorated_function(ctx, objs, sc, f, d) {
                    found.decls.push(decl);
                }
            }
        }
        Stmt::Class(c) => {
            for d in &c.decorators {
                found.decls.extend(decorated_class(ctx, objs, sc, c, d));
            }
        }
        // `sock.route("/chat")(chat)`: a decorator applied by a call, to a
        // function defined in this scope
        Stmt::Expr(Expr::Call(outer), _) if matches!(&outer.func, Expr::Call(_)) => {
            if let [view] = &*outer.args
                && let Some(id) = sc.resolve(&ctx.project.resolver, view)
                && let Some((f, _)) = ctx.project.function(&id)
                && id == format!("{}.{}", sc.module.module, sc.qualname(&f.name))
                && let Some(decl) = decorated_function(ctx, objs, sc, f, &outer.func)
            {
                found.decls.push(decl);
            }
        }
        _ => {}
    }
    for call in stmt.calls() {
        method_call(ctx, objs, sc, call, found);
    }
}

fn eval(ctx: &Ctx, sc: &Scope, e: &Expr) -> Eval {
    scope::const_str(sc, &ctx.project.resolver, ctx.values, e)
}

fn string_list(e: &Expr) -> Option<Vec<String>> {
    e.elements().map(|v| {
        v.iter()
            .filter_map(|x| x.as_str().map(|s| s.to_ascii_uppercase()))
            .collect()
    })
}

/// A `methods=` argument as the scan reads it: its literal strings, or why it
/// cannot tell them (`[HTTPMethod.GET.value]` where the start-up code did not
/// run the statement). Methods not known make the route a guess.
/// The methods a registering call gives with `methods=` (Flask-RESTful's and RESTX's
/// `add_resource` and a namespace's `route` pass it on to `add_url_rule`, where it wins
/// over the view class's), else `default`; with the reason when the given ones are not
/// known (the route is then not claimed).
fn methods_or(
    sc: &Scope,
    call: &Call,
    default: impl FnOnce() -> Vec<String>,
) -> (Vec<String>, Option<String>) {
    match call.kwarg("methods").map(|m| given_methods(sc.expand(m))) {
        Some(Ok(m)) => (m, None),
        Some(Err(why)) => (vec!["GET".into()], Some(why)),
        None => (default(), None),
    }
}

fn given_methods(e: &Expr) -> Result<Vec<String>, String> {
    e.elements()
        .and_then(|v| {
            v.iter()
                .map(|x| x.as_str().map(|s| s.to_ascii_uppercase()))
                .collect()
        })
        .ok_or_else(|| format!("methods: `{}` is not known statically", e.render()))
}

/// Werkzeug's method set minus HEAD/OPTIONS, sorted.
fn finish_methods(methods: impl IntoIterator<Item = String>) -> Vec<String> {
    let set: BTreeSet<String> = methods
        .into_iter()
        .map(|m| m.to_ascii_uppercase())
        .filter(|m| m != "HEAD" && m != "OPTIONS")
        .collect();
    set.into_iter().collect()
}

/// `@X.route(rule, ...)` / `@X.get(rule)` on a function.
fn decorated_function(
    ctx: &Ctx,
    objs: &Objects,
    sc: &Scope,
    f: &FuncDef,
    d: &Expr,
) -> Option<Decl> {
    let call = d.as_call()?;
    let Expr::Attr(recv, method) = &call.func else {
        return None;
    };
    // A rule only the caller knows: the inlined walk at each call site reports it.
    if call.args.first().is_some_and(|a| sc.is_unbound_param(a)) {
        return None;
    }
    let verb = VERB_DECORATORS.contains(&method.as_str());
    if method != "route" && !verb {
        return None;
    }
    let target = objs.target(ctx, sc, recv)?;
    // a decorator of the object's own class (an override) is run by the interpreter
    if let Target::Object(id) = &target
        && (!matches!(objs.kind(id), Some(Kind::App | Kind::Blueprint))
            || objs.overrides(ctx, id, method)
            || (verb && objs.overrides(ctx, id, "route")))
    {
        return None;
    }
    let (methods, unclaimed) = match call.kwarg("methods").map(given_methods) {
        _ if verb => (vec![method.to_ascii_uppercase().into()], None),
        Some(Ok(m)) => (m, None),
        Some(Err(why)) => (vec!["GET".into()], Some(why)),
        None => (vec!["GET".into()], None),
    };
    Some(Decl {
        target,
        rule: call
            .arg(0, "rule")
            .map_or(Err("no rule argument".into()), |e| eval(ctx, sc, e)),
        endpoint: call.kwarg("endpoint").and_then(|e| eval(ctx, sc, e).ok()),
        default_endpoint: f.name.to_string(),
        methods: finish_methods(methods),
        view: Some(format!("{}.{}", sc.module.module, sc.qualname(&f.name))),
        file: sc.module.path.clone(),
        line: call.pos.line,
        kind: "decorator",
        auth: auth::on_decorators(ctx, objs, sc, &f.decorators),
        unclaimed,
        node: None,
    })
}

/// Class decorators that declare routes: `@bp.route(...)` on a MethodView
/// (flask-smorest, APIFlask), `@ns.route(...)`/`@api.route(...)` (RESTX).
fn decorated_class(ctx: &Ctx, objs: &Objects, sc: &Scope, c: &ClassDef, d: &Expr) -> Vec<Decl> {
    let Some(call) = d.as_call() else {
        return vec![];
    };
    let Expr::Attr(recv, method) = &call.func else {
        return vec![];
    };
    if method != "route" {
        return vec![];
    }
    let Some(Target::Object(id)) = objs.target(ctx, sc, recv) else {
        return vec![];
    };
    let class_id = format!("{}.{}", sc.module.module, sc.qualname(&c.name));
    let (methods, unclaimed) = methods_or(sc, call, || {
        class_methods(ctx, &class_id).unwrap_or_else(|| vec!["GET".into()])
    });
    let methods = finish_methods(methods);
    let auth = auth::on_class(ctx, objs, sc, c);
    let (urls, endpoint_default, kind): (Vec<&Expr>, String, &'static str) = match objs.kind(&id) {
        Some(Kind::Blueprint | Kind::App) => (
            call.args.iter().take(1).collect(),
            c.name.to_string(),
            "class_view",
        ),
        Some(Kind::RestxApi | Kind::RestxNamespace) => (
            call.args.iter().collect(),
            camel_to_dashed(&c.name),
            "resource",
        ),
        _ => return vec![],
    };
    urls.into_iter()
        .map(|u| Decl {
            target: Target::Object(id.clone()),
            rule: eval(ctx, sc, u),
            endpoint: call.kwarg("endpoint").and_then(|e| eval(ctx, sc, e).ok()),
            default_endpoint: endpoint_default.clone(),
            methods: methods.clone(),
            view: Some(class_id.clone()),
            file: sc.module.path.clone(),
            line: call.pos.line,
            kind,
            auth: auth.clone(),
            unclaimed: unclaimed.clone(),
            node: None,
        })
        .collect()
}

fn method_call(ctx: &Ctx, objs: &Objects, sc: &Scope, call: &Call, found: &mut Found) {
    let Expr::Attr(recv, method) = &call.func else {
        return;
    };
    // Values only the caller knows: the inlined walk at each call site reports them.
    let args = call.args.iter().chain(call.kwargs.iter().map(|(_, v)| v));
    if REGISTERING.contains(&method.as_str()) && args.clone().any(|a| sc.uses_unbound_param(a)) {
        return;
    }
    match method.as_str() {
        "add_url_rule" => {
            let Some(target) = objs.target(ctx, sc, recv) else {
                return;
            };
            if let Target::Object(id) = &target
                && !matches!(objs.kind(id), Some(Kind::App | Kind::Blueprint))
            {
                return;
            }
            found.decls.push(add_url_rule(ctx, objs, sc, call, target));
        }
        "add_resource" => {
            let Some(Target::Object(api)) = objs.target(ctx, sc, recv) else {
                return;
            };
            if !matches!(
                objs.kind(&api),
                Some(Kind::RestfulApi | Kind::RestxApi | Kind::RestxNamespace)
            ) {
                return;
            }
            // `api.add_resource(*route)` in a loop over (Resource, url) tuples
            let args: &[Expr] = match &call.args[..] {
                [Expr::Starred(e)] => match sc.expand(e).elements() {
                    Some(items) => items,
                    None => return,
                },
                args => args,
            };
            let Some(resource) = args.first() else {
                return;
            };
            let class_id = sc.resolve(&ctx.project.resolver, resource);
            let class_name = class_id
                .as_deref()
                .and_then(|id| id.rsplit('.').next())
                .or_else(|| resource.last_name())
                .unwrap_or("resource")
                .to_string();
            let (methods, unclaimed) = methods_or(sc, call, || {
                class_id
                    .as_deref()
                    .and_then(|id| class_methods(ctx, id))
                    .unwrap_or_else(|| vec!["GET".into()])
            });
            let auth = class_id
                .as_deref()
                .and_then(|id| ctx.classes.get(id))
                .map(|(m, c)| auth::on_class(ctx, objs, &Scope::module_scope(m), c))
                .unwrap_or_default();
            let default_endpoint = match objs.kind(&api) {
                Some(Kind::RestfulApi) => class_name.to_lowercase(),
                _ => camel_to_dashed(&class_name),
            };
            for url in args.iter().skip(1) {
                found.decls.push(Decl {
                    target: Target::Object(api.clone()),
                    rule: eval(ctx, sc, url),
                    endpoint: call.kwarg("endpoint").and_then(|e| eval(ctx, sc, e).ok()),
                    default_endpoint: default_endpoint.clone(),
                    methods: finish_methods(methods.clone()),
                    view: class_id.clone(),
                    file: sc.module.path.clone(),
                    line: call.pos.line,
                    kind: "resource",
                    auth: auth.clone(),
                    unclaimed: unclaimed.clone(),
                    node: None,
                });
            }
        }
        "init_app" => {
            let Some(Target::Object(api)) = objs.target(ctx, sc, recv) else {
                return;
            };
            if matches!(
                objs.kind(&api),
                Some(Kind::RestfulApi | Kind::RestxApi | Kind::SmorestApi)
            ) {
                let to = call
                    .arg(0, "app")
                    .and_then(|e| objs.target(ctx, sc, e))
                    .unwrap_or(Target::App);
                found.attachments.push((api, to, None));
            }
        }
        "add_namespace" => {
            let Some(Target::Object(api)) = objs.target(ctx, sc, recv) else {
                return;
            };
            let Some(ns) = call
                .args
                .first()
                .and_then(|e| sc.resolve(&ctx.project.resolver, e))
            else {
                return;
            };
            if objs.kind(&ns) == Some(Kind::RestxNamespace) {
                let path = call.arg(1, "path").map(|e| eval(ctx, sc, e));
                found.attachments.push((ns, Target::Object(api), path));
            }
        }
        _ => {}
    }
}

fn add_url_rule(ctx: &Ctx, objs: &Objects, sc: &Scope, call: &Call, target: Target) -> Decl {
    let view_expr = call.arg(2, "view_func").map(|v| sc.expand(v));
    // The view may be wrapped: `login_required(V.as_view("name"))`.
    let mut inner = Vec::new();
    if let Some(v) = view_expr {
        v.walk_calls(&mut inner);
    }
    let as_view = inner
        .iter()
        .find(|c| matches!(&c.func, Expr::Attr(_, m) if m == "as_view"));
    let (view, default_endpoint, view_methods, mut auth) = match (as_view, view_expr) {
        (Some(av), _) => {
            let Expr::Attr(cls, _) = &av.func else {
                unreachable!()
            };
            let class_id = sc.resolve(&ctx.project.resolver, cls);
            let name = av
                .arg(0, "name")
                .and_then(|e| eval(ctx, sc, e).ok())
                .unwrap_or_default();
            let methods = class_id.as_deref().and_then(|id| class_methods(ctx, id));
            let auth = class_id
                .as_deref()
                .and_then(|id| ctx.classes.get(id))
                .map(|(m, c)| auth::on_class(ctx, objs, &Scope::module_scope(m), c))
                .unwrap_or_default();
            (class_id, name, methods, auth)
        }
        (None, Some(v)) => {
            let base = innermost_view(v);
            let id = sc.resolve(&ctx.project.resolver, base);
            let name = base.last_name().unwrap_or_default().to_string();
            let auth = id
                .as_deref()
                .map(|id| auth::on_function_id(ctx, objs, id))
                .unwrap_or_default();
            (id, name, None, auth)
        }
        (None, None) => (None, String::new(), None, vec![]),
    };
    // Wrappers around the view count as its auth.
    for c in &inner {
        if let Some(a) = auth::decorator_name(ctx, objs, sc, &c.func) {
            auth.push(a);
        }
    }
    auth.sort();
    auth.dedup();
    let (methods, unclaimed) = methods_or(sc, call, || {
        view_methods.unwrap_or_else(|| vec!["GET".into()])
    });
    Decl {
        target,
        rule: call
            .arg(0, "rule")
            .map_or(Err("no rule argument".into()), |e| eval(ctx, sc, e)),
        endpoint: call.arg(1, "endpoint").and_then(|e| eval(ctx, sc, e).ok()),
        default_endpoint,
        methods: finish_methods(methods),
        view,
        file: sc.module.path.clone(),
        line: call.pos.line,
        kind: if as_view.is_some() {
            "class_view"
        } else {
            "add_url_rule"
        },
        auth,
        unclaimed,
        node: None,
    }
}

/// `wrapper(other(view))` -> `view`.
fn innermost_view(e: &Expr) -> &Expr {
    let mut cur = e;
    for _ in 0..16 {
        match cur {
            Expr::Call(c) if c.args.len() == 1 => cur = &c.args[0],
            _ => break,
        }
    }
    cur
}

/// The methods a class-based view registers, following Flask's `View` and
/// `MethodView.__init_subclass__` rules; `None` when the class is unknown or
/// declares nothing (Flask then uses GET).
pub fn class_methods(ctx: &Ctx, class_id: &str) -> Option<Vec<String>> {
    let resolver = &ctx.project.resolver;
    let (module, class) = ctx.classes.get(class_id)?;
    if let Some(list) = class.attr("methods").and_then(string_list) {
        return Some(list);
    }
    let ancestors = ctx.classes.ancestors(resolver, class_id);
    let is_method_view = ancestors.iter().any(|a| METHOD_VIEWS.contains(&a.as_str()));
    let mut methods = BTreeSet::new();
    // Bases' own `methods` (inherited sets are unioned).
    for base in ctx.classes.bases(resolver, module, class) {
        if let Some(m) = class_methods(ctx, &base) {
            methods.extend(m);
        }
    }
    if is_method_view {
        let mut chain = vec![class_id.to_string()];
        chain.extend(ancestors);
        for id in chain {
            if let Some((_, c)) = ctx.classes.get(&id) {
                for f in c.methods() {
                    if HTTP_METHOD_FUNCS.contains(&f.name.as_str()) {
                        methods.insert(f.name.to_ascii_uppercase().to_string());
                    }
                }
            }
        }
    }
    (!methods.is_empty()).then(|| methods.into_iter().collect())
}

/// Flask-RESTX endpoint names: `MyResource` -> `my_resource`.
fn camel_to_dashed(name: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Joins a blueprint prefix and a rule as `BlueprintSetupState.add_url_rule` does.
fn join_prefix(prefix: Option<&str>, rule: &str) -> String {
    match prefix {
        None => rule.to_string(),
        Some(p) if rule.is_empty() => p.to_string(),
        Some(p) => format!(
            "{}/{}",
            p.trim_end_matches('/'),
            rule.trim_start_matches('/')
        ),
    }
}

fn compose(ctx: &Ctx, objs: &Objects, found: &Found, tree: &Tree, inv: &mut Inventory) {
    let mut routes: Vec<Route> = Vec::new();
    let api_target = |api: &str| -> Option<Target> {
        found
            .attachments
            .iter()
            .rev()
            .find(|(a, _, _)| a == api)
            .map(|(_, t, _)| t.clone())
            .or_else(|| objs.get(api).and_then(|o| o.attached_to.clone()))
    };
    for d in &found.decls {
        let (rule, mut unresolved) = match &d.rule {
            Ok(r) => (r.clone(), d.unclaimed.clone()),
            Err(why) => (String::new(), Some(format!("rule: {why}"))),
        };
        let endpoint = d
            .endpoint
            .clone()
            .unwrap_or_else(|| d.default_endpoint.clone());
        // an endpoint the scan cannot know (an `endpoint=` or a class view's
        // `as_view(name)` computed at run time) is left out
        let known = !endpoint.is_empty();
        let base = Route {
            methods: d.methods.clone(),
            view: d.view.clone(),
            file: d.file.clone(),
            line: d.line,
            auth: d.auth.clone(),
            kind: d.kind.into(),
            resolved: true,
            ..Default::default()
        };
        if let Some(node) = &d.node {
            if node.app {
                routes.push(Route {
                    rule,
                    endpoint: known.then(|| endpoint.clone()),
                    ..with_reason(base, unresolved)
                });
                continue;
            }
            let name = node_name(objs, node);
            // the prefix as the scan reads it says best why it is not known
            let own_prefix = match node.id.as_deref().and_then(|id| objs.get(id)) {
                Some(o) => o.url_prefix.clone(),
                None => text(&node.url_prefix()).transpose(),
            };
            for m in tree.mounts_of_node(node, &name, &own_prefix) {
                let reason = unresolved.clone().or(m.unresolved.clone());
                routes.push(Route {
                    rule: join_prefix(m.prefix.as_deref(), &rule),
                    endpoint: known.then(|| format!("{}.{endpoint}", m.name)),
                    group: Some(name.clone()),
                    ..with_reason(base.clone(), reason)
                });
            }
            continue;
        }
        match &d.target {
            Target::App => routes.push(Route {
                rule,
                endpoint: known.then(|| endpoint.clone()),
                ..with_reason(base, unresolved)
            }),
            Target::Object(id) => match objs.get(id).map(|o| o.kind) {
                Some(Kind::App) => routes.push(Route {
                    rule,
                    endpoint: known.then(|| endpoint.clone()),
                    ..with_reason(base, unresolved)
                }),
                Some(Kind::Blueprint) => {
                    let bp = &objs.by_id[id];
                    for m in tree.mounts(bp, &bp_name(bp)) {
                        let reason = unresolved.clone().or(m.unresolved.clone());
                        routes.push(Route {
                            rule: join_prefix(m.prefix.as_deref(), &rule),
                            endpoint: known.then(|| format!("{}.{endpoint}", m.name)),
                            group: Some(bp_name(bp)),
                            ..with_reason(base.clone(), reason)
                        });
                    }
                }
                Some(Kind::RestfulApi | Kind::RestxApi | Kind::RestxNamespace) => {
                    let (api_id, ns_path) = match objs.kind(id) {
                        Some(Kind::RestxNamespace) => {
                            let ns = &objs.by_id[id];
                            let override_path = found
                                .attachments
                                .iter()
                                .find(|(n, _, _)| n == id)
                                .and_then(|(_, _, p)| p.clone());
                            // restx: `(self._path or "/" + self.name)`: an empty path is the name's
                            let path = match override_path.or(ns.url_prefix.clone()) {
                                Some(Ok(p)) if !p.is_empty() => Ok(p),
                                Some(Err(e)) => Err(e),
                                Some(Ok(_)) | None => ns
                                    .name
                                    .clone()
                                    .unwrap_or(Err("namespace name".into()))
                                    .map(|n| format!("/{n}")),
                            };
                            let path = path.map(|p| p.trim_end_matches('/').to_string());
                            match api_target(id) {
                                Some(Target::Object(api)) => (Some(api), path),
                                _ => (None, path),
                            }
                        }
                        _ => (Some(id.clone()), Ok(String::new())),
                    };
                    let ns_path = match ns_path {
                        Ok(p) => p,
                        Err(e) => {
                            unresolved = unresolved.or(Some(format!("namespace path: {e}")));
                            String::new()
                        }
                    };
                    let Some(api_id) = api_id else {
                        routes.push(Route {
                            rule: format!("{ns_path}{rule}"),
                            endpoint: Some(endpoint),
                            ..with_reason(
                                base,
                                Some(
                                    "the namespace is not added to any Api found in the code"
                                        .into(),
                                ),
                            )
                        });
                        continue;
                    };
                    let api = &objs.by_id[&api_id];
                    let api_prefix = match &api.url_prefix {
                        Some(Ok(p)) => p.clone(),
                        Some(Err(e)) => {
                            unresolved = unresolved.or(Some(format!("Api prefix: {e}")));
                            String::new()
                        }
                        None => String::new(),
                    };
                    let endpoint = match (objs.kind(id), d.endpoint.is_some()) {
                        (Some(Kind::RestxNamespace), false) => {
                            let ns_name = objs.by_id[id]
                                .name
                                .clone()
                                .and_then(|n| n.ok())
                                .unwrap_or_default();
                            format!("{ns_name}_{endpoint}")
                        }
                        _ => endpoint,
                    };
                    let tail = format!("{api_prefix}{ns_path}{rule}");
                    match api_target(&api_id) {
                        Some(Target::Object(bp)) if objs.kind(&bp) == Some(Kind::Blueprint) => {
                            let bpo = &objs.by_id[&bp];
                            for m in tree.mounts(bpo, &bp_name(bpo)) {
                                let reason = unresolved.clone().or(m.unresolved.clone());
                                routes.push(Route {
                                    rule: format!("{}{tail}", m.prefix.clone().unwrap_or_default()),
                                    endpoint: Some(format!("{}.{endpoint}", bp_name(bpo))),
                                    group: Some(bp_name(bpo)),
                                    ..with_reason(base.clone(), reason)
                                });
                            }
                        }
                        Some(_) => routes.push(Route {
                            rule: tail,
                            endpoint: Some(endpoint),
                            ..with_reason(base, unresolved)
                        }),
                        None => routes.push(Route {
                            rule: tail,
                            endpoint: Some(endpoint),
                            ..with_reason(base, Some("the Api is not attached to an app or blueprint found in the code".into()))
                        }),
                    }
                }
                _ => {}
            },
        }
    }
    static_routes(objs, tree, &mut routes);
    restx_doc_routes(objs, tree, &api_target, &mut routes);
    drop_unresolved_copies(&mut routes);
    let _ = ctx;
    inv.routes.extend(routes);
}

/// Drops an unresolved route that is in every other respect one found
/// registered: Flask serves that route once, and the copy (views added to a
/// second blueprint object the code never registers, as pgAdmin's
/// `ConstraintRegistry` does) says nothing more. Flask would refuse to
/// register a second blueprint under the same name anyway.
fn drop_unresolved_copies(routes: &mut Vec<Route>) {
    let registered: FxHashSet<&Route> = routes.iter().filter(|r| r.resolved).collect();
    let copy: Vec<bool> = routes
        .iter()
        .map(|r| {
            !r.resolved
                && registered.contains(&Route {
                    resolved: true,
                    reason: None,
                    ..r.clone()
                })
        })
        .collect();
    let mut i = 0;
    routes.retain(|_| {
        i += 1;
        !copy[i - 1]
    });
}

fn with_reason(mut r: Route, reason: Option<String>) -> Route {
    r.resolved = reason.is_none();
    r.reason = reason;
    r
}

fn bp_name(o: &Obj) -> String {
    o.name
        .clone()
        .and_then(|n| n.ok())
        .unwrap_or_else(|| o.id.rsplit('.').next().unwrap_or("").to_string())
}

/// The static file routes Flask adds for the app and for blueprints with a static folder.
/// The static route's rule for a folder and URL path as given (`None`: not
/// given), or why it is not known statically (the default folder's rule then).
fn static_rule(
    folder: Option<&Result<String, String>>,
    url_path: Option<&Result<String, String>>,
) -> (String, Option<String>) {
    let (folder, folder_err) = match folder {
        None => ("static".to_string(), None),
        Some(Ok(f)) => (f.clone(), None),
        Some(Err(why)) => ("static".to_string(), Some(format!("static folder: {why}"))),
    };
    let (path, path_err) = match url_path {
        None => (url_path_for(&folder), None),
        Some(Ok(p)) => (p.clone(), None),
        Some(Err(why)) => (
            url_path_for(&folder),
            Some(format!("static URL path: {why}")),
        ),
    };
    let rule = format!("{}/<path:filename>", path.trim_end_matches('/'));
    (rule, path_err.or(folder_err))
}

/// An app's static file route, made at `file:line`.
fn app_static_route(rule: String, unknown: Option<String>, file: &str, line: u32) -> Route {
    Route {
        rule,
        methods: vec!["GET".into()],
        endpoint: Some("static".into()),
        view: Some("flask.app.Flask.send_static_file".into()),
        file: file.to_string(),
        line,
        resolved: unknown.is_none(),
        reason: unknown,
        kind: "static".into(),
        third_party: true,
        ..Default::default()
    }
}

fn static_routes(objs: &Objects, tree: &Tree, routes: &mut Vec<Route>) {
    let mut seen = BTreeSet::new();
    for app in objs.of_kind(Kind::App) {
        // a folder the reading could not tell (`Path(__file__).parent / "static"`) may be
        // one the start-up code computed
        let ran_folder = matches!(&app.static_folder, Some(Some(Err(_))))
            .then(|| tree.static_folder(app).map(Ok))
            .flatten();
        let folder = match &app.static_folder {
            Some(None) => continue,
            Some(Some(f)) => Some(ran_folder.as_ref().unwrap_or(f)),
            None => None,
        };
        let ran = app
            .static_url_path
            .is_none()
            .then(|| tree.static_url_path(app).map(Ok))
            .flatten();
        let (rule, unknown) = static_rule(folder, ran.as_ref().or(app.static_url_path.as_ref()));
        if seen.insert(rule.clone()) {
            routes.push(app_static_route(rule, unknown, &app.file, app.line));
        }
    }
    for (app, (file, line)) in tree.unseen_apps() {
        let given = match app.static_url_path() {
            Val::None => None,
            v => Some(text(&v).map(Option::unwrap_or_default)),
        };
        let (rule, unknown) = static_rule(None, given.as_ref());
        if seen.insert(rule.clone()) {
            routes.push(app_static_route(rule, unknown, file, *line));
        }
    }
    for bp in objs.of_kind(Kind::Blueprint) {
        let folder = match &bp.static_folder {
            Some(Some(folder)) => folder.clone(),
            Some(None) => continue,
            None => match tree.static_folder(bp) {
                Some(f) => Ok(f),
                None => continue,
            },
        };
        // a path the reading could not tell (`app.static_url_path + "/x"` on a parameter)
        // may be one the start-up code computed
        let ran = matches!(&bp.static_url_path, Some(Err(_)))
            .then(|| tree.static_url_path(bp).map(Ok))
            .flatten();
        let (rule, unknown) =
            static_rule(Some(&folder), ran.as_ref().or(bp.static_url_path.as_ref()));
        for m in tree.mounts(bp, &bp_name(bp)) {
            let reason = m.unresolved.clone().or(unknown.clone());
            routes.push(Route {
                rule: join_prefix(m.prefix.as_deref(), &rule),
                methods: vec!["GET".into()],
                endpoint: Some(format!("{}.static", m.name)),
                view: Some("flask.blueprints.Blueprint.send_static_file".into()),
                file: bp.file.clone(),
                line: bp.line,
                resolved: reason.is_none(),
                reason,
                group: Some(bp_name(bp)),
                kind: "static".into(),
                third_party: true,
                ..Default::default()
            });
        }
    }
}

/// The routes Flask-RESTX adds for each Api: its root, `swagger.json`, the
/// Swagger UI (unless `doc=False`), and one static route for the UI's assets.
fn restx_doc_routes(
    objs: &Objects,
    tree: &Tree,
    api_target: &dyn Fn(&str) -> Option<Target>,
    routes: &mut Vec<Route>,
) {
    let mut any = None;
    for api in objs.of_kind(Kind::RestxApi) {
        let Some(target) = api_target(&api.id) else {
            continue;
        };
        let prefix = match &api.url_prefix {
            Some(Ok(p)) => p.clone(),
            Some(Err(_)) => continue,
            None => String::new(),
        };
        let route = |rule: String, endpoint: String, view: &str| Route {
            rule,
            methods: vec!["GET".into()],
            endpoint: Some(endpoint),
            view: Some(format!("flask_restx.api.Api.{view}")),
            file: api.file.clone(),
            line: api.line,
            resolved: true,
            kind: "restx_doc".into(),
            third_party: true,
            ..Default::default()
        };
        let root = if prefix.is_empty() {
            "/".to_string()
        } else {
            prefix.clone()
        };
        match &target {
            Target::Object(bp) if objs.kind(bp) == Some(Kind::Blueprint) => {
                let name = bp_name(&objs.by_id[bp]);
                let bpo = &objs.by_id[bp];
                for m in tree.mounts(bpo, &name) {
                    let mut add = |rule: String, ep: &str, view: &str| {
                        let mut r = route(rule, format!("{}.{ep}", m.name), view);
                        r.group = Some(name.clone());
                        routes.push(with_reason(r, m.unresolved.clone()));
                    };
                    add(
                        join_prefix(m.prefix.as_deref(), &root),
                        "root",
                        "render_root",
                    );
                    // Flask-RESTful-style concatenation, as for the Api's resources.
                    add(
                        format!(
                            "{}{prefix}/swagger.json",
                            m.prefix.clone().unwrap_or_default()
                        ),
                        "specs",
                        "specs",
                    );
                    if let Some(doc) = &api.doc {
                        add(join_prefix(m.prefix.as_deref(), doc), "doc", "render_doc");
                    }
                }
            }
            _ => {
                routes.push(route(root, "root".into(), "render_root"));
                routes.push(route(
                    format!("{prefix}/swagger.json"),
                    "specs".into(),
                    "specs",
                ));
                if let Some(doc) = &api.doc {
                    routes.push(route(doc.clone(), "doc".into(), "render_doc"));
                }
            }
        }
        any.get_or_insert(api);
    }
    if let Some(api) = any {
        routes.push(Route {
            rule: "/swaggerui/<path:filename>".into(),
            methods: vec!["GET".into()],
            endpoint: Some("restx_doc.static".into()),
            view: Some("flask.blueprints.Blueprint.send_static_file".into()),
            file: api.file.clone(),
            line: api.line,
            resolved: true,
            kind: "static".into(),
            third_party: true,
            ..Default::default()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_joining_matches_flask() {
        assert_eq!(join_prefix(Some("/users"), ""), "/users");
        assert_eq!(join_prefix(Some("/users"), "/"), "/users/");
        assert_eq!(join_prefix(Some("/users/"), "/x"), "/users/x");
        assert_eq!(join_prefix(None, "/x"), "/x");
    }

    #[test]
    fn restx_endpoint_names() {
        assert_eq!(camel_to_dashed("TodoList"), "todo_list");
        assert_eq!(camel_to_dashed("HTTPResource"), "http_resource");
    }
}
