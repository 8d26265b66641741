#include "codec/h264/DecoderConfigurationRecord.h"

#include <gtest/gtest.h>

#include "base/Text.h"
#include "codec/AnnexB.h"
#include "codec/h264/Nal.h"
#include "unit/TestData.h"

namespace ocellus::codec::h264 {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct ParameterSets {
  Bytes sps, pps;
};

ParameterSets firstParameterSets(const std::string& file) {
  ParameterSets out;
  const Bytes stream = test::readTestData(file);
  for (auto nal : splitAnnexB(stream)) {
    if (nalType(nal[0]) == NalType::Sps && out.sps.empty()) out.sps.assign(nal.begin(), nal.end());
    if (nalType(nal[0]) == NalType::Pps && out.pps.empty()) out.pps.assign(nal.begin(), nal.end());
  }
  EXPECT_FALSE(out.sps.empty() || out.pps.empty()) << file;
  return out;
}

// The expected bytes are the avcC FFmpeg 5.1 writes for the same stream (`ffmpeg -i x.h264 -c copy
// x.mp4`): libx264 Constrained Baseline 3.1 and High 3.1 (with the chroma/bit-depth trailer).
TEST(AvcConfigurationRecordTest, ConstrainedBaselineMatchesFfmpeg) {
  const auto ps = firstParameterSets("fmp4/testsrc_160x120_cbp31.h264");
  auto record = DecoderConfigurationRecord::fromParameterSets(ps.sps, ps.pps);
  ASSERT_TRUE(record) << record.error().describe();
  EXPECT_EQ(base::toHex(record->serialize()),
            "0142c01fffe100176742c01fd902847e5c0440000003004000000783c60c9201000568cb83cb20");
  EXPECT_EQ(record->codecString(), "avc1.42C01F");
  EXPECT_FALSE(record->hasHighProfileFields());
}

TEST(AvcConfigurationRecordTest, HighProfileMatchesFfmpeg) {
  const auto ps = firstParameterSets("h264/testsrc_1280x720_high.h264");
  auto record = DecoderConfigurationRecord::fromParameterSets(ps.sps, ps.pps);
  ASSERT_TRUE(record) << record.error().describe();
  EXPECT_EQ(base::toHex(record->serialize()),
            "0164001fffe1001a6764001facd9405005bb011000000300100000030140f183196001000668ebe0e4b22cfdf8f800");
  EXPECT_EQ(record->codecString(), "avc1.64001F");
}

TEST(AvcConfigurationRecordTest, RoundTrips) {
  for (const char* file : {"fmp4/testsrc_160x120_cbp31.h264", "h264/testsrc_1280x720_high.h264"}) {
    const auto ps = firstParameterSets(file);
    auto record = DecoderConfigurationRecord::fromParameterSets(ps.sps, ps.pps);
    ASSERT_TRUE(record);
    auto parsed = DecoderConfigurationRecord::parse(record->serialize());
    ASSERT_TRUE(parsed) << parsed.error().describe();
    EXPECT_EQ(*parsed, *record) << file;
    ASSERT_EQ(parsed->sps.size(), 1u);
    EXPECT_EQ(parsed->sps[0], ps.sps);
    EXPECT_EQ(parsed->pps[0], ps.pps);
  }
}

// Many muxers leave out the high-profile trailer; the record still parses, with defaults.
TEST(AvcConfigurationRecordTest, ParsesHighProfileWithoutTrailer) {
  const auto ps = firstParameterSets("h264/testsrc_1280x720_high.h264");
  Bytes bytes = DecoderConfigurationRecord::fromParameterSets(ps.sps, ps.pps)->serialize();
  bytes.resize(bytes.size() - 4);
  auto parsed = DecoderConfigurationRecord::parse(bytes);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->chromaFormat, 1);
  EXPECT_TRUE(parsed->spsExt.empty());
}

TEST(AvcConfigurationRecordTest, RejectsBadRecords) {
  const auto ps = firstParameterSets("fmp4/testsrc_160x120_cbp31.h264");
  const Bytes good = DecoderConfigurationRecord::fromParameterSets(ps.sps, ps.pps)->serialize();
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    auto r = DecoderConfigurationRecord::parse(std::span(good).first(cut));
    ASSERT_FALSE(r) << cut;
    EXPECT_EQ(r.error().code, base::ErrorCode::Truncated) << cut;
  }
  Bytes wrongVersion = good;
  wrongVersion[0] = 2;
  EXPECT_NE(DecoderConfigurationRecord::parse(wrongVersion).error().message.find("configurationVersion"),
            std::string::npos);
  Bytes ppsAsSps = good;
  ppsAsSps[8] = 0x68;  // the first SPS byte now says PPS
  EXPECT_NE(DecoderConfigurationRecord::parse(ppsAsSps).error().message.find("SPS"), std::string::npos);
  EXPECT_FALSE(DecoderConfigurationRecord::fromParameterSets(ps.pps, ps.sps));
}

}  // namespace
}  // namespace ocellus::codec::h264
