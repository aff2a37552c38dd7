//! Classes across the project: where each is defined and what it derives from.
//!
//! Framework extractors ask "is this class (transitively) a MethodView / a
//! db.Model / a models.Model?" and "which methods does it get from its bases?".
//! Bases are resolved with the module's imports, so a base defined in another
//! file, imported under an alias or re-exported, is followed.

use super::ir::{ClassDef, Expr, Stmt};
use super::resolve::Resolver;
use super::{Project, SourceModule};
use std::collections::BTreeMap;

const MAX_DEPTH: usize = 32;

pub struct ClassIndex<'p> {
    /// canonical id (`module.Class`, nested: `module.Outer.Inner`) -> (module, class);
    /// ordered, so that every walk over all classes is deterministic.
    classes: BTreeMap<String, (&'p SourceModule, &'p ClassDef)>,
}

impl<'p> ClassIndex<'p> {
    pub fn new(files: &'p [SourceModule]) -> Self {
        let mut classes = BTreeMap::new();
        for f in files {
            let mut stack: Vec<(&[Stmt], String)> = vec![(&f.body, f.module.clone())];
            while let Some((body, prefix)) = stack.pop() {
                for s in body {
                    match s {
                        Stmt::Class(c) => {
                            let id = format!("{prefix}.{}", c.name);
                            stack.push((&c.body, id.clone()));
                            classes.entry(id).or_insert((f, &**c));
                        }
                        Stmt::Block(b) => stack.push((b, prefix.clone())),
                        _ => {}
                    }
                }
            }
        }
        ClassIndex { classes }
    }

    pub fn get(&self, id: &str) -> Option<(&'p SourceModule, &'p ClassDef)> {
        self.classes.get(id).copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &(&'p SourceModule, &'p ClassDef))> {
        self.classes.iter()
    }

    /// Canonical ids of a class's direct bases.
    pub fn bases(
        &self,
        resolver: &Resolver,
        module: &SourceModule,
        class: &ClassDef,
    ) -> Vec<String> {
        bases(resolver, module, class)
    }

    /// Every ancestor id (breadth first, each once), including external ones.
    pub fn ancestors(&self, resolver: &Resolver, id: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut queue = vec![id.to_string()];
        let mut i = 0;
        while i < queue.len() && i < MAX_DEPTH * 4 {
            let current = queue[i].clone();
            i += 1;
            if let Some((m, c)) = self.get(&current) {
                for b in self.bases(resolver, m, c) {
                    if b != id && !out.contains(&b) {
                        out.push(b.clone());
                        queue.push(b);
                    }
                }
            }
        }
        out
    }

    /// Whether `id` derives (transitively) from any of `targets`.
    pub fn derives_from(&self, resolver: &Resolver, id: &str, targets: &[&str]) -> bool {
        self.ancestors(resolver, id)
            .iter()
            .any(|a| targets.contains(&a.as_str()))
    }
}

/// Canonical ids of a class's direct bases, resolved in its module.
pub fn bases(resolver: &Resolver, module: &SourceModule, class: &ClassDef) -> Vec<String> {
    class
        .bases
        .iter()
        .filter_map(base_name)
        .map(|d| {
            match BUILTIN_CLASSES.contains(&d.as_str()) && !resolver.is_bound(&module.module, &d) {
                // `class Mixin(object)`: Python's own class, not a name of the module
                true => format!("builtins.{d}"),
                // `class Ticket(Ticket):` names the class the module imported
                false if d == class.name.as_str() => resolver
                    .before_class(&module.module, &d)
                    .unwrap_or_else(|| resolver.resolve(&module.module, &d)),
                false => resolver.resolve(&module.module, &d),
            }
        })
        .collect()
}

/// Builtin classes a class may derive from, by the name a module reads them
/// by when it binds nothing of that name.
const BUILTIN_CLASSES: &[&str] = &[
    "object",
    "type",
    "dict",
    "list",
    "tuple",
    "set",
    "frozenset",
    "str",
    "bytes",
    "int",
    "float",
    "bool",
    "BaseException",
    "Exception",
    "ValueError",
    "TypeError",
    "KeyError",
    "LookupError",
    "RuntimeError",
];

