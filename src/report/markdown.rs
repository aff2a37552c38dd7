//! Markdown for a pull-request comment or an issue (GitHub renders the Mermaid diagrams):
//! `templates/report.md.j2` over the view model in `view.rs`.

use super::view;
use crate::inventory::Inventory;
use crate::plan::Plan;

pub fn render_scan(inv: &Inventory) -> anyhow::Result<String> {
    super::render("report.md.j2", &view::build(inv, None))
}

pub fn render_plan(inv: &Inventory, plan: &Plan) -> anyhow::Result<String> {
    super::render("report.md.j2", &view::build(inv, Some(plan)))
}
