//! `crossport port`: the first draft of the target project, written from the inventory.
//!
//! Flask -> Django: one Django app per app the plan proposes (models on the same tables, URL
//! patterns, view stubs, Celery task stubs), the project around them, and PORTING.md.
//! Django -> Flask: the app the plan extracts as a Flask service (SQLAlchemy models on the same
//! tables, a blueprint with every URL pattern, view stubs with their auth, the parent's HTTP
//! client, an Alembic environment), and PORTING.md. Whatever
//! is not converted becomes a `# TODO(CPxxx): reason` comment where it belongs and a counted
//! item here, with its source location. `verify` then proves the draft with the target
//! framework. This module depends on the inventory and the plan, never the other way round.

pub mod django_models;
pub mod django_urls;
pub mod django_views;
pub mod flask_models;
pub mod flask_service;
pub mod flask_urls;
pub mod porting_md;
pub mod project;
pub mod verify;

use crate::inventory::Inventory;
use serde::Serialize;
use std::collections::BTreeMap;

/// Something crossport did not convert: a comment at `place` and an item in PORTING.md.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Todo {
    /// The rule it belongs to (`crossport explain CODE`).
    pub code: &'static str,
    /// The construct kind: model, association_table, route, job, settings.
    pub kind: &'static str,
    /// The source construct (`module.Class`, a rule, a job name).
    pub construct: String,
    pub reason: String,
    pub file: String,
    pub line: u32,
    /// The generated file holding the TODO comment.
    pub place: String,
}

impl Todo {
    /// The comment written into the generated code.
    pub fn comment(&self) -> String {
        format!(
            "# TODO({}): {} ({}:{})",
            self.code,
            self.reason.replace('\n', " "),
            self.file,
            self.line
        )
    }
}

/// One source construct and what was generated for it.
#[derive(Debug, Clone, Serialize)]
pub struct Construct {
    /// model, association_table, route, job.
    pub kind: &'static str,
    /// The source name (`module.Class`, table name, `METHODS rule`, job name).
    pub source: String,
    pub file: String,
    pub line: u32,
    /// What was generated (`blog/models.py: Post`, `blog/urls.py: blog:index`).
    pub generated: String,
    /// Extra facts the verifier needs (the table, the URL name, the werkzeug rule, ...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub detail: BTreeMap<String, String>,
    /// The codes of the TODOs left on this construct.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub todos: Vec<&'static str>,
}

/// Which way a draft ports.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    #[default]
    FlaskToDjango,
    DjangoToFlask,
}

impl Direction {
    /// `flask->django`, as the plan JSON names directions.
    pub fn id(self) -> &'static str {
        match self {
            Direction::FlaskToDjango => "flask->django",
            Direction::DjangoToFlask => "django->flask",
        }
    }

    /// `Flask -> Django`, for people.
    pub fn title(self) -> &'static str {
        match self {
            Direction::FlaskToDjango => "Flask -> Django",
            Direction::DjangoToFlask => "Django -> Flask",
        }
    }
}

/// The generated project: file contents by path relative to the output folder.
#[derive(Debug, Default)]
pub struct Draft {
    pub direction: Direction,
    pub files: BTreeMap<String, String>,
    pub constructs: Vec<Construct>,
    pub todos: Vec<Todo>,
    /// The project package (`config`; Django -> Flask: the service package).
    pub project: String,
    /// The Django apps, in order (Django -> Flask: the extracted app).
    pub apps: Vec<String>,
}

impl Draft {
    /// Constructs of one kind, with how many carry a TODO.
    pub fn counts(&self, kind: &str) -> (usize, usize) {
        let of: Vec<&Construct> = self.constructs.iter().filter(|c| c.kind == kind).collect();
        (of.len(), of.iter().filter(|c| !c.todos.is_empty()).count())
    }

