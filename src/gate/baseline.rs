//! Baselines: today's findings (by fingerprint) and the migration surface, so that a later check
//! fails only on what is new and can report progress.

use crate::inventory::Inventory;
use crate::rules::Direction;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const BASELINE_VERSION: u32 = 1;
pub const KIND: &str = "crossport-baseline";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Baseline {
    /// Always `crossport-baseline`.
    pub kind: String,
    /// Format version; a reader refuses versions it does not know.
    pub version: u32,
    pub tool_version: String,
    pub direction: Direction,
    pub surface: Surface,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub file: Option<String>,
    pub message: String,
}

/// How much of each framework the repository still has: routes and models per side.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Surface {
    pub source_framework: String,
    pub target_framework: String,
    /// Source-framework constructs still to migrate (`routes`, `models`).
    pub source: BTreeMap<String, usize>,
    /// Target-framework constructs already there.
    pub target: BTreeMap<String, usize>,
}

/// Counts the surface of both frameworks for a direction.
pub fn surface(inv: &Inventory, direction: Direction) -> Surface {
    // Routes the application itself declares (not Flask's static route or an extension's).
    let own = || inv.routes.iter().filter(|r| !r.third_party);
    let django_routes = own().filter(|r| r.kind.starts_with("django")).count();
    let flask_routes = own().count() - django_routes;
    let concrete = || inv.models.iter().filter(|m| !m.r#abstract);
    let django_models = concrete().filter(|m| m.orm == "django").count();
    let other_models = concrete().count() - django_models;
    let flask = BTreeMap::from([
        ("routes".to_string(), flask_routes),
        ("models".to_string(), other_models),
    ]);
    let django = BTreeMap::from([
        ("routes".to_string(), django_routes),
        ("models".to_string(), django_models),
    ]);
    match direction {
        Direction::FlaskToDjango => Surface {
            source_framework: "flask".into(),
            target_framework: "django".into(),
            source: flask,
            target: django,
        },
        Direction::DjangoToFlask => Surface {
            source_framework: "django".into(),
            target_framework: "flask".into(),
            source: django,
            target: flask,
        },
    }
}

/// Reads a baseline file; errors name the file and what is wrong.
pub fn read(path: &Path) -> anyhow::Result<Baseline> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read baseline {}: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("baseline {} is not JSON: {e}", path.display()))?;
    if v.get("kind").and_then(|k| k.as_str()) != Some(KIND) {
        anyhow::bail!(
            "{} is not a crossport baseline (no \"kind\": \"{KIND}\")",
            path.display()
        );
    }
    match v.get("version").and_then(|k| k.as_u64()) {
        Some(n) if n == BASELINE_VERSION as u64 => {}
        other => anyhow::bail!(
            "baseline {} has version {:?}; this crossport reads version {BASELINE_VERSION}",
            path.display(),
            other
        ),
    }
    serde_json::from_value(v)
        .map_err(|e| anyhow::anyhow!("baseline {} is malformed: {e}", path.display()))
}

/// The baseline as pretty JSON with a trailing newline (stable order: by rule, file, fingerprint).
pub fn render(b: &Baseline) -> anyhow::Result<String> {
    let mut b = b.clone();
    b.findings.sort_by(|x, y| {
        (&x.rule, &x.file, &x.fingerprint, &x.message).cmp(&(
            &y.rule,
            &y.file,
            &y.fingerprint,
            &y.message,
        ))
    });
    let mut s = serde_json::to_string_pretty(&b)?;
    s.push('\n');
    Ok(s)
}

/// Marks which of `fingerprints` are new against the baseline. Fingerprints are a multiset: two
/// identical constructs in one file are two findings, and a third one is new.
pub fn new_mask(base: &Baseline, fingerprints: &[&str]) -> Vec<bool> {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &base.findings {
        *left.entry(e.fingerprint.as_str()).or_insert(0) += 1;
    }
    fingerprints
        .iter()
        .map(|f| match left.get_mut(f) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(fps: &[&str]) -> Baseline {
        Baseline {
            kind: KIND.into(),
            version: BASELINE_VERSION,
            tool_version: "0".into(),
            direction: Direction::FlaskToDjango,
            surface: Surface::default(),
            findings: fps
                .iter()
                .map(|f| Entry {
                    fingerprint: f.to_string(),
                    rule: "CP101".into(),
                    file: None,
                    message: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn fingerprints_are_a_multiset() {
        let b = base(&["a", "a", "b"]);
        assert_eq!(
            new_mask(&b, &["a", "b", "a", "a", "c"]),
            vec![false, false, false, true, true]
        );
    }

    #[test]
    fn round_trips_and_refuses_other_versions() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("b.json");
        let b = base(&["x"]);
        std::fs::write(&p, render(&b).unwrap()).unwrap();
        assert_eq!(read(&p).unwrap(), b);
        std::fs::write(
            &p,
            render(&b)
                .unwrap()
                .replace("\"version\": 1", "\"version\": 2"),
        )
        .unwrap();
        assert!(read(&p).unwrap_err().to_string().contains("version"));
        std::fs::write(&p, "{}").unwrap();
        assert!(
            read(&p)
                .unwrap_err()
                .to_string()
                .contains("not a crossport baseline")
        );
    }
}
