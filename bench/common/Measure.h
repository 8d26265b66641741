#pragma once

// What the in-process benchmarks (snapshot, record_ingest) measure with: process CPU, RSS,
// percentiles.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace ocellus::bench {

inline double ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// User + system CPU time of the whole process (every thread) so far, in milliseconds.
inline double processCpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto toMs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
  };
  return toMs(usage.ru_utime) + toMs(usage.ru_stime);
}

// The process's resident set now (VmRSS of /proc/self/status), in MB; 0 if unreadable.
inline double rssMb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;  // "VmRSS:  1234 kB"
  }
  return 0;
}

// Nearest rank, p in [0, 100]; 0 for no values.
inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(rank, v.size() - 1)];
}

}  // namespace ocellus::bench
