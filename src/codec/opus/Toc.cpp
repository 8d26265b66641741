#include "codec/opus/Toc.h"

namespace ocellus::codec::opus {

std::uint32_t frameSamples(std::uint8_t toc) {
  static constexpr std::uint32_t kSilk[] = {480, 960, 1920, 2880};  // 10, 20, 40, 60 ms
  static constexpr std::uint32_t kHybrid[] = {480, 960};            // 10, 20 ms
  static constexpr std::uint32_t kCelt[] = {120, 240, 480, 960};    // 2.5, 5, 10, 20 ms
  const unsigned config = toc >> 3;
  if (config < 12) return kSilk[config % 4];
  if (config < 16) return kHybrid[config % 2];
  return kCelt[config % 4];
}

std::optional<std::uint32_t> packetSamples(std::span<const std::uint8_t> packet) {
  if (packet.empty()) return std::nullopt;
  std::uint32_t frames = 0;
  switch (packet[0] & 3) {
    case 0:
      frames = 1;
      break;
    case 1:
    case 2:
      frames = 2;
      break;
    default:
      if (packet.size() < 2) return std::nullopt;
      frames = packet[1] & 0x3f;  // frame count byte: v(1) p(1) M(6)
      break;
  }
  const std::uint32_t samples = frames * frameSamples(packet[0]);
  if (frames == 0 || samples > kMaxPacketSamples) return std::nullopt;
  return samples;
}

}  // namespace ocellus::codec::opus
