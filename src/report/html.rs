//! One self-contained HTML file (inline CSS, SVG and a little vanilla JavaScript, no external
//! requests): `templates/report.html.j2` over the view model in `view.rs`, auto-escaped.

use super::view;
use crate::inventory::Inventory;
use crate::plan::Plan;

pub fn render_scan(inv: &Inventory) -> anyhow::Result<String> {
    super::render("report.html.j2", &view::build(inv, None))
}

pub fn render_plan(inv: &Inventory, plan: &Plan) -> anyhow::Result<String> {
    super::render("report.html.j2", &view::build(inv, Some(plan)))
}
