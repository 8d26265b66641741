#include "rtp/Vp9Packetizer.h"

#include "codec/vp9/FrameHeader.h"

namespace ocellus::rtp {
namespace {

// I | P | L | F | B | E | V | Z, then M | PictureID (15).
constexpr std::size_t kDescriptorSize = 3;
constexpr std::uint8_t kPictureIdBit = 0x80;  // I
constexpr std::uint8_t kPredicted = 0x40;     // P
constexpr std::uint8_t kBegin = 0x08;         // B
constexpr std::uint8_t kEnd = 0x04;           // E

}  // namespace

Vp9Packetizer::Vp9Packetizer(std::size_t maxPayloadSize)
    : DescriptorPacketizer(maxPayloadSize, kDescriptorSize) {}

void Vp9Packetizer::writeDescriptor(std::span<const std::uint8_t> frame, bool first, bool last,
                                    base::ByteWriter& w) const {
  const auto header = codec::vp9::FrameHeader::parse(frame);
  std::uint8_t flags = kPictureIdBit;
  if (!header || !header->keyframe) flags |= kPredicted;
  if (first) flags |= kBegin;
  if (last) flags |= kEnd;
  w.u8(flags);
  writePictureId(w);
}

}  // namespace ocellus::rtp
