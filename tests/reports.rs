//! The Markdown and HTML reports: snapshots for a Flask and a Django fixture (scan and plan),
//! escaping of hostile names, and the row cap that keeps the HTML DOM small.

use crossport::inventory::Inventory;
use crossport::plan::{self, PlanOptions};
use crossport::report::{html, markdown};
use crossport::scan::{ScanOptions, scan};
use std::path::Path;

fn inventory(fixture: &str) -> Inventory {
    scan(Path::new(fixture), &ScanOptions::default())
        .expect("fixture scans")
        .0
}

fn plan_of(inv: &Inventory) -> plan::Plan {
    plan::build(inv, &PlanOptions::default())
}

#[test]
fn flask_scan_markdown() {
    let inv = inventory("fixtures/flask_blueprints");
    insta::assert_snapshot!(markdown::render_scan(&inv).unwrap());
}

#[test]
fn flask_plan_markdown() {
    let inv = inventory("fixtures/flask_blueprints");
    insta::assert_snapshot!(markdown::render_plan(&inv, &plan_of(&inv)).unwrap());
}

#[test]
fn django_scan_markdown() {
    let inv = inventory("fixtures/django_basic");
    insta::assert_snapshot!(markdown::render_scan(&inv).unwrap());
}

#[test]
fn django_plan_markdown() {
    let inv = inventory("fixtures/django_basic");
    insta::assert_snapshot!(markdown::render_plan(&inv, &plan_of(&inv)).unwrap());
}

#[test]
fn flask_scan_html() {
    let inv = inventory("fixtures/flask_blueprints");
    insta::assert_snapshot!(html::render_scan(&inv).unwrap());
}

#[test]
fn flask_plan_html() {
    let inv = inventory("fixtures/flask_blueprints");
    insta::assert_snapshot!(html::render_plan(&inv, &plan_of(&inv)).unwrap());
}

#[test]
fn django_scan_html() {
    let inv = inventory("fixtures/django_basic");
    insta::assert_snapshot!(html::render_scan(&inv).unwrap());
}

#[test]
fn django_plan_html() {
    let inv = inventory("fixtures/django_basic");
    insta::assert_snapshot!(html::render_plan(&inv, &plan_of(&inv)).unwrap());
}

const XSS: &str = "<script>alert(1)</script>";

/// An inventory full of hostile strings: route rules, views, model and field names, file
/// names, warnings, app labels.
fn hostile(routes: usize) -> Inventory {
    let mut inv = inventory("fixtures/django_basic");
    let evil_file = "<img src=x onerror=alert(2)>/\"'`|javascript:alert(3).py";
    for (i, r) in inv.routes.iter_mut().enumerate() {
        r.rule = format!("/{XSS}|`x`|{i}");
        r.view = Some(format!("views.{XSS}"));
        r.file = evil_file.to_string();
    }
    let template = inv.routes[0].clone();
    for i in inv.routes.len()..routes {
        let mut r = template.clone();
        r.rule = format!("/{XSS}/{i}</script><!--");
        inv.routes.push(r);
    }
    for m in &mut inv.models {
        m.name = format!("{}{XSS}", m.name);
        m.file = evil_file.to_string();
        for f in &mut m.fields {
            f.name = format!("{}\"]{XSS}", f.name);
        }
        for r in &mut m.relations {
            r.name = format!("{}\"{XSS}|`", r.name);
        }
    }
    for e in &mut inv.app_edges {
        e.from = format!("{}\"]{XSS}", e.from);
    }
    inv.warnings.push(crossport::inventory::Warning {
        file: Some(evil_file.into()),
        line: Some(1),
        message: XSS.into(),
    });
    inv.root = format!("root{XSS}");
    inv
}

#[test]
fn html_escapes_every_value() {
    let inv = hostile(700);
    let p = plan_of(&inv);
    for out in [
        html::render_scan(&inv).unwrap(),
        html::render_plan(&inv, &p).unwrap(),
    ] {
        assert!(!out.contains(XSS), "raw script tag in the HTML");
        assert!(!out.contains("<img"), "raw img tag in the HTML");
        assert!(!out.contains("<!--"), "raw comment opener in the HTML");
        assert!(
            !out.contains("href=\"javascript:") && !out.contains("href=\"<"),
            "unsafe href"
        );
        // Only the report's own script elements: the code and the embedded row data.
        let scripts = out.matches("<script").count();
        let closers = out.matches("</script>").count();
        assert_eq!(scripts, closers);
        let data = out.matches("<script type=\"application/json\"").count();
        assert!(
            data >= 1,
            "700 routes embed the rows beyond the cap as JSON"
        );
        assert_eq!(scripts, data + 1, "no script element but ours");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(out.contains("href=\"./%3Cimg%20src%3Dx"));
    }
}

