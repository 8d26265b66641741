#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "base/Result.h"
#include "codec/h264/ParameterSetCache.h"
#include "codec/h265/ParameterSetCache.h"
#include "format/mpegts/Ts.h"

namespace ocellus::format::mpegts {

// A sans-I/O MPEG-TS muxer (H.222.0 §2.4) for one program: access units in canonical form
// (codec/Codec.h) in, 188-byte packets out, in batches of Options::packetsPerBatch packets
// (7 × 188 = 1316 bytes: one UDP datagram or SRT payload).
//
// It writes the PAT and PMT first, before every video keyframe and at least every
// Options::psiInterval of DTS; H.264/H.265 as Annex B with an AUD first and the parameter sets
// before every keyframe (from the unit itself, earlier units or the Track given to addTrack);
// AAC as one ADTS frame per PES; KLV as a private_stream_1 PES on stream_type 0x06 with a
// 'KLVA' registration descriptor (SMPTE RP 217, MISB ST 1402). The PCR is on the video PID
// (the first track's when there is none) in every PES start, Options::pcrDelay before the DTS;
// keyframes carry random_access_indicator. Continuity counters run per PID; the last packet
// of a PES is filled by adaptation-field stuffing.
//
// Output: `output` is called synchronously from write() and flush() with bytes valid only
// during the call; it must not call back into the muxer. Not thread-safe.
//
// ffprobe (Debian 12, FFmpeg 5.1) reads its output: H.264 + AAC + KLV streams with the right
// codecs and timestamps (checked by hand; see tests/unit/format/mpegts/MuxerTest.cpp).
class Muxer {
 public:
  static constexpr std::size_t kMaxTracks = 16;

  struct Options {
    std::uint16_t transportStreamId = 1;
    std::uint16_t programNumber = 1;
    std::uint16_t pmtPid = 0x1000;
    std::uint16_t firstPid = 0x100;  // tracks get firstPid, firstPid + 1, ...
    std::size_t packetsPerBatch = kPacketsPerDatagram;
    std::int64_t psiInterval = kSystemClock / 10;  // 100 ms
    std::int64_t pcrDelay = kSystemClock / 10;     // PCR this far before the DTS
  };

  using Output = std::function<void(std::span<const std::uint8_t>)>;

  Muxer(Options options, Output output);

  // Declares a track before the first write(): codec, and for AAC its config (required);
  // for video any known parameter sets. Returns the track's PID.
  base::Result<std::uint16_t> addTrack(const Track& track);

  // Writes one unit on unit.pid: timestamps in the track's clock (90 kHz, or the AAC sample
  // rate), data in canonical form. Timestamps may run past 2^33; they are written mod 2^33.
  base::Status write(const Unit& unit);

  // Hands out the packets of an incomplete batch.
  void flush();

 private:
  struct TrackState {
    Track track;
    std::uint8_t cc = 0;
    codec::h264::ParameterSetCache h264;
    codec::h265::ParameterSetCache h265;
  };

  void writePsi();
  void writeSection(std::uint16_t pid, std::uint8_t& cc, std::span<const std::uint8_t> section);
  void packetize(TrackState& t, std::span<const std::uint8_t> pes, std::optional<std::uint64_t> pcr,
                 bool randomAccess);
  void emitFullBatches();
  TrackState* find(std::uint16_t pid);

  Options options_;
  Output output_;
  std::vector<TrackState> tracks_;
  std::uint16_t pcrPid_ = kNullPid;
  std::uint8_t patCc_ = 0;
  std::uint8_t pmtCc_ = 0;
  bool started_ = false;
  std::optional<std::int64_t> lastPsiTime_;
  std::int64_t lastTime_ = 0;         // 90 kHz DTS of the last timed unit
  std::vector<std::uint8_t> pes_;     // reused
  std::vector<std::uint8_t> out_;     // packets not yet handed out
  std::vector<std::uint8_t> annexB_;  // reused
};

}  // namespace ocellus::format::mpegts
