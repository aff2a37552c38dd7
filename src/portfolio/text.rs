//! The portfolio in the terminal: one line per repository, the waves, the timeline, warnings.

use super::{Portfolio, num, or_dash, range};
use std::fmt::Write;

/// Longest repository name shown in full; longer ones keep their end (the distinctive part).
const NAME_WIDTH: usize = 40;

fn clip(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n <= w {
        s.to_string()
    } else {
        let tail: String = s.chars().skip(n - (w - 1)).collect();
        format!("…{tail}")
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut o = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            o.push(',');
        }
        o.push(c);
    }
    o
}

pub fn render(p: &Portfolio) -> String {
    let mut o = String::new();
    let t = &p.totals;
    let _ = writeln!(
        o,
        "crossport portfolio: {} repositor{} ({} planned), {} Python files, {} lines",
        t.repositories,
        if t.repositories == 1 { "y" } else { "ies" },
        t.planned,
        thousands(t.python_files),
        thousands(t.lines)
    );
    let _ = writeln!(
        o,
        "surface: {} routes, {} models, {} jobs",
        thousands(t.routes),
        thousands(t.models),
        thousands(t.jobs)
    );
    let _ = writeln!(
        o,
        "effort: {} engineer-weeks ({} h); {} team(s): {} calendar weeks",
        range(t.engineer_weeks),
        range(t.effort_hours),
        p.timeline.teams,
        range(p.timeline.weeks)
    );
    if !t.hard_traits.is_empty() {
        let h: Vec<String> = t
            .hard_traits
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let _ = writeln!(o, "hard models: {}", h.join(", "));
    }

    let w = p
        .repositories
        .iter()
        .map(|r| r.name.chars().count().min(NAME_WIDTH))
        .max()
        .unwrap_or(4)
        .max(10);
    let _ = writeln!(o, "\nRepositories");
    let _ = writeln!(
        o,
        "  {:<w$}  {:<16} {:>8} {:>6} {:>6} {:>5}  {:<13}  {:<11}  {:>11}  {:>4}",
        "repository",
        "framework",
        "lines",
        "routes",
        "models",
        "jobs",
        "direction",
        "cut-over",
        "eng-weeks",
        "wave"
    );
    for r in &p.repositories {
        let fw = match (&r.framework, &r.version) {
            (Some(f), Some(v)) => format!("{f} {v}"),
            (Some(f), None) => f.clone(),
            _ => "—".into(),
        };
        let _ = writeln!(
            o,
            "  {:<w$}  {:<16} {:>8} {:>6} {:>6} {:>5}  {:<13}  {:<11}  {:>11}  {:>4}",
            clip(&r.name, w),
            clip(&fw, 16),
            thousands(r.lines),
            r.routes,
            r.models,
            r.jobs,
            or_dash(r.direction.as_deref()),
            clip(or_dash(r.cutover.as_deref()), 11),
            if r.planned() {
                range(r.engineer_weeks)
            } else {
                "—".into()
            },
            r.wave.map_or("—".to_string(), |w| w.to_string()),
        );
    }

    let detailed: Vec<_> = p
        .repositories
        .iter()
        .filter(|r| {
            !r.auth_systems.is_empty() || !r.hard_traits.is_empty() || !r.drivers.is_empty()
        })
        .collect();
    if !detailed.is_empty() {
        let _ = writeln!(o, "\nWhat drives each estimate");
        for r in detailed {
            let mut parts = Vec::new();
            if !r.drivers.is_empty() {
                let d: Vec<String> = r
                    .drivers
                    .iter()
                    .map(|d| format!("{} {} ({} h)", d.rule, d.title, range(d.effort_hours)))
                    .collect();
                parts.push(format!("drivers: {}", d.join("; ")));
            }
            if !r.auth_systems.is_empty() {
                parts.push(format!("auth: {}", r.auth_systems.join(", ")));
            }
            if !r.hard_traits.is_empty() {
                let h: Vec<String> = r
                    .hard_traits
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect();
                parts.push(format!("hard models: {}", h.join(", ")));
            }
            let _ = writeln!(o, "  {}", r.name);
            for part in parts {
                let _ = writeln!(o, "      {part}");
            }
        }
    }

    if !p.waves.is_empty() {
        let _ = writeln!(o, "\nMigration waves ({} team(s))", p.timeline.teams);
        for wave in &p.waves {
            let _ = writeln!(
                o,
                "  Wave {}: {} — {} repositor{}, {} engineer-weeks, weeks {}–{}",
                wave.number,
                wave.title,
                wave.repositories,
                if wave.repositories == 1 { "y" } else { "ies" },
                range(wave.engineer_weeks),
                num(wave.start_week),
                num(wave.end_week)
            );
            for gid in &wave.groups {
                let g = &p.groups[gid - 1];
                let _ = writeln!(
                    o,
                    "    team {} weeks {}–{}: {}",
                    g.team,
                    num(g.start_week),
                    num(g.end_week),
                    g.members.join(", ")
                );
                for s in &g.shared {
                    let _ = writeln!(o, "        shares {s}");
                }
                if g.shared_total > g.shared.len() {
                    let _ = writeln!(
                        o,
                        "        and {} more shared names",
                        g.shared_total - g.shared.len()
                    );
                }
            }
        }
    }
    let unplanned: Vec<&str> = p
        .repositories
        .iter()
        .filter(|r| !r.planned())
        .map(|r| r.name.as_str())
        .collect();
    if !unplanned.is_empty() {
        let _ = writeln!(
            o,
            "\nNot planned (no Flask or Django found): {}",
            unplanned.join(", ")
        );
    }
    if !p.warnings.is_empty() {
        let _ = writeln!(o, "\nWarnings ({})", p.warnings.len());
        for w in &p.warnings {
            let _ = writeln!(o, "  {w}");
        }
    }
    o
}
