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
  for (std::size_t i = 0; i < unit.rtpPayloads.size(); ++i) {
    writeHeader(unit, i, seq_++, std::span<std::uint8_t, rtp::kRtpHeaderSize>(out, rtp::kRtpHeaderSize));
    out += stride;
    ++packets_;
    octets_ += unit.rtpPayloads[i].size;
  }
  lastRtpTime_ = rtpTime(unit.pts);
  lastReceived_ = unit.received;
}

void RtpTrackSender::writeHeader(const media::Unit& unit, std::size_t index, std::uint16_t sequence,
                                 std::span<std::uint8_t, rtp::kRtpHeaderSize> out) const {
  rtp::writeRtpHeader(out, unit.rtpPayloads[index].marker, payloadType_, sequence, rtpTime(unit.pts), ssrc_);
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
