//! Flask auth: the extensions in use (Flask-Login, Flask-JWT-Extended,
//! Flask-HTTPAuth, Flask-Security-Too, Flask-Principal, Authlib) and the auth
//! requirements on each route, including the project's own decorators.

use super::Ctx;
use super::objects::{Kind, Objects};
use crate::inventory::{AuthItem, Inventory};
use crate::python::ir::{ClassDef, Expr, Stmt};
use crate::python::scope::{self, Scope};

/// Auth packages whose decorators protect views.
const AUTH_PACKAGES: &[(&str, &str)] = &[
    ("flask_login.", "flask_login"),
    ("flask_jwt_extended.", "flask_jwt_extended"),
    ("flask_security.", "flask_security"),
    ("flask_principal.", "flask_principal"),
    ("flask_praetorian.", "flask_praetorian"),
    ("flask_httpauth.", "flask_httpauth"),
    ("authlib.", "authlib"),
    ("flask_dance.", "flask_dance"),
    ("flask_oidc.", "flask_oidc"),
    ("flask_cas.", "flask_cas"),
    ("flask_jwt.", "flask_jwt"),
    ("flask_appbuilder.security.", "flask_appbuilder"),
];

/// Words in a decorator's name that say it guards access.
pub(crate) const AUTH_WORDS: &[&str] = &[
    "login_required",
    "auth",
    "permission",
    "role",
    "require",
    "admin_required",
    "token",
    "jwt",
    "protect",
    "authenticated",
    "access",
    "has_access",
    "staff",
    "superuser",
];

/// Decorators whose names contain an auth word but are not auth.
const NOT_AUTH: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "errorhandler",
    "before_request",
];

/// The auth label of a decorator or view wrapper, if it is one.
pub fn decorator_name(ctx: &Ctx, objs: &Objects, sc: &Scope, expr: &Expr) -> Option<String> {
    let callee = match expr {
        Expr::Call(c) => &c.func,
        e => e,
    };
    let last = callee.last_name()?;
    if NOT_AUTH.contains(&last) {
        return None;
    }
    // `auth.login_required` on an HTTPAuth instance, `perm.require()` on a Permission.
    if let Expr::Attr(recv, attr) = callee
        && let Some(id) = sc.resolve(&ctx.project.resolver, recv)
    {
        match objs.kind(&id) {
            Some(Kind::HttpAuth) => return Some(format!("httpauth.{attr}")),
            Some(Kind::Permission) => return Some(format!("permission.{attr}")),
            Some(Kind::LoginManager) => return None,
            _ => {}
        }
    }
    let id = sc
        .resolve(&ctx.project.resolver, callee)
        .unwrap_or_else(|| last.to_string());
    if AUTH_PACKAGES.iter().any(|(p, _)| id.starts_with(p)) {
        return Some(last.to_string());
    }
    let lower = last.to_ascii_lowercase();
    AUTH_WORDS
        .iter()
        .any(|w| lower.contains(w))
        .then(|| last.to_string())
}

