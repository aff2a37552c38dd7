#!/usr/bin/env python3
"""Pre-filter accuracy check: scans each corpus project with and without the
pre-filter (`--no-prefilter`) and compares the inventories.

    python3 tests/bench/accuracy.py [--crossport target/release/crossport] [ROOT ...]

With no ROOT, every project of the benchmark corpus (~/.cache/crossport/bench-corpus/corpus/*)
and the whole corpus. `stats` are expected to differ (parsed_files); warnings
about files that were not parsed (syntax errors in them) are listed apart.
Prints a Markdown table; exit status 1 if any inventory differs.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.expanduser("~/.cache/crossport/bench-corpus/corpus")


def scan(cp, root, extra):
    """The inventory, and the lines the pre-filter left unparsed (from `-v`)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        p = subprocess.run([cp, "scan", root, "--format", "json", "-o", f.name, "-q", "-v", *extra],
                           check=True, capture_output=True, text=True)
        m = re.search(r"prefilter: (\d+) of \d+ Python files not parsed \((\d+) of (\d+) lines\)", p.stderr)
        return json.load(open(f.name)), (int(m[2]), int(m[3])) if m else (0, 0)


def categories(inv):
    return {k: v for k, v in inv.items() if k not in ("stats", "warnings")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("roots", nargs="*")
    ap.add_argument("--crossport", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "crossport"))
    a = ap.parse_args()
    roots = a.roots or sorted(os.path.join(CORPUS, d) for d in os.listdir(CORPUS) if os.path.isdir(os.path.join(CORPUS, d))) + [CORPUS]
    bad = 0
    print("| project | python files | parsed (filter) | parsed (all) | lines not parsed | items (all) | identical | warning diffs |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for root in roots:
        on, (unparsed, lines) = scan(a.crossport, root, [])
        off, _ = scan(a.crossport, root, ["--no-prefilter"])
        items = sum(len(v) for k, v in categories(off).items() if isinstance(v, list))
        same = categories(on) == categories(off)
        w_on = {json.dumps(w, sort_keys=True) for w in on["warnings"]}
        w_off = {json.dumps(w, sort_keys=True) for w in off["warnings"]}
        wdiff = len(w_on ^ w_off)
        if not same:
            bad += 1
            for k in categories(off):
                if on.get(k) != off.get(k):
                    print(f"  DIFF {root}: {k}", file=sys.stderr)
        print(f"| {os.path.basename(root) or root} | {off['stats']['python_files']} | {on['stats']['parsed_files']} | "
              f"{off['stats']['parsed_files']} | {unparsed:,} of {lines:,} ({100 * unparsed / max(lines, 1):.1f}%) | {items} | {'yes' if same else 'NO'} | {wdiff} |")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
