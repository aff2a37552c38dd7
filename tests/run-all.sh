#!/usr/bin/env bash
# Every test crossport has: unit + snapshot tests, then the real-world accuracy check.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --locked
