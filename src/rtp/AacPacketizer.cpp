#include "rtp/AacPacketizer.h"

#include <algorithm>

#include "base/ByteWriter.h"

namespace ocellus::rtp {

AacPacketizer::AacPacketizer(std::size_t maxPayloadSize)
    : maxPayloadSize_(std::max(maxPayloadSize, kHeadersLengthSize + kAuHeaderSize + 1)) {}

//   +---------+-----------+-----------+---------------+
//   | AU-headers-length=16 | AU-size(13)|index(3) | AU (or a fragment of it)
void AacPacketizer::packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                              std::vector<PayloadRef>& payloads) {
  if (unit.size() > kMaxAuSize) {
    ++dropped_;
    return;
  }
  const std::size_t chunk = maxPayloadSize_ - kHeadersLengthSize - kAuHeaderSize;
  base::ByteWriter w(bytes);
  for (std::size_t at = 0; at < unit.size(); at += chunk) {
    const std::size_t n = std::min(chunk, unit.size() - at);
    const std::size_t offset = bytes.size();
    w.u16(kAuHeaderSize * 8);
    w.u16(static_cast<std::uint16_t>(unit.size() << kIndexBits));
    w.bytes(unit.subspan(at, n));
    payloads.push_back({static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(bytes.size() - offset),
                        at + n == unit.size()});
  }
}

}  // namespace ocellus::rtp
