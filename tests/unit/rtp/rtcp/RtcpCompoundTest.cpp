#include "rtp/rtcp/RtcpCompound.h"

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <vector>

#include "rtp/rtcp/Bye.h"
#include "rtp/rtcp/Fir.h"
#include "rtp/rtcp/Nack.h"
#include "rtp/rtcp/Pli.h"
#include "rtp/rtcp/ReceiverReport.h"
#include "rtp/rtcp/Sdes.h"
#include "rtp/rtcp/SenderReport.h"
#include "unit/TestData.h"

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Mode = RtcpCompound::Mode;

Bytes golden(const std::string& name) {
  return test::readTestData("webrtc/rtcp/" + name);
}

std::vector<std::uint8_t> types(const RtcpCompound& compound) {
  std::vector<std::uint8_t> out;
  for (const RtcpHeader& packet : compound) out.push_back(packet.packetType);
  return out;
}

// Parses each packet as its type and writes it again: what we write for what we read.
Bytes reserialize(const RtcpCompound& compound) {
  Bytes out;
  for (const RtcpHeader& packet : compound) {
    switch (packet.packetType) {
      case SenderReport::kPacketType:
        SenderReport::parse(packet.packet)->serialize(out);
        break;
      case ReceiverReport::kPacketType:
        ReceiverReport::parse(packet.packet)->serialize(out);
        break;
      case Sdes::kPacketType:
        Sdes::parse(packet.packet)->serialize(out);
        break;
      case Bye::kPacketType:
        Bye::parse(packet.packet)->serialize(out);
        break;
      case Nack::kPacketType:
        Nack::parse(packet.packet)->serialize(out);
        break;
      case Pli::kPacketType:
        if (packet.count == Pli::kFormat) {
          Pli::parse(packet.packet)->serialize(out);
        } else {  // REMB (FMT=15, draft-alvestrand-rmcat-remb) is not ours to parse: copied
          EXPECT_FALSE(Pli::parse(packet.packet));
          EXPECT_FALSE(Fir::parse(packet.packet));
          out.insert(out.end(), packet.packet.begin(), packet.packet.end());
        }
        break;
      default:
        ADD_FAILURE() << int{packet.packetType};
    }
  }
  return out;
}

// A browser's receiver reports on our video as RR + SDES, then adds a NACK or PLI to the same
// compound packet (RFC 3550 §6.1, RFC 4585 §3.1): the bytes aiortc writes for them.
TEST(RtcpCompoundTest, ReadsAndRewritesBrowserStyleCompounds) {
  for (const auto& [name, expected] :
       {std::pair{"rr_sdes.bin", std::vector<std::uint8_t>{201, 202}},
        std::pair{"rr_sdes_nack.bin", std::vector<std::uint8_t>{201, 202, 205}},
        std::pair{"rr_sdes_pli.bin", std::vector<std::uint8_t>{201, 202, 206}},
        std::pair{"sr_sdes_bye.bin", std::vector<std::uint8_t>{200, 202, 203}}}) {
    const Bytes data = golden(name);
    auto compound = RtcpCompound::parse(data, Mode::Compound);
    ASSERT_TRUE(compound) << name << ": " << compound.error().describe();
    EXPECT_EQ(compound->packetCount(), expected.size()) << name;
    EXPECT_EQ(types(*compound), expected) << name;
    EXPECT_EQ(static_cast<std::size_t>(std::distance(compound->begin(), compound->end())), expected.size());
    EXPECT_EQ(reserialize(*compound), data) << name;
  }
}

TEST(RtcpCompoundTest, FindsTheNackInACompound) {
  const Bytes data = golden("rr_sdes_nack.bin");
  auto compound = RtcpCompound::parse(data, Mode::Compound);
  ASSERT_TRUE(compound);
  auto it = compound->begin();
  std::advance(it, 2);
  EXPECT_EQ(it->packet.data(), data.data() + 84);
  auto nack = Nack::parse(it->packet);
  ASSERT_TRUE(nack);
  EXPECT_EQ(Nack::toSequenceNumbers(nack->items), (std::vector<std::uint16_t>{10000, 10001, 10003, 10020}));
  EXPECT_EQ(++it, compound->end());
}

// What Chromium 156 really sent in a WebRTC session (tests/data/webrtc/rtcp/capture_chromium.py):
// SR + SDES as a sender, RR + NACK and RR + PLI as a receiver, REMB appended.
TEST(RtcpCompoundTest, ReadsAndRewritesChromiumsPackets) {
  for (const auto& [name, expected] :
       {std::pair{"chromium_sr_sdes.bin", std::vector<std::uint8_t>{200, 202}},
        std::pair{"chromium_sr_sdes_remb.bin", std::vector<std::uint8_t>{200, 202, 206}},
        std::pair{"chromium_rr_nack.bin", std::vector<std::uint8_t>{201, 205}},
        std::pair{"chromium_rr_pli.bin", std::vector<std::uint8_t>{201, 206}}}) {
    const Bytes data = golden(name);
    auto compound = RtcpCompound::parse(data, Mode::Compound);
    ASSERT_TRUE(compound) << name << ": " << compound.error().describe();
    EXPECT_EQ(types(*compound), expected) << name;
    EXPECT_EQ(reserialize(*compound), data) << name;
  }
}

