//! The migration plan: the guide's steps, each filled with this repository's items.
//!
//! The plan is the JSON contract of `crossport plan --format json` (`schema_version` 1): a
//! direction, the guide's steps in order, each with its items (findings of the rules in
//! `crate::rules`) and its effort, totals in engineer-weeks and calendar weeks, and the assumptions
//! under which the numbers hold. Every number is traceable: an item names its rule, a step's
//! `basis` names the guide figure, and `crossport explain RULE` shows the constant.

pub mod cases;
pub mod convert;
pub mod cutover;
pub mod django_to_flask;
pub mod effort;
pub mod flask_to_django;
pub mod text;

use crate::inventory::Inventory;
use crate::rules::{self, Category, Direction};
use cutover::Mode;
use effort::Hours;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const SCHEMA_VERSION: u32 = 1;
pub const GUIDE: &str = "seeds/000 Migration Guide";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub schema_version: u32,
    pub direction: Direction,
    pub guide: String,
    pub summary: Summary,
    pub steps: Vec<Step>,
    pub total: Total,
    /// The cut-over mode the plan is priced for, where it came from, and every mode's total.
    pub cutover: Cutover,
    /// Where the estimate sits against the guide's reference figure, and what pushes it out.
    pub calibration: Calibration,
    pub assumptions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub root: String,
    /// The framework the repository is written in (`flask`, `django`, or `unknown`).
    pub framework: String,
    pub lines: usize,
    pub python_files: usize,
    pub counts: BTreeMap<String, usize>,
    /// Findings per category (all steps).
    pub findings: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub number: u8,
    pub title: String,
    pub summary: String,
    /// Which guide figure or rule produced this step's number.
    pub basis: String,
    pub items: Vec<Item>,
    /// Mandatory + potential items.
    pub effort_hours: Hours,
    /// Optional items (never in totals).
    pub optional_effort_hours: Hours,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Item {
    pub rule: String,
    pub category: Category,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub effort_hours: Hours,
    /// Stable id for baselines: rule + path + normalised construct, no line numbers.
    pub fingerprint: String,
    /// Proposed target forms and other facts (e.g. `django`: the proposed `path()`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub detail: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Total {
    /// Steps plus coordination.
    pub effort_hours: Hours,
    /// The steps' items (mandatory + potential).
    pub work_hours: Hours,
    /// Coordination above one engineer (`effort::COORDINATION_PER_PAIR`).
    pub coordination_hours: Hours,
    /// Share of each engineer's week given to the port (1 = full time).
    pub availability: f64,
    /// Person-weeks of effort (hours / 40).
    pub engineer_weeks: Hours,
    pub team_size: u32,
    /// engineer_weeks / (team_size x availability).
    pub calendar_weeks: Hours,
    pub optional_effort_hours: Hours,
    /// How the guide's weeks are read.
    pub reading: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cutover {
    pub mode: Mode,
    /// `inferred`, `--cutover`, or the configuration file that set it.
    pub source: String,
    /// What the inference saw (also given when the mode was set explicitly).
    pub evidence: Vec<String>,
    /// The mode the repository suggests.
    pub inferred: Mode,
    /// The total in every mode (Flask→Django; empty for an extraction, which does not depend on it).
    pub modes: Vec<ModeTotal>,
}

impl Cutover {
    /// Where the mode comes from, for a reader: the evidence it was inferred
    /// from, or the setting that chose it and what the repository suggests.
    pub fn why(&self) -> String {
        if self.source == "inferred" {
            format!(
                "inferred from: {}; override with --cutover",
                self.evidence.join("; ")
            )
        } else {
            format!(
                "set by {}; the repository suggests {}",
                self.source, self.inferred
            )
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModeTotal {
    pub mode: Mode,
    pub effort_hours: Hours,
    pub engineer_weeks: Hours,
    pub calendar_weeks: Hours,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Calibration {
    /// The guide's figure this plan is compared with, in engineer-weeks.
    pub guide_engineer_weeks: Hours,
    pub guide_figure: String,
    /// Flask→Django: the estimate scaled to 30,000 lines (null for extraction plans or empty repos).
    pub per_30k_lines_engineer_weeks: Option<Hours>,
    /// `inside`, `below`, `above` or `overlaps` the guide's range.
    pub verdict: String,
    /// The rules contributing most to the estimate, heaviest first.
    pub drivers: Vec<Driver>,
    /// How to read the verdict.
    pub note: String,
    /// The measured port (tests/calibration/cases.toml) closest to this plan, and how it compares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest_case: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Driver {
    pub rule: String,
    pub title: String,
    pub items: usize,
    pub effort_hours: Hours,
}

#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// None: from `Inventory::primary_framework()` (Flask → to Django, Django → to Flask).
    pub direction: Option<Direction>,
    pub team_size: u32,
    /// Django→Flask: the app to extract (default: the best-ranked candidate).
    pub app: Option<String>,
    /// The cut-over mode (None: inferred from the repository).
    pub cutover: Option<Mode>,
    /// Where an explicit mode came from (`--cutover`, a config file); None means the flag.
    pub cutover_source: Option<String>,
    /// Share of each engineer's week given to the port, (0, 1].
    pub availability: f64,
    /// Partial scope: only these blueprints, proposed apps, URL segments or models.
    pub only: Vec<String>,
    /// Django->Flask: port the whole project instead of extracting one app.
    pub whole_project: bool,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            direction: None,
            team_size: effort::DEFAULT_TEAM_SIZE,
            app: None,
            cutover: None,
            cutover_source: None,
            availability: 1.0,
            only: Vec::new(),
            whole_project: false,
        }
    }
}

/// The part of the inventory a partial port moves: routes whose blueprint, proposed app or first
/// URL segment is named, and models named by class, table or app label. None without a scope.
fn scoped(inv: &Inventory, only: &[String]) -> Option<Inventory> {
    if only.is_empty() {
        return None;
    }
    let want = |s: &str| only.iter().any(|o| o.eq_ignore_ascii_case(s));
    let mut c: Inventory = serde_json::from_value(serde_json::to_value(inv).ok()?).ok()?;
    let routes: Vec<&crate::inventory::Route> = inv.routes.iter().collect();
    let grouping = flask_to_django::Grouping::for_size(&routes, inv.stats.lines);
    c.routes.retain(|r| {
        r.group
            .as_deref()
            .is_some_and(|g| want(g) || want(g.rsplit('.').next().unwrap_or(g)))
            || want(&grouping.app(r))
            || r.rule
                .trim_start_matches('/')
                .split('/')
                .next()
                .is_some_and(want)
    });
    c.models.retain(|m| {
        want(&m.name)
            || m.table.as_deref().is_some_and(want)
            || m.app_label.as_deref().is_some_and(want)
    });
    c.raw_sql_tables.retain(|t| want(&t.name));
    Some(c)
}

/// The direction a plan takes for this inventory by default.
pub fn default_direction(inv: &Inventory) -> Direction {
    match inv.primary_framework() {
        Some("django") => Direction::DjangoToFlask,
        _ => Direction::FlaskToDjango,
    }
}

/// Builds the plan for an inventory. The output does not depend on the order of the inventory's
/// lists: a canonical copy (`Inventory::finalize`) is planned.
pub fn build(inv: &Inventory, opts: &PlanOptions) -> Plan {
    let canonical = canonical(inv);
    let inv = canonical.as_ref().unwrap_or(inv);
    let direction = opts.direction.unwrap_or_else(|| default_direction(inv));
    let full = inv;
    let partial = if direction == Direction::FlaskToDjango {
        scoped(inv, &opts.only)
    } else {
        None
    };
    let inv = partial.as_ref().unwrap_or(inv);
    let team = opts.team_size.max(1);
    let availability = if opts.availability > 0.0 && opts.availability <= 1.0 {
        opts.availability
    } else {
        1.0
    };
    let (inferred, evidence) = cutover::infer(full);
    let mode = opts.cutover.unwrap_or(inferred);
    let priced = |m: Mode| -> (Vec<Step>, Vec<String>, Hours, Hours) {
        let (steps, assumptions) = match direction {
            Direction::FlaskToDjango => flask_to_django::steps(inv, team, m),
            Direction::DjangoToFlask => {
                django_to_flask::steps(inv, opts.app.as_deref(), opts.whole_project)
            }
        };
        let steps: Vec<Step> = steps.into_iter().map(finish_step).collect();
        let work = steps
            .iter()
            .fold(Hours::ZERO, |a, s| a.plus(s.effort_hours))
            .rounded();
        let coordination = effort::coordination(work, team).rounded();
        (steps, assumptions, work, coordination)
    };
    let (steps, mut assumptions, work, coordination) = priced(mode);
    let effort = work.plus(coordination).rounded();
    let modes = match direction {
        Direction::FlaskToDjango => cutover::ALL
            .iter()
            .map(|&m| {
                let e = if m == mode {
                    effort
                } else {
                    let (_, _, w, c) = priced(m);
                    w.plus(c).rounded()
                };
                ModeTotal {
                    mode: m,
                    effort_hours: e,
                    engineer_weeks: effort::engineer_weeks(e).rounded(),
                    calendar_weeks: effort::calendar_weeks_at(e, team, availability).rounded(),
                }
            })
            .collect(),
        Direction::DjangoToFlask => Vec::new(),
    };
    let cut = Cutover {
        mode,
        source: match (opts.cutover, &opts.cutover_source) {
            (None, _) => "inferred".to_string(),
            (Some(_), Some(s)) => s.clone(),
            (Some(_), None) => "--cutover".to_string(),
        },
        evidence,
        inferred,
        modes,
    };
    let optional = steps
        .iter()
        .fold(Hours::ZERO, |a, s| a.plus(s.optional_effort_hours))
        .rounded();
    let (figure, guide) = match direction {
        Direction::FlaskToDjango => ("4-8 weeks", effort::GUIDE_FLASK_TO_DJANGO_ENGINEER_WEEKS),
        Direction::DjangoToFlask => ("2-6 weeks", effort::GUIDE_EXTRACTION_ENGINEER_WEEKS),
    };
    let reading = format!(
        "The guide's weeks are read as calendar weeks of its two-person reference team, so {figure} = {}-{} engineer-weeks (person-weeks of {} h). engineer_weeks = hours / {}; calendar_weeks = engineer_weeks / team size ({team}).",
        guide.low,
        guide.high,
        effort::HOURS_PER_WEEK,
        effort::HOURS_PER_WEEK,
    );
    let total = Total {
        effort_hours: effort,
        work_hours: work,
        coordination_hours: coordination,
        availability,
        engineer_weeks: effort::engineer_weeks(effort).rounded(),
        team_size: team,
        calendar_weeks: effort::calendar_weeks_at(effort, team, availability).rounded(),
        optional_effort_hours: optional,
        reading: reading.clone(),
    };
    let mut calibration = calibrate(inv, direction, &steps, effort);
    calibration.nearest_case = cases::nearest(inv, direction, mode, effort);
    let mut common = vec![
        reading,
        "Effort is counted from constructs (routes, models, templates, auth, jobs), not from lines: measured migrations show lines predict effort badly. Lines are only used to normalise the estimate for the calibration check.".to_string(),
        "Totals add mandatory and potential items; optional items are listed with their effort but never added.".to_string(),
        format!(
            "Cut-over: {mode} ({}). Dual running, the data copy, the migration baseline and the session cut-over are charged only where the mode implies them; `crossport explain RULE` says which modes charge a rule.",
            if opts.cutover.is_some() {
                format!("set by {}", cut.source)
            } else {
                format!("inferred from: {}; override with --cutover", cut.evidence.join("; "))
            }
        ),
        if team > 1 {
            format!(
                "Coordination: each pair of engineers adds {:.0}-{:.0}% of the work (reviews, splitting the work, merge conflicts); {} h for a team of {team}.",
                effort::COORDINATION_PER_PAIR.low * 100.0,
                effort::COORDINATION_PER_PAIR.high * 100.0,
                text_hours(coordination)
            )
        } else {
            "One engineer: no coordination cost.".to_string()
        },
        "Existing tests are counted per test (CP111) and deployment files per file (CP607); an async rewrite and features added during the port are not modelled.".to_string(),
    ];
    if availability < 1.0 {
        common.push(format!(
            "Availability {:.0}%: the calendar time stretches, the effort does not.",
            availability * 100.0
        ));
    }
    if partial.is_some() {
        common.push(format!(
            "Partial scope (--only {}): routes, models and raw tables outside it are left out; templates, jobs, tests and deployment are still counted whole.",
            opts.only.join(",")
        ));
    }
    let source = match direction {
        Direction::FlaskToDjango => "flask",
        Direction::DjangoToFlask => "django",
    };
    match inv.primary_framework() {
        Some(fw) if fw != source => common.push(format!(
            "The repository looks like a {fw} project, but this plan treats it as the {source} side; items and efforts only make sense for the parts written for {source}."
        )),
        None => common.push(format!(
            "No Flask or Django evidence was found; the plan assumes the {source} side and may be empty."
        )),
        _ => {}
    }
    if inv.stats.parse_errors > 0 || !inv.warnings.is_empty() {
        common.push(format!(
            "The scan reported {} files with syntax errors and {} warnings; items hidden there are missing from this plan.",
            inv.stats.parse_errors,
            inv.warnings.len()
        ));
    }
    common.append(&mut assumptions);
    let mut findings = BTreeMap::new();
    for s in &steps {
        for i in &s.items {
            *findings.entry(i.category.to_string()).or_insert(0) += 1;
        }
    }
    let summary = Summary {
        root: inv.root.clone(),
        framework: inv.primary_framework().unwrap_or("unknown").to_string(),
        lines: inv.stats.lines,
        python_files: inv.stats.python_files,
        counts: inv
            .counts()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        findings,
    };
    Plan {
        schema_version: SCHEMA_VERSION,
        direction,
        guide: GUIDE.to_string(),
        summary,
        steps,
        total,
        cutover: cut,
        calibration,
        assumptions: common,
    }
}

fn text_hours(h: Hours) -> String {
    format!("{:.0}-{:.0}", h.low, h.high)
}

fn canonical(inv: &Inventory) -> Option<Inventory> {
    let v = serde_json::to_value(inv).ok()?;
    let mut c: Inventory = serde_json::from_value(v).ok()?;
    c.finalize();
    Some(c)
}

/// A step under construction: items are pushed by the direction modules.
pub struct StepBuilder {
    pub number: u8,
    pub direction: Direction,
    pub summary: String,
    pub basis: String,
    pub items: Vec<Item>,
}

impl StepBuilder {
    pub fn new(direction: Direction, number: u8) -> Self {
        StepBuilder {
            number,
            direction,
            summary: String::new(),
            basis: String::new(),
            items: Vec::new(),
        }
    }

    /// Adds an item of `rule` costing the rule's constant (times `n`, e.g. for several fields).
    pub fn add(
        &mut self,
        rule_id: &str,
        message: String,
        loc: Option<(&str, u32)>,
        construct: &str,
    ) -> &mut Item {
        let r = rules::rule(rule_id);
        let h = r.effort.unwrap_or(Hours::ZERO);
        self.add_with(rule_id, message, loc, construct, h)
    }

    pub fn add_with(
        &mut self,
        rule_id: &str,
        message: String,
        loc: Option<(&str, u32)>,
        construct: &str,
        hours: Hours,
    ) -> &mut Item {
        let r = rules::rule(rule_id);
        debug_assert_eq!(r.step, self.number, "{rule_id} belongs to step {}", r.step);
        debug_assert_eq!(r.direction, self.direction);
        let path = loc.map(|l| l.0).unwrap_or("");
        self.items.push(Item {
            rule: r.id.to_string(),
            category: r.category,
            message,
            file: loc.map(|l| l.0.to_string()),
            line: loc.map(|l| l.1).filter(|l| *l > 0),
            effort_hours: hours.rounded(),
            fingerprint: rules::fingerprint(r.id, path, construct),
            detail: BTreeMap::new(),
        });
        self.items.last_mut().unwrap()
    }
}

fn finish_step(b: StepBuilder) -> Step {
    let mut items = b.items;
    // Canonical order: by rule, then location, then message (deterministic whatever the input order).
    items.sort_by(|a, c| {
        (&a.rule, &a.file, a.line, &a.message).cmp(&(&c.rule, &c.file, c.line, &c.message))
    });
    let mut effort = Hours::ZERO;
    let mut optional = Hours::ZERO;
    for i in &items {
        if i.category == Category::Optional {
            optional = optional.plus(i.effort_hours);
        } else {
            effort = effort.plus(i.effort_hours);
        }
    }
    Step {
        number: b.number,
        title: rules::step_title(b.direction, b.number).to_string(),
        summary: b.summary,
        basis: b.basis,
        items,
        effort_hours: effort.rounded(),
        optional_effort_hours: optional.rounded(),
    }
}

/// Effort per rule over all steps (mandatory + potential), heaviest first.
pub fn drivers(steps: &[Step]) -> Vec<Driver> {
    let mut by: BTreeMap<&str, (usize, Hours)> = BTreeMap::new();
    for i in steps.iter().flat_map(|s| &s.items) {
        if i.category == Category::Optional {
            continue;
        }
        let e = by.entry(&i.rule).or_insert((0, Hours::ZERO));
        e.0 += 1;
        e.1 = e.1.plus(i.effort_hours);
    }
    let mut v: Vec<Driver> = by
        .into_iter()
        .filter(|(_, (_, h))| !h.is_zero())
        .map(|(r, (n, h))| Driver {
            rule: r.to_string(),
            title: rules::rule(r).title.to_string(),
            items: n,
            effort_hours: h.rounded(),
        })
        .collect();
    v.sort_by(|a, b| {
        b.effort_hours
            .high
            .total_cmp(&a.effort_hours.high)
            .then_with(|| a.rule.cmp(&b.rule))
    });
    v
}

fn calibrate(inv: &Inventory, direction: Direction, steps: &[Step], effort: Hours) -> Calibration {
    let ew = effort::engineer_weeks(effort);
    let (guide, figure, measured) = match direction {
        Direction::FlaskToDjango => {
            // Once-per-project items stay as they are; the rest grows with size.
            let fixed = steps
                .iter()
                .flat_map(|s| s.items.iter())
                .filter(|i| effort::ONCE_PER_PROJECT.contains(&i.rule.as_str()))
                .fold(Hours::ZERO, |acc, i| acc.plus(i.effort_hours));
            let fixed = effort::engineer_weeks(fixed);
            let per = (inv.stats.lines > 0).then(|| {
                fixed
                    .plus(
                        ew.minus(fixed)
                            .times(effort::REFERENCE_LINES / inv.stats.lines as f64),
                    )
                    .rounded()
            });
            (
                effort::GUIDE_FLASK_TO_DJANGO_ENGINEER_WEEKS,
                "30,000-line Flask app: 4-8 weeks for two people = 8-16 engineer-weeks".to_string(),
                per,
            )
        }
        Direction::DjangoToFlask => (
            effort::GUIDE_EXTRACTION_ENGINEER_WEEKS,
            "one Django app into a Flask service: 2-6 weeks (two people) = 4-12 engineer-weeks"
                .to_string(),
            Some(ew.rounded()),
        ),
    };
    let verdict = match measured {
        None => "unknown".to_string(),
        Some(m) if m.low >= guide.low && m.high <= guide.high => "inside".into(),
        Some(m) if m.high < guide.low => "below".into(),
        Some(m) if m.low > guide.high => "above".into(),
        Some(_) => "overlaps".into(),
    };
    let mut drivers = drivers(steps);
    drivers.truncate(5);
    let note = match direction {
        Direction::FlaskToDjango if inv.stats.lines < 10_000 => "Below about 10,000 lines the fixed costs (project set-up, cut-over, auth) dominate, so scaling to 30,000 lines overstates; the verdict is only meaningful for mid-sized and larger applications.".to_string(),
        Direction::FlaskToDjango => "The estimate is scaled linearly to 30,000 lines and compared with the guide's 8-16 engineer-weeks; outside the range, the drivers name the rules that push it out.".to_string(),
        Direction::DjangoToFlask => "One extracted service is compared with the guide's 4-12 engineer-weeks; FK edges crossing the boundary (CP721) and ORM call sites elsewhere (CP710/CP711) are what move it.".to_string(),
    };
    Calibration {
        guide_engineer_weeks: guide,
        guide_figure: figure,
        per_30k_lines_engineer_weeks: match direction {
            Direction::FlaskToDjango => measured,
            Direction::DjangoToFlask => None,
        },
        verdict,
        drivers,
        note,
        nearest_case: None,
    }
}

/// The plan as JSON (pretty-printed, trailing newline).
pub fn render_json(plan: &Plan) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(plan)?;
    s.push('\n');
    Ok(s)
}
