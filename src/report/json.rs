//! The inventory as JSON (pretty-printed, trailing newline, stable order).

use crate::inventory::Inventory;
use anyhow::Result;

pub fn render(inv: &Inventory) -> Result<String> {
    let mut s = serde_json::to_string_pretty(inv)?;
    s.push('\n');
    Ok(s)
}
