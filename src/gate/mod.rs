//! `crossport check`: the plan's findings against a policy, for CI.
//!
//! Exit codes are a contract: 0 the gate passed, 1 the gate failed, 2 usage, configuration or I/O
//! error (also any internal error; never 0).
//!
//! Flow: scan -> plan -> flatten findings -> inline suppressions (reading only the files that
//! have findings) -> baseline (new findings by fingerprint) -> policy -> ratchet -> render.

pub mod baseline;
pub mod config;
pub mod github;
pub mod markdown;
pub mod sarif;
pub mod suppress;

use crate::cli::{CheckArgs, CheckFormat, Target};
use crate::inventory::Inventory;
use crate::plan::{self, effort::Hours};
use crate::rules::{self, Category, Direction};
use anyhow::Result;
use baseline::{Baseline, Surface};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const EXIT_PASS: u8 = 0;
pub const EXIT_FAIL: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// One finding as the gate sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: String,
    pub category: Category,
    pub title: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub effort_hours: Hours,
    pub fingerprint: String,
    /// Not in the baseline (always true without a baseline).
    pub new: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppressed>,
    /// This finding alone fails the gate (its category or rule is in the policy).
    pub fails: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Suppressed {
    pub line: u32,
    pub reason: String,
}

/// The effective policy after config and flags.
#[derive(Debug, Clone, Serialize)]
pub struct Effective {
    pub fail_on: Vec<Category>,
    pub fail_on_rules: Vec<String>,
    pub max_effort_hours: Option<f64>,
    pub max_per_rule: BTreeMap<String, usize>,
    pub baseline: Option<String>,
    pub ratchet: bool,
    pub config: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub findings: usize,
    pub new: usize,
    pub suppressed: usize,
    pub failing: usize,
    /// High end of the counted findings' effort (mandatory + potential), hours.
    pub effort_hours_high: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RatchetKind {
    pub kind: String,
    pub baseline_source: usize,
    pub source: usize,
    pub target: usize,
    /// Source constructs migrated away since the baseline (negative: added).
    pub change: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ratchet {
    pub source_framework: String,
    pub target_framework: String,
    pub kinds: Vec<RatchetKind>,
    pub progress: Vec<String>,
}

/// The result of `crossport check` (the JSON output).
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub kind: &'static str,
    pub version: u32,
    pub passed: bool,
    pub exit_code: u8,
    pub root: String,
    pub direction: Direction,
    pub policy: Effective,
    pub counts: Counts,
    pub violations: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratchet: Option<Ratchet>,
    pub warnings: Vec<String>,
    pub findings: Vec<Finding>,
    /// Prefix that makes finding paths relative to the working directory (SARIF, annotations).
    #[serde(skip)]
    pub display_prefix: PathBuf,
    #[serde(skip)]
    pub base_uri: String,
    /// Where project-level findings (no file of their own) are anchored in SARIF, which code
    /// scanning needs a location for: the file that shows the framework (e.g. requirements.txt).
    #[serde(skip)]
    pub project_anchor: Option<(String, u32)>,
}

impl Outcome {
    /// A finding's path as shown to the user and in annotations (relative to the working directory
    /// when the checked path was relative).
    pub fn shown_path(&self, file: &str) -> String {
        let p = self.display_prefix.join(file);
        let s = p.to_string_lossy().replace('\\', "/");
        s.trim_start_matches("./").to_string()
    }
}

/// A usage or configuration error: exit 2 with this message.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn normalise_prefix(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return PathBuf::new();
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn file_uri(dir: &Path) -> String {
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut s = abs.to_string_lossy().replace('\\', "/");
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    if !s.ends_with('/') {
        s.push('/');
    }
    let mut out = String::from("file://");
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Runs `crossport check`; returns the exit code.
pub fn run(args: CheckArgs, opts: &crate::scan::ScanOptions) -> Result<u8> {
    match run_inner(args, opts) {
        Ok(code) => Ok(code),
        Err(e) if e.downcast_ref::<UsageError>().is_some() => {
            eprintln!("crossport: error: {e}");
            Ok(EXIT_ERROR)
        }
        Err(e) => Err(e),
    }
}

fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.into()))
}

