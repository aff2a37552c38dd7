//! One Django view per Flask route (a stub pointing at the original function, with the URL
//! parameters, the methods and the login requirement the route had) and one Celery task stub
//! per task, registered under the task's existing name so queued messages still find it.

use super::django_models::Placement;
use super::django_urls::{PortRoute, Urls, route_methods, stub_message};
use super::{Construct, Draft, Todo, py_ident, py_str, wrap_call, wrap_seq};
use crate::inventory::Inventory;
use std::collections::{BTreeMap, BTreeSet};

/// Writes `<app>/views.py` for every app (empty apps get a module with no views).
pub fn generate(inv: &Inventory, urls: &Urls, draft: &mut Draft) {
    let flask_login = inv.auth.iter().any(|a| a.system == "flask_login");
    for app in draft.apps.clone() {
        let mine: Vec<_> = urls.routes.iter().filter(|r| r.app == app).collect();
        let mut body = String::new();
        let mut need_login = false;
        for r in &mine {
            let route = &r.route;
            body.push_str("\n\n");
            for t in r.todos.iter().filter(|t| t.place.ends_with("views.py")) {
                body.push_str(&t.comment());
                body.push('\n');
            }
            let mut methods: BTreeSet<String> = route
                .methods
                .iter()
                .map(|m| m.to_ascii_uppercase())
                .collect();
            // werkzeug answers HEAD wherever it answers GET.
            if methods.contains("GET") {
                methods.insert("HEAD".into());
            }
            if !methods.is_empty() {
                let list: Vec<String> = methods.iter().map(|m| py_str(m)).collect();
                body.push_str(&methods_decorator(&list));
            }
            if flask_login
                && route
                    .auth
                    .iter()
                    .any(|a| a == "login_required" || a.ends_with(".login_required"))
            {
                body.push_str("@login_required\n");
                need_login = true;
            }
            let mut params = vec!["request".to_string()];
            params.extend(r.params.iter().map(|p| py_ident(p)));
            let origin = route
                .view
                .clone()
                .unwrap_or_else(|| "an unnamed view".into());
            body.push_str(&wrap_call(
                0,
                &format!("def {}(", r.view_name),
                &params,
                "):",
            ));
            // Flask lists no methods for a HEAD- or OPTIONS-only rule.
            let what = format!("{} {}", route.methods.join(", "), route.rule);
            body.push_str(&format!(
                "    \"\"\"{}: ported from `{origin}` ({}:{}).\"\"\"\n",
                what.trim_start(),
                route.file,
                route.line,
            ));
            body.push_str(&not_implemented(&stub_message(route)));
        }
        let mut shared: BTreeMap<&str, Vec<&PortRoute>> = BTreeMap::new();
        for r in &mine {
            if let Some(sh) = &r.shared {
                shared.entry(&sh.dispatcher).or_default().push(r);
            }
        }
        for (name, routes) in &shared {
            body.push_str(&dispatcher(name, routes));
        }
        let mut head = format!(
            "\"\"\"Views of `{app}`: one stub per Flask route, to fill in from the original code.\"\"\"\n"
        );
        if !mine.is_empty() {
            head.push('\n');
            if need_login {
                head.push_str("from django.contrib.auth.decorators import login_required\n");
            }
            if !shared.is_empty() {
                head.push_str("from django.http import HttpResponseNotAllowed\n");
            }
            head.push_str("from django.views.decorators.http import require_http_methods\n");
        }
        draft.files.insert(format!("{app}/views.py"), head + &body);
    }
}

