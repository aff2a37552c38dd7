"""crossport's verifier for a Django -> Flask draft (run by `crossport port --to flask --verify`).

Renders the source Django models as crossport read them as a tiny Django project, migrates it
into a scratch SQLite database, and compares every table the service owns with what the
generated SQLAlchemy metadata creates, column by column; runs `alembic check` of the generated
environment against the database Django migrated; then builds a sample URL for every source
route with Django's reverse() on the rendered URLconf and matches it in the werkzeug map of the
generated blueprint. It imports the generated service and the frameworks, never the scanned
repository. Prints one JSON document.
"""

import json
import os
import re
import subprocess
import sys
import uuid

SPEC, PROJECT, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
spec = json.load(open(SPEC))
out = {"checks": [], "tables": [], "routes": [], "versions": {}}
DJANGO_DB = os.path.join(WORK, "django.sqlite3")
SOURCE = os.path.join(WORK, "source")
# Django names indexes up to SQLite's limit here; the generated models follow the same rule.
os.environ["DJANGO_MAX_NAME_LENGTH"] = "200"

from verify_common import compare, runner, shape, sqlite_declares_postgres_types  # noqa: E402


def tail(text, n=4000):
    return text[-n:] if len(text) > n else text


def check(name, ok, output=""):
    out["checks"].append({"name": name, "ok": bool(ok), "output": tail(str(output)).strip()})
    return ok


def py(s):
    return json.dumps(s)


# The contrib apps the source project installs beside the rendered ones (see `settings.configure`).
CONTRIB_APPS = ("contenttypes", "auth", "sites")

# django.contrib.postgres's fields (imported only when a model has one: it needs a driver).
POSTGRES_FIELDS = ("ArrayField", "HStoreField")


def field_source(f, label):
    """One Django field as crossport read it, written back as a field declaration."""
    t = f["type"]
    args, kw = [], []
    if t == "ArrayField":
        item = {"type": f.get("item_type") or "TextField", "type_args": f.get("item_args") or []}
        args.append(field_source(item, label))
    if t in ("ForeignKey", "OneToOneField", "ManyToManyField"):
        target = f["foreign_key"] or ""
        if target.startswith(label + "."):
            target = target.split(".", 1)[1]
        args.append(py(target))
        if t != "ManyToManyField":
            kw.append(f"on_delete=models.{f.get('on_delete') or 'CASCADE'}")
        if f.get("to_field"):
            kw.append(f"to_field={py(f['to_field'])}")
        kw.append('related_name="+"')
        if f.get("through"):
            kw.append(f"through={py(f['through'])}")
        if f.get("db_table"):
            kw.append(f"db_table={py(f['db_table'])}")
    ta = f.get("type_args") or []
    if t == "DecimalField" and len(ta) == 2:
        kw += [f"max_digits={ta[0]}", f"decimal_places={ta[1]}"]
    elif ta and t not in ("ForeignKey", "OneToOneField", "ManyToManyField"):
        kw.append(f"max_length={ta[0]}")
    elif t == "CharField":
        kw.append("max_length=255")
    if f.get("column"):
        kw.append(f"db_column={py(f['column'])}")
    if f.get("pk"):
        kw.append("primary_key=True")
    if f.get("nullable") and t != "ManyToManyField":
        kw.append("null=True")
    if f.get("unique") and not f.get("pk"):
        kw.append("unique=True")
    if f.get("index") is not None:
        kw.append(f"db_index={bool(f['index'])}")
    module = "postgres" if t in POSTGRES_FIELDS else "models"
    return f"{module}.{t}({', '.join(args + kw)})"


def condition_source(terms):
    """`, condition=models.Q(...)` for the terms of a partial index as crossport read them."""
    if not terms:
        return ""
    lookups = []
    for t in terms:
        if t["test"] in ("is_null", "is_not_null"):
            lookups.append(f"{t['column']}__isnull={t['test'] == 'is_null'}")
        else:  # eq: the value is a Python literal
            lookups.append(f"{t['column']}={t['value']}")
    return f", condition=models.Q({', '.join(lookups)})"


