//! Flask: apps, blueprints and REST extensions, routes composed exactly as Flask
//! registers them, SQLAlchemy models, auth, and the rest of the inventory.
//!
//! `objects` finds what each name is (an app, a blueprint, an Api...),
//! `routes` collects declarations and composes full rules, `models` reads
//! SQLAlchemy declarative classes, `auth` and `misc` the remaining surface.

mod admin;
mod appbuilder;
mod appbuilder_views;
pub(crate) mod auth;
mod builtins;
mod classy;
mod config;
mod connexion;
mod converters;
mod misc;
mod models;
mod objects;
mod restful;
mod routes;
pub mod rule;
mod scratch;
mod smorest;

pub use objects::FLASK_PACKAGES;
mod startup;

use crate::inventory::Inventory;
use crate::python::Project;
use crate::python::classes::ClassIndex;
use crate::python::ir::{ClassDef, Expr, FuncDef, Stmt, walk_stmts};
use crate::python::reach::Reach;
use crate::python::scope::ModuleValues;
use crate::python::{Shared, SourceModule, links};
use rustc_hash::FxHashSet as HashSet;

/// Shared lookups for one extraction run.
pub(crate) struct Ctx<'p> {
    pub project: &'p Project,
    /// The files linked to a Flask module (see `python::links::linked_to`):
    /// in a scan that also holds unrelated code, the rest is not Flask's.
    pub files: Vec<&'p SourceModule>,
    /// The modules of `files`.
    pub modules: HashSet<&'p str>,
    pub classes: &'p ClassIndex<'p>,
    pub values: &'p ModuleValues<'p>,
    /// Modules that import Flask or a Flask extension.
    pub flask_modules: HashSet<String>,
    /// Functions that run when the app starts (module code, factories, their callees).
    pub reach: Reach,
}

impl<'p> Ctx<'p> {
    /// The classes defined in `files`.
    pub fn own_classes(
        &self,
    ) -> impl Iterator<Item = (&'p String, &'p (&'p SourceModule, &'p ClassDef))> + '_ {
        self.classes
            .iter()
            .filter(|(_, (m, _))| self.modules.contains(m.module.as_str()))
    }
}

/// What a module names from installed packages that the Flask side reads (see
/// `python::mount`): the column types of its SQLAlchemy models. `imported`: the module's
/// imports (`mount::imported_names`).
pub fn library_modules(
    m: &SourceModule,
    imported: &rustc_hash::FxHashMap<String, String>,
) -> Vec<crate::python::mount::Wanted> {
    models::column_types(m, imported)
}

pub fn extract<'p>(project: &'p Project, shared: &'p Shared<'p>, inv: &mut Inventory) {
    let flask_modules: HashSet<String> = project
        .files
        .iter()
        .filter(|f| objects::imports_flask(f))
        .map(|f| f.module.clone())
        .collect();
    if flask_modules.is_empty() {
        return;
    }
    let (classes, values) = (&shared.classes, &shared.values);
    let linked = links::linked_to(
        &project.files,
        &project.resolver,
        &project.module_ids,
        &|f| flask_modules.contains(&f.module),
    );
    let files: Vec<&SourceModule> = project
        .files
        .iter()
        .zip(linked)
        .filter_map(|(f, keep)| keep.then_some(f))
        .collect();
    let factory = Factory {
        project,
        classes,
        values,
    };
    let launchers = Launchers::new(&factory, &files);
    let reach = Reach::compute(
        &files,
        &project.resolver,
        values,
        &|stmt, sc| is_app_factory_stmt(&factory, stmt, sc),
        &|m, def| launchers.root(m, def),
    );
    let ctx = Ctx {
        project,
        modules: files.iter().map(|f| f.module.as_str()).collect(),
        files,
        classes,
        values,
        flask_modules,
        reach,
    };
    let objs = objects::collect(&ctx);
    routes::extract(&ctx, &objs, inv);
    models::extract(&ctx, &objs, inv);
    auth::extract(&ctx, &objs, inv);
    misc::extract(&ctx, &objs, inv);
    admin::extract(&ctx, &objs, inv);
    converters::extract(&ctx, inv);
}

