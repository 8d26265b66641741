#pragma once

#include <string>
#include <vector>

#include "base/Result.h"
#include "format/sdp/SessionDescription.h"
#include "media/TrackInfo.h"

namespace ocellus::bridge {

// A track announced in an SDP (ANNOUNCE body, a camera's DESCRIBE answer).
struct SdpTrack {
  media::TrackInfo info;
  std::string control;        // a=control, to resolve against the base URL
  std::uint8_t payloadType = 0;
};

// The tracks of a session description that Ocellus can carry, in SDP order. Media sections
// with codecs it cannot carry are skipped and named in `skipped`; no carried track at all is
// an Unsupported error naming what was offered.
base::Result<std::vector<SdpTrack>> tracksFromSdp(const format::sdp::SessionDescription& sdp,
                                                  std::vector<std::string>* skipped = nullptr);

// The RTP payload type a reader's SDP uses for track `index`.
std::uint8_t payloadTypeFor(const media::TrackInfo& track, std::size_t index);

// A session description for readers of these tracks: one m= section per track with
// a=control:trackID=<index>, rtpmap and fmtp (parameter sets, AAC config) from the tracks.
format::sdp::SessionDescription sdpForTracks(const std::vector<media::TrackInfo>& tracks, const std::string& name);

}  // namespace ocellus::bridge
