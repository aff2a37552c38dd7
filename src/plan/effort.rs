//! The effort model: every per-item constant of the plan, in one place, with its rationale.
//!
//! # How the guide's figures are read
//!
//! The migration guide (seeds/000, "Migration Guide") gives three figures:
//!
//! * a 30,000-line Flask application moves to Django in "4 to 8 engineering weeks for a two-person
//!   team, with one week of dual-running";
//! * about 80 percent of SQLAlchemy declarative models map cleanly to Django models;
//! * extracting one Django app into a Flask service takes "2 to 6 weeks per service, depending on
//!   database coupling".
//!
//! crossport reads every "week" of the guide as a **calendar week of the guide's two-person reference
//! team** ([`REFERENCE_TEAM`]). Naming the team size only makes sense if the weeks are the team's
//! elapsed weeks; a figure in person-weeks would not need it. So the Flask→Django reference case is
//! 4–8 calendar weeks × 2 people = **8–16 engineer-weeks** (person-weeks) of effort, i.e. 320–640
//! engineer-hours at [`HOURS_PER_WEEK`]. The extraction figure has no team size of its own; it is read
//! the same way (2–6 weeks × 2 people = 4–12 engineer-weeks, 160–480 hours) so that the guide is
//! read with a single rule everywhere.
//!
//! In the plan, `engineer_weeks` is always person-weeks of effort (hours / 40), and
//! `calendar_weeks` = `engineer_weeks / (team_size x availability)`. Above one engineer the plan
//! adds coordination ([`COORDINATION_PER_PAIR`]): a bigger team finishes sooner but spends more.
//!
//! # How the constants were calibrated
//!
//! Each constant is a low–high range of engineer-hours per item. The starting points are the measured
//! unit costs in `shared/research/migration-case-studies.md` (section 2.2: about 0.1–0.5 person-day
//! per route for small ports, model *definitions* cheap but data copies expensive, about 0.3–0.7 day
//! per template, auth often the single largest line item, CLI commands about a fifth of one real port).
//! They were then scaled so that the synthetic "typical 30,000-line Flask app" built in
//! `tests/plan.rs` (`typical_flask_30k`) lands inside the guide's 4–8 calendar weeks for two people
//! with one to two weeks of dual running (the test `calibration_typical_flask_app` asserts it and
//! prints the step breakdown), and so that a loosely and a tightly coupled Django app extraction land
//! at the two ends of the guide's 2–6 weeks (`calibration_extraction`). Line count is never an input: the research shows it predicts effort
//! badly, so the plan counts constructs and only uses lines to normalise for the calibration check.

//!
//! # Sources
//!
//! Every constant names where its number comes from: **guide** (the seed's figures), a
//! **case** of `tests/calibration/cases.toml` (real ports whose effort was measured from git
//! history; `tests/calibration/run.py` prints estimate vs measurement), or **research**
//! (`shared/research/migration-case-studies.md`, section 2.2 for unit costs, 2.3 for where the
//! time went). [`source`] gives the same sentence per rule for `crossport explain`.
//!
//! # What is charged when
//!
//! The cut-over mode ([`super::cutover::Mode`]) decides whether the guide's step-3/4 costs are
//! paid at all: dual running, the data copy, the migration baseline and the session cut-over only
//! exist when both stacks serve traffic (`incremental`); data on installations the team does not
//! control is migrated in place instead (`live-data`); a `big-bang` port pays none of them. The
//! measured big-bang ports (bigcases2, regulations-core, open-ledger, afsbirez) ran no second
//! stack and copied no rows; the live-data port (Anthias) spent most of its time on its data.

use serde::{Deserialize, Serialize};

/// A low–high range of engineer-hours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Hours {
    pub low: f64,
    pub high: f64,
}

impl Hours {
    pub const ZERO: Hours = Hours {
        low: 0.0,
        high: 0.0,
    };

    pub const fn new(low: f64, high: f64) -> Self {
        Hours { low, high }
    }

    pub fn times(self, n: f64) -> Hours {
        Hours::new(self.low * n, self.high * n)
    }

    pub fn plus(self, o: Hours) -> Hours {
        Hours::new(self.low + o.low, self.high + o.high)
    }

    /// `self - o`, never below zero.
    pub fn minus(self, o: Hours) -> Hours {
        Hours::new((self.low - o.low).max(0.0), (self.high - o.high).max(0.0))
    }

    /// Rounded to 0.01 h so that JSON output never shows float noise.
    pub fn rounded(self) -> Hours {
        Hours::new(round2(self.low), round2(self.high))
    }

