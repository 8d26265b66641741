#include "media/ReaderQueue.h"

#include <gtest/gtest.h>

namespace ocellus::media {
namespace {

UnitPtr makeUnit(std::uint32_t track, bool key, std::size_t size = 100) {
  auto u = UnitPool::forThisThread().acquire();
  u->track = track;
  u->keyframe = key;
  u->data.assign(size, 0);
  return u;
}

TEST(ReaderQueueTest, OverflowDropsQueuedUnitsAndWaitsForKeyframe) {
  ReaderQueue q({.maxBytes = 1000, .maxAge = std::chrono::seconds(10)}, 0);
  const auto t = base::SteadyTime{} + std::chrono::seconds(1);
  EXPECT_TRUE(q.push(makeUnit(0, true), 400, t));
  EXPECT_TRUE(q.push(makeUnit(0, false), 400, t));
  EXPECT_FALSE(q.push(makeUnit(0, false), 400, t));  // 1200 > 1000: drop all, wait for keyframe
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.overflows(), 1u);
  EXPECT_FALSE(q.push(makeUnit(1, false), 10, t));  // audio while waiting is dropped too
  EXPECT_FALSE(q.push(makeUnit(0, false), 10, t));
  EXPECT_TRUE(q.push(makeUnit(0, true), 400, t));   // resumes at a keyframe
  EXPECT_EQ(q.droppedUnits(), 5u);
  std::vector<UnitPtr> out;
  q.takeAll(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0]->keyframe);
  EXPECT_EQ(q.bytes(), 0u);
}

TEST(ReaderQueueTest, OldestUnitTooOldTriggersDrop) {
  ReaderQueue q({.maxBytes = 1 << 20, .maxAge = std::chrono::milliseconds(500)}, 0);
  const auto t0 = base::SteadyTime{} + std::chrono::seconds(1);
  EXPECT_TRUE(q.push(makeUnit(0, true), 10, t0));
  EXPECT_TRUE(q.push(makeUnit(0, false), 10, t0 + std::chrono::milliseconds(400)));
  EXPECT_FALSE(q.push(makeUnit(0, false), 10, t0 + std::chrono::milliseconds(600)));
  EXPECT_TRUE(q.push(makeUnit(0, true), 10, t0 + std::chrono::milliseconds(700)));
}

TEST(ReaderQueueTest, AudioOnlyOverflowKeepsTheNewUnit) {
  ReaderQueue q({.maxBytes = 100, .maxAge = std::chrono::seconds(10)}, -1);
  const auto t = base::SteadyTime{} + std::chrono::seconds(1);
  EXPECT_TRUE(q.push(makeUnit(0, false), 60, t));
  EXPECT_TRUE(q.push(makeUnit(0, false), 60, t));  // overflow drops the first, keeps this one
  EXPECT_EQ(q.droppedUnits(), 1u);
  EXPECT_EQ(q.bytes(), 60u);
}

}  // namespace
}  // namespace ocellus::media
