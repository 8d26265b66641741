#include "bridge/RtpTrackSender.h"

#include "base/Random.h"
#include "rtp/RtpPacket.h"
#include "rtp/rtcp/SenderReport.h"

namespace ocellus::bridge {

RtpTrackSender::RtpTrackSender(std::uint8_t payloadType)
    : payloadType_(payloadType),
      ssrc_(base::randomU32()),
      seq_(static_cast<std::uint16_t>(base::randomU32())),
      tsOffset_(base::randomU32()) {}

void RtpTrackSender::writeHeaders(const media::Unit& unit, std::uint8_t* out, std::size_t stride) {
  const std::uint32_t ts = rtpTime(unit.pts);
  for (const auto& ref : unit.rtpPayloads) {
    rtp::writeRtpHeader(std::span<std::uint8_t, rtp::kRtpHeaderSize>(out, rtp::kRtpHeaderSize), ref.marker,
                        payloadType_, seq_++, ts, ssrc_);
    out += stride;
    ++packets_;
    octets_ += ref.size;
  }
  lastRtpTime_ = ts;
  lastReceived_ = unit.received;
}

bool RtpTrackSender::senderReport(std::vector<std::uint8_t>& out) const {
  if (packets_ == 0) return false;
  // The wall time the last unit was received stands for its capture time.
  const auto& clock = base::Clock::system();
  const auto age = clock.now() - lastReceived_;
  const auto wall = clock.wallNow() - std::chrono::duration_cast<std::chrono::system_clock::duration>(age);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(wall.time_since_epoch()).count();
  rtp::rtcp::SenderReport sr;
  sr.ssrc = ssrc_;
  sr.ntpTime = rtp::rtcp::SenderReport::ntpFromUnixMicros(micros);
  sr.rtpTime = lastRtpTime_;
  sr.packetCount = packets_;
  sr.octetCount = octets_;
  sr.serialize(out);
  return true;
}

}  // namespace ocellus::bridge
