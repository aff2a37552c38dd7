//! What a port touches beyond the framework code: tables kept with raw SQL, the existing test
//! suite, and deployment files. Real ports spent much of their time there (see
//! `tests/calibration/`), yet none of it is visible to the Python extractors.
//!
//! Plain text, line by line, no parsing. The scan hands each Python file it reads to `facts`
//! (the same bytes, read once); `Others` lists and reads the rest: deployment files, Python
//! files under hidden folders (the scan's walk skips those), files the scan did not read.
//! Each concern has its own module; this one dispatches and merges.

pub mod deploy;
pub mod raw_sql;
pub mod test_suite;

use crate::inventory::Inventory;
use crate::unread::{Unread, unread};
use ignore::WalkBuilder;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};

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

/// The files of a repository this pass wants, walked on a thread of their own while the
/// scan parses: hidden files included, no file opened yet.
pub struct Others(std::thread::JoinHandle<Vec<(String, PathBuf)>>);

impl Others {
    pub fn list(root: &Path) -> Others {
        let root = root.to_path_buf();
        Others(std::thread::spawn(move || list(&root)))
    }

    /// Reads the listed files the scan has not given the facts of (`done`, by relative path).
    pub fn read(self, done: &FxHashSet<&str>) -> Vec<Facts> {
        let listed = self
            .0
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        listed
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

fn list(root: &Path) -> Vec<(String, PathBuf)> {
    let mut paths = Vec::new();
    for entry in WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .hidden(false)
        .filter_entry(crate::walk::descend)
        .build()
        .flatten()
    {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
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
    paths
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
