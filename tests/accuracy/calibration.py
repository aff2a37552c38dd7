#!/usr/bin/env python3
"""Effort calibration on the real applications of the accuracy check.

For each app in apps.toml (using the same cached virtualenvs as run.py), runs
`crossport plan <installed source> --format json` and prints a Markdown table:
size, direction, the estimate, the estimate scaled to 30,000 lines (Flask->Django),
the guide's range, where the estimate lands, and the rules that drive it.

    cargo build --release
    python3 tests/accuracy/calibration.py [--app NAME]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (shares apps.toml handling, venvs and scan targets)


def weeks(h: dict) -> str:
    return f"{h['low']:.1f}–{h['high']:.1f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", action="append")
    ap.add_argument("--crossport", default=str(run.REPO / "target" / "release" / "crossport"))
    args = ap.parse_args()
    apps, _ = run.load_apps(run.HERE / "apps.toml")
    cache = Path(os.environ.get("CROSSPORT_ACCURACY_CACHE") or Path.home() / ".cache" / "crossport" / "accuracy")
    print("| app | lines | direction | engineer-weeks | per 30k lines | guide | verdict | drivers (heaviest first) |")
    print("|---|---:|---|---:|---:|---|---|---|")
    for app in apps:
        if args.app and app["name"] not in args.app:
            continue
        venv = run.ensure_venv(app, cache)
        with tempfile.TemporaryDirectory() as tmp:
            target = run.scan_target(app, run.site_packages(venv), Path(tmp))
            out = subprocess.run(
                [args.crossport, "plan", str(target), "--format", "json", "-q"], capture_output=True, check=True
            )
        plan = json.loads(out.stdout)
        cal = plan["calibration"]
        scaled = cal.get("per_30k_lines_engineer_weeks")
        drivers = ", ".join(f"{d['rule']} ×{d['items']}" for d in cal["drivers"][:3])
        print(
            f"| {app['name']} | {plan['summary']['lines']} | {plan['direction']} "
            f"| {weeks(plan['total']['engineer_weeks'])} | {weeks(scaled) if scaled else 'n/a'} "
            f"| {weeks(cal['guide_engineer_weeks'])} | {cal['verdict']} | {drivers} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
