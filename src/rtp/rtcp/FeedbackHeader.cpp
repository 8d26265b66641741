#include "rtp/rtcp/FeedbackHeader.h"

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "rtp/rtcp/RtcpHeader.h"

namespace ocellus::rtp::rtcp {

std::optional<FeedbackHeader> FeedbackHeader::parse(std::span<const std::uint8_t> data,
                                                    std::uint8_t packetType, std::uint8_t format) {
  auto h = RtcpHeader::parse(data);
  if (!h || h->packetType != packetType || h->count != format) return std::nullopt;
  base::ByteReader r(h->payload);
  auto sender = r.u32();
  auto media = r.u32();
  if (!sender || !media) return std::nullopt;
  return FeedbackHeader{*sender, *media, r.rest()};
}

void FeedbackHeader::write(std::vector<std::uint8_t>& out, std::uint8_t packetType, std::uint8_t format,
                           std::uint32_t senderSsrc, std::uint32_t mediaSsrc, std::size_t fciSize) {
  RtcpHeader::write(out, format, packetType, kSize - RtcpHeader::kSize + fciSize);
  base::ByteWriter w(out);
  w.u32(senderSsrc);
  w.u32(mediaSsrc);
}

}  // namespace ocellus::rtp::rtcp
