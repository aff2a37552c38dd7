//! Lowers a tree-sitter-python tree into the owned IR of `ir.rs`.
//!
//! Expression lowering recurses, but only to `MAX_DEPTH`; deeper nesting (which
//! real code never has, fuzzers and generated files do) becomes `Expr::Other`,
//! so a hostile file cannot overflow the stack.

use super::ir::*;
use tree_sitter::Node;

/// `child_by_field_name` resolves the name by a linear scan with `strncmp`
/// on every call, and `kind` measures and validates a C string; lowering asks
/// millions of times, so ids and names are looked up once.
trait Field<'t> {
    fn field(&self, name: &str) -> Option<Node<'t>>;
    /// `Node::kind`, from a table.
    fn kind_name(&self) -> &'static str;
}

static KINDS: std::sync::LazyLock<Box<[&'static str]>> = std::sync::LazyLock::new(|| {
    // The names live as long as the language: a static one, for `&'static str`.
    static LANGUAGE: std::sync::LazyLock<tree_sitter::Language> =
        std::sync::LazyLock::new(super::parse::language);
    (0..LANGUAGE.node_kind_count() as u16)
        .map(|id| LANGUAGE.node_kind_for_id(id).unwrap_or(""))
        .collect()
});

static FIELD_IDS: std::sync::LazyLock<rustc_hash::FxHashMap<String, u16>> =
    std::sync::LazyLock::new(|| {
        let lang = super::parse::language();
        (1..=lang.field_count() as u16)
            .filter_map(|id| lang.field_name_for_id(id).map(|n| (n.to_string(), id)))
            .collect()
    });

impl<'t> Field<'t> for Node<'t> {
    fn field(&self, name: &str) -> Option<Node<'t>> {
        let id = *FIELD_IDS.get(name)?;
        self.child_by_field_id(id)
    }

    fn kind_name(&self) -> &'static str {
        KINDS.get(self.kind_id() as usize).copied().unwrap_or("")
    }
}

const MAX_DEPTH: usize = 48;
const OTHER_TEXT_LIMIT: usize = 80;

pub struct Lowerer<'s> {
    src: &'s [u8],
    /// Lower only the function bodies that can matter (`elide::lowers_body`);
    /// the offsets where blanked bodies start.
    skim: Option<&'s [usize]>,
    /// Line of the first Python 2 statement (`print x`, `exec code`) seen.
    python2: std::cell::Cell<Option<u32>>,
}

fn pos(node: Node) -> Pos {
    let p = node.start_position();
    Pos {
        line: p.row as u32 + 1,
        col: p.column as u32 + 1,
    }
}

impl<'s> Lowerer<'s> {
    /// `skim`: lower only the function bodies that can matter, knowing that
    /// the bodies starting at these offsets were blanked by `elide`; `None`
    /// lowers everything.
    pub fn new(src: &'s [u8], skim: Option<&'s [usize]>) -> Self {
        Lowerer {
            src,
            skim,
            python2: std::cell::Cell::new(None),
        }
    }

