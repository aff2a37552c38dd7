//! Django: settings, INSTALLED_APPS, URLconfs (+ DRF routers), models, admin,
//! auth, forms, jobs, signals, migrations. Everything is static: the Python
//! interpreter (`python::interp`), with Django's built-ins (`builtins`), runs
//! the settings module and the URLconfs from ROOT_URLCONF.

pub mod admin;
pub mod apps;
pub mod builtins;
pub mod drf;
mod drf_extensions;
mod global_settings;
pub mod misc;
pub mod models;
pub mod ninja;
pub mod settings;
mod storage;
pub mod urls;

use crate::inventory::Inventory;
use crate::python::Project;
use crate::python::interp::Interpreter;

/// Whether the project uses Django at all (imports it anywhere).
fn uses_django(project: &Project) -> bool {
    use crate::python::ir::{ImportName, Stmt};
    project.files.iter().any(|f| {
        f.body.iter().any(|s| match s {
            Stmt::Import(import, _) => import.names().any(|n| match n {
                ImportName::Module { path, .. } => path == "django" || path.starts_with("django."),
                ImportName::From { module, level, .. } => {
                    level == 0 && (module == "django" || module.starts_with("django."))
                }
            }),
            _ => false,
        })
    })
}

/// The modules of an installed environment that Django code names (see
/// `python::mount`): URLconfs it includes, the bases of its classes (read where
/// they are defined).
/// `imported`: the module's imports (`mount::imported_names`).
pub fn library_modules(
    m: &crate::python::SourceModule,
    imported: &rustc_hash::FxHashMap<String, String>,
) -> Vec<crate::python::mount::Wanted> {
    let mut out: Vec<_> = urls::urlconf_names(m)
        .into_iter()
        .map(crate::python::mount::Wanted::module)
        .collect();
    out.extend(models::base_classes(m, imported));
    out.extend(models::field_classes(m, imported));
    out
}

pub fn extract(project: &Project, inv: &mut Inventory) {
    if !uses_django(project) {
        return;
    }
    let dj = builtins::Django::default();
    let ev = Interpreter::new(project, &dj);
    let settings = settings::load(project, &ev, &dj);
    let apps = apps::installed(project, &settings);
    inv.warnings.extend(apps::unknown_entries(&settings));
    *dj.apps.borrow_mut() = apps.clone();
    let urlconf = settings
        .str("ROOT_URLCONF")
        .or_else(|| fallback_urlconf(project));
    // Without settings, no module is known not to be imported.
    let loaded = settings
        .module
        .as_deref()
        .map(|s| apps::loaded(project, s, &apps, urlconf.as_deref()));
    models::extract(project, &apps, &settings, loaded.as_deref(), inv);
    // the app registry `apps.get_model()` reads from, for URLconfs and admin modules
    *dj.models.borrow_mut() = inv
        .models
        .iter()
        .filter(|m| m.orm == "django" && !m.r#abstract)
        .filter_map(|m| {
            let label = m.app_label.clone()?;
            Some((label, m.name.clone(), format!("{}.{}", m.module, m.name)))
        })
        .collect();
    // `django.setup()`: every installed app's AppConfig made and its `ready()`
    // run, in INSTALLED_APPS order, before any URL resolves
    if let Some(module) = settings.module.as_deref() {
        ev.in_module(module, |cx| {
            for app in apps.iter().filter(|a| a.config.is_some()) {
                dj.app_config(cx, &app.label);
            }
        });
    }
    if let Some(root) = &urlconf {
        urls::extract(&ev, &dj, root, inv);
    }
    if apps::admin_installed(project, &settings) {
        admin::extract(
            &ev,
            settings.str("AUTH_USER_MODEL").as_deref(),
            loaded.as_deref(),
            inv,
        );
    }
    misc::extract(project, &settings, &apps, inv);
}

/// Without settings: the shortest-named `urls` module that has `urlpatterns`.
fn fallback_urlconf(project: &Project) -> Option<String> {
    let mut c: Vec<&str> = project
        .files
        .iter()
        .map(|f| f.module.as_str())
        .filter(|m| *m == "urls" || m.ends_with(".urls"))
        .collect();
    c.sort_by_key(|m| (m.split('.').count(), m.to_string()));
    c.first().map(|s| s.to_string())
}
