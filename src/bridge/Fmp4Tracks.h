#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/Clock.h"
#include "base/Log.h"
#include "base/Result.h"
#include "format/fmp4/Muxer.h"
#include "media/TrackInfo.h"
#include "media/Unit.h"

namespace ocellus::bridge {

// A Stream's tracks as the tracks of one format::fmp4::Muxer: the mapping LL-HLS (HlsPackager)
// and recording (record::Recorder) share, so both write the same fMP4 from the same units.
//
// Tracks of H.264, H.265, AV1 (once its sequence header is known), AAC and Opus are muxed, and
// KLV when the caller asks (Klv::Keep: a timed-metadata track, format/fmp4/InitSegment.h;
// recordings keep it, LL-HLS does not send it); the others are left out and listed in skipped()
// for the caller to log as it sees fit.
// The primary track is the muxer's (format::fmp4::primaryTrack: the first video track, else
// the first audio track).
//
// Timing: everything starts at the primary track's first keyframe; video before it and other
// tracks' units before it are not muxed. Each track's decode times start where its first unit
// was received, measured from that keyframe, so tracks a source numbered from 0 independently
// still line up.
//
// The tracks are fixed at creation: describes() tells whether a stream's current tracks still
// match (in-band parameter-set changes make a new init segment, which means a new Fmp4Tracks).
// The caller decides when to cut (muxer().flush()). Not thread-safe: one owner, on one loop.
class Fmp4Tracks {
 public:
  struct Skipped {
    std::size_t track = 0;  // index in the stream's track list
    codec::CodecId codec = codec::CodecId::H264;
    std::string reason;
  };
  // A unit the muxer took: its decode time in its track's timescale, counted from the start.
  struct Sample {
    std::int64_t decodeTime = 0;
    bool primary = false;
    bool keyframe = false;  // audio samples always are
  };

  enum class Klv : bool { Leave, Keep };

  // An error when no track can be muxed, or the init segment cannot be written (as for KLV alone).
  // `log` names the owner; units dropped are logged on it at debug level.
  static base::Result<Fmp4Tracks> create(const std::vector<media::TrackInfo>& tracks, base::Logger log,
                                         Klv klv = Klv::Leave);

  // nullopt when the unit is not muxed: its track is left out, it comes before the first
  // primary keyframe, or its timestamp does not follow its track's last one (counted in
  // droppedUnits()).
  std::optional<Sample> push(const media::Unit& unit);
  // End of what this muxer writes: releases every track's held sample so the next flush
  // writes it. The primary track's lasts until `successor` when given (the primary unit that
  // will start the next file); any other sample lasts as long as the one before it.
  void finish(const media::Unit* successor = nullptr);

  // Whether the unit is a keyframe of the primary track: where a fragment or file may start.
  bool isPrimaryKeyframe(const media::Unit& unit) const;
  // The first primary keyframe was pushed: its receive time.
  const std::optional<base::SteadyTime>& start() const { return start_; }
  // Media time of a unit of a started track since the start; nullopt for a track not started.
  std::optional<std::chrono::microseconds> elapsed(const media::Unit& unit) const;
  // Ticks of the primary track (format::fmp4::Muxer::Output times) in microseconds.
  std::chrono::microseconds toMicros(std::uint64_t primaryTicks) const;

  format::fmp4::Muxer& muxer() { return muxer_; }
  const format::fmp4::Muxer& muxer() const { return muxer_; }
  const std::vector<Skipped>& skipped() const { return skipped_; }
  // RFC 6381 codecs of the muxed tracks, comma-separated (HLS CODECS="…").
  const std::string& codecs() const { return codecs_; }
  // The primary video track's size, 0 × 0 for audio only.
  int width() const;
  int height() const;
  const std::vector<media::TrackInfo>& tracks() const { return tracks_; }
  bool describes(const std::vector<media::TrackInfo>& tracks) const { return tracks == tracks_; }
  // Units that could not be muxed (non-increasing timestamps and the like), dropped.
  std::uint64_t droppedUnits() const { return dropped_; }
  const base::Logger& log() const { return log_; }

 private:
  struct Track {
    std::optional<std::size_t> muxerIndex;  // nullopt: skipped
    std::uint32_t timescale = 90000;
    std::optional<std::int64_t> origin;     // dts that maps to decode time 0 (plus its offset)
    std::int64_t lastDts = -1;
    std::uint32_t lastDuration = 0;
  };

  Fmp4Tracks(std::vector<media::TrackInfo> tracks, std::vector<Track> map, std::vector<Skipped> skipped,
             format::fmp4::Muxer muxer, std::string codecs, base::Logger log);
  std::optional<std::int64_t> decodeTime(Track& track, const media::Unit& unit);

  std::vector<media::TrackInfo> tracks_;
  std::vector<Track> map_;  // by unit track index
  std::vector<Skipped> skipped_;
  format::fmp4::Muxer muxer_;
  std::string codecs_;
  base::Logger log_;
  std::optional<base::SteadyTime> start_;  // receive time of the primary track's first keyframe
  std::uint64_t dropped_ = 0;
};

}  // namespace ocellus::bridge
