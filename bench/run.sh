#!/usr/bin/env bash
# Run every benchmark program and print its figures (ratios measured in the
# same run). usage: bench/run.sh BUILD_DIR
set -euo pipefail
BUILD=${1:-build}
for b in "$BUILD"/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b" "${DATA:-../shared/data}"
done