    fn text(&self, node: Node) -> &'s str {
        std::str::from_utf8(&self.src[node.byte_range()]).unwrap_or("")
    }

    fn other(&self, node: Node) -> Expr {
        let t = self.text(node);
        let cut = t
            .char_indices()
            .nth(OTHER_TEXT_LIMIT)
            .map_or(t.len(), |(i, _)| i);
        Expr::Other(
            t[..cut]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .into(),
        )
    }

    /// The line of the first Python-2-only statement lowered so far.
    pub fn python2_line(&self) -> Option<u32> {
        self.python2.get()
    }

    pub fn module(&self, root: Node) -> Vec<Stmt> {
        self.block(root, 0)
    }

    fn block(&self, node: Node, depth: usize) -> Vec<Stmt> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        // Every file's IR lives until the end of the scan: sized up front
        // (one statement per child at most), then trimmed of the room left
        // by comments and docstrings.
        let mut out = Vec::with_capacity(node.named_child_count());
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.stmt(child, depth, &mut out);
        }
        out.shrink_to_fit();
        out
    }

    fn field_block(&self, node: Node, field: &str, depth: usize) -> Vec<Stmt> {
        node.field(field)
            .map(|b| self.block(b, depth + 1))
            .unwrap_or_default()
    }

    fn stmt(&self, node: Node, depth: usize, out: &mut Vec<Stmt>) {
        match node.kind_name() {
            "import_statement" => out.push(Stmt::Import(self.import(node), pos(node))),
            "import_from_statement" => out.push(Stmt::Import(self.import_from(node), pos(node))),
            "future_import_statement" => {}
            "break_statement" | "continue_statement" | "raise_statement" => out.push(Stmt::Exit(
                node.kind_name().trim_end_matches("_statement").into(),
            )),
            "print_statement" | "exec_statement" if self.python2.get().is_none() => {
                self.python2.set(Some(pos(node).line));
            }
            "expression_statement" => {
                if let Some(inner) = node.named_child(0) {
                    self.expression_statement(inner, out)
                }
            }
            "global_statement" => {
                let mut cursor = node.walk();
                let names = node
                    .named_children(&mut cursor)
                    .filter(|n| n.kind_name() == "identifier")
                    .map(|n| self.text(n).into())
                    .collect();
                out.push(Stmt::Global(names));
            }
            "return_statement" => out.push(Stmt::Return(
                node.named_child(0).map(|e| self.expr(e, 0)),
                pos(node),
            )),
            "class_definition" => {
                out.push(Stmt::Class(Box::new(self.class(node, Vec::new(), depth))))
            }
            "function_definition" => {
                out.push(Stmt::Func(Box::new(self.func(node, Vec::new(), depth))))
            }
            "decorated_definition" => {
                let mut decorators = Vec::new();
                let mut cursor = node.walk();
                for d in node.named_children(&mut cursor) {
                    if d.kind_name() == "decorator"
                        && let Some(e) = d.named_child(0)
                    {
                        decorators.push(self.expr(e, 0));
                    }
                }
                if let Some(def) = node.field("definition") {
                    match def.kind_name() {
                        "class_definition" => {
                            out.push(Stmt::Class(Box::new(self.class(def, decorators, depth))))
                        }
                        "function_definition" => {
                            out.push(Stmt::Func(Box::new(self.func(def, decorators, depth))))
                        }
                        _ => {}
                    }
                }
            }
            "for_statement" => out.push(Stmt::For {
                target: node.field("left").map_or(Expr::None, |n| self.expr(n, 0)),
                iter: Box::new(node.field("right").map_or(Expr::None, |n| self.expr(n, 0))),
                body: self.field_block(node, "body", depth).into(),
                pos: pos(node),
            }),
            "if_statement"
            | "while_statement"
            | "with_statement"
            | "try_statement"
            | "elif_clause"
            | "else_clause"
            | "except_clause"
            | "finally_clause"
            | "except_group_clause"
            | "block" => {
                let mut body = Vec::new();
                // a `with`'s items, exited after its body
                let mut entered = Vec::new();
                match node.kind_name() {
                    "if_statement" | "elif_clause" => body.push(Stmt::Guard(Some(
                        node.field("condition")
                            .map_or(Expr::None, |c| self.expr(c, 0)),
                    ))),
                    "else_clause" => body.push(Stmt::Guard(None)),
                    "while_statement" => body.push(Stmt::While(
                        node.field("condition")
                            .map_or(Expr::None, |c| self.expr(c, 0)),
                    )),
                    // not the normal path
                    "except_clause" | "except_group_clause" => {
                        body.push(Stmt::Guard(Some(Expr::Other(self.except_types(node)))))
                    }
                    "with_statement" => entered = self.with_enter(node, &mut body),
                    _ => {}
                }
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    match child.kind_name() {
                        "block"
                        | "elif_clause"
                        | "else_clause"
                        | "except_clause"
                        | "finally_clause"
                        | "except_group_clause"
                            if depth < MAX_DEPTH =>
                        {
                            self.stmt(child, depth + 1, &mut body)
                        }
                        _ if node.kind_name() == "block" => self.stmt(child, depth, &mut body),
                        _ => {}
                    }
                }
                with_exit(&entered, &mut body);
                out.push(Stmt::Block(body.into()));
            }
            _ => {}
        }
    }

    fn expression_statement(&self, node: Node, out: &mut Vec<Stmt>) {
        match node.kind_name() {
            "assignment" => {
                // `a = b = value` nests assignments on the right. Almost
                // always one target: no room for four.
                let mut targets = Vec::with_capacity(1);
                let mut cur = node;
                let mut annotation = None;
                loop {
                    if let Some(l) = cur.field("left") {
                        targets.push(self.expr(l, 0));
                    }
                    if annotation.is_none() {
                        annotation = cur.field("type").map(|t| self.expr(t, 0));
                    }
                    match cur.field("right") {
                        Some(r) if r.kind_name() == "assignment" => cur = r,
                        r => {
                            out.push(Stmt::Assign {
                                targets: targets.into(),
                                value: r.map(|r| self.expr(r, 0)),
                                annotation: annotation.map(Box::new),
                                pos: pos(node),
                            });
                            return;
                        }
                    }
                }
            }
            "augmented_assignment" => {
                let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
                    return;
                };
                let op = node.field("operator").map_or("", |o| self.text(o));
                out.push(Stmt::AugAssign {
                    target: self.expr(l, 0),
                    op: Op::new(op),
                    value: Box::new(self.expr(r, 0)),
                    pos: pos(node),
                });
            }
            // A bare string is a docstring (or a comment written as one): it
            // declares nothing, and keeping its text would cost a copy of
            // every docstring for the whole scan.
            "string" | "concatenated_string" => {}
            "yield" => out.push(Stmt::Yield {
                value: node.named_child(0).map(|e| self.expr(e, 0)),
                from: node.child(1).is_some_and(|k| k.kind() == "from"),
            }),
            _ => out.push(Stmt::Expr(self.expr(node, 0), pos(node))),
        }
    }

    fn class(&self, node: Node, decorators: Vec<Expr>, depth: usize) -> ClassDef {
        let mut bases = Vec::new();
        let mut keywords = Vec::new();
        if let Some(args) = node.field("superclasses") {
            let mut cursor = args.walk();
            for a in args.named_children(&mut cursor) {
                if a.kind_name() == "keyword_argument" {
                    if let (Some(k), Some(v)) = (a.field("name"), a.field("value")) {
                        keywords.push((self.text(k).into(), self.expr(v, 0)));
                    }
                } else {
                    let base = self.expr(a, 0);
                    match with_metaclass(&base) {
                        Some((meta, of)) => {
                            keywords.push(("metaclass".into(), meta));
                            bases.extend(of);
                        }
                        None => bases.push(base),
                    }
                }
            }
        }
        ClassDef {
            name: node.field("name").map_or("", |n| self.text(n)).into(),
            bases: bases.into(),
            keywords: keywords.into(),
            decorators: decorators.into(),
            body: self.field_block(node, "body", depth).into(),
            pos: pos(node),
        }
    }

    fn lowers_body(&self, body: Node) -> bool {
        super::elide::lowers_body(&self.src[body.byte_range()])
    }

    /// Only the import statements of a body, at any depth: the pre-filter's
    /// closure and name resolution follow them.
    fn imports(&self, body: Node, depth: usize) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut cursor = body.walk();
        let mut stack = vec![body];
        while let Some(n) = stack.pop() {
            match n.kind_name() {
                "import_statement" | "import_from_statement" => self.stmt(n, depth, &mut out),
                _ => stack.extend(n.named_children(&mut cursor)),
            }
        }
        // Popped in reverse: put them back in source order.
        out.sort_by_key(|s| match s {
            Stmt::Import(_, p) => *p,
            _ => Pos::default(),
        });
        out
    }

    fn func(&self, node: Node, decorators: Vec<Expr>, depth: usize) -> FuncDef {
        let (params, defaults) = self.params(node);
        let body = node.field("body");
        let elided = match (self.skim, &body) {
            (Some(blanked), Some(b)) => {
                blanked.binary_search(&b.start_byte()).is_ok() || !self.lowers_body(*b)
            }
            _ => false,
        };
        let body: Box<[Stmt]> = match &body {
            Some(b) if elided => self.imports(*b, depth + 1).into(),
            Some(b) => self.block(*b, depth + 1).into(),
            None => Box::default(),
        };
        FuncDef {
            name: node.field("name").map_or("", |n| self.text(n)).into(),
            params: params.into(),
            defaults: defaults.into(),
            decorators: decorators.into(),
            body,
            elided,
            pos: pos(node),
        }
    }

    /// `lambda x, y=1: body`: a function whose body returns the expression.
    fn lambda(&self, node: Node, d: usize) -> Expr {
        let Some(body) = node.field("body") else {
            return self.other(node);
        };
        let (params, defaults) = self.params(node);
        Expr::Lambda(Box::new(FuncDef {
            name: "<lambda>".into(),
            params: params.into(),
            defaults: defaults.into(),
            decorators: Box::default(),
            body: vec![Stmt::Return(Some(self.expr(body, d)), pos(body))].into(),
            elided: false,
            pos: pos(node),
        }))
    }

    /// A function's parameter names and, per parameter, its default or splat
    /// (empty when none has either).
    fn params(&self, node: Node) -> (Vec<Text>, Vec<Option<Param>>) {
        let mut params = Vec::new();
        let mut defaults = Vec::new();
        if let Some(ps) = node.field("parameters") {
            params.reserve_exact(ps.named_child_count());
            defaults.reserve_exact(ps.named_child_count());
            let mut cursor = ps.walk();
            for p in ps.named_children(&mut cursor) {
                // `*args: T` / `**kwargs: T`: a typed parameter wraps the
                // splat pattern (its first child), which says what it is.
                let p = match p.named_child(0) {
                    Some(inner)
                        if p.kind_name() == "typed_parameter"
                            && matches!(
                                inner.kind_name(),
                                "list_splat_pattern" | "dictionary_splat_pattern"
                            ) =>
                    {
                        inner
                    }
                    _ => p,
                };
                let name = match p.kind_name() {
                    "identifier" => Some(p),
                    _ => p
                        .field("name")
                        .or_else(|| p.named_child(0).filter(|c| c.kind_name() == "identifier")),
                };
                if let Some(n) = name {
                    params.push(self.text(n).into());
                    defaults.push(match p.kind_name() {
                        "list_splat_pattern" => Some(Param::Args),
                        "dictionary_splat_pattern" => Some(Param::Kwargs),
                        _ => p.field("value").map(|v| Param::Default(self.expr(v, 0))),
                    });
                }
            }
        }
        // Most functions take no defaults and no splats: no array for them
        // (readers look defaults up by index).
        if defaults.iter().all(Option::is_none) {
            defaults = Vec::new();
        }
        (params, defaults)
    }

    fn import(&self, node: Node) -> Import {
        let mut cursor = node.walk();
        Import::Modules(
            node.children_by_field_name("name", &mut cursor)
                .map(|n| self.aliased(n))
                .collect(),
        )
    }

    fn aliased(&self, n: Node) -> (Text, Option<Text>) {
        if n.kind_name() == "aliased_import" {
            let name = n
                .field("name")
                .map_or_else(Text::default, |x| self.dotted(x));
            let alias = n.field("alias").map(|x| self.text(x).into());
            (name, alias)
        } else {
            (self.dotted(n), None)
        }
    }

    /// `with X as name:` runs the protocol as Python does: the manager is
    /// kept in a name of its own (`__with_<line>_<column> = X`), then
    /// `name = __with_..__enter__()` (a bare call without `as`) before the
    /// body, and `__with_..__exit__(None, None, None)` after it
    /// ([`with_exit`]), items in order in, reversed out.
    fn with_enter<'t>(&self, node: Node<'t>, out: &mut Vec<Stmt>) -> Vec<Node<'t>> {
        let items = self.with_items(node);
        for &(item, manager, alias) in &items {
            let held = Expr::Name(with_name(item).into());
            out.push(Stmt::Assign {
                targets: Box::new([held.clone()]),
                value: Some(self.expr(manager, 0)),
                annotation: None,
                pos: pos(item),
            });
            let enter = method_call(held, "__enter__", Box::new([]), pos(item));
            let target = alias.and_then(|alias| match alias.kind_name() {
                "as_pattern_target" => alias.named_child(0).map(|t| self.expr(t, 0)),
                _ => Some(self.expr(alias, 0)),
            });
            out.push(match target {
                Some(target) => Stmt::Assign {
                    targets: Box::new([target]),
                    value: Some(enter),
                    annotation: None,
                    pos: pos(item),
                },
                None => Stmt::Expr(enter, pos(item)),
            });
        }
        items.into_iter().map(|(item, _, _)| item).collect()
    }

    /// Each item of a `with`: the item, its manager and its `as` target.
    fn with_items<'t>(&self, node: Node<'t>) -> Vec<(Node<'t>, Node<'t>, Option<Node<'t>>)> {
        let mut cursor = node.walk();
        let Some(clause) = node
            .named_children(&mut cursor)
            .find(|c| c.kind_name() == "with_clause")
        else {
            return Vec::new();
        };
        let mut c = clause.walk();
        clause
            .named_children(&mut c)
            .filter_map(|item| {
                let value = item.field("value")?;
                if value.kind_name() == "as_pattern" {
                    Some((item, value.named_child(0)?, value.field("alias")))
                } else {
                    Some((item, value, None))
                }
            })
            .collect()
    }

    /// An `except` handler's guard text: "except" and the last name of each
    /// class it catches (`except (KeyError, mod.Error) as e` is "except
    /// KeyError Error"); "except" alone when it is bare or names them by
    /// anything but names.
    fn except_types(&self, node: Node) -> Text {
        let mut cursor = node.walk();
        let Some(mut e) = node
            .named_children(&mut cursor)
            .find(|c| c.kind_name() != "block" && c.kind_name() != "comment")
        else {
            return "except".into();
        };
        if e.kind_name() == "as_pattern"
            && let Some(inner) = e.named_child(0)
        {
            e = inner;
        }
        if e.kind_name() == "parenthesized_expression"
            && let Some(inner) = e.named_child(0)
        {
            e = inner;
        }
        let items: Vec<Node> = if e.kind_name() == "tuple" {
            let mut c = e.walk();
            e.named_children(&mut c).collect()
        } else {
            vec![e]
        };
        let mut out = String::from("except");
        for item in items {
            match self.expr(item, 0).last_name() {
                Some(n) if matches!(item.kind_name(), "identifier" | "attribute") => {
                    out.push(' ');
                    out.push_str(n);
                }
                _ => return "except".into(),
            }
        }
        out.as_str().into()
    }

    /// A dotted name as Python reads it: a name split over lines with a
    /// backslash (`from a.b.\` then `    c import d`), or with spaces around
    /// its dots, is `a.b.c`.
    fn dotted(&self, n: Node) -> Text {
        let t = self.text(n);
        if t.bytes().any(|b| b == b'\\' || b.is_ascii_whitespace()) {
            let joined: String = t
                .chars()
                .filter(|c| *c != '\\' && !c.is_whitespace())
                .collect();
            joined.as_str().into()
        } else {
            t.into()
        }
    }

    fn import_from(&self, node: Node) -> Import {
        let (mut module, mut level) = (Text::default(), 0);
        if let Some(m) = node.field("module_name") {
            if m.kind_name() == "relative_import" {
                let mut cursor = m.walk();
                for c in m.named_children(&mut cursor) {
                    match c.kind_name() {
                        "import_prefix" => level = self.text(c).matches('.').count() as u32,
                        "dotted_name" => module = self.dotted(c),
                        _ => {}
                    }
                }
            } else {
                module = self.dotted(m);
            }
        }
        let mut cursor = node.walk();
        let wildcard = node
            .named_children(&mut cursor)
            .any(|c| c.kind_name() == "wildcard_import");
        let names = if wildcard {
            Box::new([("*".into(), None)]) as Box<[_]>
        } else {
            node.children_by_field_name("name", &mut cursor)
                .map(|n| self.aliased(n))
                .collect()
        };
        Import::From {
            module,
            level,
            names,
        }
    }

    pub fn expr(&self, node: Node, depth: usize) -> Expr {
        if depth > MAX_DEPTH {
            return self.other(node);
        }
        let d = depth + 1;
        match node.kind_name() {
            "identifier" => Expr::Name(self.text(node).into()),
            "attribute" => match (node.field("object"), node.field("attribute")) {
                (Some(o), Some(a)) => Expr::Attr(Box::new(self.expr(o, d)), self.text(a).into()),
                _ => self.other(node),
            },
            "call" => self.call(node, d),
            "string" => self.string(node, d),
            "concatenated_string" => {
                let mut parts = Some(Vec::new());
                let mut cursor = node.walk();
                for piece in node.named_children(&mut cursor) {
                    match self.string(piece, d) {
                        Expr::Str(p) => {
                            if let Some(v) = parts.as_mut() {
                                v.push(FPart::Text(p))
                            }
                        }
                        Expr::DynStr(f) => match (parts.as_mut(), f.parts) {
                            (Some(v), Some(p)) => v.extend(p),
                            _ => parts = None,
                        },
                        _ => parts = None,
                    }
                }
                self.fstring(node, parts)
            }
            "integer" => self
                .text(node)
                .replace('_', "")
                .parse()
                .map_or_else(|_| self.other(node), Expr::Int),
            // `-1`: a negative literal (an index from the end)
            "unary_operator" => match (node.field("operator"), node.field("argument")) {
                (Some(op), Some(arg)) if arg.kind_name() == "integer" => {
                    match (self.text(op), self.expr(arg, d)) {
                        ("-", Expr::Int(n)) => Expr::Int(-n),
                        ("+", Expr::Int(n)) => Expr::Int(n),
                        _ => self.other(node),
                    }
                }
                _ => self.other(node),
            },
            "true" => Expr::Bool(true),
            "false" => Expr::Bool(false),
            "none" => Expr::None,
            "list" | "tuple" | "set" | "expression_list" | "pattern_list" | "tuple_pattern"
            | "list_pattern" => {
                let mut cursor = node.walk();
                let mut items: Vec<Expr> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind_name() != "comment")
                    .map(|c| match (c.kind_name(), c.named_child(0)) {
                        ("list_splat" | "list_splat_pattern", Some(inner)) => {
                            Expr::Starred(Box::new(self.expr(inner, d)))
                        }
                        _ => self.expr(c, d),
                    })
                    .collect();
                items.shrink_to_fit();
                if node.kind_name() == "list" || node.kind_name() == "set" {
                    Expr::List(items)
                } else {
                    Expr::Tuple(items)
                }
            }
            "dictionary" => {
                let mut cursor = node.walk();
                let mut pairs: Vec<(Expr, Expr)> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind_name() == "pair")
                    .filter_map(|p| {
                        Some((
                            self.expr(p.field("key")?, d),
                            self.expr(p.field("value")?, d),
                        ))
                    })
                    .collect();
                pairs.shrink_to_fit();
                Expr::Dict(pairs)
            }
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => self.comprehension(node, d),
            "not_operator" => node.field("argument").map_or_else(
                || self.other(node),
                |a| Expr::Not(Box::new(self.expr(a, d))),
            ),
            "conditional_expression" if node.named_child_count() == 3 => match (
                node.named_child(0),
                node.named_child(1),
                node.named_child(2),
            ) {
                (Some(b), Some(t), Some(o)) => Expr::IfExp(
                    Box::new(self.expr(t, d)),
                    Box::new(self.expr(b, d)),
                    Box::new(self.expr(o, d)),
                ),
                _ => self.other(node),
            },
            // `a == b`, `a not in b` (chains of more than one comparison stay Other)
            "comparison_operator" if node.named_child_count() == 2 => {
                match (node.named_child(0), node.named_child(1)) {
                    (Some(l), Some(r)) => {
                        let between = std::str::from_utf8(&self.src[l.end_byte()..r.start_byte()])
                            .unwrap_or("");
                        let op = between.split_whitespace().collect::<Vec<_>>().join(" ");
                        Expr::BinOp(
                            Box::new(self.expr(l, d)),
                            Op::new(&op),
                            Box::new(self.expr(r, d)),
                        )
                    }
                    _ => self.other(node),
                }
            }
            "lambda" => self.lambda(node, d),
            "parenthesized_expression" => node
                .named_child(0)
                .map_or_else(|| self.other(node), |c| self.expr(c, d)),
            // `a + b`, and `a and b` / `a or b` in the same shape.
            "binary_operator" | "boolean_operator" => match (
                node.field("left"),
                node.field("operator"),
                node.field("right"),
            ) {
                (Some(l), Some(o), Some(r)) => Expr::BinOp(
                    Box::new(self.expr(l, d)),
                    Op::new(self.text(o)),
                    Box::new(self.expr(r, d)),
                ),
                _ => self.other(node),
            },
            "subscript" => match (node.field("value"), node.field("subscript")) {
                (Some(v), Some(s)) => {
                    // `a[x, y]` is `a[(x, y)]` (`Annotated[int, mapped_column(...)]`)
                    let mut cursor = node.walk();
                    let all: Vec<Node> = node
                        .children_by_field_name("subscript", &mut cursor)
                        .collect();
                    let index = match all.as_slice() {
                        [_, _, ..] => Expr::Tuple(all.iter().map(|s| self.expr(*s, d)).collect()),
                        _ => self.expr(s, d),
                    };
                    Expr::Subscript(Box::new(self.expr(v, d)), Box::new(index))
                }
                _ => self.other(node),
            },
            // `Mapped[Optional[int]]` in an annotation.
            "generic_type" => match (node.named_child(0), node.named_child(1)) {
                (Some(base), Some(params)) => {
                    let mut cursor = params.walk();
                    let mut items: Vec<Expr> = params
                        .named_children(&mut cursor)
                        .map(|c| self.expr(c, d))
                        .collect();
                    let inner = if items.len() == 1 {
                        items.pop().unwrap()
                    } else {
                        Expr::Tuple(items)
                    };
                    Expr::Subscript(Box::new(self.expr(base, d)), Box::new(inner))
                }
                _ => self.other(node),
            },
            "type" => node
                .named_child(0)
                .filter(|_| node.named_child_count() == 1)
                .map_or_else(|| self.other(node), |c| self.expr(c, d)),
            // `dict[str, int] | None` in an annotation: the `|` of two types.
            "union_type" => match (node.named_child(0), node.named_child(1)) {
                (Some(l), Some(r)) if node.named_child_count() == 2 => Expr::BinOp(
                    Box::new(self.expr(l, d)),
                    Op::new("|"),
                    Box::new(self.expr(r, d)),
                ),
                _ => self.other(node),
            },
            _ => self.other(node),
        }
    }

    fn comprehension(&self, node: Node, d: usize) -> Expr {
        let Some(body) = node.field("body") else {
            return self.other(node);
        };
        let (elt, key) = if body.kind_name() == "pair" {
            match (body.field("key"), body.field("value")) {
                (Some(k), Some(v)) => (self.expr(v, d), Some(self.expr(k, d))),
                _ => return self.other(node),
            }
        } else {
            (self.expr(body, d), None)
        };
        let mut generators: Vec<Generator> = Vec::new();
        let mut cursor = node.walk();
        for c in node.named_children(&mut cursor) {
            match c.kind_name() {
                "for_in_clause" => {
                    let (Some(l), Some(r)) = (c.field("left"), c.field("right")) else {
                        return self.other(node);
                    };
                    generators.push(Generator {
                        target: self.expr(l, d),
                        iter: self.expr(r, d),
                        conditions: Vec::new(),
                    });
                }
                "if_clause" => match (generators.last_mut(), c.named_child(0)) {
                    (Some(g), Some(e)) => g.conditions.push(self.expr(e, d)),
                    _ => return self.other(node),
                },
                _ => {}
            }
        }
        if generators.is_empty() {
            return self.other(node);
        }
        let Expr::Other(text) = self.other(node) else {
            unreachable!()
        };
        Expr::Comp(Box::new(Comp {
            elt,
            key,
            generators,
            text,
        }))
    }

    fn call(&self, node: Node, d: usize) -> Expr {
        let Some(f) = node.field("function") else {
            return self.other(node);
        };
        let func = self.expr(f, d);
        let (mut args, mut kwargs) = (Vec::new(), Vec::new());
        let mut kwargs_splat = None;
        // `f(x for x in xs)`: the generator expression is the one argument
        if let Some(g) = node
            .field("arguments")
            .filter(|a| a.kind_name() == "generator_expression")
        {
            args.push(self.expr(g, d));
        } else if let Some(list) = node.field("arguments") {
            let (mut positional, mut keyword) = (0, 0);
            let mut cursor = list.walk();
            for a in list.named_children(&mut cursor) {
                match a.kind_name() {
                    "keyword_argument" => keyword += 1,
                    "dictionary_splat" | "comment" => {}
                    _ => positional += 1,
                }
            }
            args.reserve_exact(positional);
            kwargs.reserve_exact(keyword);
            let mut cursor = list.walk();
            for a in list.named_children(&mut cursor) {
                match a.kind_name() {
                    "keyword_argument" => {
                        if let (Some(k), Some(v)) = (a.field("name"), a.field("value")) {
                            kwargs.push((self.text(k).into(), self.expr(v, d)));
                        }
                    }
                    // `f(*args)` stays an argument: a loop may bind `args`
                    // to a literal tuple (`api.add_resource(*route)`).
                    "list_splat" => {
                        if let Some(inner) = a.named_child(0) {
                            args.push(Expr::Starred(Box::new(self.expr(inner, d))));
                        }
                    }
                    // a second `**mapping`: which keys come from which is not kept
                    "dictionary_splat" if kwargs_splat.is_some() => {
                        kwargs_splat = Some(Box::new(Expr::Other("**(several mappings)".into())));
                    }
                    "dictionary_splat" => {
                        kwargs_splat = a.named_child(0).map(|inner| Box::new(self.expr(inner, d)));
                    }
                    "comment" => {}
                    _ => args.push(self.expr(a, d)),
                }
            }
        }
        Expr::Call(Box::new(Call {
            func,
            args: args.into(),
            kwargs: kwargs.into(),
            kwargs_splat,
            pos: pos(node),
        }))
    }

    fn string(&self, node: Node, d: usize) -> Expr {
        if node.kind_name() != "string" {
            return self.other(node);
        }
        let mut prefix = "";
        let mut value = String::new();
        let mut parts = Some(Vec::new());
        let mut cursor = node.walk();
        for part in node.children(&mut cursor) {
            match part.kind_name() {
                "string_start" => prefix = self.text(part),
                "string_content" => {
                    let text = self.literal_text(part, !prefix.contains(['r', 'R']));
                    value.push_str(&text);
                    if prefix.contains(['f', 'F'])
                        && let Some(v) = parts.as_mut()
                    {
                        v.push(FPart::Text(text.into()));
                    }
                }
                "interpolation" => {
                    let plain = part.field("format_specifier").is_none()
                        && part.field("type_conversion").is_none()
                        && !self
                            .text(part)
                            .trim_end_matches('}')
                            .trim_end()
                            .ends_with('=');
                    match (parts.as_mut(), part.field("expression")) {
                        (Some(v), Some(e)) if plain => v.push(FPart::Field(self.expr(e, d + 1))),
                        _ => parts = None,
                    }
                }
                _ => {}
            }
        }
        if prefix.contains(['f', 'F']) {
            return self.fstring(node, parts);
        }
        Expr::Str(value.into())
    }

    /// The text of a string's literal piece: escape sequences decoded as Python does
    /// (`decode`: not a raw string; an unknown one keeps its backslash, `\d` in a pattern),
    /// and in an f-string `{{`/`}}` are braces.
    fn literal_text(&self, content: Node, decode: bool) -> String {
        let raw = self.text(content);
        let start = content.start_byte();
        let mut out = String::new();
        let mut at = 0;
        let mut cursor = content.walk();
        for child in content.named_children(&mut cursor) {
            let (a, b) = (child.start_byte() - start, child.end_byte() - start);
            out.push_str(&raw[at..a]);
            let piece = &raw[a..b];
            match child.kind_name() {
                "escape_interpolation" => out.push_str(&piece[..1]),
                "escape_sequence" if decode => unescape(piece, &mut out),
                _ => out.push_str(piece),
            }
            at = b;
        }
        out.push_str(&raw[at..]);
        out
    }

    fn fstring(&self, node: Node, parts: Option<Vec<FPart>>) -> Expr {
        // no replacement field left: a constant (`f"/x"`, `f"{{"`)
        if let Some(p) = &parts
            && let Some(text) = p
                .iter()
                .map(|p| match p {
                    FPart::Text(t) => Some(t.as_str()),
                    FPart::Field(_) => None,
                })
                .collect::<Option<String>>()
        {
            return Expr::Str(text.into());
        }
        Expr::DynStr(Box::new(FString {
            text: self.text(node).into(),
            parts: parts.map(Vec::into_boxed_slice),
        }))
    }
}

