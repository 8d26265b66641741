#include "api/StreamMetadata.h"

#include <boost/json/object.hpp>

#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace ocellus::api {

namespace {

std::string isoMicros(std::uint64_t micros) {
  const auto seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, micros % 1'000'000);
}

}  // namespace

boost::json::value streamMetadataJson(const media::Stream* stream) {
  const auto uas = stream ? stream->uasMetadata() : std::nullopt;
  if (!uas) return nullptr;
  boost::json::object klv;
  if (uas->precisionTimeStamp) {
    klv["precision_time_stamp_us"] = *uas->precisionTimeStamp;
    klv["precision_time_stamp"] = isoMicros(*uas->precisionTimeStamp);
  }
  if (uas->missionId) klv["mission_id"] = *uas->missionId;
  if (uas->version) klv["version"] = *uas->version;
  const std::pair<const char*, const std::optional<double>*> numbers[] = {
      {"platform_heading", &uas->platformHeading},
      {"platform_pitch", &uas->platformPitch},
      {"platform_roll", &uas->platformRoll},
      {"sensor_latitude", &uas->sensorLatitude},
      {"sensor_longitude", &uas->sensorLongitude},
      {"sensor_true_altitude", &uas->sensorTrueAltitude},
      {"sensor_hfov", &uas->sensorHfov},
      {"sensor_vfov", &uas->sensorVfov},
      {"sensor_relative_azimuth", &uas->sensorRelativeAzimuth},
      {"sensor_relative_elevation", &uas->sensorRelativeElevation},
      {"sensor_relative_roll", &uas->sensorRelativeRoll},
      {"slant_range", &uas->slantRange},
      {"frame_center_latitude", &uas->frameCenterLatitude},
      {"frame_center_longitude", &uas->frameCenterLongitude},
      {"frame_center_elevation", &uas->frameCenterElevation},
  };
  for (const auto& [name, value] : numbers) {
    if (*value && std::isfinite(**value)) klv[name] = **value;
  }
  return boost::json::object{{"klv", std::move(klv)}};
}

}  // namespace ocellus::api
