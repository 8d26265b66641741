// api_load — the control plane under load on one thread; one line of JSON at the end.
//   api_load --http 127.0.0.1:8002 --rtsp 127.0.0.1:8554 --token JWT --camera cam1,cam2
//            --publisher-camera cam0 --active 1000 --rest-rps 100 --duration 15 --idle 10000
// Phases and field meanings: bench/README.md.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "ApiLoad.h"

namespace {

using namespace ocellus::bench::api;

constexpr const char* kUsage =
    "usage: api_load --http HOST:PORT --token JWT --camera ID[,ID…] [--rtsp HOST:PORT --publisher-camera ID]\n"
    "                [--active N=1000] [--rest-rps R=100] [--rest-connections N=4] [--duration S=15]\n"
    "                [--warmup S=2] [--toggle S=2] [--idle N=10000] [--idle-settle S=3] [--idle-hold S=5]\n"
    "                [--inflight N=100] [--timeout S=10] [--grace S=2]\n";

bool parseHostPort(std::string_view s, HostPort& out) {
  const auto colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const int port = std::atoi(std::string(s.substr(colon + 1)).c_str());
  if (port <= 0 || port > 65535) return false;
  out.host = std::string(s.substr(0, colon));
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') out.host = out.host.substr(1, out.host.size() - 2);
  out.port = static_cast<std::uint16_t>(port);
  return true;
}

// {"requested":…,"connected":…,"failed":…,"seconds":…,"failures":{…}`extra`}
std::string setupJson(const SetupStats& s, const std::string& extra = {}) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "{\"requested\":%d,\"connected\":%d,\"failed\":%d,\"seconds\":%.3f,\"failures\":",
                s.requested, s.connected, s.failed, s.seconds);
  return buf + toJson(s.failures) + extra + "}";
}

std::string reportJson(const Report& r) {
  char buf[512];
  std::string out = "{\"active\":" + setupJson(r.active);
  std::snprintf(buf, sizeof buf, ",\"window_s\":%.3f,\"client_cpu_pct\":%.1f,\"bad_messages\":%llu,\"disconnects\":%d",
                r.windowS, r.clientCpuPct, static_cast<unsigned long long>(r.badMessages), r.disconnects);
  out += buf;
  std::snprintf(buf, sizeof buf, ",\"rpc\":{\"calls\":%llu,\"errors\":%llu,\"unanswered\":%llu,\"latency_ms\":",
                static_cast<unsigned long long>(r.rpcCalls), static_cast<unsigned long long>(r.rpcErrors),
                static_cast<unsigned long long>(r.rpcUnanswered));
  out += buf + toJson(r.rpc) + ",\"arrival_latency_ms\":" + toJson(r.rpcArrival) +
         ",\"error_codes\":" + toJson(r.rpcErrorCodes) + "}";
  std::snprintf(buf, sizeof buf, ",\"rest\":{\"requests\":%llu,\"errors\":%llu,\"rps\":%.1f,\"latency_ms\":",
                static_cast<unsigned long long>(r.restRequests), static_cast<unsigned long long>(r.restErrors),
                r.windowS > 0 ? static_cast<double>(r.restRequests) / r.windowS : 0.0);
  out += buf + toJson(r.rest) + ",\"arrival_latency_ms\":" + toJson(r.restArrival) +
         ",\"failures\":" + toJson(r.restFailures) + "}";
  std::snprintf(buf, sizeof buf,
                ",\"notifications\":{\"toggles\":%d,\"expected\":%llu,\"delivered\":%llu,\"duplicates\":%llu,"
                "\"latency_ms\":",
                r.toggles, static_cast<unsigned long long>(r.notificationsExpected),
                static_cast<unsigned long long>(r.notificationsDelivered),
                static_cast<unsigned long long>(r.notificationsDuplicate));
  out += buf + toJson(r.notification) + ",\"arrival_latency_ms\":" + toJson(r.notificationArrival) +
         ",\"publish_failures\":" + toJson(r.publishFailures) + "}";
  out += ",\"send_lag_ms\":" + toJson(r.sendLag);
  std::snprintf(buf, sizeof buf, ",\"open_at_ready\":%d,\"open_at_end\":%d", r.idleOpenAtReady, r.idleOpenAtEnd);
  out += ",\"idle\":" + setupJson(r.idle, buf);
  return out + "}";
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  bool ok = true;
  for (int i = 1; i < argc && ok; ++i) {
    std::string_view a = argv[i];
    if (i + 1 >= argc) {
      ok = false;
      break;
    }
    const std::string v = argv[++i];
    if (a == "--http") ok = parseHostPort(v, o.http);
    else if (a == "--rtsp") ok = parseHostPort(v, o.rtsp);
    else if (a == "--token") o.token = v;
    else if (a == "--camera") {
      for (std::size_t pos = 0; pos <= v.size();) {
        const auto comma = std::min(v.find(',', pos), v.size());
        if (comma > pos) o.cameras.push_back(v.substr(pos, comma - pos));
        pos = comma + 1;
      }
    } else if (a == "--publisher-camera") o.publisherCamera = v;
    else if (a == "--active") o.active = std::atoi(v.c_str());
    else if (a == "--rest-rps") o.restRps = std::atof(v.c_str());
    else if (a == "--rest-connections") o.restConnections = std::atoi(v.c_str());
    else if (a == "--duration") o.durationS = std::atof(v.c_str());
    else if (a == "--warmup") o.warmupS = std::atof(v.c_str());
    else if (a == "--toggle") o.toggleS = std::atof(v.c_str());
    else if (a == "--idle") o.idle = std::atoi(v.c_str());
    else if (a == "--idle-settle") o.idleSettleS = std::atof(v.c_str());
    else if (a == "--idle-hold") o.idleHoldS = std::atof(v.c_str());
    else if (a == "--inflight") o.inflight = std::atoi(v.c_str());
    else if (a == "--timeout") o.timeoutS = std::atof(v.c_str());
    else if (a == "--grace") o.graceS = std::atof(v.c_str());
    else ok = false;
  }
  ok = ok && o.http.port != 0 && !o.token.empty() && !o.cameras.empty() && o.active >= 0 && o.idle >= 0 &&
       o.restRps >= 0 && o.restConnections > 0 && o.durationS > 0 && o.toggleS > 0 && o.inflight > 0 &&
       (o.publisherCamera.empty() || o.rtsp.port != 0);
  if (!ok) {
    std::fputs(kUsage, stderr);
    return 2;
  }

  // One descriptor per connection: 10,000 idle ones need more than the usual soft limit.
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }

  try {
    ApiLoad load(o);
    const Report r = load.run();
    std::printf("%s\n", reportJson(r).c_str());
    return r.active.connected > 0 || r.idle.connected > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "api_load: %s\n", e.what());
    return 2;
  }
}
