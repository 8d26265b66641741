#include "sources/testpattern/PatternEncoder.h"

#include "codec/AnnexB.h"
#include "codec/NalUnits.h"
#include "codec/h264/Nal.h"
#include "codec/h264/Sps.h"

namespace ocellus::sources::testpattern {

base::Result<std::unique_ptr<PatternEncoder>> PatternEncoder::create(const H264Encoder::Config& config) {
  auto renderer = Renderer::create(config.width, config.height);
  if (!renderer) return renderer.error();
  auto encoder = H264Encoder::create(config);
  if (!encoder) return encoder.error();
  return std::unique_ptr<PatternEncoder>(
      new PatternEncoder(std::move(renderer).value(), std::move(encoder).value()));
}

PatternEncoder::PatternEncoder(Renderer renderer, std::unique_ptr<H264Encoder> encoder)
    : renderer_(renderer), encoder_(std::move(encoder)), frame_(renderer_.frameSize()) {}

base::Status PatternEncoder::encodeNext(std::uint64_t wallMs, base::SteadyTime received,
                                        const std::function<void(media::MutableUnitPtr)>& onUnit) {
  renderer_.render(frame_, frameNumber_, wallMs);
  const std::int64_t pts = static_cast<std::int64_t>(frameNumber_) * 90000 / config().fps;
  ++frameNumber_;
  return encoder_->encode(frame_.data(), pts,
                          [&](std::span<const std::uint8_t> annexB, std::int64_t p, bool key) {
                            auto unit = media::UnitPool::forThisThread().acquire();
                            unit->track = 0;
                            unit->pts = unit->dts = p;
                            unit->keyframe = key;
                            unit->received = received;
                            codec::annexBToCanonical(annexB, unit->data);
                            onUnit(std::move(unit));
                          });
}

base::Result<media::TrackInfo> PatternEncoder::describe(const media::Unit& keyframe, int fps) {
  media::TrackInfo track;
  track.codec = codec::CodecId::H264;
  track.fps = fps;
  for (auto nal : codec::NalUnits(keyframe.data)) {
    const auto type = codec::h264::nalType(nal[0]);
    if (type == codec::h264::NalType::Sps) {
      track.sps.assign(nal.begin(), nal.end());
      if (auto sps = codec::h264::Sps::parse(nal)) {
        track.width = static_cast<int>(sps->width);
        track.height = static_cast<int>(sps->height);
      }
    } else if (type == codec::h264::NalType::Pps) {
      track.pps.assign(nal.begin(), nal.end());
    }
  }
  if (track.sps.empty() || track.pps.empty()) {
    return base::makeError(base::ErrorCode::Internal, "the test pattern's keyframe carries no SPS/PPS");
  }
  return track;
}

}  // namespace ocellus::sources::testpattern
