#include "server/webrtc/WhipSession.h"

#include "base/Random.h"
#include "rtp/RtpPacket.h"
#include "rtp/rtcp/Nack.h"
#include "rtp/rtcp/Pli.h"
#include "rtp/rtcp/ReceiverReport.h"
#include "rtp/rtcp/SenderReport.h"

namespace ocellus::server::webrtc {

namespace rtcp = rtp::rtcp;

WhipSession::WhipSession(Params params)
    : id_(params.transport.id),
      stream_(std::move(params.stream)),
      registry_(params.registry),
      onClosed_(std::move(params.onClosed)),
      log_(base::Logger("webrtc").child("whip " + id_)),
      transport_(std::move(params.transport), *this, log_),
      ssrc_(base::randomU32()) {
  for (std::size_t i = 0; i < params.tracks.size(); ++i) {
    auto& t = params.tracks[i];
    bridge::RtpTrackReceiver receiver(t.info, static_cast<std::uint32_t>(i), /*reorder=*/true);
    tracks_.push_back(Receiving{std::move(t), std::move(receiver), std::nullopt, rtp::NackGenerator{{}},
                                rtp::KeyframeScheduler{kMaxKeyframeInterval}});
  }
}

WhipSession::~WhipSession() = default;

base::Status WhipSession::start() {
  // Viewers' keyframe requests become a PLI to the publisher (on the stream's loop, ours).
  stream_->setKeyframeRequester([weak = weak_from_this()] {
    auto self = weak.lock();
    if (!self || self->closed_) return;
    for (const auto& t : self->tracks_) {
      if (t.track.info.isVideo() && t.track.ssrc) self->sendPli(*t.track.ssrc);
    }
  });
  return transport_.start(weak_from_this());
}

void WhipSession::close(const std::string& why) {
  if (closed_) return;
  closed_ = true;
  std::uint64_t packets = 0, lost = 0;
  for (const auto& t : tracks_) {
    packets += t.receiver.packets();
    lost += t.receiver.lostPackets();
  }
  log_.info("closed: {} ({} packets, {} lost)", why, packets, lost);
  transport_.close();
  registry_->unpublish(stream_);
  if (onClosed_) onClosed_(id_);
}

void WhipSession::onTransportFailed(const std::string& why) { close(why); }

void WhipSession::onTransportConnected() {
  log_.info("publishing '{}' from {}", stream_->path(), transport_.remoteAddress());
  // A keyframe at once, so readers waiting for the stream get a picture.
  for (const auto& t : tracks_) {
    if (t.track.info.isVideo() && t.track.ssrc) sendPli(*t.track.ssrc);
  }
}

void WhipSession::onTransportRtp(std::span<const std::uint8_t> data, base::SteadyTime now) {
  auto packet = rtp::RtpPacket::parse(data);
  if (!packet) return;
  Receiving* r = nullptr;
  for (auto& t : tracks_) {
    if (t.track.ssrc ? *t.track.ssrc == packet->ssrc() : t.track.payloadType == packet->payloadType()) {
      r = &t;
      break;
    }
  }
  if (!r || packet->payloadType() != r->track.payloadType) return;  // RTX or unknown: not negotiated
  if (!r->track.ssrc) {
    r->track.ssrc = packet->ssrc();
    if (r->track.info.isVideo()) sendPli(*r->track.ssrc);
  }
  if (!r->stats) r->stats.emplace(packet->ssrc(), r->track.info.clockRate);
  r->stats->onPacket(packet->sequence(), packet->timestamp(), now);
  if (r->track.nack) r->nacks.onPacket(packet->sequence(), now);
  const auto index = static_cast<std::size_t>(r - tracks_.data());
  r->receiver.push(data, now, [this, r, now](media::MutableUnitPtr unit) {
    if (unit->keyframe) r->keyframes.onKeyframe(now);
    stream_->publish(std::move(unit));
  });
  if (r->receiver.takeTrackChange()) stream_->updateTrack(index, r->receiver.track());
}

void WhipSession::onTransportRtcp(const rtcp::RtcpCompound& compound, base::SteadyTime now) {
  for (const auto& header : compound) {
    if (header.packetType != rtcp::SenderReport::kPacketType) continue;
    if (const auto sr = rtcp::SenderReport::parse(header.packet)) {
      for (auto& t : tracks_) {
        if (t.stats && t.stats->ssrc() == sr->ssrc) t.stats->onSenderReport(sr->ntpTime, now);
      }
    }
  }
}

void WhipSession::onTransportTick(base::SteadyTime now) {
  std::vector<std::uint8_t> out;
  // Receiver Reports once a second; NACKs on every tick (RFC 4585 §3.5.2: early feedback).
  if (ticks_++ % 50 == 0) {
    rtcp::ReceiverReport rr;
    rr.ssrc = ssrc_;
    for (auto& t : tracks_) {
      if (t.stats) {
        if (auto block = t.stats->report(now)) rr.reportBlocks.push_back(*block);
      }
    }
    rr.serialize(out);
  }
  for (auto& t : tracks_) {
    if (!t.track.ssrc) continue;
    if (t.track.info.isVideo() && t.keyframes.due(now)) sendPli(*t.track.ssrc);
    if (!t.track.nack) continue;
    const auto missing = t.nacks.onTimer(now);
    if (!missing.empty()) {
      rtcp::Nack nack;
      nack.senderSsrc = ssrc_;
      nack.mediaSsrc = *t.track.ssrc;
      nack.items = rtcp::Nack::toItems(missing);
      if (out.empty()) rtcp::ReceiverReport{ssrc_, {}}.serialize(out);  // a compound starts with RR
      nack.serialize(out);
    }
    if (t.nacks.takeKeyFrameRequest()) sendPli(*t.track.ssrc);
  }
  if (!out.empty()) transport_.sendRtcp(out);
}

void WhipSession::sendPli(std::uint32_t mediaSsrc) {
  std::vector<std::uint8_t> out;
  rtcp::ReceiverReport{ssrc_, {}}.serialize(out);
  rtcp::Pli{ssrc_, mediaSsrc}.serialize(out);
  transport_.sendRtcp(out);
}

}  // namespace ocellus::server::webrtc
