#pragma once

#include <string>
#include <vector>

#include "base/Clock.h"
#include "base/Result.h"
#include "media/TrackInfo.h"
#include "media/Unit.h"
#include "sources/ffmpeg/Library.h"

namespace ocellus::snapshot {

// Decodes a stream's cached GOP (media::Stream::copyGop) with libavcodec to get its newest
// picture: every picture of a GOP depends on the ones before it, back to the keyframe. Runs
// for as long as the GOP takes to decode, so it belongs on a worker thread, never on a loop.
// One decoder per call: a snapshot is rare next to the stream's frame rate, and a decoder
// kept per stream would hold its reference pictures (tens of MB at 4K) between snapshots.
class GopDecoder {
 public:
  struct Picture {
    sources::ffmpeg::FramePtr frame;  // as decoded: size, pixel format and colour range vary
    base::SteadyTime received{};      // the unit's receive time
  };

  // The newest picture in display order of the units of `track` (index `trackIndex`; units
  // of other tracks are skipped), which must start at a keyframe. Parameter sets come from the
  // track description as well as in-band. H.264, H.265, VP8, VP9 and AV1 (decodes()), Unsupported
  // otherwise or when this FFmpeg has no decoder for it; a unit
  // that fails to decode is skipped, and Malformed comes back only when no picture does.
  // `path` names the stream in errors. Needs ffmpeg::library() loaded.
  static bool decodes(codec::CodecId codec);
  static base::Result<Picture> decodeNewest(const media::TrackInfo& track, std::uint32_t trackIndex,
                                            const std::vector<media::UnitPtr>& units,
                                            const std::string& path);
};

}  // namespace ocellus::snapshot
