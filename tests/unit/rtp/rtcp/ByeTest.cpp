#include "rtp/rtcp/Bye.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/TestData.h"

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(ByeTest, WritesSourcesAndAPaddedReason) {
  Bye bye;
  bye.sources = {0x01020304, 0x05060708};
  bye.reason = "done";
  Bytes out;
  bye.serialize(out);
  // The reason's length octet and 4 characters, padded with 3 nulls to two words.
  EXPECT_EQ(out, (Bytes{0x82, 0xcb, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                        0x07, 0x08, 0x04, 'd',  'o',  'n',  'e',  0x00, 0x00, 0x00}));
  EXPECT_EQ(Bye::parse(out), bye);

  bye.reason = "bye";  // exactly one word
  out.clear();
  bye.serialize(out);
  EXPECT_EQ(out, (Bytes{0x82, 0xcb, 0x00, 0x03, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x03, 'b',
                        'y', 'e'}));
  EXPECT_EQ(Bye::parse(out), bye);
}

TEST(ByeTest, ParsesAiortcsBye) {
  const Bytes data = test::readTestData("webrtc/rtcp/sr_sdes_bye.bin");
  ASSERT_EQ(data.size(), 92u);
  const auto packet = std::span(data).subspan(80);
  auto bye = Bye::parse(packet);
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->sources, (std::vector<std::uint32_t>{0x5c2f7a1e, 0x0badcafe}));
  EXPECT_TRUE(bye->reason.empty());
  Bytes out;
  bye->serialize(out);
  EXPECT_EQ(out, Bytes(packet.begin(), packet.end()));
}

TEST(ByeTest, CutsTheReasonAndSources) {
  Bye bye;
  bye.sources.assign(40, 7);
  bye.reason = std::string(300, 'r');
  Bytes out;
  bye.serialize(out);
  EXPECT_EQ(out.size(), 4 + 31 * 4 + 256u);
  auto back = Bye::parse(out);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->sources.size(), Bye::kMaxSources);
  EXPECT_EQ(back->reason, std::string(Bye::kMaxReasonLength, 'r'));
}

TEST(ByeTest, RejectsWhatLiesPastThePacket) {
  EXPECT_FALSE(Bye::parse(Bytes{0x82, 0xcb, 0x00, 0x01, 0, 0, 0, 1}));                       // SC=2, one SSRC
  EXPECT_FALSE(Bye::parse(Bytes{0x81, 0xcb, 0x00, 0x02, 0, 0, 0, 1, 0x04, 'a', 'b', 'c'}));  // reason of 4
  EXPECT_FALSE(Bye::parse(Bytes{0x81, 0xca, 0x00, 0x01, 0, 0, 0, 1}));                       // an SDES
  auto nulls = Bye::parse(Bytes{0x81, 0xcb, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0});            // empty reason
  ASSERT_TRUE(nulls);
  EXPECT_TRUE(nulls->reason.empty());
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
