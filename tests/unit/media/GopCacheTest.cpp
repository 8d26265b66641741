#include "media/GopCache.h"

#include <gtest/gtest.h>

namespace ocellus::media {
namespace {

UnitPtr makeUnit(std::uint32_t track, bool key) {
  auto u = UnitPool::forThisThread().acquire();
  u->track = track;
  u->keyframe = key;
  u->data.assign(10, 0);
  return u;
}

TEST(GopCacheTest, StartsAtKeyframeAndRestartsAtTheNext) {
  GopCache gop(0);
  gop.push(makeUnit(0, false));
  gop.push(makeUnit(1, false));
  EXPECT_TRUE(gop.units().empty());
  gop.push(makeUnit(0, true));
  gop.push(makeUnit(1, false));
  gop.push(makeUnit(0, false));
  EXPECT_EQ(gop.units().size(), 3u);
  gop.push(makeUnit(0, true));
  ASSERT_EQ(gop.units().size(), 1u);
  EXPECT_TRUE(gop.units()[0]->keyframe);
}

TEST(GopCacheTest, AudioOnlyStreamsCacheNothing) {
  GopCache gop(-1);
  gop.push(makeUnit(0, true));
  EXPECT_TRUE(gop.units().empty());
}

TEST(GopCacheTest, OverlongGopIsDroppedUntilNextKeyframe) {
  GopCache gop(0);
  gop.push(makeUnit(0, true));
  for (std::size_t i = 0; i < GopCache::kMaxUnits + 1; ++i) gop.push(makeUnit(0, false));
  EXPECT_TRUE(gop.units().empty());
  gop.push(makeUnit(0, false));
  EXPECT_TRUE(gop.units().empty());
  gop.push(makeUnit(0, true));
  EXPECT_EQ(gop.units().size(), 1u);
}

}  // namespace
}  // namespace ocellus::media
