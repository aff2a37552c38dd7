//! werkzeug rule syntax: `/users/<int:id>` as literal pieces and variables.

/// One piece of a werkzeug rule: literal text or a `<converter(args):name>` variable.
pub enum Part {
    Lit(String),
    Var {
        conv: String,
        args: Option<String>,
        name: String,
    },
}

pub fn parse_rule(rule: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = rule;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        if start > 0 {
            parts.push(Part::Lit(rest[..start].to_string()));
        }
        let inner = &rest[start + 1..start + end];
        let (conv, name) = match inner.rsplit_once(':') {
            Some((c, n)) => (c.trim(), n.trim()),
            None => ("default", inner.trim()),
        };
        let (conv, args) = match conv.find('(') {
            Some(i) => (
                conv[..i].trim(),
                Some(conv[i + 1..].trim_end_matches(')').trim().to_string()),
            ),
            None => (conv, None),
        };
        parts.push(Part::Var {
            conv: conv.to_string(),
            args: args.filter(|a| !a.is_empty()),
            name: name.to_string(),
        });
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    parts
}

/// The variable names of a rule (`/<int:org>/x` gives `org`).
pub fn variables(rule: &str) -> Vec<String> {
    parse_rule(rule)
        .into_iter()
        .filter_map(|p| match p {
            Part::Var { name, .. } => Some(name),
            Part::Lit(_) => None,
        })
        .collect()
}
