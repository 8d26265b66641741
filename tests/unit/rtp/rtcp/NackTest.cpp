#include "rtp/rtcp/Nack.h"

#include <gtest/gtest.h>

#include <vector>

#include "unit/TestData.h"

namespace ocellus::rtp::rtcp {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Seqs = std::vector<std::uint16_t>;
using Items = std::vector<Nack::Item>;

static_assert(Nack::kMaxItems == 0xffff - 2);  // the length counts the two SSRCs' words too

// aiortc's NACK for 10000, 10001, 10003 and 10020 (tests/data/webrtc/rtcp).
TEST(NackTest, MatchesAiortcsBytes) {
  const Bytes data = test::readTestData("webrtc/rtcp/nack_rsize.bin");
  auto nack = Nack::parse(data);
  ASSERT_TRUE(nack);
  EXPECT_EQ(nack->senderSsrc, 1u);
  EXPECT_EQ(nack->mediaSsrc, 0x5c2f7a1eu);
  EXPECT_EQ(nack->items, (Items{{10000, 0x0005}, {10020, 0x0000}}));
  EXPECT_EQ(Nack::toSequenceNumbers(nack->items), (Seqs{10000, 10001, 10003, 10020}));

  Nack ours;
  ours.senderSsrc = 1;
  ours.mediaSsrc = 0x5c2f7a1e;
  ours.items = Nack::toItems(Seqs{10000, 10001, 10003, 10020});
  Bytes out;
  ours.serialize(out);
  EXPECT_EQ(out, data);
}

// Across 65535 -> 0: one PID and its BLP cover both sides (RFC 4585 §6.2.1).
TEST(NackTest, ItemsWrapAround) {
  const Seqs missing = {65534, 65535, 0, 1, 20};
  const Items items = Nack::toItems(missing);
  EXPECT_EQ(items, (Items{{65534, 0x0007}, {20, 0x0000}}));
  EXPECT_EQ(Nack::toSequenceNumbers(items), missing);

  Nack nack;
  nack.senderSsrc = 0x01020304;
  nack.mediaSsrc = 0x05060708;
  nack.items = items;
  Bytes out;
  nack.serialize(out);
  EXPECT_EQ(out, (Bytes{0x81, 0xcd, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                        0x07, 0x08, 0xff, 0xfe, 0x00, 0x07, 0x00, 0x14, 0x00, 0x00}));
  EXPECT_EQ(Nack::parse(out), nack);

  // A full BLP from 65535 reaches 15.
  Seqs full = {65535};
  for (std::uint16_t s = 0; s < 16; ++s) full.push_back(s);
  EXPECT_EQ(Nack::toItems(full), (Items{{65535, 0xffff}}));
  EXPECT_EQ(Nack::toSequenceNumbers(Items{{65535, 0xffff}}), full);
  EXPECT_EQ(Nack::toSequenceNumbers(Items{{65535, 0x8000}}), (Seqs{65535, 15}));
}

TEST(NackTest, ItemsCoverAnyOrderAndDuplicates) {
  EXPECT_EQ(Nack::toItems(Seqs{}), Items{});
  EXPECT_EQ(Nack::toItems(Seqs{5, 5, 6, 5}), (Items{{5, 0x0001}}));
  EXPECT_EQ(Nack::toItems(Seqs{100, 17, 116, 117}), (Items{{100, 0x0000}, {17, 0x0000}, {116, 0x0001}}));
  // 16 after the PID is the last bit of its BLP; 17 after needs a new item.
  EXPECT_EQ(Nack::toItems(Seqs{0, 16, 17}), (Items{{0, 0x8000}, {17, 0x0000}}));
}

TEST(NackTest, RejectsEmptyAndOtherFeedback) {
  EXPECT_FALSE(Nack::parse(Bytes{0x81, 0xcd, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2}));  // no FCI
  // Transport-wide congestion control feedback is FMT 15 of the same PT.
  EXPECT_FALSE(Nack::parse(Bytes{0x8f, 0xcd, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0}));
  EXPECT_FALSE(Nack::parse(Bytes{0x81, 0xce, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0}));  // PSFB
}

}  // namespace
}  // namespace ocellus::rtp::rtcp
