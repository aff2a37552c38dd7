#!/usr/bin/env bash
# Every test crossport has: unit, snapshot and CLI tests, the wheel test, the real-world
# accuracy check against Flask and Django themselves (tests/accuracy/), and the back-test of the
# effort model on measured ports (tests/calibration/).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "run-all: cargo is missing (install Rust)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "run-all: python3 is missing" >&2; exit 2; }

# The never-runs-the-scanned-code test watches crossport under strace.
if ! command -v strace >/dev/null; then
    apt-get update -qq && apt-get install -y -qq strace >/dev/null
fi
# The HTML report test (tests/browser.rs) renders the report in headless Chromium.
if [ ! -x /usr/bin/chromium ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

cargo test --release --locked
cargo build --release --locked
# The reusable portfolio workflow: schema check (check-jsonschema, installed into a venv) and its
# steps run locally on three fixture repositories.
tests/portfolio_workflow.sh
# Packaging: the wheel (maturin, bindings = "bin") builds, installs into a fresh venv and runs.
tests/wheel.sh
# crossport port --verify on the Flask fixture (--to django) and the Django fixture (--to flask) with
# Django, Flask, SQLAlchemy and Alembic from PyPI
# (a virtualenv crossport creates and caches): 100% verified, no TODO; and TODOs counted when present.
python3 tests/port_verify.py --crossport target/release/crossport
python3 tests/accuracy/run.py --crossport target/release/crossport
# The effort model against measured ports (tests/calibration/): fails when a case leaves its
# range, and when the case folder is missing.
python3 tests/calibration/run.py "${CROSSPORT_CASES:-../shared/cases}" --check --crossport target/release/crossport
