#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>

#include "base/Result.h"
#include "sources/ffmpeg/Library.h"

namespace ocellus::sources::testpattern {

// H.264 encoder for the demo camera: libavcodec's libx264, tuned for live viewing in any player
// and browser. Constrained Baseline (no B-frames, so decode order is display order), zero
// latency (one access unit out per frame in), CBR-like rate control (VBV max rate = bitrate,
// buffer = 1 s), one slice per frame, an IDR every `gop` frames and on request, and SPS/PPS
// before every IDR so a viewer can start at any keyframe. Not thread-safe: one owner drives it.
class H264Encoder {
 public:
  struct Config {
    int width = 1280;
    int height = 720;
    int fps = 30;
    int bitrateKbps = 2000;
    int gop = 0;  // frames between IDRs; 0 means fps (one per second)
  };

  static constexpr int kMinSize = 16;
  static constexpr int kMaxSize = 4096;
  static constexpr int kMaxFps = 120;
  static constexpr int kMinBitrateKbps = 50;
  static constexpr int kMaxBitrateKbps = 50'000;

  // Called once per encoded access unit, during encode(). `annexB` is the access unit's NAL units,
  // each after a start code, valid only for the call; `pts90k` is the input frame's; `keyframe`
  // is true for an IDR (which then starts with SPS and PPS). The callee must not call encode().
  using OnFrame =
      std::function<void(std::span<const std::uint8_t> annexB, std::int64_t pts90k, bool keyframe)>;

  // Fails with InvalidArgument for a config outside the limits above (sizes must be even),
  // Unsupported if libx264 is missing or no level fits, Internal if libavcodec refuses to open.
  static base::Result<std::unique_ptr<H264Encoder>> create(const Config& config);

  // The smallest level_idc (H.264 Table A-1, e.g. 31 for level 3.1) whose frame size, macroblock
  // rate and Baseline bit rate limits hold `config`; nullopt if none does.
  static std::optional<int> levelFor(const Config& config);

  ~H264Encoder();
  H264Encoder(const H264Encoder&) = delete;
  H264Encoder& operator=(const H264Encoder&) = delete;

  const Config& config() const { return config_; }

  // Makes the next encoded frame an IDR (a viewer's PLI or FIR, a new reader joining). The GOP
  // restarts there: the next periodic IDR comes `gop` frames later.
  void requestKeyframe() { keyframeRequested_ = true; }

  // Encodes one I420 frame (Y width x height, then U and V at half size, tightly packed: at least
  // width * height * 3 / 2 bytes) with presentation time `pts90k` (90 kHz) and hands the
  // resulting access unit to `onFrame` before returning.
  base::Status encode(const std::uint8_t* i420, std::int64_t pts90k, const OnFrame& onFrame);

 private:
  H264Encoder(const Config& config, ffmpeg::CodecContextPtr context, ffmpeg::FramePtr frame,
              ffmpeg::PacketPtr packet);

  Config config_;
  ffmpeg::CodecContextPtr context_;
  ffmpeg::FramePtr frame_;
  ffmpeg::PacketPtr packet_;
  bool keyframeRequested_ = false;
};

}  // namespace ocellus::sources::testpattern
