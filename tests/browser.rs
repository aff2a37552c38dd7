//! The HTML report in a real browser: headless Chromium renders the plan of a fixture, takes a
//! screenshot (`target/report-screenshot.png`) and the test fails on any console message
//! (errors, uncaught exceptions, blocked requests) or a page without its summary or tables.
//! A second page full of hostile names must not run any injected markup.
//!
//! Chromium is required: the test fails, never skips, when it is missing
//! (`apt-get install -y chromium`; `tests/run-all.sh` installs it).

use crossport::plan::{self, PlanOptions};
use crossport::report::html;
use crossport::scan::{ScanOptions, scan};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> PathBuf {
    for c in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(c).exists() {
            return c.into();
        }
    }
    panic!(
        "Chromium is missing (looked for /usr/bin/chromium): install it with \
         `apt-get install -y chromium`; tests/run-all.sh does so"
    );
}

/// Runs headless Chromium on `page` with `extra` arguments; returns (stdout, stderr).
fn run_chromium(page: &Path, extra: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes on threads so that a chatty browser never blocks on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (t_out.join().unwrap(), t_err.join().unwrap());
    assert!(status.success(), "chromium failed ({status}): {stderr}");
    (stdout, stderr)
}

/// Console messages the page produced (the report's script logs nothing, so any is a failure).
fn console_messages(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

fn target_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn html_report_renders_in_chromium() {
    let (inv, _) = scan(Path::new("fixtures/django_basic"), &ScanOptions::default()).unwrap();
    let p = plan::build(&inv, &PlanOptions::default());
    let page = target_dir().join("report-browser.html");
    std::fs::write(&page, html::render_plan(&inv, &p).unwrap()).unwrap();

    let shot = target_dir().join("report-screenshot.png");
    let _ = std::fs::remove_file(&shot);
    let (_, stderr) = run_chromium(
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000",
        ],
    );
    let msgs = console_messages(&stderr);
    assert!(msgs.is_empty(), "console messages: {msgs:#?}");
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "screenshot is not a rendered page ({} bytes)",
        png.len()
    );
    eprintln!("screenshot: {}", shot.display());

    let (dom, stderr) = run_chromium(&page, &["--dump-dom"]);
    let msgs = console_messages(&stderr);
    assert!(msgs.is_empty(), "console messages: {msgs:#?}");
    assert!(dom.contains("id=\"summary\""), "no summary in the DOM");
    assert!(dom.contains("Migration plan"), "no plan in the DOM");
    assert!(dom.contains("<svg"), "no effort chart in the DOM");
    assert!(
        dom.contains("data-ready=\"1\""),
        "the report's script did not run to the end"
    );
    assert!(dom.matches("<tr>").count() > 20, "tables are empty");
}

