#pragma once

#include "rtp/Payloader.h"

namespace ocellus::rtp {

// AAC in RFC 3640 mode AAC-hbr (sizeLength=13, indexLength=3, indexDeltaLength=3): one raw AAC
// frame per unit, one AU header per packet. A frame above the maximum payload size is split
// into fragments (§3.2.3.1), each with the whole AU's size; the marker is set on the packet
// that completes the AU. Frames above 8191 bytes, which the 13-bit size cannot state, are
// dropped and counted.
class AacPacketizer final : public Packetizer {
 public:
  // §3.3.6: AU-headers-length (16 bits, counting AU-header bits), then per AU a 16-bit AU-header:
  // AU-size (13 bits) and AU-Index / AU-Index-delta (3 bits, always 0 here).
  static constexpr std::size_t kHeadersLengthSize = 2;
  static constexpr std::size_t kAuHeaderSize = 2;
  static constexpr unsigned kIndexBits = 3;
  static constexpr std::size_t kMaxAuSize = (1u << 13) - 1;

  explicit AacPacketizer(std::size_t maxPayloadSize);
  void packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                 std::vector<PayloadRef>& payloads) override;

 private:
  std::size_t maxPayloadSize_;
};

}  // namespace ocellus::rtp
