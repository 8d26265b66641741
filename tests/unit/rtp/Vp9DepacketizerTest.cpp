#include "rtp/Vp9Depacketizer.h"

#include <gtest/gtest.h>

#include "rtp/Vp9Packetizer.h"
#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using test::Bytes;

const Bytes kKeyframe = {0x82, 0x49, 0x83, 0x42, 0x40, 0x13, 0xf0, 0x0e, 0xf0, 0x00};
const Bytes kInter = {0x86, 0x00, 0x40, 0x77};

class Vp9DepacketizerTest : public ::testing::Test {
 protected:
  void push(std::uint16_t seq, std::uint32_t ts, bool marker, const Bytes& payload) {
    d_.push(seq, ts, marker, payload, onUnit_);
  }
  Vp9Depacketizer d_;
  test::Collector out_;
  Depacketizer::OnUnit onUnit_ = out_.callback();
};

TEST_F(Vp9DepacketizerTest, NonFlexibleWithScalabilityStructure) {
  // I (15-bit), L (TID/U/SID/D + TL0PICIDX), B, V: SS with N_S 0, Y (320x240), G with one
  // picture description (R = 1, one P_DIFF).
  push(1, 0, false,
       {0xaa, 0x80, 0x01, 0x00, 0x07, 0x18, 0x01, 0x40, 0x00, 0xf0, 0x01, 0x04, 0x01, 0x82, 0x49, 0x83});
  push(2, 0, true, {0xa4, 0x80, 0x01, 0x00, 0x07, 0x42, 0x40, 0x13, 0xf0, 0x0e, 0xf0, 0x00});
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], kKeyframe);
  EXPECT_TRUE(out_.keyframes[0]);
}

TEST_F(Vp9DepacketizerTest, FlexibleWithReferences) {
  // I (7-bit), P, L (one byte in flexible mode), F, B, E; two P_DIFFs (N set on the first).
  push(1, 3000, true, {0xfc, 0x05, 0x00, 0x03, 0x02, 0x86, 0x00, 0x40, 0x77});
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], kInter);
  EXPECT_FALSE(out_.keyframes[0]);
  push(2, 6000, true, {0x5c, 0x03, 0x03, 0x03, 0x03, 0x86});  // four P_DIFFs: malformed
  EXPECT_EQ(d_.droppedUnits(), 1u);
}

TEST_F(Vp9DepacketizerTest, KeepsTheFirstSpatialLayerOnly) {
  push(1, 0, false, {0x0c, 0x82, 0x49, 0x83, 0x42, 0x40, 0x13, 0xf0, 0x0e, 0xf0, 0x00});  // layer 0, B E
  push(2, 0, false, {0x08, 0x86, 0x00});                                                  // layer 1, B
  push(3, 0, true, {0x04, 0x40});                                                         // layer 1, E
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], kKeyframe);
}

TEST_F(Vp9DepacketizerTest, DropsFramesWithoutBeginOrEnd) {
  push(1, 0, true, {0x04, 0x86, 0x00});     // E without B
  push(2, 3000, true, {0x08, 0x86, 0x00});  // B without E
  push(3, 6000, false, {0x08, 0x86});
  push(4, 6000, true, {0x0c, 0x00, 0x40});  // a second B before E
  EXPECT_TRUE(out_.units.empty());
  EXPECT_EQ(d_.droppedUnits(), 3u);
}

TEST(Vp9PacketizerTest, MarksKeyFramesAndFrameEdges) {
  Vp9Packetizer p(8);
  const auto key = test::packetize(p, kKeyframe);
  ASSERT_EQ(key.size(), 2u);
  EXPECT_EQ(Bytes(key[0].bytes.begin(), key[0].bytes.begin() + 3), (Bytes{0x88, 0x80, 0x00}));  // I B
  EXPECT_EQ(Bytes(key[1].bytes.begin(), key[1].bytes.begin() + 3), (Bytes{0x84, 0x80, 0x00}));  // I E
  EXPECT_TRUE(key[1].marker);
  const auto inter = test::packetize(p, kInter);
  ASSERT_EQ(inter.size(), 1u);
  EXPECT_EQ(Bytes(inter[0].bytes.begin(), inter[0].bytes.begin() + 3), (Bytes{0xcc, 0x80, 0x01}));  // I P B E
}

TEST(Vp9PacketizerTest, RoundTrip) {
  Vp9Packetizer p(50);
  Vp9Depacketizer d;
  Bytes big = kKeyframe;
  big.resize(777, 0x3c);
  const auto out = test::roundTrip(p, d, {big, kInter});
  ASSERT_EQ(out.units.size(), 2u);
  EXPECT_EQ(out.units[0], big);
  EXPECT_TRUE(out.keyframes[0]);
  EXPECT_EQ(out.units[1], kInter);
}

}  // namespace
}  // namespace ocellus::rtp
