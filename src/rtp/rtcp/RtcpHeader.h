#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ocellus::rtp::rtcp {

// The header every RTCP packet starts with (RFC 3550 §6.4.1), as a view over bytes it does not
// own, which must outlive it:
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|  count  |      PT       |             length            |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                      payload ...      padding | padding count |  if P
//
// "count" is RC, SC or, in feedback messages (RFC 4585 §6.1), FMT. "length" is the packet's
// size in 32-bit words minus one, header and padding included. The last octet of padding
// counts the padding octets, itself included.
struct RtcpHeader {
  static constexpr std::size_t kSize = 4;
  static constexpr std::uint8_t kVersion = 2;
  static constexpr std::uint8_t kMaxCount = 31;  // 5 bits
  // The length field counts at most 0xffff words after the first.
  static constexpr std::size_t kMaxPacketSize = (std::size_t{0xffff} + 1) * 4;
  static constexpr std::size_t kMaxPayloadSize = kMaxPacketSize - kSize;

  bool padding = false;
  std::uint8_t count = 0;
  std::uint8_t packetType = 0;
  std::span<const std::uint8_t> packet;   // the whole packet: header, payload and padding
  std::span<const std::uint8_t> payload;  // after the header, without the padding

  // Reads the first packet of data (a compound packet may follow it): version 2, a length that
  // lies inside data, and padding that fits the payload. nullopt otherwise.
  static std::optional<RtcpHeader> parse(std::span<const std::uint8_t> data);

  // Appends a header without padding for a payload of payloadSize bytes, which must be a
  // multiple of 4 and at most kMaxPayloadSize; count keeps to its 5 bits.
  static void write(std::vector<std::uint8_t>& out, std::uint8_t count, std::uint8_t packetType,
                    std::size_t payloadSize);
};

}  // namespace ocellus::rtp::rtcp
