#include "bridge/FlvSender.h"

#include <algorithm>

#include "bridge/VideoSize.h"
#include "codec/av1/ConfigurationRecord.h"
#include "codec/h264/DecoderConfigurationRecord.h"
#include "codec/h264/ParameterSetCache.h"
#include "codec/h265/DecoderConfigurationRecord.h"
#include "codec/h265/ParameterSetCache.h"
#include "format/flv/AudioTag.h"
#include "proto/rtmp/ChunkWriter.h"
#include "proto/rtmp/MetaData.h"
#include "proto/rtmp/ServerConnection.h"

namespace ocellus::bridge {
namespace {

using proto::rtmp::ChunkWriter;
using proto::rtmp::MessageType;
using proto::rtmp::ServerConnection;

constexpr double kFlvAvc = 7;
constexpr double kFlvAac = 10;

// Milliseconds of a timestamp in a track clock; RTMP timestamps are 32-bit and wrap (§5.3.1.2.1).
std::uint32_t toMs(std::int64_t ticks, std::uint32_t clockRate) {
  return static_cast<std::uint32_t>(std::max<std::int64_t>(0, ticks) * 1000 / clockRate);
}

std::optional<std::vector<std::uint8_t>> decoderConfig(const media::TrackInfo& t) {
  if (t.codec == codec::CodecId::H264) {
    auto r = codec::h264::DecoderConfigurationRecord::fromParameterSets(t.sps, t.pps);
    if (r) return r->serialize();
  } else if (t.codec == codec::CodecId::AV1) {
    auto r = codec::av1::ConfigurationRecord::fromSequenceHeader(t.sequenceHeader);
    if (r) return r->serialize();
  } else {
    auto r = codec::h265::DecoderConfigurationRecord::fromParameterSets(t.vps, t.sps, t.pps);
    if (r) return r->serialize();
  }
  return std::nullopt;
}

bool same(std::span<const std::uint8_t> a, const std::vector<std::uint8_t>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

// Replaces the parameter sets of `known` by those a keyframe carries; true when they differ.
bool takeFrom(const codec::h264::ParameterSetCache& seen, media::TrackInfo& known) {
  if (seen.sps().empty() || seen.pps().empty()) return false;
  if (same(seen.sps(), known.sps) && same(seen.pps(), known.pps)) return false;
  known.sps.assign(seen.sps().begin(), seen.sps().end());
  known.pps.assign(seen.pps().begin(), seen.pps().end());
  return true;
}

bool takeFrom(const codec::h265::ParameterSetCache& seen, media::TrackInfo& known) {
  if (seen.vps().empty() || seen.sps().empty() || seen.pps().empty()) return false;
  if (same(seen.vps(), known.vps) && same(seen.sps(), known.sps) && same(seen.pps(), known.pps)) return false;
  known.vps.assign(seen.vps().begin(), seen.vps().end());
  known.sps.assign(seen.sps().begin(), seen.sps().end());
  known.pps.assign(seen.pps().begin(), seen.pps().end());
  return true;
}

// The FLV video codecs a player is sent: H.264 as legacy AVC, H.265 and AV1 as Enhanced RTMP.
std::optional<format::flv::VideoCodec> flvCodec(codec::CodecId codec) {
  switch (codec) {
    case codec::CodecId::H264:
      return format::flv::VideoCodec::H264;
    case codec::CodecId::H265:
      return format::flv::VideoCodec::H265;
    case codec::CodecId::AV1:
      return format::flv::VideoCodec::AV1;
    default:
      return std::nullopt;
  }
}

}  // namespace

FlvSender::FlvSender(const std::vector<media::TrackInfo>& tracks) : cache_(kCacheSize) {
  for (std::uint32_t i = 0; i < tracks.size(); ++i) {
    const auto& t = tracks[i];
    const auto codec = flvCodec(t.codec);
    if (codec && !video_) {
      video_ = Carried{i, t};
      videoCodec_ = *codec;
    } else if (t.codec == codec::CodecId::AAC && !audio_) {
      audio_ = Carried{i, t};
    } else {
      skipped_.push_back("track " + std::to_string(i) + " (" + std::string(codec::codecName(t.codec)) + ")");
    }
  }
}

std::vector<std::uint8_t> FlvSender::header(std::uint32_t streamId) const {
  proto::rtmp::MetaData meta;
  if (video_) {
    const auto& v = video_->info;
    if (v.width > 0) meta.width = v.width;
    if (v.height > 0) meta.height = v.height;
    if (v.fps > 0) meta.framerate = v.fps;
    // Enhanced RTMP: an enhanced codec's videocodecid is its FourCC as a number.
    meta.videocodecid = videoCodec_ == format::flv::VideoCodec::H264 ? kFlvAvc : format::flv::fourCcOf(videoCodec_);
  }
  if (audio_) {
    meta.audiocodecid = kFlvAac;
    meta.audiosamplerate = audio_->info.clockRate;
    if (audio_->info.channels > 0) meta.audiochannels = audio_->info.channels;
  }
  std::vector<std::uint8_t> out;
  const auto chunk = ServerConnection::kChunkSize;
  ChunkWriter::encode(out, ServerConnection::mediaHeader(MessageType::DataAmf0, 0, streamId), meta.build(), {}, chunk);
  if (video_) appendSequenceHeader(out, 0, streamId);
  if (audio_ && !audio_->info.audioConfig.empty()) {
    const auto body = format::flv::AudioTag::aac(format::flv::AacPacketType::SequenceHeader, audio_->info.audioConfig);
    ChunkWriter::encode(out, ServerConnection::mediaHeader(MessageType::Audio, 0, streamId), body, {}, chunk);
  }
  return out;
}

void FlvSender::appendSequenceHeader(std::vector<std::uint8_t>& out, std::uint32_t timestamp, std::uint32_t streamId) const {
  if (auto record = decoderConfig(video_->info)) {
    const auto body = format::flv::VideoTag::sequenceStart(videoCodec_, *record);
    ChunkWriter::encode(out, ServerConnection::mediaHeader(MessageType::Video, timestamp, streamId), body, {},
                        ServerConnection::kChunkSize);
  }
}

bool FlvSender::takeParameterSets(const media::Unit& unit) {
  auto& known = video_->info;
  if (known.codec == codec::CodecId::AV1) return applyKeyframe(known, unit.data);
  if (known.codec == codec::CodecId::H264) {
    codec::h264::ParameterSetCache seen;
    seen.observe(unit.data);
    return takeFrom(seen, known);
  }
  codec::h265::ParameterSetCache seen;
  seen.observe(unit.data);
  return takeFrom(seen, known);
}

FlvSender::Bytes FlvSender::message(const media::UnitPtr& unit, std::uint32_t streamId) {
  // Newest first: players of one loop ask for the unit just delivered.
  for (std::size_t i = 0; i < cache_.size(); ++i) {
    const auto& e = cache_[(next_ + cache_.size() - 1 - i) % cache_.size()];
    if (e.unit == unit && e.streamId == streamId) return e.bytes;
  }
  auto bytes = encode(*unit, streamId);
  if (!bytes) return bytes;
  cache_[next_] = Entry{unit, streamId, bytes};
  next_ = (next_ + 1) % cache_.size();
  return bytes;
}

FlvSender::Bytes FlvSender::encode(const media::Unit& unit, std::uint32_t streamId) {
  auto out = std::make_shared<std::vector<std::uint8_t>>();
  const auto chunk = ServerConnection::kChunkSize;
  if (video_ && unit.track == video_->track) {
    const auto clock = video_->info.clockRate;
    const auto ms = toMs(unit.dts, clock);
    const auto cts = static_cast<std::int32_t>((unit.pts - unit.dts) * 1000 / clock);
    if (unit.keyframe && (takeParameterSets(unit) || changedAt_ == &unit)) {
      changedAt_ = &unit;  // players on other message stream ids get it with this unit too
      appendSequenceHeader(*out, ms, streamId);
    }
    const auto head = format::flv::VideoTag::frameHeader(videoCodec_, unit.keyframe, cts);
    ChunkWriter::encode(*out, ServerConnection::mediaHeader(MessageType::Video, ms, streamId), head, unit.data, chunk);
  } else if (audio_ && unit.track == audio_->track) {
    const auto ms = toMs(unit.dts, audio_->info.clockRate);
    const auto head = format::flv::AudioTag::aacHeader(format::flv::AacPacketType::Raw);
    ChunkWriter::encode(*out, ServerConnection::mediaHeader(MessageType::Audio, ms, streamId), head, unit.data, chunk);
  } else {
    return nullptr;
  }
  ++encoded_;
  return out;
}

}  // namespace ocellus::bridge