pub fn on_decorators(ctx: &Ctx, objs: &Objects, sc: &Scope, decorators: &[Expr]) -> Vec<String> {
    let mut out: Vec<String> = decorators
        .iter()
        .filter_map(|d| decorator_name(ctx, objs, sc, d))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Auth on a class-based view: class decorators, `decorators = [...]` (Flask
/// views) and `method_decorators = [...]` (Flask-RESTful), and decorators on
/// its verb methods.
pub fn on_class(ctx: &Ctx, objs: &Objects, sc: &Scope, c: &ClassDef) -> Vec<String> {
    let mut out = on_decorators(ctx, objs, sc, &c.decorators);
    // The attributes may be inherited from a project base class.
    let id = format!("{}.{}", sc.module.module, c.name);
    let mut chain = vec![(sc.module, c)];
    for a in ctx.classes.ancestors(&ctx.project.resolver, &id) {
        if let Some(found) = ctx.classes.get(&a) {
            chain.push(found);
        }
    }
    for attr in ["decorators", "method_decorators"] {
        let Some((m, holder)) = chain.iter().find(|(_, k)| k.attr(attr).is_some()) else {
            continue;
        };
        let sc = &Scope::module_scope(m);
        match holder.attr(attr) {
            Some(Expr::Dict(pairs)) => {
                for (_, v) in pairs {
                    if let Some(items) = v.elements() {
                        out.extend(on_decorators(ctx, objs, sc, items));
                    }
                }
            }
            Some(e) => {
                if let Some(items) = e.elements() {
                    out.extend(on_decorators(ctx, objs, sc, items));
                }
            }
            None => {}
        }
    }
    for m in c.methods() {
        out.extend(on_decorators(ctx, objs, sc, &m.decorators));
    }
    out.sort();
    out.dedup();
    out
}

/// Auth decorators on a module-level function given by its canonical id.
pub fn on_function_id(ctx: &Ctx, objs: &Objects, id: &str) -> Vec<String> {
    let Some((module, name)) = id.rsplit_once('.') else {
        return vec![];
    };
    // a method (`pkg.views.ItemView.list`): its class's module scope
    let Some(m) = ctx.project.module(module) else {
        let Some((m, cd)) = crate::python::classes::find(ctx.project, module) else {
            return vec![];
        };
        let sc = Scope::module_scope(m);
        return cd
            .methods()
            .find(|f| f.name == name)
            .map(|f| on_decorators(ctx, objs, &sc, &f.decorators))
            .unwrap_or_default();
    };
    let sc = Scope::module_scope(m);
    m.body
        .iter()
        .find_map(|s| match s {
            Stmt::Func(f) if f.name == name => Some(on_decorators(ctx, objs, &sc, &f.decorators)),
            _ => None,
        })
        .unwrap_or_default()
}

/// Auth systems in use: extension instances, loaders, and auth decorators.
pub fn extract(ctx: &Ctx, objs: &Objects, inv: &mut Inventory) {
    for o in objs.by_id.values() {
        let (system, kind) = match o.kind {
            Kind::LoginManager => ("flask_login", "login_manager"),
            Kind::JwtManager => ("flask_jwt_extended", "jwt_manager"),
            Kind::HttpAuth => ("flask_httpauth", "http_auth"),
            // one a function makes is a value per call (`Permission(UserNeed(user))`), not a
            // permission the app declares
            Kind::Permission if o.id.contains("<locals>") => continue,
            Kind::Permission => ("flask_principal", "permission"),
            _ => continue,
        };
        inv.auth.push(AuthItem {
            system: system.into(),
            kind: kind.into(),
            name: o.id.clone(),
            file: o.file.clone(),
            line: o.line,
            detail: None,
        });
    }
    let resolver = &ctx.project.resolver;
    for &f in &ctx.files {
        scope::walk(f, resolver, ctx.values, &mut |stmt, sc| match stmt {
            Stmt::Func(func) => {
                for d in &func.decorators {
                    let callee = match d {
                        Expr::Call(c) => &c.func,
                        e => e,
                    };
                    // Loader callbacks on LoginManager / JWTManager / HTTPAuth instances.
                    if let Expr::Attr(recv, attr) = callee {
                        if let Some(kind) = sc.resolve(resolver, recv).and_then(|id| objs.kind(&id))
                            && matches!(
                                kind,
                                Kind::LoginManager | Kind::JwtManager | Kind::HttpAuth
                            )
                        {
                            inv.auth.push(AuthItem {
                                system: match kind {
                                    Kind::LoginManager => "flask_login",
                                    Kind::JwtManager => "flask_jwt_extended",
                                    _ => "flask_httpauth",
                                }
                                .into(),
                                kind: "callback".into(),
                                name: format!("{attr} -> {}", func.name),
                                file: f.path.clone(),
                                line: func.pos.line,
                                detail: None,
                            });
                            continue;
                        }
                        if attr == "before_request" || attr == "before_app_request" {
                            let lower = func.name.to_ascii_lowercase();
                            if AUTH_WORDS.iter().any(|w| lower.contains(w))
                                || lower.contains("login")
                            {
                                inv.auth.push(AuthItem {
                                    system: "project".into(),
                                    kind: "before_request".into(),
                                    name: format!("{}.{}", f.module, sc.qualname(&func.name)),
                                    file: f.path.clone(),
                                    line: func.pos.line,
                                    detail: Some(
                                        "a request hook that gates every view it covers".into(),
                                    ),
                                });
                            }
                        }
                    }
                }
            }
            Stmt::Expr(Expr::Call(c), pos)
            | Stmt::Assign {
                value: Some(Expr::Call(c)),
                pos,
                ..
            } => {
                // Flask-Security(app, datastore) and Authlib's OAuth(app).
                if let Some(id) = sc.resolve(resolver, &c.func) {
                    let hit = match id.as_str() {
                        "flask_security.Security" | "flask_security.core.Security" => {
                            Some(("flask_security", "security"))
                        }
                        "authlib.integrations.flask_client.OAuth" => {
                            Some(("authlib", "oauth_client"))
                        }
                        "flask_principal.Principal" => Some(("flask_principal", "principal")),
                        // single sign-on through a CAS server; Flask-JWT (before
                        // Flask-JWT-Extended) guards views with a token
                        "flask_cas.CAS" => Some(("flask_cas", "cas")),
                        "flask_jwt.JWT" => Some(("flask_jwt", "jwt")),
                        "flask_dance.contrib.github.make_github_blueprint" => {
                            Some(("flask_dance", "oauth_blueprint"))
                        }
                        _ => None,
                    };
                    if let Some((system, kind)) = hit {
                        inv.auth.push(AuthItem {
                            system: system.into(),
                            kind: kind.into(),
                            name: id.clone(),
                            file: f.path.clone(),
                            line: pos.line,
                            detail: None,
                        });
                    }
                }
            }
            _ => {}
        });
    }
    // Distinct auth requirements seen on routes.
    let mut seen = std::collections::BTreeMap::new();
    for r in &inv.routes {
        for a in &r.auth {
            seen.entry(a.clone()).or_insert((r.file.clone(), r.line));
        }
    }
    for (name, (file, line)) in seen {
        let system = match name.split_once('.') {
            Some(("httpauth", _)) => "flask_httpauth",
            Some(("permission", _)) => "flask_principal",
            _ => "decorator",
        };
        inv.auth.push(AuthItem {
            system: system.into(),
            kind: "decorator".into(),
            name,
            file,
            line,
            detail: Some("first route it protects".into()),
        });
    }
}
