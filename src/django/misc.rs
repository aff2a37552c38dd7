//! The rest of the Django surface: apps, settings that matter, auth (and its
//! attachment to routes), forms, templates, migrations, signals, management
//! commands and Django-only jobs (django.tasks, django-rq, django-q).

use super::apps::{AppInfo, app_of};
use super::settings::Settings;
use crate::inventory::{
    App, AuthItem, CallRef, Form, Inventory, Job, MigrationSet, Setting, Signal, Template,
};
use crate::python::Project;
use crate::python::SourceModule;
use crate::python::classes;
use crate::python::interp::Val;
use crate::python::ir::{ClassDef, Expr, FuncDef, Stmt, walk_stmts};
use std::collections::BTreeMap;

/// Settings worth showing in a migration inventory.
const SETTINGS: &[&str] = &[
    "ROOT_URLCONF",
    "AUTH_USER_MODEL",
    "AUTHENTICATION_BACKENDS",
    "MIDDLEWARE",
    "INSTALLED_APPS",
    "DATABASES",
    "DATABASE_ROUTERS",
    "TEMPLATES",
    "REST_FRAMEWORK",
    "CACHES",
    "SESSION_ENGINE",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "USE_TZ",
    "USE_I18N",
    "DEFAULT_AUTO_FIELD",
    "STATIC_URL",
    "MEDIA_URL",
    "LOGIN_URL",
    "LOGIN_REDIRECT_URL",
    "CELERY_BROKER_URL",
    "CELERY_BEAT_SCHEDULE",
    "TASKS",
    "Q_CLUSTER",
    "RQ_QUEUES",
    "HUEY",
    "SECRET_KEY",
    "DEBUG",
];

pub const AUTH_DECORATORS: &[&str] = &[
    "login_required",
    "permission_required",
    "user_passes_test",
    "staff_member_required",
    "superuser_required",
    "login_not_required",
    "permission_classes",
    "authentication_classes",
];

const AUTH_MIXINS: &[&str] = &[
    "LoginRequiredMixin",
    "PermissionRequiredMixin",
    "UserPassesTestMixin",
    "AccessMixin",
];

pub fn extract(project: &Project, settings: &Settings, apps: &[AppInfo], inv: &mut Inventory) {
    settings_items(project, settings, inv);
    auth_settings(project, settings, inv);
    per_file(project, apps, inv);
    attach_auth(project, settings, inv);
    app_list(apps, inv);
}

fn settings_file_line(project: &Project, settings: &Settings, name: &str) -> (String, u32) {
    let Some(module) = settings.module.as_deref() else {
        return (String::new(), 0);
    };
    // the settings module, then modules it star-imports (split settings)
    let mut order = vec![module.to_string()];
    let mut i = 0;
    while i < order.len() && i < 16 {
        if let Some(m) = project.module(&order[i]) {
            for s in &m.body {
                if let Stmt::Import(import, _) = s {
                    for n in import.names() {
                        if let crate::python::ir::ImportName::From {
                            module: src,
                            level,
                            name: star,
                            ..
                        } = n
                            && star == "*"
                        {
                            let abs = crate::python::modules::absolute_import(
                                &m.module,
                                m.is_package,
                                level,
                                src,
                            );
                            if !order.contains(&abs) {
                                order.push(abs);
                            }
                        }
                    }
                }
            }
        }
        i += 1;
    }
    for mname in &order {
        if let Some(m) = project.module(mname) {
            let mut found = None;
            walk_stmts(&m.body, |s, scope| {
                if !scope.is_empty() {
                    return;
                }
                match s {
                    Stmt::Assign { targets, pos, .. }
                        if targets.iter().any(|t| t.as_name() == Some(name)) =>
                    {
                        found = Some(pos.line)
                    }
                    _ => {}
                }
            });
            if let Some(line) = found {
                return (m.path.clone(), line);
            }
        }
    }
    (
        project
            .module(module)
            .map(|m| m.path.clone())
            .unwrap_or_default(),
        0,
    )
}

