//! Background jobs, whichever framework runs them: Celery (tasks, beat
//! schedules), RQ, Dramatiq, Huey, APScheduler, and Flask CLI commands.
//! Job names are the names the queue registers (Celery: `module.function`
//! unless `name=` says otherwise).

mod celery;
mod queues;

use crate::inventory::Inventory;
use crate::python::Project;
use crate::python::classes::ClassIndex;
use crate::python::ir::{Expr, Stmt};
use crate::python::scope::{self, ModuleValues, Scope};
use crate::python::{Shared, SourceModule};
use rayon::prelude::*;
use std::collections::BTreeMap;

pub(crate) struct Ctx<'p> {
    pub project: &'p Project,
    pub classes: &'p ClassIndex<'p>,
    pub values: &'p ModuleValues<'p>,
    /// Instances of job-queue classes: id -> constructor's canonical name.
    pub instances: BTreeMap<String, String>,
}

impl Ctx<'_> {
    /// The constructor of the object an expression denotes, if it is a known instance.
    pub fn instance_of(&self, sc: &Scope, e: &Expr) -> Option<&str> {
        let id = sc.resolve(&self.project.resolver, e)?;
        self.instances.get(&id).map(String::as_str)
    }

    /// Canonical name of what an expression denotes.
    pub fn resolve(&self, sc: &Scope, e: &Expr) -> Option<String> {
        sc.resolve(&self.project.resolver, e)
    }
}

/// `name = Queue(...)` in one file: (object id, the job class it instantiates).
/// A call of a project function that builds and returns one counts too
/// (`celery = create_celery_app()`).
fn queue_instances(
    project: &Project,
    classes: &ClassIndex,
    values: &ModuleValues,
    f: &SourceModule,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    scope::walk(f, &project.resolver, values, &mut |stmt, sc| {
        let Stmt::Assign {
            targets,
            value: Some(Expr::Call(c)),
            ..
        } = stmt
        else {
            return;
        };
        let Some(Expr::Name(name)) = targets.first() else {
            return;
        };
        let Some(ctor) = sc.resolve(&project.resolver, &c.func) else {
            return;
        };
        let known = queue_class(project, classes, &ctor).or_else(|| {
            factory_product(project, &ctor).and_then(|p| queue_class(project, classes, &p))
        });
        if let Some(k) = known {
            out.push((sc.object_id(name), k.to_string()));
        }
    });
    out
}

/// Library names that make an instance of a job class, with that class, where the scanned
/// code cannot show it: subclasses whose bases are outside it (flask-celery-helper's
/// `flask_celery.Celery(celery.Celery)`, which faradaysec uses), and Celery's function
/// returning the current app (`celery.app.app_or_default()`, which wooey declares its
/// tasks on).
const LIBRARY_PRODUCTS: &[(&str, &str)] = &[
    ("flask_celery.Celery", "celery.Celery"),
    ("celery.app.app_or_default", "celery.Celery"),
];

/// The job class `ctor` is or derives from.
fn queue_class(project: &Project, classes: &ClassIndex, ctor: &str) -> Option<&'static str> {
    let known = |id: &str| {
        QUEUE_CLASSES
            .iter()
            .copied()
            .find(|k| *k == id)
            .or_else(|| {
                LIBRARY_PRODUCTS
                    .iter()
                    .find(|(sub, _)| *sub == id)
                    .map(|(_, base)| *base)
            })
    };
    known(ctor).or_else(|| {
        classes
            .ancestors(&project.resolver, ctor)
            .iter()
            .find_map(|a| known(a))
    })
}

/// The class whose instance a project function returns, when it builds it
/// itself: `return Celery(...)`, or `c = Celery(...)` ... `return c`.
fn factory_product(project: &Project, function: &str) -> Option<String> {
    let (def, m) = project.function(function)?;
    scope::returned_callees(&project.resolver, m, def).next()?.1
}

/// Classes whose instances run jobs, by canonical name (subclasses count too).
const QUEUE_CLASSES: &[&str] = &[
    "celery.Celery",
    "celery.app.Celery",
    "celery.app.base.Celery",
    "huey.Huey",
    "huey.RedisHuey",
    "huey.SqliteHuey",
    "huey.MemoryHuey",
    "huey.PriorityRedisHuey",
    "flask_rq2.RQ",
    "rq.Queue",
    // Flask-Script's command registry (`python manage.py <command>`)
    "flask_script.Manager",
    "flask_apscheduler.APScheduler",
    "apscheduler.schedulers.background.BackgroundScheduler",
    "apscheduler.schedulers.blocking.BlockingScheduler",
    "apscheduler.schedulers.asyncio.AsyncIOScheduler",
];

pub fn extract<'p>(project: &'p Project, shared: &'p Shared<'p>, inv: &mut Inventory) {
    let (classes, values) = (&shared.classes, &shared.values);
    // Files are independent: walked in parallel, merged in file order.
    let per_file: Vec<Vec<(String, String)>> = project
        .files
        .par_iter()
        .map(|f| queue_instances(project, classes, values, f))
        .collect();
    let instances: BTreeMap<String, String> = per_file.into_iter().flatten().collect();
    let ctx = Ctx {
        project,
        classes,
        values,
        instances,
    };
    celery::extract(&ctx, inv);
    queues::extract(&ctx, inv);
}
