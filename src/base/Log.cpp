#include "base/Log.h"

namespace ocellus::base {

bool setLogLevel(std::string_view level) {
  auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") return false;
  spdlog::set_level(lvl);
  return true;
}

std::uint64_t RateLimiter::allow(SteadyTime now) {
  const std::int64_t nowNs = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  const std::uint64_t count = pending_.fetch_add(1, std::memory_order_relaxed) + 1;
  std::int64_t next = nextAllowedNs_.load(std::memory_order_relaxed);
  if (nowNs < next) return 0;
  const std::int64_t newNext =
      nowNs + std::chrono::duration_cast<std::chrono::nanoseconds>(interval_).count();
  if (!nextAllowedNs_.compare_exchange_strong(next, newNext, std::memory_order_relaxed)) return 0;
  pending_.fetch_sub(count, std::memory_order_relaxed);
  return count;
}

}  // namespace ocellus::base
