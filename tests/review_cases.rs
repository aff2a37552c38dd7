//! Cases an independent review found (unknown conditions, Django URL tuples,
//! Flask-Classful options, Flask-Script): small projects whose routes and
//! commands were compared with what the real framework builds (Django 5.2.19;
//! Flask 3.1.3 + Flask-Classful 0.16.0; Flask-Script's source). Each test
//! states the framework's answer.

mod common;

use common::{project, resolved};
use crossport::inventory::Inventory;

fn has(inv: &Inventory, rule: &str, endpoint: &str) -> bool {
    resolved(inv)
        .iter()
        .any(|(r, e)| r == rule && e == endpoint)
}

const DJ_SETTINGS: &str = "import os\nSECRET_KEY = 'x'\nROOT_URLCONF = 'proj.urls'\nINSTALLED_APPS = ['app']\nFEATURE = os.environ.get('FEATURE')\n";
const DJ_MANAGE: &str = "import os, sys\nif __name__ == '__main__':\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n";
const DJ_VIEWS: &str = "def v(request):\n    pass\n";

fn django(helpers: &str, urls: &str) -> (tempfile::TempDir, Inventory) {
    project(&[
        ("manage.py", DJ_MANAGE),
        ("proj/__init__.py", ""),
        ("proj/settings.py", DJ_SETTINGS),
        ("proj/urls.py", urls),
        ("app/__init__.py", ""),
        ("app/views.py", DJ_VIEWS),
        ("app/helpers.py", helpers),
    ])
}

/// An instance attribute changed in one branch of an unknown condition, on
/// an instance touched just before (in `__init__`, or by an earlier
/// statement of the same method): Django builds `b-init/` / `c-init/` when
/// the condition is false; crossport claims the changed value.
#[test]
fn instance_changed_in_one_branch_is_not_known() {
    let (_d, inv) = django(
        "import sys\n\nclass B:\n    def __init__(self):\n        self.base = 'b-init/'\n    def tweak(self):\n        if len(sys.argv) > 5:\n            self.base = 'b-changed/'\n        return self\n\nclass C:\n    def __init__(self):\n        self.base = 'c-init/'\n    def tweak(self):\n        self.x = 1\n        if len(sys.argv) > 5:\n            self.base = 'c-changed/'\n        return self\n\ndef b():\n    return B().tweak().base\n\ndef c():\n    return C().tweak().base\n",
        "from django.urls import path\nfrom app.views import v\nfrom app import helpers as h\nurlpatterns = [path(h.b(), v, name='b'), path(h.c(), v, name='c')]\n",
    );
    let got = resolved(&inv);
    assert!(
        !got.iter()
            .any(|(r, _)| r == "b-changed/" || r == "c-changed/"),
        "{got:?}"
    );
}

/// A class attribute written in one branch of an unknown condition: the value
/// after the `if` is not known. (A module-level dict written the same way is
/// still claimed with its first value: a known gap.)
#[test]
fn class_attribute_changed_in_one_branch_is_not_known() {
    let (_d, inv) = django(
        "import sys\n\nclass K:\n    base = 'cls/'\n\ndef cls_attr():\n    if len(sys.argv) > 5:\n        K.base = 'cls2/'\n    return K.base\n\nD = {'r': 'd-orig/'}\n\ndef dict_global():\n    if len(sys.argv) > 5:\n        D['r'] = 'd-changed/'\n",
        "from django.urls import path\nfrom app.views import v\nfrom app import helpers as h\nh.dict_global()\nurlpatterns = [path(h.cls_attr(), v, name='cls'), path(h.D['r'], v, name='d')]\n",
    );
    let got = resolved(&inv);
    assert!(
        !got.iter().any(|(r, _)| r == "cls2/"),
        "cls2/ claimed: {got:?}"
    );
}

