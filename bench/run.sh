#!/usr/bin/env bash
# `make bench`: every benchmark in bench/ with modest defaults; each prints a markdown table.
#   bash bench/run.sh [BUILD_DIR=build/release]
# Environment: BENCH_READERS (10,100,500,1000), BENCH_VIEWERS (100,500,1000,2000,3000),
# BENCH_PLAYERS (100,500,1000,2000 RTMP players), BENCH_HLS_CLIENTS (100,500,1000 LL-HLS clients),
# BENCH_WINDOW (10 s), BENCH_REPEAT (1), BENCH_SNAPSHOTS (100 single snapshots per size),
# BENCH_SNAPSHOT_ROUNDS (30 rounds of 20 concurrent snapshots per size), BENCH_CAMERAS (50,100,200
# recorded cameras), BENCH_RECORD_DIR (/var/tmp: a folder on the disk recordings would use).
# Full-length figures for docs/performance.md: BENCH_WINDOW=15 BENCH_REPEAT=3.
# The dashboard benchmark needs root (a network namespace) and the dashboard served by ocellus, or
# OCELLUS_WEB_DIR=web/dist (a `npm run build` output the browser answers / and /assets/* from).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}

for target in rtsp_load api_load webrtc_load rtmp_load hls_load snapshot_bench record_ingest srtp_bench; do
  if [[ ! -x "$build/bench/${target%_bench}" ]]; then
    cmake --build "$build" --target "$target"
  fi
done
ulimit -n "$(ulimit -Hn)"  # one descriptor per reader or connection, in the clients and in the servers

echo "== rtsp_fanout (bench/README.md) =="
/usr/bin/python3 bench/rtsp_fanout.py --build "$build" \
  --readers "${BENCH_READERS:-10,100,500,1000}" --window "${BENCH_WINDOW:-10}" --repeat "${BENCH_REPEAT:-1}"

echo
echo "== webrtc_fanout (bench/README.md) =="
/usr/bin/python3 bench/webrtc_fanout.py --build "$build" \
  --viewers "${BENCH_VIEWERS:-100,500,1000,2000,3000}" --window "${BENCH_WINDOW:-10}" --repeat "${BENCH_REPEAT:-1}"

echo
echo "== rtmp_fanout (bench/README.md) =="
/usr/bin/python3 bench/rtmp_fanout.py --build "$build" \
  --players "${BENCH_PLAYERS:-100,500,1000,2000}" --window "${BENCH_WINDOW:-10}" --repeat "${BENCH_REPEAT:-1}"

echo
echo "== hls_fanout (bench/README.md) =="
/usr/bin/python3 bench/hls_fanout.py --build "$build" \
  --clients "${BENCH_HLS_CLIENTS:-100,500,1000}" --window "${BENCH_WINDOW:-10}" --repeat "${BENCH_REPEAT:-1}"

echo
echo "== api_load (bench/README.md) =="
/usr/bin/python3 bench/api_load.py --build "$build" --duration "${BENCH_WINDOW:-10}" --repeat "${BENCH_REPEAT:-1}"

echo
echo "== snapshot (bench/README.md) =="
"$build/bench/snapshot" --samples "${BENCH_SNAPSHOTS:-100}" --rounds "${BENCH_SNAPSHOT_ROUNDS:-30}"

echo
echo "== record_ingest (bench/README.md) =="
"$build/bench/record_ingest" --cameras "${BENCH_CAMERAS:-50,100,200}" --seconds "${BENCH_WINDOW:-10}" \
  --repeat "${BENCH_REPEAT:-1}" --dir "${BENCH_RECORD_DIR:-/var/tmp}"

echo
echo "== dashboard (bench/README.md) =="
OCELLUS_BIN="$build/ocellus" node bench/dashboard/dashboard.mjs --window "${BENCH_WINDOW:-10}"

echo
echo "== srtp (bench/README.md) =="
"$build/bench/srtp"
