//! Snapshot tests of the Flask inventory on the fixtures in `fixtures/flask_*`.
//! Each fixture holds positive and negative cases; the snapshot is the whole
//! JSON inventory, so any change in what is found shows up in review.

mod common;

use crossport::inventory::{Inventory, Route};
use crossport::scan::{ScanOptions, scan};
use std::path::Path;

fn scan_fixture(fixture: &str) -> Inventory {
    scan(Path::new(fixture), &ScanOptions::default())
        .expect("fixture scans")
        .0
}

/// "rule methods endpoint" of a route.
fn route_line(r: &Route) -> String {
    format!(
        "{} {} {}",
        r.rule,
        r.methods.join(","),
        r.endpoint.as_deref().unwrap_or("")
    )
}

/// `route_line` of every route, sorted; each must be resolved.
fn resolved_route_lines(inv: &Inventory) -> Vec<String> {
    let mut got: Vec<String> = inv
        .routes
        .iter()
        .map(|r| {
            assert!(r.resolved, "{r:?}");
            route_line(r)
        })
        .collect();
    got.sort();
    got
}

/// A fixture's inventory with and without the pre-filter (which must not matter).
fn scans_both_ways(fixture: &str) -> [(bool, Inventory); 2] {
    [true, false].map(|prefilter| {
        let opts = ScanOptions {
            prefilter,
            ..ScanOptions::default()
        };
        (prefilter, scan(Path::new(fixture), &opts).expect("scans").0)
    })
}

/// `resolved_route_lines` of a fixture scanned with and without the
/// pre-filter: the same `want` either way.
fn assert_resolved_routes_both_ways(fixture: &str, want: &[&str]) {
    for (prefilter, inv) in scans_both_ways(fixture) {
        assert_eq!(resolved_route_lines(&inv), want, "prefilter {prefilter}");
    }
}

/// The route with this rule; fails the test, listing what was found, if there is none.
fn route<'a>(inv: &'a Inventory, rule: &str) -> &'a Route {
    inv.routes
        .iter()
        .find(|r| r.rule == rule)
        .unwrap_or_else(|| panic!("no route {rule} in {:?}", inv.routes))
}

fn inventory_json(fixture: &str) -> String {
    crossport::report::json::render(&scan_fixture(fixture)).unwrap()
}

#[test]
fn flask_blueprints_inventory() {
    insta::assert_snapshot!(inventory_json("fixtures/flask_blueprints"));
}

#[test]
fn flask_api_models_inventory() {
    insta::assert_snapshot!(inventory_json("fixtures/flask_api_models"));
}

#[test]
fn flask_routes_compose_like_flask() {
    let inv = scan_fixture("fixtures/flask_blueprints");
    let find = |rule: &str| route(&inv, rule);
    // Nested blueprint: prefixes join, endpoint names chain.
    let r = find("/backoffice/reports/<path:name>");
    assert_eq!(r.endpoint.as_deref(), Some("admin.reports.report"));
    assert_eq!(r.methods, ["DELETE", "GET"]);
    // "" under a prefix is the bare prefix; "/" keeps the slash.
    assert_eq!(find("/catalog").endpoint.as_deref(), Some("catalog.bare"));
    assert_eq!(find("/catalog/").endpoint.as_deref(), Some("catalog.index"));
    // Registered twice: the second registration's name prefixes endpoints.
    assert_eq!(
        find("/v2/catalog/").endpoint.as_deref(),
        Some("catalog_v2.index")
    );
    // MethodView methods come from the verbs defined, inherited ones included.
    assert_eq!(
        find("/catalog/api2/<int:pid>").methods,
        ["DELETE", "GET", "PUT"]
    );
    // A prefix read from config cannot be known: reported, not guessed.
    let dynamic = find("/x");
    assert!(!dynamic.resolved && dynamic.reason.is_some());
    // Declared in a function nothing calls at start-up.
    assert!(!find("/debug-only").resolved);
    // Another library's `.route` is not Flask's.
    assert!(inv.routes.iter().all(|r| r.rule != "/not-flask"));
}

#[test]
fn routes_registered_by_helpers_in_modules_without_flask_imports() {
    let inv = scan_fixture("fixtures/flask_helpers");
    let find = |rule: &str| route(&inv, rule);
    // Called with the app or a blueprint: a view built with
    // as_view(X.__name__), a blueprint module imported by name in a loop,
    // parameter defaults in an f-string rule (Flask's documented register_api).
    let daily = find("/reports/daily");
    assert_eq!(daily.endpoint.as_deref(), Some("reports.Daily"));
    assert_eq!(daily.methods, ["GET", "POST"]);
    assert!(daily.resolved, "{:?}", daily.reason);
    let stock = find("/stock/<int:stock_id>");
    assert_eq!(stock.endpoint.as_deref(), Some("stock_api"));
    assert_eq!(stock.view.as_deref(), Some("hub.plugins.reports.Stock"));
    assert_eq!(stock.methods, ["GET", "PUT"]);
    assert_eq!(find("/stock/").methods, ["GET"]);
    // a blueprint a function builds and returns to register_blueprint()
    let tags = find("/tags/list");
    assert!(tags.resolved, "{:?}", tags.reason);
    assert_eq!(tags.endpoint.as_deref(), Some("tags.tag_list"));
    // ... and one kept in a local first, registered on that blueprint
    let edit = find("/tags/edit/<int:tag_id>");
    assert!(edit.resolved, "{:?}", edit.reason);
    assert_eq!(edit.endpoint.as_deref(), Some("tags.editor.edit"));
    assert_eq!(inv.routes.len(), 6, "{:?}", inv.routes);
    // a hook registered by a set-up function in a module with no other marker
    assert!(
        inv.signals
            .iter()
            .any(|s| s.kind == "url_value_preprocessor" && s.name.ends_with(".pop_token")),
        "{:?}",
        inv.signals
    );
}

#[test]
fn a_function_returning_the_module_app_is_a_start_up_root() {
    let inv = scan_fixture("fixtures/flask_runscript");
    for rule in ["/login", "/health"] {
        let r = route(&inv, rule);
        assert!(r.resolved, "{rule}: {:?}", r.reason);
    }
    // a launcher taking the app from a factory registers the blueprints
    for rule in ["/title/<int:page>", "/author/<int:page>", "/kobo/sync"] {
        let r = route(&inv, rule);
        assert!(r.resolved, "{rule}: {:?}", r.reason);
    }
    assert_eq!(
        route(&inv, "/author/<int:page>").endpoint.as_deref(),
        Some("books.list_author")
    );
    // a FastAPI app imported inside a function is not Flask's
    assert!(inv.routes.iter().all(|r| r.rule != "/predict"));
}

#[test]
fn same_bytes_whatever_the_thread_count() {
    for fixture in ["fixtures/flask_blueprints", "fixtures/flask_api_models"] {
        let outputs: Vec<String> = [1, 2, 8]
            .iter()
            .map(|&threads| {
                let opts = ScanOptions {
                    threads,
                    ..ScanOptions::default()
                };
                crossport::report::json::render(&scan(Path::new(fixture), &opts).unwrap().0)
                    .unwrap()
            })
            .collect();
        assert!(
            outputs.windows(2).all(|w| w[0] == w[1]),
            "{fixture}: output depends on thread count"
        );
    }
}

#[test]
fn flask_admin_views_add_their_url_sets() {
    // Checked against Flask-Admin 2.2.1's url_map for this fixture.
    let inv = scan_fixture("fixtures/flask_admin_views");
    let rules = |endpoint_prefix: &str| -> Vec<&str> {
        inv.routes
            .iter()
            .filter(|r| r.resolved)
            .filter(|r| {
                r.endpoint
                    .as_deref()
                    .is_some_and(|e| e.starts_with(endpoint_prefix))
            })
            .map(|r| r.rule.as_str())
            .collect()
    };
    // the index view at /admin, with the admin's static files
    assert_eq!(
        rules("admin."),
        ["/admin/", "/admin/static/<path:filename>"]
    );
    // a model view: the standard set less `export`, overridden without
    // @expose, plus its own exposed method
    let tag = rules("tag.");
    assert_eq!(tag.len(), 9, "{tag:?}");
    assert!(tag.contains(&"/admin/tag/refresh") && !tag.iter().any(|r| r.contains("export")));
    // endpoint= and an absolute url=
    assert!(rules("clients.").contains(&"/crm/new/"));
    // a method exposed by assignment, and a custom page (not a model registration)
    assert!(rules("audit.").contains(&"/admin/audit/last-page"));
    assert_eq!(route(&inv, "/admin/statistic/").methods, ["GET", "POST"]);
    assert!(inv.admin.iter().all(|a| {
        !a.admin_class
            .as_deref()
            .unwrap_or("")
            .ends_with("StatisticView")
    }));
    // a view with its own __init__: its endpoint is not claimed
    assert!(
        inv.routes
            .iter()
            .filter(|r| r.rule.starts_with("/admin/<endpoint>"))
            .all(|r| !r.resolved && r.reason.is_some())
    );
}

/// `fixtures/flask_startup`: routes that exist only once the start-up code has run. The
/// expected list is what Flask 3.1.3 itself builds (`create_app().url_map`, methods minus
/// HEAD/OPTIONS). Before the interpreter declared routes, crossport resolved 1 of these 12
/// (`/api/info`), reported two under a wrong `/` and left the static route unresolved.
#[test]
fn flask_startup_routes_equal_flask_url_map() {
    let inv = scan_fixture("fixtures/flask_startup");
    let mut got: Vec<(String, String, String)> = inv
        .routes
        .iter()
        .map(|r| {
            assert!(r.resolved, "{} unresolved: {:?}", r.rule, r.reason);
            (
                r.rule.clone(),
                r.methods.join(","),
                r.endpoint.clone().unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    let want = [
        ("/<int:node>/report/", "GET,POST", "report"),
        ("/<int:node>/report/<name>/", "GET,POST", "report"),
        ("/<int:node>/summary", "GET,POST", "summary"),
        ("/api/info", "GET", "api_info"),
        ("/assets/<path:filename>", "GET", "static"),
        ("/browser/cast/obj/<int:gid>/", "GET,POST", "NODE-cast.obj"),
        (
            "/browser/cast/obj/<int:gid>/<int:cid>",
            "DELETE,GET",
            "NODE-cast.obj_id",
        ),
        (
            "/browser/cast/static/<path:filename>",
            "GET",
            "NODE-cast.static",
        ),
        ("/help/about/", "GET", "about.index"),
        ("/help/about/static/<path:filename>", "GET", "about.static"),
        ("/tools/", "GET", "tools.index"),
        ("/tools/static/<path:filename>", "GET", "tools.static"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    // the view of a route built in a helper is the class the helper was given
    assert_eq!(
        route(&inv, "/<int:node>/summary").view.as_deref(),
        Some("console.views.report.ReportView")
    );
}

/// Start-up code whose routes Python decides at run time in ways the interpreter does not
/// follow: the route must be reported unresolved, never under a rule Flask would not build.
/// Each case was run under Flask 3.1.3 (its rule is in the comment). The first one used to
/// panic (a rule whose evaluation declares another route).
#[test]
fn startup_code_never_claims_a_rule_flask_would_not_build() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            // Flask: /inner and /outer
            "def view():\n    return 'x'\n\ndef make_rule():\n    app.add_url_rule('/inner', view_func=view, endpoint='inner')\n    return '/outer'\n\napp = Flask(__name__)\napp.add_url_rule(make_rule(), view_func=view)\n",
            "borrow",
            &["/inner", "/outer"],
        ),
        (
            // Flask: /late/y (the closure reads `later` when it is called: called in the
            // function that defines it, it reads that function's variable as it is then)
            "later = '/global'\n\ndef view():\n    return 'x'\n\ndef create_app():\n    app = Flask(__name__)\n    def reg():\n        app.add_url_rule(later + '/y', view_func=view, endpoint='y')\n    later = '/late'\n    reg()\n    return app\n",
            "late binding",
            &["/late/y"],
        ),
        (
            // Flask: /changed/x (the prefix assigned after the blueprint was made)
            "def view():\n    return 'x'\n\nbp = Blueprint('m', __name__, url_prefix='/orig')\nbp.add_url_rule('/x', view_func=view)\nbp.url_prefix = '/changed'\n\ndef create_app():\n    app = Flask(__name__)\n    app.register_blueprint(bp)\n    return app\n",
            "prefix reassigned",
            &[],
        ),
        (
            // Flask: /base/x (two mappings: which one gives the prefix is not kept)
            "def view():\n    return 'x'\n\nbase = {'url_prefix': '/base'}\nextra = {}\nbp = Blueprint('b', __name__, **base, **extra)\nbp.add_url_rule('/x', view_func=view)\n\ndef create_app():\n    app = Flask(__name__)\n    app.register_blueprint(bp)\n    return app\n",
            "two mappings",
            &[],
        ),
        (
            // Flask: /second/d (a later pair replaces an earlier one)
            "def view():\n    return 'x'\n\nopts = dict([('url_prefix', '/first'), ('url_prefix', '/second')])\nbp = Blueprint('b2', __name__, **opts)\nbp.add_url_rule('/d', view_func=view)\n\ndef create_app():\n    app = Flask(__name__)\n    app.register_blueprint(bp)\n    return app\n",
            "dict pairs",
            &["/second/d"],
        ),
    ];
    for (code, what, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("app");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(
            pkg.join("__init__.py"),
            format!("from flask import Blueprint, Flask\n\n{code}"),
        )
        .unwrap();
        let inv = scan(dir.path(), &ScanOptions::default()).expect("scans").0;
        let mut resolved: Vec<&str> = inv
            .routes
            .iter()
            .filter(|r| r.resolved && r.kind != "static")
            .map(|r| r.rule.as_str())
            .collect();
        resolved.sort();
        assert_eq!(&resolved, want, "{what}: {:#?}", inv.routes);
    }
}

/// Flask-Script: the commands `python manage.py <name>` runs are the project's
/// (`@manager.command`, `@manager.option` stacked once per option, `add_command`
/// with a command object the project makes, also under Flask-Migrate's `db`
/// group); Flask-Migrate's own `db` group is the library's, not a command to port.
#[test]
fn flask_script_manager_commands() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("app");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("__init__.py"),
        "from flask import Flask\napp = Flask(__name__)\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("manage.py"),
        "from flask.ext.script import Command, Manager, Shell\nfrom flask_migrate import MigrateCommand\nfrom app import app\n\nmanager = Manager(app)\n\n\nclass Worker(Command):\n    def run(self):\n        pass\n\n\n@manager.option('-t', '--type', dest='type')\n@manager.option('-v', '--verbose', dest='verbose')\ndef test(type, verbose):\n    pass\n\n\n@manager.command\ndef seed():\n    pass\n\n\nmanager.add_command('worker', Worker())\nmanager.add_command('shell', Shell())\nMigrateCommand.add_command('extract', Worker)\nmanager.add_command('db', MigrateCommand)\n\nif __name__ == '__main__':\n    manager.run()\n",
    )
    .unwrap();
    let inv = scan(dir.path(), &ScanOptions::default()).expect("scans").0;
    let mut names: Vec<&str> = inv
        .jobs
        .iter()
        .filter(|j| j.kind == "flask_cli")
        .map(|j| j.name.as_str())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["extract", "seed", "shell", "test", "worker"],
        "{:#?}",
        inv.jobs
    );
}

/// Flask-Classful views: `View.register(app_or_bp, route_base=...)` gives one
/// rule per public method as the extension's `register()` builds it (special
/// methods at the base, `@route` rules and endpoints, parameters as segments,
/// parameters with defaults left to the query string, `trailing_slash`, a base
/// with converters, `route_prefix`, a blueprint's prefix, `base_args` naming a prefix's
/// variable, a `register` override calling `super().register(app, *args, **kwargs)`, a
/// mixin's `@route("")` at the view's base). The
/// expected rules, methods and endpoints are Flask 3.1.3's url_map with Flask-Classful 0.16.0
/// (the last two checked with Flask 2.3.3).
#[test]
fn flask_classful_views_equal_the_extension_url_map() {
    let inv = scan_fixture("fixtures/flask_classful");
    assert_eq!(
        resolved_route_lines(&inv),
        [
            "/ GET MainView:index_2",
            "/about/ GET MainView:about",
            "/api/items GET api.ItemsView:index",
            "/api/items POST api.ItemsView:post",
            "/api/items/<id> DELETE api.ItemsView:delete",
            "/api/items/<id> GET api.ItemsView:get",
            "/api/items/search/<term> GET api.ItemsView:search",
            "/api/v1/organisations/<int:org>/ GET api.OrgView:index",
            "/api/v1/organisations/<int:org>/members/<page>/ GET api.OrgView:members",
            "/api/ws/<workspace>/hosts DELETE api.HostsView:bulk_delete",
            "/api/ws/<workspace>/hosts GET api.HostsView:index",
            "/api/ws/<workspace>/hosts/<host_id> GET api.HostsView:get",
            // the app is made by a helper the factory calls (`return Flask(name)`)
            "/static/<path:filename> GET static",
            "/token POST MainView:token",
            "/topic GET index",
            "/topic/<path> GET index",
        ]
    );
}

