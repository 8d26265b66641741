#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace ocellus::base {

// Bounds-checked MSB-first bit reader with Exp-Golomb codes (H.264 §9.1), over a span it
// does not own. Reads past the end return nullopt; the reader then stays failed.
class BitReader {
 public:
  explicit BitReader(std::span<const std::uint8_t> data) : data_(data) {}

  std::optional<std::uint32_t> bits(unsigned n);  // n <= 32
  std::optional<bool> flag();
  std::optional<std::uint32_t> ue();  // unsigned Exp-Golomb, up to 32 bits of prefix
  std::optional<std::int32_t> se();   // signed Exp-Golomb
  bool skipBits(std::size_t n);
  std::size_t bitsLeft() const { return data_.size() * 8 - bitPos_; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t bitPos_ = 0;
};

}  // namespace ocellus::base
