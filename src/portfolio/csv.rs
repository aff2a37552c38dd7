//! Work items for an issue tracker: one row per repository (an epic) and one per plan step (a
//! task under it), with the columns Jira's and most trackers' CSV importers map: Issue ID,
//! Parent ID, Issue Type, Summary, Description (the step's items counted per rule, with the
//! rule's title; the portfolio keeps no item lists), an estimate range in hours, Labels (space-separated, no spaces inside a label).
//!
//! Cells are quoted per RFC 4180, and a cell that a spreadsheet would read as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`.

use super::{Portfolio, num, or_dash, range};
use std::io::Write;

const HEADER: &[&str] = &[
    "Issue ID",
    "Parent ID",
    "Issue Type",
    "Summary",
    "Description",
    "Estimate",
    "Estimate low (h)",
    "Estimate high (h)",
    "Labels",
    "Repository",
    "Wave",
];

fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A label a tracker accepts: no spaces, no commas.
fn label(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_whitespace() || c == ',' {
                '-'
            } else {
                c
            }
        })
        .collect()
}

fn row(o: &mut dyn Write, cells: &[String]) -> std::io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    o.write_all(line.join(",").as_bytes())?;
    o.write_all(b"\r\n")
}

pub fn render(p: &Portfolio) -> String {
    let mut v = Vec::new();
    write(p, &mut v).expect("writing to memory");
    String::from_utf8(v).expect("cells are UTF-8")
}

/// The CSV, written row by row.
pub fn write(p: &Portfolio, o: &mut dyn Write) -> std::io::Result<()> {
    row(o, &HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>())?;
    for (i, r) in p.repositories.iter().filter(|r| r.planned()).enumerate() {
        let id = format!("R{}", i + 1);
        let direction = or_dash(r.direction.as_deref()).to_string();
        let wave = r.wave.map(|w| w.to_string()).unwrap_or_default();
        let mut labels = vec![
            "crossport".to_string(),
            label(&direction.replace("->", "-to-")),
        ];
        if let Some(w) = r.wave {
            labels.push(format!("wave-{w}"));
        }
        if let Some(c) = &r.cutover {
            labels.push(label(&format!("cutover-{c}")));
        }
        let mut desc = format!(
            "Migrate {} ({}) {}: {} routes, {} models, {} jobs, {} lines. Cut-over: {}. Effort {} engineer-weeks (team of {}).",
            r.name,
            or_dash(r.framework.as_deref()),
            direction,
            r.routes,
            r.models,
            r.jobs,
            r.lines,
            or_dash(r.cutover.as_deref()),
            range(r.engineer_weeks),
            r.team_size
        );
        if !r.drivers.is_empty() {
            desc.push_str("\nDrivers:");
            for d in &r.drivers {
                desc.push_str(&format!(
                    "\n- {} {}: {} items, {} h",
                    d.rule,
                    d.title,
                    d.items,
                    range(d.effort_hours)
                ));
            }
        }
        let estimate = format!("{} h", range(r.effort_hours));
        row(
            o,
            &[
                id.clone(),
                String::new(),
                "Epic".into(),
                format!("Migrate {} ({})", r.name, direction),
                desc,
                estimate,
                num(r.effort_hours.low),
                num(r.effort_hours.high),
                labels.join(" "),
                r.name.clone(),
                wave.clone(),
            ],
        )?;
        for s in &r.steps {
            let mut desc = format!("{} items.", s.items);
            for (rule, n) in &s.rules {
                let rule = rule.0.as_str();
                desc.push_str(&format!("\n- {rule} x{n}"));
                if let Some(rr) = crate::rules::lookup(rule) {
                    desc.push_str(&format!(": {}", rr.title));
                }
            }
            desc.push_str(&format!(
                "\nEach item with its file and line: crossport plan {}",
                r.name
            ));
            row(
                o,
                &[
                    format!("{id}.{}", s.number),
                    id.clone(),
                    "Task".into(),
                    format!("{}: step {} – {}", r.name, s.number, s.title),
                    desc,
                    format!("{} h", range(s.effort_hours)),
                    num(s.effort_hours.low),
                    num(s.effort_hours.high),
                    labels.join(" "),
                    r.name.clone(),
                    wave.clone(),
                ],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(1)"), "'@SUM(1)");
        assert_eq!(label("big bang, now"), "big-bang--now");
    }
}
