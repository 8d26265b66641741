#include "rtp/NackGenerator.h"

#include <gtest/gtest.h>

#include <vector>

#include "rtp/rtcp/Nack.h"

namespace ocellus::rtp {
namespace {

using namespace std::chrono_literals;
using Seqs = std::vector<std::uint16_t>;

const base::SteadyTime t0 = base::SteadyTime{} + 1h;

NackGenerator::Config config() {
  NackGenerator::Config c;
  c.maxRetries = 3;
  c.initialRtt = 100ms;
  c.minInterval = 20ms;
  c.reorderDelay = 5ms;
  c.maxAge = 1000ms;
  c.maxMissing = 100;
  c.maxPerTick = 250;
  return c;
}

TEST(NackGeneratorTest, AsksForAGapAfterTheReorderDelay) {
  NackGenerator nacks(config());
  EXPECT_EQ(nacks.onTimer(t0), Seqs{});
  nacks.onPacket(100, t0);
  nacks.onPacket(101, t0);
  nacks.onPacket(104, t0);
  EXPECT_EQ(nacks.missingCount(), 2u);
  EXPECT_EQ(nacks.onTimer(t0 + 4ms), Seqs{});  // might only be reordered
  EXPECT_EQ(nacks.onTimer(t0 + 5ms), (Seqs{102, 103}));
  EXPECT_EQ(nacks.onTimer(t0 + 50ms), Seqs{});  // an RTT has not passed
  EXPECT_EQ(nacks.onTimer(t0 + 105ms), (Seqs{102, 103}));
  EXPECT_EQ(nacks.requested(), 4u);
  EXPECT_FALSE(nacks.takeKeyFrameRequest());
}

TEST(NackGeneratorTest, ALatePacketCancelsItsNack) {
  NackGenerator nacks(config());
  nacks.onPacket(10, t0);
  nacks.onPacket(14, t0);        // 11, 12, 13 missing
  nacks.onPacket(12, t0 + 2ms);  // reordered, before any NACK
  EXPECT_EQ(nacks.onTimer(t0 + 10ms), (Seqs{11, 13}));
  nacks.onPacket(11, t0 + 60ms);  // the retransmission
  EXPECT_EQ(nacks.onTimer(t0 + 110ms), (Seqs{13}));
  nacks.onPacket(13, t0 + 120ms);
  nacks.onPacket(13, t0 + 121ms);  // a duplicate changes nothing
  EXPECT_EQ(nacks.onTimer(t0 + 300ms), Seqs{});
  EXPECT_EQ(nacks.missingCount(), 0u);
  EXPECT_EQ(nacks.recovered(), 3u);
  EXPECT_EQ(nacks.gaveUp(), 0u);
  EXPECT_FALSE(nacks.takeKeyFrameRequest());
}

TEST(NackGeneratorTest, ListsAcrossTheWrapInOrder) {
  NackGenerator nacks(config());
  nacks.onPacket(65533, t0);
  nacks.onPacket(2, t0);
  const Seqs due = nacks.onTimer(t0 + 5ms);
  EXPECT_EQ(due, (Seqs{65534, 65535, 0, 1}));
  EXPECT_EQ(rtcp::Nack::toItems(due), (std::vector<rtcp::Nack::Item>{{65534, 0x0007}}));
  nacks.onPacket(65535, t0 + 6ms);
  nacks.onPacket(0, t0 + 6ms);
  EXPECT_EQ(nacks.onTimer(t0 + 200ms), (Seqs{65534, 1}));
}

TEST(NackGeneratorTest, GivesUpAfterMaxRetries) {
  NackGenerator nacks(config());
  nacks.setRtt(30ms);
  nacks.onPacket(1, t0);
  nacks.onPacket(3, t0);
  EXPECT_EQ(nacks.onTimer(t0 + 5ms), Seqs{2});
  EXPECT_EQ(nacks.onTimer(t0 + 20ms), Seqs{});
  EXPECT_EQ(nacks.onTimer(t0 + 35ms), Seqs{2});
  EXPECT_EQ(nacks.onTimer(t0 + 65ms), Seqs{2});
  EXPECT_EQ(nacks.missingCount(), 1u);  // the last request still has its RTT to be answered
  EXPECT_EQ(nacks.onTimer(t0 + 80ms), Seqs{});
  EXPECT_EQ(nacks.missingCount(), 1u);
  EXPECT_FALSE(nacks.takeKeyFrameRequest());
  EXPECT_EQ(nacks.onTimer(t0 + 95ms), Seqs{});
  EXPECT_EQ(nacks.missingCount(), 0u);
  EXPECT_EQ(nacks.gaveUp(), 1u);
  EXPECT_EQ(nacks.requested(), 3u);
  EXPECT_TRUE(nacks.takeKeyFrameRequest());
  EXPECT_FALSE(nacks.takeKeyFrameRequest());  // once
  nacks.onPacket(2, t0 + 100ms);              // too late: it is no longer missed
  EXPECT_EQ(nacks.recovered(), 0u);
}

TEST(NackGeneratorTest, GivesUpAfterMaxAge) {
  auto c = config();
  c.maxRetries = 100;
  NackGenerator nacks(c);
  nacks.onPacket(1, t0);
  nacks.onPacket(3, t0);
  std::size_t asked = 0;
  for (auto t = t0; t <= t0 + 1000ms; t += 10ms) asked += nacks.onTimer(t).size();
  EXPECT_EQ(asked, 10u);  // at 10 ms, then every 100 ms until 910 ms
  EXPECT_EQ(nacks.missingCount(), 1u);
  EXPECT_EQ(nacks.onTimer(t0 + 1001ms), Seqs{});
  EXPECT_EQ(nacks.missingCount(), 0u);
  EXPECT_TRUE(nacks.takeKeyFrameRequest());
}

TEST(NackGeneratorTest, SpacesRequestsByTheRttButNoCloserThanMinInterval) {
  NackGenerator nacks(config());
  nacks.setRtt(1ms);
  nacks.onPacket(1, t0);
  nacks.onPacket(3, t0);
  EXPECT_EQ(nacks.onTimer(t0 + 5ms), Seqs{2});
  EXPECT_EQ(nacks.onTimer(t0 + 24ms), Seqs{});
  EXPECT_EQ(nacks.onTimer(t0 + 25ms), Seqs{2});
}

TEST(NackGeneratorTest, BoundsWhatItTracksAndSends) {
  auto c = config();
  c.maxMissing = 10;
  c.maxPerTick = 4;
  NackGenerator nacks(c);
  nacks.onPacket(0, t0);
  nacks.onPacket(7, t0);   // 1 .. 6
  nacks.onPacket(14, t0);  // 8 .. 13: 12 missing, the 2 oldest given up
  EXPECT_EQ(nacks.missingCount(), 10u);
  EXPECT_EQ(nacks.gaveUp(), 2u);
  EXPECT_TRUE(nacks.takeKeyFrameRequest());
  EXPECT_EQ(nacks.onTimer(t0 + 5ms), (Seqs{3, 4, 5, 6}));
  EXPECT_EQ(nacks.onTimer(t0 + 6ms), (Seqs{8, 9, 10, 11}));
  EXPECT_EQ(nacks.onTimer(t0 + 7ms), (Seqs{12, 13}));

  nacks.onPacket(26, t0 + 8ms);  // a gap of 11: beyond repair
  EXPECT_EQ(nacks.missingCount(), 0u);
  EXPECT_EQ(nacks.gaveUp(), 2u + 10 + 11);
  EXPECT_TRUE(nacks.takeKeyFrameRequest());
  nacks.onPacket(28, t0 + 9ms);  // counting goes on from 26
  EXPECT_EQ(nacks.onTimer(t0 + 20ms), Seqs{27});
}

TEST(NackGeneratorTest, FollowsASenderThatRestartsLower) {
  NackGenerator nacks(config());
  nacks.onPacket(5000, t0);
  nacks.onPacket(100, t0);  // far behind: a stray, or a restart
  nacks.onPacket(5002, t0);
  EXPECT_EQ(nacks.onTimer(t0 + 5ms), Seqs{5001});
  nacks.onPacket(200, t0 + 6ms);
  nacks.onPacket(201, t0 + 6ms);  // follows 200: the sender restarted
  EXPECT_EQ(nacks.missingCount(), 0u);
  EXPECT_TRUE(nacks.takeKeyFrameRequest());
  nacks.onPacket(203, t0 + 7ms);
  EXPECT_EQ(nacks.onTimer(t0 + 20ms), Seqs{202});
}

}  // namespace
}  // namespace ocellus::rtp
