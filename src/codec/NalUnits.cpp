#include "codec/NalUnits.h"

#include "codec/Codec.h"

namespace ocellus::codec {

void NalUnits::Iterator::load(std::span<const std::uint8_t> rest) {
  nal_ = {};
  rest_ = {};
  if (rest.size() < kNalLengthSize) return;
  const std::size_t size =
      (std::size_t{rest[0]} << 24) | (std::size_t{rest[1]} << 16) | (std::size_t{rest[2]} << 8) | rest[3];
  if (size == 0 || size > rest.size() - kNalLengthSize) return;
  nal_ = rest.subspan(kNalLengthSize, size);
  rest_ = rest.subspan(kNalLengthSize + size);
}

bool NalUnits::valid() const {
  std::size_t consumed = 0;
  for (auto nal : *this) consumed += kNalLengthSize + nal.size();
  return consumed == unit_.size();
}

}  // namespace ocellus::codec
