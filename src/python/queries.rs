//! Call sites found with the tree-sitter queries in `queries/`.
//!
//! The IR keeps declarations; call sites that can sit anywhere in an
//! expression (a `render_template` inside a return, an ORM call inside a
//! comprehension) are found by queries instead. Each pattern names its
//! concern with `(#set! kind "...")` and captures `@callee` and, optionally,
//! `@arg` (the first string argument or the receiver of interest).

use std::sync::LazyLock;
use tree_sitter::{Node, Query, QueryCursor, StreamingIterator, TreeCursor};

/// Every query file, embedded at build time.
pub const QUERY_FILES: &[(&str, &str)] = &[
    (
        "queries/flask/templates.scm",
        include_str!("../../queries/flask/templates.scm"),
    ),
    (
        "queries/flask/url_for.scm",
        include_str!("../../queries/flask/url_for.scm"),
    ),
    (
        "queries/django/templates.scm",
        include_str!("../../queries/django/templates.scm"),
    ),
    (
        "queries/django/orm.scm",
        include_str!("../../queries/django/orm.scm"),
    ),
];

/// All query files joined into one query, compiled once per process: one pass
/// over each tree whatever the number of concerns.
static CALLS: LazyLock<Compiled> = LazyLock::new(|| {
    let source: String = QUERY_FILES
        .iter()
        .map(|(_, s)| *s)
        .collect::<Vec<_>>()
        .join("\n");
    let query = Query::new(&super::parse::language(), &source).unwrap_or_else(|e| {
        panic!(
            "bad query in queries/: line {} of the joined text: {}",
            e.row + 1,
            e.message
        )
    });
    let kinds = (0..query.pattern_count())
        .map(|i| {
            query
                .property_settings(i)
                .iter()
                .find(|p| &*p.key == "kind")
                .and_then(|p| p.value.as_deref())
                .unwrap_or("unknown")
                .to_string()
        })
        .collect();
    let callee = query
        .capture_index_for_name("callee")
        .expect("@callee capture");
    let arg = query.capture_index_for_name("arg");
    Compiled {
        query,
        kinds,
        callee,
        arg,
    }
});

struct Compiled {
    query: Query,
    kinds: Vec<String>,
    callee: u32,
    arg: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallSite {
    pub line: u32,
    pub col: u32,
    pub kind: String,
    pub callee: String,
    pub arg: Option<String>,
}

/// Tree depth below which call sites are searched: real code nests far less.
pub const MAX_QUERY_DEPTH: u32 = 256;

/// A syntax-error node with more children than this is left out of the query.
/// tree-sitter's query cursor scans all later siblings of every node it visits
/// (`ts_tree_cursor_current_status`), which is quadratic on the flat error node
/// that, say, 100,000 unclosed parentheses become: minutes for one file.
const MAX_ERROR_CHILDREN: u32 = 2048;

/// Byte ranges of the file to query: all of it, minus huge error nodes.
fn query_ranges(root: Node, len: usize) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    if root.has_error() {
        // Iterative walk, descending only into subtrees that contain errors.
        let mut cursor = root.walk();
        'walk: loop {
            let node = cursor.node();
            let huge = node.is_error() && node.child_count() > MAX_ERROR_CHILDREN;
            if huge {
                let r = node.byte_range();
                if r.start > start {
                    ranges.push(start..r.start);
                }
                start = start.max(r.end);
            }
            if !huge && node.has_error() && cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
    }
    if start < len || ranges.is_empty() {
        ranges.push(start..len.max(start));
    }
    ranges
}

/// The statements that contain a query trigger literal, merged: every call a
/// query can match names one (`query_triggers_cover_queries`), so the cursor
/// need not visit the rest of the tree.
fn trigger_statements(root: Node, src: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut cursor = root.walk();
    for m in crate::prefilter::query_trigger_matches(src) {
        if ranges.last().is_some_and(|r| m.start < r.end) {
            continue;
        }
        let r = statement_around(&mut cursor, root, m).byte_range();
        match ranges.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => ranges.push(r),
        }
    }
    ranges
}

