#!/usr/bin/env python3
"""Stand-in for the crossport binary to check run.py's plumbing:
`python3 tests/accuracy/run.py --crossport tests/accuracy/fake_crossport.py` must report
recall 0 everywhere and exit 1."""
import json
import sys

if len(sys.argv) < 2 or sys.argv[1] != "scan":
    sys.exit("usage: fake_crossport.py scan PATH --format json")
print(json.dumps({"schema_version": 1, "routes": [], "models": [], "admin": [], "jobs": []}))
