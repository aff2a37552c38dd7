//! The rule registry: every plan item is a finding of one of these rules.
//!
//! Ids are stable (a CI gate counts and baselines findings by id): CP1xx routes, CP2xx models,
//! CP3xx migrations and data, CP4xx auth, CP5xx templates and forms, CP6xx jobs (Flask→Django);
//! CP7xx the Django→Flask extraction. Never renumber; retire an id instead of reusing it.
//!
//! Categories follow the vocabulary migration analysers already use (Konveyor, MTA, AppCAT):
//! **mandatory** (the migrated application does not work without the change), **optional** (works
//! without it; worth doing; never counted in the plan's totals) and **potential** (not enough is
//! known statically; someone has to look, and the effort is a placeholder range).

use crate::plan::effort::{self, Hours};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Mandatory,
    Optional,
    Potential,
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Category::Mandatory => "mandatory",
            Category::Optional => "optional",
            Category::Potential => "potential",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Direction {
    #[serde(rename = "flask->django")]
    FlaskToDjango,
    #[serde(rename = "django->flask")]
    DjangoToFlask,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::FlaskToDjango => "flask->django",
            Direction::DjangoToFlask => "django->flask",
        })
    }
}

/// One rule: what it finds, what it costs per item and why.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub category: Category,
    pub direction: Direction,
    /// The guide step (1-based) the rule's items belong to.
    pub step: u8,
    pub title: &'static str,
    /// What one item is ("route", "model", "project", ...).
    pub unit: &'static str,
    /// Engineer-hours per item (the constant in `plan::effort`); None when the cost is computed
    /// (dual running, extensions) or zero (ranking insights).
    pub effort: Option<Hours>,
    /// Which guide figure or research finding the number comes from.
    pub basis: &'static str,
    /// What the rule means and what the migration does about it.
    pub explanation: &'static str,
}

use Category::*;
use Direction::*;

const GUIDE_TOTAL: &str =
    "guide: 30,000-line Flask app = 4-8 weeks for two people (8-16 engineer-weeks)";
const GUIDE_EXTRACT: &str = "guide: one Django app into a Flask service = 2-6 weeks by database coupling (4-12 engineer-weeks)";

