#include "proto/webrtc/PacketKind.h"

#include <gtest/gtest.h>

#include "unit/TestData.h"

namespace ocellus::proto::webrtc {
namespace {

using Bytes = std::vector<std::uint8_t>;

PacketKind kindOf(std::uint8_t first, std::uint8_t second = 0) {
  return classifyPacket(Bytes{first, second});
}

TEST(PacketKindTest, FirstByteRangesOfRfc7983) {
  for (int b = 0; b < 256; ++b) {
    const auto first = static_cast<std::uint8_t>(b);
    PacketKind expected = PacketKind::Unknown;
    if (b <= 3)
      expected = PacketKind::Stun;
    else if (b >= 16 && b <= 19)
      expected = PacketKind::Zrtp;
    else if (b >= 20 && b <= 63)
      expected = PacketKind::Dtls;
    else if (b >= 64 && b <= 79)
      expected = PacketKind::TurnChannel;
    else if (b >= 128 && b <= 191)
      expected = PacketKind::Rtp;
    EXPECT_EQ(kindOf(first, 96), expected) << b;
  }
}

TEST(PacketKindTest, RtcpBySecondByteOfRfc5761) {
  for (int pt = 0; pt < 256; ++pt) {
    const PacketKind expected = pt >= 192 && pt <= 223 ? PacketKind::Rtcp : PacketKind::Rtp;
    EXPECT_EQ(kindOf(0x80, static_cast<std::uint8_t>(pt)), expected) << pt;
  }
  EXPECT_EQ(kindOf(0x81, 200), PacketKind::Rtcp);  // SR
  EXPECT_EQ(kindOf(0x81, 205), PacketKind::Rtcp);  // RTPFB (NACK)
  EXPECT_EQ(kindOf(0x80, 0xe0), PacketKind::Rtp);  // marker set, PT 96
}

TEST(PacketKindTest, ShortInput) {
  EXPECT_EQ(classifyPacket({}), PacketKind::Unknown);
  EXPECT_EQ(classifyPacket(Bytes{0x80}), PacketKind::Unknown);  // no RTP header is one byte
  EXPECT_EQ(classifyPacket(Bytes{0x00}), PacketKind::Stun);
  EXPECT_EQ(classifyPacket(Bytes{22}), PacketKind::Dtls);
}

TEST(PacketKindTest, RealPackets) {
  const Bytes hello = test::readTestData("webrtc/dtls/chromium156_clienthello_1.bin");
  ASSERT_FALSE(hello.empty());
  EXPECT_EQ(classifyPacket(hello), PacketKind::Dtls);
  // RFC 5769 §2.1 sample request: a Binding request (type 0x0001).
  const Bytes stun = {0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42};
  EXPECT_EQ(classifyPacket(stun), PacketKind::Stun);
  // Captures of the sibling STUN and RTCP tests, when present.
  const Bytes check = test::readTestData("webrtc/stun/chromium156_check.bin");
  if (!check.empty()) {
    EXPECT_EQ(classifyPacket(check), PacketKind::Stun);
  }
  const Bytes report = test::readTestData("webrtc/rtcp/rr_sdes.bin");
  if (!report.empty()) {
    EXPECT_EQ(classifyPacket(report), PacketKind::Rtcp);
  }
  const Bytes rtp = test::readTestData("../../fuzz/corpus/RtpPacket/csrc_ext_padding");
  ASSERT_FALSE(rtp.empty());
  EXPECT_EQ(classifyPacket(rtp), PacketKind::Rtp);
  EXPECT_EQ(packetKindName(PacketKind::Rtcp), "rtcp");
  EXPECT_EQ(packetKindName(PacketKind::TurnChannel), "turn-channel");
  EXPECT_EQ(packetKindName(PacketKind::Unknown), "unknown");
}

}  // namespace
}  // namespace ocellus::proto::webrtc