/// Names, returns and loops under unknown conditions that are handled right
/// (unresolved, or the same value on both paths): a regression guard.
#[test]
fn unknown_conditions_join_names_and_returns() {
    let (_d, inv) = django(
        "import sys\n\ndef prefix():\n    if len(sys.argv) > 5:\n        p = 'a/'\n    else:\n        p = 'b/'\n    return p\n\ndef maybe():\n    if len(sys.argv) > 5:\n        return 'early/'\n    return 'late/'\n\ndef same():\n    if len(sys.argv) > 5:\n        return 'same/'\n    return 'same/'\n\ndef for_maybe():\n    for s in ['f1/', 'f2/']:\n        if len(sys.argv) > 5:\n            return s\n    return 'f3/'\n",
        "from django.urls import path\nfrom app.views import v\nfrom app import helpers as h\nurlpatterns = [path(h.prefix(), v, name='p'), path(h.maybe(), v, name='m'), path(h.same(), v, name='s'), path(h.for_maybe(), v, name='f')]\n",
    );
    assert_eq!(resolved(&inv), [("same/".to_string(), "s".to_string())]);
    assert_eq!(inv.routes.len(), 4, "{:?}", inv.routes);
}

const K_HEAD: &str = "from flask import Flask\nfrom flask_classful import FlaskView, route\napp = Flask(__name__)\n\n";

/// Flask-Classful 0.16.0 dashes a CamelCase class name in the default route
/// base (`_dashify_uppercase`): `MyCamelCaseView` is at `/my-camel-case/`.
#[test]
fn classful_default_route_base_is_dashed() {
    let (_d, inv) = project(&[(
        "app.py",
        &format!(
            "{K_HEAD}class MyCamelCaseView(FlaskView):\n    def index(self):\n        return 'i'\n\nMyCamelCaseView.register(app)\n"
        ),
    )]);
    assert!(
        has(&inv, "/my-camel-case/", "MyCamelCaseView:index"),
        "{:?}",
        resolved(&inv)
    );
    assert!(!has(&inv, "/mycamelcase/", "MyCamelCaseView:index"));
}

/// `excluded_methods`, `method_dashified`, `default_methods` and
/// `special_methods` class attributes, which Flask-Classful's register() reads.
/// url_map: /excl/ only; /dash/some-thing/; /methods/foo/ GET+POST;
/// /special/ GET (extra) and POST.
#[test]
fn classful_class_options_are_followed_or_unresolved() {
    let (_d, inv) = project(&[(
        "app.py",
        &format!(
            "{K_HEAD}class ExclView(FlaskView):\n    excluded_methods = ['hidden']\n    def index(self):\n        return 'i'\n    def hidden(self):\n        return 'h'\n\nclass DashView(FlaskView):\n    method_dashified = True\n    def some_thing(self):\n        return 's'\n\nclass MethodsView(FlaskView):\n    default_methods = ['GET', 'POST']\n    def foo(self):\n        return 'f'\n\nclass SpecialView(FlaskView):\n    special_methods = {{'get': ['GET'], 'post': ['POST'], 'extra': ['GET']}}\n    def extra(self):\n        return 'e'\n\nExclView.register(app)\nDashView.register(app)\nMethodsView.register(app)\nSpecialView.register(app)\n"
        ),
    )]);
    let got = resolved(&inv);
    assert!(!has(&inv, "/excl/hidden/", "ExclView:hidden"), "{got:?}");
    assert!(
        !has(&inv, "/dash/some_thing/", "DashView:some_thing"),
        "{got:?}"
    );
    assert!(
        !has(&inv, "/special/extra/", "SpecialView:extra"),
        "{got:?}"
    );
    if let Some(r) = inv
        .routes
        .iter()
        .find(|r| r.resolved && r.rule == "/methods/foo/")
    {
        assert_eq!(r.methods, ["GET", "POST"], "{r:?}");
    }
}

