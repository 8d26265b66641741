#include "api/RequestFields.h"

#include <cctype>
#include <cstdio>
#include <ctime>

#include "api/ApiError.h"

namespace ocellus::api {

namespace json = boost::json;
using http::HttpRequest;

std::string str(const json::object& o, const char* name, bool required) {
  const auto* v = o.if_contains(name);
  if (!v || v->is_null()) {
    if (required) throw ApiError::validation(name, "is required");
    return {};
  }
  if (!v->is_string()) throw ApiError::validation(name, "must be a string");
  return std::string(v->as_string());
}

std::vector<std::string> strings(const json::object& o, const char* name) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(name);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) throw ApiError::validation(name, "must be a list of strings");
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) throw ApiError::validation(name, "must be a list of strings");
    out.emplace_back(item.as_string());
  }
  return out;
}

std::optional<store::TimeMs> parseTime(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) return std::nullopt;
  std::int64_t ms = 0;
  if (*end == '.') {
    int digits = 0;
    ++end;
    while (std::isdigit(static_cast<unsigned char>(*end))) {
      if (digits < 3) ms = ms * 10 + (*end - '0');
      ++digits;
      ++end;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) ms *= 10;
  }
  std::int64_t offset = 0;
  if (*end == 'Z' || *end == 'z') {
    ++end;
  } else if (*end == '+' || *end == '-') {
    int hh = 0, mm = 0;
    if (std::sscanf(end + 1, "%2d:%2d", &hh, &mm) != 2) return std::nullopt;
    offset = (hh * 60 + mm) * 60 * (*end == '+' ? 1 : -1);
    end += 6;
  } else {
    return std::nullopt;
  }
  if (*end) return std::nullopt;
  return (static_cast<std::int64_t>(timegm(&tm)) - offset) * 1000 + ms;
}

std::int64_t intParam(const HttpRequest& r, std::string_view name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
  auto v = r.queryParam(name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    const auto n = std::stoll(std::string(*v), &used);
    if (used == v->size() && n >= min && n <= max) return n;
  } catch (const std::exception&) {
  }
  throw ApiError::validation(std::string(name), "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
}

std::int64_t idParam(const HttpRequest& r, const char* code, const char* noun) {
  const std::string text(r.param("id"));
  try {
    std::size_t used = 0;
    const auto n = std::stoll(text, &used);
    if (used == text.size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  throw ApiError{404, code, std::string("no ") + noun + " '" + text + "'", {}};
}

std::optional<bool> optionalBool(const json::object& o, const char* name) {
  const auto* v = o.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_bool()) throw ApiError::validation(name, "must be true or false");
  return v->as_bool();
}

}  // namespace ocellus::api
