//! What a port touches beyond the framework code: tables kept with raw SQL, the existing test
//! suite, and deployment files. Real ports spent much of their time there (see
//! `tests/calibration/`), yet none of it is visible to the Python extractors.
//!
//! A second, light pass over the repository after the scan: plain text, line by line, no
//! parsing. Each concern has its own module; this one walks and dispatches.

pub mod deploy;
pub mod raw_sql;
pub mod test_suite;

use crate::inventory::Inventory;
use crate::unread::{Unread, unread};
use crate::walk::{PRUNED_DIRS, is_virtualenv};
use ignore::WalkBuilder;
use std::path::Path;

/// Files larger than this are not read for these facts (generated or vendored content).
const MAX_BYTES: u64 = 1024 * 1024;

/// Adds raw-SQL tables, test files and deployment files under `root` to `inv`.
/// A single file as root adds nothing: none of these facts live in one module.
pub fn extend(root: &Path, inv: &mut Inventory) {
    if !root.is_dir() {
        return;
    }
    let mut python: Vec<(String, String)> = Vec::new();
    for entry in WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .hidden(false)
        .filter_entry(|e| {
            if e.depth() == 0 || !e.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            !PRUNED_DIRS.contains(&name.as_ref())
                && !name.ends_with(".egg-info")
                && !is_virtualenv(e.path())
        })
        .build()
        .flatten()
    {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        if entry.metadata().map_or(true, |m| m.len() > MAX_BYTES) {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let kind = deploy::classify(&rel);
        let is_py = rel.ends_with(".py");
        if kind.is_none() && !is_py {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(kind) = kind {
            inv.deployment.push(deploy::file(&rel, kind, &text));
        }
        if is_py {
            match unread(&rel, &bytes, false) {
                Some(Unread::Test) => {
                    if let Some(t) = test_suite::count(&rel, &text) {
                        inv.test_files.push(t);
                    }
                }
                Some(_) => {}
                None => python.push((rel, text)),
            }
        }
    }
    inv.raw_sql_tables.extend(raw_sql::tables(&python));
    inv.test_files.sort();
    inv.deployment.sort();
}
