#include "rtp/H265Packetizer.h"

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

const Bytes kVps = {0x40, 0x01, 0x0c, 0x01};
const Bytes kSps = {0x42, 0x01, 0x01, 0x01, 0x60};
const Bytes kPps = {0x44, 0x01, 0xc1, 0x72};

// RFC 7798 §4.4.2 Figure 7: PayloadHdr (Type=48, lowest LayerId and TID), NALU size and unit.
TEST(H265PacketizerTest, AggregatesParameterSetsIntoOneAp) {
  H265Packetizer p(1200);
  const auto payloads = test::packetize(p, unitOf({kVps, kSps, kPps}));
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_EQ(payloads[0], (Payload{{0x60, 0x01, 0x00, 0x04, 0x40, 0x01, 0x0c, 0x01, 0x00, 0x05, 0x42,
                                   0x01, 0x01, 0x01, 0x60, 0x00, 0x04, 0x44, 0x01, 0xc1, 0x72},
                                  true}));
}

TEST(H265PacketizerTest, ApHeaderTakesTheLowestLayerIdAndTid) {
  H265Packetizer p(1200);
  // LayerId 33 / TID 3 and LayerId 2 / TID 2 (F set on the first).
  const auto payloads = test::packetize(p, unitOf({{0x83, 0x0b, 0xaa}, {0x02, 0x12, 0xbb}}));
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_EQ(payloads[0].bytes[0], 0x80 | 48 << 1 | 0);
  EXPECT_EQ(payloads[0].bytes[1], 2 << 3 | 2);
}

// §4.4.3 Figure 9: PayloadHdr (Type=49, F/LayerId/TID copied), FU header (S, E, FuType 19),
// then 1197 bytes per packet of the NAL unit after its 2-byte header: 2998 = 1197 + 1197 + 604.
TEST(H265PacketizerTest, FragmentsALargeNalUnit) {
  H265Packetizer p(1200);
  Bytes idr(3000);
  idr[0] = 0x26;  // IDR_W_RADL
  idr[1] = 0x01;
  for (std::size_t i = 2; i < idr.size(); ++i) idr[i] = static_cast<std::uint8_t>(i * 7);
  const auto payloads = test::packetize(p, unitOf({idr}));
  ASSERT_EQ(payloads.size(), 3u);
  const std::uint8_t fuHeaders[] = {0x93, 0x13, 0x53};
  std::size_t at = 2;
  for (std::size_t i = 0; i < 3; ++i) {
    const Bytes& b = payloads[i].bytes;
    const std::size_t n = i < 2 ? 1197 : 604;
    ASSERT_EQ(b.size(), 3 + n);
    EXPECT_EQ(b[0], 0x62);
    EXPECT_EQ(b[1], 0x01);
    EXPECT_EQ(b[2], fuHeaders[i]);
    EXPECT_TRUE(std::equal(b.begin() + 3, b.end(), idr.begin() + at));
    EXPECT_EQ(payloads[i].marker, i == 2);
    at += n;
  }
}

TEST(H265PacketizerTest, DropsNalUnitsShorterThanTheirHeader) {
  H265Packetizer p(1200);
  const Bytes trail = {0x02, 0x01, 0xd0};
  const auto payloads = test::packetize(p, unitOf({{0x02}, trail}));
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_EQ(payloads[0], (Payload{trail, true}));
  EXPECT_EQ(p.dropped(), 1u);
}

}  // namespace
}  // namespace ocellus::rtp
