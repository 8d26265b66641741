#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/Text.h"

namespace ocellus::proto::rtsp {

// Small text helpers shared by the RTSP header parsers.

using base::iequals;

// Without leading and trailing spaces and tabs (HTTP "OWS").
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An unsigned number written with digits only (no sign, no spaces); nullopt if not one or out of range.
template <typename T>
std::optional<T> parseUnsigned(std::string_view s, int base = 10) {
  static_assert(std::is_unsigned_v<T>, "from_chars takes a '-' for signed types");
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Splits at `sep` outside double quotes, trimming each item and dropping empty ones:
// "OPTIONS, DESCRIBE" (Public), transport alternatives, RTP-Info entries.
inline std::vector<std::string_view> splitList(std::string_view s, char sep = ',') {
  std::vector<std::string_view> out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] == '"') quoted = !quoted;
    if (i == s.size() || (s[i] == sep && !quoted)) {
      const auto item = trim(s.substr(start, i - start));
      if (!item.empty()) out.push_back(item);
      start = i + 1;
    }
  }
  return out;
}

// Lower-case hex, as Digest writes hashes (RFC 7616 §3.4.1) and as nonces are spelled here.
using base::toHex;

// Appends text that goes on one line of a message: CR, LF and NUL become spaces.
inline void appendFieldText(std::string& out, std::string_view text) {
  static constexpr std::string_view kBreaks("\r\n\0", 3);
  for (auto bad = text.find_first_of(kBreaks); bad != std::string_view::npos;
       bad = text.find_first_of(kBreaks)) {
    out += text.substr(0, bad);
    out += ' ';
    text.remove_prefix(bad + 1);
  }
  out += text;
}

}  // namespace ocellus::proto::rtsp
