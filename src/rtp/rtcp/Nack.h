#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rtp/rtcp/FeedbackHeader.h"

namespace ocellus::rtp::rtcp {

// Generic NACK (RFC 4585 §6.2.1): a transport-layer feedback message (§6.1) asking the media
// sender to retransmit the listed RTP packets.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|  FMT=1  |  PT=RTPFB=205 |             length            |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                  SSRC of packet sender                        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                  SSRC of media source                         |
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |            PID                |             BLP               |  FCI, one or more
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// PID is a lost packet's sequence number; bit i of BLP (least significant first) reports
// PID + i + 1 lost too, so one item covers 17 packets. Sequence numbers wrap (65535 + 1 = 0).
struct Nack {
  static constexpr std::uint8_t kPacketType = 205;  // RTPFB
  static constexpr std::uint8_t kFormat = 1;
  static constexpr std::size_t kItemSize = 4;
  // What the 16-bit length field can hold. A packet that must fit a datagram holds far fewer:
  // the sender decides how many to put in one (NackGenerator::Config::maxPerTick).
  static constexpr std::size_t kMaxItems = FeedbackHeader::kMaxFciSize / kItemSize;

  struct Item {
    std::uint16_t pid = 0;
    std::uint16_t blp = 0;

    bool operator==(const Item&) const = default;
  };

  std::uint32_t senderSsrc = 0;
  std::uint32_t mediaSsrc = 0;
  std::vector<Item> items;

  // Parses the first packet of data if it is a generic NACK with at least one item.
  static std::optional<Nack> parse(std::span<const std::uint8_t> data);
  // Appends the packet; items past kMaxItems are left out.
  void serialize(std::vector<std::uint8_t>& out) const;

  // Items covering every sequence number listed. Any order works; in increasing order (in
  // serial-number terms, across 65535 -> 0 too) consecutive losses share items.
  static std::vector<Item> toItems(std::span<const std::uint16_t> missing);
  // The sequence numbers the items report, item by item, each item's in increasing order.
  static std::vector<std::uint16_t> toSequenceNumbers(std::span<const Item> items);

  bool operator==(const Nack&) const = default;
};

}  // namespace ocellus::rtp::rtcp
