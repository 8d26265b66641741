#include "auth/LoginThrottle.h"

#include <algorithm>

namespace ocellus::auth {
namespace {

// Keys are cut to a bounded length so a client cannot make one entry large.
constexpr std::size_t kMaxKeyLength = 128;

std::string ipKey(std::string_view remoteIp) {
  return std::string(remoteIp.substr(0, kMaxKeyLength));
}

std::string userKey(std::string_view username) {
  std::string key(username.substr(0, kMaxKeyLength));
  std::transform(key.begin(), key.end(), key.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return key;
}

}  // namespace

LoginThrottle::LoginThrottle(Options options)
    : options_(options), byIp_(options.maxEntries), byUser_(options.maxEntries) {}

std::chrono::seconds LoginThrottle::waitOf(Map& map, const std::string& key, base::SteadyTime now) {
  const Entry* e = map.find(key);
  if (e == nullptr || now >= e->lockedUntil) return std::chrono::seconds(0);
  const auto left = std::chrono::ceil<std::chrono::seconds>(e->lockedUntil - now);
  return std::max(left, std::chrono::seconds(1));
}

void LoginThrottle::fail(Map& map, const std::string& key, base::SteadyTime now) {
  Entry* e = map.find(key);
  if (e == nullptr) e = &map.put(key, Entry{});
  // A whole window without failures after the last lockout ended: start over. Measured from
  // the lockout's end, so waiting out even the longest lockout does not earn a fresh start.
  if (e->failures > 0 && now - std::max(e->lastFailure, e->lockedUntil) >= options_.window) *e = Entry{};
  ++e->failures;
  e->lastFailure = now;
  if (e->failures >= options_.maxFailures) {
    // firstLockout doubled per earlier lockout, capped; the shift stays small.
    const int shift = std::min(e->lockouts, 20);
    const auto lockout =
        std::min<std::chrono::seconds>(options_.firstLockout * (1LL << shift), options_.maxLockout);
    e->lockedUntil = now + lockout;
    ++e->lockouts;
  }
}

std::chrono::seconds LoginThrottle::check(std::string_view remoteIp, std::string_view username,
                                          base::SteadyTime now) {
  std::lock_guard lock(mutex_);
  std::chrono::seconds wait{0};
  if (!remoteIp.empty()) wait = std::max(wait, waitOf(byIp_, ipKey(remoteIp), now));
  if (!username.empty()) wait = std::max(wait, waitOf(byUser_, userKey(username), now));
  return wait;
}

void LoginThrottle::recordFailure(std::string_view remoteIp, std::string_view username,
                                  base::SteadyTime now) {
  std::lock_guard lock(mutex_);
  if (!remoteIp.empty()) fail(byIp_, ipKey(remoteIp), now);
  if (!username.empty()) fail(byUser_, userKey(username), now);
}

void LoginThrottle::recordSuccess(std::string_view remoteIp, std::string_view username) {
  std::lock_guard lock(mutex_);
  if (!remoteIp.empty()) byIp_.erase(ipKey(remoteIp));
  if (!username.empty()) byUser_.erase(userKey(username));
}

std::size_t LoginThrottle::trackedAddresses() const {
  std::lock_guard lock(mutex_);
  return byIp_.size();
}

std::size_t LoginThrottle::trackedUsernames() const {
  std::lock_guard lock(mutex_);
  return byUser_.size();
}

}  // namespace ocellus::auth
