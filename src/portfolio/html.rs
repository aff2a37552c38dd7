//! The portfolio as one self-contained HTML file (`templates/portfolio.html.j2`, auto-escaped):
//! summary cards, the waves as a timeline with one lane per team (SVG), the waves with their
//! groups, and a sortable, filterable repository table.
//!
//! Up to `MAX_BARS` groups get a bar each; beyond that each team's work in a wave is one bar, so
//! the page stays light for thousands of repositories. The table renders its first `MAX_ROWS`
//! rows; the JSON and CSV exports hold them all.

use super::{Portfolio, num, or_dash, range};
use minijinja::value::{Serde, Value};
use serde::Serialize;

const MAX_BARS: usize = 400;
const MAX_ROWS: usize = 1000;
const CHART_WIDTH: f64 = 960.0;
const LABEL_WIDTH: f64 = 70.0;
const LANE: f64 = 30.0;
/// Wave colours, cycled: distinguishable, and dark enough for white text.
const PALETTE: &[&str] = &[
    "#0969da", "#1a7f37", "#9a6700", "#8250df", "#cf222e", "#1b7c83",
];

#[derive(Serialize)]
struct Bar {
    x: f64,
    y: f64,
    w: f64,
    colour: &'static str,
    label: String,
    title: String,
}

#[derive(Serialize)]
struct Tick {
    x: f64,
    label: String,
}

#[derive(Serialize)]
struct Row {
    name: String,
    framework: String,
    lines: usize,
    routes: usize,
    models: usize,
    jobs: usize,
    auth: String,
    hard: String,
    direction: String,
    cutover: String,
    effort: String,
    effort_high: f64,
    drivers: String,
    wave: String,
}

#[derive(Serialize)]
struct View<'a> {
    p: &'a Portfolio,
    effort: String,
    weeks: String,
    bars: Vec<Bar>,
    ticks: Vec<Tick>,
    lanes: Vec<(f64, String)>,
    chart_height: f64,
    legend: Vec<(String, &'static str)>,
    aggregated: bool,
    rows: Vec<Row>,
    more_rows: usize,
    waves: Vec<WaveView>,
}

#[derive(Serialize)]
struct WaveView {
    number: usize,
    title: String,
    colour: &'static str,
    repositories: usize,
    effort: String,
    weeks: String,
    groups: Vec<GroupView>,
}

#[derive(Serialize)]
struct GroupView {
    team: usize,
    weeks: String,
    members: String,
    shared: Vec<String>,
    more_shared: usize,
}

fn colour(wave: usize) -> &'static str {
    PALETTE[(wave.max(1) - 1) % PALETTE.len()]
}

