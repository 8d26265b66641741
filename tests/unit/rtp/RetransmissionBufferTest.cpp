#include "rtp/RetransmissionBuffer.h"

#include <gtest/gtest.h>

#include <memory>

namespace ocellus::rtp {
namespace {

using namespace std::chrono_literals;

const base::SteadyTime kStart = base::SteadyTime{} + 1h;

// The run's value and the position in it, or -1 when seq is not answered.
std::pair<int, int> lookup(const RetransmissionBuffer<int>& buffer, std::uint16_t seq, base::SteadyTime now) {
  const auto hit = buffer.find(seq, now);
  if (!hit) return {-1, -1};
  return {*hit->value, static_cast<int>(hit->index)};
}

TEST(RetransmissionBufferTest, FindsEveryPacketOfARun) {
  RetransmissionBuffer<int> buffer(8, 1000ms);
  EXPECT_FALSE(buffer.find(7, kStart));
  buffer.insert(7, 3, 70, kStart);  // 7, 8, 9
  buffer.insert(10, 1, 100, kStart);
  EXPECT_EQ(lookup(buffer, 7, kStart), std::make_pair(70, 0));
  EXPECT_EQ(lookup(buffer, 8, kStart), std::make_pair(70, 1));
  EXPECT_EQ(lookup(buffer, 9, kStart), std::make_pair(70, 2));
  EXPECT_EQ(lookup(buffer, 10, kStart), std::make_pair(100, 0));
  EXPECT_FALSE(buffer.find(6, kStart));   // never stored
  EXPECT_FALSE(buffer.find(11, kStart));  // not sent yet
}

TEST(RetransmissionBufferTest, ARunMayWrapFrom65535To0) {
  RetransmissionBuffer<int> buffer(4, 1000ms);
  buffer.insert(65534, 4, 1, kStart);  // 65534, 65535, 0, 1
  EXPECT_EQ(lookup(buffer, 65534, kStart), std::make_pair(1, 0));
  EXPECT_EQ(lookup(buffer, 0, kStart), std::make_pair(1, 2));
  EXPECT_EQ(lookup(buffer, 1, kStart), std::make_pair(1, 3));
  EXPECT_FALSE(buffer.find(65533, kStart));
  EXPECT_FALSE(buffer.find(2, kStart));
}

TEST(RetransmissionBufferTest, KeepsTheNewestMaxRuns) {
  RetransmissionBuffer<int> buffer(3, 1000ms);
  for (int run = 0; run < 5; ++run) buffer.insert(static_cast<std::uint16_t>(run * 2), 2, run, kStart);
  // Runs 2, 3, 4 (packets 4 .. 9) are kept; 0 and 1 were evicted.
  for (std::uint16_t s = 0; s < 4; ++s) EXPECT_FALSE(buffer.find(s, kStart)) << s;
  for (std::uint16_t s = 4; s < 10; ++s) EXPECT_EQ(lookup(buffer, s, kStart).first, s / 2) << s;
}

TEST(RetransmissionBufferTest, ForgetsRunsOlderThanMaxAge) {
  RetransmissionBuffer<int> buffer(8, 100ms);
  buffer.insert(1, 1, 1, kStart);
  buffer.insert(2, 1, 2, kStart + 50ms);
  EXPECT_TRUE(buffer.find(1, kStart + 100ms));
  EXPECT_FALSE(buffer.find(1, kStart + 101ms));
  EXPECT_TRUE(buffer.find(2, kStart + 150ms));
  EXPECT_FALSE(buffer.find(2, kStart + 151ms));
}

TEST(RetransmissionBufferTest, TheNewerRunAnswersARepeatedSequence) {
  // A sender whose sequence jumped back (a restart) must not resend what an old run held.
  RetransmissionBuffer<int> buffer(8, 1000ms);
  buffer.insert(100, 4, 1, kStart);
  buffer.insert(102, 1, 2, kStart);
  EXPECT_EQ(lookup(buffer, 102, kStart), std::make_pair(2, 0));
  EXPECT_EQ(lookup(buffer, 103, kStart), std::make_pair(1, 3));
}

TEST(RetransmissionBufferTest, ReleasesTheValueOfAnEvictedRun) {
  RetransmissionBuffer<std::shared_ptr<int>> buffer(1, 1000ms);
  auto first = std::make_shared<int>(42);
  std::weak_ptr<int> watch = first;
  buffer.insert(3, 1, std::move(first), kStart);
  ASSERT_TRUE(buffer.find(3, kStart));
  EXPECT_EQ(**buffer.find(3, kStart)->value, 42);
  buffer.insert(4, 1, std::make_shared<int>(43), kStart);  // one slot: replaces it
  EXPECT_TRUE(watch.expired());
  EXPECT_FALSE(buffer.find(3, kStart));
  EXPECT_EQ(**buffer.find(4, kStart)->value, 43);
}

TEST(RetransmissionBufferTest, IgnoresEmptyRunsAndKeepsAtLeastOne) {
  RetransmissionBuffer<int> buffer(0, 1s);
  buffer.insert(5, 0, 9, kStart);
  EXPECT_FALSE(buffer.find(5, kStart));
  buffer.insert(5, 1, 9, kStart);
  EXPECT_EQ(lookup(buffer, 5, kStart), std::make_pair(9, 0));
}

}  // namespace
}  // namespace ocellus::rtp
