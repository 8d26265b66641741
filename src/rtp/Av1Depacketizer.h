#pragma once

#include <vector>

#include "rtp/UnitDepacketizer.h"

namespace ocellus::rtp {

// AV1 over RTP (AOM "RTP Payload Format for AV1" v1.0, §4): after the aggregation header,
// OBU elements each with a leb128 length (the last one without when W is 1-3), the first a
// continuation of the last packet's fragment when Z is set, the last one continued in the
// next packet when Y is set. Each OBU is written out with its size field (the low-overhead
// form of codec canonical form); temporal delimiters, tile lists and padding are dropped
// (§5: they are not sent, or carry nothing for a decoder).
class Av1Depacketizer final : public UnitDepacketizer {
 private:
  bool depacketize(std::span<const std::uint8_t> payload) override;
  bool incomplete() const override { return fragmentOpen_; }
  bool isKeyframe(std::span<const std::uint8_t> unit) const override;
  void reset() override;

  bool addObu(std::span<const std::uint8_t> obu);

  std::vector<std::uint8_t> fragment_;  // an OBU so far whose element continues in the next packet
  bool fragmentOpen_ = false;
};

}  // namespace ocellus::rtp
