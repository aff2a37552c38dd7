//! The language layer: Python source -> owned IR, module names, name resolution,
//! and call sites found by the tree-sitter queries in `queries/`.

pub mod classes;
pub mod ir;
pub mod lower;
pub mod modules;
pub mod parse;
pub mod queries;
pub mod reach;
pub mod resolve;
pub mod scope;

use ir::Stmt;
use queries::CallSite;

/// One parsed Python file, as plain data (its tree is gone).
#[derive(Debug)]
pub struct SourceModule {
    /// Root-relative path with `/` separators.
    pub path: String,
    pub module: String,
    pub is_package: bool,
    pub body: Vec<Stmt>,
    pub call_sites: Vec<CallSite>,
    /// Line of the first Python 2 statement (`print x`, `exec code`), if any.
    pub python2_line: Option<u32>,
}

/// Parses and lowers one file. `None` when tree-sitter produced no tree at all.
pub fn analyse(path: String, module: String, src: &[u8]) -> Option<(SourceModule, Option<u32>)> {
    let tree = parse::parse(src)?;
    let error_line = parse::first_error_line(&tree);
    let root = tree.root_node();
    let lowerer = lower::Lowerer::new(src);
    let body = lowerer.module(root);
    let call_sites = queries::call_sites(root, src);
    let is_package = path == "__init__.py" || path.ends_with("/__init__.py");
    Some((
        SourceModule {
            path,
            module,
            is_package,
            body,
            call_sites,
            python2_line: lowerer.python2_line(),
        },
        error_line,
    ))
}
