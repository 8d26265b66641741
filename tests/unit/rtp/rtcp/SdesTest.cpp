#include "rtp/rtcp/Sdes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/TestData.h"

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;

// The SDES after the RR in a browser's compound packet: one chunk, a 16-character CNAME.
TEST(SdesTest, ParsesAiortcsCname) {
  const Bytes data = test::readTestData("webrtc/rtcp/rr_sdes.bin");
  ASSERT_EQ(data.size(), 84u);
  const auto packet = std::span(data).subspan(56);
  auto sdes = Sdes::parse(packet);
  ASSERT_TRUE(sdes);
  ASSERT_EQ(sdes->chunks.size(), 1u);
  EXPECT_EQ(sdes->chunks[0].ssrc, 1u);
  EXPECT_EQ(sdes->chunks[0].cname, "f1yYZLHYkVbGJOmu");
  Bytes out;
  sdes->serialize(out);
  EXPECT_EQ(out, Bytes(packet.begin(), packet.end()));
}

TEST(SdesTest, WritesChunksPaddedToWords) {
  Sdes sdes;
  sdes.chunks = {{0x01020304, "ab"}, {0x05060708, ""}};
  Bytes out;
  sdes.serialize(out);
  // "ab" takes 4 octets of item, so its end item is a whole word of nulls (RFC 3550 §6.5); a
  // chunk without items is its SSRC and one word of nulls.
  EXPECT_EQ(out, (Bytes{0x82, 0xca, 0x00, 0x05, 0x01, 0x02, 0x03, 0x04, 0x01, 0x02, 'a',  'b',
                        0x00, 0x00, 0x00, 0x00, 0x05, 0x06, 0x07, 0x08, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(Sdes::parse(out), sdes);

  for (std::size_t length = 1; length <= Sdes::kMaxItemLength + 3; ++length) {
    Sdes one;
    one.chunks = {{7, std::string(length, 'x')}};
    out.clear();
    one.serialize(out);
    EXPECT_EQ(out.size() % 4, 0u);
    auto back = Sdes::parse(out);
    ASSERT_TRUE(back) << length;
    EXPECT_EQ(back->chunks[0].cname.size(), std::min(length, Sdes::kMaxItemLength));
  }
}

TEST(SdesTest, SkipsOtherItemsAndKeepsTheFirstCname) {
  // NAME "x", CNAME "c", TOOL "t", CNAME "d", end, three nulls of padding.
  const Bytes data = {0x81, 0xca, 0x00, 0x05, 0x00, 0x00, 0x00, 0x09, 0x02, 0x01, 'x',  0x01,
                      0x01, 'c',  0x06, 0x01, 't',  0x01, 0x01, 'd',  0x00, 0x00, 0x00, 0x00};
  auto sdes = Sdes::parse(data);
  ASSERT_TRUE(sdes);
  ASSERT_EQ(sdes->chunks.size(), 1u);
  EXPECT_EQ(sdes->chunks[0].ssrc, 9u);
  EXPECT_EQ(sdes->chunks[0].cname, "c");
}

TEST(SdesTest, AcceptsExtraNullWords) {
  // aiortc ends a 17-character CNAME with five nulls, one word more than needed.
  const Bytes data = {0x81, 0xca, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01, 0x01, 0x11, 'a',
                      'b',  'c',  'd',  'e',  'f',  'g',  'h',  'i',  'j',  'k',  'l',
                      'm',  'n',  'o',  'p',  'q',  0,    0,    0,    0,    0};
  auto sdes = Sdes::parse(data);
  ASSERT_TRUE(sdes);
  EXPECT_EQ(sdes->chunks[0].cname, "abcdefghijklmnopq");
}

TEST(SdesTest, RejectsChunksPastThePacket) {
  // No end item before the payload ends.
  EXPECT_FALSE(Sdes::parse(Bytes{0x81, 0xca, 0x00, 0x02, 0, 0, 0, 1, 0x01, 0x02, 'a', 'b'}));
  // An item longer than what is left.
  EXPECT_FALSE(Sdes::parse(Bytes{0x81, 0xca, 0x00, 0x02, 0, 0, 0, 1, 0x01, 0x09, 'a', 0}));
  // SC=2 with one chunk.
  EXPECT_FALSE(Sdes::parse(Bytes{0x82, 0xca, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0}));
  EXPECT_FALSE(Sdes::parse(Bytes{0x81, 0xcb, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0}));  // a BYE
  // An empty SDES (SC=0) is valid.
  auto empty = Sdes::parse(Bytes{0x80, 0xca, 0x00, 0x00});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->chunks.empty());
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
