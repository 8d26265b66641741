#include "bridge/Fmp4Tracks.h"

#include <algorithm>

#include "codec/aac/AudioSpecificConfig.h"
#include "codec/av1/ConfigurationRecord.h"
#include "codec/h264/DecoderConfigurationRecord.h"
#include "codec/h265/DecoderConfigurationRecord.h"
#include "codec/opus/Toc.h"
#include "format/fmp4/CodecString.h"

namespace ocellus::bridge {

namespace {

using std::chrono::microseconds;

// The sample entry a track needs (format/fmp4/TrackConfig.h), or why it cannot have one.
base::Result<format::fmp4::TrackConfig> trackConfig(const media::TrackInfo& info, std::uint32_t id, Fmp4Tracks::Klv klv) {
  format::fmp4::TrackConfig t;
  t.id = id;
  t.codec = info.codec;
  t.timescale = info.clockRate;
  switch (info.codec) {
    case codec::CodecId::H264: {
      auto record = codec::h264::DecoderConfigurationRecord::fromParameterSets(info.sps, info.pps);
      if (!record) return record.error();
      t.decoderConfig = record->serialize();
      break;
    }
    case codec::CodecId::H265: {
      auto record = codec::h265::DecoderConfigurationRecord::fromParameterSets(info.vps, info.sps, info.pps);
      if (!record) return record.error();
      t.decoderConfig = record->serialize();
      break;
    }
    case codec::CodecId::AV1: {
      if (info.sequenceHeader.empty()) return base::makeError(base::ErrorCode::InvalidState, "no AV1 sequence header yet");
      auto record = codec::av1::ConfigurationRecord::fromSequenceHeader(info.sequenceHeader);
      if (!record) return record.error();
      t.decoderConfig = record->serialize();
      break;
    }
    case codec::CodecId::AAC: {
      auto config = codec::aac::AudioSpecificConfig::parse(info.audioConfig);
      if (!config) return config.error();
      t.decoderConfig = info.audioConfig;
      t.sampleRate = config->sampleRate;
      t.channels = config->channelConfig;
      break;
    }
    case codec::CodecId::Opus:
      t.sampleRate = codec::opus::kSampleRate;
      t.channels = static_cast<std::uint16_t>(info.channels == 0 ? 2 : info.channels);
      break;
    case codec::CodecId::KLV:
      if (klv == Fmp4Tracks::Klv::Leave) return base::makeError(base::ErrorCode::Unsupported, "KLV is kept in recordings only");
      break;
    default:
      return base::makeError(base::ErrorCode::Unsupported, "fMP4 carries H.264, H.265, AV1, AAC and Opus only");
  }
  if (info.isVideo()) {
    t.width = static_cast<std::uint16_t>(std::clamp(info.width, 0, 0xFFFF));
    t.height = static_cast<std::uint16_t>(std::clamp(info.height, 0, 0xFFFF));
  }
  return t;
}

}  // namespace

base::Result<Fmp4Tracks> Fmp4Tracks::create(const std::vector<media::TrackInfo>& tracks, base::Logger log, Klv klv) {
  std::vector<format::fmp4::TrackConfig> configs;
  std::vector<Track> map(tracks.size());
  std::vector<Skipped> skipped;
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    auto config = trackConfig(tracks[i], static_cast<std::uint32_t>(configs.size() + 1), klv);
    if (!config) {
      skipped.push_back(Skipped{i, tracks[i].codec, config.error().message});
      continue;
    }
    map[i].muxerIndex = configs.size();
    map[i].timescale = config->timescale;
    configs.push_back(std::move(config).value());
  }
  if (configs.empty()) return base::makeError(base::ErrorCode::Unsupported, "no track of this stream can be muxed into fMP4");
  auto codecs = format::fmp4::codecsAttribute(configs);
  if (!codecs) return codecs.error();
  auto muxer = format::fmp4::Muxer::create(std::move(configs));
  if (!muxer) return muxer.error();
  return Fmp4Tracks(tracks, std::move(map), std::move(skipped), std::move(muxer).value(), std::move(codecs).value(),
                    std::move(log));
}

