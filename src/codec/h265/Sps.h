#pragma once

#include <cstdint>
#include <span>

#include "base/Result.h"

namespace ocellus::codec::h265 {

// The fields of a sequence parameter set (H.265 §7.3.2.2.1) that a server needs: the general
// profile_tier_level (§7.3.3) for SDP and codec strings, and the picture size.
struct Sps {
  std::uint8_t profileSpace = 0;
  bool tierFlag = false;
  std::uint8_t profileIdc = 0;
  std::uint32_t profileCompatibilityFlags = 0;  // general_profile_compatibility_flag[0] is bit 31
  std::uint64_t constraintFlags = 0;            // the 48 bits from general_progressive_source_flag on
  std::uint8_t levelIdc = 0;
  std::uint32_t id = 0;
  std::uint32_t chromaFormatIdc = 1;
  std::uint32_t bitDepthLuma = 8;
  std::uint32_t bitDepthChroma = 8;
  std::uint32_t width = 0;  // luma samples, inside the conformance window
  std::uint32_t height = 0;

  // Parses an SPS NAL unit (2-byte header included, emulation prevention still in place).
  static base::Result<Sps> parse(std::span<const std::uint8_t> nal);
};

}  // namespace ocellus::codec::h265
