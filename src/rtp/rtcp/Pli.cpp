#include "rtp/rtcp/Pli.h"

#include "rtp/rtcp/FeedbackHeader.h"

namespace ocellus::rtp::rtcp {

std::optional<Pli> Pli::parse(std::span<const std::uint8_t> data) {
  auto fb = FeedbackHeader::parse(data, kPacketType, kFormat);
  if (!fb) return std::nullopt;
  return Pli{fb->senderSsrc, fb->mediaSsrc};
}

void Pli::serialize(std::vector<std::uint8_t>& out) const {
  FeedbackHeader::write(out, kPacketType, kFormat, senderSsrc, mediaSsrc, 0);
}

}  // namespace ocellus::rtp::rtcp
