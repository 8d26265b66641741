#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "rtp/Payloader.h"
#include "rtp/SequenceTracker.h"

namespace ocellus::rtp {

// KLV metadata over RTP (RFC 6597 §4): payloads of one timestamp are joined until the one
// with the marker bit. A sequence gap drops the unit it falls in (everything through the next
// marker); a new timestamp before the marker, or a unit above kMaxUnitSize, drops the unit
// being joined. Each counts once in droppedUnits().
class KlvDepacketizer final : public Depacketizer {
 public:
  static constexpr std::size_t kMaxUnitSize = 1024 * 1024;

  void push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
            std::span<const std::uint8_t> payload, const OnUnit& onUnit) override;

 private:
  void drop();

  SequenceTracker sequence_;
  std::optional<std::uint32_t> timestamp_;  // of the unit being joined
  std::vector<std::uint8_t> unit_;
  bool discarding_ = false;  // after a gap or an oversized unit, until a marker
};

}  // namespace ocellus::rtp
