//! One repository's line in the portfolio: a few counts, the plan's totals and drivers, its steps
//! folded to rule counts, and the names it could share with other repositories. This is all the
//! aggregate keeps of an inventory, so memory grows with the number of repositories, not with
//! their size.
//!
//! Plans are read through `PlanLite`, a tolerant subset of the plan JSON (every field defaulted),
//! so plans written by older or newer crossport versions still load; the cut-over mode is read when
//! the plan carries one and shown as "—" otherwise.

use crate::inventory::Inventory;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Model traits that make a port hard (the issue's "hard traits"); others are not counted.
pub const HARD_TRAITS: &[&str] = &[
    "composite_pk",
    "polymorphic",
    "events",
    "multi_table",
    "raw_sql",
];

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Range {
    #[serde(default)]
    pub low: f64,
    #[serde(default)]
    pub high: f64,
}

impl Range {
    pub fn plus(self, o: Range) -> Range {
        Range {
            low: self.low + o.low,
            high: self.high + o.high,
        }
    }
    /// Rounded to 0.01; a value that is not a finite, non-negative number of a sane size (a
    /// hand-edited or corrupt plan file) counts as 0, so sums and the timeline stay finite.
    pub fn rounded(self) -> Range {
        let r = |x: f64| {
            if x.is_finite() && (0.0..1e9).contains(&x) {
                (x * 100.0).round() / 100.0
            } else {
                0.0
            }
        };
        Range {
            low: r(self.low),
            high: r(self.high),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RepoSummary {
    pub name: String,
    /// The input it came from: a repository path or the JSON file(s).
    pub source: String,
    pub framework: Option<String>,
    pub version: Option<String>,
    pub python_files: usize,
    pub lines: usize,
    pub routes: usize,
    pub models: usize,
    pub jobs: usize,
    pub templates: usize,
    pub auth_systems: Vec<String>,
    /// Models per hard trait (only traits that occur).
    pub hard_traits: BTreeMap<String, usize>,
    pub direction: Option<String>,
    pub cutover: Option<String>,
    pub effort_hours: Range,
    pub engineer_weeks: Range,
    /// Calendar weeks for the plan's team (`team_size`).
    pub calendar_weeks: Range,
    pub team_size: u32,
    /// The heaviest rules, at most three.
    pub drivers: Vec<Driver>,
    pub steps: Vec<StepSummary>,
    /// Where the data came from: `scan` (repository), `inventory`, `plan`, or both files.
    pub from: String,
    /// Scan warnings and files with syntax errors: the figures may miss what hides there.
    pub scan_warnings: usize,
    /// The names it could share with other repositories (what waves are made from); kept in
    /// the JSON so that portfolios written by separate runs merge with their coupling.
    pub coupling: Coupling,
    /// Filled by the wave planner.
    pub wave: Option<usize>,
    pub group: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Driver {
    pub rule: String,
    #[serde(default)]
    pub title: Cow<'static, str>,
    #[serde(default)]
    pub items: usize,
    #[serde(default)]
    pub effort_hours: Range,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StepSummary {
    pub number: u32,
    /// Borrowed from the rule registry when it is the guide's title (the usual case): one copy
    /// for all repositories.
    pub title: Cow<'static, str>,
    pub effort_hours: Range,
    pub items: usize,
    /// Items per rule: (rule, count), in rule order. Rule ids are short enough to live inline
    /// (no allocation); the items themselves are not kept: `crossport plan` lists them.
    pub rules: Vec<(Name, u32)>,
}

/// A short name (a rule id, a table or package name) stored inline when it fits in 24 bytes:
/// thousands of repositories times dozens of names would otherwise be as many allocations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(pub CompactString);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name(CompactString::from(s))
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name(CompactString::from(s))
    }
}

impl Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Name(CompactString::from(s.as_ref())))
    }
}

/// Names another repository could share: tables, own top-level packages, declared dependencies,
/// database URLs. The wave planner turns them into groups and reasons.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Coupling {
    pub tables: Vec<Name>,
    pub packages: Vec<Name>,
    pub dependencies: Vec<Name>,
    pub databases: Vec<Name>,
}

