//! Django extraction on small fixture repositories (positive and negative
//! cases), snapshotted with insta. Only the Django-owned parts of the JSON
//! inventory are kept, so that other extractors' output does not churn these.

mod common;

use crossport::scan::{ScanOptions, scan};
use std::path::Path;

/// The values of `key` in the objects of `v[list]` (`values(v, "models", "name")`).
fn values<'a>(v: &'a serde_json::Value, list: &str, key: &str) -> Vec<&'a str> {
    v[list]
        .as_array()
        .expect(list)
        .iter()
        .filter_map(|x| x[key].as_str())
        .collect()
}

/// The given keys of every route (a missing one as ""), sorted.
fn route_keys(v: &serde_json::Value, keys: &[&str]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = v["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .map(|r| {
            keys.iter()
                .map(|k| r[*k].as_str().unwrap_or("").to_string())
                .collect()
        })
        .collect();
    out.sort();
    out
}

/// `rows` as owned strings, for comparing with `route_keys`.
fn rows<const N: usize>(rows: &[[&str; N]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// (rule, endpoint) of every route, sorted; each must be resolved.
fn resolved_rules_and_names(v: &serde_json::Value) -> Vec<(String, String)> {
    let mut rules: Vec<(String, String)> = v["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .map(|r| {
            assert_eq!(r["resolved"], true, "{r:#}");
            (
                r["rule"].as_str().unwrap_or("").to_string(),
                r["endpoint"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    rules.sort();
    rules
}

/// The model of that class name in an inventory.
fn model<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["models"]
        .as_array()
        .expect("models")
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no model {name}"))
}

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

/// Django knows the models of the modules something imports: an installed app's `models` and
/// what it imports (`blog.parts`), not those of a sub-package of the app that nothing imports
/// (`blog.importers`, whose `admin` module Django's autodiscovery does not load either). Django
/// 5.2 on the same layout: `apps.get_models()` has Post and Tagline, the admin site Post.
#[test]
fn models_of_modules_nothing_imports_are_not_djangos() {
    let v = django_view("django_basic");
    assert_eq!(model(&v, "Tagline")["module"], "blog.parts");
    let names = values(&v, "models", "name");
    assert!(!names.contains(&"ImportedPost"), "{names:?}");
    let admin = values(&v, "admin", "model");
    assert!(
        admin.iter().all(|m| !m.contains("ImportedPost")),
        "{admin:?}"
    );
}

/// Patterns built by helpers the way Askbot builds them: `pgettext(context, message)` and its
/// lazy twin in a pattern (the message, as the resolver sees it untranslated), and a helper that
/// copies its `*args` into a list, replaces the pattern and calls `re_path(*args, **kwargs)`; DRF
/// routers whose `trailing_slash` is set on the instance (Evennia's `"/?"`) or given to the
/// constructor (where any truthy value means `/`); settings a django-appconf class declares
/// (`PROJ_<NAME>`, the project's own value kept). The expected set is Django 5.2's resolver
/// with DRF 3.18 and django-appconf 1.x for the fixture (pattern, view, name); its models are
/// those `apps.get_models()` lists (a models package that imports its modules by computed
/// names, which no reference in the code shows).
#[test]
fn pattern_helpers_forwarding_args_equal_django_resolver() {
    let v = django_view("django_url_args");
    let want = rows(&[
        ["^$", "proj.views.index", "index"],
        ["^about/$", "proj.views.index", "about"],
        [
            "^api/^things/(?P<pk>[^/.]+)/?$",
            "proj.views.ThingViewSet",
            "thing-detail",
        ],
        ["^api/^things/?$", "proj.views.ThingViewSet", "thing-list"],
        ["^groups/$", "proj.views.add_group", "groups"],
        ["^questions/$", "proj.views.index", "main"],
        ["^rss/", "proj.views.index", "feeds"],
        ["^s/add-group/$", "proj.views.add_group", "add_group"],
        ["^s/questions/$", "proj.views.index", "questions"],
        ["^v2/^parts/$", "proj.views.PartViewSet", "part-list"],
    ]);
    assert_eq!(route_keys(&v, &["rule", "view", "endpoint"]), want, "{v:#}");
    // a models package importing its modules by computed names: Django 5.2 registers Book
    assert_eq!(values(&v, "models", "name"), ["Book"], "{v:#}");
}

/// A launcher names the settings by a module constant (`os.environ["DJANGO_SETTINGS_MODULE"] =
/// SETTINGS_DOTPATH`, as Evennia's does), with a literal only in a test-mode branch; the game's
/// settings star-import the framework's defaults and turn an API on. The settings that extend
/// the other declared module are the project's: Django 5.2's resolver with them lists both
/// patterns (crossport before: the defaults, without `api/`).
#[test]
fn settings_named_by_a_constant_extending_defaults_equal_django_resolver() {
    let v = django_view("django_settings_constant");
    let want = rows(&[
        ["", "gamelib.views.index"],
        ["api/", "gamelib.views.api_root"],
    ]);
    assert_eq!(route_keys(&v, &["rule", "view"]), want, "{v:#}");
}

/// Plugin apps' URLconfs included in a loop over the app registry whose body also logs
/// through a library's logger (a method of an object not known, which changes nothing known);
/// a DRF router subclass whose `register(*args, **kwargs)` override hands every registration
/// on to a router held by the class (one object, shared by every instance) and then to
/// `super()` (called with keywords too: the instance's own routes mounted under `v2/`), and
/// one whose `register` does DRF's work itself (`self.registry.append`, as NetBox-style
/// routers do: DRF's method stands for it, under `v3/`); an
/// admin registration of a helper's parameter, which nothing calls; regexes joined from an
/// `Enum`'s members (a static method mapping a lambda over the class, a generator over it at
/// top level reading `.name`). The
/// expected set is Django 5.2.20's resolver with DRF 3.18.3 for the fixture (admin views left
/// out: they are one group); its admin registry holds `Tool` only. crossport before: `api/`,
/// its suffix twin and `home/` (the loop and the shared router lost), and a `model_class` model.
#[test]
fn plugin_loop_and_shared_router_equal_django_resolver() {
    let v = django_view("django_plugin_shared_router");
    let mut got = route_keys(&v, &["rule", "view"]);
    got.retain(|r| !r[0].starts_with("admin/"));
    let want = rows(&[
        ["^calendar/(?P<item_type>tool|area)/$", "proj.views.home"],
        ["^kind/(?P<kind>tool|area)/$", "proj.views.home"],
        ["alpha/", "proj.plugins.alpha.views.alpha_index"],
        ["alpha/<int:pk>/", "proj.plugins.alpha.views.alpha_detail"],
        ["api/", "rest_framework.routers.APIRootView"],
        [
            "api/<drf_format_suffix:format>",
            "rest_framework.routers.APIRootView",
        ],
        ["api/^parts/$", "proj.parts.views.PartViewSet"],
        [
            "api/^parts\\.(?P<format>[a-z0-9]+)/?$",
            "proj.parts.views.PartViewSet",
        ],
        ["api/^things/$", "proj.things.views.ThingViewSet"],
        [
            "api/^things/(?P<pk>[^/.]+)/$",
            "proj.things.views.ThingViewSet",
        ],
        [
            "api/^things/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$",
            "proj.things.views.ThingViewSet",
        ],
        [
            "api/^things\\.(?P<format>[a-z0-9]+)/?$",
            "proj.things.views.ThingViewSet",
        ],
        ["home/", "proj.views.home"],
        ["v2/^parts/$", "proj.parts.views.PartViewSet"],
        ["v3/^old-parts/$", "proj.parts.views.PartViewSet"],
    ]);
    assert_eq!(got, want, "{v:#}");
    assert_eq!(values(&v, "admin", "model"), ["proj.models.Tool"], "{v:#}");
}

#[test]
fn django_without_settings() {
    // no settings module: the urls module is found, Meta.app_label is used,
    // an unresolvable helper call becomes a warning.
    insta::assert_json_snapshot!(django_view("django_nosettings"));
}

#[test]
fn registry_instances_carry_state() {
    // URLs collected at run time by an instance of the project's own registry
    // class: discovery loops over installed apps, imports `<app>.plugins` and
    // calls its hook with the registry (a function, or a plugin class whose
    // method fills it); plain calls add more; calling the registry builds the
    // includes. Negative: registries filled from run-time input or by
    // unbounded recursion give no routes (a warning each), and a section
    // without views gives none either.
    let v = django_view("django_registry");
    let rules = values(&v, "routes", "rule");
    assert_eq!(
        rules,
        [
            "panel/about/",
            "panel/blog/",
            "panel/blog/<slug:slug>/",
            "panel/shop/",
            "panel/shop/orders/<int:pk>/",
        ]
    );
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("under \\\"dynamic/"), "{warnings}");
    assert!(warnings.contains("under \\\"deep/"), "{warnings}");
    insta::assert_json_snapshot!(v);
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
    let rules = values(&v, "routes", "rule");
    // ModelViewSet: list + detail + actions, with lookup_field
    assert!(rules.contains(&"api/^posts/(?P<slug>[^/.]+)/set-title/$"));
    assert!(rules.contains(&"api/^posts/recent/$"));
    // DefaultRouter: API root (a `path("")` since DRF 3.15) and format suffixes
    assert!(rules.contains(&"api/"));
    assert!(rules.contains(&"api/<drf_format_suffix:format>"));
    assert!(rules.contains(&"api/^tags\\.(?P<format>[a-z0-9]+)/?$"));
    // SimpleRouter(trailing_slash=False), read-only viewset
    assert!(rules.contains(&"api/^ro-tags$"));
    assert!(rules.contains(&"api/^ro-tags/(?P<pk>[^/.]+)$"));
    // i18n_patterns prefix from LANGUAGE_CODE
    assert!(rules.contains(&"de/about/"));
}

#[test]
fn url_helper_functions_are_interpreted() {
    // URL lists built by the project's own helpers: `*helper(...)` items,
    // classmethods with `cls` attributes, comprehensions, f-strings, `%` and
    // `.format`, `for` + `enumerate` + `append`, `**kwargs` + `.pop`, and a
    // top-level `if settings.X:` whose value is known.
    let v = django_view("django_urlhelpers");
    let routes = v["routes"].as_array().unwrap();
    let rules = values(&v, "routes", "rule");
    // a lambda view has the name Python gives it
    let robots = routes
        .iter()
        .find(|r| r["rule"] == "robots.txt")
        .expect("robots.txt");
    assert_eq!(robots["view"], "proj.urls.<lambda>");
    for want in [
        "crud/items/",
        "crud/items/new/",
        "crud/items/<int:item_id>/",
        "crud/tags/",
        "crud/tags/new/",
        "crud/export.json",
        "crud/export/<fmt>",
        "crud/v/<version>/export.json",
        "crud/v/<version>/export/<fmt>",
        "crud/",
        "crud/mine/",
        "crud/new/",
        "crud/thread/<int:pk>/post/<int:post>/",
        "crud/thread/<int:pk>/last/",
        "crud/thread/<int:pk>/new/",
    ] {
        assert!(rules.contains(&want), "missing {want}: {rules:?}");
    }
    // negative: filtered-out actions, the branch not taken, DEBUG-only URLs,
    // run-time input, unbounded recursion
    for unwanted in [
        "crud/items/<int:item_id>/delete/",
        "crud/tags/<int:pk>/",
        "crud/lists/",
        "crud/debug-only/",
    ] {
        assert!(!rules.contains(&unwanted), "unexpected {unwanted}");
    }
    // a helper that imports inside its body: the local name is bound
    assert!(
        rules.contains(&"crud/tags2/"),
        "missing crud/tags2/: {rules:?}"
    );
    // plugin URLconfs: a top-level loop over `apps.get_app_configs()` that
    // includes `import_module(f"{app.name}.urls")` for apps with `PluginMeta`;
    // an app without it, and one whose urls module is missing (ImportError), add nothing;
    // the plugin registers a viewset on a router it imports from the project
    for want in ["plugins/cart/", "plugins/<event>/pay/", "api/^carts/$"] {
        assert!(rules.contains(&want), "missing {want}: {rules:?}");
    }
    assert!(
        !rules
            .iter()
            .any(|r| r.contains("hidden") || r.contains("<organizer>"))
    );
    // a property that calls a method overriding one it extends through super(),
    // and a subclass that changes only the prefix the methods read; cooperative
    // super() along the C3 order (Listing's super() is Reviews there)
    for want in [
        "crud/shop/",
        "crud/shop/cart/",
        "crud/sale/",
        "crud/sale/cart/",
        "crud/catalogue/",
        "crud/catalogue/reviews/",
        "crud/catalogue/all/",
    ] {
        assert!(rules.contains(&want), "missing {want}: {rules:?}");
    }
    // a table of URLconfs: the module popped out of a nested dict, its name made with
    // `str.format(**entry)`, the rest of the dict passed as `**kwargs` to include() (a
    // minimal project of this loop gives the same rule and name in Django 5.2; before: the
    // loop was lost without a warning)
    assert!(rules.contains(&"meta/items/"), "{rules:?}");
    assert_eq!(rules.len(), 28, "{rules:?}");
    let view_of = |rule: &str| {
        routes.iter().find(|r| r["rule"] == rule).unwrap()["view"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(view_of("crud/items/new/"), "crud.views.ItemView");
    assert_eq!(view_of("crud/mine/"), "crud.views.ListView");
    assert_eq!(view_of("crud/thread/<int:pk>/last/"), "crud.views.GotoView");
    assert_eq!(view_of("crud/export/<fmt>"), "crud.views.export");
    assert_eq!(view_of("plugins/<event>/pay/"), "plugins.shop.views.pay");
    assert_eq!(view_of("api/^carts/$"), "plugins.shop.views.CartViewSet");
    let endpoint =
        |rule: &str| routes.iter().find(|r| r["rule"] == rule).unwrap()["endpoint"].clone();
    assert_eq!(endpoint("crud/mine/"), "crud:lists-mine");
    assert_eq!(endpoint("meta/items/"), "crud_meta:meta-items");
    assert_eq!(endpoint("plugins/cart/"), "shopplugin:cart");
    assert_eq!(
        endpoint("crud/v/<version>/export.json"),
        "crud:versioned-export.json"
    );
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("include_forever"));
    assert!(warnings.contains("EXTRA"));
}

#[test]
fn third_party_model_bases_with_own_fields() {
    let v = django_view("django_urlhelpers");
    let names = values(&v, "models", "name");
    assert!(names.contains(&"Token"), "{names:?}");
    assert!(names.contains(&"RefreshToken"), "{names:?}");
    assert!(!names.contains(&"TokenHelper"), "{names:?}");
    assert!(
        names.contains(&"Grant") && names.contains(&"Device"),
        "{names:?}"
    );
    assert!(!names.contains(&"Payload"), "{names:?}");
    let folder = model(&v, "Folder");
    assert_eq!(
        values(folder, "fields", "name"),
        ["name", "parent", "tags", "path", "depth", "numchild"]
    );
    assert_eq!(values(folder, "relations", "kind"), ["foreign_key"]);
    let token = model(&v, "AccessToken");
    let fields = values(token, "fields", "name");
    assert!(
        fields.contains(&"token") && fields.contains(&"expires"),
        "{fields:?}"
    );
    assert_eq!(values(token, "relations", "target"), ["auth.User"]);
}

/// Tasks declared on Celery's current app, `app.app_or_default()` of the module
/// `celery.app`: Celery 5.7 registers `runner.tasks.cleanup` and `runner.tasks.submit`.
#[test]
fn celery_tasks_on_the_current_app() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("runner/__init__.py", "");
    write(
        "runner/tasks.py",
        "from celery import app\n\ncelery_app = app.app_or_default()\n\n\n@celery_app.task(bind=True)\ndef submit(task, job_id):\n    return job_id\n\n\n@celery_app.task()\ndef cleanup():\n    return None\n\n\ndef helper():\n    return None\n",
    );
    let (inv, _) = scan(dir.path(), &ScanOptions::default()).expect("scan");
    let mut names: Vec<&str> = inv.jobs.iter().map(|j| j.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["runner.tasks.cleanup", "runner.tasks.submit"]);
}

#[test]
fn celery_tasks_registered_per_subclass() {
    let opts = ScanOptions {
        threads: 1,
        ..ScanOptions::default()
    };
    let (inv, _) = scan(Path::new("fixtures/django_urlhelpers"), &opts).expect("scan");
    let names: Vec<&str> = inv
        .jobs
        .iter()
        .filter(|j| j.kind == "celery")
        .map(|j| j.name.as_str())
        .collect();
    assert!(names.contains(&"crud.tasks.ExportJob.run"), "{names:?}");
    assert!(names.contains(&"crud.tasks.NightlyExport.run"), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("AsyncMixin.run")));
    assert!(!names.iter().any(|n| n.contains("Other.go")));
    // a Celery app built by a project factory, a decorator aliased by assignment
    assert!(names.contains(&"crud.workers.from_factory"), "{names:?}");
    assert!(names.contains(&"crud.workers.from_alias"), "{names:?}");
    assert!(!names.contains(&"crud.workers.not_a_task"), "{names:?}");
}

/// A package that appends its own folder to `sys.path` at import
/// (`Path(__file__).resolve().parent`) makes its sub-packages top-level:
/// `ROOT_URLCONF = "core.urls"` names `tool/core/urls.py`, and the app
/// `core` holds the model. The routes are Django 5.2's resolver output.
#[test]
fn a_folder_the_code_puts_on_sys_path_is_an_import_root() {
    let v = django_view("django_sys_path");
    assert_eq!(values(&v, "routes", "rule"), ["", "entry/<int:pk>/"]);
    assert_eq!(
        values(&v, "routes", "view"),
        ["core.views.home", "core.views.entry"]
    );
    assert_eq!(values(&v, "models", "module"), ["core.models"]);
}

/// URL prefixes read from Django's `FileSystemStorage.base_url` (as given,
/// and `MEDIA_URL` for a subclass given none), as projects mount the views
/// that serve private files. The rules are Django 5.2's resolver output.
#[test]
fn storage_base_urls_prefix_patterns_like_django() {
    let v = django_view("django_storage_prefix");
    let mut rules = values(&v, "routes", "rule");
    rules.sort();
    assert_eq!(
        rules,
        ["^$", "^media/thumbs/", "^protected/files/^(?P<path>.*)$"]
    );
}

#[test]
fn manage_py_inside_a_package_is_an_import_root() {
    // tracker/manage.py sets `config.settings`: run from tracker/, whose
    // packages are top-level (`issues`), while code also imports them by the
    // long name (`tracker.issues.base`), which must name the same modules.
    let v = django_view("django_script_root");
    assert_eq!(
        values(&v, "models", "module"),
        ["issues.base", "issues.models"]
    );
    let issue = model(&v, "Issue");
    let fields = values(issue, "fields", "name");
    assert!(
        fields.contains(&"created"),
        "inherited through the long import: {fields:?}"
    );
    assert_eq!(values(&v, "routes", "rule"), ["issues/"]);
    assert_eq!(values(&v, "routes", "view"), ["issues.views.index"]);
    assert_eq!(v["warnings"], serde_json::json!([]));
}

/// django-ninja: operations on an API and on routers (nested, mounted on two
/// APIs, one given as a dotted path), `api_operation`, `url_name`, operations declared inside a
/// constructor the API is handed to. The expected set is what Django 5.2's
/// URL resolver lists for this fixture with django-ninja 1.7.1 installed.
#[test]
fn ninja_operations_compose_like_ninja() {
    let v = django_view("django_ninja");
    let mut got: Vec<(String, String)> = v["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .map(|r| {
            assert_eq!(r["resolved"], true, "{r}");
            (
                r["rule"].as_str().unwrap_or_default().to_string(),
                r["endpoint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = [
        ("api/openapi.json", "api-2.0.0:openapi-json"),
        ("api/docs", "api-2.0.0:openapi-view"),
        ("api/ping", "api-2.0.0:ping"),
        ("api/status", "api-2.0.0:status"),
        ("api/orders/", "api-2.0.0:list_orders"),
        ("api/orders/", "api-2.0.0:create_order"),
        ("api/orders/<int:order_id>", "api-2.0.0:order-detail"),
        ("api/orders/lines/<order_id>/items", "api-2.0.0:order_items"),
        ("api/reports/daily", "api-2.0.0:daily"),
        ("api/", "api-2.0.0:api-root"),
        ("internal/openapi.json", "internal:openapi-json"),
        ("internal/", "internal:list_orders"),
        ("internal/", "internal:create_order"),
        ("internal/<int:order_id>", "internal:order-detail"),
        ("internal/lines/<order_id>/items", "internal:order_items"),
        ("internal/", "internal:api-root"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want);
    let view_of = |rule: &str, ep: &str| {
        v["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == rule && r["endpoint"] == ep)
            .map(|r| r["view"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(
        view_of("api/status", "api-2.0.0:status").as_deref(),
        Some("shop.endpoints.status")
    );
}

/// URL sets an AppConfig builds (`urls` property, `get_urls()` along a
/// cooperative MRO, `include(other_config.urls[0])`), then walks to decorate
/// views, where the decorator depends on a value not known statically: both
/// branches of `if permissions:` are followed, and `get_url_decorator` returns a
/// decorator or None. The expected set is what Django 5.2's resolver lists.
#[test]
fn app_config_url_sets_survive_conditions_not_known() {
    let v = django_view("django_appconfig_urls");
    let mut rules = values(&v, "routes", "rule");
    rules.sort();
    assert_eq!(rules, ["a/", "catalogue/b/", "catalogue/r/c/"], "{v:#}");
    assert_eq!(v["warnings"], serde_json::json!([]));
}

/// Plugins register URL mounts in a hook registry when discovery imports each
/// installed app's `hooks` module: a decorator factory of the project
/// (`@registry.hook("mount")`) and a plain call fill a module-level dict from
/// nested functions; discovery is a generator over `apps.get_app_configs()`
/// with `module_has_submodule` and `import_module`, marked done with
/// `global`; each mount is wrapped by a helper that unpacks `include()` and
/// returns `(patterns, app_name, namespace)`. The expected set is what
/// Django 5.2's resolver lists for this project.
#[test]
fn hook_registry_mounts_equal_django_resolver() {
    let v = django_view("django_hooks");
    let mut rules: Vec<(String, String)> = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["view"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    rules.sort();
    let expected = [
        ("", "hub.views.home"),
        ("^alpha/", "plugin_a.views.listing"),
        ("^alpha/<int:pk>/", "plugin_a.views.detail"),
        ("^beta/report/", "plugin_b.views.report"),
    ];
    assert_eq!(
        rules,
        expected.map(|(r, v)| (r.to_string(), v.to_string())),
        "{v:#}"
    );
    assert_eq!(v["warnings"], serde_json::json!([]));
}

/// Settings read through an app's own settings object (Mezzanine's
/// `mezzanine.conf.settings`): its class's `__getattr__` looks the name up in
/// a registry of defaults that modules imported in a loop over
/// INSTALLED_APPS fill with `register_setting()`, falls back to Django's
/// settings on `KeyError` (`APPEND_SLASH`, a default of Django's own), and
/// prefers the project's value (`PAGES_SLUG`) to the registered default
/// (`getattr(django_settings, name, default)`); `register_setting()` decides
/// something at run time, and the module calling it is imported inside the
/// loop's iteration: the whole module runs, as in Python (before 546761c, every
/// `blog/` rule was unknown). A second object (Misago's `StaticSettings`) tries
/// Django's settings, then a module of fallbacks, through `except
/// AttributeError`. The expected set is what Django 5.2.19's resolver lists for
/// this project. The admin registers the model a setting names, loaded with
/// `apps.get_model(*"blog.Post".split("."))` in a helper (a local import of the
/// registry), the setting's default written with `setattr(settings, ...)`:
/// Django's admin registry holds `blog.models.Post` (before: `blog.admin.Post`).
/// A model defined under an `if` (overridable, as django-oscar's are) and
/// registered as the value of a call, `register(get_model("blog.tag"))`, is
/// `blog.models.Tag` to the registry (before: not registered at all); so is one taken with
/// django-swapper's `load_model("blog", "Comment")` (before: `blog.admin.<call>`, not
/// registered).
/// A forwarding proxy (Django's `ConnectionProxy`) keeps its target in
/// `self.__dict__`, and a `__getattr__` that reads what was never set recurses
/// until Python raises RecursionError, caught by the project: before, that
/// recursion doubled at every level until the evaluation budget ran out, and
/// `shop/` was not known.
#[test]
fn settings_proxy_with_getattr_equals_django_resolver() {
    let v = django_view("django_settings_proxy");
    let admin: Vec<&str> = v["admin"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["model"].as_str().unwrap())
        .collect();
    assert_eq!(
        admin,
        ["blog.models.Comment", "blog.models.Post", "blog.models.Tag"]
    );
    let rules = resolved_rules_and_names(&v);
    let expected = [
        ("blog/", "blog_post_list"),
        ("blog/<slug:slug>/", "blog_post_detail"),
        ("blog/^archive/(?P<year>\\d{4})/$", "blog_archive"),
        ("blog/feeds/atom/", ""),
        ("blog/feeds/rss/", ""),
        ("p/<path:slug>/", "page"),
        ("shop/<int:pk>/", "shop_item"),
        ("staff/<path:slug>/", "staff_page"),
    ];
    assert_eq!(
        rules,
        expected.map(|(r, v)| (r.to_string(), v.to_string())),
        "{v:#}"
    );
}

/// A URL site behind Django's `LazyObject` (its `_setup()` makes the object
/// whose `urls` are read), its class named by a dotted path on the app
/// config (`import_string`), and plugin URLs from a registry filled at import
/// by the plugin modules, as django-wiki's site does: one imported for that
/// purpose (`from .plugins.files import wiki_plugin  # noqa`), one found by
/// `autodiscover_modules("wiki_plugin")` in an `AppConfig.ready()` (Django
/// runs every app's `ready()` before URLs resolve), whose slug is its own
/// settings module's `getattr(django_settings, NAME, default)` and whose
/// registration extends a list with what is not known; and a route to a
/// name of the project bound to Django's `LogoutView.as_view()`. The expected
/// set (and view class) is what Django 5.2.19's resolver lists.
#[test]
fn lazy_site_and_import_time_registry_equal_django_resolver() {
    let v = django_view("django_lazy_site");
    let rules = resolved_rules_and_names(&v);
    let expected = [
        ("logout/", "logout"),
        ("wiki/^^$", "wiki:root"),
        (
            "wiki/^^(?P<article_id>[0-9]+)/plugin/files/^$",
            "wiki:files_index",
        ),
        (
            "wiki/^^(?P<article_id>[0-9]+)/plugin/images/^(?P<image_id>[0-9]+)/$",
            "wiki:image",
        ),
    ];
    assert_eq!(
        rules,
        expected.map(|(r, v)| (r.to_string(), v.to_string())),
        "{v:#}"
    );
    // a name of the project's module bound to `LogoutView.as_view(...)`: the
    // view is Django's class, as the resolver's `view_class` says
    let logout = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "logout/")
        .expect("logout/");
    assert_eq!(logout["view"], "django.contrib.auth.views.LogoutView");
    assert_eq!(logout["third_party"], true);
}

/// `crossport scan` on the command line, as JSON, with `args` (no `$VIRTUAL_ENV` inherited).
fn scan_cli(fixture: &str, args: &[&str]) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_crossport"))
        .args([
            "scan",
            &format!("fixtures/{fixture}"),
            "--format",
            "json",
            "-q",
        ])
        .args(args)
        .env_remove("VIRTUAL_ENV")
        .output()
        .expect("run crossport");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// A ROOT_URLCONF in an installed package (Djblets' `djblets.urls.root` in Review Board) that
/// mounts the project's URLconf named by another setting, and the project's `include()` of an
/// installed app's URLconf: with the repository's `venv/` (found by default) the URLconfs
/// named there are read, so every route gets its URL, the installed app's marked
/// third-party; nothing there runs. Django 5.2's resolver lists `site/cart/` (shop.views.cart)
/// and `site/accounts/login/` (accounts.views.login). Without the environment, the root
/// URLconf is not found and the warning names the option. The abstract model a project
/// model derives from is read from the installed library for its fields.
#[test]
fn urlconfs_in_installed_packages_are_followed_into_site_packages() {
    let v = scan_cli("django_site_packages", &[]);
    let routes: Vec<(String, String, bool, bool)> = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["view"].as_str().unwrap_or("").to_string(),
                r["resolved"].as_bool().unwrap(),
                r["third_party"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        routes,
        [
            (
                "site/accounts/login/".into(),
                "accounts.views.login".into(),
                true,
                true
            ),
            ("site/cart/".into(), "shop.views.cart".into(), true, false),
        ]
    );
    assert_eq!(
        v["stats"]["mounted"],
        serde_json::json!([
            "site-packages/accounts/urls.py",
            "site-packages/comments/models.py",
            "site-packages/comments/abstracts.py",
            "site-packages/ordering/models.py",
            "site-packages/siteroot/urls.py",
            "site-packages/stamps/base.py"
        ])
    );
    // `class Slide(Orderable, TimeStamped)`: the installed library's abstract models give
    // their fields, also the one in a module not named `models` (`stamps.base`; Django 5.2:
    // id, sort_order, created, caption)
    let fields = |v: &serde_json::Value| -> Vec<String> {
        let mut f: Vec<String> = model(v, "Slide")["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        f.sort();
        f
    };
    assert_eq!(fields(&v), ["caption", "created", "sort_order"]);
    // `class Review(Comment)`: the library's concrete model keeps its abstract base's `body`
    // in its own table (Django 5.2's local fields: comment_ptr, stars)
    let review: Vec<&str> = model(&v, "Review")["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(review, ["stars"]);
    let off = scan_cli("django_site_packages", &["--no-site-packages"]);
    assert_eq!(fields(&off), ["caption"]);
    assert_eq!(off["routes"], serde_json::json!([]));
    let warning = off["warnings"][0]["message"].as_str().unwrap();
    assert!(warning.contains("--site-packages"), "{warning}");
}

/// Project models whose bases live in an installed package read from `--site-packages`
/// (`cms`, as Wagtail's `wagtail.models`): the package's `models/__init__.py` re-exports
/// `Orderable` and (by a star import) `Page` from its submodules, which are read where they
/// are defined. A subclass of the concrete `Page` is a model with no field of its own
/// (`HomePage`; `Index`, with only a plain attribute; `Landing`, through the project's
/// `HomePage`), and the abstract `Orderable` gives `sort_order` to `Country`; the concrete
/// `Page` keeps its fields (and its abstract bases') in its own table; a plain class of the
/// package (`Helper`) makes no model. Checked with Django 5.2 (`cms` and `shop` installed;
/// `_meta.local_fields` without auto-created ones): HomePage [], Index [], Landing [],
/// Country [sort_order, iso]. Without the package, only `Country` is known, by its field.
#[test]
fn models_whose_bases_live_in_an_installed_package() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "proj/manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shop.settings\")\n",
        ),
        ("proj/shop/__init__.py", ""),
        (
            "proj/shop/settings.py",
            "INSTALLED_APPS = [\"django.contrib.contenttypes\", \"cms\", \"shop\"]\n",
        ),
        (
            "proj/shop/models.py",
            r#"from django.db import models
from cms.models import Orderable, Page, Helper


class HomePage(Page):
    pass


class Index(Page):
    subpage_types = ("shop.Index",)


class Landing(HomePage):
    pass


class Country(Orderable):
    iso = models.CharField(max_length=2)


class Plain(Helper):
    pass
"#,
        ),
        ("site/cms/__init__.py", ""),
        (
            "site/cms/models/__init__.py",
            "from .helpers import Helper\nfrom .orderable import Orderable\nfrom .pages import *\n",
        ),
        (
            "site/cms/models/helpers.py",
            "class Helper:\n    label = \"helper\"\n",
        ),
        (
            "site/cms/models/orderable.py",
            r#"from django.db import models


class Orderable(models.Model):
    sort_order = models.IntegerField(null=True, blank=True, editable=False)
    sort_order_field = "sort_order"

    class Meta:
        abstract = True
"#,
        ),
        (
            "site/cms/models/pages.py",
            r#"from django.db import models

from .tree import Node

__all__ = ["Page"]


class BasePage(Node):
    title = models.CharField(max_length=255)

    class Meta:
        abstract = True


class Page(BasePage):
    slug = models.SlugField()
"#,
        ),
        (
            "site/cms/models/tree.py",
            r#"from django.db import models


class Node(models.Model):
    path = models.CharField(max_length=255)

    class Meta:
        abstract = True
"#,
        ),
    ];
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let models = |site_packages| -> Vec<String> {
        let opts = ScanOptions {
            site_packages,
            ..ScanOptions::default()
        };
        let inv = scan(&dir.path().join("proj"), &opts).expect("scans").0;
        let mut out: Vec<String> = inv
            .models
            .iter()
            .map(|m| {
                let mut fields: Vec<&str> = m.fields.iter().map(|f| f.name.as_str()).collect();
                fields.sort();
                format!("{}.{} [{}]", m.module, m.name, fields.join(","))
            })
            .collect();
        out.sort();
        out
    };
    use crossport::python::mount::SitePackages;
    assert_eq!(
        models(SitePackages::Dirs(vec![dir.path().join("site")])),
        [
            "shop.models.Country [iso,sort_order]",
            "shop.models.HomePage []",
            "shop.models.Index []",
            "shop.models.Landing []",
        ]
    );
    assert_eq!(models(SitePackages::Off), ["shop.models.Country [iso]"]);
}

/// Django 5.2 with `django_no_admin`'s settings: without `django.contrib.admin` installed
/// nothing imports `people/admin.py` (importing it by hand raises "No installed app with
/// label 'admin'"), so its registration is not the project's admin; `class BaseGroup(object)`
/// is a mixin whose base is Python's `object`, not a model (before: one admin registration
/// and `BaseGroup` reported as a model, its base read as `people.base.models.object`).
#[test]
fn admin_not_installed_and_object_mixins_equal_django() {
    let v = django_view("django_no_admin");
    assert_eq!(v["admin"], serde_json::json!([]), "{v:#}");
    let models: Vec<String> = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}.{}",
                m["module"].as_str().unwrap(),
                m["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(models, ["people.models.Group", "people.models.Person"]);
}

/// GeoDjango's `from django.contrib.gis.db import models` is Django's models module plus
/// geometry fields: `models.Model` makes models, `models.PointField` is a field. The
/// expected models and local fields (but the implicit `id`) are what Django 5.2 (with GDAL)
/// registers (before: no model at all).
#[test]
fn geodjango_models_module_is_djangos() {
    let v = django_view("django_geo");
    let models: Vec<(String, Vec<String>)> = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["abstract"] == false)
        .map(|m| {
            let mut fields: Vec<String> = m["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["name"].as_str().unwrap().to_string())
                .collect();
            fields.sort();
            (
                format!(
                    "{}.{}",
                    m["module"].as_str().unwrap(),
                    m["name"].as_str().unwrap()
                ),
                fields,
            )
        })
        .collect();
    let expected = [
        ("app.models.Licence", vec!["name", "url"]),
        ("app.models.Map", vec!["center", "licence", "name"]),
    ];
    assert_eq!(
        models,
        expected.map(|(m, f)| (m.to_string(), f.iter().map(|s| s.to_string()).collect())),
        "{v:#}"
    );
}

/// A `DefaultRouter` subclass overriding `get_lookup_regex()`: one group per entry of a
/// viewset's `lookup_fields`, `[^/]+` for the value, read with `getattr(viewset, name,
/// default)` on DRF viewsets (whose attributes are known: `lookup_field` is `GenericAPIView`'s
/// `"pk"` where the project sets none) and joined from a generator expression. The expected rules are what Django 5.2 with DRF 3.16 resolves (before: DRF's
/// stock `(?P<pk>[^/.]+)` lookups).
#[test]
fn router_subclass_lookup_regex_equals_drf() {
    let v = django_view("django_router_lookup");
    let mut rules: Vec<&str> = values(&v, "routes", "rule");
    rules.sort();
    assert_eq!(
        rules,
        [
            "api/",
            "api/<drf_format_suffix:format>",
            "api/^changes/$",
            "api/^changes/(?P<pk>[^/]+)/$",
            "api/^changes/(?P<pk>[^/]+)\\.(?P<format>[a-z0-9]+)/?$",
            "api/^changes\\.(?P<format>[a-z0-9]+)/?$",
            "api/^components/$",
            "api/^components/(?P<project__slug>[^/]+)/(?P<slug>[^/]+)/$",
            "api/^components/(?P<project__slug>[^/]+)/(?P<slug>[^/]+)\\.(?P<format>[a-z0-9]+)/?$",
            "api/^components\\.(?P<format>[a-z0-9]+)/?$",
            "api/^projects/$",
            "api/^projects/(?P<slug>[^/]+)/$",
            "api/^projects/(?P<slug>[^/]+)\\.(?P<format>[a-z0-9]+)/?$",
            "api/^projects\\.(?P<format>[a-z0-9]+)/?$",
        ]
    );
}

/// Plugin discovery in `AppConfig.ready()`: `dir()` of an imported module, `getattr()` of each
/// name, `obj is not Base and issubclass(obj, Base)` under `try: ... except TypeError:
/// continue` (a name bound to a number or to a function of the module raises, a library
/// module or a model class does not match), the classes kept in a dict on the config; the
/// URLconf loops over the configs and registers each class under a prefix built by its
/// classmethods. The expected rules are what Django 5.2 with DRF 3.16 resolves, checked again
/// with Django 5.2.19 and DRF 3.18.3 once the module had a function (before: the router's root
/// views only).
#[test]
fn viewsets_discovered_by_dir_and_issubclass_equal_django() {
    let v = django_view("django_plugin_discovery");
    let mut rules: Vec<&str> = values(&v, "routes", "rule");
    rules.sort();
    assert_eq!(
        rules,
        [
            "api/",
            "api/<drf_format_suffix:format>",
            "api/^core/parts/$",
            "api/^core/parts/(?P<pk>[^/.]+)/$",
            "api/^core/parts/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$",
            "api/^core/parts\\.(?P<format>[a-z0-9]+)/?$",
            "api/^core/things/$",
            "api/^core/things/(?P<pk>[^/.]+)/$",
            "api/^core/things/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$",
            "api/^core/things\\.(?P<format>[a-z0-9]+)/?$",
        ]
    );
}

/// `max()` and `min()`: of an iterable (a comprehension over a dict's items in a classmethod, as
/// a viewset's nesting depth is computed), of several arguments, with `default=` for an empty
/// iterable and with a `key=` function (the first largest item wins). Checked with Django
/// 5.2.19 (Python 3.11): the one route is `3-a-0-ab-1/` (before: not known).
#[test]
fn min_and_max_equal_python() {
    let (_dir, inv) = common::project(&[
        (
            "manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\n",
        ),
        ("proj/__init__.py", ""),
        (
            "proj/settings.py",
            "INSTALLED_APPS = []\nROOT_URLCONF = \"proj.urls\"\n",
        ),
        ("proj/views.py", "def page(request):\n    pass\n"),
        (
            "proj/urls.py",
            "from django.urls import path\nfrom proj import views\n\n\nclass NestedViewSet:\n    parent_lookup_kwargs = {\"repository_pk\": \"repository__pk\", \"version_pk\": \"repository__versions__pk\"}\n\n    @classmethod\n    def nest_depth(cls):\n        if not cls.parent_lookup_kwargs:\n            return 1\n        return max([len(v.split(\"__\")) for k, v in cls.parent_lookup_kwargs.items()])\n\n\nparts = [\n    str(NestedViewSet.nest_depth()),\n    min(\"b\", \"a\", \"c\"),\n    str(max([], default=0)),\n    max([\"ab\", \"c\", \"de\"], key=lambda s: len(s)),\n    str(min([3, 1, 2])),\n]\nurlpatterns = [path(\"-\".join(parts) + \"/\", views.page)]\n",
        ),
    ]);
    let rules: Vec<&str> = inv.routes.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(rules, ["3-a-0-ab-1/"]);
}

/// An AppConfig class with its own `__init__(app_name, app_module)`: Django makes the config by
/// calling the class, so the attributes `__init__` sets (`self.pages = []`, `self.urls_module =
/// None`) are there when `ready()` fills them and when the URLconf reads them in a loop over the
/// configs. Checked with Django 5.2.19: `['page/']` (before: no route, `config.urls_module` was
/// not known and the loop's iteration was dropped).
#[test]
fn app_config_init_runs_before_ready() {
    let (_dir, inv) = common::project(&[
        (
            "manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\n",
        ),
        ("proj/__init__.py", ""),
        (
            "proj/settings.py",
            "INSTALLED_APPS = [\"django.contrib.contenttypes\", \"plug.apps.PlugConfig\"]\n\
             ROOT_URLCONF = \"proj.urls\"\n",
        ),
        ("plug/__init__.py", ""),
        ("plug/views.py", "def page(request):\n    pass\n"),
        (
            "plug/apps.py",
            "from django.apps import AppConfig, apps\n\n\
             def plugin_configs():\n    for config in apps.get_app_configs():\n        \
             if isinstance(config, PlugConfig):\n            yield config\n\n\
             class PlugConfig(AppConfig):\n    name = \"plug\"\n\n    \
             def __init__(self, app_name, app_module):\n        \
             super().__init__(app_name, app_module)\n        self.pages = []\n        \
             self.urls_module = None\n\n    \
             def ready(self):\n        self.pages.append(\"page\")\n",
        ),
        (
            "proj/urls.py",
            "from django.urls import path\nfrom plug import views\nfrom plug.apps import plugin_configs\n\n\
             urlpatterns = []\nfor config in plugin_configs():\n    for name in config.pages:\n        \
             urlpatterns.append(path(name + \"/\", views.page))\n    if config.urls_module:\n        \
             urlpatterns.append(path(\"extra/\", views.page))\n",
        ),
    ]);
    let routes: Vec<(&str, &str)> = inv
        .routes
        .iter()
        .map(|r| (r.rule.as_str(), r.view.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(routes, [("page/", "plug.views.page")]);
}

/// An app's settings module read through a helper (`getattr(settings, f"RADIUS_{option}",
/// default)`) whose names the project's settings do not set: admin registrations under
/// `if app_settings.GROUPCHECK_ADMIN:`, `if app_settings.PLAIN_ADMIN:` and `if False:` never
/// run, and route strings built with `urllib.parse.urljoin(app_settings.CSV_URL_PATH, ...)`.
/// What Django 5.2 registers and resolves (before: four admin registrations and two `<?>`
/// routes).
#[test]
fn settings_branches_and_urljoin_equal_django() {
    let v = django_view("django_settings_branches");
    assert_eq!(values(&v, "admin", "model"), ["radius.models.RadiusCheck"]);
    let mut rules: Vec<&str> = values(&v, "routes", "rule");
    rules.sort();
    assert_eq!(
        rules,
        [
            "admin/",
            "api/v1/radius/organization/<path:path>",
            "api/v1/radius/organization/<slug:slug>/batch/<uuid:pk>/csv/",
        ]
    );
}

/// A URLconf that includes `(SimpleLazyObject(build), app_name)`: Django iterates the lazy
/// object, which calls `build()` on first use (horizon's site registry hands its URLconf over
/// this way). The expected routes are what Django 5.2.20's resolver gives for the fixture
/// (before: no route, "could not be resolved statically").
#[test]
fn a_lazy_object_of_patterns_is_what_its_function_returns() {
    let v = django_view("django_lazy_urlconf");
    assert_eq!(
        rules_and_views(&v),
        [
            ("panels/", "panels.views.overview"),
            ("panels/<int:pk>/", "panels.views.detail"),
        ]
    );
}

/// The (rule, view) of every route of a `django_view`, sorted.
fn rules_and_views(v: &serde_json::Value) -> Vec<(&str, &str)> {
    let mut routes: Vec<(&str, &str)> = v["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap(),
                r["view"].as_str().unwrap_or(""),
            )
        })
        .collect();
    routes.sort();
    routes
}

/// `from . import views` inside the function that builds the patterns, then
/// `views.LogoutView.as_view()` where the module re-exports a class of Django's: the view is
/// Django's own (third party), as Django 5.2's resolver gives it (before:
/// `radius.saml.views.LogoutView`, an own view).
#[test]
fn view_through_a_module_imported_in_a_function_is_the_class_it_imported() {
    let v = django_view("django_local_import_view");
    assert_eq!(
        rules_and_views(&v),
        [
            ("password/", "django.contrib.auth.views.PasswordChangeView"),
            ("saml2/login/", "radius.saml.views.LoginView"),
            ("saml2/logout/", "django.contrib.auth.views.LogoutView"),
        ]
    );
}

/// A class decorator of the project (`@routes.expose`, `@expose_as("cart")`) appends
/// `path(view.route, view.as_view())` to a module-level `urlpatterns = []` that another
/// URLconf includes as `include(api.routes)`: the decorators run as the classes are
/// defined, when the package's `__init__` imports their modules. The expected routes are
/// what Django 5.2's resolver gives for the fixture.
#[test]
fn class_decorators_of_the_project_run_and_fill_url_lists() {
    let v = django_view("django_class_decorator_urls");
    assert_eq!(
        rules_and_views(&v),
        [
            ("api/cart/", "shop.api.carts.Cart"),
            ("api/products/", "shop.api.products.Products"),
            ("api/products/<int:pk>/", "shop.api.products.Product"),
        ]
    );
    // the name a decorator factory's argument gives
    let cart = v["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .find(|r| r["rule"] == "api/cart/")
        .expect("cart route");
    assert_eq!(cart["endpoint"], "cart");
}

/// django-allauth's shape: a URLconf loops over a provider registry (an `OrderedDict` filled
/// by `__import__(f"{app}.provider")` over the installed apps), imports each provider's
/// `urls` by `cls.__module__.rpartition(".")[0]`, whose views come from `import_string` of a
/// function; the loop runs under `if app_settings.SOCIAL_ENABLED:`, an attribute of a module
/// with a PEP 562 `__getattr__` over properties that ask `apps.is_installed(...)` (the
/// SAML app is not installed, so its route is not there). The expected routes are Django
/// 5.2's resolver's for the fixture.
#[test]
fn a_provider_registry_loop_behind_module_getattr_settings() {
    let v = django_view("django_provider_registry");
    assert_eq!(
        rules_and_views(&v),
        [
            (
                "accounts/github/login/",
                "social.providers.github.views.oauth2_login"
            ),
            (
                "accounts/github/login/callback/",
                "social.providers.github.views.oauth2_callback"
            ),
            (
                "accounts/google/login/",
                "social.providers.google.views.oauth2_login"
            ),
            (
                "accounts/google/login/callback/",
                "social.providers.google.views.oauth2_callback"
            ),
        ]
    );
}

/// drf-nested-routers: `NestedSimpleRouter(router, "calendars", lookup="calendar")` puts the
/// parent's prefix and a `calendar_pk` lookup group before each route it registers. The
/// expected rules are what Django 5.2 resolves with drf-nested-routers 0.95.3 installed
/// (before: `api/^events/...`, as a plain `SimpleRouter` would make them); a nested router
/// given no `trailing_slash` takes its parent's (`cals`: none).
#[test]
fn nested_router_routes_start_with_the_parent_lookup() {
    let v = django_view("django_nested_router");
    let mut rules: Vec<&str> = values(&v, "routes", "rule");
    rules.sort();
    assert_eq!(
        rules,
        [
            "api/^calendars/$",
            "api/^calendars/(?P<calendar_pk>[^/.]+)/events/$",
            "api/^calendars/(?P<calendar_pk>[^/.]+)/events/(?P<pk>[^/.]+)/$",
            "api/^calendars/(?P<pk>[^/.]+)/$",
            "api/^cals$",
            "api/^cals/(?P<cal_pk>[^/.]+)/events$",
            "api/^cals/(?P<cal_pk>[^/.]+)/events/(?P<pk>[^/.]+)$",
            "api/^cals/(?P<pk>[^/.]+)$",
        ]
    );
}

/// drf-extensions: `ExtendedSimpleRouter().register(...)` returns a registry item whose own
/// `register(..., parents_query_lookups=[...])` adds routes to the same router under the
/// parents' prefixes, one `parent_lookup_<lookup>` group per parent with that parent
/// viewset's `lookup_value_regex`. The expected rules are what Django 5.2.20 resolves with
/// DRF 3.18.3 and drf-extensions 0.8.0 (rdmo's venv); before, the include was not known.
#[test]
fn drf_extensions_nested_registrations_compose_their_parents() {
    let v = django_view("django_drf_extensions_router");
    assert_eq!(
        resolved_rules_and_names(&v),
        [
            ("api/^projects/$", "project-list"),
            (
                "api/^projects/(?P<parent_lookup_project>[0-9]+)/values/$",
                "project-value-list"
            ),
            (
                "api/^projects/(?P<parent_lookup_value__project>[0-9]+)/values/(?P<parent_lookup_value>[^/.]+)/notes/$",
                "project-value-note-list"
            ),
            (
                "api/^projects/(?P<parent_lookup_value__project>[0-9]+)/values/(?P<parent_lookup_value>[^/.]+)/notes/(?P<pk>[^/.]+)/$",
                "project-value-note-detail"
            ),
            ("api/^projects/(?P<pk>[0-9]+)/$", "project-detail"),
        ]
        .map(|(r, e)| (r.to_string(), e.to_string()))
    );
}

/// INSTALLED_APPS built from a value the scan cannot know (an app list read from a config
/// file at run time) is reported, not silently cut to its known entries (swh-web 0.17.13: 16
/// of 22 apps came from such a list).
#[test]
fn installed_apps_known_only_in_part_are_reported() {
    let (_dir, inv) = common::project(&[
        (
            "manage.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
        ),
        ("proj/__init__.py", ""),
        (
            "proj/settings.py",
            "import json\nSECRET_KEY = 'x'\nROOT_URLCONF = 'proj.urls'\nEXTRA = json.load(open('/etc/apps.json'))\nINSTALLED_APPS = ['django.contrib.auth'] + [a for a in EXTRA]\n",
        ),
        (
            "proj/urls.py",
            "from django.urls import path\n\ndef v(request):\n    pass\n\nurlpatterns = [path('x/', v)]\n",
        ),
    ]);
    assert!(
        inv.warnings.iter().any(|w| w
            .message
            .starts_with("INSTALLED_APPS is known only in part")),
        "{:#?}",
        inv.warnings
    );
}

/// A storage made with its options as `**mapping` (django-filer's
/// `Storage(**FILER_STORAGES["private"]["main"]["OPTIONS"])`, the mapping kept in a `dict`
/// subclass): its `base_url` is the mapping's, else `MEDIA_URL`. Django 5.2.20 resolves the two
/// rules below (before: `^media/` for both once the mapping was known).
#[test]
fn storage_options_given_as_a_mapping() {
    let (_dir, inv) = common::project(&[
        (
            "manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\n",
        ),
        ("proj/__init__.py", ""),
        (
            "proj/settings.py",
            "SECRET_KEY = \"x\"\nROOT_URLCONF = \"proj.urls\"\nINSTALLED_APPS = [\"app\"]\nMEDIA_URL = \"/media/\"\n",
        ),
        (
            "proj/urls.py",
            "from django.urls import re_path\n\nfrom app.storages import PLAIN, PRIVATE\n\n\ndef serve(request, path):\n    pass\n\n\nurlpatterns = [\n    re_path(r\"^\" + PRIVATE.base_url.lstrip(\"/\") + r\"(?P<path>.*)$\", serve, name=\"private\"),\n    re_path(r\"^\" + PLAIN.base_url.lstrip(\"/\") + r\"(?P<path>.*)$\", serve, name=\"plain\"),\n]\n",
        ),
        ("app/__init__.py", ""),
        (
            "app/storages.py",
            "from django.core.files.storage import FileSystemStorage\n\n\nclass Settings(dict):\n    def merge(self, other):\n        for key, value in other.items():\n            self[key] = value\n\n\nSTORAGES = Settings({\"private\": {\"OPTIONS\": {}}})\nSTORAGES.merge({\"private\": {\"OPTIONS\": {\"location\": \"/tmp/p\", \"base_url\": \"/smedia/private/\"}}})\nPRIVATE = FileSystemStorage(**STORAGES[\"private\"][\"OPTIONS\"])\nPLAIN = FileSystemStorage(**{\"location\": \"/tmp/q\"})\n",
        ),
    ]);
    assert_eq!(
        common::resolved(&inv),
        common::owned(&[
            ("^media/(?P<path>.*)$", "plain"),
            ("^smedia/private/(?P<path>.*)$", "private"),
        ])
    );
}

/// The DRF a scan reads in its site-packages decides the router's root patterns: before 3.15
/// they are regexes (`^$`, evennia's venv holds DRF 3.14.0), from 3.15 on `path("")`. The
/// version is read from the `*.dist-info` folder's name; nothing is imported.
#[test]
fn the_installed_drf_version_shapes_the_router_root() {
    let dir = common::write(&[
        ("proj/proj/__init__.py", ""),
        (
            "proj/proj/settings.py",
            "SECRET_KEY = 'x'\nROOT_URLCONF = 'proj.urls'\nINSTALLED_APPS = ['rest_framework', 'app']\n",
        ),
        (
            "proj/proj/urls.py",
            "from django.urls import include, path\nfrom rest_framework import routers, viewsets\n\n\nclass V(viewsets.ViewSet):\n    def list(self, request):\n        pass\n\n\nrouter = routers.DefaultRouter()\nrouter.register('things', V, basename='thing')\nurlpatterns = [path('api/', include(router.urls))]\n",
        ),
        ("proj/app/__init__.py", ""),
        (
            "proj/manage.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
        ),
    ]);
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("djangorestframework-3.14.0.dist-info")).unwrap();
    let roots = |site_packages| {
        let opts = ScanOptions {
            site_packages,
            ..ScanOptions::default()
        };
        let (inv, _) = scan(&dir.path().join("proj"), &opts).expect("scan");
        let mut rules: Vec<String> = inv
            .routes
            .iter()
            .map(|r| r.rule.clone())
            .filter(|r| !r.contains("things"))
            .collect();
        rules.sort();
        rules
    };
    assert_eq!(
        roots(crossport::python::mount::SitePackages::Dirs(vec![site])),
        ["api/^$", "api/^\\.(?P<format>[a-z0-9]+)/?$"]
    );
    assert_eq!(
        roots(crossport::python::mount::SitePackages::Off),
        ["api/", "api/<drf_format_suffix:format>"]
    );
}

/// A scanned folder that is a PEP 420 namespace package (`site-packages/ara`:
/// no `__init__.py` at its top, packages below it that import each other as
/// `nsapp.api`) is imported from its parent, so its modules are named from
/// the folder's own name, as the settings name them (`INSTALLED_APPS =
/// ["nsapp.api"]`, `ROOT_URLCONF = "nsapp.server.urls"`). Checked with Django
/// 5.2.20 and DRF 3.18.3 (ara's venv): these routes, models and admin.
#[test]
fn a_scanned_namespace_package_is_named_from_its_parent() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("server/__init__.py", ""),
        (
            "server/settings.py",
            "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.admin', 'django.contrib.auth', 'django.contrib.contenttypes', 'rest_framework', 'nsapp.api']\nROOT_URLCONF = 'nsapp.server.urls'\n",
        ),
        (
            "server/urls.py",
            "from django.urls import include, path\nurlpatterns = [path('api/v1/', include('nsapp.api.urls'))]\n",
        ),
        ("api/__init__.py", ""),
        (
            "api/models.py",
            "from django.db import models\nclass Playbook(models.Model):\n    path = models.CharField(max_length=255)\n",
        ),
        (
            "api/admin.py",
            "from django.contrib import admin\nfrom nsapp.api import models\nadmin.site.register(models.Playbook)\n",
        ),
        (
            "api/views.py",
            "from rest_framework import viewsets\nfrom nsapp.api import models\nclass PlaybookViewSet(viewsets.ModelViewSet):\n    queryset = models.Playbook.objects.all()\n",
        ),
        (
            "api/urls.py",
            "from rest_framework.routers import SimpleRouter\nfrom nsapp.api import views\nrouter = SimpleRouter(trailing_slash=False)\nrouter.register('playbooks', views.PlaybookViewSet)\nurlpatterns = router.urls\n",
        ),
    ];
    let root = dir.path().join("nsapp");
    for (name, text) in files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let (inv, _) = scan(&root, &ScanOptions::default()).expect("scan");
    let models: Vec<(&str, &str)> = inv
        .models
        .iter()
        .map(|m| (m.module.as_str(), m.name.as_str()))
        .collect();
    assert_eq!(models, [("nsapp.api.models", "Playbook")]);
    let admin: Vec<&str> = inv.admin.iter().map(|a| a.model.as_str()).collect();
    assert_eq!(admin, ["nsapp.api.models.Playbook"]);
    let mut routes: Vec<(&str, &str)> = inv
        .routes
        .iter()
        .map(|r| (r.rule.as_str(), r.view.as_deref().unwrap_or("")))
        .collect();
    routes.sort();
    assert_eq!(
        routes,
        [
            ("api/v1/^playbooks$", "nsapp.api.views.PlaybookViewSet"),
            (
                "api/v1/^playbooks/(?P<pk>[^/.]+)$",
                "nsapp.api.views.PlaybookViewSet"
            ),
        ]
    );
}

/// Settings that end in `try: from .local import *` / `except ImportError: pass` with no
/// `local` module in the settings package (a project template's optional override): Python
/// raises ImportError there, so the settings are `base` plus the rest, and a library's
/// `getattr(settings, NAME, default)` takes its default. Django 5.2 serves `api/basket/$` and
/// `^api/order/(?P<pk>[0-9]+)/$` (longclaw's URLconfs; before: both patterns unknown).
#[test]
fn an_optional_settings_import_of_a_missing_module_adds_nothing() {
    let (_dir, inv) = common::project(&[
        (
            "manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings.dev\")\n",
        ),
        ("proj/__init__.py", ""),
        ("proj/settings/__init__.py", ""),
        (
            "proj/settings/base.py",
            "INSTALLED_APPS = [\"shop\"]\nROOT_URLCONF = \"proj.urls\"\n",
        ),
        (
            "proj/settings/dev.py",
            "from .base import *\nDEBUG = True\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n",
        ),
        (
            "proj/urls.py",
            "from django.urls import include, re_path\nurlpatterns = [re_path(r\"\", include(\"shop.urls\"))]\n",
        ),
        ("shop/__init__.py", ""),
        (
            "shop/settings.py",
            "from django.conf import settings\nAPI_URL_PREFIX = getattr(settings, \"SHOP_API_URL_PREFIX\", \"api/\")\n",
        ),
        (
            "shop/views.py",
            "def basket_list(request):\n    pass\ndef order_detail(request, pk):\n    pass\n",
        ),
        (
            "shop/urls.py",
            "from django.urls import re_path\nfrom shop import views\nfrom shop.settings import API_URL_PREFIX\n\
             PREFIX = r\"^{}order/\".format(API_URL_PREFIX)\n\
             urlpatterns = [\n    re_path(API_URL_PREFIX + r\"basket/$\", views.basket_list),\n    \
             re_path(PREFIX + r\"(?P<pk>[0-9]+)/$\", views.order_detail),\n]\n",
        ),
    ]);
    let mut rules: Vec<(&str, bool)> = inv
        .routes
        .iter()
        .map(|r| (r.rule.as_str(), r.resolved))
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            ("^api/order/(?P<pk>[0-9]+)/$", true),
            ("api/basket/$", true)
        ]
    );
}

/// An app package without `__init__.py` inside the scanned root package (byro 2023.1.0's
/// `byro/common/`, scanned as `site-packages/byro`): Python imports it as the namespace
/// portion `assoc.common`, and Django 5.2 loads its models from `assoc.common.models`
/// (before: its models were named as top-level modules and lost, the app not the project's).
#[test]
fn an_app_folder_without_init_in_the_root_package() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("assoc");
    let files = [
        ("__init__.py", ""),
        (
            "settings.py",
            "INSTALLED_APPS = [\"assoc.common.apps.CommonConfig\", \"assoc.members\"]\n",
        ),
        (
            "common/apps.py",
            "from django.apps import AppConfig\nclass CommonConfig(AppConfig):\n    name = \"assoc.common\"\n",
        ),
        ("common/models/__init__.py", "from .log import LogEntry\n"),
        (
            "common/models/log.py",
            "from django.db import models\nclass LogEntry(models.Model):\n    action = models.CharField(max_length=20)\n",
        ),
        ("members/__init__.py", ""),
        (
            "members/models.py",
            "from django.db import models\nclass Member(models.Model):\n    number = models.IntegerField()\n",
        ),
    ];
    for (name, text) in files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let inv = scan(&root, &ScanOptions::default()).expect("scans").0;
    let mut models: Vec<String> = inv
        .models
        .iter()
        .map(|m| format!("{}.{}", m.module, m.name))
        .collect();
    models.sort();
    assert_eq!(
        models,
        [
            "assoc.common.models.log.LogEntry",
            "assoc.members.models.Member"
        ]
    );
    let common = inv.apps.iter().find(|a| a.name == "common").expect("app");
    assert!(common.own, "{common:?}");
}

/// A dashboard registry as horizon builds its URLconf: a singleton site (`__new__` returning
/// the instance it keeps), bound under a name a guarded import rebinds (`Horizon = None` then
/// `try: from .base import Horizon`), whose bound method `register = Horizon.register` other
/// modules call while the lazy URLconf is made, and panels found from `self.__module__`. The
/// expected routes are what Django 5.2.20's resolver lists for the fixture (before: one
/// empty-rule route to `hz.urls`).
#[test]
fn a_singleton_registry_filled_through_a_bound_method_makes_the_urlconf() {
    let v = django_view("django_singleton_registry");
    assert_eq!(
        rules_and_views(&v),
        [
            ("^project/^$", "project.overview.views.IndexView"),
            (
                "^project/^(?P<id>[^/]+)/detail$",
                "project.overview.views.DetailView"
            ),
            (
                "^project/^instances/^$",
                "project.instances.views.IndexView"
            ),
            (
                "^project/^instances/^(?P<id>[^/]+)/detail$",
                "project.instances.views.DetailView"
            ),
        ]
    );
}

/// `X is True` compares identity: a setting that is False (one language, arches' project
/// template) does not enter the block, and `i18n_patterns(*urlpatterns)` takes a list built
/// beforehand. Django 5.2 serves `""`, `search/` and `after/` for the first project and
/// `en/`, `en/search/` for the second (before: `multilingual/` and `after/`; no route and
/// "could not be resolved statically: *urlpatterns").
#[test]
fn identity_tests_and_starred_patterns_are_evaluated() {
    let settings = |langs: &str| {
        format!(
            "ROOT_URLCONF = \"proj.urls\"\nINSTALLED_APPS = [\"proj\"]\nUSE_I18N = True\n\
             LANGUAGE_CODE = \"en\"\nLANGUAGES = [{langs}]\nSWITCH = len(LANGUAGES) > 1\n"
        )
    };
    let urls = "from django.conf import settings\nfrom django.conf.urls.i18n import i18n_patterns\n\
                from django.urls import path\nfrom proj import views\n\n\
                urlpatterns = [path(\"\", views.home), path(\"search/\", views.search)]\n\
                if settings.SWITCH is True:\n    urlpatterns = i18n_patterns(*urlpatterns)\n\
                if settings.SWITCH is not True:\n    urlpatterns.append(path(\"after/\", views.home))\n";
    let views = "def home(request):\n    pass\n\ndef search(request):\n    pass\n";
    let mut found = Vec::new();
    for langs in [
        "(\"en\", \"English\")",
        "(\"en\", \"English\"), (\"de\", \"German\")",
    ] {
        let (_dir, inv) = common::project(&[
            (
                "manage.py",
                "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\n",
            ),
            ("proj/__init__.py", ""),
            ("proj/settings.py", &settings(langs)),
            ("proj/urls.py", urls),
            ("proj/views.py", views),
        ]);
        let mut rules: Vec<String> = inv.routes.iter().map(|r| r.rule.clone()).collect();
        rules.sort();
        found.push(rules);
    }
    assert_eq!(found[0], ["", "after/", "search/"]);
    assert_eq!(found[1], ["en/", "en/search/"]);
}

/// `from base.models import *` then `class Ticket(Ticket):` (how lino's plugins extend a
/// model): the base is the imported class, evaluated before the statement binds the name.
/// Django 5.2 lists `tickets.models.Ticket` with `id`, `title`, `urgent`, `reporter` (before:
/// the subclass was not reported, its base taken for itself).
#[test]
fn a_class_named_as_its_imported_base_derives_from_it() {
    let (_dir, inv) = common::project(&[
        (
            "manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\n",
        ),
        ("proj/__init__.py", ""),
        (
            "proj/settings.py",
            "ROOT_URLCONF = \"proj.urls\"\nINSTALLED_APPS = [\"base\", \"tickets\"]\n",
        ),
        ("proj/urls.py", "urlpatterns = []\n"),
        ("base/__init__.py", ""),
        (
            "base/models.py",
            "from django.db import models\n\nclass Ticket(models.Model):\n    \
             title = models.CharField(max_length=200)\n    urgent = models.BooleanField(default=False)\n\n    \
             class Meta:\n        abstract = True\n",
        ),
        ("tickets/__init__.py", ""),
        (
            "tickets/models.py",
            "from django.db import models\nfrom base.models import *\n\nclass Ticket(Ticket):\n    \
             reporter = models.CharField(max_length=100)\n\n    class Meta(Ticket.Meta):\n        \
             abstract = False\n",
        ),
    ]);
    let ticket = inv
        .models
        .iter()
        .find(|m| m.module == "tickets.models" && m.name == "Ticket")
        .unwrap_or_else(|| panic!("{:#?}", inv.models));
    let mut fields: Vec<&str> = ticket.fields.iter().map(|f| f.name.as_str()).collect();
    fields.sort();
    assert_eq!(fields, ["reporter", "title", "urgent"], "{ticket:#?}");
}

/// A plugin list filled by a function nested in the constructor that owns it (lino's
/// `Site.load_plugins()`: `def install_plugin(name): ... plugins.append(...)` called in a
/// loop, then `self.installed_plugins = tuple(plugins)`), and a URLconf looping over the
/// plugins' `get_patterns()`. The nested function appends to its enclosing function's list,
/// as Python shares it. Django 5.2.20 lists these four routes (before: none, no warning).
#[test]
fn a_list_a_nested_function_appends_to_is_its_enclosing_functions() {
    let v = django_view("django_closure_plugins");
    assert_eq!(
        rules_and_views(&v),
        [
            ("^$", "proj.web.views.Index"),
            (
                "^api/(?P<app_label>\\w+)/(?P<actor>\\w+)$",
                "proj.web.views.ApiList"
            ),
            (
                "^tinymce/^templates/(?P<pk>\\w+)$",
                "proj.editor.views.Templates"
            ),
            ("dashboard/<int:index>", "proj.web.views.Index"),
        ]
    );
}

/// `import_module(".pkg.site_urls", "pkg")` names `pkg.pkg.site_urls`: Python imports `pkg.pkg`
/// first, which `pkg` lacks, so an ImportError is raised and the `except ImportError:` branch
/// imports the absolute name (horizon's `_get_default_urlpatterns`). Django 5.2.20 serves
/// `^x/^a/$` (before: `^x/` not resolved, the module's `urlpatterns` known only at run time).
#[test]
fn a_relative_import_through_a_missing_package_raises_import_error() {
    let (_dir, inv) = common::project(&[
        (
            "proj/settings.py",
            "ROOT_URLCONF = \"proj.urls\"\nINSTALLED_APPS = [\"proj\", \"pkg\"]\n",
        ),
        ("proj/__init__.py", ""),
        ("proj/views.py", "def v(request):\n    pass\n"),
        (
            "proj/urls.py",
            "from django.urls import include, re_path\nfrom pkg.base import site\n\
             urlpatterns = [re_path(r\"^x/\", include(site.default()))]\n",
        ),
        ("pkg/__init__.py", ""),
        (
            "pkg/site_urls.py",
            "from django.urls import re_path\nfrom proj import views\n\
             urlpatterns = [re_path(r\"^a/$\", views.v)]\n",
        ),
        (
            "pkg/base.py",
            "from importlib import import_module\n\
             class Site:\n    urls = \"pkg.site_urls\"\n\
             \x20   def default(self):\n\
             \x20       package = \".\".join(self.__module__.split(\".\")[:-1])\n\
             \x20       try:\n\
             \x20           mod = import_module(\".%s\" % self.urls, package)\n\
             \x20       except ImportError:\n\
             \x20           mod = import_module(self.urls)\n\
             \x20       return mod.urlpatterns\n\
             site = Site()\n",
        ),
    ]);
    assert_eq!(
        common::resolved(&inv),
        [("^x/^a/$".to_string(), String::new())]
    );
}

/// `from django.conf import settings` inside a function binds Django's settings there as at
/// top level: `settings.HORIZON_CONFIG` in the function is the setting (horizon's
/// `LazySettings._setup`). Django 5.2.20 serves `^h/$` (before: the pattern not known).
#[test]
fn settings_imported_inside_a_function_are_read() {
    let (_dir, inv) = common::project(&[
        (
            "proj/settings.py",
            "ROOT_URLCONF = \"proj.urls\"\nINSTALLED_APPS = [\"proj\"]\n\
             HORIZON_CONFIG = {\"user_home\": \"h\"}\n",
        ),
        ("proj/__init__.py", ""),
        ("proj/views.py", "def v(request):\n    pass\n"),
        (
            "proj/urls.py",
            "from django.urls import re_path\nfrom proj import views\n\
             def home():\n    from django.conf import settings\n\
             \x20   return settings.HORIZON_CONFIG[\"user_home\"]\n\
             urlpatterns = [re_path(r\"^%s/$\" % home(), views.v)]\n",
        ),
    ]);
    assert_eq!(
        common::resolved(&inv),
        [("^h/$".to_string(), String::new())]
    );
}

/// A `LazyObject` subclass with its own `_setup()` and `__getitem__` (horizon's
/// `LazySettings`): `self._wrapped is empty` holds until `_setup()` runs, a subscript runs the
/// class's `__getitem__`, and a method the class lacks (`.get`) is the wrapped dict's. Django
/// 5.2.20 serves `^p/$`, `^q/$` and `^h/$` (before: one pattern not known).
#[test]
fn a_lazy_object_with_its_own_setup_reads_through_to_the_wrapped_dict() {
    let (_dir, inv) = common::project(&[
        (
            "proj/settings.py",
            "ROOT_URLCONF = \"proj.urls\"\nINSTALLED_APPS = [\"proj\"]\n",
        ),
        ("proj/__init__.py", ""),
        ("proj/views.py", "def v(request):\n    pass\n"),
        (
            "proj/conf.py",
            "from django.utils.functional import LazyObject, empty\n\
             class LazySettings(LazyObject):\n\
             \x20   def _setup(self, name=None):\n\
             \x20       self._wrapped = {\"user_home\": \"h\", \"panels\": [\"p\", \"q\"]}\n\
             \x20   def __getitem__(self, name, fallback=None):\n\
             \x20       if self._wrapped is empty:\n\
             \x20           self._setup(name)\n\
             \x20       return self._wrapped.get(name, fallback)\n\
             CONFIG = LazySettings()\n",
        ),
        (
            "proj/urls.py",
            "from django.urls import re_path\nfrom proj import views\nfrom proj.conf import CONFIG\n\
             urlpatterns = [re_path(r\"^%s/$\" % CONFIG[\"user_home\"], views.v)]\n\
             for p in CONFIG.get(\"panels\", []):\n\
             \x20   urlpatterns.append(re_path(r\"^%s/$\" % p, views.v))\n",
        ),
    ]);
    assert_eq!(
        common::resolved(&inv),
        [
            ("^h/$".to_string(), String::new()),
            ("^p/$".to_string(), String::new()),
            ("^q/$".to_string(), String::new()),
        ]
    );
}

/// `class PolyModel(with_metaclass(PolyModelBase, models.Model))`, the six-style base of
/// django-polymorphic's `PolymorphicModel` (doccano's projects, aleksis' groups): the class
/// derives from `models.Model` with `PolyModelBase` as its metaclass, so it and everything
/// deriving from it are models (before: none of them was). Checked with Django 4.2
/// (`_meta.local_fields` without auto-created ones): Project [poly_ctype, name, created_at],
/// TextProject [allow_overlapping], ImageProject [], Tag [text, project].
#[test]
fn a_base_made_by_with_metaclass_is_the_bases_it_names() {
    let (_dir, inv) = common::project(&[
        (
            "proj/settings.py",
            "INSTALLED_APPS = [\"django.contrib.contenttypes\", \"projects\"]\nROOT_URLCONF = \"proj.urls\"\n",
        ),
        ("proj/__init__.py", ""),
        ("proj/urls.py", "urlpatterns = []\n"),
        ("polylib/__init__.py", ""),
        (
            "polylib/compat.py",
            "def with_metaclass(meta, *bases):\n    class metaclass(type):\n        \
             def __new__(cls, name, this_bases, d):\n            return meta(name, bases, d)\n    \
             return type.__new__(metaclass, \"temporary_class\", (), {})\n",
        ),
        (
            "polylib/models.py",
            "from django.contrib.contenttypes.models import ContentType\nfrom django.db import models\n\
             from django.db.models.base import ModelBase\nfrom .compat import with_metaclass\n\n\
             class PolyModelBase(ModelBase):\n    pass\n\n\
             class PolyModel(with_metaclass(PolyModelBase, models.Model)):\n    \
             poly_ctype = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE)\n\n    \
             class Meta:\n        abstract = True\n",
        ),
        ("projects/__init__.py", ""),
        (
            "projects/models.py",
            "from django.db import models\nfrom polylib.models import PolyModel\n\n\
             class Project(PolyModel):\n    name = models.CharField(max_length=100)\n    \
             created_at = models.DateTimeField(auto_now_add=True)\n\n\
             class TextProject(Project):\n    allow_overlapping = models.BooleanField(default=False)\n\n\
             class ImageProject(Project):\n    pass\n\n\
             class Tag(models.Model):\n    text = models.TextField()\n    \
             project = models.ForeignKey(Project, on_delete=models.CASCADE)\n",
        ),
    ]);
    let mut models: Vec<(String, Vec<String>)> = inv
        .models
        .iter()
        .filter(|m| !m.r#abstract)
        .map(|m| {
            let mut f: Vec<String> = m.fields.iter().map(|f| f.name.clone()).collect();
            f.sort();
            (m.name.clone(), f)
        })
        .collect();
    models.sort();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        models,
        [
            ("ImageProject".to_string(), s(&[])),
            (
                "Project".to_string(),
                s(&["created_at", "name", "poly_ctype"])
            ),
            ("Tag".to_string(), s(&["project", "text"])),
            ("TextProject".to_string(), s(&["allow_overlapping"])),
        ]
    );
}

/// A project router deriving from a library's router (squad's `APIRouter` on drf-extensions'
/// `ExtendedDefaultRouter`, itself `class ExtendedDefaultRouter(NestedRouterMixin,
/// DefaultRouter)`): with the environment read, the library class is read where it is
/// defined, so the project's class is a DRF `DefaultRouter` and its registrations are routes
/// (before: `include(router.urls)` stayed one unresolved include). Without the environment
/// the base is not known to be a router. Django 4.2 with DRF 3.15 lists the API root (`^api/`,
/// `^api/<drf_format_suffix:format>`) and the four patterns of `items` (list and detail, each
/// with its format suffix).
#[test]
fn a_router_subclassing_a_librarys_router_is_a_drf_router() {
    use crossport::python::mount::SitePackages;
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &str)] = &[
        (
            "proj/proj/settings.py",
            "INSTALLED_APPS = [\"rest_framework\", \"shop\"]\nROOT_URLCONF = \"proj.urls\"\n",
        ),
        ("proj/proj/__init__.py", ""),
        (
            "proj/manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\n",
        ),
        (
            "proj/proj/urls.py",
            "from django.urls import include, re_path\nfrom shop import api\n\
             urlpatterns = [re_path(r\"^api/\", include(api.router.urls))]\n",
        ),
        ("proj/shop/__init__.py", ""),
        (
            "proj/shop/api.py",
            "from rest_framework import viewsets\nfrom extrouters.routers import ExtendedDefaultRouter\n\n\
             class ItemViewSet(viewsets.ModelViewSet):\n    pass\n\n\
             class APIRouter(ExtendedDefaultRouter):\n    pass\n\n\
             router = APIRouter()\nrouter.register(r\"items\", ItemViewSet)\n",
        ),
        ("site/extrouters/__init__.py", ""),
        (
            "site/extrouters/routers.py",
            "from rest_framework.routers import DefaultRouter\n\n\
             class NestedRouterMixin:\n    pass\n\n\
             class ExtendedDefaultRouter(NestedRouterMixin, DefaultRouter):\n    pass\n",
        ),
    ];
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let routes = |site_packages| -> Vec<(String, bool)> {
        let opts = ScanOptions {
            site_packages,
            ..ScanOptions::default()
        };
        let inv = scan(&dir.path().join("proj"), &opts).expect("scans").0;
        let mut out: Vec<(String, bool)> = inv
            .routes
            .iter()
            .map(|r| (r.rule.clone(), r.resolved))
            .collect();
        out.sort();
        out
    };
    let read = routes(SitePackages::Dirs(vec![dir.path().join("site")]));
    let expected = [
        "^api/",
        "^api/<drf_format_suffix:format>",
        "^api/^items/$",
        "^api/^items/(?P<pk>[^/.]+)/$",
        "^api/^items/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$",
        "^api/^items\\.(?P<format>[a-z0-9]+)/?$",
    ];
    assert_eq!(
        read,
        expected
            .iter()
            .map(|r| (r.to_string(), true))
            .collect::<Vec<_>>()
    );
    assert!(
        routes(SitePackages::Off)
            .iter()
            .all(|(_, resolved)| !resolved),
        "without the environment the library router is not known"
    );
}

/// A project subclass of `GenericRelation` is a private field whatever it is called (squad's
/// `CallbackForeignKey`): no column of its model (before: reported as a foreign key because
/// of its name). Django 4.2's `_meta.local_fields`: Note [text, target_type, target_id],
/// Ticket [title] (`notes` only in `private_fields`).
#[test]
fn a_generic_relation_subclass_named_like_a_key_is_no_field() {
    let (_dir, inv) = common::project(&[
        (
            "proj/settings.py",
            "INSTALLED_APPS = [\"django.contrib.contenttypes\", \"notes\"]\nROOT_URLCONF = \"proj.urls\"\n",
        ),
        ("proj/__init__.py", ""),
        ("proj/urls.py", "urlpatterns = []\n"),
        ("notes/__init__.py", ""),
        (
            "notes/models.py",
            "from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation\n\
             from django.contrib.contenttypes.models import ContentType\nfrom django.db import models\n\n\
             class NoteForeignKey(GenericRelation):\n    def __init__(self, **kwargs):\n        \
             super().__init__(Note, content_type_field=\"target_type\", object_id_field=\"target_id\", **kwargs)\n\n\
             class Note(models.Model):\n    text = models.TextField()\n    \
             target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)\n    \
             target_id = models.PositiveIntegerField()\n    \
             target = GenericForeignKey(\"target_type\", \"target_id\")\n\n\
             class Ticket(models.Model):\n    title = models.CharField(max_length=50)\n    \
             notes = NoteForeignKey()\n",
        ),
    ]);
    let mut models: Vec<(String, Vec<String>)> = inv
        .models
        .iter()
        .map(|m| {
            (
                m.name.clone(),
                m.fields.iter().map(|f| f.name.clone()).collect(),
            )
        })
        .collect();
    models.sort();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        models,
        [
            ("Note".to_string(), s(&["text", "target_type", "target_id"])),
            ("Ticket".to_string(), s(&["title"])),
        ]
    );
}

