#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "base/Result.h"
#include "record/RecordingFile.h"

namespace ocellus::record {

// The length a VOD media segment grows to before the next independent fragment starts another
// (Apple's HLS authoring guidance suggests 6 s).
inline constexpr std::int64_t kSegmentTargetMs = 6000;

// The HLS VOD media playlist of the recordings overlapping [fromMs, toMs) (wall clock, ms since
// the epoch; RFC 8216bis §4.4), serving the files as they are on disk by byte ranges (no remux):
// per file an EXT-X-MAP of its init segment (BYTERANGE initSize@0) and EXT-X-PROGRAM-DATE-TIME
// at its first listed segment, EXT-X-DISCONTINUITY between files. A media segment is a run of
// whole fragments starting at an independent one; the next independent fragment starts a new
// segment once the run has kSegmentTargetMs, so segments are cut at keyframes only, and
// EXT-X-INDEPENDENT-SEGMENTS is written when every listed one starts with one. Segments that
// overlap the range are listed whole. URIs are the files' `url`s as given, percent-encoded
// where a playlist cannot carry a byte.
// NotFound when no fragment overlaps the range; InvalidArgument when toMs <= fromMs.
base::Result<std::string> renderVodPlaylist(std::span<const RecordingFile> files, std::int64_t fromMs, std::int64_t toMs);

}  // namespace ocellus::record
