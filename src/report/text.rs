//! The inventory for a person at a terminal: a summary, then the largest tables.

use super::style::Paint;
use crate::inventory::Inventory;
use std::fmt::Write;
use std::time::Duration;

const SHOWN: usize = 15;

pub fn one_line_summary(inv: &Inventory, elapsed: Duration) -> String {
    let c = inv.counts();
    format!(
        "crossport: {} files, {} lines, {} routes, {} models, {} jobs, {} warnings in {:.2}s",
        inv.stats.files,
        inv.stats.lines,
        c["routes"],
        c["models"],
        c["jobs"],
        inv.warnings.len(),
        elapsed.as_secs_f64()
    )
}

/// The report without colour (for files, pipes and tests).
pub fn render(inv: &Inventory, verbose: bool) -> String {
    render_styled(inv, verbose, false)
}

pub fn render_styled(inv: &Inventory, verbose: bool, color: bool) -> String {
    let p = Paint { on: color };
    let mut o = String::new();
    let fw: Vec<String> = inv
        .frameworks
        .iter()
        .map(|f| {
            format!(
                "{}{}",
                f.name,
                f.version_spec
                    .as_deref()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let _ = writeln!(
        o,
        "{} {}",
        p.heading("crossport scan of"),
        p.bold(&one_line(&inv.root))
    );
    let _ = writeln!(
        o,
        "  framework: {}",
        if fw.is_empty() {
            "none detected (no Flask or Django import or dependency)".into()
        } else {
            fw.join(", ")
        }
    );
    let _ = writeln!(
        o,
        "  size:      {} files, {} Python, {} lines{}",
        inv.stats.files,
        inv.stats.python_files,
        inv.stats.lines,
        if inv.stats.parse_errors > 0 {
            format!(", {} with syntax errors", inv.stats.parse_errors)
        } else {
            String::new()
        }
    );
    let counts: Vec<String> = super::view::counts(inv)
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect();
    let _ = writeln!(o, "  found:     {}", counts.join(", "));
    if !inv.stats.mounted.is_empty() {
        let _ = writeln!(
            o,
            "  mounted:   {} URLconf module(s) read from installed packages ({}); their routes are third-party",
            inv.stats.mounted.len(),
            inv.stats.mounted.join(", ")
        );
    }
    if inv.primary_framework().is_some() {
        let plan = crate::plan::build(inv, &crate::plan::PlanOptions::default());
        let _ = writeln!(
            o,
            "  effort:    {} ({} h) for {}; `crossport plan` shows the steps",
            p.effort(&format!(
                "{} engineer-weeks",
                super::view::range(plan.total.engineer_weeks)
            )),
            super::view::range(plan.total.effort_hours),
            plan.direction
        );
    }
    if !inv.warnings.is_empty() {
        let _ = writeln!(
            o,
            "  warnings:  {}",
            p.warn(&format!("{} (listed below)", inv.warnings.len()))
        );
    }
    let limit = if verbose { usize::MAX } else { SHOWN };

    section(
        &mut o,
        p,
        "Routes",
        inv.routes.len(),
        limit,
        inv.routes.iter().map(|r| {
            let methods = if r.methods.is_empty() {
                "*".to_string()
            } else {
                r.methods.join(",")
            };
            let auth = if r.auth.is_empty() {
                String::new()
            } else {
                format!("  [{}]", r.auth.join(", "))
            };
            let unresolved = if r.resolved { "" } else { "  (unresolved)" };
            format!(
                "{:<16} {}  -> {}{auth}{unresolved}",
                methods,
                r.rule,
                r.view.as_deref().unwrap_or("?")
            )
        }),
    );
    section(
        &mut o,
        p,
        "Models",
        inv.models.len(),
        limit,
        inv.models.iter().map(|m| {
            let traits = if m.traits.is_empty() {
                String::new()
            } else {
                format!("  [{}]", m.traits.join(", "))
            };
            format!(
                "{}.{}  table {}  {} fields, {} relations{}{traits}",
                m.module,
                m.name,
                m.table.as_deref().unwrap_or("-"),
                m.fields.len(),
                m.relations.len(),
                if m.r#abstract { "  (abstract)" } else { "" }
            )
        }),
    );
    section(
        &mut o,
        p,
        "Auth",
        inv.auth.len(),
        limit,
        inv.auth.iter().map(|a| {
            format!(
                "{:<20} {:<14} {}  {}:{}",
                a.system, a.kind, a.name, a.file, a.line
            )
        }),
    );
    section(
        &mut o,
        p,
        "Jobs",
        inv.jobs.len(),
        limit,
        inv.jobs.iter().map(|j| {
            let sched = j
                .schedule
                .as_deref()
                .map(|s| format!("  schedule {s}"))
                .unwrap_or_default();
            format!("{:<18} {}  {}:{}{sched}", j.kind, j.name, j.file, j.line)
        }),
    );
    section(
        &mut o,
        p,
        "Admin",
        inv.admin.len(),
        limit,
        inv.admin.iter().map(|a| {
            format!(
                "{}  ({})",
                a.model,
                a.admin_class.as_deref().unwrap_or("default")
            )
        }),
    );
    section(
        &mut o,
        p,
        "Extensions",
        inv.extensions.len(),
        limit,
        inv.extensions
            .iter()
            .map(|e| format!("{:<22} {}", e.name, e.purpose)),
    );
    section(
        &mut o,
        p,
        "Warnings",
        inv.warnings.len(),
        limit,
        inv.warnings.iter().map(|w| {
            let loc = match (&w.file, w.line) {
                (Some(f), Some(l)) => format!("{f}:{l}: "),
                (Some(f), None) => format!("{f}: "),
                _ => String::new(),
            };
            format!("{loc}{}", w.message)
        }),
    );
    if inv.stats.python_files == 0 {
        let _ = writeln!(
            o,
            "\nNothing to migrate: no Python files were found under {}.",
            one_line(&inv.root)
        );
    } else if inv.frameworks.is_empty() {
        let _ = writeln!(
            o,
            "\nNothing to migrate: no Flask or Django code was found under {}.",
            one_line(&inv.root)
        );
    } else if !verbose {
        let _ = writeln!(
            o,
            "\nUse --verbose for every item, --format json for the full inventory."
        );
    }
    o
}

fn section(
    o: &mut String,
    p: Paint,
    title: &str,
    total: usize,
    limit: usize,
    items: impl Iterator<Item = String>,
) {
    if total == 0 {
        return;
    }
    let _ = writeln!(o, "\n{} {}", p.heading(title), p.dim(&format!("({total})")));
    for item in items.take(limit) {
        let _ = writeln!(o, "  {}", one_line(&item));
    }
    if total > limit {
        let _ = writeln!(
            o,
            "  {}",
            p.dim(&format!(
                "... and {} more (--verbose shows all)",
                total - limit
            ))
        );
    }
}

/// `s` with control characters (a newline or escape in a file name, a route)
/// escaped, so that one item stays one line and cannot drive the terminal.
fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}
