//! INSTALLED_APPS: each entry's module, label (AppConfig.label or the last
//! component of its name) and whether its code is in the scanned repository.

use super::settings::Settings;
use crate::python::Project;
use crate::python::classes;
use crate::python::interp::Val;
use crate::python::ir::Stmt;
use crate::python::links;

#[derive(Clone, Debug)]
pub struct AppInfo {
    pub entry: String,
    pub module: String,
    pub label: String,
    pub own: bool,
    /// The AppConfig class Django instantiates for it, when in scanned code.
    pub config: Option<String>,
    /// That class's `default_auto_field` (the type of the implicit `id` of the app's models).
    pub default_auto_field: Option<String>,
}

fn is_app_config(project: &Project, canonical: &str) -> bool {
    classes::mro(project, canonical)
        .iter()
        .any(|c| c == "django.apps.AppConfig" || c == "django.apps.config.AppConfig")
}

fn str_attr(project: &Project, class: &str, name: &str) -> Option<String> {
    classes::attr(project, class, name).and_then(|(e, _)| e.as_str().map(String::from))
}

/// AppConfig subclasses defined in `module.apps` (the default one first).
fn configs_in(project: &Project, module: &str) -> Vec<String> {
    let Some(m) = project.module(&format!("{module}.apps")) else {
        return vec![];
    };
    let mut out = Vec::new();
    for s in &m.body {
        if let Stmt::Class(c) = s {
            let name = format!("{}.{}", m.module, c.name);
            if is_app_config(project, &name) {
                let default =
                    matches!(c.attr("default"), Some(crate::python::ir::Expr::Bool(true)));
                if default {
                    out.insert(0, name);
                } else {
                    out.push(name);
                }
            }
        }
    }
    out
}

pub fn installed(project: &Project, settings: &Settings) -> Vec<AppInfo> {
    let entries = settings
        .get("INSTALLED_APPS")
        .map(|v| v.strings())
        .unwrap_or_default();
    let mut out = Vec::new();
    for entry in entries {
        let own_class = is_app_config(project, &entry) && classes::find(project, &entry).is_some();
        let (module, label, config) = if own_class {
            let module = str_attr(project, &entry, "name").unwrap_or_else(|| entry.clone());
            let label = str_attr(project, &entry, "label");
            (module, label, Some(entry.clone()))
        } else if project.module(&entry).is_some() {
            let cfgs = configs_in(project, &entry);
            let label = cfgs
                .first()
                .filter(|_| cfgs.len() == 1 || !cfgs.is_empty())
                .and_then(|c| str_attr(project, c, "label"));
            (entry.clone(), label, cfgs.into_iter().next())
        } else {
            // A third-party app, or an AppConfig path outside the scanned code.
            let module = match entry.rsplit_once('.') {
                Some((head, last))
                    if last.chars().next().is_some_and(|c| c.is_ascii_uppercase()) =>
                {
                    head.strip_suffix(".apps").unwrap_or(head).to_string()
                }
                _ => entry.clone(),
            };
            (module, None, None)
        };
        let label = label.unwrap_or_else(|| known_label(&module));
        // a package without `__init__.py` (a namespace portion) has no module of
        // its own, only modules inside it
        let inside = format!("{module}.");
        let own = project.module(&module).is_some()
            || project.files.iter().any(|f| f.module.starts_with(&inside));
        let default_auto_field = config
            .as_deref()
            .and_then(|c| str_attr(project, c, "default_auto_field"));
        out.push(AppInfo {
            entry,
            module,
            label,
            own,
            config,
            default_auto_field,
        });
    }
    if out.is_empty() {
        out = inferred(project);
    }
    out
}

/// A warning when INSTALLED_APPS is known only in part (an entry, or the list, built
/// from a value the scan cannot know): the apps it would add are not scanned, and their
/// models, admin and URLs are missing from the inventory.
pub fn unknown_entries(settings: &Settings) -> Option<crate::inventory::Warning> {
    let why = match settings.get("INSTALLED_APPS")? {
        Val::List(items) | Val::Tuple(items) => items.iter().find_map(|v| match v {
            Val::Str(_) => None,
            Val::Unknown(why) => Some(why.clone()),
            _ => Some("an entry that is not a string".to_string()),
        })?,
        Val::Unknown(why) => why.clone(),
        _ => "a value that is not a list".to_string(),
    };
    Some(crate::inventory::Warning {
        file: None,
        line: None,
        message: format!(
            "INSTALLED_APPS is known only in part ({why}): the apps it adds at run time are not \
             scanned, and their models, admin and URLs are missing"
        ),
    })
}

