#pragma once

#include <cstdint>
#include <vector>

#include "format/fmp4/TrackConfig.h"

namespace ocellus::record {

// One movie fragment of a recorded file (a moof and the mdat after it), timed by the primary track.
struct FragmentInfo {
  std::uint64_t offset = 0;      // where the moof starts in the file
  std::uint64_t size = 0;        // moof + mdat bytes
  std::uint64_t decodeTime = 0;  // the primary track's tfdt, in its timescale
  std::uint64_t duration = 0;    // the primary track's summed sample durations
  bool independent = false;      // the primary track's first sample is a sync sample
};

// What a scan learns of a recorded fragmented MP4 file (record/SegmentScanner.h): where its init
// segment ends, its tracks, and where each complete fragment lies, in file order.
struct SegmentLayout {
  std::uint64_t initSize = 0;  // ftyp .. moov, from offset 0: the EXT-X-MAP byte range
  std::vector<format::fmp4::TrackConfig> tracks;
  std::uint32_t primaryTrackId = 0;  // the first video track, else the first track
  std::uint32_t primaryTimescale = 0;
  std::vector<FragmentInfo> fragments;
  std::uint64_t validSize = 0;  // the end of the last complete fragment (or trailing box)
  bool truncated = false;       // bytes after validSize are a torn or garbage tail

  // The fragments' summed primary-track durations, in milliseconds.
  std::int64_t durationMs() const;
};

}  // namespace ocellus::record
