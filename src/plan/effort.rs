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
//! `calendar_weeks` = `engineer_weeks / team_size`: work is assumed to split evenly across the team
//! (no ramp-up or coordination overhead is modelled, which flatters large teams).
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
pub const ONCE_PER_PROJECT: &[&str] = &["CP106", "CP301", "CP303", "CP401", "CP405", "CP601"];
/// The guide's Flask→Django range, read as engineer-weeks (4–8 calendar weeks × 2 people).
pub const GUIDE_FLASK_TO_DJANGO_ENGINEER_WEEKS: Hours = Hours::new(8.0, 16.0);
/// The guide's one-service extraction range, read as engineer-weeks (2–6 weeks × 2 people).
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
pub const ROUTE: Hours = Hours::new(0.75, 1.1);
/// CP102, per route, on top of CP101: a converter Django does not have (`float`, `any`, a custom
/// werkzeug converter, arguments like `int(min=1)`): a `re_path()` regex or a registered converter.
pub const ROUTE_CONVERTER: Hours = Hours::new(0.5, 1.0);
/// CP103, per `url_for` call site: becomes `reverse()` (Python) or `url()` (Jinja2 environment);
/// mostly mechanical, the range covers endpoint renames and `_external`/`_anchor` arguments.
pub const URL_FOR: Hours = Hours::new(0.05, 0.12);
/// CP104, per proposed Django app: `startapp`, `apps.py`, `urls.py` with a namespace, the
/// `include()` in the root URLconf, settings entry. The guide: "each group becomes a Django app".
pub const DJANGO_APP: Hours = Hours::new(2.0, 4.0);
/// CP105, per route whose rule could not be resolved statically: someone has to read the code to
/// find its real URL before it can be ported.
pub const ROUTE_UNRESOLVED: Hours = Hours::new(0.5, 2.0);
/// CP106, per Flask extension with a direct Django counterpart (mail, caching, CORS, babel,
/// limiter, session): configuration and call-site changes.
pub const EXTENSION_SIMPLE: Hours = Hours::new(2.0, 5.0);
/// CP106, per Flask extension whose Django counterpart has a different programming model
/// (Flask-RESTful/RESTX/Smorest/Marshmallow → DRF, Flask-SocketIO → Channels).
pub const EXTENSION_HEAVY: Hours = Hours::new(12.0, 32.0);
/// CP107, per request hook or error handler (`before_request`, `after_request`,
/// `teardown_request`, `errorhandler`): becomes a middleware or a `handler404`-style view.
pub const REQUEST_HOOK: Hours = Hours::new(1.0, 2.5);

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 2: models
// ---------------------------------------------------------------------------------------------

/// CP201, per model that maps cleanly: write the Django model from the proposed field mapping,
/// `Meta.db_table` to keep the table, relations with `related_name`, queries of the model rewritten
/// to the Django ORM. Definitions are cheap in the measured ports; the query rewrite is the range.
pub const MODEL_CLEAN: Hours = Hours::new(1.25, 2.0);
/// CP202, per polymorphic model (single/joined table inheritance): Django offers abstract bases
/// and multi-table inheritance, neither is a drop-in for a discriminator column.
pub const MODEL_POLYMORPHIC: Hours = Hours::new(5.0, 10.0);
/// CP203, per model with a composite primary key: Django 5.2's `CompositePrimaryKey`, with its
/// limits (no admin, relations need care), or a surrogate key and a unique constraint.
pub const MODEL_COMPOSITE_PK: Hours = Hours::new(4.0, 8.0);
/// CP204, per model with SQLAlchemy event listeners: each becomes a Django signal receiver or a
/// `save()` override; the semantics differ (session-level vs instance-level, bulk operations skip
/// signals).
pub const MODEL_EVENTS: Hours = Hours::new(3.0, 6.0);
/// CP205, per field whose SQLAlchemy type has no direct Django field (PickleType, custom
/// TypeDecorator, unknown types): a custom field or a data change.
pub const FIELD_UNMAPPED: Hours = Hours::new(0.5, 2.0);
/// CP206, per Flask-Admin view: a `ModelAdmin` registration (often simpler than the original).
pub const ADMIN_VIEW: Hours = Hours::new(0.5, 1.5);
/// CP207, per model with another trait the scanner flagged (hybrid properties, custom types,
/// schemas, ...): needs a look before estimating precisely.
pub const MODEL_OTHER_TRAIT: Hours = Hours::new(1.0, 4.0);

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 3: migrations and data
// ---------------------------------------------------------------------------------------------

