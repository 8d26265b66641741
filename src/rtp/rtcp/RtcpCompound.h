#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>

#include "base/Result.h"
#include "rtp/rtcp/RtcpHeader.h"

namespace ocellus::rtp::rtcp {

// A compound RTCP packet (RFC 3550 §6.1): RTCP packets stacked back to back in one datagram,
// each starting with an RtcpHeader, as a view over bytes it does not own, which must outlive it.
//
//   [SR or RR][SDES][feedback, BYE, ...]   <- one UDP datagram (after SRTCP unprotect)
//
// parse() makes the validity checks of RFC 3550 §A.2 once, so iterating never fails: every
// packet has version 2, the lengths add up to the datagram exactly, and only the last packet
// may carry padding. In Compound mode the first packet must also be an SR or an RR; in
// ReducedSize mode (RFC 5506 §3, negotiated by a=rtcp-rsize) any packet may come first, which
// is how browsers send a lone NACK or PLI. Receivers should accept both (RFC 5506 §4).
//
//   for (const RtcpHeader& packet : *compound) { switch (packet.packetType) ... }
class RtcpCompound {
 public:
  enum class Mode : std::uint8_t { Compound, ReducedSize };

  static base::Result<RtcpCompound> parse(std::span<const std::uint8_t> data, Mode mode);

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = RtcpHeader;
    using difference_type = std::ptrdiff_t;
    using pointer = const RtcpHeader*;
    using reference = const RtcpHeader&;

    Iterator() = default;
    const RtcpHeader& operator*() const { return current_; }
    const RtcpHeader* operator->() const { return &current_; }
    Iterator& operator++();
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator& other) const { return rest_.data() == other.rest_.data(); }

   private:
    friend class RtcpCompound;
    explicit Iterator(std::span<const std::uint8_t> rest);

    std::span<const std::uint8_t> rest_;  // from the current packet to the end; empty at the end
    RtcpHeader current_;
  };

  Iterator begin() const { return Iterator(data_); }
  Iterator end() const { return Iterator(data_.subspan(data_.size())); }
  std::size_t packetCount() const { return packetCount_; }
  std::span<const std::uint8_t> bytes() const { return data_; }

 private:
  RtcpCompound(std::span<const std::uint8_t> data, std::size_t packetCount)
      : data_(data), packetCount_(packetCount) {}

  std::span<const std::uint8_t> data_;
  std::size_t packetCount_ = 0;
};

}  // namespace ocellus::rtp::rtcp
