#include "rtp/rtcp/Fir.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;

static_assert(Fir::kMaxEntries == (0xffff - 2) / 2);

// RFC 5104 §4.3.1: FMT=4, media source 0, an (SSRC, Seq nr., 24 reserved bits) entry per target.
const Bytes kTwoEntries = {0x84, 0xce, 0x00, 0x06, 0x11, 0x11, 0x11, 0x11, 0x00, 0x00,
                           0x00, 0x00, 0x22, 0x22, 0x22, 0x22, 0x07, 0x00, 0x00, 0x00,
                           0x33, 0x33, 0x33, 0x33, 0xff, 0x00, 0x00, 0x00};

TEST(FirTest, ParsesAndWritesEntries) {
  auto fir = Fir::parse(kTwoEntries);
  ASSERT_TRUE(fir);
  EXPECT_EQ(fir->senderSsrc, 0x11111111u);
  EXPECT_EQ(fir->mediaSsrc, 0u);
  ASSERT_EQ(fir->entries.size(), 2u);
  EXPECT_EQ(fir->entries[0], (Fir::Entry{0x22222222, 7}));
  EXPECT_EQ(fir->entries[1], (Fir::Entry{0x33333333, 255}));
  Bytes out;
  fir->serialize(out);
  EXPECT_EQ(out, kTwoEntries);
}

TEST(FirTest, IgnoresReservedBits) {
  Bytes data = kTwoEntries;
  data[17] = 0xab;
  auto fir = Fir::parse(data);
  ASSERT_TRUE(fir);
  EXPECT_EQ(fir->entries[0].seqNr, 7);
  Bytes out;
  fir->serialize(out);
  EXPECT_EQ(out, kTwoEntries);
}

TEST(FirTest, RejectsNoOrPartialEntries) {
  EXPECT_FALSE(Fir::parse(std::span(kTwoEntries).first(12)));  // length says 6 words
  Bytes none(kTwoEntries.begin(), kTwoEntries.begin() + 12);
  none[3] = 0x02;
  EXPECT_FALSE(Fir::parse(none));
  Bytes half(kTwoEntries.begin(), kTwoEntries.begin() + 16);
  half[3] = 0x03;
  EXPECT_FALSE(Fir::parse(half));
  Bytes pli = kTwoEntries;
  pli[0] = 0x81;
  EXPECT_FALSE(Fir::parse(pli));
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
