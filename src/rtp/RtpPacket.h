#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/Result.h"

namespace ocellus::rtp {

inline constexpr std::size_t kRtpHeaderSize = 12;

// A zero-copy view of one RTP packet (RFC 3550 §5.1) over bytes it does not own, which must
// outlive it. parse() checks every length, so the accessors never read outside the packet.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
//  |                           timestamp                           |
//  |           synchronization source (SSRC) identifier            |
//  |            contributing source (CSRC) identifiers             |  CC x 32 bits
//  |   defined by profile          |           length              |  if X (§5.3.1)
//  |                        header extension                       |  length x 32 bits
//  |                      payload  ...  padding | padding count    |  if P
class RtpPacket {
 public:
  static base::Result<RtpPacket> parse(std::span<const std::uint8_t> data);

  bool marker() const { return (data_[1] & 0x80) != 0; }
  std::uint8_t payloadType() const { return data_[1] & 0x7f; }
  std::uint16_t sequence() const { return static_cast<std::uint16_t>(data_[2] << 8 | data_[3]); }
  std::uint32_t timestamp() const { return be32(4); }
  std::uint32_t ssrc() const { return be32(8); }
  std::size_t csrcCount() const { return data_[0] & 0x0f; }
  std::uint32_t csrc(std::size_t i) const { return i < csrcCount() ? be32(kRtpHeaderSize + 4 * i) : 0; }
  bool hasExtension() const { return (data_[0] & 0x10) != 0; }
  std::uint16_t extensionProfile() const { return extensionProfile_; }
  std::span<const std::uint8_t> extension() const { return extension_; }  // without its 4-byte header
  std::size_t paddingSize() const { return padding_; }
  std::span<const std::uint8_t> payload() const { return payload_; }
  std::span<const std::uint8_t> bytes() const { return data_; }

 private:
  RtpPacket() = default;
  std::uint32_t be32(std::size_t at) const {
    return std::uint32_t{data_[at]} << 24 | std::uint32_t{data_[at + 1]} << 16 |
           std::uint32_t{data_[at + 2]} << 8 | data_[at + 3];
  }

  std::span<const std::uint8_t> data_;
  std::span<const std::uint8_t> extension_;
  std::span<const std::uint8_t> payload_;
  std::uint16_t extensionProfile_ = 0;
  std::size_t padding_ = 0;
};

// Writes a 12-byte RTP header: version 2, no padding, extension or CSRC.
void writeRtpHeader(std::span<std::uint8_t, kRtpHeaderSize> out, bool marker, std::uint8_t payloadType,
                    std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc);

}  // namespace ocellus::rtp
