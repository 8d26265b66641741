#include "api/http/ByteRange.h"

#include <charconv>
#include <optional>

#include "api/http/HeaderMap.h"

namespace ocellus::api::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

ByteRange ByteRange::parse(std::string_view header, std::uint64_t size) {
  static constexpr std::string_view kUnit = "bytes=";
  ByteRange whole;
  header = trim(header);
  if (header.size() <= kUnit.size() || !HeaderMap::equalsIgnoreCase(header.substr(0, kUnit.size()), kUnit))
    return whole;
  const std::string_view spec = trim(header.substr(kUnit.size()));
  if (spec.find(',') != std::string_view::npos) return whole;
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view a = trim(spec.substr(0, dash));
  const std::string_view b = trim(spec.substr(dash + 1));
  ByteRange r;
  if (a.empty()) {  // suffix-range: the last n bytes
    const auto n = number(b);
    if (!n) return whole;
    if (*n == 0 || size == 0) return ByteRange{Kind::Unsatisfiable, 0, 0};
    r.kind = Kind::Partial;
    r.first = *n >= size ? 0 : size - *n;
    r.last = size - 1;
    return r;
  }
  const auto first = number(a);
  if (!first) return whole;
  std::optional<std::uint64_t> last;
  if (!b.empty()) {
    last = number(b);
    if (!last || *last < *first) return whole;  // invalid range-spec: ignored (§14.1.1)
  }
  if (*first >= size) return ByteRange{Kind::Unsatisfiable, 0, 0};
  r.kind = Kind::Partial;
  r.first = *first;
  r.last = last && *last < size ? *last : size - 1;
  return r;
}

}  // namespace ocellus::api::http
