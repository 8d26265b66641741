#pragma once

#include "rtp/UnitDepacketizer.h"

namespace ocellus::rtp {

// VP8 over RTP (RFC 7741 §4.2): the payload descriptor (and its extensions: picture ID,
// TL0PICIDX, TID/KEYIDX) is removed and the frame's pieces joined. A frame must begin with a
// packet that has S = 1 and partition index 0, and only there.
class Vp8Depacketizer final : public UnitDepacketizer {
 private:
  bool depacketize(std::span<const std::uint8_t> payload) override;
  bool incomplete() const override { return false; }
  bool isKeyframe(std::span<const std::uint8_t> unit) const override;
  void reset() override {}
};

}  // namespace ocellus::rtp
