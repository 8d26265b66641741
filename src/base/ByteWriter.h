#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ocellus::base {

// Big-endian writer appending to a vector it does not own; the vector must outlive it.
class ByteWriter {
 public:
  explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}

  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { be(v, 2); }
  void u24(std::uint32_t v) { be(v, 3); }
  void u32(std::uint32_t v) { be(v, 4); }
  void u64(std::uint64_t v) { be(v, 8); }
  void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void text(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  std::size_t size() const { return out_.size(); }
  // Overwrites a big-endian value already written at offset (for length fields).
  void patchU16(std::size_t offset, std::uint16_t v) {
    out_[offset] = static_cast<std::uint8_t>(v >> 8);
    out_[offset + 1] = static_cast<std::uint8_t>(v);
  }
  void patchU32(std::size_t offset, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_[offset + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
  }

 private:
  void be(std::uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  std::vector<std::uint8_t>& out_;
};

}  // namespace ocellus::base
