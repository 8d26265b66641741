#pragma once

#include <span>

#include "media/TrackInfo.h"

namespace ocellus::bridge {

// Fills a video track's width, height and (H.264 VUI timing) frame rate from its SPS; leaves
// them as they are when the SPS is missing or does not parse.
void applySps(media::TrackInfo& track);
// Fills a VP8, VP9 or AV1 track's width and height from a key frame (codec canonical form),
// whose header (AV1: sequence header, the largest picture) carries them; true when they
// changed. Other codecs are left as they are.
bool applyKeyframeSize(media::TrackInfo& track, std::span<const std::uint8_t> keyframe);

}  // namespace ocellus::bridge
