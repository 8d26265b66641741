#include "rtp/rtcp/ReceiverReport.h"

#include <gtest/gtest.h>

#include <vector>

#include "unit/TestData.h"

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;

// The RR that opens a browser's compound packet, as aiortc writes it (tests/data/webrtc/rtcp).
TEST(ReceiverReportTest, ParsesAiortcsReport) {
  const Bytes data = test::readTestData("webrtc/rtcp/rr_sdes.bin");
  ASSERT_EQ(data.size(), 84u);
  auto rr = ReceiverReport::parse(data);
  ASSERT_TRUE(rr);
  EXPECT_EQ(rr->ssrc, 1u);
  ASSERT_EQ(rr->reportBlocks.size(), 2u);
  const ReportBlock& video = rr->reportBlocks[0];
  EXPECT_EQ(video.ssrc, 0x5c2f7a1eu);
  EXPECT_EQ(video.fractionLost, 5);
  EXPECT_EQ(video.cumulativeLost, 12);
  EXPECT_EQ(video.extendedHighestSeq, 0x12345u);
  EXPECT_EQ(video.jitter, 321u);
  EXPECT_EQ(video.lastSr, 0xa1b2c3d4u);
  EXPECT_EQ(video.delaySinceLastSr, 0x18000u);
  EXPECT_EQ(rr->reportBlocks[1].ssrc, 0x0badcafeu);
  EXPECT_EQ(rr->reportBlocks[1].cumulativeLost, -2);
  EXPECT_EQ(rr->reportBlocks[1].extendedHighestSeq, 0xffffu);

  Bytes out;
  rr->serialize(out);
  EXPECT_EQ(out, Bytes(data.begin(), data.begin() + 56));
}

TEST(ReceiverReportTest, WritesAnEmptyReport) {
  ReceiverReport rr;
  rr.ssrc = 0x01020304;
  Bytes out;
  rr.serialize(out);
  EXPECT_EQ(out, (Bytes{0x80, 0xc9, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04}));
  EXPECT_EQ(ReceiverReport::parse(out), rr);
}

TEST(ReceiverReportTest, IgnoresProfileExtensions) {
  const Bytes data = {0x80, 0xc9, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04, 0xaa, 0xbb, 0xcc, 0xdd};
  auto rr = ReceiverReport::parse(data);
  ASSERT_TRUE(rr);
  EXPECT_EQ(rr->ssrc, 0x01020304u);
  EXPECT_TRUE(rr->reportBlocks.empty());
}

TEST(ReceiverReportTest, RejectsBlocksPastTheLength) {
  // RC=1 but the length covers only the sender SSRC (the block's bytes follow, outside it).
  Bytes data = {0x81, 0xc9, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04};
  data.resize(data.size() + ReportBlock::kSize);
  EXPECT_FALSE(ReceiverReport::parse(data));
  EXPECT_FALSE(ReceiverReport::parse(Bytes{0x80, 0xc8, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04}));  // an SR
  EXPECT_FALSE(ReceiverReport::parse(Bytes{0x80, 0xc9, 0x00, 0x00}));  // no sender SSRC
}

TEST(ReceiverReportTest, WritesAtMost31Blocks) {
  ReceiverReport rr;
  for (std::uint32_t i = 0; i < 33; ++i) rr.reportBlocks.push_back(ReportBlock{.ssrc = i});
  Bytes out;
  rr.serialize(out);
  EXPECT_EQ(out.size(), 8 + 31 * ReportBlock::kSize);
  EXPECT_EQ(out[0], 0x80 | 31);
  auto back = ReceiverReport::parse(out);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->reportBlocks.size(), 31u);
  EXPECT_EQ(back->reportBlocks[30].ssrc, 30u);
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
