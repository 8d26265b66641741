#include "codec/h264/Sps.h"

#include <gtest/gtest.h>

#include "codec/AnnexB.h"
#include "codec/h264/Nal.h"
#include "unit/TestData.h"

namespace ocellus::codec::h264 {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes fromHex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// The first SPS of an Annex-B file under tests/data.
Bytes firstSps(const std::string& path) {
  const Bytes stream = test::readTestData(path);
  for (auto nal : splitAnnexB(stream)) {
    if (nalType(nal[0]) == NalType::Sps) return Bytes(nal.begin(), nal.end());
  }
  ADD_FAILURE() << "no SPS in " << path;
  return {};
}

// Expected values from ffprobe and FFmpeg's SDP (profile-level-id) for the same files.
TEST(SpsTest, ParsesX264ConstrainedBaseline) {
  auto sps = Sps::parse(firstSps("h264/testsrc_320x240.h264"));
  ASSERT_TRUE(sps) << sps.error().describe();
  EXPECT_EQ(sps->profileIdc, 66);
  EXPECT_EQ(sps->constraintFlags, 0xc0);
  EXPECT_EQ(sps->levelIdc, 11);
  EXPECT_EQ(sps->profileLevelId(), "42c00b");
  EXPECT_EQ(sps->chromaFormatIdc, 1u);
  EXPECT_EQ(sps->width, 320u);
  EXPECT_EQ(sps->height, 240u);
  EXPECT_TRUE(sps->frameMbsOnly);
  ASSERT_TRUE(sps->fps);
  EXPECT_DOUBLE_EQ(*sps->fps, 10.0);
}

TEST(SpsTest, ParsesX264High) {
  auto sps = Sps::parse(firstSps("h264/testsrc_1280x720_high.h264"));
  ASSERT_TRUE(sps) << sps.error().describe();
  EXPECT_EQ(sps->profileIdc, 100);
  EXPECT_EQ(sps->profileLevelId(), "64001f");
  EXPECT_EQ(sps->bitDepthLuma, 8u);
  EXPECT_EQ(sps->bitDepthChroma, 8u);
  EXPECT_EQ(sps->width, 1280u);
  EXPECT_EQ(sps->height, 720u);
  ASSERT_TRUE(sps->fps);
  EXPECT_DOUBLE_EQ(*sps->fps, 10.0);
}

// Field-coded: 6 map units of 32 lines (192) cropped by 3 units of 4 lines to 180.
TEST(SpsTest, ParsesInterlacedWithCropping) {
  auto sps = Sps::parse(firstSps("h264/testsrc_320x180_interlaced.h264"));
  ASSERT_TRUE(sps) << sps.error().describe();
  EXPECT_EQ(sps->profileLevelId(), "4d4015");
  EXPECT_FALSE(sps->frameMbsOnly);
  EXPECT_EQ(sps->width, 320u);
  EXPECT_EQ(sps->height, 180u);
  ASSERT_TRUE(sps->fps);
  EXPECT_DOUBLE_EQ(*sps->fps, 25.0);
}

// Built bit by bit from §7.3.2.1.1 and checked with FFmpeg's trace_headers: High profile with
// seq_scaling_matrix_present_flag, an explicit 4x4 list, a list switched to the default
// (delta_scale -8), an 8x8 list, 1920x1088 cropped to 1080, VUI with Extended_SAR, colour
// description, chroma location and timing 60000/1001 ticks; num_units_in_tick needs an
// emulation prevention byte.
TEST(SpsTest, ParsesScalingListsAndFullVui) {
  const Bytes nal = fromHex(
      "67640028ada22222222222222242214924924924924924924924924924924924924924924924926d00f0044fcbff80020001b5"
      "010101f000003e90000ea60840");
  auto sps = Sps::parse(nal);
  ASSERT_TRUE(sps) << sps.error().describe();
  EXPECT_EQ(sps->profileLevelId(), "640028");
  EXPECT_EQ(sps->width, 1920u);
  EXPECT_EQ(sps->height, 1080u);
  ASSERT_TRUE(sps->fps);
  EXPECT_DOUBLE_EQ(*sps->fps, 60000.0 / 2002.0);
}

// pic_order_cnt_type 1 with a 3-entry cycle, 176x144, no VUI.
TEST(SpsTest, ParsesPocType1WithoutVui) {
  auto sps = Sps::parse(fromHex("6742e01ed0a623a4162720"));
  ASSERT_TRUE(sps) << sps.error().describe();
  EXPECT_EQ(sps->width, 176u);
  EXPECT_EQ(sps->height, 144u);
  EXPECT_FALSE(sps->fps);
}

TEST(SpsTest, RejectsCroppingThatEmptiesThePicture) {
  EXPECT_EQ(Sps::parse(fromHex("6742e01eda0b13e059d0")).error().code, base::ErrorCode::Malformed);
  auto narrowest = Sps::parse(fromHex("6742e01eda0b13e058d0"));
  ASSERT_TRUE(narrowest);
  EXPECT_EQ(narrowest->width, 2u);
}

TEST(SpsTest, RejectsOutOfRangeFields) {
  const auto code = [](std::string_view hex) { return Sps::parse(fromHex(hex)).error().code; };
  EXPECT_EQ(code("6764001e972d0589c8"), base::ErrorCode::Malformed);        // chroma_format_idc 4
  EXPECT_EQ(code("6742e01ed0a60080ba416272"), base::ErrorCode::Malformed);  // 256 POC cycle offsets
  EXPECT_EQ(code("6764001ead80643ffffe"), base::ErrorCode::Malformed);      // delta_scale 200
}

TEST(SpsTest, RejectsOtherNalUnitsAndTruncation) {
  EXPECT_FALSE(Sps::parse(Bytes{}));
  EXPECT_FALSE(Sps::parse(Bytes{0x68, 0xcb, 0x83, 0xcb, 0x20}));  // a PPS
  const Bytes full = firstSps("h264/testsrc_320x240.h264");
  for (std::size_t n = 1; n < 8; ++n) {
    auto sps = Sps::parse(std::span(full).first(n));
    ASSERT_FALSE(sps) << n;
    EXPECT_EQ(sps.error().code, base::ErrorCode::Truncated) << n;
  }
}

// Like FFmpeg, a VUI cut short still yields the picture size, only without a frame rate.
TEST(SpsTest, ToleratesATruncatedVui) {
  const Bytes full = firstSps("h264/testsrc_320x240.h264");
  auto sps = Sps::parse(std::span(full).first(8));
  ASSERT_TRUE(sps) << sps.error().describe();
  EXPECT_EQ(sps->width, 320u);
  EXPECT_EQ(sps->height, 240u);
  EXPECT_FALSE(sps->fps);
}

}  // namespace
}  // namespace ocellus::codec::h264
