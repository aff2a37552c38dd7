//! The plan for a person at a terminal: summary and total first, then each step with its
//! heaviest items.

use super::{Item, Plan};
use crate::report::style::Paint;
use crate::rules::Category;
use std::collections::BTreeMap;
use std::fmt::Write;

const HEAVIEST: usize = 5;

fn r(h: super::effort::Hours) -> String {
    fn f(x: f64) -> String {
        if x >= 10.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.1}")
        }
    }
    if h.is_zero() {
        return "0".into();
    }
    format!("{}-{}", f(h.low), f(h.high))
}

/// Width of the effort bars in the step overview.
const BAR: usize = 24;

/// A bar for `h` on a scale of `max` hours: solid to the low estimate, shaded to the high one.
fn bar(h: super::effort::Hours, max: f64) -> String {
    let cells = |x: f64| ((x / max) * BAR as f64).round() as usize;
    let lo = cells(h.low).min(BAR);
    let hi = cells(h.high).clamp(lo, BAR);
    format!(
        "{}{}{}",
        "█".repeat(lo),
        "░".repeat(hi - lo),
        " ".repeat(BAR - hi)
    )
}

/// The plan without colour (for files, pipes and tests).
pub fn render(plan: &Plan, verbose: bool) -> String {
    render_styled(plan, verbose, false)
}

