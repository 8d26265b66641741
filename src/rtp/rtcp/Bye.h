#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ocellus::rtp::rtcp {

// RTCP Goodbye (RFC 3550 §6.6): the listed sources are leaving, optionally saying why.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|    SC   |   PT=BYE=203  |             length            |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                           SSRC/CSRC                           |  SC x 4 bytes
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |     length    |               reason for leaving            ...  optional, padded
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+     with nulls
struct Bye {
  static constexpr std::uint8_t kPacketType = 203;
  static constexpr std::size_t kMaxSources = 31;        // SC has 5 bits
  static constexpr std::size_t kMaxReasonLength = 255;  // an 8-bit length

  std::vector<std::uint32_t> sources;
  std::string reason;  // empty when none was given

  // Parses the first packet of data if it is a BYE whose sources and reason lie inside it.
  static std::optional<Bye> parse(std::span<const std::uint8_t> data);
  // Appends the packet; sources past kMaxSources are left out, the reason is cut to
  // kMaxReasonLength.
  void serialize(std::vector<std::uint8_t>& out) const;

  bool operator==(const Bye&) const = default;
};

}  // namespace ocellus::rtp::rtcp
