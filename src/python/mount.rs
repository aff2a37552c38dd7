//! Modules of an installed environment that the project names as code to
//! run: a `ROOT_URLCONF` that lives in a library (Review Board's is Djblets'),
//! `include("allauth.urls")`, the `models` module of an abstract model a
//! project model derives from. A user scans a repository whose third-party apps
//! live in a virtualenv; its site-packages lets the interpreter follow those
//! names into the installed package, so that the routes it mounts get their
//! URLs (reported as third-party: a migration must replace them too).
//!
//! Only the modules named that way are read (and those they name in turn),
//! never what they import: an import of a library stays a library name the
//! framework models as a built-in. Nothing there is imported or run by Python.

use super::links::ModuleIds;
use super::{FileStats, SourceModule, analyse};
use std::path::{Path, PathBuf};

/// Where installed packages are looked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SitePackages {
    /// A virtualenv inside the scanned folder (`.venv/`, `venv/`), else the
    /// active one (`$VIRTUAL_ENV`): the command line's default.
    Auto,
    /// None: what a library user (and a test) gets unless it asks.
    #[default]
    Off,
    Dirs(Vec<PathBuf>),
}

/// At most this many modules are read from installed packages.
const MAX_MODULES: usize = 200;

impl SitePackages {
    /// The site-packages folders to read for a scan of `root`.
    pub fn dirs(&self, root: &Path) -> Vec<PathBuf> {
        match self {
            SitePackages::Off => Vec::new(),
            SitePackages::Dirs(d) => d.clone(),
            SitePackages::Auto => {
                let inside = [".venv", "venv"]
                    .iter()
                    .map(|v| venv_site_packages(&root.join(v)))
                    .find(|d| !d.is_empty());
                inside
                    .or_else(|| {
                        std::env::var_os("VIRTUAL_ENV").map(|v| venv_site_packages(Path::new(&v)))
                    })
                    .unwrap_or_default()
            }
        }
    }
}

/// The distributions of `dist_infos` (see `dist_infos`), by normalised name
/// (`djangorestframework`), with their versions, read from the folders' names, sorted.
pub fn installed(dist_infos: &[PathBuf]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = dist_infos
        .iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.strip_suffix(".dist-info")?;
            let (dist, version) = name.split_once('-')?;
            Some((
                dist.to_ascii_lowercase().replace(['_', '.'], "-"),
                version.to_string(),
            ))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The `*.dist-info` folders of the distributions installed in `dirs`, sorted by path.
pub fn dist_infos(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "dist-info"))
        .collect();
    out.sort();
    out
}

/// `lib/python3.*/site-packages` (or Windows' `Lib/site-packages`) of a virtualenv.
fn venv_site_packages(venv: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(venv.join("lib"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("site-packages"))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    let windows = venv.join("Lib").join("site-packages");
    if windows.is_dir() {
        out.push(windows);
    }
    out
}

/// The file of `module` in the first folder that holds it, and the path it
/// is reported under (`site-packages/pkg/urls.py`).
fn locate(dirs: &[PathBuf], module: &str) -> Option<(PathBuf, String)> {
    let rel = module.replace('.', "/");
    dirs.iter().find_map(|d| {
        [format!("{rel}.py"), format!("{rel}/__init__.py")]
            .into_iter()
            .map(|r| (d.join(&r), format!("site-packages/{r}")))
            .find(|(p, _)| p.is_file())
    })
}

/// What a module names for reading: a module (`include("allauth.urls")`), or a
/// name a module binds (the base `Orderable` of `from wagtail.models import
/// Orderable`), read where it is defined: Python takes the attribute of the
/// module, which may be one it imports (`from .orderable import Orderable`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Wanted {
    pub module: String,
    pub name: Option<String>,
}

impl Wanted {
    pub fn module(module: impl Into<String>) -> Self {
        Wanted {
            module: module.into(),
            name: None,
        }
    }

    /// `module.name` for a dotted `module.name`.
    pub fn member(dotted: &str) -> Option<Self> {
        let (module, name) = dotted.rsplit_once('.')?;
        Some(Wanted {
            module: module.to_string(),
            name: Some(name.to_string()),
        })
    }
}