/// A key's target as Django resolves it: `get_user_model()` (called in place, or bound to a name
/// at the top of the module) is the model AUTH_USER_MODEL names; a target built some other way
/// at run time is not known, rather than a made-up `label.` with no model name.
#[test]
fn key_targets_from_get_user_model_and_unknown_targets() {
    let (_dir, inv) = common::project(&[
        (
            "site/settings.py",
            "INSTALLED_APPS = ['people']\nAUTH_USER_MODEL = 'people.Member'\nROOT_URLCONF = 'site.urls'\n",
        ),
        ("site/__init__.py", ""),
        ("site/urls.py", "urlpatterns = []\n"),
        ("people/__init__.py", ""),
        (
            "people/models.py",
            "from django.contrib.auth import get_user_model\nfrom django.contrib.auth.models import AbstractUser\nfrom django.db import models\n\nfrom . import registry\n\n\nclass Member(AbstractUser):\n    pass\n\n\nUser = get_user_model()\n\n\nclass Task(models.Model):\n    owner = models.ForeignKey(get_user_model(), on_delete=models.CASCADE)\n    reviewer = models.ForeignKey(User, on_delete=models.CASCADE)\n    app = models.ForeignKey(registry.model_for('app'), on_delete=models.CASCADE)\n",
        ),
        (
            "people/registry.py",
            "def model_for(name):\n    return 'people.' + name.title()\n",
        ),
    ]);
    let task = inv.models.iter().find(|m| m.name == "Task").expect("Task");
    let key = |name: &str| {
        task.fields
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("field {name}"))
            .foreign_key
            .clone()
    };
    assert_eq!(key("owner").as_deref(), Some("people.Member"));
    assert_eq!(key("reviewer").as_deref(), Some("people.Member"));
    assert_eq!(key("app"), None);
    let targets: Vec<&str> = task.relations.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(targets, ["people.Member", "people.Member"]);
}

