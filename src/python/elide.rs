//! Function bodies that cannot matter are blanked out before parsing.
//!
//! Most lines of a web application are function bodies, and most bodies
//! (business logic, serialisation, helpers) declare nothing a migration
//! inventory records. A body whose bytes contain none of the pre-filter's
//! [`prefilter::TRIGGERS`] (its declaration-only literals do not count) nor
//! [`BODY_TRIGGERS`] is overwritten with spaces before tree-sitter sees the
//! file, keeping every newline (line numbers stay exact) and leaving a `pass`
//! so the `def` stays valid; lines left with only spaces are then emptied.
//! Import statements in the body are kept, moved to the body's first column:
//! the pre-filter's closure and name resolution follow them. A body that
//! names only what the call-site queries look for (`Book.objects.filter`,
//! `render(...)`) keeps just those statements and the block headers around
//! them, in place ([`skeleton`]), when that stands alone as Python.
//! Comments and the text of docstrings are dropped too, wherever they are
//! ([`notes`]): the IR keeps neither, and tree-sitter's lexer would otherwise
//! step through every byte of them.
//!
//! The scan is a small Python tokenizer (strings, comments, brackets, line
//! continuations, indentation). Whenever a file looks unusual (tabs in
//! indentation, an unterminated string or bracket), it is parsed as written.
//! Short bodies are blanked too. A blanked function is marked (`FuncDef::elided`);
//! when an interpreter must run one (a helper that fills a URL registry), it
//! reads that body again from the file (`python::lazy`). Bodies holding a
//! Python 2 `print`/`exec` statement are kept, for the warning.
//!
//! `scan --no-prefilter` parses every body; the accuracy check compares both.

use crate::prefilter;
use aho_corasick::AhoCorasick;
use std::ops::Range;
use std::sync::LazyLock;

/// Literals that keep a body besides the pre-filter's, for the extractors
/// that walk bodies: Flask app and blueprint hooks (every name in
/// `flask::misc`'s lists, a test checks) and auth callbacks registered in a
/// set-up function, auth decorators on nested views, and an app object passed
/// on (`configure(app)`): a set-up function that only calls others still
/// links the app factory to what they register.
/// Helpers that only the URL interpreter runs (URL prefixes, plugin
/// discovery, registries) need no literal: it reads their bodies again.
pub const BODY_TRIGGERS: &[&str] = &[
    "before_request",
    "after_request",
    "before_app_request",
    "after_app_request",
    "before_first_request",
    "teardown_",
    "errorhandler",
    "context_processor",
    "template_filter",
    "template_global",
    "template_test",
    "url_value_preprocessor",
    "url_defaults",
    "(app",
    "app)",
    // callbacks of login/JWT/HTTP-auth managers decorated in a set-up
    // function (`@jwt.user_lookup_loader`, `@auth.verify_password`)
    "_loader",
    "_handler",
    "verify_",
    // Django auth decorators on views defined in a function (decorator
    // factories, views built per call): `django::misc::AUTH_DECORATORS`
    "_required",
    "user_passes_test",
    "permission_classes",
    "authentication_classes",
];

/// Literals that make a body worth lowering to IR: the body literals less
/// those only the call-site queries need, which read the syntax tree.
static IR_AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let literals = prefilter::TRIGGERS
        .iter()
        .filter(|t| !prefilter::QUERY_TRIGGERS.contains(t))
        .chain(BODY_TRIGGERS);
    prefilter::build(literals)
});

/// Whether a function body that survived elision (it names a literal) is
/// lowered to IR: when it names more than what the call-site queries match
/// (`Foo.objects.filter(...)` in a view needs its tree, not its IR).
pub fn lowers_body(body: &[u8]) -> bool {
    IR_AC.is_match(body) || has_python2_statement(body) || guards_a_view(body)
}

/// Auth words in a decorator's name (Flask's `flask::auth`): a body defining views
/// under such a decorator (`@require_basic_auth` on a view a set-up function defines)
/// is read, for the route's auth.
static AUTH_AC: LazyLock<AhoCorasick> =
    LazyLock::new(|| prefilter::build(crate::flask::auth::AUTH_WORDS.iter()));

