#include "rtp/rtcp/Pli.h"

#include <gtest/gtest.h>

#include <vector>

#include "unit/TestData.h"

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(PliTest, MatchesAiortcsBytes) {
  const Bytes data = test::readTestData("webrtc/rtcp/pli_rsize.bin");
  EXPECT_EQ(data, (Bytes{0x81, 0xce, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x5c, 0x2f, 0x7a, 0x1e}));
  auto pli = Pli::parse(data);
  ASSERT_TRUE(pli);
  EXPECT_EQ(pli->senderSsrc, 1u);
  EXPECT_EQ(pli->mediaSsrc, 0x5c2f7a1eu);
  Bytes out;
  pli->serialize(out);
  EXPECT_EQ(out, data);
}

TEST(PliTest, RejectsOtherFeedbackAndShortPackets) {
  const Bytes fir = {0x84, 0xce, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2};
  EXPECT_FALSE(Pli::parse(fir));
  const Bytes nack = {0x81, 0xcd, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2};
  EXPECT_FALSE(Pli::parse(nack));
  const Bytes shortPli = {0x81, 0xce, 0x00, 0x01, 0, 0, 0, 1};
  EXPECT_FALSE(Pli::parse(shortPli));
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
