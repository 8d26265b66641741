#!/usr/bin/env bash
# `make fuzz`: every libFuzzer target in BUILD_DIR for SECONDS each.
set -uo pipefail
build="$1"; seconds="${2:-300}"
here="$(cd "$(dirname "$0")" && pwd)"
status=0
for bin in "$build"/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  echo "fuzz: ${bin##*/} for ${seconds}s"
  "$here/fuzz-one.sh" "$bin" "$seconds" >"$bin.log" 2>&1 || { echo "FAILED: see $bin.log"; tail -30 "$bin.log"; status=1; }
done
exit $status
