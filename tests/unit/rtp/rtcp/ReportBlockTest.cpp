#include "rtp/rtcp/ReportBlock.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;

// RFC 3550 §6.4.1 layout, field by field; the loss of -1 is 0xffffff in 24-bit two's complement.
const Bytes kBlock = {0x01, 0x02, 0x03, 0x04, 0x80, 0xff, 0xff, 0xff, 0x00, 0x01, 0x00, 0x02,
                      0x00, 0x00, 0x00, 0x10, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x80, 0x00};

TEST(ReportBlockTest, ParsesAndWritesEveryField) {
  auto b = ReportBlock::parse(kBlock);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->ssrc, 0x01020304u);
  EXPECT_EQ(b->fractionLost, 0x80);  // half
  EXPECT_EQ(b->cumulativeLost, -1);
  EXPECT_EQ(b->extendedHighestSeq, 0x00010002u);  // one cycle, sequence number 2
  EXPECT_EQ(b->jitter, 16u);
  EXPECT_EQ(b->lastSr, 0x11223344u);
  EXPECT_EQ(b->delaySinceLastSr, 0x8000u);  // half a second
  Bytes out;
  b->serialize(out);
  EXPECT_EQ(out, kBlock);
}

TEST(ReportBlockTest, ClampsTheCumulativeLossTo24Bits) {
  ReportBlock b;
  for (auto [lost, wire, back] :
       {std::tuple{0x1000000, 0x7fffffu, 0x7fffff}, std::tuple{0x7fffff, 0x7fffffu, 0x7fffff},
        std::tuple{-0x800000, 0x800000u, -0x800000}, std::tuple{-0x900000, 0x800000u, -0x800000},
        std::tuple{12, 12u, 12}}) {
    b.cumulativeLost = lost;
    Bytes out;
    b.serialize(out);
    ASSERT_EQ(out.size(), ReportBlock::kSize);
    EXPECT_EQ(std::uint32_t{out[5]} << 16 | std::uint32_t{out[6]} << 8 | out[7], wire) << lost;
    EXPECT_EQ(ReportBlock::parse(out)->cumulativeLost, back) << lost;
  }
}

// RFC 3550 §6.4.1, Figure 2: LSR 0xb705:2000 (46853.125 s), DLSR 0x0005:4000 (5.250 s), the
// report received at A = 0xb710:8000 (46864.500 s): the round trip is 0x0006:2000 (6.125 s).
TEST(ReportBlockTest, ComputesTheRoundTripTime) {
  ReportBlock b;
  EXPECT_FALSE(b.roundTripTime(0xb7108000));  // no SR echoed
  b.lastSr = 0xb7052000;
  b.delaySinceLastSr = 0x00054000;
  EXPECT_EQ(b.roundTripTime(0xb7108000), std::chrono::microseconds(6125000));
  EXPECT_EQ(b.roundTripTime(0xb7052000), std::chrono::microseconds(0));  // clocks disagree
  // Across the 18-hour wrap of the 32-bit NTP middle.
  b.lastSr = 0xffff8000;
  b.delaySinceLastSr = 0x00008000;
  EXPECT_EQ(b.roundTripTime(0x00004000), std::chrono::microseconds(250000));
}

TEST(ReportBlockTest, RejectsShortInput) {
  EXPECT_FALSE(ReportBlock::parse(std::span(kBlock).first(ReportBlock::kSize - 1)));
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