/// Plugin apps found through entry points: settings extend INSTALLED_APPS from
/// `importlib.metadata.entry_points(group=...)` (here declared by the project's own
/// pyproject.toml, as an installed checkout declares them), and the URLconf mounts each plugin's
/// `urls` in a loop over `apps.app_configs.values()`. Django 5.2.19 resolves the rules below
/// (the project pip-installed, so that `importlib.metadata` reads its entry points).
#[test]
fn plugin_apps_from_entry_points_mount_their_urls() {
    let (_dir, inv) = common::project(&[
        (
            "pyproject.toml",
            "[project]\nname = \"shop\"\n\n[project.entry-points.\"shop.plugins\"]\npay = \"shop_pay.apps:PayConfig\"\nship = \"shop_ship\"\n\n[project.entry-points.\"other.group\"]\nx = \"nowhere\"\n",
        ),
        (
            "manage.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
        ),
        ("shop/__init__.py", ""),
        (
            "shop/settings.py",
            "from importlib import metadata\n\nSECRET_KEY = 'x'\nROOT_URLCONF = 'shop.urls'\nINSTALLED_APPS = ['django.contrib.contenttypes', 'shop']\nfor ep in metadata.entry_points(group='shop.plugins'):\n    INSTALLED_APPS.append(f'{ep.module}.{ep.attr}' if ep.attr else ep.module)\n",
        ),
        (
            "shop/urls.py",
            "from importlib import import_module\n\nfrom django.apps import apps\nfrom django.urls import include, path\n\nfrom . import views\n\nurlpatterns = [path('', views.home)]\nfor config in apps.app_configs.values():\n    if not config.name.startswith('shop_'):\n        continue\n    try:\n        module = import_module(f'{config.name}.urls')\n    except ModuleNotFoundError:\n        continue\n    urlpatterns.append(path(f'plugins/{config.label}/', include(module.urlpatterns)))\n",
        ),
        ("shop/views.py", "def home(request):\n    pass\n"),
        ("shop_pay/__init__.py", ""),
        (
            "shop_pay/apps.py",
            "from django.apps import AppConfig\n\n\nclass PayConfig(AppConfig):\n    name = 'shop_pay'\n    label = 'payments'\n",
        ),
        (
            "shop_pay/urls.py",
            "from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path('checkout/', views.checkout)]\n",
        ),
        ("shop_pay/views.py", "def checkout(request):\n    pass\n"),
        ("shop_ship/__init__.py", ""),
        (
            "shop_ship/urls.py",
            "from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path('rates/<int:zone>/', views.rates)]\n",
        ),
        (
            "shop_ship/views.py",
            "def rates(request, zone):\n    pass\n",
        ),
    ]);
    assert_eq!(
        common::resolved_views(&inv),
        common::owned(&[
            ("", "shop.views.home"),
            ("plugins/payments/checkout/", "shop_pay.views.checkout"),
            (
                "plugins/shop_ship/rates/<int:zone>/",
                "shop_ship.views.rates"
            ),
        ])
    );
}

