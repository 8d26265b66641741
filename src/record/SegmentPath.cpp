#include "record/SegmentPath.h"

#include <fmt/format.h>

#include <ctime>

namespace ocellus::record {

base::Status checkCameraId(std::string_view cameraId) {
  if (cameraId.empty() || cameraId.find_first_of("/\\") != std::string_view::npos ||
      cameraId.find("..") != std::string_view::npos) {
    return base::makeError(base::ErrorCode::InvalidArgument, fmt::format("'{}' cannot name a recording folder", cameraId));
  }
  return {};
}

base::Result<std::string> segmentPath(std::string_view cameraId, std::int64_t startMs, bool session) {
  OCELLUS_TRY(checkCameraId(cameraId));
  const std::time_t seconds = static_cast<std::time_t>(startMs >= 0 ? startMs / 1000 : (startMs - 999) / 1000);
  const std::int64_t millis = startMs - static_cast<std::int64_t>(seconds) * 1000;
  std::tm t{};
  if (!gmtime_r(&seconds, &t)) return base::makeError(base::ErrorCode::InvalidArgument, fmt::format("no date for {} ms", startMs));
  const auto stamp = fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                                 t.tm_hour, t.tm_min, t.tm_sec, millis);
  const auto folder = session ? std::string("sessions")
                              : fmt::format("{:04}-{:02}-{:02}", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
  return fmt::format("{}/{}/{}-{}.mp4", cameraId, folder, cameraId, stamp);
}

}  // namespace ocellus::record
