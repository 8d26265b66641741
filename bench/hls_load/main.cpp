// hls_load — N Low-Latency HLS clients on T io_contexts; one line of JSON at the end.
//   hls_load --url http://127.0.0.1:8080/bench/stream/index.m3u8 --clients 1000 --duration 15
// Field meanings: bench/README.md.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "LoadClient.h"
#include "common/Flags.h"

namespace {

constexpr const char* kUsage =
    "usage: hls_load --url http://HOST:PORT/PATH/index.m3u8 [--clients N=10] [--threads T=1] [--duration S=15] [--warmup S=3]\n"
    "                [--rate N/s=200] [--timeout S=10] [--ramp-timeout S=60] [--skip yes|no=yes] [--hints yes|no=no]\n";

// http://HOST:PORT/PATH → host, port and the request target.
bool parseUrl(ocellus::bench::hls::Options& o) {
  const auto url = ocellus::bench::parseUrl(o.url, "http://", 80);
  if (!url) return false;
  o.host = url->host;
  o.port = url->port;
  o.target = url->path;
  return true;
}



}  // namespace

int main(int argc, char** argv) {
  using namespace ocellus::bench;
  hls::Options o;
  const bool ok = parseFlags(argc, argv, [&](std::string_view a, const char* v) {
    if (a == "--url") o.url = v;
    else if (a == "--clients") o.clients = std::atoi(v);
    else if (a == "--threads") o.threads = std::atoi(v);
    else if (a == "--duration") o.durationS = std::atof(v);
    else if (a == "--warmup") o.warmupS = std::atof(v);
    else if (a == "--rate") o.rate = std::atof(v);
    else if (a == "--timeout") o.timeoutS = std::atof(v);
    else if (a == "--ramp-timeout") o.rampTimeoutS = std::atof(v);
    else if (a == "--skip" && (std::string_view(v) == "yes" || std::string_view(v) == "no")) o.skip = std::string_view(v) == "yes";
    else if (a == "--hints" && (std::string_view(v) == "yes" || std::string_view(v) == "no")) o.hints = std::string_view(v) == "yes";
    else return false;
    return true;
  });
  if (!ok || !parseUrl(o) || o.clients < 1 || o.threads < 1 || o.durationS <= 0 || o.rate <= 0) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  raiseNofile();

  const hls::Report r = hls::runLoad(o);

  const std::string errors = jsonCounts(r.errors);
  std::printf(
      "{\"url\":%s,\"clients\":%d,\"threads\":%d,\"started\":%d,\"failed\":%d,\"errors\":%s,\"restarts\":%d,\"window_s\":%.3f,"
      "\"requests\":%llu,\"bytes\":%llu,\"parts\":%llu,\"skipped_parts\":%llu,\"active_at_end\":%d,"
      "\"parts_per_s_per_client_median\":%.2f,\"part_delay_ms\":%s,\"reload_delay_ms\":%s,\"part_fetch_ms\":%s,"
      "\"media_delay_ms\":%s,\"client_cpu_pct\":%.1f}\n",
      jsonString(o.url).c_str(), r.clients, o.threads, r.started, r.failed, errors.c_str(), r.restarts, r.windowS,
      static_cast<unsigned long long>(r.requests), static_cast<unsigned long long>(r.bytes),
      static_cast<unsigned long long>(r.parts), static_cast<unsigned long long>(r.skippedParts), r.activeAtEnd,
      r.partsPerSPerClientMedian, jsonPercentiles(r.partDelay).c_str(), jsonPercentiles(r.reloadDelay).c_str(),
      jsonPercentiles(r.partFetch).c_str(), jsonPercentiles(r.mediaDelay).c_str(), r.clientCpuPct);
  return r.started > 0 ? 0 : 1;
}
