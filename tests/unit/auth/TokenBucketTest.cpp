#include "auth/TokenBucket.h"

#include <gtest/gtest.h>

#include "auth/RateLimiter.h"

namespace ocellus::auth {
namespace {

using namespace std::chrono_literals;

const base::SteadyTime t0 = base::SteadyTime(1000h);

TEST(TokenBucketTest, BurstThenRefill) {
  TokenBucket bucket(3, 1.0, t0);  // 3 at once, then one per second
  EXPECT_TRUE(bucket.take(t0).allowed);
  EXPECT_TRUE(bucket.take(t0).allowed);
  EXPECT_TRUE(bucket.take(t0).allowed);
  auto refused = bucket.take(t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retryAfter, 1000ms);
  EXPECT_EQ(refused.retryAfterSeconds(), 1);
  auto later = bucket.take(t0 + 400ms);
  EXPECT_FALSE(later.allowed);
  EXPECT_EQ(later.retryAfter, 600ms);
  EXPECT_EQ(later.retryAfterSeconds(), 1);
  EXPECT_TRUE(bucket.take(t0 + 1000ms).allowed);
  EXPECT_FALSE(bucket.take(t0 + 1000ms).allowed);
  // Never more than the capacity, however long it rests.
  EXPECT_TRUE(bucket.isFull(t0 + 1h));
  EXPECT_DOUBLE_EQ(bucket.available(t0 + 1h), 3.0);
}

TEST(TokenBucketTest, HourlyLimitGivesRetryAfterInSeconds) {
  TokenBucket bucket(10, 10.0 / 3600.0, t0);  // 10 per hour
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(bucket.take(t0).allowed);
  auto refused = bucket.take(t0);
  ASSERT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retryAfterSeconds(), 360);
  EXPECT_TRUE(bucket.take(t0 + 360s).allowed);
}

TEST(TokenBucketTest, ReconfigureKeepsTokensUpToTheNewCapacity) {
  TokenBucket bucket(10, 1, t0);
  bucket.reconfigure(2, 1, t0);
  EXPECT_TRUE(bucket.take(t0).allowed);
  EXPECT_TRUE(bucket.take(t0).allowed);
  EXPECT_FALSE(bucket.take(t0).allowed);
}

TEST(TokenBucketTest, ZeroRefillNeverComesBack) {
  TokenBucket bucket(1, 0, t0);
  EXPECT_TRUE(bucket.take(t0).allowed);
  auto r = bucket.take(t0 + 10h);
  EXPECT_FALSE(r.allowed);
  EXPECT_GT(r.retryAfterSeconds(), 3600);
}

TEST(RateLimiterTest, KeysAreIndependentAndBounded) {
  RateLimiter limiter(3);
  EXPECT_TRUE(limiter.take("a", 1, 0.001, t0).allowed);
  EXPECT_FALSE(limiter.take("a", 1, 0.001, t0).allowed);
  EXPECT_TRUE(limiter.take("b", 1, 0.001, t0).allowed);
  EXPECT_TRUE(limiter.take("c", 1, 0.001, t0).allowed);
  EXPECT_EQ(limiter.size(), 3u);
  EXPECT_TRUE(limiter.take("d", 1, 0.001, t0).allowed);  // drops "a", the least recently used
  EXPECT_EQ(limiter.size(), 3u);
  EXPECT_FALSE(limiter.take("d", 1, 0.001, t0).allowed);
  limiter.forget("d");
  EXPECT_TRUE(limiter.take("d", 1, 0.001, t0).allowed);
}

TEST(RateLimiterTest, ANewLimitTakesEffect) {
  RateLimiter limiter;
  EXPECT_TRUE(limiter.take("t", 1, 1.0 / 3600, t0).allowed);
  EXPECT_FALSE(limiter.take("t", 1, 1.0 / 3600, t0).allowed);
  // Raised to 3600/hour: refills one per second.
  EXPECT_FALSE(limiter.take("t", 3600, 1.0, t0).allowed);
  EXPECT_TRUE(limiter.take("t", 3600, 1.0, t0 + 1s).allowed);
}

}  // namespace
}  // namespace ocellus::auth