/// CP301, once per project: `makemigrations`, then `migrate --fake-initial` against the schema
/// Alembic (or `create_all`) built, checked table by table; Alembic history retired.
pub const MIGRATIONS_BASELINE: Hours = Hours::new(6.0, 12.0);
/// CP302, per table: the one-shot data migration that copies rows from the legacy schema into the
/// Django schema, with a verification query. Research: data, not definitions, is where the time
/// goes (one real port spent ten days on one table plus a fix); the range assumes most tables are
/// plain copies.
pub const DATA_MIGRATION_TABLE: Hours = Hours::new(1.0, 1.75);
/// CP303, dual running: the guide runs both stacks against the same database for one to two
/// calendar weeks ([`DUAL_RUNNING_WEEKS`]); during that period half of every engineer's time
/// ([`DUAL_RUNNING_LOAD`]) goes to running both (deploys, monitoring, divergence fixes), the other
/// half to the endpoint cut-overs already counted in step 1. Its hours therefore scale with the team.
pub const DUAL_RUNNING_WEEKS: Hours = Hours::new(1.0, 2.0);
/// Share of each engineer's time the dual-running period takes (see [`DUAL_RUNNING_WEEKS`]).
pub const DUAL_RUNNING_LOAD: f64 = 0.5;

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 4: auth
// ---------------------------------------------------------------------------------------------

/// CP401, per auth system (Flask-Login, Flask-Security, Flask-JWT-Extended, Flask-HTTPAuth,
/// Authlib, ...): replaced by `django.contrib.auth` (or a Django package for tokens/OAuth). The
/// research names auth the single largest and most often deferred line item.
pub const AUTH_SYSTEM: Hours = Hours::new(12.0, 24.0);
/// CP402, once: a custom user model (`AbstractUser` subclass) because the Flask user model has
/// fields Django's default user lacks; password hashes need a compatible hasher.
pub const USER_MODEL: Hours = Hours::new(6.0, 12.0);
/// CP403, per protected route: the decorator or check becomes `login_required`,
/// `permission_required` or a mixin, and its test.
pub const PROTECTED_ROUTE: Hours = Hours::new(0.1, 0.2);
/// CP404, per auth hook (`user_loader`, `request_loader`, custom decorators, token loaders).
pub const AUTH_HOOK: Hours = Hours::new(1.0, 3.0);
/// CP405, once: the cut-over with both auth backends live and the cookie switched after the last
/// endpoint moved (the guide's advice).
pub const SESSION_CUTOVER: Hours = Hours::new(6.0, 12.0);

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 5: templates and forms
// ---------------------------------------------------------------------------------------------

/// CP501, per template kept on Django's Jinja2 backend: `url_for`, `get_flashed_messages`,
/// `g`, `config` and `request` usages adapted to the environment. Research: 0.3–0.7 day per
/// template including styling in small ports; keeping Jinja2 is much cheaper than that.
pub const TEMPLATE: Hours = Hours::new(0.3, 0.5);
/// CP502, per custom filter, template global, test or context processor: re-registered in the
/// Jinja2 `environment` callable or as a context processor.
pub const TEMPLATE_HELPER: Hours = Hours::new(1.0, 2.0);
/// CP503 (optional, not in totals), per template: conversion to the Django Template Language.
pub const TEMPLATE_DTL: Hours = Hours::new(1.0, 3.0);
/// CP504, per `render_template` call site: becomes `render(request, ...)`.
pub const TEMPLATE_RENDER: Hours = Hours::new(0.05, 0.15);
/// CP505, per WTForms/Flask-WTF form: a Django `Form`/`ModelForm` with its validators.
pub const FORM: Hours = Hours::new(1.0, 1.5);

// ---------------------------------------------------------------------------------------------
// Flask → Django, step 6: background jobs and CLI
// ---------------------------------------------------------------------------------------------

