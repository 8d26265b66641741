#include "server/webrtc/WebRtcTransport.h"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "io/Udp.h"
#include "proto/webrtc/PacketKind.h"
#include "server/webrtc/WebRtcTcpListener.h"

namespace ocellus::server::webrtc {

namespace pw = proto::webrtc;

namespace {

// A UDP or TCP endpoint; IceLite tells paths apart by address alone (a browser's TCP and UDP
// sockets do not share a port in practice).
template <typename Endpoint>
pw::TransportAddress toTransport(const Endpoint& e) {
  const auto a = e.address();
  if (a.is_v4()) return pw::TransportAddress::ipv4(a.to_v4().to_bytes(), e.port());
  return pw::TransportAddress::ipv6(a.to_v6().to_bytes(), e.port());
}

}  // namespace

WebRtcTransport::WebRtcTransport(Params params, Owner& owner, base::Logger log)
    : p_(std::move(params)),
      owner_(owner),
      log_(std::move(log)),
      ice_(p_.localIce, base::Clock::system().now()),
      timer_(*p_.loop) {}

// Not close(): a session may be destroyed by its loop's shutdown, when the port's loop is
// already gone; the port forgets its entry when it closes (its handler holds only `life`).
WebRtcTransport::~WebRtcTransport() = default;

base::Status WebRtcTransport::start(std::weak_ptr<void> life) {
  life_ = std::move(life);
  connectDeadline_ = base::Clock::system().now() + p_.connectTimeout;
  OCELLUS_TRY(ice_.setRemoteCredentials(p_.remoteIce.ufrag, p_.remoteIce.pwd));
  pw::DtlsEndpoint::Config config;
  config.role = pw::DtlsRole::Server;
  auto dtls = pw::DtlsEndpoint::create(*p_.certificate, config, *this);
  if (!dtls) return dtls.error();
  dtls_ = std::move(dtls).value();
  for (const auto& fp : p_.remoteFingerprints) OCELLUS_TRY(dtls_->expectFingerprint(fp.algorithm, fp.value));
  p_.port->add(p_.localIce.ufrag, *p_.loop,
               [this, life = life_](const WebRtcPort::Endpoint& from, std::vector<std::uint8_t> data) {
                 if (auto alive = life.lock()) onPacket(Path{from, nullptr}, data);
               });
  if (p_.tcp) {
    WebRtcTcpConnection::Handlers handlers;
    handlers.onFrame = [this, life = life_](const std::shared_ptr<WebRtcTcpConnection>& c, std::span<std::uint8_t> f) {
      if (auto alive = life.lock()) return onTcpFrame(c, f);
      c->close();  // the session is gone
    };
    handlers.onClosed = [this, life = life_](const std::shared_ptr<WebRtcTcpConnection>& c, const std::string& why) {
      if (auto alive = life.lock()) onTcpClosed(c, why);
    };
    p_.tcp->add(p_.localIce.ufrag, *p_.loop, std::move(handlers));
  }
  schedule();
  return {};
}

void WebRtcTransport::close() {
  if (closed_) return;
  closed_ = true;
  p_.port->remove(p_.localIce.ufrag);
  if (p_.tcp) p_.tcp->remove(p_.localIce.ufrag);
  timer_.cancel();
  if (dtls_ && dtls_->state() == pw::DtlsState::Connected) dtls_->close();
  for (const auto& c : tcpPaths_) c->close();
  tcpPaths_.clear();
}

void WebRtcTransport::fail(const std::string& why) {
  if (closed_) return;
  close();
  owner_.onTransportFailed(why);
}

// ------------------------------------------------------------------------------ receiving

void WebRtcTransport::onTcpFrame(const std::shared_ptr<WebRtcTcpConnection>& connection, std::span<std::uint8_t> frame) {
  if (closed_) return connection->close();
  if (std::find(tcpPaths_.begin(), tcpPaths_.end(), connection) == tcpPaths_.end()) {
    if (tcpPaths_.size() >= kMaxTcpPaths) {
      const auto old = std::find_if(tcpPaths_.begin(), tcpPaths_.end(), [&](const auto& c) {
        return !(remote_ && remote_->tcp == c) && !(dtlsFrom_ && dtlsFrom_->tcp == c);
      });
      if (old == tcpPaths_.end()) return connection->close();
      (*old)->close();
      tcpPaths_.erase(old);
    }
    tcpPaths_.push_back(connection);
  }
  onPacket(Path{{}, connection}, frame);
}

void WebRtcTransport::onTcpClosed(const std::shared_ptr<WebRtcTcpConnection>& connection, const std::string& why) {
  std::erase(tcpPaths_, connection);
  // The selected path (or the one the handshake runs on) is gone: the peer left, since a browser
  // keeps its TCP connection for the session's life.
  const bool inUse = remote_ ? remote_->tcp == connection : dtlsFrom_ && dtlsFrom_->tcp == connection;
  if (inUse) fail("the ICE-TCP connection ended: " + why);
}

void WebRtcTransport::dropTcp(const std::shared_ptr<WebRtcTcpConnection>& connection, const std::string& why) {
  connection->close();
  onTcpClosed(connection, why);
}

bool WebRtcTransport::send(const Path& to, std::span<const std::uint8_t> packet) {
  return to.tcp ? to.tcp->send(packet) : p_.port->send(to.udp, packet);
}

void WebRtcTransport::onPacket(const Path& from, std::span<std::uint8_t> data) {
  if (closed_) return;
  const auto now = base::Clock::system().now();
  const auto source = from.address();
  switch (pw::classifyPacket(data)) {
    case pw::PacketKind::Stun: {
      auto outcome = ice_.handle(std::span<const std::uint8_t>(data), source, now);
      if (!outcome.response.empty()) send(from, outcome.response);
      // A nomination on another path with the same address (UDP and TCP) moves it too.
      if (outcome.selectedChanged || (outcome.nominated && remote_ && !(*remote_ == from))) {
        select(from);
        log_.debug("selected {}", remoteText_);
      }
      if (from.tcp) {
        using V = pw::IceLite::Verdict;
        if (outcome.validated) {
          from.tcp->checked();
        } else if (outcome.verdict != V::RoleConflict && outcome.verdict != V::Ignored) {
          // A stream that carries a bad check carries nothing we want.
          return dropTcp(from.tcp, "ICE check refused (" + std::string(pw::IceLite::verdictName(outcome.verdict)) + ")");
        }
      }
      break;
    }
    case pw::PacketKind::Dtls:
      // Only from an address that passed a connectivity check (RFC 8445 §7.3).
      if (!ice_.isValidAddress(source)) return;
      dtlsFrom_ = from;
      (void)dtls_->feed(data, now);
      break;
    case pw::PacketKind::Rtp: {
      std::size_t length = data.size();
      if (srtpIn_ && ice_.isValidAddress(source) && srtpIn_->unprotectRtp(data, length)) {
        peerFinished();
        owner_.onTransportRtp(data.first(length), now);
      }
      break;
    }
    case pw::PacketKind::Rtcp: {
      std::size_t length = data.size();
      if (srtpIn_ && ice_.isValidAddress(source) && srtpIn_->unprotectRtcp(data, length)) {
        peerFinished();
        if (auto compound = rtp::rtcp::RtcpCompound::parse(data.first(length), rtp::rtcp::RtcpCompound::Mode::ReducedSize)) {
          owner_.onTransportRtcp(*compound, now);
        }
      }
      break;
    }
    default:
      // Garbage: dropped from a datagram port, but on a TCP stream the peer has lost its way.
      if (from.tcp) return dropTcp(from.tcp, "not STUN, DTLS, RTP or RTCP");
      break;
  }
  if (!closed_) schedule();
}

pw::TransportAddress WebRtcTransport::Path::address() const {
  return tcp ? toTransport(tcp->remote()) : toTransport(udp);
}

void WebRtcTransport::select(const Path& to) {
  remote_ = to;
  remoteText_ = (to.tcp ? "tcp " : "udp ") + to.address().toString();
}

// ------------------------------------------------------------------------------ sending

namespace {

// What sendRtp and sendRtcp protect, one per loop thread: packets live there only during a call,
// so every session of the loop shares one buffer that stays in cache, and no viewer keeps a
// keyframe-sized buffer of its own.
struct Scratch {
  struct Packet {
    std::size_t at;      // in bytes
    std::size_t length;  // protected
    std::size_t plain;   // RTP bytes before protection
  };
  std::vector<std::uint8_t> bytes;
  std::vector<Packet> packets;  // laid out one after another in bytes
};
thread_local Scratch scratch;

}  // namespace

std::size_t WebRtcTransport::sendRtp(std::span<const RtpParts> packets) {
  if (closed_ || !connected()) return 0;
  std::size_t room = 0;
  for (const auto& p : packets) room += p.header.size() + p.payload.size() + pw::SrtpSession::kMaxRtpTrailer;
  auto& buffer = scratch.bytes;
  auto& out = scratch.packets;
  if (buffer.size() < room) buffer.resize(room);
  out.clear();
  std::size_t at = 0;
  for (const auto& p : packets) {
    std::copy(p.header.begin(), p.header.end(), buffer.begin() + static_cast<std::ptrdiff_t>(at));
    std::copy(p.payload.begin(), p.payload.end(), buffer.begin() + static_cast<std::ptrdiff_t>(at + p.header.size()));
    const std::size_t plain = p.header.size() + p.payload.size();
    std::size_t length = plain;
    if (!srtpOut_->protectRtp(std::span(buffer).subspan(at), length)) continue;
    out.push_back({at, length, plain});
    at += length;
  }
  std::size_t sent = 0;
  for (std::size_t i = 0; i < out.size();) {
    // [i, j): every packet but the last one exactly `segment` bytes, the last no longer.
    const std::size_t segment = out[i].length;
    std::size_t bytes = segment;
    std::size_t plain = out[i].plain;
    std::size_t j = i + 1;
    if (!remote_->tcp) {
      for (; j < out.size() && out[j - 1].length == segment && out[j].length <= segment &&
             j - i < io::kMaxSegments && bytes + out[j].length <= io::kMaxSegmentsBytes;
           ++j) {
        bytes += out[j].length;
        plain += out[j].plain;
      }
    }
    const std::span<const std::uint8_t> run(buffer.data() + out[i].at, bytes);
    if (remote_->tcp ? send(*remote_, run) : p_.port->sendTrain(remote_->udp, run, segment)) sent += plain;
    i = j;
  }
  return sent;
}

bool WebRtcTransport::sendRtcp(std::span<const std::uint8_t> packet) {
  if (closed_ || !connected()) return false;
  auto& buffer = scratch.bytes;
  if (buffer.size() < packet.size() + pw::SrtpSession::kMaxRtcpTrailer)
    buffer.resize(packet.size() + pw::SrtpSession::kMaxRtcpTrailer);
  std::copy(packet.begin(), packet.end(), buffer.begin());
  std::size_t length = packet.size();
  if (!srtpOut_->protectRtcp(buffer, length)) return false;
  return send(*remote_, {buffer.data(), length});
}

// ------------------------------------------------------------------------------ DTLS

void WebRtcTransport::onDtlsSend(pw::DtlsEndpoint&, std::span<const std::uint8_t> datagram) {
  if (dtlsFrom_) send(*dtlsFrom_, datagram);
}

void WebRtcTransport::onDtlsConnected(pw::DtlsEndpoint&, const pw::DtlsSrtpKeys& keys) {
  auto out = pw::SrtpSession::create(keys.profile, keys.local.key, keys.local.salt, pw::SrtpDirection::Outbound);
  auto in = pw::SrtpSession::create(keys.profile, keys.remote.key, keys.remote.salt, pw::SrtpDirection::Inbound);
  const bool keyed = out && in;
  if (keyed) {
    srtpOut_.emplace(std::move(out).value());
    srtpIn_.emplace(std::move(in).value());
    // A browser may finish DTLS before it nominates a pair (Chromium does): until then, media
    // goes where DTLS talks.
    if (!remote_) select(*dtlsFrom_);
  }
  // Reported from the loop, not from inside the DTLS endpoint's callback.
  boost::asio::post(*p_.loop, [this, life = life_, keyed] {
    auto alive = life.lock();
    if (!alive || closed_) return;
    if (!keyed) return fail("SRTP setup failed");
    log_.debug("DTLS connected");
    nextTick_ = base::Clock::system().now();
    owner_.onTransportConnected();
    schedule();
  });
}

void WebRtcTransport::peerFinished() {
  if (dtls_->peerFinished()) log_.debug("DTLS state freed: the peer's SRTP authenticates");
}

void WebRtcTransport::onDtlsFailed(pw::DtlsEndpoint&, const base::Error& error) {
  boost::asio::post(*p_.loop, [this, life = life_, why = "DTLS failed: " + error.message] {
    if (auto alive = life.lock()) fail(why);
  });
}

void WebRtcTransport::onDtlsClosed(pw::DtlsEndpoint&) {
  boost::asio::post(*p_.loop, [this, life = life_] {
    if (auto alive = life.lock()) fail("the peer closed DTLS");
  });
}

// ------------------------------------------------------------------------------ timers

void WebRtcTransport::schedule() {
  const auto now = base::Clock::system().now();
  auto next = ice_.nextTimeout(now);
  if (dtls_) {
    if (auto d = dtls_->nextTimeout(now); d && (!next || *d < *next)) next = *d;
  }
  if (connected() && (!next || nextTick_ < *next)) next = nextTick_;
  if (!connected() && (!next || connectDeadline_ < *next)) next = connectDeadline_;
  if (!next) return;
  timer_.expires_at(*next);
  timer_.async_wait([this, life = life_](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto alive = life.lock()) onTimer();
  });
}

void WebRtcTransport::onTimer() {
  if (closed_) return;
  const auto now = base::Clock::system().now();
  if (ice_.state(now) == pw::IceLite::State::Failed) {
    return fail(remote_ ? "ICE consent expired" : "no ICE connectivity check arrived");
  }
  if (!connected() && now >= connectDeadline_) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(p_.connectTimeout).count();
    return fail((remote_ ? "DTLS handshake" : "ICE nomination") + std::string(" not done within ") +
                std::to_string(seconds) + " s");
  }
  if (dtls_) dtls_->onTimeout(now);
  if (connected() && now >= nextTick_) {
    nextTick_ = now + p_.tickInterval;
    owner_.onTransportTick(now);
  }
  if (!closed_) schedule();
}

}  // namespace ocellus::server::webrtc
