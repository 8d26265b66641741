#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "base/Log.h"
#include "format/mpegts/Muxer.h"
#include "media/Reader.h"
#include "media/TrackInfo.h"

namespace ocellus::bridge {

// A Stream → MPEG-TS (an SRT reader): H.264, H.265, AAC and KLV tracks are muxed (others, such
// as Opus, are left out with one log line), starting at the first video keyframe; packets go
// to `sink` seven at a time (1316 bytes: one SRT or UDP payload). Runs on the loop it was
// added to the stream on; `sink` and `onEnd` are called there.
class MpegTsReader final : public media::Reader {
 public:
  using Sink = std::function<void(std::span<const std::uint8_t> packets)>;

  MpegTsReader(const std::vector<media::TrackInfo>& tracks, Sink sink, std::function<void()> onEnd);

  void onUnit(const media::UnitPtr& unit) override;
  void onStreamEnd() override;

  // Stream tracks carried.
  std::size_t carried() const;

 private:
  struct Carried {
    std::uint16_t pid = 0;
    format::mpegts::Codec codec = format::mpegts::Codec::H264;
  };

  format::mpegts::Muxer muxer_;
  std::vector<std::optional<Carried>> byTrack_;  // per stream track
  std::function<void()> onEnd_;
  bool hasVideo_ = false;
  bool started_ = false;
  base::Logger log_{"mpegts"};
};

}  // namespace ocellus::bridge
