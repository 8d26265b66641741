#include "sources/rtsp/RtspSource.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <future>
#include <optional>

#include "base/Log.h"
#include "base/Random.h"
#include "bridge/RtpTrackReceiver.h"
#include "bridge/SdpTracks.h"
#include "proto/rtsp/ClientAuth.h"
#include "proto/rtsp/Parser.h"
#include "proto/rtsp/SessionHeader.h"
#include "proto/rtsp/Transport.h"
#include "proto/rtsp/Url.h"

namespace ocellus::sources::rtsp {

namespace asio = boost::asio;
namespace proto = ocellus::proto::rtsp;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

// A failed step of the session; what() says which and why.
struct SessionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The camera refused UDP or sent nothing over it: go on with TCP at once.
struct UdpFailed : SessionError {
  using SessionError::SessionError;
};

constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr auto kUdpFirstPacketTimeout = std::chrono::seconds(3);
constexpr std::size_t kReadChunk = 64 * 1024;

}  // namespace

struct RtspSource::Session : std::enable_shared_from_this<Session> {
  Session(io::IoContext& l, media::StreamRegistry& r, const Options& o)
      : loop(l), registry(r), options(o), log(base::Logger("source").child(o.path)), socket(l), timer(l), watchdog(l) {}

  struct UdpTrack {
    explicit UdpTrack(io::IoContext& l) : rtp(l), rtcp(l) {}
    udp::socket rtp;
    udp::socket rtcp;
    std::array<std::uint8_t, 2048> buffer{};
    std::array<std::uint8_t, 2048> rtcpBuffer{};
  };

  io::IoContext& loop;
  media::StreamRegistry& registry;
  const Options& options;
  base::Logger log;
  tcp::socket socket;
  asio::steady_timer timer;
  asio::steady_timer watchdog;
  proto::Parser parser;
  std::vector<std::unique_ptr<bridge::RtpTrackReceiver>> receivers;
  std::vector<std::unique_ptr<UdpTrack>> udpTracks;
  std::shared_ptr<media::Stream> stream;
  std::vector<std::int64_t> nextPts;  // per track, so a reconnect continues the timeline

  bool stopping = false;
  bool idleStop = false;
  bool udpFailed = false;
  bool useUdp = false;
  bool playing = false;
  bool gotMedia = false;
  int cseq = 0;
  std::string sessionId;
  std::chrono::seconds keepAlive{30};
  std::optional<proto::ClientAuth> auth;  // set after a 401
  std::string user;
  std::string password;
  base::SteadyTime lastPacket{};
  base::SteadyTime lastKeepAlive{};
  base::SteadyTime noReadersSince{};
  std::string watchdogReason;
  std::optional<SourceState> state;

  void report(SourceState next, const std::string& detail = {}) {
    if (state == next && next != SourceState::Error) return;
    state = next;
    if (options.onState) options.onState(next, detail);
  }

  // ------------------------------------------------------------------ supervision

  awaitable<void> run() {
    auto backoff = options.reconnectMin;
    while (!stopping && !idleStop) {
      const auto started = base::Clock::system().now();
      if (state != SourceState::Error) report(SourceState::Connecting);
      std::string error;
      try {
        co_await connectAndPlay();
      } catch (const UdpFailed& e) {
        log.info("{}; switching to TCP", e.what());
        udpFailed = true;
        closeTransport();
        continue;
      } catch (const std::exception& e) {
        error = watchdogReason.empty() ? e.what() : watchdogReason;
      }
      closeTransport();
      if (stopping || idleStop) break;
      report(SourceState::Error, error);
      if (base::Clock::system().now() - started > std::chrono::seconds(30)) backoff = options.reconnectMin;
      // Jitter spreads the reconnects of many cameras that failed together (a switch reboot).
      const auto delay = std::chrono::milliseconds(
          static_cast<std::int64_t>(static_cast<double>(backoff.count()) * (0.5 + base::randomUnit())));
      log.warn("{}; reconnecting in {} ms", error, delay.count());
      timer.expires_after(delay);
      try {
        co_await timer.async_wait(use_awaitable);
      } catch (const std::exception&) {
      }
      backoff = std::min(backoff * 2, options.reconnectMax);
    }
    if (idleStop) log.info("no readers for {} s: stopped until the next reader", options.onDemandIdle.count());
    if (stream) registry.unpublish(stream);
    stream.reset();
    report(SourceState::Offline);
  }