/// A field class whose base is a module-level variable holding Django's field class
/// (`DateTimeFieldBase = models.DateTimeField`, chosen under `if TYPE_CHECKING:` as
/// django-model-utils does) derives from that class; a library's abstract base known by name
/// gets the Django base of its fields' classes when the library's modules are read. What only
/// `if TYPE_CHECKING:` binds does not run: Review Board's `_ReviewBoardUser(BaseUser)`, with
/// `BaseUser = object` at run time, is no model.
#[test]
fn field_classes_through_a_class_alias_have_their_django_base() {
    use crossport::python::mount::SitePackages;
    let dir = common::write(&[
        (
            "proj/manage.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
        ),
        ("proj/shop/__init__.py", ""),
        ("proj/shop/settings.py", "INSTALLED_APPS = ['shop']\n"),
        (
            "proj/shop/models.py",
            "from typing import TYPE_CHECKING\n\nfrom django.contrib.auth.models import User as DjangoUser\nfrom django.db import models\nfrom model_utils.models import TimeStampedModel\n\nStamp = models.DateTimeField\nif TYPE_CHECKING:\n    BaseUser = DjangoUser\nelse:\n    BaseUser = object\n\n\nclass Moment(Stamp):\n    pass\n\n\nclass Order(TimeStampedModel):\n    placed = Moment()\n\n\nclass _UserMixin(BaseUser):\n    pass\n",
        ),
        ("site/model_utils/__init__.py", ""),
        (
            "site/model_utils/models.py",
            "from django.db import models\n\nfrom model_utils.fields import AutoCreatedField, AutoLastModifiedField\n\n\nclass TimeStampedModel(models.Model):\n    created = AutoCreatedField()\n    modified = AutoLastModifiedField()\n\n    class Meta:\n        abstract = True\n",
        ),
        (
            "site/model_utils/fields.py",
            "from typing import TYPE_CHECKING\n\nfrom django.db import models\n\nif TYPE_CHECKING:\n    DateTimeFieldBase = models.DateTimeField[str, str]\nelse:\n    DateTimeFieldBase = models.DateTimeField\n\n\nclass AutoCreatedField(DateTimeFieldBase):\n    pass\n\n\nclass AutoLastModifiedField(AutoCreatedField):\n    pass\n",
        ),
    ]);
    let inv = common::scan_with_site_packages(
        &dir.path().join("proj"),
        SitePackages::Dirs(vec![dir.path().join("site")]),
    );
    assert!(
        !inv.models.iter().any(|m| m.name == "_UserMixin"),
        "{:?}",
        inv.models.iter().map(|m| &m.name).collect::<Vec<_>>()
    );
    let order = inv
        .models
        .iter()
        .find(|m| m.name == "Order")
        .expect("Order");
    let mut fields: Vec<(&str, &str, Option<&str>)> = order
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.r#type.as_str(), f.base_type.as_deref()))
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            ("created", "AutoCreatedField", Some("DateTimeField")),
            ("modified", "AutoLastModifiedField", Some("DateTimeField")),
            ("placed", "Moment", Some("DateTimeField")),
        ]
    );
}

