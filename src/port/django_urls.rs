//! Flask routes -> Django URL patterns: werkzeug converters to path converters (float and
//! `any(...)` through converters registered by the project), one `urls.py` per app, patterns
//! ordered the way werkzeug matches (static before variable parts).

use super::{Construct, Draft, Todo, camel, py_ident, py_str, wrap_call};
use crate::flask::rule::{Part, parse_rule};
use crate::inventory::{Inventory, Route, UrlConverter};
use crate::plan::convert::{flask_rule_to_django, regex_escape};
use crate::plan::flask_to_django::Grouping;
use std::collections::{BTreeMap, BTreeSet};

/// A route as it will be served by Django.
#[derive(Debug, Clone)]
pub struct PortRoute {
    pub route: Route,
    pub app: String,
    /// The view function in `<app>/views.py`.
    pub view_name: String,
    /// The URL name inside the app's namespace.
    pub url_name: String,
    /// The `path(...)` / `re_path(...)` call, or None when no pattern could be written.
    pub pattern_call: Option<String>,
    /// URL parameters, in the order of the rule.
    pub params: Vec<String>,
    pub todos: Vec<Todo>,
    /// Set when Flask split this URL by method between several routes.
    pub shared: Option<SharedUrl>,
}

/// A URL several routes share: it resolves to one function in `<app>/views.py` that hands each
/// method to its route's view, under the URL name of the first pattern.
#[derive(Debug, Clone)]
pub struct SharedUrl {
    pub dispatcher: String,
    pub resolves_as: String,
}

