//! crossport: a static map of a Flask or Django repository and a migration plan.
//!
//! Data flow: `walk` finds files -> `python` parses and lowers each one (in
//! parallel) -> `flask`, `django`, `jobs`, `deps` extract and link across files
//! -> `inventory` (the JSON contract) -> `report` renders it.

pub mod cli;
pub mod deps;
pub mod django;
pub mod extract;
pub mod flask;
pub mod gate;
pub mod inventory;
pub mod jobs;
pub mod output;
pub mod plan;
pub mod port;
pub mod portfolio;
pub mod prefilter;
pub mod python;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod surface;
pub mod unread;
pub mod walk;

use anyhow::Result;
use cli::{Cli, Command, CommonArgs, DebugCommand, Format};
use std::io::IsTerminal;

fn scan_options(c: &CommonArgs) -> scan::ScanOptions {
    let mut o = scan::ScanOptions::default();
    if let Some(n) = c.threads {
        o.threads = n.max(1);
    }
    o.max_file_size = c.max_file_size;
    o.prefilter = !c.no_prefilter;
    o.include_tests = c.include_tests;
    o.site_packages = if c.no_site_packages {
        python::mount::SitePackages::Off
    } else if c.site_packages.is_empty() {
        python::mount::SitePackages::Auto
    } else {
        python::mount::SitePackages::Dirs(c.site_packages.clone())
    };
    o.progress = !c.quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    o
}

fn print_timings(t: &scan::Timings, render: std::time::Duration, py_files: usize, lines: usize) {
    let s = |d: std::time::Duration| d.as_secs_f64();
    eprintln!(
        "time (wall): walk {:.2}s, read+filter+parse+lower {:.2}s, resolve {:.2}s, extract {:.2}s, render {:.2}s",
        s(t.walk),
        s(t.parse),
        s(t.resolve),
        s(t.link),
        s(render)
    );
    eprintln!(
        "time (busy, summed over threads): read {:.2}s, filter {:.2}s, parse {:.2}s, lower+query {:.2}s",
        s(t.cpu.read),
        s(t.cpu.filter),
        s(t.cpu.parse),
        s(t.cpu.extract)
    );
    eprintln!(
        "prefilter: {} of {} Python files not parsed ({} of {} lines); {} parsed because parsed files reference them",
        t.filtered_files, py_files, t.filtered_lines, lines, t.closure_files
    );
    eprintln!(
        "unread: {} test and migration files ({} lines), counted only; {} function bodies ({} lines) blanked before parsing",
        t.unread_files, t.unread_lines, t.elided_bodies, t.elided_lines
    );
}

