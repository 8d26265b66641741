#include "codec/h264/Sps.h"

#include <fmt/format.h>

#include <algorithm>

#include "codec/Rbsp.h"
#include "codec/SyntaxReader.h"
#include "codec/h264/Nal.h"

namespace ocellus::codec::h264 {
namespace {

// Ranges from H.264 §7.4.2.1.1; the picture limit is ours, far above any level's MaxFS.
constexpr std::uint32_t kMaxSpsId = 31;
constexpr std::uint32_t kMaxChromaFormatIdc = 3;
constexpr std::uint32_t kMaxBitDepth = 14;
constexpr std::uint32_t kMaxPocCycle = 255;
constexpr std::uint32_t kMaxDimension = 32768;
constexpr std::uint8_t kExtendedSar = 255;  // aspect_ratio_idc Extended_SAR (Table E-1)

// Profiles whose SPS carries chroma_format_idc, bit depths and scaling lists (§7.3.2.1.1).
constexpr std::uint8_t kProfilesWithChromaInfo[] = {100, 110, 122, 244, 44,  83, 86,
                                                    118, 128, 138, 139, 134, 135};

// scaling_list() (§7.3.2.1.1.1): only its length in bits matters here. False when a
// delta_scale is outside -128..127 (§7.4.2.1.1.1).
bool skipScalingList(SyntaxReader& r, int size) {
  int last = 8;
  int next = 8;
  for (int j = 0; j < size && !r.failed(); ++j) {
    if (next != 0) {
      const std::int32_t delta = r.se();
      if (delta < -128 || delta > 127) return false;
      next = (last + delta + 256) % 256;
    }
    if (next != 0) last = next;
  }
  return true;
}

// vui_parameters() (Annex E.1.1) up to timing_info, the last field we use.
std::optional<double> parseVuiFps(SyntaxReader& r) {
  if (r.flag() && r.u(8) == kExtendedSar) r.skip(32);  // aspect_ratio_info: sar_width, sar_height
  if (r.flag()) r.skip(1);                             // overscan_appropriate_flag
  if (r.flag()) {                                      // video_signal_type
    r.skip(4);
    if (r.flag()) r.skip(24);  // colour_primaries, transfer_characteristics, matrix_coefficients
  }
  if (r.flag()) {  // chroma_loc_info
    r.ue();
    r.ue();
  }
  if (!r.flag()) return std::nullopt;
  const std::uint32_t numUnitsInTick = r.u(32);
  const std::uint32_t timeScale = r.u(32);
  if (r.failed() || numUnitsInTick == 0 || timeScale == 0) return std::nullopt;
  // A frame is two field ticks (Annex E.2.1, equation E-6 with frame-coded pictures).
  return static_cast<double>(timeScale) / (2.0 * numUnitsInTick);
}

base::Error malformed(const char* what) {
  return base::makeError(base::ErrorCode::Malformed, fmt::format("h264 sps: {}", what));
}

}  // namespace

base::Result<Sps> Sps::parse(std::span<const std::uint8_t> nal) {
  if (nal.empty() || nalType(nal[0]) != NalType::Sps) return malformed("not an SPS NAL unit");
  const std::vector<std::uint8_t> rbsp = removeEmulationPrevention(nal.subspan(kNalHeaderSize));
  SyntaxReader r(rbsp);
  Sps sps;
  sps.profileIdc = static_cast<std::uint8_t>(r.u(8));
  sps.constraintFlags = static_cast<std::uint8_t>(r.u(8));
  sps.levelIdc = static_cast<std::uint8_t>(r.u(8));
  sps.id = r.ue();
  if (sps.id > kMaxSpsId) return malformed("seq_parameter_set_id out of range");

  bool separateColourPlane = false;
  if (std::ranges::find(kProfilesWithChromaInfo, sps.profileIdc) != std::end(kProfilesWithChromaInfo)) {
    sps.chromaFormatIdc = r.ue();
    if (sps.chromaFormatIdc > kMaxChromaFormatIdc) return malformed("chroma_format_idc out of range");
    if (sps.chromaFormatIdc == 3) separateColourPlane = r.flag();
    sps.bitDepthLuma = 8 + r.ue();
    sps.bitDepthChroma = 8 + r.ue();
    if (sps.bitDepthLuma > kMaxBitDepth || sps.bitDepthChroma > kMaxBitDepth) {
      return malformed("bit depth out of range");
    }
    r.skip(1);       // qpprime_y_zero_transform_bypass_flag
    if (r.flag()) {  // seq_scaling_matrix_present_flag
      const int lists = sps.chromaFormatIdc != 3 ? 8 : 12;
      for (int i = 0; i < lists; ++i) {
        if (r.flag() && !skipScalingList(r, i < 6 ? 16 : 64)) return malformed("delta_scale out of range");
      }
    }
  }

  r.ue();  // log2_max_frame_num_minus4
  const std::uint32_t pocType = r.ue();
  if (pocType == 0) {
    r.ue();  // log2_max_pic_order_cnt_lsb_minus4
  } else if (pocType == 1) {
    r.skip(1);  // delta_pic_order_always_zero_flag
    r.se();     // offset_for_non_ref_pic
    r.se();     // offset_for_top_to_bottom_field
    const std::uint32_t cycle = r.ue();
    if (cycle > kMaxPocCycle) return malformed("num_ref_frames_in_pic_order_cnt_cycle out of range");
    for (std::uint32_t i = 0; i < cycle; ++i) r.se();
  }
  r.ue();     // max_num_ref_frames
  r.skip(1);  // gaps_in_frame_num_value_allowed_flag
  const std::uint64_t widthMbs = std::uint64_t{r.ue()} + 1;
  const std::uint64_t heightMapUnits = std::uint64_t{r.ue()} + 1;
  sps.frameMbsOnly = r.flag();
  if (!sps.frameMbsOnly) r.skip(1);  // mb_adaptive_frame_field_flag
  r.skip(1);                         // direct_8x8_inference_flag
  std::uint64_t cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
  if (r.flag()) {
    cropLeft = r.ue();
    cropRight = r.ue();
    cropTop = r.ue();
    cropBottom = r.ue();
  }
  const bool vuiPresent = r.flag();
  if (r.failed()) return base::makeError(base::ErrorCode::Truncated, "h264 sps: ends inside the syntax");

  // Picture size in luma samples and the crop units of §7.4.2.1.1 (equations 7-19 to 7-22).
  const std::uint64_t fieldFactor = sps.frameMbsOnly ? 1 : 2;
  const std::uint64_t width = widthMbs * 16;
  const std::uint64_t height = heightMapUnits * 16 * fieldFactor;
  const std::uint32_t chromaArrayType = separateColourPlane ? 0 : sps.chromaFormatIdc;
  const std::uint64_t cropUnitX = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
  const std::uint64_t cropUnitY = (chromaArrayType == 1 ? 2 : 1) * fieldFactor;
  const std::uint64_t cropX = cropUnitX * (cropLeft + cropRight);
  const std::uint64_t cropY = cropUnitY * (cropTop + cropBottom);
  if (width > kMaxDimension || height > kMaxDimension) return malformed("picture too large");
  if (cropX >= width || cropY >= height) return malformed("cropping exceeds the picture");
  sps.width = static_cast<std::uint32_t>(width - cropX);
  sps.height = static_cast<std::uint32_t>(height - cropY);

  // Some encoders truncate the VUI; the picture is still described, only the rate is unknown.
  if (vuiPresent) sps.fps = parseVuiFps(r);
  return sps;
}

std::string Sps::profileLevelId() const {
  return fmt::format("{:02x}{:02x}{:02x}", profileIdc, constraintFlags, levelIdc);
}

}  // namespace ocellus::codec::h264
