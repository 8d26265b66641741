#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace ocellus::codec::vp8 {

// The frame tag that begins every VP8 frame (RFC 6386 §9.1), and for a key frame the start
// code and picture size after it (§9.2):
//   byte 0-2: key_frame inverted (1 bit, 0 = key frame) | version (3) | show_frame (1) |
//             first_part_size (19), little-endian
//   key frame only: 9d 01 2a, then width and height as 14 bits + 2 bits of scale each
struct FrameTag {
  static constexpr std::size_t kSize = 3;
  static constexpr std::size_t kKeyframeHeaderSize = 10;  // tag, start code, width, height

  bool keyframe = false;
  std::uint8_t version = 0;
  bool showFrame = false;
  std::uint32_t firstPartSize = 0;
  std::uint16_t width = 0;  // key frames only
  std::uint16_t height = 0;

  // nullopt when the frame is shorter than its tag, or claims to be a key frame without the
  // start code.
  static std::optional<FrameTag> parse(std::span<const std::uint8_t> frame);
};

}  // namespace ocellus::codec::vp8
