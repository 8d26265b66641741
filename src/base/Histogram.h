#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace ocellus::base {

// A latency histogram for the hot path: recording is one relaxed atomic increment, from any
// thread. Buckets are log-linear (four per power of two of microseconds), so a percentile is
// exact to within 19%; values from 1 µs to about 16 s.
class Histogram {
 public:
  static constexpr std::size_t kBuckets = 4 * 24;

  struct Summary {
    std::uint64_t count = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
  };

  void record(std::uint64_t micros) { buckets_[bucketOf(micros)].fetch_add(1, std::memory_order_relaxed); }
  // Percentiles of what was recorded since the last call, and starts over.
  Summary takeSummary();

  static std::size_t bucketOf(std::uint64_t micros);
  static std::uint64_t upperBoundMicros(std::size_t bucket);

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
};

}  // namespace ocellus::base
