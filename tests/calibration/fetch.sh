#!/usr/bin/env bash
# Builds the case folder run.py reads, from the public repositories: for every case of
# cases.toml, clone the repository, take the tree at its `before_commit` and pack it as
# OUT/NAME.tar.gz (unpacking to NAME-before/), the layout of the team's ../shared/cases.
#
#   tests/calibration/fetch.sh OUT_DIR
#   tests/calibration/run.py OUT_DIR --check
#
# Needs git, tar and network access. The team's copies also leave out images and fonts; the
# effort model never reads those, so the results are the same.
set -euo pipefail
out="${1:?usage: fetch.sh OUT_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 - "$here/cases.toml" <<'PY' >"$tmp/cases.txt"
import sys, tomllib
for name, c in tomllib.load(open(sys.argv[1], "rb")).items():
    print(name, c["repo"], c["before_commit"])
PY

while read -r name repo commit; do
    if [ -f "$out/$name.tar.gz" ]; then
        echo "fetch: $name.tar.gz exists, kept"
        continue
    fi
    echo "fetch: $repo at $commit -> $name.tar.gz"
    git clone --quiet --filter=blob:none "https://github.com/$repo.git" "$tmp/$name"
    mkdir -p "$tmp/pack"
    git -C "$tmp/$name" archive --format=tar --prefix="$name-before/" "$commit" | tar -x -C "$tmp/pack"
    tar -czf "$out/$name.tar.gz" -C "$tmp/pack" "$name-before"
    rm -rf "$tmp/pack" "$tmp/$name"
done <"$tmp/cases.txt"