  void stop() {
    stopping = true;
    timer.cancel();
    closeTransport();
  }

  void closeTransport() {
    boost::system::error_code ec;
    watchdog.cancel();
    socket.close(ec);
    for (auto& t : udpTracks) {
      t->rtp.close(ec);
      t->rtcp.close(ec);
    }
    udpTracks.clear();
    for (std::size_t i = 0; i < receivers.size() && i < nextPts.size(); ++i) {
      if (receivers[i]->packets() > 0) nextPts[i] = receivers[i]->nextPts();
    }
    receivers.clear();
    parser = proto::Parser();
    sessionId.clear();
    playing = false;
  }

  // Runs every second while connected: read timeout, UDP that brings nothing, on-demand idle.
  void armWatchdog() {
    watchdog.expires_after(std::chrono::seconds(1));
    watchdog.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->stopping) return;
      const auto now = base::Clock::system().now();
      auto fail = [&](std::string reason) {
        self->watchdogReason = std::move(reason);
        boost::system::error_code ignored;
        self->socket.close(ignored);
      };
      if (self->playing) {
        if (self->useUdp && !self->gotMedia && now - self->lastPacket > kUdpFirstPacketTimeout) {
          self->udpFailed = true;
          return fail("no RTP arrived over UDP");
        }
        if (now - self->lastPacket > self->options.readTimeout) {
          return fail("no media for " + std::to_string(self->options.readTimeout.count()) + " s");
        }
        if (self->options.onDemand && self->stream) {
          // Idle time counts from the first check that saw no reader.
          if (self->stream->readerCount() > 0) {
            self->noReadersSince = {};
          } else if (self->noReadersSince == base::SteadyTime{}) {
            self->noReadersSince = now;
          } else if (now - self->noReadersSince >= self->options.onDemandIdle) {
            self->idleStop = true;
            return fail("idle");
          }
        }
      }
      self->armWatchdog();
    });
  }

  // ------------------------------------------------------------------ protocol

  awaitable<void> connectAndPlay() {
    watchdogReason.clear();
    auto url = proto::Url::parse(options.url);
    if (!url) throw SessionError("bad source URL: " + url.error().message);
    user = url->user();
    password = url->password();
    const std::string target = url->withoutCredentials();

    tcp::resolver resolver(loop);
    timer.expires_after(kConnectTimeout);
    timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec && !self->playing) {
        self->watchdogReason = "connection timed out";
        boost::system::error_code ignored;
        self->socket.close(ignored);
      }
    });
    const std::string host = url->host();
    const std::string port = std::to_string(url->portOrDefault());
    auto endpoints = co_await resolver.async_resolve(host, port, use_awaitable);
    co_await asio::async_connect(socket, endpoints, use_awaitable);
    socket.set_option(tcp::no_delay(true));

    const auto optionsReply = co_await request("OPTIONS", target, nullptr);  // named: see sendRequest
    (void)optionsReply;
    proto::Headers describeHeaders;
    describeHeaders.set("Accept", "application/sdp");
    auto described = co_await request("DESCRIBE", target, &describeHeaders);
    if (described.status != 200) throw SessionError("DESCRIBE answered " + std::to_string(described.status));
    auto sdp = format::sdp::SessionDescription::parse(described.body);
    if (!sdp) throw SessionError("the camera's SDP is invalid: " + sdp.error().message);
    std::vector<std::string> skipped;
    auto tracks = bridge::tracksFromSdp(*sdp, &skipped);
    if (!tracks) throw SessionError(tracks.error().message);
    for (const auto& s : skipped) log.info("skipping unsupported track {}", s);

    std::string base = target;
    if (auto b = described.headers.get("Content-Base")) {
      base = std::string(*b);
    } else if (auto l = described.headers.get("Content-Location")) {
      base = std::string(*l);
    }
    if (auto aggregate = sdp->control(); !aggregate.empty() && aggregate != "*") {
      base = proto::resolveControl(base, aggregate);
    }

    useUdp = !udpFailed && std::find(options.transports.begin(), options.transports.end(), "udp") != options.transports.end();
    if (!useUdp && std::find(options.transports.begin(), options.transports.end(), "tcp") == options.transports.end()) {
      throw SessionError("UDP failed and TCP is not among rtsp.transports");
    }
    nextPts.resize(tracks->size(), 0);
    for (std::size_t i = 0; i < tracks->size(); ++i) {
      const auto& t = (*tracks)[i];
      proto::Transport transport;
      if (useUdp) {
        udpTracks.push_back(openUdpPair());
        transport.lower = proto::Transport::Lower::Udp;
        transport.clientPort = proto::PortRange{udpTracks.back()->rtp.local_endpoint().port(),
                                                udpTracks.back()->rtcp.local_endpoint().port()};
      } else {
        transport.lower = proto::Transport::Lower::Tcp;
        transport.interleaved = proto::PortRange{static_cast<std::uint16_t>(2 * i), static_cast<std::uint16_t>(2 * i + 1)};
      }
      proto::Headers h;
      h.set("Transport", transport.toString());
      const std::string trackUrl = proto::resolveControl(base, t.control.empty() ? "*" : t.control);
      auto setup = co_await request("SETUP", trackUrl, &h);
      if (setup.status == 461 && useUdp) throw UdpFailed("the camera refused UDP (461)");
      if (setup.status != 200) throw SessionError("SETUP answered " + std::to_string(setup.status));
      if (auto s = setup.headers.get("Session")) {
        auto parsed = proto::SessionHeader::parse(*s);
        if (!parsed) throw SessionError("bad Session header: " + parsed.error().message);
        sessionId = parsed->id;
        keepAlive = std::chrono::seconds(std::max<std::uint32_t>(5, parsed->timeout.value_or(60) / 2));
      }
      if (useUdp) {
        // Send toward the camera's server ports once so a NAT or firewall lets its RTP in.
        if (auto answer = setup.headers.get("Transport")) {
          auto parsed = proto::Transport::parse(*answer);
          if (parsed && parsed->serverPort) {
            const auto camera = socket.remote_endpoint().address();
            static const std::array<std::uint8_t, 4> kPunch{0xce, 0xfa, 0xed, 0xfe};
            boost::system::error_code ec;
            udpTracks.back()->rtp.send_to(asio::buffer(kPunch), udp::endpoint(camera, parsed->serverPort->first), 0, ec);
            udpTracks.back()->rtcp.send_to(asio::buffer(kPunch), udp::endpoint(camera, parsed->serverPort->last), 0, ec);
          }
        }
      }
      receivers.push_back(std::make_unique<bridge::RtpTrackReceiver>(t.info, static_cast<std::uint32_t>(i), useUdp, nextPts[i]));
    }

    proto::Headers playHeaders;
    playHeaders.set("Range", "npt=0.000-");
    auto played = co_await request("PLAY", base, &playHeaders);
    if (played.status != 200) throw SessionError("PLAY answered " + std::to_string(played.status));

    publish();
    report(SourceState::Online);
    playing = true;
    gotMedia = false;
    timer.cancel();
    lastPacket = lastKeepAlive = base::Clock::system().now();
    noReadersSince = {};
    log.info("playing {} over {} ({} track(s))", target, useUdp ? "UDP" : "TCP", receivers.size());
    armWatchdog();
    for (std::size_t i = 0; i < udpTracks.size(); ++i) {
      receiveUdp(i);
      receiveRtcp(i);
    }
    co_await readLoop(target);
  }

  void publish() {
    std::vector<media::TrackInfo> infos;
    for (const auto& r : receivers) infos.push_back(r->track());
    bool compatible = stream && !stream->ended() && stream->trackCount() == infos.size();
    if (compatible) {
      const auto old = stream->tracks();
      for (std::size_t i = 0; i < infos.size(); ++i) compatible = compatible && old[i].compatibleWith(infos[i]);
    }
    if (compatible) {
      for (std::size_t i = 0; i < infos.size(); ++i) stream->updateTrack(i, infos[i]);
      return;  // readers stay; timestamps continue from nextPts
    }
    if (stream) registry.unpublish(stream);
    std::fill(nextPts.begin(), nextPts.end(), 0);
    auto published = registry.publish(options.path, loop, std::move(infos), "rtsp source " + options.url);
    if (!published) throw SessionError(published.error().message);
    stream = std::move(published).value();
  }

  void onPacket(std::size_t index, std::span<const std::uint8_t> packet) {
    if (!stream || index >= receivers.size()) return;
    const auto now = base::Clock::system().now();
    lastPacket = now;
    gotMedia = true;
    auto& r = *receivers[index];
    r.push(packet, now, [this](media::MutableUnitPtr unit) { stream->publish(std::move(unit)); });
    if (r.takeTrackChange()) stream->updateTrack(index, r.track());
  }

  awaitable<void> readLoop(const std::string& target) {
    for (;;) {
      auto space = parser.prepare(kReadChunk);
      const std::size_t n = co_await socket.async_read_some(asio::buffer(space.data(), space.size()), use_awaitable);
      parser.commit(n);
      for (;;) {
        auto event = parser.next();
        if (std::holds_alternative<proto::NeedMore>(event)) break;
        if (auto* error = std::get_if<proto::ParseError>(&event)) throw SessionError("unreadable data: " + error->message);
        if (auto* frame = std::get_if<proto::InterleavedFrame>(&event)) {
          if (frame->channel % 2 == 0) onPacket(frame->channel / 2, frame->payload);
        }
        // Responses to keep-alives and requests from the camera need no action.
      }
      const auto now = base::Clock::system().now();
      if (now - lastKeepAlive > keepAlive) {
        lastKeepAlive = now;
        co_await sendRequest("GET_PARAMETER", target, nullptr);
      }
    }
  }

  void receiveUdp(std::size_t i) {
    auto& t = *udpTracks[i];
    t.rtp.async_receive(asio::buffer(t.buffer), [self = shared_from_this(), i](const boost::system::error_code& ec, std::size_t n) {
      if (ec || i >= self->udpTracks.size()) return;
      self->onPacket(i, std::span<const std::uint8_t>(self->udpTracks[i]->buffer.data(), n));
      self->receiveUdp(i);
    });
  }

  void receiveRtcp(std::size_t i) {
    auto& t = *udpTracks[i];
    t.rtcp.async_receive(asio::buffer(t.rtcpBuffer), [self = shared_from_this(), i](const boost::system::error_code& ec, std::size_t) {
      if (ec || i >= self->udpTracks.size()) return;
      self->receiveRtcp(i);
    });
  }

  std::unique_ptr<UdpTrack> openUdpPair() {
    // RTP on an even port and RTCP on the next (RFC 3550 §11).
    for (int attempt = 0; attempt < 50; ++attempt) {
      auto t = std::make_unique<UdpTrack>(loop);
      boost::system::error_code ec;
      t->rtp.open(udp::v4(), ec);
      if (!ec) t->rtp.bind(udp::endpoint(udp::v4(), 0), ec);
      if (ec) continue;
      const auto port = t->rtp.local_endpoint().port();
      if (port % 2 != 0 || port == 65535) continue;
      t->rtcp.open(udp::v4(), ec);
      if (!ec) t->rtcp.bind(udp::endpoint(udp::v4(), static_cast<std::uint16_t>(port + 1)), ec);
      if (!ec) {
        t->rtp.set_option(asio::socket_base::receive_buffer_size(4 << 20), ec);
        return t;
      }
    }
    throw UdpFailed("no free UDP port pair");
  }

  // Coroutine parameters are trivial or refer to named objects: GCC 12 mishandles temporaries
  // with destructors inside co_await expressions (it destroys them twice or from the frame).
  awaitable<void> sendRequest(const char* method, const std::string& uri, const proto::Headers* headers) {
    proto::Request r;
    r.method = method;
    r.uri = uri;
    if (headers) r.headers = *headers;
    r.headers.set("CSeq", std::to_string(++cseq));
    r.headers.set("User-Agent", "ocellus");
    if (!sessionId.empty()) r.headers.set("Session", sessionId);
    if (auth) r.headers.set("Authorization", auth->authorization(method, uri));
    const auto text = r.toString();
    co_await asio::async_write(socket, asio::buffer(text), use_awaitable);
  }

  // Sends a request and reads until its response; answers one 401 with credentials.
  awaitable<proto::Response> request(const char* method, const std::string& uri, const proto::Headers* headers) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      co_await sendRequest(method, uri, headers);
      auto response = co_await readResponse();
      if (response.status == 401 && attempt == 0 && !user.empty()) {
        const auto challenges = response.headers.getAll("WWW-Authenticate");
        auto chosen = proto::ClientAuth::fromChallenges(challenges, user, password);
        if (!chosen) throw SessionError("cannot answer the camera's challenge: " + chosen.error().message);
        auth = std::move(chosen).value();
        continue;
      }
      if (response.status == 401) {
        throw SessionError(user.empty() ? "the camera needs credentials (user:pass@ in the source URL)"
                                        : "the camera refused the credentials");
      }
      co_return response;
    }
    throw SessionError("authentication failed");
  }

  awaitable<proto::Response> readResponse() {
    for (;;) {
      for (;;) {
        auto event = parser.next();
        if (std::holds_alternative<proto::NeedMore>(event)) break;
        if (auto* error = std::get_if<proto::ParseError>(&event)) throw SessionError("unreadable answer: " + error->message);
        if (auto* response = std::get_if<proto::Response>(&event)) co_return std::move(*response);
      }
      auto space = parser.prepare(kReadChunk);
      const std::size_t n = co_await socket.async_read_some(asio::buffer(space.data(), space.size()), use_awaitable);
      parser.commit(n);
    }
  }
};

