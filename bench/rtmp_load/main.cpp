// rtmp_load — N RTMP players on one io_context per thread; one line of JSON at the end.
//   rtmp_load --url rtmp://127.0.0.1:1935/live/bench --players 1000 --duration 15
// Field meanings: bench/README.md.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "LoadClient.h"
#include "common/Flags.h"

namespace {

constexpr const char* kUsage =
    "usage: rtmp_load --url rtmp://HOST[:PORT]/APP/STREAM [--players N=10] [--threads T=1] [--duration S=15]\n"
    "                 [--warmup S=2] [--inflight N=50] [--timeout S=10] [--ramp-timeout S=60] [--fps F=30]\n"
    "                 [--lag-ms MS=1000] [--full-rate SHARE=0.9]\n";

// rtmp://HOST[:PORT]/APP/STREAM → host, port (1935), app and stream.
bool parseUrl(ocellus::bench::rtmp::Options& o) {
  const auto url = ocellus::bench::parseUrl(o.url, "rtmp://", 1935);
  if (!url) return false;
  const std::string_view path = std::string_view(url->path).substr(1);
  const auto split = path.find('/');
  if (split == std::string_view::npos || split == 0 || split + 1 == path.size()) return false;
  o.host = url->host;
  o.port = url->port;
  o.app = path.substr(0, split);
  o.stream = path.substr(split + 1);
  return true;
}



}  // namespace

int main(int argc, char** argv) {
  using namespace ocellus::bench;
  rtmp::Options o;
  const bool ok = parseFlags(argc, argv, [&](std::string_view a, const char* v) {
    if (a == "--url") o.url = v;
    else if (a == "--players") o.players = std::atoi(v);
    else if (a == "--threads") o.threads = std::atoi(v);
    else if (a == "--duration") o.durationS = std::atof(v);
    else if (a == "--warmup") o.warmupS = std::atof(v);
    else if (a == "--inflight") o.inflight = std::atoi(v);
    else if (a == "--timeout") o.timeoutS = std::atof(v);
    else if (a == "--ramp-timeout") o.rampTimeoutS = std::atof(v);
    else if (a == "--fps") o.fps = std::atof(v);
    else if (a == "--lag-ms") o.lagMs = std::atof(v);
    else if (a == "--full-rate") o.fullRate = std::atof(v);
    else return false;
    return true;
  });
  if (!ok || !parseUrl(o) || o.players < 1 || o.threads < 1 || o.inflight < 1 || o.durationS <= 0 || o.fps <= 0) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  raiseNofile();

  const rtmp::Report r = rtmp::runLoad(o);

  const std::string failures = jsonCounts(r.failures);
  const double mbit = r.windowS > 0 ? static_cast<double>(r.bytes) * 8 / r.windowS / 1e6 : 0;
  std::printf(
      "{\"url\":%s,\"players\":%d,\"threads\":%d,\"connected\":%d,\"failed\":%d,\"failures\":%s,\"closed_early\":%d,"
      "\"window_s\":%.3f,\"bytes\":%llu,\"mbit_s\":%.1f,\"video_messages\":%llu,\"audio_messages\":%llu,"
      "\"other_messages\":%llu,\"full_rate\":%d,\"stalled\":%d,\"lagging\":%d,\"ts_dropped\":%llu,"
      "\"ts_gap_events\":%llu,\"players_with_gaps\":%d,"
      "\"video_per_s_per_player\":{\"min\":%.2f,\"median\":%.2f,\"max\":%.2f},"
      "\"kbit_s_per_player\":{\"min\":%.1f,\"median\":%.1f},\"lateness_ms\":%s,\"first_video_ms\":%s,"
      "\"client_cpu_pct\":%.1f}\n",
      jsonString(o.url).c_str(), o.players, o.threads, r.connected, r.failed, failures.c_str(), r.closedEarly,
      r.windowS, static_cast<unsigned long long>(r.bytes), mbit, static_cast<unsigned long long>(r.videoMessages),
      static_cast<unsigned long long>(r.audioMessages), static_cast<unsigned long long>(r.otherMessages), r.fullRate,
      r.stalled, r.lagging, static_cast<unsigned long long>(r.tsDropped),
      static_cast<unsigned long long>(r.tsGapEvents), r.playersWithGaps, r.videoPerPlayerMin, r.videoPerPlayerMedian,
      r.videoPerPlayerMax, r.kbitPerPlayerMin, r.kbitPerPlayerMedian, jsonPercentiles(r.lateness).c_str(),
      jsonPercentiles(r.firstVideo).c_str(), r.clientCpuPct);
  return r.connected > 0 ? 0 : 1;
}
