#include "base/ByteReader.h"

namespace ocellus::base {

std::optional<std::uint64_t> ByteReader::readBe(std::size_t n) {
  if (remaining() < n) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | data_[pos_ + i];
  pos_ += n;
  return v;
}

std::optional<std::uint8_t> ByteReader::u8() {
  auto v = readBe(1);
  if (!v) return std::nullopt;
  return static_cast<std::uint8_t>(*v);
}
std::optional<std::uint16_t> ByteReader::u16() {
  auto v = readBe(2);
  if (!v) return std::nullopt;
  return static_cast<std::uint16_t>(*v);
}
std::optional<std::uint32_t> ByteReader::u24() {
  auto v = readBe(3);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}
std::optional<std::uint32_t> ByteReader::u32() {
  auto v = readBe(4);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}
std::optional<std::uint64_t> ByteReader::u64() { return readBe(8); }

std::optional<std::span<const std::uint8_t>> ByteReader::bytes(std::size_t n) {
  if (remaining() < n) return std::nullopt;
  auto out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

std::span<const std::uint8_t> ByteReader::rest() {
  auto out = data_.subspan(pos_);
  pos_ = data_.size();
  return out;
}

bool ByteReader::skip(std::size_t n) {
  if (remaining() < n) return false;
  pos_ += n;
  return true;
}

std::optional<std::uint8_t> ByteReader::peek() const {
  if (empty()) return std::nullopt;
  return data_[pos_];
}

}  // namespace ocellus::base
