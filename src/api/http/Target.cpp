#include "api/http/Target.h"

namespace ocellus::api::http {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

base::Error malformed(std::string_view target, std::string_view why) {
  return base::makeError(
      base::ErrorCode::Malformed,
      "bad request target '" + std::string(target.substr(0, 200)) + "': " + std::string(why));
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text, bool plusIsSpace) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hexValue(text[i + 1]);
      const int lo = hexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      const char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return std::nullopt;
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plusIsSpace) {
      out.push_back(' ');
    } else if (c == '\0') {
      return std::nullopt;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string_view> splitPath(std::string_view rawPath) {
  std::vector<std::string_view> segments;
  std::size_t pos = 0;
  while (pos <= rawPath.size()) {
    const std::size_t slash = rawPath.find('/', pos);
    const std::size_t end = slash == std::string_view::npos ? rawPath.size() : slash;
    if (end > pos) segments.push_back(rawPath.substr(pos, end - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return segments;
}

base::Result<Target> Target::parse(std::string_view target) {
  if (target.empty()) return malformed(target, "empty");
  Target t;
  if (target == "*") {
    t.rawPath = t.path = "*";
    return t;
  }
  std::string_view rest = target;
  // absolute-form: scheme "://" authority path-abempty [ "?" query ]
  if (const auto scheme = rest.find("://"); scheme != std::string_view::npos && rest.front() != '/') {
    const auto pathStart = rest.find_first_of("/?", scheme + 3);
    rest = pathStart == std::string_view::npos ? std::string_view("/") : rest.substr(pathStart);
    if (rest.front() == '?') return malformed(target, "absolute-form without a path");
  }
  if (rest.front() != '/') return malformed(target, "the path must start with '/'");
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto question = rest.find('?');
  const std::string_view rawPath = rest.substr(0, question);
  auto path = percentDecode(rawPath);
  if (!path) return malformed(target, "bad %-escape in the path");
  t.rawPath = std::string(rawPath);
  t.path = std::move(*path);
  if (question != std::string_view::npos) {
    std::string_view query = rest.substr(question + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (pair.empty()) continue;
      const auto eq = pair.find('=');
      auto name = percentDecode(pair.substr(0, eq), true);
      auto value =
          percentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
      if (!name || !value) return malformed(target, "bad %-escape in the query");
      t.query.emplace_back(std::move(*name), std::move(*value));
    }
  }
  return t;
}

}  // namespace ocellus::api::http
