#!/usr/bin/env python3
"""A plain stdlib-`ast` scanner: the "obvious Python script" crossport is compared with.

Walks a tree, parses every .py file with `ast` in N worker processes
(multiprocessing) and extracts, one file at a time (no cross-file name
resolution), the same kinds of fact as `crossport scan` and semgrep-rules.yml:
- route: Flask `@x.route/get/post/put/delete/patch("/...")`, `add_url_rule`,
  Flask-RESTful `add_resource`, `Blueprint(...)`, `register_blueprint`; Django
  `path()`/`re_path()`/`url()` (`include(...)` as their view), DRF
  `router.register(prefix, ViewSet)`, DRF `@action`;
- model: classes based on `models.Model`, `db.Model`, `Base` or any `*Model`;
  field: their class-body fields and relations (`*Field(...)`, `Column`,
  `mapped_column`, `ForeignKey`, `relationship`, `x: Mapped[...]`);
  model_meta: `__tablename__`, `Meta.db_table`, `Meta.abstract = True`;
- auth: `*_required` / `user_passes_test` decorators, Flask-Login
  `user_loader`/`request_loader` and `LoginManager(...)`, `permission_classes` /
  `authentication_classes`, Django auth mixins, `AUTH_USER_MODEL` /
  `AUTHENTICATION_BACKENDS`;
- job: Celery `@shared_task` / `@x.task` / `@periodic_task`, RQ `@job`, Django
  management commands (`class Command(...Command)`), `beat_schedule` /
  `CELERYBEAT_SCHEDULE`; cli: click commands (`@x.command`);
- template: `render_template`, `render(request, "x")`, `render_to_string`,
  `get_template`, `TemplateResponse`, `template_name = "..."`;
- form: Django forms, WTForms, DRF serializers (by base class name);
- admin: `<x>site.register(Model, ...)`, `@admin.register(...)`;
- setting: ALL_CAPS assignments in `settings*.py` / `settings/` files,
  `app.config[...] = ...`, `app.config.from_object(...)`;
- signal: `@receiver`, `<signal>.connect(handler, ...)`, Flask request hooks
  and error handlers, SQLAlchemy `@(event.)listens_for` / `event.listen`;
- extension: `Ext(app, ...)`, `ext.init_app(app)`;
- call_site: `X.objects.<method>(...)`, `db.session.query`, `X.query.<method>`,
  `url_for`, `reverse`.
One `ast.walk` per file; a model's class body is read where the walk meets
the class (fields need to know their class). Facts are (kind, detail, name,
line). Like crossport, it counts but does not parse test code, migration files
(`unread` mirrors src/unread.rs) or files over 2 MiB (crossport's default
--max-file-size), so both do the same work.

    python3 ast_scanner.py ROOT [--jobs 2] [-o out.json]
"""
import argparse
import ast
import json
import multiprocessing
import os
import sys
import warnings

PRUNED = {"node_modules", "site-packages", "__pycache__", ".git", ".venv", "venv", "build", "dist"}


def files(root):
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in PRUNED and not x.endswith(".egg-info"))
        for n in sorted(names):
            if n.endswith(".py"):
                yield os.path.join(d, n)


MAX_FILE_SIZE = 2 * 1024 * 1024


def unread(rel, src):
    """src/unread.rs: test code, Django migrations, Alembic revision scripts."""
    parts = rel.split("/")
    stem = parts[-1][:-3]
    if len(parts) >= 2 and parts[-2] == "migrations" and stem[:1].isdigit():
        return True
    if len(parts) >= 2 and parts[-2] == "versions" and b"down_revision" in src:
        return True
    return (
        stem in ("tests", "conftest")
        or stem.startswith("test_")
        or stem.endswith(("_test", "_tests"))
        or any(d in ("tests", "test", "testing") for d in parts[:-1])
    )


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    if isinstance(node, ast.Call):
        return dotted(node.func)
    return ""


def first_str(call):
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


