//! The parsed project every framework reads: its modules, the name resolver
//! across them, and the files that are not Python (manifests, templates).

use super::ir::{FuncDef, Stmt};
use super::resolve::Resolver;
use super::{SourceModule, classes, lazy, links};
use crate::unread::Unread;

/// Everything the framework extractors see: parsed modules and the other files.
pub struct Project {
    pub files: Vec<SourceModule>,
    /// Modules of installed packages the project names as code to run (see
    /// `mount`): found by name, never the project's own.
    pub library: Vec<SourceModule>,
    pub resolver: Resolver,
    /// (relative path, text) of requirements/pyproject/setup.cfg/Pipfile files.
    pub manifests: Vec<(String, String)>,
    /// Distributions of the site-packages read (`mount`): normalised name, version.
    pub installed: Vec<(String, String)>,
    /// Their `*.dist-info` folders (`mount::dist_infos`), for the entry points they declare.
    pub dist_infos: Vec<std::path::PathBuf>,
    /// What `entry_points()` returns, read the first time start-up code asks.
    pub entry_points_read: std::sync::OnceLock<Vec<super::entry_points::EntryPoint>>,
    /// Relative paths of template files.
    pub templates: Vec<String>,
    /// Every Python file, read or not, in walk order.
    pub python: Vec<PyFile>,
    /// The numbers of module names in `SourceModule::refs`.
    pub module_ids: links::ModuleIds,
    /// The files' text, for bodies read again (see `python::lazy`).
    pub sources: lazy::Sources,
    /// Every MRO computed so far (see `classes::mro`).
    pub mros: classes::Mros,
}

pub struct PyFile {
    /// Root-relative path.
    pub path: String,
    pub module: String,
    /// Set when the file was counted but never read (a migration, test code).
    pub unread: Option<Unread>,
}

impl Project {
    /// The entry points the manifests and the installed distributions declare
    /// (`python::entry_points`), read once, when start-up code first asks for them.
    pub fn entry_points(&self) -> &[super::entry_points::EntryPoint] {
        self.entry_points_read
            .get_or_init(|| super::entry_points::read(&self.manifests, &self.dist_infos))
    }

    pub fn module(&self, name: &str) -> Option<&SourceModule> {
        let i = self.resolver.module_index(name)?;
        self.files
            .get(i)
            .or_else(|| self.library.get(i - self.files.len()))
    }

    /// Whether a canonical dotted name lives in the scanned code: it or one of
    /// its prefixes is a module of it.
    pub fn owns(&self, canonical: &str) -> bool {
        let mut end = canonical.len();
        loop {
            if self.is_own_module(&canonical[..end]) {
                return true;
            }
            match canonical[..end].rfind('.') {
                Some(i) => end = i,
                None => return false,
            }
        }
    }

    /// Whether `name` is a module of the scanned code (not one read from an
    /// installed package).
    pub fn is_own_module(&self, name: &str) -> bool {
        self.resolver
            .module_index(name)
            .is_some_and(|i| i < self.files.len())
    }

    /// A top-level function of a scanned module by canonical name (also under
    /// top-level `if`/`try`; the last definition wins, as when Python runs it).
    pub fn function(&self, canonical: &str) -> Option<(&FuncDef, &SourceModule)> {
        let (module, name) = canonical.rsplit_once('.')?;
        let m = self.module(module)?;
        let mut stack: Vec<&[Stmt]> = vec![&m.body];
        let mut found = None;
        while let Some(body) = stack.pop() {
            for s in body {
                match s {
                    Stmt::Func(f) if f.name == name => found = Some((&**f, m)),
                    Stmt::Block(b) => stack.push(b),
                    _ => {}
                }
            }
        }
        found
    }
}
