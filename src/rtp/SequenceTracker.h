#pragma once

#include <cstdint>
#include <optional>

#include "base/SeqNum.h"

namespace ocellus::rtp {

// Places each arriving RTP sequence number against the newest one seen, for depacketizers
// that take packets in arrival order. A jump back of more than kMaxMisorder is taken as a
// restarted sender rather than a late packet (RFC 3550 §A.1 uses the same bound).
class SequenceTracker {
 public:
  enum class Order : std::uint8_t {
    Next,  // the first packet, or the one after the newest
    Gap,   // packets are missing before this one (or the sender restarted)
    Old,   // a duplicate or a late packet: already given up on
  };

  Order update(std::uint16_t sequence) {
    const std::int32_t delta = newest_ ? base::seqDiff(sequence, *newest_) : 1;
    if (delta <= 0 && delta > -kMaxMisorder) return Order::Old;
    newest_ = sequence;
    return delta == 1 ? Order::Next : Order::Gap;
  }

 private:
  static constexpr std::int32_t kMaxMisorder = 100;
  std::optional<std::uint16_t> newest_;
};

}  // namespace ocellus::rtp
