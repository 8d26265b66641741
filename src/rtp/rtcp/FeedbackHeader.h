#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ocellus::rtp::rtcp {

// The part every RTCP feedback message shares (RFC 4585 §6.1), as a view over bytes it does not
// own, which must outlive it; Nack, Pli and Fir read their FCI from it.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|   FMT   |       PT      |          length               |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                  SSRC of packet sender                        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                  SSRC of media source                         |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   :            Feedback Control Information (FCI)                 :
//
// PT is RTPFB (205) for transport-layer and PSFB (206) for payload-specific feedback; FMT
// says which message of the two families it is.
struct FeedbackHeader {
  static constexpr std::size_t kSize = 12;  // RTCP header and the two SSRCs
  static constexpr std::size_t kMaxFciSize = 0xffff * 4 - (kSize - 4);

  std::uint32_t senderSsrc = 0;
  std::uint32_t mediaSsrc = 0;
  std::span<const std::uint8_t> fci;  // without padding

  // Reads the first packet of data if it is a feedback message of this type and format.
  static std::optional<FeedbackHeader> parse(std::span<const std::uint8_t> data, std::uint8_t packetType,
                                             std::uint8_t format);
  // Appends the header and the two SSRCs of a message whose FCI, written next, takes fciSize
  // bytes (a multiple of 4, at most kMaxFciSize).
  static void write(std::vector<std::uint8_t>& out, std::uint8_t packetType, std::uint8_t format,
                    std::uint32_t senderSsrc, std::uint32_t mediaSsrc, std::size_t fciSize);
};

}  // namespace ocellus::rtp::rtcp
