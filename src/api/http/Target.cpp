#include "api/http/Target.h"

#include <algorithm>

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
  if (!appendPercentDecoded(out, text, plusIsSpace)) return std::nullopt;
  return out;
}

bool appendPercentDecoded(std::string& out, std::string_view text, bool plusIsSpace) {
  constexpr auto npos = std::string_view::npos;
  if (text.find('\0') != npos) return false;
  // The next '%' and (in a query) '+' at or after i, each found by memchr, once: the runs
  // between them decode to themselves and are copied whole.
  std::size_t escape = text.find('%');
  std::size_t plus = plusIsSpace ? text.find('+') : npos;
  std::size_t i = 0;
  while (true) {
    const std::size_t end = std::min({escape, plus, text.size()});
    out.append(text.substr(i, end - i));
    if (end == text.size()) return true;
    if (end == plus) {
      out.push_back(' ');
      i = end + 1;
      plus = text.find('+', i);
      continue;
    }
    if (end + 2 >= text.size()) return false;
    const int hi = hexValue(text[end + 1]);
    const int lo = hexValue(text[end + 2]);
    if (hi < 0 || lo < 0) return false;
    const char decoded = static_cast<char>(hi * 16 + lo);
    if (decoded == '\0') return false;
    out.push_back(decoded);
    i = end + 3;
    escape = text.find('%', i);
  }
}

std::vector<std::string_view> splitPath(std::string_view rawPath) {
  std::vector<std::string_view> segments;
  forEachSegment(rawPath, [&](std::string_view segment) { segments.push_back(segment); });
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
  if (const auto scheme = rest.front() == '/' ? std::string_view::npos : rest.find("://");
      scheme != std::string_view::npos) {
    const auto pathStart = rest.find_first_of("/?", scheme + 3);
    rest = pathStart == std::string_view::npos ? std::string_view("/") : rest.substr(pathStart);
    if (rest.front() == '?') return malformed(target, "absolute-form without a path");
  }
  if (rest.front() != '/') return malformed(target, "the path must start with '/'");
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto question = rest.find('?');
  const std::string_view rawPath = rest.substr(0, question);
  t.path.reserve(rawPath.size());
  if (!appendPercentDecoded(t.path, rawPath)) return malformed(target, "bad %-escape in the path");
  t.rawPath = std::string(rawPath);
  if (question != std::string_view::npos) {
    std::string_view query = rest.substr(question + 1);
    std::size_t pairs = 1;
    for (auto amp = query.find('&'); amp != std::string_view::npos; amp = query.find('&', amp + 1)) ++pairs;
    t.query.reserve(pairs);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (pair.empty()) continue;
      const auto eq = pair.find('=');
      auto& [name, value] = t.query.emplace_back();
      if (!appendPercentDecoded(name, pair.substr(0, eq), true) ||
          !appendPercentDecoded(
              value, eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true)) {
        return malformed(target, "bad %-escape in the query");
      }
    }
  }
  return t;
}

}  // namespace ocellus::api::http
