//! Django: URLconfs, models, auth, admin, settings. (Being built.)

use crate::inventory::Inventory;
use crate::scan::Project;

pub fn extract(_project: &Project, _inv: &mut Inventory) {}
