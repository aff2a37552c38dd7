//! Command-line arguments (clap derive). Help texts here are the user manual's first page.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "crossport",
    version,
    about = "Map a Flask or Django repository and plan its migration to the other framework.",
    long_about = "crossport reads a Flask or Django repository statically (it never imports or runs \
the code), inventories what a migration touches - routes, models, auth, background jobs, \
templates, forms, admin, migrations, settings - and turns that into a step-by-step migration \
plan with effort ranges that follow the published migration guide.",
    after_help = "Examples:\n  crossport scan fixtures/flask_blueprints\n  crossport scan . --format json -o inventory.json\n\nExit codes: 0 success, 2 usage or I/O error; `check`: 0 pass, 1 gate failed, 2 error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Inventory a repository: routes, models, auth, jobs, templates, forms, admin, settings.
    #[command(
        long_about = "Inventory a repository: every route with its full URL rule, methods and \
endpoint as the framework registers them; models with fields, relations and the traits that make \
them hard to port; auth; background jobs; templates, forms, admin, migrations, settings and \
declared dependencies.\n\nThe scanned code is only read, never imported or run.",
        after_help = "Examples:\n  crossport scan .                         # summary in the terminal\n  crossport scan src/ --format json        # the inventory JSON (schema_version 1)\n  crossport scan . --format json -o inv.json --threads 4"
    )]
    Scan(ScanArgs),
    /// Plan the migration: the guide's steps with this repository's items and effort ranges.
    #[command(
        long_about = "Plan the migration to the other framework: the migration guide's steps \
(Flask->Django 1-6, Django->Flask 1-5), each filled with this repository's items. Every item is a \
finding of a rule (see `crossport explain`) with a category (mandatory, optional, potential) and an \
effort range in engineer-hours; steps and the plan have totals in engineer-weeks (person-weeks) and \
calendar weeks for the team size.\n\nThe cut-over mode decides what the switch itself costs: big-bang (nothing live: no dual running, \
no data copy, no session cut-over), incremental (the guide's path: both stacks serve traffic from one \
database while routes move) or live-data (data on installations you do not control, migrated in place \
by the upgrade). Without --cutover the mode is inferred from the repository (migration history, \
deployment and installation files, raw-SQL tables) and the plan says why; it also shows the total in \
every mode. `crossport explain RULE` says which modes charge a rule.\n\nA repository holding several \
applications (a Django project and a Flask service in their own folders, each with its own import \
root) is not planned as one: each application gets its own plan and direction (JSON: \
`\"kind\": \"crossport-plans\"`); `crossport plan PATH/FOLDER` plans one of them.",
        after_help = "Examples:\n  crossport plan .                          # Flask repo -> plan to Django, mode inferred\n  crossport plan . --cutover big-bang        # nothing live yet: no dual running, no data copy\n  crossport plan . --team-size 3 --availability 0.5   # three people, half their week each\n  crossport plan . --only billing,Invoice    # port one blueprint/app and one model first\n  crossport plan . --to flask --app billing  # extract one Django app\n  crossport plan . --format json -o plan.json\n\nConfiguration: `cutover` and `availability` in [tool.crossport] (pyproject.toml) or crossport.toml; flags win."
    )]
    Plan(PlanArgs),
    /// Write the first draft of the ported project, and prove it with the target framework.
    #[command(long_about = PORT_ABOUT, after_help = PORT_HELP)]
    Port(PortArgs),
    /// Many repositories in one report: effort per repository, totals, migration waves, tickets.
    #[command(
        long_about = "Summarise many repositories, or the applications of one monorepo, in one \
report: per repository its framework and version, size, routes, models, jobs, auth systems, hard \
models, the direction and cut-over mode of its plan, the effort range and what drives it; totals; \
and migration waves: cheap, stand-alone repositories first, and repositories that share tables, a \
database or an internal package in the same wave, with a timeline for --teams teams.\n\n\
Each INPUT is one of:\n  \
- a repository to scan (a monorepo with several applications gives one entry per application);\n  \
- a .json file that `crossport scan`, `plan` or `portfolio` wrote with --format json (portfolios \
of separate runs merge, and their waves are planned again over all repositories);\n  \
- a folder of such files (searched recursively, e.g. downloaded CI artifacts);\n  \
- a text file listing any of these, one per line (relative to the listing's folder; # comments).\n\n\
An inventory and a plan of the same repository (same root, or the same file name when the root \
is `.`) are paired: the plan's direction, cut-over and effort win over a plan computed here. \
Inputs that cannot be read are reported as warnings; the rest is kept (exit 2 only when nothing \
could be read).",
        after_help = "Examples:\n  crossport portfolio services/*                      # scan each repository\n  crossport portfolio . --format markdown             # a monorepo: one entry per application\n  crossport portfolio artifacts/ --format html -o portfolio.html --teams 3\n  crossport portfolio repos.txt --format csv -o tickets.csv   # for Jira or another tracker"
    )]
    Portfolio(PortfolioArgs),
    /// Gate CI on the plan's findings: a policy, baselines, a ratchet; exit 0 pass, 1 fail, 2 error.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Explain a rule: what it means, why it costs what it costs, which guide step it belongs to.
    Explain {
        /// Rule id, e.g. CP201.
        rule: String,
    },
    /// Developer tools (timing the parser).
    #[command(hide = true)]
    Debug {
        #[command(subcommand)]
        what: DebugCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum DebugCommand {
    /// Parse every Python file with no extraction: the speed limit of a parse-everything design.
    Parse {
        #[arg(default_value = ".")]
        path: PathBuf,
        #[command(flatten)]
        common: CommonArgs,
    },
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Repository (or single file) to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to FILE (atomically: a failed run leaves no partial file); `-` is standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Repository to plan for.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Target framework (default: the other one than the repository's).
    #[arg(long, value_enum)]
    pub to: Option<Target>,
    /// Team size: divides calendar time, adds coordination above one engineer, and scales the
    /// dual-running period's cost.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub team_size: u32,
    /// How the new stack takes over (default: inferred from the repository, see above).
    #[arg(long, value_enum, value_name = "MODE")]
    pub cutover: Option<crate::plan::cutover::Mode>,
    /// Share of each engineer's week spent on the port, above 0 and at most 1 (0.5 = half time):
    /// stretches calendar weeks, not effort.
    #[arg(long, value_name = "SHARE", value_parser = parse_availability)]
    pub availability: Option<f64>,
    /// Flask->Django partial scope: only these blueprints, proposed apps, URL segments or models
    /// (comma-separated), for ports that move one part first.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Read `cutover` and `availability` from this file instead of crossport.toml /
    /// pyproject.toml in PATH.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Django->Flask: the Django app to extract (default: the least coupled one).
    #[arg(long, value_name = "LABEL", conflicts_with = "whole_project")]
    pub app: Option<String>,
    /// Django->Flask: port the whole project to one Flask application instead of extracting one
    /// app (no parent to call over HTTP: ORM queries become SQLAlchemy, tables stay).
    #[arg(long)]
    pub whole_project: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to FILE (atomically); `-` is standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

pub const PORT_ABOUT: &str = "Write the first draft of the ported project into a new folder.\n\n--to django \
(a Flask repository): a Django project with one app per app the plan proposes - models on the same \
tables and columns, URL patterns for every route, one view stub per route (URL parameters, methods, \
login_required), Celery task stubs under the same task names, settings (Jinja2 on the existing \
template folders, the database from the environment).\n\n--to flask (a Django project): the app the \
plan extracts (or --app) as a Flask service - SQLAlchemy models on the tables Django created, a \
Blueprint with every URL pattern of the app, view stubs with the auth the views had, an HTTP client \
for the Django parent with one method per ORM access found outside the app, and an Alembic \
environment for the service's tables.\n\nBoth write PORTING.md, which lists per construct what was \
generated, verified and left. What is not converted is never dropped: it becomes a `# TODO(CPxxx): \
reason` comment where it belongs, with its source file:line, and is counted in PORTING.md and the JSON \
output (`crossport explain CPxxx`).\n\nWith --verify the frameworks check the draft in a subprocess \
with a timeout, a throwaway folder and HOME. --to django: `manage.py check`, `makemigrations` then \
`makemigrations --check`, `migrate` on a fresh SQLite database; the source tables (the models as \
crossport read them, created by SQLAlchemy) compared column by column with what Django created; every \
route's sample URL, built by werkzeug from the Flask rule, resolved and reversed by Django. --to flask: \
the source models as crossport read them migrated by Django into SQLite and compared column by column \
with what the service's models create; `alembic check` against that database (no operation expected); \
every route's sample URL, built by Django's reverse(), matched in the blueprint's werkzeug map and \
built back. Unless --build-schema is given, the scanned repository's code is never imported or \
run.\n\nSchema source (strongest first; the output says which one was used): --database-url URL \
introspects an existing database with the current schema (nothing of the project runs); \
--build-schema, with --python naming the project's own Python (its virtualenv), imports the \
project's models in a subprocess and lets their metadata create a scratch SQLite database \
(SQLAlchemy: create_all of the MetaData of the model modules; Django: the project's settings with \
the database replaced by a scratch SQLite file, every managed model created by the schema editor) - \
the one place crossport runs project code, with a timeout and a throwaway folder and HOME; by \
default, the source models as crossport read them (proves the translation, not the reading).\n\nThe output folder must be new \
or empty (or --force), and outside the scanned repository; the draft is written beside it and moved \
into place when complete. The same input gives the same bytes.";

pub const PORT_HELP: &str = "Workflow (either direction):\n  1. crossport port . --to django --out ../app-django   # Flask -> Django: write the draft\n     crossport port . --to flask --out ../shop-svc        # Django -> Flask (--app LABEL)\n  2. crossport port . --to django --out ../app-django --force --verify   # prove it\n  3. read ../app-django/PORTING.md: generated, verified, every TODO with its source line\n  4. commit the draft as it is, then fill in the view stubs and TODOs in later commits\n\nWithout --python, --verify creates (once) a virtualenv with pinned Django, Flask, SQLAlchemy and \
Alembic in ~/.cache/crossport/port (python3 -m venv + pip; $CROSSPORT_PORT_CACHE moves it).\n\n\
The schema the project itself creates (this runs the project's model code):\n  crossport port . --to django \
--out ../app-django --verify --build-schema --python .venv/bin/python\n  crossport port . --to flask \
--out ../svc --verify --build-schema --python .venv/bin/python --settings mysite.settings\n\
An existing database (nothing of the project runs; the driver must be installed in the verifying \
Python):\n  crossport port . --to django --out ../app-django --verify --database-url postgresql://...\n\nExit codes: 0 written (and, with --verify, everything verified); 1 written, but verification \
found differences or TODOs remain; 2 usage or I/O error.";

#[derive(Args, Debug)]
pub struct PortArgs {
    /// Repository to port.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Target framework: django (a Flask repository becomes a Django project) or flask (one app
    /// of a Django project becomes a Flask service).
    #[arg(long, value_enum)]
    pub to: Target,
    /// --to flask: the Django app to extract (default: the one `crossport plan --to flask`
    /// chooses).
    #[arg(long, value_name = "LABEL")]
    pub app: Option<String>,
    /// New folder for the draft (must be empty or missing, and outside the scanned repository).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace a non-empty DIR.
    #[arg(long)]
    pub force: bool,
    /// Check the draft with the target framework (see above).
    #[arg(long)]
    pub verify: bool,
    /// Python with Django, Flask, SQLAlchemy and Alembic for --verify (default: a cached
    /// virtualenv). With --build-schema: the project's own Python (its virtualenv), which
    /// builds the source schema; the target checks then run with --verify-python.
    #[arg(long, value_name = "PY", requires = "verify")]
    pub python: Option<PathBuf>,
    /// --verify: build the source schema by importing the project's models with --python (the
    /// one place crossport runs project code, in a subprocess) instead of from crossport's
    /// reading of them.
    #[arg(long, requires = "python", conflicts_with = "database_url")]
    pub build_schema: bool,
    /// --verify: the source schema is this existing database (a SQLAlchemy URL), introspected;
    /// nothing of the project runs.
    #[arg(long, value_name = "URL", requires = "verify")]
    pub database_url: Option<String>,
    /// --build-schema of a Django project: its settings module (default: DJANGO_SETTINGS_MODULE,
    /// else the one manage.py names).
    #[arg(long, value_name = "MODULE", requires = "build_schema")]
    pub settings: Option<String>,
    /// With --build-schema: the Python for the target checks (default: the cached virtualenv).
    #[arg(long, value_name = "PY", requires = "build_schema")]
    pub verify_python: Option<PathBuf>,
    /// Seconds the verification subprocess may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub timeout: u64,
    /// Output format of the summary (the draft is always files).
    #[arg(long, short = 'f', value_enum, default_value_t = PortFormat::Text)]
    pub format: PortFormat,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortFormat {
    /// A readable summary for the terminal.
    Text,
    /// Machine-readable JSON (`kind` crossport-port): constructs, TODOs, verification.
    Json,
}

#[derive(Args, Debug)]
pub struct PortfolioArgs {
    /// Repositories, inventory / plan / portfolio JSON files, folders of them, or files listing them.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output format (csv: one row per repository and per plan step, for an issue tracker).
    #[arg(long, short = 'f', value_enum, default_value_t = PortfolioFormat::Text)]
    pub format: PortfolioFormat,
    /// Write the output to FILE (atomically); `-` is standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Teams working in parallel, for the waves' timeline.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub teams: u32,
    /// People per team, for plans computed here (plan files keep their own).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub team_size: u32,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortfolioFormat {
    /// A readable summary for the terminal.
    Text,
    /// Machine-readable JSON (`schema_version` 1, `kind` crossport-portfolio).
    Json,
    /// Markdown for a pull request, an issue or a CI job summary.
    Markdown,
    /// One self-contained HTML file with the waves as a timeline.
    Html,
    /// Work items for an issue tracker: one row per repository and per plan step.
    Csv,
}

/// `--availability`: a share of the week, (0, 1].
pub fn parse_availability(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number (expected a share such as 0.5)"))?;
    if v > 0.0 && v <= 1.0 {
        Ok(v)
    } else {
        Err(format!(
            "{v} is outside (0, 1]: give the share of a week, e.g. 0.5 for half time"
        ))
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Django,
    Flask,
}

#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Skip files larger than this many bytes (generated code, vendored bundles).
    #[arg(long, value_name = "BYTES", default_value_t = 2 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Show every item and where the time went.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Never show a progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Also read test code (tests/ packages, test_*.py, conftest.py). By default it is
    /// counted but not read, so test fixtures do not show up as routes or models.
    #[arg(long)]
    pub include_tests: bool,
    /// Parse every Python file, not only those the pre-filter selects (for the accuracy check).
    #[arg(long, hide = true)]
    pub no_prefilter: bool,
    /// An installed environment's site-packages folder (repeatable). URLconfs the project
    /// names there (`include("allauth.urls")`, a ROOT_URLCONF in a library) are read so their
    /// routes get full URLs, reported as third-party; nothing there is imported or run.
    /// Default: .venv/ or venv/ inside PATH, else $VIRTUAL_ENV.
    #[arg(long, value_name = "DIR", conflicts_with = "no_site_packages")]
    pub site_packages: Vec<std::path::PathBuf>,
    /// Read nothing from installed packages: a mount stays one unresolved route naming it.
    #[arg(long)]
    pub no_site_packages: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A readable summary for the terminal.
    Text,
    /// Machine-readable JSON (the documented contract).
    Json,
    /// Markdown for a pull-request comment or an issue (checklists, tables, Mermaid diagrams).
    Markdown,
    /// One self-contained HTML file (no external requests), sortable tables, printable.
    Html,
}

pub const CHECK_HELP: &str = "Exit codes:\n  0  the gate passed\n  1  the gate failed (a policy criterion or the ratchet)\n  2  usage, configuration or I/O error, a repository with no Flask or Django code (unless --allow-empty), or any internal error\n\nPolicy: [tool.crossport] in pyproject.toml or the top level of crossport.toml (keys fail-on, fail-on-rules, max-effort-hours, max-per-rule, baseline, ratchet, to, allow-empty); flags override it. With no criterion anywhere the gate fails on mandatory findings.\n\nExamples:\n  crossport check . --write-baseline crossport-baseline.json\n  crossport check . --baseline crossport-baseline.json --ratchet\n  crossport check . --fail-on mandatory,potential --max-per-rule CP101=40\n  crossport check . --format github --sarif crossport.sarif --summary \"$GITHUB_STEP_SUMMARY\"";

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Repository to check.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Policy file (default: crossport.toml, else pyproject.toml's [tool.crossport], in PATH).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Fail on findings of these categories (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "CATEGORY")]
    pub fail_on: Vec<CategoryArg>,
    /// Fail on findings of this rule (repeatable, or comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE", value_parser = parse_rule_arg)]
    pub fail_on_rule: Vec<String>,
    /// Fail when the findings' effort (high end, mandatory + potential) exceeds this many hours.
    #[arg(long, value_name = "HOURS", value_parser = parse_hours)]
    pub max_effort_hours: Option<f64>,
    /// Fail when a rule has more than N findings (RULE=N, repeatable).
    #[arg(long, value_name = "RULE=N", value_parser = parse_max_per_rule)]
    pub max_per_rule: Vec<(String, usize)>,
    /// Compare with this baseline: only new findings count.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings and migration surface in FILE, then exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Fail when source-framework surface (routes, models) grew since the baseline.
    #[arg(long)]
    pub ratchet: bool,
    /// Target framework (default: config, then the baseline's, then the other one than the repo's).
    #[arg(long, value_enum)]
    pub to: Option<Target>,
    /// Pass on a repository with no Flask or Django code (default: exit 2).
    #[arg(long)]
    pub allow_empty: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write the output to FILE instead of standard output (`-` is standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write SARIF 2.1.0 to FILE.
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Also append the Markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY").
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CategoryArg {
    Mandatory,
    Optional,
    Potential,
}

impl From<CategoryArg> for crate::rules::Category {
    fn from(c: CategoryArg) -> Self {
        use crate::rules::Category;
        match c {
            CategoryArg::Mandatory => Category::Mandatory,
            CategoryArg::Optional => Category::Optional,
            CategoryArg::Potential => Category::Potential,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// A readable report for the terminal.
    Text,
    /// The check result as JSON.
    Json,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
    /// GitHub Actions workflow annotations (::error file=...).
    Github,
    /// A Markdown summary (for $GITHUB_STEP_SUMMARY).
    Markdown,
}

fn parse_rule_arg(s: &str) -> Result<String, String> {
    crate::rules::lookup(s.trim())
        .map(|r| r.id.to_string())
        .ok_or_else(|| format!("unknown rule `{s}` (see `crossport explain` for the list)"))
}

fn parse_hours(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(h) if h.is_finite() && h >= 0.0 => Ok(h),
        _ => Err(format!("`{s}` is not a non-negative number of hours")),
    }
}

fn parse_max_per_rule(s: &str) -> Result<(String, usize), String> {
    let (r, n) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: expected RULE=N, e.g. CP101=40"))?;
    let r = parse_rule_arg(r)?;
    let n = n
        .trim()
        .parse::<usize>()
        .map_err(|_| format!("`{s}`: N must be a whole number"))?;
    Ok((r, n))
}
