//! Django URL patterns -> werkzeug rules on one Blueprint: path converters to werkzeug's
//! (`int`, `str`/`slug` -> `string`, `uuid`, `path`), named regex groups to a `re(...)`
//! converter the blueprint registers on the app, anchors dropped, escaped literals unescaped.
//! A pattern werkzeug cannot express (unnamed groups, regex outside a group, a custom path
//! converter) is a TODO at its place. One view stub per route, with the URL parameters in its
//! signature, the auth the Django view had, and a body naming the original view.

use super::{Construct, Draft, Todo, py_ident, py_str, wrap_call};
use crate::inventory::Route;
use std::collections::{BTreeMap, BTreeSet};

/// One piece of a converted rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Static(String),
    /// werkzeug converter (with its arguments) and the variable name.
    Var(String, String),
    /// A named group Django matches or skips (`(?P<name>...)?`): werkzeug has no optional
    /// part, so the view gets one rule with it and one without.
    Optional(String, String),
}

/// At most this many optional groups in one pattern (each doubles the rules).
const MAX_OPTIONAL: usize = 3;

/// Converts a Django rule (the concatenation of the patterns along the include chain, regex
/// pieces starting at `^`) into werkzeug pieces, or says why it cannot.
pub fn convert(rule: &str) -> Result<Vec<Piece>, String> {
    let chars: Vec<char> = rule.chars().collect();
    let mut out: Vec<Piece> = Vec::new();
    let mut lit = String::new();
    let mut regex = false;
    let mut i = 0;
    let push_lit = |out: &mut Vec<Piece>, lit: &mut String| {
        if !lit.is_empty() {
            out.push(Piece::Static(std::mem::take(lit)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '^' => {
                regex = true;
                i += 1;
            }
            '$' if regex && i + 1 == chars.len() => i += 1,
            '<' => {
                // a path converter: <name> or <conv:name>
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == '>')
                    .ok_or("unclosed `<` in the pattern")?;
                let inner: String = chars[i + 1..i + end].iter().collect();
                let (conv, name) = inner.split_once(':').unwrap_or(("str", &inner));
                let wconv = match conv {
                    "int" => "int",
                    "str" | "slug" => "string",
                    "uuid" => "uuid",
                    "path" => "path",
                    other => {
                        return Err(format!(
                            "path converter `{other}` is the project's own: no werkzeug equivalent written"
                        ));
                    }
                };
                push_lit(&mut out, &mut lit);
                out.push(Piece::Var(wconv.into(), name.to_string()));
                i += end + 1;
            }
            '(' if regex => {
                let rest: String = chars[i..].iter().collect();
                let Some(named) = rest.strip_prefix("(?P<") else {
                    return Err(format!(
                        "group `{}` is not a named group (?P<name>...): werkzeug passes only named values",
                        group_text(&chars[i..])
                    ));
                };
                let close = named.find('>').ok_or("unclosed group name")?;
                let name = named[..close].to_string();
                let body_start = i + 4 + close + 1;
                let mut depth = 1;
                let mut j = body_start;
                while j < chars.len() && depth > 0 {
                    match chars[j] {
                        '\\' => j += 1,
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                if depth != 0 {
                    return Err("unbalanced parentheses".into());
                }
                let body: String = chars[body_start..j - 1].iter().collect();
                push_lit(&mut out, &mut lit);
                let conv = re_converter(&body)?;
                if chars.get(j) == Some(&'?') {
                    out.push(Piece::Optional(conv, name));
                    i = j + 1;
                } else {
                    out.push(Piece::Var(conv, name));
                    i = j;
                }
            }
            '\\' if regex => {
                let Some(&n) = chars.get(i + 1) else {
                    return Err("trailing backslash".into());
                };
                if n.is_ascii_alphanumeric() {
                    return Err(format!(
                        "`\\{n}` outside a named group: werkzeug matches only literal text there"
                    ));
                }
                lit.push(n);
                i += 2;
            }
            '.' | '*' | '+' | '?' | '[' | ']' | '|' | '{' | '}' | ')' | '$' if regex => {
                return Err(format!(
                    "regular-expression syntax `{c}` outside a named group: werkzeug matches only literal text there"
                ));
            }
            c => {
                lit.push(c);
                i += 1;
            }
        }
    }
    push_lit(&mut out, &mut lit);
    Ok(out)
}

fn group_text(chars: &[char]) -> String {
    chars.iter().take(24).collect()
}

/// `re("...")` with the group's regex, quoted so that werkzeug's argument parser reads it
/// back unchanged (it does not unescape).
fn re_converter(body: &str) -> Result<String, String> {
    if body.contains('(') {
        return Err(format!(
            "group `{body}` has groups inside: the regex converter takes a flat pattern"
        ));
    }
    if !body.contains('"') {
        Ok(format!("re(\"{body}\")"))
    } else if !body.contains('\'') {
        Ok(format!("re('{body}')"))
    } else {
        Err(format!("group `{body}` uses both quote characters"))
    }
}

/// The werkzeug rules of converted pieces, one per choice of the optional groups kept (all
/// of them first), or why there would be too many.
pub fn rule_texts(pieces: &[Piece]) -> Result<Vec<String>, String> {
    let optional = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Optional(..)))
        .count();
    if optional > MAX_OPTIONAL {
        return Err(format!(
            "{optional} optional groups: one werkzeug rule per combination is too many"
        ));
    }
    Ok((0..1usize << optional)
        .map(|dropped| {
            let mut k = 0;
            let kept: Vec<&Piece> = pieces
                .iter()
                .filter(|p| {
                    if !matches!(p, Piece::Optional(..)) {
                        return true;
                    }
                    k += 1;
                    dropped & (1 << (k - 1)) == 0
                })
                .collect();
            rule_text(&kept)
        })
        .collect())
}

/// The werkzeug rule text of converted pieces (always starting at `/`). A `//` inside is
/// Django's too (an include prefix and a pattern both with the slash, a skipped group between
/// two): Django serves it as written, and so does the service (its map merges no slashes).
fn rule_text(pieces: &[&Piece]) -> String {
    let mut o = String::new();
    for p in pieces {
        match p {
            Piece::Static(s) => o.push_str(s),
            Piece::Var(c, n) | Piece::Optional(c, n) if c == "string" => {
                o.push_str(&format!("<{n}>"))
            }
            Piece::Var(c, n) | Piece::Optional(c, n) => o.push_str(&format!("<{c}:{n}>")),
        }
    }
    format!("/{}", o.trim_start_matches('/'))
}

/// What the views module needs from the auth module.
#[derive(Debug, Default)]
pub struct AuthUse {
    pub login: bool,
    pub staff: bool,
    pub permission: bool,
}

/// How a Django auth requirement is expressed in the service (decorator text), or None when it
/// has no counterpart.
fn auth_decorator(name: &str, perms: &[String], methods: &[String]) -> Option<Option<String>> {
    let read_only = methods
        .iter()
        .all(|m| matches!(m.as_str(), "GET" | "HEAD" | "OPTIONS"));
    Some(match name {
        "login_required" | "IsAuthenticated" | "LoginRequiredMixin" => {
            Some("@login_required".into())
        }
        "IsAuthenticatedOrReadOnly" if read_only => None,
        "IsAuthenticatedOrReadOnly" => Some("@login_required_unless_safe".into()),
        "staff_member_required" | "IsAdminUser" => Some("@staff_required".into()),
        "permission_required" | "PermissionRequiredMixin" if !perms.is_empty() => {
            let list: Vec<String> = perms.iter().map(|p| py_str(p)).collect();
            Some(format!("@permission_required({})", list.join(", ")))
        }
        "AllowAny" | "login_not_required" => None,
        _ => return None,
    })
}

/// The value that carries, in a rule converted from a regex pattern without `$`, the rest of the
/// URL Django matched too (the verifier leaves it out when comparing arguments).
const REMAINDER: &str = "_rest";

/// The blueprint: `<package>/routes.py` (and the regex converter, when one is used).
pub fn generate(routes: &[&Route], package: &str, service: &str, draft: &mut Draft) -> AuthUse {
    let place = format!("{package}/routes.py");
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut blocks = Vec::new();
    let mut uses = AuthUse::default();
    let mut regex = false;
    let mut sorted: Vec<&&Route> = routes.iter().collect();
    sorted.sort_by(|a, b| (&a.file, a.line, &a.rule).cmp(&(&b.file, b.line, &b.rule)));
    for r in sorted {
        let name = r
            .endpoint
            .as_deref()
            .map(|e| e.rsplit(':').next().unwrap_or(e).to_string())
            .or_else(|| {
                r.view
                    .as_deref()
                    .map(|v| v.rsplit('.').next().unwrap_or(v).into())
            })
            .unwrap_or_else(|| "view".into());
        let base = py_ident(&name.replace('-', "_"));
        let mut func = base.clone();
        let mut n = 2;
        while !used.insert(func.clone()) {
            func = format!("{base}_{n}");
            n += 1;
        }
        let origin = r.view.clone().unwrap_or_else(|| "an unnamed view".into());
        let mut todos: Vec<Todo> = Vec::new();
        let mk = |code: &'static str, reason: String| Todo {
            code,
            kind: "route",
            construct: r.rule.clone(),
            reason,
            file: r.file.clone(),
            line: r.line,
            place: place.clone(),
        };
        // `/?$` (DRF's format suffixes, optional trailing slashes): werkzeug has no optional
        // part, so the view gets the rule without the slash, registered first (url_for builds
        // it, as reverse() does) and the rule with it.
        let (rule, optional_slash) = match r.rule.strip_suffix("/?$") {
            Some(head) if r.rule.contains('^') && !head.ends_with('/') => {
                (format!("{head}$"), true)
            }
            _ => (r.rule.clone(), false),
        };
        // A regex pattern without `$` also matches every URL that goes on after it: the rule
        // takes what follows as one more value, `.*` (empty for the URL itself), which the view
        // receives and Django's did not. (A path() piece after the regex one is read as part of
        // it when it has no converter: the verifier reads the rule the same way.)
        let tail = r.rule.rsplit('^').next().unwrap_or("");
        let path_piece = tail
            .match_indices('<')
            .any(|(i, _)| !tail[..i].ends_with("?P"));
        // (a path() endpoint under a regex prefix matches to the end: `^api/` + `items/`)
        let open_end = r.resolved
            && r.kind != "django.path"
            && r.rule.contains('^')
            && !tail.ends_with('$')
            && !path_piece;
        let rule = if open_end {
            format!("{rule}(?P<{REMAINDER}>.*)")
        } else {
            rule
        };
        let pieces = if r.resolved {
            convert(&rule)
                .and_then(|p| Ok((rule_texts(&p)?, p)))
                .map_err(|e| mk("CP704", format!("`{}`: {e}", r.rule)))
        } else {
            Err(mk(
                "CP105",
                format!(
                    "`{}` was not resolved statically ({})",
                    r.rule,
                    r.reason.as_deref().unwrap_or("unknown part")
                ),
            ))
        };
        let methods: Vec<String> = if r.methods.is_empty() {
            ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        } else {
            r.methods.iter().map(|m| m.to_ascii_uppercase()).collect()
        };
        let mut decorators = Vec::new();
        for a in &r.auth {
            match auth_decorator(a, &r.permissions, &methods) {
                Some(Some(d)) => {
                    uses.login |= d.starts_with("@login_required");
                    uses.staff |= d == "@staff_required";
                    uses.permission |= d.starts_with("@permission_required");
                    if !decorators.contains(&d) {
                        decorators.push(d);
                    }
                }
                Some(None) => {}
                None => todos.push(mk(
                    "CP731",
                    format!("auth requirement `{a}` of `{origin}` has no decorator in the service"),
                )),
            }
        }
        let mut detail = BTreeMap::new();
        detail.insert("rule".into(), r.rule.clone());
        detail.insert("view".into(), format!("{service}.{func}"));
        detail.insert("url_name".into(), r.endpoint.clone().unwrap_or_default());
        let mut block = String::new();
        let mut params = Vec::new();
        match pieces {
            Ok((texts, p)) => {
                regex |= texts[0].contains("<re(");
                // A group Django may skip is no argument of the view then: a default.
                let (required, optional): (Vec<&Piece>, Vec<&Piece>) =
                    p.iter().partition(|x| matches!(x, Piece::Var(..)));
                params = required
                    .iter()
                    .chain(&optional)
                    .filter_map(|x| match x {
                        Piece::Var(_, n) => Some(py_ident(n)),
                        Piece::Optional(_, n) => Some(format!("{}=None", py_ident(n))),
                        Piece::Static(_) => None,
                    })
                    .collect();
                detail.insert("werkzeug_rule".into(), texts[0].clone());
                if open_end {
                    detail.insert("remainder".into(), REMAINDER.into());
                }
                detail.insert("served".into(), "true".into());
                for t in &todos {
                    block.push_str(&t.comment());
                    block.push('\n');
                }
                let list: Vec<String> = methods.iter().map(|m| py_str(m)).collect();
                let mut rules = Vec::new();
                for t in texts {
                    if optional_slash {
                        rules.push(format!("{t}/"));
                    }
                    rules.push(t);
                }
                for rule in &rules {
                    block.push_str(&wrap_call(
                        0,
                        "@bp.route(",
                        &[rule_literal(rule), format!("methods=[{}]", list.join(", "))],
                        ")",
                    ));
                }
            }
            Err(t) => {
                detail.insert("served".into(), "false".into());
                todos.insert(0, t);
                for t in &todos {
                    block.push_str(&t.comment());
                    block.push('\n');
                }
                block.push_str("# (no rule registered)\n");
            }
        }
        for d in &decorators {
            block.push_str(d);
            block.push('\n');
        }
        block.push_str(&wrap_call(0, &format!("def {func}("), &params, "):"));
        block.push_str(&format!(
            "    \"\"\"{}: ported from `{origin}` ({}:{}).\"\"\"\n",
            r.rule.replace('\\', "\\\\").replace('"', "\\\""),
            r.file,
            r.line
        ));
        let msg = py_str(&format!("port {origin} from {}:{}", r.file, r.line));
        block.push_str(&wrap_call(4, "raise NotImplementedError(", &[msg], ")"));
        blocks.push(block);
        draft.constructs.push(Construct {
            kind: "route",
            source: r.rule.clone(),
            file: r.file.clone(),
            line: r.line,
            generated: format!("{place}: {func}"),
            detail,
            todos: todos.iter().map(|t| t.code).collect(),
        });
        draft.todos.extend(todos);
    }
    let mut o = format!(
        "\"\"\"The routes of `{service}`: every URL pattern of the Django app, one stub per view.\"\"\"\n\nfrom flask import Blueprint\n"
    );
    let mut names = Vec::new();
    if uses.login {
        names.push("login_required");
        if draft_uses(&blocks, "@login_required_unless_safe") {
            names.push("login_required_unless_safe");
        }
        if !draft_uses(&blocks, "@login_required\n") {
            names.retain(|n| *n != "login_required");
        }
    }
    if uses.permission {
        names.push("permission_required");
    }
    if uses.staff {
        names.push("staff_required");
    }
    o.push('\n');
    if !names.is_empty() {
        o.push_str(&super::flask_models::import_from(".auth", &names));
    }
    if regex {
        o.push_str("from .converters import RegexConverter\n");
    }
    o.push_str(&format!(
        "\nbp = Blueprint({}, __name__)\n",
        py_str(service)
    ));
    if regex {
        o.push_str("\n\n@bp.record_once\ndef register_converters(state):\n    \"\"\"`re(...)` in the rules below: Django's regex groups, matched as written.\"\"\"\n    state.app.url_map.converters[\"re\"] = RegexConverter\n");
        draft
            .files
            .insert(format!("{package}/converters.py"), CONVERTERS.into());
    }
    for b in blocks {
        o.push_str("\n\n");
        o.push_str(&b);
    }
    draft.files.insert(place, o);
    uses
}

