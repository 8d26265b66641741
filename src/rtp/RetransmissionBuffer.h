#pragma once

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/Clock.h"
#include "base/SeqNum.h"

namespace ocellus::rtp {

// The packets recently sent on one SSRC, kept to answer NACKs (RFC 4585 §6.2.1) by
// retransmission: keyed by the 16-bit RTP sequence number, bounded by count (the newest
// maxPackets sequence numbers) and by age (maxAge since insert). Insert and lookup are O(1):
// a ring of a power-of-two number of slots indexed by the sequence number, each slot
// remembering the extended (unwrapped) number it holds, so 65535 -> 0 is one step and a slot
// from an earlier lap never answers for a later one.
//
// T is what the caller stores, typically std::shared_ptr<const Packet> shared with the send
// path; it needs to be movable, not default-constructible. One thread only; time is passed in.
template <typename T>
class RetransmissionBuffer {
 public:
  // Half the sequence space: farther back than this, "older" and "newer" cannot be told apart.
  static constexpr std::size_t kMaxPackets = 0x8000;

  // maxPackets is clamped to [1, kMaxPackets]; the ring has the next power of two of slots.
  RetransmissionBuffer(std::size_t maxPackets, std::chrono::milliseconds maxAge)
      : maxPackets_(std::clamp<std::size_t>(maxPackets, 1, kMaxPackets)),
        maxAge_(maxAge),
        slots_(std::bit_ceil(maxPackets_)) {}

  // Stores value as packet seq sent at now, replacing an earlier value for seq. A packet older
  // than the newest by maxPackets or more is not stored (it would evict a newer one): false.
  bool insert(std::uint16_t seq, T value, base::SteadyTime now) {
    const std::int64_t extended = extend(seq);
    if (newest_ && extended <= *newest_ && *newest_ - extended >= static_cast<std::int64_t>(maxPackets_)) {
      return false;
    }
    if (!newest_ || extended > *newest_) newest_ = extended;
    Slot& slot = slots_[index(extended)];
    slot.value.emplace(std::move(value));
    slot.extended = extended;
    slot.stored = now;
    return true;
  }

  // The value stored for seq, or nullptr when it was never stored, has been overwritten, is
  // maxPackets or more behind the newest, or is older than maxAge at now. The pointer is valid
  // until the next insert() or clear().
  const T* find(std::uint16_t seq, base::SteadyTime now) const {
    if (!newest_) return nullptr;
    const std::int64_t extended = extend(seq);
    if (extended > *newest_ || *newest_ - extended >= static_cast<std::int64_t>(maxPackets_)) return nullptr;
    const Slot& slot = slots_[index(extended)];
    if (!slot.value || slot.extended != extended || now - slot.stored > maxAge_) return nullptr;
    return &*slot.value;
  }

  // Drops everything, e.g. when the sender restarts its sequence numbers.
  void clear() {
    for (Slot& slot : slots_) slot.value.reset();
    newest_.reset();
  }

  std::size_t maxPackets() const { return maxPackets_; }
  std::chrono::milliseconds maxAge() const { return maxAge_; }

 private:
  struct Slot {
    std::optional<T> value;
    std::int64_t extended = 0;
    base::SteadyTime stored{};
  };

  // seq unwrapped next to the newest one (RFC 3550 §A.1's cycles, by serial arithmetic).
  std::int64_t extend(std::uint16_t seq) const {
    if (!newest_) return seq;
    return *newest_ + base::seqDiff(seq, static_cast<std::uint16_t>(*newest_));
  }
  std::size_t index(std::int64_t extended) const {
    return static_cast<std::size_t>(static_cast<std::uint64_t>(extended) & (slots_.size() - 1));
  }

  std::size_t maxPackets_;
  std::chrono::milliseconds maxAge_;
  std::vector<Slot> slots_;
  std::optional<std::int64_t> newest_;
};

}  // namespace ocellus::rtp
