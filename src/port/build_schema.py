"""crossport's schema builder for `crossport port --verify --build-schema`.

THIS IS THE ONE PLACE CROSSPORT RUNS PROJECT CODE. It runs with the project's own Python (its
virtualenv), in a subprocess with a timeout, a throwaway working folder and HOME, and imports
the project's models so that the project's own metadata creates a scratch SQLite database:

- SQLAlchemy / Flask-SQLAlchemy: every module holding a model crossport found is imported; the
  MetaData of the declarative bases, `db` objects and Table objects found in them is created
  with `create_all` (table by table when one table cannot be created, so it hides no other);
  model modules that import each other in a cycle are imported again, in a fresh interpreter,
  starting from another member of the cycle (as the project's entry point would);
- Django: the project's settings (DJANGO_SETTINGS_MODULE, --settings, or the one manage.py
  names) with DATABASES replaced by the scratch SQLite file, no router and no logging
  configuration; `django.setup()`,
  then the schema editor creates every managed model (and its join tables).

Dialect-specific column types SQLite cannot declare are written under their own type name.
Failures (an import error, a crash) are reported in the JSON document this prints, never raised.
Usage: build_schema.py SPEC.json   (SPEC: framework, root, files, settings, db, result)
"""

import json
import os
import re
import sys
import traceback

spec = json.load(open(sys.argv[1]))
sys.stdout = sys.stderr  # what the project prints is not the result (written to spec["result"])
out = {"ok": False, "errors": [], "notes": [], "tables": {}, "versions": {}}


def error(what, exc):
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" ({tb[-1].filename}:{tb[-1].lineno})" if tb else ""
    out["errors"].append(f"{what}: {type(exc).__name__}: {exc}{where}")


def package_root(path):
    """(folder to put on sys.path, dotted module name) of a Python file or package folder."""
    path = os.path.abspath(path)
    if os.path.isdir(path):
        d, parts = path, []
    else:
        d, stem = os.path.split(path)
        stem = os.path.splitext(stem)[0]
        parts = [] if stem == "__init__" else [stem]
    while os.path.exists(os.path.join(d, "__init__.py")):
        d, name = os.path.split(d)
        parts.insert(0, name)
    return d, ".".join(parts)


def module_root(path, module):
    """(folder to put on sys.path, module) of a file crossport named `module`, when its folders
    end with the module's packages (a namespace package without `__init__.py` among them);
    else what `package_root` finds."""
    d, stem = os.path.split(os.path.abspath(path))
    stem = os.path.splitext(stem)[0]
    parts = module.split(".")
    if stem != "__init__" and parts[-1] != stem:
        return package_root(path)
    for package in reversed(parts if stem == "__init__" else parts[:-1]):
        d, name = os.path.split(d)
        if name != package:
            return package_root(path)
    return d, module


def add_path(folder, first):
    if folder in sys.path:
        return
    if first:
        # After the script's folder and the PYTHONPATH the user gave (which win, as they do
        # for the project's own entry points).
        given = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        sys.path.insert(1 + len(given), folder)
    else:
        sys.path.append(folder)


ROOT = os.path.abspath(spec["root"])
# A project folder goes first on sys.path (as `python manage.py` does); a scanned package
# (site-packages/app) only makes its parent importable, so its modules never shadow others.
top, _ = package_root(ROOT)
add_path(top, top == ROOT)


