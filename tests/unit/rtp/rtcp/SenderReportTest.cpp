#include "rtp/rtcp/SenderReport.h"

#include <gtest/gtest.h>

#include <vector>

#include "unit/TestData.h"

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(SenderReportTest, WritesTheRfcLayout) {
  SenderReport sr;
  sr.ssrc = 0x11223344;
  sr.ntpTime = 0xe9a1b2c380000000;
  sr.rtpTime = 0x01020304;
  sr.packetCount = 2;
  sr.octetCount = 0x100;
  Bytes out;
  sr.serialize(out);
  EXPECT_EQ(out, (Bytes{0x80, 0xc8, 0x00, 0x06, 0x11, 0x22, 0x33, 0x44, 0xe9, 0xa1, 0xb2, 0xc3, 0x80, 0x00,
                        0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00}));
  EXPECT_EQ(SenderReport::parse(out), sr);
}

// The SR a publisher sends, with one report block, as aiortc writes it (tests/data/webrtc/rtcp).
TEST(SenderReportTest, ParsesAiortcsReportWithABlock) {
  const Bytes data = test::readTestData("webrtc/rtcp/sr_sdes_bye.bin");
  auto sr = SenderReport::parse(data);
  ASSERT_TRUE(sr);
  EXPECT_EQ(sr->ssrc, 0x5c2f7a1eu);
  EXPECT_EQ(sr->ntpTime, 0xe9a1b2c380000000u);
  EXPECT_EQ(sr->rtpTime, 0x12345678u);
  EXPECT_EQ(sr->packetCount, 1000u);
  EXPECT_EQ(sr->octetCount, 1200000u);
  ASSERT_EQ(sr->reportBlocks.size(), 1u);
  EXPECT_EQ(sr->reportBlocks[0].ssrc, 0x0badcafeu);
  EXPECT_EQ(sr->reportBlocks[0].extendedHighestSeq, 42u);
  Bytes out;
  sr->serialize(out);
  EXPECT_EQ(out, Bytes(data.begin(), data.begin() + 52));
}

TEST(SenderReportTest, RejectsShortAndOtherPackets) {
  SenderReport sr;
  sr.reportBlocks.resize(1);
  Bytes out;
  sr.serialize(out);
  out[3] = 0x06;  // the length leaves the block out while RC says 1
  EXPECT_FALSE(SenderReport::parse(out));
  out[3] = 0x0c;
  EXPECT_TRUE(SenderReport::parse(out));
  EXPECT_FALSE(SenderReport::parse(std::span(out).first(out.size() - 1)));
  out[1] = 201;
  EXPECT_FALSE(SenderReport::parse(out));
}

TEST(SenderReportTest, CompactNtpIsTheMiddle32Bits) {
  EXPECT_EQ(SenderReport::compactNtp(0xe9a1b2c380000000), 0xb2c38000u);
  // 2024-01-01T00:00:00.5Z: NTP seconds 3913056000, half a second.
  EXPECT_EQ(SenderReport::ntpFromUnixMicros(1704067200500000), 3913056000ull << 32 | 0x80000000u);
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
