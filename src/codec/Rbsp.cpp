#include "codec/Rbsp.h"

namespace ocellus::codec {

std::vector<std::uint8_t> removeEmulationPrevention(std::span<const std::uint8_t> nal) {
  std::vector<std::uint8_t> rbsp;
  rbsp.reserve(nal.size());
  std::size_t zeros = 0;
  for (std::uint8_t b : nal) {
    if (zeros >= 2 && b == 0x03) {
      zeros = 0;
      continue;
    }
    zeros = b == 0 ? zeros + 1 : 0;
    rbsp.push_back(b);
  }
  return rbsp;
}

}  // namespace ocellus::codec
