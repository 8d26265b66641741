#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <span>
#include <vector>

#include "base/SeqNum.h"

namespace ocellus::rtp {

// Puts RTP packets of one SSRC that arrived over UDP back in sequence order (cameras on busy
// networks reorder). A missing packet is waited for until kMaxHeld later packets are held,
// then given up as lost. Duplicates and packets older than the last one handed on are
// dropped and counted. One thread only.
class ReorderBuffer {
 public:
  static constexpr std::size_t kCapacity = 64;  // a power of two, larger than kMaxHeld
  static constexpr std::size_t kMaxHeld = 16;

  // Hands packets now in order to out(std::span<const uint8_t>), each valid during the call.
  template <typename Out>
  void push(std::uint16_t seq, std::span<const std::uint8_t> packet, Out&& out);

  std::uint64_t lost() const { return lost_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  template <typename Out>
  void drain(Out& out);
  template <typename Out>
  void flushAll(Out& out);

  std::array<std::vector<std::uint8_t>, kCapacity> slots_;
  std::bitset<kCapacity> held_;
  std::size_t heldCount_ = 0;
  std::uint16_t expected_ = 0;
  bool started_ = false;
  std::uint64_t lost_ = 0;
  std::uint64_t dropped_ = 0;
};

template <typename Out>
void ReorderBuffer::push(std::uint16_t seq, std::span<const std::uint8_t> packet, Out&& out) {
  if (!started_) {
    started_ = true;
    expected_ = seq;
  }
  const std::int32_t ahead = base::seqDiff(seq, expected_);
  if (ahead < 0) {
    ++dropped_;  // late or duplicate
    return;
  }
  if (ahead == 0) {
    out(packet);
    ++expected_;
    drain(out);
    return;
  }
  if (static_cast<std::size_t>(ahead) >= kCapacity) {  // a jump: start over from here
    flushAll(out);
    lost_ += static_cast<std::uint64_t>(ahead);
    expected_ = seq;
    out(packet);
    ++expected_;
    return;
  }
  const std::size_t slot = seq % kCapacity;
  if (held_[slot]) {
    ++dropped_;
    return;
  }
  slots_[slot].assign(packet.begin(), packet.end());
  held_[slot] = true;
  ++heldCount_;
  if (heldCount_ > kMaxHeld) {
    // Give up on the missing packet(s): skip to the oldest held one.
    while (!held_[expected_ % kCapacity]) {
      ++expected_;
      ++lost_;
    }
    drain(out);
  }
}

template <typename Out>
void ReorderBuffer::drain(Out& out) {
  while (heldCount_ > 0 && held_[expected_ % kCapacity]) {
    const std::size_t slot = expected_ % kCapacity;
    out(std::span<const std::uint8_t>(slots_[slot]));
    held_[slot] = false;
    --heldCount_;
    ++expected_;
  }
}

template <typename Out>
void ReorderBuffer::flushAll(Out& out) {
  while (heldCount_ > 0) {
    if (!held_[expected_ % kCapacity]) {
      ++expected_;
      ++lost_;
      continue;
    }
    drain(out);
  }
}

}  // namespace ocellus::rtp
