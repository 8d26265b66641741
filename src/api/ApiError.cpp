#include "api/ApiError.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <ctime>

#include <fmt/format.h>

namespace ocellus::api {

std::string isoTimestamp(base::WallTime time) {
  const auto millis = base::wallMillis(time);
  auto seconds = static_cast<std::time_t>(millis / 1000);
  auto ms = millis % 1000;
  if (ms < 0) {
    ms += 1000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

std::string errorBody(const ApiError& error, std::string_view requestId, base::WallTime now) {
  boost::json::object inner;
  inner["code"] = error.code;
  inner["message"] = error.message;
  inner["details"] = error.details;
  inner["timestamp"] = isoTimestamp(now);
  inner["requestId"] = requestId;
  boost::json::object body;
  body["success"] = false;
  body["error"] = std::move(inner);
  return boost::json::serialize(body);
}

http::HttpResponse errorResponse(const ApiError& error, std::string_view requestId) {
  return http::HttpResponse::json(error.status, errorBody(error, requestId, base::Clock::system().wallNow()));
}

ApiError ApiError::validation(std::string field, const std::string& what) {
  auto message = field + ": " + what;
  return ApiError{400, "VALIDATION_FAILED", std::move(message), boost::json::object{{"field", std::move(field)}}};
}

ApiError ApiError::storage(const base::Error& error) {
  return ApiError{500, "INTERNAL_ERROR", "store: " + error.message, {}};
}

}  // namespace ocellus::api
