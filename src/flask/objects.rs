//! What each name denotes: apps, blueprints, REST APIs, extension instances.
//!
//! An object is any `X = Constructor(...)` whose constructor resolves to a
//! known class (or a project class deriving from one), at module level or
//! inside a function (`create_app()`), keyed by its scoped id.

use super::Ctx;
use crate::python::SourceModule;
use crate::python::ir::{Call, Expr, FuncDef, Stmt};
use crate::python::scope::{self, Scope};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    App,
    Blueprint,
    /// Flask-RESTful `Api`.
    RestfulApi,
    /// Flask-RESTX / Flask-RESTPlus `Api`.
    RestxApi,
    RestxNamespace,
    /// flask-smorest `Api` (registers smorest blueprints on the app).
    SmorestApi,
    Sqlalchemy,
    LoginManager,
    HttpAuth,
    JwtManager,
    Permission,
    Admin,
}

/// The application classes.
pub const APP_CLASSES: &[&str] = &[
    "flask.Flask",
    "flask.app.Flask",
    "apiflask.APIFlask",
    "apiflask.app.APIFlask",
    "connexion.App",
    "connexion.FlaskApp",
    "connexion.apps.flask_app.FlaskApp",
];

/// Known constructors by canonical name.
pub(super) const CONSTRUCTORS: &[(&str, Kind)] = &[
    ("flask.Flask", Kind::App),
    ("flask.app.Flask", Kind::App),
    ("apiflask.APIFlask", Kind::App),
    ("apiflask.app.APIFlask", Kind::App),
    ("connexion.App", Kind::App),
    ("connexion.FlaskApp", Kind::App),
    ("connexion.apps.flask_app.FlaskApp", Kind::App),
    ("flask.Blueprint", Kind::Blueprint),
    ("flask.blueprints.Blueprint", Kind::Blueprint),
    ("flask_smorest.Blueprint", Kind::Blueprint),
    ("apiflask.APIBlueprint", Kind::Blueprint),
    ("flask_restful.Api", Kind::RestfulApi),
    // A subclass of flask_restful.Api in another package, which the scan
    // cannot read: it registers resources exactly as its base does.
    ("flask_restful_swagger_2.Api", Kind::RestfulApi),
    ("flask_restx.Api", Kind::RestxApi),
    ("flask_restplus.Api", Kind::RestxApi),
    ("flask_restx.Namespace", Kind::RestxNamespace),
    ("flask_restplus.Namespace", Kind::RestxNamespace),
    ("flask_smorest.Api", Kind::SmorestApi),
    ("flask_sqlalchemy.SQLAlchemy", Kind::Sqlalchemy),
    ("flask_login.LoginManager", Kind::LoginManager),
    ("flask_httpauth.HTTPBasicAuth", Kind::HttpAuth),
    ("flask_httpauth.HTTPTokenAuth", Kind::HttpAuth),
    ("flask_httpauth.HTTPDigestAuth", Kind::HttpAuth),
    ("flask_httpauth.MultiAuth", Kind::HttpAuth),
    ("flask_jwt_extended.JWTManager", Kind::JwtManager),
    ("flask_principal.Permission", Kind::Permission),
    ("flask_admin.Admin", Kind::Admin),
];

#[derive(Clone, Debug)]
pub struct Obj {
    pub id: String,
    pub kind: Kind,
    pub file: String,
    pub line: u32,
    /// Constructor arguments evaluated where they are written.
    pub name: Option<Result<String, String>>,
    pub url_prefix: Option<Result<String, String>>,
    /// `None`: not given; `Some(None)`: given as `None`; `Some(Some(Err))`:
    /// given, but not known statically (why).
    pub static_folder: Option<Option<Result<String, String>>>,
    pub static_url_path: Option<Result<String, String>>,
    /// What an Api/Namespace is attached to (an app or blueprint id), if known.
    pub attached_to: Option<Target>,
    /// Flask-RESTX `doc=`: the Swagger UI path, `None` when disabled (`doc=False`).
    pub doc: Option<String>,
    /// The class that made it, when it is the scanned code's (a subclass of Flask's).
    pub class: Option<String>,
}

