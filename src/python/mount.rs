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

/// Reads the modules `names` gives for the project's files (and then for the
/// modules read) from `dirs`, skipping names the project has, in the order
/// read. A name no folder holds (or not readable) is left to the framework,
/// which reports it as today: one unresolved route naming it.
pub fn load(
    dirs: &[PathBuf],
    own: &[SourceModule],
    names: &dyn Fn(&SourceModule) -> Vec<String>,
    max_file_size: u64,
) -> Vec<SourceModule> {
    if dirs.is_empty() {
        return Vec::new();
    }
    let have: rustc_hash::FxHashSet<&str> = own.iter().map(|m| m.module.as_str()).collect();
    let mut todo: Vec<String> = own.iter().flat_map(names).collect();
    todo.sort();
    todo.dedup();
    todo.reverse();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    let ids = ModuleIds::default();
    while let Some(name) = todo.pop() {
        if out.len() >= MAX_MODULES || have.contains(name.as_str()) || !seen.insert(name.clone()) {
            continue;
        }
        let Some((path, shown)) = locate(dirs, &name) else {
            continue;
        };
        let Ok(bytes) = crate::source::load(&path, max_file_size) else {
            continue;
        };
        let crate::source::Read::Text { bytes, .. } = crate::source::text(bytes) else {
            continue;
        };
        let mut stats = FileStats::default();
        // every body read: the lazy re-reader knows only the scanned folder
        if let Some((m, _)) = analyse(shown, name, &ids, &bytes, true, false, &mut stats) {
            let mut more = names(&m);
            more.sort();
            more.reverse();
            todo.extend(more);
            out.push(m);
        }
    }
    out
}
