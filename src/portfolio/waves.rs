//! Migration waves: which repositories move together and in which order, and a timeline for a
//! number of teams.
//!
//! Repositories that share something a migration cannot split move in the same wave, as one
//! group: the same table name (the same database, or a copy of it), the same database URL, or a
//! declared dependency on another repository's own package (an internal library). Groups are the
//! connected components of those links.
//!
//! Waves order groups cheap and loosely coupled first: by size tier (the high end of the group's
//! engineer-weeks against the guide's 30,000-line reference of 8-16 engineer-weeks: small up to 8,
//! medium up to 16, large above), and within a tier stand-alone repositories before coupled
//! groups. Each non-empty (tier, coupling) pair is one wave.
//!
//! The timeline gives each group to the team that is free first, in wave order; a group takes the
//! sum of its repositories' calendar weeks (each plan's own team size). Bars use the high end of
//! the ranges, the total is given for both ends.

use super::summary::{Range, RepoSummary};
use serde::Serialize;
use std::collections::BTreeMap;

pub const SMALL_MAX_ENGINEER_WEEKS: f64 = 8.0;
pub const MEDIUM_MAX_ENGINEER_WEEKS: f64 = 16.0;
/// Reasons listed per group; the rest are counted.
const MAX_REASONS: usize = 6;

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: usize,
    pub wave: usize,
    /// Repository names, sorted.
    pub members: Vec<String>,
    /// What the members share (`table users: a, b`), at most six.
    pub shared: Vec<String>,
    pub shared_total: usize,
    pub engineer_weeks: Range,
    pub calendar_weeks: Range,
    /// Timeline (high end): the team and the weeks it starts and ends.
    pub team: usize,
    pub start_week: f64,
    pub end_week: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Wave {
    pub number: usize,
    /// `small`, `medium` or `large`.
    pub size: String,
    pub coupled: bool,
    pub title: String,
    pub repositories: usize,
    /// Group ids (1-based, as `Group::id`).
    pub groups: Vec<usize>,
    pub engineer_weeks: Range,
    pub start_week: f64,
    pub end_week: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub teams: u32,
    /// Weeks until the last group is done: with every group at its low and at its high end.
    pub weeks: Range,
}

pub struct Planned {
    pub groups: Vec<Group>,
    pub waves: Vec<Wave>,
    pub timeline: Timeline,
}

struct Dsu(Vec<usize>);
impl Dsu {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        // The smaller index is the root: groups do not depend on the order of unions.
        if a != b {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            self.0[hi] = lo;
        }
    }
}

