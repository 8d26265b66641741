#include "bridge/FlvReceiver.h"

#include <algorithm>

#include "base/SeqNum.h"
#include "bridge/VideoSize.h"
#include "codec/AnnexB.h"
#include "codec/NalUnits.h"
#include "codec/aac/AudioSpecificConfig.h"
#include "codec/av1/ConfigurationRecord.h"
#include "codec/av1/Obu.h"
#include "codec/h264/DecoderConfigurationRecord.h"
#include "codec/h265/DecoderConfigurationRecord.h"
#include "codec/h265/Nal.h"
#include "format/flv/AudioTag.h"
#include "format/flv/VideoTag.h"

namespace ocellus::bridge {
namespace {

constexpr std::uint32_t kVideoClock = 90000;
constexpr std::uint32_t kHeldVideo = 0;  // unit->track of a held unit, until start() maps it
constexpr std::uint32_t kHeldAudio = 1;

base::Error error(base::ErrorCode code, const std::string& what) { return base::makeError(code, "rtmp ingest: " + what); }

// A unit whose NAL units carry `lengthSize`-byte prefixes, rewritten with 4-byte ones
// (codec/Codec.h); nullopt when a prefix runs past the end or is zero.
std::optional<std::vector<std::uint8_t>> withFourByteLengths(std::span<const std::uint8_t> data, std::uint8_t lengthSize) {
  std::vector<std::uint8_t> out;
  out.reserve(data.size() + data.size() / 8);
  std::size_t at = 0;
  while (at < data.size()) {
    if (data.size() - at < lengthSize) return std::nullopt;
    std::size_t n = 0;
    for (std::uint8_t i = 0; i < lengthSize; ++i) n = (n << 8) | data[at + i];
    at += lengthSize;
    if (n == 0 || n > data.size() - at) return std::nullopt;
    codec::appendNal(data.subspan(at, n), out);
    at += n;
  }
  return out;
}

std::optional<codec::CodecId> videoCodec(format::flv::VideoCodec codec) {
  switch (codec) {
    case format::flv::VideoCodec::H264:
      return codec::CodecId::H264;
    case format::flv::VideoCodec::H265:
      return codec::CodecId::H265;
    case format::flv::VideoCodec::AV1:
      return codec::CodecId::AV1;
    default:
      return std::nullopt;
  }
}

// An Enhanced RTMP 'av01' frame (an MP4 AV1 sample: OBUs with their size fields) in canonical
// form (codec/Codec.h): temporal delimiters left out, and a key frame given the sequence
// header of the SequenceStart when it lacks one, so every reader can start on it. nullopt when
// an OBU is broken or lacks its size field.
std::optional<std::vector<std::uint8_t>> av1TemporalUnit(std::span<const std::uint8_t> data, bool keyframe,
                                                         std::span<const std::uint8_t> sequenceHeader) {
  std::vector<std::uint8_t> out;
  out.reserve(data.size() + sequenceHeader.size());
  if (keyframe && !codec::av1::findSequenceHeader(data)) out.assign(sequenceHeader.begin(), sequenceHeader.end());
  const bool valid = codec::av1::forEachObu(data, [&out](const codec::av1::Obu& obu) {
    if (obu.type != codec::av1::ObuType::TemporalDelimiter) out.insert(out.end(), obu.whole.begin(), obu.whole.end());
  });
  if (!valid || out.empty()) return std::nullopt;
  return out;
}

}  // namespace

void FlvReceiver::expect(bool video, bool audio) {
  video_.expected = video;
  audio_.expected = audio;
}

bool FlvReceiver::complete() const {
  return (!video_.expected || video_.config) && (!audio_.expected || audio_.config) && hasTracks();
}

base::Status FlvReceiver::pushVideo(std::uint32_t timestamp, std::span<const std::uint8_t> body,
                                    base::SteadyTime received) {
  auto tag = format::flv::VideoTag::parse(body);
  if (!tag) return error(tag.error().code, tag.error().message);
  if (tag->frameType == format::flv::VideoFrameType::Command) return {};
  const auto codec = videoCodec(tag->codec);
  if (!codec) return error(base::ErrorCode::Unsupported, "only H.264, H.265 and AV1 video can be carried (VP9 is dropped)");
  switch (tag->packetType) {
    case format::flv::VideoPacketType::SequenceStart:
      return videoConfig(*codec, tag->data);
    case format::flv::VideoPacketType::CodedFrames:
    case format::flv::VideoPacketType::CodedFramesX:
      return videoFrame(*codec, tag->keyframe(), timestamp, tag->compositionTime, tag->data, received);
    default:
      return {};  // end of sequence, colour metadata: nothing to carry
  }
}

base::Status FlvReceiver::videoConfig(codec::CodecId codec, std::span<const std::uint8_t> record) {
  media::TrackInfo info;
  info.clockRate = kVideoClock;
  std::uint8_t lengthSize = 4;
  if (codec == codec::CodecId::AV1) {
    auto r = codec::av1::ConfigurationRecord::parse(record);
    if (!r) return error(r.error().code, "bad AV1 sequence start: " + r.error().message);
    info.codec = codec::CodecId::AV1;
    applyKeyframe(info, r->configObus);  // the sequence header and picture size, as from RTP
  } else if (codec == codec::CodecId::H265) {
    auto r = codec::h265::DecoderConfigurationRecord::parse(record);
    if (!r) return error(r.error().code, "bad HEVC sequence header: " + r.error().message);
    const auto vps = r->unitsOfType(static_cast<std::uint8_t>(codec::h265::NalType::Vps));
    const auto sps = r->unitsOfType(static_cast<std::uint8_t>(codec::h265::NalType::Sps));
    const auto pps = r->unitsOfType(static_cast<std::uint8_t>(codec::h265::NalType::Pps));
    if (vps.empty() || sps.empty() || pps.empty()) {
      return error(base::ErrorCode::Malformed, "HEVC sequence header without VPS, SPS and PPS");
    }
    info.codec = codec::CodecId::H265;
    info.vps.assign(vps[0].begin(), vps[0].end());
    info.sps.assign(sps[0].begin(), sps[0].end());
    info.pps.assign(pps[0].begin(), pps[0].end());
    lengthSize = static_cast<std::uint8_t>(r->lengthSizeMinusOne + 1);
    applySps(info);
  } else {
    auto r = codec::h264::DecoderConfigurationRecord::parse(record);
    if (!r) return error(r.error().code, "bad AVC sequence header: " + r.error().message);
    if (r->sps.empty() || r->pps.empty()) return error(base::ErrorCode::Malformed, "AVC sequence header without SPS and PPS");
    info.codec = codec::CodecId::H264;
    info.sps = r->sps[0];
    info.pps = r->pps[0];
    lengthSize = static_cast<std::uint8_t>(r->lengthSizeMinusOne + 1);
    applySps(info);
  }
  if (video_.config && !video_.config->compatibleWith(info)) {
    return error(base::ErrorCode::Unsupported, "the video codec changed during the publish");
  }
  nalLengthSize_ = lengthSize;
  std::vector<std::uint8_t> known;
  for (const auto* nal : {&info.vps, &info.sps, &info.pps}) {
    if (!nal->empty()) codec::appendNal(*nal, known);
  }
  if (codec == codec::CodecId::H265) {
    params_.emplace<codec::h265::ParameterSetCache>().observe(known);
  } else if (codec == codec::CodecId::H264) {
    params_.emplace<codec::h264::ParameterSetCache>().observe(known);
  } else {
    params_.emplace<std::monostate>();
  }
  if (video_.config != info) {
    video_.changed = video_.config.has_value();
    video_.config = std::move(info);
  }
  return {};
}

base::Status FlvReceiver::videoFrame(codec::CodecId codec, bool keyframe, std::uint32_t timestamp, std::int32_t cts,
                                     std::span<const std::uint8_t> data, base::SteadyTime received) {
  if (!video_.config) return error(base::ErrorCode::InvalidState, "video frame before the sequence header");
  if (video_.config->codec != codec) {
    return error(base::ErrorCode::Malformed, "video frame of another codec than the sequence header");
  }
  if (codec == codec::CodecId::AV1) {
    auto unit = av1TemporalUnit(data, keyframe, video_.config->sequenceHeader);
    if (!unit) return error(base::ErrorCode::Malformed, "AV1 frame with a broken OBU or one without its size field");
    // Key only where a decoder can start; a frame the publisher calls inter is taken at its word.
    const bool startsDecoding = keyframe && codec::av1::isKeyframe(*unit);
    emit(video_, timestamp, 0, startsDecoding, std::move(*unit), received);
    return {};
  }
  std::vector<std::uint8_t> unit;
  if (nalLengthSize_ == 4) {
    if (!codec::NalUnits(data).valid()) return error(base::ErrorCode::Malformed, "video frame with broken NAL unit lengths");
    unit.assign(data.begin(), data.end());
  } else {
    auto converted = withFourByteLengths(data, nalLengthSize_);
    if (!converted) return error(base::ErrorCode::Malformed, "video frame with broken NAL unit lengths");
    unit = std::move(*converted);
  }
  std::visit(
      [&](auto& cache) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(cache)>, std::monostate>) {
          cache.observe(unit);
          if (keyframe) {
            if (auto completed = cache.complete(unit)) unit = std::move(*completed);
          }
        }
      },
      params_);
  emit(video_, timestamp, cts, keyframe, std::move(unit), received);
  return {};
}

