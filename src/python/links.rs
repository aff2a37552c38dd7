//! Which modules a module refers to: what it imports and the dotted names it
//! writes in strings (`include("app.urls")`, `from_object("config.Prod")`,
//! `DJANGO_SETTINGS_MODULE = "proj.settings"`). The pre-filter's closure and
//! the split of a scan into separately linked applications both follow them.

use super::SourceModule;
use super::ir::{Expr, ImportName, Stmt};
use super::modules::absolute_import;
use super::resolve::Resolver;
use rustc_hash::FxHashMap;

/// Every module name of a scan (parsed or not) numbered, known before any
/// file is parsed, so that each file's references are resolved to numbers
/// while it is parsed rather than in a pass over every file afterwards.
#[derive(Default)]
pub struct ModuleIds(FxHashMap<String, u32>);

impl ModuleIds {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a String>) -> Self {
        let mut ids = FxHashMap::default();
        for n in names {
            let next = ids.len() as u32;
            ids.entry(n.clone()).or_insert(next);
        }
        ModuleIds(ids)
    }

    /// Other names of known modules (`modules::names_with_roots`) share their id.
    pub fn add_aliases(&mut self, aliases: &[(String, String)]) {
        for (alias, name) in aliases {
            if let Some(id) = self.get(name) {
                self.0.entry(alias.clone()).or_insert(id);
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.0.get(name).copied()
    }

    /// The ids of the modules a dotted pattern with `*` / `?` names (each within one part).
    fn matching(&self, pattern: &str) -> Vec<u32> {
        let as_path = |dotted: &str| dotted.replace('.', "/");
        let Ok(glob) = globset::GlobBuilder::new(&as_path(pattern))
            .literal_separator(true)
            .build()
        else {
            return Vec::new();
        };
        let m = glob.compile_matcher();
        let mut ids: Vec<u32> = (self.0.iter())
            .filter(|(name, _)| m.is_match(as_path(name)))
            .map(|(_, id)| *id)
            .collect();
        ids.sort_unstable();
        ids
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A module a file refers to. `loose` when only named by an undotted string
/// (`"admin"`), which is more often a plain word than a module name: the
/// pre-filter's closure follows it, the split into applications does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ModuleRef {
    pub id: u32,
    pub loose: bool,
}

/// The modules among `ids` that `f` refers to (see [`references`]), sorted,
/// each once (a module both imported and named loosely is not loose).
pub fn module_refs(f: &SourceModule, ids: &ModuleIds) -> Box<[ModuleRef]> {
    let mut out = Vec::new();
    references(f, &mut |path, in_string| {
        if path.contains(['*', '?']) {
            let found = ids.matching(path).into_iter();
            out.extend(found.map(|id| ModuleRef { id, loose: false }));
        } else if let Some(id) = ids.get(path) {
            out.push(ModuleRef {
                id,
                loose: in_string && !path.contains('.'),
            });
        }
    });
    out.sort_unstable();
    out.dedup_by_key(|r| r.id);
    out.into_boxed_slice()
}

/// Calls `hit(prefix, in_string)` with every dotted prefix of every module
/// path `f` imports or names in a string: `a.b.c` may be module `a.b.c` or
/// name `c` in `a.b`.
pub fn references(f: &SourceModule, hit: &mut dyn FnMut(&str, bool)) {
    let mut hit = |path: &str, s: bool| {
        let mut end = path.len();
        loop {
            hit(&path[..end], s);
            match path[..end].rfind('.') {
                Some(dot) => end = dot,
                None => break,
            }
        }
    };
    let mut stmts: Vec<&Stmt> = f.body.iter().collect();
    let mut exprs: Vec<&Expr> = Vec::new();
    while let Some(s) = stmts.pop() {
        match s {
            Stmt::Import(import, _) => {
                for n in import.names() {
                    match n {
                        ImportName::Module { path, .. } => hit(path, false),
                        ImportName::From {
                            module,
                            level,
                            name,
                            ..
                        } => {
                            let abs = absolute_import(&f.module, f.is_package, level, module);
                            if !abs.is_empty() {
                                hit(&abs, false);
                            }
                            if name != "*" {
                                if abs.is_empty() {
                                    hit(name, false);
                                } else {
                                    hit(&format!("{abs}.{name}"), false);
                                }
                            }
                        }
                    }
                }
            }
            Stmt::Assign {
                targets,
                value,
                annotation,
                ..
            } => {
                exprs.extend(targets);
                exprs.extend(value);
                exprs.extend(annotation.as_deref());
            }
            Stmt::AugAssign { target, value, .. } => exprs.extend([target, value]),
            Stmt::Expr(e, _) => exprs.push(e),
            Stmt::Return(e, _) | Stmt::Yield { value: e, .. } => exprs.extend(e),
            Stmt::Class(c) => {
                exprs.extend(&c.bases);
                exprs.extend(c.keywords.iter().map(|(_, v)| v));
                exprs.extend(&c.decorators);
                stmts.extend(&c.body);
            }
            Stmt::Func(d) => {
                exprs.extend(&d.decorators);
                stmts.extend(&d.body);
            }
            Stmt::For {
                target, iter, body, ..
            } => {
                exprs.extend([target, iter]);
                stmts.extend(body);
            }
            Stmt::Block(b) => stmts.extend(b),
            Stmt::Guard(e) => exprs.extend(e),
            Stmt::While(e) => exprs.push(e),
            Stmt::Exit(_) | Stmt::Global(_) => {}
        }
    }
    while let Some(e) = exprs.pop() {
        match e {
            // a file beside this one named by its path (`include("components/base.py")`,
            // django-split-settings running it in this module's globals)
            Expr::Str(s) => match sibling_file_module(f, s) {
                Some(module) => hit(&module, false),
                None if looks_dotted(s) => hit(s, true),
                None => {}
            },
            Expr::Attr(b, _) => exprs.push(b),
            Expr::Call(c) => {
                exprs.push(&c.func);
                exprs.extend(&c.args);
                exprs.extend(c.kwargs.iter().map(|(_, v)| v));
            }
            Expr::List(v) | Expr::Tuple(v) => exprs.extend(v),
            Expr::Dict(v) => exprs.extend(v.iter().flat_map(|(k, v)| [k, v])),
            Expr::BinOp(l, _, r) | Expr::Subscript(l, r) => exprs.extend([&**l, &**r]),
            Expr::Starred(x) | Expr::Not(x) => exprs.push(x),
            Expr::IfExp(t, b, o) => exprs.extend([&**t, &**b, &**o]),
            Expr::Comp(c) => {
                exprs.push(&c.elt);
                exprs.extend(&c.key);
                for g in &c.generators {
                    exprs.push(&g.iter);
                    exprs.extend(&g.conditions);
                }
            }
            _ => {}
        }
    }
}

/// The module of the file a relative path names from `f`'s folder (`"plugins/api.py"`
/// in `proj/settings.py` is `proj.plugins.api`, `"../deploy/*.py"` the pattern
/// `deploy.*`); `None` for anything else.
fn sibling_file_module(f: &SourceModule, s: &str) -> Option<String> {
    let path = s.strip_suffix(".py")?;
    if s.len() > 200 || path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<String> = f.module.split('.').map(String::from).collect();
    if !f.is_package {
        parts.pop();
    }
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p if p
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'*' | b'?')) =>
            {
                // the library's glob is not recursive: `**` is `*`
                let mut p = p.to_string();
                while p.contains("**") {
                    p = p.replace("**", "*");
                }
                parts.push(p);
            }
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("."))
}

