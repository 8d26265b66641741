#include "rtp/H264Packetizer.h"

#include <algorithm>

#include "codec/h264/Nal.h"

namespace ocellus::rtp {

using codec::h264::NalType;

H264Packetizer::H264Packetizer(std::size_t maxPayloadSize, int packetizationMode)
    : NalPacketizer(maxPayloadSize, codec::h264::kNalHeaderSize, packetizationMode != 0) {}

// STAP-A (§5.7.1): F is set if any unit's is, NRI is the highest of the units'.
//   +---------------+
//   |F|NRI|  Type=24|  then per unit: NALU size (16 bits), NAL unit
void H264Packetizer::writeAggregationHeader(std::span<const std::span<const std::uint8_t>> nals,
                                            base::ByteWriter& w) const {
  std::uint8_t f = 0;
  std::uint8_t nri = 0;
  for (auto nal : nals) {
    f |= nal[0] & 0x80;
    nri = std::max<std::uint8_t>(nri, nal[0] & 0x60);
  }
  w.u8(f | nri | static_cast<std::uint8_t>(NalType::StapA));
}

// FU-A (§5.8): FU indicator keeps F and NRI; FU header carries the NAL unit type.
//   +---------------+---------------+
//   |F|NRI|  Type=28|S|E|R|  Type   |  then a piece of the NAL unit after its header byte
void H264Packetizer::writeFragmentHeader(std::span<const std::uint8_t> nal, bool start, bool end,
                                         base::ByteWriter& w) const {
  w.u8((nal[0] & 0xe0) | static_cast<std::uint8_t>(NalType::FuA));
  w.u8(static_cast<std::uint8_t>((start ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[0] & 0x1f)));
}

}  // namespace ocellus::rtp
