//! The inputs of `crossport portfolio`: repositories to scan, JSON files that `scan`, `plan` or
//! `portfolio` wrote elsewhere, folders of them, and files listing any of these.
//!
//! Each JSON document is read, summarised and dropped before the next one (in parallel, one
//! document per worker at a time), so a run over thousands of inventories holds only summaries.

use super::roots;
use super::summary::{PlanLite, RepoSummary};
use crate::inventory::Inventory;
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A repository (or one application of a monorepo) to scan; `name` is how the report calls it.
    Repo { path: PathBuf, name: String },
    /// An inventory or plan JSON file.
    Json(PathBuf),
}

/// What one source gave: a summary, whether it holds the inventory's side and/or a plan read
/// from a file, or a warning.
pub struct Partial {
    pub summary: RepoSummary,
    pub has_inventory: bool,
    pub plan_from_file: bool,
    /// Set on the applications of a monorepo's plans file: the monorepo's name. An inventory of
    /// the whole monorepo under that name is then left out (its applications are listed).
    pub monorepo: Option<String>,
}

/// Expands the command line into sources, in order. Problems become warnings; the rest goes on.
pub fn expand(inputs: &[PathBuf], warnings: &mut Vec<String>) -> Vec<Source> {
    let mut out = Vec::new();
    for i in inputs {
        expand_one(i, true, &mut out, warnings);
    }
    out
}

fn expand_one(p: &Path, top: bool, out: &mut Vec<Source>, warnings: &mut Vec<String>) {
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => {
            warnings.push(format!("{}: cannot read ({e})", p.display()));
            return;
        }
    };
    if meta.is_dir() {
        let (has_python, jsons) = survey(p);
        if has_python {
            let name = display_name(p);
            let apps = roots::application_roots(p);
            if apps.len() > 1 {
                for a in apps {
                    out.push(Source::Repo {
                        name: format!("{name}/{}", a.rel),
                        path: a.path,
                    });
                }
            } else {
                out.push(Source::Repo {
                    path: p.to_path_buf(),
                    name,
                });
            }
        } else if jsons.is_empty() {
            warnings.push(format!(
                "{}: neither a repository (no Python files) nor a folder of crossport JSON files",
                p.display()
            ));
        } else {
            out.extend(jsons.into_iter().map(Source::Json));
        }
    } else if p.extension().is_some_and(|e| e == "json") {
        out.push(Source::Json(p.to_path_buf()));
    } else if p.extension().is_some_and(|e| e == "py") {
        // One Python file is a repository of one file, as for `crossport scan app.py`.
        out.push(Source::Repo {
            path: p.to_path_buf(),
            name: display_name(p),
        });
    } else if top {
        // A listing: one input per line; `#` starts a comment; relative paths are relative to
        // the listing's folder, so a listing can travel with what it lists.
        let text = match std::fs::read(p) {
            Ok(b) if b.contains(&0) => {
                warnings.push(format!(
                    "{}: a binary file, not a listing of inputs (one path per line)",
                    p.display()
                ));
                return;
            }
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                warnings.push(format!("{}: cannot read ({e})", p.display()));
                return;
            }
        };
        let base = p.parent().unwrap_or(Path::new(""));
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let q = Path::new(line);
            let q = if q.is_absolute() {
                q.to_path_buf()
            } else {
                base.join(q)
            };
            expand_one(&q, false, out, warnings);
        }
    } else {
        warnings.push(format!(
            "{}: a listing may name repositories, folders and .json files, not other listings",
            p.display()
        ));
    }
}

/// Whether `dir` holds Python code, and if not, the JSON files under it (sorted).
fn survey(dir: &Path) -> (bool, Vec<PathBuf>) {
    let mut jsons = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .follow_links(false)
        .require_git(false)
        .hidden(false)
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_some_and(|t| t.is_dir())
                || !crate::walk::PRUNED_DIRS.contains(&e.file_name().to_string_lossy().as_ref())
        })
        .build();
    for e in walker.flatten() {
        if !e.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        match e.path().extension().and_then(|x| x.to_str()) {
            Some("py") => return (true, Vec::new()),
            Some("json") => jsons.push(e.into_path()),
            _ => {}
        }
    }
    jsons.sort();
    (false, jsons)
}

/// A path as the user wrote it, without a trailing `/` or leading `./`.
pub fn display_name(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let s = s.trim_end_matches('/');
    let s = s.strip_prefix("./").unwrap_or(s);
    if s.is_empty() || s == "." {
        // `crossport portfolio .`: the folder's own name reads better than a dot.
        std::fs::canonicalize(p)
            .ok()
            .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| ".".into())
    } else {
        s.to_string()
    }
}

