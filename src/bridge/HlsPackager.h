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
#include "bridge/Fmp4Tracks.h"
#include "media/TrackInfo.h"
#include "media/Unit.h"
#include "proto/hls/SegmentRing.h"

namespace ocellus::bridge {

// One Stream's units → fMP4 parts → its LL-HLS SegmentRing (DESIGN §3: packaged once per
// stream, whatever the number of players). The tracks, their timing and the codecs string are
// Fmp4Tracks' (shared with recording); tracks it leaves out are logged once.
//
// Cutting: a part is written when the primary track (the first video track, else the first
// track: format::fmp4::Muxer::primaryTrack) has ring.partTarget of samples ready, or earlier
// when a keyframe arrives and the open segment has reached ring.targetDuration: that part ends
// just before the keyframe, so the next one starts the new segment (SegmentRing::addPart).
// Video before the first keyframe, and other tracks before it, are dropped.
//
// Timing: Fmp4Tracks aligns the tracks' decode times. A segment's program date time is the
// wall-clock receive time of its first primary sample (Unit::received mapped through `clock`).
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
  const std::string& codecs() const { return tracks_.codecs(); }
  // The primary video track's size, 0 × 0 for audio only.
  int width() const { return tracks_.width(); }
  int height() const { return tracks_.height(); }
  bool describes(const std::vector<media::TrackInfo>& tracks) const { return tracks_.describes(tracks); }
  // Units that could not be muxed (non-increasing timestamps and the like), dropped.
  std::uint64_t droppedUnits() const { return tracks_.droppedUnits(); }

 private:
  HlsPackager(Fmp4Tracks tracks, proto::hls::RingConfig ring, const base::Clock& clock);
  void cutIfDue(bool keyframe);
  void writePart();

  Fmp4Tracks tracks_;
  proto::hls::SegmentRing ring_;
  const base::Clock& clock_;
  // Decode time and receive time of the primary samples not yet written, oldest first.
  std::deque<std::pair<std::int64_t, base::SteadyTime>> pending_;
};

}  // namespace ocellus::bridge