pub fn render(p: &Portfolio) -> anyhow::Result<String> {
    let span = p.timeline.weeks.high.max(1.0);
    let scale = (CHART_WIDTH - LABEL_WIDTH - 10.0) / span;
    let teams = p.timeline.teams as usize;
    let aggregated = p.groups.len() > MAX_BARS;
    let mut bars = Vec::new();
    if aggregated {
        // One bar per (team, wave): a team's groups of one wave follow each other.
        let mut spans: std::collections::BTreeMap<(usize, usize), (f64, f64, usize)> =
            Default::default();
        for g in &p.groups {
            let e = spans
                .entry((g.wave, g.team))
                .or_insert((g.start_week, g.end_week, 0));
            e.0 = e.0.min(g.start_week);
            e.1 = e.1.max(g.end_week);
            e.2 += g.members.len();
        }
        for ((wave, team), (s, e, n)) in spans {
            bars.push(Bar {
                x: LABEL_WIDTH + s * scale,
                y: 20.0 + (team - 1) as f64 * LANE,
                w: ((e - s) * scale).max(2.0),
                colour: colour(wave),
                label: format!("W{wave}"),
                title: format!(
                    "wave {wave}, team {team}: {n} repositories, weeks {}–{}",
                    num(s),
                    num(e)
                ),
            });
        }
    } else {
        for g in &p.groups {
            let first = g.members.first().cloned().unwrap_or_default();
            let label = if g.members.len() > 1 {
                format!("{first} +{}", g.members.len() - 1)
            } else {
                first
            };
            bars.push(Bar {
                x: LABEL_WIDTH + g.start_week * scale,
                y: 20.0 + (g.team - 1) as f64 * LANE,
                w: ((g.end_week - g.start_week) * scale).max(2.0),
                colour: colour(g.wave),
                title: format!(
                    "wave {}, team {}, weeks {}–{}: {} ({} engineer-weeks)",
                    g.wave,
                    g.team,
                    num(g.start_week),
                    num(g.end_week),
                    g.members.join(", "),
                    range(g.engineer_weeks)
                ),
                label,
            });
        }
    }
    // Week ticks: about eight across the chart, on round numbers.
    let step = [
        1.0, 2.0, 4.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 500.0, 1000.0,
    ]
    .into_iter()
    .find(|s| span / s <= 8.0)
    .unwrap_or(span / 8.0);
    // Labels fit their bar (about 7 px per character) or end in an ellipsis.
    for b in &mut bars {
        let fit = ((b.w - 10.0) / 7.0).max(0.0) as usize;
        if b.label.chars().count() > fit {
            let mut l: String = b.label.chars().take(fit.saturating_sub(1)).collect();
            l.push('…');
            b.label = l;
        }
    }
    let mut ticks = Vec::new();
    let mut w = 0.0;
    while w <= span + 1e-9 {
        ticks.push(Tick {
            x: LABEL_WIDTH + w * scale,
            label: num(w),
        });
        w += step;
    }
    let lanes = (0..teams)
        .map(|t| (20.0 + t as f64 * LANE, format!("team {}", t + 1)))
        .collect();
    let rows = p
        .repositories
        .iter()
        .take(MAX_ROWS)
        .map(|r| Row {
            name: r.name.clone(),
            framework: match (&r.framework, &r.version) {
                (Some(f), Some(v)) => format!("{f} {v}"),
                (Some(f), None) => f.clone(),
                _ => "—".into(),
            },
            lines: r.lines,
            routes: r.routes,
            models: r.models,
            jobs: r.jobs,
            auth: or_dash(Some(&r.auth_systems.join(", "))).to_string(),
            hard: or_dash(Some(
                &r.hard_traits
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ))
            .to_string(),
            direction: or_dash(r.direction.as_deref()).to_string(),
            cutover: or_dash(r.cutover.as_deref()).to_string(),
            effort: if r.planned() {
                range(r.engineer_weeks)
            } else {
                "—".into()
            },
            effort_high: if r.planned() {
                r.engineer_weeks.high
            } else {
                -1.0
            },
            drivers: or_dash(Some(
                &r.drivers
                    .iter()
                    .map(|d| format!("{} {}", d.rule, d.title))
                    .collect::<Vec<_>>()
                    .join("; "),
            ))
            .to_string(),
            wave: r.wave.map_or("—".into(), |w| w.to_string()),
        })
        .collect();
    let waves = p
        .waves
        .iter()
        .map(|w| WaveView {
            number: w.number,
            title: w.title.clone(),
            colour: colour(w.number),
            repositories: w.repositories,
            effort: range(w.engineer_weeks),
            weeks: format!("{}–{}", num(w.start_week), num(w.end_week)),
            groups: w
                .groups
                .iter()
                .take(MAX_BARS)
                .map(|gid| {
                    let g = &p.groups[gid - 1];
                    GroupView {
                        team: g.team,
                        weeks: format!("{}–{}", num(g.start_week), num(g.end_week)),
                        members: g.members.join(", "),
                        shared: g.shared.clone(),
                        more_shared: g.shared_total - g.shared.len(),
                    }
                })
                .collect(),
        })
        .collect();
    let view = View {
        p,
        effort: range(p.totals.engineer_weeks),
        weeks: range(p.timeline.weeks),
        bars,
        ticks,
        lanes,
        chart_height: 20.0 + teams as f64 * LANE + 24.0,
        legend: p
            .waves
            .iter()
            .map(|w| (format!("wave {}: {}", w.number, w.title), colour(w.number)))
            .collect(),
        aggregated,
        rows,
        more_rows: p.repositories.len().saturating_sub(MAX_ROWS),
        waves,
    };
    let mut env = crate::report::environment();
    env.add_filter("px", |x: f64| format!("{x:.1}"));
    env.add_template(
        "portfolio.html.j2",
        include_str!("../../templates/portfolio.html.j2"),
    )?;
    let mut s = env
        .get_template("portfolio.html.j2")?
        .render(Value::from(Serde(&view)))?;
    if !s.ends_with('\n') {
        s.push('\n');
    }
    Ok(s)
}
