#include "format/mpegts/Pes.h"

#include <gtest/gtest.h>

namespace ocellus::format::mpegts {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(PesTest, WritesAndParsesPtsAndDts) {
  Bytes pes;
  PesHeader::write(PesHeader::kVideoStreamId, 100, 0x1ffffffffu, 0x123456789u, pes);
  ASSERT_EQ(pes.size(), 19u);
  // PES_packet_length = 3 + 10 + 100; '10' + data_alignment; PTS and DTS.
  EXPECT_EQ(pes[4], 0);
  EXPECT_EQ(pes[5], 113);
  EXPECT_EQ(pes[6], 0x84);
  EXPECT_EQ(pes[7], 0xc0);
  EXPECT_EQ(pes[8], 10);
  EXPECT_EQ(pes[9], 0x3f);  // '0011' + PTS[32..30] = 111 + marker
  auto h = PesHeader::parse(pes);
  ASSERT_TRUE(h.ok()) << h.error().describe();
  EXPECT_EQ(h->streamId, 0xe0);
  EXPECT_EQ(h->packetLength, 113u);
  EXPECT_EQ(h->pts, 0x1ffffffffu);
  EXPECT_EQ(h->dts, 0x123456789u);
  EXPECT_EQ(h->headerSize, 19u);
}

TEST(PesTest, UnboundedWhenOver64KiBAndTimestampsWrap) {
  Bytes pes;
  PesHeader::write(PesHeader::kVideoStreamId, 70000, (1ull << 33) + 5, std::nullopt, pes);
  auto h = PesHeader::parse(pes);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->packetLength, 0u);
  EXPECT_EQ(h->pts, 5u);
  EXPECT_FALSE(h->dts);
}

TEST(PesTest, RejectsMalformedHeaders) {
  EXPECT_EQ(PesHeader::parse(Bytes{0, 0, 1, 0xe0}).error().code, base::ErrorCode::Truncated);
  EXPECT_EQ(PesHeader::parse(Bytes{0, 0, 2, 0xe0, 0, 0, 0x80, 0, 0}).error().code, base::ErrorCode::Malformed);
  EXPECT_EQ(PesHeader::parse(Bytes{0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 2, 0x21, 0}).error().code,
            base::ErrorCode::Malformed);  // PTS needs 5 bytes
  EXPECT_EQ(PesHeader::parse(Bytes{0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5, 0x20, 0, 1, 0, 1}).error().code,
            base::ErrorCode::Malformed);  // marker bit 0
  // padding_stream has no optional header.
  auto h = PesHeader::parse(Bytes{0, 0, 1, 0xbe, 0, 2, 0xff, 0xff});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->headerSize, 6u);
}

}  // namespace
}  // namespace ocellus::format::mpegts
