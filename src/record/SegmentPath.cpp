#include "record/SegmentPath.h"

#include <fmt/format.h>

#include <cstdio>
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

std::optional<SegmentName> parseSegmentPath(std::string_view path) {
  // <camera>/<YYYY-MM-DD | sessions>/<camera>-<YYYYMMDDTHHMMSS.mmmZ>.mp4
  const auto first = path.find('/');
  const auto last = path.rfind('/');
  if (first == std::string_view::npos || first == last || path.find('/', first + 1) != last) return std::nullopt;
  SegmentName out;
  out.cameraId = std::string(path.substr(0, first));
  out.session = path.substr(first + 1, last - first - 1) == "sessions";
  const auto file = path.substr(last + 1);
  constexpr std::string_view kStamp = "YYYYMMDDTHHMMSS.mmmZ.mp4";
  if (!checkCameraId(out.cameraId) || file.size() != out.cameraId.size() + 1 + kStamp.size() ||
      !file.starts_with(out.cameraId + "-")) {
    return std::nullopt;
  }
  const std::string stamp(file.substr(out.cameraId.size() + 1));
  std::tm t{};
  int millis = 0;
  char z = 0;
  if (std::sscanf(stamp.c_str(), "%4d%2d%2dT%2d%2d%2d.%3d%c", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour, &t.tm_min,
                  &t.tm_sec, &millis, &z) != 8 ||
      z != 'Z' || !stamp.ends_with("Z.mp4")) {
    return std::nullopt;
  }
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  out.startMs = static_cast<std::int64_t>(timegm(&t)) * 1000 + millis;
  // The name must be exactly what segmentPath() makes of it (no "2024-13-45" that timegm folds).
  auto again = segmentPath(out.cameraId, out.startMs, out.session);
  if (!again || *again != path) return std::nullopt;
  return out;
}

}  // namespace ocellus::record
