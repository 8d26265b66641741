#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace ocellus::codec::aac {

// The leading fields of an MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), which SDP
// carries as `config=` in hex (RFC 3640 §4.1) and MP4 in its esds box. Fields after
// channelConfiguration (GASpecificConfig, SBR/PS extensions) are not kept.
struct AudioSpecificConfig {
  std::uint8_t objectType = 2;  // audioObjectType: 2 = AAC LC
  std::uint32_t sampleRate = 48000;
  std::uint8_t channelConfig = 2;  // 0 = defined in a program_config_element

  static base::Result<AudioSpecificConfig> parse(std::span<const std::uint8_t> data);
  // Parses the hex text of an SDP `config=` parameter.
  static base::Result<AudioSpecificConfig> parseHex(std::string_view hex);

  // The fields above (in the ranges parse() gives), the rate as an index when the table has it,
  // then zero bits to the byte end: for AAC LC that is GASpecificConfig 000 (1024-sample
  // frames, no core coder, no extension), e.g. 48 kHz stereo is 11 90.
  std::vector<std::uint8_t> serialize() const;
  std::string hex() const;  // lower-case, for SDP

  bool operator==(const AudioSpecificConfig&) const = default;
};

}  // namespace ocellus::codec::aac
