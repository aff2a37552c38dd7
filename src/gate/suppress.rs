//! Inline suppressions: `# crossport: ignore[CP201] -- reason` on a finding's line or the line
//! before. The reason is required; a directive without one is reported and not applied.

use crate::rules;
use std::collections::BTreeMap;

/// One `crossport: ignore[...]` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Rule ids as written (upper-cased).
    pub ids: Vec<String>,
    /// The text after `--`, trimmed; None when missing or empty.
    pub reason: Option<String>,
}

const MARK: &str = "crossport:";

/// Parses the directive in a line of Python, if it has one (in a `#` comment).
pub fn parse_line(line: &str) -> Option<Directive> {
    let hash = line.find('#')?;
    let comment = &line[hash + 1..];
    let at = comment.find(MARK)?;
    let rest = comment[at + MARK.len()..].trim_start();
    let rest = rest.strip_prefix("ignore")?.trim_start();
    let rest = rest.strip_prefix('[')?;
    let close = rest.find(']')?;
    let ids: Vec<String> = rest[..close]
        .split(',')
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| !s.is_empty())
        .collect();
    let after = rest[close + 1..].trim_start();
    let reason = after
        .strip_prefix("--")
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    Some(Directive { ids, reason })
}

/// The directives of one file, by 1-based line.
#[derive(Debug, Default)]
pub struct FileDirectives {
    pub by_line: BTreeMap<u32, Directive>,
}

impl FileDirectives {
    pub fn parse(text: &str) -> Self {
        let mut by_line = BTreeMap::new();
        // Cheap pre-check: most files have no directive at all.
        if !text.contains(MARK) {
            return FileDirectives { by_line };
        }
        for (i, l) in text.lines().enumerate() {
            if l.contains(MARK)
                && let Some(d) = parse_line(l)
            {
                by_line.insert(i as u32 + 1, d);
            }
        }
        FileDirectives { by_line }
    }

    /// The directive suppressing `rule` at `line` (same line first, then the line before), only
    /// when it gives a reason.
    pub fn suppresses(&self, rule: &str, line: u32) -> Option<(u32, &Directive)> {
        [line, line.saturating_sub(1)]
            .into_iter()
            .filter(|l| *l > 0)
            .filter_map(|l| self.by_line.get(&l).map(|d| (l, d)))
            .find(|(_, d)| d.reason.is_some() && d.ids.iter().any(|i| i == rule))
    }

    /// Problems with the directives themselves: missing reasons and unknown rule ids.
    pub fn problems(&self, file: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (line, d) in &self.by_line {
            if d.reason.is_none() {
                out.push(format!(
                    "{file}:{line}: suppression without a reason is not applied (write `# crossport: ignore[{}] -- why`)",
                    d.ids.join(",")
                ));
            }
            if d.ids.is_empty() {
                out.push(format!("{file}:{line}: suppression names no rule"));
            }
            for id in &d.ids {
                if rules::lookup(id).is_none() {
                    out.push(format!(
                        "{file}:{line}: suppression names unknown rule `{id}`"
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_and_reason() {
        let d = parse_line("x = 1  # crossport: ignore[CP201, cp101] -- kept on purpose").unwrap();
        assert_eq!(d.ids, vec!["CP201", "CP101"]);
        assert_eq!(d.reason.as_deref(), Some("kept on purpose"));
        let d = parse_line("# crossport: ignore[CP201]").unwrap();
        assert_eq!(d.reason, None);
        let d = parse_line("# crossport: ignore[CP201] --   ").unwrap();
        assert_eq!(d.reason, None);
        assert!(parse_line("crossport: ignore[CP201] -- no comment").is_none());
        assert!(parse_line("# crossport: ignore CP201").is_none());
    }

    #[test]
    fn same_line_or_line_before() {
        let f = FileDirectives::parse(
            "a\n# crossport: ignore[CP101] -- legacy\n@app.route('/x')\nb  # crossport: ignore[CP201]\n",
        );
        assert!(f.suppresses("CP101", 3).is_some());
        assert!(f.suppresses("CP101", 2).is_some());
        assert!(f.suppresses("CP101", 4).is_none());
        assert!(f.suppresses("CP201", 4).is_none(), "no reason: not applied");
        assert!(f.suppresses("CP102", 3).is_none());
        let p = f.problems("f.py");
        assert_eq!(p.len(), 1, "{p:?}");
        let f = FileDirectives::parse("# crossport: ignore[CP999] -- x\n");
        assert!(f.problems("f.py")[0].contains("unknown rule `CP999`"));
    }
}