/// Whether a line of `text` is a decorator naming an auth word.
fn guards_a_view(text: &[u8]) -> bool {
    memchr::memchr(b'@', text).is_some()
        && text.split(|&b| b == b'\n').any(|l| {
            let l = l.trim_ascii_start();
            l.first() == Some(&b'@') && AUTH_AC.is_match(l)
        })
}

/// [`lowers_body`] for the logical lines `body` of `src`, not counting the
/// literals named only in its `comments` (all of the file's, in order) or
/// docstrings: the lowering would not count them either, as neither is left
/// when it runs, and would leave the body out of the IR (see `notes`).
/// No literal spans a comment's or a docstring's edge (none holds a line
/// break or a quote), so the code between them is searched piece by piece.
fn lowers_code(src: &[u8], body: &[Line], comments: &[Range<usize>]) -> bool {
    let span = body[0].start..body[body.len() - 1].end;
    if has_python2_statement(&src[span.clone()]) || guards_a_view(&src[span.clone()]) {
        return true;
    }
    let in_span = comments_in(comments, &span).cloned();
    let docstrings = body.iter().filter_map(|l| docstring_text(src, l));
    let mut holes: Vec<Range<usize>> = in_span.chain(docstrings).collect();
    holes.sort_unstable_by_key(|h| h.start);
    let mut at = span.start;
    for h in holes {
        if IR_AC.is_match(&src[at..h.start]) {
            return true;
        }
        at = h.end;
    }
    IR_AC.is_match(&src[at..span.end])
}

/// The comments (all of the file's, in order) that start inside `span`.
fn comments_in<'c>(
    comments: &'c [Range<usize>],
    span: &Range<usize>,
) -> impl Iterator<Item = &'c Range<usize>> {
    let first = comments.partition_point(|c| c.start < span.start);
    let end = span.end;
    comments[first..].iter().take_while(move |c| c.start < end)
}

/// Whether a line of `body` starts like a Python 2 `print`/`exec` statement
/// (`print "x"`, `print >>f, x`, `exec code in ns`). Errs towards yes: a
/// body wrongly kept costs only time.
fn has_python2_statement(body: &[u8]) -> bool {
    // Most bodies name neither word: one fast search each rules them out.
    if memchr::memmem::find(body, b"print").is_none()
        && memchr::memmem::find(body, b"exec").is_none()
    {
        return false;
    }
    body.split(|&c| c == b'\n').any(|line| {
        let text = line.trim_ascii_start();
        [&b"print"[..], b"exec"].iter().any(|w| {
            word_at(text, w)
                && text[w.len()..]
                    .trim_ascii_start()
                    .first()
                    .is_some_and(|c| !b"(=.,)]}:;#\r".contains(c))
        })
    })
}

/// One logical line: `start..end` bytes from the start of its first physical
/// line (end excludes the final newline), where its text starts, and the
/// indentation of its first physical line.
#[derive(Debug)]
struct Line {
    start: usize,
    text_start: usize,
    end: usize,
    indent: usize,
}

/// A file with bodies blanked.
pub struct Elided {
    pub src: Vec<u8>,
    /// Where each blanked body now starts, in order. The lowering marks those
    /// functions as not read, so that no interpreter takes their `pass` for
    /// what they do.
    pub starts: Vec<usize>,
    /// Lines blanked, for `scan -v`.
    pub lines: usize,
}

