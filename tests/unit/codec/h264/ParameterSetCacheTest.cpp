#include "codec/h264/ParameterSetCache.h"

#include <gtest/gtest.h>

#include "codec/AnnexB.h"
#include "codec/NalUnits.h"
#include "unit/TestData.h"

namespace ocellus::codec::h264 {
namespace {

using Bytes = std::vector<std::uint8_t>;

// FFmpeg's SDP for tests/data/h264/testsrc_320x240.h264 (tests/data/rtp/h264_320x240.sdp).
constexpr std::string_view kSprop = "Z0LAC9kBQfsBEAAAAwAQAAADAUDxQqSA,aMuDyyA=";

Bytes unitOf(std::initializer_list<Bytes> nals) {
  Bytes unit;
  for (const auto& nal : nals) appendNal(nal, unit);
  return unit;
}

const Bytes kSps = {0x67, 0x42, 0xc0, 0x0b};
const Bytes kPps = {0x68, 0xcb};
const Bytes kIdr = {0x65, 0x88, 0x84};
const Bytes kSlice = {0x41, 0x9a};
const Bytes kAud = {0x09, 0xf0};
const Bytes kSei = {0x06, 0x05, 0x01};

TEST(ParameterSetCacheTest, ReadsAndWritesSpropParameterSets) {
  const Bytes stream = test::readTestData("h264/testsrc_320x240.h264");
  const auto nals = splitAnnexB(stream);
  ASSERT_GE(nals.size(), 2u);

  ParameterSetCache cache;
  ASSERT_TRUE(cache.addSprop(kSprop));
  EXPECT_TRUE(std::ranges::equal(cache.sps(), nals[0]));
  EXPECT_TRUE(std::ranges::equal(cache.pps(), nals[1]));
  EXPECT_EQ(cache.spropParameterSets(), kSprop);
}

TEST(ParameterSetCacheTest, LearnsInBandParameterSets) {
  ParameterSetCache cache;
  EXPECT_EQ(cache.spropParameterSets(), "");
  cache.observe(unitOf({kAud, kSps, kPps, kIdr}));
  EXPECT_TRUE(std::ranges::equal(cache.sps(), kSps));
  EXPECT_TRUE(std::ranges::equal(cache.pps(), kPps));
  const Bytes newerPps = {0x68, 0xce, 0x3c};
  cache.observe(unitOf({newerPps, kSlice}));
  EXPECT_TRUE(std::ranges::equal(cache.pps(), newerPps));
}

TEST(ParameterSetCacheTest, MalformedSpropLeavesTheCacheAlone) {
  ParameterSetCache cache;
  ASSERT_TRUE(cache.addSprop(kSprop));
  EXPECT_FALSE(cache.addSprop("Z0LA,@@@"));
  EXPECT_EQ(cache.spropParameterSets(), kSprop);
  EXPECT_TRUE(cache.addSprop(",,"));  // nothing in it
  EXPECT_EQ(cache.spropParameterSets(), kSprop);
}

TEST(ParameterSetCacheTest, InsertsMissingParameterSetsBeforeTheFirstSlice) {
  ParameterSetCache cache;
  cache.observe(unitOf({kSps, kPps, kIdr}));
  auto completed = cache.complete(unitOf({kAud, kSei, kIdr}));
  ASSERT_TRUE(completed);
  EXPECT_EQ(*completed, unitOf({kAud, kSei, kSps, kPps, kIdr}));

  // Only the missing one is added.
  completed = cache.complete(unitOf({kSps, kIdr}));
  ASSERT_TRUE(completed);
  EXPECT_EQ(*completed, unitOf({kSps, kPps, kIdr}));
}

TEST(ParameterSetCacheTest, LeavesCompleteAndNonKeyUnitsAlone) {
  ParameterSetCache cache;
  EXPECT_FALSE(cache.complete(unitOf({kIdr})));  // nothing known yet
  cache.observe(unitOf({kSps, kPps}));
  EXPECT_FALSE(cache.complete(unitOf({kSps, kPps, kIdr})));
  EXPECT_FALSE(cache.complete(unitOf({kSlice})));
  EXPECT_TRUE(cache.complete(unitOf({kIdr})));
}

}  // namespace
}  // namespace ocellus::codec::h264
