//! Markdown for a pull-request comment or an issue (GitHub renders the Mermaid diagrams):
//! `templates/report.md.j2` over the view model in `view.rs`. Inventory tables show their first
//! 100 rows (longer ones fold into `<details>`) and the model diagram its 40 most connected
//! models, so that even pretix (180,000 lines, 514 routes) stays under GitHub's 65,536-character
//! comment limit; the plan's checklists are always complete.

use super::view;
use crate::inventory::Inventory;
use crate::plan::Plan;

pub fn render_scan(inv: &Inventory) -> anyhow::Result<String> {
    super::render("report.md.j2", &view::build(inv, None))
}

pub fn render_plan(inv: &Inventory, plan: &Plan) -> anyhow::Result<String> {
    super::render("report.md.j2", &view::build(inv, Some(plan)))
}
