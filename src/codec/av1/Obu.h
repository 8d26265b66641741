#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/ByteReader.h"

namespace ocellus::codec::av1 {

// AV1 Bitstream & Decoding Process Specification §6.2.2.
enum class ObuType : std::uint8_t {
  SequenceHeader = 1,
  TemporalDelimiter = 2,
  FrameHeader = 3,
  TileGroup = 4,
  Metadata = 5,
  Frame = 6,
  RedundantFrameHeader = 7,
  TileList = 8,
  Padding = 15,
};

// OBU header byte (§5.3.2): forbidden (1) | obu_type (4) | obu_extension_flag (1) |
// obu_has_size_field (1) | reserved (1); an extension byte follows when the flag is set.
inline constexpr std::uint8_t kObuExtensionFlag = 0x04;
inline constexpr std::uint8_t kObuHasSizeField = 0x02;
inline constexpr std::uint8_t kObuForbiddenBit = 0x80;
inline ObuType obuType(std::uint8_t header) {
  return static_cast<ObuType>((header >> 3) & 0x0f);
}
inline std::size_t obuHeaderSize(std::uint8_t header) {
  return header & kObuExtensionFlag ? 2 : 1;
}

// leb128() (§4.10.5): at most 8 bytes and a value below 2^32, as the specification requires.
std::optional<std::uint32_t> readLeb128(base::ByteReader& r);
void writeLeb128(std::uint32_t value, std::vector<std::uint8_t>& out);

// One OBU within a buffer. `header` is its header (and extension) bytes as written, with or
// without obu_has_size_field; `payload` what follows the size field (or the header); `whole`
// all of it.
struct Obu {
  ObuType type = ObuType::Padding;
  std::span<const std::uint8_t> header;
  std::span<const std::uint8_t> payload;
  std::span<const std::uint8_t> whole;
};

// Reads the OBU at the start of `data`; without a size field it takes the rest of `data`
// (as RTP carries the last OBU of a packet, AV1 RTP §4.3). `consumed` is its whole length.
// nullopt when the header is truncated or forbidden, or the size runs past the end.
std::optional<Obu> parseObu(std::span<const std::uint8_t> data, std::size_t& consumed);

// Calls f(const Obu&) for each OBU of a temporal unit in low-overhead form (each with its
// size field, as in codec canonical form, codec/Codec.h); false when one is malformed or
// lacks its size field.
template <typename F>
bool forEachObu(std::span<const std::uint8_t> unit, F&& f) {
  while (!unit.empty()) {
    std::size_t consumed = 0;
    const auto obu = parseObu(unit, consumed);
    if (!obu || !(obu->header[0] & kObuHasSizeField)) return false;
    f(*obu);
    unit = unit.subspan(consumed);
  }
  return true;
}

// A temporal unit a decoder can start at: a sequence header and a shown key frame (§7.5).
bool isKeyframe(std::span<const std::uint8_t> unit);

}  // namespace ocellus::codec::av1