base::Status FlvReceiver::pushAudio(std::uint32_t timestamp, std::span<const std::uint8_t> body,
                                    base::SteadyTime received) {
  auto tag = format::flv::AudioTag::parse(body);
  if (!tag) return error(tag.error().code, tag.error().message + " (only AAC audio can be carried)");
  if (tag->packetType == format::flv::AacPacketType::SequenceHeader) return audioConfig(tag->data);
  if (!audio_.config) return error(base::ErrorCode::InvalidState, "AAC frame before the AudioSpecificConfig");
  if (tag->data.empty()) return error(base::ErrorCode::Truncated, "empty AAC frame");
  emit(audio_, timestamp, 0, true, std::vector<std::uint8_t>(tag->data.begin(), tag->data.end()), received);
  return {};
}

base::Status FlvReceiver::audioConfig(std::span<const std::uint8_t> config) {
  auto asc = codec::aac::AudioSpecificConfig::parse(config);
  if (!asc) return error(asc.error().code, "bad AudioSpecificConfig: " + asc.error().message);
  media::TrackInfo info;
  info.codec = codec::CodecId::AAC;
  info.clockRate = asc->sampleRate;
  info.channels = asc->channelConfig;
  info.audioConfig.assign(config.begin(), config.end());
  if (audio_.config && !audio_.config->compatibleWith(info)) {
    return error(base::ErrorCode::Unsupported, "the audio sample rate changed during the publish");
  }
  if (audio_.config != info) {
    audio_.changed = audio_.config.has_value();
    audio_.config = std::move(info);
  }
  return {};
}

