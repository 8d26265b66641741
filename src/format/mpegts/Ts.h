#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "codec/aac/AudioSpecificConfig.h"

namespace ocellus::format::mpegts {

// Constants and the track/unit types shared by the MPEG-TS Demuxer and Muxer
// (ISO/IEC 13818-1, "H.222.0").

inline constexpr std::size_t kPacketSize = 188;
inline constexpr std::uint8_t kSyncByte = 0x47;
inline constexpr std::uint16_t kPatPid = 0x0000;
inline constexpr std::uint16_t kNullPid = 0x1fff;
inline constexpr std::size_t kPacketsPerDatagram = 7;  // 1316 bytes: the usual UDP/SRT payload
inline constexpr std::uint64_t kTimestampModulus = std::uint64_t{1} << 33;  // PTS/DTS/PCR base
inline constexpr std::uint32_t kSystemClock = 90000;                        // PTS/DTS units

// stream_type values we carry (H.222.0 Table 2-34).
enum class StreamType : std::uint8_t {
  PrivateData = 0x06,  // with a 'KLVA' registration descriptor: asynchronous KLV (MISB ST 1402)
  AacAdts = 0x0f,
  Metadata = 0x15,  // metadata in PES, synchronous KLV (H.222.0 §2.12, MISB ST 1402)
  H264 = 0x1b,
  H265 = 0x24,
};

// What a track carries. KLV has no codec::CodecId yet, hence this enum of the container's own.
enum class Codec : std::uint8_t { H264, H265, Aac, Klv };
std::string_view codecName(Codec codec);

// One elementary stream of the program, as the demuxer discovered it (and the muxer writes it).
struct Track {
  std::uint16_t pid = 0;
  Codec codec = Codec::H264;
  std::uint8_t streamType = 0;
  std::uint32_t clockRate = kSystemClock;  // units of Unit::pts: 90 kHz, or the AAC sample rate
  bool synchronousKlv = false;             // stream_type 0x15: metadata AU cells were unwrapped
  // Parameter sets (NAL units without start code), once seen in the stream.
  std::vector<std::uint8_t> vps;
  std::vector<std::uint8_t> sps;
  std::vector<std::uint8_t> pps;
  std::optional<codec::aac::AudioSpecificConfig> aacConfig;  // derived from the ADTS header
};

// One access unit in canonical form (codec/Codec.h): H.264/H.265 NAL units with 4-byte length
// prefixes, one raw AAC frame, or one KLV PES payload (whole KLV packets). `data` is a view
// valid only during the callback that hands it out (Demuxer) or the call that takes it (Muxer).
struct Unit {
  std::uint16_t pid = 0;
  Codec codec = Codec::H264;
  bool hasPts = false;
  std::int64_t pts = 0;  // unwrapped to a 64-bit timeline, in Track::clockRate units
  std::int64_t dts = 0;  // equals pts when the stream has no DTS
  bool keyframe = false;
  std::span<const std::uint8_t> data;
};

}  // namespace ocellus::format::mpegts
