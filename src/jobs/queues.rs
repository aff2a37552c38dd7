//! The other job systems: RQ, Dramatiq, Huey, APScheduler, and Flask CLI
//! commands (jobs in disguise: cron runs them).

use super::Ctx;
use crate::inventory::{Inventory, Job};
use crate::python::SourceModule;
use crate::python::ir::{Call, Expr, Stmt};
use crate::python::scope::{self, Scope};
use rayon::prelude::*;

pub fn extract(ctx: &Ctx, inv: &mut Inventory) {
    // Files are independent: walked in parallel, collected in file order.
    let per_file: Vec<Vec<Job>> = ctx
        .project
        .files
        .par_iter()
        .map(|f| file_jobs(ctx, f))
        .collect();
    inv.jobs.extend(per_file.into_iter().flatten());
}

fn file_jobs(ctx: &Ctx, f: &SourceModule) -> Vec<Job> {
    let mut jobs = Vec::new();
    scope::walk(f, &ctx.project.resolver, ctx.values, &mut |stmt, sc| {
        if let Stmt::Func(func) = stmt
            && !func.decorators.is_empty()
        {
            let function = format!("{}.{}", f.module, sc.qualname(&func.name));
            for d in &func.decorators {
                if let Some((kind, name, schedule)) = decorated(ctx, sc, d, &func.name, &function)
                    // stacked decorators of one command (`@manager.option` per option)
                    && !jobs.iter().any(|j: &Job| {
                        j.line == func.pos.line && j.kind == kind && j.name == name
                    })
                {
                    jobs.push(Job {
                        name,
                        kind: kind.into(),
                        function: Some(function.clone()),
                        file: f.path.clone(),
                        line: func.pos.line,
                        schedule,
                    });
                }
            }
        }
        for c in stmt.calls() {
            if let Some((kind, name, schedule)) = call_job(ctx, sc, c) {
                jobs.push(Job {
                    name: name.clone(),
                    kind: kind.into(),
                    function: Some(name),
                    file: f.path.clone(),
                    line: c.pos.line,
                    schedule,
                });
            }
        }
    });
    jobs
}