/// The app's routes and the converters the project must register.
#[derive(Debug, Default)]
pub struct Urls {
    pub routes: Vec<PortRoute>,
    /// Converter class -> (registered name, regex, Python type for to_python).
    pub converters: BTreeMap<String, (String, String, &'static str)>,
}

/// The routes a port serves: the application's own, not static files or third-party views.
pub fn routes_to_port(inv: &Inventory) -> Vec<&Route> {
    inv.routes
        .iter()
        .filter(|r| !r.third_party && r.kind != "static")
        .collect()
}

/// Labels a Django app cannot take: Django's own apps, the packages the project imports, and
/// Python's standard modules (an app package named `array` or `queue` is shadowed by them).
const TAKEN_LABELS: &[&str] = &[
    "admin",
    "auth",
    "contenttypes",
    "sessions",
    "messages",
    "staticfiles",
    "django",
    "celery",
    "flask",
    "jinja2",
    "werkzeug",
    "sqlalchemy",
    "ruff",
    "test",
    "tests",
    // Python 3.11's `sys.stdlib_module_names`, the private ones aside
    "abc",
    "aifc",
    "antigravity",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "bisect",
    "builtins",
    "bz2",
    "cProfile",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "distutils",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msilib",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "nt",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtpd",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "textwrap",
    "this",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "turtledemo",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "winsound",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];

/// The app the plan proposes for a route, renamed when Django or Python has the label.
pub fn app_of(grouping: &Grouping, r: &Route) -> String {
    let app = grouping.app(r);
    if TAKEN_LABELS.contains(&app.as_str()) {
        format!("{app}_app")
    } else {
        app
    }
}

/// The Django apps: the plan's proposal for the routes, `core` when there are none.
pub fn app_names(inv: &Inventory, routes: &[&Route]) -> Vec<String> {
    let grouping = Grouping::for_size(routes, inv.stats.lines);
    let mut apps: BTreeSet<String> = routes.iter().map(|r| app_of(&grouping, r)).collect();
    if apps.is_empty() {
        apps.insert("core".into());
    }
    apps.into_iter().collect()
}

/// werkzeug's order, roughly: rules without variables first, then longer rules, then per
/// segment static before variable and `path` last (Django tries patterns in list order).
/// See `match_order`.
pub type MatchOrder = (bool, isize, Vec<(u8, isize, u16)>);

pub fn match_order(rule: &str) -> MatchOrder {
    // Per segment: how many variables, more literal text first (`<id>.png` before `<id>`), then
    // the converters' weights as werkzeug ranks them (numbers 50, most 100, path 200).
    let weights: Vec<(u8, isize, u16)> = rule
        .trim_start_matches('/')
        .split('/')
        .map(|seg| {
            let vars = seg.matches('<').count() as u8;
            let vars = if seg.contains("<path:") { 9 } else { vars };
            let parts = parse_rule(seg);
            let weight: u16 = parts
                .iter()
                .map(|p| match p {
                    Part::Lit(_) => 0,
                    Part::Var { conv, .. } => match conv.as_str() {
                        "int" | "float" => 50,
                        "path" => 200,
                        _ => 100,
                    },
                })
                .sum();
            let literal: usize = parts
                .iter()
                .map(|p| match p {
                    Part::Lit(s) => s.len(),
                    Part::Var { .. } => 0,
                })
                .sum();
            (vars, -(literal as isize), weight)
        })
        .collect();
    let segments = weights.len() as isize;
    (weights.iter().any(|w| w.0 > 0), -segments, weights)
}

/// Converts every route and writes one `urls.py` per app.
pub fn generate(inv: &Inventory, routes: &[&Route], apps: &[String], draft: &mut Draft) -> Urls {
    let grouping = Grouping::for_size(routes, inv.stats.lines);
    let flask_login = inv.auth.iter().any(|a| a.system == "flask_login");
    let mut out = Urls::default();
    let mut used_views: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut used_names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in routes {
        let app = app_of(&grouping, r);
        let func = r
            .view
            .as_deref()
            .and_then(|v| v.rsplit('.').next())
            .unwrap_or("view");
        let view_name = unique(used_views.entry(app.clone()).or_default(), &py_ident(func));
        let ep_last = r
            .endpoint
            .as_deref()
            .map(|e| e.rsplit('.').next().unwrap_or(e))
            .unwrap_or(func);
        let url_name = unique(
            used_names.entry(app.clone()).or_default(),
            &py_ident(ep_last),
        );
        let mut pr = PortRoute {
            route: (*r).clone(),
            app: app.clone(),
            view_name,
            url_name,
            pattern_call: None,
            params: Vec::new(),
            todos: Vec::new(),
            shared: None,
        };
        convert(&mut pr, &mut out.converters, &inv.converters, flask_login);
        out.routes.push(pr);
    }
    share_urls(&mut out.routes, &mut used_views);
    shadowed_by_method(&mut out.routes);
    for app in apps {
        let mut mine: Vec<&PortRoute> = out.routes.iter().filter(|p| &p.app == app).collect();
        mine.sort_by_key(|p| django_order(p));
        draft.files.insert(
            format!("{app}/urls.py"),
            urls_py(app, &mine, !out.converters.is_empty(), &draft.project),
        );
        for p in mine {
            let mut detail = BTreeMap::new();
            detail.insert("rule".into(), p.route.rule.clone());
            detail.insert("url_name".into(), format!("{app}:{}", p.url_name));
            match &p.shared {
                Some(sh) => {
                    detail.insert("view".into(), format!("{app}.views.{}", sh.dispatcher));
                    detail.insert("resolves_as".into(), format!("{app}:{}", sh.resolves_as));
                    // Which stub the dispatcher must reach for each of the route's methods.
                    detail.insert("stub".into(), stub_message(&p.route));
                    detail.insert("methods".into(), route_methods(&p.route).join(","));
                }
                None => {
                    detail.insert("view".into(), format!("{app}.views.{}", p.view_name));
                }
            }
            detail.insert("served".into(), p.pattern_call.is_some().to_string());
            draft.constructs.push(Construct {
                kind: "route",
                source: format!("{} {}", p.route.methods.join(","), p.route.rule),
                file: p.route.file.clone(),
                line: p.route.line,
                generated: format!("{app}/urls.py: {app}:{}", p.url_name),
                detail,
                todos: p.todos.iter().map(|t| t.code).collect(),
            });
            draft.todos.extend(p.todos.iter().cloned());
        }
    }
    out
}

/// Where a route's pattern stands in its app's `urls.py`: werkzeug's order; a shared URL
/// resolves under the name of its first pattern, the first route's.
fn django_order(p: &PortRoute) -> (MatchOrder, bool) {
    let later = p
        .shared
        .as_ref()
        .is_some_and(|s| s.resolves_as != p.url_name);
    (match_order(&p.route.rule), later)
}

/// Routes that share one URL. Flask tells them apart by method; Django resolves a URL to one
/// view. Routes of one app and one module with the same variable names whose methods no earlier
/// route on the URL took share a dispatcher that hands each method to its route's view (every route keeps
/// its URL name, so `reverse()` still builds each). Any other route on the URL (a method taken
/// twice, another app or module, other variable names) would be shadowed: CP101, not served.
fn share_urls(routes: &mut [PortRoute], used_views: &mut BTreeMap<String, BTreeSet<String>>) {
    let pattern = |pr: &PortRoute| {
        let c = pr.pattern_call.as_deref().unwrap_or("");
        c.split(',').next().unwrap_or(c).to_string()
    };
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, pr) in routes.iter().enumerate() {
        if pr.pattern_call.is_some() {
            groups.entry(url_shape(&pattern(pr))).or_default().push(i);
        }
    }
    for members in groups.values_mut().filter(|m| m.len() > 1) {
        // Flask gives a method to the route registered first: source order within a module.
        // Across modules the order is the imports', which is not read: those stay CP101.
        members.sort_by(|&a, &b| {
            let (a, b) = (&routes[a].route, &routes[b].route);
            (&a.file, a.line).cmp(&(&b.file, b.line))
        });
        let first = &routes[members[0]];
        let (app, first_pattern) = (first.app.clone(), pattern(first));
        let first_view = format!("{}.views.{}", first.app, first.view_name);
        let mut taken: BTreeSet<String> = route_methods(&first.route).into_iter().collect();
        let mut sharing = vec![members[0]];
        for &i in &members[1..] {
            let pr = &routes[i];
            let methods = route_methods(&pr.route);
            if pr.app == app
                && pr.route.file == routes[members[0]].route.file
                && pattern(pr) == first_pattern
                && methods.iter().all(|m| !taken.contains(m))
            {
                taken.extend(methods);
                sharing.push(i);
                continue;
            }
            let pr = &mut routes[i];
            let reason = format!(
                "same URL as view `{first_view}` (Flask told them apart by method or by app): merge the two views and branch on request.method"
            );
            pr.todos.push(todo(pr, "CP101", reason));
            pr.pattern_call = None;
        }
        if sharing.len() < 2 {
            continue;
        }
        let first = &routes[members[0]];
        let shared = SharedUrl {
            dispatcher: unique(
                used_views.entry(app).or_default(),
                &format!("{}_by_method", first.view_name),
            ),
            resolves_as: first.url_name.clone(),
        };
        for i in sharing {
            let pr = &mut routes[i];
            let call = pr.pattern_call.take().unwrap_or_default();
            let own = format!(", views.{},", pr.view_name);
            let to = format!(", views.{},", shared.dispatcher);
            pr.pattern_call = Some(call.replacen(&own, &to, 1));
            pr.shared = Some(shared.clone());
        }
    }
}