/// Where something is registered: a known object, or "the application" when the
/// receiver is a parameter or a call result (the common `def init(app)` case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Object(String),
    App,
}

pub struct Objects {
    pub by_id: BTreeMap<String, Obj>,
}

impl Objects {
    pub fn get(&self, id: &str) -> Option<&Obj> {
        self.by_id.get(id)
    }

    pub fn kind(&self, id: &str) -> Option<Kind> {
        self.by_id.get(id).map(|o| o.kind)
    }

    /// Whether the object's class, or a class of the scanned code it derives from, defines
    /// `method` itself (sahara's `Rest.post` registering through its own `route()`, a `route()`
    /// prefixing the rule before handing on through `super()`): the interpreter runs it.
    pub fn overrides(&self, ctx: &Ctx, id: &str, method: &str) -> bool {
        let Some(class) = self.by_id.get(id).and_then(|o| o.class.as_deref()) else {
            return false;
        };
        std::iter::once(class.to_string())
            .chain(ctx.classes.ancestors(&ctx.project.resolver, class))
            .filter_map(|c| ctx.classes.get(&c))
            .any(|(_, cd)| cd.methods().any(|f| f.name == method))
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Obj> {
        self.by_id.values().filter(move |o| o.kind == kind)
    }

    /// Resolves a receiver expression to a target: a known object, the app when
    /// unknowable, or `None` when it names something outside Flask.
    pub fn target(&self, ctx: &Ctx, scope: &Scope, expr: &Expr) -> Option<Target> {
        let resolver = &ctx.project.resolver;
        // `app = create_app()` is the app; `router = APIRouter()` is not.
        let app_callee = |f: &str| {
            (is_in_project(ctx, f) || f.starts_with("flask") || APP_CLASSES.contains(&f))
                .then_some(Target::App)
        };
        // what is unknowable is the app where the module imports Flask
        let in_flask_module = || {
            ctx.flask_modules
                .contains(&scope.module.module)
                .then_some(Target::App)
        };
        // `app = application` at module level: the views' `app` is that object
        let resolved = scope.resolve(resolver, expr).map(|id| {
            match ctx.values.follow_aliases(resolver, id.clone()) {
                alias if self.by_id.contains_key(&alias) => alias,
                _ => id,
            }
        });
        match resolved {
            Some(id) if self.by_id.contains_key(&id) => Some(Target::Object(id)),
            // A name from another library (`sock.route`) is not Flask's.
            Some(id) if !is_in_project(ctx, &id) => None,
            // Nor a class or function of the scanned code: `@Plugin.route(...)` is
            // that class's own (Flask's `route` is a method of an app or blueprint)
            Some(id)
                if crate::python::classes::find(ctx.project, &id).is_some()
                    || ctx.project.function(&id).is_some() =>
            {
                None
            }
            Some(id) => match ctx.values.get(&id) {
                Some((module, Expr::Call(c))) => app_callee(
                    &c.func
                        .dotted()
                        .map(|d| resolver.resolve(module, &d))
                        .unwrap_or_default(),
                ),
                Some(_) => None,
                // the same in a function (`def main(): app = create_app()`),
                // also where the module does not import Flask
                // (another library's class, `connexion.FlaskApp`: as before)
                None => match local_callee(ctx, &id) {
                    Some(f) => app_callee(&f).or_else(in_flask_module),
                    None => in_flask_module(),
                },
            },
            // A parameter or call result (`def init(app): app.register_blueprint(...)`).
            None => in_flask_module(),
        }
    }
}

/// The call a function-local object (`pkg.main.<locals>.app`) was last
/// assigned in its function's body (top level and blocks), with that
/// function and its module.
pub fn local_assignment<'p>(
    ctx: &Ctx<'p>,
    id: &str,
) -> Option<(&'p SourceModule, &'p FuncDef, &'p Call)> {
    let (function, local) = id.split_once(".<locals>.")?;
    let (def, m) = ctx.project.function(function)?;
    Some((m, def, def.last_call_assigned(local)?))
}

