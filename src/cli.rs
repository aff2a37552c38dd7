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
calendar weeks for the team size.\n\nA repository holding several applications (a Django project and a \
Flask service in their own folders, each with its own import root) is not planned as one: each \
application gets its own plan and direction (JSON: `\"kind\": \"crossport-plans\"`); \
`crossport plan PATH/FOLDER` plans one of them.",
        after_help = "Examples:\n  crossport plan .                          # Flask repo -> plan to Django\n  crossport plan . --to flask --app billing  # extract one Django app\n  crossport plan . --format json -o plan.json --team-size 3"
    )]
    Plan(PlanArgs),
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
    #[command(after_help = crate::gate::CHECK_HELP)]
    Check(crate::gate::CheckArgs),
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
    /// Team size for calendar weeks (also scales the dual-running period's cost).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub team_size: u32,
    /// Django->Flask: the Django app to extract (default: the least coupled one).
    #[arg(long, value_name = "LABEL")]
    pub app: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to FILE (atomically); `-` is standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
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
