#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codec/Codec.h"

namespace ocellus::media {

// What a reader needs to know about a track to describe it (SDP, fMP4 init, FLV header).
// A value type: the Stream keeps the current one and replaces it when parameter sets
// arrive in-band.
struct TrackInfo {
  codec::CodecId codec = codec::CodecId::H264;
  std::uint32_t clockRate = 90000;
  std::uint32_t channels = 0;        // audio
  std::vector<std::uint8_t> vps;     // H.265
  std::vector<std::uint8_t> sps;     // H.264/H.265, NAL unit without start code
  std::vector<std::uint8_t> pps;
  std::vector<std::uint8_t> audioConfig;  // AAC AudioSpecificConfig
  std::vector<std::uint8_t> sequenceHeader;  // AV1 sequence header OBU, whole, when the source gave one
  int width = 0;                     // video, from the SPS (AV1: the sequence header)
  int height = 0;
  double fps = 0;                    // from the SPS timing info or measured; 0 if unknown
  int packetizationMode = 1;         // H.264 RTP (RFC 6184)

  bool isVideo() const { return codec::mediaKind(codec) == codec::MediaKind::Video; }
  bool operator==(const TrackInfo&) const = default;
  // Same codec and clock: a reader of the old track can go on reading the new one.
  bool compatibleWith(const TrackInfo& o) const { return codec == o.codec && clockRate == o.clockRate; }
};

}  // namespace ocellus::media
