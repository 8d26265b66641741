#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/Clock.h"

namespace ocellus::base {

// A tag chain for log lines: "[rtsp] [conn 127.0.0.1:53022] [session 9f2] message".
// Cheap to copy; children extend the chain. Per-packet events are counters, not log lines.
class Logger {
 public:
  explicit Logger(std::string_view tag) : prefix_("[" + std::string(tag) + "] ") {}

  Logger child(std::string_view tag) const {
    Logger l(*this);
    l.prefix_ += "[" + std::string(tag) + "] ";
    return l;
  }
  const std::string& prefix() const { return prefix_; }

  template <typename... Args>
  void trace(fmt::format_string<Args...> f, Args&&... args) const {
    log(spdlog::level::trace, f, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void debug(fmt::format_string<Args...> f, Args&&... args) const {
    log(spdlog::level::debug, f, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void info(fmt::format_string<Args...> f, Args&&... args) const {
    log(spdlog::level::info, f, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void warn(fmt::format_string<Args...> f, Args&&... args) const {
    log(spdlog::level::warn, f, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void error(fmt::format_string<Args...> f, Args&&... args) const {
    log(spdlog::level::err, f, std::forward<Args>(args)...);
  }

 private:
  template <typename... Args>
  void log(spdlog::level::level_enum lvl, fmt::format_string<Args...> f, Args&&... args) const {
    if (!spdlog::should_log(lvl)) return;
    spdlog::log(lvl, "{}{}", prefix_, fmt::format(f, std::forward<Args>(args)...));
  }
  std::string prefix_;
};

// Sets the global level from "trace|debug|info|warn|error"; false if the name is unknown.
bool setLogLevel(std::string_view level);

// Lets a recurring event through at most once per interval and counts what it held back,
// so a flood (a slow reader, a malformed packet per second) becomes one line with a count.
// Thread-safe; the count is exact, the interval approximate under contention.
class RateLimiter {
 public:
  explicit RateLimiter(std::chrono::milliseconds interval = std::chrono::seconds(10)) : interval_(interval) {}

  // Returns how many events were suppressed since the last allowed one, plus one for this
  // event, when this one may be logged; 0 when it must be suppressed.
  std::uint64_t allow(SteadyTime now = Clock::system().now());

 private:
  std::chrono::milliseconds interval_;
  std::atomic<std::int64_t> nextAllowedNs_{0};
  std::atomic<std::uint64_t> pending_{0};
};

}  // namespace ocellus::base