/// `src` with the bodies that cannot matter blanked and without comments and
/// docstrings' text, or `None` when there was nothing to drop (or the file is
/// not one the tokenizer is sure about).
pub fn elide(src: &[u8]) -> Option<Elided> {
    let Tokens { lines, comments } = tokenize(src)?;
    let mut out: Option<Vec<u8>> = None;
    let mut starts = Vec::new();
    let mut regions = Vec::new();
    let mut blanked_lines = 0;
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let text = &src[l.text_start..l.end];
        if !(is_def(text) && ends_block_header(text)) {
            i += 1;
            continue;
        }
        let body_end = body_end(&lines, i);
        let body = &lines[i + 1..body_end];
        if body.is_empty() {
            i += 1;
            continue;
        }
        let range = body[0].start..body[body.len() - 1].end;
        let bytes = &src[range.clone()];
        if lowers_code(src, body, &comments) {
            // Kept: its nested functions are considered on their own.
            i += 1;
            continue;
        }
        // Only call sites to find (a query literal outside comments): keep
        // just the statements that name one, with the blocks around them.
        if body
            .iter()
            .any(|b| prefilter::wants_queries(&src[b.text_start..b.end]))
        {
            let Some(keep) = skeleton(src, body) else {
                i += 1;
                continue;
            };
            let buf = out.get_or_insert_with(|| src.to_vec());
            blanked_lines += thin(buf, src, body, &keep, &comments);
            regions.push(range);
            i = body_end;
            continue;
        }
        let buf = out.get_or_insert_with(|| src.to_vec());
        starts.push(blank(buf, src, body));
        regions.push(range);
        blanked_lines += line_count(bytes);
        i = body_end;
    }
    let notes = notes(src, &lines, &comments, &regions);
    if out.is_none() && notes.is_empty() {
        return None;
    }
    let buf = out.as_deref().unwrap_or(src);
    let mut cuts = blank_lines(buf, &regions);
    cuts.extend(notes);
    cuts.sort_unstable_by_key(|c| c.start);
    Some(Elided {
        src: cut(buf, &cuts, &mut starts),
        starts,
        lines: blanked_lines,
    })
}

/// The lines of the blanked `regions` that hold only spaces, as byte ranges
/// to cut (line breaks excluded): tree-sitter's scanner would otherwise step
/// through every one of those spaces. A line left is kept verbatim (it may be
/// inside a string).
fn blank_lines(buf: &[u8], regions: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for r in regions {
        let mut i = r.start;
        while i < r.end {
            let e = buf[i..r.end]
                .iter()
                .position(|&c| c == b'\n' || c == b'\r')
                .map_or(r.end, |p| i + p);
            if e > i && buf[i..e].iter().all(|&c| c == b' ') {
                out.push(i..e);
            }
            i = e + 1;
        }
    }
    out
}

/// Comments and the text of docstrings outside the blanked `regions`, as byte
/// ranges to cut (line breaks excluded, so line numbers do not move). A
/// comment alone on its line takes the line's indentation with it. A
/// docstring is a logical line that is one plain string literal (no
/// f-string: its fields are code) followed by nothing but a comment; its
/// quotes stay, so the statement stays (the IR drops bare strings), and
/// nothing after it on its last line moves.
fn notes(
    src: &[u8],
    lines: &[Line],
    comments: &[Range<usize>],
    regions: &[Range<usize>],
) -> Vec<Range<usize>> {
    let outside = |at: usize| {
        let r = regions.partition_point(|r| r.end <= at);
        regions.get(r).is_none_or(|r| at < r.start)
    };
    let mut out = Vec::new();
    for c in comments.iter().filter(|c| outside(c.start)) {
        let line_start = src[..c.start]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |p| p + 1);
        let alone = src[line_start..c.start]
            .iter()
            .all(|b| b" \t\x0c".contains(b));
        out.push(if alone { line_start } else { c.start }..c.end);
    }
    for l in lines.iter().filter(|l| outside(l.text_start)) {
        let Some(text) = docstring_text(src, l) else {
            continue;
        };
        let mut i = text.start;
        while i < text.end {
            let e = src[i..text.end]
                .iter()
                .position(|&c| c == b'\n' || c == b'\r')
                .map_or(text.end, |p| i + p);
            if e > i {
                out.push(i..e);
            }
            i = e + 1;
        }
    }
    out
}

/// Between the quotes of the docstring that logical line `l` is, if it is one.
fn docstring_text(src: &[u8], l: &Line) -> Option<Range<usize>> {
    let text = &src[l.text_start..l.end];
    let prefix = text.iter().take_while(|c| b"rRuUbB".contains(c)).count();
    let q = *text.get(prefix)?;
    if prefix > 2 || (q != b'"' && q != b'\'') {
        return None;
    }
    let open = l.text_start + prefix;
    let close = skip_string(src, open)?;
    let rest = src[close..l.end].trim_ascii_start();
    if !(rest.is_empty() || rest.starts_with(b"#")) {
        return None;
    }
    let triple = text[prefix..].starts_with(&[q, q, q]) && close - open >= 6;
    let quotes = if triple { 3 } else { 1 };
    let inner = open + quotes..close - quotes;
    // A one-quote string continued with a backslash keeps its line breaks
    // only with their backslashes: left as written.
    if !triple && src[inner.clone()].iter().any(|&c| c == b'\n' || c == b'\r') {
        return None;
    }
    Some(inner)
}

