#include "auth/LoginThrottle.h"

#include <gtest/gtest.h>

namespace ocellus::auth {
namespace {

using namespace std::chrono_literals;

const base::SteadyTime t0 = base::SteadyTime(1000h);

TEST(LoginThrottleTest, LocksAfterFiveFailuresWithGrowingDelay) {
  LoginThrottle throttle;
  auto t = t0;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(throttle.check("10.0.0.1", "alice", t), 0s);
    throttle.recordFailure("10.0.0.1", "alice", t);
    t += 10s;
  }
  EXPECT_EQ(throttle.check("10.0.0.1", "alice", t), 0s);
  throttle.recordFailure("10.0.0.1", "alice", t);  // the fifth
  EXPECT_EQ(throttle.check("10.0.0.1", "alice", t), 30s);
  EXPECT_EQ(throttle.check("10.0.0.1", "alice", t + 29500ms), 1s);
  EXPECT_EQ(throttle.check("10.0.0.1", "alice", t + 30s), 0s);
  // Each further failure doubles the lockout: 60, 120, … capped at 15 minutes.
  std::chrono::seconds current = 30s;
  for (std::chrono::seconds expected : {60s, 120s, 240s, 480s, 900s, 900s, 900s}) {
    t += current + 1s;  // just after the lockout: still within the window
    EXPECT_EQ(throttle.check("10.0.0.1", "alice", t), 0s) << expected.count();
    throttle.recordFailure("10.0.0.1", "alice", t);
    EXPECT_EQ(throttle.check("10.0.0.1", "alice", t), expected);
    current = expected;
  }
  // A quiet window after the lockout ends forgets it all: five more tries before a 30 s lock.
  t += current + 15min;
  for (int i = 0; i < 4; ++i) throttle.recordFailure("10.0.0.1", "alice", t);
  EXPECT_EQ(throttle.check("10.0.0.1", "alice", t), 0s);
  throttle.recordFailure("10.0.0.1", "alice", t);
  EXPECT_EQ(throttle.check("10.0.0.1", "alice", t), 30s);
}

TEST(LoginThrottleTest, AddressAndUsernameCountSeparately) {
  LoginThrottle throttle;
  // One address trying five usernames is locked, and so is every username it then tries.
  for (int i = 0; i < 5; ++i) throttle.recordFailure("10.0.0.2", "user" + std::to_string(i), t0);
  EXPECT_EQ(throttle.check("10.0.0.2", "someone-else", t0), 30s);
  EXPECT_EQ(throttle.check("10.0.0.3", "user0", t0), 0s);
  // Five addresses trying one username lock the username everywhere.
  for (int i = 0; i < 5; ++i) throttle.recordFailure("192.168.0." + std::to_string(i), "bob", t0);
  EXPECT_EQ(throttle.check("172.16.0.1", "bob", t0), 30s);
  EXPECT_EQ(throttle.check("172.16.0.1", "BOB", t0), 30s);  // case does not escape it
  EXPECT_EQ(throttle.check("172.16.0.1", "carol", t0), 0s);
}

TEST(LoginThrottleTest, SuccessResets) {
  LoginThrottle throttle;
  for (int i = 0; i < 4; ++i) throttle.recordFailure("10.0.0.1", "alice", t0);
  throttle.recordSuccess("10.0.0.1", "alice");
  for (int i = 0; i < 4; ++i) throttle.recordFailure("10.0.0.1", "alice", t0);
  EXPECT_EQ(throttle.check("10.0.0.1", "alice", t0), 0s);
}

TEST(LoginThrottleTest, AQuietWindowForgets) {
  LoginThrottle throttle;
  for (int i = 0; i < 4; ++i) throttle.recordFailure("10.0.0.1", "alice", t0);
  throttle.recordFailure("10.0.0.1", "alice", t0 + 15min);  // the previous ones are forgotten
  EXPECT_EQ(throttle.check("10.0.0.1", "alice", t0 + 15min), 0s);
}

TEST(LoginThrottleTest, MemoryIsBounded) {
  LoginThrottle::Options options;
  options.maxEntries = 100;
  LoginThrottle throttle(options);
  for (int i = 0; i < 1000; ++i)
    throttle.recordFailure("ip" + std::to_string(i), "user" + std::to_string(i), t0);
  EXPECT_EQ(throttle.trackedAddresses(), 100u);
  EXPECT_EQ(throttle.trackedUsernames(), 100u);
}

}  // namespace
}  // namespace ocellus::auth