/// Reads the modules `names` gives for the project's files (and then for the
/// modules read) from `dirs`, skipping modules the project has (but following
/// what they import a wanted name from), in the order read. A name no folder
/// holds (or not readable) is left to the framework, which reports it as
/// today: one unresolved route naming it.
pub fn load(
    dirs: &[PathBuf],
    own: &[SourceModule],
    names: &dyn Fn(&SourceModule) -> Vec<Wanted>,
    max_file_size: u64,
) -> Vec<SourceModule> {
    if dirs.is_empty() {
        return Vec::new();
    }
    let have: rustc_hash::FxHashMap<&str, &SourceModule> =
        own.iter().map(|m| (m.module.as_str(), m)).collect();
    let mut todo: Vec<Wanted> = own.iter().flat_map(names).collect();
    todo.sort();
    todo.dedup();
    todo.reverse();
    let mut seen = rustc_hash::FxHashSet::default();
    // module -> its index in `out`, or None when no folder holds it
    let mut read: rustc_hash::FxHashMap<String, Option<usize>> = Default::default();
    let mut out: Vec<SourceModule> = Vec::new();
    let ids = ModuleIds::default();
    while let Some(wanted) = todo.pop() {
        if !seen.insert(wanted.clone()) {
            continue;
        }
        let module = match have.get(wanted.module.as_str()) {
            Some(m) => Some(*m),
            None => {
                if !read.contains_key(&wanted.module) && out.len() < MAX_MODULES {
                    let m = read_module(dirs, &wanted.module, &ids, max_file_size);
                    read.insert(wanted.module.clone(), m.is_some().then_some(out.len()));
                    if let Some(m) = m {
                        let mut more = names(&m);
                        more.sort();
                        more.reverse();
                        todo.extend(more);
                        out.push(m);
                    }
                }
                read.get(&wanted.module).copied().flatten().map(|i| &out[i])
            }
        };
        // a name the module imports: read where it comes from
        if let (Some(m), Some(name)) = (module, &wanted.name) {
            let mut from: Vec<Wanted> = super::resolve::imported_from(m, name)
                .iter()
                .filter_map(|d| Wanted::member(d))
                .collect();
            from.reverse();
            todo.extend(from);
        }
    }
    out
}

/// The names a module's top level imports, local name -> what it names
/// (`from wagtail.models import Orderable` gives `Orderable -> wagtail.models.Orderable`).
pub fn imported_names(m: &SourceModule) -> rustc_hash::FxHashMap<String, String> {
    let mut imported = rustc_hash::FxHashMap::default();
    for s in &m.body {
        if let super::ir::Stmt::Import(i, _) = s {
            for n in i.names() {
                if let Some((local, target)) = super::modules::import_target(m, n) {
                    imported.insert(local, target);
                }
            }
        }
    }
    imported
}

/// What a dotted name written in the module names through its imports, to read where it is
/// defined (`fields.CreationDateTimeField` with `from django_extensions.db import fields`);
/// `None` for a name the module does not import or one of a package in `skip` (the frameworks
/// crossport models by name).
pub fn imported_member(
    imported: &rustc_hash::FxHashMap<String, String>,
    dotted: &str,
    skip: &[&str],
) -> Option<Wanted> {
    let (head, rest) = dotted
        .split_once('.')
        .map_or((dotted, None), |(h, r)| (h, Some(r)));
    let target = imported.get(head)?;
    let full = match rest {
        Some(r) => format!("{target}.{r}"),
        None => target.clone(),
    };
    if skip.contains(&full.split('.').next().unwrap_or_default()) {
        return None;
    }
    Wanted::member(&full)
}

/// `module` parsed from the first folder that holds it.
fn read_module(
    dirs: &[PathBuf],
    module: &str,
    ids: &ModuleIds,
    max_file_size: u64,
) -> Option<SourceModule> {
    let (path, shown) = locate(dirs, module)?;
    let bytes = crate::source::load(&path, max_file_size).ok()?;
    let crate::source::Read::Text { bytes, .. } = crate::source::text(bytes) else {
        return None;
    };
    let mut stats = FileStats::default();
    // every body read: the lazy re-reader knows only the scanned folder
    analyse(
        shown,
        module.to_string(),
        ids,
        &bytes,
        true,
        false,
        &mut stats,
    )
    .map(|(m, _)| m)
}
