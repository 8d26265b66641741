#include "rtp/AacDepacketizer.h"

#include "base/ByteReader.h"
#include "rtp/AacPacketizer.h"

namespace ocellus::rtp {

void AacDepacketizer::push(std::uint16_t sequence, std::uint32_t timestamp, bool /*marker*/,
                           std::span<const std::uint8_t> payload, const OnUnit& onUnit) {
  if (sequence_.update(sequence) == SequenceTracker::Order::Old) return;
  base::ByteReader r(payload);
  auto headerBits = r.u16();
  if (!headerBits || *headerBits % (AacPacketizer::kAuHeaderSize * 8) != 0) {
    ++dropped_;
    return;
  }
  auto headers = r.bytes(*headerBits / 8);
  if (!headers) {
    ++dropped_;
    return;
  }
  const std::span<const std::uint8_t> data = r.rest();
  const std::size_t count = headers->size() / AacPacketizer::kAuHeaderSize;
  const auto auSize = [&](std::size_t i) -> std::size_t {
    return ((*headers)[2 * i] << 8 | (*headers)[2 * i + 1]) >> AacPacketizer::kIndexBits;
  };
  // A fragment (§3.2.3.1) is a lone AU header whose size exceeds the data that follows.
  if (count == 1 && auSize(0) > data.size()) {
    if (fragmentTimestamp_ != timestamp) ++dropped_;
    fragmentTimestamp_ = timestamp;
    return;
  }
  std::size_t total = 0;
  for (std::size_t i = 0; i < count; ++i) total += auSize(i);
  if (total != data.size()) {
    ++dropped_;
    return;
  }
  std::size_t at = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t size = auSize(i);
    const auto ts = static_cast<std::uint32_t>(timestamp + i * kSamplesPerFrame);
    if (size > 0) onUnit(DepacketizedUnit{ts, true, data.subspan(at, size)});
    at += size;
  }
}

}  // namespace ocellus::rtp
