#include "rtp/KlvPacketizer.h"

#include <algorithm>

namespace ocellus::rtp {

void KlvPacketizer::packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                              std::vector<PayloadRef>& payloads) {
  for (std::size_t offset = 0; offset < unit.size();) {
    const std::size_t n = std::min(maxPayloadSize_, unit.size() - offset);
    payloads.push_back({static_cast<std::uint32_t>(bytes.size()), static_cast<std::uint32_t>(n),
                        offset + n == unit.size()});
    bytes.insert(bytes.end(), unit.begin() + static_cast<std::ptrdiff_t>(offset),
                 unit.begin() + static_cast<std::ptrdiff_t>(offset + n));
    offset += n;
  }
}

}  // namespace ocellus::rtp
