#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/BitReader.h"

namespace ocellus::codec {

// Reads the syntax elements of a parameter set's RBSP (u(n), ue(v), se(v): H.264 §7.2).
// A read past the end yields 0 and marks the reader failed for good, so a parser can read
// a run of fields and check failed() once; values read after a failure are never used for
// anything but bounded loops and range checks. Views `rbsp`, which must outlive it.
class SyntaxReader {
 public:
  explicit SyntaxReader(std::span<const std::uint8_t> rbsp) : bits_(rbsp) {}

  std::uint32_t u(unsigned n) { return get(bits_.bits(n)); }
  bool flag() { return get(bits_.flag()); }
  std::uint32_t ue() { return get(bits_.ue()); }
  std::int32_t se() { return get(bits_.se()); }
  void skip(std::size_t n) {
    if (!failed_ && !bits_.skipBits(n)) failed_ = true;
  }
  bool failed() const { return failed_; }

 private:
  template <typename T>
  T get(const std::optional<T>& v) {
    if (failed_ || !v) {
      failed_ = true;
      return T{};
    }
    return *v;
  }

  base::BitReader bits_;
  bool failed_ = false;
};

}  // namespace ocellus::codec
