#!/usr/bin/env bash
# The reusable GitHub Actions workflow (.github/workflows/crossport-portfolio.yml):
# 1. it and the README's example caller job validate against GitHub's workflow schema
#    (check-jsonschema from PyPI, installed here into a venv; the schema ships in the package,
#    so checking needs no network);
# 2. its steps run locally (tests/portfolio_workflow.py) on three fixture repositories, one of
#    them a monorepo, and the job summary holds the portfolio of all their applications.
# Needs target/release/crossport (tests/run-all.sh builds it first).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=target/release/crossport
[ -x "$BIN" ] || { echo "portfolio_workflow: $BIN is missing (cargo build --release)" >&2; exit 2; }
VENV=target/portfolio-venv
if ! "$VENV/bin/check-jsonschema" --version 2>/dev/null | grep -q "0.39.0"; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q check-jsonschema==0.39.0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows \
    .github/workflows/crossport-portfolio.yml
# The README's example: the yaml block after the <!-- portfolio-example --> marker.
awk '/<!-- portfolio-example -->/{on=1; next} on && /^```yaml/{inblk=1; next} inblk && /^```/{exit} inblk{print}' \
    README.md > "$WORK/readme-example.yml"
[ -s "$WORK/readme-example.yml" ] || { echo "portfolio_workflow: no example after <!-- portfolio-example --> in README.md" >&2; exit 1; }
"$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$WORK/readme-example.yml"
# The schema check must be able to fail: a job without runs-on or uses is rejected.
printf 'on: push\njobs:\n  broken:\n    steps:\n      - run: "true"\n' > "$WORK/broken.yml"
if "$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$WORK/broken.yml" >/dev/null 2>&1; then
    echo "portfolio_workflow: the schema check accepted an invalid workflow" >&2
    exit 1
fi

PATH="$PWD/target/release:$PATH" "$VENV/bin/python" tests/portfolio_workflow.py \
    .github/workflows/crossport-portfolio.yml "$WORK/run" \
    "acme/flask_blueprints=$PWD/fixtures/flask_blueprints" \
    "acme/django_basic=$PWD/fixtures/django_basic" \
    "acme/monorepo_services=$PWD/fixtures/monorepo_services"

SUMMARY="$WORK/run/step_summary.md"
grep -q '^## crossport portfolio' "$SUMMARY"
for name in acme/flask\\_blueprints acme/django\\_basic \
    acme/monorepo\\_services/billing acme/monorepo\\_services/notify acme/monorepo\\_services/catalog; do
    grep -qF "| $name |" "$SUMMARY" || { echo "portfolio_workflow: $name missing from the job summary" >&2; exit 1; }
done
if grep -qF '| acme/monorepo\_services |' "$SUMMARY"; then
    echo "portfolio_workflow: the monorepo is listed as a whole beside its applications" >&2
    exit 1
fi
"$VENV/bin/python" - "$WORK/run/portfolio" <<'EOF'
import json, sys
from pathlib import Path
d = Path(sys.argv[1])
p = json.loads((d / "portfolio.json").read_text())
names = [r["name"] for r in p["repositories"]]
assert len(names) == 5, names
assert not p["warnings"], p["warnings"]
# Every entry was planned, and the monorepo's billing and notify, which share a table, are in
# one group: the coupling names travelled through the per-job JSON.
assert all(r["direction"] and r["steps"] for r in p["repositories"]), p["repositories"]
by = {r["name"]: r for r in p["repositories"]}
assert by["acme/monorepo_services/billing"]["group"] == by["acme/monorepo_services/notify"]["group"]
assert by["acme/monorepo_services/catalog"]["group"] != by["acme/monorepo_services/notify"]["group"]
assert (d / "portfolio.html").read_text().startswith("<!DOCTYPE html>")
assert (d / "portfolio.csv").read_text().startswith("Issue ID,")
print("portfolio_workflow: ok,", len(names), "entries:", ", ".join(names))
EOF
