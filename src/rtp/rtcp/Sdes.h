#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ocellus::rtp::rtcp {

// RTCP Source Description (RFC 3550 §6.5): one chunk per source, each a list of items.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|    SC   |  PT=SDES=202  |             length            |
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |                          SSRC/CSRC_1                          |  chunk 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |    CNAME=1    |     length    | user and domain name        ...  items (§6.5.1)
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |  ...  END=0   |  null octets to the next 32-bit boundary      |
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |                          SSRC/CSRC_2                          |  chunk 2
//
// Only CNAME matters to us (it groups a participant's SSRCs, RFC 3550 §6.5.1, and WebRTC
// sends nothing else); other items are parsed and skipped.
struct Sdes {
  static constexpr std::uint8_t kPacketType = 202;
  static constexpr std::size_t kMaxChunks = 31;       // SC has 5 bits
  static constexpr std::size_t kMaxItemLength = 255;  // an 8-bit length
  static constexpr std::uint8_t kEndItem = 0;
  static constexpr std::uint8_t kCnameItem = 1;

  struct Chunk {
    std::uint32_t ssrc = 0;
    std::string cname;  // empty when the chunk has none

    bool operator==(const Chunk&) const = default;
  };

  std::vector<Chunk> chunks;

  // Parses the first packet of data if it is an SDES whose SC chunks all lie inside it, each
  // ended by a null item. The first CNAME of a chunk is kept.
  static std::optional<Sdes> parse(std::span<const std::uint8_t> data);
  // Appends the packet: one CNAME item per chunk (cut to kMaxItemLength), none if it is empty;
  // chunks past kMaxChunks are left out.
  void serialize(std::vector<std::uint8_t>& out) const;

  bool operator==(const Sdes&) const = default;
};

}  // namespace ocellus::rtp::rtcp
