//! Runs every framework's extractor over the parsed project.

use crate::inventory::Inventory;
use crate::scan::Project;

pub fn all(project: &Project, inv: &mut Inventory) {
    let shared = crate::python::Shared::new(&project.files);
    crate::deps::extract(project, inv);
    crate::flask::extract(project, &shared, inv);
    crate::django::extract(project, inv);
    crate::jobs::extract(project, &shared, inv);
    crate::deps::detect_frameworks(project, inv);
}