/// A static method, or a second register() of the same view on the same app:
/// Flask-Classful raises (DecoratorCompatibilityError; Flask's "View function
/// mapping is overwriting an existing endpoint function"), the app does not
/// start, so no rule of that view is built.
#[test]
fn classful_register_that_raises_claims_nothing() {
    let (_d, inv) = project(&[(
        "app.py",
        &format!(
            "{K_HEAD}class StatView(FlaskView):\n    def index(self):\n        return 'i'\n    @staticmethod\n    def stat():\n        return 's'\n\nStatView.register(app)\n"
        ),
    )]);
    assert!(
        !has(&inv, "/stat/stat/", "StatView:stat"),
        "{:?}",
        resolved(&inv)
    );
}

/// A class-level `subdomain` is the rule's subdomain (url_map: /sub/ on "api").
#[test]
fn classful_subdomain_attribute() {
    let (_d, inv) = project(&[(
        "app.py",
        &format!(
            "{K_HEAD}class SubView(FlaskView):\n    subdomain = 'api'\n    def index(self):\n        return 'i'\n\nSubView.register(app)\n"
        ),
    )]);
    // not claimed without its subdomain (the class option is not modelled)
    assert!(
        !inv.routes
            .iter()
            .any(|r| r.rule == "/sub/" && r.resolved && r.subdomain.as_deref() != Some("api")),
        "{:?}",
        inv.routes
    );
}

/// Flask-Script's `@manager.shell` registers the command `shell`
/// (`self.add_command('shell', Shell(make_context=func))`), not one named
/// after the function.
#[test]
fn flask_script_shell_decorator_is_the_shell_command() {
    let (_d, inv) = project(&[(
        "manage.py",
        "from flask import Flask\nfrom flask_script import Manager\napp = Flask(__name__)\nmanager = Manager(app)\n\n@manager.shell\ndef make_ctx():\n    return dict(app=app)\n\nif __name__ == '__main__':\n    manager.run()\n",
    )]);
    let names: Vec<&str> = inv
        .jobs
        .iter()
        .filter(|j| j.kind == "flask_cli")
        .map(|j| j.name.as_str())
        .collect();
    assert_eq!(names, ["shell"], "{:?}", inv.jobs);
}

/// A `(patterns, app_name, namespace)` tuple given to path() directly or
/// through a variable (what `admin.site.urls` is): Django 5.2 builds t3/in/
/// and tvar/in/ named ns3:inner, never t3/ or tvar/ themselves. A 2-tuple
/// `.urls` makes path() raise ValueError (expected 3, got 2).
#[test]
fn django_three_tuple_view_not_through_dot_urls() {
    let (_d, inv) = django(
        "from django.urls import path\nfrom app.views import v\ninner = [path('in/', v, name='inner')]\n\nclass Two:\n    @property\n    def urls(self):\n        return inner, 'two'\n\ntwo = Two()\n",
        "from django.urls import path\nfrom app.helpers import inner, two\nT = (inner, 'app3', 'ns3')\nurlpatterns = [path('t3/', (inner, 'app3', 'ns3')), path('tvar/', T), path('two/', two.urls)]\n",
    );
    let got = resolved(&inv);
    for bad in ["t3/", "tvar/", "two/in/"] {
        assert!(!got.iter().any(|(r, _)| r == bad), "{bad} claimed: {got:?}");
    }
}

/// A condition on a setting or a global read from the environment inside a
/// helper is not known (Django, the variables unset: the else branches).
#[test]
fn condition_on_environment_or_default_setting_is_not_known_true() {
    let (_d, inv) = django(
        "import os\nfrom django.conf import settings\nFLAG = os.environ.get('X')\n\ndef c1():\n    if settings.FEATURE:\n        return 'c1-then/'\n    return 'c1-else/'\n\ndef c2():\n    if FLAG:\n        return 'c2-then/'\n    return 'c2-else/'\n\ndef c5():\n    if settings.DEBUG:\n        return 'c5-then/'\n    return 'c5-else/'\n",
        "from django.urls import path\nfrom app.views import v\nfrom app import helpers as h\nurlpatterns = [path(h.c1(), v, name='c1'), path(h.c2(), v, name='c2'), path(h.c5(), v, name='c5')]\n",
    );
    let got = resolved(&inv);
    for bad in ["c1-then/", "c2-then/", "c5-then/"] {
        assert!(!got.iter().any(|(r, _)| r == bad), "{bad} claimed: {got:?}");
    }
}

