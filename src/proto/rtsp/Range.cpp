#include "proto/rtsp/Range.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "proto/rtsp/Text.h"

namespace ocellus::proto::rtsp {
namespace {

constexpr std::int64_t kMaxSeconds = 1'000'000'000;

// npt-time = npt-sec | npt-hhmmss; npt-sec = 1*DIGIT ["." *DIGIT]; npt-hhmmss = npt-hh ":" npt-mm ":" npt-ss
// ["." *DIGIT]
std::optional<std::chrono::milliseconds> parseNptTime(std::string_view s) {
  const auto dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::int64_t ms = 0;
  if (dot != std::string_view::npos) {
    const std::string_view fraction = s.substr(dot + 1);
    if (!std::ranges::all_of(fraction, [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    std::int64_t scale = 100;
    for (std::size_t i = 0; i < fraction.size() && i < 3; ++i, scale /= 10) ms += (fraction[i] - '0') * scale;
  }
  // At most three fields (h:m:s) and under 10^9 seconds (31 years), so nothing overflows and
  // toString() writes what parses again.
  std::int64_t seconds = 0;
  int fields = 0;
  while (true) {
    const auto colon = whole.find(':');
    const auto field = whole.substr(0, colon);
    const auto v = field.size() <= 9 ? parseUnsigned<std::uint32_t>(field) : std::nullopt;
    if (!v || ++fields > 3) return std::nullopt;
    seconds = seconds * 60 + *v;
    if (seconds >= kMaxSeconds) return std::nullopt;
    if (colon == std::string_view::npos) break;
    whole.remove_prefix(colon + 1);
  }
  return std::chrono::milliseconds(seconds * 1000 + ms);
}

std::string formatNptTime(std::chrono::milliseconds t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(t.count() / 1000),
                static_cast<long long>(t.count() % 1000));
  return buf;
}

}  // namespace

base::Result<Range> Range::parse(std::string_view value) {
  value = trim(value.substr(0, value.find(';')));
  const auto eq = value.find('=');
  if (eq == std::string_view::npos) return base::makeError(base::ErrorCode::Malformed, "Range: no unit");
  if (!iequals(trim(value.substr(0, eq)), "npt")) {
    return base::makeError(base::ErrorCode::Unsupported, "Range: only npt is supported");
  }
  const std::string_view spec = trim(value.substr(eq + 1));
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return base::makeError(base::ErrorCode::Malformed, "Range: no '-'");
  const std::string_view first = trim(spec.substr(0, dash));
  const std::string_view second = trim(spec.substr(dash + 1));
  Range r;
  if (first.empty()) {
    if (second.empty()) return base::makeError(base::ErrorCode::Malformed, "Range: empty");
    r.start = std::chrono::milliseconds(0);
  } else if (!iequals(first, "now")) {
    r.start = parseNptTime(first);
    if (!r.start) return base::makeError(base::ErrorCode::Malformed, "Range: bad start");
  }
  if (!second.empty()) {
    r.end = parseNptTime(second);
    if (!r.end) return base::makeError(base::ErrorCode::Malformed, "Range: bad end");
  }
  return r;
}

std::string Range::toString() const {
  std::string s = "npt=" + (start ? formatNptTime(*start) : std::string("now")) + "-";
  if (end) s += formatNptTime(*end);
  return s;
}

}  // namespace ocellus::proto::rtsp
