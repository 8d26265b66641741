#pragma once

#include "media/TrackInfo.h"

namespace ocellus::bridge {

// Fills a video track's width, height and (when the SPS says) frame rate from its SPS; leaves
// them as they are when the SPS does not parse or the track is not H.264/H.265.
void describeVideo(media::TrackInfo& track);

}  // namespace ocellus::bridge
