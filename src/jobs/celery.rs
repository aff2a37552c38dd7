//! Celery: tasks declared with `@app.task`, `@shared_task` or the old
//! `@periodic_task`, and beat schedules wherever they are configured.

use super::Ctx;
use crate::inventory::{Inventory, Job};
use crate::python::SourceModule;
use crate::python::ir::{Expr, Stmt, walk_stmts};
use crate::python::scope::{self, Scope};
use rayon::prelude::*;

const SHARED_TASK: &[&str] = &[
    "celery.shared_task",
    "celery.app.shared_task",
    "celery.decorators.task",
    "celery.task",
];
const PERIODIC_TASK: &[&str] = &[
    "celery.decorators.periodic_task",
    "celery.task.periodic_task",
];
const SCHEDULE_SETTINGS: &[&str] = &[
    "beat_schedule",
    "CELERYBEAT_SCHEDULE",
    "CELERY_BEAT_SCHEDULE",
];

pub fn extract(ctx: &Ctx, inv: &mut Inventory) {
    // Files are independent: walked in parallel, collected in file order.
    let per_file: Vec<FileTasks> = ctx
        .project
        .files
        .par_iter()
        .map(|f| file_tasks(ctx, f))
        .collect();
    let mut schedules: Vec<(String, String)> = Vec::new();
    for (jobs, s) in per_file {
        inv.jobs.extend(jobs);
        schedules.extend(s);
    }
    subclass_tasks(ctx, inv);
    for (task, schedule) in schedules {
        match inv
            .jobs
            .iter_mut()
            .find(|j| j.kind == "celery" && j.name == task)
        {
            Some(j) => j.schedule = Some(schedule),
            None => inv.jobs.push(Job {
                name: task,
                kind: "celery_beat".into(),
                schedule: Some(schedule),
                ..Default::default()
            }),
        }
    }
}

/// One file's tasks and beat schedule entries (task name, schedule).
type FileTasks = (Vec<Job>, Vec<(String, String)>);

fn file_tasks(ctx: &Ctx, f: &SourceModule) -> FileTasks {
    let (mut jobs, mut schedules) = (Vec::new(), Vec::new());
    scope::walk(
        f,
        &ctx.project.resolver,
        ctx.values,
        &mut |stmt, sc| match stmt {
            Stmt::Func(func) => {
                for d in &func.decorators {
                    if let Some(job) = task(ctx, sc, d, &func.name) {
                        jobs.push(Job {
                            function: Some(format!("{}.{}", f.module, sc.qualname(&func.name))),
                            file: f.path.clone(),
                            line: func.pos.line,
                            ..job
                        });
                    }
                }
            }
            Stmt::Assign {
                targets,
                value: Some(v),
                ..
            } => {
                for t in targets {
                    let name = match t {
                        Expr::Name(n) => n.as_str(),
                        Expr::Attr(_, a) => a.as_str(),
                        _ => continue,
                    };
                    if SCHEDULE_SETTINGS.contains(&name) {
                        schedules.extend(beat_entries(v));
                    }
                }
            }
            Stmt::Expr(Expr::Call(c), _) => {
                // app.conf.update(beat_schedule={...})
                if let Some(v) = c.kwarg("beat_schedule") {
                    schedules.extend(beat_entries(v));
                }
            }
            _ => {}
        },
    );
    (jobs, schedules)
}

/// `cls.run = app.task(...)(run)` in a class's `__init_subclass__`: every
/// subclass in scanned code registers its own task, `module.Subclass.run`.
fn subclass_tasks(ctx: &Ctx, inv: &mut Inventory) {
    let resolver = &ctx.project.resolver;
    let classes = ctx.classes;
    let mut hooks: Vec<(String, String, String, u32)> = Vec::new();
    for (id, (m, cd)) in classes.iter() {
        for f in cd.methods().filter(|f| f.name == "__init_subclass__") {
            let Some(cls) = f.params.first() else {
                continue;
            };
            let sc = Scope::module_scope(m);
            walk_stmts(&f.body, |s, _| {
                let Stmt::Assign {
                    targets,
                    value: Some(Expr::Call(outer)),
                    ..
                } = s
                else {
                    return;
                };
                for t in targets {
                    if let Expr::Attr(b, attr) = t
                        && b.as_name() == Some(cls.as_str())
                        && let Some(job) = task(ctx, &sc, &outer.func, attr)
                        // a constant name would be one task registered again and again
                        && job.name == format!("{}.{attr}", m.module)
                    {
                        hooks.push((id.clone(), attr.to_string(), m.path.clone(), f.pos.line));
                    }
                }
            });
        }
    }
    if hooks.is_empty() {
        return;
    }
    let mut ids: Vec<&String> = classes.iter().map(|(id, _)| id).collect();
    ids.sort();
    for sub in ids {
        let anc = classes.ancestors(resolver, sub);
        for (base, attr, file, line) in &hooks {
            if anc.contains(base) {
                let name = format!("{sub}.{attr}");
                if inv.jobs.iter().any(|j| j.name == name) {
                    continue;
                }
                inv.jobs.push(Job {
                    name: name.clone(),
                    kind: "celery".into(),
                    function: Some(name),
                    file: file.clone(),
                    line: *line,
                    ..Default::default()
                });
            }
        }
    }
}

