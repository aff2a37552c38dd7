//! Renderers: one module per output format.

pub mod html;
pub mod json;
pub mod markdown;
pub mod style;
pub mod text;
pub mod view;

use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment};

/// The template environment: both report templates, embedded at build time, with HTML
/// auto-escaping for `.html.j2` templates and the Markdown/Mermaid escaping filters. Other
/// reports (the portfolio) add their templates to it.
pub(crate) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("default delimiters"),
    );
    // HTML escaping of `&`, `<`, `>`, `"` and `'` (minijinja's default also escapes `/`, which
    // only makes paths unreadable in the source of the report).
    env.set_formatter(|out, state, value| {
        if *state.auto_escape() == AutoEscape::Html
            && !value.is_safe()
            && let Some(s) = value.as_str()
        {
            return out.write_str(&html_escape(s)).map_err(Into::into);
        }
        minijinja::escape_formatter(out, state, value)
    });
    env.add_filter("md", md);
    env.add_filter("mermaid", mermaid);
    env.add_filter("fmtnum", fmtnum);
    env.add_template("mermaid.j2", include_str!("../../templates/mermaid.j2"))
        .expect("templates/mermaid.j2 is valid");
    env.add_template("report.md.j2", include_str!("../../templates/report.md.j2"))
        .expect("templates/report.md.j2 is valid");
    env.add_template(
        "report.html.j2",
        include_str!("../../templates/report.html.j2"),
    )
    .expect("templates/report.html.j2 is valid");
    env
}

fn render(name: &str, report: &view::Report) -> anyhow::Result<String> {
    let env = environment();
    let tmpl = env.get_template(name)?;
    let mut s = tmpl.render(Value::from(Serde(report)))?;
    if !s.ends_with('\n') {
        s.push('\n');
    }
    Ok(s)
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Escapes text for a Markdown table cell or list item: `|`, backticks, `<`, `>` (so no HTML
/// or code span can start), `*`, `_`, `[` and `]` (no emphasis or link); newlines become
/// spaces. A value in a cell never breaks out of its cell or its row.
pub fn md(s: &str) -> String {
    // Text between a pair of backticks is code (`shop`, `login_required`): it stays a code span,
    // with only what could break a table cell or a line replaced. A lone backtick is escaped.
    let mut o = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(open) = rest.find('`') {
        o.push_str(&md_plain(&rest[..open]));
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(close) if close > 0 && !after[..close].contains('\n') => {
                o.push('`');
                for c in after[..close].chars() {
                    match c {
                        '|' => o.push_str("\\|"),
                        '\r' | '\t' => o.push(' '),
                        c if c.is_control() => {}
                        c => o.push(c),
                    }
                }
                o.push('`');
                rest = &after[close + 1..];
            }
            _ => {
                o.push_str("\\`");
                rest = after;
            }
        }
    }
    o.push_str(&md_plain(rest));
    o
}

fn md_plain(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => o.push_str("\\|"),
            '`' => o.push_str("\\`"),
            '*' => o.push_str("\\*"),
            '_' => o.push_str("\\_"),
            '[' => o.push_str("\\["),
            ']' => o.push_str("\\]"),
            '\\' => o.push_str("\\\\"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '\n' | '\r' | '\t' => o.push(' '),
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

/// Escapes text for a quoted Mermaid label: quotes, `<`, `>`, `|`, backticks, `#`, `;` and
/// braces become Mermaid entity codes, newlines become spaces.
pub fn mermaid(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => o.push_str("#quot;"),
            '<' => o.push_str("#lt;"),
            '>' => o.push_str("#gt;"),
            '|' => o.push_str("#124;"),
            '`' => o.push_str("#96;"),
            '#' => o.push_str("#35;"),
            ';' => o.push_str("#59;"),
            '{' => o.push_str("#123;"),
            '}' => o.push_str("#125;"),
            '[' => o.push_str("#91;"),
            ']' => o.push_str("#93;"),
            '&' => o.push_str("#38;"),
            '\n' | '\r' | '\t' => o.push(' '),
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

/// `12345` -> "12,345".
fn fmtnum(v: u64) -> String {
    let s = v.to_string();
    let mut o = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            o.push(',');
        }
        o.push(c);
    }
    o
}
