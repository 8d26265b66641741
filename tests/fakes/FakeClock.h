#pragma once

#include <chrono>

#include "base/Clock.h"

namespace ocellus::test {

// A clock the test moves by hand; steady and wall time advance together.
class FakeClock final : public base::Clock {
 public:
  base::SteadyTime now() const override { return steady_; }
  base::WallTime wallNow() const override { return wall_; }
  void advance(std::chrono::milliseconds d) {
    steady_ += d;
    wall_ += d;
  }

 private:
  base::SteadyTime steady_ = base::SteadyTime(std::chrono::hours(1000));
  base::WallTime wall_ = base::WallTime(std::chrono::seconds(1'700'000'000));
};

}  // namespace ocellus::test
