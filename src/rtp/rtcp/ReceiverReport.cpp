#include "rtp/rtcp/ReceiverReport.h"

#include <algorithm>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "rtp/rtcp/RtcpHeader.h"

namespace ocellus::rtp::rtcp {

namespace {
constexpr std::size_t kFixedSize = 4;  // SSRC of packet sender
}  // namespace

std::optional<ReceiverReport> ReceiverReport::parse(std::span<const std::uint8_t> data) {
  auto h = RtcpHeader::parse(data);
  if (!h || h->packetType != kPacketType) return std::nullopt;
  if (h->payload.size() < kFixedSize + h->count * ReportBlock::kSize) return std::nullopt;
  ReceiverReport rr;
  base::ByteReader r(h->payload);
  rr.ssrc = *r.u32();
  for (std::size_t i = 0; i < h->count; ++i) {
    rr.reportBlocks.push_back(*ReportBlock::parse(*r.bytes(ReportBlock::kSize)));
  }
  return rr;
}

void ReceiverReport::serialize(std::vector<std::uint8_t>& out) const {
  const std::size_t blocks = std::min(reportBlocks.size(), kMaxReportBlocks);
  RtcpHeader::write(out, static_cast<std::uint8_t>(blocks), kPacketType,
                    kFixedSize + blocks * ReportBlock::kSize);
  base::ByteWriter(out).u32(ssrc);
  for (std::size_t i = 0; i < blocks; ++i) reportBlocks[i].serialize(out);
}

}  // namespace ocellus::rtp::rtcp
