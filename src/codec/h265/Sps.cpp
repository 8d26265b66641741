#include "codec/h265/Sps.h"

#include <fmt/format.h>

#include "codec/Rbsp.h"
#include "codec/SyntaxReader.h"
#include "codec/h265/Nal.h"

namespace ocellus::codec::h265 {
namespace {

// Ranges from H.265 §7.4.3.2.1; the picture limit is ours, far above any level's MaxLumaPs.
constexpr std::uint32_t kMaxSubLayersMinus1 = 6;
constexpr std::uint32_t kMaxSpsId = 15;
constexpr std::uint32_t kMaxChromaFormatIdc = 3;
constexpr std::uint32_t kMaxBitDepth = 16;
constexpr std::uint32_t kMaxDimension = 32768;
constexpr unsigned kSubLayerProfileBits = 88;  // sub_layer_profile_space .. sub_layer_inbld_flag
constexpr unsigned kSubLayerLevelBits = 8;

base::Error malformed(const char* what) {
  return base::makeError(base::ErrorCode::Malformed, fmt::format("h265 sps: {}", what));
}

// profile_tier_level(1, maxSubLayersMinus1) (§7.3.3): keeps the general fields, skips the rest.
void parseProfileTierLevel(SyntaxReader& r, std::uint32_t maxSubLayersMinus1, Sps& sps) {
  sps.profileSpace = static_cast<std::uint8_t>(r.u(2));
  sps.tierFlag = r.flag();
  sps.profileIdc = static_cast<std::uint8_t>(r.u(5));
  sps.profileCompatibilityFlags = r.u(32);
  sps.constraintFlags = (std::uint64_t{r.u(16)} << 32) | r.u(32);
  sps.levelIdc = static_cast<std::uint8_t>(r.u(8));
  bool profilePresent[kMaxSubLayersMinus1] = {};
  bool levelPresent[kMaxSubLayersMinus1] = {};
  for (std::uint32_t i = 0; i < maxSubLayersMinus1; ++i) {
    profilePresent[i] = r.flag();
    levelPresent[i] = r.flag();
  }
  if (maxSubLayersMinus1 > 0) r.skip(2 * (8 - maxSubLayersMinus1));  // reserved_zero_2bits
  for (std::uint32_t i = 0; i < maxSubLayersMinus1; ++i) {
    if (profilePresent[i]) r.skip(kSubLayerProfileBits);
    if (levelPresent[i]) r.skip(kSubLayerLevelBits);
  }
}

}  // namespace

base::Result<Sps> Sps::parse(std::span<const std::uint8_t> nal) {
  if (nal.size() < kNalHeaderSize || nalType(nal[0]) != NalType::Sps) return malformed("not an SPS NAL unit");
  const std::vector<std::uint8_t> rbsp = removeEmulationPrevention(nal.subspan(kNalHeaderSize));
  SyntaxReader r(rbsp);
  Sps sps;
  r.skip(4);  // sps_video_parameter_set_id
  const std::uint32_t maxSubLayersMinus1 = r.u(3);
  if (maxSubLayersMinus1 > kMaxSubLayersMinus1) return malformed("sps_max_sub_layers_minus1 out of range");
  r.skip(1);  // sps_temporal_id_nesting_flag
  parseProfileTierLevel(r, maxSubLayersMinus1, sps);
  sps.id = r.ue();
  if (sps.id > kMaxSpsId) return malformed("sps_seq_parameter_set_id out of range");
  sps.chromaFormatIdc = r.ue();
  if (sps.chromaFormatIdc > kMaxChromaFormatIdc) return malformed("chroma_format_idc out of range");
  const bool separateColourPlane = sps.chromaFormatIdc == 3 && r.flag();
  const std::uint64_t width = r.ue();
  const std::uint64_t height = r.ue();
  std::uint64_t left = 0, right = 0, top = 0, bottom = 0;
  if (r.flag()) {  // conformance_window_flag
    left = r.ue();
    right = r.ue();
    top = r.ue();
    bottom = r.ue();
  }
  sps.bitDepthLuma = 8 + r.ue();
  sps.bitDepthChroma = 8 + r.ue();
  if (r.failed()) return base::makeError(base::ErrorCode::Truncated, "h265 sps: ends inside the syntax");
  if (sps.bitDepthLuma > kMaxBitDepth || sps.bitDepthChroma > kMaxBitDepth)
    return malformed("bit depth out of range");

  // Conformance window offsets count chroma samples (§7.4.3.2.1, Table 6-1 SubWidthC/SubHeightC).
  const std::uint32_t chromaArrayType = separateColourPlane ? 0 : sps.chromaFormatIdc;
  const std::uint64_t subWidth = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
  const std::uint64_t subHeight = chromaArrayType == 1 ? 2 : 1;
  const std::uint64_t cropX = subWidth * (left + right);
  const std::uint64_t cropY = subHeight * (top + bottom);
  if (width == 0 || height == 0 || width > kMaxDimension || height > kMaxDimension) {
    return malformed("picture size out of range");
  }
  if (cropX >= width || cropY >= height) return malformed("conformance window exceeds the picture");
  sps.width = static_cast<std::uint32_t>(width - cropX);
  sps.height = static_cast<std::uint32_t>(height - cropY);
  return sps;
}

}  // namespace ocellus::codec::h265