def split_pieces(rule):
    """The rule cut where the include() chain changed syntax: a regex piece starts at a `^`
    outside a character class; a path piece after it starts behind the last `/` before a path
    converter (`<int:pk>`, not a group's `(?P<pk>`)."""
    pieces, start, in_class, regex, i = [], 0, False, False, 0
    while i < len(rule):
        c = rule[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "^" and not in_class:
            if i > start:
                pieces.append(rule[start:i])
                start = i
            regex = True
        elif c == "<" and regex and not in_class and not rule[:i].endswith("?P"):
            cut = rule.rfind("/", start, i) + 1
            if cut > start:
                pieces.append(rule[start:cut])
                start = cut
            regex = False
        i += 1
    pieces.append(rule[start:])
    return pieces


def render_source():
    """The source models (and minimal models for the parent tables they point at) as apps of a
    throwaway Django project."""
    os.makedirs(SOURCE, exist_ok=True)
    problems = {}
    apps = {}
    tables = set()
    for m in spec["models"]:
        apps.setdefault(m["label"], []).append(m)
    apps_here = set(apps) | set(CONTRIB_APPS)
    for label, models in apps.items():
        pkg = os.path.join(SOURCE, f"src_{label}")
        os.makedirs(pkg, exist_ok=True)
        open(os.path.join(pkg, "__init__.py"), "w").close()
        auto = spec["auto_fields"].get(label, "AutoField")
        with open(os.path.join(pkg, "apps.py"), "w") as fh:
            fh.write(
                "from django.apps import AppConfig\n\n\nclass Config(AppConfig):\n"
                f"    name = {py('src_' + label)}\n    label = {py(label)}\n"
                f"    default_auto_field = {py('django.db.models.' + auto)}\n"
            )
        lines = ["from django.db import models", ""]
        if any(f["type"] in POSTGRES_FIELDS for m in models for f in m["fields"]):
            lines.insert(0, "from django.contrib.postgres import fields as postgres")
        # Parents first: a multi-table child subclasses its parent's class.
        names = {m["name"] for m in models}
        ordered, placed = [], set()
        while len(ordered) < len(models):
            for m in models:
                parent = (m.get("parent") or "").split(".")[-1]
                if m["name"] not in placed and (parent not in names or parent in placed or m.get("parent", "").split(".")[0] != label):
                    ordered.append(m)
                    placed.add(m["name"])
        for m in ordered:
            base = "models.Model"
            if m.get("parent"):
                plabel, pname = m["parent"].split(".", 1)
                if plabel != label:
                    lines.insert(1, f"from src_{plabel}.models import {pname}")
                base = pname
            lines.append(f"class {m['name']}({base}):")
            for f in m["fields"]:
                # A project field class is rendered as the Django field it derives from.
                known = lambda t: t in POSTGRES_FIELDS or hasattr(__import__("django.db.models").db.models, t)  # noqa: E731
                if f.get("base_type") and not known(f["type"]):
                    f = dict(f, type=f["base_type"])
                target = f.get("foreign_key") or ""
                rendered = bool(target) and ("." not in target or target.split(".")[0] in apps_here)
                if f["type"] == "ManyToManyField" and not rendered:
                    continue  # no column of its own, and no target to join to
                if f["type"] in ("ForeignKey", "OneToOneField") and not rendered:
                    # a target crossport did not read (a library setting names it), or a model
                    # of an app that is not rendered: one table's finding, not a migrate that
                    # fails for every table
                    problems.setdefault(m["table"], []).append(
                        f"field {f['name']}: the {f['type']}'s target {target or '(not read)'} is not among the models rendered"
                    )
                    continue
                if not known(f["type"]):
                    problems.setdefault(m["table"], []).append(
                        f"field {f['name']}: Django has no field class {f['type']} (a project field class)"
                    )
                    continue
                lines.append(f"    {f['name']} = {field_source(f, label)}")
            lines.append("    class Meta:")
            lines.append(f"        db_table = {py(m['table'])}")
            if m.get("unmanaged") or m["table"] in tables:
                # as read (`managed = False`), or a second model on a table: Django creates the
                # table for one model at most
                lines.append("        managed = False")
            tables.add(m["table"])
            together, constraints, indexes = [], [], []
            for c in m.get("constraints", []):
                cond = condition_source(c.get("condition") or [])
                if c["kind"] == "unique" and not c.get("name"):
                    together.append(tuple(c["columns"]))
                elif c["kind"] == "unique":
                    constraints.append(f"models.UniqueConstraint(fields={c['columns']!r}, name={py(c['name'])}{cond})")
                elif c["kind"] == "index":
                    name = f", name={py(c['name'])}" if c.get("name") else ""
                    indexes.append(f"models.Index(fields={c['columns']!r}{name}{cond})")
            if together:
                lines.append(f"        unique_together = {together!r}")
            if constraints:
                lines.append(f"        constraints = [{', '.join(constraints)}]")
            if indexes:
                lines.append(f"        indexes = [{', '.join(indexes)}]")
            lines.append("")
        open(os.path.join(pkg, "models.py"), "w").write("\n".join(lines) + "\n")
    return apps, problems


def sample(kind):
    """Candidate values for a URL parameter, most specific first."""
    if kind == "int":
        return [7]
    if kind == "uuid":
        return [uuid.UUID("12345678-1234-5678-1234-567812345678")]
    if kind == "path":
        return ["a/b"]
    if kind == "slug":
        return ["sample-slug"]
    if kind == "str":
        return ["sample"]
    return [c for c in ("7", "2024", "12", "1", "sample", "sample-slug", "a", "ab", "12345678-1234-5678-1234-567812345678", "a/b", "A", "-") if re.fullmatch(kind, c)]


def params(rule):
    """(name, kind, optional) of every parameter: a path converter name, or the group's regex;
    optional for a group Django may skip (`(?P<x>...)?`)."""
    found = []
    for m in re.finditer(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>", rule):
        if m.group(3):
            depth, i = 1, m.end()
            while i < len(rule) and depth:
                if rule[i] == "\\":
                    i += 1
                elif rule[i] == "(":
                    depth += 1
                elif rule[i] == ")":
                    depth -= 1
                i += 1
            found.append((m.group(3), rule[m.end():i - 1], rule[i:i + 1] == "?"))
        elif not rule[: m.start()].endswith("?P"):
            found.append((m.group(2), m.group(1) or "str", False))
    return found


apps, problems = {}, {}
django_ok = False
try:
    import django
    from django.conf import settings

    out["versions"]["django"] = django.get_version()
    apps, problems = render_source()
    sys.path.insert(0, SOURCE)
    installed = [f"django.contrib.{label}" for label in CONTRIB_APPS]
    installed += [f"src_{label}.apps.Config" for label in apps]
    settings.configure(
        INSTALLED_APPS=installed,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DJANGO_DB}},
        USE_TZ=True,
        SECRET_KEY="crossport-verify",
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()
    from django.core.management import call_command

    sqlite_declares_postgres_types()
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    django_ok = check("Django migrate of the source models", True)
except Exception as e:  # the source as read cannot be migrated: a finding
    check("Django migrate of the source models", False, f"{type(e).__name__}: {e}")

sys.path.insert(0, PROJECT)
service = None
try:
    import sqlalchemy as sa

    out["versions"]["sqlalchemy"] = sa.__version__
    sqlite_declares_postgres_types()
    models = __import__(f"{spec['package']}.models", fromlist=["Base"])
    target_engine = sa.create_engine("sqlite:///" + os.path.join(WORK, "service.sqlite3"))
    models.Base.metadata.create_all(target_engine)
    check("import and create the service's models", True)
except Exception as e:
    models = None
    check("import and create the service's models", False, f"{type(e).__name__}: {e}")

src_engine = None
# --build-schema / --database-url: the source tables are that database, not crossport's reading.
SOURCE_DB = spec.get("source_db") or ("sqlite:///" + DJANGO_DB if django_ok else None)
if SOURCE_DB:
    import sqlalchemy as sa

    src_engine = sa.create_engine(SOURCE_DB)
for t in spec["tables"]:
    entry = {"kind": t["kind"], "construct": t["construct"], "table": t["table"]}
    out["tables"].append(entry)
    try:
        src = shape(src_engine, t["table"]) if src_engine is not None else None
        dst = shape(target_engine, t["table"]) if models is not None else None
        pre = problems.get(t["table"], [])
        if spec.get("source_db"):
            pre = []  # crossport's reading of the fields is not what is compared
        if src is None and t.get("unmanaged"):
            # Django does not create it and the service leaves it out of SERVICE_TABLES
            entry.update(status="identical", differences=[])
        elif src is None:
            missing = spec.get("source_missing") or ("Django created no such table" if django_ok else "Django migrate failed")
            entry.update(status="differs", differences=pre or [missing])
        elif dst is None:
            entry.update(status="differs", differences=["the service's metadata has no such table" if models is not None else "the service's models did not import"])
        else:
            diffs = pre + compare(src, dst, "the service")
            entry.update(status="identical" if not diffs else "differs", differences=diffs)
    except Exception as e:
        entry.update(status="differs", differences=[f"comparison failed: {type(e).__name__}: {e}"])
# A table of the extracted app in the source schema that the service has no model for.
for table in sorted(set(spec.get("source_tables") or []) - {t["table"] for t in spec["tables"]}):
    out["tables"].append({"kind": "model", "construct": "", "table": table, "status": "missing",
                          "differences": ["a table of the extracted app in the source schema with no generated model"]})

# Alembic compares the generated metadata with the source database: no operations.
if SOURCE_DB:
    try:
        from importlib.metadata import version

        out["versions"]["alembic"] = version("alembic")
        env = dict(os.environ, DATABASE_URL=SOURCE_DB, PYTHONPATH=PROJECT)
        # Alembic with PostgreSQL's types declared as SQLite can (see verify_common).
        alembic = runner(WORK, "alembic_sqlite_types.py", "from alembic.config import main\nsys.exit(main(argv=sys.argv[1:]))")
        res = subprocess.run(
            [sys.executable, alembic, "-c", os.path.join(PROJECT, "alembic.ini"), "check"],
            cwd=PROJECT, env=env, capture_output=True, text=True, timeout=240,
        )
        check("alembic check (no upgrade operations)", res.returncode == 0, res.stdout + res.stderr)
    except subprocess.TimeoutExpired:
        check("alembic check (no upgrade operations)", False, "timed out")

# The draft is meant to be byte-for-byte what `ruff format` leaves.
try:
    res = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--diff", "--exclude", "migrations/script.py.mako", "."],
        cwd=PROJECT, capture_output=True, text=True, timeout=120,
    )
    if "No module named ruff" in res.stderr:
        check("ruff format --check (not run: ruff is not installed)", True)
    else:
        check("ruff format --check", res.returncode == 0, res.stdout + res.stderr)
