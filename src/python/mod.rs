//! The language layer: Python source -> owned IR, module names, name resolution,
//! and call sites found by the tree-sitter queries in `queries/`.

pub mod classes;
pub mod elide;
pub mod entry_points;
pub mod interp;
pub mod ir;
pub mod lazy;
pub mod links;
pub mod lower;
pub mod modules;
pub mod mount;
pub mod parse;
pub mod project;
pub mod queries;
pub mod reach;
pub mod resolve;
pub mod scope;
pub mod sys_path;

use ir::{Expr, Stmt};
pub use project::{Project, PyFile};
use queries::CallSite;

/// Cross-file lookups every extractor needs, built once per scan.
pub struct Shared<'p> {
    pub classes: classes::ClassIndex<'p>,
    pub values: scope::ModuleValues<'p>,
}

impl<'p> Shared<'p> {
    pub fn new(files: &'p [SourceModule]) -> Self {
        Shared {
            classes: classes::ClassIndex::new(files),
            values: scope::module_values(files),
        }
    }
}

/// One parsed Python file, as plain data (its tree is gone).
#[derive(Debug)]
pub struct SourceModule {
    /// Root-relative path with `/` separators.
    pub path: String,
    pub module: String,
    pub is_package: bool,
    pub body: Vec<Stmt>,
    pub call_sites: Vec<CallSite>,
    /// The modules it imports or names (see `links::module_refs`).
    pub refs: Box<[links::ModuleRef]>,
    /// Line of the first Python 2 statement (`print x`, `exec code`), if any.
    pub python2_line: Option<u32>,
}

impl SourceModule {
    /// Whether its top level tests `__name__ == "__main__"`: a program of its
    /// own, whose top-level changes to other modules' objects happen in its
    /// own process, not in an app that merely shares those modules.
    pub fn is_script(&self) -> bool {
        self.body.iter().any(|s| match s {
            Stmt::Block(b) => matches!(b.first(), Some(Stmt::Guard(Some(t))) if is_main_test(t)),
            _ => false,
        })
    }
}

fn is_main_test(e: &Expr) -> bool {
    let Expr::BinOp(l, op, r) = e else {
        return false;
    };
    let main =
        |a: &Expr, b: &Expr| a.as_name() == Some("__name__") && b.as_str() == Some("__main__");
    op == "==" && (main(l, r) || main(r, l))
}

/// What reading one file cost and skipped (for `scan -v`).
#[derive(Default, Clone, Copy, Debug)]
pub struct FileStats {
    /// Blanking bodies (`elide`).
    pub elide: std::time::Duration,
    pub parse: std::time::Duration,
    /// Lowering and the call-site queries.
    pub extract: std::time::Duration,
    /// Function bodies blanked before parsing, and their lines.
    pub elided_bodies: usize,
    pub elided_lines: usize,
}

/// Parses and lowers one file (`None` when tree-sitter produced no tree at
/// all), running the call-site queries only when `queries` (the pre-filter
/// knows when they cannot match). With `skim`, function bodies that cannot
/// matter are blanked before parsing and only those that can are lowered (see
/// [`elide`]). Its references are numbered with `ids`. Costs and counts are
/// added to `stats`.
pub fn analyse(
    path: String,
    module: String,
    ids: &links::ModuleIds,
    bytes: &[u8],
    queries: bool,
    skim: bool,
    stats: &mut FileStats,
) -> Option<(SourceModule, Option<u32>)> {
    let t = std::time::Instant::now();
    let elided = if skim { elide::elide(bytes) } else { None };
    let (src, blanked): (&[u8], &[usize]) = match &elided {
        Some(e) => {
            stats.elided_bodies += e.starts.len();
            stats.elided_lines += e.lines;
            (&e.src, &e.starts)
        }
        None => (bytes, &[]),
    };
    stats.elide += t.elapsed();
    let t = std::time::Instant::now();
    let tree = parse::parse(src)?;
    stats.parse += t.elapsed();
    let t = std::time::Instant::now();
    let error_line = parse::first_error_line(&tree);
    let root = tree.root_node();
    let lowerer = lower::Lowerer::new(src, skim.then_some(blanked));
    let body = lowerer.module(root);
    let call_sites = if queries {
        queries::call_sites(root, src)
    } else {
        Vec::new()
    };
    let is_package = modules::is_package_file(&path);
    drop(tree);
    let mut m = SourceModule {
        path,
        module,
        is_package,
        body,
        call_sites,
        refs: Box::default(),
        python2_line: lowerer.python2_line(),
    };
    m.refs = links::module_refs(&m, ids);
    stats.extract += t.elapsed();
    Some((m, error_line))
}

/// Parses in-memory files `(module, source)` as the scan would (packages end
/// in `__init__`), for unit tests of the cross-file indexes.
#[cfg(test)]
pub(crate) fn modules_for_test(files: &[(&str, &str)]) -> Vec<SourceModule> {
    let names: Vec<String> = files
        .iter()
        .map(|(m, _)| m.trim_end_matches(".__init__").to_string())
        .collect();
    let ids = links::ModuleIds::new(&names);
    files
        .iter()
        .zip(&names)
        .map(|((m, src), name)| {
            let path = format!("{}.py", m.replace('.', "/"));
            let mut stats = FileStats::default();
            analyse(
                path,
                name.clone(),
                &ids,
                src.as_bytes(),
                true,
                true,
                &mut stats,
            )
            .expect("test source parses")
            .0
        })
        .collect()
}
