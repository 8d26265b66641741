#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/flv/VideoTag.h"
#include "media/TrackInfo.h"
#include "media/Unit.h"
#include "proto/rtmp/Message.h"

namespace ocellus::bridge {

// Unit → RTMP media messages for the players of one stream on one loop (DESIGN §3, encode
// once): each unit becomes one FLV tag body, chunked once (proto/rtmp/ChunkWriter, with the
// chunk size every connection announces), and the same bytes go to every player. Players of
// one loop share one FlvSender; a player that lags behind finds its units among the last
// kCacheSize ones made, or they are made again for it.
//
// Carried: the first H.264, H.265 or AV1 video track (H.265 and AV1 as Enhanced RTMP 'hvc1' and
// 'av01', AV1's av1C made from the sequence header of the track or of its first keyframe) and
// the first AAC track. Other tracks (Opus, G.711, a second video) are skipped and named by skipped().
// Timestamps are the unit's dts in milliseconds (32-bit, wrapping as RTMP's do), composition
// time pts − dts. A keyframe whose parameter sets differ from the ones players were given (the
// camera changed resolution or profile) is preceded by a new sequence header, which strict
// players need to decode on; later players get the new one in header(). One loop only.
class FlvSender {
 public:
  static constexpr std::size_t kCacheSize = 64;
  using Bytes = std::shared_ptr<const std::vector<std::uint8_t>>;

  explicit FlvSender(const std::vector<media::TrackInfo>& tracks);

  // Whether any track can be carried.
  bool empty() const { return !video_ && !audio_; }
  const std::vector<std::string>& skipped() const { return skipped_; }

  // What a new player on message stream `streamId` gets before its first frame: onMetaData and
  // the sequence headers (avcC/hvcC/av1C, AudioSpecificConfig), chunked.
  std::vector<std::uint8_t> header(std::uint32_t streamId) const;
  // The chunked message of a unit for players on `streamId`; null when its track is not carried.
  Bytes message(const media::UnitPtr& unit, std::uint32_t streamId);

  // Messages made (cache misses), for tests and metrics.
  std::uint64_t encoded() const { return encoded_; }

 private:
  struct Carried {
    std::uint32_t track = 0;
    media::TrackInfo info;
  };
  struct Entry {
    media::UnitPtr unit;
    std::uint32_t streamId = 0;
    Bytes bytes;
  };
  Bytes encode(const media::Unit& unit, std::uint32_t streamId);
  // Takes the parameter sets (AV1: sequence header) of a video keyframe into video_->info; true
  // when they changed.
  bool takeParameterSets(const media::Unit& unit);
  void appendSequenceHeader(std::vector<std::uint8_t>& out, std::uint32_t timestamp, std::uint32_t streamId) const;

  std::optional<Carried> video_;
  std::optional<Carried> audio_;
  format::flv::VideoCodec videoCodec_ = format::flv::VideoCodec::H264;
  std::vector<std::string> skipped_;
  const media::Unit* changedAt_ = nullptr;  // the keyframe that brought new parameter sets
  std::vector<Entry> cache_;  // ring of the last kCacheSize messages
  std::size_t next_ = 0;
  std::uint64_t encoded_ = 0;
};

}  // namespace ocellus::bridge
