#include "codec/AnnexB.h"

#include <gtest/gtest.h>

#include "codec/NalUnits.h"
#include "codec/h264/Nal.h"
#include "unit/TestData.h"

namespace ocellus::codec {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::vector<Bytes> split(const Bytes& stream) {
  std::vector<Bytes> out;
  for (auto nal : splitAnnexB(stream)) out.emplace_back(nal.begin(), nal.end());
  return out;
}

TEST(AnnexBTest, SplitsOnThreeAndFourByteStartCodes) {
  const Bytes stream = {0, 0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x68, 0xce, 0, 0, 0, 1, 0x65, 0x88, 0x84};
  EXPECT_EQ(split(stream), (std::vector<Bytes>{{0x67, 0x42}, {0x68, 0xce}, {0x65, 0x88, 0x84}}));
}

TEST(AnnexBTest, IgnoresLeadingBytesTrailingZerosAndEmptyUnits) {
  const Bytes stream = {0xff, 0x12, 0, 0, 1, 0x09, 0xf0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0x41, 0x9a, 0, 0};
  EXPECT_EQ(split(stream), (std::vector<Bytes>{{0x09, 0xf0}, {0x41, 0x9a}}));
}

TEST(AnnexBTest, KeepsEmulationPreventionAndNonStartCodeZeros) {
  const Bytes stream = {0, 0, 1, 0x65, 0, 0, 3, 1, 0, 0, 2, 0xab};
  EXPECT_EQ(split(stream), (std::vector<Bytes>{{0x65, 0, 0, 3, 1, 0, 0, 2, 0xab}}));
}

TEST(AnnexBTest, FindsNothingWithoutStartCode) {
  EXPECT_TRUE(splitAnnexB(Bytes{}).empty());
  EXPECT_TRUE(splitAnnexB(Bytes{0, 0}).empty());
  EXPECT_TRUE(splitAnnexB(Bytes{0x67, 0x42, 0, 0, 2}).empty());
  EXPECT_TRUE(splitAnnexB(Bytes{0, 0, 1}).empty());
}

TEST(AnnexBTest, ConvertsToCanonicalForm) {
  const Bytes stream = {0, 0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x68};
  Bytes out = {0xaa};  // appends
  annexBToCanonical(stream, out);
  EXPECT_EQ(out, (Bytes{0xaa, 0, 0, 0, 2, 0x67, 0x42, 0, 0, 0, 1, 0x68}));
}

TEST(AnnexBTest, AppendsAnnexBThatSplitsBackIntoTheSameNalUnits) {
  Bytes out = {0xaa};  // appends
  appendAnnexB(Bytes{0x67, 0x42}, out);
  appendAnnexB(Bytes{0x65, 0, 0, 3, 1}, out);
  EXPECT_EQ(out, (Bytes{0xaa, 0, 0, 0, 1, 0x67, 0x42, 0, 0, 0, 1, 0x65, 0, 0, 3, 1}));
  EXPECT_EQ(split(out), (std::vector<Bytes>{{0x67, 0x42}, {0x65, 0, 0, 3, 1}}));
}

// tests/data/h264/testsrc_320x240.h264: x264 baseline, 10 frames, one slice per frame.
TEST(AnnexBTest, SplitsARealStreamIntoItsNalUnits) {
  const Bytes stream = test::readTestData("h264/testsrc_320x240.h264");
  ASSERT_FALSE(stream.empty());
  const auto nals = splitAnnexB(stream);
  std::vector<int> types;
  std::size_t payload = 0;
  for (auto nal : nals) {
    types.push_back(static_cast<int>(h264::nalType(nal[0])));
    payload += nal.size();
  }
  EXPECT_EQ(types, (std::vector<int>{7, 8, 6, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
  // x264 writes four-byte start codes before the SPS, the PPS and the 9 P slices, three-byte
  // ones before the SEI and the IDR slice: the leading zero bytes must not stay in the units.
  EXPECT_EQ(stream.size(), payload + 3 * nals.size() + 11);

  Bytes canonical;
  annexBToCanonical(stream, canonical);
  EXPECT_EQ(canonical.size(), payload + 4 * nals.size());
  NalUnits units(canonical);
  EXPECT_TRUE(units.valid());
  EXPECT_TRUE(std::equal(units.begin(), units.end(), nals.begin(), nals.end(),
                         [](auto a, auto b) { return a.data() != b.data() && std::ranges::equal(a, b); }));
}

}  // namespace
}  // namespace ocellus::codec
