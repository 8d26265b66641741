#pragma once

// Reading a REST request's JSON body and query, for the route files of src/api: each reader
// throws ApiError 400 VALIDATION_FAILED naming the field, or 404 for an id that names nothing.

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/HttpRequest.h"
#include "store/Store.h"

namespace ocellus::api {

std::string str(const boost::json::object& o, const char* name, bool required = true);
std::vector<std::string> strings(const boost::json::object& o, const char* name);
std::optional<bool> optionalBool(const boost::json::object& o, const char* name);
// RFC 3339 "2026-01-02T03:04:05Z" / with fraction / with offset → ms since the epoch.
std::optional<store::TimeMs> parseTime(const std::string& text);
// An integer query parameter in [min, max]; `fallback` when absent.
std::int64_t intParam(const http::HttpRequest& r, std::string_view name, std::int64_t fallback, std::int64_t min,
                      std::int64_t max);
// The numeric ":id" of a row; anything else names no such row: 404 `code`.
std::int64_t idParam(const http::HttpRequest& r, const char* code, const char* noun);

}  // namespace ocellus::api
