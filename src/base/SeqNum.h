#pragma once

#include <cstdint>

namespace ocellus::base {

// Serial-number arithmetic for wrapping 16-bit RTP sequence numbers (RFC 3550 §A.1, RFC 1982).
inline bool seqLess(std::uint16_t a, std::uint16_t b) {
  return a != b && static_cast<std::uint16_t>(b - a) < 0x8000;
}
inline std::int32_t seqDiff(std::uint16_t a, std::uint16_t b) {  // a - b, in (-32768, 32768]
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(a - b));
}

// Extends a wrapping 32-bit RTP timestamp to 64 bits, given the previous extended value.
inline std::int64_t unwrapTimestamp(std::int64_t previous, std::uint32_t ts) {
  const auto delta = static_cast<std::int32_t>(ts - static_cast<std::uint32_t>(previous));
  return previous + delta;
}

}  // namespace ocellus::base
