#include "server/rtsp/RtspConnection.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <charconv>

#include "base/Random.h"
#include "rtp/RtpPacket.h"
#include "proto/rtsp/Transport.h"
#include "proto/rtsp/Url.h"

namespace ocellus::server::rtsp {

namespace rtsp = proto::rtsp;

namespace {

constexpr std::string_view kPublic =
    "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER, ANNOUNCE, RECORD";
constexpr std::size_t kTcpHeaderSize = 4 + rtp::kRtpHeaderSize;  // '$', channel, length, RTP header

// The index in "…/trackID=3" (our own controls), if the URL ends with one.
std::optional<std::size_t> trackIdSuffix(std::string_view url) {
  const auto at = url.rfind("trackID=");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t value = 0;
  const auto digits = url.substr(at + 8);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::string withoutQuery(std::string_view url) { return std::string(url.substr(0, url.find('?'))); }

}  // namespace

RtspConnection::RtspConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<RtspServer::Context> context)
    : ctx_(std::move(context)),
      socket_(std::move(socket)),
      loop_(static_cast<io::IoContext&>(socket_.get_executor().context())),
      timer_(loop_),
      log_(ctx_->log),
            lastActivity_(base::Clock::system().now()) {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  remoteIp_ = ec ? "?" : remote.address().to_string();
  loopback_ = !ec && remote.address().is_loopback();
  log_ = ctx_->log.child("conn " + (ec ? std::string("?") : remoteIp_ + ":" + std::to_string(remote.port())));
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
}

RtspConnection::~RtspConnection() = default;

void RtspConnection::start() {
  ctx_->connections.add();
  log_.debug("opened");
  read();
  tick();
}

void RtspConnection::close(std::string_view reason) {
  if (closed_) return;
  closed_ = true;
  log_.debug("closed: {}", reason);
  endSession();
  boost::system::error_code ec;
  timer_.cancel();
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void RtspConnection::endSession() {
  if (stream_ && mode_ == Mode::Play && playing_) stream_->removeReader(shared_from_this(), loop_);
  if (stream_ && mode_ == Mode::Record) ctx_->registry.unpublish(stream_);
  if (ctx_->udp) {
    for (const auto& t : tracks_) {
      if (t.setup && !t.tcp) {
        ctx_->udp->unsubscribe(t.rtpPeer, this);
        ctx_->udp->unsubscribe(t.rtcpPeer, this);
      }
    }
  }
  if (queue_ && queue_->droppedUnits() > 0) {
    log_.info("reader too slow: {} units dropped in {} overflows", queue_->droppedUnits(), queue_->overflows());
  }
  playing_ = false;
  stream_.reset();
  tracks_.clear();
  streamTracks_.clear();
  sessionId_.clear();
  mode_ = Mode::None;
  queue_.reset();
}

// ---------------------------------------------------------------------------- input

void RtspConnection::read() {
  if (reading_ || closed_ || waiting_) return;
  reading_ = true;
  auto space = parser_.prepare(mode_ == Mode::Record ? kPublisherReadSize : kReaderReadSize);
  socket_.async_read_some(boost::asio::buffer(space.data(), space.size()),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            self->reading_ = false;
                            if (self->closed_) return;
                            if (ec) {
                              self->close(ec == boost::asio::error::eof ? "peer closed" : ec.message());
                              return;
                            }
                            self->parser_.commit(n);
                            self->processInput();
                            self->read();  // not while a request waits: resume() reads again
                          });
}

void RtspConnection::processInput() {
  while (!closed_ && !waiting_) {
    auto event = parser_.next();
    if (std::holds_alternative<rtsp::NeedMore>(event)) return;
    if (auto* error = std::get_if<rtsp::ParseError>(&event)) {
      // The byte stream cannot be trusted any more: answer with the status the parser names,
      // then close once the answer is written.
      ctx_->badRequests.add();
      log_.info("bad request: {}", error->message);
      send(rtsp::Response::withStatus(error->status));
      endSession();
      closed_ = true;
      flush();
      return;
    }
    if (auto* frame = std::get_if<rtsp::InterleavedFrame>(&event)) {
      handleInterleaved(frame->channel, frame->payload);
    } else if (auto* request = std::get_if<rtsp::Request>(&event)) {
      handle(std::move(*request));
    } else {
      ctx_->badRequests.add();
      close("a response where a request was expected");
    }
  }
}

void RtspConnection::resume() {
  waiting_ = false;
  flush();
  processInput();
  read();
}

void RtspConnection::handleInterleaved(std::uint8_t channel, std::span<const std::uint8_t> data) {
  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    auto& t = tracks_[i];
    if (!t.setup || !t.tcp) continue;
    if (channel == t.rtpChannel) {
      if (mode_ == Mode::Record) receiveRtp(i, data);
      return;
    }
    if (channel == t.rtcpChannel) {
      lastActivity_ = base::Clock::system().now();  // receiver reports keep the session alive
      return;
    }
  }
  ctx_->badRequests.add();
  close("interleaved data on channel " + std::to_string(channel) + ", which no track uses");
}

