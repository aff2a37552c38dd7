//! The migration plan: snapshots for a Flask and a Django inventory in both directions,
//! determinism, the calibration against the guide's figures, and `crossport explain`.

use crossport::inventory::*;
use crossport::plan::cutover::Mode;
use crossport::plan::{self, PlanOptions, effort};
use crossport::rules::{self, Direction};
use std::process::Command;

fn load(name: &str) -> Inventory {
    let path = format!("{}/tests/plan_inputs/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn plan_json(inv: &Inventory, direction: Option<Direction>) -> String {
    let p = plan::build(
        inv,
        &PlanOptions {
            direction,
            ..Default::default()
        },
    );
    plan::render_json(&p).unwrap()
}

#[test]
fn snapshot_flask_to_django() {
    let inv = load("flask_forum.json");
    assert_eq!(plan::default_direction(&inv), Direction::FlaskToDjango);
    insta::assert_snapshot!(plan_json(&inv, None));
}

#[test]
fn snapshot_flask_inventory_to_flask() {
    // The reverse direction on a Flask inventory: no Django apps, so nothing is costed but the
    // plan is still well-formed.
    let inv = load("flask_forum.json");
    insta::assert_snapshot!(plan_json(&inv, Some(Direction::DjangoToFlask)));
}

#[test]
fn snapshot_django_to_flask() {
    let inv = load("django_shop.json");
    assert_eq!(plan::default_direction(&inv), Direction::DjangoToFlask);
    insta::assert_snapshot!(plan_json(&inv, None));
}

#[test]
fn snapshot_django_inventory_to_django() {
    let inv = load("django_shop.json");
    insta::assert_snapshot!(plan_json(&inv, Some(Direction::FlaskToDjango)));
}

#[test]
fn snapshot_flask_text() {
    let inv = load("flask_forum.json");
    let p = plan::build(&inv, &PlanOptions::default());
    insta::assert_snapshot!(plan::text::render(&p, false));
}

#[test]
fn snapshot_django_text() {
    let inv = load("django_shop.json");
    let p = plan::build(&inv, &PlanOptions::default());
    insta::assert_snapshot!(plan::text::render(&p, false));
}

#[test]
fn plan_items_are_consistent() {
    for (name, dir) in [
        ("flask_forum.json", Direction::FlaskToDjango),
        ("django_shop.json", Direction::DjangoToFlask),
    ] {
        let p = plan::build(&load(name), &PlanOptions::default());
        assert_eq!(p.direction, dir);
        assert_eq!(p.schema_version, 1);
        let n = match dir {
            Direction::FlaskToDjango => 6,
            Direction::DjangoToFlask => 5,
        };
        assert_eq!(p.steps.len(), n);
        let mut total = 0.0;
        for (i, s) in p.steps.iter().enumerate() {
            assert_eq!(s.number as usize, i + 1);
            assert!(
                !s.basis.is_empty() && !s.summary.is_empty(),
                "{name} step {i}"
            );
            let mut sum = 0.0;
            for it in &s.items {
                let r = rules::lookup(&it.rule).expect("item from a registered rule");
                assert_eq!(r.step, s.number, "{} in step {}", it.rule, s.number);
                assert_eq!(r.direction, dir);
                assert_eq!(r.category, it.category);
                assert!(it.effort_hours.low <= it.effort_hours.high);
                if r.category != rules::Category::Optional {
                    sum += it.effort_hours.low;
                }
            }
            assert!((sum - s.effort_hours.low).abs() < 0.05);
            total += s.effort_hours.low;
        }
        // Steps add up to the work; the total adds coordination for the team on top.
        assert!((total - p.total.work_hours.low).abs() < 0.05);
        let with_coordination = p.total.work_hours.low + p.total.coordination_hours.low;
        assert!((with_coordination - p.total.effort_hours.low).abs() < 0.05);
        assert!(p.total.team_size < 2 || p.total.coordination_hours.low > 0.0 || total == 0.0);
    }
}

#[test]
fn flask_plan_contents() {
    // Sized as a large application, so that routes are grouped into several apps.
    let mut inv = load("flask_forum.json");
    inv.stats.lines = 50_000;
    // Incremental: every rule of the guide's path applies.
    let p = plan::build(
        &inv,
        &PlanOptions {
            cutover: Some(Mode::Incremental),
            ..Default::default()
        },
    );
    let items: Vec<_> = p.steps.iter().flat_map(|s| &s.items).collect();
    let has = |rule: &str, needle: &str| {
        items.iter().any(|i| {
            i.rule == rule
                && (i.message.contains(needle) || i.detail.values().any(|v| v.contains(needle)))
        })
    };
    assert!(has(
        "CP101",
        "path('forum/<int:forum_id>', views.view_forum, name='view_forum')"
    ));
    assert!(has("CP101", "@require_http_methods([\"GET\", \"POST\"])"));
    assert!(has("CP101", "path('u/<str:username>'"));
    assert!(has("CP101", "path('api/users/<uuid:u>'"));
    assert!(has("CP102", "float"));
    assert!(has("CP102", "any(hot, new)"));
    assert!(has("CP103", "reverse('forum:view_forum')"));
    assert!(has("CP103", "reverse('forum:index')"));
    assert!(has("CP104", "`forum`"));
    assert!(has("CP104", "`users`") || has("CP104", "`u`"));
    assert!(has("CP105", "{PREFIX}/health"));
    assert!(has("CP106", "Django REST framework"));
    assert!(has("CP107", "load_locale"));
    assert!(has("CP202", "Topic"));
    assert!(has("CP203", "TopicTag"));
    assert!(has("CP204", "Post"));
    assert!(has("CP205", "PickleType"));
    assert!(has("CP201", "CharField(max_length=80)"));
    assert!(has("CP402", "avatar"));
    assert!(has("CP401", "flask_jwt_extended"));
    assert!(has("CP403", "/auth/logout"));
    assert!(has("CP502", "markdown"));
    assert!(has("CP505", "LoginForm"));
    assert!(has("CP604", "crontab"));
    assert!(has("CP605", "create-admin"));
    // The static route and the abstract model are not items.
    assert!(!items.iter().any(|i| i.message.contains("/static/")));
    assert!(!has("CP201", "Base ("));
    // Clean share is reported beside the guide's 80%.
    assert!(p.steps[1].summary.contains("the guide says about 80%"));
    // Fingerprints are unique per construct within this plan.
    let mut fps: Vec<_> = items.iter().map(|i| (&i.rule, &i.fingerprint)).collect();
    let n = fps.len();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), n);
}