def build_sqlalchemy():
    if not spec["files"]:
        out["notes"].append("crossport found no SQLAlchemy model: nothing to build")
        return True
    import importlib

    import sqlalchemy as sa
    from sqlalchemy.dialects.sqlite.base import SQLiteTypeCompiler

    out["versions"]["sqlalchemy"] = sa.__version__
    original = SQLiteTypeCompiler.process

    def process(self, type_, **kw):
        try:
            return original(self, type_, **kw)
        except Exception:  # ARRAY, JSONB, INET...: SQLite takes any type name
            return type(type_).__name__.upper()

    SQLiteTypeCompiler.process = process
    metadatas = []

    def add(md):
        if isinstance(md, sa.MetaData) and all(md is not m for m in metadatas):
            metadatas.append(md)

    names = []
    for f, module in spec["files"].items():
        folder, name = module_root(os.path.join(ROOT, f), module)
        if name:
            add_path(folder, False)
            names.append(name)
    # The top-level packages first (their __init__ often fixes the import order the models
    # expect), then every model module; a module that failed is tried again once at the end
    # (an import cycle that another module's import resolved).
    package_failed = {}
    for name in spec.get("first", []):
        importlib.import_module(name)  # its failure ends this attempt (see retry_cycle)
    for top_name in sorted({n.split(".")[0] for n in names if "." in n}):
        try:
            importlib.import_module(top_name)
        except BaseException as e:
            package_failed[top_name] = e
    modules, failed = [], {}
    for attempt in (names, None):
        for name in attempt if attempt is not None else list(failed):
            try:
                modules.append(importlib.import_module(name))
                failed.pop(name, None)
            except BaseException as e:  # SystemExit of a module is a finding too
                # The first error is the one to report: a second run of a module that failed
                # half-way usually fails on what its first run left (a table defined twice).
                failed.setdefault(name, e)
    # A package that failed before a module of it did: its error is the likely cause.
    for top_name, e in package_failed.items():
        if any(n.split(".")[0] == top_name for n in failed):
            error(f"import {top_name}", e)
    if failed and "first" not in spec and retry_cycle(failed):
        return None
    for name, e in failed.items():
        error(f"import {name}", e)
    imported = len(modules)
    for mod in modules:
        for value in list(vars(mod).values()):
            try:
                if isinstance(value, sa.MetaData):
                    add(value)
                elif isinstance(value, sa.Table):
                    add(value.metadata)
                elif isinstance(value, type) and isinstance(getattr(value, "__table__", None), sa.Table):
                    add(value.__table__.metadata)
                elif not isinstance(value, type):
                    # Flask-SQLAlchemy's `db`: its metadata and those of its binds.
                    for md in (getattr(value, "metadatas", None) or {}).values():
                        add(md)
                    md = getattr(value, "metadata", None)
                    if isinstance(md, sa.MetaData):
                        add(md)
            except Exception:
                pass
    out["notes"].append(f"imported {imported} of {len(spec['files'])} model modules, {len(metadatas)} metadata")
    schemas = {t.schema for md in metadatas for t in md.tables.values() if t.schema}
    engine = sa.create_engine("sqlite:///" + spec["db"])
    # PostgreSQL's collations a column names (`COLLATE "C"`): SQLite knows three and refuses the
    # table; the others are declared here in byte order (the comparison is by type family).
    collations = {
        getattr(c.type, "collation", None) for md in metadatas for t in md.tables.values() for c in t.columns
    } - {None, "BINARY", "NOCASE", "RTRIM"}
    if collations:

        @sa.event.listens_for(engine, "connect")
        def declare_collations(dbapi_connection, _record):
            for name in collations:
                dbapi_connection.create_collation(name, lambda a, b: (a > b) - (a < b))

    engine = engine.execution_options(schema_translate_map={s: None for s in schemas})
    for md in metadatas:
        try:
            tables = md.sorted_tables
        except Exception:  # a key to a table of a module not imported: declaration order
            tables = list(md.tables.values())
        for table in tables:
            if table.name in out["tables"]:
                continue
            out["tables"][table.name] = ""
            create_table(sa, engine, table)
    return imported > 0


def cycle_members(failed):
    """Project modules on the import path of each import that failed on a cycle, deepest first."""
    members = []
    for e in failed.values():
        # `from m import x` fails with ImportError, `m.x` with AttributeError, on a cycle.
        if not (isinstance(e, (ImportError, AttributeError)) and "partially initialized module" in str(e)):
            continue
        for frame in reversed(traceback.extract_tb(e.__traceback__)):
            path = os.path.abspath(frame.filename)
            if not path.endswith(".py") or not path.startswith(top + os.sep):
                continue
            folder, name = package_root(path)
            if name and folder in sys.path and name not in members:
                members.append(name)
    return members


def retry_cycle(failed):
    """An import cycle the project's own start-up never meets, because its entry point imports
    another member of the cycle first (pgAdmin4.py imports `config` before `pgadmin`): each
    member is tried as the first import, in a fresh interpreter (a failed import leaves tables
    and registries half made), and the first attempt that imports every model module wins. True
    when one did; its result and database are then this run's."""
    import shutil
    import subprocess
    import tempfile

    for name in cycle_members(failed)[:8]:
        folder = tempfile.mkdtemp(prefix="cycle-", dir=os.path.dirname(os.path.abspath(spec["db"])))
        attempt = dict(spec, first=[name], db=os.path.join(folder, "db.sqlite3"), result=os.path.join(folder, "out.json"))
        spec_file = os.path.join(folder, "spec.json")
        json.dump(attempt, open(spec_file, "w"))
        try:
            subprocess.run([sys.executable, __file__, spec_file], timeout=300, stdout=sys.stderr, check=False)
            result = json.load(open(attempt["result"]))
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            continue
        if result["ok"] and not any(e.startswith("import ") for e in result["errors"]):
            result["notes"].insert(0, f"imported {name} first: the model modules import each other in a cycle that starts there")
            os.replace(attempt["db"], spec["db"])
            shutil.rmtree(folder, ignore_errors=True)
            out.clear()
            out.update(result)
            return True
        shutil.rmtree(folder, ignore_errors=True)
    return False


