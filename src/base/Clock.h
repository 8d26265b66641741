#pragma once

#include <chrono>
#include <cstdint>

namespace ocellus::base {

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

// Injectable clock: production code asks this, tests substitute a FakeClock (tests/fakes).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual SteadyTime now() const = 0;
  virtual WallTime wallNow() const = 0;

  // The process-wide real clock. Lives for the whole program.
  static const Clock& system();
};

inline std::int64_t wallMillis(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace ocellus::base
