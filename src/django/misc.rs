//! The rest of the Django surface: apps, settings that matter, auth, forms,
//! templates, migrations, signals, management commands and Django-only jobs.

use super::apps::AppInfo;
use super::eval::Evaluator;
use super::settings::Settings;
use crate::inventory::Inventory;
use crate::scan::Project;

pub fn extract(
    _project: &Project,
    _ev: &Evaluator,
    _settings: &Settings,
    _apps: &[AppInfo],
    _inv: &mut Inventory,
) {
}
