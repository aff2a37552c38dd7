//! Django → Flask: the guide's steps 1–5 for extracting one Django app into a Flask service.

use super::StepBuilder;
use super::effort::{self, Hours};
use crate::inventory::{App, CallRef, Inventory, Model, Route};
use crate::rules::Direction::DjangoToFlask;
use std::collections::{BTreeMap, BTreeSet};

/// One project app and how entangled it is with the rest.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub label: String,
    pub module: Option<String>,
    pub models: Vec<String>,
    /// (other app, foreign keys) pointing into this app.
    pub fk_in: Vec<(String, usize)>,
    /// (other app, foreign keys) from this app to others.
    pub fk_out: Vec<(String, usize)>,
    /// ORM call sites outside the app that use its models.
    pub orm_elsewhere: usize,
    /// Midpoint hours of the coupling items (FK edges and ORM call sites): the ranking key.
    pub coupling_score: f64,
}

fn label_of(app: &App) -> String {
    app.name.rsplit('.').next().unwrap_or(&app.name).to_string()
}

/// Directory prefix of an app's module (`project.shop` -> `project/shop/`).
fn app_dir(module: &str) -> String {
    format!("{}/", module.replace('.', "/"))
}

fn file_in(file: &str, dir: &str) -> bool {
    file.starts_with(dir) || file.contains(&format!("/{dir}"))
}

fn model_in_app(m: &Model, label: &str, module: Option<&str>) -> bool {
    m.orm == "django"
        && (m.app_label.as_deref() == Some(label)
            || module.is_some_and(|md| m.module == md || m.module.starts_with(&format!("{md}."))))
}

fn mid(h: Hours) -> f64 {
    (h.low + h.high) / 2.0
}

/// The model name an ORM call-site target refers to (`Order.objects.filter` -> `Order`).
pub fn call_model(target: &str) -> &str {
    target.split('.').next().unwrap_or(target)
}

/// The client-library operation an ORM call implies.
pub fn operation(target: &str) -> &'static str {
    let last = target.rsplit('.').next().unwrap_or(target);
    match last {
        "get" | "get_or_none" | "first" | "last" | "earliest" | "latest" | "aget" | "afirst" => {
            "get"
        }
        "filter" | "all" | "exclude" | "order_by" | "values" | "values_list" | "iterator"
        | "select_related" | "prefetch_related" | "afilter" | "count" | "exists" | "acount"
        | "aexists" => "list",
        "create" | "bulk_create" | "get_or_create" | "acreate" | "abulk_create" => "create",
        "update" | "update_or_create" | "bulk_update" | "aupdate" | "aupdate_or_create" => "update",
        "delete" | "adelete" => "delete",
        "aggregate" | "annotate" | "raw" | "extra" => "query",
        _ => "query",
    }
}

/// How many routes have their view in the candidate app's package.
fn app_routes(inv: &Inventory, c: &Candidate) -> usize {
    let Some(module) = c.module.as_deref() else {
        return 0;
    };
    let prefix = format!("{module}.");
    inv.routes
        .iter()
        .filter(|r| r.view.as_deref().is_some_and(|v| v.starts_with(&prefix)))
        .count()
}

