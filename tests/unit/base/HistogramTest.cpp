#include "base/Histogram.h"

#include <gtest/gtest.h>

namespace ocellus::base {
namespace {

TEST(HistogramTest, BucketsAreMonotonicAndBoundTheirValues) {
  std::size_t last = 0;
  for (std::uint64_t us = 0; us < 5'000'000; us = us * 11 / 10 + 1) {
    const auto b = Histogram::bucketOf(us);
    EXPECT_GE(b, last);
    EXPECT_LT(us, Histogram::upperBoundMicros(b)) << us;
    if (b > 0) {
      EXPECT_GE(us, Histogram::upperBoundMicros(b - 1)) << us;
    }
    last = b;
  }
}

TEST(HistogramTest, PercentilesWithinABucketAndResetAfterSummary) {
  Histogram h;
  for (int i = 0; i < 98; ++i) h.record(200);   // 0.2 ms
  h.record(5000);                                // 5 ms
  h.record(20000);                               // 20 ms
  auto s = h.takeSummary();
  EXPECT_EQ(s.count, 100u);
  EXPECT_NEAR(s.p50Ms, 0.2, 0.05);
  EXPECT_NEAR(s.p99Ms, 5.0, 1.0);
  EXPECT_NEAR(s.maxMs, 20.0, 4.0);
  EXPECT_EQ(h.takeSummary().count, 0u);
}

}  // namespace
}  // namespace ocellus::base