/// `buf` without the byte ranges `cuts` (sorted, disjoint), with `starts`
/// (none inside a cut) moved to the new offsets.
fn cut(buf: &[u8], cuts: &[Range<usize>], starts: &mut [usize]) -> Vec<u8> {
    let mut out = Vec::with_capacity(buf.len());
    let mut copied = 0;
    let mut next = 0;
    for c in cuts {
        while next < starts.len() && starts[next] < c.start {
            starts[next] -= copied - out.len();
            next += 1;
        }
        out.extend_from_slice(&buf[copied..c.start]);
        copied = c.end;
    }
    for s in &mut starts[next..] {
        *s -= copied - out.len();
    }
    out.extend_from_slice(&buf[copied..]);
    out
}

/// The bytes of the function defined on 1-based `line` of `src`: from its
/// `def` (or `async`) to the end of its body, as `elide` delimits bodies.
pub fn def_span(src: &[u8], line: u32) -> Option<Range<usize>> {
    let lines = logical_lines(src)?;
    let mut row = 1;
    let mut counted = 0;
    let i = lines.iter().position(|l| {
        row += src[counted..l.start]
            .iter()
            .filter(|&&c| c == b'\n')
            .count() as u32;
        counted = l.start;
        row >= line
    })?;
    let l = &lines[i];
    if row != line || !is_def(&src[l.text_start..l.end]) {
        return None;
    }
    Some(l.text_start..lines[body_end(&lines, i) - 1].end)
}

/// Index just past the block of the header at `lines[i]`: the lines after
/// it indented deeper (none for a one-line `def f(): ...`).
fn body_end(lines: &[Line], i: usize) -> usize {
    let indent = lines[i].indent;
    lines[i + 1..]
        .iter()
        .position(|b| b.indent <= indent)
        .map_or(lines.len(), |n| i + 1 + n)
}

/// Physical lines in `bytes`.
fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&c| c == b'\n').count() + 1
}

/// Writes `pass` (`0` where the line is too short for it) where the blanked
/// line `l` started its text, and returns that offset.
fn put_pass(buf: &mut [u8], src: &[u8], l: &Line) -> usize {
    let room = first_line(&src[l.text_start..l.end]).len();
    let stmt: &[u8] = if room >= 4 { b"pass" } else { b"0" };
    buf[l.text_start..l.text_start + stmt.len()].copy_from_slice(stmt);
    l.text_start
}

/// What becomes of one logical line of a body that only call sites matter in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Keep {
    No,
    Yes,
    /// A block header kept for a query literal of its own, none of whose
    /// block is kept: the block's first line becomes `pass`.
    Emptied,
}

/// Clauses that cannot stand without the statement before them, or (`try`)
/// without a clause after: a skeleton that would keep one is not made.
const CLAUSES: &[&[u8]] = &[
    b"else", b"elif", b"except", b"finally", b"try", b"case", b"match",
];

