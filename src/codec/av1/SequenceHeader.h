#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/Result.h"
#include "codec/av1/Obu.h"

namespace ocellus::codec::av1 {

// The fields of an AV1 sequence header OBU (AV1 Bitstream & Decoding Process Specification
// §5.5) that a container needs: what an AV1CodecConfigurationRecord restates (profile, the first
// operating point's level and tier, bit depth, chroma format) and the largest picture size.
// parse() reads the OBU's payload (after its header and size) through color_config(); a
// payload that ends before that is Truncated, a reserved profile Unsupported.
struct SequenceHeader {
  std::uint8_t profile = 0;     // seq_profile: 0 Main, 1 High, 2 Professional
  std::uint8_t levelIdx0 = 0;   // seq_level_idx[0]
  std::uint8_t tier0 = 0;       // seq_tier[0]
  bool highBitdepth = false;
  bool twelveBit = false;
  bool monochrome = false;
  bool subsamplingX = true;     // 4:2:0 unless the header says otherwise
  bool subsamplingY = true;
  std::uint8_t chromaSamplePosition = 0;
  std::uint32_t maxWidth = 0;   // max_frame_width_minus_1 + 1
  std::uint32_t maxHeight = 0;

  static base::Result<SequenceHeader> parse(std::span<const std::uint8_t> payload);

  bool operator==(const SequenceHeader&) const = default;
};

// The first sequence header OBU of a temporal unit in low-overhead form (codec/Codec.h);
// nullopt when there is none or the unit is malformed.
std::optional<Obu> findSequenceHeader(std::span<const std::uint8_t> unit);

}  // namespace ocellus::codec::av1
