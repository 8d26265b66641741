#pragma once

#include "rtp/Payloader.h"

namespace ocellus::rtp {

// Formats that put one whole frame in each packet, payload as is, marker clear: Opus
// (RFC 7587 §4.2) and G.711 PCMU/PCMA (RFC 3551 §4.5.14).
class FramePacketizer final : public Packetizer {
 public:
  void packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                 std::vector<PayloadRef>& payloads) override;
};

}  // namespace ocellus::rtp
