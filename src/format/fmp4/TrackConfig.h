#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "codec/Codec.h"

namespace ocellus::format::fmp4 {

// What the fMP4 writer needs to know about one track, and what the reader gives back from an
// init segment. Video: `decoderConfig` is the AVC/HEVC decoder configuration record
// (codec/h264|h265/DecoderConfigurationRecord) or the av1C (codec/av1/ConfigurationRecord); AAC: the AudioSpecificConfig; Opus: empty (the
// dOps box is built from channels, preSkip and sampleRate); KLV: empty (a timed-metadata track,
// see InitSegment.h). Timestamps of this track's samples count in `timescale` units (90 kHz for
// video and KLV, the sample rate for audio, by custom).
struct TrackConfig {
  std::uint32_t id = 1;  // track_ID, at least 1, unique within a file
  codec::CodecId codec = codec::CodecId::H264;
  std::uint32_t timescale = 90000;
  std::uint16_t width = 0;  // video, in pixels
  std::uint16_t height = 0;
  std::uint16_t channels = 0;  // audio
  std::uint32_t sampleRate = 0;
  std::uint16_t opusPreSkip = 0;  // Opus: samples at 48 kHz to drop at the start (RFC 7845 §4.2)
  std::vector<std::uint8_t> decoderConfig;

  bool operator==(const TrackConfig&) const = default;
};

// The track a file's fragments are timed, cut and flagged by: the first video track, else the
// first audio track (a metadata track never leads; InitSegment::write refuses a file of metadata
// only). Index 0 when there is neither.
inline std::size_t primaryTrack(std::span<const TrackConfig> tracks) {
  for (const auto kind : {codec::MediaKind::Video, codec::MediaKind::Audio}) {
    const auto found = std::ranges::find_if(tracks, [kind](const TrackConfig& t) { return codec::mediaKind(t.codec) == kind; });
    if (found != tracks.end()) return static_cast<std::size_t>(found - tracks.begin());
  }
  return 0;
}

}  // namespace ocellus::format::fmp4
