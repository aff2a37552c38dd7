"""What both verifiers compare: a table's shape as SQLite holds it (columns with their type
family and nullability, primary key, foreign keys, unique column sets), and the differences
between the source's and the target's; and how SQLite declares PostgreSQL's types for them.
"""

import os

# The type family of a column as SQLite declares it: what both ORMs must agree on.
def family(declared):
    t = str(declared).upper()
    for key, fam in (
        ("BOOL", "boolean"),
        ("INT", "integer"),
        ("DATETIME", "datetime"),
        ("TIMESTAMP", "datetime"),
        ("DATE", "date"),
        ("TIME", "time"),
        ("CHAR", "text"),
        ("TEXT", "text"),
        # A UUID is text on SQLite whichever ORM declares it: SQLAlchemy's Uuid and Django's
        # UUIDField as CHAR(32), PostgreSQL's UUID type under its own name.
        ("UUID", "text"),
        ("CLOB", "text"),
        # SQLite keeps JSON as text: SQLAlchemy declares JSON, Django text with a JSON_VALID check.
        ("JSON", "text"),
        ("BLOB", "binary"),
        ("REAL", "float"),
        ("FLOA", "float"),
        ("DOUB", "float"),
        ("NUMERIC", "numeric"),
        ("DECIMAL", "numeric"),
    ):
        if key in t:
            return fam
    return t or "none"


def shape(engine, table):
    from sqlalchemy import inspect

    insp = inspect(engine)
    if not insp.has_table(table):
        return None
    cols = {c["name"]: (family(c["type"]), bool(c["nullable"])) for c in insp.get_columns(table)}
    if engine.dialect.name == "sqlite":
        # The declared type, not SQLite's affinity for it (JSONB reads back as NUMERIC).
        with engine.connect() as conn:
            for row in conn.exec_driver_sql(f'PRAGMA table_info("{table}")'):
                if row[1] in cols and row[2]:
                    cols[row[1]] = (family(row[2]), cols[row[1]][1])
    pk = sorted(insp.get_pk_constraint(table).get("constrained_columns") or [])
    fks = sorted(
        (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
        for f in insp.get_foreign_keys(table)
    )
    uniq = set()
    if engine.dialect.name != "sqlite":  # --database-url: what the inspector reads
        for u in insp.get_unique_constraints(table):
            uniq.add(tuple(sorted(u["column_names"])))
        for i in insp.get_indexes(table):
            if i.get("unique") and None not in i["column_names"]:
                uniq.add(tuple(sorted(i["column_names"])))
        uniq.discard(tuple(pk))
        return {"columns": cols, "pk": pk, "fks": fks, "unique": sorted(uniq)}
    # SQLite's own index list: inline UNIQUE, table UNIQUE and unique indexes alike.
    with engine.connect() as conn:
        for row in conn.exec_driver_sql(f'PRAGMA index_list("{table}")'):
            name, unique, origin = row[1], row[2], row[3]
            if unique and origin != "pk":
                names = [r[2] for r in conn.exec_driver_sql(f'PRAGMA index_info("{name}")')]
                if None not in names:  # an index on an expression has no column name
                    uniq.add(tuple(sorted(names)))
    uniq.discard(tuple(pk))
    return {"columns": cols, "pk": pk, "fks": fks, "unique": sorted(uniq)}


def compare(src, dst, target="Django"):
    diffs = []
    for col, (fam, null) in sorted(src["columns"].items()):
        if col not in dst["columns"]:
            diffs.append(f"column {col} missing")
            continue
        dfam, dnull = dst["columns"][col]
        if fam != dfam:
            diffs.append(f"column {col}: type family {fam} in the source, {dfam} in {target}")
        if null != dnull:
            diffs.append(f"column {col}: nullable {null} in the source, {dnull} in {target}")
    for col in sorted(set(dst["columns"]) - set(src["columns"])):
        diffs.append(f"column {col} only in {target}")
    if src["pk"] != dst["pk"]:
        diffs.append(f"primary key {src['pk']} in the source, {dst['pk']} in {target}")
    if src["fks"] != dst["fks"]:
        diffs.append(f"foreign keys {src['fks']} in the source, {dst['fks']} in {target}")
    if src["unique"] != dst["unique"]:
        diffs.append(f"unique {src['unique']} in the source, {dst['unique']} in {target}")
    return diffs


_declared = False


def sqlite_declares_postgres_types():
    """SQLite cannot declare PostgreSQL's array and hstore types (`varchar(50)[]` is a syntax
    error): SQLAlchemy and Django declare them ARRAY and HSTORE there, and SQLAlchemy reads them
    back as those types (not as SQLite's NUMERIC affinity), on both sides of a comparison that
    is by type family anyway. Applied once in this process; `runner` carries it into a
    subprocess."""
    global _declared
    if _declared:
        return
    _declared = True
    from sqlalchemy import ARRAY, Text
    from sqlalchemy.dialects.postgresql import HSTORE
    from sqlalchemy.dialects.sqlite.base import SQLiteTypeCompiler, ischema_names

    SQLiteTypeCompiler.visit_ARRAY = lambda self, type_, **kw: "ARRAY"
    SQLiteTypeCompiler.visit_HSTORE = lambda self, type_, **kw: "HSTORE"
    ischema_names.update(ARRAY=lambda: ARRAY(Text()), HSTORE=HSTORE, hstore=HSTORE)
    try:
        from django.contrib.postgres.fields import ArrayField
    except ImportError:  # no Django, or no PostgreSQL driver (a draft with arrays fails its checks)
        return
    db_type = ArrayField.db_type
    ArrayField.db_type = lambda self, c: "ARRAY" if c.vendor == "sqlite" else db_type(self, c)


def runner(folder, name, run):
    """A script in `folder` that applies `sqlite_declares_postgres_types()`, then runs `run`
    (Python source; the script's own arguments are in sys.argv[1:]). Returns its path."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(folder, name)
    with open(path, "w") as fh:
        fh.write(
            f"import sys\nsys.path.insert(0, {here!r})\n"
            "from verify_common import sqlite_declares_postgres_types\n"
            f"sqlite_declares_postgres_types()\n{run}\n"
        )
    return path
