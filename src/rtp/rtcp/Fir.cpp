#include "rtp/rtcp/Fir.h"

#include <algorithm>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "rtp/rtcp/FeedbackHeader.h"

namespace ocellus::rtp::rtcp {

std::optional<Fir> Fir::parse(std::span<const std::uint8_t> data) {
  auto fb = FeedbackHeader::parse(data, kPacketType, kFormat);
  // RFC 5104 §4.3.1.2: one or more entries, and nothing but entries.
  if (!fb || fb->fci.empty() || fb->fci.size() % kEntrySize != 0) return std::nullopt;
  Fir fir;
  fir.senderSsrc = fb->senderSsrc;
  fir.mediaSsrc = fb->mediaSsrc;
  base::ByteReader r(fb->fci);
  fir.entries.reserve(r.remaining() / kEntrySize);
  while (!r.empty()) {
    Entry entry;
    entry.ssrc = *r.u32();
    entry.seqNr = *r.u8();
    r.skip(3);  // reserved
    fir.entries.push_back(entry);
  }
  return fir;
}

void Fir::serialize(std::vector<std::uint8_t>& out) const {
  const std::size_t count = std::min(entries.size(), kMaxEntries);
  FeedbackHeader::write(out, kPacketType, kFormat, senderSsrc, mediaSsrc, count * kEntrySize);
  base::ByteWriter w(out);
  for (std::size_t i = 0; i < count; ++i) {
    w.u32(entries[i].ssrc);
    w.u8(entries[i].seqNr);
    w.u24(0);  // reserved
  }
}

}  // namespace ocellus::rtp::rtcp
