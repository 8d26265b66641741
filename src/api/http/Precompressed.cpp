#include "api/http/Precompressed.h"

#include <algorithm>
#include <string>

namespace ocellus::api::http {

namespace {

constexpr std::string_view kGzipSuffix = ".gz";

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A qvalue (RFC 9110 §12.4.2) is "0", "0.xyz", "1" or "1.000": above zero when any digit is.
// An element without a weight has weight 1.
bool weightAboveZero(std::string_view parameters) {
  std::size_t at = 0;
  while (at <= parameters.size()) {
    const auto end = std::min(parameters.find(';', at), parameters.size());
    const auto parameter = trimmed(parameters.substr(at, end - at));
    if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
      const auto value = parameter.substr(2);
      return std::any_of(value.begin(), value.end(), [](char c) { return c >= '1' && c <= '9'; });
    }
    at = end + 1;
  }
  return true;
}

}  // namespace

bool acceptsEncoding(std::optional<std::string_view> acceptEncoding, std::string_view coding) {
  if (!acceptEncoding) return false;
  std::optional<bool> any;  // what "*" says, when it is listed
  std::size_t at = 0;
  const auto list = *acceptEncoding;
  while (at <= list.size()) {
    const auto end = std::min(list.find(',', at), list.size());
    const auto element = list.substr(at, end - at);
    const auto semicolon = std::min(element.find(';'), element.size());
    const auto name = trimmed(element.substr(0, semicolon));
    const auto parameters = element.substr(std::min(semicolon + 1, element.size()));
    if (HeaderMap::equalsIgnoreCase(name, coding) ||
        (HeaderMap::equalsIgnoreCase(coding, "gzip") && HeaderMap::equalsIgnoreCase(name, "x-gzip"))) {
      return weightAboveZero(parameters);
    }
    if (name == "*") any = weightAboveZero(parameters);
    at = end + 1;
  }
  return any.value_or(false);
}

std::optional<HttpResponse> precompressedFile(std::span<const embedded::EmbeddedFile> files, std::string_view name,
                                              std::optional<std::string_view> acceptEncoding,
                                              std::string_view cacheControl) {
  if (name.ends_with(kGzipSuffix)) return std::nullopt;
  const auto* file = embedded::find(files, name);
  if (!file) return std::nullopt;
  const embedded::EmbeddedFile* gzip = nullptr;
  if (acceptsEncoding(acceptEncoding, "gzip")) gzip = embedded::find(files, std::string(name) + std::string(kGzipSuffix));
  auto response = HttpResponse::text(200, std::string(gzip ? gzip->data : file->data), std::string(contentTypeFor(name)));
  if (gzip) response.setHeader("Content-Encoding", "gzip");
  response.setHeader("Vary", "Accept-Encoding");
  response.setHeader("Cache-Control", std::string(cacheControl));
  return response;
}

}  // namespace ocellus::api::http
