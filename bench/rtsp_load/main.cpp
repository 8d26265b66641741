// rtsp_load — N RTSP readers over TCP on one thread; one line of JSON at the end.
//   rtsp_load --url rtsp://127.0.0.1:8554/bench --readers 1000 --duration 15
// Field meanings: bench/README.md.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "LoadClient.h"

namespace {

constexpr const char* kUsage =
    "usage: rtsp_load --url rtsp://HOST:PORT/PATH [--readers N=10] [--duration S=15] [--warmup S=2]\n"
    "                 [--inflight N=50] [--timeout S=10] [--ramp-timeout S=60] [--keepalive S]\n";

std::string jsonString(std::string_view s) {
  std::string r = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') r += '\\';
    if (static_cast<unsigned char>(ch) >= 0x20) r += ch;
  }
  return r + "\"";
}

std::string jsonPercentiles(const ocellus::bench::Percentiles& p) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "{\"samples\":%zu,\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}", p.samples, p.p50, p.p99,
                p.max);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ocellus::bench;
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (i + 1 >= argc) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    const char* v = argv[++i];
    if (a == "--url") o.url = v;
    else if (a == "--readers") o.readers = std::atoi(v);
    else if (a == "--duration") o.durationS = std::atof(v);
    else if (a == "--warmup") o.warmupS = std::atof(v);
    else if (a == "--inflight") o.inflight = std::atoi(v);
    else if (a == "--timeout") o.handshakeTimeoutS = std::atof(v);
    else if (a == "--ramp-timeout") o.rampTimeoutS = std::atof(v);
    else if (a == "--keepalive") o.keepaliveS = std::atof(v);
    else {
      std::fputs(kUsage, stderr);
      return 2;
    }
  }
  auto url = parseUrl(o.url);
  if (!url || o.readers < 1 || o.inflight < 1 || o.durationS <= 0) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  o.target = *url;

  // One descriptor per reader.
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }

  LoadClient client(o);
  Report r = client.run();

  std::string failures = "{";
  for (auto& [reason, count] : r.failures)
    failures += (failures.size() > 1 ? "," : "") + jsonString(reason) + ":" + std::to_string(count);
  failures += "}";
  double mbit = r.windowS > 0 ? static_cast<double>(r.bytes) * 8 / r.windowS / 1e6 : 0;
  std::printf(
      "{\"url\":%s,\"readers\":%d,\"connected\":%d,\"failed\":%d,\"failures\":%s,\"closed_early\":%d,"
      "\"window_s\":%.3f,\"bytes\":%llu,\"mbit_s\":%.1f,\"rtp_packets\":%llu,"
      "\"frames_per_reader\":{\"min\":%llu,\"median\":%llu,\"max\":%llu},"
      "\"seq_lost\":%llu,\"seq_gap_events\":%llu,\"lateness_ms\":%s,\"first_packet_ms\":%s,"
      "\"client_cpu_pct\":%.1f}\n",
      jsonString(o.url).c_str(), o.readers, r.connected, r.failed, failures.c_str(), r.closedEarly, r.windowS,
      static_cast<unsigned long long>(r.bytes), mbit, static_cast<unsigned long long>(r.rtpPackets),
      static_cast<unsigned long long>(r.framesMin), static_cast<unsigned long long>(r.framesMedian),
      static_cast<unsigned long long>(r.framesMax), static_cast<unsigned long long>(r.seqLost),
      static_cast<unsigned long long>(r.seqGapEvents), jsonPercentiles(r.lateness).c_str(),
      jsonPercentiles(r.firstPacket).c_str(), r.clientCpuPct);
  return r.connected > 0 ? 0 : 1;
}
