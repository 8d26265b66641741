#include "rtp/KeyframeScheduler.h"

#include <gtest/gtest.h>

namespace ocellus::rtp {
namespace {

using namespace std::chrono_literals;

const base::SteadyTime t0 = base::SteadyTime{} + 1h;

TEST(KeyframeSchedulerTest, AsksOncePerIntervalWhileTheSenderSendsNoKeyframe) {
  KeyframeScheduler keyframes(2000ms);
  EXPECT_FALSE(keyframes.due(t0));  // the interval starts here
  EXPECT_FALSE(keyframes.due(t0 + 1999ms));
  EXPECT_TRUE(keyframes.due(t0 + 2000ms));
  EXPECT_FALSE(keyframes.due(t0 + 2020ms));  // asked: not again on the next tick
  EXPECT_FALSE(keyframes.due(t0 + 3999ms));
  EXPECT_TRUE(keyframes.due(t0 + 4000ms));  // unanswered: asked again
}

TEST(KeyframeSchedulerTest, KeyframesRestartTheInterval) {
  KeyframeScheduler keyframes(2000ms);
  EXPECT_FALSE(keyframes.due(t0));
  keyframes.onKeyframe(t0 + 1500ms);  // e.g. answering a viewer's PLI
  EXPECT_FALSE(keyframes.due(t0 + 2000ms));
  EXPECT_FALSE(keyframes.due(t0 + 3499ms));
  EXPECT_TRUE(keyframes.due(t0 + 3500ms));
  keyframes.onKeyframe(t0 + 3600ms);
  EXPECT_FALSE(keyframes.due(t0 + 5000ms));
}

TEST(KeyframeSchedulerTest, ASenderWithShortGopsIsNeverAsked) {
  KeyframeScheduler keyframes(2000ms);
  for (auto t = t0; t < t0 + 60s; t += 20ms) {
    if ((t - t0) % 1000ms == 0ms) keyframes.onKeyframe(t);  // a 1 s GOP
    EXPECT_FALSE(keyframes.due(t));
  }
}

TEST(KeyframeSchedulerTest, AKeyframeBeforeTheFirstCheckStartsTheInterval) {
  KeyframeScheduler keyframes(2000ms);
  keyframes.onKeyframe(t0);
  EXPECT_FALSE(keyframes.due(t0 + 1000ms));
  EXPECT_TRUE(keyframes.due(t0 + 2000ms));
}

}  // namespace
}  // namespace ocellus::rtp
