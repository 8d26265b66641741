#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rtp/rtcp/FeedbackHeader.h"

namespace ocellus::rtp::rtcp {

// Full Intra Request (RFC 5104 §4.3.1): a payload-specific feedback message (RFC 4585 §6.1)
// asking each listed media sender for a key frame ("decoder refresh point").
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|  FMT=4  |  PT=PSFB=206  |             length            |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                  SSRC of packet sender                        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |             SSRC of media source (unused, 0)                  |
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |                              SSRC                             |  FCI: one or more
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  entries (§4.3.1.1)
//   | Seq nr.       |    Reserved                                   |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The requester increments the sequence number per target SSRC for each new request and
// repeats it unchanged in a retransmission of the same request (§4.3.1.2), so the media
// sender sends one key frame per new number.
struct Fir {
  static constexpr std::uint8_t kPacketType = 206;  // PSFB
  static constexpr std::uint8_t kFormat = 4;
  static constexpr std::size_t kEntrySize = 8;
  // What the 16-bit length field can hold.
  static constexpr std::size_t kMaxEntries = FeedbackHeader::kMaxFciSize / kEntrySize;

  struct Entry {
    std::uint32_t ssrc = 0;
    std::uint8_t seqNr = 0;

    bool operator==(const Entry&) const = default;
  };

  std::uint32_t senderSsrc = 0;
  std::uint32_t mediaSsrc = 0;  // RFC 5104 §4.3.1.2: SHALL be 0; kept as received
  std::vector<Entry> entries;

  // Parses the first packet of data if it is a FIR with one or more whole entries.
  static std::optional<Fir> parse(std::span<const std::uint8_t> data);
  // Appends the packet (reserved bits zero); entries past kMaxEntries are left out.
  void serialize(std::vector<std::uint8_t>& out) const;

  bool operator==(const Fir&) const = default;
};

}  // namespace ocellus::rtp::rtcp
