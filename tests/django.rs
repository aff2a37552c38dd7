//! Django extraction on small fixture repositories (positive and negative
//! cases), snapshotted with insta. Only the Django-owned parts of the JSON
//! inventory are kept, so that other extractors' output does not churn these.

use crossport::scan::{ScanOptions, scan};
use std::path::Path;

fn django_view(fixture: &str) -> serde_json::Value {
    let opts = ScanOptions {
        threads: 1,
        ..ScanOptions::default()
    };
    let (inv, _) = scan(Path::new(&format!("fixtures/{fixture}")), &opts).expect("scan");
    let text = crossport::report::json::render(&inv).expect("render");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut out = serde_json::Map::new();
    for key in [
        "root",
        "routes",
        "models",
        "admin",
        "apps",
        "app_edges",
        "auth",
        "forms",
        "signals",
        "migrations",
        "settings",
        "templates",
        "warnings",
    ] {
        out.insert(key.into(), doc[key].clone());
    }
    let jobs: Vec<serde_json::Value> = doc["jobs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|j| {
            matches!(
                j["kind"].as_str(),
                Some("management_command" | "django_tasks" | "django_q" | "rq")
            )
        })
        .cloned()
        .collect();
    out.insert("jobs".into(), jobs.into());
    serde_json::Value::Object(out)
}

#[test]
fn django_basic_project() {
    // split settings via manage.py, INSTALLED_APPS concatenation, AppConfig.label,
    // include chains with namespaces, i18n_patterns, DRF routers and actions,
    // abstract bases, proxies, custom user, admin, forms, signals, jobs.
    insta::assert_json_snapshot!(django_view("django_basic"));
}

#[test]
fn django_without_settings() {
    // no settings module: the urls module is found, Meta.app_label is used,
    // an unresolvable helper call becomes a warning.
    insta::assert_json_snapshot!(django_view("django_nosettings"));
}

#[test]
fn not_django_is_ignored() {
    // Django-looking names without any django import: nothing is extracted.
    let v = django_view("django_negative");
    assert_eq!(v["routes"], serde_json::json!([]));
    assert_eq!(v["models"], serde_json::json!([]));
}

#[test]
fn drf_router_routes_follow_viewset_methods() {
    let v = django_view("django_basic");
    let rules: Vec<&str> = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["rule"].as_str())
        .collect();
    // ModelViewSet: list + detail + actions, with lookup_field
    assert!(rules.contains(&"api/^posts/(?P<slug>[^/.]+)/set-title/$"));
    assert!(rules.contains(&"api/^posts/recent/$"));
    // DefaultRouter: API root and format suffixes
    assert!(rules.contains(&"api/^$"));
    assert!(rules.contains(&"api/^tags\\.(?P<format>[a-z0-9]+)/?$"));
    // SimpleRouter(trailing_slash=False), read-only viewset
    assert!(rules.contains(&"api/^ro-tags$"));
    assert!(rules.contains(&"api/^ro-tags/(?P<pk>[^/.]+)$"));
    // i18n_patterns prefix from LANGUAGE_CODE
    assert!(rules.contains(&"de/about/"));
}
