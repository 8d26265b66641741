#include "codec/vp8/FrameTag.h"

namespace ocellus::codec::vp8 {

std::optional<FrameTag> FrameTag::parse(std::span<const std::uint8_t> frame) {
  if (frame.size() < kSize) return std::nullopt;
  const std::uint32_t raw = frame[0] | (frame[1] << 8) | (frame[2] << 16);
  FrameTag tag;
  tag.keyframe = (raw & 1) == 0;
  tag.version = static_cast<std::uint8_t>((raw >> 1) & 7);
  tag.showFrame = (raw >> 4) & 1;
  tag.firstPartSize = raw >> 5;
  if (!tag.keyframe) return tag;
  if (frame.size() < kKeyframeHeaderSize || frame[3] != 0x9d || frame[4] != 0x01 || frame[5] != 0x2a) {
    return std::nullopt;
  }
  tag.width = static_cast<std::uint16_t>((frame[6] | (frame[7] << 8)) & 0x3fff);
  tag.height = static_cast<std::uint16_t>((frame[8] | (frame[9] << 8)) & 0x3fff);
  return tag;
}

}  // namespace ocellus::codec::vp8
