#include "rtp/SequenceTracker.h"

#include <gtest/gtest.h>

namespace ocellus::rtp {
namespace {

using Order = SequenceTracker::Order;

TEST(SequenceTrackerTest, ClassifiesArrivals) {
  SequenceTracker t;
  EXPECT_EQ(t.update(65534), Order::Next);
  EXPECT_EQ(t.update(65535), Order::Next);
  EXPECT_EQ(t.update(0), Order::Next);  // wraps
  EXPECT_EQ(t.update(0), Order::Old);   // duplicate
  EXPECT_EQ(t.update(3), Order::Gap);
  EXPECT_EQ(t.update(2), Order::Old);  // late
  EXPECT_EQ(t.update(4), Order::Next);
}

TEST(SequenceTrackerTest, TakesALargeJumpBackAsARestart) {
  SequenceTracker t;
  EXPECT_EQ(t.update(5000), Order::Next);
  EXPECT_EQ(t.update(4901), Order::Old);
  EXPECT_EQ(t.update(4900), Order::Gap);
  EXPECT_EQ(t.update(4901), Order::Next);
}

}  // namespace
}  // namespace ocellus::rtp