/// Routes Django answers from an earlier pattern for some of their URLs and methods. Where two
/// rules match the same URLs (`/x/<int:id>` and `/x/<id>`), werkzeug
/// tries the next rule when the method does not match; Django answers from the first pattern,
/// whose view refuses the method (405). A later route that answers a method the earlier one
/// does not is partly shadowed: CP101 (its other URLs are still served).
fn shadowed_by_method(routes: &mut [PortRoute]) {
    let segs: Vec<Option<Vec<Seg>>> = routes
        .iter()
        .map(|pr| {
            pr.pattern_call
                .as_deref()
                .filter(|c| c.starts_with("path("))
                .and_then(|_| segments(&pr.route.rule))
        })
        .collect();
    // What each route's URL view answers: its route's methods, or its whole dispatcher's.
    let mut by_dispatcher: BTreeMap<(&str, &str), BTreeSet<String>> = BTreeMap::new();
    for pr in routes.iter() {
        if let Some(sh) = &pr.shared {
            by_dispatcher
                .entry((&pr.app, &sh.dispatcher))
                .or_default()
                .extend(route_methods(&pr.route));
        }
    }
    let answers: Vec<BTreeSet<String>> = routes
        .iter()
        .map(|pr| {
            let mut m = match &pr.shared {
                Some(sh) => by_dispatcher[&(pr.app.as_str(), sh.dispatcher.as_str())].clone(),
                None => route_methods(&pr.route).into_iter().collect(),
            };
            if m.contains("GET") {
                m.insert("HEAD".into());
            }
            m
        })
        .collect();
    let mut order: Vec<usize> = (0..routes.len()).filter(|&i| segs[i].is_some()).collect();
    order.sort_by_key(|&i| (routes[i].app.clone(), django_order(&routes[i]), i));
    let mut found: Vec<(usize, String)> = Vec::new();
    for (k, &b) in order.iter().enumerate() {
        let mine = &answers[b];
        // The first pattern Django tries that matches some of this route's URLs.
        for &a in &order[..k] {
            if routes[a].app != routes[b].app
                || !overlap(segs[a].as_ref().unwrap(), segs[b].as_ref().unwrap())
            {
                continue;
            }
            let earlier = &answers[a];
            let lost: Vec<&str> = mine
                .iter()
                .filter(|m| !earlier.contains(*m))
                .map(String::as_str)
                .collect();
            if !lost.is_empty() {
                found.push((
                    b,
                    format!(
                        "some URLs of `{}` also match `{}`, which Django tries first: werkzeug hands {} on them to this view, Django answers them from that pattern (405); merge the views",
                        routes[b].route.rule,
                        routes[a].route.rule,
                        lost.join(", ")
                    ),
                ));
            }
            break;
        }
    }
    for (b, reason) in found {
        let pr = &mut routes[b];
        pr.todos.push(todo(pr, "CP101", reason));
    }
}

