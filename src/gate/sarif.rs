//! SARIF 2.1.0 output for code scanning: stable `ruleId`s (the registry ids), rule metadata with
//! help text from the registry, `partialFingerprints` (the plan's line-free fingerprint) and URIs
//! relative to `%SRCROOT%` (declared in `originalUriBaseIds`).

use super::{Finding, Outcome};
use crate::rules::{self, Category};
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const FINGERPRINT_KEY: &str = "crossport/v1";

fn default_level(c: Category) -> &'static str {
    match c {
        Category::Mandatory => "error",
        Category::Potential => "warning",
        Category::Optional => "note",
    }
}

fn level(f: &Finding) -> &'static str {
    if f.fails {
        "error"
    } else if f.category == Category::Optional {
        "note"
    } else {
        "warning"
    }
}

fn rule_json(r: &rules::Rule) -> Value {
    let effort = match r.effort {
        Some(h) => format!("{}-{} engineer-hours per {}", h.low, h.high, r.unit),
        None => format!("computed per {}", r.unit),
    };
    let help = format!(
        "{}\n\nEffort: {effort}. Basis: {}. Run `crossport explain {}` for details.",
        r.explanation, r.basis, r.id
    );
    json!({
        "id": r.id,
        "name": r.title,
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.explanation},
        "help": {
            "text": help,
            "markdown": format!("**{}** ({})\n\n{}\n\n*Effort:* {effort}.  \n*Basis:* {}.\n\n`crossport explain {}`", r.title, r.category, r.explanation, r.basis, r.id),
        },
        "defaultConfiguration": {"level": default_level(r.category)},
        "properties": {
            "category": r.category.to_string(),
            "direction": r.direction.to_string(),
            "step": r.step,
            "tags": ["migration", r.category.to_string(), r.direction.to_string()],
        }
    })
}

/// The outcome as a SARIF 2.1.0 log (pretty JSON, trailing newline).
pub fn render(o: &Outcome) -> anyhow::Result<String> {
    // Rules: every rule of the direction, in registry order, so indexes are stable.
    let used: Vec<&rules::Rule> = rules::RULES
        .iter()
        .filter(|r| r.direction == o.direction)
        .collect();
    let index: BTreeMap<&str, usize> = used.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let has_baseline = o.policy.baseline.is_some();
    let results: Vec<Value> = o
        .findings
        .iter()
        .map(|f| {
            let mut r = json!({
                "ruleId": f.rule,
                "level": level(f),
                "message": {"text": f.message},
                "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
                "properties": {
                    "category": f.category.to_string(),
                    "effortHours": {"low": f.effort_hours.low, "high": f.effort_hours.high},
                    "failsGate": f.fails,
                }
            });
            if let Some(i) = index.get(f.rule.as_str()) {
                r["ruleIndex"] = json!(i);
            }
            let anchored = f
                .file
                .clone()
                .map(|file| (file, f.line))
                .or_else(|| o.project_anchor.clone().map(|(file, l)| (file, Some(l))));
            if f.file.is_none() && anchored.is_some() {
                r["properties"]["projectLevel"] = json!(true);
            }
            if let Some((file, line)) = &anchored {
                let mut phys = json!({
                    "artifactLocation": {"uri": o.shown_path(file), "uriBaseId": "%SRCROOT%"}
                });
                if let Some(l) = line {
                    phys["region"] = json!({"startLine": l});
                }
                r["locations"] = json!([{"physicalLocation": phys}]);
            }
            if has_baseline {
                r["baselineState"] = json!(if f.new { "new" } else { "unchanged" });
            }
            if let Some(s) = &f.suppressed {
                r["suppressions"] = json!([{
                    "kind": "inSource",
                    "status": "accepted",
                    "justification": s.reason,
                }]);
            }
            r
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "crossport",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": used.iter().map(|r| rule_json(r)).collect::<Vec<_>>(),
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": o.base_uri}},
            "automationDetails": {"id": format!("crossport/{}/", o.direction)},
            "invocations": [{
                "executionSuccessful": true,
                "exitCode": o.exit_code,
                "toolExecutionNotifications": o.warnings.iter().map(|w| json!({"level": "warning", "message": {"text": w}})).collect::<Vec<_>>(),
            }],
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&log)?;
    s.push('\n');
    Ok(s)
}