pub fn local_call<'p>(ctx: &Ctx<'p>, id: &str) -> Option<&'p Call> {
    local_assignment(ctx, id).map(|(_, _, c)| c)
}

/// The canonical name of what that call calls, read with the function's own
/// imports (`from fastapi import FastAPI` inside it).
fn local_callee(ctx: &Ctx, id: &str) -> Option<String> {
    let (m, def, call) = local_assignment(ctx, id)?;
    scope::callee_in_body(&ctx.project.resolver, m, &def.body, call)
}

/// Whether a module imports Flask or a Flask extension: only there is an
/// unknowable receiver of `.route()`/`.register_blueprint()` taken for the app.
pub fn imports_flask(module: &crate::python::SourceModule) -> bool {
    use crate::python::ir::{ImportName, walk_stmts};
    let flask_based = |m: &str| FLASK_PACKAGES.iter().any(|p| m.starts_with(p));
    let mut hit = false;
    walk_stmts(&module.body, |s, _| {
        if let Stmt::Import(import, _) = s {
            hit |= import.names().any(|n| match n {
                ImportName::Module { path, .. } => flask_based(path),
                ImportName::From {
                    module, level: 0, ..
                } => flask_based(module),
                _ => false,
            });
        }
    });
    hit
}

/// Packages whose modules make Flask apps (Flask's extensions, `flask_*`,
/// included), some without importing Flask themselves (`connexion.App`).
pub const FLASK_PACKAGES: &[&str] = &["flask", "apiflask", "connexion"];

/// Whether a canonical id points into the scanned code.
pub fn is_in_project(ctx: &Ctx, id: &str) -> bool {
    ctx.project.owns(id)
}

/// The kind of object a constructor call creates, if known.
pub fn constructor_kind(ctx: &Ctx, scope: &Scope, call: &Call) -> Option<Kind> {
    // through module-level aliases of the class (`Blueprint = flask.Blueprint`)
    let id = ctx.values.follow_aliases(
        &ctx.project.resolver,
        scope.resolve(&ctx.project.resolver, &call.func)?,
    );
    if let Some((_, k)) = CONSTRUCTORS.iter().find(|(n, _)| *n == id) {
        return Some(*k);
    }
    // A project class deriving from a known one (`class MyFlask(Flask)`).
    ctx.classes
        .ancestors(&ctx.project.resolver, &id)
        .iter()
        .find_map(|a| CONSTRUCTORS.iter().find(|(n, _)| n == a).map(|(_, k)| *k))
}

pub fn collect(ctx: &Ctx) -> Objects {
    let mut by_id = BTreeMap::new();
    let resolver = &ctx.project.resolver;
    for &f in &ctx.files {
        scope::walk(f, resolver, ctx.values, &mut |stmt, sc| {
            // `Api(app)` as a bare statement registers its routes all the same.
            if let Stmt::Expr(Expr::Call(call), pos) = stmt {
                if let Some(kind @ (Kind::RestfulApi | Kind::RestxApi | Kind::SmorestApi)) =
                    constructor_kind(ctx, sc, call)
                {
                    let id = sc.object_id(&format!("<Api@{}>", pos.line));
                    by_id.insert(id.clone(), new_obj(ctx, sc, id, kind, call, pos.line));
                }
                return;
            }
            let Stmt::Assign {
                targets,
                value: Some(value),
                pos,
                ..
            } = stmt
            else {
                return;
            };
            let Some(Expr::Name(name)) = targets.first() else {
                return;
            };
            let Some(call) = value.as_call() else { return };
            let id = sc.object_id(name);
            if let Some(kind) = constructor_kind(ctx, sc, call) {
                by_id.insert(id.clone(), new_obj(ctx, sc, id, kind, call, pos.line));
            } else if let Expr::Attr(recv, method) = &call.func {
                // `ns = api.namespace("todos", path="/todos")` on a RESTX Api.
                if method == "namespace"
                    && let Some(api) = sc.resolve(resolver, recv)
                    && matches!(
                        by_id.get(&api),
                        Some(Obj {
                            kind: Kind::RestxApi,
                            ..
                        })
                    )
                {
                    let mut o = new_obj(ctx, sc, id.clone(), Kind::RestxNamespace, call, pos.line);
                    o.attached_to = Some(Target::Object(api));
                    by_id.insert(id, o);
                }
            }
        });
    }
    Objects { by_id }
}