/// One path segment of a Flask rule.
enum Seg {
    Lit(String),
    /// the converter
    Var(String),
}

/// The rule's segments when each is a literal or one variable; None for other rules.
fn segments(rule: &str) -> Option<Vec<Seg>> {
    rule.trim_start_matches('/')
        .split('/')
        .map(|s| match parse_rule(s).as_slice() {
            [] => Some(Seg::Lit(String::new())),
            [Part::Lit(l)] => Some(Seg::Lit(l.clone())),
            [Part::Var { conv, .. }] if conv != "path" => Some(Seg::Var(conv.clone())),
            _ => None,
        })
        .collect()
}

/// Whether a whole class of URLs matches both rules: the same literals, and in each variable
/// segment two converters that take common values (a plain string takes anything a number or a
/// uuid does; two typed converters differ unless they are the same). A literal against a
/// variable (`/x/new` and `/x/<name>`) meets on that one URL only, and is left alone.
fn overlap(a: &[Seg], b: &[Seg]) -> bool {
    let plain = |c: &str| matches!(c, "default" | "string");
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Seg::Lit(p), Seg::Lit(q)) => p == q,
            (Seg::Var(p), Seg::Var(q)) => p == q || plain(p) || plain(q),
            _ => false,
        })
        && a.iter()
            .zip(b)
            .any(|(x, y)| matches!((x, y), (Seg::Var(p), Seg::Var(q)) if p != q))
}

/// The methods a route answers, as Flask registers them (GET when none is given).
pub fn route_methods(r: &Route) -> Vec<String> {
    let mut m: Vec<String> = r.methods.iter().map(|m| m.to_ascii_uppercase()).collect();
    if m.is_empty() {
        m.push("GET".into());
    }
    m.sort();
    m.dedup();
    m
}

/// What the stub of a route raises until it is written: names the original view and its place.
pub fn stub_message(r: &Route) -> String {
    let origin = r.view.as_deref().unwrap_or("an unnamed view");
    format!("port {origin} from {}:{}", r.file, r.line)
}

/// A pattern without its variable names: `<int:a>` and `<int:b>` match the same URLs.
fn url_shape(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..=i]);
        let Some(j) = rest[i..].find('>') else {
            rest = &rest[i + 1..];
            continue;
        };
        let inner = &rest[i + 1..i + j];
        // `<int:name>` keeps the converter; `(?P<name>` keeps nothing of the name.
        if let Some((conv, _)) = inner.split_once(':') {
            out.push_str(conv);
        }
        out.push('>');
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    out
}

