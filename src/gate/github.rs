//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per counted
//! finding, then a one-line verdict.

use super::{Finding, Outcome};
use crate::rules::Category;

/// Escapes a workflow-command message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(f: &Finding) -> &'static str {
    if f.fails {
        "error"
    } else if f.category == Category::Optional {
        "notice"
    } else {
        "warning"
    }
}

pub fn render(o: &Outcome) -> String {
    let mut s = String::new();
    for f in o.findings.iter().filter(|f| {
        f.new && f.suppressed.is_none() && (f.fails || f.category != Category::Optional)
    }) {
        let mut props = Vec::new();
        if let Some(file) = &f.file {
            props.push(format!("file={}", escape_property(&o.shown_path(file))));
            if let Some(l) = f.line {
                props.push(format!("line={l}"));
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} {}", f.rule, f.title))
        ));
        s.push_str(&format!(
            "::{} {}::{}\n",
            command(f),
            props.join(","),
            escape_data(&format!("{} [{}] {}", f.rule, f.category, f.message))
        ));
    }
    for w in &o.warnings {
        s.push_str(&format!("::warning title=crossport::{}\n", escape_data(w)));
    }
    if let Some(r) = &o.ratchet {
        for p in &r.progress {
            s.push_str(&format!(
                "::notice title=crossport ratchet::{}\n",
                escape_data(p)
            ));
        }
    }
    if o.passed {
        s.push_str(&format!(
            "crossport check passed: {} findings ({} new, {} suppressed)\n",
            o.counts.findings, o.counts.new, o.counts.suppressed
        ));
    } else {
        s.push_str(&format!(
            "::error title=crossport check failed::{}\n",
            escape_data(&o.violations.join("; "))
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn escapes() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