void RtspConnection::receiveRtp(std::size_t index, std::span<const std::uint8_t> packet) {
  auto& t = tracks_[index];
  if (!t.receiver || !stream_) return;
  const auto now = base::Clock::system().now();
  lastActivity_ = now;
  t.receiver->push(packet, now, [this](media::MutableUnitPtr unit) { stream_->publish(std::move(unit)); });
  if (t.receiver->takeTrackChange()) stream_->updateTrack(index, t.receiver->track());
}

// ---------------------------------------------------------------------------- requests

rtsp::Response RtspConnection::reply(const rtsp::Request& request, int status) {
  auto response = rtsp::Response::forRequest(request, status);
  response.headers.set("Server", "ocellus");
  if (!sessionId_.empty()) {
    response.headers.set("Session",
                         sessionId_ + ";timeout=" + std::to_string(ctx_->options.sessionTimeout.count()));
  }
  return response;
}

void RtspConnection::send(rtsp::Response response) {
  controlOut_ += response.toString();
  flush();
}

void RtspConnection::fail(const rtsp::Request& request, int status, std::string_view why) {
  log_.info("{} {} → {} ({})", request.method, request.uri, status, why);
  send(reply(request, status));
}

void RtspConnection::handle(rtsp::Request request) {
  lastActivity_ = base::Clock::system().now();
  if (!request.headers.get("CSeq")) {
    ctx_->badRequests.add();
    fail(request, 400, "no CSeq header");
    return;
  }
  const auto& method = request.method;
  log_.debug("{} {}", method, request.uri);
  if (method == "OPTIONS") {
    auto r = reply(request, 200);
    r.headers.set("Public", std::string(kPublic));
    send(std::move(r));
    return;
  }
  if (method == "GET_PARAMETER" || method == "SET_PARAMETER") {
    send(reply(request, 200));
    return;
  }
  if (method == "TEARDOWN") {
    auto r = reply(request, 200);
    endSession();
    send(std::move(r));
    return;
  }
  // Requests past SETUP name their session (RFC 2326 §12.37).
  if (!sessionId_.empty() && method != "DESCRIBE" && method != "ANNOUNCE") {
    auto session = request.headers.get("Session");
    const std::string id = session ? std::string(session->substr(0, session->find(';'))) : std::string();
    if (!id.empty() && id != sessionId_) {
      fail(request, 454, "unknown session " + id);
      return;
    }
  }
  auto url = rtsp::Url::parse(withoutQuery(request.uri));
  if (!url) {
    fail(request, 400, "bad URL: " + url.error().message);
    return;
  }
  if (method == "DESCRIBE") {
    handleDescribe(request, url->path());
  } else if (method == "ANNOUNCE") {
    handleAnnounce(request, url->path());
  } else if (method == "SETUP") {
    handleSetup(request);
  } else if (method == "PLAY") {
    handlePlay(request);
  } else if (method == "RECORD") {
    handleRecord(request);
  } else if (method == "PAUSE") {
    if (mode_ == Mode::Play && playing_) {
      stream_->removeReader(shared_from_this(), loop_);
      playing_ = false;
    }
    send(reply(request, 200));
  } else {
    fail(request, 501, "method not implemented");
  }
}

