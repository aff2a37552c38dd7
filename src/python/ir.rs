//! The owned, simplified Python syntax every extractor reads.
//!
//! A tree-sitter tree borrows its source and is large; extractors need only the
//! shape of statements and expressions that can declare routes, models, jobs or
//! settings. Lowering to this IR lets each file's tree be dropped right after
//! parsing (flat memory) and lets the cross-file linkers work on plain data.
//! Anything the IR does not model becomes `Expr::Other`, never an error.

/// Identifiers and literal strings in the IR. Nearly all are short: stored
/// inline (up to 24 bytes), they cost no allocation of their own.
pub type Text = compact_str::CompactString;

/// A 1-based source position.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A Python operator (`+`, `not in`, `+=`, `and`, ...), stored as an index
/// into a fixed table so that operator nodes stay one byte instead of a
/// 24-byte `Text`: that keeps `Expr` at 32 bytes. Compares and prints as its
/// source spelling.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Op(u8);

impl Op {
    /// Every operator tree-sitter-python can produce; `?` stands for anything else.
    const ALL: [&'static str; 41] = [
        "?", "+", "-", "*", "@", "/", "%", "//", "**", "|", "&", "^", "<<", ">>", "and", "or", "<",
        "<=", "==", "!=", ">=", ">", "<>", "in", "not in", "is", "is not", "+=", "-=", "*=", "/=",
        "@=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", ":=",
    ];

    pub fn new(spelling: &str) -> Op {
        Op(Op::ALL.iter().position(|s| *s == spelling).unwrap_or(0) as u8)
    }
}

impl std::ops::Deref for Op {
    type Target = str;
    fn deref(&self) -> &str {
        Op::ALL[self.0 as usize]
    }
}

impl PartialEq<str> for Op {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for Op {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", &**self)
    }
}

/// `typing.TYPE_CHECKING`: true for type checkers, false whenever the code runs, so what an
/// `if TYPE_CHECKING:` block binds never exists at run time.
pub const TYPE_CHECKING: &[&str] = &["typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"];

/// An f-string as written, and its pieces when every replacement field is a
/// plain expression (no conversion, format spec or `=`).
#[derive(Clone, Debug)]
pub struct FString {
    pub text: Text,
    pub parts: Option<Box<[FPart]>>,
}

#[derive(Clone, Debug)]
pub enum FPart {
    Text(Text),
    Field(Expr),
}

#[derive(Clone, Debug)]
pub enum Expr {
    Name(Text),
    Attr(Box<Expr>, Text),
    Call(Box<Call>),
    /// A string literal whose value is fully known (implicit concatenation joined).
    Str(Text),
    /// An f-string (or a concatenation holding one): its value depends on run time.
    DynStr(Box<FString>),
    Int(i64),
    Bool(bool),
    None,
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    BinOp(Box<Expr>, Op, Box<Expr>),
    Subscript(Box<Expr>, Box<Expr>),
    /// `*x` inside a list or tuple display.
    Starred(Box<Expr>),
    /// `not x`.
    Not(Box<Expr>),
    /// `body if test else orelse`: test, body, orelse.
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A list/set/generator (or dict, with `key`) comprehension.
    Comp(Box<Comp>),
    /// `lambda params: body`, as a function returning `body`.
    Lambda(Box<FuncDef>),
    /// Anything else: the source text (truncated), kept for messages.
    Other(Text),
    /// A name already resolved to its canonical id in another scope: a
    /// caller's argument bound to a parameter of an inlined helper function.
    Resolved(Text),
}

/// `[elt for target in iter if cond ...]`; `key` is set for a dict comprehension
/// (`{key: elt for ...}`).
#[derive(Clone, Debug)]
pub struct Comp {
    pub elt: Expr,
    pub key: Option<Expr>,
    pub generators: Vec<Generator>,
    pub text: Text,
}

#[derive(Clone, Debug)]
pub struct Generator {
    pub target: Expr,
    pub iter: Expr,
    pub conditions: Vec<Expr>,
}

#[derive(Clone, Debug)]
pub struct Call {
    pub func: Expr,
    pub args: Box<[Expr]>,
    pub kwargs: Box<[(Text, Expr)]>,
    /// The mapping passed as `**kwargs`, if any (`super().__init__(name, **kwargs)`).
    pub kwargs_splat: Option<Box<Expr>>,
    pub pos: Pos,
}