/// Flask-AppBuilder views: `create_blueprint()` as the library runs it (a
/// blueprint per view at its `route_base`, default `/<class name>`, or
/// `/api/v1/<resource_name>` for an API; one rule per `@expose` of the
/// project's methods and of the library's, less a method overridden without
/// `@expose` and those `exclude_route_methods` names, here a set the class
/// body builds from its earlier names; an `include_route_methods` string keeps
/// the methods whose names are substrings of it, as `in` on a str does),
/// reached through the
/// library's `AppBuilder` (`add_view`, `add_view_no_menu`, `add_api`) and
/// through a builder of the project's own that stores itself on the app and
/// calls `create_blueprint` (Airflow's layout). The expected rules are the
/// url_map of the fixture's two apps under Flask-AppBuilder 4.5.3 and Flask
/// 2.3.3, less the views the library's `AppBuilder` adds by itself (index,
/// security, menu and security APIs, its static files), which follow its
/// configuration: those are one unresolved route.
#[test]
fn flask_appbuilder_views_equal_the_library_url_map() {
    let inv = scan_fixture("fixtures/flask_appbuilder");
    let mut got: Vec<String> = inv
        .routes
        .iter()
        .filter(|r| r.resolved && r.kind != "static")
        .map(route_line)
        .collect();
    got.sort();
    got.dedup();
    assert_eq!(
        got,
        [
            "/ GET DashboardView.home",
            "/ GET board.home",
            "/api/v1/items/ POST ItemApi.post",
            "/api/v1/items/<int:pk> GET ItemApi.get",
            "/home GET DashboardView.home",
            "/home GET board.home",
            "/itemmodelview/action/<string:name>/<pk> GET,POST ItemModelView.action",
            "/itemmodelview/action_post POST ItemModelView.action_post",
            "/itemmodelview/add GET,POST ItemModelView.add",
            "/itemmodelview/api GET ItemModelView.api",
            "/itemmodelview/api/column/add/<col_name> GET ItemModelView.api_column_add",
            "/itemmodelview/api/column/edit/<col_name> GET ItemModelView.api_column_edit",
            "/itemmodelview/api/create POST ItemModelView.api_create",
            "/itemmodelview/api/delete/<pk> DELETE ItemModelView.api_delete",
            "/itemmodelview/api/get/<pk> GET ItemModelView.api_get",
            "/itemmodelview/api/read GET ItemModelView.api_read",
            "/itemmodelview/api/readvalues GET ItemModelView.api_readvalues",
            "/itemmodelview/api/update/<pk> PUT ItemModelView.api_update",
            "/itemmodelview/delete/<pk> GET,POST ItemModelView.delete",
            "/itemmodelview/edit/<pk> GET,POST ItemModelView.edit",
            "/itemmodelview/export/<fmt> GET,POST ItemModelView.export",
            "/itemmodelview/list/ GET ItemModelView.list",
            "/itemmodelview/show/<pk> GET ItemModelView.show",
            "/orders/action/<string:name>/<pk> GET,POST OrderModelView.action",
            "/orders/action_post POST OrderModelView.action_post",
            "/orders/add GET,POST OrderModelView.add",
            "/orders/api/column/add/<col_name> GET OrderModelView.api_column_add",
            "/orders/api/column/edit/<col_name> GET OrderModelView.api_column_edit",
            "/orders/api/readvalues GET OrderModelView.api_readvalues",
            "/orders/delete/<pk> GET,POST OrderModelView.delete",
            "/orders/download/<string:filename> GET OrderModelView.download",
            "/orders/edit/<pk> GET,POST OrderModelView.edit",
            "/orders/list/ GET OrderModelView.list",
            "/orders/show/<pk> GET OrderModelView.show",
            "/reportview/daily GET ReportView.daily",
            "/stats/<int:year> GET DashboardView.stats",
            "/stats/<int:year> GET board.stats",
        ]
    );
    let unresolved: Vec<&Route> = inv.routes.iter().filter(|r| !r.resolved).collect();
    assert_eq!(unresolved.len(), 1, "{unresolved:#?}");
    assert!(
        unresolved[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("Flask-AppBuilder adds itself")),
        "{unresolved:#?}"
    );
    // the project's own method keeps its auth decorator
    assert_eq!(route(&inv, "/itemmodelview/list/").auth, ["has_access"]);
}

/// Connexion: `App(__name__, specification_dir=...).add_api("pets.yaml")` reads
/// the OpenAPI 3 file next to the module (base path from the server URL and
/// its variables; `{pet-id}` typed through a `$ref` parameter as `<int:pet_id>`,
/// a `format: path` string as `<path:...>`, a `$ref` schema as `<float:...>`;
/// the specification served as JSON and YAML); a Swagger 2 specification the
/// code loads itself (`Path(__file__).parent.resolve().joinpath(...).open()`
/// in a `with` block, `yaml.safe_load`) goes to `FlaskApi(...)`, whose
/// `.blueprint` the app registers under the base path it is given. The
/// expected rules, methods and endpoints are Flask's url_map of the fixture
/// under connexion 2.14.2.
#[test]
fn connexion_specifications_equal_the_url_map() {
    let inv = scan_fixture("fixtures/flask_connexion");
    let got = resolved_route_lines(&inv);
    assert_eq!(
        got,
        [
            "/admin/v2/purge/<kind_name> POST /admin/v2.petstore_api_admin_purge",
            "/admin/v2/stats GET /admin/v2.petstore_api_admin_stats",
            "/api/v1/openapi.json GET /api/v1./api/v1_openapi_json",
            "/api/v1/openapi.yaml GET /api/v1./api/v1_openapi_yaml",
            "/api/v1/pets GET /api/v1.petstore_api_pets_list_pets",
            "/api/v1/pets POST /api/v1.petstore_api_pets_create_pet",
            "/api/v1/pets/<int:pet_id> DELETE /api/v1.petstore_api_pets_delete_pet",
            "/api/v1/pets/<int:pet_id> GET /api/v1.petstore_api_pets_get_pet",
            "/api/v1/pets/<int:pet_id>/photos/<path:photo_path> GET /api/v1.petstore_api_pets_get_photo",
            "/api/v1/pets/<int:pet_id>/weight/<float:grams> PUT /api/v1.petstore_api_pets_weigh",
            "/static/<path:filename> GET static",
        ]
    );
    // the operation's handler, named by its operationId
    assert_eq!(
        route(&inv, "/admin/v2/stats").view.as_deref(),
        Some("petstore.api.admin.stats")
    );
}

/// An app class that initialises Flask by naming its base
/// (`Flask.__init__(self, name, static_url_path=...)`), then registers what a
/// package walk finds: Werkzeug's `find_modules(__name__)` with
/// `__import__(module, None, None, ["bp"]).bp`, and `import_module(...).bp`
/// over a list it is given (as Lektor's admin UI does). The expected rules are
/// Flask's url_map of the fixture (Flask 2.3.3, Werkzeug 2.3.8).
#[test]
fn package_walks_and_explicit_base_init_equal_the_url_map() {
    let inv = scan_fixture("fixtures/flask_module_walk");
    let got = resolved_route_lines(&inv);
    assert_eq!(
        got,
        [
            "/ GET pages.home",
            "/plugins/health/status GET health.status",
            "/ui/api/items/<int:item_id> DELETE api.delete_item",
            "/ui/api/ping GET api.ping",
            "/ui/static/<path:filename> GET static",
        ]
    );
}

/// An app subclass known under a second name (`Console = ConsoleApp`,
/// re-exported by its package), made only inside a launcher function whose
/// body names nothing Flask (the pre-filter blanks it; it is read again), and
/// blueprints found with Werkzeug's `import_string` in both spellings. The
/// expected rules are Flask's url_map of the fixture (Flask 3.1.3).
#[test]
fn app_made_in_a_launcher_under_an_alias_equals_the_url_map() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_launcher_alias",
        &[
            "/ GET pages.home",
            "/api/admin/reindex POST api_admin.reindex",
            "/api/items/<int:item_id> DELETE,GET api.item",
            "/console/static/<path:filename> GET static",
        ],
    );
}

/// Blueprints discovered by walking the package's files: Flask's
/// `get_root_path`, `os.walk`, `os.path.relpath`, `os.sep`, `str.split` and
/// `rsplit`, a negative index, string slicing,
/// module names collected in a `set()`, then `dir(module)` + `getattr` +
/// `isinstance(obj, Blueprint)` into another set that is registered in a
/// loop; and rules added per prefix of an `itertools.chain`. The expected
/// rules are Flask 2.3's url_map of the fixture.
#[test]
fn blueprints_discovered_by_walking_files_equal_the_url_map() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_file_discovery",
        &[
            "/event/<int:event_id>/manage/files/ GET files.event_files",
            "/event/<int:event_id>/manage/sessions/<int:session_id>/files/ GET files.session_files",
            "/orders/ GET orders.index",
            "/orders/<int:order_id> GET,POST orders.detail",
            "/shelf/<int:shelf_id>/manage/files/ GET files.shelf_files",
            "/static/<path:filename> GET static",
            "/users/ GET users.list",
        ],
    );
}

/// App objects made and changed as real start-up code does (pyLoad, udata, Superset, noggin):
/// a class whose `__new__` builds the app and registers blueprints through `cls`, an extension
/// that rebinds `app.extensions` on a Flask subclass and stores into it, an initializer that
/// changes `self.app.url_map.converters` before registering a blueprint, a route decorator
/// applied by a call (`bp.route(...)(view)`), a blueprint whose static folder is an f-string
/// (never None: its static rule exists), a Flask-RESTX namespace with an empty path (served
/// under its name: restx's `self._path or "/" + self.name`), a decorator factory that is a
/// method of a Blueprint subclass (`@site.page("/x")`, and `site.page("/x")(view)`: the closure
/// a call returns is called), methods given as a set union. The expected rules are Flask
/// 3.1's url_map of the fixture with flask-restx (crossport before: two blueprints
/// unregistered, the call-applied rule missing, the static rule unresolved, the namespace's
/// rule without its name). Celery tasks declared through project decorators that return
/// `celery.task(...)` (udata's `@job("name")`) are the tasks Celery registers (before: none),
/// and so are those of flask-celery-helper's `Celery`, a subclass of Celery's in that library.
/// `app.config` filled by `from_object` (a class path: upper-case names, inherited ones too),
/// `setdefault`, `update` and an unread `from_envvar` gives a blueprint's prefix through an
/// f-string of subscripts, and `config.get(key, Default)(app)` of a key nothing sets picks
/// the initializer (before: that prefix unresolved, the initializer never run).
#[test]
fn app_objects_made_and_changed_like_the_url_map() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_app_objects",
        &[
            "/api/0/reports/daily GET reports.daily",
            "/api/1/ GET api1.root",
            "/api/1/swagger.json GET api1.specs",
            "/api/1/workers/jobs/ GET api1.jobs",
            "/api/status GET,POST api.status",
            "/logout/ GET,POST security.logout",
            "/static/<path:filename> GET static",
            "/swaggerui/<path:filename> GET restx_doc.static",
            "/theme/static/<path:filename> GET theme.static",
            "/web/dashboard GET pages.dashboard",
            "/web/page/about GET site.about",
            "/web/page/home GET site.home",
        ],
    );
    // a Permission the app declares is its auth; one a helper makes per call is a value
    for (prefilter, inv) in scans_both_ways("fixtures/flask_app_objects") {
        let auth: Vec<&str> = inv.auth.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            auth,
            ["webui.perms.admin_permission"],
            "prefilter {prefilter}"
        );
        // Celery tasks through the project's wrappers: the names Celery 5 registers
        let mut jobs: Vec<&str> = inv.jobs.iter().map(|j| j.name.as_str()).collect();
        jobs.sort();
        assert_eq!(
            jobs,
            [
                "purge-caches",
                "webui.reports.build_report",
                "webui.tasks.compact",
                "webui.tasks.reindex"
            ],
            "prefilter {prefilter}"
        );
    }
}

/// `with` runs the context manager protocol: a `@contextmanager` method of
/// a Blueprint subclass sets (name-mangled) state before its `yield` that
/// the subclass's `add_url_rule` reads, and resets it after; a library's
/// manager (`app.app_context()`) changes nothing. The rule the outer
/// statement passes is reported only as the override declares it; `@bp.route`
/// and `@bp.post` go through the override too (also one forwarding `*args,
/// **kwargs`). The expected rules are Flask 3.1.3's url_map of the fixture.
#[test]
fn context_managers_run_around_their_block_like_the_url_map() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_context_manager",
        &[
            "/admin/v2/users POST admin.create_user",
            "/me/profile GET people.profile",
            "/me/settings GET,POST people.settings",
            "/people/ GET people.list",
            "/person/<int:pid>/profile GET people.profile",
            "/person/<int:pid>/settings GET,POST people.settings",
            "/static/<path:filename> GET static",
            "/tools/ping GET tools.ping",
        ],
    );
}

/// Blueprints found by walking a package: `pkgutil.iter_modules(__path__)`,
/// `importlib.import_module(f"{__name__}.{name}")`, `getattr(module, "bp",
/// None)`, a module without one (read or left unread by the pre-filter) and a
/// sub-package. The expected set is Flask 3.1.3's url_map of the fixture.
#[test]
fn blueprints_discovered_with_pkgutil_equal_flask_url_map() {
    for (prefilter, inv) in scans_both_ways("fixtures/flask_pkgutil") {
        let mut got: Vec<String> = inv
            .routes
            .iter()
            .map(|r| {
                assert!(r.resolved, "{r:?}");
                format!("{} {}", r.rule, r.endpoint.as_deref().unwrap_or(""))
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                "/admin/dash admin.dash",
                "/posts/latest posts.latest",
                "/static/<path:filename> static",
                "/users/ users.index",
                "/users/<int:uid> users.show",
            ],
            "prefilter {prefilter}"
        );
    }
}