/// Runs one command; the returned value is the process exit code.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Scan(args) => {
            let opts = scan_options(&args.common);
            let started = std::time::Instant::now();
            let (inv, timings) = scan::scan(&args.path, &opts)?;
            let t = std::time::Instant::now();
            let out = output::to_file(args.output.as_deref());
            let text = match args.format {
                Format::Json => None,
                Format::Markdown => Some(report::markdown::render_scan(&inv)?),
                Format::Html => Some(report::html::render_scan(&inv)?),
                Format::Text => Some(report::text::render_styled(
                    &inv,
                    args.common.verbose,
                    report::style::color_for(args.output.as_deref()),
                )),
            };
            match text {
                Some(text) => output::emit(&text, out)?,
                None => output::emit_with(out, |w| report::json::write(&inv, w))?,
            }
            if args.common.verbose {
                print_timings(
                    &timings,
                    t.elapsed(),
                    inv.stats.python_files,
                    inv.stats.lines,
                );
            }
            if !args.common.quiet
                && (output::to_file(args.output.as_deref()).is_some()
                    || args.format != Format::Text)
            {
                eprintln!(
                    "{}",
                    report::text::one_line_summary(&inv, started.elapsed())
                );
            }
            Ok(0)
        }
        Command::Port(args) => run_port(args),
        Command::Plan(args) => {
            let opts = scan_options(&args.common);
            let loaded = gate::config::load(&args.path, args.config.as_deref())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let pol = &loaded.policy;
            if let Some(a) = pol.availability {
                cli::parse_availability(&a.to_string())
                    .map_err(|e| anyhow::anyhow!("availability: {e}"))?;
            }
            let apps = if args.path.is_dir() {
                portfolio::roots::application_roots(&args.path)
            } else {
                Vec::new()
            };
            let cutover_source = match (args.cutover, pol.cutover, &loaded.file) {
                (Some(_), _, _) => Some("--cutover".to_string()),
                (None, Some(_), Some(f)) => Some(f.display().to_string()),
                _ => None,
            };
            let popts = plan::PlanOptions {
                direction: args.to.map(|t| match t {
                    cli::Target::Django => rules::Direction::FlaskToDjango,
                    cli::Target::Flask => rules::Direction::DjangoToFlask,
                }),
                team_size: args.team_size,
                app: args.app.clone(),
                cutover: args.cutover.or(pol.cutover),
                cutover_source,
                availability: args.availability.or(pol.availability).unwrap_or(1.0),
                whole_project: args.whole_project,
                only: args
                    .only
                    .iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            };
            if apps.len() > 1 {
                return plan_each_application(&args, &opts, &apps, &popts);
            }
            let (inv, _) = scan::scan(&args.path, &opts)?;
            let p = plan::build(&inv, &popts);
            let text = match args.format {
                Format::Json => plan::render_json(&p)?,
                Format::Markdown => report::markdown::render_plan(&inv, &p)?,
                Format::Html => report::html::render_plan(&inv, &p)?,
                Format::Text => plan::text::render_styled(
                    &p,
                    args.common.verbose,
                    report::style::color_for(args.output.as_deref()),
                ),
            };
            output::emit(&text, output::to_file(args.output.as_deref()))?;
            Ok(0)
        }
        Command::Portfolio(args) => {
            let opts = portfolio::Options {
                teams: args.teams,
                team_size: args.team_size,
                scan: scan::ScanOptions {
                    progress: false,
                    ..scan_options(&args.common)
                },
            };
            let p = portfolio::build(&args.inputs, &opts);
            if p.repositories.is_empty() {
                for w in &p.warnings {
                    eprintln!("crossport: {w}");
                }
                eprintln!("crossport: error: no input could be read; nothing to report");
                return Ok(2);
            }
            let out = output::to_file(args.output.as_deref());
            match args.format {
                // The exports that grow with the portfolio are written as they are made.
                cli::PortfolioFormat::Json => {
                    output::emit_with(out, |w| portfolio::write_json(&p, w))?
                }
                cli::PortfolioFormat::Csv => {
                    output::emit_with(out, |w| portfolio::csv::write(&p, w))?
                }
                cli::PortfolioFormat::Text => output::emit(&portfolio::text::render(&p), out)?,
                cli::PortfolioFormat::Markdown => {
                    output::emit(&portfolio::markdown::render(&p), out)?
                }
                cli::PortfolioFormat::Html => output::emit(&portfolio::html::render(&p)?, out)?,
            }
            if !args.common.quiet {
                for w in &p.warnings {
                    eprintln!("crossport: warning: {w}");
                }
                if output::to_file(args.output.as_deref()).is_some()
                    || args.format != cli::PortfolioFormat::Text
                {
                    eprintln!(
                        "crossport: {} repositories ({} planned), {} engineer-weeks, {} wave(s), {} warning(s)",
                        p.totals.repositories,
                        p.totals.planned,
                        portfolio::range(p.totals.engineer_weeks),
                        p.waves.len(),
                        p.warnings.len()
                    );
                }
            }
            Ok(0)
        }
        Command::Check(args) => {
            let opts = scan_options(&args.common);
            gate::run(args, &opts)
        }
        Command::Explain { rule } => match rules::lookup(&rule) {
            Some(r) => {
                output::emit(&rules::explain(r), None)?;
                Ok(0)
            }
            None => {
                eprintln!("crossport: unknown rule `{rule}`. Known rules:");
                for r in rules::RULES {
                    eprintln!("  {} [{}] {}", r.id, r.category, r.title);
                }
                Ok(2)
            }
        },
        Command::Debug {
            what: DebugCommand::Parse { path, common },
        } => {
            let opts = scan_options(&common);
            let (files, lines, secs) = scan::parse_only(&path, &opts)?;
            println!("parsed {files} files, {lines} lines in {secs:.2}s");
            Ok(0)
        }
    }
}

