#include "bridge/HlsPackager.h"

#include <fmt/format.h>

#include <algorithm>

#include "codec/aac/AudioSpecificConfig.h"
#include "codec/h264/DecoderConfigurationRecord.h"
#include "codec/h265/DecoderConfigurationRecord.h"
#include "codec/opus/Toc.h"
#include "format/fmp4/CodecString.h"

namespace ocellus::bridge {

namespace {

using std::chrono::microseconds;

// The sample entry a track needs (format/fmp4/TrackConfig.h), or why it cannot have one.
base::Result<format::fmp4::TrackConfig> trackConfig(const media::TrackInfo& info, std::uint32_t id) {
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
    default:
      return base::makeError(base::ErrorCode::Unsupported, "HLS carries H.264, H.265, AAC and Opus only");
  }
  if (info.isVideo()) {
    t.width = static_cast<std::uint16_t>(std::clamp(info.width, 0, 0xFFFF));
    t.height = static_cast<std::uint16_t>(std::clamp(info.height, 0, 0xFFFF));
  }
  return t;
}

}  // namespace

base::Result<std::unique_ptr<HlsPackager>> HlsPackager::create(const std::vector<media::TrackInfo>& tracks,
                                                               proto::hls::RingConfig ring, const base::Clock& clock,
                                                               base::Logger log) {
  std::vector<format::fmp4::TrackConfig> configs;
  std::vector<Track> map(tracks.size());
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    auto config = trackConfig(tracks[i], static_cast<std::uint32_t>(configs.size() + 1));
    if (!config) {
      log.info("track {} ({}) is left out: {}", i, codec::codecName(tracks[i].codec), config.error().message);
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
  return std::unique_ptr<HlsPackager>(new HlsPackager(tracks, std::move(map), std::move(muxer).value(), ring,
                                                      std::move(codecs).value(), clock, std::move(log)));
}

HlsPackager::HlsPackager(std::vector<media::TrackInfo> tracks, std::vector<Track> map, format::fmp4::Muxer muxer,
                         proto::hls::RingConfig ring, std::string codecs, const base::Clock& clock, base::Logger log)
    : tracks_(std::move(tracks)),
      map_(std::move(map)),
      muxer_(std::move(muxer)),
      ring_(ring, std::make_shared<const std::vector<std::uint8_t>>(muxer_.initSegment())),
      codecs_(std::move(codecs)),
      clock_(clock),
      log_(std::move(log)) {
  const auto& primary = muxer_.tracks()[muxer_.primaryTrack()];
  primaryTimescale_ = primary.timescale;
  width_ = primary.width;
  height_ = primary.height;
}

microseconds HlsPackager::toMicros(std::uint64_t ticks) const {
  return microseconds(static_cast<std::int64_t>(ticks * 1'000'000 / primaryTimescale_));
}

std::optional<std::int64_t> HlsPackager::decodeTime(Track& track, const media::Unit& unit) {
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

void HlsPackager::push(const media::Unit& unit) {
  if (unit.track >= map_.size() || !map_[unit.track].muxerIndex || ring_.finished()) return;
  Track& track = map_[unit.track];
  const std::size_t index = *track.muxerIndex;
  const bool primary = index == muxer_.primaryTrack();
  const bool video = codec::mediaKind(muxer_.tracks()[index].codec) == codec::MediaKind::Video;
  const bool keyframe = unit.keyframe || !video;
  if (!start_) {
    if (!primary || !keyframe) return;  // everything starts at the primary track's keyframe
    start_ = unit.received;
  }
  const auto dts = decodeTime(track, unit);
  if (!dts) {
    ++dropped_;
    log_.debug("track {}: unit at dts {} does not follow the last one, dropped", unit.track, unit.dts);
    return;
  }
  const format::fmp4::Muxer::Frame frame{unit.data, *dts, *dts + (unit.pts - unit.dts), keyframe};
  if (auto pushed = muxer_.push(index, frame); !pushed) {
    ++dropped_;
    log_.debug("track {}: {}", unit.track, pushed.error().message);
    return;
  }
  if (track.lastDts >= 0) track.lastDuration = static_cast<std::uint32_t>(*dts - track.lastDts);
  track.lastDts = *dts;
  if (!primary) return;
  pending_.emplace_back(*dts, unit.received);
  cutIfDue(keyframe);
}

void HlsPackager::cutIfDue(bool keyframe) {
  const std::size_t primary = muxer_.primaryTrack();
  if (muxer_.readyCount(primary) == 0) return;
  const microseconds ready = toMicros(muxer_.readyDuration(primary));
  const auto* open = ring_.openSegment();
  const microseconds elapsed = open ? open->duration : microseconds{0};
  // Before a keyframe that will start the next segment, or once the part is long enough.
  if ((keyframe && elapsed + ready >= ring_.config().targetDuration) || ready >= ring_.config().partTarget) writePart();
}

void HlsPackager::writePart() {
  auto out = muxer_.flush();
  if (!out) {
    log_.warn("fMP4 fragment not written: {}", out.error().message);
    return;
  }
  const auto start = static_cast<std::int64_t>(out->startTime);
  const auto end = static_cast<std::int64_t>(out->startTime + out->duration);
  while (!pending_.empty() && pending_.front().first < start) pending_.pop_front();
  const base::SteadyTime received = pending_.empty() ? clock_.now() : pending_.front().second;
  while (!pending_.empty() && pending_.front().first < end) pending_.pop_front();
  const auto wall = clock_.wallNow() - (clock_.now() - received);
  proto::hls::Part part{std::make_shared<const std::vector<std::uint8_t>>(std::move(out->bytes)),
                        toMicros(out->duration), out->independent};
  ring_.addPart(std::move(part), std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()));
}

void HlsPackager::finish() {
  if (ring_.finished()) return;
  for (const auto& track : map_) {
    if (!track.muxerIndex) continue;
    // The last sample lasts as long as the one before it (or a 50th of a second).
    const std::uint32_t last = track.lastDuration ? track.lastDuration : std::max<std::uint32_t>(1, track.timescale / 50);
    (void)muxer_.finish(*track.muxerIndex, last);
  }
  if (muxer_.hasReady()) writePart();
  ring_.finish();
}

}  // namespace ocellus::bridge