impl Call {
    /// `*args` / `**kwargs` were passed: the argument list is not fully known.
    pub fn has_splat(&self) -> bool {
        self.kwargs_splat.is_some() || self.args.iter().any(|a| matches!(a, Expr::Starred(_)))
    }

    pub fn kwarg(&self, name: &str) -> Option<&Expr> {
        self.kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Keyword argument `name`, or else positional argument `index`.
    pub fn arg(&self, index: usize, name: &str) -> Option<&Expr> {
        self.kwarg(name).or_else(|| self.args.get(index))
    }
}

impl Expr {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_call(&self) -> Option<&Call> {
        match self {
            Expr::Call(c) => Some(c),
            _ => None,
        }
    }

    pub fn as_name(&self) -> Option<&str> {
        match self {
            Expr::Name(n) => Some(n),
            _ => None,
        }
    }

    /// `a.b.c` for names and attribute chains, `None` for anything else.
    pub fn dotted(&self) -> Option<String> {
        match self {
            Expr::Name(n) => Some(n.to_string()),
            Expr::Attr(base, attr) => base.dotted().map(|b| format!("{b}.{attr}")),
            _ => None,
        }
    }

    /// The last component of a dotted name or attribute (`models.CharField` -> `CharField`).
    pub fn last_name(&self) -> Option<&str> {
        match self {
            Expr::Name(n) => Some(n),
            Expr::Attr(_, a) => Some(a),
            _ => None,
        }
    }

    /// Elements of a list, tuple or set literal.
    pub fn elements(&self) -> Option<&[Expr]> {
        match self {
            Expr::List(v) | Expr::Tuple(v) => Some(v),
            _ => None,
        }
    }

    /// Short human-readable text, for messages and reasons.
    pub fn describe(&self) -> String {
        match self {
            Expr::Str(s) => format!("{s:?}"),
            Expr::DynStr(f) => f.text.to_string(),
            Expr::Other(t) | Expr::Resolved(t) => t.to_string(),
            Expr::Call(c) => format!("{}(...)", c.func.describe()),
            Expr::Int(i) => i.to_string(),
            Expr::Bool(b) => if *b { "True" } else { "False" }.into(),
            Expr::None => "None".into(),
            Expr::BinOp(l, op, r) => format!("{} {op} {}", l.describe(), r.describe()),
            Expr::Subscript(v, i) => format!("{}[{}]", v.describe(), i.describe()),
            Expr::List(_) | Expr::Tuple(_) | Expr::Dict(_) => "<literal>".into(),
            Expr::Starred(e) => format!("*{}", e.describe()),
            Expr::Not(e) => format!("not {}", e.describe()),
            Expr::IfExp(t, b, o) => {
                format!("{} if {} else {}", b.describe(), t.describe(), o.describe())
            }
            Expr::Comp(c) => c.text.to_string(),
            Expr::Attr(b, a) if self.dotted().is_none() => format!("{}.{a}", b.describe()),
            _ => self.dotted().unwrap_or_default(),
        }
    }

    /// The expression written out again, arguments and literals included (shortened past 120
    /// characters): for messages that must name one of several similar calls.
    pub fn render(&self) -> String {
        let join = |v: &mut dyn Iterator<Item = String>| v.collect::<Vec<_>>().join(", ");
        let text = match self {
            Expr::Call(c) => {
                let args = c.args.iter().map(Expr::render);
                let kwargs = c.kwargs.iter().map(|(k, v)| format!("{k}={}", v.render()));
                format!("{}({})", c.func.describe(), join(&mut args.chain(kwargs)))
            }
            Expr::List(v) => format!("[{}]", join(&mut v.iter().map(Expr::render))),
            Expr::Tuple(v) => format!("({})", join(&mut v.iter().map(Expr::render))),
            Expr::Dict(v) => format!(
                "{{{}}}",
                join(
                    &mut v
                        .iter()
                        .map(|(k, v)| format!("{}: {}", k.render(), v.render()))
                )
            ),
            _ => self.describe(),
        };
        match text.char_indices().nth(120) {
            Some((i, _)) => format!("{}...", &text[..i]),
            None => text,
        }
    }

