#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "base/Clock.h"
#include "base/Result.h"
#include "media/TrackInfo.h"
#include "media/Unit.h"
#include "sources/testpattern/H264Encoder.h"
#include "sources/testpattern/Renderer.h"

namespace ocellus::sources::testpattern {

// The test pattern as a stream's units: draws frame after frame (Renderer) showing a given wall
// clock, encodes it (H264Encoder) and hands out access units in canonical form (codec/Codec.h)
// for track 0. Shared by the demo camera and by tests and benchmarks that need real pictures
// with a readable timestamp. Not thread-safe: one owner drives it.
class PatternEncoder {
 public:
  // Fails as Renderer::create and H264Encoder::create do.
  static base::Result<std::unique_ptr<PatternEncoder>> create(const H264Encoder::Config& config);

  const H264Encoder::Config& config() const { return encoder_->config(); }
  // Frames encoded so far.
  std::uint64_t frames() const { return frameNumber_; }
  void requestKeyframe() { encoder_->requestKeyframe(); }

  // Draws the next frame showing `wallMs` (milliseconds since the Unix epoch) and hands its
  // access unit to `onUnit` before returning: track 0, pts = dts = frame number in 90 kHz,
  // receive time `received`, from the calling thread's UnitPool.
  base::Status encodeNext(std::uint64_t wallMs, base::SteadyTime received,
                          const std::function<void(media::MutableUnitPtr)>& onUnit);

  // The H.264 track description (SPS, PPS, size, `fps`) from a keyframe unit of this encoder,
  // which carries its parameter sets; Internal if it does not.
  static base::Result<media::TrackInfo> describe(const media::Unit& keyframe, int fps);

 private:
  PatternEncoder(Renderer renderer, std::unique_ptr<H264Encoder> encoder);

  Renderer renderer_;
  std::unique_ptr<H264Encoder> encoder_;
  std::vector<std::uint8_t> frame_;
  std::uint64_t frameNumber_ = 0;
};

}  // namespace ocellus::sources::testpattern