/// Decodes one Python escape sequence; unknown escapes keep their backslash, as Python does.
fn unescape(raw: &str, out: &mut String) {
    let simple = match raw {
        "\\n" => Some('\n'),
        "\\t" => Some('\t'),
        "\\r" => Some('\r'),
        "\\\\" => Some('\\'),
        "\\'" => Some('\''),
        "\\\"" => Some('"'),
        "\\0" => Some('\0'),
        _ => None,
    };
    match simple {
        Some(c) => out.push(c),
        None if raw.starts_with("\\\n") || raw.starts_with("\\\r") => {}
        None => {
            let hex = raw
                .strip_prefix("\\x")
                .or_else(|| raw.strip_prefix("\\u"))
                .or_else(|| raw.strip_prefix("\\U"));
            match hex
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
            {
                Some(c) => out.push(c),
                None => out.push_str(raw),
            }
        }
    }
}

/// The name a `with` item's manager is kept in while its body runs.
fn with_name(item: Node) -> String {
    let p = item.start_position();
    format!(
        "{}{}_{}",
        crate::python::ir::WITH_MANAGER,
        p.row + 1,
        p.column
    )
}

/// `receiver.method(args)`.
fn method_call(receiver: Expr, method: &str, args: Box<[Expr]>, at: Pos) -> Expr {
    Expr::Call(Box::new(Call {
        func: Expr::Attr(Box::new(receiver), method.into()),
        args,
        kwargs: Box::new([]),
        kwargs_splat: None,
        pos: at,
    }))
}