ROUTE_VERBS = ("route", "get", "post", "put", "delete", "patch")
TASK_DECORATORS = ("shared_task", "task", "periodic_task")
HOOKS = {
    "before_request", "after_request", "teardown_request", "teardown_appcontext",
    "before_app_request", "after_app_request", "errorhandler", "app_errorhandler",
    "context_processor", "app_context_processor", "template_filter", "app_template_filter",
    "template_global", "app_template_global", "template_test", "app_template_test",
    "url_value_preprocessor", "url_defaults",
}
AUTH_MIXINS = {"LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin"}
FORM_BASES = {
    "forms.Form", "forms.ModelForm", "FlaskForm", "Form",
    "serializers.Serializer", "serializers.ModelSerializer",
}
RELATIONS = ("ForeignKey", "OneToOneField", "ManyToManyField", "relationship")
FIELD_CALLS = ("Field", "Column", "mapped_column") + RELATIONS
SCHEDULES = {"beat_schedule", "CELERYBEAT_SCHEDULE", "CELERY_BEAT_SCHEDULE"}
TEMPLATE_FIRST = ("render_to_string", "get_template")
TEMPLATE_SECOND = ("render", "TemplateResponse")
CONFIG_LOADERS = ("from_object",)


def is_str(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def is_model(bases):
    return any(b.endswith("Model") or b == "Base" for b in bases)


def model_body(node, facts):
    """Fields, relations and Meta.abstract in a model's class body."""
    for stmt in node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            for m in stmt.body:
                if isinstance(m, ast.Assign) and isinstance(m.value, ast.Constant) and m.value.value is True:
                    if any(isinstance(t, ast.Name) and t.id == "abstract" for t in m.targets):
                        facts.append(("model_meta", "abstract", node.name, m.lineno))
            continue
        # x = models.CharField(...), x = db.Column(...), x: Mapped[int] = mapped_column(...)
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, mapped = stmt.targets[0], False
        elif isinstance(stmt, ast.AnnAssign):
            ann = stmt.annotation
            target, mapped = stmt.target, isinstance(ann, ast.Subscript) and dotted(ann.value).endswith("Mapped")
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        last = dotted(stmt.value.func).rsplit(".", 1)[-1] if isinstance(stmt.value, ast.Call) else ""
        if mapped or last.endswith(FIELD_CALLS):
            kind = "relation" if last in RELATIONS else "field"
            facts.append(("field", kind, f"{node.name}.{target.id}", stmt.lineno))


def decorator_facts(node, facts):
    for dec in node.decorator_list:
        name = dotted(dec)
        last = name.rsplit(".", 1)[-1]
        call = isinstance(dec, ast.Call)
        if last in ROUTE_VERBS and call and "." in name:
            rule = first_str(dec)
            if rule is not None and rule.startswith("/"):
                facts.append(("route", "decorator", rule, node.lineno))
        elif name == "action":
            facts.append(("route", "action", node.name, node.lineno))
        elif last in TASK_DECORATORS:
            facts.append(("job", last, node.name, node.lineno))
        elif name == "job" or name.endswith(".job"):
            facts.append(("job", "rq", node.name, node.lineno))
        elif last.endswith("_required") or last in ("user_passes_test", "user_loader", "request_loader"):
            facts.append(("auth", last, node.name, node.lineno))
        elif last == "receiver" or last == "listens_for" or (last in HOOKS and "." in name):
            facts.append(("signal", last, node.name, node.lineno))
        elif name.endswith("admin.register"):
            facts.append(("admin", "decorator", node.name, node.lineno))
        elif last == "command" and "." in name:
            facts.append(("cli", name, node.name, node.lineno))


def class_facts(node, facts):
    bases = [dotted(b) for b in node.bases]
    if is_model(bases):
        facts.append(("model", bases[0], node.name, node.lineno))
        model_body(node, facts)
    for b in bases:
        last = b.rsplit(".", 1)[-1]
        if b in FORM_BASES:
            facts.append(("form", b, node.name, node.lineno))
        elif last in AUTH_MIXINS:
            facts.append(("auth", "mixin", node.name, node.lineno))
        elif node.name == "Command" and b.endswith("Command"):
            facts.append(("job", "management_command", node.name, node.lineno))


def call_facts(node, facts):
    func = node.func
    name = dotted(func)
    last = name.rsplit(".", 1)[-1]
    line = node.lineno
    # Routes.
    if last in ("add_url_rule", "add_resource", "register_blueprint"):
        facts.append(("route", last, first_str(node), line))
    elif name == "Blueprint" or name.endswith(".Blueprint"):
        facts.append(("route", "blueprint", first_str(node), line))
    elif name in ("path", "re_path", "url", "urls.path", "urls.re_path"):
        rule = first_str(node)
        if rule is not None and len(node.args) >= 2:
            view = "include" if dotted(node.args[1]).endswith("include") else name
            facts.append(("route", view, rule, line))
    elif last == "register" and len(node.args) >= 2 and name[: -len(".register")].lower().endswith("router"):
        facts.append(("route", "router", first_str(node), line))
    # Admin.
    elif last == "register" and node.args and name[: -len(".register")].endswith("site"):
        facts.append(("admin", name, dotted(node.args[0]), line))
    # Templates.
    elif last == "render_template":
        facts.append(("template", last, first_str(node), line))
    elif last in TEMPLATE_FIRST and node.args and is_str(node.args[0]):
        facts.append(("template", last, node.args[0].value, line))
    elif name in TEMPLATE_SECOND and len(node.args) >= 2 and is_str(node.args[1]):
        facts.append(("template", last, node.args[1].value, line))
    # Signals.
    elif last == "connect" and "." in name and node.args:
        facts.append(("signal", "connect", dotted(node.args[0]), line))
    elif name == "event.listen":
        facts.append(("signal", "listen", first_str(node), line))
    # Auth, extensions, settings.
    elif last == "LoginManager":
        facts.append(("auth", "login_manager", name, line))
        if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "app":
            facts.append(("extension", name, name, line))
    elif last == "init_app" and node.args:
        facts.append(("extension", "init_app", name, line))
    elif node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "app" and last[:1].isupper():
        facts.append(("extension", name, name, line))
    elif last in CONFIG_LOADERS and name.endswith(".config." + last):
        facts.append(("setting", last, first_str(node), line))
    # Call sites.
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute) and func.value.attr in ("objects", "query"):
        facts.append(("call_site", func.value.attr, name, line))
    elif name in ("db.session.query", "url_for", "reverse"):
        facts.append(("call_site", last, first_str(node), line))


