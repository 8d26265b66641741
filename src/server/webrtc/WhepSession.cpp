#include "server/webrtc/WhepSession.h"

#include <boost/asio/post.hpp>

#include "proto/webrtc/PacketKind.h"
#include "proto/webrtc/StunMessage.h"
#include "rtp/RtpPacket.h"
#include "rtp/rtcp/Nack.h"
#include "rtp/rtcp/RtcpCompound.h"
#include "rtp/rtcp/Sdes.h"

namespace ocellus::server::webrtc {

namespace pw = proto::webrtc;
namespace rtcp = rtp::rtcp;

namespace {

pw::TransportAddress toTransport(const WebRtcPort::Endpoint& e) {
  const auto a = e.address();
  if (a.is_v4()) return pw::TransportAddress::ipv4(a.to_v4().to_bytes(), e.port());
  return pw::TransportAddress::ipv6(a.to_v6().to_bytes(), e.port());
}

std::uint16_t sequenceOf(std::span<const std::uint8_t> header) {
  return static_cast<std::uint16_t>((header[2] << 8) | header[3]);
}

}  // namespace

WhepSession::WhepSession(Params params)
    : p_(std::move(params)),
      log_(base::Logger("webrtc").child("whep " + p_.id)),
      ice_(p_.localIce, std::chrono::steady_clock::now()),
      timer_(*p_.loop) {
  for (std::size_t i = 0; i < p_.tracks.size(); ++i) history_.emplace_back(kHistoryPackets, kHistoryAge);
}

WhepSession::~WhepSession() = default;

base::Status WhepSession::start() {
  OCELLUS_TRY(ice_.setRemoteCredentials(p_.negotiated.remoteIceUfrag, p_.negotiated.remoteIcePwd));
  pw::DtlsEndpoint::Config config;
  config.role = pw::DtlsRole::Server;
  auto dtls = pw::DtlsEndpoint::create(*p_.certificate, config, *this);
  if (!dtls) return dtls.error();
  dtls_ = std::move(dtls).value();
  for (const auto& fp : p_.negotiated.remoteFingerprints) OCELLUS_TRY(dtls_->expectFingerprint(fp.algorithm, fp.value));
  std::weak_ptr<WhepSession> weak = weak_from_this();
  p_.port->add(p_.localIce.ufrag, *p_.loop, [weak](const WebRtcPort::Endpoint& from, std::vector<std::uint8_t> data) {
    if (auto self = weak.lock()) self->onDatagram(from, std::move(data));
  });
  schedule();
  return {};
}

void WhepSession::close(const std::string& why) {
  if (closed_) return;
  closed_ = true;
  log_.info("closed: {} ({} retransmitted, {} keyframe requests)", why, retransmitted_, keyframeRequests_);
  p_.port->remove(p_.localIce.ufrag);
  timer_.cancel();
  if (dtls_ && dtls_->state() == pw::DtlsState::Connected) dtls_->close();
  if (reading_) {
    reading_ = false;
    p_.stream->removeReader(shared_from_this(), *p_.loop);
  }
  if (p_.onClosed) p_.onClosed(p_.id);
}

// ------------------------------------------------------------------------------ receiving

void WhepSession::onDatagram(const WebRtcPort::Endpoint& from, std::vector<std::uint8_t> data) {
  if (closed_) return;
  const auto now = base::Clock::system().now();
  const auto source = toTransport(from);
  switch (pw::classifyPacket(data)) {
    case pw::PacketKind::Stun: {
      auto outcome = ice_.handle(std::span<const std::uint8_t>(data), source, now);
      if (!outcome.response.empty()) p_.port->send(from, outcome.response);
      if (outcome.selectedChanged) {
        remote_ = from;
        log_.debug("selected {}", source.toString());
      }
      break;
    }
    case pw::PacketKind::Dtls:
      // Only from an address that passed a connectivity check (RFC 8445 §7.3: media and
      // DTLS go over validated pairs).
      if (!ice_.isValidAddress(source)) return;
      dtlsFrom_ = from;
      (void)dtls_->feed(data, now);
      break;
    case pw::PacketKind::Rtcp:
      if (srtpIn_ && ice_.isValidAddress(source)) onRtcp(std::move(data));
      break;
    default:
      break;  // RTP from a viewer, or garbage: nothing to do with it
  }
  schedule();
}

void WhepSession::onRtcp(std::vector<std::uint8_t> packet) {
  if (!srtpIn_->unprotectRtcp(packet)) return;
  auto compound = rtcp::RtcpCompound::parse(packet, rtcp::RtcpCompound::Mode::ReducedSize);
  if (!compound) return;
  const auto now = base::Clock::system().now();
  for (const auto& header : *compound) {
    if (header.packetType == rtcp::Nack::kPacketType && header.count == rtcp::Nack::kFormat) {
      const auto nack = rtcp::Nack::parse(header.packet);
      if (!nack) continue;
      for (std::size_t t = 0; t < p_.tracks.size(); ++t) {
        auto& track = p_.tracks[t];
        if (track.sender->ssrc() != nack->mediaSsrc || !track.nack) continue;
        for (const auto seq : rtcp::Nack::toSequenceNumbers(nack->items)) {
          if (const auto* sent = history_[t].find(seq, now)) {
            const auto& ref = sent->unit->rtpPayloads[sent->payload];
            if (sendRtp(track, sent->header, sent->unit->rtpPayload(ref))) ++retransmitted_;
          }
        }
      }
    } else if (header.packetType == 206 && (header.count == 1 || header.count == 4)) {
      // PLI / FIR: the stream's sources cannot make a keyframe on request yet; the GOP cache
      // gave this viewer one at the start, and the next arrives with the source's GOP.
      ++keyframeRequests_;
    }
  }
}

// ------------------------------------------------------------------------------ DTLS

void WhepSession::onDtlsSend(pw::DtlsEndpoint&, std::span<const std::uint8_t> datagram) {
  if (dtlsFrom_) p_.port->send(*dtlsFrom_, datagram);
}

void WhepSession::onDtlsConnected(pw::DtlsEndpoint&, const pw::DtlsSrtpKeys& keys) {
  auto out = pw::SrtpSession::create(keys.profile, keys.local.key, keys.local.salt, pw::SrtpDirection::Outbound);
  auto in = pw::SrtpSession::create(keys.profile, keys.remote.key, keys.remote.salt, pw::SrtpDirection::Inbound);
  if (!out || !in) {
    boost::asio::post(*p_.loop, [self = shared_from_this()] { self->close("SRTP setup failed"); });
    return;
  }
  srtpOut_.emplace(std::move(out).value());
  srtpIn_.emplace(std::move(in).value());
  if (!remote_) remote_ = dtlsFrom_;
  log_.debug("DTLS connected");
  // Join the stream now: the GOP cache's keyframe is the first thing this viewer gets.
  boost::asio::post(*p_.loop, [self = shared_from_this()] {
    if (self->closed_) return;
    self->reading_ = true;
    self->p_.stream->addReader(self, *self->p_.loop);
  });
}

void WhepSession::onDtlsFailed(pw::DtlsEndpoint&, const base::Error& error) {
  boost::asio::post(*p_.loop, [self = shared_from_this(), why = "DTLS failed: " + error.message] { self->close(why); });
}

void WhepSession::onDtlsClosed(pw::DtlsEndpoint&) {
  boost::asio::post(*p_.loop, [self = shared_from_this()] { self->close("the viewer closed DTLS"); });
}

// ------------------------------------------------------------------------------ sending

void WhepSession::onUnit(const media::UnitPtr& unit) {
  if (closed_ || !srtpOut_ || !remote_) return;
  for (std::size_t t = 0; t < p_.tracks.size(); ++t) {
    auto& track = p_.tracks[t];
    if (track.streamTrack != unit->track) continue;
    const auto count = unit->rtpPayloads.size();
    headers_.resize(count * rtp::kRtpHeaderSize);
    track.sender->writeHeaders(*unit, headers_.data(), rtp::kRtpHeaderSize);
    const auto now = base::Clock::system().now();
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const std::span<const std::uint8_t> header(headers_.data() + i * rtp::kRtpHeaderSize, rtp::kRtpHeaderSize);
      const auto payload = unit->rtpPayload(unit->rtpPayloads[i]);
      if (sendRtp(track, header, payload)) bytes += header.size() + payload.size();
      if (track.nack) {
        Sent sent{unit, static_cast<std::uint16_t>(i), {}};
        std::copy(header.begin(), header.end(), sent.header.begin());
        history_[t].insert(sequenceOf(header), std::move(sent), now);
      }
    }
    p_.stream->countBytesOut(bytes);
  }
  if (base::Clock::system().now() >= nextReport_) sendReports();
}

