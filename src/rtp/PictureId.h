#pragma once

#include <cstdint>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"

namespace ocellus::rtp {

// The picture ID field VP8 (RFC 7741 §4.2) and VP9 (RFC 9628 §4.2) payload descriptors share:
// M | 7 bits, or with M set, M | 15 bits.
inline constexpr std::uint16_t kPictureIdMask = 0x7fff;

// False when the field runs past the payload.
inline bool skipPictureId(base::ByteReader& r) {
  const auto first = r.peek();
  return first && r.skip(*first & 0x80 ? 2 : 1);
}

inline void writePictureId(std::uint16_t id, base::ByteWriter& w) {
  w.u16(0x8000 | (id & kPictureIdMask));
}

}  // namespace ocellus::rtp