type Found = (&'static str, String, Option<String>);

fn decorated(ctx: &Ctx, sc: &Scope, d: &Expr, fname: &str, function: &str) -> Option<Found> {
    let (callee, call) = match d {
        Expr::Call(c) => (&c.func, Some(c.as_ref())),
        e => (e, None),
    };
    let id = ctx.resolve(sc, callee).unwrap_or_default();
    let kw_str = |k: &str| {
        call.and_then(|c| c.kwarg(k))
            .and_then(|e| e.as_str())
            .map(String::from)
    };
    let first_str = || {
        call.and_then(|c| c.args.first())
            .and_then(|e| e.as_str())
            .map(String::from)
    };
    match id.as_str() {
        "rq.decorators.job" | "rq.job" | "django_rq.job" => {
            return Some(("rq", function.into(), None));
        }
        "dramatiq.actor" | "dramatiq.actor.actor" | "remoulade.actor" => {
            return Some((
                "dramatiq",
                kw_str("actor_name").unwrap_or_else(|| fname.into()),
                None,
            ));
        }
        "huey.contrib.djhuey.task" | "huey.contrib.djhuey.db_task" => {
            return Some(("huey", function.into(), None));
        }
        "huey.contrib.djhuey.periodic_task" | "huey.contrib.djhuey.db_periodic_task" => {
            return Some((
                "huey",
                function.into(),
                call.and_then(|c| c.args.first()).map(|e| e.describe()),
            ));
        }
        _ => {}
    }
    let Expr::Attr(recv, method) = callee else {
        return None;
    };
    if let Some(kind) = ctx.instance_of(sc, recv) {
        let sched = call.map(schedule_text);
        return match (kind, method.as_str()) {
            (k, "task" | "db_task") if k.starts_with("huey.") => {
                Some(("huey", function.into(), None))
            }
            (k, "periodic_task" | "db_periodic_task") if k.starts_with("huey.") => {
                Some(("huey", function.into(), sched))
            }
            ("flask_rq2.RQ", "job") => Some(("rq", function.into(), None)),
            // `@manager.shell` makes the `shell` command's context
            ("flask_script.Manager", "shell") => Some(("flask_cli", "shell".into(), None)),
            // Flask-Script: `@manager.command`, `@manager.option(...)` (stacked, one per
            // option); the command is named after the function
            ("flask_script.Manager", "command" | "option") => Some((
                "flask_cli",
                kw_str("name").unwrap_or_else(|| fname.into()),
                None,
            )),
            (k, "task" | "scheduled_job") if k.contains("apscheduler") => Some((
                "apscheduler",
                kw_str("id").unwrap_or_else(|| function.into()),
                sched,
            )),
            _ => None,
        };
    }
    // Flask CLI: @app.cli.command("name") / @bp.cli.command() / Flask-Script @manager.command
    if let Expr::Attr(_, cli) = recv.as_ref()
        && cli == "cli"
        && (method == "command" || method == "group")
    {
        let name = first_str()
            .or_else(|| kw_str("name"))
            .unwrap_or_else(|| fname.replace('_', "-"));
        return Some(("flask_cli", name, None));
    }
    None
}

fn schedule_text(c: &Call) -> String {
    let mut parts: Vec<String> = c.args.iter().map(|a| a.describe()).collect();
    parts.extend(
        c.kwargs
            .iter()
            .filter(|(k, _)| k != "id" && k != "func")
            .map(|(k, v)| format!("{k}={}", v.describe())),
    );
    parts.join(", ")
}

/// `queue.enqueue(fn, ...)` (RQ) and `scheduler.add_job(fn, trigger, ...)` (APScheduler).
fn call_job(ctx: &Ctx, sc: &Scope, c: &Call) -> Option<Found> {
    let Expr::Attr(recv, method) = &c.func else {
        return None;
    };
    let target = |e: &Expr| -> Option<String> {
        e.as_str().map(String::from).or_else(|| {
            let id = ctx.resolve(sc, e)?;
            // Only functions we can see: anything else is not a job of this repository.
            is_project_name(ctx, &id).then_some(id)
        })
    };
    match method.as_str() {
        "enqueue" | "enqueue_call" | "enqueue_in" | "enqueue_at" => {
            let arg = match method.as_str() {
                "enqueue_in" | "enqueue_at" => c.args.get(1),
                "enqueue_call" => c.arg(0, "func"),
                _ => c.args.first(),
            }?;
            let is_queue = ctx.instance_of(sc, recv).is_some_and(|k| k.contains("rq"))
                || ctx.resolve(sc, recv).is_none()
                || recv
                    .last_name()
                    .is_some_and(|n| n.to_ascii_lowercase().contains('q'));
            is_queue
                .then(|| target(arg))
                .flatten()
                .map(|t| ("rq", t, None))
        }
        "add_job" => {
            let is_sched = ctx
                .instance_of(sc, recv)
                .is_some_and(|k| k.contains("apscheduler"));
            if !is_sched {
                return None;
            }
            let t = target(c.arg(0, "func")?)?;
            Some((
                "apscheduler",
                c.kwarg("id")
                    .and_then(|e| e.as_str())
                    .map(String::from)
                    .unwrap_or(t),
                Some(schedule_text(c)),
            ))
        }
        // Flask-Script: `manager.add_command("name", command)` on a manager of the
        // project, or under Flask-Migrate's `db` group (`MigrateCommand.add_command`).
        // A command object a library made whole (`MigrateCommand` itself) is that
        // library's to replace, not a command the project wrote.
        "add_command"
            if ctx.instance_of(sc, recv) == Some("flask_script.Manager")
                || ctx
                    .resolve(sc, recv)
                    .is_some_and(|r| r.starts_with("flask_migrate.")) =>
        {
            let command = c.arg(1, "command")?;
            let library_object = !matches!(command, Expr::Call(_))
                && ctx
                    .resolve(sc, command)
                    .is_some_and(|id| !is_project_name(ctx, &id));
            if library_object {
                return None;
            }
            c.arg(0, "name")
                .and_then(|e| e.as_str())
                .map(|n| ("flask_cli", n.to_string(), None))
        }
        // `app.cli.add_command(cmd)` / `bp.cli.add_command(cmd, name="x")`: a Click command
        // defined with `@click.command` and registered on the Flask CLI later.
        "add_command" if matches!(recv.as_ref(), Expr::Attr(_, cli) if cli == "cli") => {
            let name = c
                .kwarg("name")
                .and_then(|e| e.as_str())
                .map(String::from)
                .or_else(|| c.args.get(1).and_then(|e| e.as_str()).map(String::from))
                .or_else(|| c.args.first().and_then(|e| e.last_name()).map(String::from))?;
            Some(("flask_cli", name, None))
        }
        _ => None,
    }
}

fn is_project_name(ctx: &Ctx, id: &str) -> bool {
    // a name in a module of the scan (the id itself is not a module)
    id.rsplit_once('.')
        .is_some_and(|(m, _)| ctx.project.owns(m))
}
