//! Files of the scanned tree as running code reaches them: `__file__` (the
//! module's path relative to the scanned root, as `__path__` is), path
//! arithmetic on such paths (`pathlib.Path`, `os.path`), `open()`, and the
//! loaders that turn a data file into values (`yaml.safe_load`, `json.load`):
//! an API specification a project ships and loads at start-up. A file is read
//! only inside the scanned root, only as data and only up to a size; a path
//! from elsewhere (the working directory, above the root) is not known.

use super::value::Val;
use super::{Cx, MAX_ITEMS};
use crate::python::ir::Call;

/// The largest data file read.
const MAX_BYTES: u64 = 8 << 20;

/// A path relative to the scanned root, normalised (`a/b`, `""` for the
/// root; a leading `..` is above it).
#[derive(Debug, Clone)]
pub struct PathVal(pub String);

/// A file opened for reading.
#[derive(Debug)]
struct FileVal(String);

host_value!(PathVal, FileVal);

/// `a` joined with `b`, normalised; an absolute `b` is not known.
pub fn join(a: &str, b: &str) -> Option<String> {
    if b.starts_with('/') {
        return None;
    }
    Some(normalise(&format!("{a}/{b}")))
}

fn normalise(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    // `../x/..` is `..`: a `..` pops a name, never another `..`
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

/// The folder holding `p`: above the root, `..` (which is never read).
pub fn parent(p: &str) -> String {
    normalise(&format!("{p}/.."))
}

/// The path a value names: a path object, or a string of one.
fn path_of(v: &Val) -> Option<String> {
    match v {
        Val::Str(s) if !s.starts_with('/') => Some(normalise(s)),
        v => v.downcast::<PathVal>().map(|p| p.0.clone()),
    }
}

/// `__file__` of a module at `path` (root-relative).
pub fn file_dunder(path: &str) -> Val {
    Val::Str(path.to_string())
}

/// Calls of path, file and loader functions; `None` for any other.
pub fn call(cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
    let args = || -> Option<Vec<Val>> {
        (!c.has_splat() && c.kwargs.is_empty()).then(|| c.args.iter().map(|a| cx.eval(a)).collect())
    };
    let unknown = || Val::Unknown(format!("{canonical}(...)"));
    Some(match canonical {
        "pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath" | "pathlib.PurePosixPath" => {
            match args().as_deref() {
                // `Path()` is the working directory, not known
                Some([first, rest @ ..]) => rest
                    .iter()
                    .try_fold(path_of(first)?, |acc, p| join(&acc, &path_of(p)?))
                    .map_or_else(unknown, |p| Val::host(PathVal(p))),
                _ => unknown(),
            }
        }
        "os.path.join" => match args().as_deref() {
            Some(parts) if let Some(p) = absolute_join(parts) => Val::Str(p),
            Some([first, rest @ ..]) => rest
                .iter()
                .try_fold(path_of(first)?, |acc, p| join(&acc, &path_of(p)?))
                .map_or_else(unknown, Val::Str),
            _ => unknown(),
        },
        "os.path.dirname" => one_path(args()).map_or_else(unknown, |p| Val::Str(parent(&p))),
        "os.path.relpath" => match args().as_deref() {
            Some([p, start]) => path_of(p)
                .zip(path_of(start))
                .and_then(|(p, start)| relpath(&p, &start))
                .map_or_else(unknown, Val::Str),
            _ => unknown(),
        },
        "os.listdir" => match one_path(args()).and_then(|p| cx.project().sources.list_dir(&p)) {
            Some(entries) => Val::List(entries.into_iter().map(|(n, _)| Val::Str(n)).collect()),
            None => unknown(),
        },
        "os.walk" => one_path(args())
            .and_then(|top| walk(cx, &top))
            .map_or_else(unknown, Val::List),
        "os.path.abspath" | "os.path.realpath" | "os.path.normpath" => {
            one_path(args()).map_or_else(unknown, Val::Str)
        }
        "os.path.basename" => one_path(args()).map_or_else(unknown, |p| {
            Val::Str(p.rsplit('/').next().unwrap_or("").to_string())
        }),
        "open" | "io.open" => {
            // text or binary reading only
            let mode = c.arg(1, "mode").map(|m| cx.eval(m));
            match (c.arg(0, "file").map(|f| path_of(&cx.eval(f))), mode) {
                (Some(Some(p)), None) => Val::host(FileVal(p)),
                (Some(Some(p)), Some(Val::Str(m))) if m == "r" || m == "rb" || m == "rt" => {
                    Val::host(FileVal(p))
                }
                _ => unknown(),
            }
        }
        "yaml.safe_load" | "yaml.load" | "yaml.full_load" | "yaml.unsafe_load" => {
            let stream = c.arg(0, "stream").map(|s| cx.eval(s));
            load(cx, stream, Format::Yaml).unwrap_or_else(unknown)
        }
        "json.load" | "json.loads" => {
            let stream = c.arg(0, "fp").or_else(|| c.arg(0, "s")).map(|s| cx.eval(s));
            load(cx, stream, Format::Json).unwrap_or_else(unknown)
        }
        _ => return None,
    })
}

/// The path constants of `os` (paths here are written with `/`).
pub fn constant(canonical: &str) -> Option<Val> {
    Some(Val::Str(
        match canonical {
            "os.sep" | "os.path.sep" => "/",
            "os.curdir" | "os.path.curdir" => ".",
            "os.pardir" | "os.path.pardir" => "..",
            _ => return None,
        }
        .to_string(),
    ))
}

/// `os.walk(top)`, top-down: `(dirpath, dirnames, filenames)` per folder,
/// names sorted, up to `MAX_ITEMS` folders (`None` beyond).
fn walk(cx: &Cx, top: &str) -> Option<Vec<Val>> {
    let mut out = Vec::new();
    let mut stack = vec![top.to_string()];
    while let Some(dir) = stack.pop() {
        if out.len() >= MAX_ITEMS {
            return None;
        }
        let entries = cx.project().sources.list_dir(&dir)?;
        let names = |want_dir: bool| -> Vec<String> {
            entries
                .iter()
                .filter(|(_, d)| *d == want_dir)
                .map(|(n, _)| n.clone())
                .collect()
        };
        let (dirs, files) = (names(true), names(false));
        stack.extend(dirs.iter().rev().filter_map(|d| join(&dir, d)));
        let strs = |v: Vec<String>| Val::List(v.into_iter().map(Val::Str).collect());
        out.push(Val::Tuple(vec![Val::Str(dir), strs(dirs), strs(files)]));
    }
    Some(out)
}

/// `os.path.relpath(p, start)` of two root-relative paths.
fn relpath(p: &str, start: &str) -> Option<String> {
    let split = |s: &str| -> Vec<String> {
        s.split('/')
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect()
    };
    let (p, start) = (split(p), split(start));
    if p.first().is_some_and(|c| c == "..") || start.first().is_some_and(|c| c == "..") {
        return None;
    }
    let common = p.iter().zip(&start).take_while(|(a, b)| a == b).count();
    let mut out: Vec<String> = vec!["..".to_string(); start.len() - common];
    out.extend(p[common..].iter().cloned());
    Some(if out.is_empty() {
        ".".to_string()
    } else {
        out.join("/")
    })
}

/// `os.path.join` of strings one of which is absolute, as `posixpath.join`
/// does it: the last absolute part restarts the path, the parts after it are
/// added with a `/` unless the text already ends in one. Such a path lies
/// outside the scanned tree (it is a URL rule more often than a file).
fn absolute_join(parts: &[Val]) -> Option<String> {
    let start = parts
        .iter()
        .rposition(|p| matches!(p, Val::Str(s) if s.starts_with('/')))?;
    parts[start..].iter().try_fold(String::new(), |mut acc, p| {
        let Val::Str(s) = p else { return None };
        if !acc.is_empty() && !acc.ends_with('/') {
            acc.push('/');
        }
        acc.push_str(s);
        Some(acc)
    })
}

fn one_path(args: Option<Vec<Val>>) -> Option<String> {
    match args?.as_slice() {
        [p] => path_of(p),
        _ => None,
    }
}

/// Attributes of a path: `parent`, `parents`, `name`, `stem`, `suffix`.
pub fn attr(v: &Val, name: &str) -> Option<Val> {
    let p = &v.downcast::<PathVal>()?.0;
    let file = p.rsplit('/').next().unwrap_or("");
    Some(match name {
        "parent" => Val::host(PathVal(parent(p))),
        // up to the root; what lies above it is not known
        "parents" => {
            let mut out = Vec::new();
            let mut cur = p.clone();
            while !cur.is_empty() && !cur.starts_with("..") {
                cur = parent(&cur);
                out.push(Val::host(PathVal(cur.clone())));
            }
            Val::List(out)
        }
        "name" => Val::Str(file.to_string()),
        "stem" => Val::Str(file.rsplit_once('.').map_or(file, |(s, _)| s).to_string()),
        "suffix" => Val::Str(
            file.rsplit_once('.')
                .map_or(String::new(), |(_, x)| format!(".{x}")),
        ),
        _ => return None,
    })
}

/// Methods of paths and files; `None` for any other value.
pub fn method(cx: &Cx, v: &Val, name: &str, c: &Call) -> Option<Val> {
    if let Some(f) = v.downcast::<FileVal>() {
        return Some(match name {
            "__enter__" => v.clone(),
            "read" if c.args.is_empty() => {
                text(cx, &f.0).map_or_else(|| Val::Unknown(format!("{} not read", f.0)), Val::Str)
            }
            _ => Val::Unknown(format!("file.{name}(...)")),
        });
    }
    let p = &v.downcast::<PathVal>()?.0;
    let unknown = || Val::Unknown(format!("Path.{name}(...)"));
    Some(match name {
        "resolve" | "absolute" | "expanduser" | "__enter__" => v.clone(),
        "joinpath" => c
            .args
            .iter()
            .try_fold(p.clone(), |acc, a| join(&acc, &path_of(&cx.eval(a))?))
            .map_or_else(unknown, |j| Val::host(PathVal(j))),
        "open" => Val::host(FileVal(p.clone())),
        "read_text" => text(cx, p).map_or_else(unknown, Val::Str),
        "__fspath__" | "as_posix" => Val::Str(p.clone()),
        _ => unknown(),
    })
}

/// `path / "part"`.
pub fn div(l: &Val, r: &Val) -> Option<Val> {
    let p = &l.downcast::<PathVal>()?.0;
    Some(path_of(r).and_then(|r| join(p, &r)).map_or_else(
        || Val::Unknown("path / ...".into()),
        |j| Val::host(PathVal(j)),
    ))
}

/// `str(path)`.
pub fn as_str(v: &Val) -> Option<Val> {
    v.downcast::<PathVal>().map(|p| Val::Str(p.0.clone()))
}

/// A data file's text, when it is inside the scanned root.
fn text(cx: &Cx, path: &str) -> Option<String> {
    if path.starts_with("..") || path.is_empty() {
        return None;
    }
    let bytes = cx.project().sources.data_file(path, MAX_BYTES)?;
    String::from_utf8(bytes).ok()
}

/// The values a data file of the scanned tree holds: JSON by its extension,
/// else YAML.
pub fn load_path(cx: &Cx, path: &str) -> Option<Val> {
    let path = normalise(path);
    let format = if path.ends_with(".json") {
        Format::Json
    } else {
        Format::Yaml
    };
    load(cx, Some(Val::host(FileVal(path))), format)
}

enum Format {
    Yaml,
    Json,
}

/// A loader's result for a file object (read from the tree) or a string
/// (the text itself).
fn load(cx: &Cx, stream: Option<Val>, format: Format) -> Option<Val> {
    let source = match stream? {
        Val::Str(s) => s,
        v => text(cx, &v.downcast::<FileVal>()?.0)?,
    };
    let mut budget = MAX_ITEMS * 64;
    match format {
        Format::Json => {
            let v: serde_json::Value = serde_json::from_str(&source).ok()?;
            from_json(&v, &mut budget)
        }
        Format::Yaml => {
            // aliases are expanded while loading: a few lines of nested ones
            // make billions of nodes, so a document with any is not read
            let mut parser = yaml_rust2::parser::Parser::new_from_str(&source);
            loop {
                match parser.next_token().ok()?.0 {
                    yaml_rust2::Event::StreamEnd => break,
                    yaml_rust2::Event::Alias(_) => return None,
                    _ => spend(&mut budget)?,
                }
            }
            budget = MAX_ITEMS * 64;
            let docs = yaml_rust2::YamlLoader::load_from_str(&source).ok()?;
            match docs.as_slice() {
                [] => Some(Val::None),
                [doc] => from_yaml(doc, &mut budget),
                _ => None, // `load` raises on several documents
            }
        }
    }
}

fn spend(budget: &mut usize) -> Option<()> {
    *budget = budget.checked_sub(1)?;
    Some(())
}

fn from_yaml(y: &yaml_rust2::Yaml, budget: &mut usize) -> Option<Val> {
    use yaml_rust2::Yaml;
    spend(budget)?;
    Some(match y {
        Yaml::String(s) => Val::Str(s.clone()),
        Yaml::Integer(i) => Val::Int(*i),
        Yaml::Boolean(b) => Val::Bool(*b),
        Yaml::Null => Val::None,
        Yaml::Real(r) => Val::Unknown(format!("float {r}")),
        Yaml::Array(items) => Val::List(
            items
                .iter()
                .map(|i| from_yaml(i, budget))
                .collect::<Option<_>>()?,
        ),
        Yaml::Hash(h) => Val::Dict(
            h.iter()
                .map(|(k, v)| Some((from_yaml(k, budget)?, from_yaml(v, budget)?)))
                .collect::<Option<_>>()?,
        ),
        Yaml::Alias(_) | Yaml::BadValue => Val::Unknown("a YAML alias".into()),
    })
}

fn from_json(j: &serde_json::Value, budget: &mut usize) -> Option<Val> {
    use serde_json::Value;
    spend(budget)?;
    Some(match j {
        Value::String(s) => Val::Str(s.clone()),
        Value::Number(n) => n
            .as_i64()
            .map_or_else(|| Val::Unknown(format!("number {n}")), Val::Int),
        Value::Bool(b) => Val::Bool(*b),
        Value::Null => Val::None,
        Value::Array(items) => Val::List(
            items
                .iter()
                .map(|i| from_json(i, budget))
                .collect::<Option<_>>()?,
        ),
        Value::Object(o) => Val::Dict(
            o.iter()
                .map(|(k, v)| Some((Val::Str(k.clone()), from_json(v, budget)?)))
                .collect::<Option<_>>()?,
        ),
    })
}
