#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rtp/rtcp/ReportBlock.h"

namespace ocellus::rtp::rtcp {

// RTCP Receiver Report (RFC 3550 §6.4.2): sent by a participant that sends no media, one
// ReportBlock per source it receives.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|    RC   |   PT=RR=201   |             length            |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                     SSRC of packet sender                     |
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |                 report block 1 (ReportBlock)                  |  RC x 24 bytes
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |                  profile-specific extensions                  |  ignored
struct ReceiverReport {
  static constexpr std::uint8_t kPacketType = 201;
  static constexpr std::size_t kMaxReportBlocks = 31;  // RC has 5 bits

  std::uint32_t ssrc = 0;
  std::vector<ReportBlock> reportBlocks;

  // Parses the first packet of data (e.g. a packet of an RtcpCompound) if it is an RR.
  static std::optional<ReceiverReport> parse(std::span<const std::uint8_t> data);
  // Appends the packet; blocks past kMaxReportBlocks are left out (send them in another RR).
  void serialize(std::vector<std::uint8_t>& out) const;

  bool operator==(const ReceiverReport&) const = default;
};

}  // namespace ocellus::rtp::rtcp
