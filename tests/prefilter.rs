//! The pre-filter, body elision and skimmed lowering must lose nothing: a scan
//! equals the scan that parses and lowers everything (`--no-prefilter`),
//! apart from `stats`.

use crossport::scan::{ScanOptions, scan};
use std::path::Path;

fn inventory(root: &Path, prefilter: bool) -> serde_json::Value {
    let opts = ScanOptions {
        threads: 1,
        prefilter,
        ..ScanOptions::default()
    };
    let (inv, _) = scan(root, &opts).expect("scan");
    let mut v = serde_json::to_value(&inv).expect("json");
    v.as_object_mut().expect("object").remove("stats");
    v
}

#[test]
fn every_fixture_gives_the_same_inventory_with_and_without_the_prefilter() {
    let mut checked = 0;
    for entry in std::fs::read_dir("fixtures").expect("fixtures/") {
        let dir = entry.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        assert_eq!(
            inventory(&dir, true),
            inventory(&dir, false),
            "{}",
            dir.display()
        );
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} fixtures found");
}

/// A settings value computed by a project helper whose body names nothing the
/// inventory needs: the body is blanked before parsing, and the interpreter
/// must not read the blank `pass` as "returns None" (which would drop the
/// DEBUG-only URLs here and differ from the full scan); it reads the body
/// again from the file (`python::lazy`).
#[test]
fn a_blanked_helper_is_not_taken_for_one_returning_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files: &[(&str, &str)] = &[
        (
            "manage.py",
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
        ),
        ("proj/__init__.py", ""),
        (
            "proj/env.py",
            "import os\n\n\nclass Env:\n    def flag(self, name):\n        raw = os.environ.get(name.upper(), '')\n        raw = raw.strip().lower()\n        if not raw:\n            return True\n        value = raw in ('1', 'yes', 'on')\n        return value\n",
        ),
        (
            "proj/settings.py",
            "from proj.env import Env\n\nDEBUG = Env().flag('debug')\nROOT_URLCONF = 'proj.urls'\nINSTALLED_APPS = ['django.contrib.admin']\n",
        ),
        (
            "proj/urls.py",
            "from django.conf import settings\nfrom django.urls import path\n\nfrom proj import views\n\nurlpatterns = [path('home/', views.home)]\nif settings.DEBUG:\n    urlpatterns += [path('debug/', views.debug)]\n",
        ),
        (
            "proj/views.py",
            "def home(request):\n    return None\n\n\ndef debug(request):\n    return None\n",
        ),
    ];
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let filtered = inventory(dir.path(), true);
    assert_eq!(filtered, inventory(dir.path(), false));
    assert!(
        filtered["routes"].to_string().contains("home/"),
        "{}",
        filtered["routes"]
    );
}

/// Test code is counted but not read, unless asked for.
#[test]
fn test_code_is_counted_not_read_unless_included() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/home')\ndef home():\n    return ''\n";
    let fixture = "from flask import Flask\nfake = Flask(__name__)\n\n@fake.route('/only-in-tests')\ndef probe():\n    return ''\n";
    std::fs::write(dir.path().join("app.py"), app).unwrap();
    std::fs::create_dir_all(dir.path().join("tests")).unwrap();
    std::fs::write(dir.path().join("tests/test_app.py"), fixture).unwrap();
    let rules = |include_tests: bool| {
        let opts = ScanOptions {
            threads: 1,
            include_tests,
            ..ScanOptions::default()
        };
        let (inv, _) = scan(dir.path(), &opts).expect("scan");
        assert_eq!(inv.stats.python_files, 2);
        assert_eq!(inv.stats.lines, 12);
        inv.routes.into_iter().map(|r| r.rule).collect::<Vec<_>>()
    };
    let default = rules(false);
    assert!(default.contains(&"/home".to_string()), "{default:?}");
    assert!(
        !default.contains(&"/only-in-tests".to_string()),
        "{default:?}"
    );
    let included = rules(true);
    assert!(
        included.contains(&"/only-in-tests".to_string()),
        "{included:?}"
    );
}
