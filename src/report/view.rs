//! View models for the Markdown and HTML templates: plain serde data, no markup.
//!
//! The templates (`templates/report.md.j2`, `templates/report.html.j2`) decide how things look;
//! this module decides what is shown: the summary, the plan's steps with their items, the
//! inventory tables (every row, with the number shown by default), the chart geometry and the
//! diagrams' nodes and edges. Escaping is the templates' business (auto-escaping for HTML, the
//! `md` / `mermaid` filters for Markdown and Mermaid), so every string here is raw.

use crate::inventory::Inventory;
use crate::plan::{self, Plan, effort::Hours};
use crate::rules::Category;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A table cell: plain text, or text linking to a file (`[text, href]`).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    Link(String, String),
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: &'static str,
    /// Sorted as numbers (the first number in the cell).
    pub num: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub id: String,
    pub title: String,
    pub columns: Vec<Column>,
    /// Every row; the templates render the first `shown`.
    pub rows: Vec<Vec<Cell>>,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct Report {
    /// `scan` or `plan`.
    pub kind: &'static str,
    pub tool_version: String,
    pub root: String,
    pub summary: Summary,
    pub plan: Option<PlanView>,
    pub tables: Vec<Table>,
    pub model_diagram: ModelDiagram,
    pub app_graph: Vec<AppEdgeView>,
    pub warnings: usize,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub framework: String,
    pub files: usize,
    pub python_files: usize,
    pub lines: usize,
    pub parse_errors: usize,
    /// (name, count) in a fixed order: routes, models, auth, jobs, then the rest.
    pub counts: Vec<(String, usize)>,
    /// The plan's total, in engineer-weeks ("3.9-8.0"), when there is a plan or a default one.
    pub effort_weeks: Option<String>,
    pub effort_hours: Option<String>,
    pub direction: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PlanView {
    pub direction: String,
    pub guide: String,
    pub team_size: u32,
    pub engineer_weeks: String,
    pub calendar_weeks: String,
    pub effort_hours: String,
    pub optional_hours: Option<String>,
    pub findings: Vec<(String, usize)>,
    pub calibration: CalibrationView,
    /// The cut-over mode, where it came from, and one line per mode with its total.
    pub cutover: CutoverView,
    /// "120 h of work + 40-60 h of coordination" when the team or availability matters.
    pub team_note: Option<String>,
    pub steps: Vec<StepView>,
    pub chart: Chart,
    pub assumptions: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CutoverView {
    pub mode: String,
    /// Where it came from, as a sentence.
    pub why: String,
    pub modes: Vec<ModeView>,
}

#[derive(Debug, Serialize)]
pub struct ModeView {
    pub mode: String,
    pub hours: String,
    pub engineer_weeks: String,
    pub calendar_weeks: String,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct CalibrationView {
    pub figure: String,
    pub scaled: bool,
    pub weeks: String,
    pub verdict: String,
    pub note: String,
    pub drivers: Vec<DriverView>,
    pub nearest_case: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DriverView {
    pub rule: String,
    pub title: String,
    pub items: usize,
    pub hours: String,
}

#[derive(Debug, Serialize)]
pub struct StepView {
    pub number: u8,
    pub title: String,
    pub summary: String,
    pub basis: String,
    pub hours: String,
    pub low: f64,
    pub high: f64,
    pub optional_hours: Option<String>,
    /// Per rule: count and hours.
    pub rules: Vec<RuleSum>,
    pub items: Vec<ItemView>,
    /// The items as a table (HTML).
    pub table: Table,
}

#[derive(Debug, Serialize)]
pub struct RuleSum {
    pub rule: String,
    pub title: String,
    pub category: String,
    pub count: usize,
    pub hours: String,
}

#[derive(Debug, Serialize)]
pub struct ItemView {
    pub rule: String,
    pub category: String,
    pub message: String,
    pub hours: String,
    /// `file:line` (or `file`).
    pub location: Option<String>,
    pub href: Option<String>,
}

/// Effort per step as bars from low to high (SVG user units).
#[derive(Debug, Serialize)]
pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub bar_width: u32,
    pub max_hours: String,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
}

#[derive(Debug, Serialize)]
pub struct Bar {
    /// The step, shortened to fit the label column.
    pub label: String,
    /// The full step title (tooltip).
    pub title: String,
    pub y: u32,
    /// Solid part: 0 to low.
    pub low_w: f64,
    /// Range part: low to high.
    pub high_w: f64,
    pub hours: String,
}

#[derive(Debug, Serialize)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct ModelDiagram {
    pub entities: Vec<Entity>,
    pub relations: Vec<RelationView>,
    /// Models left out to keep the diagram readable.
    pub omitted: usize,
}

#[derive(Debug, Serialize)]
pub struct Entity {
    /// A Mermaid identifier (letters, digits, `_`), unique in the diagram.
    pub id: String,
    pub name: String,
    pub fields: Vec<(String, String)>,
    pub more_fields: usize,
}

#[derive(Debug, Serialize)]
pub struct RelationView {
    pub from: String,
    pub to: String,
    /// Mermaid erDiagram cardinality, e.g. `}o--||`.
    pub card: &'static str,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct AppEdgeView {
    pub from: String,
    pub from_id: String,
    pub to: String,
    pub to_id: String,
    pub count: usize,
}

/// Models in the diagram at most (a Mermaid diagram of hundreds of entities is unreadable and
/// GitHub refuses very long diagram sources).
const DIAGRAM_MODELS: usize = 40;
const DIAGRAM_FIELDS: usize = 6;

/// `12.5` -> "12", `3.25` -> "3.2": hours and weeks as people read them.
pub fn num(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

pub fn range(h: Hours) -> String {
    if h.is_zero() {
        return "0".into();
    }
    format!("{}-{}", num(h.low), num(h.high))
}

/// A relative link to a scanned file and line, safe in an `href`: always starts with `./` (so a
/// file named `javascript:...` stays a path) and percent-encodes everything but unreserved
/// characters and `/`.
pub fn href(file: &str, line: Option<u32>) -> String {
    let mut s = String::from("./");
    for b in file.trim_start_matches("./").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    if let Some(l) = line {
        s.push_str(&format!("#L{l}"));
    }
    s
}

fn loc(file: &str, line: u32) -> Cell {
    Cell::Link(format!("{file}:{line}"), href(file, Some(line)))
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn col(name: &'static str) -> Column {
    Column { name, num: false }
}

fn ncol(name: &'static str) -> Column {
    Column { name, num: true }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// A Mermaid identifier from any name: letters, digits and `_` only, not starting with a digit.
pub fn mermaid_id(s: &str) -> String {
    let mut id: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert(0, 'n');
    }
    id
}

/// Counts per category, routes, models, auth and jobs first.
pub fn counts(inv: &Inventory) -> Vec<(String, usize)> {
    ordered_counts(
        inv.counts()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// `c` with routes, models, auth and jobs first, then the rest alphabetically.
pub fn ordered_counts(c: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let first = ["routes", "models", "auth", "jobs"];
    let mut v: Vec<(String, usize)> = first
        .iter()
        .map(|k| (k.to_string(), c.get(*k).copied().unwrap_or(0)))
        .collect();
    for (k, n) in &c {
        if !first.contains(&k.as_str()) {
            v.push((k.clone(), *n));
        }
    }
    v
}

fn inventory_tables(inv: &Inventory) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut push = |id: &str, title: &str, columns: Vec<Column>, rows: Vec<Vec<Cell>>| {
        if !rows.is_empty() {
            tables.push(Table {
                id: id.to_string(),
                title: title.to_string(),
                columns,
                total: rows.len(),
                rows,
            });
        }
    };
    push(
        "routes",
        "Routes",
        vec![
            col("Methods"),
            col("Rule"),
            col("View"),
            col("Group"),
            col("Auth"),
            col("Location"),
        ],
        inv.routes
            .iter()
            .map(|r| {
                let mut rule = r.rule.clone();
                if !r.resolved {
                    rule.push_str(" (unresolved)");
                }
                vec![
                    t(if r.methods.is_empty() {
                        "*".to_string()
                    } else {
                        r.methods.join(", ")
                    }),
                    t(rule),
                    t(opt(&r.view)),
                    t(opt(&r.group)),
                    t(r.auth.join(", ")),
                    loc(&r.file, r.line),
                ]
            })
            .collect(),
    );
    push(
        "models",
        "Models",
        vec![
            col("Model"),
            col("Table"),
            ncol("Fields"),
            ncol("Relations"),
            col("Traits"),
            col("Location"),
        ],
        inv.models
            .iter()
            .map(|m| {
                let mut traits = m.traits.clone();
                if m.r#abstract {
                    traits.insert(0, "abstract".into());
                }
                vec![
                    t(format!("{}.{}", m.module, m.name)),
                    t(opt(&m.table)),
                    t(m.fields.len().to_string()),
                    t(m.relations.len().to_string()),
                    t(traits.join(", ")),
                    loc(&m.file, m.line),
                ]
            })
            .collect(),
    );
    push(
        "jobs",
        "Jobs",
        vec![col("Kind"), col("Name"), col("Schedule"), col("Location")],
        inv.jobs
            .iter()
            .map(|j| {
                vec![
                    t(&j.kind),
                    t(&j.name),
                    t(opt(&j.schedule)),
                    loc(&j.file, j.line),
                ]
            })
            .collect(),
    );
    push(
        "auth",
        "Auth",
        vec![col("System"), col("Kind"), col("Name"), col("Location")],
        inv.auth
            .iter()
            .map(|a| vec![t(&a.system), t(&a.kind), t(&a.name), loc(&a.file, a.line)])
            .collect(),
    );
    push(
        "admin",
        "Admin",
        vec![col("Model"), col("Admin class"), col("Location")],
        inv.admin
            .iter()
            .map(|a| {
                vec![
                    t(&a.model),
                    t(a.admin_class.clone().unwrap_or_else(|| "default".into())),
                    loc(&a.file, a.line),
                ]
            })
            .collect(),
    );
    push(
        "extensions",
        "Extensions",
        vec![col("Extension"), col("What the migration does")],
        inv.extensions
            .iter()
            .map(|e| vec![t(&e.name), t(&e.purpose)])
            .collect(),
    );
    push(
        "warnings",
        "Warnings",
        vec![col("Location"), col("Message")],
        inv.warnings
            .iter()
            .map(|w| {
                let l = match (&w.file, w.line) {
                    (Some(f), Some(l)) => loc(f, l),
                    (Some(f), None) => Cell::Link(f.clone(), href(f, None)),
                    _ => t(""),
                };
                vec![l, t(&w.message)]
            })
            .collect(),
    );
    tables
}

fn model_diagram(inv: &Inventory) -> ModelDiagram {
    let models: Vec<_> = inv.models.iter().collect();
    // The most connected models first, so that a capped diagram keeps the interesting part.
    let mut degree: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &models {
        *degree.entry(&m.name).or_default() += m.relations.len();
        for r in &m.relations {
            *degree.entry(last(&r.target)).or_default() += 1;
        }
    }
    let mut order: Vec<usize> = (0..models.len()).collect();
    if models.len() > DIAGRAM_MODELS {
        order.sort_by_key(|&i| std::cmp::Reverse(degree.get(models[i].name.as_str()).copied()));
        order.truncate(DIAGRAM_MODELS);
        order.sort();
    }
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut used = BTreeSet::new();
    let mut entities = Vec::new();
    for &i in &order {
        let m = models[i];
        let mut id = mermaid_id(&m.name);
        let mut n = 2;
        while used.contains(&id) {
            id = format!("{}_{n}", mermaid_id(&m.name));
            n += 1;
        }
        used.insert(id.clone());
        ids.entry(m.name.clone()).or_insert_with(|| id.clone());
        ids.entry(format!("{}.{}", m.module, m.name))
            .or_insert_with(|| id.clone());
        if let Some(app) = &m.app_label {
            ids.entry(format!("{app}.{}", m.name))
                .or_insert_with(|| id.clone());
        }
        entities.push(Entity {
            id,
            name: m.name.clone(),
            fields: m
                .fields
                .iter()
                .take(DIAGRAM_FIELDS)
                .map(|f| (mermaid_id(&f.r#type), mermaid_id(&f.name)))
                .collect(),
            more_fields: m.fields.len().saturating_sub(DIAGRAM_FIELDS),
        });
    }
    let mut relations = Vec::new();
    for &i in &order {
        let m = models[i];
        let Some(from) = ids
            .get(&m.name)
            .or_else(|| ids.get(&format!("{}.{}", m.module, m.name)))
        else {
            continue;
        };
        for r in &m.relations {
            let to = ids.get(&r.target).or_else(|| ids.get(last(&r.target)));
            let Some(to) = to else { continue };
            let card = match r.kind.as_str() {
                "foreign_key" => "}o--||",
                "one_to_one" => "|o--||",
                "many_to_many" => "}o--o{",
                _ => "}o--o|",
            };
            relations.push(RelationView {
                from: from.clone(),
                to: to.clone(),
                card,
                label: r.name.clone(),
            });
        }
    }
    ModelDiagram {
        entities,
        relations,
        omitted: models.len() - order.len(),
    }
}

/// `s` cut to `n` characters with an ellipsis.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut o: String = s.chars().take(n - 1).collect();
        o.push('…');
        o
    }
}

fn last(s: &str) -> &str {
    s.rsplit('.').next().unwrap_or(s)
}

fn summary(inv: &Inventory, plan: Option<&Plan>) -> Summary {
    let default_plan;
    let p = match plan {
        Some(p) => Some(p),
        None if inv.primary_framework().is_some() => {
            default_plan = plan::build(inv, &plan::PlanOptions::default());
            Some(&default_plan)
        }
        None => None,
    };
    Summary {
        framework: inv
            .frameworks
            .iter()
            .map(|f| match &f.version_spec {
                Some(v) => format!("{} {v}", f.name),
                None => f.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        files: inv.stats.files,
        python_files: inv.stats.python_files,
        lines: inv.stats.lines,
        parse_errors: inv.stats.parse_errors,
        counts: counts(inv),
        effort_weeks: p.map(|p| range(p.total.engineer_weeks)),
        effort_hours: p.map(|p| range(p.total.effort_hours)),
        direction: p.map(|p| p.direction.to_string()),
    }
}

fn chart(plan: &Plan) -> Chart {
    let label_width = 340;
    let bar_width = 560;
    let max = plan
        .steps
        .iter()
        .map(|s| s.effort_hours.high)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    // A round scale: 1, 2 or 5 times a power of ten, four or five ticks.
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let scale_max = (max / step).ceil() * step;
    let w = |h: f64| ((h / scale_max) * bar_width as f64 * 10.0).round() / 10.0;
    let bars: Vec<Bar> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| Bar {
            label: short(&format!("{}. {}", s.number, s.title), 50),
            title: format!("{}. {}", s.number, s.title),
            y: 8 + i as u32 * 34,
            low_w: w(s.effort_hours.low),
            high_w: w(s.effort_hours.high - s.effort_hours.low),
            hours: format!("{} h", range(s.effort_hours)),
        })
        .collect();
    let mut ticks = Vec::new();
    let mut v = 0.0;
    while v <= scale_max + 1e-9 {
        ticks.push(Tick {
            x: w(v),
            label: if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                num(v)
            },
        });
        v += step;
    }
    Chart {
        width: label_width + bar_width + 90,
        height: 8 + bars.len() as u32 * 34 + 24,
        label_width,
        bar_width,
        max_hours: num(scale_max),
        bars,
        ticks,
    }
}

fn plan_view(p: &Plan) -> PlanView {
    let steps = p
        .steps
        .iter()
        .map(|s| {
            let mut by: BTreeMap<&str, (usize, Hours, Category)> = BTreeMap::new();
            for i in &s.items {
                let e = by.entry(&i.rule).or_insert((0, Hours::ZERO, i.category));
                e.0 += 1;
                e.1 = e.1.plus(i.effort_hours);
            }
            let items: Vec<ItemView> = s
                .items
                .iter()
                .map(|i| ItemView {
                    rule: i.rule.clone(),
                    category: i.category.to_string(),
                    message: i.message.clone(),
                    hours: range(i.effort_hours),
                    location: i.file.as_ref().map(|f| match i.line {
                        Some(l) => format!("{f}:{l}"),
                        None => f.clone(),
                    }),
                    href: i.file.as_ref().map(|f| href(f, i.line)),
                })
                .collect();
            let rows = items
                .iter()
                .map(|i| {
                    vec![
                        t(&i.rule),
                        t(&i.category),
                        t(&i.hours),
                        t(&i.message),
                        match (&i.location, &i.href) {
                            (Some(l), Some(h)) => Cell::Link(l.clone(), h.clone()),
                            _ => t(""),
                        },
                    ]
                })
                .collect::<Vec<_>>();
            StepView {
                number: s.number,
                title: s.title.clone(),
                summary: s.summary.clone(),
                basis: s.basis.clone(),
                hours: range(s.effort_hours),
                low: s.effort_hours.low,
                high: s.effort_hours.high,
                optional_hours: (!s.optional_effort_hours.is_zero())
                    .then(|| range(s.optional_effort_hours)),
                rules: by
                    .into_iter()
                    .map(|(r, (n, h, c))| RuleSum {
                        rule: r.to_string(),
                        title: crate::rules::rule(r).title.to_string(),
                        category: c.to_string(),
                        count: n,
                        hours: range(h),
                    })
                    .collect(),
                table: Table {
                    id: format!("step{}", s.number),
                    title: format!("Step {} items", s.number),
                    columns: vec![
                        col("Rule"),
                        col("Category"),
                        ncol("Hours"),
                        col("Item"),
                        col("Location"),
                    ],
                    total: rows.len(),
                    rows,
                },
                items,
            }
        })
        .collect();
    let c = &p.calibration;
    let cut = &p.cutover;
    let t = &p.total;
    PlanView {
        cutover: CutoverView {
            mode: cut.mode.to_string(),
            why: cut.why(),
            modes: cut
                .modes
                .iter()
                .map(|m| ModeView {
                    mode: m.mode.to_string(),
                    hours: range(m.effort_hours),
                    engineer_weeks: range(m.engineer_weeks),
                    calendar_weeks: range(m.calendar_weeks),
                    current: m.mode == cut.mode,
                })
                .collect(),
        },
        team_note: (!t.coordination_hours.is_zero() || t.availability < 1.0).then(|| {
            format!(
                "{} h of work + {} h of coordination for a team of {}, each at {}% of the week",
                range(t.work_hours),
                range(t.coordination_hours),
                t.team_size,
                (t.availability * 100.0).round()
            )
        }),
        direction: p.direction.to_string(),
        guide: p.guide.clone(),
        team_size: p.total.team_size,
        engineer_weeks: range(p.total.engineer_weeks),
        calendar_weeks: range(p.total.calendar_weeks),
        effort_hours: range(p.total.effort_hours),
        optional_hours: (!p.total.optional_effort_hours.is_zero())
            .then(|| range(p.total.optional_effort_hours)),
        findings: p
            .summary
            .findings
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
        calibration: CalibrationView {
            figure: c.guide_figure.clone(),
            scaled: c.per_30k_lines_engineer_weeks.is_some(),
            weeks: range(
                c.per_30k_lines_engineer_weeks
                    .unwrap_or(p.total.engineer_weeks),
            ),
            verdict: c.verdict.clone(),
            note: c.note.clone(),
            drivers: c
                .drivers
                .iter()
                .map(|d| DriverView {
                    rule: d.rule.clone(),
                    title: d.title.clone(),
                    items: d.items,
                    hours: range(d.effort_hours),
                })
                .collect(),
            nearest_case: c.nearest_case.clone(),
        },
        steps,
        chart: chart(p),
        assumptions: p.assumptions.clone(),
    }
}

/// The report for `crossport scan` (no plan) or `crossport plan` (with the plan).
pub fn build(inv: &Inventory, plan: Option<&Plan>) -> Report {
    Report {
        kind: if plan.is_some() { "plan" } else { "scan" },
        tool_version: inv.tool.version.clone(),
        root: inv.root.clone(),
        summary: summary(inv, plan),
        plan: plan.map(plan_view),
        tables: inventory_tables(inv),
        model_diagram: model_diagram(inv),
        app_graph: inv
            .app_edges
            .iter()
            .map(|e| AppEdgeView {
                from: e.from.clone(),
                from_id: format!("app_{}", mermaid_id(&e.from)),
                to: e.to.clone(),
                to_id: format!("app_{}", mermaid_id(&e.to)),
                count: e.count,
            })
            .collect(),
        warnings: inv.warnings.len(),
    }
}
