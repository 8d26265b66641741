#pragma once

#include <cstdint>
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

// The same check on its own.
base::Status checkCameraId(std::string_view cameraId);

}  // namespace ocellus::record
