#include "rtp/H265Packetizer.h"

#include <algorithm>

#include "codec/h265/Nal.h"

namespace ocellus::rtp {

using codec::h265::NalType;

namespace {

constexpr std::uint8_t typeBits(NalType type) {
  return static_cast<std::uint8_t>(static_cast<std::uint8_t>(type) << 1);
}

}  // namespace

H265Packetizer::H265Packetizer(std::size_t maxPayloadSize)
    : NalPacketizer(maxPayloadSize, codec::h265::kNalHeaderSize, true) {}

// AP PayloadHdr (§4.4.2): F set if any unit's is; LayerId and TID the lowest of the units'.
//   +---------------+---------------+
//   |F|  Type=48  |  LayerId  | TID |  then per unit: NALU size (16 bits), NAL unit
void H265Packetizer::writeAggregationHeader(std::span<const std::span<const std::uint8_t>> nals,
                                            base::ByteWriter& w) const {
  std::uint8_t f = 0;
  std::uint8_t layerId = 0x3f;
  std::uint8_t tid = 0x7;
  for (auto nal : nals) {
    f |= nal[0] & 0x80;
    layerId = std::min<std::uint8_t>(layerId, static_cast<std::uint8_t>((nal[0] & 1) << 5 | nal[1] >> 3));
    tid = std::min<std::uint8_t>(tid, nal[1] & 0x7);
  }
  w.u8(static_cast<std::uint8_t>(f | typeBits(NalType::Ap) | layerId >> 5));
  w.u8(static_cast<std::uint8_t>((layerId & 0x1f) << 3 | tid));
}

// FU (§4.4.3): PayloadHdr copies F, LayerId and TID; the FU header carries the type.
//   +---------------+---------------+---------------+
//   |F|  Type=49  |  LayerId  | TID |S|E|  FuType   |  then a piece after the 2-byte NAL header
void H265Packetizer::writeFragmentHeader(std::span<const std::uint8_t> nal, bool start, bool end,
                                         base::ByteWriter& w) const {
  w.u8(static_cast<std::uint8_t>((nal[0] & 0x81) | typeBits(NalType::Fu)));
  w.u8(nal[1]);
  w.u8(static_cast<std::uint8_t>((start ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[0] >> 1 & 0x3f)));
}

}  // namespace ocellus::rtp
