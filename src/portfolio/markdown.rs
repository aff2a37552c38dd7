//! The portfolio as Markdown, for a pull request, an issue or `$GITHUB_STEP_SUMMARY` (which takes
//! at most 1 MiB per step): the repository table shows its first `MAX_ROWS` rows and the waves
//! their first `MAX_MEMBERS` groups; the JSON and CSV exports are always complete.

use super::{Portfolio, num, or_dash, range};
use crate::report::md;
use std::fmt::Write;

const MAX_ROWS: usize = 300;
const MAX_MEMBERS: usize = 30;

pub fn render(p: &Portfolio) -> String {
    let mut o = String::new();
    let t = &p.totals;
    let _ = writeln!(o, "## crossport portfolio\n");
    let _ = writeln!(
        o,
        "**{}** repositories ({} planned) · **{}** lines · {} routes · {} models · {} jobs  ",
        t.repositories, t.planned, t.lines, t.routes, t.models, t.jobs
    );
    let _ = writeln!(
        o,
        "Effort: **{} engineer-weeks** ({} h) · with {} team(s): **{} calendar weeks**\n",
        range(t.engineer_weeks),
        range(t.effort_hours),
        p.timeline.teams,
        range(p.timeline.weeks)
    );
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{} {v}", md(k)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| frameworks | {} |", counts(&t.by_framework));
    let _ = writeln!(
        o,
        "| directions | {} |",
        or_dash(Some(&counts(&t.by_direction)))
    );
    let _ = writeln!(
        o,
        "| cut-over modes | {} |",
        or_dash(Some(&counts(&t.by_cutover)))
    );
    let _ = writeln!(
        o,
        "| hard models | {} |\n",
        or_dash(Some(&counts(&t.hard_traits)))
    );

    let _ = writeln!(o, "### Repositories\n");
    let _ = writeln!(
        o,
        "| repository | framework | lines | routes | models | jobs | auth | hard models | direction | cut-over | engineer-weeks | drivers | wave |"
    );
    let _ = writeln!(o, "|---|---|--:|--:|--:|--:|---|---|---|---|--:|---|--:|");
    for r in p.repositories.iter().take(MAX_ROWS) {
        let fw = match (&r.framework, &r.version) {
            (Some(f), Some(v)) => format!("{} {}", md(f), md(v)),
            (Some(f), None) => md(f),
            _ => "—".into(),
        };
        let hard: Vec<String> = r
            .hard_traits
            .iter()
            .map(|(k, v)| format!("{} {v}", md(k)))
            .collect();
        let drivers: Vec<String> = r
            .drivers
            .iter()
            .map(|d| format!("{} {}", md(&d.rule), md(&d.title)))
            .collect();
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&r.name),
            fw,
            r.lines,
            r.routes,
            r.models,
            r.jobs,
            or_dash(Some(&md(&r.auth_systems.join(", ")))),
            or_dash(Some(&hard.join(", "))),
            md(or_dash(r.direction.as_deref())),
            md(or_dash(r.cutover.as_deref())),
            if r.planned() {
                range(r.engineer_weeks)
            } else {
                "—".into()
            },
            or_dash(Some(&drivers.join("; "))),
            r.wave.map_or("—".to_string(), |w| w.to_string()),
        );
    }
    if p.repositories.len() > MAX_ROWS {
        let _ = writeln!(
            o,
            "\n{} more repositories are in the JSON and CSV exports (`--format json`, `--format csv`).",
            p.repositories.len() - MAX_ROWS
        );
    }

    if !p.waves.is_empty() {
        let _ = writeln!(o, "\n### Migration waves ({} team(s))\n", p.timeline.teams);
        let _ = writeln!(
            o,
            "| wave | kind | repositories | engineer-weeks | weeks (high end) |"
        );
        let _ = writeln!(o, "|--:|---|--:|--:|---|");
        for w in &p.waves {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {}–{} |",
                w.number,
                md(&w.title),
                w.repositories,
                range(w.engineer_weeks),
                num(w.start_week),
                num(w.end_week)
            );
        }
        for w in &p.waves {
            let _ = writeln!(o, "\n**Wave {}: {}**\n", w.number, md(&w.title));
            for gid in w.groups.iter().take(MAX_MEMBERS) {
                let g = &p.groups[gid - 1];
                let members: Vec<String> = g.members.iter().map(|m| md(m)).collect();
                let _ = writeln!(
                    o,
                    "- team {}, weeks {}–{}: {}",
                    g.team,
                    num(g.start_week),
                    num(g.end_week),
                    members.join(", ")
                );
                for s in &g.shared {
                    let _ = writeln!(o, "  - shares {}", md(s));
                }
                if g.shared_total > g.shared.len() {
                    let _ = writeln!(
                        o,
                        "  - and {} more shared names",
                        g.shared_total - g.shared.len()
                    );
                }
            }
            if w.groups.len() > MAX_MEMBERS {
                let _ = writeln!(o, "- and {} more groups", w.groups.len() - MAX_MEMBERS);
            }
        }
    }
    let _ = writeln!(o, "\n<details><summary>How waves are formed</summary>\n");
    for m in &p.method {
        let _ = writeln!(o, "- {}", md(m));
    }
    let _ = writeln!(o, "\n</details>");
    if !p.warnings.is_empty() {
        let _ = writeln!(o, "\n### Warnings ({})\n", p.warnings.len());
        for w in p.warnings.iter().take(MAX_ROWS) {
            let _ = writeln!(o, "- {}", md(w));
        }
    }
    o
}
