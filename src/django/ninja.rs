//! django-ninja as built-ins: `NinjaAPI` and `Router` objects, the operations
//! their verb decorators register (`@api.get("/items/{id}")`), `add_router`,
//! and `api.urls`, the URL patterns ninja builds from them: one per
//! operation, the routers' prefixes joined with `/`, `{x}` written `<x>`,
//! behind the API's OpenAPI and docs URLs and before its root.

use super::builtins::{Dj, Include, UrlEntry};
use crate::python::interp::{Cx, HostValue, Val};
use crate::python::ir::{Call, Expr, FuncDef, Pos};
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

/// A `NinjaAPI` (with its default router's operations) or a `Router`.
#[derive(Debug)]
pub struct Node {
    api: bool,
    /// `urls_namespace`, or `api-<version>`.
    namespace: Val,
    openapi_url: Val,
    docs_url: Val,
    ops: RefCell<Vec<Operation>>,
    routers: RefCell<Vec<(Val, Rc<Node>)>>,
    module: String,
    file: String,
    pos: Pos,
}

#[derive(Debug)]
struct Operation {
    path: Val,
    view: String,
    name: String,
    file: String,
    pos: Pos,
}

/// `api.get("/x")` before it is applied to the view function.
#[derive(Debug)]
pub struct Pending {
    node: Rc<Node>,
    path: Val,
    url_name: Option<Val>,
}