/// A URL prefix chosen in start-up code by a condition on the environment:
/// with `MODERN` unset Flask 3.1 serves `/old/x`, with it set `/new/x`. The
/// branches used to run in turn on the same names, so the last one's prefix
/// was claimed; the prefix is now not known, and neither rule is claimed.
#[test]
fn prefix_chosen_by_environment_is_not_claimed() {
    let app = "import os\nfrom flask import Flask, Blueprint\n\nbp = Blueprint('bp', __name__)\n\n\n@bp.route('/x')\ndef x():\n    return 'x'\n\n\ndef create_app():\n    app = Flask(__name__)\n    if not os.environ.get('MODERN'):\n        prefix = '/old'\n    else:\n        prefix = '/new'\n    app.register_blueprint(bp, url_prefix=prefix)\n    return app\n\n\napp = create_app()\n";
    let (_d, inv) = project(&[("app.py", app)]);
    assert!(!has(&inv, "/new/x", "bp.x"), "{:?}", resolved(&inv));
    assert!(!has(&inv, "/old/x", "bp.x"), "{:?}", resolved(&inv));
    assert!(
        inv.routes
            .iter()
            .any(|r| r.endpoint.as_deref() == Some("bp.x")),
        "the route is still listed: {:?}",
        inv.routes
    );
}

/// A class view named at run time (`V.as_view(os.environ["VIEW_NAME"])`):
/// Flask's endpoint is that name, which the scan cannot know. The route is
/// still resolved (its rule is known), with no endpoint rather than the
/// empty `b.` it used to claim.
#[test]
fn class_view_named_at_run_time_has_no_endpoint() {
    let app = "import os\nfrom flask import Flask, Blueprint\nfrom flask.views import MethodView\n\n\nclass V(MethodView):\n    def get(self):\n        return ''\n\n\nbp = Blueprint('b', __name__)\nbp.add_url_rule('/v', view_func=V.as_view(os.environ['VIEW_NAME']))\napp = Flask(__name__)\napp.register_blueprint(bp)\napp.add_url_rule('/w', view_func=V.as_view(os.environ['VIEW_NAME']))\n";
    let (_d, inv) = project(&[("app.py", app)]);
    for rule in ["/v", "/w"] {
        let r = inv.routes.iter().find(|r| r.rule == rule).expect(rule);
        assert!(r.resolved, "{r:?}");
        assert_eq!(r.endpoint, None, "{r:?}");
    }
}

/// A property of another module reads a global of the app module while the
/// app module is still running (an import cycle), after a plain assignment
/// that calls nothing visibly: Python gives the value bound just before,
/// `/new`. The globals seen from outside used to be copied only before
/// statements with a call in them, so `/old` was claimed.
#[test]
fn a_running_module_is_seen_as_of_its_last_statement() {
    let app = "from flask import Flask\nimport helper\napp = Flask(__name__)\nPREFIX = '/old'\nhelper.noop()\nPREFIX = '/new'\nP = helper.obj.prefix\n\n\ndef view():\n    return 'x'\n\n\napp.add_url_rule(P + '/v', 'v', view)\n";
    let helper = "def noop():\n    pass\n\n\nclass O:\n    @property\n    def prefix(self):\n        import app as A\n        return A.PREFIX\n\n\nobj = O()\n";
    let (_d, inv) = project(&[("app.py", app), ("helper.py", helper)]);
    assert!(has(&inv, "/new/v", "v"), "{:?}", resolved(&inv));
    assert!(!has(&inv, "/old/v", "v"), "{:?}", resolved(&inv));
}

