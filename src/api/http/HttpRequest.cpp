#include "api/http/HttpRequest.h"

namespace ocellus::api::http {

std::optional<std::string_view> HttpRequest::queryParam(std::string_view name) const {
  for (const auto& [n, v] : queryParams) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view HttpRequest::param(std::string_view name) const {
  const auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace ocellus::api::http
