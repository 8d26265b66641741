#pragma once

#include "media/TrackInfo.h"

namespace ocellus::bridge {

// Fills a video track's width, height and (H.264 VUI timing) frame rate from its SPS; leaves
// them as they are when the SPS is missing or does not parse.
void applySps(media::TrackInfo& track);

}  // namespace ocellus::bridge
