#include "rtp/Av1Depacketizer.h"

#include "base/ByteReader.h"
#include "codec/av1/Obu.h"

namespace ocellus::rtp {

namespace av1 = codec::av1;

namespace {

//  0 1 2 3 4 5 6 7
// +-+-+-+-+-+-+-+-+
// |Z|Y| W |N|-|-|-|  aggregation header (§4.4)
// +-+-+-+-+-+-+-+-+
constexpr std::uint8_t kContinuation = 0x80;  // Z: the first element continues a fragment
constexpr std::uint8_t kContinued = 0x40;     // Y: the last element goes on in the next packet
constexpr int kElementCountShift = 4;         // W: 0 = every element has a length

}  // namespace

bool Av1Depacketizer::depacketize(std::span<const std::uint8_t> payload) {
  base::ByteReader r(payload);
  const auto header = r.u8();
  if (!header) return false;
  const bool continuation = *header & kContinuation;
  if (continuation != fragmentOpen_) return false;  // the fragment's start was lost, or its end
  const int count = (*header >> kElementCountShift) & 0x03;
  for (int element = 1; !r.empty(); ++element) {
    std::span<const std::uint8_t> data;
    if (count != 0 && element == count) {
      data = r.rest();
    } else {
      const auto length = av1::readLeb128(r);
      const auto bytes = length ? r.bytes(*length) : std::nullopt;
      if (!bytes) return false;
      data = *bytes;
    }
    const bool last = r.empty();
    const bool continues = last && (*header & kContinued);
    if (element == 1 && fragmentOpen_) {
      if (fragment_.size() + data.size() > kMaxUnitSize) return false;
      fragment_.insert(fragment_.end(), data.begin(), data.end());
      if (continues) continue;
      fragmentOpen_ = false;
      if (!addObu(fragment_)) return false;
      fragment_.clear();
    } else if (continues) {
      fragment_.assign(data.begin(), data.end());
      fragmentOpen_ = true;
    } else if (!addObu(data)) {
      return false;
    }
  }
  return true;
}

bool Av1Depacketizer::addObu(std::span<const std::uint8_t> element) {
  std::size_t consumed = 0;
  const auto obu = av1::parseObu(element, consumed);
  if (!obu || consumed != element.size()) return false;
  switch (obu->type) {
    case av1::ObuType::TemporalDelimiter:
    case av1::ObuType::TileList:
    case av1::ObuType::Padding:
      return true;
    default:
      break;
  }
  const std::size_t start = unit().size();
  if (!append(obu->header)) return false;
  unit()[start] |= av1::kObuHasSizeField;
  av1::writeLeb128(static_cast<std::uint32_t>(obu->payload.size()), unit());
  return append(obu->payload);
}

bool Av1Depacketizer::isKeyframe(std::span<const std::uint8_t> unit) const {
  return av1::isKeyframe(unit);
}

void Av1Depacketizer::reset() {
  fragment_.clear();
  fragmentOpen_ = false;
}

}  // namespace ocellus::rtp