/// Writes `files` under a fresh folder and scans it; (rule, endpoint) of each
/// route claimed resolved, sorted.
fn resolved_routes(files: &[(&str, &str)]) -> Vec<(String, String)> {
    common::resolved(&common::project(files).1)
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// A dotted module name split over two lines with a backslash, or written
/// with spaces around its dots, names the same module (pgAdmin 4 imports its
/// deep node packages this way). Flask 3.1.3 builds the three rules below.
#[test]
fn import_names_split_over_lines_resolve() {
    let views = "from flask import Blueprint\n\nbp = Blueprint(\"deep\", __name__, url_prefix=\"/deep\")\n\n\n@bp.route(\"/x\")\ndef x():\n    return \"x\"\n";
    let app = "from flask import Flask\nfrom pkg.deep.\\\n    views import bp as deep_bp\nimport pkg . deep . views as same\n\napp = Flask(__name__)\napp.register_blueprint(deep_bp)\napp.register_blueprint(same.bp, name=\"again\", url_prefix=\"/again\")\n";
    let got = resolved_routes(&[
        ("pkg/__init__.py", ""),
        ("pkg/deep/__init__.py", ""),
        ("pkg/deep/views/__init__.py", views),
        ("app.py", app),
    ]);
    let want = pairs(&[
        ("/again/x", "again.x"),
        ("/deep/x", "deep.x"),
        ("/static/<path:filename>", "static"),
    ]);
    assert_eq!(got, want);
}

/// A module's top level hands one of its classes to a function of another
/// module, which calls back a class method that reads the first module's
/// globals while that module is still running: Python gives the names bound
/// so far (`PREFIX` is "/node" then, "/later" only afterwards). Flask 3.1.3:
/// `/n/node/a` and `/n/node/b`.
#[test]
fn a_module_still_running_is_seen_by_its_callbacks() {
    let registry =
        "class Registry:\n    def __init__(self, view, bp):\n        view.register_node_view(bp)\n";
    let nodes = "from flask import Blueprint\nfrom pkg.registry import Registry\n\nPREFIX = \"/node\"\n\n\nclass NodeView:\n    parts = [\"a\", \"b\"]\n\n    @classmethod\n    def register_node_view(cls, bp):\n        for p in cls.parts:\n            bp.add_url_rule(f\"{PREFIX}/{p}\", p, cls.view)\n\n    @staticmethod\n    def view():\n        return \"\"\n\n\nblueprint = Blueprint(\"nodes\", __name__, url_prefix=\"/n\")\nRegistry(NodeView, blueprint)\nPREFIX = \"/later\"\n";
    let app = "from flask import Flask\nfrom pkg.nodes import blueprint\n\napp = Flask(__name__)\napp.register_blueprint(blueprint)\n";
    let got = resolved_routes(&[
        ("pkg/__init__.py", ""),
        ("pkg/registry.py", registry),
        ("pkg/nodes/__init__.py", nodes),
        ("app.py", app),
    ]);
    let want = pairs(&[
        ("/n/node/a", "nodes.a"),
        ("/n/node/b", "nodes.b"),
        ("/static/<path:filename>", "static"),
    ]);
    assert_eq!(got, want);
}

/// A helper that builds one view per resource class and caches it in a dict
/// keyed by the class (zou's `configure_api_from_blueprint`): classes are
/// values at module level, `cls.__name__` is the class's name, a class is a
/// dict key equal only to itself, and the cache filled under `if view is
/// None:` keeps its entries. Flask 3.1.3 serves both rules with POST under
/// the endpoint `b.Thing`.
#[test]
fn method_views_cached_by_class_keep_their_methods() {
    let resources = "from flask.views import MethodView\n\n\nclass Base(MethodView):\n    pass\n\n\nclass Thing(Base):\n    def post(self):\n        return \"\"\n\n\nclass Other(MethodView):\n    def put(self):\n        return \"\"\n";
    let app = "from flask import Flask, Blueprint\nfrom resources import Thing, Other\n\n\ndef configure(blueprint, route_tuples):\n    view_funcs = {}\n    for path, resource in route_tuples:\n        view_func = view_funcs.get(resource)\n        if view_func is None:\n            view_func = resource.as_view(resource.__name__)\n            view_funcs[resource] = view_func\n        blueprint.add_url_rule(path, view_func=view_func)\n    return blueprint\n\n\nroutes = [(\"/thing\", Thing), (\"/other\", Other), (\"/alias\", Thing)]\nbp = configure(Blueprint(\"b\", __name__), routes)\napp = Flask(__name__)\napp.register_blueprint(bp)\n";
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("resources.py"), resources).unwrap();
    std::fs::write(tmp.path().join("app.py"), app).unwrap();
    let inv = scan(tmp.path(), &ScanOptions::default()).unwrap().0;
    let mut got: Vec<(String, String, Vec<String>)> = inv
        .routes
        .iter()
        .filter(|r| r.resolved && r.rule != "/static/<path:filename>")
        .map(|r| {
            let e = r.endpoint.clone().unwrap_or_default();
            (r.rule.clone(), e, r.methods.clone())
        })
        .collect();
    got.sort();
    let want = vec![
        (
            "/alias".to_string(),
            "b.Thing".to_string(),
            vec!["POST".to_string()],
        ),
        (
            "/other".to_string(),
            "b.Other".to_string(),
            vec!["PUT".to_string()],
        ),
        (
            "/thing".to_string(),
            "b.Thing".to_string(),
            vec!["POST".to_string()],
        ),
    ];
    assert_eq!(got, want);
}

/// `except` handlers catch only the classes they name: a missing module
/// raises ImportError, which `except (ValueError, TypeError)` lets through
/// (every handler used to catch it, so `/wrong` was claimed); a handler
/// naming something that may be an alias of ImportError (`MyErr`) leaves
/// the outcome unknown. Flask 3.1.3: `/right/x` and `/alias/x`.
#[test]
fn handlers_catch_only_the_classes_they_name() {
    let app = "import importlib\nfrom flask import Flask, Blueprint\n\nMyErr = ImportError\n\n\ndef prefix():\n    try:\n        importlib.import_module(\"pkg.missing\")\n    except (ValueError, TypeError):\n        return \"/wrong\"\n    except ImportError as e:\n        return \"/right\"\n    return \"/none\"\n\n\ndef aliased():\n    try:\n        importlib.import_module(\"pkg.missing\")\n    except MyErr:\n        return \"/alias\"\n    except Exception:\n        return \"/exception\"\n\n\na = Blueprint(\"a\", __name__, url_prefix=prefix())\nb = Blueprint(\"b\", __name__, url_prefix=aliased())\nfor bp in (a, b):\n    bp.add_url_rule(\"/x\", \"x\", lambda: \"\")\napp = Flask(__name__)\nfor bp in (a, b):\n    app.register_blueprint(bp)\n";
    let got = resolved_routes(&[("pkg/__init__.py", ""), ("app.py", app)]);
    let want = pairs(&[("/right/x", "a.x"), ("/static/<path:filename>", "static")]);
    assert_eq!(got, want);
}

/// SQLAlchemy's documented mixin idiom: `@declared_attr def __tablename__(cls): return
/// cls.__name__.lower()` on the declarative base (or a mixin) names every model's table.
#[test]
fn declared_attr_tablename_names_the_tables() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("models.py"),
        r#"from flask import Flask
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import as_declarative, declared_attr

app = Flask(__name__)

@as_declarative()
class BaseModel:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()

    id = Column(Integer, primary_key=True)

class NamedMixin:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__

    name = Column(String(40))

class SketchNote(BaseModel):
    body = Column(String(200))

class Label(NamedMixin, BaseModel):
    note_id = Column(Integer, ForeignKey("sketchnote.id"))

class Explicit(BaseModel):
    __tablename__ = "explicit_things"
"#,
    )
    .unwrap();
    let inv = scan(tmp.path(), &ScanOptions::default()).unwrap().0;
    let table = |name: &str| {
        inv.models
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no model {name}: {:?}", inv.models))
            .table
            .clone()
    };
    assert_eq!(table("SketchNote").as_deref(), Some("sketchnote"));
    // The mixin comes first in the MRO: its `cls.__name__` wins over the base's `.lower()`.
    assert_eq!(table("Label").as_deref(), Some("Label"));
    assert_eq!(table("Explicit").as_deref(), Some("explicit_things"));
    let note = inv.models.iter().find(|m| m.name == "SketchNote").unwrap();
    assert!(
        note.fields.iter().any(|f| f.name == "id" && f.pk),
        "{note:?}"
    );
}

/// (name, table, field names) of every model, in the inventory's order.
fn model_tables(inv: &Inventory) -> Vec<String> {
    inv.models
        .iter()
        .map(|m| {
            let fields: Vec<&str> = m.fields.iter().map(|f| f.name.as_str()).collect();
            format!(
                "{} {} {}{}",
                m.name,
                m.table.as_deref().unwrap_or("-"),
                fields.join(","),
                if m.r#abstract { " abstract" } else { "" }
            )
        })
        .collect()
}

/// `declarative_base(cls=ModelBase)` where `ModelBase` derives from a class of another module
/// holding `@declared_attr __tablename__` and `id` (vantage6-server): the base's shared body is
/// the whole MRO of `ModelBase`, so every model has a table and `id`; the joined subclass gets
/// its own table from the same `declared_attr`; a bare annotation (`id: int`, as superset_core
/// writes for type checkers) binds nothing and hides no base's column. SQLAlchemy 1.4.46 and
/// 2.1.9 (`registry.mappers`, local tables): account [id, kind, email], robot [id, api_key],
/// store [id, name] (before: `Account` and `Store` abstract without `id`, `Robot` without a
/// table).
#[test]
fn declarative_base_cls_shares_its_whole_mro() {
    let (_d, inv) = common::project(&[
        (
            "shop/__init__.py",
            "from flask import Flask\n\napp = Flask(__name__)\n",
        ),
        ("shop/core/__init__.py", ""),
        ("shop/model/__init__.py", ""),
        (
            "shop/core/base.py",
            r#"from sqlalchemy import Column, Integer
from sqlalchemy.orm import declared_attr

class CoreBase:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()

    id = Column(Integer, primary_key=True)
"#,
        ),
        (
            "shop/model/base.py",
            r#"from sqlalchemy.orm import declarative_base

from shop.core.base import CoreBase

class ModelBase(CoreBase):
    def describe(self):
        return f"{type(self).__name__} {self.id}"

Base = declarative_base(cls=ModelBase)
"#,
        ),
        (
            "shop/model/entities.py",
            r#"from sqlalchemy import Column, ForeignKey, Integer, String

from shop.model.base import Base

class Account(Base):
    kind = Column(String(20))
    __mapper_args__ = {"polymorphic_identity": "account", "polymorphic_on": kind}
    email = Column(String(120))

class Robot(Account):
    id = Column(Integer, ForeignKey("account.id"), primary_key=True)
    __mapper_args__ = {"polymorphic_identity": "robot"}
    api_key = Column(String(64))

class Store(Base):
    id: int
    name = Column(String(80))
"#,
        ),
    ]);
    assert_eq!(
        model_tables(&inv),
        [
            "Account account kind,email,id",
            "Robot robot id,api_key",
            "Store store name,id"
        ]
    );
}

/// blazar's models: `id = _id_column()`, a module-level function returning `sa.Column(...)`
/// (the attribute is the call's result), and `declarative_base(cls=_Base)` with `_Base`
/// deriving from an installed library's mixin (oslo_db's `TimestampMixin`), read from the
/// site-packages given, with the mixin's own base. SQLAlchemy 2.1.9's local tables: hosts [id
/// Integer, hostname, created_at, updated_at, revision], leases [id String(36) primary key,
/// name, created_at, updated_at, revision]. Without the environment the mixin is not known.
#[test]
fn columns_from_a_helper_function_and_an_installed_mixin() {
    let tmp = tempfile::tempdir().unwrap();
    let files = [
        ("site/stamps/__init__.py", ""),
        (
            "site/stamps/models.py",
            r#"from sqlalchemy import Column, DateTime, Integer

class Revisioned:
    revision = Column(Integer, default=0)

class TimestampMixin(Revisioned):
    created_at = Column(DateTime)
    updated_at = Column(DateTime)
"#,
        ),
        (
            "proj/fleet/__init__.py",
            "from flask import Flask\n\napp = Flask(__name__)\n",
        ),
        (
            "proj/fleet/model_base.py",
            r#"from sqlalchemy.orm import declarative_base
from stamps import models

class _FleetBase(models.TimestampMixin):
    def to_dict(self):
        return {c.name: getattr(self, c.name) for c in self.__table__.columns}

FleetBase = declarative_base(cls=_FleetBase)
"#,
        ),
        (
            "proj/fleet/models.py",
            r#"import uuid

import sqlalchemy as sa

from fleet import model_base as mb

def _id_column():
    """The key every table shares."""
    return sa.Column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))

class Lease(mb.FleetBase):
    __tablename__ = "leases"

    id = _id_column()
    name = sa.Column(sa.String(80), nullable=False)

class Host(mb.FleetBase):
    __tablename__ = "hosts"

    id = sa.Column(sa.Integer, primary_key=True)
    hostname = sa.Column(sa.String(255))
"#,
        ),
    ];
    for (name, text) in files {
        let p = tmp.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let scan_with = |site_packages| {
        let opts = ScanOptions {
            site_packages,
            ..ScanOptions::default()
        };
        scan(&tmp.path().join("proj"), &opts).unwrap().0
    };
    let inv = scan_with(crossport::python::mount::SitePackages::Dirs(vec![
        tmp.path().join("site"),
    ]));
    assert_eq!(
        model_tables(&inv),
        [
            "Host hosts id,hostname,created_at,updated_at,revision",
            "Lease leases id,name,created_at,updated_at,revision"
        ]
    );
    let id = &inv.models[1].fields[0];
    assert_eq!((id.r#type.as_str(), id.pk), ("String", true));
    let off = scan_with(crossport::python::mount::SitePackages::Off);
    assert_eq!(
        model_tables(&off),
        ["Host hosts id,hostname", "Lease leases id,name"]
    );
}

/// Classes mapped imperatively onto `Table(...)` objects (`registry.map_imperatively`, the
/// registry made in another module) and with `@registry.mapped`: the fields are the table's
/// column attributes as SQLAlchemy 2.0 maps them (checked with its `registry.mappers`): a
/// column's `key=`, a `properties` entry mapping `table.c.x` under another name, and
/// `synonym("_x", map_column=True)`.
#[test]
fn imperatively_mapped_classes_are_models() {
    let (_d, inv) = common::project(&[
        (
            "app/__init__.py",
            r#"from flask import Flask

import app.models  # noqa: F401

application = Flask(__name__)
"#,
        ),
        (
            "app/meta.py",
            r#"from sqlalchemy import MetaData, orm

metadata = MetaData()
registry = orm.registry(metadata=metadata)
"#,
        ),
        (
            "app/models.py",
            r#"from sqlalchemy import Column, ForeignKey, Integer, String, Table, UnicodeText
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from app import meta

group_table = Table(
    "group",
    meta.metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(100), key="label"),
)
member_table = Table(
    "member",
    meta.metadata,
    Column("id", Integer, primary_key=True),
    Column("group_id", Integer, ForeignKey("group.id")),
    Column("password", UnicodeText),
    Column("secret", UnicodeText),
)

class Group:
    pass

class Member:
    pass

meta.registry.map_imperatively(Group, group_table)
meta.registry.map_imperatively(
    Member,
    member_table,
    properties={
        "group": relationship(Group, backref="members"),
        "password": synonym("_password", map_column=True),
        "_secret": member_table.c.secret,
    },
)

@meta.registry.mapped
class Note:
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(200))
"#,
        ),
    ]);
    let model = |name: &str| {
        let m = inv
            .models
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no model {name}: {:?}", inv.models));
        let mut cols: Vec<(String, String)> = m
            .fields
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    f.column.clone().unwrap_or_else(|| f.name.clone()),
                )
            })
            .collect();
        cols.sort();
        (
            m.table.clone(),
            cols,
            m.relations
                .iter()
                .map(|r| r.name.clone())
                .collect::<Vec<_>>(),
        )
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    let (table, cols, _) = model("Group");
    assert_eq!(table.as_deref(), Some("group"));
    assert_eq!(cols, pairs(&[("id", "id"), ("label", "title")]));
    let (table, cols, rels) = model("Member");
    assert_eq!(table.as_deref(), Some("member"));
    assert_eq!(
        cols,
        pairs(&[
            ("_password", "password"),
            ("_secret", "secret"),
            ("group_id", "group_id"),
            ("id", "id")
        ])
    );
    assert_eq!(rels, ["group"]);
    let (table, cols, _) = model("Note");
    assert_eq!(table.as_deref(), Some("note"));
    assert_eq!(cols, pairs(&[("body", "body"), ("id", "id")]));
}

/// `__table_args__ = (PrimaryKeyConstraint("col", name=...),)` declares the key: one column is
/// a plain primary key, several a composite one.
#[test]
fn primary_key_constraint_in_table_args_declares_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("models.py"),
        r#"from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, Integer, PrimaryKeyConstraint, String

app = Flask(__name__)
db = SQLAlchemy(app)

class Experiment(db.Model):
    __tablename__ = "experiments"
    experiment_id = Column(Integer, autoincrement=True)
    name = Column(String(256), nullable=False)
    __table_args__ = (PrimaryKeyConstraint("experiment_id", name="experiment_pk"),)

class ExperimentTag(db.Model):
    __tablename__ = "experiment_tags"
    key = Column(String(250))
    experiment_id = Column(Integer)
    __table_args__ = (PrimaryKeyConstraint("key", "experiment_id", name="experiment_tag_pk"),)