/// The innermost statement (a node whose parent is a block or the module)
/// around `range`, or the root when no child of it holds the range. Found on
/// the way down from the root: `Node::parent` starts from the root again at
/// every step up.
fn statement_around<'t>(
    cursor: &mut TreeCursor<'t>,
    root: Node<'t>,
    range: std::ops::Range<usize>,
) -> Node<'t> {
    cursor.reset(root);
    let mut stmt = root;
    loop {
        let in_block = matches!(cursor.node().kind(), "block" | "module");
        if cursor.goto_first_child_for_byte(range.start).is_none() {
            return stmt;
        }
        let child = cursor.node();
        if child.start_byte() > range.start || child.end_byte() < range.end {
            return stmt;
        }
        if in_block {
            stmt = child;
        }
    }
}

/// The call sites whose optional argument is the call's first (the endpoint
/// of `url_for`, the template of `render_template`).
const FIRST_ARGUMENT_KINDS: &[&str] = &["flask.url_for", "flask.template"];

/// The text of a string literal (`"x"`, `f"x"` without replacement fields);
/// `None` for any other node.
fn literal(string: Node, src: &[u8]) -> Option<String> {
    if string.kind() != "string" {
        return None;
    }
    let mut cursor = string.walk();
    let mut content = None;
    for child in string.named_children(&mut cursor) {
        match child.kind() {
            "string_start" | "string_end" => {}
            "string_content" if content.is_none() => {
                content = Some(child.utf8_text(src).ok()?.to_string())
            }
            _ => return None,
        }
    }
    content
}

/// The first argument (not a comment) of the call whose callee `callee` names.
fn first_argument(callee: Node) -> Option<Node> {
    let call = std::iter::successors(Some(callee), |n| n.parent()).find(|n| n.kind() == "call")?;
    let args = call.child_by_field_name("arguments")?;
    let mut cursor = args.walk();
    args.named_children(&mut cursor)
        .find(|a| a.kind() != "comment")
}

pub fn call_sites(root: Node, src: &[u8]) -> Vec<CallSite> {
    let c = &*CALLS;
    let mut cursor = QueryCursor::new();
    cursor.set_match_limit(256);
    // tree-sitter's cursor pays for the depth of every node it visits.
    cursor.set_max_start_depth(Some(MAX_QUERY_DEPTH));
    let mut out = Vec::new();
    let ranges = if root.has_error() {
        query_ranges(root, src.len())
    } else {
        trigger_statements(root, src)
    };
    for range in ranges {
        cursor.set_byte_range(range);
        let mut matches = cursor.matches(&c.query, root, src);
        while let Some(m) = matches.next() {
            let mut callee = None;
            let mut arg = None;
            for cap in m.captures() {
                if cap.index == c.callee {
                    let text = cap.node.utf8_text(src).unwrap_or("").to_string();
                    callee = Some((text, cap.node));
                } else if Some(cap.index) == c.arg {
                    arg = match cap.node.kind() {
                        // a string's text only when it is a literal
                        "string_content" => cap.node.parent().and_then(|s| literal(s, src)),
                        _ => Some(cap.node.utf8_text(src).unwrap_or("").to_string()),
                    };
                }
            }
            if let Some((callee, node)) = callee {
                // a comment before the first argument hides it from the
                // pattern's anchor (`scan` drops comments, `--no-prefilter`
                // keeps them): the first argument itself
                if arg.is_none()
                    && FIRST_ARGUMENT_KINDS.contains(&c.kinds[m.pattern_index].as_str())
                {
                    arg = first_argument(node).and_then(|a| literal(a, src));
                }
                let p = node.start_position();
                out.push(CallSite {
                    line: p.row as u32 + 1,
                    col: p.column as u32 + 1,
                    kind: c.kinds[m.pattern_index].clone(),
                    callee,
                    arg,
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    /// `scan` drops comments before parsing and `--no-prefilter` keeps them: both give
    /// the same first argument, and an f-string with a replacement field is no literal.
    #[test]
    fn url_for_targets_are_literals_whatever_the_comments() {
        let src = b"url_for(\n    # a comment\n    'a.b')\nurl_for('c.d')\nurl_for(f'{x}.e')\n";
        let tree = crate::python::parse::parse(src).unwrap();
        let args: Vec<Option<String>> = super::call_sites(tree.root_node(), src)
            .into_iter()
            .map(|c| c.arg)
            .collect();
        assert_eq!(args, [Some("a.b".into()), Some("c.d".into()), None]);
    }

    #[test]
    fn every_query_compiles() {
        for (name, text) in super::QUERY_FILES {
            if let Err(e) = tree_sitter::Query::new(&crate::python::parse::language(), text) {
                panic!("{name}:{}:{}: {}", e.row + 1, e.column + 1, e.message);
            }
        }
    }
}
