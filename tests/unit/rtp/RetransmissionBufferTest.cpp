#include "rtp/RetransmissionBuffer.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace ocellus::rtp {
namespace {

using namespace std::chrono_literals;
using Packet = std::shared_ptr<const std::vector<std::uint8_t>>;

const base::SteadyTime kStart = base::SteadyTime{} + 1h;

Packet packet(std::uint8_t tag) {
  return std::make_shared<const std::vector<std::uint8_t>>(1, tag);
}

TEST(RetransmissionBufferTest, FindsWhatWasStored) {
  RetransmissionBuffer<Packet> buffer(64, 1000ms);
  EXPECT_EQ(buffer.find(7, kStart), nullptr);
  EXPECT_TRUE(buffer.insert(7, packet(7), kStart));
  EXPECT_TRUE(buffer.insert(8, packet(8), kStart));
  ASSERT_NE(buffer.find(7, kStart), nullptr);
  EXPECT_EQ((**buffer.find(7, kStart))[0], 7);
  EXPECT_EQ((**buffer.find(8, kStart))[0], 8);
  EXPECT_EQ(buffer.find(6, kStart), nullptr);  // never stored
  EXPECT_EQ(buffer.find(9, kStart), nullptr);  // not sent yet
}

TEST(RetransmissionBufferTest, WrapsFrom65535To0) {
  RetransmissionBuffer<Packet> buffer(16, 1000ms);
  std::uint16_t seq = 65530;
  for (int i = 0; i < 12; ++i, ++seq)
    ASSERT_TRUE(buffer.insert(seq, packet(static_cast<std::uint8_t>(i)), kStart));
  // 65530 .. 65535, 0 .. 5
  for (int i = 0; i < 12; ++i) {
    const auto s = static_cast<std::uint16_t>(65530 + i);
    ASSERT_NE(buffer.find(s, kStart), nullptr) << s;
    EXPECT_EQ((**buffer.find(s, kStart))[0], i) << s;
  }
  EXPECT_EQ(buffer.find(6, kStart), nullptr);
  EXPECT_EQ(buffer.find(65529, kStart), nullptr);
}

TEST(RetransmissionBufferTest, KeepsTheNewestMaxPackets) {
  // 5 packets in a ring of 8 slots: the bound is the count asked for, not the ring.
  RetransmissionBuffer<Packet> buffer(5, 1000ms);
  for (std::uint16_t s = 65533; s != 5; ++s) buffer.insert(s, packet(static_cast<std::uint8_t>(s)), kStart);
  // Newest is 4: 0 .. 4 are kept, 65535 and older are not, though some slots still hold them.
  for (std::uint16_t s = 0; s <= 4; ++s) EXPECT_NE(buffer.find(s, kStart), nullptr) << s;
  for (std::uint16_t s : {65533, 65534, 65535}) EXPECT_EQ(buffer.find(s, kStart), nullptr) << s;
  // A packet too far behind to be stored without evicting a newer one is refused.
  EXPECT_FALSE(buffer.insert(65535, packet(0), kStart));
  EXPECT_TRUE(buffer.insert(1, packet(100), kStart));  // within the window: replaced
  EXPECT_EQ((**buffer.find(1, kStart))[0], 100);
}

TEST(RetransmissionBufferTest, ForgetsPacketsOlderThanMaxAge) {
  RetransmissionBuffer<Packet> buffer(64, 100ms);
  buffer.insert(1, packet(1), kStart);
  buffer.insert(2, packet(2), kStart + 50ms);
  EXPECT_NE(buffer.find(1, kStart + 100ms), nullptr);
  EXPECT_EQ(buffer.find(1, kStart + 101ms), nullptr);
  EXPECT_NE(buffer.find(2, kStart + 150ms), nullptr);
  EXPECT_EQ(buffer.find(2, kStart + 151ms), nullptr);
}

TEST(RetransmissionBufferTest, AJumpAheadLeavesNothingStale) {
  RetransmissionBuffer<Packet> buffer(16, 10s);
  for (std::uint16_t s = 0; s < 16; ++s) buffer.insert(s, packet(1), kStart);
  // Whole laps later (each step less than half the sequence space), the same slots.
  for (std::uint16_t s : {20000, 40000, 60000, 14000, 34000, 54000}) buffer.insert(s, packet(2), kStart);
  buffer.insert(16, packet(3), kStart);  // newest 16 again, 2 laps on; slot 0..15 hold lap 0
  EXPECT_NE(buffer.find(16, kStart), nullptr);
  for (std::uint16_t s = 1; s < 16; ++s) EXPECT_EQ(buffer.find(s, kStart), nullptr) << s;
}

TEST(RetransmissionBufferTest, HoldsMoveOnlyValuesAndClears) {
  RetransmissionBuffer<std::unique_ptr<int>> buffer(4, 1000ms);
  EXPECT_EQ(buffer.maxPackets(), 4u);
  buffer.insert(3, std::make_unique<int>(42), kStart);
  ASSERT_NE(buffer.find(3, kStart), nullptr);
  EXPECT_EQ(**buffer.find(3, kStart), 42);
  buffer.clear();
  EXPECT_EQ(buffer.find(3, kStart), nullptr);
  EXPECT_TRUE(buffer.insert(100, std::make_unique<int>(1), kStart));  // starts anew anywhere
  EXPECT_NE(buffer.find(100, kStart), nullptr);
}

TEST(RetransmissionBufferTest, ClampsItsSize) {
  EXPECT_EQ(RetransmissionBuffer<int>(0, 1s).maxPackets(), 1u);
  EXPECT_EQ(RetransmissionBuffer<int>(100000, 1s).maxPackets(), RetransmissionBuffer<int>::kMaxPackets);
}

}  // namespace
}  // namespace ocellus::rtp
