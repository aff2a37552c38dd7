//! Cross-file name resolution: which fully-qualified name does an expression denote?
//!
//! "API-graph lite": every module gets a table of its top-level bindings
//! (imports, classes, functions, assignments). Resolving `bp` in `app.views`
//! follows `from .blueprints import bp` to `app.blueprints.bp`, and through
//! re-exports in `__init__.py` to the module that defines it. External names
//! resolve to their import path (`flask.Blueprint`), which is what the
//! framework extractors match on.

use super::SourceModule;
use super::ir::{ImportName, Stmt, Text};
use super::modules::absolute_import;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

#[derive(Clone, Debug)]
enum Binding {
    /// Bound by an import to this absolute dotted path.
    Import(Box<str>),
    /// Defined in this module (class, function or assignment).
    Local,
}

pub struct Resolver {
    modules: HashMap<String, usize>,
    /// Each module's bindings, sorted by name (kept for the whole scan: an
    /// exactly sized array costs half a hash map).
    tables: Vec<Table>,
    /// `from x import *` sources per module, in order.
    star_imports: Vec<Vec<String>>,
    /// Per module, the imports a class statement of the same name rebinds
    /// afterwards (name, import path): see `before_class`.
    shadowed: Vec<Shadowed>,
    /// Other names of scanned modules -> their names (`modules::names_with_roots`).
    aliases: HashMap<String, String>,
}

const MAX_HOPS: usize = 24;

/// A module's bindings, sorted by name.
type Table = Box<[(Text, Binding)]>;
/// A module's imports that a class statement of the same name rebinds: (name, import path).
type Shadowed = Box<[(Text, Box<str>)]>;

impl Resolver {
    /// `aliases`: (other name, module name) pairs, see `modules::names_with_roots`.
    /// `library`: modules read from installed packages, numbered after `files`.
    pub fn new(
        files: &[SourceModule],
        library: &[SourceModule],
        aliases: Vec<(String, String)>,
    ) -> Self {
        let mut modules = HashMap::default();
        for (i, f) in files.iter().chain(library).enumerate() {
            // First file wins for duplicate module names (sorted paths: deterministic).
            modules.entry(f.module.clone()).or_insert(i);
        }
        let mut tables = Vec::with_capacity(files.len() + library.len());
        let mut star_imports = Vec::with_capacity(files.len() + library.len());
        let mut shadowed = Vec::with_capacity(files.len() + library.len());
        for f in files.iter().chain(library) {
            let (t, s, sh) = bindings(f);
            tables.push(t);
            star_imports.push(s);
            shadowed.push(sh);
        }
        Resolver {
            tables,
            star_imports,
            shadowed,
            // a real module of that name wins, as in `ModuleIds`
            aliases: aliases
                .into_iter()
                .filter(|(alias, _)| !modules.contains_key(alias))
                .collect(),
            modules,
        }
    }

    pub fn module_index(&self, module: &str) -> Option<usize> {
        // Real names first: aliases are rare, and never shadow a module.
        self.modules.get(module).copied().or_else(|| {
            self.aliases
                .get(module)
                .and_then(|name| self.modules.get(name).copied())
        })
    }

    pub fn has_module(&self, module: &str) -> bool {
        self.module_index(module).is_some()
    }