fn tier(ew_high: f64) -> (usize, &'static str) {
    if ew_high <= SMALL_MAX_ENGINEER_WEEKS {
        (0, "small")
    } else if ew_high <= MEDIUM_MAX_ENGINEER_WEEKS {
        (1, "medium")
    } else {
        (2, "large")
    }
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The kinds of shared name, in the order reasons are listed.
const KINDS: [&str; 3] = ["database", "package", "table"];

/// Groups repositories that share a name; returns the union-find and, per group root, the
/// reasons (`table users: a, b`). Names are borrowed from the summaries, never copied: only the
/// shared ones become text.
fn link(repos: &[RepoSummary], planned: &[bool]) -> (Dsu, BTreeMap<usize, Vec<String>>) {
    // (kind, name) -> the repositories that have it; kind indexes KINDS.
    let mut holders: BTreeMap<(u8, &str), Vec<u32>> = BTreeMap::new();
    let mut owners: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (i, r) in repos.iter().enumerate().filter(|(i, _)| planned[*i]) {
        for t in &r.coupling.tables {
            holders.entry((2, t.as_str())).or_default().push(i as u32);
        }
        for d in &r.coupling.databases {
            holders.entry((0, d.as_str())).or_default().push(i as u32);
        }
        for p in &r.coupling.packages {
            owners.entry(p.as_str()).or_default().push(i as u32);
        }
    }
    for (i, r) in repos.iter().enumerate().filter(|(i, _)| planned[*i]) {
        let i = i as u32;
        for d in &r.coupling.dependencies {
            if let Some(os) = owners.get(d.as_str())
                && os.iter().any(|&o| o != i)
            {
                let e = holders.entry((1, d.as_str())).or_default();
                e.push(i);
                e.extend(os.iter().copied().filter(|&o| o != i));
            }
        }
    }
    drop(owners);
    let mut dsu = Dsu((0..repos.len()).collect());
    for members in holders.values_mut() {
        members.sort_unstable();
        members.dedup();
        for w in members.windows(2) {
            dsu.union(w[0] as usize, w[1] as usize);
        }
    }
    let mut reasons: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for ((kind, name), members) in &holders {
        if members.len() < 2 {
            continue;
        }
        let root = dsu.find(members[0] as usize);
        let names: Vec<&str> = members
            .iter()
            .map(|&m| repos[m as usize].name.as_str())
            .collect();
        reasons.entry(root).or_default().push(format!(
            "{} {name}: {}",
            KINDS[*kind as usize],
            names.join(", ")
        ));
    }
    (dsu, reasons)
}

/// Plans waves over `repos` (sorted by name); sets each planned repository's `wave` and `group`.
/// Repositories without a plan (no Flask or Django found) are left out.
pub fn plan(repos: &mut [RepoSummary], teams: u32) -> Planned {
    let n = repos.len();
    let planned: Vec<bool> = repos.iter().map(|r| r.planned()).collect();
    let (mut dsu, mut reasons) = link(repos, &planned);
    // Components, in order of their first (smallest-named) member.
    let mut comp: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in (0..n).filter(|&i| planned[i]) {
        let root = dsu.find(i);
        comp.entry(root).or_default().push(i);
    }
    struct Unit {
        members: Vec<usize>,
        shared: Vec<String>,
        ew: Range,
        cw: Range,
        tier: usize,
        size: &'static str,
        coupled: bool,
    }
    let mut units: Vec<Unit> = comp
        .into_iter()
        .map(|(root, members)| {
            let ew = members
                .iter()
                .fold(Range::default(), |a, &m| a.plus(repos[m].engineer_weeks))
                .rounded();
            let cw = members
                .iter()
                .fold(Range::default(), |a, &m| a.plus(repos[m].calendar_weeks))
                .rounded();
            let (t, size) = tier(ew.high);
            Unit {
                coupled: members.len() > 1,
                shared: reasons.remove(&root).unwrap_or_default(),
                members,
                ew,
                cw,
                tier: t,
                size,
            }
        })
        .collect();
    // Cheap and loose first; ties by effort, then by the first member's name (units are
    // already in name order, and the sort is stable).
    units.sort_by(|a, b| {
        (a.tier, a.coupled)
            .cmp(&(b.tier, b.coupled))
            .then(a.ew.high.total_cmp(&b.ew.high))
    });
    let teams = teams.max(1);
    let mut free_high = vec![0.0f64; teams as usize];
    let mut free_low = vec![0.0f64; teams as usize];
    let mut groups = Vec::with_capacity(units.len());
    let mut waves: Vec<Wave> = Vec::new();
    for (id, u) in units.into_iter().enumerate() {
        let new_wave = waves
            .last()
            .is_none_or(|w| (w.size.as_str(), w.coupled) != (u.size, u.coupled));
        if new_wave {
            waves.push(Wave {
                number: waves.len() + 1,
                size: u.size.to_string(),
                coupled: u.coupled,
                title: format!(
                    "{}, {}",
                    u.size,
                    if u.coupled {
                        "coupled groups"
                    } else {
                        "stand-alone"
                    }
                ),
                repositories: 0,
                groups: Vec::new(),
                engineer_weeks: Range::default(),
                start_week: f64::MAX,
                end_week: 0.0,
            });
        }
        let _ = u.tier;
        // The team free first (lowest number on a tie) takes the group.
        let team = (0..free_high.len())
            .min_by(|&a, &b| free_high[a].total_cmp(&free_high[b]).then(a.cmp(&b)))
            .unwrap_or(0);
        let start = free_high[team];
        free_high[team] += u.cw.high;
        let lt = (0..free_low.len())
            .min_by(|&a, &b| free_low[a].total_cmp(&free_low[b]).then(a.cmp(&b)))
            .unwrap_or(0);
        free_low[lt] += u.cw.low;
        let w = waves.last_mut().expect("a wave exists");
        w.repositories += u.members.len();
        w.groups.push(id + 1);
        w.engineer_weeks = w.engineer_weeks.plus(u.ew).rounded();
        w.start_week = w.start_week.min(r2(start));
        w.end_week = w.end_week.max(r2(free_high[team]));
        for &m in &u.members {
            repos[m].wave = Some(w.number);
            repos[m].group = Some(id + 1);
        }
        let mut members: Vec<String> = u.members.iter().map(|&m| repos[m].name.clone()).collect();
        members.sort();
        let shared_total = u.shared.len();
        let mut shared = u.shared;
        shared.truncate(MAX_REASONS);
        groups.push(Group {
            id: id + 1,
            wave: w.number,
            members,
            shared,
            shared_total,
            engineer_weeks: u.ew,
            calendar_weeks: u.cw,
            team: team + 1,
            start_week: r2(start),
            end_week: r2(free_high[team]),
        });
    }
    let weeks = Range {
        low: free_low.iter().copied().fold(0.0, f64::max),
        high: free_high.iter().copied().fold(0.0, f64::max),
    }
    .rounded();
    Planned {
        groups,
        waves,
        timeline: Timeline { teams, weeks },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(name: &str, ew_high: f64, tables: &[&str]) -> RepoSummary {
        let mut r = RepoSummary {
            name: name.into(),
            framework: Some("flask".into()),
            direction: Some("flask->django".into()),
            engineer_weeks: Range {
                low: ew_high / 2.0,
                high: ew_high,
            },
            calendar_weeks: Range {
                low: ew_high / 4.0,
                high: ew_high / 2.0,
            },
            ..Default::default()
        };
        r.coupling.tables = tables.iter().map(|&t| t.into()).collect();
        r
    }

    #[test]
    fn shared_tables_move_together_and_cheap_loose_ones_go_first() {
        let mut repos = vec![
            repo("a-big", 30.0, &[]),
            repo("b-small", 2.0, &["b_only"]),
            repo("c-orders", 3.0, &["orders"]),
            repo("d-invoices", 3.0, &["orders", "invoices"]),
            repo("e-tiny", 1.0, &[]),
        ];
        let p = plan(&mut repos, 2);
        let first = &p.groups[p.waves[0].groups[0] - 1];
        assert_eq!(first.members, ["e-tiny"], "cheapest stand-alone first");
        assert_eq!(p.waves[0].title, "small, stand-alone");
        assert_eq!(p.waves[1].title, "small, coupled groups");
        let coupled = &p.groups[p.waves[1].groups[0] - 1];
        assert_eq!(coupled.members, ["c-orders", "d-invoices"]);
        assert_eq!(coupled.shared, ["table orders: c-orders, d-invoices"]);
        assert_eq!(repos[2].wave, repos[3].wave);
        assert_eq!(p.waves.last().unwrap().title, "large, stand-alone");
        assert_eq!(repos[0].wave, Some(3));
        // Two teams: 0.5+1+3 = 4.5 calendar weeks of small work and 15 of large.
        assert!(p.timeline.weeks.high >= 15.0 && p.timeline.weeks.high <= 19.5);
    }

    #[test]
    fn groups_do_not_depend_on_input_order_of_links() {
        let mut a = vec![
            repo("x", 1.0, &["t1"]),
            repo("y", 1.0, &["t2"]),
            repo("z", 1.0, &["t1", "t2"]),
        ];
        let p = plan(&mut a, 1);
        assert_eq!(p.groups.len(), 1);
        assert_eq!(p.groups[0].members, ["x", "y", "z"]);
        assert_eq!(p.groups[0].shared_total, 2);
    }

    #[test]
    fn an_internal_package_links_its_user_and_its_owner() {
        let mut a = vec![
            repo("lib", 1.0, &[]),
            repo("svc", 1.0, &[]),
            repo("other", 1.0, &[]),
        ];
        a[0].coupling.packages = vec!["billing_core".into()];
        a[1].coupling.dependencies = vec!["billing_core".into(), "flask".into()];
        let p = plan(&mut a, 1);
        assert_eq!(a[0].group, a[1].group);
        assert_ne!(a[0].group, a[2].group);
        let g = &p.groups[a[0].group.unwrap() - 1];
        assert_eq!(g.shared, ["package billing_core: lib, svc"]);
    }
}