"#,
    )
    .unwrap();
    let inv = scan(tmp.path(), &ScanOptions::default()).unwrap().0;
    let model = |name: &str| inv.models.iter().find(|m| m.name == name).unwrap();
    let exp = model("Experiment");
    let pks: Vec<&str> = exp
        .fields
        .iter()
        .filter(|f| f.pk)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(pks, ["experiment_id"], "{exp:?}");
    assert!(!exp.traits.iter().any(|t| t == "composite_pk"), "{exp:?}");
    let tag = model("ExperimentTag");
    let pks: Vec<&str> = tag
        .fields
        .iter()
        .filter(|f| f.pk)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(pks, ["key", "experiment_id"], "{tag:?}");
    assert!(tag.traits.iter().any(|t| t == "composite_pk"), "{tag:?}");
}

#[test]
fn column_types_bound_to_names_and_variants_keep_their_base_type() {
    // A type bound to a module-level name (rebound to a variant of itself) and a variant chain
    // are the base type wherever they are used; a table constraint is listed with its columns.
    let (_d, inv) = common::project(&[
        (
            "app/__init__.py",
            "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\ndb = SQLAlchemy(app)\n",
        ),
        (
            "app/types.py",
            "from sqlalchemy import BigInteger\nfrom sqlalchemy.dialects import sqlite\nBigIntegerType = BigInteger()\nBigIntegerType = BigIntegerType.with_variant(sqlite.INTEGER(), \"sqlite\")\n",
        ),
        (
            "app/models.py",
            "from sqlalchemy import DateTime, String\nfrom sqlalchemy.dialects import mysql\nfrom app import db\nfrom app.types import BigIntegerType\n\n\nclass Event(db.Model):\n    __table_args__ = (db.UniqueConstraint(\"kind\", \"at\"), db.Index(\"ix_at\", db.text(\"lower(kind)\")))\n    id = db.Column(BigIntegerType, primary_key=True)\n    at = db.Column(DateTime().with_variant(mysql.DATETIME(fsp=6), \"mysql\"))\n    kind = db.Column(String(20).with_variant(String(40), \"mysql\"))\n",
        ),
    ]);
    let m = inv
        .models
        .iter()
        .find(|m| m.name == "Event")
        .expect("Event");
    let ty = |n: &str| {
        let f = m.fields.iter().find(|f| f.name == n).unwrap();
        (f.r#type.as_str(), f.type_args.clone())
    };
    assert_eq!(ty("id"), ("BigInteger", vec![]));
    assert_eq!(ty("at"), ("DateTime", vec![]));
    assert_eq!(ty("kind"), ("String", vec!["20".to_string()]));
    let kinds: Vec<(&str, Vec<String>)> = m
        .constraints
        .iter()
        .map(|c| (c.kind.as_str(), c.columns.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("unique", vec!["kind".to_string(), "at".to_string()]),
            ("unread", vec![])
        ]
    );
}

#[test]
fn url_converters_a_project_registers_are_listed_with_their_regex() {
    // The regex a class declares, werkzeug's default for a BaseConverter subclass that declares
    // none, and nothing when the class sets it in __init__.
    let (_d, inv) = common::project(&[(
        "app/__init__.py",
        "from flask import Flask\nfrom werkzeug.routing import BaseConverter\n\n\nclass Year(BaseConverter):\n    regex = r\"\\d{4}\"\n\n\nclass Token(BaseConverter):\n    def to_python(self, value):\n        return value\n\n\nclass Dynamic(BaseConverter):\n    def __init__(self, url_map, *items):\n        super().__init__(url_map)\n        self.regex = items[0]\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.url_map.converters[\"year\"] = Year\n    app.url_map.converters.update({\"token\": Token, \"dyn\": Dynamic})\n\n    @app.route(\"/y/<year:y>\")\n    def y(y):\n        return y\n\n    return app\n",
    )]);
    let got: Vec<(&str, Option<&str>)> = inv
        .converters
        .iter()
        .map(|c| (c.name.as_str(), c.regex.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("dyn", None),
            ("token", Some("[^/]+")),
            ("year", Some("\\d{4}"))
        ]
    );
}

/// A declarative base returned by a function of the project (flexget's `Base =
/// versioned_base("plugin", 1)` returns an `@as_declarative()` class it defines), bound under
/// `if TYPE_CHECKING: ... else:`, whose first branch never runs: the models on it are mapped
/// (SQLAlchemy 2.0.49 maps all three).
#[test]
fn a_base_returned_by_a_project_function_maps_its_models() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| std::fs::write(tmp.path().join(path), text).unwrap();
    write(
        "schema.py",
        r#"from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, as_declarative

metadata = MetaData()

def versioned_base(plugin, version):
    @as_declarative(metadata=metadata)
    class VersionedBase:
        _plugin = plugin
        _version = version

    return VersionedBase

def typed_base():
    class Typed(DeclarativeBase):
        pass

    return Typed
"#,
    );
    write(
        "models.py",
        r#"from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

import schema

app = Flask(__name__)

if TYPE_CHECKING:
    Base = object
else:
    Base = schema.versioned_base("feed", 0)
Typed = schema.typed_base()

class Seen(Base):
    __tablename__ = "seen"
    id = Column(Integer, primary_key=True)
    title = Column(String(80))

class Hash(Base):
    __tablename__ = "feed_hash"
    id: Mapped[int] = mapped_column(primary_key=True)
    hash: Mapped[str | None]

class Label(Typed):
    __tablename__ = "label"
    id: Mapped[int] = mapped_column(primary_key=True)
"#,
    );
    let inv = scan(tmp.path(), &ScanOptions::default()).unwrap().0;
    let mut tables: Vec<_> = inv
        .models
        .iter()
        .map(|m| m.table.clone().unwrap_or_default())
        .collect();
    tables.sort();
    assert_eq!(tables, ["feed_hash", "label", "seen"], "{:?}", inv.models);
}

/// A declarative base from a package outside the scanned tree: classes that
/// declare `__tablename__` and SQLAlchemy columns on it are mapped, a class
/// on an outside mixin with neither is not; a column made by calling a
/// `functools.partial` of `Column` is a column. The expected models, tables and
/// columns are SQLAlchemy 2.0's mappers for the fixture (with the helper
/// package's `Base = declarative_base()`).
#[test]
fn models_on_a_base_from_outside_the_tree_are_mapped() {
    let inv = scan_fixture("fixtures/flask_outside_base");
    let got: Vec<String> = inv
        .models
        .iter()
        .map(|m| {
            let fields: Vec<&str> = m.fields.iter().map(|f| f.name.as_str()).collect();
            format!(
                "{} {} {}",
                m.name,
                m.table.as_deref().unwrap_or("-"),
                fields.join(",")
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "Project projects id,name",
            "Release releases id,project_id,version,notes"
        ]
    );
    // `partial(sa.Column, nullable=False)` called: a column with the partial's keywords
    let notes = &inv.models[1].fields[3];
    assert_eq!(
        (notes.name.as_str(), notes.nullable),
        ("notes", Some(false))
    );
}

/// Flask's app discovery calls a module's `create_app()` with no arguments, here one that
/// returns `Server("/api").app` (the app made in a method) and names nothing of Flask's, so
/// the pre-filter blanks its body. The resource modules are imported by
/// `import_module(f"{__name__}.resource.{res}")` and name their rules after their own
/// `__name__` (`__name__.split(".")[-1]`), known at the top level of an imported module.
/// Flask 3.1's url_map of `create_app()`: `/api/health`, `/api/user` and the static rule.
#[test]
fn a_discovered_factory_runs_and_imported_modules_know_their_name() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_discovered_factory",
        &[
            "/api/health GET health",
            "/api/user GET user",
            "/static/<path:filename> GET static",
        ],
    );
}

/// A route decorator applied by a call (`sock.route("/chat")(chat)`, the function kept
/// undecorated for its tests) declares the same rule as the `@` form. Flask-Sock 0.7's
/// `Sock.route` adds a GET rule named after the function: Flask 3.1's url_map has `/chat`,
/// `/echo` and the static rule.
#[test]
fn a_route_decorator_applied_by_a_call() {
    let (_d, inv) = common::project(&[
        ("chat/__init__.py", ""),
        (
            "chat/server.py",
            "from flask import Flask\n\napp = Flask(__name__)\n\nfrom chat import sockets  # noqa: E402,F401\n",
        ),
        (
            "chat/sockets.py",
            "from flask_sock import Sock\n\nfrom .server import app\n\nsock = Sock(app)\n\n\ndef chat(ws):\n    ws.send(\"hi\")\n\n\nsock.route(\"/chat\")(chat)\n\n\n@sock.route(\"/echo\")\ndef echo(ws):\n    ws.send(ws.receive())\n",
        ),
    ]);
    assert_eq!(
        resolved_route_lines(&inv),
        [
            "/chat GET chat",
            "/echo GET echo",
            "/static/<path:filename> GET static"
        ]
    );
}

/// `hasattr(None, name)` is False for any name but the object protocol's dunders, so a
/// helper picking a class from `[None, module]` (oscar's `_pluck_classes`) skips the `None`.
/// Flask 3.1's url_map: `/n` and `/picked`, with the static rule.
#[test]
fn hasattr_of_none() {
    let (_d, inv) = common::project(&[
        ("pkg/__init__.py", ""),
        ("pkg/views.py", "def view():\n    return \"\"\n"),
        (
            "pkg/app.py",
            "from flask import Flask\n\nfrom pkg import views\n\napp = Flask(__name__)\n\n\ndef pick(modules, name):\n    for m in modules:\n        if hasattr(m, name):\n            return \"picked\"\n    return \"none\"\n\n\nx = \"y\" if hasattr(None, \"view\") else \"n\"\napp.add_url_rule(\"/\" + x, \"a\", views.view)\napp.add_url_rule(\"/\" + pick([None, views], \"view\"), \"b\", views.view)\n",
        ),
    ]);
    assert_eq!(
        resolved_route_lines(&inv),
        [
            "/n GET a",
            "/picked GET b",
            "/static/<path:filename> GET static"
        ]
    );
}

/// A development script (its top level tests `__name__ == "__main__"`) that reconfigures a
/// shared extension object runs in a process of its own: the deployed app that binds the
/// extension mounts its blueprint under the prefix the config object has there. Flask 3.1's
/// url_map of `site_app:app` is `/`, `/dashboard/overview` and the static rule; the script's
/// own `bind` mounts the blueprint under a prefix read from a config file, not known
/// (before: the deployed app's dashboard rule was unresolved too, "url_prefix: unsupported +").
#[test]
fn a_dev_script_does_not_reconfigure_the_deployed_app() {
    for (prefilter, inv) in scans_both_ways("fixtures/flask_dev_script") {
        let deployed: Vec<String> = inv
            .routes
            .iter()
            .filter(|r| r.resolved && r.file != "dash/main.py")
            .map(|r| {
                let endpoint = r.endpoint.as_deref().unwrap_or("");
                format!("{} {} {endpoint}", r.rule, r.methods.join(","))
            })
            .collect();
        assert_eq!(
            deployed,
            ["/ GET index", "/dashboard/overview GET dash.overview"],
            "prefilter {prefilter}"
        );
        let unresolved: Vec<&str> = inv
            .routes
            .iter()
            .filter(|r| !r.resolved)
            .map(|r| r.rule.as_str())
            .collect();
        assert_eq!(unresolved, ["/overview"], "prefilter {prefilter}");
    }
}

/// An app factory that defines its Flask subclass in its own body (faradaysec's `create_app`),
/// with a `register_blueprint` override calling `super()`, and registers blueprints through a
/// helper: the factory is a start-up root and the local class makes a Flask app. Flask 3.1's
/// url_map: `/_api/v3/things` and the static rule under `/assets` (before: the blueprint's
/// rule unresolved, "no app factory is seen to call", and no static rule).
#[test]
fn an_app_class_defined_inside_the_factory() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_local_class",
        &[
            "/_api/v3/things GET api.things",
            "/assets/<path:filename> GET static",
        ],
    );
}

/// Flask-RESTful `Api` objects followed as values (OpenStack Keystone's `APIBase`): an Api
/// made on a blueprint and kept in a name-mangled instance attribute read back through a
/// property, its `prefix` from a class attribute via `getattr`, resources from class-level
/// lists (URLs built from the resource classes' attributes, one renamed path parameter),
/// and from a table of `collections.namedtuple` rows unpacked with `*urls, **kwargs`
/// (`endpoint=`); a bare Api given resources at module level, then `init_app(app)` in the
/// factory, and one more resource after it (registered nowhere); a bare Api given a
/// blueprint by `init_app` (its prefix dropped, `methods=` kept); an Api on the app with
/// `url_part_order="eab"`. The expected list is Flask 3.1.3's url_map with Flask-RESTful
/// 0.3.10 (before: only the bare Api's two rules, `/late` and `static`; nothing of the
/// blueprint resources).
#[test]
fn flask_restful_apis_held_in_objects_equal_flask_url_map() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_restful_objects",
        &[
            "/health GET health",
            "/health/live GET health",
            "/ordered/v9 GET,POST ordered",
            "/reports/export POST reports.export",
            "/static/<path:filename> GET static",
            "/v3/os-regions/regions GET,POST regions.regionresource",
            "/v3/os-regions/regions/<string:rid> GET,POST regions.regionresource",
            "/v3/users DELETE,GET users.userresource",
            "/v3/users/<string:user_id> DELETE,GET users.userresource",
            "/v3/users/<string:user_id>/password POST users.user_password",
        ],
    );
}

/// A click command that feeds its options to the app factory (rq-dashboard's `run` ->
/// `make_flask_app(config, url_prefix, ...)`): click calls the command with each option's
/// default (a module constant, a flag's `--x/--no-x` pair named by a third declaration, a
/// flag with no default), and what the factory declared again when it ran on its own, with
/// parameters nobody gives, is dropped: the command calls it. The expected list is Flask
/// 3.1.3's url_map for the parameters click 8.5.1 parses from an empty command line
/// (before: every blueprint rule unresolved, "url_prefix: not a string").
#[test]
fn click_command_options_reach_the_factory() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_click_command",
        &[
            "/dash/ GET dash.overview",
            "/dash/admin/settings GET admin.settings",
            "/dash/queue/<name>/empty POST dash.empty_queue",
            "/static/<path:filename> GET static",
        ],
    );
}

/// An app made and returned by a class's `__new__` (pyLoad's web UI), whose classmethods
/// register the blueprints a class attribute lists; the class is called only from a thread
/// nothing starts, so `__new__` is the start-up root, run with `cls` bound to the class as
/// calling it passes it. Flask 3.1.3's url_map of `App(None)` (before: both blueprint rules
/// unresolved, "no register_blueprint() call", because `cls` was an unknown parameter).
#[test]
fn an_app_made_in_a_class_dunder_new() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_class_new_app",
        &[
            "/api/status GET,POST api.status",
            "/dashboard GET app.dashboard",
            "/static/<path:filename> GET static",
        ],
    );
}

/// Blueprints reached through module values (`from . import catalog` in a package, a tuple
/// of modules walked by a loop in the factory, a module held in a local), modules imported
/// by a relative name with `package=`, endpoint names from set difference and union, and
/// methods named by enum members (`Verb.GET.value` of a `str` enum, the standard library's
/// `HTTPMethod`, `.name`). Flask 3.1.3's url_map of `create_app()` (before: every rule but
/// the static one unresolved, methods `[]` for `.value`).
#[test]
fn blueprints_reached_through_module_values_and_enum_methods() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_module_values",
        &[
            "/accounts/ GET accounts.view",
            "/catalog/items GET,POST catalog.items",
            "/catalog/items/<int:pk> DELETE catalog.item",
            "/health/ GET health.view",
            "/orders/ GET,PUT patch.orders",
            "/ping/ GET ping.view",
            "/static/<path:filename> GET static",
        ],
    );
}

