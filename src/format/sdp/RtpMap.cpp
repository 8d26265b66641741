#include "format/sdp/RtpMap.h"

#include <array>

#include "format/sdp/Text.h"

namespace ocellus::format::sdp {

base::Result<RtpMap> RtpMap::parse(std::string_view value) {
  value = trim(value);
  const auto space = value.find(' ');
  if (space == std::string_view::npos)
    return base::makeError(base::ErrorCode::Malformed, "rtpmap: no encoding");
  const auto pt = parseNumber<std::uint8_t>(value.substr(0, space));
  if (!pt || *pt > 127) return base::makeError(base::ErrorCode::Malformed, "rtpmap: bad payload type");
  std::string_view rest = trim(value.substr(space + 1));

  RtpMap map;
  map.payloadType = *pt;
  const auto slash = rest.find('/');
  map.encoding = std::string(rest.substr(0, slash));
  if (map.encoding.empty() || slash == std::string_view::npos) {
    return base::makeError(base::ErrorCode::Malformed, "rtpmap: expected <encoding>/<clock rate>");
  }
  rest.remove_prefix(slash + 1);
  const auto slash2 = rest.find('/');
  const auto clock = parseNumber<std::uint32_t>(rest.substr(0, slash2));
  if (!clock || *clock == 0) return base::makeError(base::ErrorCode::Malformed, "rtpmap: bad clock rate");
  map.clockRate = *clock;
  if (slash2 != std::string_view::npos) {
    const auto channels = parseNumber<std::uint16_t>(rest.substr(slash2 + 1));
    if (!channels || *channels == 0)
      return base::makeError(base::ErrorCode::Malformed, "rtpmap: bad channels");
    map.channels = *channels;
  }
  return map;
}

std::optional<RtpMap> RtpMap::staticPayloadType(std::uint8_t payloadType) {
  static const std::array<RtpMap, 11> kTable{{
      {0, "PCMU", 8000, 1},
      {3, "GSM", 8000, 1},
      {4, "G723", 8000, 1},
      {8, "PCMA", 8000, 1},
      {9, "G722", 8000, 1},
      {10, "L16", 44100, 2},
      {11, "L16", 44100, 1},
      {14, "MPA", 90000, 1},
      {26, "JPEG", 90000, 1},
      {32, "MPV", 90000, 1},
      {33, "MP2T", 90000, 1},
  }};
  for (const auto& m : kTable) {
    if (m.payloadType == payloadType) return m;
  }
  return std::nullopt;
}

std::string RtpMap::toString() const {
  std::string s = std::to_string(payloadType) + " " + encoding + "/" + std::to_string(clockRate);
  if (channels != 1) s += "/" + std::to_string(channels);
  return s;
}

}  // namespace ocellus::format::sdp
