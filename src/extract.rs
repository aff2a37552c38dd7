//! Runs every framework's extractor over the parsed project.

use crate::inventory::Inventory;
use crate::python::Project;

pub fn all(project: &Project, inv: &mut Inventory) {
    let shared = crate::python::Shared::new(&project.files);
    crate::deps::extract(project, inv);
    // Flask, Django and job extraction read only the project and what they
    // produce themselves, so they run concurrently into separate inventories,
    // merged in a fixed order (finalize sorts everything anyway).
    let (mut flask, (mut django, mut jobs)) = (
        Inventory::default(),
        (Inventory::default(), Inventory::default()),
    );
    rayon::join(
        || crate::flask::extract(project, &shared, &mut flask),
        || {
            rayon::join(
                || crate::django::extract(project, &mut django),
                || crate::jobs::extract(project, &shared, &mut jobs),
            )
        },
    );
    inv.absorb(flask);
    inv.absorb(django);
    inv.absorb(jobs);
    crate::deps::detect_frameworks(project, inv);
}
