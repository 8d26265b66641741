#include "format/mpegts/Crc32.h"

#include <array>

namespace ocellus::format::mpegts {
namespace {

constexpr std::uint32_t kPolynomial = 0x04c11db7;

constexpr std::array<std::uint32_t, 256> makeTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i << 24;
    for (int bit = 0; bit < 8; ++bit) c = (c & 0x80000000u) ? (c << 1) ^ kPolynomial : c << 1;
    table[i] = c;
  }
  return table;
}

constexpr auto kTable = makeTable();

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> data) {
  std::uint32_t crc = 0xffffffffu;
  for (auto b : data) crc = (crc << 8) ^ kTable[((crc >> 24) ^ b) & 0xff];
  return crc;
}

}  // namespace ocellus::format::mpegts
