#include "bridge/RtpTrackSender.h"

#include <gtest/gtest.h>

#include <array>

#include "rtp/RetransmissionBuffer.h"
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

// How a WHEP viewer answers a NACK (WhepSession): its sender's header rebuilt for the sequence
// number asked, and the payload from the stream's shared unit, which the viewer's history maps
// its sequence numbers onto.
TEST(RtpTrackSenderTest, ANackedPacketIsResentFromTheSharedUnitWithTheViewersOwnHeader) {
  using namespace std::chrono_literals;
  using History = rtp::RetransmissionBuffer<media::UnitPtr>;
  const auto t0 = base::SteadyTime{} + 1h;
  struct Viewer {
    RtpTrackSender sender{96};
    History history{4, 1000ms};
    std::vector<std::uint8_t> headers;
    void send(const media::UnitPtr& unit, base::SteadyTime now) {
      const auto first = sender.nextSequence();
      headers.resize(unit->rtpPayloads.size() * rtp::kRtpHeaderSize);
      sender.writeHeaders(*unit, headers.data(), rtp::kRtpHeaderSize);
      history.insert(first, static_cast<std::uint16_t>(unit->rtpPayloads.size()), unit, now);
    }
  };
  Viewer a, b;
  const media::UnitPtr unit = unitWith(3000, 3);
  a.send(unit, t0);
  b.send(unit, t0);
  const auto sentHeaders = a.headers;

  for (Viewer* v : {&a, &b}) {
    const auto seq = static_cast<std::uint16_t>(v->sender.nextSequence() - 2);  // the unit's second packet
    const auto hit = v->history.find(seq, t0 + 500ms);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->value->get(), unit.get());  // the shared unit, no copy
    ASSERT_EQ(hit->index, 1u);
    std::array<std::uint8_t, rtp::kRtpHeaderSize> header{};
    v->sender.writeHeader(**hit->value, hit->index, seq, header);
    auto p = rtp::RtpPacket::parse(header);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->ssrc(), v->sender.ssrc());
    EXPECT_EQ(p->sequence(), seq);
    EXPECT_EQ(p->timestamp(), v->sender.rtpTime(3000));
    EXPECT_FALSE(p->marker());
    const auto payload = unit->rtpPayload(unit->rtpPayloads[hit->index]);
    EXPECT_EQ(payload.data(), unit->rtpBytes.data() + 10);
  }
  // Byte for byte the header the packet first went out with.
  std::array<std::uint8_t, rtp::kRtpHeaderSize> again{};
  const auto seqA = static_cast<std::uint16_t>(a.sender.nextSequence() - 1);
  a.sender.writeHeader(*unit, 2, seqA, again);
  EXPECT_TRUE(std::equal(again.begin(), again.end(), sentHeaders.begin() + 2 * rtp::kRtpHeaderSize));

  // An old packet is not resent: past the history's age, or evicted by newer units.
  EXPECT_FALSE(a.history.find(seqA, t0 + 1001ms));
  const auto oldest = static_cast<std::uint16_t>(b.sender.nextSequence() - 3);
  for (int i = 0; i < 4; ++i) b.send(unitWith(6000 + 3000 * i, 1), t0 + 10ms);
  EXPECT_FALSE(b.history.find(oldest, t0 + 20ms));
  EXPECT_TRUE(b.history.find(static_cast<std::uint16_t>(b.sender.nextSequence() - 1), t0 + 20ms));
  // Sequence numbers not sent yet are not answered either.
  EXPECT_FALSE(b.history.find(b.sender.nextSequence(), t0 + 20ms));
}

}  // namespace
}  // namespace ocellus::bridge