/// `__with_..__exit__(None, None, None)` for each item entered, in reverse.
fn with_exit(items: &[Node], out: &mut Vec<Stmt>) {
    for &item in items.iter().rev() {
        let held = Expr::Name(with_name(item).into());
        let args = Box::new([Expr::None, Expr::None, Expr::None]);
        out.push(Stmt::Expr(
            method_call(held, "__exit__", args, pos(item)),
            pos(item),
        ));
    }
}

/// `class C(with_metaclass(Meta, Base, ...))`, the Python 2/3 idiom of six,
/// future, `django.utils.six` and django-polymorphic, is `class C(Base, ...,
/// metaclass=Meta)`: the helper returns a throwaway class whose metaclass
/// builds the real one from the bases given, a trick of class creation no
/// static reading of the helper's body follows. Named by the helper's name,
/// which every copy of the idiom shares, with its `(meta, *bases)` signature.
fn with_metaclass(base: &Expr) -> Option<(Expr, Vec<Expr>)> {
    let Expr::Call(c) = base else { return None };
    let named = c
        .func
        .dotted()
        .is_some_and(|f| f.rsplit('.').next() == Some("with_metaclass"));
    let (meta, bases) = c.args.split_first()?;
    (named && c.kwargs.is_empty() && !c.has_splat()).then(|| (meta.clone(), bases.to_vec()))
}

