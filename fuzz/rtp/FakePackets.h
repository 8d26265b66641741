#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "rtp/Payloader.h"

namespace ocellus::rtp::fuzz {

// Feeds arbitrary bytes to a depacketizer as a packet sequence. Each fake packet is a control
// byte, a length byte and that many payload bytes. Control bits: 0 marker; 1-2 sequence step
// (+1, +0 duplicate, +2 gap, -1 reordered); 3 next timestamp.
template <typename OnUnit>
void feed(std::span<const std::uint8_t> input, Depacketizer& depacketizer, const OnUnit& onUnit) {
  static constexpr std::int16_t kSteps[] = {1, 0, 2, -1};
  const Depacketizer::OnUnit callback = onUnit;
  std::uint16_t sequence = 0xfff0;
  std::uint32_t timestamp = 0;
  while (input.size() >= 2) {
    const std::uint8_t control = input[0];
    const std::size_t size = std::min<std::size_t>(input[1], input.size() - 2);
    sequence = static_cast<std::uint16_t>(sequence + kSteps[(control >> 1) & 3]);
    if (control & 8) timestamp += 3000;
    depacketizer.push(sequence, timestamp, control & 1, input.subspan(2, size), callback);
    input = input.subspan(2 + size);
  }
}

// Packetizes a unit a depacketizer handed on and depacketizes it again, with a fresh pair made
// from `params`: the same unit must come back, once.
inline void checkRoundTrip(const DepacketizedUnit& unit, const PayloadParams& params) {
  auto packetizer = makePacketizer(params);
  auto depacketizer = makeDepacketizer(params);
  std::vector<std::uint8_t> bytes;
  std::vector<PayloadRef> refs;
  packetizer->packetize(unit.data, bytes, refs);
  std::size_t units = 0;
  std::uint16_t sequence = 0;
  for (const auto& ref : refs) {
    depacketizer->push(sequence++, unit.rtpTimestamp, ref.marker,
                       std::span(bytes).subspan(ref.offset, ref.size), [&](const DepacketizedUnit& again) {
                         ++units;
                         if (again.rtpTimestamp != unit.rtpTimestamp || again.keyframe != unit.keyframe ||
                             !std::ranges::equal(again.data, unit.data)) {
                           std::abort();
                         }
                       });
  }
  if (units != 1) std::abort();
}

}  // namespace ocellus::rtp::fuzz
