#include "rtp/H264Packetizer.h"

#include <gtest/gtest.h>

#include "unit/rtp/RtpTestUtil.h"

namespace ocellus::rtp {
namespace {

using test::Bytes;
using test::Payload;

Bytes unitOf(std::initializer_list<Bytes> nals) {
  Bytes unit;
  for (const auto& nal : nals) codec::appendNal(nal, unit);
  return unit;
}

Bytes nalOfSize(std::uint8_t header, std::size_t size) {
  Bytes nal(size);
  nal[0] = header;
  for (std::size_t i = 1; i < size; ++i) nal[i] = static_cast<std::uint8_t>(i);
  return nal;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const Bytes kSps = {0x67, 0x42, 0xc0, 0x1f};
const Bytes kPps = {0x68, 0xce, 0x3c, 0x80};
const Bytes kIdr = {0x65, 0x88, 0x84, 0x00, 0xff};

// RFC 6184 §5.7.1: STAP-A header (F=0, NRI=3, type 24), then NALU size and NAL unit per unit.
TEST(H264PacketizerTest, AggregatesSmallNalUnitsIntoOneStapA) {
  H264Packetizer p(1200, 1);
  const auto payloads = test::packetize(p, unitOf({kSps, kPps, kIdr}));
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_EQ(payloads[0], (Payload{{0x78, 0x00, 0x04, 0x67, 0x42, 0xc0, 0x1f, 0x00, 0x04, 0x68,
                                   0xce, 0x3c, 0x80, 0x00, 0x05, 0x65, 0x88, 0x84, 0x00, 0xff},
                                  true}));
}

TEST(H264PacketizerTest, StapAHeaderTakesTheHighestNriAndAnyFBit) {
  H264Packetizer p(1200, 1);
  const auto payloads = test::packetize(p, unitOf({{0x06, 0x01}, {0x21, 0x02}}));
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_EQ(payloads[0].bytes[0], 0x38);  // NRI 1 from the slice
  const auto forbidden = test::packetize(p, unitOf({{0x86, 0x01}, {0x01, 0x02}}));
  EXPECT_EQ(forbidden[0].bytes[0], 0x98);
}

// §5.8: FU indicator (F, NRI, type 28) and FU header (S, E, type 5); 1198 bytes of the NAL
// unit after its header byte per packet: 2999 = 1198 + 1198 + 603.
TEST(H264PacketizerTest, FragmentsALargeNalUnitWithFuA) {
  H264Packetizer p(1200, 1);
  const Bytes idr = nalOfSize(0x65, 3000);
  const auto payloads = test::packetize(p, unitOf({idr}));
  ASSERT_EQ(payloads.size(), 3u);
  const std::uint8_t fuHeaders[] = {0x85, 0x05, 0x45};
  std::size_t at = 1;
  for (std::size_t i = 0; i < 3; ++i) {
    const Bytes& b = payloads[i].bytes;
    const std::size_t n = i < 2 ? 1198 : 603;
    ASSERT_EQ(b.size(), 2 + n);
    EXPECT_EQ(b[0], 0x7c);
    EXPECT_EQ(b[1], fuHeaders[i]);
    EXPECT_TRUE(std::equal(b.begin() + 2, b.end(), idr.begin() + at));
    EXPECT_EQ(payloads[i].marker, i == 2);
    at += n;
  }
}

TEST(H264PacketizerTest, MixesStapAFuAAndSingleNalUnits) {
  H264Packetizer p(1200, 1);
  const Bytes idr = nalOfSize(0x65, 3000);
  const Bytes big = nalOfSize(0x41, 1000);
  const Bytes fits = nalOfSize(0x41, 1200);
  const auto payloads = test::packetize(p, unitOf({kSps, kPps, idr, big, {0x41, 0x01}, fits}));
  // STAP-A(SPS, PPS), 3 x FU-A, STAP-A(big, 2-byte slice), the 1200-byte slice alone.
  ASSERT_EQ(payloads.size(), 6u);
  EXPECT_EQ(payloads[0].bytes[0], 0x78);
  EXPECT_EQ(payloads[1].bytes[1], 0x85);
  EXPECT_EQ(payloads[3].bytes[1], 0x45);
  EXPECT_EQ(payloads[4].bytes, concat({{0x58, 0x03, 0xe8}, big, {0x00, 0x02, 0x41, 0x01}}));
  EXPECT_EQ(payloads[5], (Payload{fits, true}));
  EXPECT_EQ(std::count_if(payloads.begin(), payloads.end(), [](auto& x) { return x.marker; }), 1);
}

TEST(H264PacketizerTest, ModeZeroSendsSingleNalUnitsAndDropsLargeOnes) {
  H264Packetizer p(1200, 0);
  const Bytes slice = {0x41, 0x9a};
  const auto payloads = test::packetize(p, unitOf({kSps, kPps, nalOfSize(0x65, 3000), slice}));
  ASSERT_EQ(payloads.size(), 3u);
  EXPECT_EQ(payloads[0], (Payload{kSps, false}));
  EXPECT_EQ(payloads[1], (Payload{kPps, false}));
  EXPECT_EQ(payloads[2], (Payload{slice, true}));
  EXPECT_EQ(p.dropped(), 1u);
}

TEST(H264PacketizerTest, AppendsToTheBufferAndIgnoresEmptyUnits) {
  H264Packetizer p(1200, 1);
  std::vector<std::uint8_t> bytes = {0xee, 0xee};
  std::vector<PayloadRef> refs;
  p.packetize(Bytes{}, bytes, refs);
  EXPECT_TRUE(refs.empty());
  p.packetize(unitOf({kIdr}), bytes, refs);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].offset, 2u);
  EXPECT_EQ(refs[0].size, kIdr.size());
  EXPECT_TRUE(refs[0].marker);
}

}  // namespace
}  // namespace ocellus::rtp