/// `<app>/tasks.py` with a stub per Celery task; other queues' jobs and CLI commands are TODOs.
pub fn tasks(inv: &Inventory, placement: &Placement, draft: &mut Draft) {
    let mut per_app: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for j in &inv.jobs {
        let module = j.function.as_deref().unwrap_or(&j.name);
        let app = placement.app_for_module(module);
        let place = format!("{app}/tasks.py");
        let func = module.rsplit('.').next().unwrap_or(module);
        let mut construct = Construct {
            kind: "job",
            source: format!("{} {}", j.kind, j.name),
            file: j.file.clone(),
            line: j.line,
            generated: String::new(),
            detail: BTreeMap::new(),
            todos: Vec::new(),
        };
        let block = if j.kind == "celery" {
            let mut name = py_ident(func);
            let mut n = 2;
            while !used.insert(format!("{app}.{name}")) {
                name = format!("{}_{n}", py_ident(func));
                n += 1;
            }
            construct.generated = format!("{place}: {name}");
            construct.detail.insert("task_name".into(), j.name.clone());
            let mut b = wrap_call(
                0,
                "@shared_task(",
                &[format!("name={}", py_str(&j.name))],
                ")",
            );
            b.push_str(&format!(
                "def {name}(*args, **kwargs):\n    \"\"\"Ported from `{module}` ({}:{}).\"\"\"\n",
                j.file, j.line
            ));
            b.push_str(&not_implemented(&format!(
                "port {module} from {}:{}",
                j.file, j.line
            )));
            if let Some(s) = &j.schedule {
                let t = job_todo(
                    j,
                    &place,
                    "CP604",
                    format!("schedule `{s}` is not carried over: add it to CELERY_BEAT_SCHEDULE"),
                );
                b = format!("{}\n{b}", t.comment());
                construct.todos.push(t.code);
                draft.todos.push(t);
            }
            b
        } else {
            let (code, what) = match j.kind.as_str() {
                "flask_cli" => ("CP605", "Flask CLI command: write a management command"),
                _ => ("CP606", "job of another queue: adapt it to Django"),
            };
            let t = job_todo(j, &place, code, format!("{} `{}` ({what})", j.kind, j.name));
            construct.generated = format!("{place}: TODO");
            construct.todos.push(t.code);
            let c = t.comment();
            draft.todos.push(t);
            format!("{c}\n")
        };
        draft.constructs.push(construct);
        per_app.entry(app).or_default().push(block);
    }
    for (app, blocks) in per_app {
        let celery = blocks.iter().any(|b| b.contains("@shared_task"));
        let mut o = format!(
            "\"\"\"Background jobs of `{app}`: stubs registered under the names the Flask app used.\"\"\"\n"
        );
        if celery {
            o.push_str("\nfrom celery import shared_task\n");
        }
        for b in blocks {
            o.push_str("\n\n");
            o.push_str(&b);
        }
        draft.files.insert(format!("{app}/tasks.py"), o);
    }
}

/// `@require_http_methods([...])` as ruff formats it: on one line when it fits, else the list
/// on its own line inside the call (nine methods at most: the list always fits there).
fn methods_decorator(list: &[String]) -> String {
    let joined = format!("[{}]", list.join(", "));
    wrap_call(0, "@require_http_methods(", &[joined], ")")
}

/// The stub's body: what to port, and from where.
fn not_implemented(message: &str) -> String {
    wrap_call(4, "raise NotImplementedError(", &[py_str(message)], ")")
}

/// The view a URL shared by several routes resolves to: each method goes to its route's stub
/// (HEAD to the GET one, as werkzeug does), any other method is refused with 405.
fn dispatcher(name: &str, routes: &[&PortRoute]) -> String {
    let mut table: BTreeMap<String, &str> = BTreeMap::new();
    for r in routes {
        for m in route_methods(&r.route) {
            table.insert(m, &r.view_name);
        }
    }
    if let Some(get) = table.get("GET").copied() {
        table.entry("HEAD".into()).or_insert(get);
    }
    let first = routes[0];
    let mut params = vec!["request".to_string()];
    params.extend(first.params.iter().map(|p| py_ident(p)));
    let mut o = String::from("\n\n");
    o.push_str(&wrap_call(0, &format!("def {name}("), &params, "):"));
    o.push_str(&format!(
        "    \"\"\"{}: Flask sent each method to its own view.\"\"\"\n",
        first.route.rule
    ));
    let entries: Vec<String> = table
        .iter()
        .map(|(m, v)| format!("{}: {v}", py_str(m)))
        .collect();
    o.push_str(&wrap_seq(4, "views = {", &entries, "}"));
    o.push_str("    if request.method not in views:\n");
    o.push_str("        return HttpResponseNotAllowed(list(views))\n");
    let mut call_args = vec!["request".to_string()];
    call_args.extend(first.params.iter().map(|p| format!("{0}={0}", py_ident(p))));
    o.push_str(&wrap_call(
        4,
        "return views[request.method](",
        &call_args,
        ")",
    ));
    o
}

fn job_todo(j: &crate::inventory::Job, place: &str, code: &'static str, reason: String) -> Todo {
    Todo {
        code,
        kind: "job",
        construct: j.name.clone(),
        reason,
        file: j.file.clone(),
        line: j.line,
        place: place.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_decorator_wraps_like_ruff() {
        let quoted = |ms: &[&str]| ms.iter().map(|m| py_str(m)).collect::<Vec<_>>();
        assert_eq!(
            methods_decorator(&quoted(&["GET", "HEAD"])),
            "@require_http_methods([\"GET\", \"HEAD\"])\n"
        );
        let all = [
            "CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE",
        ];
        let out = methods_decorator(&quoted(&all));
        assert!(
            out.starts_with("@require_http_methods(\n    [\"CONNECT\", "),
            "{out}"
        );
        assert!(out.ends_with("\"TRACE\"]\n)\n"), "{out}");
        assert_eq!(out.lines().count(), 3, "{out}");
    }
}
