#include "rtp/ReceiverStatistics.h"

#include <gtest/gtest.h>

namespace ocellus::rtp {
namespace {

using namespace std::chrono_literals;

const base::SteadyTime kStart = base::SteadyTime{} + 1h;

// 8 kHz audio, a packet every 20 ms (160 timestamp units; 8 units a millisecond) across the
// 65535 -> 0 wrap. Sequence number 1 is lost and 2 arrives 5 ms late.
//
//   seq    ts    arrival  transit (8*ms - ts)   |D|   16*J (J += (|D| - J)/16, §A.8)
//   65534  1000    0 ms   -1000                  -     0
//   65535  1160   20 ms   -1000                  0     0
//   0      1320   40 ms   -1000                  0     0
//   2      1640   85 ms    -960                 40     40            (0 + 40 - (0+8)/16)
//   3      1800  100 ms   -1000                 40     77            (40 + 40 - (40+8)/16)
//
// Jitter 77/16 = 4 units. Extended highest 1<<16 | 3 = 65539, expected 65539 - 65534 + 1 = 6,
// received 5: 1 lost, fraction 256 * 1/6 = 42 (§A.3).
void feedScenario(ReceiverStatistics& stats) {
  stats.onPacket(65534, 1000, kStart);
  stats.onPacket(65535, 1160, kStart + 20ms);
  stats.onPacket(0, 1320, kStart + 40ms);
  stats.onPacket(2, 1640, kStart + 85ms);
  stats.onPacket(3, 1800, kStart + 100ms);
}

TEST(ReceiverStatisticsTest, ComputesLossAndJitterByHand) {
  ReceiverStatistics stats(0x0badcafe, 8000);
  EXPECT_FALSE(stats.report(kStart));
  feedScenario(stats);
  EXPECT_EQ(stats.cycles(), 1u);
  EXPECT_EQ(stats.extendedHighestSeq(), 65539u);
  EXPECT_EQ(stats.expected(), 6);
  EXPECT_EQ(stats.received(), 5);
  EXPECT_EQ(stats.cumulativeLost(), 1);
  EXPECT_EQ(stats.jitter(), 4u);

  auto block = stats.report(kStart + 120ms);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->ssrc, 0x0badcafeu);
  EXPECT_EQ(block->fractionLost, 42);
  EXPECT_EQ(block->cumulativeLost, 1);
  EXPECT_EQ(block->extendedHighestSeq, 65539u);
  EXPECT_EQ(block->jitter, 4u);
  EXPECT_EQ(block->lastSr, 0u);  // no SR yet
  EXPECT_EQ(block->delaySinceLastSr, 0u);
}

TEST(ReceiverStatisticsTest, FractionLostIsPerInterval) {
  ReceiverStatistics stats(1, 8000);
  feedScenario(stats);
  ASSERT_EQ(stats.report(kStart + 120ms)->fractionLost, 42);
  // The late packet 1 arrives: nothing new expected, one more received.
  stats.onPacket(1, 1480, kStart + 130ms);
  auto second = stats.report(kStart + 140ms);
  EXPECT_EQ(second->fractionLost, 0);
  EXPECT_EQ(second->cumulativeLost, 0);
  // 4 .. 13 expected, 4 of them lost: 256 * 4/10 = 102.
  for (std::uint16_t s = 4; s <= 13; ++s) {
    if (s % 3 == 0) continue;  // 6, 9, 12 lost
    stats.onPacket(s, 1800u + 160u * (s - 3u), kStart + 100ms + 20ms * (s - 3));
  }
  stats.onPacket(0, 1320, kStart + 400ms);  // a duplicate of an old one still counts as received
  auto third = stats.report(kStart + 400ms);
  EXPECT_EQ(third->extendedHighestSeq, 65536u + 13);
  EXPECT_EQ(third->fractionLost, 256 * 2 / 10);  // 3 lost, 1 duplicate: 2 net
  EXPECT_EQ(third->cumulativeLost, 2);
}

TEST(ReceiverStatisticsTest, DuplicatesMakeTheLossNegative) {
  ReceiverStatistics stats(1, 90000);
  stats.onPacket(10, 0, kStart);
  stats.onPacket(11, 0, kStart);
  stats.onPacket(11, 0, kStart);
  stats.onPacket(11, 0, kStart);
  auto block = stats.report(kStart);
  EXPECT_EQ(block->cumulativeLost, -2);
  EXPECT_EQ(block->fractionLost, 0);
}

TEST(ReceiverStatisticsTest, EchoesTheLastSenderReport) {
  ReceiverStatistics stats(1, 90000);
  stats.onPacket(1, 0, kStart);
  stats.onSenderReport(0xe9a1b2c380000000, kStart + 50ms);
  auto block = stats.report(kStart + 1550ms);
  EXPECT_EQ(block->lastSr, 0xb2c38000u);               // middle 32 bits (§6.4.1)
  EXPECT_EQ(block->delaySinceLastSr, 3u * 65536 / 2);  // 1.5 s in 1/65536 s
}

// §A.1: a big jump counts only once the next packet confirms a restarted sender.
TEST(ReceiverStatisticsTest, TakesAConfirmedJumpAsARestart) {
  ReceiverStatistics stats(1, 90000);
  for (std::uint16_t s = 100; s < 110; ++s) stats.onPacket(s, 0, kStart);
  stats.onPacket(30000, 0, kStart);  // a stray: not counted
  EXPECT_EQ(stats.received(), 10);
  EXPECT_EQ(stats.extendedHighestSeq(), 109u);
  stats.onPacket(110, 0, kStart);
  stats.onPacket(50000, 0, kStart);
  stats.onPacket(50001, 0, kStart);  // confirms: counting restarts from 50001
  EXPECT_EQ(stats.received(), 1);
  EXPECT_EQ(stats.expected(), 1);
  EXPECT_EQ(stats.extendedHighestSeq(), 50001u);
  stats.onPacket(50003, 0, kStart);
  EXPECT_EQ(stats.cumulativeLost(), 1);
}

TEST(ReceiverStatisticsTest, ReorderingIsNotAWrap) {
  ReceiverStatistics stats(1, 90000);
  stats.onPacket(0, 0, kStart);
  stats.onPacket(2, 0, kStart);
  stats.onPacket(65535, 0, kStart);  // before the first: late, not a new cycle
  stats.onPacket(1, 0, kStart);
  EXPECT_EQ(stats.cycles(), 0u);
  EXPECT_EQ(stats.extendedHighestSeq(), 2u);
  EXPECT_EQ(stats.received(), 4);
  EXPECT_EQ(stats.cumulativeLost(), -1);
}

}  // namespace
}  // namespace ocellus::rtp
