#include "rtp/AacPacketizer.h"

#include <gtest/gtest.h>

#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using test::Bytes;
using test::Payload;

// RFC 3640 §3.2.1, §3.3.6: AU-headers-length 16, AU-size 3 (3 << 3 = 0x18), index 0, the AU.
TEST(AacPacketizerTest, OneFramePerPacket) {
  AacPacketizer p(1200);
  EXPECT_EQ(test::packetize(p, Bytes{0x21, 0x10, 0x05}),
            (std::vector<Payload>{{{0x00, 0x10, 0x00, 0x18, 0x21, 0x10, 0x05}, true}}));
}

// §3.2.3.1: each fragment carries an AU header with the whole AU's size (3000 << 3 = 0x5dc0);
// the marker is set on the last one only. 1196 bytes of AU fit after the 4 header bytes.
TEST(AacPacketizerTest, FragmentsAFrameAboveTheMaximum) {
  AacPacketizer p(1200);
  Bytes frame(3000);
  for (std::size_t i = 0; i < frame.size(); ++i) frame[i] = static_cast<std::uint8_t>(i);
  const auto payloads = test::packetize(p, frame);
  ASSERT_EQ(payloads.size(), 3u);
  std::size_t at = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    const Bytes& b = payloads[i].bytes;
    const std::size_t n = i < 2 ? 1196 : 608;
    ASSERT_EQ(b.size(), 4 + n);
    EXPECT_EQ(Bytes(b.begin(), b.begin() + 4), (Bytes{0x00, 0x10, 0x5d, 0xc0}));
    EXPECT_TRUE(std::equal(b.begin() + 4, b.end(), frame.begin() + at));
    EXPECT_EQ(payloads[i].marker, i == 2);
    at += n;
  }
}

TEST(AacPacketizerTest, DropsFramesTheSizeFieldCannotHold) {
  AacPacketizer p(1200);
  EXPECT_EQ(test::packetize(p, Bytes(8191, 0xaa)).size(), 7u);
  EXPECT_TRUE(test::packetize(p, Bytes(8192, 0xaa)).empty());
  EXPECT_EQ(p.dropped(), 1u);
  EXPECT_TRUE(test::packetize(p, Bytes{}).empty());
}

}  // namespace
}  // namespace ocellus::rtp