/// Module-level `if`s on the environment choosing a list of prefixes, a
/// class, or between an environment value and a literal: Flask 3.1.3 builds
/// the first branch's rules when HOME is set and the other's when not, so
/// neither may be claimed from the last branch as it used to be.
#[test]
fn module_level_branches_on_the_environment_are_not_claimed() {
    let app = "import os\nfrom flask import Flask\napp = Flask(__name__)\n\n\ndef v():\n    return 'x'\n\n\nif os.environ.get('HOME'):\n    P2 = os.environ.get('NOPE', '/v2')\nelse:\n    P2 = '/other'\napp.add_url_rule(P2 + '/c', 'c', v)\n\n\nclass A:\n    pass\n\n\nclass B:\n    pass\n\n\nif os.environ.get('HOME'):\n    K = A\nelse:\n    K = B\napp.add_url_rule('/d', K.__name__, v)\nt = ('/t1',)\nif not os.environ.get('HOME'):\n    t = ('/t2',)\napp.add_url_rule(t[0] + '/f', 'f', v)\n";
    let (_d, inv) = project(&[("app.py", app)]);
    for (rule, endpoint) in [("/other/c", "c"), ("/d", "B"), ("/t2/f", "f")] {
        assert!(
            !has(&inv, rule, endpoint),
            "{rule} {endpoint}: {:?}",
            resolved(&inv)
        );
    }
}

/// An `endpoint=` computed at run time (`os.environ.get("HOME")`) is not
/// the view function's name, which used to be claimed.
#[test]
fn endpoint_known_only_at_run_time_is_left_out() {
    let app = "import os\nfrom flask import Flask\napp = Flask(__name__)\n\n\ndef v():\n    return 'x'\n\n\napp.add_url_rule('/z', os.environ.get('HOME'), v)\n";
    let (_d, inv) = project(&[("app.py", app)]);
    let r = inv
        .routes
        .iter()
        .find(|r| r.rule == "/z")
        .expect("/z listed");
    assert_eq!(r.endpoint, None, "{r:?}");
}

fn flask_try(init: &str, extra: &[(&str, &str)]) -> (tempfile::TempDir, Inventory) {
    let mut files = vec![
        ("app/__init__.py", init),
        (
            "app/views.py",
            "from flask import Blueprint\nbp = Blueprint('b', __name__)\n\n@bp.route('/x')\ndef x():\n    return ''\n",
        ),
    ];
    files.extend_from_slice(extra);
    project(&files)
}

/// A top-level `try` runs its handlers only when the body raises what they catch (Flask 3.1.3:
/// `/real/x` when `.extra` exists, `/fallback/x` when the scanned package lacks `.local`,
/// `/real/else/fin/x` through `else` and `finally`; `/real/x` with a bare `except`). Before, every handler ran after the body
/// and its value was claimed.
#[test]
fn a_top_level_try_runs_its_handler_only_when_the_body_raises() {
    let head = "from flask import Flask\nfrom .views import bp\napp = Flask(__name__)\n";
    let (_d, inv) = flask_try(
        &format!(
            "{head}try:\n    from .extra import PREFIX\nexcept ImportError:\n    PREFIX = '/fallback'\napp.register_blueprint(bp, url_prefix=PREFIX)\n"
        ),
        &[("app/extra.py", "PREFIX = '/real'\n")],
    );
    assert!(has(&inv, "/real/x", "b.x"), "{:?}", resolved(&inv));
    let (_d, inv) = flask_try(
        &format!(
            "{head}try:\n    from .local import PREFIX\nexcept ImportError:\n    PREFIX = '/fallback'\napp.register_blueprint(bp, url_prefix=PREFIX)\n"
        ),
        &[],
    );
    assert!(has(&inv, "/fallback/x", "b.x"), "{:?}", resolved(&inv));
    let (_d, inv) = flask_try(
        &format!(
            "{head}try:\n    from . import extra\nexcept ModuleNotFoundError:\n    PREFIX = '/no'\nelse:\n    PREFIX = extra.PREFIX + '/else'\nfinally:\n    SUFFIX = '/fin'\napp.register_blueprint(bp, url_prefix=PREFIX + SUFFIX)\n"
        ),
        &[("app/extra.py", "PREFIX = '/real'\n")],
    );
    assert!(has(&inv, "/real/else/fin/x", "b.x"), "{:?}", resolved(&inv));
    // A bare `except` after a body that only imports can only catch the import's failure.
    let (_d, inv) = flask_try(
        &format!(
            "{head}try:\n    from .extra import PREFIX\nexcept:\n    PREFIX = '/fallback'\napp.register_blueprint(bp, url_prefix=PREFIX)\n"
        ),
        &[("app/extra.py", "PREFIX = '/real'\n")],
    );
    assert!(has(&inv, "/real/x", "b.x"), "{:?}", resolved(&inv));
}

