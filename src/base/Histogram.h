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

  void record(std::uint64_t micros) {
    buckets_[bucketOf(micros)].fetch_add(1, std::memory_order_relaxed);
    sumMicros_.fetch_add(micros, std::memory_order_relaxed);
  }
  // Percentiles of what was recorded since the last call, and starts over.
  Summary takeSummary();

  // For a cumulative export (Prometheus): how many recordings fell at or below `micros`
  // (rounded to the bucket containing it), the total count and the sum, since the start.
  // Only meaningful for a histogram nobody calls takeSummary() on.
  std::uint64_t countAtOrBelow(std::uint64_t micros) const;
  std::uint64_t count() const;
  std::uint64_t sumMicros() const { return sumMicros_.load(std::memory_order_relaxed); }

  static std::size_t bucketOf(std::uint64_t micros);
  static std::uint64_t upperBoundMicros(std::size_t bucket);

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> sumMicros_{0};
};

}  // namespace ocellus::base
