#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/Result.h"
#include "format/fmp4/Fragment.h"
#include "format/fmp4/TrackConfig.h"

namespace ocellus::format::fmp4 {

// The fMP4 writer that LL-HLS and recording share: it turns timestamped frames of 1..N tracks
// into an init segment and a run of fragments (one moof+mdat each, an LL-HLS part or a recording
// fragment), numbering them 1, 2, 3...
//
// Durations: a trun needs each sample's duration, which is known only when the next frame of the
// same track arrives. So push() holds the newest frame of each track back; the frame before it
// becomes "ready" with duration = its successor's dts minus its own. flush() writes every ready
// sample and keeps the held ones for the next fragment. At the end of a stream, finish() releases
// a track's held frame with a duration the caller chooses (e.g. the previous one).
//
// The caller decides when to cut, from readyDuration()/readyStartsWithKeyframe() (HLS cuts
// segments at keyframes, parts every ~200 ms). push() copies the frame's bytes once, into a
// per-track buffer that is reused, so steady state allocates only each fragment's output.
// Not thread-safe: one owner, one executor.
class Muxer {
 public:
  // Timestamps in the track's timescale. dts must be >= 0 and increase strictly per track;
  // pts - dts must fit 32 signed bits.
  struct Frame {
    std::span<const std::uint8_t> data;  // canonical unit form (codec/Codec.h); copied by push()
    std::int64_t dts = 0;
    std::int64_t pts = 0;
    bool keyframe = true;
  };

  struct Output {
    std::vector<std::uint8_t> bytes;  // moof + mdat
    std::uint32_t sequenceNumber = 0;
    bool independent = false;  // the primary track's first sample is a keyframe
    // The primary track's first decode time and summed duration in this fragment (its timescale).
    std::uint64_t startTime = 0;
    std::uint64_t duration = 0;
  };

  // Checks the tracks the way InitSegment::write() does and keeps the init segment.
  static base::Result<Muxer> create(std::vector<TrackConfig> tracks);

  const std::vector<std::uint8_t>& initSegment() const { return init_; }
  const std::vector<TrackConfig>& tracks() const { return tracks_; }
  // The one parts are timed and flagged by (format/fmp4/TrackConfig.h primaryTrack()).
  std::size_t primaryTrack() const { return primary_; }

  base::Status push(std::size_t track, const Frame& frame);
  // Releases the held frame of `track` with `lastDuration` (end of stream); no-op when none.
  base::Status finish(std::size_t track, std::uint32_t lastDuration);

  std::size_t readyCount(std::size_t track) const { return state_.at(track).ready.size(); }
  std::uint64_t readyDuration(std::size_t track) const { return state_.at(track).readyDuration; }
  bool readyStartsWithKeyframe(std::size_t track) const;
  bool hasReady() const;
  // The dts of the held frame of `track`, if any (the start of what the next flush will hold).
  std::optional<std::int64_t> heldDts(std::size_t track) const;

  // Writes all ready samples as one fragment; InvalidState when nothing is ready.
  base::Result<Output> flush();

 private:
  struct Entry {
    std::size_t offset = 0;  // into TrackState::buffer
    std::size_t size = 0;
    std::int64_t dts = 0;
    std::int64_t pts = 0;
    std::uint32_t duration = 0;
    bool keyframe = false;
  };
  struct TrackState {
    std::vector<std::uint8_t> buffer;  // bytes of the ready samples, then of the held one
    std::vector<Entry> ready;
    std::optional<Entry> held;
    std::uint64_t readyDuration = 0;
  };

  Muxer(std::vector<TrackConfig> tracks, std::vector<std::uint8_t> init);
  base::Status release(std::size_t track, std::uint32_t duration);

  std::vector<TrackConfig> tracks_;
  std::vector<std::uint8_t> init_;
  std::vector<TrackState> state_;
  std::size_t primary_ = 0;
  std::uint32_t sequence_ = 0;
};

}  // namespace ocellus::format::fmp4