/// Whether Django's admin is installed, or may be: only then does Django
/// build `admin.site` and import each app's `admin` module. An entry naming
/// Django's admin app (or its `AdminConfig`), a scanned AppConfig deriving
/// from one, or an entry not known (not a string) counts.
pub fn admin_installed(project: &Project, settings: &Settings) -> bool {
    const ADMIN_CONFIGS: &[&str] = &[
        "django.contrib.admin.apps.AdminConfig",
        "django.contrib.admin.apps.SimpleAdminConfig",
    ];
    let Some(entries) = settings.get("INSTALLED_APPS").and_then(|v| v.items()) else {
        return true;
    };
    entries.iter().any(|e| match e.as_str() {
        None => true,
        Some(s) => {
            s == "django.contrib.admin"
                || s.starts_with("django.contrib.admin.")
                || classes::find(project, s).is_some()
                    && classes::mro(project, s)
                        .iter()
                        .any(|c| ADMIN_CONFIGS.contains(&c.as_str()))
        }
    })
}

/// Labels Django's own apps use.
fn known_label(module: &str) -> String {
    module.rsplit('.').next().unwrap_or(module).to_string()
}

/// Without INSTALLED_APPS: every package that has a models module or an apps module.
fn inferred(project: &Project) -> Vec<AppInfo> {
    let mut out: Vec<AppInfo> = Vec::new();
    for f in &project.files {
        let Some(pkg) = f
            .module
            .strip_suffix(".models")
            .or_else(|| f.module.strip_suffix(".apps"))
        else {
            continue;
        };
        if out.iter().any(|a| a.module == pkg) || project.module(pkg).is_none() {
            continue;
        }
        let config = configs_in(project, pkg).into_iter().next();
        let label = config
            .as_deref()
            .and_then(|c| str_attr(project, c, "label"))
            .unwrap_or_else(|| known_label(pkg));
        let default_auto_field = config
            .as_deref()
            .and_then(|c| str_attr(project, c, "default_auto_field"));
        out.push(AppInfo {
            entry: pkg.to_string(),
            module: pkg.to_string(),
            label,
            own: true,
            config,
            default_auto_field,
        });
    }
    out
}

/// The installed app whose package contains `module` (longest match).
pub fn app_of<'a>(apps: &'a [AppInfo], module: &str) -> Option<&'a AppInfo> {
    apps.iter()
        .filter(|a| module == a.module || module.starts_with(&format!("{}.", a.module)))
        .max_by_key(|a| a.module.len())
}

/// Which scanned modules (indices of `project.files`) Django has imported once the project
/// started: the settings, every installed app's package and its `apps`, `models` and `admin`
/// modules (the admin's autodiscovery) with the modules of those packages, its AppConfig's
/// module, the root URLconf, and what these import or name, transitively. A model class or
/// admin registration in any other module never runs, so Django does not know it (a
/// sub-package of an installed app that is not an app itself, a test project in a package).
pub fn loaded(
    project: &Project,
    settings: &str,
    apps: &[AppInfo],
    urlconf: Option<&str>,
) -> Vec<bool> {
    let mut names: Vec<String> = vec![settings.to_string()];
    names.extend(urlconf.map(String::from));
    for a in apps {
        for suffix in ["", ".apps", ".models", ".admin"] {
            names.push(format!("{}{suffix}", a.module));
        }
        if let Some((module, _)) = a.config.as_deref().and_then(|c| c.rsplit_once('.')) {
            names.push(module.to_string());
        }
    }
    // the modules of an app's `models` and `admin` packages too: a package often imports
    // them by computed names (`import_module(f"{__name__}.{name}")`), which no reference shows
    let packages: Vec<String> = apps
        .iter()
        .flat_map(|a| {
            [
                format!("{}.models.", a.module),
                format!("{}.admin.", a.module),
            ]
        })
        .collect();
    let starts = names
        .iter()
        .filter_map(|n| project.resolver.module_index(n))
        .filter(|i| *i < project.files.len())
        .chain(
            project
                .files
                .iter()
                .enumerate()
                .filter(|(_, f)| packages.iter().any(|p| f.module.starts_with(p.as_str())))
                .map(|(i, _)| i),
        )
        .collect::<Vec<_>>();
    links::imported_from(
        &project.files,
        &project.resolver,
        &project.module_ids,
        starts,
    )
}