    /// TODOs per code, for summaries (`CP205 x2`).
    pub fn todo_codes(&self, kind: Option<&str>) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for t in &self.todos {
            if kind.is_none_or(|k| t.kind == k) {
                *m.entry(t.code).or_default() += 1;
            }
        }
        m
    }
}

/// A Python string literal with the quotes `ruff format` keeps: double quotes, unless the text
/// holds more double quotes than single ones (fewer escapes then win, as ruff decides).
pub fn py_str(s: &str) -> String {
    let doubles = s.matches('"').count();
    let q = if doubles > s.matches('\'').count() {
        '\''
    } else {
        '"'
    };
    let mut o = String::from(q);
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if c == q => {
                o.push('\\');
                o.push(c);
            }
            c => o.push(c),
        }
    }
    o.push(q);
    o
}

/// A call laid out the way `ruff format` does at 88 columns: on one line when it fits, else its
/// arguments on one indented line, else one argument a line with a trailing comma. `head` ends
/// with the opening bracket, `tail` starts with the closing one.
pub fn wrap_call(indent: usize, head: &str, args: &[String], tail: &str) -> String {
    const WIDTH: usize = 88;
    let pad = " ".repeat(indent);
    // `target = call(` that does not fit on its line: ruff puts the call in parentheses of its
    // own, one level in (`target = (`, the call, `)`)
    if indent + head.chars().count() > WIDTH
        && tail == ")"
        && let Some((target, call)) = head.split_once(" = ")
        && call.ends_with('(')
        && !call.contains([' ', '='])
    {
        return format!(
            "{pad}{target} = (\n{}{pad})\n",
            wrap_call(indent + 4, call, args, tail)
        );
    }
    let joined = args.join(", ");
    let one = format!("{pad}{head}{joined}{tail}");
    if one.chars().count() <= WIDTH || args.is_empty() {
        return one + "\n";
    }
    let inner = " ".repeat(indent + 4);
    // black's rule for a signature with no comma: split, its lone parameter takes one
    let lone_param = head.starts_with("def ") && args.len() == 1;
    if inner.len() + joined.chars().count() <= WIDTH && !lone_param {
        return format!("{pad}{head}\n{inner}{joined}\n{pad}{tail}\n");
    }
    let mut o = format!("{pad}{head}\n");
    for a in args {
        match split_display(a) {
            // an argument too long for its line is split at its last bracket in turn
            Some((open, items, close)) if inner.len() + a.chars().count() + 1 > WIDTH => {
                let tail = format!("{close},");
                // a call's arguments (a name or a subscript before the bracket), else a display
                let call = close == ')'
                    && open[..open.len() - 1]
                        .ends_with(|c: char| c.is_alphanumeric() || matches!(c, '_' | ']' | ')'));
                o.push_str(&if call {
                    wrap_call(indent + 4, open, &items, &tail)
                } else {
                    wrap_seq(indent + 4, open, &items, &tail)
                });
            }
            _ => o.push_str(&format!("{inner}{a},\n")),
        }
    }
    o.push_str(&format!("{pad}{tail}\n"));
    o
}

/// `choices=[("a", "A"), ("b", "B")]` as (`choices=[`, its items, `]`): an argument that ends
/// with the bracket closing its first one (no quote before that bracket); `None` for any
/// other shape.
fn split_display(arg: &str) -> Option<(&str, Vec<String>, char)> {
    let open = arg.find(['[', '(', '{'])?;
    let close = match arg.as_bytes()[open] {
        b'[' => ']',
        b'(' => ')',
        _ => '}',
    };
    if arg[..open].contains(['"', '\'']) || !arg.ends_with(close) {
        return None;
    }
    let items = split_top(&arg[open + 1..arg.len() - 1])?;
    (!items.is_empty()).then(|| (&arg[..=open], items, close))
}

