#include "codec/vp9/FrameHeader.h"

#include "base/BitReader.h"

namespace ocellus::codec::vp9 {
namespace {

constexpr std::uint32_t kFrameMarker = 2;
constexpr std::uint32_t kFrameSyncCode = 0x498342;
constexpr std::uint32_t kColorSpaceRgb = 7;

// color_config() (§6.2.2): only skipped, to reach frame_size().
bool skipColorConfig(base::BitReader& r, std::uint8_t profile) {
  if (profile >= 2 && !r.skipBits(1)) return false;  // ten_or_twelve_bit
  const auto colorSpace = r.bits(3);
  if (!colorSpace) return false;
  const bool oddProfile = profile == 1 || profile == 3;
  if (*colorSpace != kColorSpaceRgb) {
    // color_range, then subsampling_x, subsampling_y and reserved_zero in profiles 1 and 3
    return r.skipBits(oddProfile ? 4 : 1);
  }
  return !oddProfile || r.skipBits(1);  // reserved_zero
}

}  // namespace

std::optional<FrameHeader> FrameHeader::parse(std::span<const std::uint8_t> frame) {
  base::BitReader r(frame);
  const auto marker = r.bits(2);
  const auto low = r.bits(1);
  const auto high = r.bits(1);
  if (!marker || *marker != kFrameMarker || !low || !high) return std::nullopt;
  FrameHeader h;
  h.profile = static_cast<std::uint8_t>((*high << 1) | *low);
  if (h.profile == 3 && !r.skipBits(1)) return std::nullopt;  // reserved_zero
  const auto showExisting = r.flag();
  if (!showExisting) return std::nullopt;
  h.showExistingFrame = *showExisting;
  if (h.showExistingFrame) return h;
  const auto frameType = r.bits(1);
  const auto showFrame = r.flag();
  if (!frameType || !showFrame || !r.skipBits(1)) return std::nullopt;  // then error_resilient_mode
  h.keyframe = *frameType == 0;
  h.showFrame = *showFrame;
  if (!h.keyframe) return h;
  const auto sync = r.bits(24);
  if (!sync || *sync != kFrameSyncCode || !skipColorConfig(r, h.profile)) return std::nullopt;
  const auto width = r.bits(16);
  const auto height = r.bits(16);
  if (!width || !height) return std::nullopt;
  h.width = *width + 1;
  h.height = *height + 1;
  return h;
}

}  // namespace ocellus::codec::vp9
