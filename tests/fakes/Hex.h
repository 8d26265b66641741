#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace ocellus::test {

// Bytes from hex digits as RFCs print them ("E1F9 7A0D", "e1f97a0d"): anything that is not a
// hex digit (spaces, line breaks) is skipped.
inline std::vector<std::uint8_t> hex(std::string_view text) {
  std::vector<std::uint8_t> out;
  int high = -1;
  for (const char c : text) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

}  // namespace ocellus::test