/// A rule as a string literal: in single quotes when it holds double quotes and no single ones
/// (what ruff format prefers: fewer escapes).
fn rule_literal(rule: &str) -> String {
    if rule.contains('"') && !rule.contains('\'') && !rule.contains('\\') {
        format!("'{rule}'")
    } else {
        py_str(rule)
    }
}

fn draft_uses(blocks: &[String], s: &str) -> bool {
    blocks.iter().any(|b| b.contains(s))
}

const CONVERTERS: &str = r#""""URL converters for the patterns Django matched with regular expressions."""

from werkzeug.routing import BaseConverter


class RegexConverter(BaseConverter):
    """`<re("[0-9]{4}"):year>`: the value matches the regex and stays a string, as in Django."""

    def __init__(self, url_map, regex):
        super().__init__(url_map)
        self.regex = regex
        # werkzeug matches one path segment at a time unless a converter may span several;
        # whether a regex can match a slash (`.*`, `\S+`) is not read from its text.
        self.part_isolating = False
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(rule: &str) -> String {
        match convert(rule).and_then(|p| rule_texts(&p)) {
            Ok(t) => t.join(" "),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn django_patterns_become_werkzeug_rules() {
        assert_eq!(conv("shop/items/<int:pk>/"), "/shop/items/<int:pk>/");
        assert_eq!(conv("c/<slug:slug>/<name>"), "/c/<slug>/<name>");
        assert_eq!(conv("m/<path:p>"), "/m/<path:p>");
        assert_eq!(
            conv("shop/^archive/(?P<year>[0-9]{4})/$"),
            "/shop/archive/<re(\"[0-9]{4}\"):year>/"
        );
        assert_eq!(
            conv("api/^products/(?P<pk>[^/.]+)/$"),
            "/api/products/<re(\"[^/.]+\"):pk>/"
        );
        assert_eq!(conv("^feed\\.xml$"), "/feed.xml");
        assert_eq!(conv(""), "/");
        assert!(conv("^(\\d+)/$").starts_with("ERR"));
        assert!(conv("^a.*$").starts_with("ERR"));
        assert!(conv("x/<hashid:h>").starts_with("ERR"));
    }

    #[test]
    fn a_group_django_may_skip_gives_a_rule_with_it_and_one_without() {
        assert_eq!(conv("^f/(?P<q>.+)?$"), "/f/<re(\".+\"):q> /f/");
        // all kept first; a skipped group between two slashes leaves both, as in Django
        assert_eq!(
            conv("^g/(?P<u>\\d+)?/f/(?P<q>.+)?$"),
            "/g/<re(\"\\d+\"):u>/f/<re(\".+\"):q> /g//f/<re(\".+\"):q> /g/<re(\"\\d+\"):u>/f/ /g//f/"
        );
        assert!(conv("^(?P<a>x)?(?P<b>x)?(?P<c>x)?(?P<d>x)?$").starts_with("ERR"));
    }
}