TEST(RtcpCompoundTest, ReadsChromiumsReportsAndFeedback) {
  constexpr std::uint32_t kChromium = 0x82ceff61;  // its SSRC as sender and as receiver
  constexpr std::uint32_t kVideo = 0x3500203e;     // aiortc's video, one packet dropped

  const Bytes srSdes = golden("chromium_sr_sdes.bin");
  auto sr = SenderReport::parse(srSdes);
  ASSERT_TRUE(sr);
  EXPECT_EQ(sr->ssrc, kChromium);
  EXPECT_EQ(sr->ntpTime, 0xeebf4702fe960b6fu);
  EXPECT_EQ(sr->rtpTime, 0x17ccf42fu);
  EXPECT_EQ(sr->packetCount, 30u);
  EXPECT_EQ(sr->octetCount, 14280u);
  EXPECT_TRUE(sr->reportBlocks.empty());
  auto sdes = Sdes::parse(std::span(srSdes).subspan(SenderReport::kSize));
  ASSERT_TRUE(sdes);
  EXPECT_EQ(sdes->chunks, (std::vector<Sdes::Chunk>{{kChromium, "13dnogfYI5zwcOJM"}}));

  const Bytes rrNack = golden("chromium_rr_nack.bin");
  auto rr = ReceiverReport::parse(rrNack);
  ASSERT_TRUE(rr);
  EXPECT_EQ(rr->ssrc, kChromium);
  ASSERT_EQ(rr->reportBlocks.size(), 2u);
  const ReportBlock& video = rr->reportBlocks[1];
  EXPECT_EQ(video.ssrc, kVideo);
  EXPECT_EQ(video.cumulativeLost, 1);
  EXPECT_EQ(video.extendedHighestSeq, 0xc64bu);
  EXPECT_EQ(video.jitter, 17u);
  EXPECT_EQ(video.lastSr, 0x4708ef61u);
  EXPECT_EQ(video.delaySinceLastSr, 0x32f8u);
  auto nack = Nack::parse(std::span(rrNack).subspan(56));
  ASSERT_TRUE(nack);
  EXPECT_EQ(nack->senderSsrc, kChromium);
  EXPECT_EQ(nack->mediaSsrc, kVideo);
  EXPECT_EQ(Nack::toSequenceNumbers(nack->items), std::vector<std::uint16_t>{0xc64c});

  const Bytes rrPli = golden("chromium_rr_pli.bin");
  auto pli = Pli::parse(std::span(rrPli).subspan(56));
  ASSERT_TRUE(pli);
  EXPECT_EQ(pli->senderSsrc, kChromium);
  EXPECT_EQ(pli->mediaSsrc, kVideo);
}

// RFC 5506: with a=rtcp-rsize a browser sends a lone NACK or PLI.
TEST(RtcpCompoundTest, ReducedSizeAllowsAnyFirstPacket) {
  for (const char* name : {"pli_rsize.bin", "nack_rsize.bin"}) {
    const Bytes data = golden(name);
    auto strict = RtcpCompound::parse(data, Mode::Compound);
    ASSERT_FALSE(strict) << name;
    EXPECT_EQ(strict.error().code, base::ErrorCode::Malformed);
    auto reduced = RtcpCompound::parse(data, Mode::ReducedSize);
    ASSERT_TRUE(reduced) << name;
    EXPECT_EQ(reduced->packetCount(), 1u);
    EXPECT_EQ(reserialize(*reduced), data);
  }
}

TEST(RtcpCompoundTest, RejectsLengthsThatDoNotAddUp) {
  const Bytes data = golden("rr_sdes_pli.bin");
  EXPECT_EQ(RtcpCompound::parse({}, Mode::ReducedSize).error().code, base::ErrorCode::Truncated);
  Bytes trailing = data;
  trailing.insert(trailing.end(), {0x81, 0xce, 0x00});
  EXPECT_EQ(RtcpCompound::parse(trailing, Mode::Compound).error().code, base::ErrorCode::Truncated);
  for (std::size_t n = 1; n < data.size(); ++n) {
    if (n == 56 || n == 84) continue;  // packet boundaries: a shorter, valid compound
    EXPECT_FALSE(RtcpCompound::parse(std::span(data).first(n), Mode::ReducedSize)) << n;
  }
  Bytes longer = data;
  longer[87] = 0x03;  // the PLI claims a word more than there is
  EXPECT_EQ(RtcpCompound::parse(longer, Mode::Compound).error().code, base::ErrorCode::Malformed);
  Bytes version = data;
  version[56] = 0x41;  // SDES with version 1
  EXPECT_FALSE(RtcpCompound::parse(version, Mode::Compound));
}

// RFC 3550 §A.2: only the last packet may be padded.
TEST(RtcpCompoundTest, AcceptsPaddingOnlyOnTheLastPacket) {
  Bytes data = golden("rr_sdes_pli.bin");
  data[84] |= 0x20;
  data.insert(data.end(), {0x00, 0x00, 0x00, 0x04});
  data[87] = 0x03;
  auto padded = RtcpCompound::parse(data, Mode::Compound);
  ASSERT_TRUE(padded) << padded.error().describe();
  auto last = padded->begin();
  std::advance(last, 2);
  EXPECT_EQ(last->payload.size(), 8u);
  EXPECT_TRUE(Pli::parse(last->packet));

  Bytes early = golden("rr_sdes_pli.bin");
  early[0] |= 0x20;
  early[55] = 0x04;  // the RR's last octet counts 4 octets of padding
  auto rejected = RtcpCompound::parse(early, Mode::Compound);
  ASSERT_FALSE(rejected);
  EXPECT_NE(rejected.error().message.find("padding before the last"), std::string::npos);
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