def create_table(sa, engine, table):
    from sqlalchemy.schema import CreateIndex, CreateTable

    try:
        with engine.begin() as conn:
            conn.execute(CreateTable(table))
    except Exception:
        # A server default SQLite cannot evaluate (now(), gen_random_uuid()): not compared.
        saved = {c.name: c.server_default for c in table.columns}
        try:
            for c in table.columns:
                c.server_default = None
            with engine.begin() as conn:
                conn.execute(CreateTable(table))
            out["notes"].append(f"table {table.name}: created without its server defaults")
        except Exception as e:
            error(f"create table {table.name}", e)
            return
        finally:
            for c in table.columns:
                c.server_default = saved[c.name]
    for index in table.indexes:
        try:
            with engine.begin() as conn:
                conn.execute(CreateIndex(index))
        except Exception as e:
            # SQLite's limits (expressions, operator classes): the index is not compared.
            note = f"index {index.name} of {table.name} not in the scratch database: {type(e).__name__}: {e}"
            (out["errors"] if index.unique else out["notes"]).append(note.splitlines()[0][:300])


def settings_module():
    if spec.get("settings"):
        return spec["settings"]
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        return os.environ["DJANGO_SETTINGS_MODULE"]
    pattern = re.compile(r"DJANGO_SETTINGS_MODULE['\"]\s*[,:=]\s*['\"]([\w.]+)['\"]")
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "tests"))
        for name in sorted(files):
            if name in ("manage.py", "wsgi.py", "asgi.py"):
                m = pattern.search(open(os.path.join(folder, name), errors="replace").read())
                if m:
                    return m.group(1)
    return None


def build_django():
    name = settings_module()
    if not name:
        raise RuntimeError("no settings module: set DJANGO_SETTINGS_MODULE or pass --settings")
    out["notes"].append(f"settings {name}")
    os.environ["DJANGO_SETTINGS_MODULE"] = name
    import django
    from django.conf import settings

    out["versions"]["django"] = django.get_version()
    settings.INSTALLED_APPS  # noqa: B018 (imports the settings module: its errors are findings)
    settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": spec["db"]}}
    settings.DATABASE_ROUTERS = []
    # the project's logging is not needed to build tables, and its file handlers name folders
    # of the deployment (`./data/app.log`) that the throwaway working folder does not have
    settings.LOGGING_CONFIG = None
    django.setup()
    if "django.contrib.postgres.fields" in sys.modules:
        # SQLite cannot declare `varchar(10)[]`: an array column is declared as ARRAY.
        from django.contrib.postgres.fields import ArrayField

        ArrayField.db_type = lambda self, connection: "ARRAY"
    from django.apps import apps
    from django.db import connection, transaction

    created = 0
    for model in apps.get_models():
        meta = model._meta
        if not meta.managed or meta.proxy or meta.swapped:
            continue
        out["tables"][meta.db_table] = meta.app_label
        for f in meta.local_many_to_many:
            through = f.remote_field.through
            if through._meta.auto_created:
                out["tables"][through._meta.db_table] = meta.app_label
        try:
            with connection.schema_editor() as editor:
                editor.create_model(model)
                # Indexes and constraints one by one: one SQLite cannot make hides no other.
                deferred, editor.deferred_sql = list(editor.deferred_sql), []
                for sql in deferred:
                    try:
                        with transaction.atomic():
                            editor.execute(sql)
                    except Exception as e:
                        # SQLite's limits (operator classes, expressions): a unique one counts.
                        text = f"{meta.label}: not in the scratch database: {str(sql)[:160]}: {type(e).__name__}: {e}"
                        (out["errors"] if "UNIQUE" in str(sql).upper() else out["notes"]).append(text)
            created += 1
        except Exception as e:
            error(f"create {meta.label} ({meta.db_table})", e)
    out["notes"].append(f"created {created} models")
    return created > 0


try:
    if spec["framework"] == "django":
        out["ok"] = build_django()
    else:
        ok = build_sqlalchemy()
        if ok is not None:  # None: a retry's result is already in `out`
            out["ok"] = ok
except BaseException as e:
    error("building the schema", e)
with open(spec["result"], "w") as fh:
    json.dump(out, fh, sort_keys=True)
