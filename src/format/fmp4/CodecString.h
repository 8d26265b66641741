#pragma once

#include <span>
#include <string>

#include "base/Result.h"
#include "format/fmp4/TrackConfig.h"

namespace ocellus::format::fmp4 {

// The RFC 6381 `codecs` value of a track, as HLS CODECS= and MSE want it: avc1.PPCCLL and hvc1...
// from the decoder configuration record (codec/h264|h265/DecoderConfigurationRecord),
// av01.P.LLT.DD from the av1C (AV1 in ISOBMFF §5: profile, level, tier, bit depth), mp4a.40.<aot>
// from the AudioSpecificConfig (RFC 6381 §3.3), `opus` (Opus in ISOBMFF §5). An error when the
// track's configuration does not parse or the codec has no MP4 form here.
base::Result<std::string> codecString(const TrackConfig& track);

// The values of the audio and video tracks joined by commas, in order (for CODECS="..." and
// MSE): a metadata track (KLV) has none, and players leave such a track alone.
base::Result<std::string> codecsAttribute(std::span<const TrackConfig> tracks);

}  // namespace ocellus::format::fmp4