/// Flask runs an app factory itself (`flask --app pkg`, `create_app`/`make_app`
/// by name), so a function that constructs the app is a start-up root, and
/// so is one that sets up and returns the module's app (`def build(cfg):
/// ... return app`, handed to a WSGI server by a launcher). So is the
/// launcher itself: a function that takes its app from such a factory
/// (`def main(): app = create_app(); app.register_blueprint(web); app.run()`,
/// a console script's entry point, often outside the scanned package).
fn is_app_factory_stmt(factory: &Factory, stmt: &Stmt, sc: &crate::python::scope::Scope) -> bool {
    let project = factory.project;
    let resolver = &project.resolver;
    // a new app anywhere in the statement: bound, returned, or handed straight to
    // another call (`return prepare_app(KnowledgeFlask(self))`, `MyFlask().run()`)
    let makes_app = || {
        stmt.calls().iter().any(|c| {
            sc.resolve(resolver, &c.func)
                .is_some_and(|id| factory.is_app_class(&id))
        })
    };
    match stmt {
        Stmt::Assign {
            value: Some(Expr::Call(c)),
            ..
        } if sc.in_function
            && sc.resolve(resolver, &c.func).is_some_and(|id| {
                project
                    .function(&id)
                    .is_some_and(|(def, m)| factory.builds_app(m, def))
            }) =>
        {
            true
        }
        Stmt::Assign { .. } | Stmt::Return(..) | Stmt::Expr(..) if makes_app() => true,
        // an app class defined in the function (`class CustomFlask(Flask)` in
        // `create_app`, made there)
        Stmt::Class(c) if sc.in_function => c.bases.iter().any(|b| {
            sc.resolve(resolver, b)
                .is_some_and(|id| factory.is_app_class(&id))
        }),
        Stmt::Return(Some(e @ Expr::Name(_)), _)
            if sc.in_function
                && sc
                    .resolve(resolver, e)
                    .is_some_and(|id| factory.is_app_value(&id)) =>
        {
            true
        }
        // Flask's app discovery calls a module's `create_app` or `make_app` with no
        // arguments, whatever it builds the app from (`return Server().app`)
        Stmt::Return(Some(_), _) => match &sc.qual[..] {
            [name, locals] if locals == "<locals>" => project
                .function(&format!("{}.{name}", sc.module.module))
                .is_some_and(|(def, m)| discovered_factory(project, m, def)),
            _ => false,
        },
        _ => false,
    }
}

/// Whether `def` is a module's `create_app` or `make_app` that takes no
/// arguments: Flask's app discovery (`flask --app module`, Flask 3.1's
/// `cli.find_best_app`) calls it so, whatever it builds the app from
/// (`return Server().app`).
fn discovered_factory(project: &Project, m: &SourceModule, def: &FuncDef) -> bool {
    ["create_app", "make_app"].contains(&&*def.name)
        && project
            .function(&format!("{}.{}", m.module, def.name))
            .is_some_and(|(top, _)| std::ptr::eq(top, def))
        && (def.params.is_empty()
            || (def.defaults.len() == def.params.len() && def.defaults.iter().all(Option::is_some)))
}

/// Functions that construct an app of a class the project defines, under
/// any name (`app = Console(debug=debug)` in a CLI command's helper), whose
/// bodies the pre-filter blanked: it knows Flask's names, not the project's.
/// Only modules that bind such a class at top level are read again.
struct Launchers<'a> {
    factory: &'a Factory<'a>,
    modules: HashSet<&'a str>,
}

impl<'a> Launchers<'a> {
    fn new(factory: &'a Factory<'a>, files: &[&'a SourceModule]) -> Self {
        let resolver = &factory.project.resolver;
        let subclasses: HashSet<&str> = factory
            .classes
            .iter()
            .map(|(id, _)| id.as_str())
            .filter(|id| factory.is_app_class(id))
            .collect();
        let modules = if subclasses.is_empty() {
            HashSet::default()
        } else {
            files
                .iter()
                .filter(|f| {
                    resolver
                        .names(&f.module)
                        .any(|n| subclasses.contains(resolver.resolve(&f.module, n).as_str()))
                })
                .map(|f| f.module.as_str())
                .collect()
        };
        Launchers { factory, modules }
    }

    /// The body of `def`, read again, when it calls such a class or Flask's
    /// app discovery calls it.
    fn root(&self, m: &SourceModule, def: &FuncDef) -> Option<std::sync::Arc<[Stmt]>> {
        let project = self.factory.project;
        let discovered = discovered_factory(project, m, def);
        if !discovered && !self.modules.contains(m.module.as_str()) {
            return None;
        }
        let crate::python::lazy::Body::Reread(body) = project.sources.body(m, def)? else {
            return None;
        };
        if discovered {
            return Some(body);
        }
        let mut builds = false;
        walk_stmts(&body, |s, _| {
            builds |= s.calls().iter().any(|c| {
                c.func.dotted().is_some_and(|d| {
                    self.factory
                        .is_app_class(&project.resolver.resolve(&m.module, &d))
                })
            });
        });
        builds.then_some(body)
    }
}

/// What makes a function an app factory.
struct Factory<'a> {
    project: &'a Project,
    classes: &'a ClassIndex<'a>,
    values: &'a ModuleValues<'a>,
}

impl Factory<'_> {
    /// Flask's app class or a subclass of it.
    fn is_app_class(&self, id: &str) -> bool {
        // the MRO, shared with every other extractor's question about the class
        objects::APP_CLASSES.contains(&id)
            || crate::python::classes::mro(self.project, id)
                .iter()
                .any(|a| objects::APP_CLASSES.contains(&a.as_str()))
    }

    /// A module-level name bound to a new app (`app = Flask(__name__)`).
    fn is_app_value(&self, id: &str) -> bool {
        let Some((module, Expr::Call(c))) = self.values.get(id) else {
            return false;
        };
        c.func
            .dotted()
            .map(|d| self.project.resolver.resolve(module, &d))
            .is_some_and(|f| self.is_app_class(&f))
    }

    /// Whether a function returns a new app or the module's app.
    fn builds_app(&self, m: &SourceModule, def: &FuncDef) -> bool {
        let resolver = &self.project.resolver;
        crate::python::scope::returned_callees(resolver, m, def).any(|(e, callee)| match callee {
            Some(f) => self.is_app_class(&f),
            None => e
                .as_name()
                .is_some_and(|n| self.is_app_value(&resolver.resolve(&m.module, n))),
        })
    }
}