#[test]
fn django_plan_ranks_and_costs_the_least_coupled_app() {
    let inv = load("django_shop.json");
    let ranked = plan::django_to_flask::rank(&inv);
    let labels: Vec<_> = ranked.iter().map(|c| c.label.as_str()).collect();
    // shop: 1 FK in, 2 ORM calls elsewhere; notifications: 1 FK out, 3 calls elsewhere;
    // orders: 2 FKs out, 1 call elsewhere; project has no models and ranks last.
    assert_eq!(labels.last(), Some(&"project"));
    let p = plan::build(&inv, &PlanOptions::default());
    let chosen = &ranked[0].label;
    assert!(p.steps[0].summary.contains(&format!("planned: `{chosen}`")));
    // Explicit choice.
    let p = plan::build(
        &inv,
        &PlanOptions {
            app: Some("notifications".into()),
            ..Default::default()
        },
    );
    let items: Vec<_> = p.steps.iter().flat_map(|s| &s.items).collect();
    let has = |rule: &str, needle: &str| {
        items
            .iter()
            .any(|i| i.rule == rule && i.message.contains(needle))
    };
    assert!(has(
        "CP710",
        "Notification.objects.create -> client.notification_create"
    ));
    assert!(!has("CP710", "notifications/views.py")); // calls inside the app stay
    assert!(has("CP711", "client.notification_list() for 1 call sites"));
    assert!(has("CP721", "notifications -> auth: 1 foreign key"));
    assert!(has("CP740", "Sentry"));
    assert!(has("CP740", "Datadog"));
    assert!(has("CP740", "LOGGING"));
    assert!(has("CP706", "order_placed_notify"));
    assert!(has("CP708", "send_digest"));
    assert!(has("CP705", "Notification"));
    assert!(has("CP732", "logged-in"));
}

