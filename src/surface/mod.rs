//! What a port touches beyond the framework code: tables kept with raw SQL, the existing test
//! suite, and deployment files. Real ports spent much of their time there (see
//! `tests/calibration/`), yet none of it is visible to the Python extractors.
//!
//! Plain text, line by line, no parsing. The scan hands each Python file it reads to `facts`
//! (the same bytes, read once); `Others` reads the rest: deployment files, Python
//! files under hidden folders (listed apart by the walk), files the scan did not read.
//! Each concern has its own module; this one dispatches and merges.

pub mod deploy;
pub mod raw_sql;
pub mod test_suite;

use crate::inventory::Inventory;
use crate::unread::{Unread, unread};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::path::PathBuf;

/// Files larger than this are not read for these facts (generated or vendored content).
pub const MAX_BYTES: u64 = 1024 * 1024;

/// What one file adds.
#[derive(Default)]
pub struct Facts {
    deploy: Option<crate::inventory::DeployFile>,
    tests: Option<crate::inventory::TestFile>,
    tables: raw_sql::FileTables,
}

/// The facts of the file at root-relative `rel`, from its bytes as stored (before any
/// decoding: a BOM or invalid UTF-8 reads as it always has here).
pub fn facts(rel: &str, bytes: &[u8]) -> Facts {
    let mut out = Facts::default();
    let text = String::from_utf8_lossy(bytes);
    if let Some(kind) = deploy::classify(rel) {
        out.deploy = Some(deploy::file(rel, kind, &text));
    }
    if rel.ends_with(".py") {
        match unread(rel, bytes, false) {
            Some(Unread::Test) => out.tests = test_suite::count(rel, &text),
            Some(_) => {}
            None => out.tables = raw_sql::file(rel, &text),
        }
    }
    out
}

/// The files of a repository this pass wants (`walk::Walked::surface`: hidden files
/// included, none opened yet), by root-relative path.
pub struct Others(pub Vec<(String, PathBuf)>);

impl Others {
    /// Reads the listed files the scan has not given the facts of (`done`, by relative path).
    pub fn read(self, done: &FxHashSet<&str>) -> Vec<Facts> {
        self.0
            .par_iter()
            .filter(|(rel, _)| !done.contains(rel.as_str()))
            .filter_map(|(rel, path)| {
                let small = std::fs::metadata(path).is_ok_and(|m| m.len() <= MAX_BYTES);
                let bytes = small.then(|| std::fs::read(path).ok()).flatten()?;
                Some(facts(rel, &bytes))
            })
            .collect()
    }
}

/// Adds the raw-SQL tables, test files and deployment files of `facts` to `inv`.
pub fn add(facts: impl IntoIterator<Item = Facts>, inv: &mut Inventory) {
    let mut tables = Vec::new();
    for f in facts {
        inv.deployment.extend(f.deploy);
        inv.test_files.extend(f.tests);
        tables.push(f.tables);
    }
    inv.raw_sql_tables.extend(raw_sql::resolve(tables));
}
