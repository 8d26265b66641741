#pragma once

#include "rtp/DescriptorPacketizer.h"

namespace ocellus::rtp {

// VP8 over RTP (RFC 7741 §4.2): each payload descriptor carries X and I with a 15-bit
// picture ID; S = 1 with partition index 0 on the frame's first payload. Partitions are not
// aligned with packets, which the format allows.
class Vp8Packetizer final : public DescriptorPacketizer {
 public:
  explicit Vp8Packetizer(std::size_t maxPayloadSize);

 private:
  void writeDescriptor(std::span<const std::uint8_t> frame, bool first, bool last,
                       base::ByteWriter& w) const override;
};

}  // namespace ocellus::rtp
