//! The rest of a Flask app's migration surface: templates, WTForms forms,
//! Flask-Admin views, config keys, Alembic/Flask-Migrate revisions.

use super::Ctx;
use super::objects::{Kind, Objects, Target};
use crate::inventory::{CallRef, Form, Inventory, MigrationSet, Setting, Signal, Template};
use crate::python::ir::{Expr, Stmt};
use crate::python::scope;
use std::collections::BTreeMap;

const FORM_BASES: &[&str] = &[
    "flask_wtf.FlaskForm",
    "flask_wtf.Form",
    "wtforms.Form",
    "wtforms.form.Form",
];

/// App and blueprint hooks a migration must re-home: request hooks become
/// middleware, error handlers become handler views, template helpers become
/// Jinja2 environment entries or template tags.
const HOOKS: &[&str] = &[
    "before_request",
    "after_request",
    "teardown_request",
    "teardown_appcontext",
    "before_app_request",
    "after_app_request",
    "errorhandler",
    "app_errorhandler",
    "template_filter",
    "app_template_filter",
    "template_global",
    "app_template_global",
    "template_test",
    "app_template_test",
    "context_processor",
    "app_context_processor",
    "url_value_preprocessor",
    "url_defaults",
];

/// Call forms of the same hooks: `app.register_error_handler(404, fn)`.
const HOOK_CALLS: &[(&str, &str)] = &[
    ("register_error_handler", "errorhandler"),
    ("add_template_filter", "template_filter"),
    ("add_template_global", "template_global"),
    ("add_template_test", "template_test"),
    ("before_request", "before_request"),
    ("after_request", "after_request"),
    ("teardown_request", "teardown_request"),
    ("context_processor", "context_processor"),
];

fn is_app_or_blueprint(ctx: &Ctx, objs: &Objects, sc: &scope::Scope, recv: &Expr) -> bool {
    match objs.target(ctx, sc, recv) {
        Some(Target::App) => true,
        Some(Target::Object(id)) => matches!(objs.kind(&id), Some(Kind::App | Kind::Blueprint)),
        None => false,
    }
}

fn hooks(ctx: &Ctx, objs: &Objects, inv: &mut Inventory) {
    let resolver = &ctx.project.resolver;
    for &f in &ctx.files {
        scope::walk(f, resolver, ctx.values, &mut |stmt, sc| {
            if let Stmt::Func(func) = stmt {
                for d in &func.decorators {
                    let (callee, call) = match d {
                        Expr::Call(c) => (&c.func, Some(c)),
                        e => (e, None),
                    };
                    let Expr::Attr(recv, hook) = callee else {
                        continue;
                    };
                    if HOOKS.contains(&hook.as_str()) && is_app_or_blueprint(ctx, objs, sc, recv) {
                        let arg = call.and_then(|c| c.args.first()).map(|a| a.describe());
                        inv.signals.push(Signal {
                            kind: hook.to_string(),
                            name: format!("{}.{}", f.module, sc.qualname(&func.name)),
                            target: arg,
                            file: f.path.clone(),
                            line: func.pos.line,
                        });
                    }
                }
            }
            if let Stmt::Expr(Expr::Call(c), pos) = stmt {
                let Expr::Attr(recv, method) = &c.func else {
                    return;
                };
                let Some((_, kind)) = HOOK_CALLS.iter().find(|(m, _)| m == method) else {
                    return;
                };
                if !is_app_or_blueprint(ctx, objs, sc, recv) {
                    return;
                }
                let handler = if *kind == "errorhandler" {
                    c.args.get(1)
                } else {
                    c.args.first()
                };
                inv.signals.push(Signal {
                    kind: kind.to_string(),
                    name: handler
                        .and_then(|h| sc.resolve(resolver, h))
                        .unwrap_or_else(|| handler.map(|h| h.describe()).unwrap_or_default()),
                    target: (*kind == "errorhandler")
                        .then(|| c.args.first().map(|a| a.describe()))
                        .flatten(),
                    file: f.path.clone(),
                    line: pos.line,
                });
            }
        });
    }
}