fn unique(used: &mut BTreeSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while !used.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

fn todo(pr: &PortRoute, code: &'static str, reason: String) -> Todo {
    Todo {
        code,
        kind: "route",
        construct: pr.route.rule.clone(),
        reason,
        file: pr.route.file.clone(),
        line: pr.route.line,
        place: format!("{}/urls.py", pr.app),
    }
}

/// The pattern for one route; converters Django lacks become registered ones or a TODO.
fn convert(
    pr: &mut PortRoute,
    converters: &mut BTreeMap<String, (String, String, &'static str)>,
    project_converters: &[UrlConverter],
    flask_login: bool,
) {
    let r = pr.route.clone();
    if !r.resolved {
        let why = r
            .reason
            .clone()
            .unwrap_or_else(|| "not resolved statically".into());
        pr.todos.push(todo(
            pr,
            "CP105",
            format!("URL rule `{}` could not be read ({why})", r.rule),
        ));
        return;
    }
    if let Some(sub) = &r.subdomain {
        pr.todos.push(todo(
            pr,
            "CP101",
            format!("served on subdomain `{sub}`: Django routes by path only (route by host in middleware)"),
        ));
    }
    for a in &r.auth {
        let is_login = a == "login_required" || a.ends_with(".login_required");
        if !(is_login && flask_login) {
            let mut t = todo(
                pr,
                "CP403",
                format!("auth `{a}` is not converted: re-express it as a Django permission check"),
            );
            t.place = format!("{}/views.py", pr.app);
            pr.todos.push(t);
        }
    }
    let body = r.rule.strip_prefix('/').unwrap_or(&r.rule);
    let mut pattern = String::new();
    let mut unsupported = Vec::new();
    for p in parse_rule(body) {
        match p {
            Part::Lit(s) => pattern.push_str(&s),
            Part::Var { conv, args, name } => {
                pr.params.push(name.clone());
                let own = project_converters
                    .iter()
                    .find(|p| p.name == conv && p.regex.is_some());
                let c = match (conv.as_str(), args.as_deref()) {
                    ("default" | "string", None) => "str".to_string(),
                    ("int" | "path" | "uuid", None) => conv.clone(),
                    ("float", None) => register(
                        converters,
                        "FloatConverter",
                        "float",
                        r"[0-9]+\.[0-9]+",
                        "float",
                    ),
                    ("any", Some(a)) => {
                        let alts: Vec<String> = a
                            .split(',')
                            .map(|x| x.trim().trim_matches(|c| c == '\'' || c == '"').to_string())
                            .filter(|x| !x.is_empty())
                            .collect();
                        let regex = alts
                            .iter()
                            .map(|x| regex_escape(x))
                            .collect::<Vec<_>>()
                            .join("|");
                        let class = format!(
                            "Any{}Converter",
                            alts.iter().map(|x| camel(x)).collect::<String>()
                        );
                        let name = format!(
                            "any_{}",
                            alts.iter()
                                .map(|x| py_ident(x).to_lowercase())
                                .collect::<Vec<_>>()
                                .join("_")
                        );
                        register(converters, &class, &name, &format!("(?:{regex})"), "str")
                    }
                    // The project's own converter: the same regex under the same name (a
                    // name Django already uses is prefixed); its value handling is project code.
                    (c, None) if own.is_some() => {
                        let own = own.unwrap();
                        pr.todos.push(todo(
                            pr,
                            "CP102",
                            format!(
                                "converter `{c}` is the project's `{}`: registered with its regex; what its to_python/to_url do to the value is not ported",
                                own.class
                            ),
                        ));
                        let django = match c {
                            "int" | "str" | "slug" | "uuid" | "path" => format!("project_{c}"),
                            c => c.to_string(),
                        };
                        register(
                            converters,
                            &format!("{}Converter", camel(&django)),
                            &django,
                            own.regex.as_deref().unwrap_or_default(),
                            "str",
                        )
                    }
                    (c, a) => {
                        unsupported.push(match a {
                            Some(a) => format!("{c}({a})"),
                            None => c.to_string(),
                        });
                        String::new()
                    }
                };
                pattern.push_str(&format!("<{c}:{name}>"));
            }
        }
    }
    let name = format!("name={}", py_str(&pr.url_name));
    let view = format!("views.{}", pr.view_name);
    if unsupported.is_empty() {
        pr.pattern_call = Some(format!("path({}, {view}, {name})", py_str(&pattern)));
    } else {
        // A regex keeps the URL served; the value reaches the view as a string.
        let d = flask_rule_to_django(&r.rule);
        pr.pattern_call = Some(format!("re_path({}, {view}, {name})", py_str(&d.pattern)));
        pr.todos.push(todo(
            pr,
            "CP102",
            format!(
                "converter {} has no Django counterpart: served by a regex, its value arrives as a string (write a converter)",
                unsupported.join(", ")
            ),
        ));
    }
}

/// Splits `"a, b", views.x, name="y"` at the top-level commas (not inside strings).
fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_str = false;
    let mut escaped = false;
    for c in s.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            ',' if !in_str => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn register(
    converters: &mut BTreeMap<String, (String, String, &'static str)>,
    class: &str,
    name: &str,
    regex: &str,
    ty: &'static str,
) -> String {
    converters
        .entry(class.to_string())
        .or_insert_with(|| (name.to_string(), regex.to_string(), ty));
    name.to_string()
}

fn urls_py(app: &str, routes: &[&PortRoute], converters: bool, project: &str) -> String {
    let mut o = String::new();
    let re = routes.iter().any(|r| {
        r.pattern_call
            .as_deref()
            .is_some_and(|c| c.starts_with("re_path"))
    });
    o.push_str(&format!(
        "\"\"\"URL patterns of `{app}`, converted from the Flask rules.\"\"\"\n\n"
    ));
    o.push_str(if re {
        "from django.urls import path, re_path\n\n"
    } else {
        "from django.urls import path\n\n"
    });
    if converters {
        o.push_str(&format!(
            "from {project} import converters  # noqa: F401 (registers the converters)\n\n"
        ));
    }
    o.push_str("from . import views\n\n");
    o.push_str(&format!("app_name = {}\n\n", py_str(app)));
    o.push_str("urlpatterns = [\n");
    for r in routes {
        for t in r.todos.iter().filter(|t| t.place.ends_with("urls.py")) {
            o.push_str(&format!("    {}\n", t.comment()));
        }
        match &r.pattern_call {
            Some(c) => {
                // `path("x", views.y, name="z")` -> wrapped like ruff format.
                let (func, rest) = c.split_once('(').unwrap_or((c, ""));
                let args = split_args(rest.strip_suffix(')').unwrap_or(rest));
                o.push_str(&wrap_call(4, &format!("{func}("), &args, "),"));
            }
            None => o.push_str(
                &format!(
                    "    # not served: {} {}\n",
                    r.route.methods.join(","),
                    r.route.rule
                )
                .replace(" \n", "\n"),
            ),
        }
    }
    // An app without routes: `[]` on one line, as ruff format writes it.
    match o.strip_suffix("[\n") {
        Some(head) => o = format!("{head}[]\n"),
        None => o.push_str("]\n"),
    }
    o
}

/// `<project>/converters.py`: the werkzeug converters Django lacks, registered once on import.
pub fn converters_py(urls: &Urls) -> Option<String> {
    if urls.converters.is_empty() {
        return None;
    }
    let mut o = String::from(
        "\"\"\"Path converters for werkzeug converters Django does not have (registered on import).\"\"\"\n\nfrom django.urls import register_converter\n",
    );
    for (class, (_, regex, ty)) in &urls.converters {
        o.push_str(&format!(
            "\n\nclass {class}:\n    regex = {}\n\n    def to_python(self, value):\n        return {ty}(value)\n\n    def to_url(self, value):\n        return str(value)\n",
            py_str(regex)
        ));
    }
    o.push_str("\n\n");
    for (class, (name, _, _)) in &urls.converters {
        o.push_str(&wrap_call(
            0,
            "register_converter(",
            &[class.clone(), py_str(name)],
            ")",
        ));
    }
    Some(o)
}