/// A `Flask` subclass whose `__init__` calls a method of its own named `register` (after
/// setting an attribute of the url map, and a method given a `**mapping` known only at run
/// time, whose parameters are then not known, but which runs: before, calling it lost the
/// app), which registers the blueprints; views decorated
/// by a factory returning `functools.partial(add_presenter, view=...)`, whose wrapper
/// declares two rules from the bound keyword (also `@partial(...)` written as the decorator,
/// and a name bound to a partial of a partial). Flask 3.1.3's url_map of `create_app()`
/// (before: `/users` with no prefix, "no register_blueprint() call", and two unresolved
/// `frontend.wrapper` rules in place of the four presenter rules).
#[test]
fn app_subclass_register_method_and_partial_decorators() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_app_methods",
        &[
            "/+admin/users GET admin.users",
            "/+download/+<rev>/<path:item_name> GET frontend.download_item",
            "/+download/<path:item_name> GET frontend.download_item",
            "/+history/+<rev>/<path:item_name> GET frontend.item_history",
            "/+history/<path:item_name> GET frontend.item_history",
            "/+meta/+<rev>/<path:item_name> GET frontend.show_item_meta",
            "/+meta/<path:item_name> GET frontend.show_item_meta",
            "/+raw/+<rev>/<path:item_name> GET frontend.raw_item",
            "/+raw/<path:item_name> GET frontend.raw_item",
            "/static/<path:filename> GET static",
        ],
    );
}

/// Blueprints registered later through `functools.partial` objects kept in a list and called
/// with no arguments: a partial of the app's bound `register_blueprint` with the blueprint and
/// its `url_prefix`, and one of a method of the project's own object that registers under an
/// f-string prefix. Flask 3.1.3's url_map of `create_app()` (before: both blueprints' rules
/// unresolved, "no register_blueprint() call").
#[test]
fn blueprints_registered_through_partials_of_bound_methods() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_partial_registrators",
        &[
            "/api/files/<path:name> DELETE,GET api.files",
            "/api/version GET api.version",
            "/plugin/timelapse/config POST timelapse.config",
            "/static/<path:filename> GET static",
        ],
    );
}

/// The program's own click command that serves the module's app (`octoprint serve`):
/// `serve_command` calls a helper that makes `Server(...)` and calls its `run()`, which
/// registers the blueprint on `app = Flask(__name__)` through a partial. Nothing in the
/// code calls the command (its console script does); it runs as its command line runs
/// it, and what it registers stands. The `routes` command registers nothing. Checked with
/// Flask 3.0.3 and click 8.2.1: `CliRunner().invoke(cli, ["serve"])` (with `Flask.run`
/// stubbed), then `app.url_map` (before: `/version`, unresolved, no registration found).
#[test]
fn blueprints_registered_by_a_click_serve_command() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_click_serve_command",
        &[
            "/api/version GET api.version",
            "/static/<path:filename> GET static",
        ],
    );
}

/// A command that adds to an app that already has its blueprints at import (archivy's
/// `run`): the app is served as imported (`flask --app notes`, a WSGI server), so the
/// command's own blueprint is not claimed as the app's. Checked with Flask 3.0.3:
/// `notes.app.url_map` after `import notes`.
#[test]
fn a_click_command_extending_a_complete_app_is_not_its_start_up() {
    for (prefilter, inv) in scans_both_ways("fixtures/flask_click_command_extends_app") {
        let resolved: Vec<String> = inv
            .routes
            .iter()
            .filter(|r| r.resolved)
            .map(route_line)
            .collect();
        assert_eq!(
            resolved,
            [
                "/api/notes GET api.notes",
                "/static/<path:filename> GET static"
            ],
            "prefilter {prefilter}"
        );
    }
}

/// The Blueprint class reached through a module-level alias (`Blueprint = flask.Blueprint`):
/// the object made is a blueprint (its rules take its `url_prefix` and its name) and the
/// alias stands for Flask's class when the start-up code runs. Flask 3.1.3's url_map of
/// `create_app()` (before: `/<resource_id>` and `/new`, claimed as rules of the app).
#[test]
fn blueprint_made_through_a_class_alias_equals_flask() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_blueprint_alias",
        &[
            "/dataset/<id>/resource/<resource_id> GET resource.read",
            "/dataset/<id>/resource/new GET resource.new",
            "/static/<path:filename> GET static",
        ],
    );
}

/// A plugin base class of the project whose own `route` staticmethod records rules on the
/// function (`@octo.plugin.BlueprintPlugin.route("/backup")`, OctoPrint), in a module that
/// also imports flask: not Flask's `route`, so its rules are not claimed as the app's (before:
/// `/backup` and `/backup/<filename>` resolved on the app; Flask 3.1.3 serves them under
/// `/plugin/backup/`, through a blueprint built at run time from the recorded rules, which
/// stays unresolved).
#[test]
fn a_project_class_route_decorator_is_not_flasks() {
    for (prefilter, inv) in scans_both_ways("fixtures/flask_plugin_route_decorator") {
        let resolved: Vec<String> = inv
            .routes
            .iter()
            .filter(|r| r.resolved)
            .map(route_line)
            .collect();
        assert_eq!(
            resolved,
            ["/static/<path:filename> GET static"],
            "prefilter {prefilter}"
        );
        assert!(
            !inv.routes.iter().any(|r| r.rule.starts_with("/backup")),
            "prefilter {prefilter}: {:?}",
            inv.routes
        );
    }
}

/// A table of resources walked through a voluptuous schema (`for r in schema(resources)`:
/// the validator returns the data it was given), each resource class loaded by name with
/// `importlib` and `getattr` and added to a Flask-RESTful `Api` on a blueprint. Flask 3.1.3
/// with voluptuous 0.16.0 and Flask-RESTful 0.3.10, `get_api_app().url_map` (before: only
/// the static rule). A schema with `Optional(..., default=...)` returns data with the default
/// filled in (Flask has `/v1/limits`): that rule is unresolved, not `/limits` (as it was
/// before the review fix).
#[test]
fn resources_walked_through_a_validator() {
    for (prefilter, inv) in scans_both_ways("fixtures/flask_validated_table") {
        let (resolved, unresolved): (Vec<&Route>, Vec<&Route>) =
            inv.routes.iter().partition(|r| r.resolved);
        let mut lines: Vec<String> = resolved.iter().map(|r| route_line(r)).collect();
        lines.sort();
        assert_eq!(
            lines,
            [
                "/scope GET,PUT scope.scopestate",
                "/scope/<scope_id> GET scope.scopeitem",
                "/static/<path:filename> GET static",
            ],
            "prefilter {prefilter}"
        );
        let limits: Vec<Option<&str>> = unresolved.iter().map(|r| r.endpoint.as_deref()).collect();
        assert_eq!(limits, [Some("limits.limits")], "prefilter {prefilter}");
    }
}

/// A directory without `__init__.py` that the code imports through (`from
/// acme.store.views import store_bp`) is a namespace package: modules are named
/// `acme.store.x`, as Python names them (before: `store.views`, the blueprint's
/// registration not found, the model named `store.models.Wallet`).
#[test]
fn a_namespace_package_names_its_modules() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_namespace_package",
        &[
            "/static/<path:filename> GET static",
            "/store/cart GET store.cart",
        ],
    );
    let inv = scan_fixture("fixtures/flask_namespace_package");
    let models: Vec<String> = inv
        .models
        .iter()
        .map(|m| format!("{}.{}", m.module, m.name))
        .collect();
    assert_eq!(models, ["acme.store.models.Wallet"]);
}

/// flask-smorest's `Api` as a value: a project subclass initialised on the app (its
/// `init_app` calling `super()`), blueprints registered through it by each module of a
/// tuple; `current_app` in a module imported inside `with app.app_context():` is that app
/// (its config gives the prefix); the Api's own `api-docs` blueprint from the `OPENAPI_*`
/// settings (the JSON spec, Swagger UI, not ReDoc, whose script URL is not set). Flask 3.1.3
/// with flask-smorest 0.45.0 (before: every rule but the static one unresolved, `/stats`
/// without its prefix; before session 20: no `api-docs` rule).
#[test]
fn smorest_api_values_and_current_app_in_a_context() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_smorest_context",
        &[
            "/backoffice/stats GET admin.stats",
            "/docs/openapi.json GET api-docs.openapi_json",
            "/docs/swagger-ui GET api-docs.openapi_swagger_ui",
            "/items/ GET,POST items.ItemsViews",
            "/items/<int:item_id> GET items.ItemsById",
            "/orders/ GET,POST orders.OrdersViews",
            "/orders/<int:item_id> GET orders.OrdersById",
            "/static/<path:filename> GET static",
        ],
    );
}

/// A `return` inside `with app2.app_context():` still leaves the context (Python runs
/// `__exit__`): `current_app` read afterwards outside any context is no app, and Flask
/// 3.1.3 has no `/leak` rule (before the fix: `/leak` reported on the second app).
#[test]
fn an_app_context_left_by_return_is_popped() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_app_context",
        &["/static/<path:filename> GET static"],
    );
}

/// Rules written with `os.path.join` of constant strings (POSIX semantics: an absolute part
/// restarts the path) and an app whose `static_folder` is a `pathlib.Path` below
/// `Path(__file__).parent`: Flask derives the static rule from the folder's last component.
/// Flask 3.1 reports exactly these four rules (wikmd 1.10.6's idioms; before: the two joined
/// rules and the static rule unresolved).
#[test]
fn path_joined_rules_and_a_pathlib_static_folder() {
    let (_dir, inv) = common::project(&[
        ("wk/__init__.py", ""),
        (
            "wk/wiki.py",
            "import os\nfrom pathlib import Path\nfrom flask import Flask\n\nIMAGES = \"img\"\n\
             HERE = Path(__file__).parent\n\
             app = Flask(__name__, template_folder=HERE / \"templates\", static_folder=HERE / \"assets\")\n\n\
             @app.route(os.path.join(\"/\", IMAGES), methods=[\"POST\", \"DELETE\"])\n\
             def upload():\n    return \"\"\n\n\
             @app.route(os.path.join(\"/\", \"list\", \"<path:folder>/\"))\n\
             def listing(folder):\n    return folder\n\n\
             @app.route(os.path.join(\"/api\", \"/abs\"))\n\
             def absolute():\n    return \"\"\n",
        ),
    ]);
    let rules: Vec<(String, bool)> = inv
        .routes
        .iter()
        .map(|r| (r.rule.clone(), r.resolved))
        .collect();
    let mut rules = rules;
    rules.sort();
    assert_eq!(
        rules,
        [
            ("/abs".to_string(), true),
            ("/assets/<path:filename>".to_string(), true),
            ("/img".to_string(), true),
            ("/list/<path:folder>/".to_string(), true),
        ]
    );
}

/// A rule read outside the start-up run whose `methods=` the scan cannot evaluate
/// (`[HTTPMethod.GET.value]` in a branch only a caller's argument decides): its methods are
/// not known, so the route is listed but not claimed (rucio 41.5.1 had 20 such rules claimed
/// with no methods at all, each a wrong key).
#[test]
fn a_rule_with_methods_not_known_is_not_claimed() {
    let (_dir, inv) = common::project(&[
        ("app/__init__.py", ""),
        (
            "app/main.py",
            "import importlib\nfrom http import HTTPMethod\nfrom flask import Flask, Blueprint\n\
             from flask.views import MethodView\n\n\
             class Ping(MethodView):\n    def get(self):\n        return \"\"\n\n\
             def blueprint(with_doc=False):\n    bp = Blueprint(\"ping\", __name__, url_prefix=\"/ping\")\n    \
             v = Ping.as_view(\"ping\")\n    if not with_doc:\n        \
             bp.add_url_rule(\"\", view_func=v, methods=[HTTPMethod.GET.value])\n    return bp\n\n\
             def make_doc():\n    doc = Flask(__name__)\n    doc.register_blueprint(blueprint(with_doc=True))\n\n\
             app = Flask(__name__)\nfor name in open(\"endpoints.txt\").read().split():\n    \
             app.register_blueprint(importlib.import_module(name).blueprint())\n",
        ),
    ]);
    let ping = inv
        .routes
        .iter()
        .find(|r| r.rule == "/ping")
        .expect("listed");
    assert!(!ping.resolved, "{ping:?}");
    assert!(
        ping.reason
            .as_deref()
            .is_some_and(|r| r.contains("methods")),
        "{ping:?}"
    );
}

/// A class view bound to a module-level name (`edit = EditView.as_view("edit")`) and
/// registered through it: Flask 3.1 serves `/user/edit` as `user.edit` with the class's
/// methods GET and POST, as for the inline form (ckan 2.12's `views/user.py`; before: the
/// endpoint `user.v`, GET only).
#[test]
fn a_class_view_held_by_a_module_variable() {
    let (_dir, inv) = common::project(&[
        ("app/__init__.py", ""),
        (
            "app/main.py",
            "from flask import Flask, Blueprint\nfrom flask.views import MethodView\n\n\
             user = Blueprint(\"user\", __name__, url_prefix=\"/user\")\n\n\
             class EditView(MethodView):\n    def post(self, id=None):\n        return \"\"\n\n    \
             def get(self, id=None):\n        return \"\"\n\n\
             v = EditView.as_view(\"edit\")\nuser.add_url_rule(\"/edit\", view_func=v)\n\
             v = EditView.as_view(\"other\")\nuser.add_url_rule(\"/other\", view_func=v)\n\n\
             app = Flask(__name__)\napp.register_blueprint(user)\n",
        ),
    ]);
    let mut routes: Vec<(String, String, Vec<String>)> = inv
        .routes
        .iter()
        .filter(|r| r.resolved && r.kind != "static")
        .map(|r| {
            (
                r.rule.clone(),
                r.endpoint.clone().unwrap_or_default(),
                r.methods.clone(),
            )
        })
        .collect();
    routes.sort();
    let gp = || vec!["GET".to_string(), "POST".to_string()];
    assert_eq!(
        routes,
        [
            ("/user/edit".to_string(), "user.edit".to_string(), gp()),
            ("/user/other".to_string(), "user.other".to_string(), gp()),
        ]
    );
}

/// A blueprint class made twice for the same node, the views added to both, and only one
/// registered (pgAdmin 9.18's constraint nodes: `ConstraintRegistry` makes a second,
/// never registered, module object per node type): Flask 3.0's url_map, checked with a venv
/// python, holds `/browser/check/items` once as `NODE-check.items`; the copy on the
/// unregistered object is not listed again as unresolved (before: once each way).
#[test]
fn views_added_to_an_unregistered_copy_of_a_registered_blueprint_are_listed_once() {
    let (_dir, inv) = common::project(&[(
        "app.py",
        "from flask import Flask, Blueprint\n\napp = Flask(__name__)\n\n\n\
         class NodeModule(Blueprint):\n    def __init__(self, node_type):\n        \
         super().__init__(\"NODE-\" + node_type, __name__, url_prefix=\"/browser/\" + node_type)\n\n\n\
         def add_routes(bp):\n    def items():\n        return \"\"\n\n    \
         bp.add_url_rule(\"/items\", \"items\", items)\n\n\n\
         class Registry:\n    registry = {}\n\n    def __init__(self, name, module_class):\n        \
         bp = module_class(name)\n        add_routes(bp)\n        Registry.registry[name] = bp\n\n\n\
         blueprint = NodeModule(\"check\")\nadd_routes(blueprint)\nRegistry(\"check\", NodeModule)\n\
         app.register_blueprint(blueprint)\n",
    )]);
    let lines: Vec<String> = inv
        .routes
        .iter()
        .filter(|r| r.kind != "static")
        .map(|r| format!("{} {}", route_line(r), r.resolved))
        .collect();
    assert_eq!(lines, ["/browser/check/items GET NODE-check.items true"]);
}

/// An app whose settings come from a file the scan does not read (`from_envvar`), and
/// blueprints registered under `if app.config.get("OIDC") and app.config["OIDC"]["ENABLE"]:`
/// (canaille 0.3.6's feature flags): the code subscripts `OIDC`, so some source sets it and its
/// `get` is not known; both branches run and the blueprint's rule is claimed, as Flask 3.1
/// serves it with the documented configuration (checked with canaille's venv python). A key
/// the code never subscripts nor assigns keeps its default: `EXTRA` is absent, so `/extra` is
/// not registered.
#[test]
fn a_config_key_the_code_subscripts_is_not_its_default_when_sources_are_unread() {
    let (_dir, inv) = common::project(&[(
        "app.py",
        "from flask import Flask, Blueprint\n\n\
             oidc = Blueprint(\"oidc\", __name__)\nextra = Blueprint(\"extra\", __name__)\n\n\
             @oidc.route(\"/.well-known/openid-configuration\")\ndef conf():\n    return \"\"\n\n\
             @extra.route(\"/extra\")\ndef more():\n    return \"\"\n\n\
             app = Flask(__name__)\napp.config.from_envvar(\"APP_SETTINGS\")\n\
             if app.config.get(\"OIDC\") and app.config[\"OIDC\"][\"ENABLE\"]:\n    \
             app.register_blueprint(oidc)\n\
             if app.config.get(\"EXTRA\"):\n    app.register_blueprint(extra)\n",
    )]);
    let mut routes: Vec<(&str, bool)> = inv
        .routes
        .iter()
        .filter(|r| r.kind != "static")
        .map(|r| (r.rule.as_str(), r.resolved))
        .collect();
    routes.sort();
    assert_eq!(
        routes,
        [
            ("/.well-known/openid-configuration", true),
            ("/extra", false)
        ]
    );
}