pub fn extract(ctx: &Ctx, objs: &Objects, inv: &mut Inventory) {
    hooks(ctx, objs, inv);
    let resolver = &ctx.project.resolver;
    for &f in &ctx.files {
        for cs in &f.call_sites {
            match cs.kind.as_str() {
                "flask.template" => inv.templates.push(Template {
                    name: cs.arg.clone().unwrap_or_else(|| "<dynamic>".into()),
                    file: f.path.clone(),
                    line: cs.line,
                    kind: "reference".into(),
                }),
                "flask.url_for" => inv.call_sites.push(CallRef {
                    kind: "flask.url_for".into(),
                    target: cs.arg.clone(),
                    file: f.path.clone(),
                    line: cs.line,
                }),
                _ => {}
            }
        }
    }
    for t in &ctx.project.templates {
        inv.templates.push(Template {
            name: t
                .rsplit_once("templates/")
                .map_or(t.as_str(), |(_, n)| n)
                .to_string(),
            file: t.clone(),
            line: 0,
            kind: "file".into(),
        });
    }
    // Forms: WTForms classes and their fields.
    for (id, (m, c)) in ctx.own_classes() {
        if ctx.classes.derives_from(resolver, id, FORM_BASES) {
            let fields = c
                .assignments()
                .filter(|(_, v, _, _)| {
                    v.and_then(|v| v.as_call())
                        .and_then(|c| c.func.last_name())
                        .is_some_and(|n| n.ends_with("Field"))
                })
                .map(|(n, _, _, _)| n.to_string())
                .collect();
            inv.forms.push(Form {
                name: c.name.to_string(),
                module: m.module.clone(),
                kind: "wtforms".into(),
                fields,
                file: m.path.clone(),
                line: c.pos.line,
            });
        }
    }
    // app.config["KEY"] = value
    let mut config: BTreeMap<String, (String, u32, Option<String>)> = BTreeMap::new();
    for &f in &ctx.files {
        scope::walk(f, resolver, ctx.values, &mut |stmt, _| {
            let Stmt::Assign {
                value: Some(v),
                targets,
                pos,
                ..
            } = stmt
            else {
                return;
            };
            for t in targets {
                if let Expr::Subscript(base, key) = t
                    && let (Some(k), Expr::Attr(_, a)) = (key.as_str(), base.as_ref())
                    && a == "config"
                {
                    config.entry(k.to_string()).or_insert((
                        f.path.clone(),
                        pos.line,
                        v.as_str().map(String::from),
                    ));
                }
            }
        });
    }
    // Config classes: UPPER_CASE attributes of classes named *Config.
    for (_, (m, c)) in ctx.own_classes() {
        if c.name.ends_with("Config") || c.name.ends_with("Settings") {
            for (n, v, _, pos) in c.assignments() {
                if n.chars()
                    .all(|ch| ch.is_ascii_uppercase() || ch == '_' || ch.is_ascii_digit())
                {
                    config.entry(n.to_string()).or_insert((
                        m.path.clone(),
                        pos.line,
                        v.and_then(|v| v.as_str()).map(String::from),
                    ));
                }
            }
        }
    }
    for (name, (file, line, value)) in config {
        inv.settings.push(Setting {
            name,
            value,
            file,
            line,
        });
    }
    // Alembic / Flask-Migrate revision scripts, counted unread per directory.
    let mut dirs: BTreeMap<String, usize> = BTreeMap::new();
    for f in &ctx.project.python {
        if f.unread == Some(crate::unread::Unread::AlembicRevision)
            && let Some((dir, _)) = f.path.rsplit_once('/')
        {
            *dirs.entry(dir.to_string()).or_default() += 1;
        }
    }
    for (path, count) in dirs {
        inv.migrations.push(MigrationSet {
            tool: "alembic".into(),
            path,
            app: None,
            count,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hook registered inside a set-up function (`def setup(bp):
    /// @bp.url_value_preprocessor ...`) is only seen if the body is kept.
    #[test]
    fn every_hook_keeps_the_body_that_registers_it() {
        let triggers = crate::python::elide::BODY_TRIGGERS;
        for name in HOOKS.iter().chain(HOOK_CALLS.iter().map(|(call, _)| call)) {
            assert!(
                triggers.iter().any(|t| name.contains(t)),
                "{name} is in no BODY_TRIGGERS literal"
            );
        }
    }
}
