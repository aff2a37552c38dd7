"""crossport's verifier for a Flask -> Django draft (run by `crossport port --verify`).

Runs Django's own checks on the generated project, creates the source tables with SQLAlchemy
from the models as crossport read them, compares both databases table by table, and resolves
sample URLs built by werkzeug from the Flask rules with Django's resolver. It imports only the
generated project and the frameworks, never the scanned repository. Prints one JSON document.
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


def tail(text, n=4000):
    return text[-n:] if len(text) > n else text


from verify_common import compare, runner, shape, sqlite_declares_postgres_types  # noqa: E402

# manage.py runs with PostgreSQL's types declared as SQLite can (see verify_common).
MANAGE = runner(WORK, "manage_sqlite_types.py", "import runpy\nsys.argv = ['manage.py', *sys.argv[1:]]\nsys.path.insert(0, '.')\nrunpy.run_path('manage.py', run_name='__main__')")


def manage(*args):
    env = dict(os.environ, DJANGO_DB_NAME=os.path.join(WORK, "django.sqlite3"))
    res = subprocess.run(
        [sys.executable, MANAGE, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=float(os.environ.get("CROSSPORT_STEP_TIMEOUT", "240")),
    )
    return res.returncode, tail(res.stdout + res.stderr)


def check(name, *args):
    try:
        rc, text = manage(*args)
    except subprocess.TimeoutExpired:
        rc, text = -1, "timed out"
    out["checks"].append({"name": name, "ok": rc == 0, "output": text.strip()})
    return rc == 0


ok = check("manage.py check", "check")
ok = check("makemigrations", "makemigrations", "--no-input") and ok
ok = check("makemigrations --check --dry-run", "makemigrations", "--check", "--dry-run", "--no-input") and ok
migrated = check("migrate", "migrate", "--no-input")

# The draft is meant to be byte-for-byte what `ruff format` leaves (migrations are Django's).
try:
    res = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--diff", "--exclude", "migrations", "."],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if "No module named ruff" in res.stderr:
        out["checks"].append({"name": "ruff format --check (not run: ruff is not installed)", "ok": True, "output": ""})
    else:
        out["checks"].append({"name": "ruff format --check", "ok": res.returncode == 0, "output": tail(res.stdout + res.stderr).strip()})
except subprocess.TimeoutExpired:
    out["checks"].append({"name": "ruff format --check", "ok": False, "output": "timed out"})

def source_type(sa, field):
    """The SQLAlchemy type crossport read, rebuilt (String(120), Numeric(10, 2), Enum(...),
    ARRAY(String(50)), declared ARRAY in SQLite)."""
    name = field["type"].rsplit(".", 1)[-1]
    cls = getattr(sa.types, name, None) or getattr(sa, name, None)
    args = []
    for a in field.get("type_args", []):
        args.append(json.loads(a) if a.startswith('"') else int(a))
    if name == "ARRAY":
        item = {"type": field.get("item_type") or "Text", "type_args": field.get("item_args", [])}
        return sa.ARRAY(source_type(sa, item) or sa.types.Text())
    if not isinstance(cls, type) or not issubclass(cls, sa.types.TypeEngine):
        # A project's TypeDecorator: the database holds its `impl`.
        base = field.get("base_type")
        return source_type(sa, dict(field, type=base, base_type=None)) if base else None
    for attempt in (args, []):
        try:
            return cls(*attempt)
        except Exception:
            pass
    return None


try:
    import sqlalchemy as sa

    out["versions"]["sqlalchemy"] = sa.__version__
    sqlite_declares_postgres_types()
    meta = sa.MetaData()
    tables = {t["table"] for t in spec["tables"]}
    built = {t["table"]: [] for t in spec["tables"]}
    # --build-schema / --database-url: the source tables are a database, not crossport's reading.
    for t in [] if spec.get("source_db") else spec["tables"]:
        cols, problems = [], []
        for f in t["fields"]:
            args = []
            ty = source_type(sa, f)
            fk = f.get("foreign_key")
            if fk:
                target = ".".join(fk.split(".")[-2:])
                if target.split(".")[0] in tables:
                    args.append(sa.ForeignKey(target))
                else:
                    problems.append(f"foreign key {fk}: target table not among the models")
            if ty is None and fk and args:
                ty = None  # SQLAlchemy takes the referenced column's type
            elif ty is None:
                problems.append(f"column {f['column']}: type {f['type']} unknown to SQLAlchemy")
                ty = sa.types.Text()
            nullable = f.get("nullable")
            cols.append(
                sa.Column(
                    f["column"],
                    ty,
                    *args,
                    primary_key=bool(f.get("pk")),
                    nullable=(not f.get("pk")) if nullable is None else nullable,
                    unique=bool(f.get("unique")) or None,
                    autoincrement=False,
                )
            )
        # Unique sets as crossport read them (the schema comparison checks those, not indexes).
        for c in t.get("constraints", []):
            if c["kind"] in ("unique", "unique_index"):
                cols.append(sa.UniqueConstraint(*c["columns"]))
        if t["table"] not in meta.tables:
            try:
                sa.Table(t["table"], meta, *cols)
            except Exception as e:
                problems.append(f"SQLAlchemy cannot declare the table: {type(e).__name__}: {e}")
        built[t["table"]] = problems
    src_engine = sa.create_engine(spec.get("source_db") or "sqlite:///" + os.path.join(WORK, "source.sqlite3"))
    try:
        meta.create_all(src_engine)
    except Exception:
        # One table SQLAlchemy cannot create must not hide the others.
        for table in meta.sorted_tables:
            try:
                table.create(src_engine, checkfirst=True)
            except Exception as e:
                built[table.name].append(f"SQLAlchemy cannot create the table: {type(e).__name__}: {e}")
    dst_engine = sa.create_engine("sqlite:///" + os.path.join(WORK, "django.sqlite3"))
    for t in spec["tables"]:
        entry = {"kind": t["kind"], "construct": t["construct"], "table": t["table"]}
        out["tables"].append(entry)
        try:
            src = shape(src_engine, t["table"])
            dst = shape(dst_engine, t["table"]) if migrated else None
            if src is None:
                entry.update(status="differs", differences=built[t["table"]] or [spec.get("source_missing") or "SQLAlchemy created no such table"])
            elif dst is None:
                entry.update(status="differs", differences=["Django created no such table" if migrated else "migrate failed"])
            else:
                diffs = built[t["table"]] + compare(src, dst)
                entry.update(status="identical" if not diffs else "differs", differences=diffs)
        except Exception as e:
            entry.update(status="differs", differences=[f"comparison failed: {type(e).__name__}: {e}"])
    # A table the project's metadata creates and the draft has no model for is counted too.
    for table in sorted(set(spec.get("source_tables") or []) - tables):
        out["tables"].append({"kind": "model", "construct": "", "table": table, "status": "missing",
                              "differences": ["a table of the source schema with no generated model"]})
except Exception as e:  # a crash of the comparison is a finding, not a crash of crossport
    out["checks"].append({"name": "schema comparison", "ok": False, "output": f"{type(e).__name__}: {e}"})


def sample(conv):
    from werkzeug.routing import converters as c

    if isinstance(conv, c.AnyConverter):
        return sorted(conv.items)[0]
    if isinstance(conv, c.UUIDConverter):
        return uuid.UUID("12345678-1234-5678-1234-567812345678")
    if isinstance(conv, c.FloatConverter):
        return 1.5
    if isinstance(conv, c.IntegerConverter):
        return max(7, conv.min or 0)
    if isinstance(conv, c.PathConverter):
        return "a/b"
    if type(conv).__name__.startswith("Project_"):
        # a project's converter: the first of a few plain values its regex takes, else the
        # shortest string its regex spells out
        for value in ("sample", "7", "2024", "12", "ab", "a-b", "A", "a/b"):
            if re.fullmatch(conv.regex, value):
                return value
        value = spelled(conv.regex)
        if value is not None and re.fullmatch(conv.regex, value):
            return value
    return "sample"


def spelled(regex):
    """A string `regex` matches, built from its parse tree (Python's own parser): the first
    branch, a class's first member, each repeat at its minimum (at least once); None for a
    construct not spelled here (a lookaround, a back reference)."""
    try:
        from re import _parser as parser
    except ImportError:  # Python before 3.11
        import sre_parse as parser
    c = parser
    categories = {c.CATEGORY_DIGIT: "0", c.CATEGORY_WORD: "a", c.CATEGORY_SPACE: " ",
                  c.CATEGORY_NOT_DIGIT: "a", c.CATEGORY_NOT_WORD: "-", c.CATEGORY_NOT_SPACE: "a"}

    def items(seq):
        out = ""
        for op, av in seq:
            if op is c.LITERAL:
                out += chr(av)
            elif op is c.ANY:
                out += "a"
            elif op is c.IN:
                first = av[0]
                if first[0] is c.NEGATE:
                    return None
                if first[0] is c.LITERAL:
                    out += chr(first[1])
                elif first[0] is c.RANGE:
                    out += chr(first[1][0])
                elif first[0] is c.CATEGORY and first[1] in categories:
                    out += categories[first[1]]
                else:
                    return None
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                low, _, sub = av
                part = items(sub)
                if part is None:
                    return None
                out += part * max(low, 1)
            elif op is c.SUBPATTERN:
                part = items(av[-1])
                if part is None:
                    return None
                out += part
            elif op is c.BRANCH:
                part = items(av[1][0])
                if part is None:
                    return None
                out += part
            elif op is c.AT:
                continue
            else:
                return None
        return out

    try:
        return items(parser.parse(regex))
    except Exception:  # a regex Python does not parse
        return None


try:
    import django
    from werkzeug.routing import Map, Rule

    out["versions"]["django"] = django.get_version()
    from importlib.metadata import version

    out["versions"]["werkzeug"] = version("werkzeug")
    sys.path.insert(0, PROJECT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", spec["settings"])
    django.setup()
    from django.urls import Resolver404, resolve, reverse

    from django.test import RequestFactory
    from werkzeug.routing import BaseConverter

    # The project's converters as crossport read them: their regex, nothing of their code.
    own_converters = {
        name: type(f"Project_{name}", (BaseConverter,), {"regex": regex, "part_isolating": False})
        for name, regex in (spec.get("converters") or {}).items()
    }

    def dispatch_problems(match, url, r):
        """Each of the route's methods, sent through the URL's dispatcher, must reach the route's
        own stub (which raises NotImplementedError naming the original view)."""
        problems = []
        for method in r["methods"].split(","):
            request = RequestFactory().generic(method, url)
            request.user = type("User", (), {"is_authenticated": True})()
            try:
                response = match.func(request, *match.args, **match.kwargs)
                problems.append(f"{method} answers {response.status_code} instead of reaching its view")
            except NotImplementedError as e:
                if str(e) != r["stub"]:
                    problems.append(f"{method} reaches another view ({e})")
        return problems

    for r in spec["routes"]:
        entry = {"rule": r["rule"], "url_name": r["url_name"], "construct": r["construct"]}
        out["routes"].append(entry)
        if not r["served"]:
            entry.update(status="todo", detail="no URL pattern generated")
            continue
        try:
            # a converter of the project whose regex crossport did not read has werkzeug's
            # default one (the generated pattern serves it so, with a counted CP102)
            for name in re.findall(r"<(\w+)(?:\(.*?\))?:\w+>", r["rule"]):
                if name not in Map.default_converters and name not in own_converters:
                    own_converters[name] = type(f"Project_{name}", (BaseConverter,), {"part_isolating": False})
            m = Map([Rule(r["rule"], endpoint="e")], strict_slashes=False, converters=own_converters)
            rule = next(iter(m.iter_rules()))
            values = {k: sample(v) for k, v in rule._converters.items()}
            adapter = m.bind("localhost")
            url = adapter.build("e", values)
            _, matched = adapter.match(url)
        except Exception as e:
            entry.update(status="differs", detail=f"werkzeug cannot build a sample URL: {type(e).__name__}: {e}")
            continue
        entry["url"] = url
        problems = []
        try:
            match = resolve(url)
            view = f"{match.func.__module__}.{match.func.__name__}"
            if view != r["view"]:
                problems.append(f"resolves to {view}, not {r['view']}")
            # A URL Flask split by method resolves under the first route's name.
            expected_name = r.get("resolves_as") or r["url_name"]
            if match.view_name != expected_name:
                problems.append(f"resolves to URL name {match.view_name}, not {expected_name}")
            if match.kwargs != matched:
                problems.append(f"arguments {match.kwargs!r}, werkzeug gives {matched!r}")
            if r.get("stub"):
                problems += dispatch_problems(match, url, r)
        except Resolver404:
            problems.append("Django does not resolve it")
        except Exception as e:  # the URLconf does not load, a view's wrapper fails: a finding
            problems.append(f"Django's resolve() fails: {type(e).__name__}: {e}")
        try:
            back = reverse(r["url_name"], kwargs=matched)
            if back != url:
                problems.append(f"reverse() builds {back}")
        except Exception as e:
            problems.append(f"reverse() fails: {type(e).__name__}: {e}")
        entry.update(status="identical" if not problems else "differs", detail="; ".join(problems))
except Exception as e:
    out["checks"].append({"name": "route check", "ok": False, "output": f"{type(e).__name__}: {e}"})

print(json.dumps(out, sort_keys=True))
