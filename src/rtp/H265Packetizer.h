#pragma once

#include "rtp/NalPacketizer.h"

namespace ocellus::rtp {

// H.265 over RTP (RFC 7798) without DONL (sprop-max-don-diff 0): single NAL unit packets,
// aggregation packets (AP, §4.4.2) and fragmentation units (FU, §4.4.3).
class H265Packetizer final : public NalPacketizer {
 public:
  explicit H265Packetizer(std::size_t maxPayloadSize);

 private:
  void writeAggregationHeader(std::span<const std::span<const std::uint8_t>> nals,
                              base::ByteWriter& w) const override;
  void writeFragmentHeader(std::span<const std::uint8_t> nal, bool start, bool end,
                           base::ByteWriter& w) const override;
};

}  // namespace ocellus::rtp
