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
use ignore::WalkBuilder;
use rayon::prelude::*;
use std::path::Path;

/// Files larger than this are not read for these facts (generated or vendored content).
const MAX_BYTES: u64 = 1024 * 1024;

/// Adds raw-SQL tables, test files and deployment files under `root` to `inv`.
/// A single file as root adds nothing: none of these facts live in one module.
pub fn extend(root: &Path, inv: &mut Inventory) {
    if !root.is_dir() {
        return;
    }
    // Walk serially (cheap), read and scan the files in parallel, keep the walk's order.
    let mut paths: Vec<(String, std::path::PathBuf)> = Vec::new();
    for entry in WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .hidden(false)
        .filter_entry(crate::walk::descend)
        .build()
        .flatten()
    {
        if !entry.file_type().is_some_and(|t| t.is_file())
            || entry.metadata().map_or(true, |m| m.len() > MAX_BYTES)
        {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".py") || deploy::classify(&rel).is_some() {
            paths.push((rel, entry.into_path()));
        }
    }
    paths.sort();
    let found: Vec<Found> = paths
        .par_iter()
        .map(|(rel, path)| read_one(rel, path))
        .collect();
    let mut tables = Vec::new();
    for f in found {
        inv.deployment.extend(f.deploy);
        inv.test_files.extend(f.tests);
        tables.push(f.tables);
    }
    inv.raw_sql_tables.extend(raw_sql::resolve(tables));
    inv.test_files.sort();
    inv.deployment.sort();
}

/// What one file adds.
#[derive(Default)]
struct Found {
    deploy: Option<crate::inventory::DeployFile>,
    tests: Option<crate::inventory::TestFile>,
    tables: raw_sql::FileTables,
}

fn read_one(rel: &str, path: &Path) -> Found {
    let mut out = Found::default();
    let Ok(bytes) = std::fs::read(path) else {
        return out;
    };
    let text = String::from_utf8_lossy(&bytes);
    if let Some(kind) = deploy::classify(rel) {
        out.deploy = Some(deploy::file(rel, kind, &text));
    }
    if rel.ends_with(".py") {
        match unread(rel, &bytes, false) {
            Some(Unread::Test) => out.tests = test_suite::count(rel, &text),
            Some(_) => {}
            None => out.tables = raw_sql::file(rel, &text),
        }
    }
    out
}