#[test]
fn deterministic_whatever_the_input_order() {
    let a = load("flask_forum.json");
    let mut b = load("flask_forum.json");
    b.routes.reverse();
    b.models.reverse();
    b.call_sites.reverse();
    b.templates.reverse();
    b.signals.reverse();
    b.jobs.reverse();
    assert_eq!(plan_json(&a, None), plan_json(&b, None));
    let a = load("django_shop.json");
    let mut b = load("django_shop.json");
    b.apps.reverse();
    b.app_edges.reverse();
    b.call_sites.reverse();
    b.models.reverse();
    assert_eq!(plan_json(&a, None), plan_json(&b, None));
}

// ------------------------------------------------------------------------------------------
// Calibration against the guide's figures
// ------------------------------------------------------------------------------------------

fn f(name: &str, t: &str) -> Field {
    Field {
        name: name.into(),
        r#type: t.into(),
        pk: name == "id",
        ..Default::default()
    }
}

/// A synthetic "typical" 30,000-line Flask application: 120 routes in 5 blueprints (80 behind
/// login), 240 url_for calls, 30 models (24 plain, 2 polymorphic, 2 composite keys, 2 with
/// events: the guide's 80%), Flask-Login with a user loader and a user model with extra fields,
/// 50 templates with 4 filters/context processors and 60 render calls, 20 WTForms forms,
/// 8 Celery tasks (2 scheduled), 4 CLI commands, Flask-Mail and Flask-Caching, 3 request hooks.
pub fn typical_flask_30k() -> Inventory {
    let mut inv = Inventory::new("synthetic-30k".into());
    inv.frameworks.push(Framework {
        name: "flask".into(),
        version_spec: None,
        evidence: "synthetic".into(),
    });
    inv.stats.lines = 30_000;
    inv.stats.python_files = 180;
    let bps = ["accounts", "billing", "dashboard", "reports", "admin_ui"];
    for i in 0..120 {
        let bp = bps[i % bps.len()];
        let rule = if i % 3 == 0 {
            format!("/{bp}/item{i}/<int:id>")
        } else {
            format!("/{bp}/page{i}")
        };
        inv.routes.push(Route {
            rule,
            methods: if i % 4 == 0 {
                vec!["GET".into(), "POST".into()]
            } else {
                vec!["GET".into()]
            },
            endpoint: Some(format!("{bp}.view{i}")),
            view: Some(format!("app.{bp}.views.view{i}")),
            file: format!("app/{bp}/views.py"),
            line: 10 + i as u32 * 10,
            auth: if i % 3 != 2 {
                vec!["login_required".into()]
            } else {
                vec![]
            },
            resolved: true,
            group: Some(bp.into()),
            kind: "decorator".into(),
            ..Default::default()
        });
    }
    for i in 0..240 {
        let bp = bps[i % bps.len()];
        inv.call_sites.push(CallRef {
            kind: "flask.url_for".into(),
            target: Some(format!("{bp}.view{}", i % 120)),
            file: format!("app/{bp}/views.py"),
            line: 2000 + i as u32,
        });
    }
    for i in 0..30 {
        let traits = match i {
            0 | 1 => vec!["polymorphic".to_string()],
            2 | 3 => vec!["composite_pk".to_string()],
            4 | 5 => vec!["events".to_string()],
            _ => vec![],
        };
        let name = if i == 6 {
            "User".to_string()
        } else {
            format!("Model{i}")
        };
        let mut fields = vec![
            f("id", "Integer"),
            f("name", "String(80)"),
            f("created", "DateTime"),
            f("body", "Text"),
            f("active", "Boolean"),
            f("amount", "Numeric(10, 2)"),
        ];
        if i == 6 {
            fields.push(f("avatar_url", "String(255)"));
        }
        inv.models.push(Model {
            name,
            module: "app.models".into(),
            table: Some(format!("t{i}")),
            file: "app/models.py".into(),
            line: 10 + i * 20,
            orm: "sqlalchemy".into(),
            fields,
            traits,
            ..Default::default()
        });
    }
    inv.auth.push(AuthItem {
        system: "flask_login".into(),
        kind: "user_loader".into(),
        name: "load_user".into(),
        file: "app/auth.py".into(),
        line: 5,
        detail: None,
    });
    for i in 0..50 {
        inv.templates.push(Template {
            name: format!("t{i}.html"),
            file: format!("app/templates/t{i}.html"),
            line: 1,
            kind: "file".into(),
        });
    }
    for i in 0..60 {
        inv.call_sites.push(CallRef {
            kind: "flask.template".into(),
            target: Some(format!("t{}.html", i % 50)),
            file: "app/views.py".into(),
            line: 100 + i,
        });
    }
    for (i, k) in [
        "template_filter",
        "template_filter",
        "template_global",
        "context_processor",
    ]
    .iter()
    .enumerate()
    {
        inv.signals.push(Signal {
            kind: k.to_string(),
            name: format!("helper{i}"),
            target: None,
            file: "app/helpers.py".into(),
            line: 10 + i as u32,
        });
    }
    for (i, k) in ["before_request", "after_request", "errorhandler"]
        .iter()
        .enumerate()
    {
        inv.signals.push(Signal {
            kind: k.to_string(),
            name: format!("hook{i}"),
            target: None,
            file: "app/__init__.py".into(),
            line: 50 + i as u32,
        });
    }
    for i in 0..20 {
        inv.forms.push(Form {
            name: format!("Form{i}"),
            module: "app.forms".into(),
            kind: "wtforms".into(),
            fields: vec!["a".into(), "b".into(), "c".into()],
            file: "app/forms.py".into(),
            line: 10 + i * 10,
        });
    }
    for i in 0..8 {
        inv.jobs.push(Job {
            name: format!("app.tasks.task{i}"),
            kind: "celery".into(),
            function: None,
            file: "app/tasks.py".into(),
            line: 10 + i * 10,
            schedule: (i < 2).then(|| "crontab()".to_string()),
        });
    }
    for i in 0..4 {
        inv.jobs.push(Job {
            name: format!("cmd{i}"),
            kind: "flask_cli".into(),
            function: None,
            file: "app/cli.py".into(),
            line: 10 + i * 10,
            schedule: None,
        });
    }
    for e in [
        "flask-login",
        "flask-mail",
        "flask-caching",
        "flask-sqlalchemy",
        "flask-wtf",
    ] {
        inv.extensions.push(Extension {
            name: e.into(),
            purpose: String::new(),
            evidence: "requirements.txt".into(),
        });
    }
    inv.migrations.push(MigrationSet {
        tool: "alembic".into(),
        path: "migrations".into(),
        app: None,
        count: 40,
    });
    inv.finalize();
    inv
}

