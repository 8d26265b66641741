#include "rtp/FramePacketizer.h"

#include <gtest/gtest.h>

#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using test::Bytes;
using test::Payload;

TEST(FramePacketizerTest, SendsTheFrameAsIsWithoutMarker) {
  FramePacketizer p;
  const Bytes opus = {0xfc, 0xff, 0xfe};
  EXPECT_EQ(test::packetize(p, opus), (std::vector<Payload>{{opus, false}}));
  const Bytes pcmu(160, 0xff);  // 20 ms at 8 kHz
  EXPECT_EQ(test::packetize(p, pcmu), (std::vector<Payload>{{pcmu, false}}));
  EXPECT_TRUE(test::packetize(p, Bytes{}).empty());
}

}  // namespace
}  // namespace ocellus::rtp
