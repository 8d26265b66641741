#include "rtp/FrameDepacketizer.h"

namespace ocellus::rtp {

void FrameDepacketizer::push(std::uint16_t sequence, std::uint32_t timestamp, bool /*marker*/,
                             std::span<const std::uint8_t> payload, const OnUnit& onUnit) {
  if (sequence_.update(sequence) == SequenceTracker::Order::Old || payload.empty()) return;
  onUnit(DepacketizedUnit{timestamp, true, payload});
}

}  // namespace ocellus::rtp
