#include "rtp/UnitDepacketizer.h"

namespace ocellus::rtp {

void UnitDepacketizer::push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
                            std::span<const std::uint8_t> payload, const OnUnit& onUnit) {
  const SequenceTracker::Order order = sequence_.update(sequence);
  if (order == SequenceTracker::Order::Old) return;
  const bool lost = order == SequenceTracker::Order::Gap;
  if (open_ && timestamp != timestamp_) {
    corrupt_ |= lost;  // its last packets may be the lost ones
    finish(onUnit);
  }
  corrupt_ |= lost;  // its first packets may be the lost ones
  if (!open_) {
    open_ = true;
    timestamp_ = timestamp;
  }
  if (!corrupt_ && !depacketize(payload)) corrupt_ = true;
  if (marker) finish(onUnit);
}

void UnitDepacketizer::finish(const OnUnit& onUnit) {
  if (corrupt_ || incomplete()) {
    ++dropped_;
  } else if (!unit_.empty()) {
    onUnit(DepacketizedUnit{timestamp_, isKeyframe(unit_), unit_});
  }
  unit_.clear();
  open_ = false;
  corrupt_ = false;
  reset();
}

bool UnitDepacketizer::append(std::span<const std::uint8_t> data) {
  if (data.size() > kMaxUnitSize - unit_.size()) return false;
  unit_.insert(unit_.end(), data.begin(), data.end());
  return true;
}

}  // namespace ocellus::rtp
