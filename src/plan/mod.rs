//! The migration plan: the guide's steps, each filled with this repository's items.
//!
//! The plan is the JSON contract of `crossport plan --format json` (`schema_version` 1): a
//! direction, the guide's steps in order, each with its items (findings of the rules in
//! `crate::rules`) and its effort, totals in engineer-weeks and calendar weeks, and the assumptions
//! under which the numbers hold. Every number is traceable: an item names its rule, a step's
//! `basis` names the guide figure, and `crossport explain RULE` shows the constant.

pub mod convert;
pub mod django_to_flask;
pub mod effort;
pub mod flask_to_django;
pub mod text;

use crate::inventory::Inventory;
use crate::rules::{self, Category, Direction};
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
    pub effort_hours: Hours,
    /// Person-weeks of effort (hours / 40).
    pub engineer_weeks: Hours,
    pub team_size: u32,
    /// engineer_weeks / team_size.
    pub calendar_weeks: Hours,
    pub optional_effort_hours: Hours,
    /// How the guide's weeks are read.
    pub reading: String,
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
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            direction: None,
            team_size: effort::DEFAULT_TEAM_SIZE,
            app: None,
        }
    }
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
    let team = opts.team_size.max(1);
    let (steps, mut assumptions) = match direction {
        Direction::FlaskToDjango => flask_to_django::steps(inv, team),
        Direction::DjangoToFlask => django_to_flask::steps(inv, opts.app.as_deref()),
    };
    let steps: Vec<Step> = steps.into_iter().map(finish_step).collect();
    let effort = steps
        .iter()
        .fold(Hours::ZERO, |a, s| a.plus(s.effort_hours))
        .rounded();
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
        engineer_weeks: effort::engineer_weeks(effort).rounded(),
        team_size: team,
        calendar_weeks: effort::calendar_weeks(effort, team).rounded(),
        optional_effort_hours: optional,
        reading: reading.clone(),
    };
    let calibration = calibrate(inv, direction, &steps, effort);
    let mut common = vec![
        reading,
        "Effort is counted from constructs (routes, models, templates, auth, jobs), not from lines: measured migrations show lines predict effort badly. Lines are only used to normalise the estimate for the calibration check.".to_string(),
        "Totals add mandatory and potential items; optional items are listed with their effort but never added.".to_string(),
        "Work is assumed to split evenly across the team; onboarding, coordination and review queues are not modelled, which flatters large teams.".to_string(),
        "Tests are rewritten with the code they cover and are included in the per-item ranges; a large legacy test suite, a live-data cut-over on devices, or an async rewrite are not modelled and push real projects above the range.".to_string(),
    ];
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
        calibration,
        assumptions: common,
    }
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
            line: loc.map(|l| l.1),
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
        Direction::FlaskToDjango if inv.stats.lines < 10_000 => "Below about 10,000 lines the fixed costs (dual running, auth cut-over, app scaffolding) dominate, so scaling to 30,000 lines overstates; the verdict is only meaningful for mid-sized and larger applications.".to_string(),
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
    }
}

/// The plan as JSON (pretty-printed, trailing newline).
pub fn render_json(plan: &Plan) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(plan)?;
    s.push('\n');
    Ok(s)
}