pub fn render_styled(plan: &Plan, verbose: bool, color: bool) -> String {
    let p = Paint { on: color };
    let mut o = String::new();
    let s = &plan.summary;
    let _ = writeln!(
        o,
        "{} {}",
        p.heading(&format!("crossport plan {} for", plan.direction)),
        p.bold(&format!("{} ({})", s.root, plan.guide))
    );
    let _ = writeln!(
        o,
        "  framework: {}, {} lines in {} Python files",
        s.framework, s.lines, s.python_files
    );
    let counts: Vec<String> = crate::report::view::ordered_counts(s.counts.clone())
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect();
    let _ = writeln!(o, "  found:     {}", counts.join(", "));
    let findings: Vec<String> = s.findings.iter().map(|(k, v)| format!("{v} {k}")).collect();
    let _ = writeln!(
        o,
        "  items:     {}",
        if findings.is_empty() {
            "none".into()
        } else {
            findings.join(", ")
        }
    );
    let t = &plan.total;
    let _ = writeln!(
        o,
        "  effort:    {} ({} h) = {} calendar weeks for a team of {}",
        p.effort(&format!("{} engineer-weeks", r(t.engineer_weeks))),
        r(t.effort_hours),
        r(t.calendar_weeks),
        t.team_size
    );
    if !t.optional_effort_hours.is_zero() {
        let _ = writeln!(
            o,
            "             plus {} h of optional items, not in the total",
            r(t.optional_effort_hours)
        );
    }
    if !t.coordination_hours.is_zero() || t.availability < 1.0 {
        let _ = writeln!(
            o,
            "  team:      {} h of work + {} h of coordination; {}% of each engineer's week",
            r(t.work_hours),
            r(t.coordination_hours),
            (t.availability * 100.0).round()
        );
    }
    let cut = &plan.cutover;
    // An extraction (Django->Flask) is priced the same whatever the cut-over: no mode lines.
    if !cut.modes.is_empty() {
        let _ = writeln!(
            o,
            "  cut-over:  {} ({})",
            p.bold(&cut.mode.to_string()),
            cut.why()
        );
        for (i, m) in cut.modes.iter().enumerate() {
            let _ = writeln!(
                o,
                "  {}{:<12} {:>9} h = {} engineer-weeks = {} calendar weeks{}",
                if i == 0 { "per mode:  " } else { "           " },
                m.mode.to_string(),
                r(m.effort_hours),
                r(m.engineer_weeks),
                r(m.calendar_weeks),
                if m.mode == cut.mode {
                    "  <- this plan"
                } else {
                    ""
                }
            );
        }
    }
    let c = &plan.calibration;
    let _ = writeln!(
        o,
        "  guide:     {}; this plan{}: {}",
        c.guide_figure,
        if c.per_30k_lines_engineer_weeks.is_some() {
            " scaled to 30,000 lines"
        } else {
            ""
        },
        match c.per_30k_lines_engineer_weeks {
            Some(h) => format!("{} engineer-weeks, {}", r(h), c.verdict),
            None => format!("{} engineer-weeks, {}", r(t.engineer_weeks), c.verdict),
        }
    );
    if let Some(n) = &c.nearest_case {
        let _ = writeln!(o, "  measured:  {n}");
    }
    if !c.drivers.is_empty() {
        let d: Vec<String> = c
            .drivers
            .iter()
            .take(3)
            .map(|d| format!("{} x{} {} h", d.rule, d.items, r(d.effort_hours)))
            .collect();
        let _ = writeln!(o, "  drivers:   {}", d.join(", "));
    }
    let max = plan
        .steps
        .iter()
        .map(|s| s.effort_hours.high)
        .fold(0.0_f64, f64::max);
    if max > 0.0 {
        let _ = writeln!(o, "  steps:");
        let width = plan
            .steps
            .iter()
            .map(|s| s.title.chars().count())
            .max()
            .unwrap_or(0);
        for step in &plan.steps {
            let _ = writeln!(
                o,
                "    {}. {:<width$}  {} {:>9} h",
                step.number,
                step.title,
                p.effort(&bar(step.effort_hours, max)),
                r(step.effort_hours),
            );
        }
    }
    for step in &plan.steps {
        let _ = writeln!(
            o,
            "\n{}  [{} h{}]",
            p.heading(&format!("Step {}. {}", step.number, step.title)),
            p.effort(&r(step.effort_hours)),
            if step.optional_effort_hours.is_zero() {
                String::new()
            } else {
                format!(", optional {} h", r(step.optional_effort_hours))
            }
        );
        if !step.summary.is_empty() {
            let _ = writeln!(o, "  {}", step.summary);
        }
        let _ = writeln!(o, "  {}", p.dim(&format!("basis: {}", step.basis)));
        // Per rule: count and hours.
        let mut by: BTreeMap<&str, (usize, f64, f64, Category)> = BTreeMap::new();
        for i in &step.items {
            let e = by.entry(&i.rule).or_insert((0, 0.0, 0.0, i.category));
            e.0 += 1;
            e.1 += i.effort_hours.low;
            e.2 += i.effort_hours.high;
        }
        for (rule, (n, lo, hi, cat)) in &by {
            let title = crate::rules::rule(rule).title;
            let _ = writeln!(
                o,
                "  {} {:<9} x{n:<4} {:>11} h  {title}",
                p.rule(rule),
                cat.to_string(),
                r(super::effort::Hours::new(*lo, *hi))
            );
        }
        let mut items: Vec<&Item> = step.items.iter().collect();
        if !verbose {
            items.retain(|i| i.category != Category::Optional && !i.effort_hours.is_zero());
            items.sort_by(|a, b| {
                b.effort_hours
                    .high
                    .total_cmp(&a.effort_hours.high)
                    .then_with(|| a.rule.cmp(&b.rule))
            });
            items.truncate(HEAVIEST);
            // Ranking insights (zero effort) are the point of Django->Flask step 1: show them.
            items.extend(step.items.iter().filter(|i| i.rule == "CP701"));
        }
        if !items.is_empty() {
            let _ = writeln!(o, "  {}:", if verbose { "items" } else { "heaviest items" });
        }
        for i in items {
            let loc = match (&i.file, i.line) {
                (Some(f), Some(l)) => format!(" ({f}:{l})"),
                (Some(f), None) => format!(" ({f})"),
                _ => String::new(),
            };
            let _ = writeln!(
                o,
                "    {} {:>9} h  {}{}",
                p.rule(&i.rule),
                r(i.effort_hours),
                i.message,
                p.dim(&loc)
            );
        }
    }
    let _ = writeln!(o, "\n{}", p.heading("Assumptions:"));
    for a in &plan.assumptions {
        let _ = writeln!(o, "  - {a}");
    }
    let _ = writeln!(
        o,
        "\n`crossport explain RULE` shows what a rule means and why it costs what it costs."
    );
    o
}