#[test]
fn calibration_typical_flask_app() {
    let inv = typical_flask_30k();
    // The guide's reference is an incremental migration (one week of dual running).
    let p = plan::build(
        &inv,
        &PlanOptions {
            cutover: Some(Mode::Incremental),
            ..Default::default()
        },
    );
    for s in &p.steps {
        eprintln!(
            "step {} {:<50} {:>7.1}-{:>7.1} h",
            s.number, s.title, s.effort_hours.low, s.effort_hours.high
        );
    }
    let cw = p.total.calendar_weeks;
    eprintln!(
        "total {:.1}-{:.1} h = {:.2}-{:.2} engineer-weeks = {:.2}-{:.2} calendar weeks (team 2)",
        p.total.effort_hours.low,
        p.total.effort_hours.high,
        p.total.engineer_weeks.low,
        p.total.engineer_weeks.high,
        cw.low,
        cw.high
    );
    // The guide: 4-8 weeks for a two-person team, one week of dual running.
    assert!(cw.low >= 4.0 && cw.high <= 8.0, "{cw:?}");
    assert_eq!(p.calibration.verdict, "inside");
    // The model share matches the guide's 80%.
    assert!(
        p.steps[1].summary.contains("24 map cleanly (80%"),
        "{}",
        p.steps[1].summary
    );
    // A bigger team finishes sooner in calendar time but spends more (dual running,
    // coordination); a half-time team takes twice the calendar time for the same effort.
    let p4 = plan::build(
        &inv,
        &PlanOptions {
            team_size: 4,
            cutover: Some(Mode::Incremental),
            ..Default::default()
        },
    );
    assert!(p4.total.calendar_weeks.high < cw.high);
    assert!(p4.total.effort_hours.high > p.total.effort_hours.high);
    assert!(p4.total.coordination_hours.high > p.total.coordination_hours.high);
    let half = plan::build(
        &inv,
        &PlanOptions {
            cutover: Some(Mode::Incremental),
            availability: 0.5,
            ..Default::default()
        },
    );
    assert_eq!(half.total.effort_hours, p.total.effort_hours);
    assert!((half.total.calendar_weeks.high - 2.0 * cw.high).abs() < 0.02);
    // The plan states every mode: big-bang drops dual running, the data copy, the baseline and
    // the session cut-over; live-data migrates the 30 tables in place instead.
    let total_of = |m: Mode| {
        p.cutover
            .modes
            .iter()
            .find(|t| t.mode == m)
            .unwrap()
            .effort_hours
    };
    assert_eq!(p.cutover.modes.len(), 3);
    assert_eq!(total_of(Mode::Incremental), p.total.effort_hours);
    let bb_total = total_of(Mode::BigBang);
    assert!(bb_total.low < p.total.effort_hours.low && bb_total.high < p.total.effort_hours.high);
    assert!(total_of(Mode::LiveData).low > bb_total.low);
    let rules_in = |p: &plan::Plan| -> Vec<String> {
        p.steps
            .iter()
            .flat_map(|s| &s.items)
            .map(|i| i.rule.clone())
            .collect()
    };
    let bb = plan::build(
        &inv,
        &PlanOptions {
            cutover: Some(Mode::BigBang),
            ..Default::default()
        },
    );
    for r in ["CP301", "CP302", "CP303", "CP405", "CP109", "CP406"] {
        assert!(rules_in(&p).contains(&r.to_string()), "{r} in incremental");
        assert!(
            !rules_in(&bb).contains(&r.to_string()),
            "{r} not in big-bang"
        );
    }
    assert_eq!(bb.cutover.source, "--cutover");
    assert_eq!(
        p.cutover.inferred,
        Mode::BigBang,
        "no deployment files: nothing live"
    );
}

