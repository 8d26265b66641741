#include "codec/av1/Obu.h"

#include "base/BitReader.h"

namespace ocellus::codec::av1 {
namespace {

constexpr std::size_t kMaxLeb128Bytes = 8;
constexpr std::uint32_t kKeyFrame = 0;  // frame_type (§6.8.2)

// sequence_header_obu() (§5.5.1) begins seq_profile (3) | still_picture (1) |
// reduced_still_picture_header (1).
bool reducedStillPicture(std::span<const std::uint8_t> sequenceHeader) {
  return !sequenceHeader.empty() && (sequenceHeader[0] & 0x08);
}

// uncompressed_header() (§5.9.2) without a reduced still picture header begins
// show_existing_frame (1) | frame_type (2) | show_frame (1).
bool shownKeyFrame(std::span<const std::uint8_t> frameHeader) {
  base::BitReader r(frameHeader);
  const auto showExisting = r.flag();
  const auto frameType = r.bits(2);
  const auto show = r.flag();
  return showExisting && !*showExisting && frameType && *frameType == kKeyFrame && show && *show;
}

}  // namespace

std::optional<std::uint32_t> readLeb128(base::ByteReader& r) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < kMaxLeb128Bytes; ++i) {
    const auto byte = r.u8();
    if (!byte) return std::nullopt;
    value |= std::uint64_t{*byte & 0x7fu} << (7 * i);
    if (!(*byte & 0x80)) return value <= UINT32_MAX ? std::optional<std::uint32_t>(value) : std::nullopt;
  }
  return std::nullopt;
}

void writeLeb128(std::uint32_t value, std::vector<std::uint8_t>& out) {
  do {
    const auto low = static_cast<std::uint8_t>(value & 0x7f);
    value >>= 7;
    out.push_back(value ? low | 0x80 : low);
  } while (value);
}

std::optional<Obu> parseObu(std::span<const std::uint8_t> data, std::size_t& consumed) {
  if (data.empty() || (data[0] & kObuForbiddenBit)) return std::nullopt;
  const std::size_t headerSize = obuHeaderSize(data[0]);
  base::ByteReader r(data);
  const auto header = r.bytes(headerSize);
  if (!header) return std::nullopt;
  std::size_t size = r.remaining();
  if (data[0] & kObuHasSizeField) {
    const auto declared = readLeb128(r);
    if (!declared || *declared > r.remaining()) return std::nullopt;
    size = *declared;
  }
  const std::size_t start = r.position();
  consumed = start + size;
  return Obu{obuType(data[0]), *header, data.subspan(start, size), data.first(consumed)};
}

bool isKeyframe(std::span<const std::uint8_t> unit) {
  bool sequenceHeader = false;
  bool reduced = false;
  bool keyframe = false;
  bool seenFrame = false;
  const bool valid = forEachObu(unit, [&](const Obu& obu) {
    if (obu.type == ObuType::SequenceHeader) {
      sequenceHeader = true;
      reduced = reducedStillPicture(obu.payload);
    } else if ((obu.type == ObuType::Frame || obu.type == ObuType::FrameHeader) && !seenFrame) {
      seenFrame = true;
      keyframe = reduced || shownKeyFrame(obu.payload);
    }
  });
  return valid && sequenceHeader && keyframe;
}

}  // namespace ocellus::codec::av1
