#include "rtp/KlvDepacketizer.h"

namespace ocellus::rtp {

void KlvDepacketizer::drop() {
  ++dropped_;
  timestamp_.reset();
  unit_.clear();
}

void KlvDepacketizer::push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
                           std::span<const std::uint8_t> payload, const OnUnit& onUnit) {
  const auto order = sequence_.update(sequence);
  if (order == SequenceTracker::Order::Old) return;
  if (order == SequenceTracker::Order::Gap) {
    // The lost packets may have been any part of this unit: skip through its marker.
    drop();
    discarding_ = true;
  } else if (timestamp_ && *timestamp_ != timestamp) {
    drop();  // the last unit never got its marker
  }
  if (discarding_) {
    discarding_ = !marker;
    return;
  }
  if (unit_.size() + payload.size() > kMaxUnitSize) {
    drop();
    discarding_ = !marker;
    return;
  }
  timestamp_ = timestamp;
  unit_.insert(unit_.end(), payload.begin(), payload.end());
  if (!marker) return;
  if (!unit_.empty()) onUnit(DepacketizedUnit{timestamp, true, unit_});
  timestamp_.reset();
  unit_.clear();
}

}  // namespace ocellus::rtp