Fmp4Tracks::Fmp4Tracks(std::vector<media::TrackInfo> tracks, std::vector<Track> map, std::vector<Skipped> skipped,
                       format::fmp4::Muxer muxer, std::string codecs, base::Logger log)
    : tracks_(std::move(tracks)),
      map_(std::move(map)),
      skipped_(std::move(skipped)),
      muxer_(std::move(muxer)),
      codecs_(std::move(codecs)),
      log_(std::move(log)) {}

int Fmp4Tracks::width() const { return muxer_.tracks()[muxer_.primaryTrack()].width; }
int Fmp4Tracks::height() const { return muxer_.tracks()[muxer_.primaryTrack()].height; }

microseconds Fmp4Tracks::toMicros(std::uint64_t primaryTicks) const {
  const std::uint32_t timescale = muxer_.tracks()[muxer_.primaryTrack()].timescale;
  return microseconds(static_cast<std::int64_t>(primaryTicks * 1'000'000 / timescale));
}

bool Fmp4Tracks::isPrimaryKeyframe(const media::Unit& unit) const {
  if (unit.track >= map_.size() || map_[unit.track].muxerIndex != muxer_.primaryTrack()) return false;
  return unit.keyframe || codec::mediaKind(muxer_.tracks()[muxer_.primaryTrack()].codec) != codec::MediaKind::Video;
}

std::optional<microseconds> Fmp4Tracks::elapsed(const media::Unit& unit) const {
  if (unit.track >= map_.size() || !map_[unit.track].origin) return std::nullopt;
  const Track& track = map_[unit.track];
  return microseconds((unit.dts - *track.origin) * 1'000'000 / track.timescale);
}

std::optional<std::int64_t> Fmp4Tracks::decodeTime(Track& track, const media::Unit& unit) {
  if (!track.origin) {
    // Late-starting tracks begin where they were received relative to the primary keyframe.
    const auto since = std::chrono::duration_cast<microseconds>(unit.received - *start_).count();
    const std::int64_t offset = std::max<std::int64_t>(0, since) * track.timescale / 1'000'000;
    track.origin = unit.dts - offset;
  }
  const std::int64_t t = unit.dts - *track.origin;
  if (t < 0 || t <= track.lastDts) return std::nullopt;
  return t;
}

std::optional<Fmp4Tracks::Sample> Fmp4Tracks::push(const media::Unit& unit) {
  if (unit.track >= map_.size() || !map_[unit.track].muxerIndex) return std::nullopt;
  Track& track = map_[unit.track];
  const std::size_t index = *track.muxerIndex;
  const bool primary = index == muxer_.primaryTrack();
  const bool video = codec::mediaKind(muxer_.tracks()[index].codec) == codec::MediaKind::Video;
  const bool keyframe = unit.keyframe || !video;
  if (!start_) {
    if (!primary || !keyframe) return std::nullopt;  // everything starts at the primary track's keyframe
    start_ = unit.received;
  }
  const auto dts = decodeTime(track, unit);
  if (!dts) {
    ++dropped_;
    log_.debug("track {}: unit at dts {} does not follow the last one, dropped", unit.track, unit.dts);
    return std::nullopt;
  }
  const format::fmp4::Muxer::Frame frame{unit.data, *dts, *dts + (unit.pts - unit.dts), keyframe};
  if (auto pushed = muxer_.push(index, frame); !pushed) {
    ++dropped_;
    log_.debug("track {}: {}", unit.track, pushed.error().message);
    return std::nullopt;
  }
  if (track.lastDts >= 0) track.lastDuration = static_cast<std::uint32_t>(*dts - track.lastDts);
  track.lastDts = *dts;
  return Sample{*dts, primary, keyframe};
}

void Fmp4Tracks::finish(const media::Unit* successor) {
  for (std::size_t i = 0; i < map_.size(); ++i) {
    const Track& track = map_[i];
    if (!track.muxerIndex || track.lastDts < 0) continue;
    // By default the last sample lasts as long as the one before it (or a 50th of a second).
    std::uint32_t last = track.lastDuration ? track.lastDuration : std::max<std::uint32_t>(1, track.timescale / 50);
    if (successor && successor->track == i && track.origin) {
      const std::int64_t next = successor->dts - *track.origin;
      if (next > track.lastDts && next - track.lastDts <= UINT32_MAX) last = static_cast<std::uint32_t>(next - track.lastDts);
    }
    (void)muxer_.finish(*track.muxerIndex, last);
  }
}

}  // namespace ocellus::bridge
