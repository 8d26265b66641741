#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "api/http/HttpResponse.h"
#include "base/Clock.h"
#include "base/Result.h"

namespace ocellus::api {

// An error as the REST API reports it (API-CONTRACT §2): an HTTP status, a stable code
// ("CAMERA_NOT_FOUND"), a message for people, and optional details. Control-plane handlers may
// throw one; the HTTP server catches it at its one boundary and answers with errorResponse().
struct ApiError {
  int status = 500;
  std::string code;
  std::string message;
  boost::json::object details;

  // 400 VALIDATION_FAILED naming the request field at fault: "<field>: <what>", details.field.
  static ApiError validation(std::string field, const std::string& what);
  // 500 INTERNAL_ERROR for a store failure the caller did not expect.
  static ApiError storage(const base::Error& error);
};

// {"success": false, "error": {"code", "message", "details", "timestamp", "requestId"}} with
// the error's status and Content-Type application/json.
http::HttpResponse errorResponse(const ApiError& error, std::string_view requestId);
// The body alone, stamped with `now`.
std::string errorBody(const ApiError& error, std::string_view requestId, base::WallTime now);

// ISO-8601 UTC with milliseconds: "2025-11-22T07:19:00.123Z".
std::string isoTimestamp(base::WallTime time);

}  // namespace ocellus::api
