//! The measured ports of `tests/calibration/cases.toml`, embedded so a plan can name the one
//! closest to it: a reader sees the estimate next to what a real port of that kind cost.

use super::cutover::Mode;
use super::effort::Hours;
use crate::inventory::Inventory;
use crate::rules::Direction;
use serde::Deserialize;
use std::collections::BTreeMap;

const CASES: &str = include_str!("../../tests/calibration/cases.toml");

#[derive(Debug, Deserialize)]
pub struct Measured {
    pub point: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Deserialize)]
pub struct Case {
    pub repo: String,
    pub direction: String,
    pub team: u32,
    pub cutover: Mode,
    pub measured_hours: Measured,
    #[serde(default)]
    pub counts: BTreeMap<String, i64>,
}

/// Every case by name (sorted); empty if the embedded file does not parse (a test guards it).
pub fn all() -> BTreeMap<String, Case> {
    toml::from_str(CASES).unwrap_or_default()
}

fn size(routes: f64, models: f64, templates: f64) -> f64 {
    (1.0 + routes + models + templates).ln()
}

/// "bigcases2 (big-bang, 1 engineer, 3 routes, 10 models): measured 48 h (31-48)" for the case
/// of the same direction and cut-over mode closest in size, if any.
pub fn nearest(inv: &Inventory, direction: Direction, mode: Mode, effort: Hours) -> Option<String> {
    let dir = direction.to_string();
    let here = size(
        inv.routes.iter().filter(|r| r.kind != "static").count() as f64,
        inv.models.iter().filter(|m| !m.r#abstract).count() as f64,
        inv.templates.iter().filter(|t| t.kind == "file").count() as f64,
    );
    let all = all();
    let (name, c) = all
        .iter()
        .filter(|(_, c)| c.direction == dir && c.cutover == mode)
        .min_by(|a, b| {
            let d = |c: &Case| {
                let n = |k: &str| *c.counts.get(k).unwrap_or(&0) as f64;
                (size(n("routes"), n("models"), n("templates")) - here).abs()
            };
            d(a.1).total_cmp(&d(b.1)).then_with(|| a.0.cmp(b.0))
        })?;
    let n = |k: &str| *c.counts.get(k).unwrap_or(&0);
    Some(format!(
        "nearest measured port: {name} ({}; {mode}, {} engineer{}, {} routes, {} models): measured {} h ({}-{}); this plan {:.0}-{:.0} h",
        c.repo,
        c.team,
        if c.team == 1 { "" } else { "s" },
        n("routes"),
        n("models"),
        c.measured_hours.point,
        c.measured_hours.low,
        c.measured_hours.high,
        effort.low,
        effort.high
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_cases_parse() {
        let all = all();
        assert!(all.len() >= 6, "{}", all.len());
        for (name, c) in &all {
            let m = &c.measured_hours;
            assert!(m.low <= m.point && m.point <= m.high, "{name}");
            assert!(c.team >= 1, "{name}");
        }
    }

    #[test]
    fn nearest_matches_mode_and_size() {
        let mut inv = Inventory::new(".".into());
        for i in 0..11 {
            inv.routes.push(crate::inventory::Route {
                rule: format!("/r{i}"),
                ..Default::default()
            });
        }
        let s = nearest(
            &inv,
            Direction::FlaskToDjango,
            Mode::BigBang,
            Hours::new(5.0, 9.0),
        )
        .unwrap();
        assert!(s.contains("regulations-core"), "{s}");
        assert!(
            nearest(
                &inv,
                Direction::FlaskToDjango,
                Mode::Incremental,
                Hours::ZERO
            )
            .is_none()
        );
    }
}
