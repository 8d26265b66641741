#include "server/webrtc/WebRtcServer.h"

#include <arpa/inet.h>
#include <boost/asio/post.hpp>
#include <ifaddrs.h>
#include <net/if.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "base/Random.h"
#include "base/Text.h"
#include "codec/Codec.h"
#include "proto/webrtc/CodecDescription.h"
#include "proto/webrtc/SdpNegotiator.h"
#include "server/webrtc/WebRtcPort.h"
#include "server/webrtc/WebRtcTcpListener.h"
#include "server/webrtc/WhepSession.h"
#include "server/webrtc/WhipSession.h"

namespace ocellus::server::webrtc {

namespace pw = proto::webrtc;

namespace {

// A session's URL, /webrtc/sessions/{id}, is all a client shows to PATCH or DELETE it, so the id
// is a capability: 128 bits from the CSPRNG (the fast RNG of base/Random.h is guessable).
std::string unguessableSessionId() {
  std::array<std::uint8_t, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("webrtc: the CSPRNG failed to make a session id");
  }
  return base::toHex(bytes);
}

// What a WebRTC viewer can get of a track; nullopt for what WebRTC does not carry (AAC, KLV).
std::optional<pw::CodecDescription> codecFor(const media::TrackInfo& t) {
  switch (t.codec) {
    case codec::CodecId::H264:
      // profile_idc, constraint flags and level_idc: SPS bytes 1..3 (RFC 6184 §8.1).
      return pw::CodecDescription::h264(
          t.sps.size() >= 4 ? base::toHex(std::span<const std::uint8_t>(t.sps).subspan(1, 3)) : "42e01f",
          t.packetizationMode);
    case codec::CodecId::H265:
      return pw::CodecDescription::h265();
    case codec::CodecId::VP8:
      return pw::CodecDescription::vp8();
    case codec::CodecId::VP9:
      return pw::CodecDescription::vp9();
    case codec::CodecId::AV1:
      return pw::CodecDescription::av1();
    case codec::CodecId::Opus:
      return pw::CodecDescription::opus();
    case codec::CodecId::PCMU:
      return pw::CodecDescription::pcmu();
    case codec::CodecId::PCMA:
      return pw::CodecDescription::pcma();
    case codec::CodecId::AAC:
    case codec::CodecId::KLV:
      return std::nullopt;
  }
  return std::nullopt;
}

// The media core's description of a track a WHIP publisher sends; parameter sets and the
// picture size arrive in-band and update it.
media::TrackInfo trackInfoFor(const pw::CodecDescription& c) {
  media::TrackInfo t;
  const auto is = [&](std::string_view name) { return base::iequals(c.name, name); };
  if (is("H264")) {
    t.codec = codec::CodecId::H264;
    const auto mode = c.fmtp.find("packetization-mode");
    t.packetizationMode = mode != c.fmtp.end() && mode->second == "1" ? 1 : 0;
  } else if (is("H265")) {
    t.codec = codec::CodecId::H265;
  } else if (is("VP8")) {
    t.codec = codec::CodecId::VP8;
  } else if (is("VP9")) {
    t.codec = codec::CodecId::VP9;
  } else if (is("AV1")) {
    t.codec = codec::CodecId::AV1;
  } else if (is("opus")) {
    t.codec = codec::CodecId::Opus;
  } else if (is("PCMU")) {
    t.codec = codec::CodecId::PCMU;
  } else {
    t.codec = codec::CodecId::PCMA;
  }
  t.clockRate = c.clockRate;
  t.channels = t.isVideo() ? 0 : c.channels;
  return t;
}

bool hasNack(const pw::NegotiatedMedia& m) {
  return std::find(m.rtcpFeedback.begin(), m.rtcpFeedback.end(), "nack") != m.rtcpFeedback.end();
}

}  // namespace

WebRtcServer::WebRtcServer(io::IoContextPool& loops, media::StreamRegistry& registry, Options options)
    : loops_(loops), registry_(registry), options_(std::move(options)) {}

WebRtcServer::~WebRtcServer() { stop(); }

