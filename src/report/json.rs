//! The inventory as JSON (pretty-printed, trailing newline, stable order).

use crate::inventory::Inventory;
use anyhow::Result;
use std::io::Write;

/// Writes the JSON to `w` as it is produced: `scan` does, because a large
/// inventory's text would otherwise be its largest block at the memory peak.
pub fn write(inv: &Inventory, w: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, inv)?;
    w.write_all(b"\n")
}

pub fn render(inv: &Inventory) -> Result<String> {
    let mut out = Vec::new();
    write(inv, &mut out)?;
    Ok(String::from_utf8(out)?)
}
