//! The cut-over: how the new stack takes over from the old one. It decides which of the
//! guide's step-3/4 costs a port pays at all, and it is where the measured ports differ most
//! (see `tests/calibration/`): none of the big-bang ports ran two stacks or copied rows, and
//! the one port with data on deployed devices spent most of its time on that data.

use crate::inventory::Inventory;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Nothing live to keep: the new stack replaces the old one in one switch (pre-launch,
    /// prototypes, stateless services whose data lives elsewhere).
    BigBang,
    /// Both stacks serve traffic from one database while routes move one by one (the guide's
    /// path: migrations faked on the live schema, a data copy, dual running, a session cut-over).
    Incremental,
    /// The data lives on installations the team does not control (devices, on-premises
    /// installs): every table is migrated in place by an upgrade that must not lose it.
    LiveData,
}

pub const ALL: [Mode; 3] = [Mode::BigBang, Mode::Incremental, Mode::LiveData];

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::BigBang => "big-bang",
            Mode::Incremental => "incremental",
            Mode::LiveData => "live-data",
        })
    }
}

/// The modes in which a rule's items are charged; rules not listed here are charged in all.
pub fn charged_in(rule: &str) -> &'static [Mode] {
    match rule {
        // The existing schema is kept: initial migrations are faked against it.
        "CP301" => &[Mode::Incremental, Mode::LiveData],
        // A one-shot copy into the Django schema while both stacks run; dual running itself;
        // two auth backends live at once; route contracts while traffic is split.
        "CP302" | "CP303" | "CP405" => &[Mode::Incremental],
        // Accounts that exist today must keep working.
        // The custom user model's cost is the existing accounts: hashes, and the swap before
        // the first migrate on a live database. Before launch the user is one more model (CP201).
        "CP402" | "CP406" => &[Mode::Incremental, Mode::LiveData],
        // Routes whose clients keep calling them across the switch.
        "CP109" => &[Mode::Incremental, Mode::LiveData],
        // Data migrated in place on installations.
        "CP304" | "CP305" => &[Mode::LiveData],
        _ => &ALL,
    }
}

pub fn charges(rule: &str, mode: Mode) -> bool {
    charged_in(rule).contains(&mode)
}

/// "big-bang, incremental and live-data" style list.
pub fn list(modes: &[Mode]) -> String {
    let names: Vec<String> = modes.iter().map(|m| m.to_string()).collect();
    match names.len() {
        0 => "none".into(),
        1 => names[0].clone(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// The mode the repository suggests, with the evidence for it (what was found, or what was
/// looked for and not found).
pub fn infer(inv: &Inventory) -> (Mode, Vec<String>) {
    let installs: Vec<&str> = inv
        .deployment
        .iter()
        .filter(|d| crate::surface::deploy::is_installation(&d.kind))
        .map(|d| d.file.as_str())
        .collect();
    let serving: Vec<&str> = inv
        .deployment
        .iter()
        .filter(|d| {
            crate::surface::deploy::runs_app(d) && !crate::surface::deploy::is_installation(&d.kind)
        })
        .map(|d| d.file.as_str())
        .collect();
    let revisions: usize = inv
        .migrations
        .iter()
        .filter(|m| m.tool != "django")
        .map(|m| m.count)
        .sum();
    let owned_tables = inv.raw_sql_tables.len()
        + inv
            .models
            .iter()
            .filter(|m| !m.r#abstract && m.orm != "django")
            .count();
    let few = |v: &[&str]| {
        let mut s = v.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        if v.len() > 3 {
            s.push_str(&format!(" and {} more", v.len() - 3));
        }
        s
    };
    if !installs.is_empty() && owned_tables > 0 {
        let mut ev = vec![format!("installation manifests ({})", few(&installs))];
        if !inv.raw_sql_tables.is_empty() {
            let t: Vec<&str> = inv.raw_sql_tables.iter().map(|t| t.name.as_str()).collect();
            ev.push(format!("tables kept with raw SQL ({})", few(&t)));
        } else {
            ev.push(format!("{owned_tables} tables owned by the application"));
        }
        return (Mode::LiveData, ev);
    }
    if owned_tables > 0 && (revisions > 0 || !inv.raw_sql_tables.is_empty()) && !serving.is_empty()
    {
        let mut ev = Vec::new();
        if revisions > 0 {
            ev.push(format!(
                "{revisions} Alembic revisions (a schema with history)"
            ));
        } else {
            ev.push(format!("{owned_tables} tables owned by the application"));
        }
        ev.push(format!(
            "deployment files running the app ({})",
            few(&serving)
        ));
        return (Mode::Incremental, ev);
    }
    let mut ev = Vec::new();
    if owned_tables == 0 {
        ev.push("no tables owned by the application".to_string());
    } else if revisions == 0 && inv.raw_sql_tables.is_empty() {
        ev.push("no migration history".to_string());
    }
    if serving.is_empty() {
        ev.push("no deployment file runs the app".to_string());
    }
    if installs.is_empty() {
        ev.push("no installation manifests".to_string());
    }
    (Mode::BigBang, ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{DeployFile, MigrationSet, Model, RawTable};

    fn model() -> Model {
        Model {
            name: "User".into(),
            orm: "sqlalchemy".into(),
            ..Default::default()
        }
    }

    #[test]
    fn inference() {
        let mut inv = Inventory::new(".".into());
        assert_eq!(infer(&inv).0, Mode::BigBang);
        inv.models.push(model());
        inv.migrations.push(MigrationSet {
            tool: "alembic".into(),
            path: "migrations".into(),
            app: None,
            count: 12,
        });
        // A schema with history but nothing showing it is deployed: still big-bang.
        assert_eq!(infer(&inv).0, Mode::BigBang);
        inv.deployment.push(DeployFile {
            file: "Procfile".into(),
            kind: "procfile".into(),
            mentions_app: Some(1),
        });
        let (m, ev) = infer(&inv);
        assert_eq!(m, Mode::Incremental);
        assert!(ev[0].contains("12 Alembic revisions"), "{ev:?}");
        inv.raw_sql_tables.push(RawTable {
            name: "assets".into(),
            via: "create_table".into(),
            file: "lib/db.py".into(),
            line: 3,
        });
        inv.deployment.push(DeployFile {
            file: "ansible/x.service".into(),
            kind: "systemd".into(),
            mentions_app: None,
        });
        let (m, ev) = infer(&inv);
        assert_eq!(m, Mode::LiveData);
        assert!(ev.iter().any(|e| e.contains("assets")), "{ev:?}");
    }

    #[test]
    fn charging() {
        assert!(charges("CP303", Mode::Incremental));
        assert!(!charges("CP303", Mode::BigBang));
        assert!(!charges("CP302", Mode::LiveData));
        assert!(charges("CP304", Mode::LiveData));
        assert!(charges("CP101", Mode::BigBang));
        assert!(!charges("CP406", Mode::BigBang));
        assert_eq!(list(&ALL), "big-bang, incremental and live-data");
    }
}
