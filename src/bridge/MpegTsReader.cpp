#include "bridge/MpegTsReader.h"

#include <algorithm>

#include "codec/aac/AudioSpecificConfig.h"

namespace ocellus::bridge {

namespace ts = format::mpegts;

namespace {

std::optional<ts::Codec> tsCodec(codec::CodecId id) {
  switch (id) {
    case codec::CodecId::H264: return ts::Codec::H264;
    case codec::CodecId::H265: return ts::Codec::H265;
    case codec::CodecId::AAC: return ts::Codec::Aac;
    case codec::CodecId::KLV: return ts::Codec::Klv;
    case codec::CodecId::VP8:
    case codec::CodecId::VP9:
    case codec::CodecId::AV1:
    case codec::CodecId::Opus:
    case codec::CodecId::PCMU:
    case codec::CodecId::PCMA:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

MpegTsReader::MpegTsReader(const std::vector<media::TrackInfo>& tracks, Sink sink, std::function<void()> onEnd)
    : muxer_(ts::Muxer::Options{}, std::move(sink)), byTrack_(tracks.size()), onEnd_(std::move(onEnd)) {
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const auto& info = tracks[i];
    const auto c = tsCodec(info.codec);
    ts::Track t;
    if (c) {
      t.codec = *c;
      t.clockRate = info.clockRate;
      t.vps = info.vps;
      t.sps = info.sps;
      t.pps = info.pps;
      if (*c == ts::Codec::Aac) {
        if (auto asc = codec::aac::AudioSpecificConfig::parse(info.audioConfig)) t.aacConfig = *asc;
      }
    }
    auto pid = c ? muxer_.addTrack(t) : base::Result<std::uint16_t>(base::makeError(base::ErrorCode::Unsupported, "no MPEG-TS form"));
    if (!pid) {
      log_.info("track {} ({}) is left out of MPEG-TS: {}", i, codec::codecName(info.codec), pid.error().message);
      continue;
    }
    byTrack_[i] = Carried{*pid, *c};
    hasVideo_ = hasVideo_ || info.isVideo();
  }
}

std::size_t MpegTsReader::carried() const {
  return static_cast<std::size_t>(std::count_if(byTrack_.begin(), byTrack_.end(), [](const auto& c) { return c.has_value(); }));
}

void MpegTsReader::onUnit(const media::UnitPtr& unit) {
  if (unit->track >= byTrack_.size() || !byTrack_[unit->track]) return;
  const Carried& c = *byTrack_[unit->track];
  const bool video = c.codec == ts::Codec::H264 || c.codec == ts::Codec::H265;
  if (!started_) {
    if (hasVideo_ && !(video && unit->keyframe)) return;
    started_ = true;
  }
  ts::Unit u;
  u.pid = c.pid;
  u.codec = c.codec;
  u.hasPts = true;
  u.pts = unit->pts;
  u.dts = unit->dts;
  u.keyframe = unit->keyframe;
  u.data = unit->data;
  if (auto status = muxer_.write(u); !status) log_.debug("unit of track {} not muxed: {}", unit->track, status.error().message);
}

void MpegTsReader::onStreamEnd() {
  muxer_.flush();
  if (onEnd_) onEnd_();
}

}  // namespace ocellus::bridge