/// Ranks the project's own Django apps as extraction candidates, least coupled first (apps
/// without models last: there is nothing to own).
pub fn rank(inv: &Inventory) -> Vec<Candidate> {
    let mut apps: Vec<(String, Option<String>)> = inv
        .apps
        .iter()
        .filter(|a| a.own)
        .map(|a| (label_of(a), a.module.clone()))
        .collect();
    if apps.is_empty() {
        // No app list: fall back to the labels the models carry.
        let labels: BTreeSet<&str> = inv
            .models
            .iter()
            .filter(|m| m.orm == "django")
            .filter_map(|m| m.app_label.as_deref())
            .collect();
        apps = labels.into_iter().map(|l| (l.to_string(), None)).collect();
    }
    let mut out = Vec::new();
    for (label, module) in apps {
        let models: Vec<String> = inv
            .models
            .iter()
            .filter(|m| !m.r#abstract && model_in_app(m, &label, module.as_deref()))
            .map(|m| m.name.clone())
            .collect();
        let fk_in: Vec<(String, usize)> = inv
            .app_edges
            .iter()
            .filter(|e| e.to == label && e.from != label)
            .map(|e| (e.from.clone(), e.count))
            .collect();
        let fk_out: Vec<(String, usize)> = inv
            .app_edges
            .iter()
            .filter(|e| e.from == label && e.to != label)
            .map(|e| (e.to.clone(), e.count))
            .collect();
        let dir = module
            .as_deref()
            .map(app_dir)
            .unwrap_or(format!("{label}/"));
        let names: BTreeSet<&str> = models.iter().map(|s| s.as_str()).collect();
        let orm_elsewhere = inv
            .call_sites
            .iter()
            .filter(|c| c.kind == "django.orm")
            .filter(|c| {
                c.target
                    .as_deref()
                    .is_some_and(|t| names.contains(call_model(t)))
            })
            .filter(|c| !file_in(&c.file, &dir))
            .count();
        let fks: usize = fk_in.iter().chain(&fk_out).map(|e| e.1).sum();
        let coupling_score =
            fks as f64 * mid(effort::FK_CROSSING) + orm_elsewhere as f64 * mid(effort::ORM_TO_HTTP);
        out.push(Candidate {
            label,
            module,
            models,
            fk_in,
            fk_out,
            orm_elsewhere,
            coupling_score,
        });
    }
    out.sort_by(|a, b| {
        a.models
            .is_empty()
            .cmp(&b.models.is_empty())
            .then(a.coupling_score.total_cmp(&b.coupling_score))
            .then_with(|| a.label.cmp(&b.label))
    });
    out
}

/// The app to extract: `app` (a label or module) when given, else among apps with both models
/// and routes the cheapest to carve out (coupling plus the endpoints the service must serve),
/// else the least-coupled app with models. `ranked` is `rank(inv)`.
pub fn choose<'a>(
    inv: &Inventory,
    ranked: &'a [Candidate],
    app: Option<&str>,
) -> Option<&'a Candidate> {
    if let Some(a) = app {
        return ranked
            .iter()
            .find(|c| c.label == a || c.module.as_deref() == Some(a));
    }
    ranked
        .iter()
        .filter(|c| !c.models.is_empty() && app_routes(inv, c) > 0)
        .min_by(|a, b| {
            let cost = |c: &Candidate| {
                c.coupling_score + app_routes(inv, c) as f64 * mid(effort::SERVICE_ROUTE)
            };
            cost(a)
                .total_cmp(&cost(b))
                .then_with(|| a.label.cmp(&b.label))
        })
        .or_else(|| ranked.iter().find(|c| !c.models.is_empty()))
}

/// The folder of the candidate's package (`project/shop/`).
fn dir_of(c: &Candidate) -> String {
    c.module
        .as_deref()
        .map(app_dir)
        .unwrap_or(format!("{}/", c.label))
}

/// The candidate's concrete models (with `whole`, every project model it lists).
pub fn models_of<'a>(inv: &'a Inventory, c: &Candidate, whole: bool) -> Vec<&'a Model> {
    let names: BTreeSet<&str> = c.models.iter().map(|s| s.as_str()).collect();
    inv.models
        .iter()
        .filter(|m| {
            !m.r#abstract
                && if whole {
                    m.orm == "django" && names.contains(m.name.as_str())
                } else {
                    model_in_app(m, &c.label, c.module.as_deref())
                }
        })
        .collect()
}

/// The routes the candidate's app serves: its namespace, its files, or views in its package.
pub fn routes_of<'a>(inv: &'a Inventory, c: &Candidate, whole: bool) -> Vec<&'a Route> {
    let dir = dir_of(c);
    inv.routes
        .iter()
        .filter(|r| !r.third_party)
        .filter(|r| {
            whole
                || r.group.as_deref() == Some(c.label.as_str())
                || file_in(&r.file, &dir)
                || r.view.as_deref().is_some_and(|v| {
                    c.module
                        .as_deref()
                        .is_some_and(|m| v.starts_with(&format!("{m}.")))
                })
        })
        .collect()
}

