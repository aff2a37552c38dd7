//! Connexion (2.x): routes declared in an OpenAPI or Swagger specification
//! the project ships. `connexion.App(__name__, specification_dir=...)` is a
//! Flask app whose `add_api("spec.yaml", base_path=...)` reads the file
//! (relative to the specification folder, itself relative to the module's
//! folder); `FlaskApi(specification=<dict>, base_path=...)` takes the spec
//! already loaded and exposes its `.blueprint`. Either way the blueprint is
//! named after the base path and prefixed with it (by default the spec's
//! `servers[0].url` path, or `basePath`), and holds one rule per operation:
//! `{name}` becomes `<name>`, `<int:name>`, `<float:name>` or `<path:name>`
//! by the parameter's type (`$ref`s followed), the endpoint is the
//! `operationId` with dots as underscores. The spec itself is served at
//! `/openapi.json` and `.yaml` (`/swagger.*` for Swagger 2) unless
//! `serve_spec` is off; the console UI depends on an installed package or
//! on options, and is one unresolved route when they do not settle it.

use super::builtins::{Declared, Flask, Node, View, node_of};
use crate::python::interp::{Cx, HostValue, Val, join_path, parent_path};
use crate::python::ir::Call;
use std::any::Any;
use std::rc::Rc;

/// Connexion's app classes (a Flask app underneath).
pub const APP_CLASSES: &[&str] = &[
    "connexion.App",
    "connexion.FlaskApp",
    "connexion.apps.flask_app.FlaskApp",
];

