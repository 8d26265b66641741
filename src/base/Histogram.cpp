#include "base/Histogram.h"

#include <bit>

namespace ocellus::base {

std::size_t Histogram::bucketOf(std::uint64_t micros) {
  if (micros < 4) return static_cast<std::size_t>(micros);
  const unsigned log = std::bit_width(micros) - 1;  // micros in [2^log, 2^(log+1))
  const auto sub = static_cast<std::size_t>((micros >> (log - 2)) & 3);
  const std::size_t bucket = 4 * (log - 1) + sub;
  return bucket < kBuckets ? bucket : kBuckets - 1;
}

std::uint64_t Histogram::upperBoundMicros(std::size_t bucket) {
  if (bucket < 4) return bucket + 1;
  const std::size_t log = bucket / 4 + 1;
  const std::size_t sub = bucket % 4;
  return (std::uint64_t{4} + sub + 1) << (log - 2);
}

std::uint64_t Histogram::countAtOrBelow(std::uint64_t micros) const {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < kBuckets && upperBoundMicros(i) <= micros; ++i) n += buckets_[i].load(std::memory_order_relaxed);
  return n;
}

std::uint64_t Histogram::count() const {
  std::uint64_t n = 0;
  for (const auto& b : buckets_) n += b.load(std::memory_order_relaxed);
  return n;
}

Histogram::Summary Histogram::takeSummary() {
  std::array<std::uint64_t, kBuckets> counts{};
  Summary s;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    counts[i] = buckets_[i].exchange(0, std::memory_order_relaxed);
    s.count += counts[i];
  }
  if (s.count == 0) return s;
  auto percentile = [&](double q) {
    const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(s.count - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      seen += counts[i];
      if (seen >= rank) return static_cast<double>(upperBoundMicros(i)) / 1000.0;
    }
    return static_cast<double>(upperBoundMicros(kBuckets - 1)) / 1000.0;
  };
  s.p50Ms = percentile(0.50);
  s.p99Ms = percentile(0.99);
  s.maxMs = percentile(1.0);
  return s;
}

}  // namespace ocellus::base
