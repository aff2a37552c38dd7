#!/usr/bin/env bash
# Packaging test: build the Python wheel that ships the crossport binary (maturin, bindings = "bin",
# pinned), install it into a fresh virtualenv, and run `crossport --version` and a scan from there.
# Called by tests/run-all.sh; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
MATURIN=maturin==1.16.0
VENVS=target/test-venvs
BUILD="$VENVS/maturin-1.16.0"
INSTALL="$VENVS/wheel-install"
OUT=target/wheel-test

if [ ! -x "$BUILD/bin/maturin" ]; then
    python3 -m venv --clear "$BUILD"
    "$BUILD/bin/pip" install --quiet --disable-pip-version-check "$MATURIN"
fi
rm -rf "$OUT"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}" \
    "$BUILD/bin/maturin" build --release --locked --out "$OUT" --compatibility linux 2>&1 | tail -n 5
wheel=$(ls "$OUT"/crossport-*.whl)
echo "wheel: $wheel"

python3 -m venv --clear "$INSTALL"
"$INSTALL/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
version=$("$INSTALL/bin/crossport" --version)
expected="crossport $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
[ "$version" = "$expected" ] || { echo "wheel: --version says '$version', expected '$expected'" >&2; exit 1; }
scan=$("$INSTALL/bin/crossport" scan fixtures/flask_blueprints --format json)
echo "$scan" | python3 -c 'import json,sys; d=json.load(sys.stdin); n=len(d["routes"]); assert n>0, "no routes"; print(f"wheel: scan found {n} routes")'
set +e
"$INSTALL/bin/crossport" check fixtures/flask_blueprints --format github >/dev/null
code=$?
set -e
[ "$code" = 1 ] || { echo "wheel: check exited $code, expected 1 (mandatory findings)" >&2; exit 1; }
echo "wheel: 1 passed, 0 failed"