bool RtspConnection::authorize(const rtsp::Request& request, media::MediaAction action, const std::string& path) {
  if (authorized_.count({action, path})) return true;
  const auto access = ctx_->access();
  const media::MediaRequest req{action, path, remoteIp_, loopback_};
  if (!access->pathAllows(req)) {
    fail(request, 403, (action == media::MediaAction::Publish ? "publishing" : "reading") + std::string(" '") +
                           path + "' is not allowed");
    return false;
  }
  if (!access->allowsAnonymous(req)) {
    const auto now = base::Clock::system().wallNow();
    auto header = request.headers.get("Authorization");
    base::Result<std::string> user = base::makeError(base::ErrorCode::Unauthorized, "no credentials");
    if (header) {
      const rtsp::ServerAuth::Credentials credentials{
          .basic = [&](std::string_view name, std::string_view password) { return access->checkPassword(name, password); },
          .digestHa1 = [&](std::string_view name, rtsp::DigestAlgorithm algorithm) {
            return access->digestHa1(name, algorithm == rtsp::DigestAlgorithm::Sha256);
          }};
      user = ctx_->auth.verify(*header, request.method, request.uri, credentials, now);
    }
    if (!user || !access->permits(user.value(), req)) {
      ctx_->authFailures.add();
      auto r = reply(request, 401);
      const bool stale = !user && user.error().code == base::ErrorCode::Timeout;
      for (auto& challenge : ctx_->auth.challenges(now, stale)) r.headers.add("WWW-Authenticate", std::move(challenge));
      if (header) {
        log_.info("authentication failed on '{}': {}", path,
                  user ? "user '" + user.value() + "' may not do this" : user.error().message);
      }
      send(std::move(r));
      return false;
    }
  }
  authorized_.insert({action, path});
  return true;
}

void RtspConnection::handleDescribe(const rtsp::Request& request, const std::string& rawPath) {
  const auto path = ctx_->registry.resolve(rawPath);
  if (!authorize(request, media::MediaAction::Read, path)) return;
  waiting_ = true;
  ctx_->registry.whenReady(
      path, loop_, ctx_->options.onDemandStartTimeout,
      [self = shared_from_this(), request, path](base::Result<std::shared_ptr<media::Stream>> stream) {
        if (self->closed_) return;
        if (!stream) {
          const int status = stream.error().code == base::ErrorCode::NotFound ? 404 : 503;
          self->fail(request, status, stream.error().message);
        } else {
          auto r = self->reply(request, 200);
          auto base = withoutQuery(request.uri);
          if (base.empty() || base.back() != '/') base += '/';
          r.headers.set("Content-Base", base);
          r.headers.set("Content-Type", "application/sdp");
          r.body = bridge::sdpForTracks(stream.value()->tracks(), path).toString();
          self->send(std::move(r));
        }
        self->resume();
      });
}

