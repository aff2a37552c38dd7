//! Functions that are click commands. Calling a command object (`run()` from a
//! console script's `main()`, or the command as a start-up entry) does not
//! call the function with the caller's arguments: click's `Command.main`
//! parses the command line and calls the function with one argument per
//! parameter its decorators declare. With no command line, each is the
//! parameter's default: `default=`, else `False` for a flag, `()` for
//! `multiple=True` or `nargs=-1`, `0` for `count=True`, `None` otherwise; an
//! argument without a default is required, so not known. An app factory
//! called with `url_prefix` from `@click.option("--url-prefix", default="")`
//! builds the rules the installed command serves by default. Click is named
//! here because its decorators, not Python, decide how the function is
//! called; the names follow click's own rules for option declarations.

use super::eval::Cx;
use crate::python::ir::{Call, Expr, FuncDef, Param};
use crate::python::{Project, SourceModule};

const OPTIONS: &[&str] = &["click.option", "click.decorators.option"];
const ARGUMENTS: &[&str] = &["click.argument", "click.decorators.argument"];
const COMMANDS: &[&str] = &[
    "click.command",
    "click.group",
    "click.decorators.command",
    "click.decorators.group",
];

/// What click passes `fd` when it is a command (a click command or group
/// decorator, or a parameter decorator) and no command line is given: per
/// parameter its default expression, written in `m`, or why it is not known;
/// parameters click does not declare keep their Python defaults. `None` for
/// other functions.
pub fn parameters(
    cx: &Cx,
    fd: &FuncDef,
    m: &SourceModule,
) -> Option<Vec<(String, Result<Expr, String>)>> {
    let resolve = |e: &Expr| {
        e.dotted()
            .map(|d| cx.project().resolver.resolve(&m.module, &d))
    };
    let mut command = false;
    let mut given: Vec<(String, Result<Expr, String>)> = Vec::new();
    for d in fd.decorators.iter() {
        let (callee, call) = match d {
            Expr::Call(c) => (&c.func, Some(&**c)),
            e => (e, None),
        };
        let Some(name) = resolve(callee) else {
            continue;
        };
        let option = OPTIONS.contains(&name.as_str());
        if COMMANDS.contains(&name.as_str()) {
            command = true;
        } else if let Some(c) = call
            && (option || ARGUMENTS.contains(&name.as_str()))
        {
            command = true;
            if let Some(p) = parameter(c, option) {
                given.push(p);
            }
        }
    }
    if !command {
        return None;
    }
    let mut out = Vec::new();
    for (i, p) in fd.params.iter().enumerate() {
        let default = fd.defaults.get(i).and_then(|d| d.as_ref());
        if matches!(default, Some(Param::Args | Param::Kwargs)) {
            continue;
        }
        match given.iter().position(|(n, _)| n == p.as_str()) {
            Some(j) => out.push(given.swap_remove(j)),
            None if default.is_some() => {}
            None => out.push((p.to_string(), Err(format!("parameter {p}")))),
        }
    }
    Some(out)
}

/// Whether `fd`, written in `m`, is a command of the program's own command line:
/// made by `@click.command()` / `@click.group()`, or by `@cli.command()` /
/// `@cli.group()` on `cli`, a group of the scanned code (a group nested in a group
/// included). A console script runs it with the command line its user types.
pub fn is_command(project: &Project, m: &SourceModule, fd: &FuncDef) -> bool {
    makes_command(project, m, fd, false, 0)
}

/// Whether a decorator of `fd` is click's, or `group.command`/`group.group` on a
/// project group (`group_only`: only a group counts; `depth`: groups followed so far).
fn makes_command(
    project: &Project,
    m: &SourceModule,
    fd: &FuncDef,
    group_only: bool,
    depth: usize,
) -> bool {
    fd.decorators.iter().any(|d| {
        let callee = match d {
            Expr::Call(c) => &c.func,
            e => e,
        };
        let resolve = |e: &Expr| e.dotted().map(|d| project.resolver.resolve(&m.module, &d));
        if let Some(n) = resolve(callee).filter(|n| COMMANDS.contains(&n.as_str())) {
            // `click.command` makes a command, `click.group` a group (also a command)
            return !group_only || n.ends_with(".group");
        }
        let Expr::Attr(base, method) = callee else {
            return false;
        };
        depth < 8
            && (method.as_str() == "group" || !group_only && method.as_str() == "command")
            && resolve(base)
                .and_then(|g| project.function(&g))
                .is_some_and(|(g, gm)| makes_command(project, gm, g, true, depth + 1))
    })
}

/// The parameter one `@click.option(*decls, ...)` / `@click.argument(decl, ...)`
/// declares and its default, or why that is not known (a required parameter,
/// a default click computes by calling it); `None` for declarations not
/// written as strings.
fn parameter(c: &Call, option: bool) -> Option<(String, Result<Expr, String>)> {
    let decls: Vec<&str> = c
        .args
        .iter()
        .map(|a| match a {
            Expr::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let flag = |k: &str| matches!(c.kwarg(k), Some(Expr::Bool(true)));
    let name = if option {
        option_name(&decls)?
    } else {
        decls.first()?.replace('-', "_").to_lowercase()
    };
    let variadic = matches!(c.kwarg("nargs"), Some(Expr::Int(-1)));
    // an argument is required unless it has a default, `required=False` or `nargs=-1`
    let required = match c.kwarg("required") {
        Some(Expr::Bool(b)) => *b,
        Some(_) => return Some((name, Err("required=... not known".into()))),
        None => !option && !variadic,
    };
    let default = match c.kwarg("default") {
        Some(Expr::Lambda(_)) => Err(format!(
            "--{name}: a default computed when the command runs"
        )),
        Some(e) => Ok(e.clone()),
        None if required => Err(format!("{name}: required on the command line")),
        None if flag("multiple") || variadic => Ok(Expr::Tuple(Vec::new())),
        None if flag("count") => Ok(Expr::Int(0)),
        None if flag("is_flag") || decls.iter().any(|d| d.contains('/')) => Ok(Expr::Bool(false)),
        None => Ok(Expr::None),
    };
    Some((name, default))
}

/// click's name for an option: a declaration that is an identifier, else the
/// one with the longest dash prefix (the first of those), dashes made underscores.
fn option_name(decls: &[&str]) -> Option<String> {
    if let Some(id) = decls
        .iter()
        .find(|d| !d.starts_with('-') && !d.contains('/') && !d.is_empty())
    {
        return Some(id.to_string());
    }
    let mut best: Option<(usize, &str)> = None;
    for d in decls {
        // `--debug/--normal`: the first half names the option
        let first = d.split('/').next().unwrap_or(d).trim();
        let dashes = first.len() - first.trim_start_matches('-').len();
        if best.is_none_or(|(n, _)| dashes > n) {
            best = Some((dashes, first));
        }
    }
    let (dashes, decl) = best?;
    Some(decl[dashes..].replace('-', "_").to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::option_name;

    #[test]
    fn option_names_follow_click() {
        assert_eq!(option_name(&["-b", "--bind"]).as_deref(), Some("bind"));
        assert_eq!(
            option_name(&["--url-prefix"]).as_deref(),
            Some("url_prefix")
        );
        assert_eq!(option_name(&["--debug/--normal"]).as_deref(), Some("debug"));
        assert_eq!(
            option_name(&["-H", "--Redis-Host"]).as_deref(),
            Some("redis_host")
        );
        assert_eq!(
            option_name(&["-c", "--config", "cfg"]).as_deref(),
            Some("cfg")
        );
        assert_eq!(option_name(&["-v"]).as_deref(), Some("v"));
    }
}
