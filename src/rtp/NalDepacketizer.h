#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "rtp/UnitDepacketizer.h"

namespace ocellus::rtp {

// The NAL unit payload formats H.264 (RFC 6184) and H.265 (RFC 7798) in non-interleaved mode
// share: single NAL unit packets, aggregation packets and fragmentation units, reassembled
// into length-prefixed NAL units (UnitDepacketizer does the rest). Subclasses parse their
// format's payload headers and feed the NAL units through the helpers below.
class NalDepacketizer : public UnitDepacketizer {
 protected:
  enum class NalKind : std::uint8_t {
    Keep,
    Discard,  // carries nothing for decoders (access unit delimiter, filler data)
    Invalid,  // a packet type or a reserved type: cannot be a NAL unit inside a payload
  };

  explicit NalDepacketizer(std::size_t nalHeaderSize) : nalHeaderSize_(nalHeaderSize) {}

  // What to do with a NAL unit, judged from its header (nalHeaderSize bytes).
  virtual NalKind classify(std::span<const std::uint8_t> header) const = 0;

  // The helpers return false when what they are given cannot be part of a valid unit.
  // A whole NAL unit (single NAL unit packet).
  bool addNal(std::span<const std::uint8_t> nal);
  // The body of an aggregation packet: NALU size (16 bits) and NAL unit, repeated to the end.
  bool addAggregate(std::span<const std::uint8_t> body);
  // One fragmentation unit: `header` is the NAL unit header rebuilt from the payload and FU
  // headers, `data` the fragment's piece of the NAL unit after it.
  bool addFragment(std::span<const std::uint8_t> header, std::span<const std::uint8_t> data, bool start,
                   bool end);

 private:
  bool incomplete() const final { return nalOpen_; }
  void reset() final { nalOpen_ = false; }
  bool beginNal(std::span<const std::uint8_t> header);
  void endNal();

  std::size_t nalHeaderSize_;
  std::size_t nalStart_ = 0;  // offset in unit() of the length prefix of the open NAL unit
  bool nalOpen_ = false;      // a NAL unit has begun and not ended (a fragmented one, between packets)
};

}  // namespace ocellus::rtp
