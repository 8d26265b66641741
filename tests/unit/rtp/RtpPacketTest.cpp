#include "rtp/RtpPacket.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(RtpPacketTest, ParsesAPlainPacket) {
  const Bytes data = {0x80, 0xe0, 0x12, 0x34, 0x00, 0x01, 0xe2, 0x40,
                      0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03};
  auto p = RtpPacket::parse(data);
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_TRUE(p->marker());
  EXPECT_EQ(p->payloadType(), 96);
  EXPECT_EQ(p->sequence(), 0x1234);
  EXPECT_EQ(p->timestamp(), 123456u);
  EXPECT_EQ(p->ssrc(), 0xdeadbeefu);
  EXPECT_EQ(p->csrcCount(), 0u);
  EXPECT_FALSE(p->hasExtension());
  EXPECT_EQ(p->paddingSize(), 0u);
  EXPECT_EQ(Bytes(p->payload().begin(), p->payload().end()), (Bytes{1, 2, 3}));
  EXPECT_EQ(p->bytes().size(), data.size());
}

// P, X and CC=2: two CSRCs, a one-word 0xBEDE extension (RFC 8285), 3 bytes of padding.
const Bytes kFullPacket = {0xb2, 0x08, 0xff, 0xff, 0x01, 0x02, 0x03, 0x04, 0x11, 0x22, 0x33, 0x44,  //
                           0xaa, 0xaa, 0xaa, 0xaa, 0xbb, 0xbb, 0xbb, 0xbb,                          //
                           0xbe, 0xde, 0x00, 0x01, 0x10, 0xab, 0x00, 0x00,                          //
                           0x05, 0x06, 0x07, 0x00, 0x00, 0x03};

TEST(RtpPacketTest, ParsesCsrcsExtensionAndPadding) {
  auto p = RtpPacket::parse(kFullPacket);
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_FALSE(p->marker());
  EXPECT_EQ(p->payloadType(), 8);
  EXPECT_EQ(p->sequence(), 0xffff);
  EXPECT_EQ(p->timestamp(), 0x01020304u);
  EXPECT_EQ(p->ssrc(), 0x11223344u);
  EXPECT_EQ(p->csrcCount(), 2u);
  EXPECT_EQ(p->csrc(0), 0xaaaaaaaau);
  EXPECT_EQ(p->csrc(1), 0xbbbbbbbbu);
  EXPECT_EQ(p->csrc(2), 0u);
  EXPECT_TRUE(p->hasExtension());
  EXPECT_EQ(p->extensionProfile(), 0xbede);
  EXPECT_EQ(Bytes(p->extension().begin(), p->extension().end()), (Bytes{0x10, 0xab, 0, 0}));
  EXPECT_EQ(p->paddingSize(), 3u);
  EXPECT_EQ(Bytes(p->payload().begin(), p->payload().end()), (Bytes{5, 6, 7}));
}

TEST(RtpPacketTest, RejectsEveryTruncation) {
  for (std::size_t n = 0; n < 28; ++n) {
    auto p = RtpPacket::parse(std::span(kFullPacket).first(n));
    ASSERT_FALSE(p) << n;
    EXPECT_EQ(p.error().code, base::ErrorCode::Truncated) << n;
  }
}

TEST(RtpPacketTest, RejectsBadVersionAndPadding) {
  Bytes v1 = {0x40, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(RtpPacket::parse(v1).error().code, base::ErrorCode::Malformed);
  const Bytes zeroPadding = {0xa0, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xaa, 0x00};
  EXPECT_EQ(RtpPacket::parse(zeroPadding).error().code, base::ErrorCode::Malformed);
  const Bytes tooMuchPadding = {0xa0, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xaa, 0x03};
  EXPECT_EQ(RtpPacket::parse(tooMuchPadding).error().code, base::ErrorCode::Malformed);
  const Bytes allPadding = {0xa0, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x02};
  auto p = RtpPacket::parse(allPadding);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->payload().empty());
}

TEST(RtpPacketTest, WritesTheFixedHeader) {
  std::uint8_t header[kRtpHeaderSize];
  writeRtpHeader(header, true, 96, 0x1234, 0x01020304, 0x11223344);
  EXPECT_EQ(Bytes(std::begin(header), std::end(header)),
            (Bytes{0x80, 0xe0, 0x12, 0x34, 0x01, 0x02, 0x03, 0x04, 0x11, 0x22, 0x33, 0x44}));
  writeRtpHeader(header, false, 0xff, 1, 2, 3);  // payload type keeps to 7 bits
  auto p = RtpPacket::parse(header);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->marker());
  EXPECT_EQ(p->payloadType(), 0x7f);
  EXPECT_EQ(p->sequence(), 1);
  EXPECT_EQ(p->timestamp(), 2u);
  EXPECT_EQ(p->ssrc(), 3u);
  EXPECT_TRUE(p->payload().empty());
}

}  // namespace
}  // namespace ocellus::rtp
