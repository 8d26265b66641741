#pragma once

#include "rtp/UnitDepacketizer.h"

namespace ocellus::rtp {

// VP9 over RTP (RFC 9628 §4.2), flexible and non-flexible mode: the payload descriptor (picture
// ID, layer indices, reference indices, scalability structure) is removed and the frame's
// pieces, B to E, joined. With spatial layers a timestamp carries several frames: only the
// first (the base layer, which decodes alone) is kept, the others are skipped.
class Vp9Depacketizer final : public UnitDepacketizer {
 private:
  bool depacketize(std::span<const std::uint8_t> payload) override;
  bool incomplete() const override { return frameOpen_; }
  bool isKeyframe(std::span<const std::uint8_t> unit) const override;
  void reset() override;

  bool frameOpen_ = false;  // B seen, E not yet
  bool frameDone_ = false;  // the unit's frame is complete: further layers are skipped
};

}  // namespace ocellus::rtp