pub static RULES: &[Rule] = &[
    // ---------------------------------------------------------------- Flask -> Django, step 1
    Rule {
        id: "CP101",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 1,
        title: "Route to port into a Django URLconf",
        unit: "route",
        effort: Some(effort::ROUTE),
        basis: GUIDE_TOTAL,
        explanation: "A Flask route (decorator, add_url_rule, class-based view or REST resource) has to \
become an entry in the urls.py of the Django app that owns its resource, and its view function has to \
accept a request argument instead of reading the request global. The plan proposes the path() or \
re_path() form with the werkzeug converters translated, and the HTTP methods as a \
require_http_methods decorator (Django routes do not filter by method). The cost covers the view \
rewrite (request.args -> request.GET, jsonify -> JsonResponse, abort -> Http404) and its test.",
    },
    Rule {
        id: "CP102",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 1,
        title: "URL converter without a Django equivalent",
        unit: "route",
        effort: Some(effort::ROUTE_CONVERTER),
        basis: "research: converter gaps need a regex or a registered converter",
        explanation: "Django's path() knows str, int, slug, uuid and path. A werkzeug float or any \
converter, converter arguments such as int(min=1) or string(length=2), or a custom converter class \
have no direct counterpart: the route needs re_path() with a named group, or a converter class \
registered with register_converter(). This is charged on top of CP101 for the same route.",
    },
    Rule {
        id: "CP103",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 1,
        title: "url_for call site to rewrite",
        unit: "call site",
        effort: Some(effort::URL_FOR),
        basis: "mechanical rewrite; range covers endpoint renames and _external/_anchor arguments",
        explanation: "Every url_for() in Python code becomes django.urls.reverse() with the proposed \
'app:name' URL name and keyword arguments. Blueprint-relative endpoints ('.index') must be expanded \
to the namespaced name. The work is mechanical but touches many files, which is why it is counted \
per call site.",
    },
    Rule {
        id: "CP104",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 1,
        title: "Django app to create for a group of routes",
        unit: "app",
        effort: Some(effort::DJANGO_APP),
        basis: "guide step 1: each group of routes by resource becomes a Django app",
        explanation: "The guide groups routes by resource and turns each group into one Django app. \
crossport groups by blueprint first, then by the first URL segment, then by the view's module. Each \
proposed app needs startapp, an AppConfig, a urls.py with app_name for namespacing, an include() in \
the root URLconf and an INSTALLED_APPS entry.",
    },
    Rule {
        id: "CP105",
        category: Potential,
        direction: FlaskToDjango,
        step: 1,
        title: "Route whose URL could not be resolved statically",
        unit: "route",
        effort: Some(effort::ROUTE_UNRESOLVED),
        basis: "placeholder: the real rule must first be found by reading the code",
        explanation: "Part of the rule (a prefix from configuration, a computed string, a loop that \
registers routes) was not resolvable without running the code. Someone has to establish the real \
URL before the route can be ported; the range is a placeholder for that investigation.",
    },
    Rule {
        id: "CP106",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 1,
        title: "Flask extension to replace with its Django counterpart",
        unit: "extension",
        effort: None,
        basis: "per extension: 2-6 h for a like-for-like swap, 12-32 h when the programming model changes",
        explanation: "Flask extensions do not run inside Django. Most have a direct counterpart \
(Flask-Mail -> django.core.mail, Flask-Caching -> the cache framework, Flask-CORS -> \
django-cors-headers, Flask-Babel -> django i18n, Flask-Limiter -> django-ratelimit). REST \
extensions (Flask-RESTful, RESTX, Smorest, Marshmallow) usually become Django REST framework and \
Flask-SocketIO becomes Channels; those change the programming model and cost much more. Extensions \
covered by other steps (SQLAlchemy, Migrate, Login, WTF, Admin, Celery) are not counted here.",
    },
    Rule {
        id: "CP107",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 1,
        title: "Request hook or error handler to turn into middleware",
        unit: "hook",
        effort: Some(effort::REQUEST_HOOK),
        basis: "research: request lifecycle code (g, before_request) is a known migration trap",
        explanation: "before_request, after_request and teardown_request functions become Django \
middleware (or a view decorator when they apply to one blueprint); errorhandler functions become \
handler404/handler500 views or exception middleware. Anything stored on flask.g moves to request \
attributes.",
    },
    Rule {
        id: "CP108",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 1,
        title: "REST resource to rebuild with Django REST framework",
        unit: "route",
        effort: Some(effort::REST_RESOURCE),
        basis: "research 2.2: typed-API ports cost about twice as much per route",
        explanation: "A route served by a REST extension resource (Flask-RESTful, flask-restful-swagger-2, RESTX, \
Smorest), or any route under an `api` segment when such an extension is declared, carries parsing, \
validation and documentation the extension did. In Django REST framework \
that becomes a serializer and an APIView or viewset, and the API schema is generated again. \
Charged on top of CP101 for the same route.",
    },
    Rule {
        id: "CP109",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 1,
        title: "Route contract to keep for clients that do not move with the port",
        unit: "route",
        effort: None,
        basis: "incremental: guide step 3 (endpoints cut over while both stacks run); live-data: case anthias",
        explanation: "When the old stack is live, someone calls each route and will keep calling it: the other stack \
during an incremental cut-over, or devices, installed front ends and API clients nobody can update in \
lockstep. Each route's responses are pinned by a contract test before it moves and checked after. \
Big-bang ports have no such clients and pay nothing here.",
    },
    Rule {
        id: "CP110",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 1,
        title: "Django project to set up",
        unit: "project",
        effort: Some(effort::PROJECT_SCAFFOLD),
        basis: "cases bigcases2 and open-ledger: the project was set up on the first day",
        explanation: "The Django project itself: settings built from the Flask configuration (environment variables, \
secrets, database URL), manage.py, static files, logging and the requirements. Paid once, whatever \
the size.",
    },
    Rule {
        id: "CP111",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 1,
        title: "Existing tests to rewrite for Django",
        unit: "test",
        effort: Some(effort::TEST_REWRITE),
        basis: "cases regulations-core and anthias; research 2.3: tests are rewritten, not ported",
        explanation: "The repository's own tests use Flask's test client, app factory and fixtures. They are \
rewritten against Django's test client and database fixtures (one item per test file, priced per \
test). Tests of code that does not change (parsers, loaders) move as they are, which is why the \
per-test cost is small.",
    },
    // ---------------------------------------------------------------- Flask -> Django, step 2
    Rule {
        id: "CP201",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 2,
        title: "SQLAlchemy model to translate into a Django model",
        unit: "model",
        effort: Some(effort::MODEL_CLEAN),
        basis: "guide step 2: about 80 percent of declarative models map cleanly",
        explanation: "Every declarative model gets a Django model; one with ordinary columns and \
relationships translates field by field (the plan shows the proposed Django field for each column) \
and is counted as mapping cleanly. The guide's exceptions (CP202-CP204) add their cost on top of this \
one. Keep the table name with \
Meta.db_table so the data stays where it is, give reverse relations a related_name, and rewrite the \
model's queries (session.query / Model.query) to managers and querysets.",
    },
    Rule {
        id: "CP202",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 2,
        title: "Polymorphic (inheritance-mapped) model",
        unit: "model",
        effort: Some(effort::MODEL_POLYMORPHIC),
        basis: "guide step 2: polymorphic inheritance is one of the exceptions to the 80 percent",
        explanation: "Single- or joined-table inheritance with a discriminator (__mapper_args__ \
polymorphic_on / polymorphic_identity) has no drop-in Django form. Django offers abstract base \
classes (no shared table), multi-table inheritance (a join per child) and proxy models; picking one \
usually changes the schema, the queries that load mixed types, and the data migration.",
    },
    Rule {
        id: "CP203",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 2,
        title: "Model with a composite primary key",
        unit: "model",
        effort: Some(effort::MODEL_COMPOSITE_PK),
        basis: "guide step 2: composite primary keys are one of the exceptions (Django 5.2+ only)",
        explanation: "Django supports composite primary keys only since 5.2 (CompositePrimaryKey), and \
with limits: foreign keys to such a model, the admin and some generic views do not handle them. The \
alternative is a surrogate id plus a unique constraint, which is a schema change with its own data \
migration.",
    },
    Rule {
        id: "CP204",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 2,
        title: "SQLAlchemy events to rewrite as Django signals",
        unit: "model",
        effort: Some(effort::MODEL_EVENTS),
        basis: "guide step 2: heavy use of SQLAlchemy events is one of the exceptions",
        explanation: "Mapper and session event listeners (before_insert, after_update, \
before_flush, ...) become pre_save/post_save receivers or save() overrides. The semantics differ: \
session-level events have no Django equivalent, and bulk operations (update(), bulk_create) skip \
signals, so behaviour that relied on them must be checked call site by call site.",
    },
    Rule {
        id: "CP205",
        category: Potential,
        direction: FlaskToDjango,
        step: 2,
        title: "Column type without a direct Django field",
        unit: "field",
        effort: Some(effort::FIELD_UNMAPPED),
        basis: "placeholder: a custom field or a data change",
        explanation: "The column's SQLAlchemy type (PickleType, a custom TypeDecorator, a dialect type \
the mapping does not know) has no built-in Django field. It needs a custom Field subclass, a \
third-party field, or a change of storage with a data conversion.",
    },
    Rule {
        id: "CP206",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 2,
        title: "Flask-Admin view to register in the Django admin",
        unit: "admin view",
        effort: Some(effort::ADMIN_VIEW),
        basis: "Django's admin replaces Flask-Admin with less code",
        explanation: "Each Flask-Admin ModelView becomes a ModelAdmin registration; column lists, \
filters and search map to list_display, list_filter and search_fields. Custom Flask-Admin views \
(BaseView with templates) need an admin view or a staff-only page.",
    },
    Rule {
        id: "CP207",
        category: Potential,
        direction: FlaskToDjango,
        step: 2,
        title: "Model with another hard-to-port trait",
        unit: "model",
        effort: Some(effort::MODEL_OTHER_TRAIT),
        basis: "placeholder for traits outside the guide's three exceptions",
        explanation: "The scanner flagged something about this model that is neither inheritance, \
a composite key nor events (for example hybrid properties, custom types, schemas or versioning). \
Read the model before committing to an estimate.",
    },
    Rule {
        id: "CP208",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 2,
        title: "Table kept with raw SQL to give a Django model",
        unit: "table",
        effort: Some(effort::RAW_TABLE),
        basis: "case anthias: its one table was raw SQLite, with hand-written helpers",
        explanation: "The code creates and queries this table with SQL of its own (a CREATE TABLE string for sqlite3 \
or cursor.execute, or a SQLAlchemy Core Table no relationship maps). No model carries it across: \
it gets a Django model on the same table (Meta.db_table), and the SQL that reads and writes it is \
rewritten to the ORM.",
    },
    // ---------------------------------------------------------------- Flask -> Django, step 3
    Rule {
        id: "CP301",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 3,
        title: "Initial Django migrations against the existing schema",
        unit: "project",
        effort: Some(effort::MIGRATIONS_BASELINE),
        basis: "guide step 3: run makemigrations against the new models",
        explanation: "makemigrations produces the initial migrations of every new app; because the \
tables already exist (built by Alembic or create_all), they are applied with migrate --fake-initial \
after checking, table by table, that the generated schema matches the live one. The Alembic history \
is frozen and retired.",
    },
    Rule {
        id: "CP302",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 3,
        title: "One-shot data migration for a table",
        unit: "table",
        effort: Some(effort::DATA_MIGRATION_TABLE),
        basis: "guide step 3: a one-shot data migration copies rows into the Django schema; research: data is where the time goes",
        explanation: "Where the Django schema differs from the legacy one (renamed columns, new \
surrogate keys, split tables, the custom user model), rows are copied by a data migration with a \
verification query. The measured ports spent far more time on data than on model definitions, and \
the fast ones had no production data at all.",
    },
    Rule {
        id: "CP303",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 3,
        title: "Dual-running period",
        unit: "project",
        effort: None,
        basis: "guide: one week of dual running (step 3: one to two weeks), both stacks on one database",
        explanation: "Both stacks run against the same database while endpoints are cut over, behind \
a proxy that routes migrated URLs to Django. crossport counts one to two calendar weeks during which \
half of every engineer's time goes to running both systems (deploys, monitoring, fixing \
divergences); the cost therefore grows with the team size. Real incremental migrations often ran \
both stacks far longer than the guide's week.",
    },
    Rule {
        id: "CP304",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 3,
        title: "Table to migrate in place on every installation",
        unit: "table",
        effort: Some(effort::IN_PLACE_TABLE),
        basis: "case anthias: its one table, converted in place by the upgrade",
        explanation: "In live-data mode the data lives on installations the team does not control (devices, \
on-premises installs). The upgrade that ships the Django version converts each table in place: \
schema and rows, idempotent, tested on snapshots of old installations, because there is no second \
chance to copy it by hand.",
    },
    Rule {
        id: "CP305",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 3,
        title: "Atomic, reversible upgrade on installations",
        unit: "project",
        effort: Some(effort::UPGRADE_SAFETY),
        basis: "case anthias: about ten days on its data migration, then atomicity and backup/restore fixes",
        explanation: "An upgrade that fails halfway on a machine nobody can log in to must leave the old version \
working: a backup before migrating, an atomic switch, a restore path, and a check at start-up. The \
measured live-data port needed three follow-up fixes for exactly this.",
    },
    // ---------------------------------------------------------------- Flask -> Django, step 4
    Rule {
        id: "CP401",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 4,
        title: "Auth system to replace with django.contrib.auth",
        unit: "auth system",
        effort: Some(effort::AUTH_SYSTEM),
        basis: "guide step 4: replace Flask-Login with Django auth; research: auth is often the largest line item",
        explanation: "Flask-Login (or Flask-Security, Flask-JWT-Extended, Flask-HTTPAuth, Authlib, a \
home-grown session check) is replaced by django.contrib.auth: login and logout views, the session \
middleware, password hashing (existing hashes need a compatible hasher), and token or OAuth support \
from a Django package where the Flask app had it.",
    },
    Rule {
        id: "CP402",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 4,
        title: "Custom Django user model needed",
        unit: "user model",
        effort: Some(effort::USER_MODEL),
        basis: "Django's default User lacks fields of the Flask user model",
        explanation: "The Flask user model has fields Django's default User does not have. Define a \
custom user model (AbstractUser subclass) before the first migrate, since swapping it later is \
painful, and map the legacy password hashes to a Django hasher. Charged when accounts already exist \
(incremental, live-data); before launch the user is one more model, priced by CP201.",
    },
    Rule {
        id: "CP403",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 4,
        title: "Protected route",
        unit: "route",
        effort: Some(effort::PROTECTED_ROUTE),
        basis: "per-route decorator swap and test",
        explanation: "A route guarded by login_required, roles or permissions gets the Django \
equivalent (login_required, permission_required, user_passes_test, or a mixin on class-based \
views). Each one needs a test that the guard still holds after the port.",
    },
    Rule {
        id: "CP404",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 4,
        title: "Auth hook to port",
        unit: "hook",
        effort: Some(effort::AUTH_HOOK),
        basis: "per loader or custom auth decorator",
        explanation: "user_loader, request_loader, token loaders and custom auth decorators become an \
authentication backend, middleware or a decorator on Django's request.user.",
    },
    Rule {
        id: "CP405",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 4,
        title: "Session cut-over with both auth backends live",
        unit: "project",
        effort: Some(effort::SESSION_CUTOVER),
        basis: "guide step 4: keep both backends live and switch the cookie name after the last endpoint",
        explanation: "While both stacks serve traffic, a user logged in on one must stay logged in on \
the other: Django has to accept the Flask session (or a shared one) until every endpoint has moved, \
then the cookie name is switched. The research shows this cut-over is the part teams defer.",
    },
    Rule {
        id: "CP406",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 4,
        title: "Existing accounts to carry over",
        unit: "auth system",
        effort: Some(effort::ACCOUNTS_CARRY),
        basis: "research 2.3: the auth switch is large and often deferred",
        explanation: "Users who exist today must still log in after the port: password hashes kept through a \
compatible hasher, API tokens and remember-me cookies honoured. Charged when something is live \
(incremental, live-data); a big-bang port before launch has no accounts to keep.",
    },
    // ---------------------------------------------------------------- Flask -> Django, step 5
    Rule {
        id: "CP501",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 5,
        title: "Jinja2 template to run on Django's Jinja2 backend",
        unit: "template",
        effort: Some(effort::TEMPLATE),
        basis: "guide step 5: Jinja2 templates work with the Jinja2 backend in TEMPLATES",
        explanation: "Templates stay Jinja2: configure the Jinja2 backend in TEMPLATES with an \
environment callable, then fix what Flask injected implicitly: url_for, get_flashed_messages, g, \
config, request and session. Each template is checked once against those names.",
    },
    Rule {
        id: "CP502",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 5,
        title: "Template filter, global or context processor to re-register",
        unit: "helper",
        effort: Some(effort::TEMPLATE_HELPER),
        basis: "constructs that make template conversion harder",
        explanation: "Custom filters, tests, globals and context processors registered on the Flask \
app are re-registered in the Jinja2 environment callable (or as Django context processors). If the \
templates are later converted to DTL, each becomes a template tag or filter library.",
    },
    Rule {
        id: "CP503",
        category: Optional,
        direction: FlaskToDjango,
        step: 5,
        title: "Template that could be converted to the Django Template Language",
        unit: "template",
        effort: Some(effort::TEMPLATE_DTL),
        basis: "guide step 5: the conversion to DTL is optional; not counted in totals",
        explanation: "Converting to DTL gives tighter integration (the admin's widgets, template tags \
from Django packages) but is not needed for the migration. Macros, expressions with calls and \
custom filters make a template more expensive to convert. Optional: listed, never added to totals.",
    },
    Rule {
        id: "CP504",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 5,
        title: "render_template call site",
        unit: "call site",
        effort: Some(effort::TEMPLATE_RENDER),
        basis: "mechanical rewrite",
        explanation: "render_template(name, **context) becomes render(request, name, context); the \
view must have the request at hand, which class-based or helper-rendered views may not.",
    },
    Rule {
        id: "CP505",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 5,
        title: "WTForms form to rewrite as a Django form",
        unit: "form",
        effort: Some(effort::FORM),
        basis: "per form: fields, validators and CSRF handling",
        explanation: "A WTForms/Flask-WTF form becomes a Django Form or ModelForm; validators map to \
clean_<field> methods or validators, and CSRF moves to Django's middleware. Templates rendering the \
form's fields change with it.",
    },
    // ---------------------------------------------------------------- Flask -> Django, step 6
    Rule {
        id: "CP601",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 6,
        title: "Celery configuration to carry over",
        unit: "project",
        effort: Some(effort::CELERY_CONFIG),
        basis: "guide step 6: the same Celery configuration works inside Django",
        explanation: "The Celery app moves into the Django project (celery.py reading settings with \
the CELERY namespace, autodiscover_tasks). The Flask app-context task base class and any \
create_app() call inside the worker go away.",
    },
    Rule {
        id: "CP602",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 6,
        title: "Celery task to adapt",
        unit: "task",
        effort: Some(effort::CELERY_TASK),
        basis: "per task: imports, app context and ORM calls",
        explanation: "The task keeps its name and queue, but its body uses the Django ORM and \
settings instead of the Flask app, db.session and current_app.",
    },
    Rule {
        id: "CP603",
        category: Optional,
        direction: FlaskToDjango,
        step: 6,
        title: "Task that could move to Django's tasks framework",
        unit: "task",
        effort: Some(effort::DJANGO_TASKS_MOVE),
        basis: "guide step 6: many teams replace Celery for simple workloads; not counted in totals",
        explanation: "Django 6.0's tasks framework covers simple fire-and-forget work. A task that \
uses no Celery-specific features (retries with backoff, chords, routing, rate limits, beat) is a \
candidate. Optional: listed, never added to totals.",
    },
    Rule {
        id: "CP604",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 6,
        title: "Schedule to carry over",
        unit: "schedule",
        effort: Some(effort::SCHEDULE),
        basis: "per beat entry or scheduler job",
        explanation: "Periodic schedules (Celery beat, APScheduler, cron strings) move to the Django \
settings or django-celery-beat, and their jobs must run without a Flask app context.",
    },
    Rule {
        id: "CP605",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 6,
        title: "Flask CLI command to rewrite as a management command",
        unit: "command",
        effort: Some(effort::CLI_COMMAND),
        basis: "research: CLI conversion was about a fifth of one measured port",
        explanation: "click commands registered on the Flask app (@app.cli.command, app.cli.add_command(cmd), \
flask.cli.AppGroup) become \
Django management commands (BaseCommand with add_arguments/handle). Deploy scripts and cron entries \
calling 'flask <cmd>' change to 'manage.py <cmd>'.",
    },
    Rule {
        id: "CP606",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 6,
        title: "Job of another queue to adapt",
        unit: "job",
        effort: Some(effort::OTHER_JOB),
        basis: "per RQ, Dramatiq, Huey or APScheduler job",
        explanation: "Jobs of queues other than Celery keep their queue but lose the Flask app \
context; workers must call django.setup() and use the Django ORM.",
    },
    Rule {
        id: "CP607",
        category: Mandatory,
        direction: FlaskToDjango,
        step: 6,
        title: "Deployment file to switch to Django's entry points",
        unit: "file",
        effort: Some(effort::DEPLOY_FILE),
        basis: "research 2.3: servers and proxies changed with the framework; case bigcases2",
        explanation: "A file that builds, starts or fronts the application (Procfile, Dockerfile, compose file, \
gunicorn or uwsgi configuration, WSGI entry, systemd unit, nginx, fabfile) names the Flask app \
object, its module or its start command. Each is checked and switched to Django's WSGI or ASGI \
application, collectstatic and migrate.",
    },
    // ---------------------------------------------------------------- Django -> Flask
    Rule {
        id: "CP701",
        category: Potential,
        direction: DjangoToFlask,
        step: 1,
        title: "Django app ranked as an extraction candidate",
        unit: "app",
        effort: None,
        basis: "guide step 1: carve the app with the fewest foreign keys into the rest",
        explanation: "Each project-owned Django app is ranked by how entangled it is: foreign-key \
edges into it and out of it (from the model graph) and ORM call sites in other apps that use its \
models. The least coupled app with models is proposed first. Ranking items carry no effort; the \
chosen candidate's items (CP702-CP741) do.",
    },
    Rule {
        id: "CP702",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 1,
        title: "Flask service to stand up",
        unit: "service",
        effort: Some(effort::SERVICE_SCAFFOLD),
        basis: GUIDE_EXTRACT,
        explanation: "A new Flask application owns the extracted models and exposes them as a JSON \
API: application factory, configuration, SQLAlchemy session, blueprints, container image, CI and \
deployment.",
    },
    Rule {
        id: "CP703",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 1,
        title: "Django model to re-create in SQLAlchemy",
        unit: "model",
        effort: Some(effort::SERVICE_MODEL),
        basis: "research: a measured reverse port carried 15 of 15 models",
        explanation: "Each model of the extracted app becomes a SQLAlchemy declarative model on the \
same table, with Alembic taking over its migrations. Managers and custom querysets become query \
helpers.",
    },
    Rule {
        id: "CP704",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 1,
        title: "Route of the extracted app to serve from Flask",
        unit: "route",
        effort: Some(effort::SERVICE_ROUTE),
        basis: "per endpoint of the new JSON API",
        explanation: "The app's views become Flask endpoints returning JSON (templates, if any, stay \
with the parent or move with a front end).",
    },
    Rule {
        id: "CP705",
        category: Potential,
        direction: DjangoToFlask,
        step: 1,
        title: "Django admin registration that does not follow the models",
        unit: "registration",
        effort: Some(effort::ADMIN_REPLACE),
        basis: "the Django admin has no Flask equivalent out of the box",
        explanation: "Staff who edit these models in the Django admin lose that screen. Replace it \
with Flask-Admin, an internal tool calling the service, or drop it deliberately.",
    },
    Rule {
        id: "CP706",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 1,
        title: "Signal receiver crossing the new boundary",
        unit: "receiver",
        effort: Some(effort::SIGNAL_REWRITE),
        basis: "in-process signals cannot cross a process boundary",
        explanation: "A receiver in or on the extracted app runs in-process today. Once the models \
live in another service, it becomes an event (queue, webhook) or an explicit call.",
    },
    Rule {
        id: "CP707",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 1,
        title: "Form or serializer to rewrite as a schema",
        unit: "form",
        effort: Some(effort::FORM_TO_SCHEMA),
        basis: "per form/serializer: Marshmallow or Pydantic",
        explanation: "Django forms and DRF serializers of the extracted app become Marshmallow or \
Pydantic schemas validating the service's JSON input and output.",
    },
    Rule {
        id: "CP708",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 1,
        title: "Background job or management command that moves with the app",
        unit: "job",
        effort: Some(effort::JOB_MOVE),
        basis: "research: jobs and CLI tools are the hidden half of migrations",
        explanation: "Tasks and management commands defined in the extracted app move to the \
service (Celery worker or Flask CLI command) and must stop importing the Django project.",
    },
    Rule {
        id: "CP710",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 2,
        title: "ORM call to replace with an HTTP call",
        unit: "call site",
        effort: Some(effort::ORM_TO_HTTP),
        basis: "guide step 2: every ORM query of the carved-out models becomes an HTTP request",
        explanation: "Code elsewhere in the project that queries the extracted models through the ORM \
now calls the service through the client library, and must handle latency, failures and the loss \
of joins and transactions across the boundary.",
    },
    Rule {
        id: "CP711",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 2,
        title: "Client-library method implied by the ORM calls",
        unit: "method",
        effort: Some(effort::CLIENT_METHOD),
        basis: "guide step 2: wrap the calls in a thin client library",
        explanation: "The call sites are grouped by model and operation (get, list, create, update, \
delete, other query); each group becomes one method of the thin client library with its endpoint in \
the service, and its tests.",
    },
    Rule {
        id: "CP712",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 2,
        title: "Django ORM query to rewrite for SQLAlchemy (whole project)",
        unit: "call site",
        effort: Some(effort::ORM_QUERY),
        basis: "research 2.2: a measured whole-backend port carried every model and its queries",
        explanation: "When the whole project moves to Flask (--whole-project) there is no parent left to \
call the new service, so queries are not replaced by HTTP calls: each Django ORM call (managers, \
querysets, related lookups) becomes a SQLAlchemy query or a helper on the model. Lazy loading, \
select_related and transactions behave differently and need a test each.",
    },
    Rule {
        id: "CP720",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 3,
        title: "Table that moves to the service",
        unit: "table",
        effort: Some(effort::TABLE_MOVE),
        basis: "guide step 3: most teams give the service its own schema or database",
        explanation: "The table moves into the service's own schema or database: copied, verified \
and switched, with the Django migrations for it retired (SeparateDatabaseAndState).",
    },
    Rule {
        id: "CP721",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 3,
        title: "Foreign key crossing the new boundary",
        unit: "foreign-key edge",
        effort: Some(effort::FK_CROSSING),
        basis: "guide: the 2-6 week spread depends on database coupling",
        explanation: "A foreign key between the extracted app and the rest of the project cannot be \
enforced across two databases. The column becomes an opaque id, joins become API calls, cascades \
become events, and someone has to decide what consistency is good enough. This is what moves an \
extraction from the guide's two weeks towards six.",
    },
    Rule {
        id: "CP722",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 3,
        title: "Database strategy, parallel run and cut-over",
        unit: "service",
        effort: Some(effort::DB_STRATEGY),
        basis: "guide step 3: own schema or database, or a shared database during transition",
        explanation: "Choosing between an own database (which keeps the bounded context honest) and a \
shared one during the transition, provisioning it, and the parallel run before the parent stops \
reading the old tables.",
    },
    Rule {
        id: "CP730",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 4,
        title: "Service-to-service auth",
        unit: "service",
        effort: Some(effort::SERVICE_AUTH),
        basis: "guide step 4: JWT or HMAC-signed requests from the parent for an internal service",
        explanation: "The parent signs its requests (HMAC) or sends a JWT; the service verifies them \
in a before_request hook. Key rotation and local development settings are part of it.",
    },
    Rule {
        id: "CP731",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 4,
        title: "Protected route whose requirement must be re-expressed",
        unit: "route",
        effort: Some(effort::ROUTE_AUTH),
        basis: "per route with an auth requirement in the extracted app",
        explanation: "login_required, permission classes or mixins on the app's views are re-expressed \
in the service: from claims in the token, or from the user identity the gateway passes on.",
    },
    Rule {
        id: "CP732",
        category: Potential,
        direction: DjangoToFlask,
        step: 4,
        title: "Public authentication for end users",
        unit: "service",
        effort: Some(effort::PUBLIC_AUTH),
        basis: "guide step 4: for a public service, Flask-Login plus Authlib or a gateway",
        explanation: "If the service will be reached by end users rather than only by the parent, it \
needs its own login (Flask-Login + Authlib) or an auth gateway in front of it. Potential: whether it \
is public is a product decision.",
    },
    Rule {
        id: "CP740",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 5,
        title: "Observability integration to replace with OpenTelemetry",
        unit: "integration",
        effort: Some(effort::OBSERVABILITY),
        basis: "guide step 5: Django-specific Sentry and Datadog setups do not transfer",
        explanation: "Django's Sentry integration, ddtrace's Django patching, django-prometheus, New \
Relic's Django hooks and the LOGGING setting do not carry over. The service gets the Flask or \
OpenTelemetry equivalent, and dashboards keyed on Django view names need new queries.",
    },
    Rule {
        id: "CP741",
        category: Mandatory,
        direction: DjangoToFlask,
        step: 5,
        title: "OpenTelemetry baseline for the new service",
        unit: "service",
        effort: Some(effort::OTEL_BASELINE),
        basis: "guide step 5: OpenTelemetry works for both frameworks",
        explanation: "Tracing, metrics and logs for the Flask service with context propagated from \
the Django parent, so one request can be followed across the new boundary.",
    },
];

