#pragma once

#include "rtp/NalPacketizer.h"

namespace ocellus::rtp {

// H.264 over RTP (RFC 6184). packetizationMode 1 (non-interleaved, §6.3) uses single NAL unit
// packets, STAP-A and FU-A; mode 0 (§6.2) sends single NAL unit packets only and drops, with
// a count, NAL units above maxPayloadSize.
class H264Packetizer final : public NalPacketizer {
 public:
  H264Packetizer(std::size_t maxPayloadSize, int packetizationMode);

 private:
  void writeAggregationHeader(std::span<const std::span<const std::uint8_t>> nals,
                              base::ByteWriter& w) const override;
  void writeFragmentHeader(std::span<const std::uint8_t> nal, bool start, bool end,
                           base::ByteWriter& w) const override;
};

}  // namespace ocellus::rtp
