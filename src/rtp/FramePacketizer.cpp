#include "rtp/FramePacketizer.h"

namespace ocellus::rtp {

void FramePacketizer::packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                                std::vector<PayloadRef>& payloads) {
  if (unit.empty()) return;
  payloads.push_back(
      {static_cast<std::uint32_t>(bytes.size()), static_cast<std::uint32_t>(unit.size()), false});
  bytes.insert(bytes.end(), unit.begin(), unit.end());
}

}  // namespace ocellus::rtp
