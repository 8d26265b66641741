#pragma once

#include <chrono>

#include "base/Clock.h"

namespace ocellus::auth {

// What a rate limit answers: go ahead, or wait this long (the HTTP Retry-After, RFC 9110 §10.2.3).
struct RateDecision {
  bool allowed = true;
  std::chrono::milliseconds retryAfter{0};  // 0 when allowed

  // Whole seconds to put in Retry-After: rounded up, at least 1 when refused.
  long long retryAfterSeconds() const;
};

// A token bucket: holds up to `capacity` tokens, gains `refillPerSecond` per second, and each
// request takes one. Starts full, so a burst of `capacity` passes at once. Time is passed in,
// so tests drive it with a fake clock. Not thread-safe: RateLimiter guards its buckets.
class TokenBucket {
 public:
  // capacity >= 1 (smaller values are raised to 1); refillPerSecond >= 0.
  TokenBucket(double capacity, double refillPerSecond, base::SteadyTime now);

  RateDecision take(base::SteadyTime now, double cost = 1.0);
  double available(base::SteadyTime now) const;
  bool isFull(base::SteadyTime now) const { return available(now) >= capacity_; }
  // Changes the limits, keeping the tokens on hand (capped at the new capacity).
  void reconfigure(double capacity, double refillPerSecond, base::SteadyTime now);
  double capacity() const { return capacity_; }
  double refillPerSecond() const { return refill_; }

 private:
  // A bucket that never refills reports this wait.
  static constexpr std::chrono::hours kNeverRefills{24};

  void advance(base::SteadyTime now);

  double capacity_;
  double refill_;
  double tokens_;
  base::SteadyTime last_;
};

}  // namespace ocellus::auth
