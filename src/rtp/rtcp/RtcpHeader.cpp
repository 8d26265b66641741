#include "rtp/rtcp/RtcpHeader.h"

#include <cassert>

#include "base/ByteWriter.h"

namespace ocellus::rtp::rtcp {

std::optional<RtcpHeader> RtcpHeader::parse(std::span<const std::uint8_t> data) {
  if (data.size() < kSize || (data[0] >> 6) != kVersion) return std::nullopt;
  const std::size_t size = (static_cast<std::size_t>(data[2] << 8 | data[3]) + 1) * 4;
  if (size > data.size()) return std::nullopt;
  RtcpHeader h;
  h.padding = (data[0] & 0x20) != 0;
  h.count = data[0] & kMaxCount;
  h.packetType = data[1];
  h.packet = data.first(size);
  h.payload = h.packet.subspan(kSize);
  if (h.padding) {
    // RFC 3550 §6.4.1: the count includes itself, so it is never zero. RFC 3550 says it is a
    // multiple of four; like other receivers we only ask that it fit.
    if (h.payload.empty()) return std::nullopt;
    const std::size_t pad = h.payload.back();
    if (pad == 0 || pad > h.payload.size()) return std::nullopt;
    h.payload = h.payload.first(h.payload.size() - pad);
  }
  return h;
}

void RtcpHeader::write(std::vector<std::uint8_t>& out, std::uint8_t count, std::uint8_t packetType,
                       std::size_t payloadSize) {
  assert(payloadSize % 4 == 0 && payloadSize <= kMaxPayloadSize);
  base::ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(kVersion << 6 | (count & kMaxCount)));
  w.u8(packetType);
  w.u16(static_cast<std::uint16_t>(payloadSize / 4));
}

}  // namespace ocellus::rtp::rtcp
