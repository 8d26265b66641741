#include "base/Base64.h"

#include <algorithm>
#include <array>

namespace ocellus::base {
namespace {

constexpr std::string_view kStandard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint8_t kInvalid = 0xff;
using DecodeTable = std::array<std::uint8_t, 256>;

constexpr DecodeTable makeDecodeTable(std::string_view alphabet) {
  DecodeTable table{};
  table.fill(kInvalid);
  for (std::size_t i = 0; i < alphabet.size(); ++i) table[static_cast<std::uint8_t>(alphabet[i])] = static_cast<std::uint8_t>(i);
  return table;
}
constexpr auto kStandardTable = makeDecodeTable(kStandard);
constexpr auto kUrlTable = makeDecodeTable(kUrl);

std::string encode(std::span<const std::uint8_t> data, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < data.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, data.size() - i);
    std::uint32_t group = static_cast<std::uint32_t>(data[i]) << 16;
    if (n > 1) group |= static_cast<std::uint32_t>(data[i + 1]) << 8;
    if (n > 2) group |= data[i + 2];
    for (std::size_t k = 0; k < 4; ++k) {
      if (k <= n) out += alphabet[(group >> (18 - 6 * k)) & 0x3f];
      else if (pad) out += '=';
    }
  }
  return out;
}

// Unpadded text; `canonical` also refuses non-zero unused bits in the last character.
std::optional<std::vector<std::uint8_t>> decode(std::string_view text, const DecodeTable& table, bool canonical) {
  // One leftover character holds no whole byte.
  if (text.size() % 4 == 1) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  unsigned bits = 0;
  for (char c : text) {
    const std::uint8_t v = table[static_cast<std::uint8_t>(c)];
    if (v == kInvalid) return std::nullopt;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
    }
  }
  if (canonical && bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string base64Encode(std::span<const std::uint8_t> data) { return encode(data, kStandard, true); }

std::optional<std::vector<std::uint8_t>> base64Decode(std::string_view text) {
  std::size_t padding = 0;
  while (padding < 2 && !text.empty() && text.back() == '=') {
    text.remove_suffix(1);
    ++padding;
  }
  // Padding only completes the last 4-character group.
  if (padding > 0 && (text.size() + padding) % 4 != 0) return std::nullopt;
  return decode(text, kStandardTable, false);
}

std::string base64UrlEncode(std::span<const std::uint8_t> data) { return encode(data, kUrl, false); }

std::optional<std::vector<std::uint8_t>> base64UrlDecode(std::string_view text) { return decode(text, kUrlTable, true); }

}  // namespace ocellus::base