#[derive(Deserialize)]
struct Probe {
    kind: Option<String>,
    direction: Option<IgnoredAny>,
    steps: Option<IgnoredAny>,
    routes: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Applications {
    #[serde(default)]
    root: String,
    applications: Vec<Application>,
}

#[derive(Deserialize)]
struct Portfolios {
    repositories: Vec<RepoSummary>,
}

#[derive(Deserialize)]
struct Application {
    plan: PlanLite,
}

/// The name a JSON document gives its repository: its root, or the file's name when the root is
/// only `.` (a CI job that scanned its own checkout).
fn name_for(root: &str, file: &Path) -> String {
    let r = root.trim_end_matches('/');
    let r = r.strip_prefix("./").unwrap_or(r);
    if !r.is_empty() && r != "." {
        return r.to_string();
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    for suffix in [
        ".inventory",
        ".plan",
        "-inventory",
        "-plan",
        "_inventory",
        "_plan",
    ] {
        if let Some(s) = stem.strip_suffix(suffix) {
            return s.to_string();
        }
    }
    stem
}

/// Reads one JSON file into summaries (a monorepo's plan file holds several).
pub fn read_json(
    path: &Path,
    plan_opts: &crate::plan::PlanOptions,
) -> Result<Vec<Partial>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read ({e})"))?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err("not a JSON object (crossport writes objects)".into());
    }
    let probe: Probe = serde_json::from_slice(&bytes).map_err(|e| format!("invalid JSON ({e})"))?;
    let source = path.to_string_lossy().into_owned();
    if probe.kind.as_deref() == Some("crossport-plans") {
        let apps: Applications =
            serde_json::from_slice(&bytes).map_err(|e| format!("unreadable plans ({e})"))?;
        let monorepo = Some(name_for(&apps.root, path));
        return Ok(apps
            .applications
            .into_iter()
            .map(|a| Partial {
                summary: RepoSummary::from_plan_only(
                    name_for(&a.plan.summary.root, path),
                    source.clone(),
                    &a.plan,
                ),
                has_inventory: false,
                plan_from_file: true,
                monorepo: monorepo.clone(),
            })
            .collect());
    }
    if probe.kind.as_deref() == Some("crossport-portfolio") {
        // Another run's portfolio (a CI job's, or one of several runs of a large portfolio):
        // its repositories join this one; waves are planned again over all of them.
        let sub: Portfolios =
            serde_json::from_slice(&bytes).map_err(|e| format!("unreadable portfolio ({e})"))?;
        return Ok(sub
            .repositories
            .into_iter()
            .map(|mut r| {
                r.wave = None;
                r.group = None;
                let has_plan = r.direction.is_some();
                Partial {
                    summary: r,
                    has_inventory: true,
                    plan_from_file: has_plan,
                    monorepo: None,
                }
            })
            .collect());
    }
    if probe.direction.is_some() && probe.steps.is_some() {
        let p: PlanLite =
            serde_json::from_slice(&bytes).map_err(|e| format!("unreadable plan ({e})"))?;
        return Ok(vec![Partial {
            summary: RepoSummary::from_plan_only(name_for(&p.summary.root, path), source, &p),
            has_inventory: false,
            plan_from_file: true,
            monorepo: None,
        }]);
    }
    if probe.routes.is_some() {
        let inv: Inventory =
            serde_json::from_slice(&bytes).map_err(|e| format!("unreadable inventory ({e})"))?;
        drop(bytes);
        let name = name_for(&inv.root, path);
        return Ok(vec![from_inventory(name, source, &inv, plan_opts)]);
    }
    Err(
        "not a crossport inventory, plan or portfolio (no `routes`, `steps` or `repositories`)"
            .into(),
    )
}

/// Summarises an inventory and plans it here (a plan file for the same repository, if one
/// comes, replaces this plan's figures).
pub fn from_inventory(
    name: String,
    source: String,
    inv: &Inventory,
    plan_opts: &crate::plan::PlanOptions,
) -> Partial {
    let mut s = RepoSummary::from_inventory(name, source, inv);
    if s.framework.is_some() {
        let p = crate::plan::build(inv, plan_opts);
        // Through JSON, so that fields the plan gains (the cut-over mode) are read the same way
        // as from a file.
        if let Ok(lite) = serde_json::to_value(&p).and_then(serde_json::from_value::<PlanLite>) {
            s.apply_plan(&lite);
        }
    }
    Partial {
        summary: s,
        has_inventory: true,
        plan_from_file: false,
        monorepo: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_root_or_the_file() {
        assert_eq!(
            name_for("services/billing/", Path::new("x.json")),
            "services/billing"
        );
        assert_eq!(name_for(".", Path::new("out/shop.inventory.json")), "shop");
        assert_eq!(name_for("", Path::new("out/shop-plan.json")), "shop");
        assert_eq!(name_for("./", Path::new("out/blog.json")), "blog");
    }
}
