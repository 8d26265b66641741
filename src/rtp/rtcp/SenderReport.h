#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rtp/rtcp/ReportBlock.h"

namespace ocellus::rtp::rtcp {

// RTCP Sender Report (RFC 3550 §6.4.1):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|    RC   |   PT=SR=200   |             length            |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                         SSRC of sender                        |
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |              NTP timestamp, most significant word             |
//   |             NTP timestamp, least significant word             |
//   |                         RTP timestamp                         |
//   |                     sender's packet count                     |
//   |                      sender's octet count                     |
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |                 report block 1 (ReportBlock)                  |  RC x 24 bytes
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |                  profile-specific extensions                  |  ignored
//
// It ties an RTP timestamp to wall-clock time, which is how receivers line up audio and video.
struct SenderReport {
  static constexpr std::uint8_t kPacketType = 200;
  static constexpr std::size_t kSize = 28;             // without report blocks
  static constexpr std::size_t kMaxReportBlocks = 31;  // RC has 5 bits

  std::uint32_t ssrc = 0;
  std::uint64_t ntpTime = 0;  // 32.32 fixed point seconds since 1900
  std::uint32_t rtpTime = 0;
  std::uint32_t packetCount = 0;
  std::uint32_t octetCount = 0;
  std::vector<ReportBlock> reportBlocks;  // how this sender receives others, if it does

  // Appends the packet; blocks past kMaxReportBlocks are left out (send them in an RR).
  void serialize(std::vector<std::uint8_t>& out) const;
  // Parses the first packet of a compound RTCP packet if it is an SR.
  static std::optional<SenderReport> parse(std::span<const std::uint8_t> data);

  // NTP 32.32 time for a Unix time in microseconds.
  static std::uint64_t ntpFromUnixMicros(std::int64_t micros);
  // The middle 32 bits of an NTP time: the LSR a receiver echoes in its report (§6.4.1).
  static std::uint32_t compactNtp(std::uint64_t ntpTime) { return static_cast<std::uint32_t>(ntpTime >> 16); }

  bool operator==(const SenderReport&) const = default;
};

}  // namespace ocellus::rtp::rtcp