except subprocess.TimeoutExpired:
    check("ruff format --check", False, "timed out")

# Routes: Django builds the URL, werkzeug must match it to the generated view and build it back.
try:
    from importlib.metadata import version

    out["versions"]["flask"] = version("flask")
    out["versions"]["werkzeug"] = version("werkzeug")
    service = __import__(spec["package"], fromlist=["create_app"])
    app = service.create_app({"DATABASE_URL": "sqlite://"})
    adapter = app.url_map.bind("localhost")
    from itertools import product

    from django.http import HttpResponse
    from django.urls import include, path, re_path
    from django.urls.resolvers import RegexPattern, URLResolver

    def view(request, *args, **kwargs):
        return HttpResponse()

    def source_pattern(rule, name):
        """The rule as the include() chain declared it: one path()/re_path() per piece."""
        pattern = None
        for piece in reversed(split_pieces(rule)):
            make = re_path if piece.startswith("^") else path
            pattern = make(piece, view, name=name) if pattern is None else make(piece, include([pattern]))
        return pattern

    for i, r in enumerate(spec["routes"]):
        entry = {"rule": r["rule"], "url_name": r["url_name"] or "", "construct": r["construct"]}
        out["routes"].append(entry)
        if not r["served"]:
            entry.update(status="todo", detail="no rule generated")
            continue
        names = params(r["rule"])
        url, error, chosen = None, "", {}
        try:
            # Each route on its own resolver: Django's reverse() and resolve() on this pattern only.
            resolver = URLResolver(RegexPattern(r"^/"), [source_pattern(r["rule"], f"r{i}")])
            for values in product(*[sample(kind) for _, kind, _ in names]):
                try:
                    chosen = dict(zip([n for n, _, _ in names], values))
                    url = resolver._reverse_with_prefix(f"r{i}", "/", **chosen)
                    break
                except Exception as e:
                    error = f"{type(e).__name__}: {e}"
        except Exception as e:
            error = f"{type(e).__name__}: {e}"
        if url is None:
            entry.update(status="differs", detail=f"Django's reverse() takes none of the sample values ({error})")
            continue
        entry["url"] = url
        problems_ = []
        method = "GET" if "GET" in r["methods"] or not r["methods"] else r["methods"][0]
        # A pattern without `$`: the rule's remainder value holds what the pattern leaves of the
        # URL, and is no argument of Django's view.
        rest = r.get("remainder")

        def reached(u):
            """werkzeug's endpoint and arguments for u, the remainder left out."""
            endpoint, args = adapter.match(u, method=method)
            args.pop(rest, None)
            return endpoint, args

        # The URL Django builds, and the one without each combination of the groups it may skip.
        urls = [url]
        optional = [n for n, _, opt in names if opt]
        for dropped in range(1, 1 << len(optional)):
            kept = {n: v for n, v in chosen.items() if n not in {o for b, o in enumerate(optional) if dropped >> b & 1}}
            try:
                urls.append(resolver._reverse_with_prefix(f"r{i}", "/", **kept))
            except Exception:
                pass
        for u in urls:
            try:
                expected = resolver.resolve(u).kwargs
                endpoint, args = reached(u)
                if endpoint != r["view"]:
                    problems_.append(f"werkzeug matches {u} to {endpoint}, not {r['view']}")
                if args != expected:
                    problems_.append(f"{u}: arguments {args!r}, Django gives {expected!r}")
                back = adapter.build(endpoint, dict(args, **({rest: ""} if rest else {})))
                if back != u:
                    problems_.append(f"werkzeug builds {back}, not {u}")
            except Exception as e:
                problems_.append(f"werkzeug does not match {u}: {type(e).__name__}: {e}")
        # Every longer URL Django resolves to the pattern (with the slash; with more path when
        # it has no `$`) must reach the same view with the same arguments.
        for tail in ("/", "/more/path") if rest else ("/",):
            try:
                longer = resolver.resolve(url + tail)
            except Exception:
                continue
            try:
                endpoint, args = reached(url + tail)
                if endpoint != r["view"] or args != longer.kwargs:
                    problems_.append(f"{url}{tail} reaches {endpoint} {args!r} in werkzeug")
            except Exception as e:
                problems_.append(f"werkzeug does not match {url}{tail}: {type(e).__name__}: {e}")
        entry.update(status="identical" if not problems_ else "differs", detail="; ".join(problems_))
except Exception as e:
    check("route check", False, f"{type(e).__name__}: {e}")

print(json.dumps(out, sort_keys=True))
