#pragma once

#include "rtp/NalDepacketizer.h"

namespace ocellus::rtp {

// H.265 over RTP (RFC 7798) without DONL (sprop-max-don-diff 0): single NAL unit packets,
// aggregation packets (AP) and fragmentation units (FU); PACI packets drop the unit.
// Access unit delimiters and filler data are left out of the units handed on.
class H265Depacketizer final : public NalDepacketizer {
 public:
  H265Depacketizer();

 private:
  bool depacketize(std::span<const std::uint8_t> payload) override;
  NalKind classify(std::span<const std::uint8_t> header) const override;
  bool isKeyframe(std::span<const std::uint8_t> unit) const override;
};

}  // namespace ocellus::rtp
