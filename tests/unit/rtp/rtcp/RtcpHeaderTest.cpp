#include "rtp/rtcp/RtcpHeader.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A PLI (V=2, FMT=1, PT=206, length 2) followed by the start of another packet.
const Bytes kTwoPackets = {0x81, 0xce, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x5c, 0x2f,
                           0x7a, 0x1e, 0x80, 0xc9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01};

TEST(RtcpHeaderTest, ReadsTheFirstPacket) {
  auto h = RtcpHeader::parse(kTwoPackets);
  ASSERT_TRUE(h);
  EXPECT_FALSE(h->padding);
  EXPECT_EQ(h->count, 1);
  EXPECT_EQ(h->packetType, 206);
  EXPECT_EQ(h->packet.data(), kTwoPackets.data());
  EXPECT_EQ(h->packet.size(), 12u);
  EXPECT_EQ(h->payload.data(), kTwoPackets.data() + 4);
  EXPECT_EQ(h->payload.size(), 8u);
}

TEST(RtcpHeaderTest, RejectsLengthsPastTheInput) {
  for (std::size_t n = 0; n < 12; ++n) EXPECT_FALSE(RtcpHeader::parse(std::span(kTwoPackets).first(n))) << n;
  EXPECT_TRUE(RtcpHeader::parse(std::span(kTwoPackets).first(12)));
}

TEST(RtcpHeaderTest, RejectsOtherVersions) {
  for (std::uint8_t version : {0, 1, 3}) {
    Bytes data = kTwoPackets;
    data[0] = static_cast<std::uint8_t>(version << 6 | 1);
    EXPECT_FALSE(RtcpHeader::parse(data)) << int{version};
  }
}

TEST(RtcpHeaderTest, StripsPadding) {
  // An RR with P set: SSRC, then 4 octets of padding whose last counts them (RFC 3550 §6.4.1).
  const Bytes padded = {0xa0, 0xc9, 0x00, 0x02, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x00, 0x04};
  auto h = RtcpHeader::parse(padded);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->padding);
  EXPECT_EQ(h->count, 0);
  EXPECT_EQ(h->packet.size(), 12u);
  EXPECT_EQ(Bytes(h->payload.begin(), h->payload.end()), (Bytes{0x11, 0x22, 0x33, 0x44}));
}

TEST(RtcpHeaderTest, RejectsBadPadding) {
  EXPECT_FALSE(RtcpHeader::parse(Bytes{0xa0, 0xc9, 0x00, 0x01, 0x11, 0x22, 0x33, 0x00}));  // zero count
  EXPECT_FALSE(RtcpHeader::parse(Bytes{0xa0, 0xc9, 0x00, 0x01, 0x11, 0x22, 0x33, 0x05}));  // past payload
  EXPECT_FALSE(RtcpHeader::parse(Bytes{0xa0, 0xc9, 0x00, 0x00}));                          // no payload
  auto all = RtcpHeader::parse(Bytes{0xa0, 0xc9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04});
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->payload.empty());
}

TEST(RtcpHeaderTest, WritesTheHeader) {
  Bytes out = {0xee};
  RtcpHeader::write(out, 1, 205, 12);
  EXPECT_EQ(out, (Bytes{0xee, 0x81, 0xcd, 0x00, 0x03}));
  out.clear();
  RtcpHeader::write(out, 0xff, 200, RtcpHeader::kMaxPayloadSize);  // count keeps to 5 bits
  EXPECT_EQ(out, (Bytes{0x9f, 0xc8, 0xff, 0xff}));
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