/// Whether a handler runs is not known when the body imports a library (installed or not), a
/// name its module may not bind, or the handler catches something other than `ImportError`:
/// the prefix is not claimed (Flask gives `/fallback/x` for the first two, `/plain/x` or
/// `/dbg/x` depending on the environment, `/conf/x` for the dict).
#[test]
fn a_top_level_try_that_may_raise_leaves_its_names_unknown() {
    let head = "from flask import Flask\nfrom .views import bp\napp = Flask(__name__)\n";
    for body in [
        // a name the module does not bind, a submodule that does not exist (Flask: /fallback/x)
        "try:\n    from .views import helper\n    PREFIX = '/real'\nexcept ImportError:\n    PREFIX = '/fallback'\n",
        "try:\n    from . import extra\n    PREFIX = '/real'\nexcept ImportError:\n    PREFIX = '/fallback'\n",
        "try:\n    import flask_debugtoolbar\n    PREFIX = '/dbg'\nexcept ImportError:\n    PREFIX = '/plain'\n",
        "CONF = {'prefix': '/conf'}\ntry:\n    PREFIX = CONF['prefix']\nexcept KeyError:\n    PREFIX = '/default'\n",
    ] {
        let (_d, inv) = flask_try(
            &format!("{head}{body}app.register_blueprint(bp, url_prefix=PREFIX)\n"),
            &[],
        );
        let got = resolved(&inv);
        assert!(!got.iter().any(|(r, _)| r.ends_with("/x")), "{got:?}");
        assert!(
            inv.routes
                .iter()
                .any(|r| r.rule.ends_with("/x") && !r.resolved)
        );
    }
}

