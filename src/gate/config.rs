//! The gate's policy: `[tool.crossport]` in `pyproject.toml` or the top level of `crossport.toml`.
//!
//! Unknown keys and wrong values are errors that name the key and its line (a typo in a CI gate
//! must not silently turn it off).

use crate::rules::{self, Category};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A rule id that exists in the registry (canonical upper case).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleId(pub String);

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_rule_id(&s).map_err(serde::de::Error::custom)
    }
}

/// Parses a rule id as written on the command line or in the config.
pub fn parse_rule_id(s: &str) -> Result<RuleId, String> {
    match rules::lookup(s.trim()) {
        Some(r) => Ok(RuleId(r.id.to_string())),
        None => Err(format!(
            "unknown rule `{s}` (see `crossport explain` for the list)"
        )),
    }
}

/// The policy as written in the file; every key is optional.
#[derive(Debug, Default, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policy {
    /// Fail when a finding of one of these categories is present.
    pub fail_on: Option<Vec<Category>>,
    /// Fail when a finding of one of these rules is present.
    pub fail_on_rules: Option<Vec<RuleId>>,
    /// Fail when the high end of the findings' effort (mandatory + potential) exceeds this.
    pub max_effort_hours: Option<f64>,
    /// Fail when a rule has more findings than this.
    pub max_per_rule: Option<BTreeMap<RuleId, usize>>,
    /// Baseline file (relative to the config file's directory).
    pub baseline: Option<String>,
    /// Fail when source-framework surface grows compared with the baseline.
    pub ratchet: Option<bool>,
    /// Target framework (`django` or `flask`).
    pub to: Option<TargetName>,
    /// Pass (exit 0) on a repository with no Flask or Django code.
    pub allow_empty: Option<bool>,
    /// The cut-over mode plans are priced for (`big-bang`, `incremental`, `live-data`).
    pub cutover: Option<crate::plan::cutover::Mode>,
    /// Share of each engineer's week spent on the port (plan only), (0, 1].
    pub availability: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetName {
    Django,
    Flask,
}

#[derive(Debug, Default, Deserialize)]
struct Pyproject {
    #[serde(default)]
    tool: PyTool,
}

#[derive(Debug, Default, Deserialize)]
struct PyTool {
    #[serde(default)]
    crossport: Option<Policy>,
}

/// Which kind of file a policy is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `crossport.toml`: the policy keys at the top level.
    Crossport,
    /// `pyproject.toml`: the policy in `[tool.crossport]`; other tables are ignored.
    Pyproject,
}

/// A configuration error: what is wrong, where (1-based line and column when known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let col = before.rfind('\n').map(|i| start - i).unwrap_or(start + 1);
    (line, col)
}

