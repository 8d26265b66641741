#include "rtp/FrameDepacketizer.h"

#include <gtest/gtest.h>

#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using test::Bytes;

TEST(FrameDepacketizerTest, EachPayloadIsAUnit) {
  FrameDepacketizer d;
  test::Collector out;
  const auto onUnit = out.callback();
  d.push(1, 960, false, Bytes{0xfc, 0x01}, onUnit);
  d.push(1, 960, false, Bytes{0xfc, 0x01}, onUnit);  // duplicate
  d.push(2, 1920, false, Bytes{}, onUnit);           // nothing in it
  d.push(4, 3840, true, Bytes{0xfc, 0x02}, onUnit);  // after a loss
  EXPECT_EQ(out.units, (std::vector<Bytes>{{0xfc, 0x01}, {0xfc, 0x02}}));
  EXPECT_EQ(out.timestamps, (std::vector<std::uint32_t>{960, 3840}));
  EXPECT_EQ(out.keyframes, (std::vector<bool>{true, true}));
  EXPECT_EQ(d.droppedUnits(), 0u);
}

}  // namespace
}  // namespace ocellus::rtp
