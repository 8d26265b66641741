#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace ocellus::record {

// Where a recording file lives under the recordings root, named after the wall-clock time of
// its first sample (UTC, milliseconds), so names sort by time and say what they hold:
//   continuous: <camera>/<YYYY-MM-DD>/<camera>-<YYYYMMDDTHHMMSS.mmmZ>.mp4
//   session:    <camera>/sessions/<camera>-<YYYYMMDDTHHMMSS.mmmZ>.mp4
// Camera ids are validated where cameras are configured; an empty id, '/', '\' or ".." is
// refused here too (InvalidArgument), so a path never leaves the camera's folder.
base::Result<std::string> segmentPath(std::string_view cameraId, std::int64_t startMs, bool session);

// What a recording's path names: the inverse of segmentPath(), nullopt for any other name (so a
// restart can index files a crash left unindexed, and only those).
struct SegmentName {
  std::string cameraId;
  std::int64_t startMs = 0;
  bool session = false;
};
std::optional<SegmentName> parseSegmentPath(std::string_view path);

// The same check on its own.
base::Status checkCameraId(std::string_view cameraId);

}  // namespace ocellus::record