/// Parses a policy from the text of a file. `None` for a pyproject.toml without `[tool.crossport]`.
pub fn parse_str(text: &str, kind: Kind, file: &str) -> Result<Option<Policy>, ConfigError> {
    let r = match kind {
        Kind::Crossport => toml::from_str::<Policy>(text).map(Some),
        Kind::Pyproject => toml::from_str::<Pyproject>(text).map(|p| p.tool.crossport),
    };
    let policy = r.map_err(|e| {
        let (line, column) = match e.span() {
            Some(s) => {
                let (l, c) = line_col(text, s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        let key = e
            .span()
            .map(|s| key_at(text, s.start))
            .filter(|k| !k.is_empty());
        let message = match key {
            Some(k) if !e.message().contains(&format!("`{k}`")) => {
                format!("`{k}`: {}", e.message().trim())
            }
            _ => e.message().trim().to_string(),
        };
        ConfigError {
            file: file.to_string(),
            line,
            column,
            message,
        }
    })?;
    if let Some(m) = policy.as_ref().and_then(|p| p.max_effort_hours)
        && !(m.is_finite() && m >= 0.0)
    {
        return Err(ConfigError {
            file: file.to_string(),
            line: text.find("max-effort-hours").map(|o| line_col(text, o).0),
            column: None,
            message: "`max-effort-hours` must be a non-negative number".to_string(),
        });
    }
    Ok(policy)
}

/// The key written at the start of the line holding `offset` (`key = ...`), for error messages.
fn key_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = text[line_start..].lines().next().unwrap_or("");
    match line.split_once('=') {
        Some((k, _)) if !line.trim_start().starts_with('[') => {
            k.trim().trim_matches('"').trim_matches('\'').to_string()
        }
        _ => String::new(),
    }
}

/// Where the policy came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub policy: Policy,
    /// The file it was read from (None: no configuration found).
    pub file: Option<PathBuf>,
}

/// Reads the policy: an explicit `--config` file, else `crossport.toml`, else `pyproject.toml`'s
/// `[tool.crossport]`, looked for in the checked directory.
pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
    let dir = if root.is_dir() {
        root.to_path_buf()
    } else {
        root.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let candidates: Vec<(PathBuf, Kind, bool)> = match explicit {
        Some(p) => {
            let kind = if p.file_name().and_then(|n| n.to_str()) == Some("pyproject.toml") {
                Kind::Pyproject
            } else {
                Kind::Crossport
            };
            vec![(p.to_path_buf(), kind, true)]
        }
        None => vec![
            (dir.join("crossport.toml"), Kind::Crossport, false),
            (dir.join("pyproject.toml"), Kind::Pyproject, false),
        ],
    };
    for (path, kind, required) in candidates {
        let shown = path.display().to_string();
        let shown = shown.strip_prefix("./").unwrap_or(&shown).to_string();
        let text = match std::fs::read(&path) {
            Ok(b) => String::from_utf8(b).map_err(|_| ConfigError {
                file: shown.clone(),
                line: None,
                column: None,
                message: "not valid UTF-8".to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => continue,
            Err(e) => {
                return Err(ConfigError {
                    file: shown,
                    line: None,
                    column: None,
                    message: format!("cannot read: {e}"),
                });
            }
        };
        if let Some(policy) = parse_str(&text, kind, &shown)? {
            return Ok(Loaded {
                policy,
                file: Some(path),
            });
        }
        if required {
            return Ok(Loaded {
                policy: Policy::default(),
                file: Some(path),
            });
        }
    }
    Ok(Loaded {
        policy: Policy::default(),
        file: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let p = parse_str(
            "fail-on = [\"mandatory\", \"potential\"]\nfail-on-rules = [\"cp403\"]\nmax-effort-hours = 120.5\nmax-per-rule = { CP101 = 3 }\nbaseline = \"b.json\"\nratchet = true\nto = \"django\"\nallow-empty = false\n",
            Kind::Crossport,
            "crossport.toml",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            p.fail_on,
            Some(vec![Category::Mandatory, Category::Potential])
        );
        assert_eq!(p.fail_on_rules, Some(vec![RuleId("CP403".into())]));
        assert_eq!(p.max_per_rule.unwrap()[&RuleId("CP101".into())], 3);
        assert_eq!(p.to, Some(TargetName::Django));
    }

    #[test]
    fn pyproject_other_tables_are_ignored() {
        let t = "[project]\nname = \"x\"\n[tool.ruff]\nline-length = 3\n[tool.crossport]\nfail-on = [\"mandatory\"]\n";
        let p = parse_str(t, Kind::Pyproject, "pyproject.toml").unwrap();
        assert!(p.unwrap().fail_on.is_some());
        assert_eq!(
            parse_str(
                "[project]\nname = \"x\"\n",
                Kind::Pyproject,
                "pyproject.toml"
            )
            .unwrap(),
            None
        );
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let t = "[project]\nname = \"x\"\n\n[tool.crossport]\nfail-on = [\"mandatory\"]\nfial-on-rules = [\"CP101\"]\n";
        let e = parse_str(t, Kind::Pyproject, "pyproject.toml").unwrap_err();
        assert_eq!(e.line, Some(6), "{e}");
        assert!(e.message.contains("fial-on-rules"), "{e}");
    }

    #[test]
    fn bad_values_name_key_and_line() {
        let e = parse_str(
            "ratchet = true\nfail-on = [\"mandatroy\"]\n",
            Kind::Crossport,
            "c",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("fail-on"), "{e}");
        let e = parse_str("fail-on-rules = [\"CP999\"]\n", Kind::Crossport, "c").unwrap_err();
        assert!(e.message.contains("CP999"), "{e}");
        assert_eq!(e.line, Some(1));
        let e = parse_str("max-effort-hours = -1\n", Kind::Crossport, "c").unwrap_err();
        assert!(e.message.contains("max-effort-hours"), "{e}");
        let e = parse_str("ratchet = \n", Kind::Crossport, "c").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }
}
