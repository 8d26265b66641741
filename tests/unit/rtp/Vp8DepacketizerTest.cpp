#include "rtp/Vp8Depacketizer.h"

#include <gtest/gtest.h>

#include "rtp/Vp8Packetizer.h"
#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using test::Bytes;

const Bytes kKeyframe = {0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 0x11, 0x22};
const Bytes kInter = {0x31, 0x05, 0x00, 0x33, 0x44};

class Vp8DepacketizerTest : public ::testing::Test {
 protected:
  void push(std::uint16_t seq, std::uint32_t ts, bool marker, const Bytes& payload) {
    d_.push(seq, ts, marker, payload, onUnit_);
  }
  Vp8Depacketizer d_;
  test::Collector out_;
  Depacketizer::OnUnit onUnit_ = out_.callback();
};

TEST_F(Vp8DepacketizerTest, JoinsPiecesBehindEveryDescriptorForm) {
  // Minimal descriptor, S set; then X with I (7-bit picture ID), L and T/K.
  push(1, 0, false, {0x10, 0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a});
  push(2, 0, true, {0x80, 0xf0, 0x12, 0x05, 0x40, 0x40, 0x01, 0xf0, 0x00, 0x11, 0x22});
  // X with I and a 15-bit picture ID.
  push(3, 3000, true, {0x90, 0x80, 0x81, 0x23, 0x31, 0x05, 0x00, 0x33, 0x44});
  ASSERT_EQ(out_.units.size(), 2u);
  EXPECT_EQ(out_.units[0], kKeyframe);
  EXPECT_TRUE(out_.keyframes[0]);
  EXPECT_EQ(out_.units[1], kInter);
  EXPECT_FALSE(out_.keyframes[1]);
  EXPECT_EQ(out_.timestamps[1], 3000u);
}

TEST_F(Vp8DepacketizerTest, DropsFramesWithoutTheirStartOrWithTwoStarts) {
  push(1, 0, true, {0x00, 0x31, 0x05, 0x00});  // no S
  push(2, 3000, false, {0x10, 0x31, 0x05});
  push(3, 3000, true, {0x10, 0x00, 0x33});        // a second start
  push(4, 6000, true, {0x11, 0x31, 0x05, 0x00});  // S on partition 1 is not a frame start
  push(5, 9000, true, {0x80, 0x80});              // descriptor cut short
  EXPECT_TRUE(out_.units.empty());
  EXPECT_EQ(d_.droppedUnits(), 4u);
}

TEST_F(Vp8DepacketizerTest, LossDropsTheFrame) {
  push(1, 0, false, {0x10, 0x50, 0x42, 0x00});
  push(3, 0, true, {0x00, 0x9d, 0x01, 0x2a});
  push(4, 3000, true, {0x10, 0x31, 0x05, 0x00});
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.timestamps[0], 3000u);
  EXPECT_EQ(d_.droppedUnits(), 1u);
}

TEST(Vp8PacketizerTest, SplitsEvenlyWithPictureIds) {
  Vp8Packetizer p(100);
  const Bytes frame(250, 0xab);
  const auto payloads = test::packetize(p, frame);
  ASSERT_EQ(payloads.size(), 3u);  // 96 bytes of frame per payload at most: 84, 83, 83
  EXPECT_EQ(payloads[0].bytes.size(), 4u + 84);
  EXPECT_EQ(payloads[2].bytes.size(), 4u + 83);
  EXPECT_EQ(Bytes(payloads[0].bytes.begin(), payloads[0].bytes.begin() + 4), (Bytes{0x90, 0x80, 0x80, 0x00}));
  EXPECT_EQ(Bytes(payloads[1].bytes.begin(), payloads[1].bytes.begin() + 4), (Bytes{0x80, 0x80, 0x80, 0x00}));
  EXPECT_FALSE(payloads[0].marker);
  EXPECT_TRUE(payloads[2].marker);
  const auto next = test::packetize(p, kInter);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].bytes[3], 0x01);  // the next picture ID
}

TEST(Vp8PacketizerTest, RoundTrip) {
  Vp8Packetizer p(64);
  Vp8Depacketizer d;
  Bytes big = kKeyframe;
  big.resize(1000, 0x5a);
  const auto out = test::roundTrip(p, d, {big, kInter, kInter});
  ASSERT_EQ(out.units.size(), 3u);
  EXPECT_EQ(out.units[0], big);
  EXPECT_TRUE(out.keyframes[0]);
  EXPECT_EQ(out.units[2], kInter);
  EXPECT_EQ(d.droppedUnits(), 0u);
}

}  // namespace
}  // namespace ocellus::rtp