/// `Base`, `mod.Base`, and `Generic[T]`-style subscripts reduce to a dotted name.
fn base_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Subscript(v, _) => v.dotted(),
        _ => e.dotted(),
    }
}

// Lookups by canonical name through the whole project, for code that runs
// on demand (the interpreter, the Django extractors).

/// The class statement a canonical `module.Name` denotes, if it is in scanned code
/// (top level of its module, or inside a top-level block).
pub fn find<'p>(project: &'p Project, canonical: &str) -> Option<(&'p SourceModule, &'p ClassDef)> {
    let (module, name) = canonical.rsplit_once('.')?;
    // a class defined in a function (`module.<locals>.Name`, as the interpreter
    // names it): the one of that name in the module's nested bodies, if only one
    if let Some(m) = module
        .strip_suffix(".<locals>")
        .and_then(|m| project.module(m))
    {
        let mut found = Vec::new();
        crate::python::ir::walk_stmts(&m.body, |s, scope| {
            if let Stmt::Class(c) = s
                && c.name == name
                && !scope.is_empty()
            {
                found.push(&**c);
            }
        });
        return match found[..] {
            [c] => Some((m, c)),
            _ => None,
        };
    }
    let Some(m) = project.module(module) else {
        // a class defined in a class (`Config.Meta`)
        let (m, outer) = find(project, module)?;
        return Some((m, outer.inner_class(name)?));
    };
    let mut stack: Vec<&[Stmt]> = vec![&m.body];
    while let Some(body) = stack.pop() {
        for s in body {
            match s {
                Stmt::Class(c) if c.name == name => return Some((m, c)),
                Stmt::Block(b) => stack.push(b),
                _ => {}
            }
        }
    }
    None
}

/// The class itself and its ancestors in Python's method resolution order
/// (C3: a class before its bases, bases in the order written, a base shared
/// by two branches after both). External classes appear by canonical name
/// and are not descended into. Where C3 has no answer (a hierarchy Python
/// would reject, or one too deep), depth-first left-to-right, each once.
pub fn mro(project: &Project, canonical: &str) -> Vec<String> {
    if let Some((known, _)) = project.mros.get(canonical) {
        return known;
    }
    let mut done = rustc_hash::FxHashMap::default();
    let (out, linearised) = match c3(project, canonical, 0, &mut done) {
        Some(out) => (out, true),
        None => (depth_first(project, canonical), false),
    };
    project.mros.insert(canonical, &out, linearised);
    out
}

/// The MROs computed so far in a scan, for all its extractors and threads: the
/// Django extractors ask for every class's MRO, some more than once, and C3
/// resolves the bases of every ancestor each time (a few percent of a scan's
/// CPU). Names are interned, so that keeping every class's MRO costs a few MiB
/// rather than a string per ancestor of each.
#[derive(Default)]
pub struct Mros(std::sync::Mutex<MroTable>);

#[derive(Default)]
struct MroTable {
    ids: rustc_hash::FxHashMap<std::sync::Arc<str>, u32>,
    names: Vec<std::sync::Arc<str>>,
    /// class id -> the ids of its MRO, and whether C3 made it (not the
    /// depth-first fallback)
    mros: rustc_hash::FxHashMap<u32, (Box<[u32]>, bool)>,
}

impl MroTable {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        let name: std::sync::Arc<str> = name.into();
        self.names.push(name.clone());
        self.ids.insert(name, id);
        id
    }
}

impl Mros {
    fn get(&self, class: &str) -> Option<(Vec<String>, bool)> {
        let t = self.lock();
        let (mro, linearised) = t.mros.get(t.ids.get(class)?)?;
        let names = mro
            .iter()
            .map(|&i| t.names[i as usize].to_string())
            .collect();
        Some((names, *linearised))
    }

