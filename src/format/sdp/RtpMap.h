#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace ocellus::format::sdp {

// "a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]" (RFC 4566 §6).
struct RtpMap {
  std::uint8_t payloadType = 0;
  std::string encoding;  // as written: "H264", "MPEG4-GENERIC", "opus"
  std::uint32_t clockRate = 0;
  std::uint16_t channels = 1;  // RFC 4566 §6: one when omitted

  // Parses the attribute value (after "rtpmap:"); a payload type above 127, an empty encoding
  // name, a zero clock rate or zero channels is Malformed.
  static base::Result<RtpMap> parse(std::string_view value);
  // The static payload types of RFC 3551 §6 (PCMU, PCMA, G722, MP2T, ...), used when a
  // media description lists one without an a=rtpmap line.
  static std::optional<RtpMap> staticPayloadType(std::uint8_t payloadType);
  // The attribute value; channels are written only when not one.
  std::string toString() const;

  bool operator==(const RtpMap&) const = default;
};

}  // namespace ocellus::format::sdp
