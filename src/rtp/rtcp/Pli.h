#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rtp/rtcp/FeedbackHeader.h"

namespace ocellus::rtp::rtcp {

// Picture Loss Indication (RFC 4585 §6.3.1): a payload-specific feedback message (§6.1) with
// no FCI, telling the media sender the receiver lost part of a picture and cannot decode
// until the next key frame. We answer with a key frame (or forward it to the publisher).
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|  FMT=1  |  PT=PSFB=206  |          length=2             |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                  SSRC of packet sender                        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                  SSRC of media source                         |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
struct Pli {
  static constexpr std::uint8_t kPacketType = 206;  // PSFB
  static constexpr std::uint8_t kFormat = 1;
  static constexpr std::size_t kSize = FeedbackHeader::kSize;

  std::uint32_t senderSsrc = 0;
  std::uint32_t mediaSsrc = 0;

  // Parses the first packet of data if it is a PLI. Bytes after the two SSRCs, which §6.3.1
  // says there are none of, are ignored.
  static std::optional<Pli> parse(std::span<const std::uint8_t> data);
  void serialize(std::vector<std::uint8_t>& out) const;

  bool operator==(const Pli&) const = default;
};

}  // namespace ocellus::rtp::rtcp
