#include "codec/h265/ParameterSetCache.h"

#include <gtest/gtest.h>

#include "codec/AnnexB.h"
#include "unit/TestData.h"

namespace ocellus::codec::h265 {
namespace {

using Bytes = std::vector<std::uint8_t>;

// FFmpeg's SDP for tests/data/h265/testsrc_426x240.h265 (tests/data/rtp/h265_426x240.sdp).
constexpr std::string_view kVps = "QAEMAf//AWAAAAMAkAAAAwAAAwA8lZgJ";
constexpr std::string_view kSps = "QgEBAWAAAAMAkAAAAwAAAwA8oA2IDxyeWVmkkyvAWgIAAAMAAgAAAwAUEA==";
constexpr std::string_view kPps = "RAHBcrRiQA==";

Bytes unitOf(std::initializer_list<Bytes> nals) {
  Bytes unit;
  for (const auto& nal : nals) appendNal(nal, unit);
  return unit;
}

const Bytes kVpsNal = {0x40, 0x01, 0x0c};
const Bytes kSpsNal = {0x42, 0x01, 0x01};
const Bytes kPpsNal = {0x44, 0x01, 0xc1};
const Bytes kIdr = {0x26, 0x01, 0xaf};    // IDR_W_RADL
const Bytes kTrail = {0x02, 0x01, 0xd0};  // TRAIL_R
const Bytes kAud = {0x46, 0x01, 0x50};

TEST(ParameterSetCacheTest, ReadsAndWritesSprops) {
  const Bytes stream = test::readTestData("h265/testsrc_426x240.h265");
  const auto nals = splitAnnexB(stream);
  ASSERT_GE(nals.size(), 3u);

  ParameterSetCache cache;
  ASSERT_TRUE(cache.addSprop(kVps));
  ASSERT_TRUE(cache.addSprop(kSps));
  ASSERT_TRUE(cache.addSprop(kPps));
  EXPECT_TRUE(std::ranges::equal(cache.vps(), nals[0]));
  EXPECT_TRUE(std::ranges::equal(cache.sps(), nals[1]));
  EXPECT_TRUE(std::ranges::equal(cache.pps(), nals[2]));
  EXPECT_EQ(cache.spropVps(), kVps);
  EXPECT_EQ(cache.spropSps(), kSps);
  EXPECT_EQ(cache.spropPps(), kPps);
}

TEST(ParameterSetCacheTest, SortsSetsByTypeWhateverTheAttribute) {
  ParameterSetCache cache;
  ASSERT_TRUE(cache.addSprop(std::string(kPps) + "," + std::string(kVps)));
  EXPECT_EQ(cache.spropVps(), kVps);
  EXPECT_EQ(cache.spropPps(), kPps);
  EXPECT_EQ(cache.spropSps(), "");
  EXPECT_FALSE(cache.addSprop("RAH!"));
  EXPECT_EQ(cache.spropPps(), kPps);
}

TEST(ParameterSetCacheTest, InsertsMissingParameterSetsBeforeTheFirstSlice) {
  ParameterSetCache cache;
  cache.observe(unitOf({kVpsNal, kSpsNal, kPpsNal, kIdr}));
  auto completed = cache.complete(unitOf({kAud, kIdr}));
  ASSERT_TRUE(completed);
  EXPECT_EQ(*completed, unitOf({kAud, kVpsNal, kSpsNal, kPpsNal, kIdr}));
  EXPECT_FALSE(cache.complete(unitOf({kTrail})));
  EXPECT_FALSE(cache.complete(unitOf({kVpsNal, kSpsNal, kPpsNal, kIdr})));
}

}  // namespace
}  // namespace ocellus::codec::h265