/// CP601, once: the Celery app moves to `proj/celery.py` with `config_from_object('django.conf:
/// settings', namespace='CELERY')`; the Flask app-context task base class goes away.
pub const CELERY_CONFIG: Hours = Hours::new(3.0, 6.0);
/// CP602, per Celery task: imports, app context and ORM calls inside the task.
pub const CELERY_TASK: Hours = Hours::new(0.5, 1.25);
/// CP603 (optional, not in totals), per task: moving a simple task to Django's tasks framework.
pub const DJANGO_TASKS_MOVE: Hours = Hours::new(0.5, 1.0);
/// CP604, per schedule (beat entry, APScheduler job, cron string).
pub const SCHEDULE: Hours = Hours::new(0.5, 1.5);
/// CP605, per Flask CLI (click) command: a management command. Research: about a fifth of the
/// commits of one measured port were CLI conversion.
pub const CLI_COMMAND: Hours = Hours::new(1.5, 3.0);
/// CP606, per job of another queue (RQ, Dramatiq, Huey, APScheduler, ...).
pub const OTHER_JOB: Hours = Hours::new(1.0, 2.5);

// ---------------------------------------------------------------------------------------------
// Django → Flask (one Django app extracted into a Flask service)
// ---------------------------------------------------------------------------------------------

/// CP702, once per service: the Flask application (factory, config, SQLAlchemy session,
/// blueprints, Dockerfile, CI, deployment) that will own the extracted models.
pub const SERVICE_SCAFFOLD: Hours = Hours::new(36.0, 52.0);
/// CP703, per model that moves: a SQLAlchemy model (the reverse mapping is mechanical; one measured
/// reverse port carried 15 of 15 models) plus the queries inside the app.
pub const SERVICE_MODEL: Hours = Hours::new(2.0, 3.0);
/// CP704, per route of the extracted app: a JSON endpoint in the Flask service.
pub const SERVICE_ROUTE: Hours = Hours::new(1.0, 1.5);
/// CP705, per Django admin registration of an extracted model: the admin does not follow;
/// replaced by Flask-Admin, an internal tool, or dropped.
pub const ADMIN_REPLACE: Hours = Hours::new(1.0, 3.0);
/// CP706, per signal receiver in or on the extracted app: becomes an event/webhook or a call.
pub const SIGNAL_REWRITE: Hours = Hours::new(2.0, 4.0);
/// CP707, per form or serializer of the extracted app: becomes a Marshmallow/Pydantic schema.
pub const FORM_TO_SCHEMA: Hours = Hours::new(1.0, 2.0);
/// CP708, per background job or management command of the extracted app.
pub const JOB_MOVE: Hours = Hours::new(1.0, 3.0);
/// CP710, per ORM call site elsewhere in the project that queries an extracted model: replaced by
/// a client-library call, with error handling for a network call that can fail.
pub const ORM_TO_HTTP: Hours = Hours::new(0.5, 1.0);
/// CP711, per client-library method implied by those call sites (model × operation).
pub const CLIENT_METHOD: Hours = Hours::new(2.0, 3.0);
/// CP720, per table that moves to the service's own schema or database (copy, verify, switch).
pub const TABLE_MOVE: Hours = Hours::new(2.0, 3.0);
/// CP721, per foreign-key edge crossing the new boundary: the constraint is dropped, the column
/// becomes an opaque id, joins become API calls, consistency becomes a design question. The
/// guide's 2–6 week spread is "depending on database coupling": this is where it comes from.
pub const FK_CROSSING: Hours = Hours::new(8.0, 14.0);
/// CP722, once: choosing and setting up the database strategy (own schema or database, or a
/// shared database during transition) plus the parallel run and cut-over of the service.
pub const DB_STRATEGY: Hours = Hours::new(32.0, 48.0);
/// CP730, once: service-to-service auth (HMAC-signed requests or JWT from the Django parent).
pub const SERVICE_AUTH: Hours = Hours::new(12.0, 20.0);
/// CP731, per protected route of the extracted app: its requirement re-expressed in the service.
pub const ROUTE_AUTH: Hours = Hours::new(0.25, 0.5);
/// CP732, once when the app serves end users: Flask-Login + Authlib or a gateway.
pub const PUBLIC_AUTH: Hours = Hours::new(20.0, 32.0);
/// CP740, per observability integration of the Django project (Sentry, Datadog, Prometheus,
/// New Relic, logging config): its OpenTelemetry (or Flask) replacement in the service.
pub const OBSERVABILITY: Hours = Hours::new(3.0, 6.0);
/// CP741, once: OpenTelemetry tracing, metrics and logs for the new service, propagated from the
/// parent.
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
            SERVICE_SCAFFOLD,
            SERVICE_MODEL,
            SERVICE_ROUTE,
            ADMIN_REPLACE,
            SIGNAL_REWRITE,
            FORM_TO_SCHEMA,
            JOB_MOVE,
            ORM_TO_HTTP,
            CLIENT_METHOD,
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
