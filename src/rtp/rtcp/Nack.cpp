#include "rtp/rtcp/Nack.h"

#include <algorithm>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "rtp/rtcp/FeedbackHeader.h"

namespace ocellus::rtp::rtcp {

namespace {
constexpr unsigned kBlpBits = 16;
}  // namespace

std::optional<Nack> Nack::parse(std::span<const std::uint8_t> data) {
  auto fb = FeedbackHeader::parse(data, kPacketType, kFormat);
  // RFC 4585 §6.2.1: "The FCI field MUST contain at least one" generic NACK.
  if (!fb || fb->fci.size() < kItemSize) return std::nullopt;
  Nack nack;
  nack.senderSsrc = fb->senderSsrc;
  nack.mediaSsrc = fb->mediaSsrc;
  // The FCI is whole words, so a last partial item can only come from odd padding: ignored.
  base::ByteReader r(fb->fci);
  nack.items.reserve(r.remaining() / kItemSize);
  while (r.remaining() >= kItemSize) {
    Item item;
    item.pid = *r.u16();
    item.blp = *r.u16();
    nack.items.push_back(item);
  }
  return nack;
}

void Nack::serialize(std::vector<std::uint8_t>& out) const {
  const std::size_t count = std::min(items.size(), kMaxItems);
  FeedbackHeader::write(out, kPacketType, kFormat, senderSsrc, mediaSsrc, count * kItemSize);
  base::ByteWriter w(out);
  for (std::size_t i = 0; i < count; ++i) {
    w.u16(items[i].pid);
    w.u16(items[i].blp);
  }
}

std::vector<Nack::Item> Nack::toItems(std::span<const std::uint16_t> missing) {
  std::vector<Item> items;
  for (const std::uint16_t seq : missing) {
    if (!items.empty()) {
      // Modulo 2^16, so 65535 -> 0 is a distance of one like any other step.
      const auto distance = static_cast<std::uint16_t>(seq - items.back().pid);
      if (distance == 0) continue;
      if (distance <= kBlpBits) {
        items.back().blp = static_cast<std::uint16_t>(items.back().blp | 1u << (distance - 1));
        continue;
      }
    }
    items.push_back(Item{seq, 0});
  }
  return items;
}

std::vector<std::uint16_t> Nack::toSequenceNumbers(std::span<const Item> items) {
  std::vector<std::uint16_t> seqs;
  for (const Item& item : items) {
    seqs.push_back(item.pid);
    for (unsigned bit = 0; bit < kBlpBits; ++bit) {
      if ((item.blp >> bit & 1u) != 0) seqs.push_back(static_cast<std::uint16_t>(item.pid + bit + 1));
    }
  }
  return seqs;
}

}  // namespace ocellus::rtp::rtcp
