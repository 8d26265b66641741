#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/ByteWriter.h"
#include "rtp/Payloader.h"

namespace ocellus::rtp {

// The packetization VP8 (RFC 7741 §4) and VP9 (RFC 9628 §4) share: a frame split into
// payloads of nearly equal size (a small last packet would waste a packet's overhead), each
// behind a payload descriptor that marks the frame's start and a 15-bit picture ID that
// counts frames. The last payload carries the marker.
class DescriptorPacketizer : public Packetizer {
 public:
  void packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                 std::vector<PayloadRef>& payloads) final;

 protected:
  DescriptorPacketizer(std::size_t maxPayloadSize, std::size_t descriptorSize);

  // The descriptor (descriptorSize bytes) of the payload of `frame` that is its first and/or last.
  virtual void writeDescriptor(std::span<const std::uint8_t> frame, bool first, bool last,
                               base::ByteWriter& w) const = 0;
  // M = 1 and the 15-bit picture ID of the frame being packetized (RFC 7741 §4.2, RFC 9628 §4.2).
  void writePictureId(base::ByteWriter& w) const;

 private:
  std::size_t maxPayloadSize_;
  std::size_t descriptorSize_;
  std::uint16_t pictureId_ = 0;
};

}  // namespace ocellus::rtp