/// A Celery task decorator on function `fname`, as a job without location.
fn task(ctx: &Ctx, sc: &Scope, d: &Expr, fname: &str) -> Option<Job> {
    let (callee, call) = match d {
        Expr::Call(c) => (&c.func, Some(c.as_ref())),
        e => (e, None),
    };
    let id = ctx
        .resolve(sc, callee)
        .map(|id| ctx.values.follow_aliases(&ctx.project.resolver, id));
    let is_shared = id.as_deref().is_some_and(|i| SHARED_TASK.contains(&i));
    let is_periodic = id.as_deref().is_some_and(|i| PERIODIC_TASK.contains(&i));
    let on_app = match callee {
        Expr::Attr(recv, m) if m == "task" => {
            ctx.instance_of(sc, recv)
                .is_some_and(|k| k.starts_with("celery."))
                || ctx.resolve(sc, recv).as_deref() == Some("celery.current_app")
        }
        _ => false,
    };
    if !(is_shared || is_periodic || on_app) {
        return wrapped_task(ctx, sc, callee, call, fname, 0);
    }
    let explicit = call
        .and_then(|c| c.kwarg("name"))
        .and_then(|e| scope::const_str(sc, &ctx.project.resolver, ctx.values, e).ok());
    let schedule = if is_periodic {
        call.and_then(|c| c.kwarg("run_every"))
            .map(|e| e.describe())
    } else {
        None
    };
    Some(Job {
        name: explicit.unwrap_or_else(|| format!("{}.{fname}", sc.module.module)),
        kind: "celery".into(),
        schedule,
        ..Default::default()
    })
}

/// A decorator of the project's that makes a Celery task decorator: a function returning a
/// call `task` recognises, through up to three such wrappers (udata's `def job(name): return
/// task(name=name, bind=True)` over `def task(*args, **kwargs): return celery.task(*args,
/// **kwargs)`). The task's `name=` is followed through the wrappers' parameters and
/// `**kwargs`; without one the task is named after the decorated function, as Celery names it.
fn wrapped_task(
    ctx: &Ctx,
    sc: &Scope,
    callee: &Expr,
    call: Option<&crate::python::ir::Call>,
    fname: &str,
    depth: usize,
) -> Option<Job> {
    if depth > 2 {
        return None;
    }
    let id = ctx.resolve(sc, callee)?;
    let (fd, m) = ctx.project.function(&id)?;
    // a body the pre-filter blanked holds no task call (`task` keeps the body of one)
    if fd.elided {
        return None;
    }
    let body = &fd.body;
    // the name this call gives: `name="x"`, or its value for a parameter
    let given = call.and_then(|c| {
        c.kwarg("name")
            .or_else(|| {
                let i = fd.params.iter().position(|p| p.as_str() == "name")?;
                c.args.get(i)
            })
            .and_then(|e| scope::const_str(sc, &ctx.project.resolver, ctx.values, e).ok())
    });
    let inner = Scope::module_scope(m);
    let mut found = None;
    walk_stmts(body, |s, scope| {
        let Stmt::Return(Some(Expr::Call(rc)), _) = s else {
            return;
        };
        if found.is_some() || !scope.is_empty() {
            return;
        }
        let d = Expr::Call(rc.clone());
        let job = task(ctx, &inner, &d, fname)
            .or_else(|| wrapped_task(ctx, &inner, &rc.func, Some(rc), fname, depth + 1));
        found = job.map(|j| {
            // `name=name` names a parameter: the value this call gave it; `**kwargs` passes
            // it on unchanged
            let passed = match rc.kwarg("name") {
                Some(Expr::Name(p)) if fd.params.iter().any(|q| q == p) => given.clone(),
                Some(_) => Some(j.name.clone()),
                None if rc.kwargs_splat.is_some() => given.clone(),
                None => None,
            };
            Job {
                name: passed.unwrap_or_else(|| format!("{}.{fname}", sc.module.module)),
                ..j
            }
        });
    });
    found
}

/// `{"name": {"task": "pkg.tasks.x", "schedule": crontab(...)}}` entries.
fn beat_entries(v: &Expr) -> Vec<(String, String)> {
    let Expr::Dict(entries) = v else {
        return vec![];
    };
    entries
        .iter()
        .filter_map(|(_, entry)| {
            let Expr::Dict(fields) = entry else {
                return None;
            };
            let get = |k: &str| {
                fields
                    .iter()
                    .find(|(key, _)| key.as_str() == Some(k))
                    .map(|(_, v)| v)
            };
            let task = get("task")?.as_str()?.to_string();
            let schedule = get("schedule")
                .map(|s| s.describe())
                .unwrap_or_else(|| "?".into());
            Some((task, schedule))
        })
        .collect()
}
