#include "codec/h265/Sps.h"

#include <gtest/gtest.h>

#include "codec/AnnexB.h"
#include "codec/h265/Nal.h"
#include "unit/TestData.h"

namespace ocellus::codec::h265 {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes fromHex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

Bytes firstSps() {
  const Bytes stream = test::readTestData("h265/testsrc_426x240.h265");
  for (auto nal : splitAnnexB(stream)) {
    if (nalType(nal[0]) == NalType::Sps) return Bytes(nal.begin(), nal.end());
  }
  ADD_FAILURE() << "no SPS";
  return {};
}

// Expected values from FFmpeg's trace_headers on the same file (libx265, Main, 432x240 coded).
TEST(SpsTest, ParsesX265MainWithConformanceWindow) {
  auto sps = Sps::parse(firstSps());
  ASSERT_TRUE(sps) << sps.error().describe();
  EXPECT_EQ(sps->profileSpace, 0);
  EXPECT_FALSE(sps->tierFlag);
  EXPECT_EQ(sps->profileIdc, 1);
  EXPECT_EQ(sps->profileCompatibilityFlags, 0x60000000u);  // flags 1 and 2
  EXPECT_EQ(sps->constraintFlags, 0x900000000000u);        // progressive_source, frame_only_constraint
  EXPECT_EQ(sps->levelIdc, 60);
  EXPECT_EQ(sps->chromaFormatIdc, 1u);
  EXPECT_EQ(sps->width, 426u);  // 432 minus conf_win_right_offset 3 chroma samples
  EXPECT_EQ(sps->height, 240u);
  EXPECT_EQ(sps->bitDepthLuma, 8u);
}

// libx265 with yuv444p10le and temporal-layers=1 (sps_max_sub_layers_minus1 1): the window
// counts luma samples in 4:4:4; 208x104 coded, 202x100 shown.
TEST(SpsTest, ParsesSubLayersAnd444TenBit) {
  auto sps = Sps::parse(fromHex(
      "4201020408000003009c0800000300001e00009003440d39e56cb2b3159a4932bc05a02000000300200000030321"));
  ASSERT_TRUE(sps) << sps.error().describe();
  EXPECT_EQ(sps->profileIdc, 4);
  EXPECT_EQ(sps->levelIdc, 30);
  EXPECT_EQ(sps->chromaFormatIdc, 3u);
  EXPECT_EQ(sps->bitDepthLuma, 10u);
  EXPECT_EQ(sps->bitDepthChroma, 10u);
  EXPECT_EQ(sps->width, 202u);
  EXPECT_EQ(sps->height, 100u);
}

TEST(SpsTest, RejectsOtherNalUnitsAndTruncation) {
  EXPECT_FALSE(Sps::parse(Bytes{0x42}));
  EXPECT_FALSE(Sps::parse(Bytes{0x40, 0x01, 0x0c}));  // a VPS
  const Bytes full = firstSps();
  for (std::size_t n = 2; n < 20; ++n) {
    auto sps = Sps::parse(std::span(full).first(n));
    ASSERT_FALSE(sps) << n;
    EXPECT_EQ(sps.error().code, base::ErrorCode::Truncated) << n;
  }
}

TEST(SpsTest, RejectsSevenSubLayersOrMore) {
  Bytes nal = firstSps();
  nal[2] |= 0x0e;  // sps_max_sub_layers_minus1 = 7
  EXPECT_EQ(Sps::parse(nal).error().code, base::ErrorCode::Malformed);
}

}  // namespace
}  // namespace ocellus::codec::h265
