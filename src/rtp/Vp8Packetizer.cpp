#include "rtp/Vp8Packetizer.h"

namespace ocellus::rtp {
namespace {

// X | R | N | S | R | PID (3), then I | L | T | K | RSV (4), then M | PictureID (15).
constexpr std::size_t kDescriptorSize = 4;
constexpr std::uint8_t kExtended = 0x80;      // X
constexpr std::uint8_t kStart = 0x10;         // S
constexpr std::uint8_t kPictureIdBit = 0x80;  // I

}  // namespace

Vp8Packetizer::Vp8Packetizer(std::size_t maxPayloadSize)
    : DescriptorPacketizer(maxPayloadSize, kDescriptorSize) {}

void Vp8Packetizer::writeDescriptor(std::span<const std::uint8_t> /*frame*/, bool first, bool /*last*/,
                                    base::ByteWriter& w) const {
  w.u8(first ? kExtended | kStart : kExtended);
  w.u8(kPictureIdBit);
  writePictureId(w);
}

}  // namespace ocellus::rtp