#[test]
fn hostile_names_stay_text_in_chromium() {
    let (mut inv, _) = scan(Path::new("fixtures/django_basic"), &ScanOptions::default()).unwrap();
    let xss = "<script>console.log('xss')</script><img src=x onerror=console.log('img')>";
    let template = inv.routes[0].clone();
    for i in 0..700 {
        let mut r = template.clone();
        r.rule = format!("/{xss}/{i}</script>");
        r.view = Some(xss.to_string());
        r.file = format!("{xss}.py");
        inv.routes.push(r);
    }
    for m in &mut inv.models {
        m.name = format!("{}{xss}", m.name);
    }
    inv.root = xss.to_string();
    let p = plan::build(&inv, &PlanOptions::default());
    let page = target_dir().join("report-hostile.html");
    // The page plus a driver script: "show all" on the routes (rendered from the embedded
    // JSON, since 726 routes exceed the 500 rendered up front), a sort, then a filter.
    let driver = r#"<script>
(function () {
  var t = document.getElementById("t-routes");
  var w = t.closest(".dtw");
  var before = t.tBodies[0].rows.length;
  w.querySelector("button.more").click();
  var all = t.tBodies[0].rows.length;
  t.tHead.rows[0].cells[1].click();
  var input = w.querySelector("input");
  input.value = "/699<";
  input.dispatchEvent(new Event("input"));
  setTimeout(function () {
    document.body.setAttribute("data-test", before + ":" + all + ":" + t.tBodies[0].rows.length);
  }, 400);
})();
</script>
</body>"#;
    let report = html::render_plan(&inv, &p).unwrap();
    std::fs::write(&page, report.replace("</body>", driver)).unwrap();
    let (dom, stderr) = run_chromium(&page, &["--dump-dom"]);
    let msgs = console_messages(&stderr);
    assert!(msgs.is_empty(), "injected code ran: {msgs:#?}");
    assert!(
        !dom.contains("<img src=\"x\""),
        "an injected element exists"
    );
    assert!(
        dom.contains("data-ready=\"1\""),
        "the report's script failed"
    );
    let routes = inv.routes.len();
    let got = dom
        .split("data-test=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("none");
    assert_eq!(
        got,
        format!("500:{routes}:1"),
        "rows before show-all : after : after sort and filter"
    );
}

#[test]
fn portfolio_html_renders_in_chromium() {
    // Inventories of three fixtures plus a monorepo scanned in place: waves, a coupled group,
    // a timeline with two lanes.
    let dir = tempfile::tempdir().unwrap();
    for f in ["flask_blueprints", "django_basic", "flask_api_models"] {
        let (inv, _) = scan(Path::new(&format!("fixtures/{f}")), &ScanOptions::default()).unwrap();
        std::fs::write(
            dir.path().join(format!("{f}.json")),
            serde_json::to_string(&inv).unwrap(),
        )
        .unwrap();
    }
    let opts = crossport::portfolio::Options {
        teams: 2,
        team_size: 2,
        scan: ScanOptions::default(),
    };
    let p = crossport::portfolio::build(
        &[
            dir.path().to_path_buf(),
            "fixtures/monorepo_services".into(),
        ],
        &opts,
    );
    assert_eq!(p.repositories.len(), 6);
    let page = target_dir().join("portfolio-browser.html");
    // A driver: sort by effort (descending after two clicks), then filter to one repository.
    let driver = r#"<script>
(function () {
  var t = document.getElementById("repos");
  var th = t.tHead.rows[0].cells[10];
  th.click(); th.click();
  var first = t.tBodies[0].rows[0].cells[0].textContent;
  var input = document.getElementById("filter");
  input.value = "catalog";
  input.dispatchEvent(new Event("input"));
  var visible = Array.prototype.filter.call(t.tBodies[0].rows, function (r) { return !r.hidden; }).length;
  document.body.setAttribute("data-test", first + "|" + visible);
})();
</script>
</body>"#;
    let html = crossport::portfolio::html::render(&p).unwrap();
    std::fs::write(&page, html.replace("</body>", driver)).unwrap();
    let shot = target_dir().join("portfolio-screenshot.png");
    let _ = std::fs::remove_file(&shot);
    let (_, stderr) = run_chromium(
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1600",
        ],
    );
    let msgs = console_messages(&stderr);
    assert!(msgs.is_empty(), "console messages: {msgs:#?}");
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000);
    let (dom, stderr) = run_chromium(&page, &["--dump-dom"]);
    assert!(console_messages(&stderr).is_empty());
    assert!(
        dom.contains("data-ready=\"1\""),
        "the report's script failed"
    );
    assert!(dom.contains("id=\"summary\"") && dom.contains("Migration waves"));
    assert_eq!(
        dom.matches("<g class=\"bar\">").count(),
        p.groups.len(),
        "one timeline bar per group"
    );
    // The most expensive repository sorts first; the filter leaves one row.
    let heaviest = p
        .repositories
        .iter()
        .filter(|r| r.direction.is_some())
        .max_by(|a, b| a.engineer_weeks.high.total_cmp(&b.engineer_weeks.high))
        .unwrap();
    let got = dom
        .split("data-test=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("none");
    assert_eq!(got, format!("{}|1", heaviest.name));
}
