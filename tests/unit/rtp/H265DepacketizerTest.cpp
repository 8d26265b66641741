#include "rtp/H265Depacketizer.h"

#include <gtest/gtest.h>

#include "codec/NalUnits.h"
#include "codec/h265/Nal.h"
#include "rtp/H265Packetizer.h"
#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using test::Bytes;

Bytes unitOf(std::initializer_list<Bytes> nals) {
  Bytes unit;
  for (const auto& nal : nals) codec::appendNal(nal, unit);
  return unit;
}

const Bytes kVps = {0x40, 0x01, 0x0c};
const Bytes kSps = {0x42, 0x01, 0x01};
const Bytes kIdr = {0x26, 0x01, 0xaf, 0x12, 0x34};
const Bytes kTrail = {0x02, 0x01, 0xd0};

class H265DepacketizerTest : public ::testing::Test {
 protected:
  void push(std::uint16_t seq, std::uint32_t ts, bool marker, const Bytes& payload) {
    d_.push(seq, ts, marker, payload, onUnit_);
  }
  H265Depacketizer d_;
  test::Collector out_;
  Depacketizer::OnUnit onUnit_ = out_.callback();
};

TEST_F(H265DepacketizerTest, SingleApAndFu) {
  push(1, 0, false, {0x60, 0x01, 0x00, 0x03, 0x40, 0x01, 0x0c, 0x00, 0x03, 0x42, 0x01, 0x01});  // AP
  push(2, 0, false, {0x62, 0x01, 0x93, 0xaf});                                                  // FU start
  push(3, 0, false, {0x62, 0x01, 0x13, 0x12});
  push(4, 0, true, {0x62, 0x01, 0x53, 0x34});  // FU end
  push(5, 3000, true, kTrail);
  ASSERT_EQ(out_.units.size(), 2u);
  EXPECT_EQ(out_.units[0], unitOf({kVps, kSps, kIdr}));
  EXPECT_TRUE(out_.keyframes[0]);
  EXPECT_EQ(out_.units[1], unitOf({kTrail}));
  EXPECT_FALSE(out_.keyframes[1]);
}

TEST_F(H265DepacketizerTest, DropsAccessUnitDelimitersAndFillerData) {
  push(1, 0, false, {0x46, 0x01, 0x50});  // AUD
  push(2, 0, false, {0x4c, 0x01, 0xff});  // FD
  push(3, 0, true, kTrail);
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], unitOf({kTrail}));
}

TEST_F(H265DepacketizerTest, LossInsideAFuDropsExactlyThatUnit) {
  push(1, 0, true, kTrail);
  push(2, 3000, false, {0x62, 0x01, 0x93, 0xaf});
  push(4, 3000, true, {0x62, 0x01, 0x53, 0x34});
  push(5, 6000, true, kTrail);
  EXPECT_EQ(out_.timestamps, (std::vector<std::uint32_t>{0, 6000}));
  EXPECT_EQ(d_.droppedUnits(), 1u);
}

TEST_F(H265DepacketizerTest, MalformedPayloadsDropTheirUnit) {
  const std::vector<Bytes> bad = {
      {0x02},                                // shorter than the header
      {0x64, 0x01, 0x00},                    // PACI
      {0x7e, 0x01, 0x00},                    // type 63
      {0x60, 0x01, 0x00, 0x01, 0x02},        // AP unit shorter than a header
      {0x60, 0x01, 0x00, 0x09, 0x02, 0x01},  // AP size past the end
      {0x62, 0x01},                          // FU without FU header
      {0x62, 0x01, 0xb0, 0x00},              // FU of an AP
  };
  std::uint16_t seq = 0;
  std::uint32_t ts = 0;
  for (const auto& payload : bad) {
    push(seq++, ts, true, payload);
    ts += 3000;
  }
  EXPECT_TRUE(out_.units.empty());
  EXPECT_EQ(d_.droppedUnits(), bad.size());
}

// The units with each NAL unit's trailing zero bytes removed. FFmpeg 5.1's HEVC parser leaves
// the first zero of the next four-byte start code at the end of an access unit, and its RTP
// muxer sends it as part of the last NAL unit; we pass NAL units on as they come.
std::vector<Bytes> trimmed(const std::vector<Bytes>& units) {
  std::vector<Bytes> out;
  for (const auto& unit : units) {
    Bytes& t = out.emplace_back();
    for (auto nal : codec::NalUnits(unit)) {
      while (nal.back() == 0) nal = nal.first(nal.size() - 1);
      codec::appendNal(nal, t);
    }
  }
  return out;
}

// FFmpeg's RTP muxer packetized tests/data/h265/testsrc_426x240.h265 (AP for the parameter
// sets, FUs for the SEI and large slices): the units must be the file's, and our packetizer
// at FFmpeg's payload size must give back FFmpeg's payloads from them, byte for byte.
TEST(H265DepacketizerCaptureTest, X265Main426x240) {
  const auto packets = test::readCapture("rtp/h265_426x240.rtp");
  ASSERT_FALSE(packets.empty());
  const Bytes stream = ocellus::test::readTestData("h265/testsrc_426x240.h265");
  const auto expected =
      test::accessUnits(stream, [](auto nal) { return codec::h265::isVcl(codec::h265::nalType(nal[0])); });
  ASSERT_EQ(expected.size(), 10u);

  H265Depacketizer d;
  test::Collector out;
  const auto onUnit = out.callback();
  std::vector<test::Payload> theirs;
  for (const auto& bytes : packets) {
    auto p = RtpPacket::parse(bytes);
    ASSERT_TRUE(p);
    d.push(p->sequence(), p->timestamp(), p->marker(), p->payload(), onUnit);
    theirs.push_back({Bytes(p->payload().begin(), p->payload().end()), p->marker()});
  }
  EXPECT_EQ(d.droppedUnits(), 0u);
  ASSERT_EQ(trimmed(out.units), expected);
  EXPECT_EQ(std::count(out.keyframes.begin(), out.keyframes.end(), true), 1);
  EXPECT_TRUE(out.keyframes[0]);

  H265Packetizer packetizer(1460);
  std::vector<test::Payload> ours;
  for (const auto& unit : out.units) {
    for (auto& payload : test::packetize(packetizer, unit)) ours.push_back(std::move(payload));
  }
  EXPECT_EQ(ours, theirs);
}

}  // namespace
}  // namespace ocellus::rtp