void FlvReceiver::emit(Track& track, std::uint32_t timestamp, std::int32_t cts, bool keyframe,
                       std::vector<std::uint8_t> data, base::SteadyTime received) {
  if (started_ && !track.index) {
    ++dropped_;  // its configuration came after the layout was fixed
    return;
  }
  const std::int64_t ms = track.seen ? base::unwrapTimestamp(track.lastMs, timestamp) : timestamp;
  track.lastMs = ms;
  const std::int64_t clock = track.config->clockRate;
  std::int64_t dts = ms * clock / 1000;
  if (track.seen && dts < track.lastDts) dts = track.lastDts;  // never back in time
  track.seen = true;
  track.lastDts = dts;

  auto unit = media::UnitPool::forThisThread().acquire();
  unit->track = started_ ? *track.index : (&track == &video_ ? kHeldVideo : kHeldAudio);
  unit->dts = dts;
  unit->pts = std::max(dts, dts + static_cast<std::int64_t>(cts) * clock / 1000);
  unit->keyframe = keyframe;
  unit->received = received;
  unit->data = std::move(data);
  if (started_) {
    publish_(std::move(unit));
    return;
  }
  if (held_.size() >= kMaxHeldUnits || heldBytes_ + unit->data.size() > kMaxHeldBytes) {
    ++dropped_;
    return;
  }
  heldBytes_ += unit->data.size();
  held_.push_back(std::move(unit));
}

std::vector<media::TrackInfo> FlvReceiver::tracks() const {
  std::vector<media::TrackInfo> out;
  for (const Track* t : {&video_, &audio_}) {
    if (t->config) out.push_back(*t->config);
  }
  return out;
}

void FlvReceiver::start(Publish publish) {
  std::uint32_t next = 0;
  for (Track* t : {&video_, &audio_}) {
    if (!t->config) continue;
    t->index = next++;
    t->changed = false;
  }
  started_ = true;
  publish_ = std::move(publish);
  for (auto& unit : held_) {
    Track& t = unit->track == kHeldVideo ? video_ : audio_;
    if (!t.index) continue;
    unit->track = *t.index;
    publish_(std::move(unit));
  }
  held_.clear();
  heldBytes_ = 0;
}

std::optional<std::pair<std::size_t, media::TrackInfo>> FlvReceiver::takeTrackChange() {
  for (Track* t : {&video_, &audio_}) {
    if (t->changed && t->index) {
      t->changed = false;
      return std::pair<std::size_t, media::TrackInfo>{*t->index, *t->config};
    }
  }
  return std::nullopt;
}

}  // namespace ocellus::bridge
