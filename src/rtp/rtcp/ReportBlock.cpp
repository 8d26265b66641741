#include "rtp/rtcp/ReportBlock.h"

#include <algorithm>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"

namespace ocellus::rtp::rtcp {

std::optional<ReportBlock> ReportBlock::parse(std::span<const std::uint8_t> data) {
  if (data.size() < kSize) return std::nullopt;
  base::ByteReader r(data);
  ReportBlock b;
  b.ssrc = *r.u32();
  b.fractionLost = *r.u8();
  const std::uint32_t lost = *r.u24();
  // Sign-extend the 24-bit two's complement value.
  b.cumulativeLost =
      (lost & 0x800000) != 0 ? static_cast<std::int32_t>(lost) - 0x1000000 : static_cast<std::int32_t>(lost);
  b.extendedHighestSeq = *r.u32();
  b.jitter = *r.u32();
  b.lastSr = *r.u32();
  b.delaySinceLastSr = *r.u32();
  return b;
}

void ReportBlock::serialize(std::vector<std::uint8_t>& out) const {
  base::ByteWriter w(out);
  w.u32(ssrc);
  w.u8(fractionLost);
  const std::int32_t lost = std::clamp(cumulativeLost, kMinCumulativeLost, kMaxCumulativeLost);
  w.u24(static_cast<std::uint32_t>(lost) & 0xffffff);
  w.u32(extendedHighestSeq);
  w.u32(jitter);
  w.u32(lastSr);
  w.u32(delaySinceLastSr);
}

std::optional<std::chrono::microseconds> ReportBlock::roundTripTime(std::uint32_t compactNtpArrival) const {
  if (lastSr == 0) return std::nullopt;
  // All three are 16.16 fixed-point seconds that wrap every 18 hours: subtract modulo 2^32.
  const auto units = static_cast<std::int32_t>(compactNtpArrival - lastSr - delaySinceLastSr);
  if (units <= 0) return std::chrono::microseconds(0);
  return std::chrono::microseconds(static_cast<std::int64_t>(units) * 1000000 / 65536);
}

}  // namespace ocellus::rtp::rtcp
