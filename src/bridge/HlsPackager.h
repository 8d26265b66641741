#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Clock.h"
#include "base/Log.h"
#include "base/Result.h"
#include "format/fmp4/Muxer.h"
#include "media/TrackInfo.h"
#include "media/Unit.h"
#include "proto/hls/SegmentRing.h"

namespace ocellus::bridge {

// One Stream's units → fMP4 parts → its LL-HLS SegmentRing (DESIGN §3: packaged once per
// stream, whatever the number of players). Tracks of H.264, H.265, AAC and Opus are muxed;
// others are skipped with one log line.
//
// Cutting: a part is written when the primary track (the first video track, else the first
// track: format::fmp4::Muxer::primaryTrack) has ring.partTarget of samples ready, or earlier
// when a keyframe arrives and the open segment has reached ring.targetDuration: that part ends
// just before the keyframe, so the next one starts the new segment (SegmentRing::addPart).
// Video before the first keyframe, and other tracks before it, are dropped.
//
// Timing: each track's decode times start where its first unit was received, measured from the
// primary track's first keyframe, so tracks that a source numbered from 0 independently still
// line up. A segment's program date time is the wall-clock receive time of its first primary
// sample (Unit::received mapped through `clock`).
//
// The tracks are fixed at creation: describes() tells whether a stream's current tracks still
// match (in-band parameter-set changes make a new init segment, which means a new packager).
// Not thread-safe: one owner, on one loop.
class HlsPackager {
 public:
  // An error when no track can be muxed, or the init segment cannot be written.
  static base::Result<std::unique_ptr<HlsPackager>> create(const std::vector<media::TrackInfo>& tracks,
                                                           proto::hls::RingConfig ring, const base::Clock& clock,
                                                           base::Logger log);

  void push(const media::Unit& unit);
  // End of stream: writes what is held back and completes the ring (EXT-X-ENDLIST).
  void finish();

  proto::hls::SegmentRing& ring() { return ring_; }
  const proto::hls::SegmentRing& ring() const { return ring_; }
  // RFC 6381 codecs of the muxed tracks, for CODECS="…".
  const std::string& codecs() const { return codecs_; }
  // The primary video track's size, 0 × 0 for audio only.
  int width() const { return width_; }
  int height() const { return height_; }
  bool describes(const std::vector<media::TrackInfo>& tracks) const { return tracks == tracks_; }
  // Units that could not be muxed (non-increasing timestamps and the like), dropped.
  std::uint64_t droppedUnits() const { return dropped_; }

 private:
  struct Track {
    std::optional<std::size_t> muxerIndex;  // nullopt: skipped
    std::uint32_t timescale = 90000;
    std::optional<std::int64_t> origin;     // dts that maps to decode time 0 (plus its offset)
    std::int64_t lastDts = -1;
    std::uint32_t lastDuration = 0;
  };

  HlsPackager(std::vector<media::TrackInfo> tracks, std::vector<Track> map, format::fmp4::Muxer muxer,
              proto::hls::RingConfig ring, std::string codecs, const base::Clock& clock, base::Logger log);
  std::optional<std::int64_t> decodeTime(Track& track, const media::Unit& unit);
  void cutIfDue(bool keyframe);
  void writePart();
  std::chrono::microseconds toMicros(std::uint64_t ticks) const;

  std::vector<media::TrackInfo> tracks_;
  std::vector<Track> map_;  // by unit track index
  format::fmp4::Muxer muxer_;
  proto::hls::SegmentRing ring_;
  std::string codecs_;
  int width_ = 0;
  int height_ = 0;
  const base::Clock& clock_;
  base::Logger log_;
  std::uint32_t primaryTimescale_ = 90000;
  std::optional<base::SteadyTime> start_;  // receive time of the primary track's first keyframe
  // Decode time and receive time of the primary samples not yet written, oldest first.
  std::deque<std::pair<std::int64_t, base::SteadyTime>> pending_;
  std::uint64_t dropped_ = 0;
};

}  // namespace ocellus::bridge