/// A decorator's arguments are evaluated before the class statement binds its name, as its
/// bases are: `@admin.register(Item)` on `class Item(admin.ModelAdmin)` registers the model
/// `Item` imported before (devilry's `CompressedArchiveMeta`). Django 5.2's admin registry
/// for this project: `shop.models.Item -> shop.admin.Item`, `shop.models.Tag ->
/// shop.admin.TagAdmin` (before: the model was `shop.admin.Item`, the ModelAdmin itself), and
/// `django.contrib.auth.models.User -> shop.admin.User` for `User = get_user_model()` bound
/// before the class of that name.
#[test]
fn admin_decorator_argument_is_the_name_before_the_class() {
    let (_dir, inv) = common::project(&[
        (
            "manage.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\n",
        ),
        ("proj/__init__.py", ""),
        (
            "proj/settings.py",
            "INSTALLED_APPS = [\"django.contrib.admin\", \"django.contrib.auth\", \"django.contrib.contenttypes\", \"shop\"]\nROOT_URLCONF = \"proj.urls\"\n",
        ),
        (
            "proj/urls.py",
            "from django.contrib import admin\nfrom django.urls import path\n\nurlpatterns = [path(\"admin/\", admin.site.urls)]\n",
        ),
        ("shop/__init__.py", ""),
        (
            "shop/models.py",
            "from django.db import models\n\n\nclass Item(models.Model):\n    name = models.CharField(max_length=20)\n\n\nclass Tag(models.Model):\n    name = models.CharField(max_length=20)\n",
        ),
        (
            "shop/admin.py",
            "from django.contrib import admin\nfrom django.contrib.auth import get_user_model\n\nfrom shop.models import Item, Tag\n\nUser = get_user_model()\nadmin.site.unregister(User)\n\n\n@admin.register(Item)\nclass Item(admin.ModelAdmin):\n    list_display = [\"id\", \"name\"]\n\n\n@admin.register(Tag)\nclass TagAdmin(admin.ModelAdmin):\n    pass\n\n\n@admin.register(User)\nclass User(admin.ModelAdmin):\n    pass\n",
        ),
    ]);
    let admin: Vec<(&str, Option<&str>)> = inv
        .admin
        .iter()
        .map(|a| (a.model.as_str(), a.admin_class.as_deref()))
        .collect();
    assert_eq!(
        admin,
        [
            ("django.contrib.auth.models.User", Some("shop.admin.User")),
            ("shop.models.Item", Some("shop.admin.Item")),
            ("shop.models.Tag", Some("shop.admin.TagAdmin"))
        ]
    );
}