void RtspConnection::handleAnnounce(const rtsp::Request& request, const std::string& rawPath) {
  const auto path = ctx_->registry.resolve(rawPath);
  if (mode_ != Mode::None) {
    fail(request, 455, "a session is already set up on this connection");
    return;
  }
  if (!authorize(request, media::MediaAction::Publish, path)) return;
  auto type = request.headers.get("Content-Type");
  if (!type || type->find("application/sdp") == std::string_view::npos) {
    fail(request, 415, "ANNOUNCE needs an application/sdp body");
    return;
  }
  auto sdp = format::sdp::SessionDescription::parse(request.body);
  if (!sdp) {
    fail(request, 400, "bad SDP: " + sdp.error().message);
    return;
  }
  std::vector<std::string> skipped;
  auto tracks = bridge::tracksFromSdp(*sdp, &skipped);
  if (!tracks) {
    fail(request, 415, tracks.error().message);
    return;
  }
  if (tracks->size() > kMaxTracks) {
    fail(request, 400, "too many tracks");
    return;
  }
  if (ctx_->registry.find(path)) {
    fail(request, 400, "path '" + path + "' already has a publisher");
    return;
  }
  for (const auto& s : skipped) log_.warn("publisher on '{}': skipping unsupported track {}", path, s);
  mode_ = Mode::Record;
  path_ = path;
  baseUrl_ = withoutQuery(request.uri);
  for (auto& t : *tracks) {
    Track track;
    track.control = t.control;
    track.payloadType = t.payloadType;
    track.receiver = std::make_unique<bridge::RtpTrackReceiver>(t.info, tracks_.size(), false);
    streamTracks_.push_back(t.info);
    tracks_.push_back(std::move(track));
  }
  send(reply(request, 200));
}

void RtspConnection::handleSetup(const rtsp::Request& request) {
  const auto uri = withoutQuery(request.uri);
  if (mode_ == Mode::Record) {
    // Find the announced track whose control the URL ends with.
    for (std::size_t i = 0; i < tracks_.size(); ++i) {
      const auto& c = tracks_[i].control;
      const bool match = !c.empty() && (uri == c || (uri.size() > c.size() && uri.ends_with(c) &&
                                                     uri[uri.size() - c.size() - 1] == '/'));
      if (match || (tracks_.size() == 1 && (c.empty() || c == "*"))) {
        setupTransport(request, i);
        return;
      }
    }
    fail(request, 404, "no announced track matches " + uri);
    return;
  }
  // Play: the URL is <stream URL>/trackID=<n>, or the stream URL itself for one track.
  auto index = trackIdSuffix(uri);
  auto streamUrl = index ? uri.substr(0, uri.rfind("trackID=")) : uri;
  while (!streamUrl.empty() && streamUrl.back() == '/') streamUrl.pop_back();
  auto url = rtsp::Url::parse(streamUrl);
  if (!url) {
    fail(request, 400, "bad URL");
    return;
  }
  const auto path = ctx_->registry.resolve(url->path());
  if (mode_ == Mode::Play && path != path_) {
    fail(request, 455, "all tracks of a session must belong to one path");
    return;
  }
  if (mode_ == Mode::None) {
    if (!authorize(request, media::MediaAction::Read, path)) return;
    auto stream = ctx_->registry.find(path);
    if (!stream) {
      fail(request, 404, "no stream on path '" + path + "'");
      return;
    }
    mode_ = Mode::Play;
    path_ = path;
    baseUrl_ = streamUrl;
    stream_ = stream;
    streamTracks_ = stream->tracks();
    tracks_.resize(streamTracks_.size());
    for (std::size_t i = 0; i < tracks_.size(); ++i) tracks_[i].payloadType = bridge::payloadTypeFor(streamTracks_[i], i);
  }
  const std::size_t i = index.value_or(0);
  if (i >= tracks_.size() || (!index && tracks_.size() != 1)) {
    fail(request, 404, "no track " + std::to_string(i) + " on path '" + path_ + "'");
    return;
  }
  setupTransport(request, i);
}