#[test]
fn partial_scope_ports_only_what_is_named() {
    let inv = typical_flask_30k();
    let all = plan::build(&inv, &PlanOptions::default());
    let part = plan::build(
        &inv,
        &PlanOptions {
            only: vec!["billing".into(), "Model7".into()],
            ..Default::default()
        },
    );
    assert_eq!(count(&all, "CP101"), 120);
    assert_eq!(count(&part, "CP101"), 24, "the billing routes only");
    assert_eq!(count(&part, "CP201"), 1, "Model7 only");
    assert!(part.total.effort_hours.high < all.total.effort_hours.high);
    assert!(part.assumptions.iter().any(|a| a.contains("Partial scope")));
}

/// A Django project with one app to extract, coupled by `fks` foreign keys and `calls` ORM call
/// sites elsewhere.
fn extraction(models: usize, routes: usize, fks: usize, calls: usize) -> Inventory {
    let mut inv = Inventory::new("synthetic-django".into());
    inv.frameworks.push(Framework {
        name: "django".into(),
        version_spec: None,
        evidence: "synthetic".into(),
    });
    for (name, own) in [("billing", true), ("core", true)] {
        inv.apps.push(App {
            name: name.into(),
            module: Some(name.into()),
            own,
            models: 0,
            routes: 0,
            ..Default::default()
        });
    }
    for i in 0..models {
        inv.models.push(Model {
            name: format!("Bill{i}"),
            module: "billing.models".into(),
            file: "billing/models.py".into(),
            line: 10 + i as u32 * 10,
            orm: "django".into(),
            app_label: Some("billing".into()),
            ..Default::default()
        });
    }
    for i in 0..40 {
        inv.models.push(Model {
            name: format!("Core{i}"),
            module: "core.models".into(),
            file: "core/models.py".into(),
            line: 10 + i * 10,
            orm: "django".into(),
            app_label: Some("core".into()),
            ..Default::default()
        });
    }
    for i in 0..routes {
        inv.routes.push(Route {
            rule: format!("billing/r{i}/"),
            view: Some(format!("billing.views.v{i}")),
            file: "billing/urls.py".into(),
            line: 5 + i as u32,
            auth: if i % 2 == 0 {
                vec!["login_required".into()]
            } else {
                vec![]
            },
            group: Some("billing".into()),
            kind: "path".into(),
            resolved: true,
            ..Default::default()
        });
    }
    if fks > 0 {
        inv.app_edges.push(AppEdge {
            from: "billing".into(),
            to: "core".into(),
            count: fks.div_ceil(2),
        });
        if fks / 2 > 0 {
            inv.app_edges.push(AppEdge {
                from: "core".into(),
                to: "billing".into(),
                count: fks / 2,
            });
        }
    }
    for i in 0..calls {
        inv.call_sites.push(CallRef {
            kind: "django.orm".into(),
            target: Some(format!(
                "Bill{}.objects.{}",
                i % models,
                ["filter", "get", "create", "update"][i % 4]
            )),
            file: format!("core/views{}.py", i % 5),
            line: 10 + i as u32,
        });
    }
    inv.dependencies.push(Dependency {
        name: "sentry-sdk".into(),
        spec: None,
        file: "requirements.txt".into(),
        line: 2,
    });
    inv.settings.push(Setting {
        name: "LOGGING".into(),
        value: None,
        file: "settings.py".into(),
        line: 1,
    });
    inv.finalize();
    inv
}