impl HostValue for Node {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl HostValue for Pending {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

const VERBS: &[&str] = &["get", "post", "put", "patch", "delete"];

/// Whether a class is ninja's API or router class: `Some(true)` for the API.
pub fn kind_of(class: &str) -> Option<bool> {
    match class {
        "ninja.NinjaAPI" | "ninja.main.NinjaAPI" => Some(true),
        "ninja.Router" | "ninja.router.Router" => Some(false),
        _ => None,
    }
}

/// A new API or router made by the call `c`.
pub fn make(cx: &Cx, api: bool, c: &Call) -> Val {
    let kw = |name: &str, default: Val| c.kwarg(name).map_or(default, |e| cx.eval(e));
    let namespace = match kw("urls_namespace", Val::None) {
        Val::None => match kw("version", Val::Str("1.0.0".into())) {
            Val::Str(v) => Val::Str(format!("api-{v}")),
            other => other,
        },
        ns => ns,
    };
    let m = cx.source();
    Val::host(Node {
        api,
        namespace,
        openapi_url: kw("openapi_url", Val::Str("/openapi.json".into())),
        docs_url: kw("docs_url", Val::Str("/docs".into())),
        ops: RefCell::new(Vec::new()),
        routers: RefCell::new(Vec::new()),
        module: m.module.clone(),
        file: m.path.clone(),
        pos: c.pos,
    })
}

/// `api.get(path)`, `router.api_operation(methods, path)`, `add_router(prefix, router)`.
pub fn method(cx: &Cx, recv: &Val, method: &str, c: &Call) -> Option<Val> {
    let node = recv.downcast_rc::<Node>()?;
    let path = match method {
        m if VERBS.contains(&m) => c.arg(0, "path"),
        "api_operation" => c.arg(1, "path"),
        "add_router" => {
            let prefix = c
                .arg(0, "prefix")
                .map_or(Val::Str(String::new()), |e| cx.eval(e));
            // a dotted path is imported, as ninja does with `import_string`
            let child = match c.arg(1, "router").map(|e| cx.eval(e))? {
                Val::Str(path) => cx.import_string(&path),
                v => v,
            }
            .downcast_rc::<Node>()?;
            node.routers.borrow_mut().push((prefix, child));
            return Some(Val::None);
        }
        _ => return None,
    };
    Some(Val::host(Pending {
        node,
        path: path.map_or(Val::Unknown("operation without a path".into()), |e| {
            cx.eval(e)
        }),
        url_name: c.kwarg("url_name").map(|e| cx.eval(e)),
    }))
}

/// A pending operation applied to its view function.
pub fn decorate(cx: &Cx, decorator: &Val, f: &FuncDef) -> bool {
    let Some(p) = decorator.downcast::<Pending>() else {
        return false;
    };
    let m = cx.source();
    let name = match &p.url_name {
        Some(Val::Str(n)) if !n.is_empty() => n.clone(),
        _ => f.name.to_string(),
    };
    p.node.ops.borrow_mut().push(Operation {
        path: p.path.clone(),
        view: format!("{}.{}", m.module, f.name),
        name,
        file: m.path.clone(),
        pos: f.pos,
    });
    true
}

/// `api.urls`: ninja's URL patterns under the API's namespace, as an include.
pub fn urls(recv: &Val) -> Option<Val> {
    let api = recv.downcast_rc::<Node>().filter(|n| n.api)?;
    let mut out = Vec::new();
    let own = |route: &Val, view: &str, name: &str, file: &str, pos: Pos| {
        Val::host(Dj::Url(UrlEntry {
            kind: "ninja",
            pattern: route.clone(),
            view: Expr::Resolved(view.into()),
            view_val: None,
            name: Some(name.to_string()),
            module: api.module.clone(),
            file: file.to_string(),
            pos,
        }))
    };
    for (url, name, view) in [
        (
            &api.openapi_url,
            "openapi-json",
            "ninja.openapi.views.openapi_json",
        ),
        (
            &api.docs_url,
            "openapi-view",
            "ninja.openapi.views.openapi_view",
        ),
    ] {
        match url {
            Val::None => {}
            Val::Str(u) => out.push(own(
                &Val::Str(u.trim_start_matches('/').into()),
                view,
                name,
                &api.file,
                api.pos,
            )),
            other => out.push(own(other, view, name, &api.file, api.pos)),
        }
    }
    let mut stack = vec![(Val::Str(String::new()), api.clone())];
    let mut seen = 0;
    while let Some((prefix, node)) = stack.pop() {
        seen += 1;
        if seen > 256 {
            break;
        }
        // operations of one path stay together, in the order paths appeared
        let ops = node.ops.borrow();
        let mut paths: Vec<&Val> = Vec::new();
        for op in ops.iter() {
            if !paths.iter().any(|p| same(p, &op.path)) {
                paths.push(&op.path);
            }
        }
        for path in paths {
            let route = join(&prefix, path);
            for op in ops.iter().filter(|o| same(&o.path, path)) {
                out.push(own(&route, &op.view, &op.name, &op.file, op.pos));
            }
        }
        // children after their parent, in the order they were added
        for (p, child) in node.routers.borrow().iter().rev() {
            stack.push((join(&prefix, p), child.clone()));
        }
    }
    out.push(own(
        &Val::Str(String::new()),
        "ninja.openapi.views.default_home",
        "api-root",
        &api.file,
        api.pos,
    ));
    Some(Val::host(Dj::Include(Include {
        target: Val::List(out),
        namespace: api.namespace.as_str().map(String::from),
        module: api.module.clone(),
    })))
}

fn same(a: &Val, b: &Val) -> bool {
    matches!((a, b), (Val::Str(x), Val::Str(y)) if x == y)
}

/// ninja's route for a prefix and a path: the non-empty parts joined with
/// `/`, doubled slashes collapsed, no leading slash, `{x}` written `<x>`.
fn join(prefix: &Val, path: &Val) -> Val {
    let (Val::Str(a), Val::Str(b)) = (prefix, path) else {
        let why = [prefix, path]
            .into_iter()
            .find_map(|v| match v {
                Val::Unknown(w) => Some(w.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "a ninja path not known statically".into());
        return Val::Unknown(why);
    };
    let mut route = [a.as_str(), b.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    while route.contains("//") {
        route = route.replace("//", "/");
    }
    Val::Str(
        route
            .trim_start_matches('/')
            .replace('{', "<")
            .replace('}', ">"),
    )
}
