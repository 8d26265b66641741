#include "server/webrtc/WhepSession.h"

#include <boost/asio/post.hpp>

#include <array>

#include "base/Metrics.h"
#include "rtp/RtpPacket.h"
#include "rtp/rtcp/Fir.h"
#include "rtp/rtcp/Nack.h"
#include "rtp/rtcp/Pli.h"
#include "rtp/rtcp/Sdes.h"

namespace ocellus::server::webrtc {

namespace rtcp = rtp::rtcp;

namespace {

// Process-wide, for /metrics: what viewers' NACKs asked for, and what the history could still
// send again (the rest was too old or never sent).
struct NackCounters {
  base::Counter& nacked = base::Metrics::global().counter("ocellus_webrtc_nacked_packets_total",
                                                          "RTP packets WHEP viewers asked for again by NACK");
  base::Counter& retransmitted = base::Metrics::global().counter(
      "ocellus_webrtc_retransmitted_packets_total", "RTP packets sent again to WHEP viewers in answer to a NACK");
};
const NackCounters& nackCounters() {
  static const NackCounters counters;
  return counters;
}

}  // namespace

WhepSession::WhepSession(Params params)
    : id_(params.transport.id),
      loop_(*params.transport.loop),
      stream_(std::move(params.stream)),
      tracks_(std::move(params.tracks)),
      cname_(std::move(params.cname)),
      onClosed_(std::move(params.onClosed)),
      log_(base::Logger("webrtc").child("whep " + id_)),
      transport_(std::move(params.transport), *this, log_) {
  for (std::size_t i = 0; i < tracks_.size(); ++i) history_.emplace_back(kHistoryUnits, kHistoryAge);
}

WhepSession::~WhepSession() = default;

base::Status WhepSession::start() { return transport_.start(weak_from_this()); }

void WhepSession::close(const std::string& why) {
  if (closed_) return;
  closed_ = true;
  log_.info("closed: {} ({} retransmitted, {} keyframe requests)", why, retransmitted_, keyframeRequests_);
  transport_.close();
  if (reading_) {
    reading_ = false;
    stream_->removeReader(shared_from_this(), loop_);
  }
  if (onClosed_) onClosed_(id_);
}

void WhepSession::onTransportConnected() {
  // Join the stream now: the GOP cache's keyframe is the first thing this viewer gets.
  reading_ = true;
  stream_->addReader(shared_from_this(), loop_);
}

void WhepSession::onTransportFailed(const std::string& why) { close(why); }

void WhepSession::onTransportRtp(std::span<const std::uint8_t>, base::SteadyTime) {}  // a viewer sends none

void WhepSession::onTransportRtcp(const rtcp::RtcpCompound& compound, base::SteadyTime now) {
  for (const auto& header : compound) {
    if (header.packetType == rtcp::Nack::kPacketType && header.count == rtcp::Nack::kFormat) {
      const auto nack = rtcp::Nack::parse(header.packet);
      if (!nack) continue;
      for (std::size_t t = 0; t < tracks_.size(); ++t) {
        if (tracks_[t].sender->ssrc() != nack->mediaSsrc || !tracks_[t].nack) continue;
        const auto seqs = rtcp::Nack::toSequenceNumbers(nack->items);
        nackCounters().nacked.add(seqs.size());
        for (const auto seq : seqs) {
          const auto sent = history_[t].find(seq, now);
          if (!sent) continue;
          const media::Unit& unit = **sent->value;
          std::array<std::uint8_t, rtp::kRtpHeaderSize> rtpHeader{};
          tracks_[t].sender->writeHeader(unit, sent->index, seq, rtpHeader);
          const WebRtcTransport::RtpParts packet{rtpHeader, unit.rtpPayload(unit.rtpPayloads[sent->index])};
          if (transport_.sendRtp({&packet, 1}) > 0) {
            ++retransmitted_;
            nackCounters().retransmitted.add();
          }
        }
      }
    } else if (header.packetType == rtcp::Pli::kPacketType &&
               (header.count == rtcp::Pli::kFormat || header.count == rtcp::Fir::kFormat)) {
      // PLI / FIR: the publisher makes one if it can (rate-limited per stream); otherwise the
      // next keyframe comes with the source's GOP.
      ++keyframeRequests_;
      stream_->requestKeyframe();
    }
  }
}

void WhepSession::onUnit(const media::UnitPtr& unit) {
  if (closed_ || !transport_.connected()) return;
  // Per call only: shared by the loop's sessions (in cache, and no per-viewer capacity).
  thread_local std::vector<std::uint8_t> headers;
  thread_local std::vector<WebRtcTransport::RtpParts> packets;
  const auto now = base::Clock::system().now();
  for (std::size_t t = 0; t < tracks_.size(); ++t) {
    auto& track = tracks_[t];
    if (track.streamTrack != unit->track) continue;
    const auto count = unit->rtpPayloads.size();
    headers.resize(count * rtp::kRtpHeaderSize);
    const auto firstSeq = track.sender->nextSequence();
    track.sender->writeHeaders(*unit, headers.data(), rtp::kRtpHeaderSize);
    packets.clear();
    for (std::size_t i = 0; i < count; ++i) {
      packets.push_back({{headers.data() + i * rtp::kRtpHeaderSize, rtp::kRtpHeaderSize},
                          unit->rtpPayload(unit->rtpPayloads[i])});
    }
    const std::size_t bytes = transport_.sendRtp(packets);
    if (track.nack) history_[t].insert(firstSeq, static_cast<std::uint16_t>(count), unit, now);
    stream_->countBytesOut(bytes);
  }
}

void WhepSession::onTransportTick(base::SteadyTime) {
  std::vector<std::uint8_t> compound;
  rtcp::Sdes sdes;
  for (auto& track : tracks_) {
    if (track.sender->senderReport(compound)) sdes.chunks.push_back({track.sender->ssrc(), cname_});
  }
  if (compound.empty()) return;
  sdes.serialize(compound);
  transport_.sendRtcp(compound);
}

void WhepSession::onStreamEnd() {
  reading_ = false;
  boost::asio::post(loop_, [self = shared_from_this()] { self->close("the stream ended"); });
}

}  // namespace ocellus::server::webrtc