    fn insert(&self, class: &str, mro: &[String], linearised: bool) {
        let mut t = self.lock();
        let ids = mro.iter().map(|n| t.intern(n)).collect();
        let id = t.intern(class);
        t.mros.insert(id, (ids, linearised));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MroTable> {
        // A panic elsewhere while holding the lock leaves a usable table.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// C3 of `class`; `done` holds the classes already linearised in this call,
/// so that a lattice of diamonds costs each class once.
fn c3(
    project: &Project,
    class: &str,
    depth: usize,
    done: &mut rustc_hash::FxHashMap<String, Option<Vec<String>>>,
) -> Option<Vec<String>> {
    if let Some(known) = done.get(class) {
        return known.clone();
    }
    if depth > 32 {
        return None;
    }
    let Some((m, cd)) = find(project, class) else {
        return Some(vec![class.to_string()]);
    };
    let bases = project_bases(project, m, cd);
    let mut seqs: Vec<Vec<String>> = Vec::with_capacity(bases.len() + 1);
    for b in &bases {
        if b == class {
            return None;
        }
        // A base linearised earlier in the scan gives the same answer as
        // recursing when its whole hierarchy fits in what is left of the
        // depth budget (no chain below it is longer than its MRO).
        let linear = match project.mros.get(b) {
            Some((known, true)) if depth + known.len() <= 32 => Some(known),
            _ => c3(project, b, depth + 1, done),
        };
        done.insert(b.clone(), linear.clone());
        seqs.push(linear?);
    }
    seqs.push(bases);
    let mut out = vec![class.to_string()];
    while seqs.iter().any(|s| !s.is_empty()) {
        // the first head that is in no other list's tail
        let head = seqs
            .iter()
            .filter_map(|s| s.first())
            .find(|h| {
                !seqs
                    .iter()
                    .any(|s| s.get(1..).is_some_and(|t| t.contains(h)))
            })?
            .clone();
        for s in &mut seqs {
            if s.first() == Some(&head) {
                s.remove(0);
            }
        }
        out.push(head);
        if out.len() > 64 {
            return None;
        }
    }
    Some(out)
}

/// A class's bases, a base named by a module-level variable taken as the class it holds.
fn project_bases(project: &Project, m: &SourceModule, cd: &ClassDef) -> Vec<String> {
    bases(&project.resolver, m, cd)
        .into_iter()
        .map(|b| aliased(project, b))
        .collect()
}

/// What a module-level name bound by assignment to a class names (`Base = models.DateTimeField`,
/// also under a top-level `if`/`try`), followed a few steps; the name itself when it is a class
/// statement or not such a variable.
fn aliased(project: &Project, name: String) -> String {
    let mut current = name;
    for _ in 0..4 {
        if find(project, &current).is_some() {
            break;
        }
        let Some((module, n)) = current.rsplit_once('.') else {
            break;
        };
        let Some(m) = project.module(module) else {
            break;
        };
        let Some(d) = last_binding(&m.body, n) else {
            break;
        };
        let next = project.resolver.resolve(module, &d);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// The dotted value of the last top-level assignment to `name` (as module values are read),
/// never one under `if TYPE_CHECKING:`, which does not run.
fn last_binding(body: &[Stmt], name: &str) -> Option<String> {
    let mut found = None;
    for s in body {
        match s {
            Stmt::Assign {
                targets,
                value: Some(v),
                ..
            } if targets.iter().any(|t| t.as_name() == Some(name)) => found = base_name(v),
            Stmt::Block(b) => {
                let runs = match &b[..] {
                    [Stmt::Guard(Some(t)), _, rest @ ..]
                        if t.last_name() == Some("TYPE_CHECKING") =>
                    {
                        rest
                    }
                    _ => b,
                };
                if let Some(v) = last_binding(runs, name) {
                    found = Some(v);
                }
            }
            _ => {}
        }
    }
    found
}

fn depth_first(project: &Project, canonical: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stack = vec![canonical.to_string()];
    while let Some(c) = stack.pop() {
        if out.contains(&c) || out.len() > 64 {
            continue;
        }
        out.push(c.clone());
        if let Some((m, cd)) = find(project, &c) {
            for b in project_bases(project, m, cd).into_iter().rev() {
                stack.push(b);
            }
        }
    }
    out
}

/// A class attribute looked up along the MRO: (value, module it was written in).
pub fn attr<'p>(
    project: &'p Project,
    canonical: &str,
    name: &str,
) -> Option<(&'p Expr, &'p SourceModule)> {
    for c in mro(project, canonical) {
        if let Some((m, cd)) = find(project, &c)
            && let Some(v) = cd.attr(name)
        {
            return Some((v, m));
        }
    }
    None
}