#[test]
fn calibration_extraction() {
    // Loosely coupled: 4 models, 8 routes, 1 FK, 10 ORM calls elsewhere -> near the guide's 2 weeks.
    // Tightly coupled: 8 models, 16 routes, 6 FKs, 50 ORM calls elsewhere -> near 6 weeks.
    let mut prev_high = 0.0;
    for (name, inv) in [
        ("loose", extraction(4, 8, 1, 10)),
        ("medium", extraction(6, 12, 3, 25)),
        ("tight", extraction(8, 16, 6, 50)),
    ] {
        let p = plan::build(
            &inv,
            &PlanOptions {
                app: Some("billing".into()),
                ..Default::default()
            },
        );
        let cw = p.total.calendar_weeks;
        eprintln!(
            "{name}: {:.0}-{:.0} h = {:.2}-{:.2} calendar weeks for two",
            p.total.effort_hours.low, p.total.effort_hours.high, cw.low, cw.high
        );
        assert!(cw.low >= 2.0 && cw.high <= 6.0, "{name}: {cw:?}");
        assert!(cw.high > prev_high);
        prev_high = cw.high;
    }
}

#[test]
fn whole_django_project_to_flask() {
    let mut inv = extraction(4, 8, 3, 10);
    inv.call_sites.push(CallRef {
        kind: "django.orm".into(),
        target: Some("Bill0.objects.filter".into()),
        file: "billing/views.py".into(),
        line: 3,
    });
    let one = plan::build(&inv, &PlanOptions::default());
    let whole = plan::build(
        &inv,
        &PlanOptions {
            direction: Some(Direction::DjangoToFlask),
            whole_project: true,
            ..Default::default()
        },
    );
    // Every model of both apps moves; nothing crosses a boundary or goes over HTTP.
    assert_eq!(count(&whole, "CP703"), 44);
    assert_eq!(count(&one, "CP703"), 4);
    for r in ["CP710", "CP711", "CP720", "CP721", "CP730"] {
        assert_eq!(count(&whole, r), 0, "{r}");
    }
    assert!(
        count(&whole, "CP712") >= 11,
        "every ORM call becomes a SQLAlchemy query"
    );
    assert_eq!(count(&whole, "CP702"), 1);
    assert!(
        whole
            .assumptions
            .iter()
            .any(|a| a.contains("--whole-project"))
    );
}