void RtspConnection::setupTransport(const rtsp::Request& request, std::size_t index) {
  auto header = request.headers.get("Transport");
  if (!header) {
    fail(request, 400, "SETUP without Transport");
    return;
  }
  auto offers = rtsp::Transport::parseList(*header);
  if (!offers) {
    fail(request, 400, "bad Transport header: " + offers.error().message);
    return;
  }
  auto& track = tracks_[index];
  // Every track of a session uses the same lower transport.
  std::optional<bool> sessionTcp;
  for (const auto& t : tracks_) {
    if (t.setup) sessionTcp = t.tcp;
  }
  for (const auto& offer : *offers) {
    const bool tcp = offer.lower == rtsp::Transport::Lower::Tcp;
    if (sessionTcp && *sessionTcp != tcp) continue;
    if (offer.multicast) continue;
    if (tcp && !ctx_->options.tcp) continue;
    if (!tcp && (!ctx_->options.udp || !ctx_->udp || !offer.clientPort)) continue;

    rtsp::Transport answer;
    answer.lower = offer.lower;
    answer.mode = offer.mode;
    if (tcp) {
      const auto first = static_cast<std::uint16_t>(index * 2);
      auto channels = offer.interleaved.value_or(rtsp::PortRange{first, static_cast<std::uint16_t>(first + 1)});
      if (channels.last == channels.first) channels.last = static_cast<std::uint16_t>(channels.first + 1);
      if (channels.first > 255 || channels.last > 255) continue;
      track.rtpChannel = static_cast<std::uint8_t>(channels.first);
      track.rtcpChannel = static_cast<std::uint8_t>(channels.last);
      answer.interleaved = channels;
    } else {
      boost::system::error_code ec;
      const auto ip = boost::asio::ip::make_address(remoteIp_, ec);
      if (ec) continue;
      const auto ports = *offer.clientPort;
      track.rtpPeer = UdpMediaPort::Endpoint(ip, ports.first);
      track.rtcpPeer = UdpMediaPort::Endpoint(ip, ports.last == ports.first ? ports.first + 1 : ports.last);
      answer.clientPort = ports;
      answer.serverPort = rtsp::PortRange{ctx_->udp->rtpPort(), ctx_->udp->rtcpPort()};
      // A UDP session lives on its datagrams: a publisher's RTP, and the RTCP of either side
      // (receiver reports keep a UDP reader alive without RTSP keep-alives, RFC 2326 §12.37).
      auto self = weak_from_this();
      auto handler = [self, index](UdpMediaPort::Channel channel, std::span<const std::uint8_t> data) {
        auto conn = self.lock();
        if (!conn || conn->closed_) return;
        if (channel == UdpMediaPort::Channel::Rtp && conn->mode_ == Mode::Record) {
          conn->receiveRtp(index, data);
        } else {
          conn->lastActivity_ = base::Clock::system().now();
        }
      };
      ctx_->udp->subscribe(track.rtpPeer, loop_, this, handler);
      ctx_->udp->subscribe(track.rtcpPeer, loop_, this, handler);
      if (mode_ == Mode::Record) {
        // Datagrams may arrive out of order: the receiver reorders them.
        track.receiver = std::make_unique<bridge::RtpTrackReceiver>(track.receiver->track(), index, true);
      }
    }
    track.tcp = tcp;
    track.setup = true;
    if (sessionId_.empty()) sessionId_ = base::randomHex(16);
    auto r = reply(request, 200);
    r.headers.set("Transport", answer.toString());
    send(std::move(r));
    return;
  }
  fail(request, 461, "no acceptable transport in '" + std::string(*header) + "'");
}

void RtspConnection::handlePlay(const rtsp::Request& request) {
  if (mode_ != Mode::Play || !stream_) {
    fail(request, 455, "PLAY before SETUP");
    return;
  }
  if (stream_->ended()) {
    fail(request, 404, "the stream ended");
    endSession();
    return;
  }
  auto r = reply(request, 200);
  std::string rtpInfo;
  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    auto& t = tracks_[i];
    if (!t.setup) continue;
    if (!t.sender) t.sender.emplace(t.payloadType);
    rtpInfo += (rtpInfo.empty() ? "" : ",") + baseUrl_ + "/trackID=" + std::to_string(i) +
               ";seq=" + std::to_string(t.sender->nextSequence());
  }
  r.headers.set("RTP-Info", rtpInfo);
  r.headers.set("Range", "npt=0.000-");
  send(std::move(r));
  if (!playing_) {
    if (!queue_) queue_.emplace(media::ReaderQueue::Limits{}, stream_->videoTrack());
    playing_ = true;
    playingSince_ = base::Clock::system().now();
    stream_->addReader(shared_from_this(), loop_);
    log_.info("playing '{}' over {}", path_, tracks_.empty() || tracks_[0].tcp ? "TCP" : "UDP");
  }
}

