#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace ocellus::format::fmp4 {

// One sample (access unit) of a fragment, with every timing value known: its decode duration
// and pts - dts, both in the track's timescale.
struct Sample {
  std::span<const std::uint8_t> data;
  std::uint32_t duration = 0;
  std::int32_t ctsOffset = 0;  // pts - dts; negative is allowed (trun version 1)
  bool keyframe = true;        // a sync sample: decoding can start here
};

// The samples of one track in a fragment. They are contiguous in decode order, the first one
// decoding at baseDecodeTime (the track's timescale, counted from the start of the stream).
struct TrackRun {
  std::uint32_t trackId = 1;
  std::uint64_t baseDecodeTime = 0;
  std::span<const Sample> samples;
};

// sample_flags (ISO/IEC 14496-12 §8.8.3.1): sample_depends_on 2 for a sync sample; 1 and
// sample_is_non_sync_sample for the others.
inline constexpr std::uint32_t kSyncSampleFlags = 0x02000000;
inline constexpr std::uint32_t kNonSyncSampleFlags = 0x01010000;

// One movie fragment as written and as read back: a moof (mfhd, then per track a traf with
// tfhd default-base-is-moof, tfdt version 1, trun version 1 with data offset and per-sample
// duration, size, flags and composition offset) followed by one mdat with the tracks' samples
// in traf order (ISO/IEC 14496-12 §8.8; CMAF chunk, ISO/IEC 23000-19 §7.3.2.3).
//
// write() appends such a pair to `out`; the samples' bytes are copied once into it. parse()
// reads a moof and the bytes after it (ours, or any muxer's: tfhd defaults, base data offsets,
// first-sample flags and trun version 0 are understood) and yields views into `data`, which must
// outlive the result; every sample's bytes are checked to lie inside `data`.
struct Fragment {
  static constexpr std::size_t kMaxTracks = 16;
  static constexpr std::size_t kMaxSamplesPerTrack = 1 << 16;

  struct ParsedSample {
    std::uint32_t duration = 0;
    std::uint32_t flags = 0;
    std::int32_t ctsOffset = 0;
    std::span<const std::uint8_t> data;
    bool keyframe() const { return (flags & 0x00010000) == 0; }
  };
  struct ParsedTrack {
    std::uint32_t trackId = 0;
    std::uint64_t baseDecodeTime = 0;
    std::vector<ParsedSample> samples;
  };

  std::uint32_t sequenceNumber = 0;
  std::vector<ParsedTrack> tracks;
  std::size_t size = 0;  // bytes of moof plus the mdat that follows it, when there is one

  static base::Status write(std::uint32_t sequenceNumber, std::span<const TrackRun> tracks,
                            std::vector<std::uint8_t>& out);
  static base::Result<Fragment> parse(std::span<const std::uint8_t> data);
  // The same from a moof alone (`moof` starts with the box) whose mdat, of `mdatSize` bytes,
  // follows it but was not read: the samples get their timing and flags and empty data, and are
  // checked to lie inside moof + mdat. What scanning a recorded file without reading its media
  // needs.
  static base::Result<Fragment> parseMoof(std::span<const std::uint8_t> moof, std::uint64_t mdatSize);
};

}  // namespace ocellus::format::fmp4