#[test]
fn calibration_reads_weeks_consistently() {
    assert_eq!(
        effort::GUIDE_FLASK_TO_DJANGO_ENGINEER_WEEKS,
        effort::Hours::new(4.0 * effort::REFERENCE_TEAM, 8.0 * effort::REFERENCE_TEAM)
    );
    assert_eq!(
        effort::GUIDE_EXTRACTION_ENGINEER_WEEKS,
        effort::Hours::new(2.0 * effort::REFERENCE_TEAM, 6.0 * effort::REFERENCE_TEAM)
    );
    let p = plan::build(&typical_flask_30k(), &PlanOptions::default());
    assert!(p.total.reading.contains("person-weeks"));
    assert!(
        p.assumptions
            .iter()
            .any(|a| a.contains("calendar weeks of its two-person"))
    );
}

// ------------------------------------------------------------------------------------------
// CLI: explain
// ------------------------------------------------------------------------------------------

#[test]
fn explain_every_rule() {
    for r in rules::RULES {
        assert!(!r.explanation.trim().is_empty(), "{}", r.id);
        let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
            .args(["explain", &r.id.to_ascii_lowercase()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", r.id);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with(r.id), "{text}");
        assert!(
            text.contains("guide step:") && text.contains("effort:") && text.contains("basis:")
        );
    }
}

#[test]
fn explain_unknown_rule_lists_ids() {
    let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
        .args(["explain", "CP999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown rule") && err.contains("CP101") && err.contains("CP741"));
}

#[test]
fn plan_cli_runs_on_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/x/<int:id>')\ndef x(id):\n    return 'x'\n",
    )
    .unwrap();
    for fmt in ["text", "json"] {
        let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
            .args(["plan", dir.path().to_str().unwrap(), "--format", fmt, "-q"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        if fmt == "json" {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["schema_version"], 1);
            assert!(v["steps"].is_array());
        } else {
            assert!(text.starts_with("crossport plan"));
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
        .args([
            "plan",
            dir.path().to_str().unwrap(),
            "--to",
            "flask",
            "--team-size",
            "3",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("django->flask")
    );
}

/// Plans of the fixture repositories as scanned, so the snapshots follow
/// what the extractors really emit (not only hand-written inventories).
fn scanned_plan(fixture: &str, direction: Option<Direction>) -> String {
    let (inv, _) = crossport::scan::scan(
        std::path::Path::new(fixture),
        &crossport::scan::ScanOptions::default(),
    )
    .unwrap();
    plan_json(&inv, direction)
}

#[test]
fn snapshot_scanned_flask_fixture_both_directions() {
    insta::assert_snapshot!(
        "scanned_flask_blueprints_to_django",
        scanned_plan("fixtures/flask_blueprints", None)
    );
    insta::assert_snapshot!(
        "scanned_flask_api_models_to_django",
        scanned_plan("fixtures/flask_api_models", None)
    );
    insta::assert_snapshot!(
        "scanned_flask_api_models_to_flask",
        scanned_plan("fixtures/flask_api_models", Some(Direction::DjangoToFlask))
    );
}

#[test]
fn snapshot_scanned_django_fixture_both_directions() {
    insta::assert_snapshot!(
        "scanned_django_basic_to_flask",
        scanned_plan("fixtures/django_basic", None)
    );
    insta::assert_snapshot!(
        "scanned_django_basic_to_django",
        scanned_plan("fixtures/django_basic", Some(Direction::FlaskToDjango))
    );
}

#[test]
fn scanned_flask_hooks_become_plan_items() {
    let (inv, _) = crossport::scan::scan(
        std::path::Path::new("fixtures/flask_blueprints"),
        &crossport::scan::ScanOptions::default(),
    )
    .unwrap();
    let p = plan::build(&inv, &PlanOptions::default());
    let items: Vec<&str> = p
        .steps
        .iter()
        .flat_map(|s| s.items.iter().map(|i| i.rule.as_str()))
        .collect();
    // Request hooks and error handlers (CP107), template helpers (CP502), auth (CP401, CP403).
    for rule in ["CP101", "CP107", "CP502", "CP401", "CP403"] {
        assert!(
            items.contains(&rule),
            "{rule} missing from the plan of the scanned fixture: {items:?}"
        );
    }
}

/// The cut-over from `[tool.crossport]`, the flag winning over it, and the repository's own
/// evidence: a Procfile, Alembic revisions and a model make the inferred mode incremental.
#[test]
fn cutover_from_config_flag_and_repository() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("app.py"),
        "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\ndb = SQLAlchemy(app)\n\nclass User(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n@app.route('/u/<int:id>')\ndef u(id):\n    return 'u'\n",
    )
    .unwrap();
    std::fs::write(root.join("Procfile"), "web: gunicorn app:app\n").unwrap();
    std::fs::create_dir_all(root.join("migrations/versions")).unwrap();
    std::fs::write(
        root.join("migrations/versions/a1_init.py"),
        "revision = 'a1'\ndown_revision = None\n",
    )
    .unwrap();
    let plan = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_crossport"))
            .args(["plan", root.to_str().unwrap(), "--format", "json", "-q"])
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, out, err) = plan(&[]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cutover"]["mode"], "incremental", "{}", v["cutover"]);
    assert_eq!(v["cutover"]["source"], "inferred");
    let evidence = v["cutover"]["evidence"].to_string();
    assert!(
        evidence.contains("Alembic") && evidence.contains("Procfile"),
        "{evidence}"
    );
    assert_eq!(v["cutover"]["modes"].as_array().unwrap().len(), 3);

    std::fs::write(
        root.join("pyproject.toml"),
        "[tool.crossport]\ncutover = \"big-bang\"\n",
    )
    .unwrap();
    let (_, out, _) = plan(&[]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cutover"]["mode"], "big-bang");
    assert!(
        v["cutover"]["source"]
            .as_str()
            .unwrap()
            .ends_with("pyproject.toml")
    );
    let rules: Vec<String> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["rule"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(
        !rules.iter().any(|r| r == "CP303" || r == "CP302"),
        "{rules:?}"
    );

    let (_, out, _) = plan(&["--cutover", "live-data"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cutover"]["mode"], "live-data");
    assert_eq!(v["cutover"]["source"], "--cutover");

    std::fs::write(
        root.join("pyproject.toml"),
        "[tool.crossport]\ncutover = \"gradual\"\n",
    )
    .unwrap();
    let (code, _, err) = plan(&[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("pyproject.toml:2") && err.contains("cutover"),
        "{err}"
    );
    let (code, _, err) = plan(&["--availability", "1.5"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("availability"), "{err}");
}

/// How many items of a rule a plan lists.
fn count(p: &plan::Plan, rule: &str) -> usize {
    p.steps
        .iter()
        .flat_map(|s| &s.items)
        .filter(|i| i.rule == rule)
        .count()
}