base::Status WebRtcServer::start() {
  auto certificate = pw::DtlsCertificate::loadOrCreate(options_.certificateFile);
  if (!certificate) {
    return base::makeError(certificate.error().code, "WebRTC certificate " + options_.certificateFile + ": " +
                                                         certificate.error().message);
  }
  certificate_ = std::make_shared<const pw::DtlsCertificate>(std::move(certificate).value());
  port_ = std::make_shared<WebRtcPort>(loops_.next());
  OCELLUS_TRY(port_->open(options_.udpAddress));
  if (options_.iceTcp) {
    // The same number as the UDP port, which may have been picked by the system (port 0).
    tcp_ = std::make_shared<WebRtcTcpListener>(port_->loop());
    if (auto opened = tcp_->open({options_.udpAddress.host, port_->port()}); !opened) {
      port_->close();
      return base::makeError(opened.error().code, opened.error().message + " (or set webrtc.ice_tcp: false)");
    }
  }
  candidates_ = gatherCandidates();
  std::string list;
  for (const auto& c : candidates_) {
    if (c.transport == pw::IceCandidate::Transport::Udp) list += (list.empty() ? "" : ", ") + c.address;
  }
  log_.info("WebRTC on UDP {}{} (host candidates: {})", port_->port(), tcp_ ? " and TCP (ICE-TCP)" : "", list);
  return {};
}

void WebRtcServer::stop() {
  std::map<std::string, Entry> sessions;
  {
    std::lock_guard lock(sessions_->mutex);
    sessions.swap(sessions_->byId);
  }
  for (auto& [id, e] : sessions) {
    boost::asio::post(*e.loop, [session = e.session] { session->close("server stopping"); });
  }
  if (port_) port_->close();
  if (tcp_) tcp_->close();
}

std::uint16_t WebRtcServer::port() const { return port_ ? port_->port() : 0; }

std::vector<pw::IceCandidate> WebRtcServer::gatherCandidates() const {
  std::vector<std::string> addresses;
  const auto& host = options_.udpAddress.host;
  if (!host.empty() && host != "0.0.0.0") {
    addresses.push_back(host);
  } else {
    // Every IPv4 address of an interface that is up; loopback last (local tools and tests).
    ifaddrs* list = nullptr;
    std::vector<std::string> loopback;
    if (getifaddrs(&list) == 0) {
      for (auto* i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP)) continue;
        char text[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, text, sizeof text);
        ((i->ifa_flags & IFF_LOOPBACK) ? loopback : addresses).emplace_back(text);
      }
      freeifaddrs(list);
    }
    addresses.insert(addresses.end(), loopback.begin(), loopback.end());
  }
  addresses.insert(addresses.end(), options_.additionalHosts.begin(), options_.additionalHosts.end());
  // A passive TCP candidate per address after the UDP ones: its priority ranks it below every
  // UDP candidate (RFC 6544 §4.2), so browsers take it only when UDP does not get through.
  // Foundations differ by transport (RFC 8445 §5.1.1.3).
  const std::size_t perAddress = tcp_ ? 2 : 1;
  const std::size_t count = std::min(addresses.size(), pw::SdpNegotiator::kMaxLocalCandidates / perAddress);
  std::vector<pw::IceCandidate> out;
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(pw::IceCandidate::host(std::to_string(i + 1), pw::IceCandidate::Transport::Udp, addresses[i],
                                         port_->port(), static_cast<std::uint16_t>(65535 - i)));
  }
  for (std::size_t i = 0; tcp_ && i < count; ++i) {
    out.push_back(pw::IceCandidate::host(std::to_string(count + i + 1), pw::IceCandidate::Transport::Tcp,
                                         addresses[i], tcp_->port(), static_cast<std::uint16_t>(8191 - i)));
  }
  return out;
}

base::Result<pw::IceCredentials, WebRtcServer::Refusal> WebRtcServer::fillLocal(pw::AnswerOptions& options) const {
  auto credentials = pw::IceLite::generateCredentials();
  if (!credentials) return Refusal{Refusal::Kind::Internal, credentials.error().message};
  options.iceUfrag = credentials->ufrag;
  options.icePwd = credentials->pwd;
  options.fingerprint = certificate_->fingerprint();
  options.candidates = candidates_;
  return std::move(credentials).value();
}