    /// Every sub-expression of this expression, itself first, each once
    /// (into calls, containers, operators, conditionals and comprehensions).
    pub fn walk<'a>(&'a self, mut visit: impl FnMut(&'a Expr)) {
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            visit(e);
            match e {
                Expr::Call(c) => {
                    stack.push(&c.func);
                    stack.extend(c.args.iter());
                    stack.extend(c.kwargs.iter().map(|(_, v)| v));
                }
                Expr::Attr(b, _) | Expr::Starred(b) | Expr::Not(b) => stack.push(b),
                Expr::List(v) | Expr::Tuple(v) => stack.extend(v.iter()),
                Expr::Dict(v) => stack.extend(v.iter().flat_map(|(k, v)| [k, v])),
                Expr::BinOp(l, _, r) | Expr::Subscript(l, r) => {
                    stack.push(l);
                    stack.push(r)
                }
                Expr::IfExp(t, b, o) => stack.extend([&**t, &**b, &**o]),
                Expr::Comp(c) => {
                    stack.push(&c.elt);
                    stack.extend(c.key.iter());
                    for g in &c.generators {
                        stack.push(&g.iter);
                        stack.extend(g.conditions.iter());
                    }
                }
                _ => {}
            }
        }
    }

    /// Every name this expression mentions (not attribute names).
    pub fn walk_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        self.walk(|e| {
            if let Expr::Name(n) = e {
                out.push(n);
            }
        });
    }

    /// Every call in this expression, outermost first.
    pub fn walk_calls<'a>(&'a self, out: &mut Vec<&'a Call>) {
        self.walk(|e| {
            if let Expr::Call(c) = e {
                out.push(c);
            }
        });
    }
}

/// One import statement. The names of a `from` import share its module.
#[derive(Clone, Debug)]
pub enum Import {
    /// `import a.b.c [as x], d`
    Modules(Box<[(Text, Option<Text>)]>),
    /// `from m import a [as x], b` (a wildcard import names `*`)
    From {
        module: Text,
        level: u32,
        names: Box<[(Text, Option<Text>)]>,
    },
}

/// One name an import statement binds, as its readers see it.
#[derive(Clone, Copy, Debug)]
pub enum ImportName<'a> {
    /// `import a.b.c [as x]`
    Module {
        path: &'a str,
        alias: Option<&'a str>,
    },
    /// `from m import a [as x]` (`name` is `*` for a wildcard import)
    From {
        module: &'a str,
        level: u32,
        name: &'a str,
        alias: Option<&'a str>,
    },
}

impl Import {
    pub fn names(&self) -> impl Iterator<Item = ImportName<'_>> {
        let (from, names) = match self {
            Import::Modules(names) => (None, names),
            Import::From {
                module,
                level,
                names,
            } => (Some((module.as_str(), *level)), names),
        };
        names.iter().map(move |(name, alias)| {
            let alias = alias.as_deref();
            match from {
                None => ImportName::Module { path: name, alias },
                Some((module, level)) => ImportName::From {
                    module,
                    level,
                    name,
                    alias,
                },
            }
        })
    }
}

/// The prefix of the names that hold a `with` statement's managers
/// (`__with_<line>_<column>`): lowering binds them, interpreters call their
/// `__exit__`.
pub const WITH_MANAGER: &str = "__with_";

