//! Bodies the scan did not read, read again when an interpreter must run them.
//!
//! A function whose body named nothing the inventory needs was blanked
//! before parsing or not lowered (see `elide`), so its `FuncDef` holds only
//! its imports. The Django URL interpreter, though, may call such a helper
//! (`registry.add(view)`); rather than give up, it asks for the body here:
//! the file is read again and only that function is parsed and lowered.
//! Results are cached per function, and few functions are ever asked for.

use super::ir::{FuncDef, Stmt, walk_stmts};
use super::{SourceModule, elide, lower, parse};
use rustc_hash::FxHashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Where the scanned files' text can be read again.
pub enum Origin {
    /// Files under this directory (paths are relative to it).
    Disk(PathBuf),
    /// One in-memory file (`scan_source`).
    Memory(Vec<u8>),
}

/// A function body, as the scan lowered it or as read again.
pub enum Body<'a> {
    Read(&'a [Stmt]),
    Reread(Arc<[Stmt]>),
}

impl std::ops::Deref for Body<'_> {
    type Target = [Stmt];
    fn deref(&self) -> &[Stmt] {
        match self {
            Body::Read(b) => b,
            Body::Reread(b) => b,
        }
    }
}

/// Bodies read again, by file path and `def` line (`None`: could not be).
type Cache = FxHashMap<(String, u32), Option<Arc<[Stmt]>>>;

pub struct Sources {
    origin: Origin,
    bodies: Mutex<Cache>,
}

impl Sources {
    pub fn new(origin: Origin) -> Self {
        Sources {
            origin,
            bodies: Mutex::default(),
        }
    }

    /// The whole body of `fd`, defined in `m`: its lowered body when the scan
    /// read it, else read again; `None` when the file cannot be read again or
    /// no longer holds that function where it was.
    pub fn body<'a>(&self, m: &SourceModule, fd: &'a FuncDef) -> Option<Body<'a>> {
        if !fd.elided {
            return Some(Body::Read(&fd.body));
        }
        self.reread(m, fd).map(Body::Reread)
    }

    /// A data file of the scanned tree (`rel`: relative to its root), up to
    /// `max` bytes; `None` when the files are not on disk.
    pub fn data_file(&self, rel: &str, max: u64) -> Option<Vec<u8>> {
        let Origin::Disk(root) = &self.origin else {
            return None;
        };
        // inside the root once links are followed (a symlink may point
        // anywhere), and a regular file (a FIFO or a device never ends)
        let path = root.join(rel).canonicalize().ok()?;
        if !path.starts_with(root.canonicalize().ok()?) || !path.metadata().ok()?.is_file() {
            return None;
        }
        match crate::source::read(&path, max) {
            crate::source::Read::Text { bytes, .. } => Some(bytes),
            crate::source::Read::Skip(_) => None,
        }
    }

    /// The entries of a folder of the scanned tree (`rel`: relative to its
    /// root), sorted by name, each with whether it is a folder; `None` when
    /// the files are not on disk or it is no folder inside the root.
    pub fn list_dir(&self, rel: &str) -> Option<Vec<(String, bool)>> {
        let Origin::Disk(root) = &self.origin else {
            return None;
        };
        let path = root.join(rel).canonicalize().ok()?;
        if !path.starts_with(root.canonicalize().ok()?) || !path.is_dir() {
            return None;
        }
        let mut out: Vec<(String, bool)> = std::fs::read_dir(&path)
            .ok()?
            .filter_map(|e| {
                let e = e.ok()?;
                Some((e.file_name().into_string().ok()?, e.path().is_dir()))
            })
            .collect();
        out.sort();
        Some(out)
    }

    fn reread(&self, m: &SourceModule, fd: &FuncDef) -> Option<Arc<[Stmt]>> {
        let key = (m.path.clone(), fd.pos.line);
        if let Some(hit) = self.lock().get(&key) {
            return hit.clone();
        }
        let body = self.read(m, fd).map(Arc::from);
        self.lock().insert(key, body.clone());
        body
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        // A panic elsewhere while holding the lock leaves a usable cache.
        self.bodies.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self, m: &SourceModule, fd: &FuncDef) -> Option<Box<[Stmt]>> {
        let text = match &self.origin {
            Origin::Disk(root) => match crate::source::read(&root.join(&m.path), u64::MAX) {
                crate::source::Read::Text { bytes, .. } => bytes,
                crate::source::Read::Skip(_) => return None,
            },
            Origin::Memory(bytes) => bytes.clone(),
        };
        // Just that function when the tokenizer can delimit it; else (tabs in
        // indentation, say) the whole file.
        let snippet = match elide::def_span(&text, fd.pos.line) {
            Some(span) => {
                // Blank lines in front keep every line number as in the file;
                // the body's lines are verbatim, so their columns are too.
                let mut s = vec![b'\n'; fd.pos.line.saturating_sub(1) as usize];
                s.extend_from_slice(&text[span]);
                s
            }
            None => text,
        };
        let tree = parse::parse(&snippet)?;
        let module = lower::Lowerer::new(&snippet, None).module(tree.root_node());
        let mut found = None;
        walk_stmts(&module, |s, _| {
            if let Stmt::Func(f) = s
                && f.name == fd.name
                && f.pos.line == fd.pos.line
                && found.is_none()
            {
                found = Some(f.body.clone());
            }
        });
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::ir::Pos;

    fn module(src: &str) -> SourceModule {
        crate::python::modules_for_test(&[("app", src)]).remove(0)
    }

    #[test]
    fn blanked_and_unlowered_bodies_are_read_again() {
        let blanked = "import os\n\n\nclass A:\n    def helper(self, x):\n        y = x + 1\n        return [y]\n";
        // Tabs: not blanked, but not lowered either (it names only a query
        // literal), and the tokenizer cannot delimit it: the whole file is read.
        let tabs = "class A:\n\tdef helper(self, x):\n\t\ty = render(x)\n\t\treturn [y]\n";
        for (src, line) in [(blanked, 7), (tabs, 4)] {
            let m = module(src);
            let Some(Stmt::Class(c)) = m.body.iter().find(|s| matches!(s, Stmt::Class(_))) else {
                panic!("{src:?}");
            };
            let fd = c.methods().next().expect("method");
            assert!(fd.elided && fd.body.is_empty(), "{src:?}");
            let sources = Sources::new(Origin::Memory(src.as_bytes().to_vec()));
            let body = sources.body(&m, fd).expect("read again");
            assert_eq!(body.len(), 2, "{src:?}");
            assert!(
                matches!(body[1], Stmt::Return(Some(_), Pos { line: l, .. }) if l == line),
                "{src:?}"
            );
        }
    }

    #[test]
    fn a_function_no_longer_where_it_was_is_not_read() {
        let src = "def helper(x):\n    y = x + 1\n    return [y]\n";
        let m = module(src);
        let Some(Stmt::Func(fd)) = m.body.first() else {
            panic!()
        };
        let moved = Sources::new(Origin::Memory(format!("\n{src}").into_bytes()));
        assert!(moved.body(&m, fd).is_none());
    }
}
