#!/usr/bin/env python3
"""Benchmark of `crossport portfolio`: merges N inventories (copies of real ones with their
names varied) and reports wall time and peak memory. Not a timed test: it prints figures.

The base inventories are scans of the fixtures plus any repositories given with --repo (e.g.
the accuracy apps' installed packages). Copy i of a base gets its own root, and its table names
get the suffix i // 4, so copies of the same base come in coupled groups of four (as services
that share a database would) and the wave planner has real work to do.

The same merge is timed at several sizes (default 1,000 and 10,000) so that the memory figures
show whether the aggregate grows with the number of repositories.

usage: python3 tests/bench/portfolio_bench.py [--count 1000 --count 10000] [--repo PATH]...
       [--no-fixtures] [--rounds N] [--threads N]
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def scan(binary, path):
    out = subprocess.run(
        [binary, "scan", str(path), "--format", "json", "-q"],
        check=True,
        capture_output=True,
    ).stdout
    return json.loads(out)


def vary(inv, i, name):
    inv["root"] = f"{name}-{i:05d}"
    suffix = f"_{i // 4}"
    for m in inv.get("models", []):
        if m.get("table"):
            m["table"] = m["table"] + suffix
    return inv


def run(binary, folder, threads):
    cmd = [binary, "portfolio", str(folder), "--format", "json", "-o", os.devnull, "-q", "--threads", str(threads)]
    # A fresh child per measurement: ru_maxrss of RUSAGE_CHILDREN is the largest child so far,
    # so each size runs in its own process tree via a small wrapper.
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True)\n"
        "w = time.perf_counter() - t\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(w, r.ru_maxrss, r.ru_utime + r.ru_stime)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], check=True, capture_output=True, text=True).stdout
    wall, rss_kib, cpu = out.split()
    return float(wall), int(rss_kib), float(cpu)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, action="append", help="inventories to merge (repeatable)")
    ap.add_argument("--repo", action="append", default=[], help="another repository to copy")
    ap.add_argument("--no-fixtures", action="store_true", help="copy only the --repo repositories")
    ap.add_argument("--crossport", default=str(REPO / "target" / "release" / "crossport"))
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    counts = args.count or [1000, 10000]
    bases = []
    for f in [] if args.no_fixtures else sorted((REPO / "fixtures").iterdir()):
        if f.is_dir():
            bases.append((f.name, scan(args.crossport, f)))
    for r in args.repo:
        bases.append((Path(r).name, scan(args.crossport, r)))
    texts = [(n, json.dumps(inv)) for n, inv in bases]
    print(f"{len(bases)} base inventories, {sum(len(t) for _, t in texts) / len(texts) / 1024:.0f} KiB on average", flush=True)
    work = Path(tempfile.mkdtemp(prefix="crossport-portfolio-bench-"))
    try:
        for n in counts:
            folder = work / f"n{n}"
            folder.mkdir()
            total = 0
            for i in range(n):
                name, text = texts[i % len(texts)]
                body = json.dumps(vary(json.loads(text), i, name))
                total += len(body)
                (folder / f"{name}-{i:05d}.json").write_text(body)
            best = None
            for _ in range(args.rounds):
                m = run(args.crossport, folder, args.threads)
                best = m if best is None or m[0] < best[0] else best
            wall, rss, cpu = best
            print(
                f"{n:>6} inventories ({total / 2**20:.0f} MiB of JSON): wall {wall:.2f} s, CPU {cpu:.2f} s, "
                f"peak RSS {rss / 1024:.0f} MiB ({rss * 1024 / 1e6:.0f} MB), {args.threads} threads",
                flush=True,
            )
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
