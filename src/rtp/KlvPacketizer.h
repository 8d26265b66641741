#pragma once

#include <cstddef>

#include "rtp/Payloader.h"

namespace ocellus::rtp {

// KLV metadata over RTP (RFC 6597 §4): a unit (whole KLV packets of one instant) is cut into
// payloads of at most maxPayloadSize bytes; the marker bit is set on the last.
class KlvPacketizer final : public Packetizer {
 public:
  explicit KlvPacketizer(std::size_t maxPayloadSize) : maxPayloadSize_(maxPayloadSize) {}
  void packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                 std::vector<PayloadRef>& payloads) override;

 private:
  std::size_t maxPayloadSize_;
};

}  // namespace ocellus::rtp
