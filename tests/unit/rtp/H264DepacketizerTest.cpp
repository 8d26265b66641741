#include "rtp/H264Depacketizer.h"

#include <gtest/gtest.h>

#include "codec/h264/Nal.h"
#include "rtp/H264Packetizer.h"
#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using test::Bytes;

Bytes unitOf(std::initializer_list<Bytes> nals) {
  Bytes unit;
  for (const auto& nal : nals) codec::appendNal(nal, unit);
  return unit;
}

const Bytes kSps = {0x67, 0x42, 0xc0, 0x1f};
const Bytes kPps = {0x68, 0xce, 0x3c, 0x80};
const Bytes kIdr = {0x65, 0x88, 0x84, 0x00, 0xff};
const Bytes kSlice = {0x41, 0x9a, 0x02};

class H264DepacketizerTest : public ::testing::Test {
 protected:
  void push(std::uint16_t seq, std::uint32_t ts, bool marker, const Bytes& payload) {
    d_.push(seq, ts, marker, payload, onUnit_);
  }
  H264Depacketizer d_;
  test::Collector out_;
  Depacketizer::OnUnit onUnit_ = out_.callback();
};

TEST_F(H264DepacketizerTest, SingleNalUnitPackets) {
  push(10, 9000, false, kSps);
  push(11, 9000, false, kPps);
  push(12, 9000, true, kIdr);
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], unitOf({kSps, kPps, kIdr}));
  EXPECT_EQ(out_.timestamps[0], 9000u);
  EXPECT_TRUE(out_.keyframes[0]);
}

// RFC 6184 §5.7.1 Figure 7: STAP-A header, then NALU size and NAL unit, twice.
TEST_F(H264DepacketizerTest, StapA) {
  push(1, 0, false, {0x78, 0x00, 0x04, 0x67, 0x42, 0xc0, 0x1f, 0x00, 0x04, 0x68, 0xce, 0x3c, 0x80});
  push(2, 0, true, kIdr);
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], unitOf({kSps, kPps, kIdr}));
}

// §5.8: the NAL unit header is rebuilt from the FU indicator's F and NRI and the FU header's type.
TEST_F(H264DepacketizerTest, FuA) {
  push(100, 0, false, {0x7c, 0x85, 0x88, 0x84});
  push(101, 0, false, {0x7c, 0x05, 0x00});
  push(102, 0, true, {0x7c, 0x45, 0xff});
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], unitOf({kIdr}));
  EXPECT_TRUE(out_.keyframes[0]);
}

TEST_F(H264DepacketizerTest, DropsAccessUnitDelimitersAndFillerData) {
  push(1, 0, false, {0x09, 0xf0});
  push(2, 0, false, {0x78, 0x00, 0x02, 0x09, 0xf0, 0x00, 0x03, 0x0c, 0xff, 0x80});  // STAP-A: AUD, filler
  push(3, 0, false, {0x7c, 0x8c, 0xff});                                            // FU-A filler
  push(4, 0, false, {0x7c, 0x4c, 0x80});
  push(5, 0, true, kSlice);
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], unitOf({kSlice}));
  EXPECT_FALSE(out_.keyframes[0]);
}

TEST_F(H264DepacketizerTest, ATimestampChangeEndsAUnitWithoutMarker) {
  push(1, 0, false, kIdr);
  push(2, 3000, false, kSlice);
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], unitOf({kIdr}));
  push(3, 6000, false, kSlice);
  ASSERT_EQ(out_.units.size(), 2u);
  EXPECT_EQ(out_.timestamps[1], 3000u);
  EXPECT_EQ(d_.droppedUnits(), 0u);
}

TEST_F(H264DepacketizerTest, LossInsideAFuADropsExactlyThatUnit) {
  push(1, 0, true, kIdr);
  push(2, 3000, false, {0x7c, 0x81, 0x9a});
  // 3 is lost
  push(4, 3000, true, {0x7c, 0x41, 0x02});
  push(5, 6000, true, kSlice);
  ASSERT_EQ(out_.units.size(), 2u);
  EXPECT_EQ(out_.timestamps, (std::vector<std::uint32_t>{0, 6000}));
  EXPECT_EQ(d_.droppedUnits(), 1u);
}

TEST_F(H264DepacketizerTest, AFuAWithoutStartOrEndIsDropped) {
  push(1, 0, false, {0x7c, 0x05, 0x00});
  push(2, 0, true, {0x7c, 0x45, 0xff});
  EXPECT_EQ(d_.droppedUnits(), 1u);
  push(3, 3000, false, {0x7c, 0x85, 0x88});  // no end before the marker
  push(4, 3000, true, kSlice);
  EXPECT_EQ(d_.droppedUnits(), 2u);
  push(5, 6000, false, {0x7c, 0x85, 0x88});  // no end before the timestamp changes
  push(6, 9000, true, kSlice);
  EXPECT_EQ(d_.droppedUnits(), 3u);
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.timestamps[0], 9000u);
}