/// The rule with this id (case-insensitive).
pub fn lookup(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// The rule with this id; panics on an unknown id (a programming error in the plan builders).
pub fn rule(id: &str) -> &'static Rule {
    lookup(id).unwrap_or_else(|| panic!("unknown rule {id}"))
}

/// `crossport explain ID`: the rule's meaning, its cost and where it sits in the guide.
pub fn explain(rule: &Rule) -> String {
    let mut o = String::new();
    o.push_str(&format!("{} {} [{}]\n", rule.id, rule.title, rule.category));
    let step = step_title(rule.direction, rule.step);
    o.push_str(&format!(
        "guide step: {} step {} ({})\n",
        rule.direction, rule.step, step
    ));
    match rule.effort {
        Some(h) => o.push_str(&format!(
            "effort:     {}-{} engineer-hours per {}\n",
            h.low, h.high, rule.unit
        )),
        None => o.push_str(&format!(
            "effort:     computed per {} (see below)\n",
            rule.unit
        )),
    }
    o.push_str(&format!("basis:      {}\n", rule.basis));
    o.push_str(&format!("source:     {}\n", effort::source(rule.id)));
    if rule.direction == DjangoToFlask {
        o.push_str("charged in: every cut-over (an extraction is priced the same in all modes)\n");
    }
    if rule.direction == FlaskToDjango {
        o.push_str(&format!(
            "charged in: {} cut-over{}\n",
            crate::plan::cutover::list(crate::plan::cutover::charged_in(rule.id)),
            if crate::plan::cutover::charged_in(rule.id).len() == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    o.push('\n');
    o.push_str(&wrap(rule.explanation, 78));
    if rule.id == "CP303" {
        o.push_str(&format!(
            "\nCost: {}-{} calendar weeks x team size x {} h x {} load (two people: {}-{} h).\n",
            effort::DUAL_RUNNING_WEEKS.low,
            effort::DUAL_RUNNING_WEEKS.high,
            effort::HOURS_PER_WEEK,
            effort::DUAL_RUNNING_LOAD,
            effort::dual_running(2).low,
            effort::dual_running(2).high
        ));
    }
    if rule.id == "CP109" {
        o.push_str(&format!(
            "\nCost: {}-{} h per route in incremental mode, {}-{} h in live-data mode.\n",
            effort::ROUTE_CONTRACT_INCREMENTAL.low,
            effort::ROUTE_CONTRACT_INCREMENTAL.high,
            effort::ROUTE_CONTRACT_LIVE.low,
            effort::ROUTE_CONTRACT_LIVE.high
        ));
    }
    if rule.id == "CP106" {
        o.push_str(&format!(
            "\nCost: {}-{} h for a like-for-like extension, {}-{} h for one that changes the programming model.\n",
            effort::EXTENSION_SIMPLE.low,
            effort::EXTENSION_SIMPLE.high,
            effort::EXTENSION_HEAVY.low,
            effort::EXTENSION_HEAVY.high
        ));
    }
    if rule.category == Category::Optional {
        o.push_str("\nOptional items are listed in the plan but never added to its totals.\n");
    }
    o.push_str("\nEngineer-hours are person-hours; the guide's weeks are read as calendar weeks of a two-person team.\n");
    o
}

/// The title of a guide step in a direction.
pub fn step_title(direction: Direction, step: u8) -> &'static str {
    match (direction, step) {
        (FlaskToDjango, 1) => "Map routes into Django apps",
        (FlaskToDjango, 2) => "Translate models",
        (FlaskToDjango, 3) => "Generate migrations, copy data, run both stacks",
        (FlaskToDjango, 4) => "Replace Flask auth with django.contrib.auth",
        (FlaskToDjango, 5) => "Move templates (and forms)",
        (FlaskToDjango, 6) => "Cut over background jobs, CLI commands and deployment",
        (DjangoToFlask, 1) => "Carve a bounded context",
        (DjangoToFlask, 2) => "Replace ORM calls with HTTP calls in the parent",
        (DjangoToFlask, 3) => "Pick a database strategy",
        (DjangoToFlask, 4) => "Reimplement auth",
        (DjangoToFlask, 5) => "Set up observability separately",
        _ => "unknown step",
    }
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A stable fingerprint for a finding: FNV-1a 64 over rule, path and the normalised construct
/// text (whitespace collapsed, no line numbers), so moving code does not make a finding "new".
pub fn fingerprint(rule: &str, path: &str, construct: &str) -> String {
    let norm: Vec<&str> = construct.split_whitespace().collect();
    let seed = format!("{rule}\u{1f}{path}\u{1f}{}", norm.join(" "));
    let mut h: u64 = 0xcbf29ce484222325;
    for b in seed.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_and_explained() {
        let mut prev = "";
        for r in RULES {
            assert!(r.id > prev, "{} out of order", r.id);
            prev = r.id;
            assert!(r.id.len() == 5 && r.id.starts_with("CP"));
            assert!(r.explanation.len() > 80, "{}", r.id);
            assert!(!r.title.is_empty() && !r.basis.is_empty() && !r.unit.is_empty());
            assert_ne!(step_title(r.direction, r.step), "unknown step", "{}", r.id);
            let e = explain(r);
            assert!(e.contains(r.id) && e.contains("guide step"));
            // Id groups match directions.
            let group = &r.id[2..3];
            match r.direction {
                FlaskToDjango => assert!("123456".contains(group), "{}", r.id),
                DjangoToFlask => assert_eq!(group, "7", "{}", r.id),
            }
        }
    }

    #[test]
    fn lookup_is_case_insensitive() {
        assert_eq!(lookup("cp101").unwrap().id, "CP101");
        assert!(lookup("CP999").is_none());
    }

    #[test]
    fn fingerprint_ignores_whitespace_and_is_stable() {
        let a = fingerprint("CP101", "app/views.py", "GET  /users/<int:id>");
        let b = fingerprint("CP101", "app/views.py", "GET /users/<int:id>");
        assert_eq!(a, b);
        assert_ne!(
            a,
            fingerprint("CP101", "app/other.py", "GET /users/<int:id>")
        );
        assert_eq!(a.len(), 16);
    }
}