    pub fn is_zero(self) -> bool {
        self.low == 0.0 && self.high == 0.0
    }
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Engineer-hours in one engineer-week (a person-week).
pub const HOURS_PER_WEEK: f64 = 40.0;
/// The team size the guide's figures are stated for ("a two-person team").
pub const REFERENCE_TEAM: f64 = 2.0;
/// Default `--team-size`.
pub const DEFAULT_TEAM_SIZE: u32 = 2;
/// The guide's reference size for the Flask→Django figure, used only to normalise for calibration.
pub const REFERENCE_LINES: f64 = 30_000.0;
/// Rules whose items are paid once per project whatever its size (migration
/// baseline, dual running, auth systems and the session cut-over, the Celery
/// set-up, extensions). Scaling an estimate to 30,000 lines keeps these as they
/// are and scales only the rest, so a small app is not charged eight dual-running
/// periods.
pub const ONCE_PER_PROJECT: &[&str] = &[
    "CP106", "CP110", "CP301", "CP303", "CP305", "CP401", "CP405", "CP406", "CP601",
];
/// The guide's Flask→Django range, read as engineer-weeks (4–8 calendar weeks × 2 people).
/// Source: guide (30,000 lines, 4-8 weeks, two people).
pub const GUIDE_FLASK_TO_DJANGO_ENGINEER_WEEKS: Hours = Hours::new(8.0, 16.0);
/// The guide's one-service extraction range, read as engineer-weeks (2–6 weeks × 2 people).
/// Source: guide (2-6 weeks per extracted service).
pub const GUIDE_EXTRACTION_ENGINEER_WEEKS: Hours = Hours::new(4.0, 12.0);
/// The guide's share of SQLAlchemy models that map cleanly.
pub const GUIDE_CLEAN_MODEL_SHARE: f64 = 0.80;

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 1: routes
// ---------------------------------------------------------------------------------------------

/// CP101, per route: rewrite the view's signature and request access (`request.args` →
/// `request.GET`, `jsonify` → `JsonResponse`, `abort` → `Http404`), add the `path()` entry and the
/// methods decorator, and its test. Research: 0.1–0.5 person-day per route in small measured ports;
/// the low end here assumes many routes are near-identical CRUD views.
/// Source: case regulations-core (11 handlers and their tests in about one day) and research
/// 2.2 (0.1-0.5 person-day per route in small ports).
pub const ROUTE: Hours = Hours::new(0.3, 0.6);
/// CP108, per route served by a REST extension resource (Flask-RESTful, flask-restful-swagger-2,
/// RESTX, Smorest): a Django REST framework serializer and view on top of CP101. Source: research
/// 2.2 (typed-API ports about 0.6 day per route with schema work) and case anthias (19 API
/// resources were most of its view port).
pub const REST_RESOURCE: Hours = Hours::new(1.5, 2.5);
/// CP109 in `incremental` mode, per route: the route keeps its exact contract while traffic is
/// split between the stacks (proxy rule, a contract test run against both). Source: guide step 3
/// (cut endpoints over while both stacks run).
pub const ROUTE_CONTRACT_INCREMENTAL: Hours = Hours::new(0.25, 0.4);
/// CP109 in `live-data` mode, per route: clients the team does not update (devices, installed
/// front ends, API versions) keep calling the route across the upgrade, so its responses are
/// pinned with tests before the port and checked after. Source: case anthias (API v1, v1.1 and
/// v1.2 kept; research 2.2: about two days per route with live data, against 0.1-0.5 day in
/// big-bang ports).
pub const ROUTE_CONTRACT_LIVE: Hours = Hours::new(1.0, 2.0);
/// CP110, once: the Django project itself (settings from the Flask config, manage.py, static
/// files, logging, requirements). Source: cases bigcases2 and open-ledger (set up on the first
/// day of their ports).
pub const PROJECT_SCAFFOLD: Hours = Hours::new(1.5, 3.5);
/// CP111, per existing test: rewritten for Django's test client and fixtures. Source: cases
/// regulations-core (54 tests rewritten inside a one-day port) and anthias (nose suite rewritten);
/// research 2.3 (tests are rewritten, not ported).
pub const TEST_REWRITE: Hours = Hours::new(0.025, 0.05);
/// CP102, per route, on top of CP101: a converter Django does not have (`float`, `any`, a custom
/// werkzeug converter, arguments like `int(min=1)`): a `re_path()` regex or a registered converter.
/// Source: mechanical (a regex or a registered converter); no case isolates it.
pub const ROUTE_CONVERTER: Hours = Hours::new(0.5, 1.0);
/// CP103, per `url_for` call site: becomes `reverse()` (Python) or `url()` (Jinja2 environment);
/// mostly mechanical, the range covers endpoint renames and `_external`/`_anchor` arguments.
/// Source: mechanical rewrite; range from the guide reference (240 call sites in the 30,000-line app).
pub const URL_FOR: Hours = Hours::new(0.06, 0.1);
/// CP104, per proposed Django app: `startapp`, `apps.py`, `urls.py` with a namespace, the
/// `include()` in the root URLconf, settings entry. The guide: "each group becomes a Django app".
/// Source: guide step 1; case regulations-core (one app, made in minutes of a one-day port).
pub const DJANGO_APP: Hours = Hours::new(0.5, 1.0);
/// CP105, per route whose rule could not be resolved statically: someone has to read the code to
/// find its real URL before it can be ported.
/// Source: placeholder for reading the code; no case isolates it.
pub const ROUTE_UNRESOLVED: Hours = Hours::new(0.5, 2.0);
/// CP106, per Flask extension with a direct Django counterpart (mail, caching, CORS, babel,
/// limiter, session): configuration and call-site changes. Source: research 2.3 (extension gaps
/// are found late); no case isolates it.
pub const EXTENSION_SIMPLE: Hours = Hours::new(1.5, 3.0);
/// CP106, per Flask extension whose Django counterpart has a different programming model
/// (Flask-RESTful/RESTX/Smorest/Marshmallow → DRF, Flask-SocketIO → Channels).
/// Source: research 2.2 (schema work makes typed-API ports about twice as slow per route).
pub const EXTENSION_HEAVY: Hours = Hours::new(12.0, 24.0);
/// CP107, per request hook or error handler (`before_request`, `after_request`,
/// `teardown_request`, `errorhandler`): becomes a middleware or a `handler404`-style view.
/// Source: research 2.3 (request lifecycle code, `g`, sessions stalled one attempted port).
pub const REQUEST_HOOK: Hours = Hours::new(1.0, 2.0);

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 2: models
// ---------------------------------------------------------------------------------------------

/// CP201, per model that maps cleanly: write the Django model from the proposed field mapping,
/// `Meta.db_table` to keep the table, relations with `related_name`, queries of the model rewritten
/// to the Django ORM. Definitions are cheap in the measured ports; the query rewrite is the range.
/// Source: case bigcases2 (10 models into Django apps within its first two days) and research 2.2.
pub const MODEL_CLEAN: Hours = Hours::new(1.1, 1.9);
/// CP202, per polymorphic model (single/joined table inheritance): Django offers abstract bases
/// and multi-table inheritance, neither is a drop-in for a discriminator column.
/// Source: guide step 2 (an exception to the 80%); no case has one.
pub const MODEL_POLYMORPHIC: Hours = Hours::new(5.0, 9.0);
/// CP203, per model with a composite primary key: Django 5.2's `CompositePrimaryKey`, with its
/// limits (no admin, relations need care), or a surrogate key and a unique constraint.
/// Source: guide step 2 and research 2.2 (a composite key forced a data-model change).
pub const MODEL_COMPOSITE_PK: Hours = Hours::new(4.0, 7.0);
/// CP204, per model with SQLAlchemy event listeners: each becomes a Django signal receiver or a
/// `save()` override; the semantics differ (session-level vs instance-level, bulk operations skip
/// signals). Source: guide step 2; case open-ledger (three `before_insert` listeners became
/// `save()` overrides inside its four-day port).
pub const MODEL_EVENTS: Hours = Hours::new(1.5, 3.0);
/// CP205, per field whose SQLAlchemy type has no direct Django field (PickleType, custom
/// TypeDecorator, unknown types): a custom field or a data change. Source: placeholder.
pub const FIELD_UNMAPPED: Hours = Hours::new(0.5, 2.0);
/// CP206, per Flask-Admin view: a `ModelAdmin` registration (often simpler than the original).
/// Source: research 2.3 (Django's admin is one reason teams move).
pub const ADMIN_VIEW: Hours = Hours::new(0.5, 1.5);
/// CP207, per model with another trait the scanner flagged (hybrid properties, custom types,
/// schemas, ...): needs a look before estimating precisely. Source: placeholder.
pub const MODEL_OTHER_TRAIT: Hours = Hours::new(1.0, 4.0);
/// CP208, per table kept with raw SQL (no ORM model): a Django model with `db_table` and the
/// hand-written queries rewritten to the ORM. Source: case anthias (one raw-SQLite table, its
/// helpers in lib/db.py and lib/queries.py).
pub const RAW_TABLE: Hours = Hours::new(3.0, 5.0);

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 3: migrations and data
// ---------------------------------------------------------------------------------------------

/// CP301, once per project: `makemigrations`, then `migrate --fake-initial` against the schema
/// Alembic (or `create_all`) built, checked table by table; Alembic history retired. Charged in
/// `incremental` and `live-data` only: a big-bang port starts from fresh migrations. Source:
/// guide step 3 and research 2.3 (a team wrote a tool to fake initial migrations on Alembic tables).
pub const MIGRATIONS_BASELINE: Hours = Hours::new(6.0, 10.0);
/// CP302, per table: the one-shot data migration that copies rows from the legacy schema into the
/// Django schema, with a verification query. Research: data, not definitions, is where the time
/// goes (one real port spent ten days on one table plus a fix); the range assumes most tables are
/// plain copies. Charged in `incremental` only. Source: guide step 3.
pub const DATA_MIGRATION_TABLE: Hours = Hours::new(0.75, 1.1);
/// CP304, per table in `live-data` mode: the upgrade converts the table's schema and rows in
/// place on every installation (idempotent, tested on snapshots of old installations). Source:
/// case anthias (its data PR #2031, the per-table part of it).
pub const IN_PLACE_TABLE: Hours = Hours::new(12.0, 24.0);
/// CP305, once in `live-data` mode: the upgrade path itself, run on machines nobody can log in
/// to: it detects the old schema, backs the data up, migrates atomically and restores on
/// failure. Source: case anthias (about ten days on its data migration, then the atomicity and
/// backup/restore fixes #2087, #2093, #2094).
pub const UPGRADE_SAFETY: Hours = Hours::new(60.0, 96.0);
/// CP303, dual running: the guide runs both stacks against the same database for one to two
/// calendar weeks ([`DUAL_RUNNING_WEEKS`]); during that period half of every engineer's time
/// ([`DUAL_RUNNING_LOAD`]) goes to running both (deploys, monitoring, divergence fixes), the other
/// half to the endpoint cut-overs already counted in step 1. Its hours therefore scale with the team.
/// Charged in `incremental` only. Source: guide (one week of dual running; step 3: one to two).
pub const DUAL_RUNNING_WEEKS: Hours = Hours::new(1.0, 2.0);
/// Share of each engineer's time the dual-running period takes (see [`DUAL_RUNNING_WEEKS`]).
/// Source: guide step 3 (the rest of the time goes to the endpoint cut-overs, priced in step 1).
pub const DUAL_RUNNING_LOAD: f64 = 0.5;

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 4: auth
// ---------------------------------------------------------------------------------------------

/// CP401, per auth system (Flask-Login, Flask-Security, Flask-JWT-Extended, Flask-HTTPAuth,
/// Authlib, ...): replaced by `django.contrib.auth` (or a Django package for tokens/OAuth). The
/// research names auth the single largest and most often deferred line item. This is the code
/// (views, decorators, backend); existing accounts are CP406. Source: case open-ledger (CAS login
/// re-done with django-cas-ng in one short commit) and research 2.3.
pub const AUTH_SYSTEM: Hours = Hours::new(4.0, 7.0);
/// CP406, per auth system in `incremental` and `live-data` mode: existing accounts keep working
/// (password hashes through a compatible hasher, tokens, remember-me cookies). Source: research
/// 2.3 (the auth switch of one measured project was about as large as its view port).
pub const ACCOUNTS_CARRY: Hours = Hours::new(8.0, 12.0);
/// CP402, once: a custom user model (`AbstractUser` subclass) because the Flask user model has
/// fields Django's default user lacks; password hashes need a compatible hasher.
/// Source: research 2.3 (afsbirez replaced Flask-Security's User/Role with Django auth).
pub const USER_MODEL: Hours = Hours::new(5.0, 9.0);
/// CP403, per protected route: the decorator or check becomes `login_required`,
/// `permission_required` or a mixin, and its test. Source: mechanical; no case isolates it.
pub const PROTECTED_ROUTE: Hours = Hours::new(0.1, 0.2);
/// CP404, per auth hook (`user_loader`, `request_loader`, custom decorators, token loaders).
/// Source: research 2.3.
pub const AUTH_HOOK: Hours = Hours::new(1.0, 2.0);
/// CP405, once: the cut-over with both auth backends live and the cookie switched after the last
/// endpoint moved (the guide's advice). Charged in `incremental` only. Source: guide step 4.
pub const SESSION_CUTOVER: Hours = Hours::new(6.0, 9.0);

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 5: templates and forms
// ---------------------------------------------------------------------------------------------

/// CP501, per template kept on Django's Jinja2 backend: `url_for`, `get_flashed_messages`,
/// `g`, `config` and `request` usages adapted to the environment. Research: 0.3–0.7 day per
/// template including styling in small ports; keeping Jinja2 is much cheaper than that.
/// Source: guide step 5, cases open-ledger (10 templates kept on Jinja2) and anthias.
pub const TEMPLATE: Hours = Hours::new(0.3, 0.5);
/// CP502, per custom filter, template global, test or context processor: re-registered in the
/// Jinja2 `environment` callable or as a context processor. Source: guide step 5.
pub const TEMPLATE_HELPER: Hours = Hours::new(1.0, 2.0);
/// CP503 (optional, not in totals), per template: conversion to the Django Template Language.
/// Source: research 2.2 (0.3-0.7 day per converted template).
pub const TEMPLATE_DTL: Hours = Hours::new(1.0, 3.0);
/// CP504, per `render_template` call site: becomes `render(request, ...)`. Source: mechanical.
pub const TEMPLATE_RENDER: Hours = Hours::new(0.05, 0.1);
/// CP505, per WTForms/Flask-WTF form: a Django `Form`/`ModelForm` with its validators.
/// Source: case open-ledger (two forms inside its four-day port).
pub const FORM: Hours = Hours::new(1.0, 1.5);

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 6: background jobs and CLI
// ---------------------------------------------------------------------------------------------

/// CP601, once: the Celery app moves to `proj/celery.py` with `config_from_object('django.conf:
/// settings', namespace='CELERY')`; the Flask app-context task base class goes away.
/// Source: guide step 6 (the same Celery configuration works).
pub const CELERY_CONFIG: Hours = Hours::new(3.0, 6.0);
/// CP602, per Celery task: imports, app context and ORM calls inside the task. Source: case
/// anthias (tasks moved onto the Django ORM) and research 2.3.
pub const CELERY_TASK: Hours = Hours::new(0.5, 1.25);
/// CP603 (optional, not in totals), per task: moving a simple task to Django's tasks framework.
/// Source: guide step 6 (optional).
pub const DJANGO_TASKS_MOVE: Hours = Hours::new(0.5, 1.0);
/// CP604, per schedule (beat entry, APScheduler job, cron string). Source: case anthias.
pub const SCHEDULE: Hours = Hours::new(0.5, 1.5);
/// CP605, per Flask CLI (click) command: a management command. Research: about a fifth of the
/// commits of one measured port were CLI conversion. Source: case bigcases2 (19 Click commands,
/// about a fifth of a 48-hour port: about half an hour each).
pub const CLI_COMMAND: Hours = Hours::new(0.5, 1.2);
/// CP606, per job of another queue (RQ, Dramatiq, Huey, APScheduler, ...). Source: as CP602.
pub const OTHER_JOB: Hours = Hours::new(1.0, 2.5);
/// CP607, per deployment file that builds, starts or fronts the application (Procfile,
/// Dockerfile, compose file, gunicorn/uwsgi config, WSGI entry, systemd unit, nginx, fabfile):
/// checked and changed for Django's entry points. Source: research 2.3 (Anthias's nginx and
/// gunicorn configs, Galaxy's server switch) and case bigcases2 (deployment redone in the port).
pub const DEPLOY_FILE: Hours = Hours::new(0.75, 1.5);

// ---------------------------------------------------------------------------------------------
// Teams
// ---------------------------------------------------------------------------------------------

/// Coordination, per pair of engineers, as a share of the work: splitting the work, reviews,
/// merge conflicts, agreeing on the target's conventions. Pairs, not heads: the paths a team
/// coordinates over grow as n(n-1)/2, so two people pay for one pair and three for three.
/// Source: case afsbirez (three developers, slower per head than the one-developer ports),
/// research 2.2 (in community ports calendar time went to review and coordination), and the
/// guide's two-person reference, which the pair's share must keep inside 4-8 weeks.
pub const COORDINATION_PER_PAIR: Hours = Hours::new(0.1, 0.2);
/// Coordination stops growing at this many pairs (a team of three): a larger team splits the
/// port by Django app, and each part coordinates through the plan rather than with everyone.
/// Without a cap, a team of four would finish later than a team of two, which no measured
/// port shows.
pub const COORDINATION_MAX_PAIRS: f64 = 3.0;

/// Hours of coordination for `work` done by a team.
pub fn coordination(work: Hours, team_size: u32) -> Hours {
    let n = team_size.max(1) as f64;
    let pairs = (n * (n - 1.0) / 2.0).min(COORDINATION_MAX_PAIRS);
    Hours::new(
        work.low * COORDINATION_PER_PAIR.low * pairs,
        work.high * COORDINATION_PER_PAIR.high * pairs,
    )
}

// ---------------------------------------------------------------------------------------------
// Django → Flask (one Django app extracted into a Flask service)
// ---------------------------------------------------------------------------------------------

/// CP702, once per service: the Flask application (factory, config, SQLAlchemy session,
/// blueprints, Dockerfile, CI, deployment) that will own the extracted models.
/// Source: guide (2-6 weeks per service; the scaffold is the fixed part of the loosely coupled end).
pub const SERVICE_SCAFFOLD: Hours = Hours::new(36.0, 52.0);
/// CP703, per model that moves: a SQLAlchemy model (the reverse mapping is mechanical; one measured
/// reverse port carried 15 of 15 models) plus the queries inside the app.
/// Source: research 2.2 (ApeRAG carried 15 of 15 models in the reverse direction).
pub const SERVICE_MODEL: Hours = Hours::new(2.0, 3.0);
/// CP704, per route of the extracted app: a JSON endpoint in the Flask service.
/// Source: guide step 1 (a JSON API); research 2.2 (typed-API routes about 0.6 day all-in).
pub const SERVICE_ROUTE: Hours = Hours::new(1.0, 1.5);
/// CP705, per Django admin registration of an extracted model: the admin does not follow;
/// replaced by Flask-Admin, an internal tool, or dropped.
/// Source: placeholder (a product decision); no case isolates it.
pub const ADMIN_REPLACE: Hours = Hours::new(1.0, 3.0);
/// CP706, per signal receiver in or on the extracted app: becomes an event/webhook or a call.
/// Source: guide step 2 (in-process calls become network calls).
pub const SIGNAL_REWRITE: Hours = Hours::new(2.0, 4.0);
/// CP707, per form or serializer of the extracted app: becomes a Marshmallow/Pydantic schema.
/// Source: research 2.2 (schema work in typed-API ports).
pub const FORM_TO_SCHEMA: Hours = Hours::new(1.0, 2.0);
/// CP708, per background job or management command of the extracted app.
/// Source: research 2.3 (jobs and CLI tools are the hidden half of a port).
pub const JOB_MOVE: Hours = Hours::new(1.0, 3.0);
/// CP710, per ORM call site elsewhere in the project that queries an extracted model: replaced by
/// a client-library call, with error handling for a network call that can fail.
/// Source: guide step 2 (every ORM call of the carved-out models becomes an HTTP call).
pub const ORM_TO_HTTP: Hours = Hours::new(0.5, 0.9);
/// CP712, per ORM call site when the whole project moves: the Django query becomes a SQLAlchemy
/// one. Source: research 2.2 (ApeRAG's whole-backend port carried 15 of 15 models and their
/// queries to SQLAlchemy).
pub const ORM_QUERY: Hours = Hours::new(0.25, 0.5);
/// CP711, per client-library method implied by those call sites (model × operation).
/// Source: guide step 2 (a thin client library).
pub const CLIENT_METHOD: Hours = Hours::new(2.0, 3.0);
/// CP720, per table that moves to the service's own schema or database (copy, verify, switch).
/// Source: guide step 3 (own schema or database).
pub const TABLE_MOVE: Hours = Hours::new(2.0, 3.0);
/// CP721, per foreign-key edge crossing the new boundary: the constraint is dropped, the column
/// becomes an opaque id, joins become API calls, consistency becomes a design question. The
/// guide's 2–6 week spread is "depending on database coupling": this is where it comes from.
/// Source: guide (the 2-6 week spread comes from database coupling).
pub const FK_CROSSING: Hours = Hours::new(8.0, 12.0);
/// CP722, once: choosing and setting up the database strategy (own schema or database, or a
/// shared database during transition) plus the parallel run and cut-over of the service.
/// Source: guide step 3; research 2.2 (a vendor-reported three-week parallel run, not used as a figure).
pub const DB_STRATEGY: Hours = Hours::new(32.0, 44.0);
/// CP730, once: service-to-service auth (HMAC-signed requests or JWT from the Django parent).
/// Source: guide step 4 (JWT or HMAC from the parent).
pub const SERVICE_AUTH: Hours = Hours::new(12.0, 20.0);
/// CP731, per protected route of the extracted app: its requirement re-expressed in the service.
/// Source: guide step 4; mechanical per route.
pub const ROUTE_AUTH: Hours = Hours::new(0.25, 0.5);
/// CP732, once when the app serves end users: Flask-Login + Authlib or a gateway.
/// Source: guide step 4 (Flask-Login plus Authlib, or a gateway).
pub const PUBLIC_AUTH: Hours = Hours::new(20.0, 32.0);
/// CP740, per observability integration of the Django project (Sentry, Datadog, Prometheus,
/// New Relic, logging config): its OpenTelemetry (or Flask) replacement in the service.
/// Source: guide step 5 (Django-specific Sentry and Datadog setups do not transfer).
pub const OBSERVABILITY: Hours = Hours::new(3.0, 6.0);
/// CP741, once: OpenTelemetry tracing, metrics and logs for the new service, propagated from the
/// parent.
/// Source: guide step 5 (OpenTelemetry for both frameworks).
pub const OTEL_BASELINE: Hours = Hours::new(12.0, 20.0);

/// Hours of the dual-running period for a team (see [`DUAL_RUNNING_WEEKS`]).
pub fn dual_running(team_size: u32) -> Hours {
    DUAL_RUNNING_WEEKS.times(team_size as f64 * HOURS_PER_WEEK * DUAL_RUNNING_LOAD)
}

/// Engineer-weeks (person-weeks) for a number of engineer-hours.
pub fn engineer_weeks(h: Hours) -> Hours {
    Hours::new(h.low / HOURS_PER_WEEK, h.high / HOURS_PER_WEEK)
}

/// Calendar weeks for a team: the engineer-weeks split evenly across the team.
pub fn calendar_weeks(h: Hours, team_size: u32) -> Hours {
    engineer_weeks(h).times(1.0 / team_size.max(1) as f64)
}

/// Calendar weeks for a team whose members give `availability` (0-1] of their week to the port:
/// the effort does not change, the elapsed time does.
pub fn calendar_weeks_at(h: Hours, team_size: u32, availability: f64) -> Hours {
    calendar_weeks(h, team_size).times(1.0 / availability.clamp(0.05, 1.0))
}

/// Where a rule's cost comes from, for `crossport explain` (see the module's "Sources").
pub fn source(rule: &str) -> &'static str {
    match rule {
        "CP101" => "case regulations-core (11 handlers and tests in about a day); research 2.2",
        "CP108" => {
            "research 2.2 (typed-API ports about 0.6 day per route); case anthias (API resources)"
        }
        "CP109" => {
            "incremental: guide step 3; live-data: case anthias (API versions kept for devices), research 2.2"
        }
        "CP110" => "cases bigcases2 and open-ledger (project set up on day one)",
        "CP111" => {
            "cases regulations-core (54 tests rewritten in a one-day port) and anthias; research 2.3"
        }
        "CP104" => "guide step 1; case regulations-core (one app)",
        "CP106" | "CP107" => "research 2.3; no case isolates it",
        "CP201" => "guide step 2; case bigcases2 (10 models in two days); research 2.2",
        "CP202" | "CP203" => "guide step 2 (the exceptions to 80%)",
        "CP204" => "guide step 2; case open-ledger (three before_insert listeners)",
        "CP208" => "case anthias (one raw-SQLite table)",
        "CP301" | "CP302" => "guide step 3; research 2.3",
        "CP303" => "guide (one week of dual running; step 3: one to two)",
        "CP304" => "case anthias (its one table, the per-table part of its data PR)",
        "CP305" => {
            "case anthias (about ten days on its data migration, then atomicity and backup/restore fixes)"
        }
        "CP401" => "case open-ledger (CAS login re-done in one short commit); research 2.3",
        "CP402" | "CP404" | "CP406" => "research 2.3 (auth is the largest, most deferred item)",
        "CP405" => "guide step 4 (both backends live, cookie switched last)",
        "CP501" | "CP502" => {
            "guide step 5; cases open-ledger and anthias (templates kept on Jinja2)"
        }
        "CP503" => "research 2.2 (0.3-0.7 day per converted template)",
        "CP505" => "case open-ledger (two forms in its four-day port)",
        "CP601" | "CP603" => "guide step 6",
        "CP602" | "CP604" | "CP606" => {
            "case anthias (tasks and schedules moved onto the Django ORM); research 2.3"
        }
        "CP605" => "case bigcases2 (19 Click commands, about a fifth of its 48 h)",
        "CP607" => {
            "research 2.3 (nginx/gunicorn configs changed with the framework); case bigcases2"
        }
        r if r.starts_with("CP7") => {
            "guide (2-6 weeks per extracted service, by database coupling); research 2.2 for CP703"
        }
        _ => "mechanical rewrite or placeholder; no case isolates it",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic() {
        let h = Hours::new(0.6, 1.2).times(10.0).plus(Hours::new(1.0, 2.0));
        assert_eq!(h.rounded(), Hours::new(7.0, 14.0));
        assert_eq!(
            engineer_weeks(Hours::new(80.0, 160.0)),
            Hours::new(2.0, 4.0)
        );
        assert_eq!(
            calendar_weeks(Hours::new(80.0, 160.0), 2),
            Hours::new(1.0, 2.0)
        );
        assert_eq!(calendar_weeks(Hours::new(80.0, 160.0), 0).low, 2.0);
        // Two people, one to two weeks, half their time: 40-80 hours.
        assert_eq!(dual_running(2), Hours::new(40.0, 80.0));
        // One engineer coordinates with nobody; three pay for two extra.
        assert!(coordination(Hours::new(100.0, 200.0), 1).is_zero());
        let c3 = coordination(Hours::new(100.0, 200.0), 3);
        assert!(c3.low > 0.0 && c3.high > c3.low);
        assert_eq!(
            coordination(Hours::new(100.0, 200.0), 50),
            coordination(Hours::new(100.0, 200.0), 3)
        );
        assert_eq!(
            calendar_weeks_at(Hours::new(80.0, 160.0), 1, 0.5),
            Hours::new(4.0, 8.0)
        );
        assert_eq!(round2(0.1 + 0.2), 0.3);
    }

    #[test]
    fn every_constant_is_an_ordered_range() {
        for h in [
            ROUTE,
            ROUTE_CONVERTER,
            URL_FOR,
            DJANGO_APP,
            ROUTE_UNRESOLVED,
            EXTENSION_SIMPLE,
            EXTENSION_HEAVY,
            REQUEST_HOOK,
            MODEL_CLEAN,
            MODEL_POLYMORPHIC,
            MODEL_COMPOSITE_PK,
            MODEL_EVENTS,
            FIELD_UNMAPPED,
            ADMIN_VIEW,
            MODEL_OTHER_TRAIT,
            MIGRATIONS_BASELINE,
            DATA_MIGRATION_TABLE,
            DUAL_RUNNING_WEEKS,
            AUTH_SYSTEM,
            USER_MODEL,
            PROTECTED_ROUTE,
            AUTH_HOOK,
            SESSION_CUTOVER,
            TEMPLATE,
            TEMPLATE_HELPER,
            TEMPLATE_DTL,
            TEMPLATE_RENDER,
            FORM,
            CELERY_CONFIG,
            CELERY_TASK,
            DJANGO_TASKS_MOVE,
            SCHEDULE,
            CLI_COMMAND,
            OTHER_JOB,
            REST_RESOURCE,
            ROUTE_CONTRACT_INCREMENTAL,
            ROUTE_CONTRACT_LIVE,
            PROJECT_SCAFFOLD,
            TEST_REWRITE,
            RAW_TABLE,
            IN_PLACE_TABLE,
            UPGRADE_SAFETY,
            ACCOUNTS_CARRY,
            DEPLOY_FILE,
            COORDINATION_PER_PAIR,
            SERVICE_SCAFFOLD,
            SERVICE_MODEL,
            SERVICE_ROUTE,
            ADMIN_REPLACE,
            SIGNAL_REWRITE,
            FORM_TO_SCHEMA,
            JOB_MOVE,
            ORM_TO_HTTP,
            CLIENT_METHOD,
            ORM_QUERY,
            TABLE_MOVE,
            FK_CROSSING,
            DB_STRATEGY,
            SERVICE_AUTH,
            ROUTE_AUTH,
            PUBLIC_AUTH,
            OBSERVABILITY,
            OTEL_BASELINE,
        ] {
            assert!(h.low > 0.0 && h.low <= h.high, "{h:?}");
        }
    }
}