/// For a body kept only for its call sites: keep the lines that name a query
/// literal, its imports, and the headers of the blocks around them, so that
/// tree-sitter sees the same calls at the same places. `None` when that
/// would not be valid Python on its own (a kept `else:` or `try:` clause, a
/// kept decorator).
fn skeleton(src: &[u8], body: &[Line]) -> Option<Vec<Keep>> {
    let mut keep = vec![Keep::No; body.len()];
    // A line is a block header exactly when the next logical line is
    // indented deeper.
    let is_header = |j: usize| body.get(j + 1).is_some_and(|n| n.indent > body[j].indent);
    // Enclosing block headers, innermost last.
    let mut headers: Vec<usize> = Vec::new();
    for (j, l) in body.iter().enumerate() {
        while headers.last().is_some_and(|&h| body[h].indent >= l.indent) {
            headers.pop();
        }
        let text = &src[l.text_start..l.end];
        let header = is_header(j);
        // (a docstring names no call: it is dropped, as comments are)
        let query = prefilter::wants_queries(text) && docstring_text(src, l).is_none();
        if is_import(text) || query {
            if text.starts_with(b"@") {
                return None;
            }
            for &h in &headers {
                keep[h] = Keep::Yes;
            }
            keep[j] = if header { Keep::Emptied } else { Keep::Yes };
        }
        if header {
            headers.push(j);
        }
    }
    let clause = |j: usize| {
        let text = &src[body[j].text_start..body[j].end];
        CLAUSES.iter().any(|w| word_at(text, w))
    };
    let invalid = (0..body.len()).any(|j| keep[j] != Keep::No && is_header(j) && clause(j));
    // nothing to keep (a query named only in a docstring) leaves no body: read it as written
    let empty = keep.iter().all(|k| *k == Keep::No);
    (!invalid && !empty).then_some(keep)
}

/// Blanks the lines of `body` that `keep` drops, and every comment in it (the
/// lowering decides from what is left whether to read the body: a word in a
/// comment must not decide it), writes `pass` into the blocks of emptied
/// headers, and returns how many lines were blanked.
fn thin(
    buf: &mut [u8],
    src: &[u8],
    body: &[Line],
    keep: &[Keep],
    comments: &[Range<usize>],
) -> usize {
    let mut blanked = 0;
    for (l, k) in body.iter().zip(keep) {
        if *k == Keep::No {
            space(&mut buf[l.start..l.end]);
            blanked += line_count(&src[l.start..l.end]);
        }
    }
    let span = body[0].start..body[body.len() - 1].end;
    for c in comments_in(comments, &span) {
        space(&mut buf[c.clone()]);
    }
    for (j, k) in keep.iter().enumerate() {
        if *k == Keep::Emptied {
            // A header's next line is in its block, and was not kept.
            put_pass(buf, src, &body[j + 1]);
        }
    }
    blanked
}

