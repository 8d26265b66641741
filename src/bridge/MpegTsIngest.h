#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/Clock.h"
#include "base/Result.h"
#include "codec/h264/ParameterSetCache.h"
#include "codec/h265/ParameterSetCache.h"
#include "format/mpegts/Demuxer.h"
#include "io/IoContextPool.h"
#include "media/StreamRegistry.h"

namespace ocellus::bridge {

// MPEG-TS → a published Stream (an SRT publisher, a udp:// source). Demuxes what it is fed and
// publishes the path once every track of the program is described (H.264/H.265 with their
// parameter sets, AAC with its config, KLV at once), or kDescribeTimeout after the first track
// was, with the tracks described by then. Units before that are dropped (the first picture a
// reader needs is a keyframe, which brings its parameter sets anyway). Keyframes get the
// parameter sets the stream sent only once inserted; parameter sets that change later update
// the track. Malformed packets are dropped and counted by the demuxer, never fatal.
//
// One loop only (the one given), from construction to destruction.
class MpegTsIngest {
 public:
  static constexpr std::chrono::seconds kDescribeTimeout{2};
  static constexpr std::chrono::seconds kMaxStep{10};

  MpegTsIngest(media::StreamRegistry& registry, io::IoContext& loop, std::string path, std::string source);
  ~MpegTsIngest();  // end()
  MpegTsIngest(const MpegTsIngest&) = delete;
  MpegTsIngest& operator=(const MpegTsIngest&) = delete;

  // An error (the path is published by someone else) means this ingest is done: stop feeding.
  base::Status feed(std::span<const std::uint8_t> bytes);
  // Unpublishes the path. Idempotent.
  void end();

  bool published() const { return stream_ != nullptr; }
  const format::mpegts::Demuxer::Counters& counters() const { return demuxer_.counters(); }

 private:
  struct Track {
    format::mpegts::Track ts;
    media::TrackInfo info;
    bool described = false;
    int index = -1;  // in the stream, once published and when carried
    std::optional<std::int64_t> lastDts;  // after offset_
    std::variant<std::monostate, codec::h264::ParameterSetCache, codec::h265::ParameterSetCache> params;
  };

  void onTrack(const format::mpegts::Track& track);
  void onUnit(const format::mpegts::Unit& unit);
  void publish();
  Track* find(std::uint16_t pid);

  media::StreamRegistry& registry_;
  io::IoContext& loop_;
  const std::string path_;
  const std::string source_;
  format::mpegts::Demuxer demuxer_;
  std::vector<Track> tracks_;
  std::optional<base::SteadyTime> firstDescribed_;
  std::shared_ptr<media::Stream> stream_;
  std::optional<std::int64_t> lastDts_;  // the demuxer's latest 90 kHz DTS, for KLV without PTS
  std::int64_t offset_ = 0;  // 90 kHz, added to every timestamp (a sender restarted)
  std::optional<base::Error> error_;  // set inside a demuxer callback, returned by feed()
  bool ended_ = false;
};

}  // namespace ocellus::bridge
