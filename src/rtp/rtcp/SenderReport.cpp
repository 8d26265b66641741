#include "rtp/rtcp/SenderReport.h"

#include <algorithm>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "rtp/rtcp/RtcpHeader.h"

namespace ocellus::rtp::rtcp {

void SenderReport::serialize(std::vector<std::uint8_t>& out) const {
  const std::size_t blocks = std::min(reportBlocks.size(), kMaxReportBlocks);
  RtcpHeader::write(out, static_cast<std::uint8_t>(blocks), kPacketType,
                    kSize - RtcpHeader::kSize + blocks * ReportBlock::kSize);
  base::ByteWriter w(out);
  w.u32(ssrc);
  w.u64(ntpTime);
  w.u32(rtpTime);
  w.u32(packetCount);
  w.u32(octetCount);
  for (std::size_t i = 0; i < blocks; ++i) reportBlocks[i].serialize(out);
}

std::optional<SenderReport> SenderReport::parse(std::span<const std::uint8_t> data) {
  auto h = RtcpHeader::parse(data);
  if (!h || h->packetType != kPacketType) return std::nullopt;
  const std::size_t fixed = kSize - RtcpHeader::kSize;
  if (h->payload.size() < fixed + h->count * ReportBlock::kSize) return std::nullopt;
  base::ByteReader r(h->payload);
  SenderReport sr;
  sr.ssrc = *r.u32();
  sr.ntpTime = *r.u64();
  sr.rtpTime = *r.u32();
  sr.packetCount = *r.u32();
  sr.octetCount = *r.u32();
  for (std::size_t i = 0; i < h->count; ++i) {
    sr.reportBlocks.push_back(*ReportBlock::parse(*r.bytes(ReportBlock::kSize)));
  }
  return sr;
}

std::uint64_t SenderReport::ntpFromUnixMicros(std::int64_t micros) {
  constexpr std::uint64_t kUnixToNtpSeconds = 2208988800ull;
  const auto seconds = static_cast<std::uint64_t>(micros / 1000000) + kUnixToNtpSeconds;
  const auto fraction = (static_cast<std::uint64_t>(micros % 1000000) << 32) / 1000000;
  return (seconds << 32) | fraction;
}

}  // namespace ocellus::rtp::rtcp
