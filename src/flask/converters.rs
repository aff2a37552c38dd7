//! URL converters a project registers on its app (`app.url_map.converters["b64"] = Cls`, or
//! `.update({...})`): the name its rules use, the class, and the regex the class matches with,
//! so that a port can serve the same URLs.

use super::Ctx;
use crate::inventory::{Inventory, UrlConverter};
use crate::python::ir::{Expr, Stmt};
use crate::python::scope;

/// What werkzeug's `BaseConverter` matches: a subclass that sets no `regex` matches this.
const BASE_REGEX: &str = "[^/]+";
const BASE_CONVERTER: &str = "werkzeug.routing.BaseConverter";

pub fn extract(ctx: &Ctx, inv: &mut Inventory) {
    let resolver = &ctx.project.resolver;
    for &f in &ctx.files {
        scope::walk(f, resolver, ctx.values, &mut |stmt, sc| {
            let (found, line): (Vec<(&str, &Expr)>, u32) = match stmt {
                Stmt::Assign {
                    targets,
                    value: Some(v),
                    pos,
                    ..
                } => (
                    targets
                        .iter()
                        .filter_map(|t| match t {
                            Expr::Subscript(base, key) if is_converters(base) => {
                                key.as_str().map(|k| (k, v))
                            }
                            _ => None,
                        })
                        .collect(),
                    pos.line,
                ),
                Stmt::Expr(Expr::Call(c), pos) => match (&c.func, c.args.first()) {
                    (Expr::Attr(base, m), Some(Expr::Dict(entries)))
                        if m == "update" && is_converters(base) =>
                    {
                        let pairs = entries.iter().filter_map(|(k, v)| Some((k.as_str()?, v)));
                        (pairs.collect(), pos.line)
                    }
                    _ => return,
                },
                _ => return,
            };
            for (name, value) in found {
                let class = sc.resolve(resolver, value);
                inv.converters.push(UrlConverter {
                    name: name.to_string(),
                    regex: class.as_deref().and_then(|c| class_regex(ctx, c)),
                    class: class.unwrap_or_else(|| value.describe()),
                    file: f.path.clone(),
                    line,
                });
            }
        });
    }
}

/// `<anything>.url_map.converters`.
fn is_converters(e: &Expr) -> bool {
    matches!(e, Expr::Attr(b, c) if c == "converters"
        && matches!(&**b, Expr::Attr(_, u) if u == "url_map"))
}

/// The regex a project converter class matches with: the nearest literal `regex` of the class
/// and its project bases, or werkzeug's default when they only derive from `BaseConverter`.
/// Not known when a class sets it in `__init__` or derives from another werkzeug converter.
fn class_regex(ctx: &Ctx, id: &str) -> Option<String> {
    let resolver = &ctx.project.resolver;
    let mut chain = vec![id.to_string()];
    chain.extend(ctx.classes.ancestors(resolver, id));
    for c in &chain {
        match ctx.classes.get(c) {
            Some((_, class)) => {
                if class.methods().any(|m| m.name == "__init__") {
                    return None;
                }
                if let Some(r) = class.attr("regex") {
                    return r.as_str().map(String::from);
                }
            }
            None if c == BASE_CONVERTER => return Some(BASE_REGEX.to_string()),
            None => return None,
        }
    }
    None
}