fn run_inner(args: CheckArgs, opts: &crate::scan::ScanOptions) -> Result<u8> {
    if !args.path.exists() {
        return Err(usage(format!(
            "{}: no such file or directory",
            args.path.display()
        )));
    }
    let loaded =
        config::load(&args.path, args.config.as_deref()).map_err(|e| usage(e.to_string()))?;
    let pol = &loaded.policy;
    let config_dir = loaded
        .file
        .as_ref()
        .and_then(|f| f.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let baseline_path: Option<PathBuf> = args
        .baseline
        .clone()
        .or_else(|| pol.baseline.as_ref().map(|b| config_dir.join(b)));
    let ratchet = args.ratchet || pol.ratchet.unwrap_or(false);
    if ratchet && baseline_path.is_none() && args.write_baseline.is_none() {
        return Err(usage(
            "--ratchet needs a baseline to compare with (--baseline FILE or `baseline` in the config)",
        ));
    }
    let base = match (&baseline_path, &args.write_baseline) {
        (Some(p), None) => Some(baseline::read(p).map_err(|e| usage(format!("{e:#}")))?),
        _ => None,
    };

    let (inv, _) = crate::scan::scan(&args.path, opts)?;
    let allow_empty = args.allow_empty || pol.allow_empty.unwrap_or(false);
    let empty = inv.primary_framework().is_none();
    if empty && !allow_empty {
        return Err(usage(format!(
            "{}: no Flask or Django code found; nothing to gate (pass --allow-empty to accept this)",
            args.path.display()
        )));
    }
    let direction = args
        .to
        .map(|t| match t {
            Target::Django => Direction::FlaskToDjango,
            Target::Flask => Direction::DjangoToFlask,
        })
        .or(pol.to.map(|t| match t {
            config::TargetName::Django => Direction::FlaskToDjango,
            config::TargetName::Flask => Direction::DjangoToFlask,
        }))
        .or(base.as_ref().map(|b| b.direction))
        .unwrap_or_else(|| plan::default_direction(&inv));

    let p = plan::build(
        &inv,
        &plan::PlanOptions {
            direction: Some(direction),
            cutover: pol.cutover,
            ..Default::default()
        },
    );
    let surface = baseline::surface(&inv, direction);
    let mut findings: Vec<Finding> = if empty {
        Vec::new()
    } else {
        p.steps
            .iter()
            .flat_map(|s| &s.items)
            .map(|i| Finding {
                rule: i.rule.clone(),
                category: i.category,
                title: rules::rule(&i.rule).title.to_string(),
                message: i.message.clone(),
                file: i.file.clone(),
                line: i.line.filter(|l| *l > 0),
                effort_hours: i.effort_hours,
                fingerprint: i.fingerprint.clone(),
                new: true,
                suppressed: None,
                fails: false,
            })
            .collect()
    };

    if let Some(out) = &args.write_baseline {
        let b = Baseline {
            kind: baseline::KIND.to_string(),
            version: baseline::BASELINE_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            direction,
            surface,
            findings: findings
                .iter()
                .map(|f| baseline::Entry {
                    fingerprint: f.fingerprint.clone(),
                    rule: f.rule.clone(),
                    file: f.file.clone(),
                    message: f.message.clone(),
                })
                .collect(),
        };
        crate::output::emit(&baseline::render(&b)?, Some(out))
            .map_err(|e| usage(format!("cannot write baseline {}: {e:#}", out.display())))?;
        eprintln!(
            "crossport: wrote baseline {} ({} findings, {direction})",
            out.display(),
            b.findings.len()
        );
        return Ok(EXIT_PASS);
    }

    let mut warnings = Vec::new();
    apply_suppressions(&inv, &args.path, &mut findings, &mut warnings);
    if let Some(b) = &base {
        let fps: Vec<&str> = findings.iter().map(|f| f.fingerprint.as_str()).collect();
        let mask = baseline::new_mask(b, &fps);
        for (f, n) in findings.iter_mut().zip(mask) {
            f.new = n;
        }
        if b.direction != direction {
            warnings.push(format!(
                "the baseline was recorded for {}, this check plans {direction}; every finding may look new",
                b.direction
            ));
        }
    }

    // The effective policy: flags override the file.
    let fail_on: Vec<Category> = if !args.fail_on.is_empty() {
        args.fail_on.iter().map(|c| (*c).into()).collect()
    } else {
        pol.fail_on.clone().unwrap_or_default()
    };
    let fail_on_rules: Vec<String> = if !args.fail_on_rule.is_empty() {
        args.fail_on_rule.clone()
    } else {
        pol.fail_on_rules
            .iter()
            .flatten()
            .map(|r| r.0.clone())
            .collect()
    };
    let max_effort_hours = args.max_effort_hours.or(pol.max_effort_hours);
    let mut max_per_rule: BTreeMap<String, usize> = pol
        .max_per_rule
        .iter()
        .flatten()
        .map(|(k, v)| (k.0.clone(), *v))
        .collect();
    for (r, n) in &args.max_per_rule {
        max_per_rule.insert(r.clone(), *n);
    }
    let nothing_configured = fail_on.is_empty()
        && fail_on_rules.is_empty()
        && max_effort_hours.is_none()
        && max_per_rule.is_empty()
        && args.fail_on.is_empty()
        && pol.fail_on.is_none();
    let fail_on = if nothing_configured {
        vec![Category::Mandatory]
    } else {
        fail_on
    };
    let effective = Effective {
        fail_on: fail_on.clone(),
        fail_on_rules: fail_on_rules.clone(),
        max_effort_hours,
        max_per_rule: max_per_rule.clone(),
        baseline: baseline_path.as_ref().map(|p| p.display().to_string()),
        ratchet,
        config: loaded.file.as_ref().map(|p| p.display().to_string()),
    };

    // Evaluate: only unsuppressed, new findings count.
    let mut violations = Vec::new();
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut effort_high = 0.0;
    let mut failing = 0;
    for f in findings.iter_mut() {
        if f.suppressed.is_some() || !f.new {
            continue;
        }
        f.fails = fail_on.contains(&f.category) || fail_on_rules.contains(&f.rule);
        if f.fails {
            failing += 1;
        }
        if f.category != Category::Optional {
            effort_high += f.effort_hours.high;
        }
    }
    for f in findings.iter().filter(|f| f.suppressed.is_none() && f.new) {
        *per_rule.entry(f.rule.as_str()).or_insert(0) += 1;
    }
    let scope = if base.is_some() { "new " } else { "" };
    if failing > 0 {
        let mut what: Vec<String> = fail_on.iter().map(|c| c.to_string()).collect();
        what.extend(fail_on_rules.iter().cloned());
        violations.push(format!(
            "{failing} {scope}finding{} of {}",
            if failing == 1 { "" } else { "s" },
            what.join(", ")
        ));
    }
    for (r, max) in &max_per_rule {
        let n = per_rule.get(r.as_str()).copied().unwrap_or(0);
        if n > *max {
            violations.push(format!(
                "{r}: {n} {scope}findings, more than the maximum {max}"
            ));
        }
    }
    let effort_high = plan::effort::round2(effort_high);
    if let Some(m) = max_effort_hours
        && effort_high > m
    {
        violations.push(format!(
            "effort of {scope}findings up to {effort_high} h, more than the maximum {m} h"
        ));
    }
    let ratchet_out = match (&base, ratchet) {
        (Some(b), true) => Some(evaluate_ratchet(&b.surface, &surface, &mut violations)),
        _ => None,
    };

    let counts = Counts {
        findings: findings.len(),
        new: findings.iter().filter(|f| f.new).count(),
        suppressed: findings.iter().filter(|f| f.suppressed.is_some()).count(),
        failing,
        effort_hours_high: effort_high,
    };
    let passed = violations.is_empty();
    let exit_code = if passed { EXIT_PASS } else { EXIT_FAIL };
    let root_dir = if args.path.is_dir() {
        args.path.clone()
    } else {
        args.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    let (display_prefix, base_uri) = if args.path.is_absolute() {
        (PathBuf::new(), file_uri(&root_dir))
    } else {
        (normalise_prefix(&root_dir), file_uri(Path::new(".")))
    };
    let project_anchor = inv.frameworks.iter().find_map(|f| {
        let (file, line) = match f.evidence.rsplit_once(':') {
            Some((file, l)) => (file, l.parse::<u32>().ok()?),
            None => (f.evidence.as_str(), 1),
        };
        root_dir
            .join(file)
            .is_file()
            .then(|| (file.to_string(), line.max(1)))
    });
    let outcome = Outcome {
        kind: "crossport-check",
        version: 1,
        passed,
        exit_code,
        root: inv.root.clone(),
        direction,
        policy: effective,
        counts,
        violations,
        ratchet: ratchet_out,
        warnings,
        findings,
        display_prefix,
        base_uri,
        project_anchor,
    };

    for w in &outcome.warnings {
        eprintln!("crossport: warning: {w}");
    }
    let text = render(&outcome, args.format, args.common.verbose)?;
    crate::output::emit(&text, crate::output::to_file(args.output.as_deref()))?;
    if let Some(s) = &args.sarif {
        crate::output::emit(&sarif::render(&outcome)?, Some(s))?;
    }
    if let Some(s) = &args.summary {
        use std::io::Write;
        let md = markdown::render(&outcome);
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(s)
            .map_err(|e| usage(format!("cannot open {}: {e}", s.display())))?;
        f.write_all(md.as_bytes())
            .map_err(|e| usage(format!("cannot write {}: {e}", s.display())))?;
    }
    Ok(outcome.exit_code)
}

/// Renders the outcome in a format.
pub fn render(o: &Outcome, format: CheckFormat, verbose: bool) -> Result<String> {
    Ok(match format {
        CheckFormat::Text => render_text(o, verbose),
        CheckFormat::Json => {
            let mut s = serde_json::to_string_pretty(o)?;
            s.push('\n');
            s
        }
        CheckFormat::Sarif => sarif::render(o)?,
        CheckFormat::Github => github::render(o),
        CheckFormat::Markdown => markdown::render(o),
    })
}

fn apply_suppressions(
    inv: &Inventory,
    path: &Path,
    findings: &mut [Finding],
    warnings: &mut Vec<String>,
) {
    let root = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let _ = inv;
    let mut files: BTreeMap<String, suppress::FileDirectives> = BTreeMap::new();
    for f in findings.iter() {
        if let Some(file) = &f.file
            && !files.contains_key(file)
        {
            // Only Python sources carry `#` comments; templates and data files are skipped.
            let d = if file.ends_with(".py") {
                std::fs::read(root.join(file))
                    .map(|b| suppress::FileDirectives::parse(&String::from_utf8_lossy(&b)))
                    .unwrap_or_default()
            } else {
                suppress::FileDirectives::default()
            };
            files.insert(file.clone(), d);
        }
    }
    for (file, d) in &files {
        warnings.extend(d.problems(file));
    }
    for f in findings.iter_mut() {
        if let (Some(file), Some(line)) = (&f.file, f.line)
            && let Some((at, d)) = files.get(file).and_then(|d| d.suppresses(&f.rule, line))
        {
            f.suppressed = Some(Suppressed {
                line: at,
                reason: d.reason.clone().unwrap_or_default(),
            });
        }
    }
}

fn framework_name(s: &str) -> &str {
    match s {
        "flask" => "Flask",
        "django" => "Django",
        other => other,
    }
}

fn evaluate_ratchet(base: &Surface, now: &Surface, violations: &mut Vec<String>) -> Ratchet {
    let src = framework_name(&now.source_framework).to_string();
    let mut kinds = Vec::new();
    let mut progress = Vec::new();
    for (kind, &n) in &now.source {
        let b = base.source.get(kind).copied().unwrap_or(0);
        let t = now.target.get(kind).copied().unwrap_or(0);
        let change = b as i64 - n as i64;
        let total = t + n;
        let delta = match n.cmp(&b) {
            std::cmp::Ordering::Less => format!("\u{2212}{} {src} {kind}", b - n),
            std::cmp::Ordering::Greater => format!("+{} {src} {kind}", n - b),
            std::cmp::Ordering::Equal => format!("no change in {src} {kind}"),
        };
        progress.push(format!(
            "{kind} migrated: {t} of {total}; this change: {delta}"
        ));
        if n > b {
            violations.push(format!(
                "ratchet: {} new {src} {kind} (baseline {b}, now {n}); the migration must not go backwards",
                n - b
            ));
        }
        kinds.push(RatchetKind {
            kind: kind.clone(),
            baseline_source: b,
            source: n,
            target: t,
            change,
        });
    }
    Ratchet {
        source_framework: now.source_framework.clone(),
        target_framework: now.target_framework.clone(),
        kinds,
        progress,
    }
}

fn location(o: &Outcome, f: &Finding) -> String {
    match (&f.file, f.line) {
        (Some(file), Some(l)) => format!("{}:{l}", o.shown_path(file)),
        (Some(file), None) => o.shown_path(file),
        _ => "(project)".to_string(),
    }
}

fn render_text(o: &Outcome, verbose: bool) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "crossport check: {} ({}, exit {})\n",
        if o.passed { "PASSED" } else { "FAILED" },
        o.direction,
        o.exit_code
    ));
    let mut pol: Vec<String> = Vec::new();
    if !o.policy.fail_on.is_empty() {
        let c: Vec<String> = o.policy.fail_on.iter().map(|c| c.to_string()).collect();
        pol.push(format!("fail on {}", c.join(", ")));
    }
    if !o.policy.fail_on_rules.is_empty() {
        pol.push(format!(
            "fail on rules {}",
            o.policy.fail_on_rules.join(", ")
        ));
    }
    if let Some(m) = o.policy.max_effort_hours {
        pol.push(format!("max effort {m} h"));
    }
    for (r, n) in &o.policy.max_per_rule {
        pol.push(format!("max {n} {r}"));
    }
    if let Some(b) = &o.policy.baseline {
        pol.push(format!("baseline {b}"));
    }
    if o.policy.ratchet {
        pol.push("ratchet".into());
    }
    s.push_str(&format!("policy: {}\n", pol.join("; ")));
    s.push_str(&format!(
        "findings: {} ({} new, {} suppressed); {} fail the gate; effort of counted findings up to {} h\n",
        o.counts.findings, o.counts.new, o.counts.suppressed, o.counts.failing, o.counts.effort_hours_high
    ));
    if let Some(r) = &o.ratchet {
        for p in &r.progress {
            s.push_str(&format!("{p}\n"));
        }
    }
    let shown: Vec<&Finding> = o.findings.iter().filter(|f| verbose || f.fails).collect();
    if !shown.is_empty() {
        s.push('\n');
    }
    for f in shown {
        let tag = if f.suppressed.is_some() {
            "suppressed"
        } else if f.fails {
            "FAIL"
        } else if f.new {
            "new"
        } else {
            "baseline"
        };
        s.push_str(&format!(
            "  {tag:<10} {} [{}] {}  {}\n",
            f.rule,
            f.category,
            location(o, f),
            f.message
        ));
    }
    if o.counts.suppressed > 0 {
        s.push_str(&format!("\nsuppressed ({}):\n", o.counts.suppressed));
        for f in o.findings.iter().filter(|f| f.suppressed.is_some()) {
            let sup = f.suppressed.as_ref().unwrap();
            s.push_str(&format!(
                "  {} {} -- {}\n",
                f.rule,
                location(o, f),
                sup.reason
            ));
        }
    }
    if !o.violations.is_empty() {
        s.push_str("\ngate failed:\n");
        for v in &o.violations {
            s.push_str(&format!("  - {v}\n"));
        }
    }
    if !o.warnings.is_empty() {
        s.push_str("\nwarnings:\n");
        for w in &o.warnings {
            s.push_str(&format!("  - {w}\n"));
        }
    }
    s
}
