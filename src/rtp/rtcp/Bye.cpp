#include "rtp/rtcp/Bye.h"

#include <algorithm>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "rtp/rtcp/RtcpHeader.h"

namespace ocellus::rtp::rtcp {

std::optional<Bye> Bye::parse(std::span<const std::uint8_t> data) {
  auto h = RtcpHeader::parse(data);
  if (!h || h->packetType != kPacketType) return std::nullopt;
  base::ByteReader r(h->payload);
  Bye bye;
  for (std::size_t i = 0; i < h->count; ++i) {
    auto ssrc = r.u32();
    if (!ssrc) return std::nullopt;
    bye.sources.push_back(*ssrc);
  }
  // What follows the sources is the reason, or only the nulls that pad a zero-length one.
  if (auto length = r.u8(); length && *length > 0) {
    auto text = r.bytes(*length);
    if (!text) return std::nullopt;
    bye.reason = std::string(base::asChars(*text));
  }
  return bye;
}

void Bye::serialize(std::vector<std::uint8_t>& out) const {
  const std::size_t count = std::min(sources.size(), kMaxSources);
  const std::size_t reasonLength = std::min(reason.size(), kMaxReasonLength);
  const std::size_t reasonSize = reasonLength == 0 ? 0 : (1 + reasonLength + 3) / 4 * 4;
  RtcpHeader::write(out, static_cast<std::uint8_t>(count), kPacketType, count * 4 + reasonSize);
  base::ByteWriter w(out);
  for (std::size_t i = 0; i < count; ++i) w.u32(sources[i]);
  if (reasonLength == 0) return;
  w.u8(static_cast<std::uint8_t>(reasonLength));
  w.text(std::string_view(reason).substr(0, reasonLength));
  for (std::size_t pad = reasonSize - 1 - reasonLength; pad > 0; --pad) w.u8(0);
}

}  // namespace ocellus::rtp::rtcp
