//! Classes across the project: where each is defined and what it derives from.
//!
//! Framework extractors ask "is this class (transitively) a MethodView / a
//! db.Model / a models.Model?" and "which methods does it get from its bases?".
//! Bases are resolved with the module's imports, so a base defined in another
//! file, imported under an alias or re-exported, is followed.

use super::SourceModule;
use super::ir::{ClassDef, Expr, Stmt};
use super::resolve::Resolver;
use std::collections::BTreeMap;

const MAX_DEPTH: usize = 32;

pub struct ClassIndex<'p> {
    /// canonical id (`module.Class`, nested: `module.Outer.Inner`) -> (module, class);
    /// ordered, so that every walk over all classes is deterministic.
    classes: BTreeMap<String, (&'p SourceModule, &'p ClassDef)>,
}

impl<'p> ClassIndex<'p> {
    pub fn new(files: &'p [SourceModule]) -> Self {
        let mut classes = BTreeMap::new();
        for f in files {
            let mut stack: Vec<(&[Stmt], String)> = vec![(&f.body, f.module.clone())];
            while let Some((body, prefix)) = stack.pop() {
                for s in body {
                    match s {
                        Stmt::Class(c) => {
                            let id = format!("{prefix}.{}", c.name);
                            stack.push((&c.body, id.clone()));
                            classes.entry(id).or_insert((f, &**c));
                        }
                        Stmt::Block(b) => stack.push((b, prefix.clone())),
                        _ => {}
                    }
                }
            }
        }
        ClassIndex { classes }
    }

    pub fn get(&self, id: &str) -> Option<(&'p SourceModule, &'p ClassDef)> {
        self.classes.get(id).copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &(&'p SourceModule, &'p ClassDef))> {
        self.classes.iter()
    }

    /// Canonical ids of a class's direct bases.
    pub fn bases(
        &self,
        resolver: &Resolver,
        module: &SourceModule,
        class: &ClassDef,
    ) -> Vec<String> {
        bases(resolver, module, class)
    }

    /// Every ancestor id (breadth first, each once), including external ones.
    pub fn ancestors(&self, resolver: &Resolver, id: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut queue = vec![id.to_string()];
        let mut i = 0;
        while i < queue.len() && i < MAX_DEPTH * 4 {
            let current = queue[i].clone();
            i += 1;
            if let Some((m, c)) = self.get(&current) {
                for b in self.bases(resolver, m, c) {
                    if b != id && !out.contains(&b) {
                        out.push(b.clone());
                        queue.push(b);
                    }
                }
            }
        }
        out
    }

    /// Whether `id` derives (transitively) from any of `targets`.
    pub fn derives_from(&self, resolver: &Resolver, id: &str, targets: &[&str]) -> bool {
        self.ancestors(resolver, id)
            .iter()
            .any(|a| targets.contains(&a.as_str()))
    }
}

/// Canonical ids of a class's direct bases, resolved in its module.
pub fn bases(resolver: &Resolver, module: &SourceModule, class: &ClassDef) -> Vec<String> {
    class
        .bases
        .iter()
        .filter_map(base_name)
        .map(|d| resolver.resolve(&module.module, &d))
        .collect()
}

/// `Base`, `mod.Base`, and `Generic[T]`-style subscripts reduce to a dotted name.
fn base_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Subscript(v, _) => v.dotted(),
        _ => e.dotted(),
    }
}