    /// Canonical name of a dotted `name` used at module level in `module`.
    pub fn resolve(&self, module: &str, dotted: &str) -> String {
        let (head, rest) = match dotted.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (dotted, None),
        };
        let base = match self.lookup(module, head).as_deref() {
            Some(Binding::Import(path)) => path.to_string(),
            Some(Binding::Local) | None => format!("{module}.{head}"),
        };
        let full = match rest {
            Some(r) => format!("{base}.{r}"),
            None => base,
        };
        self.canonical(&full)
    }

    /// What `name` denoted in `module` before its class statement of that
    /// name bound it: `from base import *` (or `import Ticket`) then `class
    /// Ticket(Ticket):` derives from the imported class, as Python evaluates
    /// the bases before binding the name.
    pub fn before_class(&self, module: &str, name: &str) -> Option<String> {
        let idx = self.module_index(module)?;
        let path = match self.shadowed[idx].iter().find(|(n, _)| n.as_str() == name) {
            Some((_, path)) => path.to_string(),
            None => self.star_source(idx, name)?,
        };
        Some(self.canonical(&path))
    }

    /// The names bound at the top level of `module` (star imports aside).
    pub fn names(&self, module: &str) -> impl Iterator<Item = &str> {
        let table = self
            .module_index(module)
            .map_or(&[][..], |i| &self.tables[i][..]);
        table.iter().map(|(n, _)| n.as_str())
    }

    /// Whether `name` is bound at the top level of `module` (directly or by import).
    pub fn is_bound(&self, module: &str, name: &str) -> bool {
        self.lookup(module, name).is_some()
    }

    fn binding(&self, idx: usize, name: &str) -> Option<&Binding> {
        let table = &self.tables[idx];
        let i = table.binary_search_by(|(n, _)| n.as_str().cmp(name)).ok()?;
        Some(&table[i].1)
    }

    fn lookup(&self, module: &str, name: &str) -> Option<Cow<'_, Binding>> {
        let idx = self.module_index(module)?;
        if let Some(b) = self.binding(idx, name) {
            return Some(Cow::Borrowed(b));
        }
        let path = self.star_source(idx, name)?;
        Some(Cow::Owned(Binding::Import(path.into())))
    }

    /// `source.name` for the first star import of module `idx` whose source
    /// binds `name` (one level deep); `None` from a source not scanned on.
    fn star_source(&self, idx: usize, name: &str) -> Option<String> {
        for src in &self.star_imports[idx] {
            let si = self.module_index(src)?;
            if self.binding(si, name).is_some() {
                return Some(format!("{src}.{name}"));
            }
        }
        None
    }

    /// Follows a dotted path through re-exports to where it is defined.
    pub fn canonical(&self, path: &str) -> String {
        let mut current = path.to_string();
        for _ in 0..MAX_HOPS {
            // Longest prefix that is a module we scanned: `parts[..split]` joined
            // is `current[..end]`, looked up without building it.
            let parts: Vec<&str> = current.split('.').collect();
            let (mut split, mut end) = (parts.len(), current.len());
            while !self.has_module(&current[..end]) {
                split -= 1;
                match current[..end].rfind('.') {
                    Some(dot) => end = dot,
                    None => return library_reexport(current),
                }
            }
            let module = &current[..end];
            if !self.aliases.is_empty()
                && let Some(name) = self.aliases.get(module)
            {
                // The module's own name, so that every path to it is spelt alike.
                current = std::iter::once(name.as_str())
                    .chain(parts[split..].iter().copied())
                    .collect::<Vec<_>>()
                    .join(".");
                continue;
            }
            if split == parts.len() {
                // a module itself, unless its package rebinds the name to something
                // inside it (`from .registry import registry` in `__init__.py`)
                match self.rebound_submodule(&parts) {
                    Some(target) => {
                        current = target;
                        continue;
                    }
                    None => return current,
                }
            }
            let name = parts[split];
            let rest = &parts[split + 1..];
            let found = self.lookup(module, name);
            let binding = found.as_deref();
            if binding.is_none() {
                // `from pkg import sub` then `sub.X`, where `pkg` binds `sub`
                // to an object of that submodule (`from .sub import sub`):
                // Python takes the package's attribute, the object.
                if let Some(target) = self.rebound_submodule(&parts[..split]) {
                    current = format!("{target}.{}", parts[split..].join("."));
                    continue;
                }
            }
            match binding {
                Some(Binding::Import(target)) => {
                    let next = if rest.is_empty() {
                        target.to_string()
                    } else {
                        format!("{target}.{}", rest.join("."))
                    };
                    if next == current {
                        return current;
                    }
                    current = next;
                }
                _ => return current,
            }
        }
        current
    }

    /// For a submodule path `pkg.sub`: what `pkg` binds `sub` to instead, when
    /// it imports a name from inside that submodule under the same name.
    fn rebound_submodule(&self, parts: &[&str]) -> Option<String> {
        let (name, parent) = parts.split_last()?;
        let idx = self.module_index(&parent.join("."))?;
        let current = parts.join(".");
        match self.binding(idx, name)? {
            Binding::Import(t) if t.starts_with(&format!("{current}.")) => Some(t.to_string()),
            _ => None,
        }
    }
}

