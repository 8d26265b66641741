#include "bridge/RtpTrackSender.h"

#include <gtest/gtest.h>

#include "rtp/RtpPacket.h"
#include "rtp/rtcp/SenderReport.h"

namespace ocellus::bridge {
namespace {

media::MutableUnitPtr unitWith(std::int64_t pts, std::size_t payloads) {
  auto u = media::UnitPool::forThisThread().acquire();
  u->pts = pts;
  u->received = base::Clock::system().now();
  for (std::size_t i = 0; i < payloads; ++i) {
    u->rtpPayloads.push_back({static_cast<std::uint32_t>(u->rtpBytes.size()), 10, i + 1 == payloads});
    u->rtpBytes.resize(u->rtpBytes.size() + 10, static_cast<std::uint8_t>(i));
  }
  return u;
}

TEST(RtpTrackSenderTest, HeadersContinueSequenceAndShiftTimestamps) {
  RtpTrackSender sender(96);
  std::vector<std::uint8_t> headers(5 * rtp::kRtpHeaderSize);
  const auto first = sender.nextSequence();
  sender.writeHeaders(*unitWith(1000, 3), headers.data(), rtp::kRtpHeaderSize);
  sender.writeHeaders(*unitWith(4000, 2), headers.data() + 3 * rtp::kRtpHeaderSize, rtp::kRtpHeaderSize);
  for (std::size_t i = 0; i < 5; ++i) {
    auto p = rtp::RtpPacket::parse(std::span<const std::uint8_t>(headers).subspan(i * 12, 12));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->sequence(), static_cast<std::uint16_t>(first + i));
    EXPECT_EQ(p->payloadType(), 96);
    EXPECT_EQ(p->ssrc(), sender.ssrc());
    EXPECT_EQ(p->timestamp(), sender.rtpTime(i < 3 ? 1000 : 4000));
    EXPECT_EQ(p->marker(), i == 2 || i == 4);
  }
  EXPECT_EQ(sender.rtpTime(4000) - sender.rtpTime(1000), 3000u);
}

TEST(RtpTrackSenderTest, SenderReportCarriesCountsAndLastTimestamp) {
  RtpTrackSender sender(96);
  std::vector<std::uint8_t> sr;
  EXPECT_FALSE(sender.senderReport(sr));
  std::vector<std::uint8_t> headers(2 * rtp::kRtpHeaderSize);
  sender.writeHeaders(*unitWith(9000, 2), headers.data(), rtp::kRtpHeaderSize);
  ASSERT_TRUE(sender.senderReport(sr));
  auto parsed = rtp::rtcp::SenderReport::parse(sr);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->ssrc, sender.ssrc());
  EXPECT_EQ(parsed->packetCount, 2u);
  EXPECT_EQ(parsed->octetCount, 20u);
  EXPECT_EQ(parsed->rtpTime, sender.rtpTime(9000));
  // NTP seconds of now (1900 epoch): after 2020, before 2100.
  EXPECT_GT(parsed->ntpTime >> 32, 3786825600ull);
  EXPECT_LT(parsed->ntpTime >> 32, 6311433600ull);
}

}  // namespace
}  // namespace ocellus::bridge
