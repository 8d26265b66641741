#include "rtp/Vp9Depacketizer.h"

#include "base/ByteReader.h"
#include "codec/vp9/FrameHeader.h"
#include "rtp/PictureId.h"

namespace ocellus::rtp {
namespace {

//  0 1 2 3 4 5 6 7
// +-+-+-+-+-+-+-+-+
// |I|P|L|F|B|E|V|Z|  (required)
// +-+-+-+-+-+-+-+-+
// |M| PICTURE ID  |  I: 7 bits, or 15 with M
// +-+-+-+-+-+-+-+-+
// |TID|U| SID |D  |  L
// +-+-+-+-+-+-+-+-+
// |   TL0PICIDX   |  L and not F
// +-+-+-+-+-+-+-+-+
// | P_DIFF      |N|  F and P: up to 3, N says another follows
// +-+-+-+-+-+-+-+-+
// | scalability structure (SS) |  V
constexpr std::uint8_t kPictureId = 0x80;
constexpr std::uint8_t kPredicted = 0x40;
constexpr std::uint8_t kLayers = 0x20;
constexpr std::uint8_t kFlexible = 0x10;
constexpr std::uint8_t kBegin = 0x08;
constexpr std::uint8_t kEnd = 0x04;
constexpr std::uint8_t kScalability = 0x02;
constexpr std::uint8_t kMoreDiffs = 0x01;
constexpr int kMaxReferences = 3;

// SS (RFC 9628 §4.2.1): N_S (3) | Y | G | reserved (3); with Y, N_S + 1 spatial layer sizes
// (16-bit width and height); with G, N_G picture descriptions: TID (3) | U | R (2) | reserved
// (2), then R P_DIFF bytes.
bool skipScalabilityStructure(base::ByteReader& r) {
  const auto head = r.u8();
  if (!head) return false;
  const std::size_t layers = (*head >> 5) + 1;
  if ((*head & 0x10) && !r.skip(layers * 4)) return false;
  if (*head & 0x08) {
    const auto pictures = r.u8();
    if (!pictures) return false;
    for (std::size_t i = 0; i < *pictures; ++i) {
      const auto description = r.u8();
      if (!description || !r.skip((*description >> 2) & 0x03)) return false;
    }
  }
  return true;
}

}  // namespace

bool Vp9Depacketizer::depacketize(std::span<const std::uint8_t> payload) {
  base::ByteReader r(payload);
  const auto flags = r.u8();
  if (!flags) return false;
  if ((*flags & kPictureId) && !skipPictureId(r)) return false;
  if ((*flags & kLayers) && !r.skip(*flags & kFlexible ? 1 : 2)) return false;
  if ((*flags & kFlexible) && (*flags & kPredicted)) {
    for (int i = 0;; ++i) {
      const auto diff = r.u8();
      if (!diff || i == kMaxReferences) return false;
      if (!(*diff & kMoreDiffs)) break;
    }
  }
  if ((*flags & kScalability) && !skipScalabilityStructure(r)) return false;
  const bool begin = *flags & kBegin;
  const bool end = *flags & kEnd;
  if (frameDone_) {
    if (frameOpen_ != !begin) return false;  // the skipped layer's frames must still be whole
    frameOpen_ = !end;
    return true;
  }
  if (begin == frameOpen_) return false;  // a frame begins only after the last one ended
  frameOpen_ = !end;
  frameDone_ = end;
  const auto data = r.rest();
  return !data.empty() && append(data);
}

bool Vp9Depacketizer::isKeyframe(std::span<const std::uint8_t> unit) const {
  const auto header = codec::vp9::FrameHeader::parse(unit);
  return header && header->keyframe;
}

void Vp9Depacketizer::reset() {
  frameOpen_ = false;
  frameDone_ = false;
}

}  // namespace ocellus::rtp
