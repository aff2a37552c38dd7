//! Settings discovery: `DJANGO_SETTINGS_MODULE` from manage.py / wsgi.py / asgi.py
//! (or any module that sets it), else the settings-looking module that defines
//! `ROOT_URLCONF`; split settings packages work through `from .base import *`.

use super::eval::{Env, Evaluator, Val};
use crate::python::ir::{Expr, Stmt, walk_stmts};
use crate::scan::Project;
use std::rc::Rc;

pub struct Settings {
    pub module: Option<String>,
    pub env: Rc<Env>,
}

/// Module named by `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...")`.
fn declared(project: &Project) -> Vec<(u8, String)> {
    let mut found = Vec::new();
    for f in &project.files {
        let file = f.path.rsplit('/').next().unwrap_or(&f.path);
        let rank = match file {
            "manage.py" => 0,
            "wsgi.py" | "asgi.py" => 1,
            "celery.py" | "celery_app.py" => 2,
            _ => 3,
        };
        walk_stmts(&f.body, |s, _| {
            let exprs: Vec<&Expr> = match s {
                Stmt::Expr(e, _) => vec![e],
                Stmt::Assign {
                    targets,
                    value: Some(v),
                    ..
                } => {
                    // os.environ["DJANGO_SETTINGS_MODULE"] = "x"
                    if let (Some(Expr::Subscript(_, k)), Expr::Str(val)) = (targets.first(), v)
                        && k.as_str() == Some("DJANGO_SETTINGS_MODULE")
                    {
                        found.push((rank, val.to_string()));
                    }
                    vec![v]
                }
                _ => vec![],
            };
            for e in exprs {
                let mut calls = Vec::new();
                e.walk_calls(&mut calls);
                for c in calls {
                    if c.func.last_name() == Some("setdefault")
                        && c.args.first().and_then(|a| a.as_str()) == Some("DJANGO_SETTINGS_MODULE")
                        && let Some(v) = c.args.get(1).and_then(|a| a.as_str())
                    {
                        found.push((rank, v.to_string()));
                    }
                }
            }
        });
    }
    found.sort();
    found
}

fn defines(project: &Project, module: &str, name: &str) -> bool {
    project.module(module).is_some_and(|m| {
        m.body.iter().any(|s| match s {
            Stmt::Assign { targets, .. } => targets.iter().any(|t| t.as_name() == Some(name)),
            _ => false,
        })
    })
}

pub fn discover(project: &Project) -> Option<String> {
    for (_, m) in declared(project) {
        if project.module(&m).is_some() {
            return Some(m);
        }
    }
    // Fallback: a module called settings (or in a settings package) with ROOT_URLCONF.
    let mut cands: Vec<&str> = project
        .files
        .iter()
        .map(|f| f.module.as_str())
        .filter(|m| {
            let parts: Vec<&str> = m.split('.').collect();
            parts.contains(&"settings")
                && !parts.iter().any(|p| p.starts_with("test"))
                && (defines(project, m, "ROOT_URLCONF") || defines(project, m, "INSTALLED_APPS"))
        })
        .collect();
    cands.sort_by_key(|m| {
        (
            !defines(project, m, "ROOT_URLCONF"),
            m.split('.').count(),
            m.to_string(),
        )
    });
    cands.first().map(|s| s.to_string())
}

pub fn load(project: &Project, ev: &Evaluator) -> Settings {
    let module = discover(project);
    let env = module
        .as_deref()
        .and_then(|m| ev.env(m))
        .unwrap_or_default();
    *ev.settings.borrow_mut() = env.clone();
    Settings { module, env }
}

impl Settings {
    pub fn get(&self, name: &str) -> Option<&Val> {
        self.env.get(name)
    }
    pub fn str(&self, name: &str) -> Option<String> {
        self.get(name).and_then(|v| v.as_str().map(String::from))
    }
}
