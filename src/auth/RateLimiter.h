#pragma once

#include <cstddef>
#include <mutex>
#include <string>

#include "auth/LruMap.h"
#include "auth/TokenBucket.h"
#include "base/Clock.h"

namespace ocellus::auth {

// One token bucket per key (an API token id), created full on first use. Memory is bounded:
// past maxEntries the least recently used bucket is dropped — the key idle the longest, whose
// bucket has most likely refilled anyway. Thread-safe; the lock covers only map operations.
class RateLimiter {
 public:
  static constexpr std::size_t kDefaultMaxEntries = 10000;

  explicit RateLimiter(std::size_t maxEntries = kDefaultMaxEntries) : buckets_(maxEntries) {}

  // Takes one token from the key's bucket; a bucket whose limits differ from these (the
  // token's rate limit was edited) is reconfigured first.
  RateDecision take(const std::string& key, double capacity, double refillPerSecond, base::SteadyTime now);
  void forget(const std::string& key);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  LruMap<std::string, TokenBucket> buckets_;  // guarded by mutex_
};

}  // namespace ocellus::auth
