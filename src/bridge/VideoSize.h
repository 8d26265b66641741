#pragma once

#include <span>

#include "media/TrackInfo.h"

namespace ocellus::bridge {

// Fills a video track's width, height and (H.264 VUI timing) frame rate from its SPS; leaves
// them as they are when the SPS is missing or does not parse.
void applySps(media::TrackInfo& track);
// Fills a VP8, VP9 or AV1 track's description from a key frame (codec canonical form): width
// and height from its header (AV1: the sequence header's largest picture), and an AV1 track's
// sequence header, which fMP4 and RTMP readers need; true when they changed. Other codecs are
// left as they are.
bool applyKeyframe(media::TrackInfo& track, std::span<const std::uint8_t> keyframe);

}  // namespace ocellus::bridge