#[test]
fn markdown_escapes_table_cells_and_mermaid_labels() {
    let inv = hostile(30);
    let out = markdown::render_plan(&inv, &plan_of(&inv)).unwrap();
    assert!(!out.contains("<script"), "raw script tag in the Markdown");
    assert!(!out.contains("<img"), "raw img tag in the Markdown");
    // Every `|` inside a cell is escaped: each row has as many separators as its header.
    let mut columns = None;
    for line in out.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let seps = line.replace("\\|", "").matches('|').count();
        let expected = *columns.get_or_insert(seps);
        assert_eq!(seps, expected, "a cell broke out of its column: {line}");
        // Backtick pairs stay code spans (their `|` escaped, checked above); never shown as
        // escaped backslash-backtick pairs.
        assert!(
            !line.contains("\\`x\\`"),
            "code shown with backslashes: {line}"
        );
    }
    // Mermaid labels: no raw quote, bracket or angle bracket inside a label.
    let mut in_mermaid = false;
    for line in out.lines() {
        if line == "```mermaid" {
            in_mermaid = true;
        } else if line == "```" {
            in_mermaid = false;
        } else if in_mermaid {
            assert!(!line.contains('<') || line.contains("<br/>"), "{line}");
            assert!(!line.contains('`'), "{line}");
            assert_eq!(line.matches('"').count() % 2, 0, "{line}");
        }
    }
}

#[test]
fn html_caps_rendered_rows() {
    let inv = hostile(3000);
    let out = html::render_scan(&inv).unwrap();
    let rows = out.matches("<tr>").count();
    assert!(rows < 700, "{rows} rows rendered up front");
    assert!(out.contains("Show all 3000"));
}

#[test]
fn html_makes_no_external_requests() {
    let inv = inventory("fixtures/flask_blueprints");
    let out = html::render_plan(&inv, &plan_of(&inv)).unwrap();
    for bad in ["http://", "https://", "<link", "@import", "url(", " src="] {
        let hits: Vec<&str> = out
            .lines()
            .filter(|l| l.contains(bad) && !l.contains("http://www.w3.org/2000/svg"))
            .collect();
        assert!(hits.is_empty(), "{bad}: {hits:?}");
    }
}

/// `s` without ANSI SGR sequences.
fn strip_ansi(s: &str) -> String {
    let mut o = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            o.push(c);
        }
    }
    o
}

#[test]
fn terminal_colour_only_decorates() {
    let inv = inventory("fixtures/flask_blueprints");
    let p = plan_of(&inv);
    let coloured = plan::text::render_styled(&p, false, true);
    assert!(coloured.contains('\x1b'));
    assert_eq!(strip_ansi(&coloured), plan::text::render(&p, false));
    let coloured = crossport::report::text::render_styled(&inv, false, true);
    assert!(coloured.contains('\x1b'));
    assert_eq!(
        strip_ansi(&coloured),
        crossport::report::text::render(&inv, false)
    );
}

#[test]
fn no_colour_in_a_pipe_and_reports_via_cli() {
    let bin = env!("CARGO_BIN_EXE_crossport");
    for cmd in ["scan", "plan"] {
        let out = std::process::Command::new(bin)
            .args([cmd, "fixtures/django_basic", "-q"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('\x1b'), "colour in a pipe");
        assert!(text.contains("effort:"), "{text}");
        let dir = tempfile::tempdir().unwrap();
        for (fmt, marker) in [("markdown", "## crossport"), ("html", "<!DOCTYPE html>")] {
            let path = dir.path().join(format!("report.{fmt}"));
            let out = std::process::Command::new(bin)
                .args([cmd, "fixtures/django_basic", "-q", "--format", fmt, "-o"])
                .arg(&path)
                .output()
                .unwrap();
            assert!(out.status.success(), "{cmd} --format {fmt}");
            let body = std::fs::read_to_string(&path).unwrap();
            assert!(body.starts_with(marker), "{cmd} {fmt}: {}", &body[..80]);
        }
    }
}
