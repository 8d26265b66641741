#include "codec/h265/DecoderConfigurationRecord.h"

#include <gtest/gtest.h>

#include "base/Text.h"
#include "codec/AnnexB.h"
#include "codec/h265/Nal.h"
#include "unit/TestData.h"

namespace ocellus::codec::h265 {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct ParameterSets {
  Bytes vps, sps, pps;
};

ParameterSets firstParameterSets(const std::string& file) {
  ParameterSets out;
  const Bytes stream = test::readTestData(file);
  for (auto nal : splitAnnexB(stream)) {
    const auto type = nalType(nal[0]);
    if (type == NalType::Vps && out.vps.empty()) out.vps.assign(nal.begin(), nal.end());
    if (type == NalType::Sps && out.sps.empty()) out.sps.assign(nal.begin(), nal.end());
    if (type == NalType::Pps && out.pps.empty()) out.pps.assign(nal.begin(), nal.end());
  }
  EXPECT_FALSE(out.vps.empty() || out.sps.empty() || out.pps.empty()) << file;
  return out;
}

base::Result<DecoderConfigurationRecord> fromFile(const std::string& file) {
  const auto ps = firstParameterSets(file);
  return DecoderConfigurationRecord::fromParameterSets(ps.vps, ps.sps, ps.pps);
}

// The expected bytes are the hvcC FFmpeg 5.1 writes for the same libx265 stream (`ffmpeg -i
// x.h265 -c copy -tag:v hvc1 x.mp4`): Main, level 3.1, one temporal layer, nested.
TEST(HevcConfigurationRecordTest, MatchesFfmpeg) {
  auto record = fromFile("fmp4/testsrc_160x120_main31_ibp.h265");
  ASSERT_TRUE(record) << record.error().describe();
  EXPECT_EQ(base::toHex(record->serialize()),
            "0101600000009000000000005df000fcfdf8f800000f03a00001001840010c01ffff01600000030090000003000003005d91"
            "3024a10001002842010101600000030090000003000003005da014207965913924caf0168080000003008000000784a20001"
            "00074401c172b46240");
  EXPECT_EQ(record->codecString(), "hvc1.1.6.L93.90");
  EXPECT_EQ(record->numTemporalLayers, 1);
  EXPECT_TRUE(record->temporalIdNested);
}

TEST(HevcConfigurationRecordTest, CodecStrings) {
  DecoderConfigurationRecord r;
  r.profileIdc = 1;
  r.profileCompatibilityFlags = 0x60000000;  // flags 1 and 2
  r.levelIdc = 93;
  r.constraintFlags = 0xB00000000000;  // progressive, non-packed, frame-only
  EXPECT_EQ(r.codecString(), "hvc1.1.6.L93.B0");
  r.profileIdc = 2;
  r.profileCompatibilityFlags = 0x20000000;  // flag 2
  r.levelIdc = 123;
  r.tierFlag = true;
  EXPECT_EQ(r.codecString(), "hvc1.2.4.H123.B0");
  r.profileSpace = 1;
  r.constraintFlags = 0;
  EXPECT_EQ(r.codecString(), "hvc1.A2.4.H123");
  r.constraintFlags = 0x000000000001;
  EXPECT_EQ(r.codecString(), "hvc1.A2.4.H123.0.0.0.0.0.1");
}

TEST(HevcConfigurationRecordTest, RoundTripsBothFiles) {
  for (const char* file : {"fmp4/testsrc_160x120_main31_ibp.h265", "h265/testsrc_426x240.h265"}) {
    auto record = fromFile(file);
    ASSERT_TRUE(record) << file << ": " << record.error().describe();
    auto parsed = DecoderConfigurationRecord::parse(record->serialize());
    ASSERT_TRUE(parsed) << parsed.error().describe();
    EXPECT_EQ(*parsed, *record) << file;
    EXPECT_EQ(parsed->unitsOfType(static_cast<std::uint8_t>(NalType::Sps)).size(), 1u);
  }
  EXPECT_EQ(fromFile("h265/testsrc_426x240.h265")->codecString(), "hvc1.1.6.L60.90");
}

TEST(HevcConfigurationRecordTest, RejectsBadRecords) {
  const Bytes good = fromFile("fmp4/testsrc_160x120_main31_ibp.h265")->serialize();
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    auto r = DecoderConfigurationRecord::parse(std::span(good).first(cut));
    ASSERT_FALSE(r) << cut;
    EXPECT_EQ(r.error().code, base::ErrorCode::Truncated) << cut;
  }
  Bytes wrongType = good;
  wrongType[23] = 0xa1;  // the VPS array now says SPS
  auto r = DecoderConfigurationRecord::parse(wrongType);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("type 32 in the array of type 33"), std::string::npos) << r.error().message;
  const auto ps = firstParameterSets("fmp4/testsrc_160x120_main31_ibp.h265");
  EXPECT_FALSE(DecoderConfigurationRecord::fromParameterSets(ps.sps, ps.sps, ps.pps));
}

}  // namespace
}  // namespace ocellus::codec::h265
