#include "rtp/Vp8Depacketizer.h"

#include "base/ByteReader.h"
#include "codec/vp8/FrameTag.h"
#include "rtp/PictureId.h"

namespace ocellus::rtp {
namespace {

//  0 1 2 3 4 5 6 7
// +-+-+-+-+-+-+-+-+
// |X|R|N|S|R| PID |  (required)
// +-+-+-+-+-+-+-+-+
// |I|L|T|K| RSV   |  X: extended control bits
// +-+-+-+-+-+-+-+-+
// |M| PictureID   |  I: 7 bits, or 15 with M
// +-+-+-+-+-+-+-+-+
// |   TL0PICIDX   |  L
// +-+-+-+-+-+-+-+-+
// |TID|Y| KEYIDX  |  T or K
// +-+-+-+-+-+-+-+-+
constexpr std::uint8_t kExtended = 0x80;
constexpr std::uint8_t kStart = 0x10;
constexpr std::uint8_t kPartitionMask = 0x07;
constexpr std::uint8_t kPictureId = 0x80;
constexpr std::uint8_t kTl0PicIdx = 0x40;
constexpr std::uint8_t kTidOrKeyIdx = 0x30;  // T | K

}  // namespace

bool Vp8Depacketizer::depacketize(std::span<const std::uint8_t> payload) {
  base::ByteReader r(payload);
  const auto first = r.u8();
  if (!first) return false;
  if (*first & kExtended) {
    const auto ext = r.u8();
    if (!ext) return false;
    if ((*ext & kPictureId) && !skipPictureId(r)) return false;
    if ((*ext & kTl0PicIdx) && !r.skip(1)) return false;
    if ((*ext & kTidOrKeyIdx) && !r.skip(1)) return false;
  }
  const bool frameStart = (*first & kStart) && (*first & kPartitionMask) == 0;
  // The frame's first packet opens the unit, and no other packet may.
  if (frameStart != unit().empty()) return false;
  const auto data = r.rest();
  return !data.empty() && append(data);
}

bool Vp8Depacketizer::isKeyframe(std::span<const std::uint8_t> unit) const {
  const auto tag = codec::vp8::FrameTag::parse(unit);
  return tag && tag->keyframe;
}

}  // namespace ocellus::rtp
