#include "codec/h264/Nal.h"

#include "codec/NalUnits.h"

namespace ocellus::codec::h264 {

bool isKeyframe(std::span<const std::uint8_t> unit) {
  for (auto nal : NalUnits(unit)) {
    if (nalType(nal[0]) == NalType::Idr) return true;
  }
  return false;
}

}  // namespace ocellus::codec::h264
