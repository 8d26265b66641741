#!/usr/bin/env bash
# Installs every Debian and npm package Ocellus needs to build, test, benchmark and demo.
# Idempotent and quiet when everything is already there. Used by `make deps`, `make demo`,
# `make test` (and so by CI). Nothing is downloaded from anywhere but Debian and npm.
set -euo pipefail

# Build toolchain and libraries (DESIGN §9).
build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsrtp2-dev libsodium-dev
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
  libsqlite3-dev libpq-dev libhiredis-dev
  libspdlog-dev libfmt-dev libyaml-cpp-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsrt-openssl-dev libnice-dev
)
# Real third-party clients, fake cameras and peers used by the tests and benchmarks (LAB.md).
test_pkgs=(
  ffmpeg
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
  gstreamer1.0-rtsp gstreamer1.0-x python3-gi gir1.2-gst-rtsp-server-1.0
  python3-pytest python3-requests python3-websockets python3-aiortc
  chromium nodejs
  nginx libnginx-mod-rtmp srt-tools nftables iproute2 ethtool procps prometheus janus
)

missing=()
for p in "${build_pkgs[@]}" "${test_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# npm ships inside some nodejs builds; Debian's separate npm package conflicts with those.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${#missing[@]} Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Front-end and browser-test packages from npm, pinned by the committed lockfile.
top="$(cd "$(dirname "$0")/.." && pwd)"
for dir in "$top/web" "$top/tests/browser" "$top/tests/openapi"; do
  if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules" -o "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    echo "deps: npm ci in ${dir#$top/}"
    (cd "$dir" && npm ci --silent --no-audit --no-fund)
    touch "$dir/node_modules"
  fi
done
