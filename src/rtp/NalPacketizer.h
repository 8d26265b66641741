#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/ByteWriter.h"
#include "rtp/Payloader.h"

namespace ocellus::rtp {

// The packetization H.264 (RFC 6184 §5.6-5.8) and H.265 (RFC 7798 §4.4) share: a NAL unit
// that fits goes alone (single NAL unit packet), a run of NAL units that fit together (such as
// SPS and PPS) goes in one aggregation packet, and a NAL unit too large for one packet is
// split into fragmentation units. The last payload of the access unit carries the marker.
// Subclasses write the payload headers of their format.
class NalPacketizer : public Packetizer {
 public:
  void packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                 std::vector<PayloadRef>& payloads) final;

 protected:
  // nalHeaderSize: 1 for H.264, 2 for H.265. Without aggregation and fragmentation (H.264
  // packetization-mode 0) a NAL unit above maxPayloadSize is dropped and counted.
  NalPacketizer(std::size_t maxPayloadSize, std::size_t nalHeaderSize, bool aggregateAndFragment);

  // The payload header of an aggregation packet holding `nals`, each at least nalHeaderSize long.
  virtual void writeAggregationHeader(std::span<const std::span<const std::uint8_t>> nals,
                                      base::ByteWriter& w) const = 0;
  // The payload header and FU header of one fragment of `nal`.
  virtual void writeFragmentHeader(std::span<const std::uint8_t> nal, bool start, bool end,
                                   base::ByteWriter& w) const = 0;

 private:
  void aggregate(std::span<const std::span<const std::uint8_t>> nals, std::vector<std::uint8_t>& bytes,
                 std::vector<PayloadRef>& payloads);
  void fragment(std::span<const std::uint8_t> nal, std::vector<std::uint8_t>& bytes,
                std::vector<PayloadRef>& payloads);

  std::size_t maxPayloadSize_;
  std::size_t nalHeaderSize_;
  bool aggregateAndFragment_;
  std::vector<std::span<const std::uint8_t>> nals_;  // the current unit's NAL units; kept for its capacity
};

}  // namespace ocellus::rtp
