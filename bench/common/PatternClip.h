#pragma once

#include <cstddef>
#include <vector>

#include "media/TrackInfo.h"
#include "media/Unit.h"
#include "sources/testpattern/H264Encoder.h"

namespace ocellus::bench {

// A few seconds of the test pattern (sources/testpattern/PatternEncoder), encoded once so that
// benchmarks can replay it into any number of streams without running an encoder per stream.
// Exits the process with a message if the encoder cannot be made: a benchmark has nothing to
// measure then.
struct PatternClip {
  std::vector<media::MutableUnitPtr> units;  // canonical H.264 access units, track 0, starting with an IDR
  media::TrackInfo track;                    // from the first keyframe
  int fps = 30;

  // `frames` frames of `config` (a whole number of GOPs, so a replay loops at a keyframe).
  static PatternClip encode(const sources::testpattern::H264Encoder::Config& config, int frames);

  // Brings the clip up to `kbps` on average by ending every unit with a filler NAL unit of the
  // same size (H.264 §7.3.2.7, nal_unit_type 12), as a CBR camera's encoder fills: the test
  // pattern is mostly still and x264 codes it well under the rate asked for. Decoders skip
  // filler; the recorder writes it like any other byte. No-op if the clip is already there.
  void fillTo(int kbps);

  // The clip's video bit rate, payload bytes only.
  double mbitPerSecond() const;
};

}  // namespace ocellus::bench