/// URL mounts read from records whose constructor a library generates: a pydantic
/// `RootModel` list of models validated from dicts (nested models, `Field(default=...)`,
/// `Optional` fields left out, `model_validate`), and dataclasses with positional arguments,
/// defaults and `field(default_factory=...)`. Django 5.2.19 with pydantic 2.14.4 serves
/// exactly these five.
#[test]
fn mounts_built_from_pydantic_models_and_dataclasses() {
    let (_d, inv) = common::project(&[
        (
            "manage.py",
            r#"import os, sys
if __name__ == '__main__':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
"#,
        ),
        ("proj/__init__.py", r#""#),
        (
            "proj/settings.py",
            r#"SECRET_KEY = 'x'
ROOT_URLCONF = 'proj.urls'
INSTALLED_APPS = ['app']
"#,
        ),
        (
            "proj/urls.py",
            r#"from django.urls import include, path

from app.settings_models import APPS, EXTRA, PAGES
from app.views import v

urlpatterns = []
for a in APPS + EXTRA:
    if not a.urls:
        continue
    if a.urls.namespace:
        urlpatterns.append(path(a.urls.path, include((a.urls.module, "shop"), namespace=a.urls.namespace)))
    else:
        urlpatterns.append(path(a.urls.path, include(a.urls.module)))
for p in PAGES:
    urlpatterns.append(path(p.prefix + p.slug + "/", v, name=p.slug))
"#,
        ),
        ("app/__init__.py", r#""#),
        (
            "app/views.py",
            r#"def v(request):
    pass
"#,
        ),
        (
            "app/settings_models.py",
            r#"from dataclasses import dataclass, field
from typing import Optional

from pydantic import BaseModel, Field, RootModel


class Mount(BaseModel):
    path: str = Field(default="")
    module: str
    namespace: Optional[str] = None


class App(BaseModel):
    name: Optional[str] = None
    urls: Optional[Mount] = None


class Apps(RootModel):
    root: list[App]


@dataclass
class Page:
    slug: str
    prefix: str = "pages/"
    tags: list = field(default_factory=list)


APPS = Apps(
    [
        {"name": "no-urls"},
        {"name": "shop", "urls": {"path": "shop/", "module": "app.shop_urls"}},
        {"urls": {"module": "app.shop_urls", "namespace": "root-shop"}},
    ]
).root
EXTRA = Apps.model_validate([{"urls": {"path": "extra/", "module": "app.shop_urls", "namespace": "extra"}}]).root
PAGES = [Page("about"), Page("team", prefix="people/")]
"#,
        ),
        (
            "app/shop_urls.py",
            r#"from django.urls import path
from app.views import v
urlpatterns = [path('cart/', v, name='cart')]
"#,
        ),
    ]);
    let rules: Vec<String> = resolved(&inv).into_iter().map(|(r, _)| r).collect();
    assert_eq!(
        rules,
        [
            "cart/",
            "extra/cart/",
            "pages/about/",
            "people/team/",
            "shop/cart/"
        ],
        "{:?}",
        inv.routes
    );
}

/// What the record binding does not model is unknown, never a guess (an independent review's
/// cases, each compared with Django 5.2.19 and pydantic 2.14.4): a `ClassVar[...]` is not a
/// field (`cv/pages/about/`), a plain base's annotated value stays a class attribute of a
/// dataclass (`mx/mixin/about/`); `field(init=False)` (Django: `if/base/about/`),
/// `__post_init__` (`pi/p/pages/about/`), a pydantic alias (`al/pages/about/`) and a validator
/// (`va/people/about/`) leave their URL unresolved.
#[test]
fn records_claim_only_what_their_library_would_build() {
    let models = r#"from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import BaseModel, Field, field_validator


@dataclass
class WithClassVar:
    kind: ClassVar[str] = "page"
    slug: str = "x"
    prefix: str = "pages/"


class Mixin:
    prefix: str = "mixin/"


@dataclass
class WithMixin(Mixin):
    slug: str = "x"


@dataclass
class NotInit:
    prefix: str = field(default="base/", init=False)
    slug: str = "x"


@dataclass
class PostInit:
    slug: str
    prefix: str = "pages/"

    def __post_init__(self):
        self.prefix = "p/" + self.prefix


class Aliased(BaseModel):
    slug: str
    prefix: str = Field("pages/", alias="urlPrefix")


class Validated(BaseModel):
    slug: str
    prefix: str = "pages"

    @field_validator("prefix")
    @classmethod
    def slash(cls, v):
        return v if v.endswith("/") else v + "/"


PAGES = [
    ("cv/", WithClassVar("about")),
    ("mx/", WithMixin("about")),
    ("if/", NotInit("about")),
    ("pi/", PostInit("about")),
    ("al/", Aliased(slug="about", prefix="people/")),
    ("va/", Validated(slug="about", prefix="people")),
]
"#;
    let urls = "from django.urls import path\n\nfrom app.helpers import PAGES\nfrom app.views import v\n\nurlpatterns = []\nfor tag, p in PAGES:\n    urlpatterns.append(path(tag + p.prefix + p.slug + \"/\", v))\n";
    let (_d, inv) = django(models, urls);
    let rules: Vec<String> = resolved(&inv).into_iter().map(|(r, _)| r).collect();
    assert_eq!(
        rules,
        ["cv/pages/about/", "mx/mixin/about/"],
        "{:?}",
        inv.routes
    );
}
