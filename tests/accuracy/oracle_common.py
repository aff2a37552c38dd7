"""Helpers shared by the Flask and Django oracles.

Runs inside the application's virtualenv (stdlib only). The oracles print one JSON
document on stdout; everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import json
import os
import sys
import tempfile


def log(*args):
    print("[oracle]", *args, file=sys.stderr, flush=True)


def parse_spec() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", required=True, help="JSON of the apps.toml entry")
    ap.add_argument("--workdir", help="throwaway dir (default: a new temp dir)")
    ns = ap.parse_args()
    spec = json.loads(ns.spec)
    spec["_workdir"] = ns.workdir or tempfile.mkdtemp(prefix="crossport-oracle-")
    return spec


def subst(value: str, spec: dict) -> str:
    return value.replace("{workdir}", spec["_workdir"])


def prepare_environment(spec: dict) -> None:
    """Write `files`, set `env` (placeholders substituted), put the `pythonpath` dirs first
    on sys.path (what `python manage.py` does with the project root), chdir into the workdir."""
    workdir = spec["_workdir"]
    os.makedirs(workdir, exist_ok=True)
    for path, content in (spec.get("files") or {}).items():
        path = subst(path, spec)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(subst(content, spec))
    for key, value in (spec.get("env") or {}).items():
        os.environ[key] = subst(str(value), spec)
    for entry in reversed(spec.get("pythonpath") or []):
        sys.path.insert(0, subst(entry, spec))
    os.chdir(workdir)


def import_target(target: str):
    """'pkg.mod:attr.sub' -> object."""
    mod_name, _, attr = target.partition(":")
    obj = importlib.import_module(mod_name)
    for part in filter(None, attr.split(".")):
        obj = getattr(obj, part)
    return obj


def unwrap_view(func):
    """Follow functools.partial, view_class (Flask/Django CBVs), DRF's .cls,
    and __wrapped__ chains down to the function or class that holds the code."""
    seen = set()
    while id(func) not in seen:
        seen.add(id(func))
        if isinstance(func, functools.partial):
            func = func.func
            continue
        view_class = getattr(func, "view_class", None)
        if inspect.isclass(view_class):
            return view_class
        cls = getattr(func, "cls", None)  # DRF ViewSet.as_view / APIView.as_view
        if inspect.isclass(cls) and not inspect.isclass(func):
            return cls
        wrapped = getattr(func, "__wrapped__", None)
        if wrapped is not None:
            func = wrapped
            continue
        break
    return func


def dotted(obj) -> str:
    module = getattr(obj, "__module__", None) or "?"
    qual = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if qual is None:  # a callable instance
        qual = type(obj).__qualname__
        module = type(obj).__module__
    return f"{module}.{qual}"


_LINES_CACHE: dict = {}


def _class_line(path, cls):
    """Line of the first `class Name` statement in `path` (inspect.getsourcelines parses the
    whole module with ast for every class on Python 3.11: far too slow for 1000 views)."""
    import re

    if path not in _LINES_CACHE:
        try:
            with open(path, encoding="utf-8") as fh:
                _LINES_CACHE[path] = fh.read().splitlines()
        except OSError:
            _LINES_CACHE[path] = []
    pat = re.compile(r"\s*class\s+" + re.escape(cls.__name__) + r"\b")
    for i, text in enumerate(_LINES_CACHE[path], 1):
        if pat.match(text):
            return i
    return None


def source_location(obj):
    """(file, line) of a function (its code object's first line) or class (`class` line)."""
    try:
        if inspect.isclass(obj):
            path = inspect.getsourcefile(obj)
            return path, _class_line(path, obj) if path else None
        func = getattr(obj, "__func__", obj)  # bound methods
        code = getattr(func, "__code__", None)
        if code is None:  # callable instance
            return source_location(type(obj))
        return inspect.getsourcefile(func), code.co_firstlineno
    except Exception:  # builtins, C code, generated classes
        return None, None


def site_relative(path, spec):
    """Make a file path relative to the site-packages dir it lives in (stable across venvs)."""
    if not path:
        return None
    for entry in sys.path:
        if entry and entry.endswith("site-packages") and path.startswith(entry + os.sep):
            return os.path.relpath(path, entry)
    return path


def is_own(name: str, spec: dict) -> bool:
    return any(name == p or name.startswith(p + ".") for p in spec.get("own_packages", []))


def admin_item(model, admin_class, site, spec: dict) -> dict:
    """One admin registration as both oracles report it, keyed by the model."""
    path, line = source_location(admin_class)
    model_name = f"{model.__module__}.{model.__name__}"
    return {
        "model": model_name,
        "admin_class": dotted(admin_class),
        "site": site,
        "own": is_own(model_name, spec) or is_own(dotted(admin_class), spec),
        "file": site_relative(path, spec),
        "line": line,
    }


def class_declared_in_source(cls) -> bool:
    """True when the module file that claims the class has a `class Name` statement;
    False for classes created by type()/factories (e.g. SQLAlchemy-Continuum version classes)
    and for classes defined inside a function body (qualname contains "<locals>")."""
    if "<locals>" in getattr(cls, "__qualname__", ""):
        return False
    mod = sys.modules.get(cls.__module__)
    path = getattr(mod, "__file__", None)
    if not path or not path.endswith(".py"):
        return False
    try:
        with open(path, encoding="utf-8") as fh:
            src = fh.read()
    except OSError:
        return False
    import re

    return re.search(r"^\s*class\s+" + re.escape(cls.__name__) + r"\b", src, re.M) is not None


def find_celery_apps(spec: dict, extra=()):
    """Celery app instances: given candidates, module-level instances in already-imported
    own modules, modules named in `celery_app` (e.g. "pkg.celery:app"), and current_app."""
    try:
        import celery
    except ImportError:
        return []
    found = []

    def add(obj):
        if isinstance(obj, celery.Celery) and all(obj is not f for f in found):
            found.append(obj)

    for obj in extra:
        add(obj)
    for target in spec.get("celery_app", []) if isinstance(spec.get("celery_app"), list) else filter(None, [spec.get("celery_app")]):
        add(import_target(target))
    for name, mod in list(sys.modules.items()):
        if mod is None or not is_own(name, spec):
            continue
        for value in list(vars(mod).values()):
            add(value)
    return found


def celery_tasks(apps) -> list:
    names = set()
    for app in apps:
        try:
            app.loader.import_default_modules()  # runs autodiscover_tasks
        except Exception as exc:  # noqa: BLE001
            log("celery import_default_modules failed:", repr(exc))
        for name, task in app.tasks.items():
            if name.startswith("celery."):
                continue
            fn = getattr(task, "run", None)
            module = getattr(task, "__module__", None)
            names.add((name, module))
    return [{"name": n, "module": m} for n, m in sorted(names)]


# The JSON document is the only thing written to the real stdout: what the app prints or logs
# to "stdout" while it is built (a console log handler, `print`) goes to stderr instead.
_RESULT_STREAM = sys.stdout
sys.stdout = sys.stderr


def emit(doc: dict) -> None:
    json.dump(doc, _RESULT_STREAM, indent=2, sort_keys=True, default=str)
    _RESULT_STREAM.write("\n")
    _RESULT_STREAM.flush()