base::Result<pw::NegotiatedSession, WebRtcServer::Refusal> WebRtcServer::negotiate(std::string_view offer,
                                                                                   const pw::AnswerOptions& options) {
  auto negotiated = pw::SdpNegotiator::answer(offer, options);
  if (negotiated) return std::move(negotiated).value();
  const auto& e = negotiated.error();
  return Refusal{e.offerAtFault() ? Refusal::Kind::BadOffer : Refusal::Kind::NoCommonCodec, e.message};
}

std::function<void(const std::string&)> WebRtcServer::remover() const {
  return [table = std::weak_ptr<Sessions>(sessions_)](const std::string& id) {
    if (auto t = table.lock()) {
      const auto now = std::chrono::steady_clock::now();
      std::lock_guard lock(t->mutex);
      if (t->byId.erase(id) == 0) return;
      while (!t->ended.empty() && (t->ended.size() >= kEndedKeptMax || now - t->ended.front().second > kEndedKept)) {
        t->ended.pop_front();
      }
      t->ended.emplace_back(id, now);
    }
  };
}

base::Result<WebRtcServer::Answer, WebRtcServer::Refusal> WebRtcServer::launch(std::shared_ptr<Session> session, const WebRtcTransport::Params& transport,
                                          std::string answer) {
  // Started here, before the answer goes out, so the peer's first check finds it registered.
  if (auto started = session->start(); !started) {
    log_.warn("WebRTC session {} not started: {}", transport.id, started.error().describe());
    boost::asio::post(*transport.loop, [session] { session->close("start failed"); });
    return Refusal{Refusal::Kind::Internal, "the session did not start: " + started.error().message};
  }
  {
    std::lock_guard lock(sessions_->mutex);
    sessions_->byId[transport.id] = Entry{std::move(session), transport.loop};
  }
  return Answer{transport.id, std::move(answer)};
}

base::Result<WebRtcServer::Answer, WebRtcServer::Refusal> WebRtcServer::createPlayer(const std::string& path,
                                                                                     std::string_view offer) {
  auto stream = registry_.find(path);
  if (!stream) return Refusal{Refusal::Kind::NoStream, "no stream is published at '" + path + "'"};

  const auto tracks = stream->tracks();
  pw::AnswerOptions options;
  options.role = pw::AnswerOptions::Role::Send;
  std::vector<std::size_t> trackOfCodec;  // AnswerOptions::codecs index → stream track
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    if (auto c = codecFor(tracks[i])) {
      options.codecs.push_back(std::move(*c));
      trackOfCodec.push_back(i);
    }
  }
  if (options.codecs.empty()) {
    return Refusal{Refusal::Kind::NoCommonCodec, "the stream at '" + path + "' has no codec WebRTC can carry"};
  }
  auto credentials = fillLocal(options);
  if (!credentials) return credentials.error();
  options.cname = "ocellus-" + base::randomHex(8);

  // One sender per codec we may answer; its SSRC goes into the answer. Sections take the
  // local tracks of their kind in order, so list them in codec order.
  std::vector<std::unique_ptr<bridge::RtpTrackSender>> senders;
  for (std::size_t c = 0; c < options.codecs.size(); ++c) {
    const auto track = trackOfCodec[c];
    senders.push_back(std::make_unique<bridge::RtpTrackSender>(static_cast<std::uint8_t>(96 + track)));
    pw::LocalTrack local;
    local.kind = options.codecs[c].kind;
    local.ssrc = senders.back()->ssrc();
    local.streamId = "ocellus";
    local.trackId = "track" + std::to_string(track);
    options.tracks.push_back(std::move(local));
  }

  auto negotiated = negotiate(offer, options);
  if (!negotiated) return negotiated.error();

  WhepSession::Params params;
  params.transport = transportParams(*negotiated, *credentials, std::chrono::seconds(1));
  params.stream = stream;
  params.cname = options.cname;
  params.onClosed = remover();
  for (const auto& m : negotiated->media) {
    if (!m.localSsrc) continue;
    WhepSession::Track t;
    t.streamTrack = trackOfCodec[m.localCodecIndex];
    t.nack = hasNack(m);
    // The sender whose SSRC the answer announced for this section, now with the payload
    // type the browser chose.
    for (auto& sender : senders) {
      if (sender && sender->ssrc() == *m.localSsrc) t.sender = std::move(sender);
    }
    if (!t.sender) continue;
    t.sender->setPayloadType(m.payloadType);
    params.tracks.push_back(std::move(t));
  }
  const auto transport = params.transport;
  return launch(std::make_shared<WhepSession>(std::move(params)), transport, std::move(negotiated->answer));
}

