//! `crossport portfolio`: many repositories (or the applications of one monorepo) in one report:
//! per repository its size, surface, direction, cut-over mode and effort; totals; migration waves
//! and a timeline for a number of teams; an export of the work items for an issue tracker.
//!
//! input.rs reads the inputs into per-repository summaries (summary.rs), waves.rs groups and
//! orders them, and text.rs / markdown.rs / html.rs / csv.rs render the result. The JSON is the
//! `Portfolio` value itself (`schema_version` 1, `"kind": "crossport-portfolio"`).

pub mod csv;
pub mod html;
pub mod input;
pub mod markdown;
pub mod roots;
pub mod summary;
pub mod text;
pub mod waves;

use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use summary::{Range, RepoSummary};

pub const SCHEMA_VERSION: u32 = 1;

pub struct Options {
    /// Teams working in parallel, for the timeline.
    pub teams: u32,
    /// Team size of plans computed here (plans read from files keep theirs).
    pub team_size: u32,
    pub scan: crate::scan::ScanOptions,
}

#[derive(Debug, Serialize)]
pub struct Portfolio {
    pub schema_version: u32,
    pub kind: &'static str,
    pub tool: crate::inventory::Tool,
    pub totals: Totals,
    /// Sorted by name.
    pub repositories: Vec<RepoSummary>,
    pub waves: Vec<waves::Wave>,
    /// Repositories that move together; ids are what `repositories[].group` refers to.
    pub groups: Vec<waves::Group>,
    pub timeline: waves::Timeline,
    /// How the waves are formed, in words.
    pub method: Vec<String>,
    /// Inputs that could not be read, duplicates, and other problems; sorted.
    pub warnings: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Totals {
    pub repositories: usize,
    /// Repositories with a plan (Flask or Django found).
    pub planned: usize,
    pub python_files: usize,
    pub lines: usize,
    pub routes: usize,
    pub models: usize,
    pub jobs: usize,
    pub effort_hours: Range,
    pub engineer_weeks: Range,
    pub by_framework: BTreeMap<String, usize>,
    pub by_direction: BTreeMap<String, usize>,
    pub by_cutover: BTreeMap<String, usize>,
    /// Models per hard trait, over all repositories.
    pub hard_traits: BTreeMap<String, usize>,
}

/// Reads every input and builds the portfolio. Problems with single inputs are warnings; the
/// portfolio holds whatever could be read.
pub fn build(inputs: &[PathBuf], opts: &Options) -> Portfolio {
    let mut warnings = Vec::new();
    let sources = input::expand(inputs, &mut warnings);
    let plan_opts = crate::plan::PlanOptions {
        team_size: opts.team_size.max(1),
        ..Default::default()
    };
    let (repos, jsons): (Vec<_>, Vec<_>) = sources
        .into_iter()
        .partition(|s| matches!(s, input::Source::Repo { .. }));
    let mut partials: Vec<input::Partial> = Vec::new();
    // Repositories one after the other: each scan is parallel on its own.
    for s in repos {
        if let input::Source::Repo { path, name } = s {
            match crate::scan::scan(&path, &opts.scan) {
                Ok((inv, _)) => partials.push(input::from_inventory(
                    name,
                    path.to_string_lossy().into_owned(),
                    &inv,
                    &plan_opts,
                )),
                Err(e) => warnings.push(format!("{}: cannot scan ({e:#})", path.display())),
            }
        }
    }
    // JSON documents in parallel, one per worker at a time; summaries are all that is kept.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.scan.threads.max(1))
        .build();
    let read = |s: &input::Source| match s {
        input::Source::Json(p) => {
            input::read_json(p, &plan_opts).map_err(|e| format!("{}: {e}", p.display()))
        }
        input::Source::Repo { .. } => Ok(Vec::new()),
    };
    let results: Vec<Result<Vec<input::Partial>, String>> = match pool {
        Ok(pool) => pool.install(|| jsons.par_iter().map(read).collect()),
        Err(_) => jsons.iter().map(read).collect(),
    };
    for r in results {
        match r {
            Ok(v) => partials.extend(v),
            Err(w) => warnings.push(w),
        }
    }
    let repos = merge(partials, &mut warnings);
    assemble(repos, warnings, opts.teams)
}

/// Pairs an inventory and a plan of the same repository (by name); a second inventory or a
/// second plan of a name is a warning and is dropped.
fn merge(partials: Vec<input::Partial>, warnings: &mut Vec<String>) -> Vec<RepoSummary> {
    struct Slot {
        s: RepoSummary,
        plan: bool,
    }
    let mut by: BTreeMap<String, Slot> = BTreeMap::new();
    let monorepos: std::collections::BTreeSet<String> =
        partials.iter().filter_map(|p| p.monorepo.clone()).collect();
    // Inventories first, so that a plan file can refine the repository whatever the order.
    let mut partials = partials;
    partials.sort_by(|a, b| {
        (!a.has_inventory, &a.summary.name, &a.summary.source).cmp(&(
            !b.has_inventory,
            &b.summary.name,
            &b.summary.source,
        ))
    });
    for p in partials {
        let name = p.summary.name.clone();
        match by.get_mut(&name) {
            None => {
                by.insert(
                    name,
                    Slot {
                        plan: p.plan_from_file,
                        s: p.summary,
                    },
                );
            }
            Some(slot) if p.plan_from_file && !slot.plan => {
                // The plan's own figures (direction, cut-over, team) win over the one computed here.
                let s = &mut slot.s;
                s.direction = p.summary.direction;
                s.cutover = p.summary.cutover;
                s.effort_hours = p.summary.effort_hours;
                s.engineer_weeks = p.summary.engineer_weeks;
                s.calendar_weeks = p.summary.calendar_weeks;
                s.team_size = p.summary.team_size;
                s.drivers = p.summary.drivers;
                s.steps = p.summary.steps;
                s.from = "inventory+plan".into();
                s.source = format!("{} + {}", s.source, p.summary.source);
                slot.plan = true;
            }
            Some(slot) => warnings.push(format!(
                "{}: a second {} for `{name}` (first from {}); it is left out",
                p.summary.source,
                if p.has_inventory { "inventory" } else { "plan" },
                slot.s.source
            )),
        }
    }
    by.into_iter()
        // A monorepo's whole-repository inventory beside the plans of its applications.
        .filter(|(name, slot)| !monorepos.contains(name) || slot.plan)
        .map(|(_, s)| s.s)
        .collect()
}

/// Totals, waves and the timeline over summaries (sorted by name here).
pub fn assemble(mut repos: Vec<RepoSummary>, mut warnings: Vec<String>, teams: u32) -> Portfolio {
    repos.sort_by(|a, b| a.name.cmp(&b.name).then(a.source.cmp(&b.source)));
    let planned = waves::plan(&mut repos, teams);
    let mut t = Totals {
        repositories: repos.len(),
        ..Default::default()
    };
    for r in &repos {
        t.python_files += r.python_files;
        t.lines += r.lines;
        t.routes += r.routes;
        t.models += r.models;
        t.jobs += r.jobs;
        *t.by_framework
            .entry(r.framework.clone().unwrap_or_else(|| "none".into()))
            .or_insert(0) += 1;
        for (k, v) in &r.hard_traits {
            *t.hard_traits.entry(k.clone()).or_insert(0) += v;
        }
        if r.planned() {
            t.planned += 1;
            t.effort_hours = t.effort_hours.plus(r.effort_hours);
            t.engineer_weeks = t.engineer_weeks.plus(r.engineer_weeks);
            *t.by_direction
                .entry(r.direction.clone().unwrap_or_default())
                .or_insert(0) += 1;
            *t.by_cutover
                .entry(r.cutover.clone().unwrap_or_else(|| "—".into()))
                .or_insert(0) += 1;
        }
    }
    t.effort_hours = t.effort_hours.rounded();
    t.engineer_weeks = t.engineer_weeks.rounded();
    warnings.sort();
    warnings.dedup();
    Portfolio {
        schema_version: SCHEMA_VERSION,
        kind: "crossport-portfolio",
        tool: crate::inventory::Tool {
            name: "crossport".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        totals: t,
        repositories: repos,
        waves: planned.waves,
        groups: planned.groups,
        timeline: planned.timeline,
        method: method(teams),
        warnings,
    }
}

fn method(teams: u32) -> Vec<String> {
    vec![
        "Repositories that share a table name, a database URL, or where one declares a dependency on another's own package, form one group and move in the same wave.".into(),
        format!(
            "Waves go from cheap and loosely coupled to expensive and coupled: size by the high end of engineer-weeks (small <= {}, medium <= {}, large above; the guide's 30,000-line reference is 8-16), stand-alone before coupled within a size.",
            waves::SMALL_MAX_ENGINEER_WEEKS,
            waves::MEDIUM_MAX_ENGINEER_WEEKS
        ),
        format!(
            "Timeline: {teams} team(s), each the size of its plans' team; a group goes to the team free first, in wave order, and takes its repositories' calendar weeks (high end; the total is also given at the low end)."
        ),
        "Effort per repository is its plan's total (mandatory and potential items); repositories with no Flask or Django code are listed but not planned.".into(),
    ]
}

/// The portfolio as JSON (pretty-printed, trailing newline).
pub fn render_json(p: &Portfolio) -> anyhow::Result<String> {
    let mut v = Vec::new();
    write_json(p, &mut v)?;
    Ok(String::from_utf8(v)?)
}

/// The same, written as it is serialised (thousands of repositories make tens of megabytes).
pub fn write_json(p: &Portfolio, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, p)?;
    w.write_all(b"\n")
}

/// `12.5` -> "12.5", `3.0` -> "3": ranges read without float noise.
pub fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

pub fn range(r: Range) -> String {
    format!("{}–{}", num(r.low), num(r.high))
}

/// `-` when a value is unknown (a plan without a cut-over mode, a repository without a plan).
pub fn or_dash(s: Option<&str>) -> &str {
    s.filter(|s| !s.is_empty()).unwrap_or("—")
}