bool WhepSession::sendRtp(Track&, std::span<const std::uint8_t> header, std::span<const std::uint8_t> payload) {
  packet_.resize(header.size() + payload.size() + pw::SrtpSession::kMaxRtpTrailer);
  std::copy(header.begin(), header.end(), packet_.begin());
  std::copy(payload.begin(), payload.end(), packet_.begin() + static_cast<std::ptrdiff_t>(header.size()));
  std::size_t length = header.size() + payload.size();
  if (!srtpOut_->protectRtp(packet_, length)) return false;
  return p_.port->send(*remote_, {packet_.data(), length});
}

void WhepSession::sendReports() {
  nextReport_ = base::Clock::system().now() + kReportInterval;
  std::vector<std::uint8_t> compound;
  rtcp::Sdes sdes;
  for (auto& track : p_.tracks) {
    if (track.sender->senderReport(compound)) sdes.chunks.push_back({track.sender->ssrc(), p_.cname});
  }
  if (compound.empty()) return;
  sdes.serialize(compound);
  compound.resize(compound.size() + pw::SrtpSession::kMaxRtcpTrailer);
  std::size_t length = compound.size() - pw::SrtpSession::kMaxRtcpTrailer;
  if (srtpOut_->protectRtcp(compound, length)) p_.port->send(*remote_, {compound.data(), length});
}

void WhepSession::onStreamEnd() {
  reading_ = false;
  boost::asio::post(*p_.loop, [self = shared_from_this()] { self->close("the stream ended"); });
}

// ------------------------------------------------------------------------------ timers

void WhepSession::schedule() {
  if (closed_) return;
  const auto now = base::Clock::system().now();
  auto next = ice_.nextTimeout(now);
  if (dtls_) {
    if (auto d = dtls_->nextTimeout(now); d && (!next || *d < *next)) next = *d;
  }
  if (srtpOut_ && (!next || nextReport_ < *next)) next = nextReport_;
  if (!next) return;
  timer_.expires_at(*next);
  timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->onTimer();
  });
}

void WhepSession::onTimer() {
  if (closed_) return;
  const auto now = base::Clock::system().now();
  const auto state = ice_.state(now);
  if (state == pw::IceLite::State::Failed) {
    close(remote_ ? "ICE consent expired" : "no ICE connectivity check arrived");
    return;
  }
  if (dtls_) dtls_->onTimeout(now);
  if (srtpOut_ && remote_ && now >= nextReport_) sendReports();
  schedule();
}

}  // namespace ocellus::server::webrtc
