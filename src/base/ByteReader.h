#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ocellus::base {

// Bounds-checked big-endian reader over a span it does not own; the span must outlive it.
// Every read checks the remaining length first; a failed read returns nullopt/false and
// leaves the position unchanged, so a parser never reads past its input.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}

  std::size_t remaining() const { return data_.size() - pos_; }
  std::size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }

  std::optional<std::uint8_t> u8();
  std::optional<std::uint16_t> u16();
  std::optional<std::uint32_t> u24();
  std::optional<std::uint32_t> u32();
  std::optional<std::uint64_t> u64();
  // The next n bytes as a view into the input.
  std::optional<std::span<const std::uint8_t>> bytes(std::size_t n);
  // Everything not read yet.
  std::span<const std::uint8_t> rest();
  bool skip(std::size_t n);
  std::optional<std::uint8_t> peek() const;

 private:
  std::optional<std::uint64_t> readBe(std::size_t n);

  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
};

inline std::span<const std::uint8_t> asBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view asChars(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace ocellus::base
