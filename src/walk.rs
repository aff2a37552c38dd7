//! Discovery: the files of a repository worth reading, in a stable order.
//!
//! Uses the `ignore` crate's parallel walker (so `.gitignore` is respected) and
//! prunes directories that hold other people's code or build output. Symlinks
//! are not followed, so a scan never leaves the root and never loops.

use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Directories never worth scanning: environments, caches, build output.
pub const PRUNED_DIRS: &[&str] = &[
    "node_modules",
    "site-packages",
    "dist-packages",
    "__pycache__",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".eggs",
    "build",
    "dist",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".git",
    ".hg",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    Python,
    /// requirements*.txt, pyproject.toml, setup.cfg, setup.py's siblings, Pipfile
    Manifest,
    /// Jinja2 / Django template files.
    Template,
}

#[derive(Debug)]
pub struct Found {
    pub rel: String,
    pub path: PathBuf,
    pub kind: FileKind,
    /// Size in bytes (0 if unknown): the scan parses the largest files first.
    pub size: u64,
}

pub struct Walked {
    pub files: Vec<Found>,
    /// Entries the walker could not read (permissions, vanished files, loops).
    pub errors: Vec<(String, String)>,
    /// Every regular file seen, relevant or not.
    pub total_files: usize,
    /// When asked for: what the surface pass reads (`surface::Others`), Python and
    /// deployment files, hidden folders included (the files above skip them).
    pub surface: Vec<(String, PathBuf)>,
}

pub fn classify(rel: &str) -> Option<FileKind> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.ends_with(".py") {
        return Some(FileKind::Python);
    }
    if name == "pyproject.toml"
        || name == "setup.cfg"
        || name == "Pipfile"
        || (name.starts_with("requirements") && name.ends_with(".txt"))
        || (rel.contains("requirements/") && name.ends_with(".txt"))
    {
        return Some(FileKind::Manifest);
    }
    let in_templates = rel.starts_with("templates/") || rel.contains("/templates/");
    if in_templates
        && [".html", ".htm", ".jinja", ".jinja2", ".j2", ".txt", ".xml"]
            .iter()
            .any(|e| name.ends_with(e))
    {
        return Some(FileKind::Template);
    }
    None
}

pub fn is_virtualenv(dir: &Path) -> bool {
    dir.join("pyvenv.cfg").is_file()
}

/// Walks `root`. With `surface`, hidden folders are entered too, for
/// [`Walked::surface`] only: one walk serves both, where the surface pass
/// used to walk the tree again on a thread of its own.
pub fn walk(root: &Path, threads: usize, surface: bool) -> Walked {
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let others = Mutex::new(Vec::new());
    let total = std::sync::atomic::AtomicUsize::new(0);
    let root_owned = root.to_path_buf();
    WalkBuilder::new(root)
        .threads(threads.max(1))
        .follow_links(false)
        .require_git(false)
        .hidden(!surface)
        .filter_entry(descend)
        .build_parallel()
        .run(|| {
            let (found, errors, others, total, root) =
                (&found, &errors, &others, &total, &root_owned);
            Box::new(move |entry| {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        let rel = e
                            .path()
                            .strip_prefix(root)
                            .unwrap_or(e.path())
                            .to_string_lossy()
                            .replace('\\', "/");
                        let hidden = surface && is_hidden(&rel);
                        if surface
                            && (rel.ends_with(".py")
                                || crate::surface::deploy::classify(&rel).is_some())
                        {
                            others
                                .lock()
                                .unwrap()
                                .push((rel.clone(), e.path().to_path_buf()));
                        }
                        if hidden {
                            return WalkState::Continue;
                        }
                        total.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let rel = if rel.is_empty() {
                            e.file_name().to_string_lossy().into_owned()
                        } else {
                            rel
                        };
                        if let Some(kind) = classify(&rel) {
                            let size = e.metadata().map_or(0, |m| m.len());
                            found.lock().unwrap().push(Found {
                                rel,
                                path: e.into_path(),
                                kind,
                                size,
                            });
                        }
                    }
                    Ok(_) => {}
                    Err(err) => {
                        let path = error_path(&err).map(|p| p.display().to_string());
                        // What only the hidden folders' walk ran into was never reported.
                        let in_hidden = surface
                            && path.as_deref().is_some_and(|p| {
                                Path::new(p)
                                    .strip_prefix(root)
                                    .is_ok_and(|r| is_hidden(&r.to_string_lossy()))
                            });
                        if !in_hidden {
                            let path = match &err {
                                ignore::Error::WithPath { path, .. } => path.display().to_string(),
                                _ => String::new(),
                            };
                            errors.lock().unwrap().push((path, err.to_string()));
                        }
                    }
                }
                WalkState::Continue
            })
        });
    let mut files = found.into_inner().unwrap();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut errors = errors.into_inner().unwrap();
    errors.sort();
    let mut surface = others.into_inner().unwrap();
    surface.sort();
    Walked {
        files,
        errors,
        total_files: total.into_inner(),
        surface,
    }
}

/// Whether a root-relative path lies in a hidden folder or is a hidden file
/// (a name starting with `.`), which the walk skips unless the surface pass wants them.
fn is_hidden(rel: &str) -> bool {
    rel.split('/').any(|part| part.starts_with('.'))
}

/// The path an error of the walk is about, however it is wrapped.
fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// Whether the walk enters a directory: not build output, caches, virtualenvs
/// or installed packages (see `PRUNED_DIRS`).
pub fn descend(e: &ignore::DirEntry) -> bool {
    if e.depth() == 0 || !e.file_type().is_some_and(|t| t.is_dir()) {
        return true;
    }
    let name = e.file_name().to_string_lossy();
    !PRUNED_DIRS.contains(&name.as_ref())
        && !name.ends_with(".egg-info")
        && !is_virtualenv(e.path())
}
