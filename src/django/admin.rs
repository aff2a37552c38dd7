//! Admin registrations: `admin.site.register(Model, Admin)`, `site.register([A, B])`,
//! `@admin.register(Model, site=...)`, custom `AdminSite` instances.

use crate::inventory::{AdminRegistration, Inventory};
use crate::python::interp::{Interpreter, Val};
use crate::python::ir::{Call, Expr, Stmt, walk_stmts};
use crate::python::{Project, SourceModule, classes};

const GET_USER_MODEL: &str = "django.contrib.auth.get_user_model";

pub(super) fn calls_get_user_model(project: &Project, module: &str, e: &Expr) -> bool {
    matches!(e, Expr::Call(c) if c.func.dotted().is_some_and(|d| {
        project.resolver.resolve(module, &d) == GET_USER_MODEL
    }))
}

/// Whether the module-level name `id` is assigned `get_user_model()`
/// (`User = get_user_model()`, then `admin.site.register(User, ...)`).
pub(super) fn user_model_alias(project: &Project, id: &str) -> bool {
    let Some((module, name)) = id.rsplit_once('.') else {
        return false;
    };
    project.module(module).is_some_and(|m| {
        m.body.iter().any(|s| match s {
            Stmt::Assign {
                targets,
                value: Some(v),
                ..
            } => {
                targets.iter().any(|t| t.as_name() == Some(name))
                    && calls_get_user_model(project, module, v)
            }
            _ => false,
        })
    })
}

fn models_of(ev: &Interpreter, m: &SourceModule, e: &Expr, user: &str) -> Vec<String> {
    let project = ev.project;
    match e {
        Expr::List(v) | Expr::Tuple(v) => {
            v.iter().flat_map(|x| models_of(ev, m, x, user)).collect()
        }
        e if calls_get_user_model(project, &m.module, e) => vec![user.to_string()],
        // a class got by a call (`site.register(get_model("address", "country"))`)
        Expr::Call(_) => match ev.in_module(&m.module, |cx| cx.eval(e)) {
            Some(Val::Class(class)) => vec![class],
            _ => vec![],
        },
        other => other
            .dotted()
            .map(|d| model_of_id(ev, project.resolver.resolve(&m.module, &d), user))
            .into_iter()
            .collect(),
    }
}

/// The model a name resolved to `id` stands for: the user model for `User =
/// get_user_model()`, the class running code bound to it, else `id` itself.
fn model_of_id(ev: &Interpreter, id: String, user: &str) -> String {
    let project = ev.project;
    if user_model_alias(project, &id) {
        return user.to_string();
    }
    // a name bound to a class by running code (`Image = apps.get_model("filer",
    // "Image")`, through a helper or a setting): the class it holds
    if classes::find(project, &id).is_none()
        && let Some(Val::Class(class)) = ev.lookup_global(&id)
    {
        return class;
    }
    id
}

/// `X.register` where X is an admin site: django.contrib.admin.site, or any name ending in `site`.
fn site_of(project: &Project, m: &SourceModule, c: &Call) -> Option<String> {
    let Expr::Attr(base, a) = &c.func else {
        return None;
    };
    if a != "register" {
        return None;
    }
    let d = base.dotted()?;
    let canonical = project.resolver.resolve(&m.module, &d);
    let last = d.rsplit('.').next().unwrap_or(&d).to_lowercase();
    if canonical == "django.contrib.admin.site"
        || canonical == "django.contrib.admin.sites.site"
        || last.ends_with("site")
    {
        Some(if canonical.starts_with("django.contrib.admin") {
            "admin".to_string()
        } else {
            canonical
        })
    } else {
        None
    }
}

/// `@admin.register(...)` (or `@register(...)` from the admin's decorators).
fn register_decorator<'e>(project: &Project, m: &SourceModule, d: &'e Expr) -> Option<&'e Call> {
    let Expr::Call(c) = d else { return None };
    let canonical = project.resolver.resolve(&m.module, &c.func.dotted()?);
    matches!(
        canonical.as_str(),
        "django.contrib.admin.register" | "django.contrib.admin.decorators.register"
    )
    .then_some(&**c)
}

/// Whether statements hold an admin registration (a `site.register(...)` call or an
/// `@admin.register(...)` class).
fn registers(project: &Project, m: &SourceModule, body: &[Stmt]) -> bool {
    let mut found = false;
    walk_stmts(body, |s, _| {
        found |= match s {
            Stmt::Expr(Expr::Call(c), _) => site_of(project, m, c).is_some(),
            Stmt::Class(cd) => cd
                .decorators
                .iter()
                .any(|d| register_decorator(project, m, d).is_some()),
            _ => false,
        };
    });
    found
}

