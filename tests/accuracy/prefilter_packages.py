#!/usr/bin/env python3
"""Pre-filter check over many real packages: `crossport scan` and `crossport scan --no-prefilter`
must give the same inventory (apart from `stats` and warnings) for every top-level package
installed in the accuracy check's cached virtualenvs (apps.toml and heldout.toml venvs, and their
dependencies: several hundred Flask/Django libraries and applications). Stdlib only.

    cargo build --release
    python3 tests/accuracy/run.py --oracle-only      # creates the venvs, if not yet there
    python3 tests/accuracy/prefilter_packages.py [--crossport PATH] [--cache DIR]

Exit status 0 when every package agrees, 1 otherwise (each differing package is listed with the
inventory keys that differ), 2 when there is nothing to check.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def packages(cache: Path) -> dict[str, Path]:
    """Top-level packages (dirs with __init__.py) of every cached venv, first venv wins by name."""
    found: dict[str, Path] = {}
    for site in sorted(cache.glob("*/lib/python3*/site-packages")):
        for entry in sorted(site.iterdir()):
            if entry.is_dir() and (entry / "__init__.py").exists():
                found.setdefault(entry.name, entry)
    return found


def inventory(crossport: str, path: Path, *extra: str) -> dict:
    out = subprocess.run([crossport, "scan", str(path), "-q", "-f", "json", *extra],
                         capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    doc.pop("stats", None)
    doc.pop("warnings", None)
    return doc


def compare(crossport: str, path: Path) -> list[str]:
    """The inventory keys that differ between the two scans of one package."""
    a = inventory(crossport, path)
    b = inventory(crossport, path, "--no-prefilter")
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crossport", default=str(REPO / "target" / "release" / "crossport"))
    ap.add_argument("--cache", default=os.environ.get("CROSSPORT_ACCURACY_CACHE",
                                                      str(Path.home() / ".cache" / "crossport" / "accuracy")))
    a = ap.parse_args()
    found = packages(Path(a.cache))
    if not found:
        print(f"no cached virtualenvs under {a.cache}: run tests/accuracy/run.py first", file=sys.stderr)
        return 2
    differing = 0
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for name, keys in zip(found, pool.map(lambda p: compare(a.crossport, p), found.values())):
            if keys:
                differing += 1
                print(f"DIFF {name} ({found[name]}): {', '.join(keys)}")
    print(f"{len(found)} packages, {differing} differing")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
