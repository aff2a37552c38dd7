#!/usr/bin/env python3
"""crossport benchmark: builds the PyPI corpus and times crossport against its peers.

    python3 tests/bench/bench.py [--rounds 3] [--semgrep-rounds 1] [--crossport target/release/crossport]

See tests/bench/README.md. Not part of CI (minutes of runtime, network for the first run).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.expanduser("~/.cache/crossport/bench-corpus")
SEMGREP_VERSION = "1.97.0"

# (requirement, extra pip download arguments). Django 6 and NetBox 4.7 require
# Python >= 3.12; the wheels are pure Python, so --ignore-requires-python is safe
# (nothing is installed). Sentry's last wheel on PyPI is 23.7.1 (py38 tag, yanked).
PACKAGES = [
    ("django==6.0.10", ["--ignore-requires-python"]),
    ("netbox==4.7.3", ["--ignore-requires-python"]),
    ("sentry==23.7.1", ["--only-binary=:all:", "--python-version", "3.8"]),
    ("wagtail==8.0.1", []),
    ("apache-superset==6.1.0", []),
    ("pretix==2026.8.0", []),
    ("weblate==5.14.3", []),
    ("indico==3.2.9", []),
]


def build_corpus():
    dl = os.path.join(CACHE, "dl")
    corpus = os.path.join(CACHE, "corpus")
    os.makedirs(dl, exist_ok=True)
    os.makedirs(corpus, exist_ok=True)
    for req, extra in PACKAGES:
        name, version = req.split("==")
        norm = name.replace("-", "_")
        target = os.path.join(corpus, norm)
        if os.path.isdir(target) and os.listdir(target):
            continue
        have = [f for f in os.listdir(dl) if f.lower().startswith(f"{norm}-{version}".lower())]
        if not have:
            print(f"downloading {req}", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", dl, req, *extra], check=True)
            have = [f for f in os.listdir(dl) if f.lower().startswith(f"{norm}-{version}".lower())]
        archive = os.path.join(dl, have[0])
        tmp = target + ".part"
        shutil.rmtree(tmp, ignore_errors=True)
        if archive.endswith(".whl") or archive.endswith(".zip"):
            with zipfile.ZipFile(archive) as z:
                z.extractall(tmp)
        else:
            shutil.unpack_archive(archive, tmp)
        os.rename(tmp, target)
    return corpus


def corpus_size(corpus):
    files = lines = size = 0
    for d, _, names in os.walk(corpus):
        for n in names:
            if n.endswith(".py"):
                with open(os.path.join(d, n), "rb") as f:
                    b = f.read()
                files += 1
                size += len(b)
                lines += b.count(b"\n") + (1 if b and not b.endswith(b"\n") else 0)
    return files, lines, size


def semgrep_bin():
    venv = os.path.join(CACHE, "semgrep-venv")
    exe = os.path.join(venv, "bin", "semgrep")
    have = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip() if os.path.exists(exe) else ""
    if have != SEMGREP_VERSION:
        print(f"installing semgrep {SEMGREP_VERSION} into {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", f"semgrep=={SEMGREP_VERSION}"], check=True)
    return exe


def run(cmd, cwd=None):
    """Runs cmd, returns (wall s, cpu s, peak RSS in KiB of the largest process, stdout+stderr)."""
    out = tempfile.TemporaryFile()
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    text = out.read().decode(errors="replace")
    if p.returncode not in (0, 1):  # semgrep exits 1 when it has findings
        raise SystemExit(f"{cmd[0]} failed ({p.returncode}):\n{text[-3000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, text


SEMGREPIGNORE = """# the files crossport and the ast script count but do not read
tests/
test/
testing/
test_*.py
*_test.py
*_tests.py
tests.py
conftest.py
**/migrations/[0-9]*.py
**/versions/*.py
"""


def mib_mb(kib):
    """ru_maxrss is in KiB; both units, since "MB" is read either way."""
    return f"{kib / 1024:.0f} MiB ({kib * 1024 / 1e6:.0f} MB)"


def main():
    ap = argparse.ArgumentParser(description="crossport benchmark")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--semgrep-rounds", type=int, default=1, help="semgrep takes minutes per run; 0 skips it")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--crossport", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "crossport"))
    ap.add_argument("--limit-crossport", metavar="BIN", help="also time the parse-only limit with another build (say, the last commit's); "
                    "ratios are taken against the faster limit, so an allocator that slows `debug parse` cannot flatter `scan`")
    a = ap.parse_args()
    corpus = build_corpus()
    files, lines, size = corpus_size(corpus)
    print(f"corpus: {corpus}: {files} Python files, {lines} lines, {size / 1e6:.1f} MB", file=sys.stderr)
    cp = os.path.abspath(a.crossport)
    outdir = tempfile.mkdtemp(prefix="crossport-bench-")
    j = str(a.threads)
    tools = {
        "crossport scan": [cp, "scan", corpus, "--format", "json", "-o", os.path.join(outdir, "inv.json"), "-q", "-j", j],
        "crossport scan --no-prefilter": [cp, "scan", corpus, "--format", "json", "-o", os.path.join(outdir, "inv-all.json"), "-q", "-j", j, "--no-prefilter"],
        "parse-only limit (debug parse)": [cp, "debug", "parse", corpus, "-j", j],
        **({"parse-only limit, --limit-crossport build": [os.path.abspath(a.limit_crossport), "debug", "parse", corpus, "-j", j]} if a.limit_crossport else {}),
        "stdlib ast script, 2 processes": [sys.executable, os.path.join(HERE, "ast_scanner.py"), corpus, "--jobs", j, "-o", os.path.join(outdir, "ast.json")],
    }
    rounds = {k: a.rounds for k in tools}
    cwds = {}
    if a.semgrep_rounds:
        sg = semgrep_bin()
        # The files crossport counts without reading (src/unread.rs); semgrep's own
        # default list differs. Alembic revisions are matched by directory here.
        with open(os.path.join(corpus, ".semgrepignore"), "w") as f:
            f.write(SEMGREPIGNORE)
        for label, rules in (("same facts", "semgrep-rules.yml"), ("5 fact kinds", "semgrep-rules-minimal.yml")):
            name = f"semgrep {SEMGREP_VERSION}, {label}, --jobs {j}"
            tools[name] = [
                sg, "scan", "--config", os.path.join(HERE, rules), "--jobs", j, "--metrics", "off",
                "--disable-version-check", "--quiet", "--json", "-o", os.path.join(outdir, rules.replace(".yml", ".json")),
                "--max-target-bytes", str(2 * 1024 * 1024), "--timeout", "0", "--no-git-ignore", ".",
            ]
            rounds[name] = a.semgrep_rounds
            cwds[name] = corpus
    res = {k: [] for k in tools}
    for r in range(max(rounds.values())):
        for name, cmd in tools.items():
            if r < rounds[name]:
                wall, cpu, rss, _ = run(cmd, cwds.get(name))
                res[name].append((wall, cpu, rss))
                print(f"round {r + 1}: {name}: {wall:.2f}s wall, {cpu:.2f}s cpu, {mib_mb(rss)}", file=sys.stderr)
    med = {k: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v), max(x[2] for x in v), len(v)) for k, v in res.items()}
    limit = min((v for k, v in med.items() if k.startswith("parse-only limit")), key=lambda v: v[0])
    scan = med["crossport scan"]
    load = os.getloadavg()
    print(f"\nCorpus: {files} Python files, {lines:,} lines, {size / 1e6:.1f} MB ({len(PACKAGES)} PyPI packages). "
          f"{os.cpu_count()} cores, --threads/--jobs {j}, load average at the end {load[0]:.1f}.\n")
    print("| tool | runs | wall (median) | CPU (median) | peak RSS | lines/s (wall) | limit / tool (wall) | tool / scan (wall) | tool / scan (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k, (w, c, m, n) in med.items():
        print(f"| {k} | {n} | {w:.2f} s | {c:.2f} s | {mib_mb(m)} | {lines / w / 1000:,.0f} k | {limit[0] / w:.2f}x | {w / scan[0]:.2f}x | {c / scan[1]:.2f}x |")
    print(f"\n(outputs in {outdir}; peak RSS is that of the largest single process)")


if __name__ == "__main__":
    main()