// ---- the plan JSON, tolerantly --------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlanLite {
    pub direction: String,
    pub summary: PlanSummaryLite,
    pub steps: Vec<StepLite>,
    pub total: TotalLite,
    pub calibration: CalibrationLite,
    #[serde(alias = "cutover_mode", alias = "cut_over")]
    pub cutover: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlanSummaryLite {
    pub root: String,
    pub framework: String,
    pub lines: usize,
    pub python_files: usize,
    pub counts: BTreeMap<String, usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepLite {
    pub number: u32,
    pub title: String,
    pub items: Vec<ItemLite>,
    pub effort_hours: Range,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ItemLite {
    /// Only the rule: a step's items are counted per rule.
    pub rule: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TotalLite {
    pub effort_hours: Range,
    pub engineer_weeks: Range,
    pub calendar_weeks: Range,
    pub team_size: u32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CalibrationLite {
    pub drivers: Vec<Driver>,
}

impl PlanLite {
    /// The cut-over mode as a word: a string, or an object's `mode`.
    fn cutover_mode(&self) -> Option<String> {
        match self.cutover.as_ref()? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Object(o) => o.get("mode")?.as_str().map(str::to_string),
            _ => None,
        }
    }
}

impl RepoSummary {
    /// The inventory's side: counts, framework and version, traits, coupling names.
    pub fn from_inventory(name: String, source: String, inv: &Inventory) -> RepoSummary {
        let framework = inv.primary_framework().map(str::to_string);
        let version = framework.as_deref().and_then(|fw| {
            inv.frameworks
                .iter()
                .find(|f| f.name == fw)
                .and_then(|f| f.version_spec.clone())
        });
        let mut auth: Vec<String> = inv
            .auth
            .iter()
            .map(|a| a.system.clone())
            // `decorator` is a route's own check, not a system to replace.
            .filter(|s| s != "decorator")
            .collect();
        auth.sort();
        auth.dedup();
        let mut hard = BTreeMap::new();
        for m in inv.models.iter().filter(|m| !m.r#abstract) {
            for t in &m.traits {
                if HARD_TRAITS.contains(&t.as_str()) {
                    *hard.entry(t.clone()).or_insert(0) += 1;
                }
            }
        }
        RepoSummary {
            name,
            source,
            framework,
            version,
            python_files: inv.stats.python_files,
            lines: inv.stats.lines,
            routes: inv.routes.len(),
            models: inv.models.iter().filter(|m| !m.r#abstract).count(),
            jobs: inv.jobs.len(),
            templates: inv.templates.len(),
            auth_systems: auth,
            hard_traits: hard,
            from: "inventory".into(),
            scan_warnings: inv.warnings.len() + inv.stats.parse_errors,
            coupling: coupling(inv),
            team_size: 0,
            ..Default::default()
        }
    }

    /// A summary from a plan alone (no inventory): what the plan's summary carries.
    pub fn from_plan_only(name: String, source: String, p: &PlanLite) -> RepoSummary {
        let c = |k: &str| p.summary.counts.get(k).copied().unwrap_or(0);
        let mut s = RepoSummary {
            name,
            source,
            framework: Some(p.summary.framework.clone())
                .filter(|f| !f.is_empty() && f != "unknown"),
            python_files: p.summary.python_files,
            lines: p.summary.lines,
            routes: c("routes"),
            models: c("models"),
            jobs: c("jobs"),
            templates: c("templates"),
            from: "plan".into(),
            ..Default::default()
        };
        s.apply_plan(p);
        s
    }

    /// The plan's side: direction, cut-over, effort, drivers, steps.
    pub fn apply_plan(&mut self, p: &PlanLite) {
        self.direction = Some(p.direction.clone()).filter(|d| !d.is_empty());
        self.cutover = p.cutover_mode();
        self.effort_hours = p.total.effort_hours.rounded();
        self.engineer_weeks = p.total.engineer_weeks.rounded();
        self.calendar_weeks = p.total.calendar_weeks.rounded();
        self.team_size = p.total.team_size;
        self.drivers = p
            .calibration
            .drivers
            .iter()
            .take(3)
            .map(|d| Driver {
                title: shared(&d.title, crate::rules::lookup(&d.rule).map(|r| r.title)),
                ..d.clone()
            })
            .collect();
        let direction = match p.direction.as_str() {
            "flask->django" => Some(crate::rules::Direction::FlaskToDjango),
            "django->flask" => Some(crate::rules::Direction::DjangoToFlask),
            _ => None,
        };
        self.steps = p
            .steps
            .iter()
            .map(|st| {
                let mut rules: BTreeMap<&str, u32> = BTreeMap::new();
                for i in &st.items {
                    *rules.entry(i.rule.as_str()).or_insert(0) += 1;
                }
                let known = direction
                    .filter(|_| st.number <= u8::MAX as u32)
                    .map(|d| crate::rules::step_title(d, st.number as u8));
                StepSummary {
                    number: st.number,
                    title: shared(&st.title, known),
                    effort_hours: st.effort_hours.rounded(),
                    items: st.items.len(),
                    rules: rules.into_iter().map(|(r, n)| (Name::from(r), n)).collect(),
                }
            })
            .collect();
    }

    pub fn planned(&self) -> bool {
        self.direction.is_some() && self.framework.is_some()
    }
}

/// `s`, borrowed from `known` when equal (no allocation per repository).
fn shared(s: &str, known: Option<&'static str>) -> Cow<'static, str> {
    match known {
        Some(k) if k == s => Cow::Borrowed(k),
        _ => Cow::Owned(s.to_string()),
    }
}

/// Lower-case, `-` and `.` as `_`: how pip names and import names meet.
pub fn normalise_package(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['-', '.'], "_")
}

fn coupling(inv: &Inventory) -> Coupling {
    let mut tables: Vec<String> = inv
        .models
        .iter()
        .filter(|m| !m.r#abstract)
        .filter_map(|m| m.table.clone())
        .collect();
    tables.sort();
    tables.dedup();
    // Own top-level packages: where the models, views and own Django apps live.
    let top = |m: &str| m.split('.').next().unwrap_or("").to_string();
    let mut packages: Vec<String> = inv
        .models
        .iter()
        .map(|m| top(&m.module))
        .chain(
            inv.routes
                .iter()
                .filter(|r| !r.third_party)
                .filter_map(|r| r.view.as_deref().map(top)),
        )
        .chain(
            inv.apps
                .iter()
                .filter(|a| a.own)
                .filter_map(|a| a.module.as_deref().map(top)),
        )
        .filter(|p| !p.is_empty())
        .map(|p| normalise_package(&p))
        .collect();
    packages.sort();
    packages.dedup();
    let mut dependencies: Vec<String> = inv
        .dependencies
        .iter()
        .map(|d| normalise_package(&d.name))
        .collect();
    dependencies.sort();
    dependencies.dedup();
    let mut databases: Vec<String> = inv
        .settings
        .iter()
        .filter(|s| {
            matches!(
                s.name.as_str(),
                "SQLALCHEMY_DATABASE_URI" | "DATABASE_URL" | "DATABASE_URI" | "SQLALCHEMY_BINDS"
            )
        })
        .filter_map(|s| s.value.as_deref().and_then(database_identity))
        .collect();
    databases.sort();
    databases.dedup();
    // Exactly sized: these lists live as long as the portfolio.
    let names = |v: Vec<String>| -> Vec<Name> {
        let mut o: Vec<Name> = v.into_iter().map(Name::from).collect();
        o.shrink_to_fit();
        o
    };
    Coupling {
        tables: names(tables),
        packages: names(packages),
        dependencies: names(dependencies),
        databases: names(databases),
    }
}

/// `scheme://user:secret@host:port/name?x` -> `host:port/name`: the database two services would
/// share. SQLite files and in-memory databases belong to one process and are never shared;
/// values that are not URLs (`{...}`, environment lookups) say nothing.
pub fn database_identity(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.starts_with("sqlite") {
        return None;
    }
    let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, db) = rest.split_once('/')?;
    if host.is_empty() || db.is_empty() || host.contains('{') || db.contains('{') {
        return None;
    }
    Some(format!("{host}/{db}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_identity_drops_credentials_and_sqlite() {
        assert_eq!(
            database_identity("postgresql://app:s3cret@db.internal:5432/orders?sslmode=require")
                .as_deref(),
            Some("db.internal:5432/orders")
        );
        assert_eq!(database_identity("sqlite:///shop.db"), None);
        assert_eq!(database_identity("{...}"), None);
        assert_eq!(database_identity("mysql://h/"), None);
    }

    #[test]
    fn cutover_is_read_when_present_and_optional() {
        let p: PlanLite =
            serde_json::from_str(r#"{"direction":"flask->django","cutover":{"mode":"live-data"}}"#)
                .unwrap();
        assert_eq!(p.cutover_mode().as_deref(), Some("live-data"));
        let p: PlanLite =
            serde_json::from_str(r#"{"direction":"flask->django","cutover":"big-bang"}"#).unwrap();
        assert_eq!(p.cutover_mode().as_deref(), Some("big-bang"));
        let p: PlanLite = serde_json::from_str(r#"{"direction":"flask->django"}"#).unwrap();
        assert_eq!(p.cutover_mode(), None);
    }
}