TEST_F(H264DepacketizerTest, MalformedPayloadsDropTheirUnit) {
  const std::vector<Bytes> bad = {
      {},                                    // empty
      {0x00, 0x01},                          // type 0
      {0x1e, 0x01},                          // type 30
      {0x19, 0x00, 0x01},                    // STAP-B: interleaved mode only
      {0x78, 0x00, 0x05, 0x67, 0x42},        // STAP-A size past the end
      {0x78, 0x00, 0x00},                    // STAP-A zero size
      {0x78, 0x00, 0x02, 0x67, 0x42, 0x00},  // STAP-A trailing byte
      {0x78, 0x00, 0x02, 0x7c, 0x85},        // STAP-A holding an FU-A
      {0x7c},                                // FU-A without FU header
      {0x7c, 0x9c, 0x01},                    // FU-A of an FU-A
  };
  std::uint16_t seq = 0;
  std::uint32_t ts = 0;
  for (const auto& payload : bad) {
    push(seq++, ts, false, kSps);
    push(seq++, ts, true, payload);
    ts += 3000;
  }
  EXPECT_TRUE(out_.units.empty());
  EXPECT_EQ(d_.droppedUnits(), bad.size());
  push(seq++, ts, true, kSlice);  // recovers at once
  EXPECT_EQ(out_.units.size(), 1u);
}

TEST_F(H264DepacketizerTest, DuplicatesAndLatePacketsAreIgnored) {
  push(1, 0, false, kSps);
  push(1, 0, false, kSps);
  push(2, 0, true, kIdr);
  push(2, 0, true, kIdr);
  push(1, 0, true, kIdr);
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], unitOf({kSps, kIdr}));
}

TEST_F(H264DepacketizerTest, ReorderedFragmentsDropTheUnitAndRecover) {
  push(1, 0, false, {0x7c, 0x85, 0x88});
  push(3, 0, true, {0x7c, 0x45, 0xff});
  push(2, 0, false, {0x7c, 0x05, 0x00});  // late
  push(4, 3000, true, kSlice);
  EXPECT_EQ(d_.droppedUnits(), 1u);
  ASSERT_EQ(out_.units.size(), 1u);
  EXPECT_EQ(out_.units[0], unitOf({kSlice}));
}

// A lost packet may have been the start of the next unit: that one is dropped too.
TEST_F(H264DepacketizerTest, AGapBeforeAUnitDropsIt) {
  push(1, 0, true, kIdr);
  push(3, 3000, true, kSlice);
  push(4, 6000, true, kSlice);
  EXPECT_EQ(d_.droppedUnits(), 1u);
  EXPECT_EQ(out_.timestamps, (std::vector<std::uint32_t>{0, 6000}));
}

// FFmpeg's RTP muxer packetized tests/data/h264/*.h264 (tests/data/rtp/capture.py): its
// packets must give back the file's access units byte for byte, and our packetizer at its
// payload size (1460) must give the same payloads, but for one deviation of FFmpeg 5.1: it
// leaves NRI 0 in STAP-A headers where RFC 6184 §5.7.1 asks for the highest NRI inside.
void checkCapture(const std::string& capture, const std::string& file, std::size_t expectedUnits) {
  const auto packets = test::readCapture(capture);
  ASSERT_FALSE(packets.empty());
  const Bytes stream = ocellus::test::readTestData(file);
  const auto expected =
      test::accessUnits(stream, [](auto nal) { return codec::h264::isVcl(codec::h264::nalType(nal[0])); });
  ASSERT_EQ(expected.size(), expectedUnits);

  H264Depacketizer d;
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
  ASSERT_EQ(out.units, expected);
  EXPECT_TRUE(out.keyframes[0]);
  EXPECT_EQ(std::count(out.keyframes.begin(), out.keyframes.end(), true), 1);

  H264Packetizer packetizer(1460, 1);
  std::vector<test::Payload> ours;
  for (const auto& unit : out.units) {
    for (auto& payload : test::packetize(packetizer, unit)) ours.push_back(std::move(payload));
  }
  ASSERT_FALSE(ours.empty());
  EXPECT_EQ(ours[0].bytes[0], 0x78);  // STAP-A of SPS, PPS and SEI: NRI 3 from the SPS
  for (auto* payloads : {&ours, &theirs}) {
    for (auto& payload : *payloads) {
      if (codec::h264::nalType(payload.bytes[0]) == codec::h264::NalType::StapA) payload.bytes[0] &= 0x9f;
    }
  }
  EXPECT_EQ(ours, theirs);
}

TEST(H264DepacketizerCaptureTest, Baseline320x240) {
  checkCapture("rtp/h264_320x240.rtp", "h264/testsrc_320x240.h264", 10);
}

TEST(H264DepacketizerCaptureTest, High1280x720WithBFrames) {
  checkCapture("rtp/h264_1280x720_high.rtp", "h264/testsrc_1280x720_high.h264", 10);
}

}  // namespace
}  // namespace ocellus::rtp
