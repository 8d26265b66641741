#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ocellus::rtp::rtcp {

// One reception report block of an SR or RR (RFC 3550 §6.4.1): how one source is received.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                 SSRC_1 (SSRC of first source)                 |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   | fraction lost |       cumulative number of packets lost       |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |           extended highest sequence number received           |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                      interarrival jitter                      |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                         last SR (LSR)                         |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                   delay since last SR (DLSR)                  |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
struct ReportBlock {
  static constexpr std::size_t kSize = 24;
  // The cumulative loss is a signed 24-bit number: duplicates can make it negative, and a
  // sender clamps it to these bounds (RFC 3550 §6.4.1, §A.3).
  static constexpr std::int32_t kMaxCumulativeLost = 0x7fffff;
  static constexpr std::int32_t kMinCumulativeLost = -0x800000;

  std::uint32_t ssrc = 0;
  std::uint8_t fractionLost = 0;  // lost since the previous report, in 1/256
  std::int32_t cumulativeLost = 0;
  std::uint32_t extendedHighestSeq = 0;  // cycles << 16 | highest sequence number
  std::uint32_t jitter = 0;              // in RTP timestamp units
  std::uint32_t lastSr = 0;              // middle 32 bits of the NTP time of the last SR
  std::uint32_t delaySinceLastSr = 0;    // in 1/65536 s

  // Reads the first kSize bytes of data.
  static std::optional<ReportBlock> parse(std::span<const std::uint8_t> data);
  // Appends kSize bytes; cumulativeLost is clamped to its 24 bits.
  void serialize(std::vector<std::uint8_t>& out) const;

  // The round-trip time to the reporter (RFC 3550 §6.4.1: A - LSR - DLSR), given A, the middle
  // 32 bits of the NTP time at which this block arrived (SenderReport::compactNtp). nullopt when
  // the reporter has had no SR from us yet (LSR 0); zero when clocks make it come out negative.
  std::optional<std::chrono::microseconds> roundTripTime(std::uint32_t compactNtpArrival) const;

  bool operator==(const ReportBlock&) const = default;
};

}  // namespace ocellus::rtp::rtcp
