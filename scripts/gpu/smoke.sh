#!/usr/bin/env bash
# CPU smoke test of decode_bench.py (not part of the Maven build): tiny sizes, the cache/rotary/GQA self-check, and a
# JSON line that parses. Seconds on any CPU with torch 1.13 or 2.x: ./scripts/gpu/smoke.sh [python]
set -euo pipefail
PYTHON="${1:-python3}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$("$PYTHON" "$HERE/decode_bench.py" --device cpu --layers 2 --small --self-check --steps 3 --warmup 1)"
echo "$out"
echo "$out" | grep '^JSON ' | sed 's/^JSON //' | "$PYTHON" -c '
import json, sys
r = json.load(sys.stdin)
assert [d["batch"] for d in r["decode"]] == [1, 2, 1, 2], r["decode"]
assert all(d["ms_per_step"] > 0 for d in r["decode"]) and r["prefill"]["ms_per_tile"] > 0
print("smoke OK: torch", r["torch"])'
