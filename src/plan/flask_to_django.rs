//! Flask → Django: the guide's steps 1–6 filled with the repository's items.

use super::StepBuilder;
use super::convert::{django_field, flask_rule_to_django, methods_decorator};
use super::cutover::{self, Mode};
use super::effort;
use crate::inventory::{Inventory, Model, Route};
use crate::rules::Direction::FlaskToDjango;
use std::collections::{BTreeMap, BTreeSet};

/// Steps 1–6 and the assumptions specific to this direction.
pub fn steps(inv: &Inventory, team: u32, mode: Mode) -> (Vec<StepBuilder>, Vec<String>) {
    let routes: Vec<&Route> = inv
        .routes
        .iter()
        .filter(|r| !r.third_party && r.kind != "static")
        .collect();
    let names = route_names(&routes, inv.stats.lines);
    let models: Vec<&Model> = inv
        .models
        .iter()
        .filter(|m| !m.r#abstract && m.orm != "django")
        .collect();
    let steps = vec![
        step1(inv, &routes, &names, mode),
        step2(inv, &models),
        step3(inv, &models, team, mode),
        step4(inv, &routes, &models, mode),
        step5(inv),
        step6(inv),
    ];
    let mut assumptions = Vec::new();
    if mode == Mode::Incremental {
        assumptions.push(format!(
            "Dual running is {}-{} calendar weeks with {}% of each of the {team} engineers' time (the guide: one week; its step 3: one to two).",
            effort::DUAL_RUNNING_WEEKS.low,
            effort::DUAL_RUNNING_WEEKS.high,
            effort::DUAL_RUNNING_LOAD * 100.0
        ));
    }
    assumptions.push("Templates stay Jinja2 on Django's Jinja2 backend; conversion to DTL is listed as optional.".to_string());
    assumptions.push(format!("Django apps follow the code: a repository with at most {SMALL_REPO_ROUTES} routes and {SMALL_REPO_LINES} lines gets one app; a larger one gets one app per first URL segment (after `api` and version segments) holding at least {MIN_SEGMENT_ROUTES} routes, blueprints that share a segment merged, the rest grouped by view module. Splitting by the models each route touches is a judgement call the plan leaves to you."));
    (steps, assumptions)
}

/// Lowercase identifier usable as a Django app label.
fn ident(s: &str) -> String {
    let mut o: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while o.contains("__") {
        o = o.replace("__", "_");
    }
    let o = o.trim_matches('_').to_string();
    if o.is_empty() || o.starts_with(|c: char| c.is_ascii_digit()) {
        format!("app_{o}")
    } else {
        o
    }
}

/// A URL segment outside any blueprint becomes its own Django app only when it
/// holds this many routes; smaller ones (a monolith's `/login`, `/about`) fold
/// into their view module's app instead of one app per page.
const MIN_SEGMENT_ROUTES: usize = 3;
/// A repository this small becomes one Django app: every measured small port made one (or
/// kept the app count of its own free choice), never one per blueprint.
const SMALL_REPO_ROUTES: usize = 30;
const SMALL_REPO_LINES: usize = 10_000;

/// The first URL segment that names a resource: `api`, version segments (`v1`, `1.2`) and
/// converters are skipped.
fn first_segment(r: &Route) -> &str {
    r.rule
        .trim_start_matches('/')
        .split('/')
        .find(|s| !is_prefix_noise(s))
        .unwrap_or("")
}

fn is_prefix_noise(seg: &str) -> bool {
    let s = seg.to_ascii_lowercase();
    s == "api"
        || s.is_empty()
        || s.contains('<')
        || (s.starts_with('v')
            && s[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
            && s.len() > 1)
        || s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The package most route views live in (`openledger.views.x` -> `openledger`).
fn main_package(routes: &[&Route]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in routes {
        if let Some(v) = r.view.as_deref() {
            let first = v.split('.').next().unwrap_or(v);
            *counts.entry(first).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(k, _)| ident(k))
}

/// Proposed Django apps for a set of routes (see `proposed_app`), with small
/// URL-segment groups folded into their module's app.
pub struct Grouping {
    small_segments: rustc_hash::FxHashSet<String>,
    /// Small repository: every route goes to this one app.
    single: Option<String>,
}

impl Grouping {
    pub fn new(routes: &[&Route]) -> Self {
        Self::for_size(routes, 0)
    }

    /// Grouping for a repository of `lines` lines (0: size unknown, group as a large one).
    pub fn for_size(routes: &[&Route], lines: usize) -> Self {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for r in routes {
            *counts.entry(first_segment(r)).or_default() += 1;
        }
        let single = (lines > 0 && lines <= SMALL_REPO_LINES && routes.len() <= SMALL_REPO_ROUTES)
            .then(|| main_package(routes).unwrap_or_else(|| "core".into()));
        Grouping {
            small_segments: counts
                .into_iter()
                .filter(|(_, n)| *n < MIN_SEGMENT_ROUTES)
                .map(|(k, _)| k.to_string())
                .collect(),
            single,
        }
    }

    pub fn app(&self, r: &Route) -> String {
        if let Some(s) = &self.single {
            return s.clone();
        }
        let seg = first_segment(r);
        if !seg.is_empty() && !self.small_segments.contains(seg) {
            return ident(seg);
        }
        proposed_app_with(r, false)
    }
}

/// The proposed Django app for a route: blueprint first, then the first URL segment, then the
/// view's module, then `core`.
pub fn proposed_app(r: &Route) -> String {
    proposed_app_with(r, true)
}

fn proposed_app_with(r: &Route, use_segment: bool) -> String {
    if let Some(g) = r.group.as_deref().filter(|g| !g.is_empty()) {
        return ident(g.rsplit('.').next().unwrap_or(g));
    }
    let first = r
        .rule
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    if use_segment && !first.is_empty() && !first.contains('<') && first != "api" {
        return ident(first);
    }
    if let Some(view) = &r.view {
        let mut parts: Vec<&str> = view.split('.').collect();
        // `pkg.create_app.<locals>.health`: the module is what precedes the enclosing function.
        if let Some(i) = parts.iter().position(|p| *p == "<locals>") {
            let name = parts[parts.len() - 1];
            parts.truncate(i.saturating_sub(1));
            parts.push(name);
        }
        const GENERIC: &[&str] = &[
            "views",
            "routes",
            "api",
            "app",
            "main",
            "handlers",
            "endpoints",
        ];
        if parts.len() >= 2
            && let Some(m) = parts[..parts.len() - 1]
                .iter()
                .rev()
                .find(|p| !GENERIC.contains(p) && !p.is_empty())
        {
            return ident(m);
        }
    }
    if first == "api" {
        return "api".into();
    }
    "core".into()
}

/// endpoint -> (app, url name) for every route with an endpoint.
fn route_names(routes: &[&Route], lines: usize) -> BTreeMap<String, (String, String)> {
    let mut m = BTreeMap::new();
    let grouping = Grouping::for_size(routes, lines);
    for r in routes {
        if let Some(ep) = &r.endpoint {
            let name = ident(ep.rsplit('.').next().unwrap_or(ep));
            m.entry(ep.clone()).or_insert((grouping.app(r), name));
        }
    }
    m
}

fn step1(
    inv: &Inventory,
    routes: &[&Route],
    names: &BTreeMap<String, (String, String)>,
    mode: Mode,
) -> StepBuilder {
    let mut s = StepBuilder::new(FlaskToDjango, 1);
    let mut groups: BTreeMap<String, Vec<&Route>> = BTreeMap::new();
    let grouping = Grouping::for_size(routes, inv.stats.lines);
    // With a REST extension declared, the API moves to Django REST framework: every API route
    // (a resource, or a route under an `api` segment) needs a serializer and a DRF view.
    let rest_api = inv.extensions.iter().any(|e| {
        extension_counterpart(&e.name).is_some_and(|(t, heavy)| heavy && t.contains("REST"))
    });
    let contract = match mode {
        Mode::Incremental => Some(effort::ROUTE_CONTRACT_INCREMENTAL),
        Mode::LiveData => Some(effort::ROUTE_CONTRACT_LIVE),
        Mode::BigBang => None,
    }
    .filter(|_| cutover::charges("CP109", mode));
    if !routes.is_empty() || inv.models.iter().any(|m| m.orm != "django") {
        s.add(
            "CP110",
            "Django project: settings from the Flask config, manage.py, static files, logging, requirements".to_string(),
            None,
            "django-project",
        );
    }
    for t in &inv.test_files {
        s.add_with(
            "CP111",
            format!(
                "{}: {} tests to rewrite for Django's test client",
                t.file, t.tests
            ),
            Some((t.file.as_str(), 0)),
            &t.file,
            effort::TEST_REWRITE.times(t.tests as f64),
        );
    }
    for r in routes {
        groups.entry(grouping.app(r)).or_default().push(r);
    }
    for r in routes {
        let app = grouping.app(r);
        let d = flask_rule_to_django(&r.rule);
        let view = r
            .view
            .as_deref()
            .map(|v| format!("views.{}", v.rsplit('.').next().unwrap_or(v)))
            .unwrap_or_else(|| "views.<view>".into());
        let name = r
            .endpoint
            .as_ref()
            .and_then(|e| names.get(e))
            .map(|(a, n)| format!("{a}:{n}"));
        let call = d.call(&view, name.as_deref().map(|n| n.split(':').nth(1).unwrap()));
        let methods = if r.methods.is_empty() {
            "*".to_string()
        } else {
            r.methods.join(",")
        };
        let construct = format!(
            "{methods} {} {}",
            r.rule,
            r.endpoint.as_deref().unwrap_or("")
        );
        let loc = Some((r.file.as_str(), r.line));
        let item = s.add(
            "CP101",
            format!("{methods} {} -> {app}/urls.py: {call}", r.rule),
            loc,
            &construct,
        );
        item.detail.insert("app".into(), app.clone());
        item.detail.insert("django".into(), call.clone());
        if let Some(dec) = methods_decorator(&r.methods) {
            item.detail.insert("decorator".into(), dec);
        }
        if let Some(n) = &name {
            item.detail.insert("url_name".into(), n.clone());
        }
        if let Some(v) = &r.view {
            item.detail.insert("view".into(), v.clone());
        }
        if r.kind == "resource" || (rest_api && is_api_route(r)) {
            s.add(
                "CP108",
                format!("{} (REST API route) -> DRF serializer + APIView", r.rule),
                loc,
                &construct,
            );
        }
        if let Some(h) = contract {
            s.add_with(
                "CP109",
                format!(
                    "{methods} {}: pin its responses with a contract test before it moves",
                    r.rule
                ),
                loc,
                &construct,
                h,
            );
        }
        if !d.unsupported.is_empty() {
            let item = s.add(
                "CP102",
                format!(
                    "{} uses {} which Django's path() lacks: {} or register_converter()",
                    r.rule,
                    d.unsupported.join(", "),
                    d.function
                ),
                loc,
                &construct,
            );
            item.detail.insert("django".into(), call);
        }
        if !r.resolved {
            s.add(
                "CP105",
                format!(
                    "{} could not be resolved statically{}",
                    r.rule,
                    r.reason
                        .as_deref()
                        .map(|x| format!(" ({x})"))
                        .unwrap_or_default()
                ),
                loc,
                &construct,
            );
        }
    }
    for (app, rs) in &groups {
        let prefixes: BTreeSet<String> = rs
            .iter()
            .map(|r| {
                let seg = r
                    .rule
                    .trim_start_matches('/')
                    .split('/')
                    .next()
                    .unwrap_or("");
                if seg.contains('<') || seg.is_empty() {
                    "/".to_string()
                } else {
                    format!("/{seg}")
                }
            })
            .collect();
        let blueprints: BTreeSet<&str> = rs.iter().filter_map(|r| r.group.as_deref()).collect();
        let item = s.add(
            "CP104",
            format!(
                "proposed Django app `{app}`: {} routes under {}{}",
                rs.len(),
                prefixes.iter().cloned().collect::<Vec<_>>().join(", "),
                if blueprints.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (blueprint {})",
                        blueprints.iter().cloned().collect::<Vec<_>>().join(", ")
                    )
                }
            ),
            None,
            app,
        );
        item.detail.insert("routes".into(), rs.len().to_string());
        item.detail.insert(
            "include".into(),
            format!("path('', include('{app}.urls'))  # app_name = '{app}'"),
        );
    }
    let mut url_for = 0;
    for c in inv.call_sites.iter().filter(|c| c.kind == "flask.url_for") {
        url_for += 1;
        let target = c.target.as_deref().unwrap_or("?");
        let resolved = names
            .get(target)
            .or_else(|| {
                // '.index' style endpoints: match on the last component.
                let last = target.rsplit('.').next().unwrap_or(target);
                let mut hits = names
                    .iter()
                    .filter(|(k, _)| k.rsplit('.').next() == Some(last));
                match (hits.next(), hits.next()) {
                    (Some((_, v)), None) => Some(v),
                    _ => None,
                }
            })
            .map(|(a, n)| format!("reverse('{a}:{n}')"));
        let item = s.add(
            "CP103",
            format!(
                "url_for('{target}') -> {}",
                resolved
                    .as_deref()
                    .unwrap_or("reverse(...)  # endpoint not among the scanned routes")
            ),
            Some((c.file.as_str(), c.line)),
            target,
        );
        if let Some(r) = resolved {
            item.detail.insert("django".into(), r);
        }
    }
    for e in &inv.extensions {
        if let Some((target, heavy)) = extension_counterpart(&e.name) {
            let h = if heavy {
                effort::EXTENSION_HEAVY
            } else {
                effort::EXTENSION_SIMPLE
            };
            let item = s.add_with("CP106", format!("{} -> {target}", e.name), None, &e.name, h);
            item.detail.insert("evidence".into(), e.evidence.clone());
        }
    }
    for sig in inv.signals.iter().filter(|x| is_request_hook(&x.kind)) {
        s.add(
            "CP107",
            format!(
                "{} `{}` -> Django middleware or handler view",
                sig.kind, sig.name
            ),
            Some((sig.file.as_str(), sig.line)),
            &format!("{} {}", sig.kind, sig.name),
        );
    }
    s.summary = format!(
        "{} routes into {} proposed Django apps{}; {} url_for call sites to rewrite.",
        routes.len(),
        groups.len(),
        if groups.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                groups
                    .iter()
                    .map(|(a, r)| format!("{a} {}", r.len()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        url_for
    );
    s.basis = format!(
        "Guide step 1 (each group of routes becomes a Django app); per-route cost CP101 {}-{} h (case regulations-core), plus CP109 per route when clients stay live ({mode} cut-over: {}).",
        effort::ROUTE.low,
        effort::ROUTE.high,
        match contract {
            Some(h) => format!("{}-{} h", h.low, h.high),
            None => "not charged".into(),
        }
    );
    s
}

fn is_api_route(r: &Route) -> bool {
    r.rule
        .trim_start_matches('/')
        .split('/')
        .any(|s| s.eq_ignore_ascii_case("api"))
}

fn is_request_hook(kind: &str) -> bool {
    let k = kind.to_ascii_lowercase();
    [
        "before_request",
        "after_request",
        "teardown_request",
        "before_app_request",
        "after_app_request",
        "teardown_appcontext",
        "errorhandler",
        "app_errorhandler",
    ]
    .iter()
    .any(|h| k == *h || k.ends_with(&format!(".{h}")))
}

/// Django counterpart of a Flask extension not covered by another step, and whether the
/// programming model changes (heavy).
pub fn extension_counterpart(name: &str) -> Option<(&'static str, bool)> {
    let n = name.to_ascii_lowercase().replace('_', "-");
    Some(match n.as_str() {
        "flask-mail" | "flask-mailman" => ("django.core.mail", false),
        "flask-caching" | "flask-cache" => ("Django's cache framework", false),
        "flask-cors" => ("django-cors-headers", false),
        "flask-babel" | "flask-babelex" => ("django.utils.translation (i18n)", false),
        "flask-limiter" => ("django-ratelimit", false),
        "flask-session" => ("django.contrib.sessions", false),
        "flask-talisman" => ("SecurityMiddleware settings", false),
        "flask-compress" => ("GZipMiddleware", false),
        "flask-debugtoolbar" => ("django-debug-toolbar", false),
        "flask-moment" => ("a template helper", false),
        "flask-assets" => ("django-compressor or staticfiles", false),
        "flask-uploads" | "flask-reuploaded" => ("FileField and storages", false),
        "flask-restful"
        | "flask-restx"
        | "flask-restplus"
        | "flask-smorest"
        | "flask-marshmallow"
        | "flask-apispec"
        | "flask-restful-swagger-2"
        | "flask-restful-swagger"
        | "flasgger" => ("Django REST framework", true),
        "flask-socketio" | "flask-sock" => ("Django Channels", true),
        "flask-graphql" | "graphql-server" => ("graphene-django or strawberry-django", true),
        _ => return None,
    })
}

fn is_composite(m: &Model) -> bool {
    m.traits.iter().any(|t| t == "composite_pk") || m.fields.iter().filter(|f| f.pk).count() > 1
}

fn has_events(inv: &Inventory, m: &Model) -> bool {
    m.traits.iter().any(|t| t == "events")
        || inv.signals.iter().any(|s| {
            s.kind.to_ascii_lowercase().contains("event")
                && s.target
                    .as_deref()
                    .is_some_and(|t| t == m.name || t.ends_with(&format!(".{}", m.name)))
        })
}

fn step2(inv: &Inventory, models: &[&Model]) -> StepBuilder {
    let mut s = StepBuilder::new(FlaskToDjango, 2);
    let mut clean = 0usize;
    let mut hard: BTreeMap<&str, usize> = BTreeMap::new();
    for m in models {
        let loc = Some((m.file.as_str(), m.line));
        let key = format!("{}.{}", m.module, m.name);
        let poly = m.traits.iter().any(|t| t == "polymorphic");
        let comp = is_composite(m);
        let events = has_events(inv, m);
        let others: Vec<&String> = m
            .traits
            .iter()
            // a classical mapping (`imperative`) ports as a declarative one does
            .filter(|t| {
                !["polymorphic", "composite_pk", "events", "imperative"].contains(&t.as_str())
            })
            .collect();
        let mut unmapped = Vec::new();
        let mut mapping = BTreeMap::new();
        for f in &m.fields {
            match django_field(&f.r#type, f.pk, f.foreign_key.as_deref()) {
                Some(d) => {
                    mapping.insert(
                        format!("field.{}", f.name),
                        format!("{} <- {}", d, f.r#type),
                    );
                }
                None => unmapped.push(f),
            }
        }
        for r in &m.relations {
            let proposal = match r.kind.as_str() {
                "many_to_many" => format!("ManyToManyField('{}')", r.target),
                "one_to_one" => format!("OneToOneField('{}', on_delete=...)", r.target),
                "one_to_many" | "relationship" | "backref" => {
                    format!(
                        "reverse side of a ForeignKey on {} (related_name='{}')",
                        r.target, r.name
                    )
                }
                _ => format!("ForeignKey('{}', on_delete=...)", r.target),
            };
            mapping.insert(format!("relation.{}", r.name), proposal);
        }
        let is_clean = !poly && !comp && !events && others.is_empty() && unmapped.is_empty();
        if is_clean {
            clean += 1;
        }
        let item = s.add(
            "CP201",
            format!(
                "{} ({} fields, {} relations{}) -> django model{}",
                m.name,
                m.fields.len(),
                m.relations.len(),
                m.table
                    .as_deref()
                    .map(|t| format!(", table {t}"))
                    .unwrap_or_default(),
                if is_clean {
                    ", maps cleanly"
                } else {
                    ", see the exceptions below"
                }
            ),
            loc,
            &key,
        );
        item.detail.extend(mapping);
        if let Some(t) = &m.table {
            item.detail
                .insert("meta".into(), format!("db_table = '{t}'"));
        }
        if poly {
            *hard.entry("polymorphic").or_default() += 1;
            s.add(
                "CP202",
                format!("{}: polymorphic inheritance -> abstract base, multi-table inheritance or proxy", m.name),
                loc,
                &key,
            );
        }
        if comp {
            *hard.entry("composite_pk").or_default() += 1;
            let pks: Vec<&str> = m
                .fields
                .iter()
                .filter(|f| f.pk)
                .map(|f| f.name.as_str())
                .collect();
            s.add(
                "CP203",
                format!(
                    "{}: composite primary key ({}) -> CompositePrimaryKey (Django 5.2+) or surrogate id + unique constraint",
                    m.name,
                    pks.join(", ")
                ),
                loc,
                &key,
            );
        }
        if events {
            *hard.entry("events").or_default() += 1;
            s.add(
                "CP204",
                format!(
                    "{}: SQLAlchemy event listeners -> Django signals or save() overrides",
                    m.name
                ),
                loc,
                &key,
            );
        }
        for t in &others {
            *hard.entry("other").or_default() += 1;
            s.add(
                "CP207",
                format!("{}: trait `{t}` needs a closer look", m.name),
                loc,
                &format!("{key} {t}"),
            );
        }
        for f in unmapped {
            s.add(
                "CP205",
                format!(
                    "{}.{}: {} has no direct Django field",
                    m.name, f.name, f.r#type
                ),
                loc,
                &format!("{key}.{}", f.name),
            );
        }
    }
    for t in &inv.raw_sql_tables {
        s.add(
            "CP208",
            format!(
                "table {} ({}) -> Django model with db_table = '{}', its SQL rewritten to the ORM",
                t.name,
                if t.via == "create_table" {
                    "CREATE TABLE in code"
                } else {
                    "SQLAlchemy Core Table"
                },
                t.name
            ),
            Some((t.file.as_str(), t.line)),
            &t.name,
        );
    }
    for a in inv.admin.iter().filter(|a| !a.site.starts_with("django")) {
        s.add(
            "CP206",
            format!(
                "Flask-Admin view for {} -> admin.site.register / @admin.register",
                a.model
            ),
            Some((a.file.as_str(), a.line)),
            &a.model,
        );
    }
    let share = if models.is_empty() {
        "n/a".to_string()
    } else {
        format!("{:.0}%", clean as f64 * 100.0 / models.len() as f64)
    };
    s.summary = format!(
        "{} SQLAlchemy models: {} map cleanly ({share}; the guide says about {:.0}%); exceptions: {}.",
        models.len(),
        clean,
        effort::GUIDE_CLEAN_MODEL_SHARE * 100.0,
        if hard.is_empty() {
            "none".to_string()
        } else {
            hard.iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    s.basis = format!(
        "Guide step 2 (80% of models map cleanly; exceptions: polymorphic inheritance, composite keys, events). Each model costs CP201 {}-{} h; the exceptions add CP202 {}-{} h, CP203 {}-{} h, CP204 {}-{} h.",
        effort::MODEL_CLEAN.low,
        effort::MODEL_CLEAN.high,
        effort::MODEL_POLYMORPHIC.low,
        effort::MODEL_POLYMORPHIC.high,
        effort::MODEL_COMPOSITE_PK.low,
        effort::MODEL_COMPOSITE_PK.high,
        effort::MODEL_EVENTS.low,
        effort::MODEL_EVENTS.high
    );
    s
}

fn step3(inv: &Inventory, models: &[&Model], team: u32, mode: Mode) -> StepBuilder {
    let mut s = StepBuilder::new(FlaskToDjango, 3);
    let alembic: Vec<String> = inv
        .migrations
        .iter()
        .filter(|m| m.tool != "django")
        .map(|m| format!("{} ({} {} revisions)", m.path, m.count, m.tool))
        .collect();
    let tables: Vec<(String, &str, u32, &str)> = models
        .iter()
        .map(|m| {
            (
                m.table
                    .clone()
                    .unwrap_or_else(|| m.name.to_ascii_lowercase()),
                m.file.as_str(),
                m.line,
                m.name.as_str(),
            )
        })
        .chain(
            inv.raw_sql_tables
                .iter()
                .map(|t| (t.name.clone(), t.file.as_str(), t.line, "raw SQL")),
        )
        .collect();
    if !tables.is_empty() && cutover::charges("CP301", mode) {
        let item = s.add(
            "CP301",
            format!(
                "makemigrations for the new apps, then migrate --fake-initial against the existing schema{}",
                if alembic.is_empty() {
                    String::new()
                } else {
                    format!("; retire {}", alembic.join(", "))
                }
            ),
            None,
            "makemigrations",
        );
        item.detail.insert(
            "command".into(),
            "python manage.py makemigrations && python manage.py migrate --fake-initial".into(),
        );
    }
    for (table, file, line, what) in &tables {
        if cutover::charges("CP302", mode) {
            s.add(
                "CP302",
                format!("data migration for table {table} ({what})"),
                Some((file, *line)),
                table,
            );
        }
        if cutover::charges("CP304", mode) {
            s.add(
                "CP304",
                format!(
                    "table {table} ({what}): migrated in place by the upgrade on every installation"
                ),
                Some((file, *line)),
                table,
            );
        }
    }
    if !tables.is_empty() && cutover::charges("CP305", mode) {
        s.add(
            "CP305",
            "the upgrade backs up the data, migrates atomically and restores on failure"
                .to_string(),
            None,
            "upgrade-safety",
        );
    }
    if (!inv.routes.is_empty() || !models.is_empty()) && cutover::charges("CP303", mode) {
        let h = effort::dual_running(team);
        s.add_with(
            "CP303",
            format!(
                "run Flask and Django side by side on one database for {}-{} weeks while endpoints cut over ({team} engineers at {:.0}%)",
                effort::DUAL_RUNNING_WEEKS.low,
                effort::DUAL_RUNNING_WEEKS.high,
                effort::DUAL_RUNNING_LOAD * 100.0
            ),
            None,
            "dual-running",
            h,
        );
    }
    s.summary = match mode {
        Mode::Incremental => format!(
            "Initial migrations faked against the existing schema, {} one-shot table copies, then the dual-running period.",
            tables.len()
        ),
        Mode::LiveData => format!(
            "Initial migrations faked against the installed schema; {} tables migrated in place by an atomic, reversible upgrade; no dual running.",
            tables.len()
        ),
        Mode::BigBang => format!(
            "Big-bang cut-over: fresh migrations for {} tables, no data to copy, no dual running.",
            tables.len()
        ),
    };
    s.basis = format!(
        "Guide step 3 (makemigrations, one data migration, one to two weeks of parallel running) and the guide total's one week of dual running; dual running = {}-{} weeks x team x {} h x {}.",
        effort::DUAL_RUNNING_WEEKS.low,
        effort::DUAL_RUNNING_WEEKS.high,
        effort::HOURS_PER_WEEK,
        effort::DUAL_RUNNING_LOAD
    );
    s
}

/// Fields Django's `AbstractUser` already has.
const DJANGO_USER_FIELDS: &[&str] = &[
    "id",
    "username",
    "email",
    "password",
    "password_hash",
    "first_name",
    "last_name",
    "is_active",
    "is_staff",
    "is_superuser",
    "last_login",
    "date_joined",
];

fn is_django_auth(system: &str) -> bool {
    let s = system.to_ascii_lowercase();
    s.starts_with("django") || s == "drf" || s == "allauth"
}

fn step4(inv: &Inventory, routes: &[&Route], models: &[&Model], mode: Mode) -> StepBuilder {
    let mut s = StepBuilder::new(FlaskToDjango, 4);
    // Auth systems: from auth items, plus auth extensions declared but not seen in code.
    let mut systems: BTreeMap<String, Option<(&str, u32)>> = BTreeMap::new();
    for a in inv.auth.iter().filter(|a| !is_django_auth(&a.system)) {
        systems
            .entry(a.system.replace('-', "_").to_ascii_lowercase())
            .or_insert(Some((a.file.as_str(), a.line)));
    }
    for e in &inv.extensions {
        let n = e.name.to_ascii_lowercase().replace('-', "_");
        if [
            "flask_login",
            "flask_security",
            "flask_security_too",
            "flask_jwt_extended",
            "flask_jwt",
            "flask_httpauth",
            "flask_principal",
            "flask_user",
            "flask_praetorian",
            "authlib",
            "flask_dance",
            "flask_oauthlib",
            "flask_cas",
        ]
        .contains(&n.as_str())
        {
            systems.entry(n).or_insert(None);
        }
    }
    for (sys, loc) in &systems {
        let target = match sys.as_str() {
            "flask_jwt_extended" | "flask_jwt" | "flask_praetorian" => {
                "django.contrib.auth + djangorestframework-simplejwt"
            }
            "authlib" | "flask_dance" | "flask_oauthlib" => "django.contrib.auth + django-allauth",
            "flask_cas" => "django.contrib.auth + django-cas-ng",
            "flask_principal" | "flask_security" | "flask_security_too" => {
                "django.contrib.auth (groups and permissions)"
            }
            _ => "django.contrib.auth",
        };
        s.add("CP401", format!("{sys} -> {target}"), *loc, sys);
        if cutover::charges("CP406", mode) {
            s.add(
                "CP406",
                format!("{sys}: existing accounts, password hashes and tokens keep working"),
                *loc,
                sys,
            );
        }
    }
    // The user model: named by an auth item, or the conventional names.
    let named: BTreeSet<&str> = inv
        .auth
        .iter()
        .filter(|a| a.kind == "user_model")
        .map(|a| a.name.rsplit('.').next().unwrap_or(&a.name))
        .collect();
    let user = models
        .iter()
        .find(|m| named.contains(m.name.as_str()))
        .or_else(|| {
            models
                .iter()
                .find(|m| m.bases.iter().any(|b| b.ends_with("UserMixin")))
        })
        .or_else(|| models.iter().find(|m| m.name == "User"));
    if let Some(u) = user
        && (!systems.is_empty() || !named.is_empty())
    {
        let extra: Vec<&str> = u
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .filter(|n| !DJANGO_USER_FIELDS.contains(n))
            .collect();
        if !extra.is_empty() && cutover::charges("CP402", mode) {
            let item = s.add(
                "CP402",
                format!(
                    "{} has fields Django's User lacks: {} -> AUTH_USER_MODEL = AbstractUser subclass",
                    u.name,
                    extra.join(", ")
                ),
                Some((u.file.as_str(), u.line)),
                &u.name,
            );
            item.detail.insert("extra_fields".into(), extra.join(", "));
        }
    }
    let mut protected = 0;
    for r in routes.iter().filter(|r| !r.auth.is_empty()) {
        protected += 1;
        let req = r.auth.join(", ");
        s.add(
            "CP403",
            format!("{} [{req}] -> {}", r.rule, django_guard(&r.auth)),
            Some((r.file.as_str(), r.line)),
            &format!("{} {req}", r.rule),
        );
    }
    const NOT_HOOKS: &[&str] = &[
        "login_manager",
        "setting",
        "user_model",
        "extension",
        "init",
        "middleware",
    ];
    for a in inv
        .auth
        .iter()
        .filter(|a| !is_django_auth(&a.system) && !NOT_HOOKS.contains(&a.kind.as_str()))
    {
        s.add(
            "CP404",
            format!(
                "{} {} `{}` ({})",
                a.system,
                a.kind,
                a.name,
                a.detail
                    .as_deref()
                    .unwrap_or("port to a Django backend, middleware or decorator")
            ),
            Some((a.file.as_str(), a.line)),
            &format!("{} {} {}", a.system, a.kind, a.name),
        );
    }
    if (!systems.is_empty() || protected > 0) && cutover::charges("CP405", mode) {
        s.add(
            "CP405",
            "keep both auth backends live during the cut-over; switch the session cookie after the last endpoint".to_string(),
            None,
            "session-cutover",
        );
    }
    s.summary = format!(
        "{} auth system(s) to replace ({}), {} protected routes, user model {}.",
        systems.len(),
        if systems.is_empty() {
            "none found".to_string()
        } else {
            systems.keys().cloned().collect::<Vec<_>>().join(", ")
        },
        protected,
        match user {
            Some(u) => format!("`{}`", u.name),
            None => "not found".into(),
        }
    );
    s.basis = format!(
        "Guide step 4 (replace Flask-Login with Django auth, both backends live for the cut-over); research: auth is often the largest single item, so CP401 is {}-{} h per system.",
        effort::AUTH_SYSTEM.low,
        effort::AUTH_SYSTEM.high
    );
    s
}

fn django_guard(auth: &[String]) -> &'static str {
    let joined = auth.join(" ").to_ascii_lowercase();
    if joined.contains("role") || joined.contains("permission") || joined.contains("admin") {
        "@permission_required(...) / user_passes_test"
    } else if joined.contains("jwt") || joined.contains("token") {
        "token authentication (DRF/simplejwt) on the view"
    } else {
        "@login_required"
    }
}

fn is_template_helper(kind: &str) -> bool {
    let k = kind.to_ascii_lowercase();
    k.contains("template_filter")
        || k.contains("template_global")
        || k.contains("template_test")
        || k.contains("context_processor")
        || k == "jinja_filter"
}

fn step5(inv: &Inventory) -> StepBuilder {
    let mut s = StepBuilder::new(FlaskToDjango, 5);
    // One item per distinct template, located at its file if found on disk.
    let mut templates: BTreeMap<&str, (&str, u32)> = BTreeMap::new();
    for t in &inv.templates {
        let e = templates
            .entry(t.name.as_str())
            .or_insert((&t.file, t.line));
        if t.kind == "file" {
            *e = (&t.file, t.line);
        }
    }
    for (name, loc) in &templates {
        s.add(
            "CP501",
            format!(
                "{name}: keep on the Jinja2 backend; check url_for, get_flashed_messages, g, config"
            ),
            Some(*loc),
            name,
        );
        s.add(
            "CP503",
            format!("{name}: could be converted to DTL"),
            Some(*loc),
            name,
        );
    }
    let mut helpers = 0;
    for sig in inv.signals.iter().filter(|x| is_template_helper(&x.kind)) {
        helpers += 1;
        s.add(
            "CP502",
            format!(
                "{} `{}` -> Jinja2 environment (or a templatetags library for DTL)",
                sig.kind, sig.name
            ),
            Some((sig.file.as_str(), sig.line)),
            &format!("{} {}", sig.kind, sig.name),
        );
    }
    let mut renders = 0;
    for c in inv.call_sites.iter().filter(|c| c.kind == "flask.template") {
        renders += 1;
        s.add(
            "CP504",
            format!(
                "render_template('{}') -> render(request, '{}', context)",
                c.target.as_deref().unwrap_or("?"),
                c.target.as_deref().unwrap_or("?")
            ),
            Some((c.file.as_str(), c.line)),
            c.target.as_deref().unwrap_or(""),
        );
    }
    let mut forms = 0;
    for f in inv.forms.iter().filter(|f| {
        let k = f.kind.to_ascii_lowercase();
        k.contains("wtf") || k.contains("wtforms")
    }) {
        forms += 1;
        s.add(
            "CP505",
            format!(
                "{} ({} fields) -> django.forms.Form / ModelForm",
                f.name,
                f.fields.len()
            ),
            Some((f.file.as_str(), f.line)),
            &format!("{}.{}", f.module, f.name),
        );
    }
    s.summary = format!(
        "{} templates on Django's Jinja2 backend (DTL conversion optional), {} filters/globals/context processors, {} render_template calls, {} WTForms forms.",
        templates.len(),
        helpers,
        renders,
        forms
    );
    s.basis = format!(
        "Guide step 5 (Jinja2 works natively with the Jinja2 backend; DTL optional); research: 0.3-0.7 day per template when converted, so keeping Jinja2 is charged CP501 {}-{} h.",
        effort::TEMPLATE.low,
        effort::TEMPLATE.high
    );
    s
}

fn step6(inv: &Inventory) -> StepBuilder {
    let mut s = StepBuilder::new(FlaskToDjango, 6);
    let celery: Vec<_> = inv.jobs.iter().filter(|j| j.kind == "celery").collect();
    if let Some(first) = celery.first() {
        s.add(
            "CP601",
            "Celery app -> proj/celery.py with config_from_object('django.conf:settings', namespace='CELERY') and autodiscover_tasks()".to_string(),
            Some((first.file.as_str(), first.line)),
            "celery-config",
        );
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for j in &inv.jobs {
        let loc = Some((j.file.as_str(), j.line));
        match j.kind.as_str() {
            "celery" => {
                s.add(
                    "CP602",
                    format!(
                        "task {}: drop the Flask app context, use the Django ORM",
                        j.name
                    ),
                    loc,
                    &j.name,
                );
                if j.schedule.is_none() {
                    s.add(
                        "CP603",
                        format!("task {}: candidate for Django's tasks framework if it needs no Celery features", j.name),
                        loc,
                        &j.name,
                    );
                }
            }
            "flask_cli" | "click" => {
                s.add(
                    "CP605",
                    format!(
                        "flask {} -> manage.py {}",
                        j.name,
                        j.name.rsplit('.').next().unwrap_or(&j.name)
                    ),
                    loc,
                    &j.name,
                );
            }
            "rq" | "dramatiq" | "huey" | "apscheduler" | "arq" | "flask_apscheduler" => {
                s.add(
                    "CP606",
                    format!(
                        "{} job {}: run with django.setup() and the Django ORM",
                        j.kind, j.name
                    ),
                    loc,
                    &j.name,
                );
            }
            _ => continue,
        }
        *counts.entry(j.kind.as_str()).or_default() += 1;
        if let Some(sch) = &j.schedule {
            s.add(
                "CP604",
                format!(
                    "schedule `{sch}` of {} -> CELERY_BEAT_SCHEDULE / django-celery-beat",
                    j.name
                ),
                loc,
                &format!("{} {sch}", j.name),
            );
        }
    }
    let mut deploy = 0;
    for d in inv
        .deployment
        .iter()
        .filter(|d| crate::surface::deploy::runs_app(d))
    {
        deploy += 1;
        s.add(
            "CP607",
            format!("{} ({}): switch to Django's entry points", d.file, d.kind),
            Some((d.file.as_str(), d.mentions_app.unwrap_or(0))),
            &d.file,
        );
    }
    s.summary = format!(
        "{deploy} deployment files; jobs: {}.",
        if counts.is_empty() {
            "none found".to_string()
        } else {
            counts
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    s.basis = "Guide step 6 (the Celery configuration carries over; Django's tasks framework for simple workloads); research: CLI tools, jobs and deployment are the hidden half of real migrations, hence CP605 per command (case bigcases2) and CP607 per deployment file.".to_string();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(rule: &str, group: Option<&str>, view: Option<&str>) -> Route {
        Route {
            rule: rule.into(),
            group: group.map(Into::into),
            view: view.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn grouping() {
        assert_eq!(
            proposed_app(&route("/x", Some("Forum-BP"), None)),
            "forum_bp"
        );
        assert_eq!(
            proposed_app(&route("/billing/invoices", None, None)),
            "billing"
        );
        assert_eq!(
            proposed_app(&route(
                "/api/v1/users",
                None,
                Some("app.users.views.list_users")
            )),
            "users"
        );
        assert_eq!(proposed_app(&route("/api/x", None, Some("views.x"))), "api");
        assert_eq!(proposed_app(&route("/", None, None)), "core");
        assert_eq!(
            proposed_app(&route("/<x>", None, Some("shop.register.<locals>.health"))),
            "shop"
        );
        assert_eq!(
            proposed_app(&route("/<int:id>", None, Some("shop.views.item"))),
            "shop"
        );
        assert_eq!(ident("2fa"), "app_2fa");
    }

    #[test]
    fn apps_follow_the_code() {
        let rs: Vec<Route> = [
            ("/api/v1/users", Some("users_bp"), "shop.api.users"),
            ("/api/v1/users/<int:id>", Some("users_bp"), "shop.api.users"),
            ("/api/v2/users/me", Some("users_v2"), "shop.api.users2"),
            ("/billing/a", Some("billing"), "shop.billing.views"),
            ("/billing/b", None, "shop.billing.views"),
            ("/billing/c", None, "shop.billing.views"),
            ("/about", None, "shop.pages.views"),
        ]
        .iter()
        .map(|(r, g, v)| route(r, *g, Some(v)))
        .collect();
        let refs: Vec<&Route> = rs.iter().collect();
        // Small repository: one app, named after the package the views live in.
        let small = Grouping::for_size(&refs, 2_000);
        assert!(refs.iter().all(|r| small.app(r) == "shop"));
        // Larger: by resource segment, so two blueprints and two API versions of `users`
        // share an app, and a lone page falls back to its module.
        let large = Grouping::for_size(&refs, 50_000);
        let apps: Vec<String> = refs.iter().map(|r| large.app(r)).collect();
        assert_eq!(apps[0], "users");
        assert_eq!(apps[2], "users");
        assert_eq!(apps[3], "billing");
        assert_eq!(apps[4], "billing");
        assert_eq!(apps[6], "pages");
    }

    #[test]
    fn extensions() {
        assert!(!extension_counterpart("Flask_Mail").unwrap().1);
        assert!(extension_counterpart("flask-restx").unwrap().1);
        assert!(extension_counterpart("flask-sqlalchemy").is_none());
    }
}
