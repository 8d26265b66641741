#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>

namespace ocellus::codec {

// The NAL units of one access unit in canonical form (codec/Codec.h), as views into its bytes,
// which must outlive this object and its iterators. Iteration stops at the first length prefix
// that is zero or runs past the end, so every NAL unit it yields is non-empty and inside the
// unit; valid() tells whether the whole unit is well formed.
class NalUnits {
 public:
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::span<const std::uint8_t>;
    using difference_type = std::ptrdiff_t;
    using pointer = const value_type*;
    using reference = value_type;

    Iterator() = default;
    value_type operator*() const { return nal_; }
    Iterator& operator++() {
      load(rest_);
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const Iterator& other) const { return nal_.data() == other.nal_.data(); }

   private:
    friend class NalUnits;
    explicit Iterator(std::span<const std::uint8_t> unit) { load(unit); }
    void load(std::span<const std::uint8_t> rest);

    std::span<const std::uint8_t> nal_;   // empty at the end
    std::span<const std::uint8_t> rest_;  // bytes after nal_
  };

  explicit NalUnits(std::span<const std::uint8_t> unit) : unit_(unit) {}

  Iterator begin() const { return Iterator(unit_); }
  Iterator end() const { return Iterator(); }
  // True when the unit is a sequence of non-empty length-prefixed NAL units with nothing left over.
  bool valid() const;

 private:
  std::span<const std::uint8_t> unit_;
};

}  // namespace ocellus::codec
