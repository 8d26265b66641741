#include "rtp/Av1Depacketizer.h"

#include <gtest/gtest.h>

#include "rtp/Av1Packetizer.h"
#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using test::Bytes;

// Canonical form: OBUs with size fields. Sequence header (0x0a), key frame (0x32, KEY_FRAME shown).
const Bytes kKeyUnit = {0x0a, 0x03, 0x00, 0x00, 0x00, 0x32, 0x04, 0x10, 0xaa, 0xbb, 0xcc};
const Bytes kInterUnit = {0x32, 0x02, 0x30, 0xdd};

class Av1DepacketizerTest : public ::testing::Test {
 protected:
  void push(std::uint16_t seq, std::uint32_t ts, bool marker, const Bytes& payload) {
    d_.push(seq, ts, marker, payload, onUnit_);
  }
  Av1Depacketizer d_;
  test::Collector out_;
  Depacketizer::OnUnit onUnit_ = out_.callback();
};

TEST_F(Av1DepacketizerTest, AddsSizeFieldsAndDropsTemporalDelimiters) {
  // W = 0 (every element with a length), N: a temporal delimiter (0x10), the sequence header
  // and the frame without size fields.
  push(1, 0, true, {0x08, 0x01, 0x10, 0x04, 0x08, 0x00, 0x00, 0x00, 0x05, 0x30, 0x10, 0xaa, 0xbb, 0xcc});
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], kKeyUnit);
  EXPECT_TRUE(out_.keyframes[0]);
}

TEST_F(Av1DepacketizerTest, LastElementWithoutLengthAndFragments) {
  // W = 2: the second element takes the rest; Y: it continues in the next packet.
  push(1, 0, false, {0x60, 0x04, 0x08, 0x00, 0x00, 0x00, 0x30, 0x10});
  // Z, W = 1: the fragment's end.
  push(2, 0, true, {0x90, 0xaa, 0xbb, 0xcc});
  // An OBU that keeps its size field is taken as well.
  push(3, 3000, true, {0x10, 0x32, 0x02, 0x30, 0xdd});
  ASSERT_EQ(out_.units.size(), 2u);
  EXPECT_EQ(out_.units[0], kKeyUnit);
  EXPECT_EQ(out_.units[1], kInterUnit);
  EXPECT_FALSE(out_.keyframes[1]);
}

TEST_F(Av1DepacketizerTest, DropsBrokenFragments) {
  push(1, 0, true, {0x90, 0xaa});           // Z without an open fragment
  push(2, 3000, true, {0x50, 0x30, 0x10});  // Y on the last packet: never ends
  push(3, 6000, false, {0x50, 0x30, 0x10});
  push(5, 6000, true, {0x90, 0xaa});        // its end after a loss
  push(6, 9000, true, {0x00, 0x05, 0x30});  // element length past the end
  EXPECT_TRUE(out_.units.empty());
  EXPECT_EQ(d_.droppedUnits(), 4u);
}

TEST(Av1PacketizerTest, FragmentsAndMarksNewSequence) {
  Av1Packetizer p(8);
  const auto payloads = test::packetize(p, kKeyUnit);
  // [N | len 4 | 08 00 00 00] [Y... frame: len 3 | 30 10 aa] → split as room allows
  ASSERT_GE(payloads.size(), 2u);
  EXPECT_EQ(payloads[0].bytes[0] & 0x08, 0x08);
  EXPECT_TRUE(payloads.back().marker);
  for (const auto& payload : payloads) EXPECT_LE(payload.bytes.size(), 8u);
  Av1Depacketizer d;
  test::Collector out;
  std::uint16_t seq = 0;
  for (const auto& payload : payloads) d.push(seq++, 0, payload.marker, payload.bytes, out.callback());
  ASSERT_EQ(out.units.size(), 1u);
  EXPECT_EQ(out.units[0], kKeyUnit);
}

TEST(Av1PacketizerTest, DropsTemporalDelimitersAndMalformedUnits) {
  Av1Packetizer p(1200);
  Bytes withDelimiter = {0x12, 0x00};
  withDelimiter.insert(withDelimiter.end(), kInterUnit.begin(), kInterUnit.end());
  const auto payloads = test::packetize(p, withDelimiter);
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_EQ(payloads[0].bytes, (Bytes{0x00, 0x03, 0x30, 0x30, 0xdd}));
  EXPECT_TRUE(test::packetize(p, Bytes{0x32, 0x09, 0x00}).empty());
  EXPECT_EQ(p.dropped(), 1u);
}

TEST(Av1PacketizerTest, RoundTrip) {
  for (std::size_t max : {5u, 9u, 100u, 1200u}) {
    Av1Packetizer p(max);
    Av1Depacketizer d;
    Bytes big = {0x32, 0xe8, 0x07, 0x30};  // a frame OBU of 1000 bytes
    big.resize(4 + 999, 0x42);
    Bytes keyBig = kKeyUnit;
    keyBig.insert(keyBig.end(), big.begin(), big.end());
    const auto out = test::roundTrip(p, d, {keyBig, kInterUnit, big});
    ASSERT_EQ(out.units.size(), 3u) << max;
    EXPECT_EQ(out.units[0], keyBig);
    EXPECT_TRUE(out.keyframes[0]);
    EXPECT_EQ(out.units[1], kInterUnit);
    EXPECT_EQ(out.units[2], big);
  }
}

}  // namespace
}  // namespace ocellus::rtp
