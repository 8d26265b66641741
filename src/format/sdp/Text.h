#pragma once

#include <charconv>
#include <optional>
#include <string_view>
#include <type_traits>

namespace ocellus::format::sdp {

// Small text helpers shared by the SDP parsers.

// Without leading and trailing spaces and tabs.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A decimal number written with digits only; nullopt if not one or out of range.
template <typename T>
std::optional<T> parseNumber(std::string_view s) {
  static_assert(std::is_unsigned_v<T>, "from_chars takes a '-' for signed types");
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace ocellus::format::sdp
