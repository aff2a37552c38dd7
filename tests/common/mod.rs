//! Helpers shared by several integration tests (each uses some of them).
#![allow(dead_code)]

use crossport::inventory::Inventory;
use crossport::scan::{ScanOptions, scan};
use std::path::Path;

/// Writes `files` (path, text) under a fresh folder and scans it.
pub fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Inventory) {
    let dir = write(files);
    let inv = scan(dir.path(), &ScanOptions::default()).expect("scans").0;
    (dir, inv)
}

/// Writes `files` (path, text) under a fresh folder.
pub fn write(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// (rule, endpoint) of every route claimed resolved, sorted.
pub fn resolved(inv: &Inventory) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = inv
        .routes
        .iter()
        .filter(|r| r.resolved)
        .map(|r| (r.rule.clone(), r.endpoint.clone().unwrap_or_default()))
        .collect();
    v.sort();
    v
}

/// (rule, view) of every route claimed resolved, sorted (Django routes name their view).
pub fn resolved_views(inv: &Inventory) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = inv
        .routes
        .iter()
        .filter(|r| r.resolved)
        .map(|r| (r.rule.clone(), r.view.clone().unwrap_or_default()))
        .collect();
    v.sort();
    v
}

/// Scans `path` reading installed packages from `site_packages`.
pub fn scan_with_site_packages(
    path: &Path,
    site_packages: crossport::python::mount::SitePackages,
) -> Inventory {
    let opts = ScanOptions {
        site_packages,
        ..ScanOptions::default()
    };
    scan(path, &opts).expect("scans").0
}

/// (rule, endpoint) pairs as `resolved` gives them, for comparing with it.
pub fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(r, e)| (r.to_string(), e.to_string()))
        .collect()
}

/// Copies a directory tree (a fixture the test is going to edit).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}