/// `os.path.join(HERE, "static")`: the directory is only known at run time,
/// but Flask derives the static URL from the folder's last component alone
/// (`static_url_path` defaults to "/" + its basename), which the literal last
/// argument fixes. The result stands for the folder in that role only.
fn joined_folder(ctx: &Ctx, sc: &Scope, e: &Expr) -> Option<String> {
    let c = e.as_call()?;
    let f = c.func.dotted()?;
    if ctx.project.resolver.resolve(&sc.module.module, &f) != "os.path.join" || c.has_splat() {
        return None;
    }
    let last = c.args.last()?.as_str()?.trim_end_matches('/');
    (!last.is_empty()).then(|| format!("<dir>/{last}"))
}

fn new_obj(ctx: &Ctx, sc: &Scope, id: String, kind: Kind, call: &Call, line: u32) -> Obj {
    let eval = |e: &Expr| scope::const_str(sc, &ctx.project.resolver, ctx.values, e);
    let opt = |name: &str| match call.kwarg(name) {
        Some(Expr::None) | None => None,
        Some(e) => Some(eval(e)),
    };
    let static_url_path = opt("static_url_path");
    let static_folder = call.kwarg("static_folder").map(|e| match e {
        Expr::None => None,
        // an f-string is a string, never None: with the URL path given, its text does not
        // reach the rule
        Expr::DynStr(f) if matches!(static_url_path, Some(Ok(_))) => {
            Some(eval(e).or_else(|_| Ok(f.text.to_string())))
        }
        e => Some(eval(e).or_else(|why| joined_folder(ctx, sc, e).ok_or(why))),
    });
    let (name, url_prefix) = match kind {
        Kind::Blueprint => (call.arg(0, "name").map(eval), opt("url_prefix")),
        Kind::RestxNamespace => (call.arg(0, "name").map(eval), opt("path")),
        Kind::RestfulApi | Kind::RestxApi => (None, opt("prefix")),
        _ => (call.arg(0, "import_name").map(eval), None),
    };
    let attached_to = match kind {
        Kind::RestfulApi | Kind::RestxApi | Kind::SmorestApi => call
            .arg(0, "app")
            .filter(|e| !matches!(e, Expr::None))
            .map(|e| match sc.resolve(&ctx.project.resolver, e) {
                Some(id) => Target::Object(id),
                None => Target::App,
            }),
        _ => None,
    };
    let class = sc
        .resolve(&ctx.project.resolver, &call.func)
        .map(|f| ctx.values.follow_aliases(&ctx.project.resolver, f))
        .filter(|c| ctx.classes.get(c).is_some());
    Obj {
        id,
        kind,
        class,
        file: sc.module.path.clone(),
        line,
        name,
        url_prefix,
        static_folder,
        static_url_path,
        attached_to,
        doc: match call.kwarg("doc") {
            Some(Expr::Bool(false)) => None,
            Some(e) => Some(eval(e).unwrap_or_else(|_| "/".into())),
            None => Some("/".into()),
        },
    }
}