base::Result<WebRtcServer::Answer, WebRtcServer::Refusal> WebRtcServer::createPublisher(const std::string& path,
                                                                                        std::string_view offer,
                                                                                        const std::string& source) {
  if (registry_.find(path)) return Refusal{Refusal::Kind::PathInUse, "path '" + path + "' already has a publisher"};
  pw::AnswerOptions options;
  options.role = pw::AnswerOptions::Role::Receive;
  // What the media core carries; any H.264 profile (no profile-level-id: we only forward). In
  // this order of preference, since HLS, RTMP and recording carry H.264 and not VP8 (which
  // browsers offer first): VP8, VP9 and AV1 are taken when the browser offers nothing before.
  pw::CodecDescription anyH264 = pw::CodecDescription::h264();
  anyH264.fmtp.erase("profile-level-id");
  options.codecs = {anyH264,
                    pw::CodecDescription::h265(),
                    pw::CodecDescription::vp8(),
                    pw::CodecDescription::vp9(),
                    pw::CodecDescription::av1(),
                    pw::CodecDescription::opus(),
                    pw::CodecDescription::pcmu(),
                    pw::CodecDescription::pcma()};
  options.preferOurOrder = true;
  auto credentials = fillLocal(options);
  if (!credentials) return credentials.error();
  auto negotiated = negotiate(offer, options);
  if (!negotiated) return negotiated.error();

  WhipSession::Params params;
  params.transport = transportParams(*negotiated, *credentials, WhipSession::kTick);
  std::vector<media::TrackInfo> infos;
  for (const auto& m : negotiated->media) {
    WhipSession::Track t;
    t.info = trackInfoFor(m.codec);
    t.payloadType = m.payloadType;
    if (!m.remoteSsrcs.empty()) t.ssrc = m.remoteSsrcs.front().ssrc;
    t.nack = hasNack(m);
    infos.push_back(t.info);
    params.tracks.push_back(std::move(t));
  }
  auto stream = registry_.publish(path, *params.transport.loop, std::move(infos), source);
  if (!stream) return Refusal{Refusal::Kind::PathInUse, stream.error().message};
  params.stream = std::move(stream).value();
  params.registry = &registry_;
  params.onClosed = remover();
  const auto transport = params.transport;
  return launch(std::make_shared<WhipSession>(std::move(params)), transport, std::move(negotiated->answer));
}

WebRtcTransport::Params WebRtcServer::transportParams(const pw::NegotiatedSession& negotiated,
                                                      const pw::IceCredentials& local,
                                                      std::chrono::milliseconds tick) {
  WebRtcTransport::Params p;
  p.id = unguessableSessionId();
  p.loop = &loops_.next();
  p.port = port_.get();
  p.tcp = tcp_.get();
  p.certificate = certificate_;
  p.localIce = local;
  p.remoteIce = {negotiated.remoteIceUfrag, negotiated.remoteIcePwd};
  p.remoteFingerprints = negotiated.remoteFingerprints;
  p.tickInterval = tick;
  p.connectTimeout = options_.handshakeTimeout;
  return p;
}

bool WebRtcServer::closeSession(const std::string& id) {
  Entry entry;
  {
    std::lock_guard lock(sessions_->mutex);
    const auto it = sessions_->byId.find(id);
    if (it == sessions_->byId.end()) return false;
    entry = it->second;
  }
  boost::asio::post(*entry.loop, [session = entry.session] { session->close("ended by the client (DELETE)"); });
  return true;
}

bool WebRtcServer::hasSession(const std::string& id) const {
  std::lock_guard lock(sessions_->mutex);
  return sessions_->byId.count(id) > 0;
}

bool WebRtcServer::recentlyEnded(const std::string& id) const {
  const auto since = std::chrono::steady_clock::now() - kEndedKept;
  std::lock_guard lock(sessions_->mutex);
  return std::any_of(sessions_->ended.rbegin(), sessions_->ended.rend(),
                     [&](const auto& e) { return e.first == id && e.second >= since; });
}

std::size_t WebRtcServer::sessionCount() const {
  std::lock_guard lock(sessions_->mutex);
  return sessions_->byId.size();
}

}  // namespace ocellus::server::webrtc
