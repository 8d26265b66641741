#include "auth/RateLimiter.h"

#include <algorithm>

namespace ocellus::auth {

RateDecision RateLimiter::take(const std::string& key, double capacity, double refillPerSecond,
                               base::SteadyTime now) {
  std::lock_guard lock(mutex_);
  TokenBucket* bucket = buckets_.find(key);
  if (bucket == nullptr) {
    bucket = &buckets_.put(key, TokenBucket(capacity, refillPerSecond, now));
  } else if (bucket->capacity() != std::max(1.0, capacity) || bucket->refillPerSecond() != refillPerSecond) {
    bucket->reconfigure(capacity, refillPerSecond, now);
  }
  return bucket->take(now);
}

void RateLimiter::forget(const std::string& key) {
  std::lock_guard lock(mutex_);
  buckets_.erase(key);
}

std::size_t RateLimiter::size() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace ocellus::auth