fn settings_items(project: &Project, settings: &Settings, inv: &mut Inventory) {
    for name in SETTINGS {
        let Some(v) = settings.get(name) else {
            continue;
        };
        let (file, line) = settings_file_line(project, settings, name);
        let value = if *name == "SECRET_KEY" {
            Some("<redacted>".into())
        } else if *name == "TEMPLATES" {
            v.items().map(|t| {
                t.iter()
                    .filter_map(|x| x.dict_get("BACKEND").and_then(|b| b.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        } else if *name == "DATABASES" {
            v.dict_get("default")
                .and_then(|d| d.dict_get("ENGINE"))
                .and_then(|e| e.as_str())
                .map(String::from)
                .or_else(|| v.render())
        } else {
            v.render()
        };
        inv.settings.push(Setting {
            name: name.to_string(),
            value,
            file,
            line,
        });
    }
}

fn auth_settings(project: &Project, settings: &Settings, inv: &mut Inventory) {
    let mut push =
        |system: &str, kind: &str, name: String, setting: &str, detail: Option<String>| {
            let (file, line) = settings_file_line(project, settings, setting);
            inv.auth.push(AuthItem {
                system: system.into(),
                kind: kind.into(),
                name,
                file,
                line,
                detail,
            });
        };
    if let Some(u) = settings.str("AUTH_USER_MODEL") {
        push(
            "django.contrib.auth",
            "user_model",
            u,
            "AUTH_USER_MODEL",
            None,
        );
    }
    if let Some(v) = settings.get("AUTHENTICATION_BACKENDS") {
        for b in v.strings() {
            let system = if b.starts_with("allauth") {
                "allauth"
            } else {
                "django.contrib.auth"
            };
            push(system, "backend", b, "AUTHENTICATION_BACKENDS", None);
        }
    }
    if let Some(v) = settings.get("MIDDLEWARE") {
        for m in v.strings() {
            let l = m.to_lowercase();
            if l.contains("auth")
                || l.contains("session")
                || l.contains("csrf")
                || l.contains("login")
            {
                let system = if l.starts_with("allauth") {
                    "allauth"
                } else {
                    "django.contrib.auth"
                };
                push(system, "middleware", m, "MIDDLEWARE", None);
            }
        }
    }
    if let Some(rf) = settings.get("REST_FRAMEWORK") {
        for key in [
            "DEFAULT_AUTHENTICATION_CLASSES",
            "DEFAULT_PERMISSION_CLASSES",
        ] {
            if let Some(v) = rf.dict_get(key) {
                for c in v.strings() {
                    push("drf", "setting", c, "REST_FRAMEWORK", Some(key.into()));
                }
            }
        }
    }
    if let Some(v) = settings.get("INSTALLED_APPS") {
        for a in v.strings().into_iter().filter(|a| a.starts_with("allauth")) {
            push("allauth", "app", a, "INSTALLED_APPS", None);
        }
    }
}

fn decorator_name(d: &Expr) -> Option<&str> {
    match d {
        Expr::Call(c) => c.func.last_name(),
        other => other.last_name(),
    }
}

fn call_of(d: &Expr) -> Option<&crate::python::ir::Call> {
    d.as_call()
}

fn per_file(project: &Project, apps: &[AppInfo], inv: &mut Inventory) {
    // Migration files are counted by path: the scan does not read them.
    let mut migrations: BTreeMap<String, (Option<String>, usize)> = BTreeMap::new();
    for f in &project.python {
        if f.unread != Some(crate::unread::Unread::DjangoMigration) {
            continue;
        }
        let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
        let app = app_of(apps, &f.module)
            .map(|a| a.label.clone())
            .or_else(|| {
                let parts: Vec<&str> = f.module.split('.').collect();
                (parts.len() >= 3).then(|| parts[parts.len() - 3].to_string())
            });
        migrations.entry(dir.to_string()).or_insert((app, 0)).1 += 1;
    }
    for m in &project.files {
        if let Some((dir, file)) = m.path.rsplit_once('/') {
            // management/commands/<name>.py
            if dir.ends_with("management/commands")
                && !file.starts_with('_')
                && m.body
                    .iter()
                    .any(|s| matches!(s, Stmt::Class(c) if c.name == "Command"))
            {
                let name = file.trim_end_matches(".py").to_string();
                inv.jobs.push(Job {
                    name,
                    kind: "management_command".into(),
                    function: Some(format!("{}.Command", m.module)),
                    file: m.path.clone(),
                    line: m
                        .body
                        .iter()
                        .find_map(|s| match s {
                            Stmt::Class(c) if c.name == "Command" => Some(c.pos.line),
                            _ => None,
                        })
                        .unwrap_or(1),
                    schedule: None,
                });
            }
        }
        for cs in &m.call_sites {
            if cs.kind.starts_with("django.") {
                if cs.kind == "django.template"
                    && let Some(a) = &cs.arg
                {
                    inv.templates.push(Template {
                        name: a.clone(),
                        file: m.path.clone(),
                        line: cs.line,
                        kind: "reference".into(),
                    });
                }
                inv.call_sites.push(CallRef {
                    kind: cs.kind.clone(),
                    target: cs.arg.clone(),
                    file: m.path.clone(),
                    line: cs.line,
                });
            }
        }
        walk_stmts(&m.body, |s, scope| match s {
            Stmt::Func(f) => func_items(project, m, f, scope, inv),
            Stmt::Class(c) if scope.is_empty() => class_items(project, m, c, inv),
            Stmt::Expr(Expr::Call(c), _) => {
                // signal.connect(handler, sender=...)
                if let Expr::Attr(base, a) = &c.func
                    && a == "connect"
                    && let Some(d) = base.dotted()
                {
                    let sig = project.resolver.resolve(&m.module, &d);
                    if sig.contains(".signals.") || sig.starts_with("django.") {
                        let handler = c
                            .arg(0, "receiver")
                            .and_then(|e| e.dotted())
                            .map(|h| project.resolver.resolve(&m.module, &h))
                            .unwrap_or_default();
                        inv.signals.push(Signal {
                            kind: "connect".into(),
                            name: handler,
                            target: Some(sig),
                            file: m.path.clone(),
                            line: c.pos.line,
                        });
                    }
                }
                // django-q: async_task("app.tasks.fn") / schedule("app.tasks.fn")
                if let Some(d) = c.func.dotted() {
                    let canonical = project.resolver.resolve(&m.module, &d);
                    if DJANGO_Q_CALLS.contains(&canonical.as_str())
                        && let Some(Expr::Str(target)) = c.args.first()
                    {
                        inv.jobs.push(Job {
                            name: target.to_string(),
                            kind: "django_q".into(),
                            function: Some(target.to_string()),
                            file: m.path.clone(),
                            line: c.pos.line,
                            schedule: canonical
                                .ends_with(".schedule")
                                .then(|| "schedule".to_string()),
                        });
                    }
                }
            }
            _ => {}
        });
    }
    for f in &project.templates {
        inv.templates.push(Template {
            name: f.clone(),
            file: f.clone(),
            line: 0,
            kind: "file".into(),
        });
    }
    for (path, (app, count)) in migrations {
        inv.migrations.push(MigrationSet {
            tool: "django".into(),
            path,
            app,
            count,
        });
    }
}

fn func_items(
    project: &Project,
    m: &SourceModule,
    f: &FuncDef,
    scope: &[&str],
    inv: &mut Inventory,
) {
    let qual = if scope.is_empty() {
        format!("{}.{}", m.module, f.name)
    } else {
        format!("{}.{}.{}", m.module, scope.join("."), f.name)
    };
    for d in &f.decorators {
        let func = match d {
            Expr::Call(c) => &c.func,
            o => o,
        };
        let Some(dotted) = func.dotted() else {
            continue;
        };
        let canonical = project.resolver.resolve(&m.module, &dotted);
        let last = canonical.rsplit('.').next().unwrap_or("");
        if canonical == "django.dispatch.receiver"
            || canonical == "django.dispatch.dispatcher.receiver"
        {
            let target = call_of(d).and_then(|c| c.args.first()).map(|e| match e {
                Expr::List(v) | Expr::Tuple(v) => v
                    .iter()
                    .filter_map(|x| x.dotted())
                    .map(|x| project.resolver.resolve(&m.module, &x))
                    .collect::<Vec<_>>()
                    .join(", "),
                o => o
                    .dotted()
                    .map(|x| project.resolver.resolve(&m.module, &x))
                    .unwrap_or_else(|| o.describe()),
            });
            inv.signals.push(Signal {
                kind: "receiver".into(),
                name: qual.clone(),
                target,
                file: m.path.clone(),
                line: f.pos.line,
            });
        }
        let job_kind = match canonical.as_str() {
            "django.tasks.task" | "django_tasks.task" => Some("django_tasks"),
            "django_rq.job" | "django_rq.decorators.job" => Some("rq"),
            c if c.starts_with("huey.contrib.djhuey.") && (last.ends_with("task")) => Some("huey"),
            _ => None,
        };
        if let Some(kind) = job_kind {
            inv.jobs.push(Job {
                name: qual.clone(),
                kind: kind.into(),
                function: Some(qual.clone()),
                file: m.path.clone(),
                line: f.pos.line,
                schedule: last
                    .starts_with("db_periodic")
                    .then(|| "periodic".into())
                    .or_else(|| (last == "periodic_task").then(|| "periodic".into())),
            });
        }
        if AUTH_DECORATORS.contains(&last)
            && (canonical.starts_with("django.") || canonical.starts_with("rest_framework."))
        {
            inv.auth.push(AuthItem {
                system: if canonical.starts_with("rest_framework") {
                    "drf".into()
                } else {
                    "django.contrib.auth".into()
                },
                kind: "decorator".into(),
                name: last.into(),
                file: m.path.clone(),
                line: f.pos.line,
                detail: Some(qual.clone()),
            });
        }
    }
}

fn form_kind(mro: &[String]) -> Option<&'static str> {
    for c in mro {
        let k = match c.as_str() {
            "django.forms.ModelForm" | "django.forms.models.ModelForm" => "django.ModelForm",
            "django.forms.Form" | "django.forms.forms.Form" => "django.Form",
            s if s.starts_with("rest_framework.serializers.") && s.ends_with("Serializer") => {
                "drf.Serializer"
            }
            _ => continue,
        };
        return Some(k);
    }
    None
}

fn class_items(project: &Project, m: &SourceModule, c: &ClassDef, inv: &mut Inventory) {
    let canonical = format!("{}.{}", m.module, c.name);
    let mro = classes::mro(project, &canonical);
    if let Some(kind) = form_kind(&mro) {
        let mut fields: Vec<String> = c
            .assignments()
            .filter(|(_, v, _, _)| {
                v.and_then(|v| v.as_call())
                    .and_then(|c| c.func.last_name())
                    .is_some_and(|n| n.ends_with("Field") || n.ends_with("Serializer"))
            })
            .map(|(n, _, _, _)| n.to_string())
            .collect();
        if let Some(meta) = c.inner_class("Meta")
            && let Some(v) = meta.attr("fields")
        {
            match v {
                Expr::Str(s) => fields.push(s.to_string()),
                o => fields.extend(
                    o.elements()
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|x| x.as_str().map(String::from)),
                ),
            }
        }
        fields.dedup();
        inv.forms.push(Form {
            name: c.name.to_string(),
            module: m.module.clone(),
            kind: kind.into(),
            fields,
            file: m.path.clone(),
            line: c.pos.line,
        });
    }
    if let Some(Expr::Str(t)) = c.attr("template_name") {
        inv.templates.push(Template {
            name: t.to_string(),
            file: m.path.clone(),
            line: c.pos.line,
            kind: "reference".into(),
        });
    }
    for b in classes::bases(&project.resolver, m, c) {
        let last = b.rsplit('.').next().unwrap_or("");
        if AUTH_MIXINS.contains(&last) && b.starts_with("django.") {
            inv.auth.push(AuthItem {
                system: "django.contrib.auth".into(),
                kind: "mixin".into(),
                name: last.into(),
                file: m.path.clone(),
                line: c.pos.line,
                detail: Some(canonical.clone()),
            });
        }
    }
    for key in ["permission_classes", "authentication_classes"] {
        if let Some(v) = c.attr(key) {
            inv.auth.push(AuthItem {
                system: "drf".into(),
                kind: key.into(),
                name: class_names(v).join(", "),
                file: m.path.clone(),
                line: c.pos.line,
                detail: Some(canonical.clone()),
            });
        }
    }
}

fn class_names(v: &Expr) -> Vec<String> {
    match v {
        Expr::List(x) | Expr::Tuple(x) => x.iter().flat_map(class_names).collect(),
        Expr::BinOp(l, op, r) => vec![format!(
            "{} {op} {}",
            class_names(l).join(","),
            class_names(r).join(",")
        )],
        Expr::Call(c) => class_names(&c.func),
        o => o.last_name().map(String::from).into_iter().collect(),
    }
}

/// django-q's functions that queue or schedule a task named by its dotted path.
const DJANGO_Q_CALLS: &[&str] = &[
    "django_q.tasks.async_task",
    "django_q.tasks.async_iter",
    "django_q.tasks.async_chain",
    "django_q.tasks.schedule",
];

/// Auth requirements of each route's view: decorators, mixins, method_decorator,
/// DRF permission classes (or the REST_FRAMEWORK default).
fn attach_auth(project: &Project, settings: &Settings, inv: &mut Inventory) {
    let drf_default: Vec<String> = settings
        .get("REST_FRAMEWORK")
        .and_then(|rf| rf.dict_get("DEFAULT_PERMISSION_CLASSES"))
        .map(|v: &Val| {
            v.strings()
                .iter()
                .map(|s| s.rsplit('.').next().unwrap_or(s).to_string())
                .collect()
        })
        .unwrap_or_default();
    let mut cache: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in inv.routes.iter_mut() {
        let Some(view) = r.view.clone() else { continue };
        let auth = cache
            .entry(view.clone())
            .or_insert_with(|| view_auth(project, &view, &drf_default))
            .clone();
        for a in auth {
            if !r.auth.contains(&a) {
                r.auth.push(a);
            }
        }
        r.permissions = view_permissions(project, &view);
    }
}

/// The permission names a function view's `permission_required(...)` names literally.
fn view_permissions(project: &Project, view: &str) -> Vec<String> {
    let Some((f, _)) = project.function(view) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in f.decorators.iter().filter_map(call_of) {
        if c.func.last_name() != Some("permission_required") {
            continue;
        }
        match c.arg(0, "perm") {
            Some(Expr::Str(p)) => out.push(p.to_string()),
            Some(e) => out.extend(
                e.elements()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|x| x.as_str().map(String::from)),
            ),
            None => {}
        }
    }
    out
}

fn view_auth(project: &Project, view: &str, drf_default: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((f, _)) = project.function(view) {
        for d in &f.decorators {
            if let Some(n) = decorator_name(d)
                && AUTH_DECORATORS.contains(&n)
            {
                match (n, call_of(d)) {
                    ("permission_classes", Some(c)) => {
                        out.extend(c.args.iter().flat_map(class_names))
                    }
                    _ => out.push(n.to_string()),
                }
            }
        }
        return out;
    }
    if classes::find(project, view).is_none() {
        return out;
    }
    let mro = classes::mro(project, view);
    let mut is_drf = false;
    for c in &mro {
        let last = c.rsplit('.').next().unwrap_or("");
        if AUTH_MIXINS.contains(&last) && c.starts_with("django.") {
            out.push(last.to_string());
        }
        if c.starts_with("rest_framework.") {
            is_drf = true;
        }
        if let Some((_, cd)) = classes::find(project, c) {
            for d in &cd.decorators {
                if let Some(call) = d.as_call()
                    && call.func.last_name() == Some("method_decorator")
                {
                    let mut inner = Vec::new();
                    if let Some(a) = call.args.first() {
                        a.walk_calls(&mut inner);
                        let names: Vec<String> = match a {
                            Expr::List(v) | Expr::Tuple(v) => v
                                .iter()
                                .filter_map(|x| decorator_name(x).map(String::from))
                                .collect(),
                            o => decorator_name(o).map(String::from).into_iter().collect(),
                        };
                        out.extend(
                            names
                                .into_iter()
                                .filter(|n| AUTH_DECORATORS.contains(&n.as_str())),
                        );
                    }
                }
            }
        }
    }
    if is_drf {
        match classes::attr(project, view, "permission_classes") {
            Some((v, _)) => out.extend(class_names(v)),
            None => out.extend(drf_default.iter().cloned()),
        }
    }
    out.dedup();
    out
}

fn app_list(apps: &[AppInfo], inv: &mut Inventory) {
    for a in apps {
        let models = inv
            .models
            .iter()
            .filter(|m| !m.r#abstract && m.app_label.as_deref() == Some(&a.label))
            .count();
        let routes = inv
            .routes
            .iter()
            .filter(|r| {
                r.view
                    .as_deref()
                    .is_some_and(|v| v.starts_with(&format!("{}.", a.module)))
            })
            .count();
        inv.apps.push(App {
            name: a.label.clone(),
            module: Some(a.module.clone()),
            own: a.own,
            models,
            routes,
            default_auto_field: a.default_auto_field.clone(),
        });
    }
}
