#include "base/BitReader.h"

namespace ocellus::base {

std::optional<std::uint32_t> BitReader::bits(unsigned n) {
  if (n > 32 || bitsLeft() < n) return std::nullopt;
  std::uint32_t v = 0;
  for (unsigned i = 0; i < n; ++i) {
    const std::uint8_t byte = data_[bitPos_ >> 3];
    v = (v << 1) | ((byte >> (7 - (bitPos_ & 7))) & 1u);
    ++bitPos_;
  }
  return v;
}

std::optional<bool> BitReader::flag() {
  auto b = bits(1);
  if (!b) return std::nullopt;
  return *b != 0;
}

std::optional<std::uint32_t> BitReader::ue() {
  unsigned zeros = 0;
  for (;;) {
    auto b = bits(1);
    if (!b) return std::nullopt;
    if (*b) break;
    if (++zeros > 31) return std::nullopt;
  }
  if (zeros == 0) return 0u;
  auto tail = bits(zeros);
  if (!tail) return std::nullopt;
  return static_cast<std::uint32_t>((1ull << zeros) - 1 + *tail);
}

std::optional<std::int32_t> BitReader::se() {
  auto k = ue();
  if (!k) return std::nullopt;
  const std::int64_t v = (*k & 1) ? (static_cast<std::int64_t>(*k) + 1) / 2 : -static_cast<std::int64_t>(*k / 2);
  return static_cast<std::int32_t>(v);
}

bool BitReader::skipBits(std::size_t n) {
  if (bitsLeft() < n) return false;
  bitPos_ += n;
  return true;
}

}  // namespace ocellus::base