/// ORM call sites outside the candidate's package on its models: what the client replaces.
pub fn orm_calls_outside<'a>(inv: &'a Inventory, c: &Candidate, whole: bool) -> Vec<&'a CallRef> {
    let dir = dir_of(c);
    let names: BTreeSet<&str> = c.models.iter().map(|s| s.as_str()).collect();
    inv.call_sites
        .iter()
        .filter(|cs| {
            cs.kind == "django.orm"
                && !(whole || file_in(&cs.file, &dir))
                && cs
                    .target
                    .as_deref()
                    .is_some_and(|t| names.contains(call_model(t)))
        })
        .collect()
}

fn edges_text(v: &[(String, usize)]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.iter()
            .map(|(a, n)| format!("{a}({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Known observability integrations: (dependency name, what it is, its replacement).
const OBSERVABILITY: &[(&str, &str, &str)] = &[
    (
        "sentry-sdk",
        "Sentry (Django integration)",
        "sentry-sdk FlaskIntegration or OpenTelemetry",
    ),
    (
        "raven",
        "Sentry (raven)",
        "sentry-sdk FlaskIntegration or OpenTelemetry",
    ),
    (
        "ddtrace",
        "Datadog (ddtrace Django patching)",
        "opentelemetry-instrumentation-flask exporting to Datadog",
    ),
    (
        "datadog",
        "Datadog (DogStatsD metrics)",
        "OpenTelemetry metrics",
    ),
    (
        "django-prometheus",
        "Prometheus (django-prometheus)",
        "prometheus-flask-exporter or OpenTelemetry metrics",
    ),
    (
        "prometheus-client",
        "Prometheus client",
        "OpenTelemetry metrics or prometheus-flask-exporter",
    ),
    (
        "newrelic",
        "New Relic agent",
        "OpenTelemetry with the New Relic exporter",
    ),
    (
        "elastic-apm",
        "Elastic APM",
        "OpenTelemetry with the Elastic exporter",
    ),
    ("scout-apm", "Scout APM", "OpenTelemetry"),
    (
        "opentelemetry-instrumentation-django",
        "OpenTelemetry (Django)",
        "opentelemetry-instrumentation-flask",
    ),
    (
        "django-structlog",
        "structlog request logging",
        "structlog with a Flask request hook",
    ),
];

/// Steps 1–5 for the chosen candidate (the given app, else the least coupled one).
pub fn steps(inv: &Inventory, app: Option<&str>, whole: bool) -> (Vec<StepBuilder>, Vec<String>) {
    let ranked = rank(inv);
    // The whole project as one "candidate": every project app's models, no boundary inside.
    let project = whole.then(|| Candidate {
        label: "project".into(),
        module: None,
        models: ranked
            .iter()
            .flat_map(|c| c.models.iter().cloned())
            .collect(),
        fk_in: Vec::new(),
        fk_out: Vec::new(),
        orm_elsewhere: 0,
        coupling_score: 0.0,
    });
    let chosen = match &project {
        Some(p) => Some(p),
        None => choose(inv, &ranked, app),
    };
    let mut assumptions = if whole {
        vec![
            "The plan ports the whole Django project to one Flask application (--whole-project): every project app's models, routes, forms, jobs and admin move; there is no parent to call over HTTP, so ORM queries are rewritten for SQLAlchemy instead (CP712), and the tables stay where they are with Alembic taking over the schema.".to_string(),
        ]
    } else {
        vec![
        "The plan extracts one Django app into one Flask service, as the guide's 2-6 week figure does; other candidates are ranked but not costed. Without --app, the candidate is the app with models and routes that is cheapest to carve out (foreign keys and ORM calls elsewhere, plus its endpoints).".to_string(),
        "The service gets its own schema or database (the guide's majority choice); a shared database during transition lowers step 3 and defers the FK work.".to_string(),
    ]
    };
    if app.is_some() && chosen.is_none() {
        assumptions.push(format!(
            "The requested app `{}` is not among the project's own apps; no candidate is costed.",
            app.unwrap_or_default()
        ));
    } else if chosen.is_none() {
        assumptions.push("No project app with models was found, so no candidate is costed.".into());
    }

    let mut s1 = StepBuilder::new(DjangoToFlask, 1);
    // Zero-padded so that the ranks also sort as text.
    let width = ranked.len().to_string().len();
    for (i, c) in ranked.iter().enumerate() {
        let item = s1.add(
            "CP701",
            format!(
                "#{:0width$} `{}`: {} models, FKs in {} / out {}, {} ORM calls elsewhere{}",
                i + 1,
                c.label,
                c.models.len(),
                c.fk_in.iter().map(|e| e.1).sum::<usize>(),
                c.fk_out.iter().map(|e| e.1).sum::<usize>(),
                c.orm_elsewhere,
                if chosen.is_some_and(|x| x.label == c.label) {
                    " (planned below)"
                } else {
                    ""
                }
            ),
            None,
            &c.label,
        );
        item.detail.insert("rank".into(), (i + 1).to_string());
        item.detail.insert("fk_in".into(), edges_text(&c.fk_in));
        item.detail.insert("fk_out".into(), edges_text(&c.fk_out));
        item.detail
            .insert("coupling_score".into(), format!("{:.1}", c.coupling_score));
    }
    let graph: Vec<String> = inv
        .app_edges
        .iter()
        .map(|e| format!("{} -> {} ({})", e.from, e.to, e.count))
        .collect();
    let mut s2 = StepBuilder::new(DjangoToFlask, 2);
    let mut s3 = StepBuilder::new(DjangoToFlask, 3);
    let mut s4 = StepBuilder::new(DjangoToFlask, 4);
    let mut s5 = StepBuilder::new(DjangoToFlask, 5);

    if let Some(c) = chosen {
        let label = c.label.as_str();
        let dir = dir_of(c);
        let in_app = |file: &str| whole || file_in(file, &dir);
        let names: BTreeSet<&str> = c.models.iter().map(|s| s.as_str()).collect();
        let models = models_of(inv, c, whole);
        // Step 1: the service and what moves into it.
        s1.add(
            "CP702",
            if whole {
                format!(
                    "new Flask application replacing the Django project ({} models)",
                    models.len()
                )
            } else {
                format!(
                    "new Flask service owning `{label}` ({} models) behind a JSON API",
                    models.len()
                )
            },
            None,
            label,
        );
        for m in &models {
            let item = s1.add(
                "CP703",
                format!(
                    "{} ({} fields) -> SQLAlchemy model on table {}",
                    m.name,
                    m.fields.len(),
                    m.table.as_deref().unwrap_or("(default)")
                ),
                Some((m.file.as_str(), m.line)),
                &format!("{}.{}", m.module, m.name),
            );
            if let Some(t) = &m.table {
                item.detail.insert("table".into(), t.clone());
            }
        }
        let routes = routes_of(inv, c, whole);
        for r in &routes {
            s1.add(
                "CP704",
                format!("{} -> Flask endpoint returning JSON", r.rule),
                Some((r.file.as_str(), r.line)),
                &r.rule,
            );
        }
        for a in inv.admin.iter().filter(|a| {
            let n = a.model.rsplit('.').next().unwrap_or(&a.model);
            names.contains(n) && (in_app(&a.file) || a.model.contains(label))
        }) {
            s1.add(
                "CP705",
                format!("admin for {} does not follow the model", a.model),
                Some((a.file.as_str(), a.line)),
                &a.model,
            );
        }
        for sg in inv.signals.iter().filter(|sg| {
            in_app(&sg.file)
                || sg
                    .target
                    .as_deref()
                    .is_some_and(|t| names.contains(t.rsplit('.').next().unwrap_or(t)))
        }) {
            s1.add(
                "CP706",
                format!(
                    "{} `{}` -> event or explicit call across the boundary",
                    sg.kind, sg.name
                ),
                Some((sg.file.as_str(), sg.line)),
                &format!("{} {}", sg.kind, sg.name),
            );
        }
        for f in inv.forms.iter().filter(|f| in_app(&f.file)) {
            s1.add(
                "CP707",
                format!("{} ({}) -> Marshmallow/Pydantic schema", f.name, f.kind),
                Some((f.file.as_str(), f.line)),
                &format!("{}.{}", f.module, f.name),
            );
        }
        for j in inv.jobs.iter().filter(|j| in_app(&j.file)) {
            s1.add(
                "CP708",
                format!("{} {} moves to the service", j.kind, j.name),
                Some((j.file.as_str(), j.line)),
                &j.name,
            );
        }
        // Step 2: ORM calls elsewhere, grouped into client methods.
        let mut methods: BTreeMap<(String, &str), usize> = BTreeMap::new();
        for cs in orm_calls_outside(inv, c, whole) {
            let t = cs.target.as_deref().unwrap_or("");
            let op = operation(t);
            let model = call_model(t).to_string();
            let method = format!("{}_{}", snake(&model), op);
            *methods.entry((model.clone(), op)).or_default() += 1;
            let item = s2.add(
                "CP710",
                format!("{t} -> client.{method}(...)"),
                Some((cs.file.as_str(), cs.line)),
                t,
            );
            item.detail.insert("client_method".into(), method);
        }
        for ((model, op), n) in &methods {
            let method = format!("{}_{op}", snake(model));
            let item = s2.add(
                "CP711",
                format!(
                    "client.{method}() for {n} call sites -> {}",
                    endpoint_for(model, op)
                ),
                None,
                &method,
            );
            item.detail
                .insert("endpoint".into(), endpoint_for(model, op));
        }
        if whole {
            for cs in inv.call_sites.iter().filter(|cs| cs.kind == "django.orm") {
                let t = cs.target.as_deref().unwrap_or("");
                s2.add(
                    "CP712",
                    format!("{t} -> SQLAlchemy query"),
                    Some((cs.file.as_str(), cs.line)),
                    t,
                );
            }
        }
        // Step 3: tables and boundary-crossing FKs.
        for m in models.iter().filter(|_| !whole) {
            let table = m
                .table
                .clone()
                .unwrap_or_else(|| format!("{label}_{}", m.name.to_ascii_lowercase()));
            s3.add(
                "CP720",
                format!("table {table} ({}) moves to the service's schema", m.name),
                Some((m.file.as_str(), m.line)),
                &table,
            );
        }
        for (other, n, dir_text) in c
            .fk_in
            .iter()
            .map(|(o, n)| (o, *n, format!("{o} -> {label}")))
            .chain(
                c.fk_out
                    .iter()
                    .map(|(o, n)| (o, *n, format!("{label} -> {o}"))),
            )
        {
            let item = s3.add_with(
                "CP721",
                format!(
                    "{dir_text}: {n} foreign key(s) cross the boundary -> opaque ids + API lookups"
                ),
                None,
                &dir_text,
                effort::FK_CROSSING.times(n as f64),
            );
            item.detail.insert("other_app".into(), other.clone());
            item.detail.insert("foreign_keys".into(), n.to_string());
        }
        s3.add(
            "CP722",
            if whole {
                "the tables stay; Alembic takes over the schema from Django's migrations; parallel run, then the switch".to_string()
            } else {
                "own schema or database for the service, parallel run, then the parent stops reading the tables".to_string()
            },
            None,
            label,
        );
        // Step 4: auth.
        if !whole {
            s4.add(
                "CP730",
                "HMAC-signed requests or JWT from the Django parent, verified in a before_request hook"
                    .to_string(),
                None,
                label,
            );
        }
        let mut user_facing = false;
        for r in routes.iter().filter(|r| !r.auth.is_empty()) {
            let req = r.auth.join(", ");
            let low = req.to_ascii_lowercase();
            if low.contains("login") || low.contains("authenticated") || low.contains("session") {
                user_facing = true;
            }
            s4.add(
                "CP731",
                format!("{} [{req}] -> claims checked in the service", r.rule),
                Some((r.file.as_str(), r.line)),
                &format!("{} {req}", r.rule),
            );
        }
        if user_facing {
            s4.add(
                "CP732",
                "routes require a logged-in user: Flask-Login + Authlib, or an auth gateway, if the service is public".to_string(),
                None,
                label,
            );
        }
        // Step 5: observability.
        let mut seen = BTreeSet::new();
        for (dep, what, repl) in OBSERVABILITY {
            let hit = inv
                .dependencies
                .iter()
                .map(|d| (d.name.as_str(), Some((d.file.as_str(), d.line))))
                .chain(inv.extensions.iter().map(|e| (e.name.as_str(), None)))
                .find(|(n, _)| n.to_ascii_lowercase().replace('_', "-") == *dep);
            if let Some((_, loc)) = hit
                && seen.insert(*dep)
            {
                s5.add("CP740", format!("{what} -> {repl}"), loc, dep);
            }
        }
        if let Some(st) = inv.settings.iter().find(|s| s.name == "LOGGING") {
            s5.add(
                "CP740",
                "LOGGING setting (dictConfig) -> logging config of the service with trace ids"
                    .to_string(),
                Some((st.file.as_str(), st.line)),
                "LOGGING",
            );
        }
        s5.add(
            "CP741",
            "OpenTelemetry tracing, metrics and logs in the service, context propagated from the parent".to_string(),
            None,
            label,
        );
        s2.summary = format!(
            "{} ORM call sites outside `{label}` use its models; they imply {} client-library methods.",
            s2.items.iter().filter(|i| i.rule == "CP710").count(),
            methods.len()
        );
        s3.summary = format!(
            "{} tables move; {} foreign keys cross the new boundary (in: {}; out: {}).",
            models.len(),
            c.fk_in.iter().chain(&c.fk_out).map(|e| e.1).sum::<usize>(),
            edges_text(&c.fk_in),
            edges_text(&c.fk_out)
        );
        s4.summary = format!(
            "Internal service auth, {} protected routes to re-express{}.",
            routes.iter().filter(|r| !r.auth.is_empty()).count(),
            if user_facing {
                ", end-user login if public"
            } else {
                ""
            }
        );
        s5.summary = format!(
            "{} observability integrations to replace; OpenTelemetry baseline for the service.",
            s5.items.iter().filter(|i| i.rule == "CP740").count()
        );
    }
    s1.summary = format!(
        "{} project apps ranked by coupling ({}). FK graph: {}.",
        ranked.len(),
        match chosen {
            Some(c) => format!("planned: `{}`", c.label),
            None => "none planned".into(),
        },
        if graph.is_empty() {
            "no edges".into()
        } else {
            graph.join(", ")
        }
    );
    s1.basis = format!(
        "Guide step 1 (carve the app with the fewest foreign keys into the rest); ranking key = FK edges x {:.0} h + ORM calls elsewhere x {:.0} h (midpoints of CP721 and CP710).",
        mid(effort::FK_CROSSING),
        mid(effort::ORM_TO_HTTP)
    );
    s2.basis = "Guide step 2 (swap ORM calls for HTTP calls wrapped in a thin client library): CP710 per call site, CP711 per implied method.".into();
    s3.basis = format!(
        "Guide step 3 and the guide total (2-6 weeks depending on database coupling): each crossing FK costs CP721 {}-{} h, which is what spreads the estimate.",
        effort::FK_CROSSING.low,
        effort::FK_CROSSING.high
    );
    s4.basis = "Guide step 4 (JWT or HMAC for an internal service; Flask-Login + Authlib or a gateway if public).".into();
    s5.basis = "Guide step 5 (Django's Sentry and Datadog setups do not transfer; OpenTelemetry for both).".into();
    (vec![s1, s2, s3, s4, s5], assumptions)
}

pub fn snake(name: &str) -> String {
    let mut o = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                o.push('_');
            }
            o.push(c.to_ascii_lowercase());
        } else {
            o.push(c);
        }
    }
    o
}

pub fn endpoint_for(model: &str, op: &str) -> String {
    let res = format!("/{}s", snake(model));
    match op {
        "get" => format!("GET {res}/<id>"),
        "list" => format!("GET {res}?filters"),
        "create" => format!("POST {res}"),
        "update" => format!("PATCH {res}/<id>"),
        "delete" => format!("DELETE {res}/<id>"),
        _ => format!("GET {res}/query (custom)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations() {
        assert_eq!(operation("Order.objects.get"), "get");
        assert_eq!(operation("Order.objects.filter"), "list");
        assert_eq!(operation("Order.objects.create"), "create");
        assert_eq!(operation("Order"), "query");
        assert_eq!(call_model("Order.objects.filter"), "Order");
        assert_eq!(snake("OrderLine"), "order_line");
        assert_eq!(endpoint_for("OrderLine", "get"), "GET /order_lines/<id>");
    }

    #[test]
    fn files() {
        assert!(file_in("shop/views.py", "shop/"));
        assert!(file_in("src/shop/views.py", "shop/"));
        assert!(!file_in("workshop/views.py", "shop/"));
        assert_eq!(app_dir("project.shop"), "project/shop/");
    }
}
