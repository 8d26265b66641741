#include "rtp/rtcp/SenderReport.h"

#include "base/ByteReader.h"
#include "base/ByteWriter.h"

namespace ocellus::rtp::rtcp {

void SenderReport::serialize(std::vector<std::uint8_t>& out) const {
  base::ByteWriter w(out);
  w.u8(0x80);  // V=2, P=0, RC=0
  w.u8(kPacketType);
  w.u16(kSize / 4 - 1);
  w.u32(ssrc);
  w.u64(ntpTime);
  w.u32(rtpTime);
  w.u32(packetCount);
  w.u32(octetCount);
}

std::optional<SenderReport> SenderReport::parse(std::span<const std::uint8_t> data) {
  base::ByteReader r(data);
  auto first = r.u8();
  auto type = r.u8();
  auto length = r.u16();
  if (!first || !type || !length || (*first >> 6) != 2 || *type != kPacketType) return std::nullopt;
  if ((static_cast<std::size_t>(*length) + 1) * 4 < kSize || data.size() < kSize) return std::nullopt;
  SenderReport sr;
  sr.ssrc = *r.u32();
  sr.ntpTime = *r.u64();
  sr.rtpTime = *r.u32();
  sr.packetCount = *r.u32();
  sr.octetCount = *r.u32();
  return sr;
}

std::uint64_t SenderReport::ntpFromUnixMicros(std::int64_t micros) {
  constexpr std::uint64_t kUnixToNtpSeconds = 2208988800ull;
  const auto seconds = static_cast<std::uint64_t>(micros / 1000000) + kUnixToNtpSeconds;
  const auto fraction = (static_cast<std::uint64_t>(micros % 1000000) << 32) / 1000000;
  return (seconds << 32) | fraction;
}

}  // namespace ocellus::rtp::rtcp
