#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "base/Result.h"
#include "record/RecordingFile.h"

namespace ocellus::record {

// The HLS VOD media playlist of the recordings overlapping [fromMs, toMs) (wall clock, ms since
// the epoch; RFC 8216bis §4.4), serving the files as they are on disk by byte ranges (no remux):
// per file an EXT-X-MAP of its init segment (BYTERANGE initSize@0) and EXT-X-PROGRAM-DATE-TIME
// at its first listed segment, EXT-X-DISCONTINUITY between files; each media segment is a run of
// whole fragments that starts at an independent one and takes the fragments after it until
// it has ~kSegmentTargetMs, so segments change only at keyframes. Segments that overlap the
// range are listed whole (playback starts at a keyframe at or before fromMs). URIs are the
// files' `url`s as given, percent-encoded where a playlist cannot carry a byte.
// NotFound when no fragment overlaps the range; InvalidArgument when toMs <= fromMs.
inline constexpr std::int64_t kSegmentTargetMs = 6000;

base::Result<std::string> renderVodPlaylist(std::span<const RecordingFile> files, std::int64_t fromMs, std::int64_t toMs);

}  // namespace ocellus::record
