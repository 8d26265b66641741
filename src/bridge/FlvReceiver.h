#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/Clock.h"
#include "base/Result.h"
#include "codec/h264/ParameterSetCache.h"
#include "codec/h265/ParameterSetCache.h"
#include "media/TrackInfo.h"
#include "media/Unit.h"

namespace ocellus::bridge {

// Wire → Unit for an RTMP publisher: FLV video/audio tag bodies (format/flv) become TrackInfo
// (H.264/H.265 from the sequence header's decoder configuration record, AV1 from its av1C,
// AAC from its AudioSpecificConfig) and units in canonical form (codec/Codec.h).
//
// The track layout is fixed once, by start(): video first, then audio, each only when its
// configuration arrived. Until then units are held (bounded) so the first keyframe is not lost
// while the caller waits for the other track's configuration. Timestamps: RTMP's 32-bit
// milliseconds are unwrapped to 64 bits (so a stream outlives the 49.7-day wrap), pts = dts +
// composition time, converted to 90 kHz (video) or the sample rate (audio), never going back.
// Keyframes that lack the parameter sets (AV1: the sequence header OBU) get them from the
// sequence header, so every reader (RTP, fMP4) can start from any keyframe.
//
// Bad input (a truncated tag, a codec we cannot carry, a malformed record or unit) drops that
// message and is returned as an error for the caller to count; it never ends the publish.
// One loop only.
class FlvReceiver {
 public:
  using Publish = std::function<void(media::MutableUnitPtr)>;

  // Units held before start(), at most.
  static constexpr std::size_t kMaxHeldUnits = 512;
  static constexpr std::size_t kMaxHeldBytes = 16 << 20;

  // What the publisher's onMetaData announced: a track it names is waited for.
  void expect(bool video, bool audio);
  // One RTMP video / audio message.
  base::Status pushVideo(std::uint32_t timestamp, std::span<const std::uint8_t> body, base::SteadyTime received);
  base::Status pushAudio(std::uint32_t timestamp, std::span<const std::uint8_t> body, base::SteadyTime received);

  // Every expected track has its configuration (both when nothing was announced).
  bool complete() const;
  bool hasTracks() const { return video_.config || audio_.config; }
  bool started() const { return started_; }
  // The track layout start() fixes: video first, then audio, each when its configuration came.
  std::vector<media::TrackInfo> tracks() const;
  // Fixes the layout, hands the held units to `publish` and publishes directly from now on.
  // Call once, with hasTracks().
  void start(Publish publish);

  // After start(): a track whose description changed (a new sequence header with other
  // parameter sets), once per change; the caller passes it on with Stream::updateTrack.
  std::optional<std::pair<std::size_t, media::TrackInfo>> takeTrackChange();

  std::uint64_t droppedUnits() const { return dropped_; }

 private:
  struct Track {
    std::optional<media::TrackInfo> config;
    std::optional<std::uint32_t> index;  // in the stream, once started
    bool expected = true;
    bool changed = false;
    std::int64_t lastMs = 0;   // unwrapped RTMP timestamp
    bool seen = false;
    std::int64_t lastDts = 0;  // in the track clock
  };

  base::Status videoConfig(codec::CodecId codec, std::span<const std::uint8_t> record);
  base::Status audioConfig(std::span<const std::uint8_t> config);
  base::Status videoFrame(codec::CodecId codec, bool keyframe, std::uint32_t timestamp, std::int32_t cts,
                          std::span<const std::uint8_t> data, base::SteadyTime received);
  void emit(Track& track, std::uint32_t timestamp, std::int32_t cts, bool keyframe, std::vector<std::uint8_t> data,
            base::SteadyTime received);

  Track video_;
  Track audio_;
  std::variant<std::monostate, codec::h264::ParameterSetCache, codec::h265::ParameterSetCache> params_;
  std::uint8_t nalLengthSize_ = 4;
  bool started_ = false;
  Publish publish_;
  std::vector<media::MutableUnitPtr> held_;
  std::size_t heldBytes_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace ocellus::bridge