/// The statements of a module's top-level `if` branches that do not run, among
/// those that register admin classes: each test without a call (evaluating it
/// again has no effects) is read with the module's names after it ran (`if
/// app_settings.GROUPCHECK_ADMIN:`, `if False:`); a test whose value is not known
/// leaves every branch possible. Other `if`s are not evaluated (reading a name
/// may run the module, and `if TYPE_CHECKING:` is in many of them).
fn untaken_branches(ev: &Interpreter, m: &SourceModule) -> rustc_hash::FxHashSet<*const Stmt> {
    let mut dead = rustc_hash::FxHashSet::default();
    let mut mark = |body: &Stmt| {
        dead.insert(body as *const Stmt);
        if let Stmt::Block(b) = body {
            walk_stmts(b, |s, _| {
                dead.insert(s as *const Stmt);
            });
        }
    };
    let test_of = |b: &[Stmt]| -> Option<Option<bool>> {
        match b.first()? {
            Stmt::Guard(None) => Some(Some(true)),
            Stmt::Guard(Some(Expr::Other(_))) => Some(None),
            Stmt::Guard(Some(t)) => {
                let mut calls = Vec::new();
                t.walk_calls(&mut calls);
                Some(if calls.is_empty() {
                    ev.in_module(&m.module, |cx| cx.eval(t).truthy()).flatten()
                } else {
                    None
                })
            }
            _ => None,
        }
    };
    for s in &m.body {
        let Stmt::Block(b) = s else { continue };
        if !matches!(b.first(), Some(Stmt::Guard(_))) || !registers(ev.project, m, b) {
            continue;
        }
        let Some(mut taken) = test_of(b) else {
            continue;
        };
        // `[Guard, then, alternatives...]`: after a branch known to run, none
        // of the others does; a branch known not to run is dead
        let mut chosen = false;
        let mut branches: Vec<(&Stmt, Option<bool>)> = Vec::new();
        if let Some(then) = b.get(1) {
            branches.push((then, taken));
        }
        for alt in b.iter().skip(2) {
            let Stmt::Block(ab) = alt else { continue };
            taken = test_of(ab).flatten();
            branches.push((alt, taken));
        }
        for (body, taken) in branches {
            match (chosen, taken) {
                (true, _) | (false, Some(false)) => mark(body),
                (false, Some(true)) => chosen = true,
                (false, None) => {}
            }
        }
    }
    dead
}

/// `loaded`: which files Django imports (`apps::loaded`); a registration elsewhere never runs.
pub fn extract(
    ev: &Interpreter,
    user_model: Option<&str>,
    loaded: Option<&[bool]>,
    inv: &mut Inventory,
) {
    let project = ev.project;
    // get_user_model(): the model AUTH_USER_MODEL names ("label.Name")
    let user = user_model
        .and_then(|u| {
            inv.models.iter().find(|x| {
                !x.r#abstract
                    && x.app_label
                        .as_deref()
                        .map(|l| format!("{l}.{}", x.name))
                        .as_deref()
                        == Some(u)
            })
        })
        .map(|x| format!("{}.{}", x.module, x.name))
        .unwrap_or_else(|| "django.contrib.auth.models.User".into());
    let mut found = Vec::new();
    let files = project.files.iter().enumerate();
    for (_, m) in files.filter(|(i, _)| loaded.is_none_or(|l| l[*i])) {
        let dead = untaken_branches(ev, m);
        // the parameters of the functions around a statement, with the depth of their body
        let mut params: Vec<(usize, &[crate::python::ir::Text])> = Vec::new();
        walk_stmts(&m.body, |s, scope| {
            params.retain(|(depth, _)| *depth <= scope.len());
            if let Stmt::Func(f) = s {
                params.push((scope.len() + 1, &f.params));
            }
            match s {
                _ if dead.contains(&(s as *const Stmt)) => {}
                Stmt::Expr(Expr::Call(c), _) => {
                    let Some(site) = site_of(project, m, c) else {
                        return;
                    };
                    let Some(first) = c.arg(0, "model_or_iterable") else {
                        return;
                    };
                    // a parameter holds whatever a caller passes (`register(model_class)` in a
                    // helper): not a name of the module
                    let root = first
                        .dotted()
                        .map(|d| d.split('.').next().unwrap_or_default().to_string());
                    if root.is_some_and(|r| params.iter().any(|(_, p)| p.iter().any(|x| **x == *r)))
                    {
                        return;
                    }
                    let admin_class = c
                        .arg(1, "admin_class")
                        .and_then(|e| e.dotted())
                        .map(|d| project.resolver.resolve(&m.module, &d));
                    for model in models_of(ev, m, first, &user) {
                        found.push(AdminRegistration {
                            model,
                            admin_class: admin_class.clone(),
                            site: site.clone(),
                            file: m.path.clone(),
                            line: c.pos.line,
                        });
                    }
                }
                Stmt::Class(cd) if scope.is_empty() => {
                    for c in cd
                        .decorators
                        .iter()
                        .filter_map(|d| register_decorator(project, m, d))
                    {
                        let site = c
                            .kwarg("site")
                            .and_then(|e| e.dotted())
                            .map(|d| project.resolver.resolve(&m.module, &d))
                            .filter(|s| !s.starts_with("django.contrib.admin"))
                            .unwrap_or_else(|| "admin".into());
                        for a in &c.args {
                            // evaluated before the class statement binds its name, as its
                            // bases are: `@admin.register(Item) class Item(ModelAdmin)`
                            // registers the `Item` imported before
                            let before = a
                                .as_name()
                                .filter(|n| *n == cd.name.as_str())
                                .and_then(|n| project.resolver.before_class(&m.module, n));
                            let models = match before {
                                Some(id) => vec![model_of_id(ev, id, &user)],
                                None => models_of(ev, m, a, &user),
                            };
                            for model in models {
                                found.push(AdminRegistration {
                                    model,
                                    admin_class: Some(format!("{}.{}", m.module, cd.name)),
                                    site: site.clone(),
                                    file: m.path.clone(),
                                    line: cd.pos.line,
                                });
                            }
                        }
                    }
                }
                _ => {}
            }
        });
    }
    inv.admin.extend(found);
}
