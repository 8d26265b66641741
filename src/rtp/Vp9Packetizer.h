#pragma once

#include "rtp/DescriptorPacketizer.h"

namespace ocellus::rtp {

// VP9 over RTP (RFC 9628 §4.2) in non-flexible mode without layer indices (one spatial and
// one temporal layer): I with a 15-bit picture ID, P for a frame predicted from earlier ones
// (anything but a key frame), B on a frame's first payload and E on its last.
class Vp9Packetizer final : public DescriptorPacketizer {
 public:
  explicit Vp9Packetizer(std::size_t maxPayloadSize);

 private:
  void writeDescriptor(std::span<const std::uint8_t> frame, bool first, bool last,
                       base::ByteWriter& w) const override;
};

}  // namespace ocellus::rtp
