#include "rtp/AacDepacketizer.h"

#include <gtest/gtest.h>

#include "rtp/AacPacketizer.h"
#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using test::Bytes;

class AacDepacketizerTest : public ::testing::Test {
 protected:
  void push(std::uint16_t seq, std::uint32_t ts, const Bytes& payload) {
    d_.push(seq, ts, true, payload, onUnit_);
  }
  AacDepacketizer d_;
  test::Collector out_;
  Depacketizer::OnUnit onUnit_ = out_.callback();
};

// RFC 3640 §3.2.1: AU-headers-length 48 bits, three AU headers (sizes 2, 3, 1), then the AUs.
TEST_F(AacDepacketizerTest, SplitsSeveralAusWithSteppedTimestamps) {
  push(7, 90000, {0x00, 0x30, 0x00, 0x10, 0x00, 0x18, 0x00, 0x08, 0xa1, 0xa2, 0xb1, 0xb2, 0xb3, 0xc1});
  ASSERT_EQ(out_.units.size(), 3u);
  EXPECT_EQ(out_.units, (std::vector<Bytes>{{0xa1, 0xa2}, {0xb1, 0xb2, 0xb3}, {0xc1}}));
  EXPECT_EQ(out_.timestamps, (std::vector<std::uint32_t>{90000, 91024, 92048}));
  EXPECT_EQ(out_.keyframes, (std::vector<bool>{true, true, true}));
}

TEST_F(AacDepacketizerTest, CountsAFragmentedAuOnceAndDropsIt) {
  push(1, 0, {0x00, 0x10, 0x00, 0x28, 0x01, 0x02});  // AU of 5 bytes, 2 here
  push(2, 0, {0x00, 0x10, 0x00, 0x28, 0x03, 0x04, 0x05});
  EXPECT_TRUE(out_.units.empty());
  EXPECT_EQ(d_.droppedUnits(), 1u);
  push(3, 1024, {0x00, 0x10, 0x00, 0x08, 0x09});
  EXPECT_EQ(out_.units, (std::vector<Bytes>{{0x09}}));
}

TEST_F(AacDepacketizerTest, DropsMalformedPackets) {
  const std::vector<Bytes> bad = {
      {0x00},                                            // no AU-headers-length
      {0x00, 0x0f, 0x00, 0x08},                          // 15 bits of headers
      {0x00, 0x20, 0x00, 0x08},                          // headers past the end
      {0x00, 0x10, 0x00, 0x08, 0x01, 0x02},              // data left over
      {0x00, 0x20, 0x00, 0x08, 0x00, 0x18, 0x01, 0x02},  // sizes beyond the data
  };
  std::uint16_t seq = 0;
  for (const auto& payload : bad) push(seq++, 0, payload);
  EXPECT_TRUE(out_.units.empty());
  EXPECT_EQ(d_.droppedUnits(), bad.size());
}

TEST_F(AacDepacketizerTest, IgnoresDuplicatesAndEmptyAus) {
  push(1, 0, {0x00, 0x10, 0x00, 0x08, 0x09});
  push(1, 0, {0x00, 0x10, 0x00, 0x08, 0x09});
  push(2, 1024, {0x00, 0x20, 0x00, 0x00, 0x00, 0x08, 0x0a});
  EXPECT_EQ(out_.units, (std::vector<Bytes>{{0x09}, {0x0a}}));
  EXPECT_EQ(out_.timestamps, (std::vector<std::uint32_t>{0, 2048}));
}

// The raw frames of an ADTS stream (ISO/IEC 14496-3 §1.A.2): a 7-byte header, 9 with CRC.
std::vector<Bytes> adtsFrames(const Bytes& stream) {
  std::vector<Bytes> frames;
  for (std::size_t at = 0; at + 7 <= stream.size();) {
    const std::size_t length = (stream[at + 3] & 3u) << 11 | stream[at + 4] << 3 | stream[at + 5] >> 5;
    const std::size_t header = (stream[at + 1] & 1) ? 7 : 9;
    if (length < header || at + length > stream.size()) break;
    frames.emplace_back(stream.begin() + at + header, stream.begin() + at + length);
    at += length;
  }
  return frames;
}

// FFmpeg's RTP muxer put up to 9 frames of tests/data/aac/sine_48000_stereo.aac in each of 6
// packets; it did not send the last 2 frames, still buffered when the input ended.
TEST(AacDepacketizerCaptureTest, FfmpegAggregatedPackets) {
  const auto frames = adtsFrames(ocellus::test::readTestData("aac/sine_48000_stereo.aac"));
  ASSERT_EQ(frames.size(), 48u);
  const auto packets = test::readCapture("rtp/aac_48000_stereo.rtp");
  ASSERT_LT(packets.size(), 10u);

  AacDepacketizer d;
  test::Collector out;
  const auto onUnit = out.callback();
  for (const auto& bytes : packets) {
    auto p = RtpPacket::parse(bytes);
    ASSERT_TRUE(p);
    d.push(p->sequence(), p->timestamp(), p->marker(), p->payload(), onUnit);
  }
  EXPECT_EQ(d.droppedUnits(), 0u);
  EXPECT_EQ(out.units, std::vector<Bytes>(frames.begin(), frames.end() - 2));
  for (std::size_t i = 1; i < out.timestamps.size(); ++i) {
    EXPECT_EQ(out.timestamps[i] - out.timestamps[i - 1], 1024u) << i;
  }
}

TEST(AacDepacketizerCaptureTest, RoundTripsThroughOurPacketizer) {
  const auto frames = adtsFrames(ocellus::test::readTestData("aac/sine_48000_stereo.aac"));
  AacPacketizer packetizer(1200);
  AacDepacketizer depacketizer;
  const auto out = test::roundTrip(packetizer, depacketizer, frames, 1024);
  EXPECT_EQ(out.units, frames);
}

}  // namespace
}  // namespace ocellus::rtp