/// Two library re-exports that code reaches only through the library's own
/// import machinery, which is not scanned:
/// - `flask.ext.X` is `flask_X`: Flask before 1.0 installed an import hook
///   that redirected the one to the other, and code of that era imports
///   extensions only that way (`from flask.ext.sqlalchemy import SQLAlchemy`);
/// - GeoDjango's `django.contrib.gis.db.models` star-imports all of
///   `django.db.models` and adds its geometry fields and aggregates, so
///   `from django.contrib.gis.db import models` then `models.Model` is
///   Django's `Model`; `django.contrib.gis.admin` re-exports the admin's
///   `site`, `register`, `ModelAdmin` and the inlines.
///
/// Without them, every extension of such a project, or every model of a
/// GeoDjango app, is a name nothing knows.
fn library_reexport(path: String) -> String {
    /// What `django.contrib.gis.db.models` defines itself.
    const GIS_OWN: &[&str] = &[
        "GeometryField",
        "GeometryCollectionField",
        "LineStringField",
        "MultiLineStringField",
        "MultiPointField",
        "MultiPolygonField",
        "PointField",
        "PolygonField",
        "RasterField",
        "Collect",
        "Extent",
        "Extent3D",
        "MakeLine",
        "Union",
        "aggregates",
        "fields",
        "functions",
        "lookups",
        "proxy",
        "sql",
    ];
    if let Some(rest) = path.strip_prefix("flask.ext.") {
        return format!("flask_{rest}");
    }
    /// What `django.contrib.gis.admin` imports from `django.contrib.admin`.
    const GIS_ADMIN_FROM_ADMIN: &[&str] = &[
        "HORIZONTAL",
        "VERTICAL",
        "AdminSite",
        "ModelAdmin",
        "StackedInline",
        "TabularInline",
        "action",
        "autodiscover",
        "display",
        "register",
        "site",
    ];
    if let Some(rest) = path.strip_prefix("django.contrib.gis.admin.")
        && GIS_ADMIN_FROM_ADMIN.contains(&rest.split('.').next().unwrap_or(rest))
    {
        return format!("django.contrib.admin.{rest}");
    }
    match path.strip_prefix("django.contrib.gis.db.models.") {
        Some(rest) if !GIS_OWN.contains(&rest.split('.').next().unwrap_or(rest)) => {
            format!("django.db.models.{rest}")
        }
        _ => path,
    }
}

/// Where the top level of `f` imports `name` from (`from .orderable import
/// Orderable` gives `pkg.orderable.Orderable`): the absolute path, none for a
/// name it defines, or, for a name it does not bind, `source.name` for each
/// of its star imports' sources (which of them binds it is for the reader of
/// those to tell).
pub fn imported_from(f: &SourceModule, name: &str) -> Vec<String> {
    let (table, stars, _) = bindings(f);
    match table.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
        Ok(i) => match &table[i].1 {
            Binding::Import(path) => vec![path.to_string()],
            Binding::Local => Vec::new(),
        },
        Err(_) => stars.iter().map(|s| format!("{s}.{name}")).collect(),
    }
}