std::shared_ptr<RtspSource> RtspSource::create(io::IoContext& loop, media::StreamRegistry& registry, Options options) {
  return std::shared_ptr<RtspSource>(new RtspSource(loop, registry, std::move(options)));
}

RtspSource::RtspSource(io::IoContext& loop, media::StreamRegistry& registry, Options options)
    : loop_(loop), registry_(registry), options_(std::move(options)) {}

RtspSource::~RtspSource() = default;

void RtspSource::launch() {
  if (running_ || stopped_) return;
  running_ = true;
  session_ = std::make_shared<Session>(loop_, registry_, options_);
  asio::co_spawn(loop_, [self = shared_from_this(), session = session_]() -> awaitable<void> {
    co_await session->run();
    if (self->session_ == session) {
      self->running_ = false;
      self->session_.reset();
    }
  }, asio::detached);
}

void RtspSource::start() {
  asio::post(loop_, [self = shared_from_this()] {
    if (!self->options_.onDemand) self->launch();
  });
}

void RtspSource::demand() {
  asio::post(loop_, [self = shared_from_this()] { self->launch(); });
}

void RtspSource::stop() {
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  asio::post(loop_, [self = shared_from_this(), done] {
    self->stopped_ = true;
    if (self->session_) {
      self->session_->stop();
      if (self->session_->stream) self->registry_.unpublish(self->session_->stream);
    }
    done->set_value();
  });
  finished.wait_for(std::chrono::seconds(1));
}

}  // namespace ocellus::sources::rtsp
