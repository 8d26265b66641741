#include "bridge/VideoSize.h"

#include "codec/h264/Sps.h"
#include "codec/h265/Sps.h"

namespace ocellus::bridge {
namespace {

template <typename Sps>
void apply(media::TrackInfo& track) {
  if (auto parsed = Sps::parse(track.sps)) {
    track.width = static_cast<int>(parsed->width);
    track.height = static_cast<int>(parsed->height);
    if constexpr (requires { parsed->fps; }) {
      if (parsed->fps) track.fps = *parsed->fps;
    }
  }
}

}  // namespace

void applySps(media::TrackInfo& track) {
  if (track.sps.empty()) return;
  if (track.codec == codec::CodecId::H264) apply<codec::h264::Sps>(track);
  if (track.codec == codec::CodecId::H265) apply<codec::h265::Sps>(track);
}

}  // namespace ocellus::bridge