/// Overwrites everything but line breaks with spaces.
fn space(bytes: &mut [u8]) {
    for b in bytes {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// Overwrites `body` with spaces (newlines kept), then writes its import
/// statements back at the body's indentation, or `pass` if there is none.
/// Returns where the body's first statement now starts.
fn blank(buf: &mut [u8], src: &[u8], body: &[Line]) -> usize {
    space(&mut buf[body[0].start..body[body.len() - 1].end]);
    let base = body[0].indent;
    let mut first_kept = None;
    for l in body {
        let text = &src[l.text_start..l.end];
        if !is_import(text) || l.indent < base {
            continue;
        }
        // An import is moved left to `base`; a backslash-continued one
        // cannot be moved safely and is dropped.
        if first_line(text).trim_ascii_end().ends_with(b"\\") {
            continue;
        }
        let at = l.start + base;
        buf[at..at + text.len()].copy_from_slice(text);
        // What the shift uncovered: blank, with no newline (the moved text
        // brought the statement's own).
        for b in &mut buf[at + text.len()..l.end] {
            *b = b' ';
        }
        first_kept.get_or_insert(at);
    }
    // The first line's text starts at `base`, where `pass` goes.
    first_kept.unwrap_or_else(|| put_pass(buf, src, &body[0]))
}

fn first_line(text: &[u8]) -> &[u8] {
    let end = text
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .unwrap_or(text.len());
    &text[..end]
}

fn word_at(text: &[u8], word: &[u8]) -> bool {
    text.starts_with(word)
        && text
            .get(word.len())
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
}

fn is_def(text: &[u8]) -> bool {
    word_at(text, b"def")
        || (word_at(text, b"async") && word_at(text[5..].trim_ascii_start(), b"def"))
}

fn is_import(text: &[u8]) -> bool {
    word_at(text, b"import") || word_at(text, b"from")
}

/// Whether a `def` line ends with its colon, the body on the following lines
/// (`def f(): return 1` keeps its body on the same line).
fn ends_block_header(text: &[u8]) -> bool {
    // Comments were not removed: strip one trailing `# ...` outside brackets.
    let code = match text.iter().rposition(|&c| c == b')') {
        Some(close) => {
            let tail = &text[close..];
            match tail.iter().position(|&c| c == b'#') {
                Some(h) => &text[..close + h],
                None => text,
            }
        }
        None => text,
    };
    code.trim_ascii_end().ends_with(b":")
}

/// What the tokenizer finds in a file.
struct Tokens {
    lines: Vec<Line>,
    /// Each comment, from its `#` to the end of its line (break excluded).
    comments: Vec<Range<usize>>,
}

/// Splits `src` into logical lines.
fn logical_lines(src: &[u8]) -> Option<Vec<Line>> {
    tokenize(src).map(|t| t.lines)
}

/// Logical lines and comments. `None` when the tokenizer is unsure: tabs in
/// indentation, an unterminated string, unbalanced brackets.
fn tokenize(src: &[u8]) -> Option<Tokens> {
    let mut out = Vec::new();
    let mut comments = Vec::new();
    let n = src.len();
    let mut i = 0;
    while i < n {
        // At the start of a physical line outside any construct.
        let line_start = i;
        let mut indent = 0;
        while i < n && (src[i] == b' ' || src[i] == b'\t' || src[i] == b'\x0c') {
            if src[i] == b'\t' {
                return None;
            }
            indent += 1;
            i += 1;
        }
        if i >= n {
            break;
        }
        match src[i] {
            b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                let start = i;
                while i < n && src[i] != b'\n' && src[i] != b'\r' {
                    i += 1;
                }
                comments.push(start..i);
                continue;
            }
            _ => {}
        }
        let text_start = i;
        let mut depth: i32 = 0;
        loop {
            if i >= n {
                if depth != 0 {
                    return None;
                }
                break;
            }
            match src[i] {
                b'#' => {
                    let start = i;
                    while i < n && src[i] != b'\n' && src[i] != b'\r' {
                        i += 1;
                    }
                    comments.push(start..i);
                }
                b'\\' => {
                    // A continuation: skip the backslash and the newline.
                    i += 1;
                    if i < n && src[i] == b'\r' {
                        i += 1;
                    }
                    if i < n && src[i] == b'\n' {
                        i += 1;
                    }
                }
                b'\n' | b'\r' if depth == 0 => break,
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth < 0 {
                        return None;
                    }
                    i += 1;
                }
                b'\'' | b'"' => i = skip_string(src, i)?,
                _ => i += 1,
            }
        }
        out.push(Line {
            start: line_start,
            text_start,
            end: i,
            indent,
        });
    }
    Some(Tokens {
        lines: out,
        comments,
    })
}

