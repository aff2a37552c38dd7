#!/usr/bin/env python3
"""`crossport port --verify --build-schema` on the applications of the accuracy check.

For every app of the given lists whose virtualenv run.py already cached (nothing is installed
here): Flask apps are ported to Django, Django apps have the app the plan chooses extracted to
Flask; the source schema is built by the app's own virtualenv Python from the app's own model
metadata (the app's `env`, `files` and `pythonpath` of the list are set up as for the oracle),
and the target checks run in crossport's cached verification virtualenv. Prints one row per
app: models schema-identical, routes resolving identically, TODO codes, then the TODO totals
and, per direction, the apps at 0.95 of models and of routes whose target checks all pass (a
kind an app lacks counts as met);
--json keeps it all.

Usage: tests/accuracy/port_measure.py [--crossport PATH] [--app NAME]... [--json FILE] [--keep DIR] LIST.toml...
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402  (the accuracy check's own helpers: lists, venv paths, scan targets)


def measure(crossport, app, cache_root, timeout, keep=None):
    venv = run.venv_dir(app, cache_root)
    py = run.venv_python(venv)
    if not (venv / ".crossport-installed").exists():
        return {"app": app["name"], "error": f"no cached virtualenv {venv} (run tests/accuracy/run.py first)"}
    site = run.site_packages(venv)
    with tempfile.TemporaryDirectory(prefix=f"port-{app['name']}-") as tmp:
        tmp = Path(tmp)
        workdir = tmp / "work"
        workdir.mkdir()
        sub = lambda s: str(s).replace("{workdir}", str(workdir))  # noqa: E731
        for path, content in (app.get("files") or {}).items():
            dest = Path(sub(path))
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(sub(content), encoding="utf-8")
        env = dict(os.environ)
        # An app's env may move HOME: the verification virtualenv stays where it is cached.
        env.setdefault("CROSSPORT_PORT_CACHE", str(Path.home() / ".cache" / "crossport" / "port"))
        env.update({k: sub(v) for k, v in (app.get("env") or {}).items()})
        pythonpath = [sub(p) for p in app.get("pythonpath") or []]
        if pythonpath:
            env["PYTHONPATH"] = os.pathsep.join(pythonpath)
        target = run.scan_target(app, site, tmp)
        to = "django" if app["framework"] == "flask" else "flask"
        out = tmp / "out"
        if keep:
            out = Path(keep).resolve() / app["name"]
        cmd = [str(crossport), "port", str(target), "--to", to, "--out", str(out), "--force", "--verify",
               "--build-schema", "--python", str(py), "--format", "json", "--timeout", str(timeout),
               # as run.py scans: the app's installed packages are read (a user's active virtualenv)
               "--site-packages", str(site)]
        if app["framework"] == "django":
            cmd += ["--settings", app["settings"]]
        t0 = time.monotonic()
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, env=env)
        took = time.monotonic() - t0
        try:
            doc = json.loads(res.stdout)
        except json.JSONDecodeError:
            return {"app": app["name"], "error": f"exit {res.returncode}: {res.stderr.strip()[-600:]}"}
    v = doc.get("verification") or {}
    tallies = {t["kind"]: t for t in v.get("tallies", [])}
    codes = Counter(t["code"] for t in doc.get("todos", []))
    build = next((c for c in v.get("checks", []) if c["name"].startswith("build the source schema")), None)
    return {
        "app": app["name"], "direction": f"{app['framework']}->{to}", "seconds": round(took),
        "models": tallies.get("models"), "association tables": tallies.get("association tables"),
        "routes": tallies.get("routes"), "todos": dict(sorted(codes.items())),
        "build_ok": build["ok"] if build else None, "build_output": (build or {}).get("output", "")[:2000],
        # The target side's own checks (Django check, makemigrations, alembic, ruff format).
        "failed_checks": [c["name"] for c in v.get("checks", []) if not c["ok"] and c is not build],
        "findings": v.get("findings", []), "schema_source": v.get("schema_source"),
    }


def frac(t):
    if not t:
        return "-"
    return f"{t['identical']}/{t['total']}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lists", nargs="+")
    ap.add_argument("--crossport", default=str(run.REPO / "target" / "release" / "crossport"))
    ap.add_argument("--app", action="append")
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--markdown", metavar="FILE", help="also write the per-app table as Markdown")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--keep", metavar="DIR", help="write each app's draft to DIR/APP (replaced) instead of a temporary folder")
    args = ap.parse_args()
    cache_root = Path(os.environ.get("CROSSPORT_ACCURACY_CACHE") or Path.home() / ".cache" / "crossport" / "accuracy")
    rows = []
    for path in args.lists:
        apps, _ = run.load_apps(Path(path))
        for app in apps:
            if args.app and app["name"] not in args.app:
                continue
            r = measure(Path(args.crossport).resolve(), app, cache_root, args.timeout, args.keep)
            rows.append(r)
            if "error" in r:
                print(f"{r['app']:24} ERROR {r['error']}", flush=True)
                continue
            assoc = r["association tables"]
            print(f"{r['app']:24} {r['direction']:14} models {frac(r['models']):7} "
                  f"assoc {frac(assoc):5} routes {frac(r['routes']):7} build {'ok' if r['build_ok'] else 'FAILED'} "
                  f"TODO {r['todos']} ({r['seconds']}s)"
                  + (f" FAILED {r['failed_checks']}" if r["failed_checks"] else ""), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, sort_keys=True))
    if args.markdown:
        Path(args.markdown).write_text(markdown(rows))
    summary(rows)
    return 0


def markdown(rows):
    out = ["| app | direction | models schema-identical | association tables | routes resolving identically "
           "| source schema built | target checks failed | TODO by kind |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            out.append(f"| {r['app']} | error: {r['error']} | | | | | | |")
            continue
        todos = ", ".join(f"{k} {v}" for k, v in r["todos"].items()) or "none"
        out.append(f"| {r['app']} | {r['direction'].replace('->', ' → ')} | {frac(r['models'])} "
                   f"| {frac(r['association tables'])} | {frac(r['routes'])} "
                   f"| {'yes' if r['build_ok'] else 'failed'} | {', '.join(r['failed_checks']) or 'none'} | {todos} |")
    return "\n".join(out) + "\n"


def meets(t):
    """The issue's bar: 0.95 of the constructs verified; a kind the app does not have is met."""
    return not t or t["total"] == 0 or t["identical"] >= 0.95 * t["total"]


def summary(rows):
    todos = Counter()
    for r in rows:
        todos.update(r.get("todos") or {})
    print(f"\nTODOs across all apps: " + ", ".join(f"{k} {v}" for k, v in sorted(todos.items()))
          + f" ({sum(todos.values())})")
    for direction in sorted({r["direction"] for r in rows if "direction" in r}):
        mine = [r for r in rows if r.get("direction") == direction]
        ok = [r["app"] for r in mine if meets(r["models"]) and meets(r["routes"]) and not r["failed_checks"]]
        print(f"{direction}: {len(ok)} of {len(mine)} apps reach 0.95 of models and of routes "
              f"with every target check passing: {', '.join(ok)}")


if __name__ == "__main__":
    sys.exit(main())
