#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/Clock.h"
#include "media/Unit.h"
#include "rtp/RtpPacket.h"

namespace ocellus::bridge {

// One reader's view of one track's shared RTP packets (DESIGN §3): the payloads are the
// stream's, packetized once; only the 12-byte header is per reader — its SSRC, a sequence
// that continues across the units it actually sends (a dropped unit leaves no gap), and the
// timestamp shifted by a per-reader random offset. It also keeps what a Sender Report needs.
// One loop only.
class RtpTrackSender {
 public:
  explicit RtpTrackSender(std::uint8_t payloadType);

  // Writes the RTP header of each payload of `unit` at out, out + stride, out + 2*stride, …
  // (room for unit.rtpPayloads.size() headers must be there).
  void writeHeaders(const media::Unit& unit, std::uint8_t* out, std::size_t stride);
  // Writes again the header payload `index` of unit went out with as `sequence` (a NACK's
  // retransmission repeats SSRC, sequence and timestamp, RFC 4585 §6.2.1); counts nothing.
  void writeHeader(const media::Unit& unit, std::size_t index, std::uint16_t sequence,
                   std::span<std::uint8_t, rtp::kRtpHeaderSize> out) const;
  // An RTCP Sender Report for the last unit written, or nothing if none was.
  bool senderReport(std::vector<std::uint8_t>& out) const;

  // The payload type is settled after the SSRC when an SDP answer names both (WebRTC).
  void setPayloadType(std::uint8_t payloadType) { payloadType_ = payloadType; }
  std::uint32_t ssrc() const { return ssrc_; }
  std::uint16_t nextSequence() const { return seq_; }
  // The RTP timestamp the unit with this pts gets.
  std::uint32_t rtpTime(std::int64_t pts) const { return static_cast<std::uint32_t>(pts) + tsOffset_; }

 private:
  std::uint8_t payloadType_;
  std::uint32_t ssrc_;
  std::uint16_t seq_;
  std::uint32_t tsOffset_;
  std::uint32_t packets_ = 0;
  std::uint32_t octets_ = 0;
  std::uint32_t lastRtpTime_ = 0;
  base::SteadyTime lastReceived_{};
};

}  // namespace ocellus::bridge
