#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS from its seed corpus (fuzz/corpus/<Name>), writing new
# inputs to a scratch folder under the build tree. Used by ctest (briefly) and scripts/fuzz.sh.
set -euo pipefail
bin="$1"; seconds="${2:-10}"
top="$(cd "$(dirname "$0")/.." && pwd)"
name="${bin##*/fuzz_}"
work="$(dirname "$bin")/corpus-work/$name"; mkdir -p "$work"
seeds=(); [ -d "$top/fuzz/corpus/$name" ] && seeds=("$top/fuzz/corpus/$name")
exec "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$work" "${seeds[@]}"