/// A URLconf that rebinds `urlpatterns` under a test of a setting read from a YAML file outside
/// the repository (tethys-platform's `PREFIX_URL`): Python keeps either list. Django, with no
/// such file, serves `^$` and `^user/$`; with `PREFIX_URL: /portal/`, the redirect `^$` and both
/// under `^portal/`. Both alternatives are reported: the unprefixed list resolved, the prefixed
/// one with its prefix not known (before: only the rebound list, so no own URL was resolved).
#[test]
fn a_list_rebound_under_a_test_not_known_keeps_both_alternatives() {
    let v = django_view("django_unknown_test_rebinding");
    assert_eq!(
        route_keys(&v, &["rule", "view", "reason"]),
        rows(&[
            [
                "<?>^$",
                "portal.views.home",
                "pattern not known statically: rf\"^{prefix_url}/\""
            ],
            [
                "<?>^user/$",
                "portal.views.profile",
                "pattern not known statically: rf\"^{prefix_url}/\""
            ],
            ["^$", "portal.views.home", ""],
            ["^$", "proj.urls.<lambda>", ""],
            ["^user/$", "portal.views.profile", ""],
        ])
    );
}

/// Settings made of files that django-split-settings' `include()` runs in the settings
/// module's globals (a literal path, a glob, an `optional()` file that is not there), each
/// plugin file extending the base file's list in place with `+=` after importing it
/// (coldfront's layout); a file included a second time, which the library skips; a file that
/// copies the base list before extending it, which leaves the base list as it was. Django 5.2
/// with django-split-settings 1.3 serves all three URLs under `BASE_PATH`, with INSTALLED_APPS
/// the base apps, `proj.api` and `proj.shop` (before: no setting was known, the prefix was
/// `<?>` and both plugin URLs, included under `if "proj.api" in settings.INSTALLED_APPS`, were
/// dropped; a first version ran the file included again and wrote the copy back).
#[test]
fn settings_run_by_split_settings_include_and_a_list_extended_in_place() {
    let v = django_view("django_split_settings");
    assert_eq!(
        route_keys(&v, &["rule", "view", "reason"]),
        rows(&[
            ["portal/", "proj.views.home", ""],
            ["portal/api/", "proj.api.views.index", ""],
            ["portal/shop/", "proj.shop.views.index", ""],
        ])
    );
    let apps = v["settings"]
        .as_array()
        .expect("settings")
        .iter()
        .find(|s| s["name"] == "INSTALLED_APPS")
        .and_then(|s| s["value"].as_str())
        .expect("INSTALLED_APPS");
    let mut apps: Vec<&str> = apps
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(", ")
        .collect();
    apps.sort();
    assert_eq!(
        apps,
        [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "proj.api",
            "proj.shop"
        ]
    );
}