/// `crossport plan` on a repository holding several applications: each is planned on its own,
/// with its own direction, instead of one direction for a mixture.
fn plan_each_application(
    args: &cli::PlanArgs,
    opts: &scan::ScanOptions,
    apps: &[portfolio::roots::AppRoot],
    popts: &plan::PlanOptions,
) -> Result<u8> {
    let name = portfolio::input::display_name(&args.path);
    let mut head = format!(
        "{name} holds {} applications; each is planned on its own (plan one with `crossport plan {name}/FOLDER`):\n",
        apps.len()
    );
    for a in apps {
        head.push_str(&format!(
            "  - {} ({}, from {})\n",
            a.rel, a.kind, a.evidence
        ));
    }
    let mut plans = Vec::new();
    for a in apps {
        let (inv, _) = scan::scan(&a.path, opts)?;
        let p = plan::build(&inv, popts);
        plans.push((a, inv, p));
    }
    let text = match args.format {
        Format::Text => {
            let mut o = head;
            for (a, _, p) in &plans {
                o.push_str(&format!("\n=== {} ===\n", a.rel));
                o.push_str(&plan::text::render_styled(
                    p,
                    args.common.verbose,
                    report::style::color_for(args.output.as_deref()),
                ));
            }
            o
        }
        Format::Json => {
            let v = serde_json::json!({
                "schema_version": plan::SCHEMA_VERSION,
                "kind": "crossport-plans",
                "root": name,
                "applications": plans.iter().map(|(a, _, p)| serde_json::json!({
                    "root": a.rel, "kind": a.kind, "evidence": a.evidence, "plan": p,
                })).collect::<Vec<_>>(),
            });
            let mut s = serde_json::to_string_pretty(&v)?;
            s.push('\n');
            s
        }
        Format::Markdown => {
            let mut o = format!("> **{}**\n", report::md(head.lines().next().unwrap_or("")));
            for a in apps {
                o.push_str(&format!(
                    ">\n> - `{}` ({})\n",
                    a.rel.replace('`', ""),
                    a.kind
                ));
            }
            for (_, inv, p) in &plans {
                o.push('\n');
                o.push_str(&report::markdown::render_plan(inv, p)?);
            }
            o
        }
        // One HTML page: the applications as a portfolio (each row its own plan's figures).
        Format::Html => {
            let summaries = plans
                .iter()
                .map(|(a, inv, _)| {
                    portfolio::input::from_inventory(
                        format!("{name}/{}", a.rel),
                        a.path.to_string_lossy().into_owned(),
                        inv,
                        popts,
                    )
                    .summary
                })
                .collect();
            portfolio::html::render(&portfolio::assemble(summaries, Vec::new(), 1))?
        }
    };
    output::emit(&text, output::to_file(args.output.as_deref()))?;
    Ok(0)
}

/// `crossport port`: scan, write the draft (verified first when asked), report.
fn run_port(args: cli::PortArgs) -> Result<u8> {
    let opts = scan_options(&args.common);
    let (inv, _) = scan::scan(&args.path, &opts)?;
    let (want, other) = match args.to {
        cli::Target::Django => ("flask", "--to django ports Flask code"),
        cli::Target::Flask => ("django", "--to flask extracts an app of a Django project"),
    };
    if inv.primary_framework() != Some(want) {
        anyhow::bail!(
            "{} is not a {} repository (found: {}): {other}",
            args.path.display(),
            if want == "flask" { "Flask" } else { "Django" },
            inv.primary_framework().unwrap_or("no Flask or Django code")
        );
    }
    if args.app.is_some() && args.to != cli::Target::Flask {
        anyhow::bail!("--app names the Django app to extract: it goes with --to flask");
    }
    let root = args
        .path
        .canonicalize()
        .unwrap_or_else(|_| args.path.clone());
    let mut draft = match args.to {
        cli::Target::Django => port::flask_to_django(&inv, &root),
        cli::Target::Flask => port::django_to_flask(&inv, args.app.as_deref())?,
    };
    let verified = if args.verify {
        let source = if let Some(url) = &args.database_url {
            port::verify::SchemaSource::Database(url.clone())
        } else if args.build_schema {
            port::verify::SchemaSource::Build {
                python: args
                    .python
                    .clone()
                    .expect("clap: --build-schema requires --python"),
                settings: args.settings.clone(),
                root: root.clone(),
            }
        } else {
            port::verify::SchemaSource::Read
        };
        let py = port::verify::python(if args.build_schema {
            args.verify_python.as_deref()
        } else {
            args.python.as_deref()
        })?;
        let v = port::verify::run(
            &inv,
            &draft,
            &py,
            std::time::Duration::from_secs(args.timeout),
            &source,
        )?;
        draft.files.insert(
            "PORTING.md".into(),
            port::porting_md::render(&inv, &draft, Some(&v)),
        );
        Some(v)
    } else {
        None
    };
    let out = port::project::write(&draft, &args.out, args.force, &root)?;
    let text = match args.format {
        cli::PortFormat::Json => port::render_json(&draft, &out, verified.as_ref())?,
        cli::PortFormat::Text => port::render_text(&draft, &out, verified.as_ref()),
    };
    output::emit(&text, None)?;
    Ok(match &verified {
        Some(v) if !v.all_verified(&draft) => 1,
        _ => 0,
    })
}