/// An app class whose `__init__` calls its bases' initialisers by name with the arguments
/// it was given (`Flask.__init__(self, name, *args, **kwargs)`, then a mixin's own
/// `__init__`), as abilian-sbe 1.1.15's `Application` does: Flask 3.0's url_map, checked
/// with a venv python, holds the registered blueprint's `/b/x` as `b.x` (before: the app
/// was lost and the blueprint "not registered").
#[test]
fn an_app_class_calling_its_bases_init_by_name_with_splats() {
    let (_dir, inv) = common::project(&[
        ("pkg/__init__.py", ""),
        (
            "pkg/app.py",
            "from flask import Flask\n\n\n\
             class JinjaManagerMixin(Flask):\n    def __init__(self):\n        \
             self._jinja_loaders = []\n\n\n\
             class Application(JinjaManagerMixin, Flask):\n    \
             def __init__(self, name=None, *args, **kwargs):\n        name = name or __name__\n        \
             Flask.__init__(self, name, *args, **kwargs)\n        \
             JinjaManagerMixin.__init__(self)\n\n\n\
             def create_app():\n    from pkg.views import bp\n\n    app = Application()\n    \
             app.register_blueprint(bp)\n    return app\n",
        ),
        (
            "pkg/views.py",
            "from flask import Blueprint\n\nbp = Blueprint(\"b\", __name__, url_prefix=\"/b\")\n\n\n\
             @bp.route(\"/x\")\ndef x():\n    return \"\"\n",
        ),
    ]);
    assert_eq!(
        resolved_route_lines(&inv),
        ["/b/x GET b.x", "/static/<path:filename> GET static"]
    );
}

/// Annotated variadic parameters (`*loaders: PackageLoader`, `*args: str`, `**kwargs: Any`)
/// are `*args` / `**kwargs` as unannotated ones are: in a method of an app class called
/// during start-up and in blueprint classes' `__init__` that forward them to `super()`
/// (abilian-sbe 1.1.15's `JinjaManagerMixin`, `AccessControlBlueprint`,
/// `CommunityBlueprint`). Flask 3.0's url_map, checked with a venv python (before: both
/// blueprints "not registered").
#[test]
fn annotated_variadic_parameters_are_splats() {
    let (_dir, inv) = common::project(&[
        ("pkg/__init__.py", ""),
        (
            "pkg/app.py",
            "from typing import Any\n\nfrom flask import Blueprint, Flask\n\
             from jinja2 import DictLoader, PackageLoader\n\n\n\
             class AccessControlBlueprint(Blueprint):\n    \
             def __init__(self, name: str, import_name: str, allowed_roles=None, **kwargs: Any) -> None:\n        \
             super().__init__(name, import_name, **kwargs)\n\n\n\
             class CommunityBlueprint(Blueprint):\n    \
             def __init__(self, *args: str, **kwargs) -> None:\n        \
             kwargs[\"url_prefix\"] = \"/communities/<string:community_id>\" + kwargs.get(\"url_prefix\", \"\")\n        \
             super().__init__(*args, **kwargs)\n\n\n\
             tags = AccessControlBlueprint(\"tags\", __name__, url_prefix=\"/tags\", allowed_roles=\"admin\")\n\
             wiki = CommunityBlueprint(\"wiki\", __name__, url_prefix=\"/wiki\")\n\n\n\
             @tags.route(\"/manage\")\ndef manage():\n    return \"\"\n\n\n\
             @wiki.route(\"/\")\ndef wiki_index():\n    return \"\"\n\n\n\
             class Application(Flask):\n    \
             def register_jinja_loaders(self, *loaders: PackageLoader) -> None:\n        \
             self.jl = []\n        self.jl.extend(loaders)\n\n\n\
             def create_app():\n    app = Application(__name__)\n    \
             app.register_jinja_loaders(DictLoader({}))\n    app.register_blueprint(tags)\n    \
             app.register_blueprint(wiki)\n    return app\n",
        ),
    ]);
    assert_eq!(
        resolved_route_lines(&inv),
        [
            "/communities/<string:community_id>/wiki/ GET wiki.wiki_index",
            "/static/<path:filename> GET static",
            "/tags/manage GET tags.manage",
        ]
    );
}

/// A blueprint's `route` method held by a module-level name (`route = bp.route`), then used as
/// `@route(rule, ...)` and called on a function (`route(rule)(page)`): the name holds the bound
/// method, so each is `bp.route(...)` (abilian-sbe 1.1.15's views; before: no rule at all).
/// Flask 3.1's url_map, checked with a venv python.
#[test]
fn a_route_decorator_bound_to_a_module_name() {
    let (_dir, inv) = common::project(&[(
        "app.py",
        r#"from flask import Blueprint, Flask

app = Flask(__name__)

main = Blueprint("main", __name__, url_prefix="")
route = main.route


@route("/")
def home():
    return ""


@route("/stream/<stream_name>")
@route("/stream/", defaults={"stream_name": "all"})
def stream(stream_name):
    return stream_name


@route("/post", methods=["POST"])
def post():
    return ""


def page():
    return ""


route("/page/")(page)


app.register_blueprint(main)
"#,
    )]);
    assert_eq!(
        resolved_route_lines(&inv),
        [
            "/ GET main.home",
            "/page/ GET main.page",
            "/post POST main.post",
            "/static/<path:filename> GET static",
            "/stream/ GET main.stream",
            "/stream/<stream_name> GET main.stream",
        ]
    );
}

/// `bp.route(rule)` called on a class view (`View.as_view("edit")`, inline or through a
/// module variable): Flask's decorator calls `add_url_rule(rule, None, view)`, the endpoint the
/// name given to `as_view`, the methods the class's (abilian-sbe 1.1.15's tag and attachment
/// views; before: only the plain function's rule). Flask 3.1's url_map, checked with a venv
/// python.
#[test]
fn the_route_decorator_called_on_a_class_view() {
    let (_dir, inv) = common::project(&[(
        "app.py",
        r#"from flask import Blueprint, Flask
from flask.views import MethodView, View

app = Flask(__name__)
bp = Blueprint("tags", __name__, url_prefix="/tags")


class TagEdit(View):
    methods = ["GET", "POST"]

    def dispatch_request(self, object_id):
        return ""


class TagList(MethodView):
    def get(self):
        return ""


def plain():
    return ""


bp.route("/manage/<int:object_id>/edit")(TagEdit.as_view("edit"))
list_view = TagList.as_view("list")
bp.route("/")(list_view)
bp.route("/plain")(plain)

app.register_blueprint(bp)
"#,
    )]);
    assert_eq!(
        resolved_route_lines(&inv),
        [
            "/static/<path:filename> GET static",
            "/tags/ GET tags.list",
            "/tags/manage/<int:object_id>/edit GET,POST tags.edit",
            "/tags/plain GET tags.plain",
        ]
    );
}

/// A Blueprint subclass's `__init__` testing `kwargs.pop("flag", True)`: the key absent, the
/// default decides and nothing is removed; given, it is removed before `super().__init__`
/// (abilian-sbe 1.1.15's `CommunityBlueprint`; before: the computed `url_prefix` "not a
/// string"). Flask 3.1's url_map, checked with a venv python.
#[test]
fn a_blueprint_subclass_popping_its_own_keyword_with_a_default() {
    let (_dir, inv) = common::project(&[(
        "app.py",
        r#"from flask import Blueprint, Flask


class CommunityBlueprint(Blueprint):
    _BASE_URL_PREFIX = "/communities"
    _ROUTE_PARAM = "<string:community_id>"

    def __init__(self, *args, **kwargs):
        url_prefix = kwargs.get("url_prefix", "")

        if kwargs.pop("set_community_id_prefix", True):
            if (not url_prefix) or url_prefix[0] != "/":
                url_prefix = f"/{url_prefix}"
            url_prefix = self._ROUTE_PARAM + url_prefix

        if not url_prefix.startswith(self._BASE_URL_PREFIX):
            if (not url_prefix) or url_prefix[0] != "/":
                url_prefix = f"/{url_prefix}"
            url_prefix = self._BASE_URL_PREFIX + url_prefix

        if url_prefix[-1] == "/":
            url_prefix = url_prefix[:-1]
        kwargs["url_prefix"] = url_prefix

        super().__init__(*args, **kwargs)


wiki = CommunityBlueprint("wiki", __name__, url_prefix="/wiki")
communities = CommunityBlueprint("communities", __name__, url_prefix="", set_community_id_prefix=False)


@wiki.route("/")
def wiki_index():
    return ""


@communities.route("/")
def communities_index():
    return ""


@communities.route("/<string:community_id>/")
def community(community_id):
    return ""


app = Flask(__name__)
app.register_blueprint(wiki)
app.register_blueprint(communities)
"#,
    )]);
    assert_eq!(
        resolved_route_lines(&inv),
        [
            "/communities/ GET communities.communities_index",
            "/communities/<string:community_id>/ GET communities.community",
            "/communities/<string:community_id>/wiki/ GET wiki.wiki_index",
            "/static/<path:filename> GET static",
        ]
    );
}

/// A route-declaring decorator of the project above another decorator (supysonic's
/// `@api_routing("/x")` over `@admin_only`, a `functools.wraps` wrapper) registers the view;
/// declarations under a module-level `if` whose test is false (`LOCAL = False`) are not made.
/// Flask 3.1 serves `/rest/users` and `/rest/users.view` (GET, POST) as `api.users` only
/// (before: neither users rule, and both `LOCAL` rules claimed).
#[test]
fn decorators_pass_the_view_along_and_false_branches_declare_nothing() {
    let (_dir, inv) = common::project(&[(
        "app/__init__.py",
        "from functools import wraps\n\nfrom flask import Blueprint, Flask\n\napi = Blueprint(\"api\", __name__)\nLOCAL = False\n\n\ndef api_routing(rule):\n    def decorator(func):\n        api.add_url_rule(rule, view_func=func, methods=[\"GET\", \"POST\"])\n        api.add_url_rule(f\"{rule}.view\", view_func=func, methods=[\"GET\", \"POST\"])\n        return func\n\n    return decorator\n\n\ndef admin_only(f):\n    @wraps(f)\n    def decorated(*args, **kwargs):\n        return f(*args, **kwargs)\n\n    return decorated\n\n\n@api_routing(\"/users\")\n@admin_only\ndef users():\n    return \"users\"\n\n\nif LOCAL:\n    api.add_url_rule(\"/local\", view_func=users, endpoint=\"local\")\n\n    @api.route(\"/local-decorated\")\n    def local_decorated():\n        return \"local\"\n\n\ndef create_app():\n    app = Flask(__name__, static_folder=None)\n    app.register_blueprint(api, url_prefix=\"/rest\")\n    return app\n",
    )]);
    let routes: Vec<(String, Vec<String>, bool)> = inv
        .routes
        .iter()
        .map(|r| (r.rule.clone(), r.methods.clone(), r.resolved))
        .collect();
    let both = vec!["GET".to_string(), "POST".to_string()];
    assert_eq!(
        routes,
        [
            ("/rest/users".to_string(), both.clone(), true),
            ("/rest/users.view".to_string(), both, true),
        ],
        "{:#?}",
        inv.routes
    );
}

/// Inside a function the start-up code calls, a branch whose test is known declares nothing
/// when no call takes it (`if backend.files:` with `files=None`), and the statements after
/// `if not backend.basic: return` only on the calls that get past it. Flask 3.1.3 serves the
/// five rules below (before: `/files` was claimed as an app route).
#[test]
fn branches_no_call_takes_declare_nothing() {
    let (_dir, inv) = common::project(&[(
        "app/__init__.py",
        "from flask import Blueprint, Flask\n\n\nclass Backend:\n    def __init__(self, files=None, basic=False):\n        self.files = files\n        self.basic = basic\n\n\ndef register_views(bp, backend):\n    @bp.route(\"/always\")\n    def always():\n        return \"a\"\n\n    if backend.files:\n        @bp.route(\"/files\")\n        def files():\n            return \"f\"\n    else:\n        bp.add_url_rule(\"/no-files\", \"no_files\", always)\n\n    if not backend.basic:\n        return\n\n    @bp.route(\"/basic\")\n    def basic():\n        return \"b\"\n\n\ndef create_app():\n    app = Flask(__name__, static_folder=None)\n    one = Blueprint(\"one\", __name__)\n    register_views(one, Backend())\n    two = Blueprint(\"two\", __name__)\n    register_views(two, Backend(basic=True))\n    app.register_blueprint(one, url_prefix=\"/one\")\n    app.register_blueprint(two, url_prefix=\"/two\")\n    return app\n",
    )]);
    assert_eq!(
        common::resolved(&inv),
        common::owned(&[
            ("/one/always", "one.always"),
            ("/one/no-files", "one.no_files"),
            ("/two/always", "two.always"),
            ("/two/basic", "two.basic"),
            ("/two/no-files", "two.no_files"),
        ]),
        "{:#?}",
        inv.routes
    );
    assert!(inv.routes.iter().all(|r| r.resolved), "{:#?}", inv.routes);
}

/// A list and a dict held by a class body and changed through an instance
/// (`self.routes[rule] = view`), through the class (`Registry.routes["/b"] = b`) and in a
/// classmethod (`cls.names.append(...)`): the class's one object changes, as every instance
/// sees (swh-web's `APIUrls.apidoc_routes`). A function stored at a module's top level keeps
/// its name as the view's endpoint. Flask 3.1.3 serves `/a` as `a`, `/b` as `b`, `/c` as `c`
/// (before: the instance's state was lost at the first change; `/b` was claimed as `view`).
#[test]
fn class_attribute_containers_change_in_place() {
    let (_dir, inv) = common::project(&[(
        "app/__init__.py",
        "from flask import Flask\n\n\nclass Registry:\n    routes = {}\n    names = []\n\n    def add(self, rule, view):\n        self.routes[rule] = view\n\n    @classmethod\n    def add_name(cls, name):\n        cls.names.append(name)\n\n\ndef a():\n    return \"a\"\n\n\ndef b():\n    return \"b\"\n\n\nreg = Registry()\nreg.add(\"/a\", a)\nRegistry.routes[\"/b\"] = b\nRegistry.add_name(\"/c\")\n\napp = Flask(__name__, static_folder=None)\nfor rule, view in Registry().routes.items():\n    app.add_url_rule(rule, view_func=view)\nfor name in reg.names:\n    app.add_url_rule(name, endpoint=\"c\", view_func=a)\n",
    )]);
    assert_eq!(
        common::resolved(&inv),
        common::owned(&[("/a", "a"), ("/b", "b"), ("/c", "c")]),
        "{:#?}",
        inv.routes
    );
}

