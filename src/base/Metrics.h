#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "base/Histogram.h"

namespace ocellus::base {

// A monotonically increasing counter; increments are relaxed atomics, safe from any thread.
class Counter {
 public:
  void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Process-wide named counters ("rtsp_malformed_requests_total"), exported by /metrics.
// Lookup takes a lock, so callers look a counter up once and keep the reference; the
// reference lives as long as the process. The hot path only touches the atomic.
class Metrics {
 public:
  static Metrics& global();

  Counter& counter(const std::string& name, const std::string& help = {});
  // A latency histogram exported cumulatively (Prometheus histogram, seconds); same rules.
  Histogram& histogram(const std::string& name, const std::string& help = {});
  // Calls fn(name, help, value) for every counter, sorted by name; fn must not call back in.
  void forEach(const std::function<void(const std::string&, const std::string&, std::uint64_t)>& fn) const;
  void forEachHistogram(const std::function<void(const std::string&, const std::string&, const Histogram&)>& fn) const;

 private:
  struct Entry {
    std::string help;
    Counter counter;
  };
  mutable std::mutex mutex_;
  struct HistogramEntry {
    std::string help;
    Histogram histogram;
  };
  std::map<std::string, Entry> counters_;  // guarded by mutex_; node addresses are stable
  std::map<std::string, HistogramEntry> histograms_;  // likewise
};

}  // namespace ocellus::base