/// The top-level arguments of a call's inside, or None when the brackets do not balance.
pub(super) fn split_top(inner: &str) -> Option<Vec<String>> {
    let mut args = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            (None, ',') if depth == 0 => {
                args.push(inner[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 || quote.is_some() {
        return None;
    }
    let last = inner[start..].trim();
    if !last.is_empty() {
        args.push(last.to_string());
    }
    Some(args)
}

/// A list or tuple display laid out as `ruff format` does: on one line when it fits, else one
/// element a line with a trailing comma (a display is never joined onto one indented line, as
/// call arguments are). `head` ends with the opening bracket, `tail` starts with the closing one.
pub fn wrap_seq(indent: usize, head: &str, items: &[String], tail: &str) -> String {
    let pad = " ".repeat(indent);
    let one = format!("{pad}{head}{}{tail}", items.join(", "));
    if one.chars().count() <= 88 || items.is_empty() {
        return one + "\n";
    }
    let mut o = format!("{pad}{head}\n");
    for a in items {
        o.push_str(&format!("{pad}    {a},\n"));
    }
    o.push_str(&format!("{pad}{tail}\n"));
    o
}

/// `post_tags` -> `PostTags`, `blog-admin` -> `BlogAdmin`: a class name from any text.
pub fn camel(s: &str) -> String {
    let joined: String = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    py_ident(&joined)
}

/// A Python identifier from any text (`blog-admin` -> `blog_admin`, `2fa` -> `_2fa`).
pub fn py_ident(s: &str) -> String {
    let mut o: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if o.is_empty() || o.starts_with(|c: char| c.is_ascii_digit()) {
        o.insert(0, '_');
    }
    if PY_KEYWORDS.contains(&o.as_str()) {
        o.push('_');
    }
    o
}

const PY_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Flask -> Django: the whole draft, in memory. `source_root` is the scanned repository (the
/// Jinja2 backend reads its template folders where they are).
pub fn flask_to_django(inv: &Inventory, source_root: &std::path::Path) -> Draft {
    let mut draft = Draft::default();
    let routes = django_urls::routes_to_port(inv);
    let apps = django_urls::app_names(inv, &routes);
    draft.project = project::project_package(&apps);
    draft.apps = apps.clone();
    let placement = django_models::Placement::new(inv, &routes, &apps);
    let models = django_models::generate(inv, &placement, &mut draft);
    let urls = django_urls::generate(inv, &routes, &apps, &mut draft);
    django_views::generate(inv, &urls, &mut draft);
    django_views::tasks(inv, &placement, &mut draft);
    project::generate(inv, source_root, &models, &urls, &mut draft);
    finish(inv, draft)
}

/// Django -> Flask: the app the plan extracts (`app` when given) as a Flask service, in memory.
pub fn django_to_flask(inv: &Inventory, app: Option<&str>) -> anyhow::Result<Draft> {
    use crate::plan::django_to_flask as plan;
    let ranked = plan::rank(inv);
    let Some(c) = plan::choose(inv, &ranked, app) else {
        let labels: Vec<&str> = ranked.iter().map(|c| c.label.as_str()).collect();
        match app {
            Some(a) => anyhow::bail!(
                "`{a}` is not one of the project's own Django apps ({})",
                labels.join(", ")
            ),
            None => anyhow::bail!(
                "no project app with models to extract (see `crossport plan --to flask`)"
            ),
        }
    };
    let package = format!("{}_service", py_ident(&c.label));
    let mut draft = Draft {
        direction: Direction::DjangoToFlask,
        project: package.clone(),
        apps: vec![c.label.clone()],
        ..Default::default()
    };
    let models = plan::models_of(inv, c, false);
    let routes = plan::routes_of(inv, c, false);
    let calls = plan::orm_calls_outside(inv, c, false);
    flask_models::generate(inv, &models, &package, &mut draft);
    let auth = flask_urls::generate(&routes, &package, &package, &mut draft);
    flask_service::generate(&c.label, &package, &calls, &auth, &mut draft);
    Ok(finish(inv, draft))
}

/// The `crossport port` result as JSON (`kind` crossport-port).
pub fn render_json(
    draft: &Draft,
    out: &std::path::Path,
    verified: Option<&verify::Verification>,
) -> anyhow::Result<String> {
    let summary: BTreeMap<&str, serde_json::Value> = ["model", "association_table", "route", "job"]
        .into_iter()
        .map(|k| {
            let (n, todo) = draft.counts(k);
            (k, serde_json::json!({"total": n, "todo": todo}))
        })
        .collect();
    let v = serde_json::json!({
        "schema_version": 1,
        "kind": "crossport-port",
        "direction": draft.direction.id(),
        "out": out.display().to_string(),
        "project": draft.project,
        "apps": draft.apps,
        "files": draft.files.keys().collect::<Vec<_>>(),
        "summary": summary,
        "todos": draft.todos,
        "constructs": draft.constructs,
        "verification": verified.map(|v| serde_json::json!({
            "python": v.python,
            "schema_source": v.schema_source,
            "versions": v.versions,
            "checks": v.checks,
            "tallies": v.tallies(draft),
            "findings": v.findings(),
            "tables": v.tables,
            "routes": v.routes,
            "all_verified": v.all_verified(draft),
        })),
    });
    Ok(serde_json::to_string_pretty(&v)? + "\n")
}

/// The `crossport port` result for the terminal.
pub fn render_text(
    draft: &Draft,
    out: &std::path::Path,
    verified: Option<&verify::Verification>,
) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "crossport port: {} draft in {} ({} files, {} `{}`, apps {})",
        draft.direction.title(),
        out.display(),
        draft.files.len(),
        match draft.direction {
            Direction::FlaskToDjango => "project",
            Direction::DjangoToFlask => "service package",
        },
        draft.project,
        draft.apps.join(", ")
    );
    for (k, label) in [
        ("model", "models"),
        ("association_table", "association tables"),
        ("route", "routes"),
        ("job", "background jobs"),
    ] {
        let (n, todo) = draft.counts(k);
        if n > 0 {
            let _ = writeln!(o, "  {label}: {n} generated, {todo} with a TODO");
        }
    }
    if let Some(v) = verified {
        let versions: Vec<String> = v.versions.iter().map(|(k, x)| format!("{k} {x}")).collect();
        let _ = writeln!(o, "verify ({}; {}):", v.python, versions.join(", "));
        let _ = writeln!(o, "  schema source: {}", v.schema_source);
        for c in &v.checks {
            let _ = writeln!(o, "  {}: {}", c.name, if c.ok { "ok" } else { "FAILED" });
        }
        for t in v.tallies(draft) {
            let _ = writeln!(o, "  {}", t.line());
        }
        let findings = v.findings();
        if !findings.is_empty() {
            let _ = writeln!(o, "findings ({}):", findings.len());
            for f in findings {
                let _ = writeln!(o, "  - {}", f.replace('\n', "\n    "));
            }
        }
    }
    let codes: Vec<String> = draft
        .todo_codes(None)
        .iter()
        .map(|(c, n)| format!("{c} x{n}"))
        .collect();
    let _ = writeln!(
        o,
        "TODO: {}{}",
        draft.todos.len(),
        if codes.is_empty() {
            String::new()
        } else {
            format!(" ({})", codes.join(", "))
        }
    );
    for t in &draft.todos {
        let _ = writeln!(
            o,
            "  {} {}:{} {}: {}",
            t.code, t.file, t.line, t.construct, t.reason
        );
    }
    let _ = writeln!(
        o,
        "Read {}/PORTING.md, fill in the views, then commit the draft.",
        out.display()
    );
    o
}

/// The draft in a stable order, with its PORTING.md.
fn finish(inv: &Inventory, mut draft: Draft) -> Draft {
    draft.todos.sort();
    draft.constructs.sort_by(|a, b| {
        (a.kind, &a.file, a.line, &a.source).cmp(&(b.kind, &b.file, b.line, &b.source))
    });
    draft
        .files
        .insert("PORTING.md".into(), porting_md::render(inv, &draft, None));
    draft
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_wrap_like_ruff_format() {
        let short = vec!["max_length=5".to_string()];
        assert_eq!(
            wrap_call(4, "name = models.CharField(", &short, ")"),
            "    name = models.CharField(max_length=5)\n"
        );
        let hug: Vec<String> = [
            "\"blogapp.User\"",
            "on_delete=models.CASCADE",
            "related_name=\"posts\"",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            wrap_call(4, "author = models.ForeignKey(", &hug, ")"),
            "    author = models.ForeignKey(\n        \"blogapp.User\", on_delete=models.CASCADE, related_name=\"posts\"\n    )\n"
        );
        let long: Vec<String> = (0..6)
            .map(|i| format!("argument_number_{i}=\"value\""))
            .collect();
        let out = wrap_call(0, "f(", &long, ")");
        assert_eq!(out.lines().count(), 8, "{out}");
        assert!(
            out.lines()
                .skip(1)
                .take(6)
                .all(|l| l.starts_with("    ") && l.ends_with(','))
        );
    }

    /// Each expected layout is what `ruff format` 0.17 leaves.
    #[test]
    fn an_assignment_whose_call_does_not_fit_is_parenthesized() {
        let target =
            "resource_instance_lifecycle_state_to: Mapped[\"ResourceInstanceLifecycleState\"]";
        assert_eq!(
            wrap_call(
                4,
                &format!("{target} = relationship("),
                &["back_populates=\"x\"".to_string()],
                ")"
            ),
            format!("    {target} = (\n        relationship(back_populates=\"x\")\n    )\n")
        );
        let long = "foreign_keys=\"ResourceInstanceLifecycleStateToXRef.resource_instance_lifecycle_state_to_id\"";
        assert_eq!(
            wrap_call(
                4,
                &format!("{target} = relationship("),
                &[long.to_string()],
                ")"
            ),
            format!(
                "    {target} = (\n        relationship(\n            {long},\n        )\n    )\n"
            )
        );
        // a head that fits splits the arguments only
        assert_eq!(
            wrap_call(
                4,
                "tags: Mapped[list[\"Tag\"]] = relationship(",
                &[long.to_string()],
                ")"
            ),
            format!("    tags: Mapped[list[\"Tag\"]] = relationship(\n        {long},\n    )\n")
        );
    }

    /// Each expected layout is what `ruff format` 0.17 leaves: an argument too long for its
    /// line splits at its own bracket (a display one item a line, a call as calls do), and a
    /// signature's lone parameter takes a trailing comma when split.
    #[test]
    fn long_arguments_and_lone_parameters_split_like_ruff_format() {
        let choices = "choices=[(\"WORKFLOW_STARTED\", \"WORKFLOW_STARTED\"), (\"WORKFLOW_TERMINATED\", \"WORKFLOW_TERMINATED\")]";
        assert_eq!(
            wrap_call(
                4,
                "state = models.CharField(",
                &["max_length=19".to_string(), choices.to_string()],
                ")"
            ),
            "    state = models.CharField(\n        max_length=19,\n        choices=[\n            (\"WORKFLOW_STARTED\", \"WORKFLOW_STARTED\"),\n            (\"WORKFLOW_TERMINATED\", \"WORKFLOW_TERMINATED\"),\n        ],\n    )\n"
        );
        // a tuple display splits one item a line, as a list does
        let tuple = choices
            .replace("choices=[", "choices=(")
            .replace(")]", "))");
        assert_eq!(
            wrap_call(
                0,
                "state = models.CharField(",
                &["max_length=19".to_string(), tuple],
                ")"
            ),
            "state = models.CharField(\n    max_length=19,\n    choices=(\n        (\"WORKFLOW_STARTED\", \"WORKFLOW_STARTED\"),\n        (\"WORKFLOW_TERMINATED\", \"WORKFLOW_TERMINATED\"),\n    ),\n)\n"
        );
        let call = "default=some_function_with_a_long_name(\"WORKFLOW_STARTED\", \"WORKFLOW_TERMINATED_XXXXXXXXXXXX\")";
        assert_eq!(
            wrap_call(
                0,
                "y = models.CharField(",
                &["max_length=19".to_string(), call.to_string()],
                ")"
            ),
            "y = models.CharField(\n    max_length=19,\n    default=some_function_with_a_long_name(\n        \"WORKFLOW_STARTED\", \"WORKFLOW_TERMINATED_XXXXXXXXXXXX\"\n    ),\n)\n"
        );
        let name =
            "devilry_admin_assignmentadmin_create_groups_accumulated_score_select_assignments";
        assert_eq!(
            wrap_call(0, &format!("def {name}("), &["roleid".to_string()], "):"),
            format!("def {name}(\n    roleid,\n):\n")
        );
        let name = &name[..name.len() - 1];
        assert_eq!(
            wrap_call(
                0,
                &format!("def {name}("),
                &["roleid".to_string(), "pk".to_string()],
                "):"
            ),
            format!("def {name}(\n    roleid, pk\n):\n")
        );
    }

    #[test]
    fn names_for_python() {
        assert_eq!(camel("post_tags"), "PostTags");
        assert_eq!(camel("blog-admin"), "BlogAdmin");
        assert_eq!(py_ident("class"), "class_");
        assert_eq!(py_ident("2fa"), "_2fa");
        // each expected literal is what `ruff format` 0.17 leaves
        assert_eq!(py_str("a \"b\" \\ c"), r#"'a "b" \\ c'"#);
        assert_eq!(py_str("x\"y'z"), r#""x\"y'z""#);
        assert_eq!(py_str("x\"y\"'z"), r#"'x"y"\'z'"#);
    }

    #[test]
    fn one_url_two_routes_is_a_todo_not_a_shadowed_pattern() {
        let route = |rule: &str, view: &str, methods: &[&str]| crate::inventory::Route {
            rule: rule.into(),
            methods: methods.iter().map(|m| m.to_string()).collect(),
            endpoint: Some(view.into()),
            view: Some(format!("svc.views.{view}")),
            file: "svc/views.py".into(),
            line: 1,
            resolved: true,
            kind: "decorator".into(),
            ..Default::default()
        };
        let inv = Inventory {
            routes: vec![
                route("/event/<eventid>", "get_event", &["GET"]),
                route("/event/<eid>", "delete_event", &["DELETE"]),
                route("/event/<int:n>/x", "other", &["GET"]),
            ],
            ..Default::default()
        };
        let draft = flask_to_django(&inv, std::path::Path::new("/src"));
        let todos: Vec<&Todo> = draft.todos.iter().filter(|t| t.code == "CP101").collect();
        assert_eq!(todos.len(), 1, "{:?}", draft.todos);
        assert!(
            todos[0].reason.contains(".views.get_event`"),
            "{}",
            todos[0].reason
        );
        let urls = &draft.files[&format!("{}/urls.py", draft.apps[0])];
        assert_eq!(urls.matches("path(").count(), 2, "{urls}");
    }

    #[test]
    fn werkzeug_order_puts_static_segments_first() {
        use django_urls::match_order;
        let mut rules = vec![
            "/f/<id>",
            "/f/<int:n>",
            "/f/<id>.<ext>",
            "/f/<id>.png",
            "/<path:p>",
            "/blog/<slug>/edit",
            "/blog/tag/<path:name>",
            "/about",
        ];
        rules.sort_by_key(|r| match_order(r));
        let expected = [
            "/about",
            "/blog/tag/<path:name>",
            "/blog/<slug>/edit",
            "/f/<id>.png",
            "/f/<int:n>",
            "/f/<id>",
            "/f/<id>.<ext>",
            "/<path:p>",
        ];
        assert_eq!(rules, expected);
    }
}
