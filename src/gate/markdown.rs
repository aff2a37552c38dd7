//! A Markdown summary of a check, for `$GITHUB_STEP_SUMMARY`.

use super::Outcome;

const MAX_ROWS: usize = 50;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(o: &Outcome) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "## crossport check: {}\n\n",
        if o.passed {
            "passed \u{2705}"
        } else {
            "failed \u{274c}"
        }
    ));
    s.push_str(&format!("Migration: `{}`\n\n", o.direction));
    s.push_str("| findings | new | suppressed | failing the gate | effort of counted findings (h, high) |\n");
    s.push_str("| ---: | ---: | ---: | ---: | ---: |\n");
    s.push_str(&format!(
        "| {} | {} | {} | {} | {} |\n\n",
        o.counts.findings,
        o.counts.new,
        o.counts.suppressed,
        o.counts.failing,
        o.counts.effort_hours_high
    ));
    if let Some(r) = &o.ratchet {
        s.push_str("### Migration progress\n\n");
        for p in &r.progress {
            s.push_str(&format!("- {p}\n"));
        }
        s.push('\n');
    }
    if !o.violations.is_empty() {
        s.push_str("### Why the gate failed\n\n");
        for v in &o.violations {
            s.push_str(&format!("- {}\n", cell(v)));
        }
        s.push('\n');
    }
    let failing: Vec<_> = o.findings.iter().filter(|f| f.fails).collect();
    if !failing.is_empty() {
        s.push_str("### Findings that fail the gate\n\n| rule | category | where | finding |\n| --- | --- | --- | --- |\n");
        for f in failing.iter().take(MAX_ROWS) {
            let at = match (&f.file, f.line) {
                (Some(file), Some(l)) => format!("`{}:{l}`", o.shown_path(file)),
                (Some(file), None) => format!("`{}`", o.shown_path(file)),
                _ => "project".into(),
            };
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                f.rule,
                f.category,
                at,
                cell(&f.message)
            ));
        }
        if failing.len() > MAX_ROWS {
            s.push_str(&format!(
                "\n... and {} more (run `crossport check` locally for all).\n",
                failing.len() - MAX_ROWS
            ));
        }
        s.push('\n');
    }
    let sup: Vec<_> = o
        .findings
        .iter()
        .filter(|f| f.suppressed.is_some())
        .collect();
    if !sup.is_empty() {
        s.push_str(&format!("### Suppressed ({})\n\n", sup.len()));
        for f in sup.iter().take(MAX_ROWS) {
            s.push_str(&format!(
                "- {} `{}` -- {}\n",
                f.rule,
                f.file
                    .as_deref()
                    .map(|p| o.shown_path(p))
                    .unwrap_or_default(),
                cell(&f.suppressed.as_ref().unwrap().reason)
            ));
        }
        s.push('\n');
    }
    if !o.warnings.is_empty() {
        s.push_str("### Warnings\n\n");
        for w in &o.warnings {
            s.push_str(&format!("- {}\n", cell(w)));
        }
        s.push('\n');
    }
    s
}
