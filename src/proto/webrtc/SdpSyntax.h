#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/Text.h"

namespace ocellus::proto::webrtc {

// Character classes of the SDP grammars the WebRTC pieces read and write. Everything the
// negotiator copies from an offer into an answer passes one of these checks, so a value can
// never smuggle a line break or a separator into our SDP.

// RFC 8866 §9 token-char: %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E.
inline bool isTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x27) || u == 0x2A || u == 0x2B || u == 0x2D || u == 0x2E ||
         (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5A) || (u >= 0x5E && u <= 0x7E);
}

inline bool isToken(std::string_view s, std::size_t maxSize = 256) {
  return !s.empty() && s.size() <= maxSize && std::ranges::all_of(s, isTokenChar);
}

// m= proto: tokens joined by '/' ("UDP/TLS/RTP/SAVPF", RFC 8866 §5.14).
inline bool isProto(std::string_view s) {
  if (s.empty()) return false;
  while (true) {
    const auto slash = s.find('/');
    if (!isToken(s.substr(0, slash), 64)) return false;
    if (slash == std::string_view::npos) return true;
    s.remove_prefix(slash + 1);
  }
}

// The value of a hex digit of either case, -1 for anything else.
inline int hexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 8839 §5.1 ice-char = ALPHA / DIGIT / "+" / "/", in a length range (§5.4: ufrag 4-256,
// pwd 22-256; §5.1: foundation 1-32).
inline bool isIceChars(std::string_view s, std::size_t minSize, std::size_t maxSize) {
  return s.size() >= minSize && s.size() <= maxSize && std::ranges::all_of(s, [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/';
         });
}

// RFC 5234 VCHAR (%x21-7E): printable, no space, no control character.
inline bool isVisible(std::string_view s) {
  return std::ranges::all_of(s, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x21 && u <= 0x7E;
  });
}

using base::iequals;

inline std::string toLower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Fields separated by runs of spaces or tabs.
inline std::vector<std::string_view> splitFields(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto start = s.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    s.remove_prefix(start);
    const auto end = s.find_first_of(" \t");
    out.push_back(s.substr(0, end));
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  }
  return out;
}

}  // namespace ocellus::proto::webrtc