#[derive(Clone, Debug)]
pub enum Stmt {
    Import(Import, Pos),
    Assign {
        targets: Box<[Expr]>,
        value: Option<Expr>,
        annotation: Option<Box<Expr>>,
        pos: Pos,
    },
    AugAssign {
        target: Expr,
        op: Op,
        value: Box<Expr>,
        pos: Pos,
    },
    Expr(Expr, Pos),
    Return(Option<Expr>, Pos),
    // Definitions are boxed, as are the rarer large fields of the other
    // variants: a `Stmt` is as large as its largest variant, and most
    // statements are small.
    Class(Box<ClassDef>),
    Func(Box<FuncDef>),
    For {
        target: Expr,
        iter: Box<Expr>,
        body: Box<[Stmt]>,
        pos: Pos,
    },
    /// The bodies of `if`/`else`/`with`/`try`/`while`: kept in order, flattened,
    /// because declarations under `if settings.DEBUG:` or `try:` still happen.
    Block(Box<[Stmt]>),
    /// First statement of the block of an `if`/`elif` (`Some(test)`) or `else`
    /// (`None`): lets an interpreter choose a branch. An `if` block is `[Guard,
    /// Block(then), Block([Guard, Block(..)]) for each elif/else]`. Readers that
    /// flatten blocks ignore it.
    Guard(Option<Expr>),
    /// First statement of a `while` block, its test: the block is `[While(test),
    /// Block(body), Block([Guard(None), ..])` for an `else`]. Readers that flatten
    /// blocks ignore it, as they do a `Guard`.
    While(Expr),
    /// `break`, `continue` or `raise`: leaves the block abruptly. Interpreters
    /// that do not model it must stop; readers that collect declarations ignore it.
    Exit(Text),
    /// `yield value` or (`from`) `yield from values` written as a statement.
    Yield {
        value: Option<Expr>,
        from: bool,
    },
    /// `global a, b`: names a function reads and assigns in its module.
    Global(Box<[Text]>),
}

impl Stmt {
    /// Every call in the statement's own expression, assigned value or
    /// returned value (not in nested bodies, which are statements of their own).
    pub fn calls(&self) -> Vec<&Call> {
        let mut out = Vec::new();
        match self {
            Stmt::Expr(e, _) | Stmt::Assign { value: Some(e), .. } | Stmt::Return(Some(e), _) => {
                e.walk_calls(&mut out)
            }
            _ => {}
        }
        out
    }
}

#[derive(Clone, Debug)]
pub struct ClassDef {
    pub name: Text,
    pub bases: Box<[Expr]>,
    pub keywords: Box<[(Text, Expr)]>,
    pub decorators: Box<[Expr]>,
    pub body: Box<[Stmt]>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub enum Param {
    Default(Expr),
    /// `*args`
    Args,
    /// `**kwargs`
    Kwargs,
}

#[derive(Clone, Debug)]
pub struct FuncDef {
    pub name: Text,
    pub params: Box<[Text]>,
    /// Per parameter: its default value, or that it is `*args` / `**kwargs`;
    /// empty when no parameter has either.
    pub defaults: Box<[Option<Param>]>,
    pub decorators: Box<[Expr]>,
    pub body: Box<[Stmt]>,
    /// The body was not read (see `python::elide`): it names nothing the
    /// inventory needs, but what it does or returns is unknown.
    pub elided: bool,
    pub pos: Pos,
}

impl FuncDef {
    /// The function's own statements (under blocks and loops too, not in
    /// nested definitions), in source order.
    pub fn own_statements(&self) -> Vec<&Stmt> {
        let mut out = Vec::new();
        walk_stmts(&self.body, |s, scope| {
            if scope.is_empty() {
                out.push(s);
            }
        });
        out
    }

    /// What its `return` statements give, in source order.
    pub fn returned(&self) -> impl Iterator<Item = &Expr> {
        self.own_statements().into_iter().filter_map(|s| match s {
            Stmt::Return(Some(e), _) => Some(e),
            _ => None,
        })
    }

    /// The call the local `name` is last assigned in the function's own statements.
    pub fn last_call_assigned(&self, name: &str) -> Option<&Call> {
        self.own_statements()
            .into_iter()
            .rev()
            .find_map(|s| match s {
                Stmt::Assign {
                    targets,
                    value: Some(Expr::Call(c)),
                    ..
                } if matches!(targets.first(), Some(Expr::Name(n)) if n == name) => Some(&**c),
                _ => None,
            })
    }
}

impl ClassDef {
    /// Simple `name = value` assignments in the class body (fields, Meta
    /// options), in source order, including those under `if`/`try` in the body
    /// (`if connection.vendor == "postgresql": search = SearchVectorField()`).
    pub fn assignments(&self) -> impl Iterator<Item = (&str, Option<&Expr>, Option<&Expr>, Pos)> {
        // Blocks are rare in class bodies: the stack allocates only for one.
        let mut current = self.body.iter();
        let mut outer: Vec<std::slice::Iter<'_, Stmt>> = Vec::new();
        let statements = std::iter::from_fn(move || {
            loop {
                match current.next() {
                    Some(Stmt::Block(b)) => outer.push(std::mem::replace(&mut current, b.iter())),
                    Some(s) => return Some(s),
                    None => current = outer.pop()?,
                }
            }
        });
        statements.filter_map(|s| match s {
            Stmt::Assign {
                targets,
                value,
                annotation,
                pos,
            } => match targets.first() {
                Some(Expr::Name(n)) => {
                    Some((n.as_str(), value.as_ref(), annotation.as_deref(), *pos))
                }
                _ => None,
            },
            _ => None,
        })
    }

