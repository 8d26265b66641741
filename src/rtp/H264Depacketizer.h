#pragma once

#include "rtp/NalDepacketizer.h"

namespace ocellus::rtp {

// H.264 over RTP (RFC 6184) in packetization modes 0 and 1: single NAL unit packets, STAP-A
// and FU-A. STAP-B, MTAPs and FU-B belong to the interleaved mode and drop the unit.
// Access unit delimiters and filler data are left out of the units handed on.
class H264Depacketizer final : public NalDepacketizer {
 public:
  H264Depacketizer();

 private:
  bool depacketize(std::span<const std::uint8_t> payload) override;
  NalKind classify(std::span<const std::uint8_t> header) const override;
  bool isKeyframe(std::span<const std::uint8_t> unit) const override;
};

}  // namespace ocellus::rtp
