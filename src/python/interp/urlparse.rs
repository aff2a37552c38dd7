//! `urllib.parse.urljoin(base, url)` on relative references, as start-up code
//! builds route strings from a settings prefix (`urljoin(PREFIX, "<slug:slug>/")`).
//! Only paths: a URL with a scheme, a network location, a query, a fragment or
//! parameters is not resolved here.

use super::Cx;
use super::value::Val;
use crate::python::ir::Call;

pub fn call(cx: &Cx, canonical: &str, c: &Call) -> Option<Val> {
    if canonical != "urllib.parse.urljoin" {
        return None;
    }
    let unknown = || Val::Unknown("urljoin(...)".into());
    if c.has_splat() || !c.kwargs.is_empty() || c.args.len() != 2 {
        return Some(unknown());
    }
    Some(match (cx.eval(&c.args[0]), cx.eval(&c.args[1])) {
        (Val::Str(base), Val::Str(url)) => urljoin(&base, &url).map_or_else(unknown, Val::Str),
        _ => unknown(),
    })
}

/// CPython's `urljoin` for two paths (3.11, `Lib/urllib/parse.py`); `None`
/// when either is more than a path.
fn urljoin(base: &str, url: &str) -> Option<String> {
    // urlsplit's scheme: the text before the first `:`, a letter then letters,
    // digits, `+`, `-` or `.` (`<slug:slug>` is no scheme)
    let has_scheme = |s: &str| {
        s.split_once(':').is_some_and(|(head, _)| {
            head.starts_with(|c: char| c.is_ascii_alphabetic())
                && head
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
    };
    let path_only =
        |s: &str| !has_scheme(s) && !s.contains(['?', '#', ';']) && !s.starts_with("//");
    if !path_only(base) || !path_only(url) {
        return None;
    }
    if base.is_empty() {
        return Some(url.to_string());
    }
    if url.is_empty() {
        return Some(base.to_string());
    }
    let mut base_parts: Vec<&str> = base.split('/').collect();
    if base_parts.last() != Some(&"") {
        base_parts.pop();
    }
    let segments: Vec<&str> = if url.starts_with('/') {
        url.split('/').collect()
    } else {
        let mut all: Vec<&str> = base_parts;
        all.extend(url.split('/'));
        // empty segments between the first and the last are dropped
        let last = all.len() - 1;
        all.iter()
            .enumerate()
            .filter(|(i, s)| *i == 0 || *i == last || !s.is_empty())
            .map(|(_, s)| *s)
            .collect()
    };
    let mut resolved: Vec<&str> = Vec::new();
    for seg in &segments {
        match *seg {
            ".." => {
                resolved.pop();
            }
            "." => {}
            s => resolved.push(s),
        }
    }
    if matches!(segments.last(), Some(&".") | Some(&"..")) {
        resolved.push("");
    }
    let joined = resolved.join("/");
    Some(if joined.is_empty() {
        "/".into()
    } else {
        joined
    })
}

#[cfg(test)]
mod tests {
    use super::urljoin;

    /// Each expected value is what CPython 3.11's `urllib.parse.urljoin` returns.
    #[test]
    fn joins_paths_as_python_does() {
        let cases = [
            (
                "api/v1/radius/organization/",
                "<slug:slug>/batch/<uuid:pk>/csv/",
                "api/v1/radius/organization/<slug:slug>/batch/<uuid:pk>/csv/",
            ),
            (
                "api/v1/radius/organization/",
                "<path:path>",
                "api/v1/radius/organization/<path:path>",
            ),
            ("a/b", "c", "a/c"),
            ("a/b/", "/c", "/c"),
            ("a/b/", "../c", "a/c"),
            ("a/b/", "./", "a/b/"),
            ("a//b/", "c", "a/b/c"),
            ("a/", "", "a/"),
            ("", "c", "c"),
            ("a", "..", "/"),
        ];
        for (base, url, want) in cases {
            assert_eq!(urljoin(base, url).as_deref(), Some(want), "{base} + {url}");
        }
        assert_eq!(urljoin("http://x/a", "b"), None);
        assert_eq!(urljoin("a/", "b?x=1"), None);
        assert_eq!(urljoin("a/", "mailto:x"), None);
    }
}