def assign_facts(node, facts, settings):
    for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
        if isinstance(t, ast.Name):
            n = t.id
            if settings and n.isupper() and n[0].isalpha():
                facts.append(("setting", "module", n, node.lineno))
            if n in ("permission_classes", "authentication_classes", "AUTH_USER_MODEL", "AUTHENTICATION_BACKENDS"):
                facts.append(("auth", n, n, node.lineno))
            elif n == "template_name" and is_str(node.value):
                facts.append(("template", n, node.value.value, node.lineno))
            elif n in ("__tablename__", "db_table"):
                facts.append(("model_meta", n, None, node.lineno))
            elif n in SCHEDULES:
                facts.append(("job", "schedule", n, node.lineno))
        elif isinstance(t, ast.Attribute):
            if t.attr == "beat_schedule" and dotted(t).endswith(".conf.beat_schedule"):
                facts.append(("job", "schedule", dotted(t), node.lineno))
        elif isinstance(t, ast.Subscript) and isinstance(t.value, ast.Attribute) and t.value.attr == "config":
            facts.append(("setting", "config", dotted(t.value), node.lineno))


def is_settings(rel):
    parts = rel.split("/")
    return parts[-1].startswith("settings") or "settings" in parts[:-1]


def scan_file(job):
    path, rel = job
    try:
        with open(path, "rb") as f:
            src = f.read()
    except OSError:
        return path, 0, None
    lines = src.count(b"\n")
    if len(src) > MAX_FILE_SIZE or unread(rel, src):
        return path, lines, []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(src, path)
    except (SyntaxError, ValueError):
        return path, lines, None
    facts = []
    settings = is_settings(rel)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            call_facts(node, facts)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            assign_facts(node, facts, settings)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorator_facts(node, facts)
        elif isinstance(node, ast.ClassDef):
            decorator_facts(node, facts)
            class_facts(node, facts)
    return path, lines, facts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    out = {}
    n_files = n_lines = errors = 0
    with multiprocessing.Pool(a.jobs) as pool:
        for path, lines, facts in pool.imap_unordered(scan_file, ((p, os.path.relpath(p, a.root).replace(os.sep, "/")) for p in files(a.root)), chunksize=16):
            n_files += 1
            n_lines += lines
            if facts is None:
                errors += 1
            elif facts:
                out[os.path.relpath(path, a.root)] = facts
    counts = {}
    for facts in out.values():
        for f in facts:
            counts[f[0]] = counts.get(f[0], 0) + 1
    text = json.dumps({"files": n_files, "lines": n_lines, "errors": errors, "counts": counts, "facts": out}, sort_keys=True)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    print(f"ast: {n_files} files, {n_lines} lines, {errors} errors, {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