/// Instances of project classes deriving from `dict` hold items: `super().__init__(*args,
/// **kwargs)` after popping a keyword, `key in self`, `self[key] = value`, `setdefault`,
/// `get`, `len`, truth and `isinstance(x, dict)` (django-filer's `RecursiveDictionary`,
/// burp-ui's config). Flask 3.1.3 serves the five rules below (before: every prefix read
/// from such an instance was unknown).
#[test]
fn instances_of_dict_subclasses_hold_items() {
    let (_dir, inv) = common::project(&[(
        "app/__init__.py",
        "from flask import Blueprint, Flask\n\n\nclass Settings(dict):\n    def __init__(self, *args, **kwargs):\n        self.excluded = kwargs.pop(\"excluded\", ())\n        super().__init__(*args, **kwargs)\n\n    def merge(self, other):\n        for key, value in other.items():\n            if key in self and key not in self.excluded:\n                continue\n            self[key] = value\n\n\nclass Plain(dict):\n    pass\n\n\nsettings = Settings({\"API\": \"/api\"}, excluded=(\"API\",), ADMIN=\"/admin\")\nsettings.merge({\"API\": \"/v2\", \"DOCS\": \"/docs\", \"ADMIN\": \"/ignored\"})\nplain = Plain(prefix=\"/p\")\nplain.setdefault(\"prefix\", \"/ignored\")\nplain.setdefault(\"other\", \"/o\")\n\n\ndef v():\n    return \"\"\n\n\napp = Flask(__name__, static_folder=None)\nfor name in (\"API\", \"ADMIN\", \"DOCS\"):\n    bp = Blueprint(name.lower(), __name__, url_prefix=settings[name])\n    bp.add_url_rule(\"/x\", \"x\", v)\n    app.register_blueprint(bp)\napp.add_url_rule(plain[\"prefix\"] + plain.get(\"other\") + \"/y\", \"y\", v)\nif isinstance(settings, dict) and len(plain) == 2 and plain and \"other\" in plain:\n    app.add_url_rule(\"/z\", \"z\", v)\n",
    )]);
    assert_eq!(
        common::resolved(&inv),
        common::owned(&[
            ("/admin/x", "admin.x"),
            ("/docs/x", "docs.x"),
            ("/p/o/y", "y"),
            ("/v2/x", "api.x"),
            ("/z", "z"),
        ]),
        "{:#?}",
        inv.routes
    );
    assert!(inv.routes.iter().all(|r| r.resolved), "{:#?}", inv.routes);
}

/// `methods=` given to flask-restx's `@ns.route(...)` or to `api.add_resource(...)` is passed
/// on to Flask's `add_url_rule` and wins over the resource class's methods (burp-ui's
/// backup routes). Flask 2.2.3 with flask-restx 1.1.0 serves these methods (before: every
/// rule had all of its class's methods).
#[test]
fn restx_routes_take_the_methods_they_are_given() {
    let (_dir, inv) = common::project(&[
        (
            "app/__init__.py",
            "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    from .api import bp, load_all\n\n    load_all()\n    app.register_blueprint(bp)\n    return app\n",
        ),
        (
            "app/api/__init__.py",
            "from flask import Blueprint\nfrom flask_restx import Api\n\nbp = Blueprint(\"api\", __name__, url_prefix=\"/api\")\napi = Api(bp)\n\n\ndef load_all():\n    from . import backup  # noqa: F401\n",
        ),
        (
            "app/api/backup.py",
            "from flask_restx import Resource\n\nfrom . import api\n\nns = api.namespace(\"backup\", \"Backup methods\")\n\n\n# two routes on one resource, each restricted to some of the class's methods\n@ns.route(\n    \"/server-backup/<name>\",\n    \"/<server>/server-backup/<name>\",\n    methods=[\"GET\", \"DELETE\"],\n    endpoint=\"is_server_backup\",\n)\n@ns.route(\n    \"/do-server-backup/<name>\",\n    \"/<server>/do-server-backup/<name>\",\n    methods=[\"PUT\"],\n    endpoint=\"server_backup\",\n)\nclass ServerBackup(Resource):\n    def get(self, server=None, name=None):\n        return {}\n\n    def delete(self, server=None, name=None):\n        return {}\n\n    def put(self, server=None, name=None):\n        return {}\n\n\n# one route, methods= narrower than the class\n@ns.route(\"/only-get\", methods=[\"GET\"])\nclass OnlyGet(Resource):\n    def get(self):\n        return {}\n\n    def post(self):\n        return {}\n\n\nclass Added(Resource):\n    def get(self):\n        return {}\n\n    def post(self):\n        return {}\n\n\n# the same through add_resource\napi.add_resource(Added, \"/added\", methods=[\"POST\"])\n",
        ),
    ]);
    let mut got: Vec<(String, Vec<String>)> = inv
        .routes
        .iter()
        .filter(|r| {
            r.rule.starts_with("/api/") && r.rule.len() > 5 && r.rule != "/api/swagger.json"
        })
        .map(|r| (r.rule.clone(), r.methods.clone()))
        .collect();
    got.sort();
    let want: Vec<(String, Vec<String>)> = [
        ("/api/added", &["POST"][..]),
        ("/api/backup/<server>/do-server-backup/<name>", &["PUT"]),
        (
            "/api/backup/<server>/server-backup/<name>",
            &["DELETE", "GET"],
        ),
        ("/api/backup/do-server-backup/<name>", &["PUT"]),
        ("/api/backup/only-get", &["GET"]),
        ("/api/backup/server-backup/<name>", &["DELETE", "GET"]),
    ]
    .iter()
    .map(|(r, m)| (r.to_string(), m.iter().map(|s| s.to_string()).collect()))
    .collect();
    assert_eq!(got, want, "{:#?}", inv.routes);
}

/// An app made inside a function to read a blueprint's rules back (`Flask("dummy")`,
/// openeo-driver's `get_path_metadata`) and used there only as a receiver serves nothing
/// once the call returns; an app the function returns, or hands to another object, does.
/// Flask 3.1.3 serves `/api/ping`, `/kept/ping` and `/wrapped/ping` on the three apps that
/// live on (before: the scratch app's `/ping` and `/scratch-view` were claimed too).
#[test]
fn an_app_a_function_makes_and_drops_serves_nothing() {
    let (_dir, inv) = common::project(&[(
        "app/__init__.py",
        "import flask\nfrom flask import Blueprint, Flask\n\n\ndef rules_of(blueprint):\n    app = flask.Flask(\"dummy\")\n    app.register_blueprint(blueprint)\n\n    @app.route(\"/scratch-view\")\n    def scratch_view():\n        return \"\"\n\n    rules = []\n    for rule in app.url_map.iter_rules():\n        rules.append(str(rule))\n    return rules\n\n\ndef kept(blueprint):\n    other = Flask(\"kept\")\n    other.register_blueprint(blueprint, url_prefix=\"/kept\")\n    return other\n\n\ndef wrap(blueprint):\n    inner = Flask(\"wrapped\")\n    inner.register_blueprint(blueprint, url_prefix=\"/wrapped\")\n    return Wrapper(inner)\n\n\nclass Wrapper:\n    def __init__(self, app):\n        self.app = app\n\n\nbp = Blueprint(\"api\", __name__)\n\n\n@bp.route(\"/ping\")\ndef ping():\n    return \"pong\"\n\n\ndef create_app():\n    app = Flask(__name__, static_folder=None)\n    app.register_blueprint(bp, url_prefix=\"/api\")\n    app.config[\"RULES\"] = rules_of(bp)\n    return app\n\n\nkept_app = kept(bp)\nwrapper = wrap(bp)\n",
    )]);
    assert_eq!(
        common::resolved(&inv),
        common::owned(&[
            ("/api/ping", "api.ping"),
            ("/kept/ping", "api.ping"),
            ("/static/<path:filename>", "static"),
            ("/wrapped/ping", "api.ping"),
        ]),
        "{:#?}",
        inv.routes
    );
}

/// A class whose `__init__` attrs writes from its annotated fields (`@frozen`, as
/// dataclasses do): `Holder("/x")` binds `prefix`, and a `field(factory=set)` default is an
/// empty set. Flask 3.0.3 with attrs 26.1 serves `/x/y` (before: the rule was not known).
#[test]
fn an_attrs_class_binds_its_annotated_fields() {
    let (_dir, inv) = common::project(&[(
        "app/__init__.py",
        "from attrs import field, frozen\nfrom flask import Flask\n\n\n@frozen\nclass Holder:\n    \
         prefix: str\n    seen: set[str] = field(factory=set)\n\n\ndef create_app():\n    \
         app = Flask(__name__)\n    h = Holder(\"/x\")\n    if not h.seen:\n        \
         app.add_url_rule(h.prefix + \"/y\", \"y\", lambda: \"y\")\n    return app\n",
    )]);
    assert_eq!(
        common::resolved(&inv),
        [
            ("/static/<path:filename>".to_string(), "static".to_string()),
            ("/x/y".to_string(), "y".to_string())
        ]
    );
}

/// A plugin function importing its blueprint from a package that re-exports it
/// (`from .views import communities` where `views/__init__.py` does `from .impl import
/// communities`): the import binds the blueprint itself (abilian's communities plugin; before:
/// an unknown name, and the blueprint's routes were unregistered). Flask 3.0.3 serves
/// `/communities/`.
#[test]
fn a_local_import_follows_a_packages_reexport() {
    let (_dir, inv) = common::project(&[
        (
            "app/__init__.py",
            "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    \
             from .comm import register_plugin\n\n    register_plugin(app)\n    return app\n",
        ),
        (
            "app/comm/__init__.py",
            "def register_plugin(app):\n    from .views import communities\n\n    \
             app.register_blueprint(communities)\n",
        ),
        (
            "app/comm/views/__init__.py",
            "from . import impl\nfrom .impl import communities\n",
        ),
        (
            "app/comm/views/impl.py",
            "from flask import Blueprint\n\ncommunities = Blueprint(\"communities\", __name__, \
             url_prefix=\"/communities\")\nroute = communities.route\n\n\n@route(\"/\")\ndef index():\n    \
             return \"x\"\n",
        ),
    ]);
    assert_eq!(
        common::resolved(&inv),
        [
            ("/communities/".to_string(), "communities.index".to_string()),
            ("/static/<path:filename>".to_string(), "static".to_string()),
        ]
    );
}

/// An app class's own `default_config` (built as abilian builds it:
/// `dict(Flask.default_config)` updated with `vars(DefaultConfig)`, wrapped in werkzeug's
/// `ImmutableDict`) is what Flask copies into the app's config: the panels it names give the
/// admin rules. Flask 3.0.3 serves `/admin/dashboard` and `/admin/settings` (before: one
/// unresolved rule built from the panels).
#[test]
fn an_app_classs_default_config_fills_its_config() {
    let (_dir, inv) = common::project(&[
        ("pkg/__init__.py", ""),
        (
            "pkg/config.py",
            "from flask import Flask\nfrom werkzeug.datastructures import ImmutableDict\n\n\
             class DefaultConfig:\n    SECRET_KEY = \"x\"\n    ADMIN_PANELS = (\"pkg.panels.Dashboard\", \
             \"pkg.panels.Settings\")\n\ndefault_config = dict(Flask.default_config)\n\
             default_config.update(vars(DefaultConfig))\ndefault_config = ImmutableDict(default_config)\n",
        ),
        (
            "pkg/panels.py",
            "class Dashboard:\n    id = \"dashboard\"\n\n    def get(self):\n        return \"d\"\n\n\n\
             class Settings:\n    id = \"settings\"\n\n    def get(self):\n        return \"s\"\n",
        ),
        (
            "pkg/app.py",
            "from flask import Blueprint, Flask\nfrom werkzeug.utils import import_string\n\n\
             from .config import default_config\n\n\nclass Application(Flask):\n    \
             default_config = default_config\n\n\ndef create_app():\n    app = Application(__name__)\n    \
             bp = Blueprint(\"admin\", __name__, url_prefix=\"/admin\")\n    \
             for fqn in app.config.get(\"ADMIN_PANELS\", ()):\n        panel = import_string(fqn)()\n        \
             bp.add_url_rule(f\"/{panel.id}\", panel.id, panel.get)\n    app.register_blueprint(bp)\n    \
             return app\n",
        ),
    ]);
    assert_eq!(
        common::resolved(&inv),
        [
            (
                "/admin/dashboard".to_string(),
                "admin.dashboard".to_string()
            ),
            ("/admin/settings".to_string(), "admin.settings".to_string()),
            ("/static/<path:filename>".to_string(), "static".to_string()),
        ]
    );
}

/// `app.static_url_path` / `bp.static_url_path` read by the code: the path given, else `/` and
/// the static folder's name, as Flask's property computes it (abilian's `add_static_url`
/// builds `f"{self.static_url_path}/{name}/<path:filename>"`; before: the rule was not
/// known). Flask 3.0.3 serves `/static/extra/<path:filename>` and `/files/x`.
#[test]
fn static_url_path_is_read_as_flask_computes_it() {
    let (_dir, inv) = common::project(&[(
        "app/__init__.py",
        "from flask import Blueprint, Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    \
         app.add_url_rule(f\"{app.static_url_path}/extra/<path:filename>\", \"extra\", lambda filename: \"\")\n    \
         bp = Blueprint(\"b\", __name__, static_folder=\"files\")\n    \
         app.add_url_rule(f\"{bp.static_url_path}/x\", \"x\", lambda: \"\")\n    \
         app.register_blueprint(bp, url_prefix=\"/b\")\n    return app\n",
    )]);
    assert_eq!(
        common::resolved(&inv),
        [
            (
                "/b/files/<path:filename>".to_string(),
                "b.static".to_string()
            ),
            ("/files/x".to_string(), "x".to_string()),
            ("/static/<path:filename>".to_string(), "static".to_string()),
            (
                "/static/extra/<path:filename>".to_string(),
                "extra".to_string()
            ),
        ]
    );
}

/// A function bound in a class body (`INIT_CUSTOM_ROUTES = init_custom_routes`, amundsen's
/// config classes) read off the class is the function itself, whether read directly
/// (`CustomConfig.INIT_CUSTOM_ROUTES`) or through `app.config.from_object("...CustomConfig")`
/// and `config.get(...)`: calling it runs it (before: not known, so its route was reported as
/// declared in a function nothing calls). A scanned class's `__name__` read by its dotted name
/// is its statement's name. Flask 3.1 serves `/custom/ping`, `/healthcheck`,
/// `/from-config/CustomConfig` (and the static rule).
#[test]
fn a_function_bound_in_a_class_body_is_called_through_the_class() {
    let custom = "from web.config import LocalConfig\n\n\
                  def init_custom_routes(app):\n    @app.route(\"/custom/ping\")\n    \
                  def custom_ping():\n        return \"\"\n\n\
                  class CustomConfig(LocalConfig):\n    INIT_CUSTOM_ROUTES = init_custom_routes\n";
    let config = "class Config:\n    INIT_CUSTOM_ROUTES = None\n\nclass LocalConfig(Config):\n    DEBUG = True\n";
    for app in [
        "from flask import Flask\nfrom custom_config import CustomConfig\n\n\
         def create_app():\n    app = Flask(__name__)\n\n    @app.route(\"/healthcheck\")\n    \
         def healthcheck():\n        return \"\"\n\n    hook = CustomConfig.INIT_CUSTOM_ROUTES\n    \
         hook(app)\n    app.add_url_rule(\"/from-config/\" + CustomConfig.__name__, \"n\", healthcheck)\n    \
         return app\n",
        "from flask import Flask\n\n\
         def create_app(config_module_class=None):\n    app = Flask(__name__)\n    \
         if not config_module_class:\n        config_module_class = \"custom_config.CustomConfig\"\n    \
         app.config.from_object(config_module_class)\n\n    @app.route(\"/healthcheck\")\n    \
         def healthcheck():\n        return \"\"\n\n    \
         app.add_url_rule(\"/from-config/CustomConfig\", \"n\", healthcheck)\n    \
         init_custom_routes = app.config.get(\"INIT_CUSTOM_ROUTES\")\n    \
         if init_custom_routes:\n        init_custom_routes(app)\n    return app\n",
    ] {
        let (_dir, inv) = common::project(&[
            ("web/__init__.py", ""),
            ("web/config.py", config),
            ("web/app.py", app),
            ("custom_config.py", custom),
        ]);
        let rules: Vec<String> = common::resolved(&inv).into_iter().map(|r| r.0).collect();
        assert_eq!(
            rules,
            [
                "/custom/ping",
                "/from-config/CustomConfig",
                "/healthcheck",
                "/static/<path:filename>"
            ],
            "{app}"
        );
    }
}

