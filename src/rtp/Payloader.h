#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "codec/Codec.h"

namespace ocellus::rtp {

// Largest RTP payload we produce: fits WebRTC (DTLS/SRTP overhead) and any Ethernet MTU.
inline constexpr std::size_t kMaxPayloadSize = 1200;

// One RTP payload inside a shared byte buffer; all payloads of an access unit share its
// timestamp, and the last one carries the marker bit (video) as the payload format says.
struct PayloadRef {
  std::uint32_t offset = 0;
  std::uint32_t size = 0;
  bool marker = false;
};

// Turns one access unit (codec canonical form, see codec/Codec.h) into RTP payloads,
// appending bytes to `bytes` and descriptors to `payloads`. Called once per stream per
// unit, never per reader. Stateless across units except where the format needs it.
class Packetizer {
 public:
  virtual ~Packetizer() = default;
  virtual void packetize(std::span<const std::uint8_t> unit, std::vector<std::uint8_t>& bytes,
                         std::vector<PayloadRef>& payloads) = 0;
  // NAL units or frames the payload format cannot carry and that were left out: an H.264 NAL
  // unit above the maximum size in packetization mode 0, a NAL unit shorter than its header,
  // an AAC frame above 8191 bytes, an empty VP8/VP9 frame, an AV1 unit that is not OBUs.
  std::uint64_t dropped() const { return dropped_; }

 protected:
  std::uint64_t dropped_ = 0;
};

// One complete access unit out of a depacketizer. `data` is valid only during the callback.
struct DepacketizedUnit {
  std::uint32_t rtpTimestamp = 0;
  bool keyframe = false;               // video: an IDR/IRAP picture, a VP8/VP9/AV1 key frame; audio: always
  std::span<const std::uint8_t> data;  // codec canonical form
};

// Reassembles access units from RTP packets of one SSRC in arrival order. A lost packet
// inside a fragmented unit discards that unit only (counted in droppedUnits()); the
// depacketizer never throws and never reads past a payload. `onUnit` may be called zero or
// more times per push; it must not call back into the depacketizer.
class Depacketizer {
 public:
  using OnUnit = std::function<void(const DepacketizedUnit&)>;
  virtual ~Depacketizer() = default;
  // payload: the RTP payload (after header, extension and padding are removed).
  virtual void push(std::uint16_t sequence, std::uint32_t timestamp, bool marker,
                    std::span<const std::uint8_t> payload, const OnUnit& onUnit) = 0;
  std::uint64_t droppedUnits() const { return dropped_; }

 protected:
  std::uint64_t dropped_ = 0;
};

// Parameters a payload format may need (from SDP fmtp or the stream's track).
struct PayloadParams {
  codec::CodecId codec = codec::CodecId::H264;
  std::uint32_t clockRate = 90000;
  std::size_t maxPayloadSize = kMaxPayloadSize;
  int packetizationMode = 1;  // H.264 (RFC 6184 §6.2): 0 = single NAL units only
};

std::unique_ptr<Packetizer> makePacketizer(const PayloadParams& params);
std::unique_ptr<Depacketizer> makeDepacketizer(const PayloadParams& params);

}  // namespace ocellus::rtp
