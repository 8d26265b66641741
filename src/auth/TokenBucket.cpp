#include "auth/TokenBucket.h"

#include <algorithm>
#include <cmath>

namespace ocellus::auth {

long long RateDecision::retryAfterSeconds() const {
  if (allowed) return 0;
  const long long ms = retryAfter.count();
  return std::max<long long>(1, (ms + 999) / 1000);
}

TokenBucket::TokenBucket(double capacity, double refillPerSecond, base::SteadyTime now)
    : capacity_(std::max(1.0, capacity)),
      refill_(std::max(0.0, refillPerSecond)),
      tokens_(capacity_),
      last_(now) {}

void TokenBucket::advance(base::SteadyTime now) {
  if (now <= last_) return;  // a steady clock does not go back; tolerate equal times
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(capacity_, tokens_ + elapsed * refill_);
  last_ = now;
}

double TokenBucket::available(base::SteadyTime now) const {
  if (now <= last_) return tokens_;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  return std::min(capacity_, tokens_ + elapsed * refill_);
}

RateDecision TokenBucket::take(base::SteadyTime now, double cost) {
  advance(now);
  if (tokens_ >= cost) {
    tokens_ -= cost;
    return {};
  }
  if (refill_ <= 0 || cost > capacity_) {
    return {false, std::chrono::duration_cast<std::chrono::milliseconds>(kNeverRefills)};
  }
  const double seconds = (cost - tokens_) / refill_;
  const auto ms = static_cast<long long>(std::ceil(seconds * 1000.0));
  return {false, std::chrono::milliseconds(std::max<long long>(1, ms))};
}

void TokenBucket::reconfigure(double capacity, double refillPerSecond, base::SteadyTime now) {
  advance(now);
  capacity_ = std::max(1.0, capacity);
  refill_ = std::max(0.0, refillPerSecond);
  tokens_ = std::min(tokens_, capacity_);
}

}  // namespace ocellus::auth