/// A column type from an installed package (`Column(UtcDateTime)` with `from sqlalchemy_utc
/// import UtcDateTime`) is read where it is defined when the site-packages are given: a
/// `TypeDecorator`'s column is its `impl`. Without them, the type is only a name. A decorator
/// whose own `__init__` and `load_dialect_impl` pick the stored type (sqlalchemy-utils'
/// `UUIDType(binary=False)` is CHAR(32), its `impl` BINARY) is not taken by its `impl`.
#[test]
fn a_library_type_decorator_is_read_from_site_packages() {
    use crossport::python::mount::SitePackages;
    let dir = common::write(&[
        (
            "proj/ledger/models.py",
            "from flask_sqlalchemy import SQLAlchemy\nfrom sqlalchemy import Column, Integer\nfrom sqlalchemy_utc import UtcDateTime\nfrom sqlalchemy_utils import UUIDType\n\ndb = SQLAlchemy()\n\n\nclass Entry(db.Model):\n    __tablename__ = 'entry'\n    id = Column(Integer, primary_key=True)\n    posted = Column(UtcDateTime)\n    key = Column(UUIDType(binary=False))\n",
        ),
        (
            "site/sqlalchemy_utils/__init__.py",
            "from sqlalchemy import types\n\n\nclass UUIDType(types.TypeDecorator):\n    impl = types.BINARY(16)\n\n    def __init__(self, binary=True):\n        self.binary = binary\n\n    def load_dialect_impl(self, dialect):\n        return types.BINARY(16) if self.binary else types.CHAR(32)\n",
        ),
        ("proj/ledger/__init__.py", ""),
        (
            "site/sqlalchemy_utc/__init__.py",
            "from .sqltypes import UtcDateTime\n",
        ),
        (
            "site/sqlalchemy_utc/sqltypes.py",
            "from sqlalchemy.types import DateTime, TypeDecorator\n\n\nclass UtcDateTime(TypeDecorator):\n    impl = DateTime(timezone=True)\n    cache_ok = True\n",
        ),
    ]);
    let column = |site_packages, name: &str| {
        let inv = common::scan_with_site_packages(&dir.path().join("proj"), site_packages);
        let entry = inv
            .models
            .iter()
            .find(|m| m.name == "Entry")
            .expect("Entry");
        let f = entry
            .fields
            .iter()
            .find(|f| f.name == name)
            .expect("column");
        (f.r#type.clone(), f.base_type.clone())
    };
    let site = || SitePackages::Dirs(vec![dir.path().join("site")]);
    assert_eq!(
        column(site(), "posted"),
        ("UtcDateTime".to_string(), Some("DateTime".to_string()))
    );
    assert_eq!(
        column(SitePackages::Off, "posted"),
        ("UtcDateTime".to_string(), None)
    );
    assert_eq!(column(site(), "key"), ("UUIDType".to_string(), None));
}

/// Start-up code written with Python's protocols: a `for` over an object whose class defines
/// `__iter__` (returning `iter()` of what a function kept on the instance returns) and `len()`
/// through `__len__`; `while` loops run pass by pass, a `break` skipping the `else` and a test
/// turned false running it (the declarations of a branch that did not run are not claimed);
/// the configure functions found by name in `globals()`. Flask 3.1's url_map of
/// `create_app()` (before: the panels and the blueprints were not known, `/pages/1` only ran
/// once and `/pages/never` was claimed).
#[test]
fn python_protocols_in_start_up_code_run_as_python_runs_them() {
    for (prefilter, inv) in scans_both_ways("fixtures/flask_python_protocols") {
        let mut resolved: Vec<String> = inv
            .routes
            .iter()
            .filter(|r| r.resolved)
            .map(route_line)
            .collect();
        resolved.sort();
        assert_eq!(
            resolved,
            [
                "/audit/log GET audit.log",
                "/pages/1 GET page_1",
                "/pages/2 GET page_2",
                "/pages/3 GET page_3",
                "/pages/5 GET page_5",
                "/pages/last GET last",
                "/panels/count/2 GET panel_count",
                "/panels/groups GET panel_groups",
                "/panels/users GET panel_users",
                "/reports/ GET reports.index",
                "/static/<path:filename> GET static",
            ],
            "prefilter {prefilter}"
        );
        // and one rule not known: the pages of a `while True:` loop that a `break` under a
        // test of the environment ends (Flask, with no PAGES set: `/env/0`, `/env/1`)
        let unknown: Vec<&str> = inv
            .routes
            .iter()
            .filter(|r| !r.resolved)
            .map(|r| r.reason.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(unknown, ["rule: value of `rule` is not known statically"]);
    }
}

/// `mapper(Plain, Declared.__table__, properties=...)`: the plain class maps the table its
/// declarative twin maps (pegasus-wms' `Pegasus.db.ensembles`). SQLAlchemy 1.3's mapper registry
/// for this project: both classes of each table, the plain ones with the relations their
/// `properties` name (before: the plain classes were not models).
#[test]
fn classical_mapping_of_a_declarative_table() {
    let (_dir, inv) = common::project(&[
        (
            "app/__init__.py",
            "from flask import Flask\n\nimport app.schema  # noqa: F401\n\napplication = Flask(__name__)\n",
        ),
        (
            "app/plain.py",
            "class Ensemble:\n    pass\n\n\nclass Workflow:\n    pass\n",
        ),
        (
            "app/schema.py",
            "from sqlalchemy import Column, ForeignKey, Integer, String\nfrom sqlalchemy.ext.declarative import declarative_base\nfrom sqlalchemy.orm import mapper, relation\n\nfrom app.plain import Ensemble as _Ensemble\nfrom app.plain import Workflow as _Workflow\n\nBase = declarative_base()\n\n\nclass Ensemble(Base):\n    __tablename__ = \"ensemble\"\n    id = Column(Integer, primary_key=True)\n    name = Column(String(100), nullable=False)\n\n\nclass Workflow(Base):\n    __tablename__ = \"ensemble_workflow\"\n    id = Column(Integer, primary_key=True)\n    ensemble_id = Column(Integer, ForeignKey(Ensemble.id), nullable=False)\n\n\nmapper(_Ensemble, Ensemble.__table__, properties={\"workflows\": relation(lambda: _Workflow)})\nmapper(_Workflow, Workflow.__table__, properties={\"ensemble\": relation(_Ensemble)})\n",
        ),
    ]);
    let got: Vec<String> = inv
        .models
        .iter()
        .map(|m| {
            let fields: Vec<&str> = m.fields.iter().map(|f| f.name.as_str()).collect();
            let relations: Vec<&str> = m.relations.iter().map(|r| r.name.as_str()).collect();
            format!(
                "{}.{} {} {} {}",
                m.module,
                m.name,
                m.table.as_deref().unwrap_or("-"),
                fields.join(","),
                relations.join(",")
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "app.plain.Ensemble ensemble id,name workflows",
            "app.plain.Workflow ensemble_workflow id,ensemble_id ensemble",
            "app.schema.Ensemble ensemble id,name ",
            "app.schema.Workflow ensemble_workflow id,ensemble_id ",
        ]
    );
}

/// A column named by keyword (`Column(Integer, name="owner")`), a key on a column object of the
/// class body (`ForeignKey(wf_id)`), and constraints made at the module's top level on the
/// class's columns (`Workflow.__table_args__ = (UniqueConstraint(Workflow.wf_uuid),)` after the
/// class, `Index("...", Workflow.owner_id, ...)`), which SQLAlchemy attaches to the table as it
/// makes them (pegasus-wms' schema). SQLAlchemy 1.3's table for this module: columns wf_id,
/// wf_uuid, parent_wf_id, owner; key parent_wf_id -> workflow.wf_id; unique (wf_uuid); indexes
/// workflow_owner (owner) and unique workflow_owner_parent (owner, parent_wf_id).
#[test]
fn columns_keys_and_constraints_written_outside_the_usual_places() {
    let (_dir, inv) = common::project(&[
        (
            "app/__init__.py",
            "from flask import Flask\n\nimport app.schema  # noqa: F401\n\napplication = Flask(__name__)\n",
        ),
        (
            "app/schema.py",
            "from sqlalchemy import Column, ForeignKey, Index, Integer, String, UniqueConstraint\nfrom sqlalchemy.ext.declarative import declarative_base\n\nBase = declarative_base()\n\n\nclass Workflow(Base):\n    __tablename__ = \"workflow\"\n    wf_id = Column(\"wf_id\", Integer, primary_key=True)\n    wf_uuid = Column(\"wf_uuid\", String(255), nullable=False)\n    parent_wf_id = Column(\"parent_wf_id\", Integer, ForeignKey(wf_id, ondelete=\"CASCADE\"))\n    owner_id = Column(Integer, name=\"owner\")\n\n\nWorkflow.__table_args__ = (UniqueConstraint(Workflow.wf_uuid, name=\"UNIQUE_WF_UUID\"),)\nIndex(\"workflow_owner_parent\", Workflow.owner_id, Workflow.parent_wf_id, unique=True)\nIndex(\"workflow_owner\", Workflow.owner_id)\n",
        ),
    ]);
    let m = &inv.models[0];
    let columns: Vec<String> = m
        .fields
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f.column.as_deref().unwrap_or(&f.name),
                f.foreign_key.as_deref().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        columns,
        [
            "wf_id -",
            "wf_uuid -",
            "parent_wf_id workflow.wf_id",
            "owner -"
        ]
    );
    let constraints: Vec<String> = m
        .constraints
        .iter()
        .map(|c| format!("{} {}", c.kind, c.columns.join(",")))
        .collect();
    assert_eq!(
        constraints,
        [
            "unique wf_uuid",
            "unique_index owner,parent_wf_id",
            "index owner"
        ]
    );
}

/// `isinstance(x, string_types)` with `string_types = (str,)` bound at module level (the
/// compatibility-module idiom of sahara's `Rest` blueprint) and with `six.string_types` (six
/// installed, not scanned), a literal tuple naming `bytes`, a `Blueprint` subclass whose own
/// `post()` overrides Flask's (its decorator is not Flask's shortcut: the override runs), and
/// `name.rsplit(".", 1).pop()` on a list no name holds, and a `route()` override that changes
/// the rule and hands on through `super()`, which Flask's `get()` reaches too. Flask 3.1's
/// url_map of `create_app()` (six 1.17; before: the methods list stayed the string, every rule
/// was GET, the override's rules came twice, the loop stopped at `.pop()` and no prefix was
/// known; the `super()` override's rules lacked `/v1` or were lost).
#[test]
fn type_tests_overrides_and_a_popped_call_result() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_type_tests",
        &[
            "/files/<name> PATCH,PUT files.upload",
            "/files/<name>.json PATCH,PUT files.upload_json",
            "/items/new POST items.create",
            "/items/new.json POST items.create_json",
            "/legacy/old POST legacy.old",
            "/legacy/old.json POST legacy.old_json",
            "/static/<path:filename> GET static",
            "/versioned/v1/items GET,POST versioned.items",
            "/versioned/v1/status GET versioned.status",
        ],
    );
}

/// A `Flask` subclass made only inside the arguments of a call to a hook that is not known
/// (`return self.config.prepare_app(RepoFlask(self))`, knowledge-repo's `get_app`): Python
/// evaluates the arguments whatever the callee, so the app is made and its `__init__`
/// registers the blueprint. Flask 3.1's url_map (before: both rules unresolved, the method not
/// taken for an app factory and the argument never run).
#[test]
fn an_app_made_in_the_arguments_of_an_unknown_call() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_app_made_in_argument",
        &[
            "/hello GET views.hello",
            "/items GET,POST views.items",
            "/static/<path:filename> GET static",
        ],
    );
}

/// Models whose columns come from mixins of an installed package (Flask-Security's
/// `fsqla.FsUserMixin`, itself derived from another module's mixin), read from the virtualenv
/// inside the fixture: SQLAlchemy 2 with Flask-SQLAlchemy 3.1 creates `role (id, name)` and
/// `user (email, username, id, active)` (before: only `email`, and no column of `Role`).
#[test]
fn columns_of_an_installed_packages_mixins_are_the_models() {
    let opts = ScanOptions {
        site_packages: crossport::python::mount::SitePackages::Auto,
        ..ScanOptions::default()
    };
    let inv = scan(Path::new("fixtures/flask_library_mixin"), &opts)
        .expect("scans")
        .0;
    let fields: Vec<(String, Vec<String>)> = inv
        .models
        .iter()
        .map(|m| {
            let mut f: Vec<String> = m.fields.iter().map(|f| f.name.clone()).collect();
            f.sort();
            (m.name.clone(), f)
        })
        .collect();
    assert_eq!(
        fields,
        [
            (
                "Role".to_string(),
                vec!["id".to_string(), "name".to_string()]
            ),
            (
                "User".to_string(),
                ["active", "email", "id", "username"]
                    .map(String::from)
                    .to_vec()
            ),
        ]
    );
}

/// A helper that registers views on the blueprint it is given, with a comment between them
/// naming "admin routes" (quillet's `register_public_routes`): the pre-filter kept the helper's
/// body for its `render_template` call site, with the comment, and the comment's words made the
/// lowering read that thinned body instead of the whole one, so the default scan lost every
/// route of the helper and `--no-prefilter` did not. Flask 3.1's url_map.
#[test]
fn a_comment_in_a_registering_helper_changes_nothing() {
    assert_resolved_routes_both_ways(
        "fixtures/flask_registering_helper",
        &[
            "/<slug>/ GET public.post_list",
            "/<slug>/api/openapi.yaml GET public.api_spec",
            "/static/<path:filename> GET static",
        ],
    );
}

/// An extension's blueprints as OAuth consumers and asset extensions write them: rules built
/// by `"/{bp.name}".format(bp=self)` in a Blueprint subclass's `__init__` (an attribute read
/// in a `str.format` field), and a blueprint whose `static_url_path` is the app's plus a
/// suffix (`app.static_url_path + "/assets"` in `init_app(self, app)`). Negative: two
/// blueprints made by one statement in a loop, each with its own such path, stay unresolved
/// (one path for both would be wrong for one). Flask 3.1.3's url_map for the fixture adds
/// `/static/one/...` and `/static/two/...`; crossport before: `/login` twice, unresolved
/// ("rule: not a string"), and the assets' static rule unresolved as `/static/<path:filename>`.
#[test]
fn extension_blueprints_built_from_attributes_equal_flask_url_map() {
    for (prefilter, inv) in scans_both_ways("fixtures/flask_extension_blueprints") {
        let (resolved, unresolved): (Vec<&Route>, Vec<&Route>) =
            inv.routes.iter().partition(|r| r.resolved);
        let mut lines: Vec<String> = resolved.into_iter().map(route_line).collect();
        lines.sort();
        let want = [
            "/ GET index",
            "/login/google GET google.login",
            "/login/google/authorized GET google.authorized",
            "/static/<path:filename> GET static",
            "/static/assets/<path:filename> GET assets.static",
        ];
        assert_eq!(lines, want, "prefilter {prefilter}");
        let mut open: Vec<&str> = unresolved
            .iter()
            .filter_map(|r| r.endpoint.as_deref())
            .collect();
        open.sort();
        assert_eq!(open, ["one.static", "two.static"], "prefilter {prefilter}");
    }
}

/// SQLAlchemy 2.0's reusable column types: `Annotated` aliases (`a[x, y]` is `a[(x, y)]`), one
/// carrying its own `mapped_column(primary_key=True)` or `mapped_column(String(32), unique=True)`,
/// and a declarative base's `type_annotation_map` turning aliases into SQL types (`Str64:
/// String(64)`, `Num_6_2: Numeric(6, 2)`, `LongText: Text` imported under another name). The
/// expected fields are SQLAlchemy 2.1.9's mappers for the fixture; crossport before: `id` typed
/// `PrimaryKeyInt` and not a key, `Str64`, `Num_6_2`, `UniqueStr` as type names with no length.
#[test]
fn annotated_column_types_equal_sqlalchemy_mappers() {
    let inv = scan_fixture("fixtures/flask_annotated_columns");
    let fields = |model: &str| -> Vec<String> {
        let m = inv.models.iter().find(|m| m.name == model).expect(model);
        m.fields
            .iter()
            .map(|f| {
                format!(
                    "{} {}{:?} pk={} null={:?} unique={:?}",
                    f.name, f.r#type, f.type_args, f.pk, f.nullable, f.unique
                )
            })
            .collect()
    };
    assert_eq!(
        fields("Run"),
        [
            "id Integer[] pk=true null=None unique=None",
            "name String[\"64\"] pk=false null=Some(false) unique=None",
            "lane Integer[] pk=false null=Some(false) unique=None",
            "code String[\"32\"] pk=false null=Some(false) unique=Some(true)",
            "yield_ Numeric[\"6\", \"2\"] pk=false null=Some(true) unique=None",
            "notes Text[] pk=false null=Some(true) unique=None",
        ]
    );
    assert_eq!(
        fields("Metric"),
        [
            "id Integer[] pk=true null=None unique=None",
            "run_id Integer[] pk=false null=Some(false) unique=None",
            "lane Integer[] pk=false null=Some(false) unique=None",
        ]
    );
}