    pub fn methods(&self) -> impl Iterator<Item = &FuncDef> {
        self.body.iter().filter_map(|s| match s {
            Stmt::Func(f) => Some(&**f),
            _ => None,
        })
    }

    pub fn inner_class(&self, name: &str) -> Option<&ClassDef> {
        self.body.iter().find_map(|s| match s {
            Stmt::Class(c) if c.name == name => Some(&**c),
            _ => None,
        })
    }

    pub fn attr(&self, name: &str) -> Option<&Expr> {
        self.assignments()
            .find(|(n, v, _, _)| *n == name && v.is_some())
            .and_then(|(_, v, _, _)| v)
    }
}

/// Walks statements depth-first in source order, descending into blocks, loops,
/// functions and classes. `visit` gets the statement and the enclosing
/// function/class names (the scope path). Iterative: no recursion over input depth.
/// Whether a guard's text marks an `except` handler: `except` alone (bare,
/// or types the lowering could not name) or `except KeyError LookupError`
/// (the last names of the classes it catches).
pub fn is_except(t: &str) -> bool {
    t == "except" || t.starts_with("except ")
}

pub fn walk_stmts<'a>(body: &'a [Stmt], mut visit: impl FnMut(&'a Stmt, &[&'a str])) {
    let mut stack: Vec<(std::slice::Iter<'a, Stmt>, Option<&'a str>)> = vec![(body.iter(), None)];
    let mut scope: Vec<&'a str> = Vec::new();
    while let Some((iter, _)) = stack.last_mut() {
        let Some(stmt) = iter.next() else {
            if let Some((_, Some(_))) = stack.pop() {
                scope.pop();
            }
            continue;
        };
        visit(stmt, &scope);
        match stmt {
            Stmt::Block(b) | Stmt::For { body: b, .. } => stack.push((b.iter(), None)),
            Stmt::Func(f) => {
                scope.push(&f.name);
                stack.push((f.body.iter(), Some(&f.name)));
            }
            Stmt::Class(c) => {
                scope.push(&c.name);
                stack.push((c.body.iter(), Some(&c.name)));
            }
            _ => {}
        }
    }
}

/// Whether a function body holds a `yield` statement of its own (not in a
/// nested definition): calling the function makes a generator. A `yield`
/// used as a value (`x = yield`) is not seen.
pub fn yields(body: &[Stmt]) -> bool {
    let mut found = false;
    walk_stmts(body, |s, scope| {
        found |= scope.is_empty() && matches!(s, Stmt::Yield { .. })
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::size_of;

    #[test]
    fn operators_keep_their_spelling() {
        for s in ["+", "not in", "is not", "//=", "and"] {
            assert_eq!(&*Op::new(s), s);
        }
        assert_eq!(&*Op::new("~~"), "?");
    }

    /// Every parsed file's IR stays in memory for the whole scan (about 300k
    /// statements and 900k expressions on the benchmark corpus): a new field
    /// that grows these types costs megabytes. Box it.
    #[test]
    fn ir_nodes_stay_small() {
        assert!(size_of::<Expr>() <= 32, "Expr: {}", size_of::<Expr>());
        assert!(size_of::<Stmt>() <= 72, "Stmt: {}", size_of::<Stmt>());
        assert!(size_of::<Call>() <= 80, "Call: {}", size_of::<Call>());
        assert!(
            size_of::<FuncDef>() <= 104,
            "FuncDef: {}",
            size_of::<FuncDef>()
        );
        assert!(
            size_of::<ClassDef>() <= 96,
            "ClassDef: {}",
            size_of::<ClassDef>()
        );
    }
}
