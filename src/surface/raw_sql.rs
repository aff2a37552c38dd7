//! Tables the code owns without an ORM model: `CREATE TABLE` statements in strings (sqlite3,
//! `cursor.execute`), and SQLAlchemy Core `Table(...)` objects that no relationship
//! (`secondary=`) or classical `mapper()` maps. A port has to give each one a Django model and
//! rewrite the SQL that reads and writes it; the model extractors cannot see them.

use crate::inventory::RawTable;
use std::collections::BTreeSet;

/// Scratch tables of a schema change (`CREATE TABLE temp AS ...`): not a table the app owns.
fn is_scratch(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["temp", "tmp"]
        .iter()
        .any(|w| n == *w || n.starts_with(&format!("{w}_")) || n.ends_with(&format!("_{w}")))
        || n.ends_with("_old")
        || n.ends_with("_backup")
}

/// What one file contributes: candidate tables (with the variable a Core `Table` is bound to)
/// and the names its relationships or mappers map.
#[derive(Default)]
pub struct FileTables {
    candidates: Vec<(RawTable, Option<String>)>,
    mapped: BTreeSet<String>,
}

/// Whether a file can hold anything this module looks for (a cheap byte check first).
fn worth_reading(text: &str) -> bool {
    let b = text.as_bytes();
    [
        "CREATE TABLE",
        "create table",
        "Create Table",
        "Table(",
        "secondary",
        "mapper(",
    ]
    .iter()
    .any(|w| memchr::memmem::find(b, w.as_bytes()).is_some())
}

/// Reads one Python file (independent of the others, so files can be read in parallel).
pub fn file(rel: &str, text: &str) -> FileTables {
    let mut out = FileTables::default();
    if !worth_reading(text) {
        return out;
    }
    out.mapped = mapped_names(text);
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let n = i as u32 + 1;
        if let Some(name) = create_table(line).filter(|n| !is_scratch(n)) {
            out.candidates.push((
                RawTable {
                    name,
                    via: "create_table".into(),
                    file: rel.to_string(),
                    line: n,
                },
                None,
            ));
        }
        if let Some((var, name)) = core_table(line, lines.get(i + 1).copied())
            && !line.contains("__table__")
        {
            out.candidates.push((
                RawTable {
                    name,
                    via: "sqlalchemy_core".into(),
                    file: rel.to_string(),
                    line: n,
                },
                var,
            ));
        }
    }
    out
}

/// The raw tables of a repository from its files' contributions: Core tables mapped anywhere
/// are dropped; a table created in several places is listed once, where it is first seen.
pub fn resolve(files: Vec<FileTables>) -> Vec<RawTable> {
    let mapped: BTreeSet<String> = files
        .iter()
        .flat_map(|f| f.mapped.iter().cloned())
        .collect();
    let mut out: Vec<RawTable> = files
        .into_iter()
        .flat_map(|f| f.candidates)
        .filter(|(t, var)| {
            t.via == "create_table"
                || (!mapped.contains(&t.name) && !var.as_ref().is_some_and(|v| mapped.contains(v)))
        })
        .map(|(t, _)| t)
        .collect();
    out.sort_by(|a, b| (&a.name, &a.file, a.line).cmp(&(&b.name, &b.file, b.line)));
    out.dedup_by(|a, b| a.name == b.name);
    out
}

/// The raw tables of a set of (root-relative path, source) Python files.
pub fn tables(files: &[(String, String)]) -> Vec<RawTable> {
    resolve(files.iter().map(|(rel, text)| file(rel, text)).collect())
}

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The table a `CREATE TABLE [IF NOT EXISTS] name` on this line creates.
fn create_table(line: &str) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    let at = lower.find("create table")?;
    let mut rest = lower[at + "create table".len()..].trim_start();
    if let Some(r) = rest.strip_prefix("if not exists") {
        rest = r.trim_start();
    }
    let rest = rest.trim_start_matches(['"', '`', '[', '\'']);
    let name: String = rest
        .chars()
        .take_while(|c| ident_char(*c) || *c == '.')
        .collect();
    // `{}` or `%s` placeholders: the name is computed, not knowable here.
    (!name.is_empty() && name.chars().any(|c| c.is_ascii_alphabetic())).then_some(name)
}

/// `[var =] [db.|sa.|sqlalchemy.]Table("name", ...)`, the name possibly on the next line.
fn core_table(line: &str, next: Option<&str>) -> Option<(Option<String>, String)> {
    let at = line.find("Table(")?;
    let before = &line[..at];
    let prefix_ok = before.is_empty()
        || before.ends_with("db.")
        || before.ends_with("sa.")
        || before.ends_with("sqlalchemy.")
        || before.ends_with([' ', '=', '(']);
    if !prefix_ok {
        return None;
    }
    let after = line[at + "Table(".len()..].trim_start();
    let arg = if after.is_empty() {
        next?.trim_start()
    } else {
        after
    };
    let q = arg.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let name: String = arg[1..].chars().take_while(|c| *c != q).collect();
    if name.is_empty() || !name.chars().all(ident_char) {
        return None;
    }
    let var = before
        .split('=')
        .next()
        .filter(|_| before.contains('='))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty() && v.chars().all(ident_char));
    Some((var, name))
}

/// Names used as `secondary=` of a relationship or as the table of a classical `mapper()`:
/// those tables are mapped, not raw.
fn mapped_names(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut take = |s: &str| {
        let s = s.trim_start().trim_start_matches(['"', '\'']);
        let name: String = s
            .chars()
            .take_while(|c| ident_char(*c) || *c == '.')
            .collect();
        let name = name.rsplit('.').next().unwrap_or("").to_string();
        if !name.is_empty() {
            out.insert(name);
        }
    };
    for part in text.split("secondary").skip(1) {
        if let Some(r) = part.trim_start().strip_prefix('=') {
            take(r);
        }
    }
    for part in text.split("mapper(").skip(1) {
        if let Some((_, r)) = part.split_once(',') {
            take(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> Vec<(String, String)> {
        tables(&[("lib/db.py".into(), src.into())])
            .into_iter()
            .map(|t| (t.name, t.via))
            .collect()
    }

    #[test]
    fn create_table_strings() {
        assert_eq!(
            run(
                "q = 'CREATE TABLE assets(asset_id text primary key)'\nc.execute(\"create table if not exists `logs` (x)\")\nsql = 'CREATE TABLE {}(x)'.format(t)\nmig = 'CREATE TABLE temp AS SELECT 1'\nagain = 'CREATE TABLE assets(a)'\n"
            ),
            vec![
                ("assets".to_string(), "create_table".to_string()),
                ("logs".to_string(), "create_table".to_string())
            ]
        );
    }

    #[test]
    fn core_tables_unless_mapped() {
        let src = "tags = db.Table('tags', db.Column('a'))\nevents = Table(\n    \"events\", metadata)\nclass P(db.Model):\n    tags = db.relationship('T', secondary=tags)\nclass X(Base):\n    __table__ = Table('x', metadata)\n";
        assert_eq!(
            run(src),
            vec![("events".to_string(), "sqlalchemy_core".to_string())]
        );
        assert!(run("t = PrettyTable()\nrender(DataTable('a'))\n").is_empty());
    }
}