fn looks_dotted(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 200
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

/// Which of `files` are linked, through references in either direction, to a
/// file for which `seed` holds: the files of the same application(s). A scan
/// of several projects side by side, or of a project next to unrelated code,
/// keeps a framework's extractor on its own application.
pub fn linked_to(
    files: &[SourceModule],
    resolver: &Resolver,
    ids: &ModuleIds,
    seed: &dyn Fn(&SourceModule) -> bool,
) -> Vec<bool> {
    let mut parent: Vec<usize> = (0..files.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let by_id = files_by_id(files, resolver, ids);
    for (i, f) in files.iter().enumerate() {
        // a package read from an installed environment is not one of `files`
        for j in linked_files(f, resolver, &by_id).filter(|j| *j < files.len()) {
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a] = b;
        }
    }
    let mut seeded = vec![false; files.len()];
    for (i, f) in files.iter().enumerate() {
        if seed(f) {
            let r = root(&mut parent, i);
            seeded[r] = true;
        }
    }
    (0..files.len())
        .map(|i| seeded[root(&mut parent, i)])
        .collect()
}

/// Which of `files` Python imports when it imports `starts` (indices into `files`): what they
/// import or name in a string, and the packages of each, transitively. A reference inside a
/// function counts as if it ran, so the set errs on the side of more modules.
pub fn imported_from(
    files: &[SourceModule],
    resolver: &Resolver,
    ids: &ModuleIds,
    starts: impl IntoIterator<Item = usize>,
) -> Vec<bool> {
    let by_id = files_by_id(files, resolver, ids);
    let mut seen = vec![false; files.len()];
    let mut stack: Vec<usize> = starts.into_iter().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        stack.extend(
            linked_files(&files[i], resolver, &by_id).filter(|j| *j < files.len() && !seen[*j]),
        );
    }
    seen
}

/// Module number -> the parsed file that name resolves to.
fn files_by_id(files: &[SourceModule], resolver: &Resolver, ids: &ModuleIds) -> Vec<Option<usize>> {
    let mut by_id: Vec<Option<usize>> = vec![None; ids.len()];
    for f in files {
        if let (Some(id), Some(i)) = (ids.get(&f.module), resolver.module_index(&f.module)) {
            by_id[id as usize] = Some(i);
        }
    }
    by_id
}

/// The files `f` brings in: what it refers to (not loosely) and its package (importing a module
/// runs the package's __init__).
fn linked_files<'a>(
    f: &'a SourceModule,
    resolver: &Resolver,
    by_id: &'a [Option<usize>],
) -> impl Iterator<Item = usize> + 'a {
    let package = f
        .module
        .rsplit_once('.')
        .and_then(|(package, _)| resolver.module_index(package));
    let refs = f.refs.iter().filter(|r| !r.loose);
    package
        .into_iter()
        .chain(refs.filter_map(|r| by_id.get(r.id as usize).copied().flatten()))
}