/// The top-level bindings of one module. Statements in top-level blocks
/// (`if`, `try`) count: `try: import x except: x = None` binds `x` either way.
///
/// A name assigned once, from the name of a class or function defined here
/// or of something imported (`WebAdmin = WebUI`), is that object under a
/// second name: it resolves to what the other name resolves to, so that a
/// subclass check or a model lookup through the alias finds the class. Not
/// an attribute (`urls = api.urls` may be a property, computed when read)
/// nor a name assigned itself (its value is the interpreter's to know).
///
/// Also its star-import sources, and the imports a class of the same name rebinds.
fn bindings(f: &SourceModule) -> (Table, Vec<String>, Shadowed) {
    let mut table = HashMap::default();
    let mut stars = Vec::new();
    let mut shadowed = Vec::new();
    // name -> (assignments seen, the name the first assigns, if it is one)
    let mut assigned: HashMap<&str, (u32, Option<&str>)> = HashMap::default();
    let mut defined: rustc_hash::FxHashSet<&str> = Default::default();
    let mut stack: Vec<&[Stmt]> = vec![&f.body];
    while let Some(body) = stack.pop() {
        for stmt in body {
            match stmt {
                Stmt::Import(import, _) => {
                    for n in import.names() {
                        import_binding(f, n, &mut table, &mut stars);
                    }
                }
                Stmt::Class(c) => {
                    defined.insert(&c.name);
                    if let Some(Binding::Import(path)) =
                        table.insert(c.name.clone(), Binding::Local)
                    {
                        shadowed.push((c.name.clone(), path));
                    }
                }
                Stmt::Func(d) => {
                    defined.insert(&d.name);
                    table.insert(d.name.clone(), Binding::Local);
                }
                Stmt::Assign { targets, value, .. } => {
                    if let ([crate::python::ir::Expr::Name(n)], Some(v)) = (&targets[..], value) {
                        let entry = assigned.entry(n.as_str()).or_default();
                        entry.0 += 1;
                        if entry.0 == 1 {
                            entry.1 = v.as_name().filter(|y| *y != n.as_str());
                        }
                    }
                    for t in targets {
                        let names: Vec<&str> = match t {
                            crate::python::ir::Expr::Name(n) => vec![n],
                            crate::python::ir::Expr::Tuple(v) => {
                                v.iter().filter_map(|e| e.as_name()).collect()
                            }
                            _ => vec![],
                        };
                        for n in names {
                            // An assignment after an import of the same name shadows it,
                            // but `x = x` style fallbacks keep the import.
                            table.entry(n.into()).or_insert(Binding::Local);
                        }
                    }
                }
                Stmt::Block(b) => stack.push(b),
                _ => {}
            }
        }
    }
    let aliases: Vec<(Text, Box<str>)> = assigned
        .iter()
        .filter_map(|(name, (count, other))| {
            let other = other.filter(|_| *count == 1)?;
            // an unbound name is a builtin (`Text = str`): left alone
            let target = match table.get(other)? {
                Binding::Import(path) => path.to_string(),
                Binding::Local if defined.contains(other) && !assigned.contains_key(other) => {
                    format!("{}.{other}", f.module)
                }
                Binding::Local => return None,
            };
            Some((Text::from(*name), target.into()))
        })
        .collect();
    for (name, target) in aliases {
        // also a `def`/`class` of its own (`X = Y` then `class X`): which
        // binding holds depends on order, so neither is taken
        if matches!(table.get(&name), Some(Binding::Local)) && !defined.contains(name.as_str()) {
            table.insert(name, Binding::Import(target));
        }
    }
    let mut table: Vec<_> = table.into_iter().collect();
    table.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    (table.into_boxed_slice(), stars, shadowed.into_boxed_slice())
}

