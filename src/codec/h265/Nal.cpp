#include "codec/h265/Nal.h"

#include "codec/NalUnits.h"

namespace ocellus::codec::h265 {

bool isKeyframe(std::span<const std::uint8_t> unit) {
  for (auto nal : NalUnits(unit)) {
    if (isIrap(nalType(nal[0]))) return true;
  }
  return false;
}

}  // namespace ocellus::codec::h265
