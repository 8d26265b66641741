#include "bridge/MpegTsIngest.h"

#include <algorithm>

#include "bridge/VideoSize.h"

namespace ocellus::bridge {

namespace ts = format::mpegts;

namespace {

codec::CodecId codecOf(ts::Codec c) {
  switch (c) {
    case ts::Codec::H264: return codec::CodecId::H264;
    case ts::Codec::H265: return codec::CodecId::H265;
    case ts::Codec::Aac: return codec::CodecId::AAC;
    case ts::Codec::Klv: return codec::CodecId::KLV;
  }
  return codec::CodecId::KLV;
}

// The media core's description of a demuxed track; `described` when it has what readers need.
media::TrackInfo describe(const ts::Track& t, bool& described) {
  media::TrackInfo info;
  info.codec = codecOf(t.codec);
  info.clockRate = t.clockRate;
  switch (t.codec) {
    case ts::Codec::H264:
      info.sps = t.sps;
      info.pps = t.pps;
      described = !t.sps.empty() && !t.pps.empty();
      if (described) applySps(info);
      break;
    case ts::Codec::H265:
      info.vps = t.vps;
      info.sps = t.sps;
      info.pps = t.pps;
      described = !t.vps.empty() && !t.sps.empty() && !t.pps.empty();
      if (described) applySps(info);
      break;
    case ts::Codec::Aac:
      described = t.aacConfig.has_value();
      if (described) {
        info.audioConfig = t.aacConfig->serialize();
        info.channels = t.aacConfig->channelConfig;
        info.clockRate = t.aacConfig->sampleRate;
      }
      break;
    case ts::Codec::Klv:
      described = true;
      break;
  }
  return info;
}

}  // namespace

MpegTsIngest::MpegTsIngest(media::StreamRegistry& registry, io::IoContext& loop, std::string path, std::string source)
    : registry_(registry),
      loop_(loop),
      path_(std::move(path)),
      source_(std::move(source)),
      demuxer_(ts::Demuxer::Callbacks{[this](const ts::Track& t) { onTrack(t); },
                                      [this](const ts::Unit& u) { onUnit(u); }}) {}

MpegTsIngest::~MpegTsIngest() { end(); }

base::Status MpegTsIngest::feed(std::span<const std::uint8_t> bytes) {
  if (ended_) return base::makeError(base::ErrorCode::InvalidState, "the MPEG-TS ingest of '" + path_ + "' has ended");
  demuxer_.feed(bytes);
  if (error_) {
    end();
    return *error_;
  }
  return {};
}

void MpegTsIngest::end() {
  if (ended_) return;
  ended_ = true;
  if (stream_) registry_.unpublish(stream_);
  stream_.reset();
}

MpegTsIngest::Track* MpegTsIngest::find(std::uint16_t pid) {
  const auto it = std::find_if(tracks_.begin(), tracks_.end(), [pid](const Track& t) { return t.ts.pid == pid; });
  return it == tracks_.end() ? nullptr : &*it;
}

void MpegTsIngest::onTrack(const ts::Track& t) {
  Track* track = find(t.pid);
  if (track == nullptr) {
    if (stream_) return;  // a stream published once keeps its layout; a new PID is ignored
    track = &tracks_.emplace_back();
    if (t.codec == ts::Codec::H264) track->params.emplace<codec::h264::ParameterSetCache>();
    if (t.codec == ts::Codec::H265) track->params.emplace<codec::h265::ParameterSetCache>();
  }
  track->ts = t;
  bool described = false;
  auto info = describe(t, described);
  if (!described) return;
  if (!firstDescribed_) firstDescribed_ = base::Clock::system().now();
  const bool changed = track->described && !(info == track->info);
  track->info = std::move(info);
  track->described = true;
  if (changed && stream_ && track->index >= 0) stream_->updateTrack(static_cast<std::size_t>(track->index), track->info);
}

void MpegTsIngest::publish() {
  std::vector<media::TrackInfo> infos;
  for (auto& t : tracks_) {
    if (!t.described) continue;
    t.index = static_cast<int>(infos.size());
    infos.push_back(t.info);
  }
  auto stream = registry_.publish(path_, loop_, std::move(infos), source_);
  if (!stream) {
    error_ = base::makeError(stream.error().code, "cannot publish '" + path_ + "': " + stream.error().message);
    return;
  }
  stream_ = std::move(stream.value());
}

void MpegTsIngest::onUnit(const ts::Unit& given) {
  if (error_ || ended_) return;
  Track* track = find(given.pid);
  if (track == nullptr || !track->described) return;
  ts::Unit u = given;
  if (u.hasPts) {
    if (track->ts.clockRate == ts::kSystemClock) lastDts_ = u.dts;
  } else if (u.codec == ts::Codec::Klv && lastDts_) {
    // Asynchronous KLV may come without a PTS (RP 217; FFmpeg's stream copy drops it): it
    // belongs to the picture of the moment.
    u.pts = u.dts = *lastDts_;
  } else {
    return;
  }
  if (!stream_) {
    const bool all = std::all_of(tracks_.begin(), tracks_.end(), [](const Track& t) { return t.described; });
    if (!all && base::Clock::system().now() - *firstDescribed_ < kDescribeTimeout) return;
    publish();
    if (!stream_) return;
  }
  if (track->index < 0) return;

  // The demuxer's timeline is 90 kHz for every track; AAC units come in sample-rate units.
  const std::int64_t rate = track->ts.clockRate;
  const std::int64_t offset = offset_ * rate / ts::kSystemClock;
  std::int64_t dts = u.dts + offset;
  const std::int64_t maxStep = rate * kMaxStep.count();
  if (track->lastDts && (dts < *track->lastDts - rate || dts > *track->lastDts + maxStep)) {
    const std::int64_t shift = *track->lastDts + rate / 30 - dts;  // one frame after the last
    offset_ += shift * ts::kSystemClock / rate;
    dts += shift;
  }
  track->lastDts = dts;

  auto unit = media::UnitPool::forThisThread().acquire();
  unit->track = static_cast<std::uint32_t>(track->index);
  unit->dts = dts;
  unit->pts = u.pts + (dts - u.dts);
  unit->keyframe = u.keyframe || mediaKind(track->info.codec) != codec::MediaKind::Video;
  unit->received = base::Clock::system().now();
  const auto fill = [&](auto& cache) {
    cache.observe(u.data);
    if (u.keyframe) {
      if (auto completed = cache.complete(u.data)) {
        unit->data = std::move(*completed);
        return;
      }
    }
    unit->data.assign(u.data.begin(), u.data.end());
  };
  if (auto* h264 = std::get_if<codec::h264::ParameterSetCache>(&track->params)) {
    fill(*h264);
  } else if (auto* h265 = std::get_if<codec::h265::ParameterSetCache>(&track->params)) {
    fill(*h265);
  } else {
    unit->data.assign(u.data.begin(), u.data.end());
  }
  stream_->publish(std::move(unit));
}

}  // namespace ocellus::bridge
