#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace ocellus::codec::vp9 {

// The start of a VP9 frame's uncompressed header (VP9 Bitstream Specification v0.6 §6.2):
// what tells a key frame, and for one its picture size. A superframe (Annex B) begins with
// its first frame, so parsing a superframe reads that frame's header.
struct FrameHeader {
  std::uint8_t profile = 0;
  bool showExistingFrame = false;  // repeats a decoded frame; neither key nor inter frame
  bool keyframe = false;           // frame_type KEY_FRAME
  bool showFrame = false;
  std::uint32_t width = 0;  // key frames only
  std::uint32_t height = 0;

  // nullopt when the frame is too short, its frame_marker is not 2, or a key frame's
  // frame_sync_code is wrong.
  static std::optional<FrameHeader> parse(std::span<const std::uint8_t> frame);
};

}  // namespace ocellus::codec::vp9
