#include "rtp/rtcp/RtcpCompound.h"

#include <string>

#include "rtp/rtcp/ReceiverReport.h"
#include "rtp/rtcp/SenderReport.h"

namespace ocellus::rtp::rtcp {

base::Result<RtcpCompound> RtcpCompound::parse(std::span<const std::uint8_t> data, Mode mode) {
  using base::ErrorCode;
  if (data.size() < RtcpHeader::kSize) return base::makeError(ErrorCode::Truncated, "RTCP: no header");
  std::size_t count = 0;
  for (auto rest = data; !rest.empty(); ++count) {
    auto packet = RtcpHeader::parse(rest);
    if (!packet) {
      const auto code = rest.size() < RtcpHeader::kSize ? ErrorCode::Truncated : ErrorCode::Malformed;
      return base::makeError(code, "RTCP: bad version, length or padding in packet " + std::to_string(count));
    }
    if (count == 0 && mode == Mode::Compound && packet->packetType != SenderReport::kPacketType &&
        packet->packetType != ReceiverReport::kPacketType) {
      return base::makeError(ErrorCode::Malformed, "RTCP: compound packet does not start with SR or RR");
    }
    rest = rest.subspan(packet->packet.size());
    if (packet->padding && !rest.empty()) {
      return base::makeError(ErrorCode::Malformed, "RTCP: padding before the last packet");
    }
  }
  return RtcpCompound(data, count);
}

RtcpCompound::Iterator::Iterator(std::span<const std::uint8_t> rest) : rest_(rest) {
  if (!rest_.empty()) current_ = *RtcpHeader::parse(rest_);  // parse() checked every packet
}

RtcpCompound::Iterator& RtcpCompound::Iterator::operator++() {
  rest_ = rest_.subspan(current_.packet.size());
  current_ = rest_.empty() ? RtcpHeader{} : *RtcpHeader::parse(rest_);
  return *this;
}

}  // namespace ocellus::rtp::rtcp
