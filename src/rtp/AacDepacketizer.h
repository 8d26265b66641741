#pragma once

#include <optional>

#include "rtp/Payloader.h"
#include "rtp/SequenceTracker.h"

namespace ocellus::rtp {

// AAC in RFC 3640 mode AAC-hbr (see AacPacketizer). A packet holding several AUs gives one unit
// per AU, the n-th at the packet's timestamp plus n * 1024 (one AAC frame, with the RTP clock at
// the sampling rate). Fragmented AUs are not reassembled: each is dropped and counted once, as
// is a malformed packet. Duplicates and late packets are ignored.
class AacDepacketizer final : public Depacketizer {
 public:
  static constexpr std::uint32_t kSamplesPerFrame = 1024;

  void push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
            std::span<const std::uint8_t> payload, const OnUnit& onUnit) override;

 private:
  SequenceTracker sequence_;
  std::optional<std::uint32_t> fragmentTimestamp_;  // of the fragmented AU last dropped
};

}  // namespace ocellus::rtp
