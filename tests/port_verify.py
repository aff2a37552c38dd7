#!/usr/bin/env python3
"""End-to-end check of `crossport port --verify` with real frameworks from PyPI.

1. Ports fixtures/flask_port to Django and verifies it with the virtualenv crossport creates and
   caches (pinned Django, Flask, SQLAlchemy, Alembic from PyPI): every check must pass, every
   model, association table and route must be verified, and no TODO may remain.
   The same for fixtures/flask_annotated_columns (SQLAlchemy 2.0 `Annotated` column types, a
   base's `type_annotation_map`, a `yield_` attribute, one constraint name on two tables).
2. Ports a copy with one unconvertible column type and one converter Django lacks: the same
   verifier must count exactly those two TODOs and stop calling the port fully verified.
3. Ports fixtures/django_port to Flask (the app the plan extracts) and verifies it: Django
   migrates the source models, every table and join table the service owns must compare equal,
   `alembic check` must find no operation, every route's reverse()-built URL must match the
   generated view in werkzeug and build back; no TODO.
   A copy whose many-to-many names its join table (`db_table=`) verifies the same way.
4. Ports a copy whose extracted model gains a column the service generates with a different
   type family: the comparison and alembic must both notice it.
5. --build-schema: a "project" virtualenv with the fixtures' own requirements (cached beside
   crossport's) imports the fixtures' models and builds the source schema; both directions must
   verify fully, a column added at run time (invisible to the default source) must be found,
   an import error must come back as a failed check, not a crash. --database-url: a database
   the Flask fixture's metadata created is the source; nothing of the project runs.

A missing package or a failed pip install fails this script with the reason; nothing is skipped.
Usage: tests/port_verify.py [--crossport target/release/crossport]
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "flask_port"
DJANGO_FIXTURE = ROOT / "fixtures" / "django_port"
ANNOTATED_FIXTURE = ROOT / "fixtures" / "flask_annotated_columns"


def fail(msg):
    print(f"port_verify: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def port(crossport, src, out, to="django", extra=()):
    cmd = [crossport, "port", str(src), "--to", to, "--out", str(out), "--verify", "--format", "json", *extra]
    res = subprocess.run(cmd, capture_output=True, text=True)
    sys.stderr.write(res.stderr)
    if res.returncode not in (0, 1):
        fail(f"{' '.join(cmd)} exited {res.returncode}")
    try:
        return res.returncode, json.loads(res.stdout)
    except json.JSONDecodeError:
        fail(f"unreadable JSON from crossport:\n{res.stdout[-2000:]}")


def project_python():
    """A virtualenv with the fixtures' own requirements, as a project would have (cached)."""
    reqs = [FIXTURE / "requirements.txt", DJANGO_FIXTURE / "requirements.txt"]
    digest = hashlib.sha256(b"".join(r.read_bytes() for r in reqs)).hexdigest()[:10]
    cache = Path(os.environ.get("CROSSPORT_PORT_CACHE") or Path.home() / ".cache" / "crossport" / "port")
    venv = cache / f"fixture-project-{digest}"
    py = venv / "bin" / "python"
    if (venv / ".crossport-installed").exists():
        return py
    shutil.rmtree(venv, ignore_errors=True)
    for cmd in ([sys.executable, "-m", "venv", str(venv)],
                [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", *sum((["-r", str(r)] for r in reqs), [])]):
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            fail(f"{' '.join(cmd)} failed:\n{res.stdout[-2000:]}{res.stderr[-2000:]}")
    (venv / ".crossport-installed").write_text("")
    return py


def fully_verified(v, what, expected):
    ver = v["verification"]
    for c in ver["checks"]:
        if not c["ok"]:
            fail(f"{what}: {c['name']} failed:\n{c['output']}")
    if ver["findings"]:
        fail(f"{what} findings:\n" + "\n".join(ver["findings"]))
    for kind, n in expected.items():
        t = tally(v, kind)
        if (t["total"], t["identical"], t["todo"]) != (n, n, 0):
            fail(f"{what} {kind}: {t}")
        print(f"{what}: " + line(t, "resolve identically" if kind == "routes" else "schema-identical"))
    if v["todos"] or not ver["all_verified"]:
        fail(f"{what}: TODOs {v['todos']}, all_verified {ver['all_verified']}")


def edited_copy(src, dest, edits):
    """A copy of the fixture `src` at `dest` with each file of `edits` (a path relative to it)
    rewritten by its function (a file that does not exist is new: its function gets ""); an edit
    that changes nothing fails the script."""
    shutil.copytree(src, dest)
    for rel, edit in edits.items():
        path = dest / rel
        before = path.read_text() if path.exists() else ""
        after = edit(before)
        if after == before:
            fail(f"the edit of {rel} in {dest.name} changed nothing")
        path.write_text(after)
    return dest


def todo_codes(v):
    return sorted(t["code"] for t in v["todos"])


def tally(v, kind):
    for t in v["verification"]["tallies"]:
        if t["kind"] == kind:
            return t
    fail(f"no tally for {kind}: {v['verification']['tallies']}")


def line(t, verb):
    return f"{t['kind']} {t['identical']}/{t['total']} {verb}, {t['todo']} TODO"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--crossport", default=str(ROOT / "target" / "release" / "crossport"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="crossport-port-verify-") as tmp:
        tmp = Path(tmp)
        rc, v = port(args.crossport, FIXTURE, tmp / "clean")
        ver = v["verification"]
        for c in ver["checks"]:
            if not c["ok"]:
                fail(f"{c['name']} failed:\n{c['output']}")
        if ver["findings"]:
            fail("findings:\n" + "\n".join(ver["findings"]))
        expected = {"models": 3, "association tables": 1, "routes": 9}
        for kind, n in expected.items():
            t = tally(v, kind)
            if (t["total"], t["identical"], t["todo"]) != (n, n, 0):
                fail(f"{kind}: {t}")
            print(line(t, "resolve identically" if kind == "routes" else "schema-identical"))
        if v["todos"] or rc != 0 or not ver["all_verified"]:
            fail(f"exit {rc}, TODOs {v['todos']}, all_verified {ver['all_verified']}")
        if "Flask -> Django" not in (tmp / "clean" / "PORTING.md").read_text():
            fail("PORTING.md missing")

        # SQLAlchemy 2.0's reusable column types (`Annotated` aliases, one carrying its own
        # `mapped_column(primary_key=True)`; a base's `type_annotation_map`), a `yield_` attribute
        # (Django refuses a field name ending in `_`) and one constraint name on two tables
        # (Django wants it unique across the project): Django's checks pass, both tables compare
        # equal column by column, nothing is left as a TODO.
        rc, v = port(args.crossport, ANNOTATED_FIXTURE, tmp / "annotated")
        failed = [c["name"] for c in v["verification"]["checks"] if not c["ok"]]
        m = tally(v, "models")
        if failed or v["todos"] or (m["total"], m["identical"]) != (2, 2) or v["verification"]["findings"]:
            fail(f"annotated columns: failed checks {failed}, models {m}, TODOs {v['todos']}, findings {v['verification']['findings']}")
        print(f"annotated column types: {line(m, 'schema-identical')}")

        # The same verifier on a port with two things it cannot convert.
        repo = edited_copy(FIXTURE, tmp / "repo", {
            "blogapp/models.py": lambda t: t.replace(
                "    body = db.Column(db.Text)\n", "    body = db.Column(db.Text)\n    blob = db.Column(db.Interval)\n"),
            "blogapp/blog/views.py": lambda t: t + '\n\n@bp.route("/page/<int(min=1):n>")\ndef page(n):\n    return str(n)\n',
        })
        rc, v = port(args.crossport, repo, tmp / "todo")
        codes = todo_codes(v)
        if codes != ["CP102", "CP205"]:
            fail(f"expected the TODOs CP102 and CP205, got {codes}")
        m, r = tally(v, "models"), tally(v, "routes")
        if (m["total"], m["todo"], r["total"], r["todo"]) != (3, 1, 10, 1):
            fail(f"TODO counts: models {m}, routes {r}")
        # The Interval column was written as text: the comparison must notice the type.
        if not any("blob" in f for f in v["verification"]["findings"]):
            fail(f"the schema comparison did not see the placeholder column: {v['verification']['findings']}")
        if rc != 1 or v["verification"]["all_verified"]:
            fail("a port with TODOs was reported fully verified")
        print(f"with two unconvertible constructs: {line(m, 'schema-identical')}, {line(r, 'resolve identically')}")

        # A converter of the project's own: served under its name with the regex its class
        # declares (werkzeug builds the sample URL with the same regex); its code is a CP102.
        repo = edited_copy(FIXTURE, tmp / "converter_repo", {
            "blogapp/__init__.py": lambda t: t.replace(
                "    app = Flask(__name__)\n",
                "    app = Flask(__name__)\n    app.url_map.converters[\"publication_year_of_the_archived_post\"] = YearConverter\n", 1)
            + '\n\nfrom werkzeug.routing import BaseConverter  # noqa: E402\n\n\n'
              'class YearConverter(BaseConverter):\n    regex = r"\\d{4}"\n',
            "blogapp/blog/views.py": lambda t: t + '\n\n@bp.route("/year/<publication_year_of_the_archived_post:y>")\ndef by_year(y):\n    return y\n',
        })
        rc, v = port(args.crossport, repo, tmp / "converter")
        codes = todo_codes(v)
        r = tally(v, "routes")
        failed = [c for c in v["verification"]["checks"] if not c["ok"]]
        if failed or codes != ["CP102"] or (r["total"], r["identical"], r["todo"]) != (10, 10, 1):
            fail(f"a project converter: TODOs {codes}, routes {r}, findings {v['verification']['findings']}, failed checks {failed}")
        print(f"a project converter: {line(r, 'resolve identically')}")

        # One URL Flask splits by method between two views (and a third view on the same URL and
        # method, which Django cannot serve): the shared URL resolves to a dispatcher, and each
        # method sent through it must reach its own route's view; the shadowed one is a CP101.
        repo = edited_copy(FIXTURE, tmp / "shared_repo", {"blogapp/blog/views.py": lambda t: t + (
            '\n\n@bp.route("/<int:post_id>/like", methods=["POST"])\ndef like(post_id):\n    return ""\n'
            '\n\n@bp.route("/<int:post_id>/like", methods=["DELETE"])\ndef unlike(post_id):\n    return ""\n'
            '\n\n@bp.route("/<int:post_id>/like", methods=["GET", "DELETE"])\ndef likes(post_id):\n    return ""\n'
        )})
        rc, v = port(args.crossport, repo, tmp / "shared")
        codes = todo_codes(v)
        r = tally(v, "routes")
        if codes != ["CP101"] or (r["total"], r["identical"], r["todo"]) != (12, 11, 1):
            fail(f"a URL split by method: TODOs {codes}, routes {r}, findings {v['verification']['findings']}")
        print(f"a URL split by method: {line(r, 'resolve identically')} (each method reaches its view)")

        # Django -> Flask: the app the plan extracts, proved with Django, SQLAlchemy, Alembic, werkzeug.
        rc, v = port(args.crossport, DJANGO_FIXTURE, tmp / "flask", to="flask")
        ver = v["verification"]
        names = [c["name"] for c in ver["checks"]]
        for want in ("Django migrate of the source models", "alembic check (no upgrade operations)", "ruff format --check"):
            if want not in names:
                fail(f"--to flask did not run {want}: {names}")
        for c in ver["checks"]:
            if not c["ok"]:
                fail(f"--to flask: {c['name']} failed:\n{c['output']}")
        if ver["findings"]:
            fail("--to flask findings:\n" + "\n".join(ver["findings"]))
        expected = {"models": 5, "association tables": 1, "routes": 9}
        for kind, n in expected.items():
            t = tally(v, kind)
            if (t["total"], t["identical"], t["todo"]) != (n, n, 0):
                fail(f"--to flask {kind}: {t}")
            print("django->flask " + line(t, "resolve identically" if kind == "routes" else "schema-identical"))
        if v["todos"] or rc != 0 or not ver["all_verified"] or v["direction"] != "django->flask":
            fail(f"--to flask: exit {rc}, TODOs {v['todos']}, all_verified {ver['all_verified']}")

        # A many-to-many that names its own join table (`db_table=`): the service's table is that
        # one, and it compares equal with what Django migrated.
        repo = edited_copy(DJANGO_FIXTURE, tmp / "django_m2m_table", {"catalog/models.py": lambda t: t.replace(
            'tags = models.ManyToManyField(Tag, related_name="products", blank=True)',
            'tags = models.ManyToManyField(Tag, related_name="products", blank=True, db_table="catalog_product_labels")')})
        rc, v = port(args.crossport, repo, tmp / "flask_m2m_table", to="flask")
        failed = [c["name"] for c in v["verification"]["checks"] if not c["ok"]]
        a = tally(v, "association tables")
        if failed or v["todos"] or (a["total"], a["identical"]) != (1, 1) or v["verification"]["findings"]:
            fail(f"a named join table: failed checks {failed}, {a}, TODOs {v['todos']}, findings {v['verification']['findings']}")
        print(f"django->flask, a named join table: {line(a, 'schema-identical')}")

        # A column the service would declare differently must be caught by both comparisons.
        # (A field class of the project's own with no Django base but Field: its column type is
        # its own code.) A DurationField beside it is converted, as a microsecond count on SQLite,
        # and PostgreSQL's ArrayField and HStoreField to SQLAlchemy's ARRAY and HSTORE; a key to
        # a unique field other than the primary key (`to_field`) takes that column and its type;
        # a conditional unique constraint and index become partial indexes with the same WHERE.
        repo = edited_copy(DJANGO_FIXTURE, tmp / "django_repo", {"catalog/models.py": lambda t: t.replace(
            "    score = models.SmallIntegerField()\n",
            "    score = models.SmallIntegerField()\n    took = Seconds(null=True)\n"
            "    waited = models.DurationField(null=True)\n"
            "    labels = ArrayField(models.CharField(max_length=20), null=True)\n"
            "    attrs = HStoreField(null=True)\n"
            "    product_sku = models.ForeignKey(Product, to_field=\"sku\", db_column=\"sku\", null=True,"
            " on_delete=models.CASCADE, related_name=\"+\")\n").replace(
            '            models.UniqueConstraint(fields=["product", "posted_at"], name="one_review_per_moment")\n',
            '            models.UniqueConstraint(fields=["product", "posted_at"], name="one_review_per_moment"),\n'
            '            models.UniqueConstraint(fields=["score"], condition=models.Q(product_sku=None), name="unlinked"),\n').replace(
            '            models.Index(fields=["score"]),\n',
            '            models.Index(fields=["score"]),\n'
            '            models.Index(fields=["body"], condition=models.Q(score__isnull=False, body="x"), name="scored"),\n').replace(
            "class Category(models.Model):",
            "class Seconds(models.Field):\n    def db_type(self, connection):\n        return \"real\"\n\n\n"
            "class Category(models.Model):").replace(
            "from django.db import models\n",
            "from django.contrib.postgres.fields import ArrayField, HStoreField\nfrom django.db import models\n")})
        rc, v = port(args.crossport, repo, tmp / "flask_todo", to="flask", extra=("--app", "catalog"))
        codes = todo_codes(v)
        if codes != ["CP703"]:
            fail(f"--to flask: expected the TODO CP703 for the project's field class, got {codes}")
        if any(c in f for f in v["verification"]["findings"] for c in ("waited", "labels", "attrs", "sku", "unlinked", "scored")) or not any(
                c["name"] == "Django migrate of the source models" and c["ok"] for c in v["verification"]["checks"]):
            fail(f"--to flask: the DurationField column differs, or the source did not migrate: {v['verification']}")
        if not any("took" in f for f in v["verification"]["findings"]):
            fail(f"--to flask: the comparison did not see the placeholder column: {v['verification']['findings']}")
        alembic = [c for c in v["verification"]["checks"] if c["name"].startswith("alembic check")]
        if not alembic or alembic[0]["ok"] or "took" not in alembic[0]["output"] or any(
                c in alembic[0]["output"] for c in ("waited", "labels", "attrs", "sku", "unlinked", "scored")):
            fail(f"--to flask: alembic check must see the placeholder column and only it: {alembic}")
        if rc != 1 or v["verification"]["all_verified"]:
            fail("--to flask: a port with a TODO was reported fully verified")
        print(f"django->flask with one unconvertible column: {line(tally(v, 'models'), 'schema-identical')}")

        # Patterns werkzeug has no direct form for: an optional trailing slash (two rules, the
        # one without the slash built first), a regex that spans slashes, groups Django may skip
        # (one rule per combination, `//` kept where a skipped group leaves it); a pattern without
        # `$`, which Django also serves with more after it: the rule takes the rest as a value, and
        # the check follows Django on longer URLs.
        repo = edited_copy(DJANGO_FIXTURE, tmp / "django_patterns", {"catalog/urls.py": lambda t: t.replace(
            '    path("stats/"',
            '    re_path(r"^feed\\.(?P<format>[a-z0-9]+)/?$", views.media, name="feed"),\n'
            '    re_path(r"^files/(?P<rest>.*)$", views.media, name="files"),\n'
            '    re_path(r"^open/", views.media, name="open"),\n'
            '    re_path(r"^page/(?P<n>\\w+)", views.media, name="page"),\n'
            '    re_path(r"^filter/(?P<query>.+)?$", views.media, name="filter"),\n'
            '    re_path(r"^group/(?P<uid>\\d+)?/filter/(?P<query>.+)?$", views.media, name="group_filter"),\n'
            '    path("stats/"')})
        rc, v = port(args.crossport, repo, tmp / "flask_patterns", to="flask", extra=("--app", "catalog"))
        r = tally(v, "routes")
        findings = v["verification"]["findings"]
        codes = todo_codes(v)
        if (r["total"], r["identical"], r["todo"]) != (15, 15, 0) or codes or findings:
            fail(f"--to flask patterns: routes {r}, findings {findings}")
        print(f"django->flask optional slash, slash-spanning regex, optional groups, open-ended patterns: {line(r, 'resolve identically')}")

        # --build-schema: the fixtures' own models, imported by their own virtualenv.
        py = str(project_python())
        build = ("--build-schema", "--python", py)
        rc, v = port(args.crossport, FIXTURE, tmp / "built", extra=build)
        src = v["verification"]["schema_source"]
        if "--build-schema" not in src or "project code ran" not in src:
            fail(f"--build-schema: the output does not say which schema source was used: {src}")
        if not any(c["name"].startswith("build the source schema") for c in v["verification"]["checks"]):
            fail(f"--build-schema: no build check: {v['verification']['checks']}")
        if "--build-schema" not in (tmp / "built" / "PORTING.md").read_text():
            fail("--build-schema: PORTING.md does not name the schema source")
        fully_verified(v, "flask->django --build-schema", {"models": 3, "association tables": 1, "routes": 9})
        rc, v = port(args.crossport, DJANGO_FIXTURE, tmp / "built_flask", to="flask", extra=build)
        fully_verified(v, "django->flask --build-schema", {"models": 5, "association tables": 1, "routes": 9})

        # A namespace package (no __init__.py) scanned as the root, its modules importing each
        # other through it (`from corp.blogapp.extensions import db`, as jobmon-server's do): the
        # build imports them under those names, from the folder above it (it failed with "No
        # module named 'corp'" when the names came from the __init__.py chain alone).
        def absolute(text):
            return text.replace("from .extensions import", "from corp.blogapp.extensions import")

        repo = edited_copy(FIXTURE, tmp / "ns" / "corp", {"blogapp/models.py": absolute, "blogapp/__init__.py": absolute})
        rc, v = port(args.crossport, repo, tmp / "built_ns", extra=build)
        fully_verified(v, "flask->django --build-schema, namespace package", {"models": 3, "association tables": 1, "routes": 9})

        # Python and SQLAlchemy semantics the reading must follow, proved on the project's own
        # schema: model modules in an import cycle that only starts cleanly from another member
        # (`helpers` or `config` first, as an entry script would), a foreign key naming a module constant, a
        # TypeDecorator and SQLAlchemy's PickleType (the `impl` is the column: a CP205 each for
        # their code), an array column, partial unique indexes (column attributes, a condition as
        # an expression and as SQL text), one-column ForeignKeyConstraints (strings, and a column
        # attribute given by keyword), SQLAlchemy 2.0 annotations (`ForeignKey(Role.id)`, a type
        # imported under another name, `dict[str, int] | None`), a subclass mapped on its
        # parent's table without a discriminator (a proxy), and many-to-manys whose through
        # models' names would sort before a model they join (Django would create them without
        # one of their keys and fail to migrate when the other model has an index, as Tag has here:
        # they are named after that model, UserRolesUsers for roles_users, TagALinks for a_links).
        repo = edited_copy(FIXTURE, tmp / "semantics_repo", {
            "blogapp/config.py": lambda t: "from . import helpers  # noqa: F401\n",
            "blogapp/helpers.py": lambda t: "from .models import Post  # noqa: F401\n",
            "blogapp/models.py": lambda t: t.replace(
                "from .extensions import db, login_manager\n",
                "from datetime import time as clock\n\nfrom sqlalchemy.orm import Mapped, mapped_column\n\n"
                "from . import config  # noqa: F401\nfrom .extensions import db, login_manager\n\n"
                'AUTHOR = "user.id"\n\n\nclass Stamp(db.TypeDecorator):\n    impl = db.DateTime\n    cache_ok = True\n\n\n'
                'roles_users = db.Table(\n    "roles_users",\n'
                '    db.Column("user_id", db.Integer, db.ForeignKey("user.id"), primary_key=True),\n'
                '    db.Column("role_id", db.Integer, db.ForeignKey("role.id"), primary_key=True),\n)\n'
                'a_links = db.Table(\n    "a_links",\n    db.metadata,\n'
                '    db.Column("post_id", db.Integer, db.ForeignKey("post.id"), primary_key=True),\n'
                '    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), primary_key=True),\n'
                '    db.Column("rank", db.Integer, nullable=False),\n'
                '    db.UniqueConstraint("post_id", "rank", name="one_rank_per_post"),\n)\n', 1)
            .replace('    tags = db.relationship("Tag", secondary=post_tags, backref="posts")\n',
                     '    tags = db.relationship("Tag", secondary=post_tags, backref="posts")\n'
                     '    linked = db.relationship("Tag", secondary=a_links)\n')
            .replace('db.ForeignKey("user.id", ondelete="CASCADE")', 'db.ForeignKey(AUTHOR, ondelete="CASCADE")')
            .replace("    body = db.Column(db.Text)\n", "    body = db.Column(db.Text)\n    edited_at = db.Column(Stamp())\n")
            .replace("    name = db.Column(db.String(50), unique=True, nullable=False)\n",
                     "    name = db.Column(db.String(50), unique=True, nullable=False)\n"
                     '    __table_args__ = (db.Index("tag_by_name", "name", "id"),)\n')
            .replace("    created_at = db.Column(db.DateTime, default=datetime.utcnow)\n",
                     "    created_at = db.Column(db.DateTime, default=datetime.utcnow)\n"
                     '    roles = db.relationship("Role", secondary=roles_users, backref="users")\n')
            + '\n\nclass Role(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column(db.String(40))\n'
              '    labels = db.Column(db.ARRAY(db.String(20)))\n'
              '    owner_id = db.Column(db.Integer)\n    retired = db.Column(db.Boolean)\n'
              '    creator_id = db.Column(db.Integer)\n    state = db.Column(db.PickleType)\n'
              '    __table_args__ = (\n'
              '        db.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),\n'
              '        db.ForeignKeyConstraint(columns=(creator_id,), refcolumns=["user.id"], name="role_creator"),\n'
              '        db.Index("one_live_name", name, unique=True, postgresql_where=retired.isnot(True)),\n'
              '        db.Index("one_unowned", "name", unique=True, postgresql_where=db.text("owner_id IS NULL")),\n'
              '    )\n'
              '\n\nclass FeaturedTag(Tag):\n    pass\n'
              '\n\nclass Badge(db.Model):\n    id: Mapped[int] = mapped_column(primary_key=True)\n'
              '    role_id: Mapped[int] = mapped_column(db.ForeignKey(Role.id))\n'
              '    opens_at: Mapped[clock | None]\n'
              '    rules: Mapped[dict[str, int] | None] = mapped_column(db.JSON)\n'})
        rc, v = port(args.crossport, repo, tmp / "semantics", extra=build)
        m, a = tally(v, "models"), tally(v, "association tables")
        built = [c for c in v["verification"]["checks"] if c["name"].startswith("build the source schema")]
        if not built or "first: the model modules import each other in a cycle" not in built[0]["output"]:
            fail(f"--build-schema did not start the import cycle from another member: {built}")
        failed = [c for c in v["verification"]["checks"] if not c["ok"]]
        if failed or todo_codes(v) != ["CP205", "CP205"] or (m["total"], m["identical"]) != (6, 6) or (a["total"], a["identical"]) != (3, 3):
            fail(f"semantics: TODOs {todo_codes(v)}, models {m}, association tables {a}, findings {v['verification']['findings']}, failed checks {failed}")
        models_py = (tmp / "semantics" / "blogapp" / "models.py").read_text()
        for want in ("ArrayField(models.CharField(max_length=20)", "condition=~models.Q(retired=True)",
                     '"blogapp.Tag", through="blogapp.TagALinks", related_name="post_linked_set"',
                     'fields=["post", "rank"], name="one_rank_per_post"',
                     '"blogapp.Role", through="blogapp.UserRolesUsers", related_name="users"',
                     "condition=models.Q(owner__isnull=True)",
                     'creator = models.ForeignKey(\n        "blogapp.User",\n        on_delete=models.DO_NOTHING,',
                     "state = models.BinaryField(null=True)",
                     'role = models.ForeignKey("blogapp.Role", on_delete=models.DO_NOTHING)',
                     "opens_at = models.TimeField(null=True)", "rules = models.JSONField(null=True)",
                     'owner = models.ForeignKey(\n        "blogapp.User",\n        on_delete=models.CASCADE,'):
            if want not in models_py:
                fail(f"semantics: the draft lacks {want}:\n{models_py}")
        print(f"an import cycle, a constant foreign key, a TypeDecorator, PickleType, an array, partial indexes, keyword foreign-key constraints, annotated columns, a proxy, late many-to-manys: {line(m, 'schema-identical')}")

        # A column added at run time: crossport's reading cannot see it, the project's metadata can.
        repo = edited_copy(FIXTURE, tmp / "runtime_column", {
            "blogapp/models.py": lambda t: t + '\nPost.__table__.append_column(db.Column("extra", db.Integer))\n'})
        rc, v = port(args.crossport, repo, tmp / "runtime_default")
        if v["verification"]["findings"]:
            fail(f"the default schema source was expected not to see the run-time column: {v['verification']['findings']}")
        rc, v = port(args.crossport, repo, tmp / "runtime_built", extra=build)
        if rc != 1 or not any("column extra missing" in f for f in v["verification"]["findings"]):
            fail(f"--build-schema did not find the run-time column: {v['verification']['findings']}")
        print("--build-schema finds a column added at run time that the default source cannot see")

        # An import error of the project is a failed check with its message, not a crash.
        models = repo / "blogapp" / "models.py"
        models.write_text(models.read_text() + "\nraise RuntimeError('broken on import')\n")
        rc, v = port(args.crossport, repo, tmp / "broken", extra=build)
        bad = [c for c in v["verification"]["checks"] if c["name"].startswith("build the source schema") and not c["ok"]]
        if rc != 1 or not bad or "broken on import" not in bad[0]["output"]:
            fail(f"--build-schema: an import error did not come back as a failed check: {v['verification']['checks']}")
        print("--build-schema: an import error of the project is a counted finding")

        # --database-url: a database the fixture's own metadata created; nothing of it runs here.
        # (SQLite stands in for PostgreSQL: the "C" collation a column names is declared first.)
        db = tmp / "existing.sqlite3"
        code = ("import sys; sys.path.insert(0, sys.argv[1]); import sqlalchemy as sa; "
                "from blogapp.models import db; e = sa.create_engine('sqlite:///' + sys.argv[2]); "
                "sa.event.listen(e, 'connect', lambda c, r: c.create_collation('C', lambda a, b: (a > b) - (a < b))); "
                "db.metadata.create_all(e)")
        res = subprocess.run([py, "-c", code, str(FIXTURE), str(db)], capture_output=True, text=True)
        if res.returncode != 0:
            fail(f"cannot create the database for --database-url: {res.stderr[-2000:]}")
        rc, v = port(args.crossport, FIXTURE, tmp / "from_db", extra=("--database-url", f"sqlite:///{db}"))
        if "--database-url" not in v["verification"]["schema_source"]:
            fail(f"--database-url: schema source not said: {v['verification']['schema_source']}")
        fully_verified(v, "flask->django --database-url", {"models": 3, "association tables": 1, "routes": 9})
    print("port_verify: ok")


if __name__ == "__main__":
    main()
