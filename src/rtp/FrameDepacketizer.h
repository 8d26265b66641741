#pragma once

#include "rtp/Payloader.h"
#include "rtp/SequenceTracker.h"

namespace ocellus::rtp {

// Formats with one whole frame per packet (see FramePacketizer): each non-empty payload is a
// unit at the packet's timestamp. Duplicates and late packets are ignored.
class FrameDepacketizer final : public Depacketizer {
 public:
  void push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
            std::span<const std::uint8_t> payload, const OnUnit& onUnit) override;

 private:
  SequenceTracker sequence_;
};

}  // namespace ocellus::rtp
