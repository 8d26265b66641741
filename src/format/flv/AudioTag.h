#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace ocellus::format::flv {

// AACPacketType (FLV spec v10.1 §E.4.2.2).
enum class AacPacketType : std::uint8_t { SequenceHeader = 0, Raw = 1 };

// One FLV audio tag body (an RTMP audio message payload) carrying AAC, and a view of its data:
// the AudioSpecificConfig for a sequence header, one raw AAC frame (no ADTS) otherwise.
// The view points into the parsed bytes, which must outlive the tag.
//
//   SoundFormat(4)=10 SoundRate(2) SoundSize(1) SoundType(1) | AACPacketType(8) | data
//
// For AAC the rate/size/type bits are fixed (3, 1, 1: the byte is 0xAF) and say nothing: the
// AudioSpecificConfig does. Other sound formats (MP3, G.711, Speex, Enhanced RTMP's
// ExHeader) are reported as Unsupported with their number.
struct AudioTag {
  static constexpr std::uint8_t kSoundFormatAac = 10;
  static constexpr std::uint8_t kAacFlags = 0xAF;

  AacPacketType packetType = AacPacketType::Raw;
  std::span<const std::uint8_t> data;

  static base::Result<AudioTag> parse(std::span<const std::uint8_t> body);
  // A view of a temporary would dangle at once.
  static base::Result<AudioTag> parse(std::vector<std::uint8_t>&& body) = delete;
  // The SoundFormat of a body (the top four bits of its first byte); Truncated when empty.
  static base::Result<std::uint8_t> soundFormat(std::span<const std::uint8_t> body);

  // The 2 bytes before an AAC payload, so a caller can chunk head + frame without joining them.
  static std::vector<std::uint8_t> aacHeader(AacPacketType type);
  static std::vector<std::uint8_t> aac(AacPacketType type, std::span<const std::uint8_t> data);
};

}  // namespace ocellus::format::flv
