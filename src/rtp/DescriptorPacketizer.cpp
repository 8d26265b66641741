#include "rtp/DescriptorPacketizer.h"

#include <algorithm>

#include "rtp/PictureId.h"

namespace ocellus::rtp {
namespace {

constexpr std::size_t kMaxPayloadLimit = 0xffff;  // the most a UDP datagram or RTSP frame holds

}  // namespace

DescriptorPacketizer::DescriptorPacketizer(std::size_t maxPayloadSize, std::size_t descriptorSize)
    // At least one byte of frame per payload.
    : maxPayloadSize_(std::clamp(maxPayloadSize, descriptorSize + 1, kMaxPayloadLimit)),
      descriptorSize_(descriptorSize) {}

void DescriptorPacketizer::packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                                     std::vector<PayloadRef>& payloads) {
  if (unit.empty()) {
    ++dropped_;
    return;
  }
  const std::size_t room = maxPayloadSize_ - descriptorSize_;
  const std::size_t count = (unit.size() + room - 1) / room;
  const std::size_t base = unit.size() / count;
  const std::size_t larger = unit.size() % count;  // the first ones get a byte more
  base::ByteWriter w(bytes);
  std::size_t at = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t n = base + (i < larger ? 1 : 0);
    const std::size_t offset = bytes.size();
    writeDescriptor(unit, i == 0, i + 1 == count, w);
    w.bytes(unit.subspan(at, n));
    at += n;
    payloads.push_back({static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(bytes.size() - offset),
                        i + 1 == count});
  }
  pictureId_ = static_cast<std::uint16_t>((pictureId_ + 1) & kPictureIdMask);
}

void DescriptorPacketizer::writePictureId(base::ByteWriter& w) const {
  rtp::writePictureId(pictureId_, w);
}

}  // namespace ocellus::rtp
