#pragma once

// What the load clients (rtmp_load, hls_load) share to write their one JSON line: percentiles of a
// sample set, JSON strings, and the descriptor limit raised for one socket per client.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/Measure.h"

namespace ocellus::bench {

struct Percentiles {
  std::size_t samples = 0;
  double p50 = 0, p99 = 0, max = 0;
};

// Nearest rank (Measure.h's percentile()).
inline Percentiles percentiles(std::vector<double> v) {
  Percentiles p;
  p.samples = v.size();
  if (v.empty()) return p;
  p.p50 = percentile(v, 50);
  p.p99 = percentile(v, 99);
  p.max = *std::max_element(v.begin(), v.end());
  return p;
}

inline std::string jsonString(std::string_view s) {
  std::string r = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') r += '\\';
    if (static_cast<unsigned char>(ch) >= 0x20) r += ch;
  }
  return r + "\"";
}

inline std::string jsonPercentiles(const Percentiles& p) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "{\"samples\":%zu,\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}", p.samples, p.p50, p.p99,
                p.max);
  return buf;
}

// {"reason":count,…}
template <typename Map>
std::string jsonCounts(const Map& counts) {
  std::string out = "{";
  for (const auto& [reason, count] : counts)
    out += (out.size() > 1 ? "," : "") + jsonString(reason) + ":" + std::to_string(count);
  return out + "}";
}

// One descriptor per client: the soft limit up to the hard one.
inline void raiseNofile() {
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
}

}  // namespace ocellus::bench
