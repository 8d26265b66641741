#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

#include "auth/LruMap.h"
#include "base/Clock.h"

namespace ocellus::auth {

// Slows password guessing, per remote address and per username independently: after
// `maxFailures` failed logins, each less than `window` after the one before, the key is locked
// for `firstLockout`; every further failure doubles the lockout up to `maxLockout`. A success
// resets both keys; a `window` without failures (counted from the end of the last lockout)
// forgets a key. Memory is bounded: each
// of the two maps keeps at most `maxEntries` keys, dropping the least recently used.
// Thread-safe. Usernames are compared case-insensitively (ASCII).
class LoginThrottle {
 public:
  struct Options {
    int maxFailures = 5;
    std::chrono::seconds window{15 * 60};
    std::chrono::seconds firstLockout{30};
    std::chrono::seconds maxLockout{15 * 60};
    std::size_t maxEntries = 10000;
  };

  LoginThrottle() : LoginThrottle(Options{}) {}
  explicit LoginThrottle(Options options);

  // Whole seconds (rounded up) before this address or username may try again; 0 = go ahead.
  // An empty address or username is not tracked.
  std::chrono::seconds check(std::string_view remoteIp, std::string_view username, base::SteadyTime now);
  void recordFailure(std::string_view remoteIp, std::string_view username, base::SteadyTime now);
  void recordSuccess(std::string_view remoteIp, std::string_view username);

  std::size_t trackedAddresses() const;
  std::size_t trackedUsernames() const;

 private:
  struct Entry {
    int failures = 0;  // in the current run of failures
    int lockouts = 0;  // lockouts in the current run: the next one lasts firstLockout << lockouts
    base::SteadyTime lastFailure{};
    base::SteadyTime lockedUntil{};
  };
  using Map = LruMap<std::string, Entry>;

  std::chrono::seconds waitOf(Map& map, const std::string& key, base::SteadyTime now);
  void fail(Map& map, const std::string& key, base::SteadyTime now);

  const Options options_;
  mutable std::mutex mutex_;
  Map byIp_;    // guarded by mutex_
  Map byUser_;  // guarded by mutex_
};

}  // namespace ocellus::auth