/// Connexion's API class for Flask.
const API_CLASSES: &[&str] = &[
    "connexion.FlaskApi",
    "connexion.apis.FlaskApi",
    "connexion.apis.flask_api.FlaskApi",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The kind of route this module declares.
const KIND: &str = "connexion";

/// Where an app's `add_api` finds a specification given by file name.
const SPEC_DIR: &str = "specification_dir";

/// The options an app gives every API it adds (each API's own win).
const APP_OPTIONS: &str = "options";

/// `FlaskApi(...)`: its blueprint.
#[derive(Debug)]
struct Api {
    blueprint: Rc<Node>,
}

impl HostValue for Api {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A connexion app just made: where its `add_api` reads specifications.
pub fn made_app(cx: &Cx, app: &Val, c: &Call) {
    let Some(node) = node_of(app) else { return };
    let module_dir = parent_path(&cx.source().path);
    // App(import_name, server, ..., **kwargs): specification_dir and options
    // are keywords
    let options = c.kwarg("options").map(|e| cx.eval(e)).unwrap_or(Val::None);
    let dir = match c.kwarg(SPEC_DIR).map(|e| cx.eval(e)) {
        None => Some(module_dir),
        Some(Val::Str(d)) => join_path(&module_dir, &d),
        Some(_) => None,
    };
    let dir = dir.map_or_else(
        || Val::Unknown("specification_dir not known statically".into()),
        Val::Str,
    );
    node.set(SPEC_DIR, dir);
    node.set(APP_OPTIONS, options);
    // `app.app` is the Flask app: the same object here
    node.set("app", app.clone());
}

/// `FlaskApi(specification, base_path=...)`.
pub fn call(flask: &Flask, cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
    if !API_CLASSES.contains(&canonical) {
        return None;
    }
    let spec = c.arg(0, "specification").map(|e| cx.eval(e));
    let spec = match spec {
        Some(d @ Val::Dict(_)) => Ok(d),
        Some(Val::Str(_)) => Err("a specification file given to FlaskApi directly".to_string()),
        _ => Err("the specification is not known statically".to_string()),
    };
    // FlaskApi(specification, base_path, arguments, swagger_json, swagger_ui,
    // swagger_path, swagger_url, validate_responses, strict_validation,
    // resolver, auth_all_paths, debug, resolver_error_handler,
    // validator_map, pythonic_params, pass_context_arg_name, options)
    let options = c.kwarg("options").map(|e| cx.eval(e));
    let blueprint = api(flask, cx, spec, options, c);
    Some(Val::host(Api { blueprint }))
}

/// `api.blueprint`.
pub fn attr(recv: &Val, attr: &str) -> Option<Val> {
    let api = recv.downcast::<Api>()?;
    (attr == "blueprint").then(|| Val::Host(api.blueprint.clone()))
}

/// `app.add_api(specification, base_path=...)` on a connexion app.
pub fn add_api(flask: &Flask, cx: &Cx, app: Rc<Node>, c: &Call) -> Option<Val> {
    let dir = app.attr(SPEC_DIR)?;
    let options = match (
        app.attr(APP_OPTIONS),
        c.kwarg("options").map(|e| cx.eval(e)),
    ) {
        (Some(Val::Dict(mut base)), Some(Val::Dict(own))) => {
            base.retain(|(k, _)| !own.iter().any(|(o, _)| o.as_str() == k.as_str()));
            base.extend(own);
            Some(Val::Dict(base))
        }
        (Some(Val::None) | None, own) => own,
        (base, None | Some(Val::None)) => base,
        (Some(_), Some(_)) => Some(Val::Unknown("options not known statically".into())),
    };
    let spec = match (c.arg(0, "specification").map(|e| cx.eval(e)), dir) {
        (Some(d @ Val::Dict(_)), _) => Ok(d),
        (Some(Val::Str(file)), Val::Str(dir)) => join_path(&dir, &file)
            .and_then(|path| cx.load_data_file(&path))
            .ok_or_else(|| format!("specification {file} not read")),
        _ => Err("the specification is not known statically".to_string()),
    };
    let blueprint = api(flask, cx, spec, options, c);
    flask.edge(cx, c, app, blueprint, None, None);
    Some(Val::None)
}

/// The blueprint of an API and its rules.
fn api(
    flask: &Flask,
    cx: &Cx,
    spec: Result<Val, String>,
    options: Option<Val>,
    c: &Call,
) -> Rc<Node> {
    let at = (cx.source().path.clone(), c.pos.line);
    let declare = |node: &Rc<Node>, d: Declared| flask.declare(KIND, node.clone(), d, at.clone());
    // a file connexion serves itself (the specification, the console UI)
    let served = |node: &Rc<Node>, rule: String, endpoint: String| {
        let get = Some(Val::List(vec![Val::Str("GET".into())]));
        let d = Declared {
            rule: Val::Str(rule),
            endpoint: Some(Val::Str(endpoint)),
            methods: get,
            view: View::Unknown,
        };
        declare(node, d);
    };
    let spec = match spec {
        Ok(s) => s,
        Err(why) => {
            let node = flask.blueprint(Val::Unknown(why.clone()), Val::Unknown(why.clone()));
            declare(&node, Declared::unknown(why));
            return node;
        }
    };
    let oas3 = spec
        .dict_get("openapi")
        .and_then(|v| v.as_str())
        .is_some_and(|v| v.starts_with('3'));
    // a base path given is used as it is; the spec's loses a trailing slash
    let base = match c.arg(1, "base_path").map(|e| cx.eval(e)) {
        Some(Val::Str(b)) => Ok(b),
        None | Some(Val::None) => {
            spec_base_path(&spec, oas3).map(|b| b.trim_end_matches('/').to_string())
        }
        Some(_) => Err("base_path not known statically".to_string()),
    };
    let node = match &base {
        Ok(b) => flask.blueprint(Val::Str(b.replace('.', "_")), Val::Str(b.clone())),
        Err(why) => flask.blueprint(Val::Unknown(why.clone()), Val::Unknown(why.clone())),
    };
    let option = |name: &str| match &options {
        None | Some(Val::None) => None,
        Some(o @ Val::Dict(_)) => o.dict_get(name).cloned(),
        Some(other) => Some(other.clone()),
    };
    let name = match &base {
        Ok(b) => b.replace('.', "_"),
        Err(_) => String::new(),
    };
    // the specification, served as JSON and YAML
    let serve = option("serve_spec").or_else(|| option("swagger_json"));
    match serve {
        None | Some(Val::Bool(true)) => {
            let json = if oas3 {
                "/openapi.json"
            } else {
                "/swagger.json"
            };
            let given = option("openapi_spec_path");
            let json = match &given {
                Some(Val::Str(p)) => p.as_str(),
                _ => json,
            };
            served(&node, json.into(), format!("{name}_openapi_json"));
            if let Some(stem) = json.strip_suffix("json") {
                served(&node, format!("{stem}yaml"), format!("{name}_openapi_yaml"));
            }
        }
        Some(Val::Bool(false)) => {}
        Some(_) => declare(&node, Declared::unknown("serve_spec not known statically")),
    }
    // the console UI: on when asked for and a folder of its files is given
    // (or the swagger_ui_bundle package is installed, which is not known here)
    let ui = match (option("swagger_ui"), option("swagger_path")) {
        (Some(Val::Bool(false)), _) => Ok(false),
        (None | Some(Val::Bool(true)), Some(Val::Str(_))) => Ok(true),
        (None | Some(Val::Bool(true)), _) => {
            Err("the console UI is served when swagger_ui_bundle is installed")
        }
        _ => Err("the console UI option is not known statically"),
    };
    match ui {
        Ok(true) => {
            let ui_path = match option("swagger_url") {
                Some(Val::Str(p)) => p.trim_matches('/').to_string(),
                _ => "ui".to_string(),
            };
            let static_files = format!("/{ui_path}/<path:filename>");
            served(&node, static_files, format!("{name}_swagger_ui_static"));
            served(
                &node,
                format!("/{ui_path}/"),
                format!("{name}_swagger_ui_index"),
            );
        }
        Ok(false) => {}
        Err(why) => declare(&node, Declared::unknown(why)),
    }
    let Some(Val::Dict(paths)) = spec.dict_get("paths") else {
        return node;
    };
    for (path, item) in paths {
        let (Val::Str(path), Val::Dict(_)) = (path, item) else {
            continue;
        };
        let shared = params(&spec, item.dict_get("parameters"));
        for &method in METHODS {
            let Some(op) = item.dict_get(method) else {
                continue;
            };
            let mut all = shared.clone();
            for (n, t) in params(&spec, op.dict_get("parameters")) {
                all.retain(|(m, _)| *m != n);
                all.push((n, t));
            }
            let rule = flaskify(path, &all);
            let op_id = op
                .dict_get("operationId")
                .and_then(|v| v.as_str())
                .map(String::from);
            // the handler connexion imports by that name (whether or not the
            // scan read its module)
            let view = match &op_id {
                Some(id) => View::Function(
                    Some(id.clone()),
                    id.rsplit('.').next().unwrap_or(id).to_string(),
                ),
                None => View::Unknown,
            };
            let d = Declared {
                rule: Val::Str(rule),
                endpoint: op_id.map(|id| Val::Str(id.replace('.', "_"))),
                methods: Some(Val::List(vec![Val::Str(method.to_ascii_uppercase())])),
                view,
            };
            declare(&node, d);
        }
    }
    node
}

/// The base path a specification declares: OAS3's first server URL's path
/// (its variables at their defaults), Swagger 2's `basePath`.
fn spec_base_path(spec: &Val, oas3: bool) -> Result<String, String> {
    if !oas3 {
        return Ok(spec
            .dict_get("basePath")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string());
    }
    let Some(Val::List(servers)) = spec.dict_get("servers") else {
        return Ok(String::new());
    };
    let Some(server) = servers.first() else {
        return Ok(String::new());
    };
    let mut url = server
        .dict_get("url")
        .and_then(|u| u.as_str())
        .ok_or("a server URL not known")?
        .to_string();
    if let Some(Val::Dict(vars)) = server.dict_get("variables") {
        for (k, v) in vars {
            if let (Some(k), Some(d)) = (k.as_str(), v.dict_get("default").and_then(|d| d.as_str()))
            {
                url = url.replace(&format!("{{{k}}}"), d);
            }
        }
    }
    // urlsplit(url).path
    let rest = match url.split_once("://") {
        Some((_, r)) => r.find('/').map_or("", |i| &r[i..]).to_string(),
        None => url,
    };
    Ok(rest.split(['?', '#']).next().unwrap_or("").to_string())
}

/// `(name, type)` of the path parameters in a `parameters` list.
fn params(spec: &Val, list: Option<&Val>) -> Vec<(String, Option<String>)> {
    let Some(Val::List(items)) = list else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|p| {
            let p = deref(spec, p, 0)?;
            if p.dict_get("in").and_then(|v| v.as_str()) != Some("path") {
                return None;
            }
            let name = p.dict_get("name")?.as_str()?.to_string();
            // OAS3 types the parameter through its schema, Swagger 2 directly
            let typed = match p.dict_get("schema") {
                Some(s) => deref(spec, s, 0)?,
                None => p,
            };
            let kind = typed.dict_get("type").and_then(|v| v.as_str());
            let format = typed.dict_get("format").and_then(|v| v.as_str());
            let t = match (kind, format) {
                (Some("string"), Some("path")) => Some("path".to_string()),
                (k, _) => k.map(String::from),
            };
            Some((name, t))
        })
        .collect()
}

/// A value with its local `$ref` (`#/components/parameters/X`) followed.
fn deref<'v>(spec: &'v Val, v: &'v Val, depth: usize) -> Option<&'v Val> {
    let Some(r) = v.dict_get("$ref").and_then(|r| r.as_str()) else {
        return Some(v);
    };
    if depth > 8 {
        return None;
    }
    let mut cur = spec;
    for part in r.strip_prefix("#/")?.split('/') {
        cur = cur.dict_get(&part.replace("~1", "/").replace("~0", "~"))?;
    }
    deref(spec, cur, depth + 1)
}

/// `/a/{b}` as a werkzeug rule (connexion's `flaskify_path`).
fn flaskify(path: &str, types: &[(String, Option<String>)]) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        let converter =
            types
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, t)| match t.as_deref() {
                    Some("integer") => Some("int"),
                    Some("number") => Some("float"),
                    Some("path") => Some("path"),
                    _ => None,
                });
        let name = name.replace('-', "_");
        match converter {
            Some(c) => out.push_str(&format!("<{c}:{name}>")),
            None => out.push_str(&format!("<{name}>")),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}