fn import_binding(
    f: &SourceModule,
    n: ImportName,
    table: &mut HashMap<Text, Binding>,
    stars: &mut Vec<String>,
) {
    if let ImportName::From {
        module,
        level,
        name: "*",
        ..
    } = n
    {
        stars.push(absolute_import(&f.module, f.is_package, level, module));
        return;
    }
    if let Some((local, target)) = super::modules::import_target(f, n) {
        table.insert(local.into(), Binding::Import(target.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::Resolver;
    use crate::python::modules_for_test;

    #[test]
    fn imports_resolve_through_aliases_stars_and_reexports() {
        let files = modules_for_test(&[
            (
                "pkg.__init__",
                "from .blueprints import bp as main_bp, other\n",
            ),
            (
                "pkg.blueprints",
                "from flask import Blueprint as B\nbp = B('main', __name__)\nother = 1\n",
            ),
            (
                "pkg.star",
                "from pkg.blueprints import *\nimport os.path\nimport json as j\nfrom flask.ext.sqlalchemy import SQLAlchemy\nfrom flask.ext import login\nfrom django.contrib.gis.db import models\nfrom django.contrib.gis import admin\n",
            ),
            (
                "pkg.views",
                "from . import main_bp\nfrom .blueprints import (\n    bp,\n    other as o,\n)\n",
            ),
        ]);
        let r = Resolver::new(&files, &[], Vec::new());
        assert_eq!(
            r.resolve("pkg.views", "main_bp.route"),
            "pkg.blueprints.bp.route"
        );
        assert_eq!(r.resolve("pkg.views", "o"), "pkg.blueprints.other");
        assert_eq!(r.resolve("pkg.blueprints", "B"), "flask.Blueprint");
        assert_eq!(r.resolve("pkg.star", "bp"), "pkg.blueprints.bp");
        assert_eq!(r.resolve("pkg.star", "os.path.join"), "os.path.join");
        assert_eq!(r.resolve("pkg.star", "j.loads"), "json.loads");
        // Flask < 1.0's import hook
        assert_eq!(
            r.resolve("pkg.star", "SQLAlchemy"),
            "flask_sqlalchemy.SQLAlchemy"
        );
        assert_eq!(
            r.resolve("pkg.star", "login.login_required"),
            "flask_login.login_required"
        );
        // GeoDjango's models module is Django's, plus its geometry fields
        assert_eq!(
            r.resolve("pkg.star", "models.Model"),
            "django.db.models.Model"
        );
        assert_eq!(
            r.resolve("pkg.star", "models.PointField"),
            "django.contrib.gis.db.models.PointField"
        );
        assert_eq!(
            r.resolve("pkg.star", "admin.site.register"),
            "django.contrib.admin.site.register"
        );
        assert_eq!(
            r.resolve("pkg.star", "admin.GISModelAdmin"),
            "django.contrib.gis.admin.GISModelAdmin"
        );
        assert_eq!(r.resolve("pkg.star", "unbound"), "pkg.star.unbound");
        assert!(r.is_bound("pkg.views", "bp"));
        assert!(!r.is_bound("pkg.views", "B"));
        // a name assigned from a class is that class; not when it is also defined
        let files = modules_for_test(&[(
            "m",
            "class Impl: pass\nPublic = Impl\nOther = Impl\nclass Other: pass\n",
        )]);
        let r = Resolver::new(&files, &[], Vec::new());
        assert_eq!(r.resolve("m", "Public"), "m.Impl");
        assert_eq!(r.resolve("m", "Other"), "m.Other");
    }

    #[test]
    fn a_package_binding_shadows_the_submodule_of_the_same_name() {
        let files = modules_for_test(&[
            (
                "pkg.models.__init__",
                "from .db import db
",
            ),
            (
                "pkg.models.db",
                "from flask_sqlalchemy import SQLAlchemy
db = SQLAlchemy()
",
            ),
            (
                "pkg.models.user",
                "from pkg.models import db
from pkg.models.db import SQLAlchemy
",
            ),
        ]);
        let r = Resolver::new(&files, &[], Vec::new());
        // `db` is the package's attribute: the object, not the submodule.
        assert_eq!(
            r.resolve("pkg.models.user", "db.Model"),
            "pkg.models.db.db.Model"
        );
        assert_eq!(r.resolve("pkg.models.user", "db"), "pkg.models.db.db");
        // A name imported from the submodule itself still comes from it.
        assert_eq!(
            r.resolve("pkg.models.user", "SQLAlchemy"),
            "flask_sqlalchemy.SQLAlchemy"
        );
    }
}