#[cfg(test)]
mod tests {
    use crate::python::ir::{Expr, FPart, Stmt};

    /// The value assigned by the single statement `x = <src>`.
    fn value(src: &str) -> Expr {
        let m = crate::python::modules_for_test(&[("m", &format!("x = {src}\n"))]).remove(0);
        match m.body.into_iter().next() {
            Some(Stmt::Assign { value: Some(v), .. }) => v,
            s => panic!("not an assignment: {s:?}"),
        }
    }

    fn fields(e: &Expr) -> Option<Vec<String>> {
        let Expr::DynStr(f) = e else {
            panic!("not an f-string: {e:?}");
        };
        let parts = f.parts.as_ref()?;
        Some(
            parts
                .iter()
                .map(|p| match p {
                    FPart::Text(t) => format!("text {t}"),
                    FPart::Field(e) => format!("field {}", e.describe()),
                })
                .collect(),
        )
    }

    #[test]
    fn f_strings_keep_their_fields_as_expressions() {
        assert_eq!(
            fields(&value(r#"f"{cfg['ROOT']}/v{n + 1}""#)).unwrap(),
            ["field cfg[\"ROOT\"]", "text /v", "field n + 1"]
        );
        // a concatenation with plain strings around it, `{{` an escaped brace
        assert_eq!(
            fields(&value(r#""/a" f"{{b}}/{c}" "/d""#)).unwrap(),
            ["text /a", "text {b}/", "field c", "text /d"]
        );
        // escapes as Python reads them: `\t` decoded, an unknown one (`\d`) kept
        assert_eq!(
            fields(&value(r#"f"^{p}/(?P<pk>\d+)\t$""#)).unwrap(),
            ["text ^", "field p", "text /(?P<pk>\\d+)\t$"]
        );
        // conversions, format specs and `=` are not plain fields
        for src in [r#"f"{a!r}""#, r#"f"{a:>4}""#, r#"f"{a=}""#] {
            assert_eq!(fields(&value(src)), None, "{src}");
        }
        // no field left: a constant
        assert!(matches!(value(r#"f"/x{{y}}""#), Expr::Str(s) if s == "/x{y}"));
        // a plain string decodes its escapes too; a raw one keeps them
        assert!(matches!(value(r#""/a\x41b\d""#), Expr::Str(s) if s == "/aAb\\d"));
        assert!(matches!(value(r#"r"/a\x41""#), Expr::Str(s) if s == "/a\\x41"));
    }
}
