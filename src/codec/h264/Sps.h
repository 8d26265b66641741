#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/Result.h"

namespace ocellus::codec::h264 {

// The fields of a sequence parameter set (H.264 §7.3.2.1.1) that a server needs: what to put
// in SDP and container headers, the picture size and the frame rate when the VUI states it.
struct Sps {
  std::uint8_t profileIdc = 0;
  std::uint8_t constraintFlags = 0;  // constraint_set0..5_flag and reserved_zero_2bits, one byte
  std::uint8_t levelIdc = 0;
  std::uint32_t id = 0;
  std::uint32_t chromaFormatIdc = 1;  // 4:2:0 unless a high profile says otherwise
  std::uint32_t bitDepthLuma = 8;
  std::uint32_t bitDepthChroma = 8;
  bool frameMbsOnly = true;
  std::uint32_t width = 0;  // luma samples, after frame cropping
  std::uint32_t height = 0;
  std::optional<double> fps;  // from VUI timing_info: time_scale / (2 * num_units_in_tick)

  // Parses an SPS NAL unit (header byte included, emulation prevention still in place).
  static base::Result<Sps> parse(std::span<const std::uint8_t> nal);

  // profile-level-id for SDP (RFC 6184 §8.1): profile_idc, constraint byte, level_idc in hex.
  std::string profileLevelId() const;
};

}  // namespace ocellus::codec::h264
