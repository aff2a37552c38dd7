//! Parsing with one tree-sitter parser per worker thread.

use std::cell::RefCell;
use tree_sitter::{Language, Parser, Tree};

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Gives tree-sitter's C code mimalloc, the allocator of the rest of the
/// binary (`main.rs`): a parse allocates and frees a node per token, which
/// glibc's malloc serves slowly (its freed small blocks are consolidated
/// whenever a large one is asked for). Must run before any parser or tree
/// exists.
pub fn use_mimalloc() {
    let allocator = tree_sitter::Allocator {
        malloc: libmimalloc_sys::mi_malloc,
        calloc: libmimalloc_sys::mi_calloc,
        realloc: libmimalloc_sys::mi_realloc,
        free: libmimalloc_sys::mi_free,
    };
    // SAFETY: called once at start-up, before tree-sitter has allocated
    // anything, so every block it frees is one mimalloc gave it.
    unsafe { tree_sitter::set_allocator(Some(allocator)) };
}

pub fn language() -> Language {
    tree_sitter_python::LANGUAGE.into()
}

/// Parses `src`; `None` only if tree-sitter gives up (it recovers from syntax errors).
pub fn parse(src: &[u8]) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&language())
                .expect("tree-sitter-python is ABI-compatible with the tree-sitter crate");
            p
        });
        parser.reset();
        parser.parse(src, None)
    })
}

/// The 1-based line of the first syntax error in `tree`, if any. Iterative walk.
pub fn first_error_line(tree: &Tree) -> Option<u32> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            return Some(node.start_position().row as u32 + 1);
        }
        // Descend only into subtrees that contain the error.
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                if cursor.node().has_error() {
                    break;
                }
                continue;
            }
            if !cursor.goto_parent() {
                return Some(root.start_position().row as u32 + 1);
            }
        }
    }
}
