#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ocellus::rtp::rtcp {

// RTCP Sender Report without report blocks (RFC 3550 §6.4.1):
//
//    0                   1                   2                   3
//   |V=2|P|    RC   |   PT=SR=200   |             length            |
//   |                         SSRC of sender                        |
//   |              NTP timestamp, most significant word             |
//   |             NTP timestamp, least significant word             |
//   |                         RTP timestamp                         |
//   |                     sender's packet count                     |
//   |                      sender's octet count                     |
//
// It ties an RTP timestamp to wall-clock time, which is how receivers line up audio and video.
struct SenderReport {
  static constexpr std::uint8_t kPacketType = 200;
  static constexpr std::size_t kSize = 28;

  std::uint32_t ssrc = 0;
  std::uint64_t ntpTime = 0;  // 32.32 fixed point seconds since 1900
  std::uint32_t rtpTime = 0;
  std::uint32_t packetCount = 0;
  std::uint32_t octetCount = 0;

  void serialize(std::vector<std::uint8_t>& out) const;
  // Parses the first packet of a compound RTCP packet if it is an SR.
  static std::optional<SenderReport> parse(std::span<const std::uint8_t> data);

  // NTP 32.32 time for a Unix time in microseconds.
  static std::uint64_t ntpFromUnixMicros(std::int64_t micros);
};

}  // namespace ocellus::rtp::rtcp
