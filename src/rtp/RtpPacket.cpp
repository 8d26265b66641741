#include "rtp/RtpPacket.h"

#include "base/ByteReader.h"

namespace ocellus::rtp {
namespace {

constexpr std::uint8_t kVersion = 2;

base::Error truncated(const char* what) {
  return base::makeError(base::ErrorCode::Truncated, std::string("rtp: ") + what);
}

}  // namespace

base::Result<RtpPacket> RtpPacket::parse(std::span<const std::uint8_t> data) {
  if (data.size() < kRtpHeaderSize) return truncated("shorter than the fixed header");
  if (data[0] >> 6 != kVersion) return base::makeError(base::ErrorCode::Malformed, "rtp: version is not 2");
  RtpPacket p;
  p.data_ = data;
  base::ByteReader r(data);
  r.skip(kRtpHeaderSize);
  if (!r.skip(4 * p.csrcCount())) return truncated("CSRC list runs past the end");
  if (p.hasExtension()) {
    auto profile = r.u16();
    auto words = r.u16();
    auto extension = words ? r.bytes(4 * std::size_t{*words}) : std::nullopt;
    if (!profile || !extension) return truncated("header extension runs past the end");
    p.extensionProfile_ = *profile;
    p.extension_ = *extension;
  }
  std::span<const std::uint8_t> payload = r.rest();
  if (data[0] & 0x20) {
    // The last octet counts the padding octets, itself included (§5.1), so it is at least 1.
    p.padding_ = data.back();
    if (p.padding_ == 0 || p.padding_ > payload.size()) {
      return base::makeError(base::ErrorCode::Malformed, "rtp: padding count is 0 or exceeds the payload");
    }
    payload = payload.first(payload.size() - p.padding_);
  }
  p.payload_ = payload;
  return p;
}

void writeRtpHeader(std::span<std::uint8_t, kRtpHeaderSize> out, bool marker, std::uint8_t payloadType,
                    std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc) {
  out[0] = kVersion << 6;
  out[1] = static_cast<std::uint8_t>((marker ? 0x80 : 0) | (payloadType & 0x7f));
  out[2] = static_cast<std::uint8_t>(sequence >> 8);
  out[3] = static_cast<std::uint8_t>(sequence);
  for (int i = 0; i < 4; ++i) {
    out[4 + i] = static_cast<std::uint8_t>(timestamp >> (24 - 8 * i));
    out[8 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  }
}

}  // namespace ocellus::rtp
