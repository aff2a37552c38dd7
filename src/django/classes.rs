//! Classes across files: find a class by canonical name, its bases in
//! method-resolution order, and attributes/methods looked up along that order.

use crate::python::SourceModule;
use crate::python::ir::{ClassDef, Expr, Stmt};
use crate::scan::Project;

/// The class statement a canonical `module.Name` denotes, if it is in scanned code
/// (top level of its module, or inside a top-level block).
pub fn find<'p>(project: &'p Project, canonical: &str) -> Option<(&'p SourceModule, &'p ClassDef)> {
    let (module, name) = canonical.rsplit_once('.')?;
    let m = project.module(module)?;
    let mut stack: Vec<&[Stmt]> = vec![&m.body];
    while let Some(body) = stack.pop() {
        for s in body {
            match s {
                Stmt::Class(c) if c.name == name => return Some((m, c)),
                Stmt::Block(b) => stack.push(b),
                _ => {}
            }
        }
    }
    None
}

/// Canonical names of a class's bases.
pub fn bases(project: &Project, m: &SourceModule, c: &ClassDef) -> Vec<String> {
    crate::python::classes::bases(&project.resolver, m, c)
}

/// The class itself and its ancestors, depth-first left-to-right, each once.
/// External classes appear by canonical name and are not descended into.
pub fn mro(project: &Project, canonical: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stack = vec![canonical.to_string()];
    while let Some(c) = stack.pop() {
        if out.contains(&c) || out.len() > 64 {
            continue;
        }
        out.push(c.clone());
        if let Some((m, cd)) = find(project, &c) {
            for b in bases(project, m, cd).into_iter().rev() {
                stack.push(b);
            }
        }
    }
    out
}

/// A class attribute looked up along the MRO: (value, module it was written in).
pub fn attr<'p>(
    project: &'p Project,
    canonical: &str,
    name: &str,
) -> Option<(&'p Expr, &'p SourceModule)> {
    for c in mro(project, canonical) {
        if let Some((m, cd)) = find(project, &c)
            && let Some(v) = cd.attr(name)
        {
            return Some((v, m));
        }
    }
    None
}