void RtspConnection::handleRecord(const rtsp::Request& request) {
  if (mode_ != Mode::Record) {
    fail(request, 455, "RECORD before ANNOUNCE");
    return;
  }
  std::vector<media::TrackInfo> infos;
  for (const auto& t : tracks_) {
    if (!t.setup) {
      fail(request, 455, "RECORD before every announced track is SETUP");
      return;
    }
    infos.push_back(t.receiver->track());
  }
  if (stream_) {
    send(reply(request, 200));
    return;
  }
  auto stream = ctx_->registry.publish(path_, loop_, std::move(infos), "rtsp publisher " + remoteIp_);
  if (!stream) {
    fail(request, 400, stream.error().message);
    return;
  }
  stream_ = std::move(stream).value();
  send(reply(request, 200));
  log_.info("publishing '{}' ({} track(s))", path_, tracks_.size());
}

// ---------------------------------------------------------------------------- output

void RtspConnection::onUnit(const media::UnitPtr& unit) {
  if (closed_ || !playing_ || unit->track >= tracks_.size()) return;
  auto& track = tracks_[unit->track];
  if (!track.setup) return;
  if (!track.tcp) {
    sendUdp(*unit, track);
    return;
  }
  if (!queue_->push(unit, unit->rtpWireSize() + unit->rtpPayloads.size() * 4, base::Clock::system().now())) {
    ctx_->droppedUnits.add();
    stream_->countDroppedUnits(1);
  }
  flush();
}

void RtspConnection::sendUdp(const media::Unit& unit, Track& track) {
  udpHeaders_.resize(unit.rtpPayloads.size() * rtp::kRtpHeaderSize);
  track.sender->writeHeaders(unit, udpHeaders_.data(), rtp::kRtpHeaderSize);
  std::size_t sent = 0;
  for (std::size_t i = 0; i < unit.rtpPayloads.size(); ++i) {
    const std::array<std::span<const std::uint8_t>, 2> parts{
        std::span<const std::uint8_t>(udpHeaders_.data() + i * rtp::kRtpHeaderSize, rtp::kRtpHeaderSize),
        unit.rtpPayload(unit.rtpPayloads[i])};
    if (ctx_->udp->send(UdpMediaPort::Channel::Rtp, track.rtpPeer, parts)) {
      sent += rtp::kRtpHeaderSize + unit.rtpPayloads[i].size;
    }
  }
  stream_->countBytesOut(sent);
  recordLatency(unit, base::Clock::system().now());
}

void RtspConnection::recordLatency(const media::Unit& unit, base::SteadyTime now) {
  if (unit.received < playingSince_) return;  // replayed from the GOP cache, not relayed live
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now - unit.received).count();
  ctx_->relayLatency.record(micros < 0 ? 0 : static_cast<std::uint64_t>(micros));
}

