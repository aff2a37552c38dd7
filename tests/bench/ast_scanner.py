#!/usr/bin/env python3
"""A plain stdlib-`ast` scanner: the "obvious Python script" crossport is compared with.

Walks a tree, parses every .py file with `ast` in N worker processes
(multiprocessing) and extracts the facts the benchmark's rules cover:
Flask route decorators (`@x.route(...)`, `add_url_rule`), Django
`urlpatterns` with `path()`/`re_path()`/`url()` calls, model classes (bases
ending in `Model`, `models.Model`, `db.Model`, SQLAlchemy `Base`), Celery
tasks (`@shared_task`, `@x.task`), and `login_required` decorators.
Like crossport, it counts but does not parse test code, migration files
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
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for dec in node.decorator_list:
                name = dotted(dec)
                last = name.rsplit(".", 1)[-1]
                if last in ("route", "get", "post", "put", "delete", "patch") and isinstance(dec, ast.Call) and "." in name:
                    rule = first_str(dec)
                    if rule is not None and rule.startswith("/"):
                        facts.append(("route", rule, node.name, node.lineno))
                elif last in ("shared_task", "task", "periodic_task"):
                    facts.append(("task", node.name, node.lineno))
                elif last == "login_required":
                    facts.append(("login_required", node.name, node.lineno))
        if isinstance(node, ast.ClassDef):
            for b in node.bases:
                name = dotted(b)
                if name.endswith("Model") or name in ("Base", "db.Model", "models.Model"):
                    facts.append(("model", node.name, node.lineno))
                    break
        elif isinstance(node, ast.Call):
            name = dotted(node.func)
            last = name.rsplit(".", 1)[-1]
            if last == "add_url_rule":
                facts.append(("route", first_str(node), None, node.lineno))
            elif last in ("path", "re_path", "url") and name in ("path", "re_path", "url", "urls.path", "urls.re_path"):
                rule = first_str(node)
                if rule is not None and len(node.args) >= 2:
                    facts.append(("urlpattern", rule, node.lineno))
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in targets):
                facts.append(("urlpatterns", node.lineno))
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
