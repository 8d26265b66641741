#include "bridge/VideoSize.h"

#include <algorithm>

#include "codec/av1/SequenceHeader.h"
#include "codec/h264/Sps.h"
#include "codec/h265/Sps.h"
#include "codec/vp8/FrameTag.h"
#include "codec/vp9/FrameHeader.h"

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

bool applyKeyframe(media::TrackInfo& track, std::span<const std::uint8_t> keyframe) {
  int width = 0;
  int height = 0;
  if (track.codec == codec::CodecId::VP8) {
    if (auto tag = codec::vp8::FrameTag::parse(keyframe); tag && tag->keyframe) {
      width = tag->width;
      height = tag->height;
    }
  } else if (track.codec == codec::CodecId::AV1) {
    const auto obu = codec::av1::findSequenceHeader(keyframe);
    if (!obu || std::ranges::equal(obu->whole, track.sequenceHeader)) return false;
    auto header = codec::av1::SequenceHeader::parse(obu->payload);
    if (!header) return false;
    track.sequenceHeader.assign(obu->whole.begin(), obu->whole.end());
    track.width = static_cast<int>(header->maxWidth);
    track.height = static_cast<int>(header->maxHeight);
    return true;
  } else if (track.codec == codec::CodecId::VP9) {
    if (auto header = codec::vp9::FrameHeader::parse(keyframe); header && header->keyframe) {
      width = static_cast<int>(header->width);
      height = static_cast<int>(header->height);
    }
  }
  if (width == 0 || height == 0 || (width == track.width && height == track.height)) return false;
  track.width = width;
  track.height = height;
  return true;
}

}  // namespace ocellus::bridge
