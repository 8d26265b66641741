#include "format/flv/AudioTag.h"

#include <string>

namespace ocellus::format::flv {

base::Result<std::uint8_t> AudioTag::soundFormat(std::span<const std::uint8_t> body) {
  if (body.empty()) return base::makeError(base::ErrorCode::Truncated, "flv audio tag: empty");
  return static_cast<std::uint8_t>(body[0] >> 4);
}

base::Result<AudioTag> AudioTag::parse(std::span<const std::uint8_t> body) {
  const auto format = soundFormat(body);
  if (!format) return format.error();
  if (*format != kSoundFormatAac) {
    return base::makeError(base::ErrorCode::Unsupported,
                           "flv audio tag: sound format " + std::to_string(*format) + " (only 10, AAC, is taken)");
  }
  if (body.size() < 2) return base::makeError(base::ErrorCode::Truncated, "flv audio tag: no AACPacketType");
  if (body[1] > 1) {
    return base::makeError(base::ErrorCode::Malformed,
                           "flv audio tag: AACPacketType " + std::to_string(body[1]) + " is not 0 or 1");
  }
  AudioTag tag;
  tag.packetType = static_cast<AacPacketType>(body[1]);
  tag.data = body.subspan(2);
  return tag;
}

std::vector<std::uint8_t> AudioTag::aacHeader(AacPacketType type) {
  return {kAacFlags, static_cast<std::uint8_t>(type)};
}

std::vector<std::uint8_t> AudioTag::aac(AacPacketType type, std::span<const std::uint8_t> data) {
  std::vector<std::uint8_t> out = aacHeader(type);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

}  // namespace ocellus::format::flv