/// The index just past the string literal whose opening quote is at `i`
/// (prefixes such as `rb` are ordinary identifier bytes before it).
fn skip_string(src: &[u8], i: usize) -> Option<usize> {
    let q = src[i];
    let n = src.len();
    let triple = i + 2 < n && src[i + 1] == q && src[i + 2] == q;
    let mut j = if triple { i + 3 } else { i + 1 };
    while j < n {
        match src[j] {
            b'\\' => j += 2,
            c if c == q => {
                if !triple {
                    return Some(j + 1);
                }
                if j + 2 < n && src[j + 1] == q && src[j + 2] == q {
                    return Some(j + 3);
                }
                j += 1;
            }
            b'\n' | b'\r' if !triple => return None,
            _ => j += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> String {
        elide(src.as_bytes())
            .map(|e| String::from_utf8(e.src).unwrap())
            .unwrap_or_else(|| src.to_string())
    }

    const PLAIN: &str = "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    s = s * 2\n    return s\n";

    #[test]
    fn blanks_a_plain_body_keeping_lines() {
        let out = run(PLAIN);
        assert_eq!(out.lines().count(), PLAIN.lines().count());
        assert_eq!(out.lines().nth(1).unwrap().trim(), "pass");
        assert!(out.lines().skip(2).all(|l| l.trim().is_empty()), "{out}");
        assert!(
            crate::python::parse::first_error_line(
                &crate::python::parse::parse(out.as_bytes()).unwrap()
            )
            .is_none()
        );
    }

    #[test]
    fn keeps_bodies_with_triggers_and_python2_statements() {
        let src = "def setup(app):\n    a = 1\n    app.add_url_rule('/x', 'x', view)\n";
        assert_eq!(run(src), src);
        // A URL helper is blanked: the interpreter reads it again (`lazy`).
        let prefix = "def prefix():\n    return '/api'\n";
        assert_eq!(run(prefix), "def prefix():\n    pass         \n");
        let one_line = "def f(): return 1\n";
        assert_eq!(run(one_line), one_line);
        let py2 = "def f(x):\n    print x\n";
        assert_eq!(run(py2), py2);
        let py3 = "def f(x):\n    print(x)\n    p = print\n";
        assert_eq!(run(py3), "def f(x):\n    pass    \n\n");
    }

    #[test]
    fn comments_and_docstrings_are_dropped_keeping_lines_and_columns() {
        let src = r#"# header
"""Module

doc.
"""
X = 1  # one
class A:
    '''Doc.'''
    y = f"{x}"
    f"not {a} a doc"
    "a" "b"
    r'raw'  # c
    'one' \
        'two'
    'x'.join(y)
"#;
        let want = r#"
"""


"""
X = 1  
class A:
    ''''''
    y = f"{x}"
    f"not {a} a doc"
    "a" "b"
    r''  
    'one' \
        'two'
    'x'.join(y)
"#;
        assert_eq!(run(src), want);
        let tree = crate::python::parse::parse(want.as_bytes()).unwrap();
        assert!(crate::python::parse::first_error_line(&tree).is_none());
    }

    #[test]
    fn literals_in_comments_and_docstrings_keep_no_body() {
        let src = "def f(x):\n    \"\"\"Schedule a task.\"\"\"\n    return x  # see route()\n";
        let out = run(src);
        assert_eq!(out.lines().nth(1).unwrap().trim(), "pass", "{out}");
        assert!(!out.contains("return"), "{out}");
        let code = "def f(x):\n    \"\"\"Doc.\"\"\"\n    return x.task  # c\n";
        assert!(run(code).contains("return x.task"));
    }

    /// The call sites tree-sitter's queries find in `src`.
    fn sites(src: &[u8]) -> Vec<crate::python::queries::CallSite> {
        let tree = crate::python::parse::parse(src).unwrap();
        assert!(
            crate::python::parse::first_error_line(&tree).is_none(),
            "{}",
            String::from_utf8_lossy(src)
        );
        crate::python::queries::call_sites(tree.root_node(), src)
    }

    #[test]
    fn bodies_kept_for_call_sites_keep_only_those_statements() {
        let src = "def view(request, pk):\n    user = request.user\n    if user.is_staff:\n        log(user)\n        for b in Book.objects.filter(owner=user):  # all\n            total = b.price * 2\n            print_it(total)\n    else:\n        deny()\n    note = '''\nobjects in a string\n'''\n    return render(request, 'books.html', {'n': note})\n";
        let out = run(src);
        assert_eq!(out.lines().count(), src.lines().count(), "{out}");
        assert!(out.contains("\n    if user.is_staff:\n"), "{out}");
        assert!(!out.contains("else"), "{out}");
        assert!(!out.contains("log(user)"), "{out}");
        assert!(!out.contains("deny()"), "{out}");
        assert!(out.contains("            pass"), "{out}");
        assert_eq!(sites(out.as_bytes()), sites(src.as_bytes()));
        assert_eq!(sites(src.as_bytes()).len(), 2);
    }

    #[test]
    fn a_skeleton_that_would_not_stand_alone_keeps_the_body() {
        let in_try = "def view(request):\n    try:\n        b = Book.objects.get(pk=1)\n    except Book.DoesNotExist:\n        b = None\n    return b\n";
        assert_eq!(run(in_try), in_try);
        let in_else = "def view(request):\n    if request.user:\n        x = 1\n    else:\n        x = Book.objects.count()\n    return x\n";
        assert_eq!(run(in_else), in_else);
        // A literal in a comment only: nothing to find, the body is blanked
        // (and the comment dropped).
        let comment = "def f(x):\n    # objects\n    return x\n";
        assert_eq!(run(comment), "def f(x):\n\n    pass    \n");
    }

    /// A body kept for its call sites holds no comment: the lowering reads a body whose
    /// text names a trigger, and a word in a comment (`# admin routes`) made it read the
    /// thinned body instead of the whole one (quillet lost the routes its helper registers).
    #[test]
    fn a_thinned_body_keeps_no_comment() {
        let src = "def register(bp):\n    @bp.get('/a')\n    def a():\n        x = 1\n        return render(x)\n    # admin routes\n    @bp.get('/b')\n    def b():\n        return 2\n";
        let out = run(src);
        assert!(out.contains("return render(x)"), "{out}");
        assert!(!out.contains('#'), "{out}");
        assert!(!lowers_body(out.as_bytes()), "{out}");
        // a query named only in a docstring keeps nothing: the body is read as written
        let doc = "def f(x):\n    '''render the page.'''\n    return x\n";
        assert!(run(doc).contains("return x"), "{}", run(doc));
    }

    #[test]
    fn def_span_finds_a_function_by_its_line() {
        let src = b"import os\n\nclass A:\n    @staticmethod\n    def f(x):\n        s = '''\nend\n'''\n        return x\n\n    y = 1\n";
        let span = def_span(src, 5).unwrap();
        assert_eq!(
            &src[span],
            &b"def f(x):\n        s = '''\nend\n'''\n        return x"[..]
        );
        assert!(def_span(src, 4).is_none(), "a decorator line is not a def");
        assert!(def_span(src, 99).is_none());
    }

    #[test]
    fn imports_are_moved_to_the_body_column() {
        let src = "def f():\n    x = 1\n    if x:\n        from .views import (\n            a,\n        )\n    y = 2\n    return y\n";
        let out = run(src);
        assert!(
            out.contains("\n    from .views import (\n            a,\n        )"),
            "{out}"
        );
        let tree = crate::python::parse::parse(out.as_bytes()).unwrap();
        assert!(
            crate::python::parse::first_error_line(&tree).is_none(),
            "{out}"
        );
    }

    #[test]
    fn blanked_lines_are_emptied_and_starts_point_at_what_is_left() {
        let e = elide(PLAIN.as_bytes()).unwrap();
        let out = String::from_utf8(e.src.clone()).unwrap();
        assert_eq!(out, "def total(xs):\n    pass \n\n\n\n\n", "{out:?}");
        assert!(e.src[e.starts[0]..].starts_with(b"pass"));
        // The first kept statement is an import further down: the mark must
        // sit on it, where tree-sitter's block starts.
        let src = "x = 1\r\ndef f():\r\n    a = 1\r\n    b = 2\r\n    import os\r\n    c = 3\r\n    return a\r\ny = '  '\r\n";
        let e = elide(src.as_bytes()).unwrap();
        let out = String::from_utf8(e.src.clone()).unwrap();
        assert_eq!(out.lines().count(), src.lines().count(), "{out:?}");
        assert!(e.src[e.starts[0]..].starts_with(b"import os"), "{out:?}");
        assert!(out.ends_with("y = '  '\r\n"), "{out:?}");
    }

    #[test]
    fn nested_functions_of_kept_bodies_are_considered() {
        let src = format!(
            "def create_app():\n    app = Flask(__name__)\n    {}\n    return app\n",
            PLAIN.replace('\n', "\n    ").trim_end()
        );
        let out = run(&src);
        assert!(out.contains("Flask(__name__)"));
        assert!(!out.contains("s += x"), "{out}");
    }

    #[test]
    fn strings_and_brackets_do_not_confuse_it() {
        let src = "def f():\n    s = '''\ndef g():\n'''\n    t = (1,\n2)\n    u = \"#\" # ( [\n    v = r'\\''\n    return s\n";
        let out = run(src);
        let tree = crate::python::parse::parse(out.as_bytes()).unwrap();
        assert!(
            crate::python::parse::first_error_line(&tree).is_none(),
            "{out}"
        );
        assert!(!out.contains("def g"), "{out}");
    }

    #[test]
    fn unusual_files_are_left_alone() {
        assert!(elide(b"def f():\n\tx = 1\n\tx = 2\n\tx = 3\n\tx = 4\n\treturn x\n").is_none());
        assert!(elide(b"def f():\n    x = '\n").is_none());
        assert!(elide(b"def f():\n    x = (\n").is_none());
    }
}