void RtspConnection::flush() {
  if (writing_ || !socket_.is_open()) return;
  inflightControl_.clear();
  std::swap(inflightControl_, controlOut_);
  inflightUnits_.clear();
  if (queue_ && playing_) queue_->takeAll(inflightUnits_);
  if (inflightControl_.empty() && inflightUnits_.empty()) {
    if (closed_) {  // the last answer is out: now close for real
      boost::system::error_code ec;
      socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
      socket_.close(ec);
    }
    return;
  }
  std::size_t packets = 0;
  for (const auto& u : inflightUnits_) packets += u->rtpPayloads.size();
  headerBlock_.resize(packets * kTcpHeaderSize);
  buffers_.clear();
  if (!inflightControl_.empty()) buffers_.emplace_back(inflightControl_.data(), inflightControl_.size());
  std::uint8_t* header = headerBlock_.data();
  std::size_t bytes = inflightControl_.size();
  for (const auto& u : inflightUnits_) {
    auto& track = tracks_[u->track];
    track.sender->writeHeaders(*u, header + 4, kTcpHeaderSize);
    for (const auto& ref : u->rtpPayloads) {
      // RFC 2326 §10.12: '$', channel, 16-bit length of the RTP packet that follows.
      const auto length = static_cast<std::uint16_t>(rtp::kRtpHeaderSize + ref.size);
      header[0] = '$';
      header[1] = track.rtpChannel;
      header[2] = static_cast<std::uint8_t>(length >> 8);
      header[3] = static_cast<std::uint8_t>(length);
      buffers_.emplace_back(header, kTcpHeaderSize);
      buffers_.emplace_back(u->rtpBytes.data() + ref.offset, ref.size);
      header += kTcpHeaderSize;
      bytes += kTcpHeaderSize + ref.size;
    }
  }
  writing_ = true;
  const auto now = base::Clock::system().now();
  for (const auto& u : inflightUnits_) recordLatency(*u, now);
  // Asio attempts the write at once (a non-blocking writev), so this is when the bytes reach
  // the kernel unless the reader's socket buffer is full.
  boost::asio::async_write(socket_, buffers_,
                           [self = shared_from_this(), bytes](const boost::system::error_code& ec, std::size_t) {
                             self->writing_ = false;
                             if (self->stream_ && !self->inflightUnits_.empty()) self->stream_->countBytesOut(bytes);
                             self->inflightUnits_.clear();
                             if (ec) {
                               self->close("write failed: " + ec.message());
                               return;
                             }
                             self->flush();
                           });
}

void RtspConnection::onStreamEnd() {
  if (closed_) return;
  log_.info("stream '{}' ended", path_);
  playing_ = false;
  stream_.reset();
  close("stream ended");
}

void RtspConnection::tick() {
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->closed_) return;
    ++self->ticks_;
    const auto now = base::Clock::system().now();
    // A session that stopped talking (no request, no RTCP, no media) is gone. A TCP player
    // needs no keep-alive: its open connection is proof of life.
    const bool tcpPlayer = self->playing_ && !self->tracks_.empty() && self->tracks_[0].tcp;
    if (!tcpPlayer && now - self->lastActivity_ > self->ctx_->options.sessionTimeout) {
      self->close("session timed out");
      return;
    }
    // RTCP Sender Reports every 5 s let players line up tracks (RFC 3550 §6.4.1).
    if (self->playing_ && self->ticks_ % 5 == 0) {
      std::vector<std::uint8_t> sr;
      for (auto& t : self->tracks_) {
        if (!t.setup || !t.sender) continue;
        sr.clear();
        if (!t.sender->senderReport(sr)) continue;
        if (t.tcp) {
          const auto n = static_cast<std::uint16_t>(sr.size());
          self->controlOut_ += '$';
          self->controlOut_ += static_cast<char>(t.rtcpChannel);
          self->controlOut_ += static_cast<char>(n >> 8);
          self->controlOut_ += static_cast<char>(n & 0xff);
          self->controlOut_.append(reinterpret_cast<const char*>(sr.data()), sr.size());
        } else if (self->ctx_->udp) {
          const std::array<std::span<const std::uint8_t>, 1> parts{std::span<const std::uint8_t>(sr)};
          self->ctx_->udp->send(UdpMediaPort::Channel::Rtcp, t.rtcpPeer, parts);
        }
      }
      self->flush();
    }
    self->tick();
  });
}

}  // namespace ocellus::server::rtsp
